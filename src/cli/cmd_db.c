/* cmd_db.c: database commands: init and migrate. Opening and migrating
 * are the store's (db.h, schema.h): these commands are about the database
 * itself; the first administrator is made through the domain. */
#include "cli/clidb.h"
#include "domain/accounts/auth.h"
#include "store/schema.h"
#include <stdio.h>

/* Opens (creating when bCreate) and migrates the database at zPath. */
static int open_and_migrate(const char *zPath, int bCreate, const char *zVerb) {
  gerr e;
  db *p = NULL;
  int nApplied = 0;
  if (db_open(zPath, bCreate, &p, &e) || dom_migrate(p, &nApplied, &e)) {
    db_close(p);
    return cli_fail(&e);
  }
  char zShown[256];
  db_url_redacted(zPath, zShown, sizeof zShown);
  printf("%s: %s, schema version %d (%d migration%s applied)\n", zVerb, zShown, schema_latest(), nApplied,
         nApplied == 1 ? "" : "s");
  db_close(p);
  return CLI_OK;
}

int cmd_init(int argc, char **argv) {
  const char *azVal[5] = {0};
  int nPos, rc = cli_parse("init", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  const char *zPath = cli_db_path(cli_get("init", azVal, "db"));
  if ((rc = open_and_migrate(zPath, 1, "initialised"))) return rc;
  cli_db d;
  gerr e;
  int64_t nUser = 0;
  if (cli_open(zPath, &d, &e)) return cli_fail(&e);
  if (auth_user_count(&d.c, &nUser, &e)) rc = cli_fail(&e);
  else if (nUser > 0) printf("accounts exist already: no administrator created\n");
  else {
    const char *zAdmin = cli_get("init", azVal, "admin");
    rc = cli_make_admin(&d, zAdmin ? zAdmin : "admin", cli_get("init", azVal, "password-stdin") != NULL);
  }
  cli_close(&d);
  return rc;
}

int cmd_migrate(int argc, char **argv) {
  const char *azVal[3] = {0};
  int nPos, rc = cli_parse("migrate", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  return open_and_migrate(cli_db_path(azVal[0]), 0, "migrated");
}
