/* clidb.c: what commands that work on records share: opening a current
 * database, the domain context (the actor is "cli:" and the login name) and
 * reading a password from standard input. */
#include "cli/clidb.h"
#include "core/timeutil.h"
#include "store/schema.h"
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_open(const char *zPath, cli_db *p, gerr *e) {
  memset(p, 0, sizeof *p);
  dom_init();
  if (db_open(zPath, 0, &p->pDb, e) || schema_require_current(p->pDb, e)) {
    db_close(p->pDb);
    p->pDb = NULL;
    return -1;
  }
  arena_init(&p->ar);
  const struct passwd *pw = getpwuid(getuid());
  snprintf(p->zActor, sizeof p->zActor, "cli:%.60s", pw ? pw->pw_name : "unknown");
  p->c = dom_ctx_system(p->pDb, &p->ar, p->zActor, time_now());   /* the operator at the shell */
  return 0;
}

void cli_close(cli_db *p) {
  if (!p->pDb) return;
  arena_free(&p->ar);
  dom_shutdown();
  db_close(p->pDb);
  p->pDb = NULL;
}

int cli_read_password(char *zOut, size_t nOut, gerr *e) {
  if (!fgets(zOut, (int)nOut, stdin)) return gerr_set(e, GERR_USAGE, "password", "no password on standard input");
  zOut[strcspn(zOut, "\r\n")] = 0;
  return 0;
}

const char *cli_get(const char *zCmd, const char **azVal, const char *zOpt) {
  for (int i = 0; i < cli_ncommands; i++) {
    if (strcmp(cli_commands[i].zName, zCmd) != 0) continue;
    for (int k = 0; cli_commands[i].aOpt[k].zName; k++)
      if (strcmp(cli_commands[i].aOpt[k].zName, zOpt) == 0) return azVal[k];
  }
  g_panic("command %s has no option %s", zCmd, zOpt);
}
