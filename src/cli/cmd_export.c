/* cmd_export.c: `guild export WHAT ...`: lists and results as CSV or XLSX
 * files, and the registry as a OneRoster set (cmd_oneroster.c). The first word picks a row of aExport; each row's function does
 * the rest with the options of the export command (commands.c). */
#include "cli/clidb.h"
#include "core/tmp.h"
#include "domain/competition/comp.h"
#include "domain/imports/export.h"
#include "domain/competition/export_results.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CMD "export"
#define OPT(z) cli_get(CMD, azVal, z)

/* Options that are not list filters. */
static const char *const azNotFilter[] = {"db", "format", "out", "table", "help", NULL};

int cli_table_format(const char *zCmd, const char *z, const char *zOut, tab_format *pFmt) {
  size_t n = zOut ? strlen(zOut) : 0;
  *pFmt = n > 5 && !strcmp(zOut + n - 5, ".xlsx") ? TAB_XLSX : TAB_CSV;
  if (z && tab_format_parse(z, pFmt)) {
    fprintf(stderr, "guild %s: --format is csv or xlsx (got '%s')\n", zCmd, z);
    return -1;
  }
  if (*pFmt == TAB_XLSX && !zOut && isatty(STDOUT_FILENO)) {
    fprintf(stderr, "guild %s: an XLSX file is not for a terminal: give --out FILE.xlsx or redirect\n", zCmd);
    return -1;
  }
  return 0;
}

static int export_format(const char **azVal, tab_format *pFmt) {
  return cli_table_format(CMD, OPT("format"), OPT("out"), pFmt);
}

/* Copies the file zPath to standard output. */
static int copy_to_stdout(const char *zPath, gerr *e) {
  FILE *f = fopen(zPath, "rb");
  if (!f) return gerr_set(e, GERR_INTERNAL, NULL, "cannot read %.200s", zPath);
  char aBuf[1 << 16];
  size_t n;
  int rc = 0;
  while ((n = fread(aBuf, 1, sizeof aBuf, f)) > 0)
    if (fwrite(aBuf, 1, n, stdout) != n) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot write to standard output");
  fclose(f);
  if (fflush(stdout)) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot write to standard output");
  return rc;
}

int cli_table_write(const char *zOut, tab_format fmt, export_fn xWrite, void *pArg, gerr *e) {
  if (zOut) {
    if (export_file(fmt, zOut, xWrite, pArg, e) == 0) return 0;
    unlink(zOut);
    return -1;
  }
  if (fmt == TAB_CSV) {
    tab_out *t = tab_csv_file(stdout);
    int rc = xWrite(pArg, t, e);
    return tab_close(t, rc ? NULL : e) || rc ? -1 : 0;
  }
  char zTmp[512];
  int fd = tmp_create("export", ".xlsx", zTmp, sizeof zTmp, e);
  if (fd < 0) return -1;
  close(fd);
  int rc = export_file(fmt, zTmp, xWrite, pArg, e) || copy_to_stdout(zTmp, e) ? -1 : 0;
  unlink(zTmp);
  return rc;
}

static int write_out(const char **azVal, tab_format fmt, export_fn xWrite, void *pArg, gerr *e) {
  return cli_table_write(OPT("out"), fmt, xWrite, pArg, e);
}

typedef struct list_arg {
  dom_ctx *c;
  const dom_entity *pEnt;
  dom_query q;
} list_arg;

static int write_list(void *pArg, tab_out *t, gerr *e) {
  list_arg *a = pArg;
  return export_entity(a->c, a->pEnt, &a->q, t, e);
}

/* export persons|enrollments|programs|cohorts [--FILTER VALUE]...: every
 * option that is not in azNotFilter is a filter of the list ('-' in its
 * name standing for '_'), checked as the API checks it. */
static int export_list(const char **azVal, int nPos, const char **azPos) {
  tab_format fmt;
  if (nPos != 1 || export_format(azVal, &fmt)) {
    if (nPos != 1) fprintf(stderr, "guild export: %s takes no further arguments (filters are options)\n", azPos[0]);
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  list_arg a = {&d.c, dom_entity_find(azPos[0]), {0}};
  const cli_opt *aOpt = NULL;
  for (int i = 0; i < cli_ncommands; i++)
    if (!strcmp(cli_commands[i].zName, CMD)) aOpt = cli_commands[i].aOpt;
  int rc = CLI_OK;
  for (int k = 0; aOpt[k].zName && rc == CLI_OK; k++) {
    const char *const *pz = azNotFilter;
    while (*pz && strcmp(*pz, aOpt[k].zName)) pz++;
    if (*pz || !azVal[k]) continue;
    char *zFilter = arena_strdup(&d.ar, aOpt[k].zName);
    for (char *p = zFilter; *p; p++)
      if (*p == '-') *p = '_';
    if (dom_filter_index(a.pEnt, zFilter) < 0) {
      fprintf(stderr, "guild export: %s cannot be filtered by --%s\n", a.pEnt->zPlural, aOpt[k].zName);
      rc = CLI_USAGE;
    } else if (dom_query_set(&a.q, a.pEnt, zFilter, azVal[k], &d.ar, &e)) {
      fprintf(stderr, "guild export: --%s: %s\n", aOpt[k].zName, e.msg);
      rc = CLI_USAGE;
    }
  }
  if (rc == CLI_OK && write_out(azVal, fmt, write_list, &a, &e)) rc = cli_fail(&e);
  cli_close(&d);
  return rc;
}

/* export results EDITION_ID [--table competitors|institutions] */
static int export_results_cmd(const char **azVal, int nPos, const char **azPos) {
  tab_format fmt;
  int64_t id;
  if (nPos != 2) {
    fprintf(stderr, "guild export: usage: guild export results EDITION_ID [--table competitors|institutions]\n");
    return CLI_USAGE;
  }
  if (export_format(azVal, &fmt) || cli_int(CMD, "EDITION_ID", azPos[1], 1, INT64_MAX, &id)) return CLI_USAGE;
  export_results_arg a = {NULL, OPT("table")};
  if (fmt == TAB_CSV && !a.zTable) a.zTable = "competitors";
  if (a.zTable && strcmp(a.zTable, "competitors") && strcmp(a.zTable, "institutions")) {
    fprintf(stderr, "guild export: --table is competitors or institutions (got '%s')\n", a.zTable);
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  comp_edition_results res;
  a.p = &res;
  int rc = comp_edition_results_load(&d.c, id, &res, &e) || write_out(azVal, fmt, export_results_fn, &a, &e)
               ? cli_fail(&e)
               : CLI_OK;
  cli_close(&d);
  return rc;
}

/* What can be exported: the first word of `guild export`. */
static const struct {
  const char *zName;
  int (*xRun)(const char **azVal, int nPos, const char **azPos);
} aExport[] = {
    {"persons", export_list},
    {"enrollments", export_list},
    {"programs", export_list},
    {"cohorts", export_list},
    {"results", export_results_cmd},
    {"oneroster", cmd_export_oneroster}, /* cmd_oneroster.c */
};

int cmd_export(int argc, char **argv) {
  const char *azVal[32] = {0}, *azPos[4] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 4, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  for (size_t i = 0; nPos > 0 && i < sizeof aExport / sizeof aExport[0]; i++)
    if (!strcmp(aExport[i].zName, azPos[0])) return aExport[i].xRun(azVal, nPos, azPos);
  fprintf(stderr, "guild export: export what? one of:");
  for (size_t i = 0; i < sizeof aExport / sizeof aExport[0]; i++) fprintf(stderr, " %s", aExport[i].zName);
  fprintf(stderr, " (see guild help export)\n");
  return CLI_USAGE;
}
