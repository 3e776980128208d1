/* import_report.h: what every `guild import ...` command shows around its
 * importer: a progress line on a terminal, the error report on stderr and,
 * with --errors, as CSV (file,row,column,value,reason). An import of several
 * files (OneRoster) reports one part per file. */
#ifndef GUILD_IMPORT_REPORT_H
#define GUILD_IMPORT_REPORT_H
#include "core/err.h"
#include "domain/imports/import.h"
#include <time.h>

/* The errors of one file. */
typedef struct import_report_part {
  const char *zFile;
  const imp_error *aErr;
  int nErr;
} import_report_part;

/* Prints "FILE: row N, column C, value 'V': reason" lines to stderr, at most
 * 100 over all parts, then how many more there are. */
void import_report_print(const import_report_part *a, int n);
/* The same for warnings (rows skipped, nothing wrong): "...: warning: reason". */
void import_report_print_warnings(const import_report_part *a, int n);
/* Writes every error of every part as CSV to zOut. Returns 0 or -1 with e. */
int import_report_write(const char *zOut, const import_report_part *a, int n, gerr *e);

/* What an import command of one file shows once its importer is done (rc
 * its answer, e its error): the report on stderr, the report as CSV into
 * zErrors (NULL: none), and when rc failed why, saying nothing was
 * imported. Returns -1 when the CSV report could not be written (*peRep
 * says why), else 0. */
int import_report_done(const char *zFile, const imp_result *r, int rc, const gerr *e, const char *zErrors,
                       gerr *peRep);

/* The progress line's state: the file being read (the caller may change
 * zPath between files) and when the import started. */
typedef struct import_progress {
  const char *zPath;
  struct timespec tStart, tLast;
  int bShown;
} import_progress;

void import_progress_start(import_progress *p, const char *zPath);
/* An imp_opts.xProgress: "\rFILE: N rows (P%), R rows/s, S s left" (percent
 * and time left from the bytes read, when the file's size is known), at most
 * 5 times a second; at the end (nTotal > 0) "N/N rows (100%)" and a newline. */
void import_progress_show(void *pArg, int nDone, int nTotal, double fDone);

#endif
