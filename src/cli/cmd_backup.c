/* cmd_backup.c: `guild backup --to FILE` (an online copy of a SQLite
 * database, then the audit log verified on the copy) and `guild restore
 * FILE` (a backup verified, then put in place of a database no server has
 * open). The copying is the store's (db_backup, db_restore); PostgreSQL is
 * refused there, naming its own tools. */
#include "cli/cmd_audit.h"
#include "store/schema.h"
#include <stdio.h>
#include <string.h>

int cmd_backup(int argc, char **argv) {
  const char *azVal[4] = {0}, *azPos[1] = {0};
  int nPos, rc = cli_parse("backup", argc, argv, azVal, azPos, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  const char *zTo = cli_get("backup", azVal, "to"), *zDb = cli_db_path(cli_get("backup", azVal, "db"));
  if (!zTo) {
    fprintf(stderr, "guild backup: say where: --to FILE (see guild help backup)\n");
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(zDb, &d, &e)) return cli_fail(&e);
  rc = db_backup(d.pDb, zTo, &e) ? cli_fail(&e) : CLI_OK;
  cli_close(&d);
  if (rc != CLI_OK) return rc;
  printf("backed up %s to %s; verifying the copy:\n", zDb, zTo);
  if (cli_open(zTo, &d, &e)) return cli_fail(&e);
  rc = cli_audit_verify(&d, cli_get("backup", azVal, "key"), NULL);
  cli_close(&d);
  if (rc == CLI_FAIL)
    printf("the copy is faithful, but its audit log does not verify: see above (the database it was made from does not "
           "either)\n");
  return rc;
}

int cmd_restore(int argc, char **argv) {
  const char *azVal[4] = {0}, *azPos[1] = {0};
  int nPos, rc = cli_parse("restore", argc, argv, azVal, azPos, 1, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  if (nPos != 1) {
    fprintf(stderr, "guild restore: usage: guild restore FILE [--db DB]\n");
    return CLI_USAGE;
  }
  const char *zFrom = azPos[0], *zDb = cli_db_path(cli_get("restore", azVal, "db"));
  cli_db d;
  gerr e;
  if (db_is_postgres_url(zDb) || db_is_postgres_url(zFrom)) {   /* refused, naming pg_restore */
    db_restore(zFrom, zDb, &e);
    return cli_fail(&e);
  }
  printf("verifying the backup %s:\n", zFrom);
  if (cli_open(zFrom, &d, &e)) return cli_fail(&e);
  rc = cli_audit_verify(&d, cli_get("restore", azVal, "key"), NULL);
  cli_close(&d);
  if (rc != CLI_OK) {
    if (rc == CLI_FAIL) fprintf(stderr, "guild restore: the backup does not verify: nothing was restored\n");
    return rc;
  }
  if (db_restore(zFrom, zDb, &e)) return cli_fail(&e);
  printf("restored %s from %s\n", zDb, zFrom);
  return CLI_OK;
}
