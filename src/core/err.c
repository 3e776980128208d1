/* err.c: the tables behind errors.def and the helpers that fill a gerr. */
#include "core/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  int status;
  const char *zCode;
  const char *zMsg;
} aErr[GERR__MAX] = {
#define XX(name, status, code, msg) {status, code, msg},
#include "core/errors.def"
#undef XX
};

int gerr_set(gerr *e, gerr_code code, const char *field, const char *fmt, ...) {
  if (!e) return -1;
  e->code = code;
  snprintf(e->field, sizeof e->field, "%s", field ? field : "");
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  } else {
    snprintf(e->msg, sizeof e->msg, "%s", aErr[code].zMsg);
  }
  e->aRow = NULL;
  e->nRow = 0;
  return -1;
}

void gerr_clear(gerr *e) {
  if (!e) return;
  e->code = GERR_OK;
  e->field[0] = 0;
  e->msg[0] = 0;
  e->aRow = NULL;
  e->nRow = 0;
}

void gerr_rows_init(gerr_rows *p, arena *pAr) {
  memset(p, 0, sizeof *p);
  p->pAr = pAr;
}

void gerr_rows_add(gerr_rows *p, int iIndex, int iRow, const char *zField, const gerr *eRow) {
  if (p->n == p->nAlloc) {
    int nNew = p->nAlloc ? p->nAlloc * 2 : 16;
    gerr_row *aNew = arena_alloc(p->pAr, (size_t)nNew * sizeof *aNew);
    if (p->n) memcpy(aNew, p->a, (size_t)p->n * sizeof *aNew);
    p->a = aNew;
    p->nAlloc = nNew;
  }
  gerr_row *r = &p->a[p->n++];
  r->iIndex = iIndex;
  r->iRow = iRow;
  r->code = eRow->code;
  r->zField = arena_strdup(p->pAr, zField ? zField : eRow->field);
  r->zMsg = arena_strdup(p->pAr, eRow->msg[0] ? eRow->msg : gerr_default(eRow->code));
}

static int row_order(const void *pA, const void *pB) {
  const gerr_row *a = pA, *b = pB;
  if (a->iIndex != b->iIndex) return a->iIndex < b->iIndex ? -1 : 1;
  return a->iRow < b->iRow ? -1 : a->iRow > b->iRow;
}

int gerr_rows_fail(gerr *e, const gerr_rows *p, int nTotal, const char *zList) {
  if (p->n == 0) return 0;
  qsort(p->a, (size_t)p->n, sizeof *p->a, row_order);
  gerr_set(e, GERR_ROWS, zList, "%d of %d row%s refused; nothing was written: ", p->n, nTotal, nTotal == 1 ? "" : "s");
  size_t n = strlen(e->msg);
  for (int i = 0; i < p->n && n < sizeof e->msg - 1; i++) {
    const gerr_row *r = &p->a[i];
    char zAt[96];
    if (r->iRow > 0 && r->zField[0]) snprintf(zAt, sizeof zAt, "row %d, column %.60s", r->iRow, r->zField);
    else if (r->iRow > 0) snprintf(zAt, sizeof zAt, "row %d", r->iRow);
    else snprintf(zAt, sizeof zAt, "%.60s[%d]", zList ? zList : "rows", r->iIndex);
    int k = snprintf(e->msg + n, sizeof e->msg - n, "%s%s: %s", i ? "; " : "", zAt, r->zMsg);
    if (k < 0 || (size_t)k >= sizeof e->msg - n) {   /* cut: say there is more */
      snprintf(e->msg + sizeof e->msg - 5, 5, " ...");
      break;
    }
    n += (size_t)k;
  }
  e->aRow = p->a;
  e->nRow = p->n;
  return -1;
}

int gerr_status(gerr_code code) { return code < GERR__MAX ? aErr[code].status : 500; }
const char *gerr_name(gerr_code code) { return code < GERR__MAX ? aErr[code].zCode : "internal"; }
const char *gerr_default(gerr_code code) { return code < GERR__MAX ? aErr[code].zMsg : "internal error"; }

_Noreturn void g_panic_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "guild: internal error at %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}
