/* json.c: converts domain records to JSON and JSON request bodies to domain
 * records, driven by the entity's field table. Types are checked here (a
 * string where a string belongs); values are checked by the domain. */
#include "api/api.h"
#include "core/timeutil.h"
#include "domain/accounts/auth.h"
#include <math.h>
#include <string.h>

static json_t *time_json(int64_t t) {
  char z[32];
  time_iso(t, z, sizeof z);
  return json_string(z);
}

static json_t *val_json(const dom_field *f, const dom_val *v) {
  if (!v->bSet || v->bNull) return json_null();
  switch (f->type) {
    case DT_INT: case DT_REF:
      return json_integer(v->i);
    case DT_CENTI:
      return json_real((double)v->i / 100.0);
    case DT_BOOL:
      return json_boolean(v->i);
    case DT_TIME:
      return time_json(v->i);
    case DT_STRLIST: {
      json_t *a = json_array();
      for (int k = 0; k < v->n; k++) json_array_append_new(a, json_string(v->az[k]));
      return a;
    }
    case DT_REFLIST: {
      json_t *a = json_array();
      for (int k = 0; k < v->n; k++) json_array_append_new(a, json_integer(v->ai[k]));
      return a;
    }
    default:
      return json_string(v->z);
  }
}

json_t *api_rec_json(const dom_rec *r) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer(r->id));
  json_object_set_new(o, "version", json_integer(r->version));
  for (int k = 0; k < r->pEnt->nField; k++) {
    const dom_field *f = &r->pEnt->aField[k];
    if (f->flags & (F_HIDDEN | F_VIRT)) continue;
    json_object_set_new(o, f->zName, val_json(f, &r->a[k]));
  }
  json_object_set_new(o, "created_at", time_json(r->created_at));
  json_object_set_new(o, "updated_at", time_json(r->updated_at));
  return o;
}

/* A JSON string as C text; refuses embedded NUL characters. */
static const char *json_text(arena *a, const dom_field *f, json_t *j, gerr *e) {
  if (!json_is_string(j)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, f->zName);
    return NULL;
  }
  const char *z = json_string_value(j);
  if (strlen(z) != json_string_length(j)) {
    gerr_setr(e, GERR_VALIDATION, GR_NUL_CHAR, f->zName);
    return NULL;
  }
  return arena_strdup(a, z);
}

static int json_val(arena *a, const dom_field *f, json_t *j, dom_val *v, gerr *e) {
  v->bSet = 1;
  if (json_is_null(j)) {
    v->bNull = 1;
    return 0;
  }
  switch (f->type) {
    case DT_INT: case DT_REF:
      if (!json_is_integer(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_INTEGER, f->zName);
      v->i = json_integer_value(j);
      return 0;
    case DT_CENTI: {
      if (!json_is_number(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_NUMBER, f->zName);
      double x = json_number_value(j) * 100.0;
      double r = floor(x + 0.5);
      if (fabs(x - r) > 1e-6 || fabs(r) > 1e12)
        return gerr_setr(e, GERR_VALIDATION, GR_DECIMALS, f->zName);
      v->i = (int64_t)r;
      return 0;
    }
    case DT_BOOL:
      if (!json_is_boolean(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_BOOLEAN, f->zName);
      v->i = json_is_true(j);
      return 0;
    case DT_STRLIST: case DT_REFLIST: {
      if (!json_is_array(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_LIST, f->zName);
      size_t n = json_array_size(j);
      if (n > DOM_MAXLIST)
        return gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, f->zName, GP_I("max", DOM_MAXLIST));
      v->n = (int)n;
      if (f->type == DT_STRLIST) v->az = arena_alloc(a, (n ? n : 1) * sizeof *v->az);
      else v->ai = arena_alloc(a, (n ? n : 1) * sizeof *v->ai);
      for (size_t k = 0; k < n; k++) {
        json_t *x = json_array_get(j, k);
        if (f->type == DT_STRLIST) {
          if (!(v->az[k] = json_text(a, f, x, e))) return gerr_setr(e, GERR_VALIDATION, GR_ENTRY_NOT_STRING, f->zName);
        } else {
          if (!json_is_integer(x))
            return gerr_setr(e, GERR_VALIDATION, GR_ENTRY_NOT_ID, f->zName);
          v->ai[k] = json_integer_value(x);
        }
      }
      return 0;
    }
    default:
      v->z = json_text(a, f, j, e);
      return v->z ? 0 : -1;
  }
}

int api_rec_from_json(arena *a, const dom_entity *pEnt, json_t *pObj, dom_rec *r, gerr *e) {
  dom_rec_init(r, pEnt);
  const char *zKey;
  json_t *j;
  json_object_foreach(pObj, zKey, j) {
    int k = dom_field_index(pEnt, zKey);
    if (k < 0 || (pEnt->aField[k].flags & F_HIDDEN))
      return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_FIELD, zKey, GP_S("entity", pEnt->zName));
    if (pEnt->aField[k].flags & F_RO)
      return gerr_setr(e, GERR_VALIDATION, GR_READ_ONLY, zKey);
    if (json_val(a, &pEnt->aField[k], j, &r->a[k], e)) return -1;
  }
  return 0;
}

int api_only_keys(http_req *r, const char *const *azAllowed, gerr *e) {
  const char *zKey;
  json_t *j;
  if (!r->pBody) return 0;
  json_object_foreach(r->pBody, zKey, j) {
    const char *const *pz = azAllowed;
    while (*pz && strcmp(*pz, zKey) != 0) pz++;
    if (!*pz) return gerr_setr(e, GERR_VALIDATION, GR_NOT_ACCEPTED, zKey);
  }
  return 0;
}

dom_ctx api_ctx(http_req *r) {
  return r->ctx;
}

void api_set_etag(http_req *r, int64_t version) {
  snprintf(r->zEtag, sizeof r->zEtag, "\"%lld\"", (long long)version);
}

int api_only_params(http_req *r, const char *const *azAllowed, gerr *e) {
  for (int i = 0; i < r->nQuery; i++) {
    const char *const *pz = azAllowed;
    while (*pz && strcmp(*pz, r->aQuery[i].zName)) pz++;
    if (!*pz) return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_PARAM, r->aQuery[i].zName);
  }
  return 0;
}
