/* cmd_copy.c: `guild copy --from DB --to DB [--replace]`. */
#include "cli/clidb.h"
#include "store/copy.h"
#include <stdio.h>

int cmd_copy(int argc, char **argv) {
  const char *azVal[5] = {0};
  int nPos, rc = cli_parse("copy", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  const char *zFrom = cli_get("copy", azVal, "from"), *zTo = cli_get("copy", azVal, "to");
  if (!zFrom || !zTo) {
    fprintf(stderr, "guild copy: say --from DB and --to DB (a file path or postgres://...)\n");
    return CLI_USAGE;
  }
  gerr e;
  db *pFrom = NULL, *pTo = NULL;
  copy_report rep;
  if (db_open(zFrom, 0, &pFrom, &e) || db_open(zTo, 1, &pTo, &e) ||
      copy_database(pFrom, pTo, cli_get("copy", azVal, "replace") != NULL, &rep, &e)) {
    db_close(pFrom);
    db_close(pTo);
    return cli_fail(&e);
  }
  char zA[256], zB[256];
  db_url_redacted(zFrom, zA, sizeof zA);
  db_url_redacted(zTo, zB, sizeof zB);
  printf("copied %s -> %s in one transaction; verified:\n", zA, zB);
  for (int i = 0; i < rep.n; i++)
    printf("  %-18s %10lld rows  sha256 %.16s\n", rep.a[i].zTable, (long long)rep.a[i].nRows, rep.a[i].zChecksum);
  db_close(pFrom);
  db_close(pTo);
  return CLI_OK;
}
