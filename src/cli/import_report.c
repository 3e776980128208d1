/* import_report.c: the progress line and the error report of the import
 * commands (see import_report.h). */
#include "cli/import_report.h"
#include "core/buf.h"
#include "domain/imports/import_text.h"
#include "io/csv/csv_out.h"
#include <stdio.h>

#define REPORT_STDERR_MAX 100          /* error lines printed; the CSV report has all */
#define REPORT_CSV_MAX ((size_t)1 << 30)

static double seconds_between(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void import_progress_start(import_progress *p, const char *zPath) {
  p->zPath = zPath;
  p->bShown = 0;
  clock_gettime(CLOCK_MONOTONIC, &p->tStart);
  p->tLast = p->tStart;
}

void import_progress_show(void *pArg, int nDone, int nTotal, double fDone) {
  import_progress *p = pArg;
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

int import_report_write(const char *zOut, const import_report_part *a, int n, gerr *e) {
  gbuf b;
  gbuf_init(&b, REPORT_CSV_MAX);
  int rc = csv_out_text(&b, "file", 0) || csv_out_text(&b, "row", 0) || csv_out_text(&b, "column", 0) ||
           csv_out_text(&b, "value", 0) || csv_out_text(&b, "reason", 1);
  for (int k = 0; !rc && k < n; k++)
    for (int i = 0; !rc && i < a[k].nErr; i++) {
      const imp_error *p = &a[k].aErr[i];
      rc = csv_out_text(&b, a[k].zFile, 0) || csv_out_int(&b, p->iRow, 0) || csv_out_text(&b, p->zColumn, 0) ||
           csv_out_text(&b, p->zValue, 0) || csv_out_text(&b, p->zReason, 1);
    }
  if (rc) {
    gbuf_free(&b);
    return gerr_setr(e, GERR_TOO_LARGE, GR_REPORT_TOO_LARGE, NULL, GP_I("max", REPORT_CSV_MAX));
  }
  FILE *f = fopen(zOut, "wb");
  if (!f) {
    gbuf_free(&b);
    return gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_WRITE, NULL, GP_S("path", zOut));
  }
  size_t nWritten = fwrite(b.z, 1, b.n, f);
  int bBad = nWritten != b.n;
  if (fclose(f)) bBad = 1;
  gbuf_free(&b);
  if (bBad) return gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s", zOut);
  return 0;
}

/* Prints z (escaped already) cut after nMax characters. */
static void print_cut(const char *z, size_t nMax) {
  size_t i = 0, nChar = 0;
  while (z[i] && nChar < nMax) {
    i++;
    while ((z[i] & 0xC0) == 0x80) i++;
    nChar++;
  }
  fwrite(z, 1, i, stderr);
  if (!z[i]) return;
  size_t nRest = 0;
  for (; z[i]; i++) nRest += (z[i] & 0xC0) != 0x80;
  fprintf(stderr, "... (%zu more characters)", nRest);
}

/* Prints the entries of the parts, zPrefix before each reason, at most
 * REPORT_STDERR_MAX; returns how many were left out. The report's strings
 * are already escaped and cut (import_text.h): nothing raw reaches the
 * terminal. */
static int print_entries(const import_report_part *a, int n, const char *zPrefix) {
  int nShown = 0, nAll = 0;
  for (int k = 0; k < n; k++) {
    nAll += a[k].nErr;
    for (int i = 0; i < a[k].nErr && nShown < REPORT_STDERR_MAX; i++, nShown++) {
      const imp_error *p = &a[k].aErr[i];
      fprintf(stderr, "%s: row %d", a[k].zFile, p->iRow);
      if (p->zColumn[0]) fprintf(stderr, ", column %s", p->zColumn);
      if (p->zValue[0]) {
        fputs(", value '", stderr);
        print_cut(p->zValue, IMP_SHOWN_VALUE);
        fputc('\'', stderr);
      }
      fprintf(stderr, ": %s%s\n", zPrefix, p->zReason);
    }
  }
  return nAll - nShown;
}

void import_report_print(const import_report_part *a, int n) {
  int nMore = print_entries(a, n, "");
  if (nMore > 0)
    fprintf(stderr, "%s: ... and %d more errors (--errors FILE writes them all)\n", n == 1 ? a[0].zFile : "guild",
            nMore);
}

void import_report_print_warnings(const import_report_part *a, int n) {
  int nMore = print_entries(a, n, "warning: ");
  if (nMore > 0) fprintf(stderr, "guild: ... and %d more warnings\n", nMore);
}

int import_report_done(const char *zFile, const imp_result *r, int rc, const gerr *e, const char *zErrors,
                       gerr *peRep) {
  import_report_part part = {zFile, r->aErr, r->nErr};
  import_report_print(&part, 1);
  int bRepFailed = zErrors && import_report_write(zErrors, &part, 1, peRep);
  if (rc) {
    const char *zMsg = e->msg[0] ? e->msg : gerr_default(e->code);
    if (e->code == GERR_VALIDATION) fprintf(stderr, "guild: %s: %s; nothing was imported\n", zFile, zMsg);
    else fprintf(stderr, "guild: %s; nothing was imported\n", zMsg);
  }
  return bRepFailed ? -1 : 0;
}
