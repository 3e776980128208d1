/* cmd_import.c: `guild import WHAT ...`: one row per kind of import in
 * aImport; each parses what follows WHAT. `import persons|enrollments FILE`
 * runs the plain CSV importer of that kind (src/domain/imports/import_kinds.c) with a progress
 * line on a terminal, the error report on stderr and, with --errors, as CSV,
 * and a summary; `import oneroster PATH` is in cmd_oneroster.c. */
#include "cli/clidb.h"
#include "cli/import_report.h"
#include "domain/imports/import_kinds.h"
#include "core/text.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern dom_entity dom_institution;

#define CMD "import"
#define OPT(z) cli_get(CMD, azVal, z)

/* `import persons|enrollments FILE`: azPos[0] the kind, azPos[1] the file. */
static int import_csv_cmd(const char **azVal, int nPos, const char **azPos) {
  const imp_kind *pKind = imp_kind_find(azPos[0]);   /* aImport sends only the kinds of import_kinds.c */
  if (nPos != 2) {
    fprintf(stderr, "guild import: usage: guild import %s FILE [--errors OUT.csv] [--skip-invalid] "
                    "[--map HEADER=FIELD,...] [--encoding ENC] [--quiet]\n", azPos[0]);
    return CLI_USAGE;
  }
  static const char *const azOneRoster[] = {"isco", "area", "area-map", "create-areas", NULL};
  for (int i = 0; azOneRoster[i]; i++)
    if (OPT(azOneRoster[i])) {
      fprintf(stderr, "guild import: --%s is for oneroster imports\n", azOneRoster[i]);
      return CLI_USAGE;
    }
  int64_t idScope = 0;
  if (OPT("institution") && (text_int64(OPT("institution"), &idScope) || idScope < 1)) {
    fprintf(stderr, "guild import: --institution: an institution's id (a whole number from 1)\n");
    return CLI_USAGE;
  }
  const char *zFile = azPos[1];
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  if (idScope) {
    int rc = dom_exists(&d.c, &dom_institution, idScope, &e);
    if (rc <= 0) {
      if (rc == 0) {
        gerr_setr(&e, GERR_NOT_FOUND, GR_NO_SUCH_RECORD, "institution", GP_S("entity", "institution"), GP_I("id", idScope));
        gerr_msg(&e, "--institution %lld: no such institution", (long long)idScope);
      }
      cli_close(&d);
      return cli_fail(&e);
    }
  }
  import_progress prog;
  import_progress_start(&prog, zFile);
  imp_opts o = {OPT("map"), OPT("skip-invalid") != NULL, NULL, &prog, NULL, idScope, NULL, OPT("encoding")};
  if (!OPT("quiet") && isatty(STDERR_FILENO)) o.xProgress = import_progress_show;
  imp_result r;
  int rc = pKind->xImport(&d.c, zFile, &o, &r, &e);
  if (rc && e.code == GERR_USAGE) {
    fprintf(stderr, "guild import: %s\n", e.msg);
    cli_close(&d);
    return CLI_USAGE;
  }
  gerr eRep;
  int bRepFailed = import_report_done(zFile, &r, rc, &e, OPT("errors"), &eRep) != 0;
  if (rc) {
    if (bRepFailed) cli_fail(&eRep);
    cli_close(&d);
    return CLI_FAIL;
  }
  printf("%s: %d rows: %d created, %d updated, %d unchanged", zFile, r.nRow, r.nCreated, r.nUpdated, r.nUnchanged);
  if (r.nInvalid) printf(", %d invalid (skipped)", r.nInvalid);
  printf("\n");
  cli_close(&d);
  if (bRepFailed) return cli_fail(&eRep);
  return CLI_OK;
}

/* What can be imported: the first word after `import`. */
static const struct {
  const char *zWhat;
  int (*xRun)(const char **azVal, int nPos, const char **azPos);
} aImport[] = {
    {"persons", import_csv_cmd},
    {"enrollments", import_csv_cmd},
    {"oneroster", cmd_import_oneroster},
};

int cmd_import(int argc, char **argv) {
  const char *azVal[16] = {0}, *azPos[3] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 3, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  for (size_t i = 0; nPos > 0 && i < sizeof aImport / sizeof aImport[0]; i++)
    if (strcmp(azPos[0], aImport[i].zWhat) == 0) return aImport[i].xRun(azVal, nPos, azPos);
  fprintf(stderr, "guild import: usage: guild import persons|enrollments FILE | guild import oneroster PATH "
                  "(guild help import)\n");
  return CLI_USAGE;
}
