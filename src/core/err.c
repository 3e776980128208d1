/* err.c: the tables behind errors.def and reasons.def, and the helpers
 * that fill a gerr (its message from a reason's template). */
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

static const struct {
  const char *zName, *zTmpl;
} aReason[GR__MAX] = {
#define XX(name, key, tmpl) {key, tmpl},
#include "core/reasons.def"
#undef XX
};

/* The reason a code means by itself: the classes that are one rule, and
 * the general reason of the others (invalid, refused, ...). */
static const struct {
  gerr_code code;
  greason reason;
} aCodeReason[] = {
    {GERR_BAD_JSON, GR_BAD_JSON},     {GERR_UNAUTHORIZED, GR_SIGN_IN},      {GERR_PASSWORD_CHANGE, GR_PASSWORD_CHANGE},      {GERR_METHOD, GR_METHOD},
    {GERR_TIMEOUT, GR_TIMEOUT},       {GERR_STALE, GR_STALE},               {GERR_TOO_LARGE, GR_TOO_LARGE},
    {GERR_HEADERS, GR_HEADERS},       {GERR_MEDIA_TYPE, GR_MEDIA_TYPE},     {GERR_ROWS, GR_ROWS_REFUSED},
    {GERR_NEED_IF_MATCH, GR_NEED_IF_MATCH}, {GERR_TOO_MANY, GR_TOO_MANY},   {GERR_DB, GR_DB},
    {GERR_INTERNAL, GR_INTERNAL},     {GERR_UNAVAILABLE, GR_UNAVAILABLE},   {GERR_VALIDATION, GR_INVALID},
    {GERR_CONFLICT, GR_REFUSED},      {GERR_FORBIDDEN, GR_FORBIDDEN},       {GERR_NOT_FOUND, GR_NO_SUCH},
    {GERR_BAD_REQUEST, GR_BAD_REQUEST}, {GERR_USAGE, GR_USAGE},
};

greason gerr_reason_of_code(gerr_code code) {
  for (size_t i = 0; i < sizeof aCodeReason / sizeof aCodeReason[0]; i++)
    if (aCodeReason[i].code == code) return aCodeReason[i].reason;
  return GR_NONE;
}

const char *gerr_reason_name(greason r) { return r < GR__MAX ? aReason[r].zName : ""; }
const char *gerr_reason_template(greason r) { return r < GR__MAX ? aReason[r].zTmpl : ""; }

const gerr_param *gerr_param_get(const gerr *e, const char *zKey) {
  for (int i = 0; i < e->nParam; i++)
    if (strcmp(e->aParam[i].zKey, zKey) == 0) return &e->aParam[i];
  return NULL;
}

/* Writes the reason's template into e->msg, {field} and {param} filled
 * ("{name}" left as it is when e has no such parameter). */
static void render(gerr *e) {
  const char *z = aReason[e->reason].zTmpl;
  size_t n = 0, nMax = sizeof e->msg - 1;
  while (*z && n < nMax) {
    const char *zEnd = z[0] == '{' ? strchr(z, '}') : NULL;
    if (zEnd) {
      char zKey[32];
      snprintf(zKey, sizeof zKey, "%.*s", (int)(zEnd - z - 1), z + 1);
      const gerr_param *p = gerr_param_get(e, zKey);
      const char *zVal = strcmp(zKey, "field") == 0 ? e->field : p ? p->z : NULL;
      if (zVal) {
        size_t k = strlen(zVal);
        if (k > nMax - n) k = nMax - n;
        memcpy(e->msg + n, zVal, k);
        n += k;
        z = zEnd + 1;
        continue;
      }
    }
    e->msg[n++] = *z++;
  }
  e->msg[n] = 0;
}

/* Sets parameter zKey of e (replacing one of that name), typed cType. */
static gerr_param *param_slot(gerr *e, const char *zKey) {
  for (int i = 0; i < e->nParam; i++)
    if (strcmp(e->aParam[i].zKey, zKey) == 0) return &e->aParam[i];
  if (e->nParam == GERR_MAXPARAM) return NULL;
  gerr_param *p = &e->aParam[e->nParam++];
  p->zKey = zKey;
  return p;
}

int gerr_setr_(gerr *e, gerr_code code, greason reason, const char *field, ...) {
  va_list ap;
  va_start(ap, field);
  if (!e) {
    va_end(ap);
    return -1;
  }
  e->code = code;
  e->reason = reason < GR__MAX ? reason : GR_NONE;
  e->nParam = 0;
  snprintf(e->field, sizeof e->field, "%s", field ? field : "");
  int cType;
  while ((cType = va_arg(ap, int)) != 0) {
    const char *zKey = va_arg(ap, const char *);
    gerr_param tmp, *p = param_slot(e, zKey);
    if (!p) p = &tmp;   /* more than fit: read and dropped */
    p->cType = (char)cType;
    if (cType == 's') {
      const char *zVal = va_arg(ap, const char *);
      p->i = 0;
      snprintf(p->z, sizeof p->z, "%s", zVal ? zVal : "");
    } else {
      p->i = va_arg(ap, long long);
      if (cType == 'c')
        snprintf(p->z, sizeof p->z, "%s%lld.%02lld", p->i < 0 ? "-" : "", llabs(p->i) / 100, llabs(p->i) % 100);
      else snprintf(p->z, sizeof p->z, "%lld", p->i);
    }
  }
  va_end(ap);
  render(e);
  e->aRow = NULL;
  e->nRow = 0;
  return -1;
}

int gerr_msg(gerr *e, const char *fmt, ...) {
  if (!e) return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  return -1;
}

void gerr_param_s(gerr *e, const char *zKey, const char *zVal) {
  if (!e) return;
  gerr_param *p = param_slot(e, zKey);
  if (!p) return;
  p->cType = 's';
  p->i = 0;
  snprintf(p->z, sizeof p->z, "%s", zVal ? zVal : "");
}

int gerr_set(gerr *e, gerr_code code, const char *field, const char *fmt, ...) {
  if (!e) return -1;
  e->code = code;
  e->reason = gerr_reason_of_code(code);
  e->nParam = 0;
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
  e->reason = GR_NONE;
  e->nParam = 0;
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
  r->reason = eRow->reason;
  r->nParam = eRow->nParam;
  r->aParam = NULL;
  if (eRow->nParam) {
    gerr_param *a = arena_alloc(p->pAr, (size_t)eRow->nParam * sizeof *a);
    memcpy(a, eRow->aParam, (size_t)eRow->nParam * sizeof *a);
    r->aParam = a;
  }
  r->zField = arena_strdup(p->pAr, zField ? zField : eRow->field);
  r->zMsg = arena_strdup(p->pAr, eRow->msg[0] ? eRow->msg : gerr_default(eRow->code));
}

/* By position (index, then CSV row). */
static int row_order(const void *pA, const void *pB) {
  const gerr_row *a = pA, *b = pB;
  if (a->iIndex != b->iIndex) return a->iIndex < b->iIndex ? -1 : 1;
  return a->iRow < b->iRow ? -1 : a->iRow > b->iRow;
}

/* By position, then field and reason: one order whatever qsort does with
 * the reasons of one row. */
static int row_order_full(const void *pA, const void *pB) {
  const gerr_row *a = pA, *b = pB;
  int c = row_order(a, b);
  if (!c) c = strcmp(a->zField, b->zField);
  return c ? c : strcmp(a->zMsg, b->zMsg);
}

int gerr_rows_fail(gerr *e, const gerr_rows *p, int nTotal, const char *zList) {
  if (p->n == 0) return 0;
  qsort(p->a, (size_t)p->n, sizeof *p->a, row_order_full);
  int nRefused = 0;   /* rows, not reasons: a row may be refused for several */
  for (int i = 0; i < p->n; i++) nRefused += !i || row_order(&p->a[i - 1], &p->a[i]) != 0;
  gerr_setr(e, GERR_ROWS, GR_ROWS_REFUSED, zList, GP_I("refused", nRefused), GP_I("total", nTotal));
  snprintf(e->msg, sizeof e->msg, "%d of %d row%s refused; nothing was written: ", nRefused, nTotal, nTotal == 1 ? "" : "s");
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
