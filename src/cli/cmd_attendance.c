/* cmd_attendance.c: `guild attendance export`: every learner's attendance
 * rate per cohort (one row per learner and cohort: marks, counted, weight
 * sum, rate, threshold, below it or not, marks by status) as CSV or XLSX,
 * for one cohort, one institution or the whole region, written by the
 * domain (att_export_fn) through io/xlsx/table_out.h like `guild export`. */
#include "cli/clidb.h"
#include "domain/training/attendance.h"
#include <stdio.h>
#include <string.h>

#define CMD "attendance"
#define OPT(z) cli_get(CMD, azVal, z)

static int attendance_export(const char **azVal) {
  tab_format fmt;
  att_export_arg a = {NULL, 0, 0, 0};
  if (cli_table_format(CMD, OPT("format"), OPT("out"), &fmt)) return CLI_USAGE;
  if ((OPT("cohort") && cli_int(CMD, "cohort", OPT("cohort"), 1, INT64_MAX, &a.idCohort)) ||
      (OPT("institution") && cli_int(CMD, "institution", OPT("institution"), 1, INT64_MAX, &a.idInstitution)))
    return CLI_USAGE;
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  a.c = &d.c;
  int rc = cli_table_write(OPT("out"), fmt, att_export_fn, &a, &e) ? cli_fail(&e) : CLI_OK;
  if (rc == CLI_OK && OPT("out")) fprintf(stderr, "guild attendance: %lld rows written to %s\n", (long long)a.nRows, OPT("out"));
  cli_close(&d);
  return rc;
}

int cmd_attendance(int argc, char **argv) {
  const char *azVal[16] = {0}, *azPos[2] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 2, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  if (nPos == 1 && !strcmp(azPos[0], "export")) return attendance_export(azVal);
  fprintf(stderr, "guild attendance: usage: guild attendance export [--cohort ID | --institution ID] "
                  "[--format csv|xlsx] [--out FILE]\n");
  return CLI_USAGE;
}
