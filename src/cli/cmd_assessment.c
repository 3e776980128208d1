/* cmd_assessment.c: `guild assessment import FILE`: assessment results from
 * a CSV file, through the training module's importer (asmt_import, all or
 * nothing), with the import engine's report: the refused rows on stderr
 * and, with --errors, as CSV (import_report_done, as every `guild
 * import`), and a summary. */
#include "cli/clidb.h"
#include "cli/import_report.h"
#include "domain/training/training.h"
#include <stdio.h>
#include <string.h>

#define CMD "assessment"
#define OPT(z) cli_get(CMD, azVal, z)

int cmd_assessment(int argc, char **argv) {
  const char *azVal[4] = {0}, *azPos[3] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 3, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  if (nPos != 2 || strcmp(azPos[0], "import")) {
    fprintf(stderr, "guild assessment: usage: guild assessment import FILE [--errors OUT.csv]\n");
    return CLI_USAGE;
  }
  const char *zFile = azPos[1];
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  imp_result r;
  rc = asmt_import(&d.c, zFile, &r, &e);
  gerr eRep;
  int bRepFailed = import_report_done(zFile, &r, rc, &e, OPT("errors"), &eRep) != 0;
  if (rc) {
    if (bRepFailed) cli_fail(&eRep);
    cli_close(&d);
    return CLI_FAIL;
  }
  printf("%s: %d rows: %d results recorded\n", zFile, r.nRow, r.nCreated);
  cli_close(&d);
  return bRepFailed ? cli_fail(&eRep) : CLI_OK;
}
