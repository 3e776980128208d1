/* table_out.h: typed tables written as CSV or as an XLSX workbook, one cell
 * at a time, so every export (lists, competition results) shares one
 * writer. A table has a header row of column names; each cell is written
 * with its type, and the row ends by itself after the last column.
 *
 * CSV: RFC 4180 with "\n" line ends (csv_out.c), dates as YYYY-MM-DD, times
 * as ISO 8601 UTC, booleans as true/false, an empty field for no value; one
 * table per file. XLSX (libxlsxwriter in constant-memory mode: one row in
 * memory at a time): a worksheet per table with a bold, frozen header row,
 * numbers as numbers, dates and times as date cells with a date format,
 * booleans as booleans, column widths from the longest value; a table
 * longer than a worksheet (1,048,575 rows under the header) continues on
 * "NAME (2)" with the header repeated. A text longer than a cell may hold
 * (32,767 characters) is cut to 32,766 and an ellipsis. */
#ifndef GUILD_TABLE_OUT_H
#define GUILD_TABLE_OUT_H
#include <stdint.h>
#include <stdio.h>
#include "core/buf.h"
#include "core/err.h"

#define TAB_MAXCOL 64

typedef enum { TAB_CSV, TAB_XLSX } tab_format;
typedef enum { TC_TEXT, TC_INT, TC_NUM, TC_BOOL, TC_DATE, TC_TIME } tab_type;

typedef struct tab_col {
  const char *zName;   /* header; must stay valid until tab_close */
  tab_type type;
  int nDecimal;        /* TC_NUM: decimals shown */
} tab_col;

typedef struct tab_out tab_out;

/* "csv" or "xlsx" into *p: 0, or -1 for anything else. */
int tab_format_parse(const char *z, tab_format *p);
const char *tab_format_name(tab_format f);       /* "csv", "xlsx": also the file extension */
const char *tab_content_type(tab_format f);      /* the media type of the file */

/* A CSV writer sending each row to f as it ends (f stays the caller's). */
tab_out *tab_csv_file(FILE *f);
/* A CSV writer appending to b; b's maximum size applies (GERR_TOO_LARGE). */
tab_out *tab_csv_buf(gbuf *b);
/* An XLSX writer; the workbook is written to zPath by tab_close. NULL with
 * e filled when libxlsxwriter cannot start it. */
tab_out *tab_xlsx(const char *zPath, gerr *e);

/* Starts a table named zName (the worksheet's name) with nCol columns
 * (at most TAB_MAXCOL) and writes its header row. CSV holds one table. */
int tab_sheet(tab_out *t, const char *zName, const tab_col *aCol, int nCol);

/* The next cell of the current row. Each returns 0, or -1 once the writer
 * has failed (the first error is reported by tab_close): callers may stop
 * early. */
int tab_null(tab_out *t);
int tab_text(tab_out *t, const char *z);      /* NULL: no value */
int tab_int(tab_out *t, int64_t v);
int tab_num(tab_out *t, double v);            /* NaN: no value */
int tab_bool(tab_out *t, int b);
int tab_date(tab_out *t, const char *zYmd);   /* "YYYY-MM-DD" */
int tab_time(tab_out *t, int64_t tSec);       /* seconds since the epoch */

/* Copies the writer's first error into e; returns -1 (for callers that
 * stop at a failed cell). */
int tab_error(const tab_out *t, gerr *e);

/* Finishes the file (XLSX: writes the workbook) and frees t. Returns 0,
 * or -1 with e filled by the first error (the file is then incomplete). */
int tab_close(tab_out *t, gerr *e);

#endif
