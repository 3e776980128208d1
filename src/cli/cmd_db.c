/* cmd_db.c: database commands: init and migrate. */
#include "cli.h"
#include "../store/schema.h"
#include <stdio.h>

/* Opens (creating when bCreate) and migrates the database at zPath. */
static int open_and_migrate(const char *zPath, int bCreate, const char *zVerb) {
  gerr e;
  db *p = NULL;
  int nApplied = 0;
  if (db_open(zPath, bCreate, &p, &e) || schema_migrate(p, &nApplied, &e)) {
    db_close(p);
    return cli_fail(&e);
  }
  printf("%s: %s, schema version %d (%d migration%s applied)\n", zVerb, zPath, schema_latest(), nApplied,
         nApplied == 1 ? "" : "s");
  db_close(p);
  return CLI_OK;
}

int cmd_init(int argc, char **argv) {
  const char *azVal[3] = {0};
  int nPos, rc = cli_parse("init", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  return open_and_migrate(cli_db_path(azVal[0]), 1, "initialised");
}

int cmd_migrate(int argc, char **argv) {
  const char *azVal[3] = {0};
  int nPos, rc = cli_parse("migrate", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  return open_and_migrate(cli_db_path(azVal[0]), 0, "migrated");
}
