/* export.c: answers that are files: the export routes (a whole filtered
 * list as CSV or XLSX) and the helper that every file answer (results, my
 * data) goes through. A file is written to a temporary file first and
 * sent from there, so a million rows take disk, not memory. */
#include "api/api.h"
#include "core/tmp.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int api_send_table(http_req *r, tab_format fmt, const char *zBase, export_fn xWrite, void *pArg, gerr *e) {
  char zPath[512];
  const char *zExt = tab_format_name(fmt);
  int fd = tmp_create("export", fmt == TAB_XLSX ? ".xlsx" : ".csv", zPath, sizeof zPath, e);
  if (fd < 0) return -1;
  close(fd);
  int rc = export_file(fmt, zPath, xWrite, pArg, e);
  fd = rc ? -1 : open(zPath, O_RDONLY | O_CLOEXEC);
  if (!rc && fd < 0) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot read the export back: %s", strerror(errno));
  unlink(zPath);   /* fd keeps it until the router has sent it */
  if (rc) return -1;
  http_send_file(r, fd, tab_content_type(fmt), arena_printf(r->pAr, "%s.%s", zBase, zExt));
  return 0;
}

typedef struct list_arg {
  dom_ctx c;
  const dom_entity *pEnt;
  dom_query q;
} list_arg;

static int write_list(void *pArg, tab_out *t, gerr *e) {
  list_arg *a = pArg;
  return export_entity(&a->c, a->pEnt, &a->q, t, e);
}

json_t *api_entity_export(http_req *r, gerr *e) {
  static const char *const azOther[] = {"format", NULL};
  list_arg a = {api_ctx(r), r->pRoute->pArg, {0}};
  const char *zFormat = http_query(r, "format");
  tab_format fmt = TAB_CSV;
  if (zFormat && tab_format_parse(zFormat, &fmt)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "format", GP_S("allowed", "csv, xlsx"), GP_S("got", zFormat));
    return gerr_msg(e, "format: csv (the default) or xlsx"), NULL;
  }
  if (api_list_query(r, a.pEnt, 0, azOther, &a.q, e)) return NULL;
  api_send_table(r, fmt, a.pEnt->zPlural, write_list, &a, e);
  return NULL;
}

/* The columns of a JSON object as a table (api_send_json_table). */
static const tab_col aJsonCol[] = {
    {"section", TC_TEXT, 0}, {"record", TC_INT, 0}, {"field", TC_TEXT, 0}, {"value", TC_TEXT, 0}};

typedef struct json_rows {
  tab_out *t;
  const char *zSection;
  json_t *pId;
  char zField[256];
} json_rows;

/* A plain JSON value as text into z (n bytes); NULL for null. */
static const char *scalar_text(json_t *v, char *z, size_t n) {
  if (json_is_string(v)) return json_string_value(v);
  if (json_is_integer(v)) snprintf(z, n, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v)) snprintf(z, n, "%.17g", json_real_value(v));
  else if (json_is_boolean(v)) snprintf(z, n, "%s", json_is_true(v) ? "true" : "false");
  else return NULL;
  return z;
}

static int json_row(json_rows *p, const char *zValue) {
  return tab_text(p->t, p->zSection) | (json_is_integer(p->pId) ? tab_int(p->t, json_integer_value(p->pId))
                                                                 : tab_null(p->t)) |
         tab_text(p->t, p->zField) | tab_text(p->t, zValue);
}

/* Writes value v under the field name in p->zField (its first n bytes). */
static int json_rows_of(json_rows *p, size_t n, json_t *v) {
  char z[64];
  int rc = 0;
  if (json_is_object(v)) {
    const char *zKey;
    json_t *x;
    json_object_foreach(v, zKey, x) {
      snprintf(p->zField + n, sizeof p->zField - n, "%s%s", n ? "." : "", zKey);
      rc |= json_rows_of(p, strlen(p->zField), x);
    }
    return rc;
  }
  p->zField[n] = 0;
  if (!json_is_array(v)) return json_row(p, scalar_text(v, z, sizeof z));
  size_t i;
  json_t *x;
  int bPlain = 1;
  json_array_foreach(v, i, x) bPlain &= !json_is_object(x) && !json_is_array(x);
  if (!bPlain) {
    json_array_foreach(v, i, x) {
      snprintf(p->zField + n, sizeof p->zField - n, "[%zu]", i);
      rc |= json_rows_of(p, strlen(p->zField), x);
    }
    return rc;
  }
  gbuf b;
  gbuf_init(&b, (size_t)1 << 20);
  json_array_foreach(v, i, x) {
    const char *zx = scalar_text(x, z, sizeof z);
    gbuf_printf(&b, "%s%s", i ? "; " : "", zx ? zx : "");
  }
  rc = json_row(p, b.z ? b.z : "");
  gbuf_free(&b);
  return rc;
}

static int write_json(void *pArg, tab_out *t, gerr *e) {
  json_t *o = pArg;
  json_rows p = {t, NULL, NULL, ""};
  int rc = tab_sheet(t, "export", aJsonCol, (int)(sizeof aJsonCol / sizeof aJsonCol[0]));
  const char *zKey;
  json_t *v;
  json_object_foreach(o, zKey, v) {
    p.zSection = zKey;
    p.pId = NULL;
    if (json_is_object(v)) {
      p.pId = json_object_get(v, "id");
      rc |= json_rows_of(&p, 0, v);
    } else if (json_is_array(v)) {
      size_t i;
      json_t *x;
      json_array_foreach(v, i, x) {
        p.pId = json_object_get(x, "id");
        rc |= json_rows_of(&p, 0, x);
      }
    } else {
      p.zSection = "export";
      snprintf(p.zField, sizeof p.zField, "%s", zKey);
      rc |= json_rows_of(&p, strlen(p.zField), v);
    }
  }
  return rc ? tab_error(t, e) : 0;
}

int api_send_json_table(http_req *r, tab_format fmt, const char *zBase, json_t *o, gerr *e) {
  return api_send_table(r, fmt, zBase, write_json, o, e);
}
