/* export.c: lists of records as tables (see export.h). */
#include "domain/imports/export.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define EXPORT_LIST_MAX ((size_t)64 << 10)   /* one joined list cell */

static tab_type column_type(const dom_field *f) {
  switch (f->type) {
    case DT_INT: case DT_REF: return TC_INT;
    case DT_CENTI: return TC_NUM;
    case DT_BOOL: return TC_BOOL;
    case DT_DATE: return TC_DATE;
    case DT_TIME: return TC_TIME;
    default: return TC_TEXT;
  }
}

/* 1 when field f is a column of the export (as it is a member of JSON). */
static int exported(const dom_field *f) { return !(f->flags & (F_HIDDEN | F_VIRT)); }

int export_columns(const dom_entity *pEnt, tab_col *a) {
  int n = 0;
  a[n++] = (tab_col){"id", TC_INT, 0};
  a[n++] = (tab_col){"version", TC_INT, 0};
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    if (exported(f)) a[n++] = (tab_col){f->zName, column_type(f), f->type == DT_CENTI ? 2 : 0};
  }
  a[n++] = (tab_col){"created_at", TC_TIME, 0};
  a[n++] = (tab_col){"updated_at", TC_TIME, 0};
  return n;
}

/* A list field's entries joined by "; ". */
static int list_cell(tab_out *t, const dom_field *f, const dom_val *v) {
  gbuf b;
  gbuf_init(&b, EXPORT_LIST_MAX);
  for (int i = 0; i < v->n; i++) {
    if (i) gbuf_puts(&b, "; ");
    if (f->type == DT_STRLIST) gbuf_puts(&b, v->az[i]);
    else gbuf_printf(&b, "%lld", (long long)v->ai[i]);
  }
  int rc = tab_text(t, b.z ? b.z : "");
  gbuf_free(&b);
  return rc;
}

static int value_cell(tab_out *t, const dom_field *f, const dom_val *v) {
  if (f->type == DT_STRLIST || f->type == DT_REFLIST) return list_cell(t, f, v);
  if (!v->bSet || v->bNull) return tab_null(t);
  switch (column_type(f)) {
    case TC_INT: return tab_int(t, v->i);
    case TC_NUM: return tab_num(t, (double)v->i / 100.0);
    case TC_BOOL: return tab_bool(t, v->i != 0);
    case TC_DATE: return tab_date(t, v->z);
    case TC_TIME: return tab_time(t, v->i);
    default: return tab_text(t, v->z);
  }
}

/* dom_each callback: one record as one row. */
static int write_row(void *pArg, const dom_rec *r, gerr *e) {
  tab_out *t = pArg;
  const dom_entity *pEnt = r->pEnt;
  int rc = tab_int(t, r->id) | tab_int(t, r->version);
  for (int k = 0; k < pEnt->nField && !rc; k++)
    if (exported(&pEnt->aField[k])) rc |= value_cell(t, &pEnt->aField[k], &r->a[k]);
  rc |= tab_time(t, r->created_at) | tab_time(t, r->updated_at);
  return rc ? tab_error(t, e) : 0;
}

int export_entity(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, tab_out *t, gerr *e) {
  tab_col a[DOM_MAXF + 4];
  int n = export_columns(pEnt, a);
  if (tab_sheet(t, pEnt->zPlural, a, n)) return tab_error(t, e);
  return dom_each(c, pEnt, q, write_row, t, e);
}

int export_file(tab_format fmt, const char *zPath, export_fn xWrite, void *pArg, gerr *e) {
  FILE *f = NULL;
  tab_out *t;
  if (fmt == TAB_XLSX) {
    t = tab_xlsx(zPath, e);
  } else {
    f = fopen(zPath, "wb");
    if (!f)
      return gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_WRITE, NULL, GP_S("path", zPath)),
             gerr_msg(e, "cannot write %.200s: %s", zPath, strerror(errno));
    t = tab_csv_file(f);
  }
  int rc = t ? xWrite(pArg, t, e) : -1;
  if (t && tab_close(t, rc ? NULL : e)) rc = -1;
  if (f && fclose(f) && rc == 0) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s", zPath);
  return rc;
}
