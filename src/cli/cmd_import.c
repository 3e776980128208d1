/* cmd_import.c: `guild import persons|enrollments FILE`: the command
 * around the importers of src/io/import.h: options, a progress line on a
 * terminal, the error report on stderr and, with --errors, as CSV, and the
 * summary. */
#include "clidb.h"
#include "../core/buf.h"
#include "../io/csv_out.h"
#include "../io/import.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CMD "import"
#define OPT(z) cli_get(CMD, azVal, z)
#define REPORT_STDERR_MAX 100          /* error lines printed; the CSV report has all */
#define REPORT_CSV_MAX ((size_t)1 << 30)

typedef struct progress {
  const char *zPath;
  struct timespec tStart, tLast;
  int bShown;
} progress;

static double seconds_between(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* "\rFILE: N rows (P%), R rows/s, S s left" (percent and time left from the
 * bytes read, when the file's size is known), at most 5 times a second; at
 * the end "N/N rows (100%)". */
static void show_progress(void *pArg, int nDone, int nTotal, double fDone) {
  progress *p = pArg;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int bLast = nTotal > 0 || fDone >= 1;
  if (!bLast && p->bShown && seconds_between(&p->tLast, &now) < 0.2) return;
  p->tLast = now;
  double s = seconds_between(&p->tStart, &now);
  double rate = s > 0 ? nDone / s : 0;
  if (bLast) fprintf(stderr, "\r%s: %d/%d rows (100%%), %.0f rows/s   ", p->zPath, nDone, nDone, rate);
  else if (fDone < 0) fprintf(stderr, "\r%s: %d rows, %.0f rows/s   ", p->zPath, nDone, rate);
  else {
    double left = fDone > 0 ? s * (1 - fDone) / fDone : 0;
    fprintf(stderr, "\r%s: %d rows (%d%%), %.0f rows/s, %.0f s left   ", p->zPath, nDone, (int)(100 * fDone), rate,
            left);
  }
  if (bLast) fputc('\n', stderr);
  fflush(stderr);
  p->bShown = 1;
}

/* Writes the report (file,row,column,value,reason) to zOut. */
static int write_report(const char *zOut, const char *zFile, const imp_result *r, gerr *e) {
  gbuf b;
  gbuf_init(&b, REPORT_CSV_MAX);
  int rc = csv_out_text(&b, "file", 0) || csv_out_text(&b, "row", 0) || csv_out_text(&b, "column", 0) ||
           csv_out_text(&b, "value", 0) || csv_out_text(&b, "reason", 1);
  for (int i = 0; !rc && i < r->nErr; i++) {
    const imp_error *p = &r->aErr[i];
    rc = csv_out_text(&b, zFile, 0) || csv_out_int(&b, p->iRow, 0) || csv_out_text(&b, p->zColumn, 0) ||
         csv_out_text(&b, p->zValue, 0) || csv_out_text(&b, p->zReason, 1);
  }
  if (rc) {
    gbuf_free(&b);
    return gerr_set(e, GERR_TOO_LARGE, NULL, "the error report is larger than %zu bytes", REPORT_CSV_MAX);
  }
  FILE *f = fopen(zOut, "wb");
  if (!f) {
    gbuf_free(&b);
    return gerr_set(e, GERR_NOT_FOUND, NULL, "cannot write %.200s", zOut);
  }
  size_t n = fwrite(b.z, 1, b.n, f);
  int bBad = n != b.n;
  if (fclose(f)) bBad = 1;
  gbuf_free(&b);
  if (bBad) return gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s", zOut);
  return 0;
}

static void print_report(const char *zFile, const imp_result *r) {
  for (int i = 0; i < r->nErr && i < REPORT_STDERR_MAX; i++) {
    const imp_error *p = &r->aErr[i];
    fprintf(stderr, "%s: row %d", zFile, p->iRow);
    if (p->zColumn[0]) fprintf(stderr, ", column %s", p->zColumn);
    if (p->zValue[0]) fprintf(stderr, ", value '%.80s'", p->zValue);
    fprintf(stderr, ": %s\n", p->zReason);
  }
  if (r->nErr > REPORT_STDERR_MAX)
    fprintf(stderr, "%s: ... and %d more errors (--errors FILE writes them all)\n", zFile, r->nErr - REPORT_STDERR_MAX);
}

/* What `guild import` can import: one row per kind. */
static const struct {
  const char *zKind;
  int (*xImport)(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e);
} aKind[] = {
    {"persons", import_persons},
    {"enrollments", import_enrollments},
};

int cmd_import(int argc, char **argv) {
  const char *azVal[10] = {0}, *azPos[3] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 3, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  int iKind = -1;
  for (size_t i = 0; nPos == 2 && i < sizeof aKind / sizeof aKind[0]; i++)
    if (strcmp(azPos[0], aKind[i].zKind) == 0) iKind = (int)i;
  if (iKind < 0) {
    fprintf(stderr, "guild import: usage: guild import persons|enrollments FILE [--errors OUT.csv] [--skip-invalid] "
                    "[--map HEADER=FIELD,...] [--quiet]\n");
    return CLI_USAGE;
  }
  const char *zFile = azPos[1];
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  progress prog = {zFile, {0, 0}, {0, 0}, 0};
  clock_gettime(CLOCK_MONOTONIC, &prog.tStart);
  imp_opts o = {OPT("map"), OPT("skip-invalid") != NULL, NULL, &prog};
  if (!OPT("quiet") && isatty(STDERR_FILENO)) o.xProgress = show_progress;
  imp_result r;
  rc = aKind[iKind].xImport(&d.c, zFile, &o, &r, &e);
  if (rc && e.code == GERR_USAGE) {
    fprintf(stderr, "guild import: %s\n", e.msg);
    cli_close(&d);
    return CLI_USAGE;
  }
  print_report(zFile, &r);
  gerr eRep;
  int bRepFailed = OPT("errors") && write_report(OPT("errors"), zFile, &r, &eRep);
  if (rc) {
    const char *zMsg = e.msg[0] ? e.msg : gerr_default(e.code);
    if (e.code == GERR_VALIDATION) fprintf(stderr, "guild: %s: %s; nothing was imported\n", zFile, zMsg);
    else fprintf(stderr, "guild: %s; nothing was imported\n", zMsg);
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
