/* cmd_oneroster.c: `guild import oneroster PATH` and `guild export
 * oneroster PATH`: the commands around src/domain/imports/oneroster_*.c: options, a
 * progress line per file on a terminal, the error report (stderr and, with
 * --errors, CSV) and a summary line per file. */
#include "cli/clidb.h"
#include "cli/import_report.h"
#include "domain/imports/oneroster.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define OPT(zCmd, z) cli_get(zCmd, azVal, z)

/* The progress line, naming the file being read. */
static void show_file_progress(void *pArg, const char *zFile, int nDone, int nTotal, double fDone) {
  import_progress *p = pArg;
  if (p->zPath != zFile) import_progress_start(p, zFile);
  import_progress_show(p, nDone, nTotal, fDone);
}

static const char *const azMode[] = {"absent", "bulk", "delta"};

/* "orgs.csv (bulk): 5 rows: 5 created, 0 updated, 0 unchanged", and what
 * else happened; roles are read with the users they belong to. */
static void print_summary(const or_result *r) {
  for (int f = 1; f < OR__NFILE; f++) {
    const or_count *p = &r->aCount[f];
    if (r->aMode[f] == OR_ABSENT) continue;
    printf("%s (%s): %d rows", oneroster_file_names[f], azMode[r->aMode[f]], p->nRow);
    if (f == OR_ROLES) {
      printf(": %d read with users.csv", p->nRow - p->nSkipped - p->nInvalid);
      if (p->nUpdated) printf(", %d persons' institutions updated", p->nUpdated);
    } else printf(": %d created, %d updated, %d unchanged", p->nCreated, p->nUpdated, p->nUnchanged);
    if (p->nDeleted) printf(", %d %s", p->nDeleted, f == OR_ENROLLMENTS ? "withdrawn or removed" : "deleted");
    if (p->nKept) printf(", %d kept (still in use)", p->nKept);
    if (p->nSkipped) printf(", %d skipped (not kept by guild)", p->nSkipped);
    if (r->anWarn[f]) printf(", %d warnings", r->anWarn[f]);
    if (p->nInvalid) printf(", %d invalid (skipped)", p->nInvalid);
    printf("\n");
  }
  if (r->zIgnored) printf("not read (guild keeps nothing of them): %s\n", r->zIgnored);
  if (r->nAreasCreated) printf("%d areas created under the region for schools without a parent\n", r->nAreasCreated);
}

int cmd_import_oneroster(const char **azVal, int nPos, const char **azPos) {
  if (nPos != 2) {
    fprintf(stderr, "guild import: usage: guild import oneroster PATH (a directory or a .zip) [--errors OUT.csv] "
                    "[--skip-invalid] [--isco CODE] [--area CODE | --area-map FILE | --create-areas] [--encoding ENC] "
                    "[--quiet]\n");
    return CLI_USAGE;
  }
  if (OPT("import", "map")) {
    fprintf(stderr, "guild import: --map is for persons imports; OneRoster's columns have fixed names\n");
    return CLI_USAGE;
  }
  if (OPT("import", "institution")) {
    fprintf(stderr, "guild import: --institution is for persons and enrollments imports\n");
    return CLI_USAGE;
  }
  const char *zPath = azPos[1];
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("import", "db")), &d, &e)) return cli_fail(&e);
  import_progress prog;
  import_progress_start(&prog, zPath);
  or_opts o = {OPT("import", "skip-invalid") != NULL, OPT("import", "isco"), NULL, &prog, OPT("import", "encoding"),
               OPT("import", "area"), OPT("import", "area-map"), OPT("import", "create-areas") != NULL};
  if (!OPT("import", "quiet") && isatty(STDERR_FILENO)) o.xProgress = show_file_progress;
  or_result r;
  int rc = oneroster_import(&d.c, zPath, &o, &r, &e);
  if (rc && e.code == GERR_USAGE) {
    fprintf(stderr, "guild import: %s\n", e.msg);
    cli_close(&d);
    return CLI_USAGE;
  }
  import_report_part aPart[OR__NFILE];
  for (int f = 0; f < OR__NFILE; f++) {
    aPart[f].zFile = oneroster_file_names[f];
    aPart[f].aErr = r.aErr[f];
    aPart[f].nErr = r.anErr[f];
  }
  import_report_part aWarn[OR__NFILE];
  for (int f = 0; f < OR__NFILE; f++) aWarn[f] = (import_report_part){oneroster_file_names[f], r.aWarn[f], r.anWarn[f]};
  import_report_print_warnings(aWarn, OR__NFILE);
  import_report_print(aPart, OR__NFILE);
  gerr eRep;
  int bRepFailed = OPT("import", "errors") && import_report_write(OPT("import", "errors"), aPart, OR__NFILE, &eRep);
  if (rc) {
    fprintf(stderr, "guild: %s: %s; nothing was imported\n", zPath, e.msg[0] ? e.msg : gerr_default(e.code));
    if (bRepFailed) cli_fail(&eRep);
    cli_close(&d);
    return CLI_FAIL;
  }
  printf("%s: OneRoster %s%s\n", zPath, r.zVersion,
         r.bNoManifest ? " (no manifest.csv: the files there read as bulk)" : "");
  print_summary(&r);
  cli_close(&d);
  if (bRepFailed) return cli_fail(&eRep);
  return CLI_OK;
}

int cmd_export_oneroster(const char **azVal, int nPos, const char **azPos) {
  if (nPos != 2) {
    fprintf(stderr, "guild export: usage: guild export oneroster PATH (a directory, or a file ending in .zip)\n");
    return CLI_USAGE;
  }
  const char *zPath = azPos[1];
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("export", "db")), &d, &e)) return cli_fail(&e);
  or_export_result r;
  int rc = oneroster_export(&d.c, zPath, &r, &e);
  cli_close(&d);
  if (rc) return cli_fail(&e);
  printf("%s: OneRoster 1.2 (bulk):", zPath);
  for (int f = 1; f < OR__NFILE; f++) printf("%s %d %s", f > 1 ? "," : "", r.anRow[f], oneroster_file_names[f]);
  printf("\n");
  return CLI_OK;
}
