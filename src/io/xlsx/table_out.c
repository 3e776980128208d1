/* table_out.c: typed tables as CSV or XLSX (see table_out.h). */
#include "io/xlsx/table_out.h"
#include "io/csv/csv_out.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define TAB_ROW_MAX ((size_t)1 << 20)   /* one CSV row */
#define TAB_WIDTH_MAX 60                /* XLSX column width, in characters */
#define TAB_SHEET_NAME 31               /* Excel's limit on a worksheet's name */

struct tab_out {
  tab_format fmt;
  tab_col aCol[TAB_MAXCOL];
  int nCol, iCol;
  int bFailed;
  gerr err;
  /* CSV */
  FILE *f;
  gbuf *pDest;
  gbuf row;
  int nTable;
  /* XLSX */
  lxw_workbook *pWb;
  lxw_worksheet *pWs;
  lxw_format *pHead, *pDate, *pTime, *apNum[4];
  char zSheet[TAB_SHEET_NAME + 1];
  int nPart;                     /* worksheets of the current table */
  uint32_t iRow;                 /* the current row of the worksheet */
  int aWidth[TAB_MAXCOL];
};

static const struct {
  const char *zName, *zType;
} aFormat[] = {
    [TAB_CSV] = {"csv", "text/csv; charset=utf-8"},
    [TAB_XLSX] = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

int tab_format_parse(const char *z, tab_format *p) {
  for (int i = 0; i < (int)(sizeof aFormat / sizeof aFormat[0]); i++)
    if (z && !strcmp(z, aFormat[i].zName)) {
      *p = (tab_format)i;
      return 0;
    }
  return -1;
}
const char *tab_format_name(tab_format f) { return aFormat[f].zName; }
const char *tab_content_type(tab_format f) { return aFormat[f].zType; }

/* Records the first failure (a fault of the writer or the disk); returns -1. */
static int fail(tab_out *t, gerr_code code, const char *zMsg, const char *zDetail) {
  if (!t->bFailed) gerr_set(&t->err, code, NULL, "%s%s%.200s", zMsg, zDetail ? ": " : "", zDetail ? zDetail : "");
  t->bFailed = 1;
  return -1;
}

/* Records the first failure, a rule (reason) of the caller's, with the limit
 * nMax when it has one (0: none); returns -1. */
static int refuse(tab_out *t, gerr_code code, greason reason, const char *zMsg, size_t nMax) {
  if (!t->bFailed) {
    if (nMax) gerr_setr(&t->err, code, reason, NULL, GP_I("max", nMax));
    else gerr_setr(&t->err, code, reason, NULL);
    gerr_msg(&t->err, "%s", zMsg);
  }
  t->bFailed = 1;
  return -1;
}

static tab_out *tab_new(tab_format fmt) {
  tab_out *t = g_calloc(1, sizeof *t);
  t->fmt = fmt;
  gerr_clear(&t->err);
  return t;
}

tab_out *tab_csv_file(FILE *f) {
  tab_out *t = tab_new(TAB_CSV);
  t->f = f;
  gbuf_init(&t->row, TAB_ROW_MAX);
  return t;
}

tab_out *tab_csv_buf(gbuf *b) {
  tab_out *t = tab_new(TAB_CSV);
  t->pDest = b;
  gbuf_init(&t->row, TAB_ROW_MAX);
  return t;
}

tab_out *tab_xlsx(const char *zPath, gerr *e) {
  lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
  lxw_workbook *pWb = workbook_new_opt(zPath, &o);
  if (!pWb) {
    gerr_set(e, GERR_INTERNAL, NULL, "cannot start the XLSX workbook %.200s", zPath);
    return NULL;
  }
  tab_out *t = tab_new(TAB_XLSX);
  t->pWb = pWb;
  t->pHead = workbook_add_format(pWb);
  format_set_bold(t->pHead);
  t->pDate = workbook_add_format(pWb);
  format_set_num_format(t->pDate, "yyyy-mm-dd");
  t->pTime = workbook_add_format(pWb);
  format_set_num_format(t->pTime, "yyyy-mm-dd hh:mm:ss");
  static const char *const azNum[] = {"0", "0.0", "0.00", "0.000"};
  for (int i = 0; i < 4; i++) {
    t->apNum[i] = workbook_add_format(pWb);
    format_set_num_format(t->apNum[i], azNum[i]);
  }
  return t;
}

/* Display width of z in characters: East Asian characters (U+1000 and
 * above, roughly) count two. */
static int text_width(const char *z) {
  int n = 0;
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
    if ((*p & 0xC0) == 0x80) continue;
    n += *p >= 0xE1 ? 2 : 1;
  }
  return n;
}

/* Sets the widths of the current worksheet's columns. */
static void xlsx_widths(tab_out *t) {
  for (int i = 0; i < t->nCol; i++) {
    int w = t->aWidth[i] + 2;
    worksheet_set_column(t->pWs, (lxw_col_t)i, (lxw_col_t)i, w > TAB_WIDTH_MAX ? TAB_WIDTH_MAX : w, NULL);
  }
}

/* Adds a worksheet for the current table (part nPart) with its header. */
static int xlsx_start_sheet(tab_out *t) {
  char zName[48];   /* at most 31 characters are used: 20 + " (" + a few digits + ")" */
  t->nPart++;
  if (t->nPart == 1) snprintf(zName, sizeof zName, "%s", t->zSheet);
  else snprintf(zName, sizeof zName, "%.20s (%d)", t->zSheet, t->nPart);
  t->pWs = workbook_add_worksheet(t->pWb, zName);
  if (!t->pWs) return fail(t, GERR_INTERNAL, "cannot add the worksheet", zName);
  worksheet_freeze_panes(t->pWs, 1, 0);
  for (int i = 0; i < t->nCol; i++) {
    lxw_error rc = worksheet_write_string(t->pWs, 0, (lxw_col_t)i, t->aCol[i].zName, t->pHead);
    if (rc) return fail(t, GERR_INTERNAL, "cannot write the XLSX header", lxw_strerror(rc));
    t->aWidth[i] = text_width(t->aCol[i].zName);
  }
  t->iRow = 1;
  return 0;
}

int tab_sheet(tab_out *t, const char *zName, const tab_col *aCol, int nCol) {
  if (t->bFailed) return -1;
  if (nCol < 1 || nCol > TAB_MAXCOL) g_panic("tab_sheet: %d columns", nCol);
  if (t->iCol) g_panic("tab_sheet: the previous row is not finished");
  if (t->pWs) xlsx_widths(t);   /* the previous table's */
  memcpy(t->aCol, aCol, (size_t)nCol * sizeof *aCol);
  t->nCol = nCol;
  if (t->fmt == TAB_XLSX) {
    snprintf(t->zSheet, sizeof t->zSheet, "%s", zName);
    t->nPart = 0;
    return xlsx_start_sheet(t);
  }
  if (t->nTable++) return refuse(t, GERR_VALIDATION, GR_CSV_ONE_TABLE, "a CSV file holds one table", 0);
  for (int i = 0; i < nCol; i++)
    if (tab_text(t, aCol[i].zName)) return -1;
  return 0;
}

/* Ends a CSV row: to the file, or to the destination buffer. */
static int csv_row_done(tab_out *t) {
  if (t->f) {
    if (fwrite(t->row.z, 1, t->row.n, t->f) != t->row.n) return fail(t, GERR_INTERNAL, "cannot write the CSV", NULL);
  } else if (gbuf_append(t->pDest, t->row.z, t->row.n)) {
    return refuse(t, GERR_TOO_LARGE, GR_CSV_TOO_LARGE, "the CSV is too large", t->pDest->nMax);
  }
  gbuf_reset(&t->row);
  return 0;
}

/* Moves to the next cell after a CSV append (rc: the append's result). */
static int csv_next(tab_out *t, int rc) {
  if (rc) return refuse(t, GERR_TOO_LARGE, GR_CSV_TOO_LARGE, "a CSV row is too large", t->row.nMax);
  if (++t->iCol < t->nCol) return 0;
  t->iCol = 0;
  return csv_row_done(t);
}

/* Before an XLSX cell: a new worksheet when this one is full. */
static int xlsx_cell_ready(tab_out *t) {
  if (t->iCol || t->iRow < LXW_ROW_MAX) return 0;
  xlsx_widths(t);
  return xlsx_start_sheet(t);
}

/* After an XLSX cell of width w (rc: libxlsxwriter's result). */
static int xlsx_next(tab_out *t, lxw_error rc, int w) {
  if (rc) return fail(t, GERR_INTERNAL, "cannot write the XLSX cell", lxw_strerror(rc));
  if (w > t->aWidth[t->iCol]) t->aWidth[t->iCol] = w;
  if (++t->iCol < t->nCol) return 0;
  t->iCol = 0;
  t->iRow++;
  return 0;
}

static int begin_cell(tab_out *t) {
  if (t->bFailed) return -1;
  if (!t->nCol) g_panic("tab cell before tab_sheet");
  return t->fmt == TAB_XLSX ? xlsx_cell_ready(t) : 0;
}

static int is_last(const tab_out *t) { return t->iCol == t->nCol - 1; }

int tab_null(tab_out *t) {
  if (begin_cell(t)) return -1;
  if (t->fmt == TAB_CSV) return csv_next(t, csv_out_text(&t->row, "", is_last(t)));
  return xlsx_next(t, LXW_NO_ERROR, 0);
}

#define XLSX_CELL_CHARS 32767   /* Excel's limit on the characters of a cell */

/* z cut to fit an XLSX cell: when it has more than XLSX_CELL_CHARS
 * characters, its first XLSX_CELL_CHARS - 1 and an ellipsis, in a malloc'd
 * copy the caller frees (*pzFree); else z itself (*pzFree NULL). Counts
 * characters as libxlsxwriter does (UTF-8 lead bytes). */
static const char *xlsx_fit(const char *z, char **pzFree) {
  *pzFree = NULL;
  size_t nChar = 0, iCut = 0;
  for (size_t i = 0; z[i]; i++) {
    if (((unsigned char)z[i] & 0xc0) == 0x80) continue;   /* a continuation byte */
    if (++nChar == XLSX_CELL_CHARS) iCut = i;             /* the start of the last character that fits */
    if (nChar > XLSX_CELL_CHARS) {                        /* too long: the characters before iCut, and "…" */
      char *zOut = g_malloc(iCut + 4);
      memcpy(zOut, z, iCut);
      memcpy(zOut + iCut, "\xe2\x80\xa6", 4);            /* U+2026 and the NUL */
      *pzFree = zOut;
      return zOut;
    }
  }
  return z;
}

int tab_text(tab_out *t, const char *z) {
  if (!z) return tab_null(t);
  if (begin_cell(t)) return -1;
  if (t->fmt == TAB_CSV) return csv_next(t, csv_out_text(&t->row, z, is_last(t)));
  char *zFree;
  const char *zCell = xlsx_fit(z, &zFree);
  int rc = xlsx_next(t, worksheet_write_string(t->pWs, t->iRow, (lxw_col_t)t->iCol, zCell, NULL), text_width(zCell));
  free(zFree);
  return rc;
}

int tab_int(tab_out *t, int64_t v) {
  if (begin_cell(t)) return -1;
  if (t->fmt == TAB_CSV) return csv_next(t, csv_out_int(&t->row, v, is_last(t)));
  char z[24];
  int w = snprintf(z, sizeof z, "%lld", (long long)v);
  return xlsx_next(t, worksheet_write_number(t->pWs, t->iRow, (lxw_col_t)t->iCol, (double)v, NULL), w);
}

int tab_num(tab_out *t, double v) {
  if (isnan(v)) return tab_null(t);
  if (begin_cell(t)) return -1;
  int nDec = t->aCol[t->iCol].nDecimal;
  if (t->fmt == TAB_CSV) return csv_next(t, csv_out_num(&t->row, v, nDec, is_last(t)));
  char z[48];
  int w = snprintf(z, sizeof z, "%.*f", nDec, v);
  lxw_format *pFmt = t->apNum[nDec < 0 ? 0 : nDec > 3 ? 3 : nDec];
  return xlsx_next(t, worksheet_write_number(t->pWs, t->iRow, (lxw_col_t)t->iCol, v, pFmt), w);
}

int tab_bool(tab_out *t, int b) {
  if (begin_cell(t)) return -1;
  if (t->fmt == TAB_CSV) return csv_next(t, csv_out_text(&t->row, b ? "true" : "false", is_last(t)));
  return xlsx_next(t, worksheet_write_boolean(t->pWs, t->iRow, (lxw_col_t)t->iCol, b != 0, NULL), 5);
}

/* The number in z[0..n-1] (digits only). */
static int digits(const char *z, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (z[i] - '0');
  return v;
}

int tab_date(tab_out *t, const char *zYmd) {
  if (!zYmd) return tab_null(t);
  if (begin_cell(t)) return -1;
  if (t->fmt == TAB_CSV) return csv_next(t, csv_out_text(&t->row, zYmd, is_last(t)));
  if (!text_is_date(zYmd, NULL))   /* not a date after all: kept as text */
    return xlsx_next(t, worksheet_write_string(t->pWs, t->iRow, (lxw_col_t)t->iCol, zYmd, NULL), text_width(zYmd));
  lxw_datetime dt = {digits(zYmd, 4), (uint8_t)digits(zYmd + 5, 2), (uint8_t)digits(zYmd + 8, 2), 0, 0, 0};
  return xlsx_next(t, worksheet_write_datetime(t->pWs, t->iRow, (lxw_col_t)t->iCol, &dt, t->pDate), 10);
}

int tab_time(tab_out *t, int64_t tSec) {
  if (begin_cell(t)) return -1;
  if (t->fmt == TAB_CSV) {
    char z[32];
    time_iso(tSec, z, sizeof z);
    return csv_next(t, csv_out_text(&t->row, z, is_last(t)));
  }
  return xlsx_next(t, worksheet_write_unixtime(t->pWs, t->iRow, (lxw_col_t)t->iCol, tSec, t->pTime), 19);
}

int tab_error(const tab_out *t, gerr *e) {
  if (e) *e = t->err;
  return -1;
}

int tab_close(tab_out *t, gerr *e) {
  if (!t->bFailed && t->iCol) g_panic("tab_close: the last row is not finished");
  if (t->fmt == TAB_XLSX) {
    if (t->pWs) xlsx_widths(t);
    if (!t->pWs && !t->bFailed) fail(t, GERR_INTERNAL, "an XLSX workbook needs a table", NULL);
    lxw_error rc = workbook_close(t->pWb);   /* frees the workbook in every case */
    if (rc) fail(t, GERR_INTERNAL, "cannot write the XLSX file", lxw_strerror(rc));
  } else {
    gbuf_free(&t->row);
    if (t->f && fflush(t->f)) fail(t, GERR_INTERNAL, "cannot write the CSV", NULL);
  }
  int rc = t->bFailed ? -1 : 0;
  if (rc && e) *e = t->err;
  free(t);
  return rc;
}
