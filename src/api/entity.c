/* entity.c: the generic list / get / create / update / delete handlers that
 * serve every registry entity; the route's pArg names the entity. */
#include "api.h"
#include "../core/text.h"
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 50
#define LIST_MAX 500

/* Reads an integer query parameter in lo..hi (default when absent). */
static int query_int(http_req *r, const char *zName, int64_t lo, int64_t hi, int64_t dflt, int64_t *pOut, gerr *e) {
  const char *z = http_query(r, zName);
  *pOut = dflt;
  if (!z) return 0;
  if (text_int64(z, pOut) || *pOut < lo || *pOut > hi)
    return gerr_set(e, GERR_VALIDATION, zName, "%s: must be a whole number from %lld to %lld", zName, (long long)lo,
                    (long long)hi);
  return 0;
}

/* Builds the domain query from the request's parameters; every parameter
 * must be a filter of the entity or one of limit, offset, after. */
static int read_list_query(http_req *r, const dom_entity *pEnt, dom_query *q, gerr *e) {
  memset(q, 0, sizeof *q);
  int64_t v;
  if (query_int(r, "limit", 1, LIST_MAX, LIST_DEFAULT, &v, e)) return -1;
  q->limit = (int)v;
  if (query_int(r, "offset", 0, INT64_MAX / 2, 0, &q->offset, e)) return -1;
  if (query_int(r, "after", 0, INT64_MAX, 0, &q->after, e)) return -1;
  if (q->offset && q->after)
    return gerr_set(e, GERR_VALIDATION, "offset", "offset: use either offset or after, not both");
  for (int i = 0; i < r->nQuery; i++) {
    const char *zName = r->aQuery[i].zName, *zVal = r->aQuery[i].zValue;
    if (!strcmp(zName, "limit") || !strcmp(zName, "offset") || !strcmp(zName, "after")) continue;
    int k = 0;
    while (k < pEnt->nFilter && strcmp(pEnt->aFilter[k].zName, zName) != 0) k++;
    if (k == pEnt->nFilter)
      return gerr_set(e, GERR_VALIDATION, zName, "%.60s: %s cannot be filtered by this (see the API reference)",
                      zName, pEnt->zPlural);
    const dom_filter *f = &pEnt->aFilter[k];
    q->mask |= 1u << k;
    switch (f->kind) {
      case FILT_INT:
        if (text_int64(zVal, &q->aInt[k]) || q->aInt[k] < 1)
          return gerr_set(e, GERR_VALIDATION, zName, "%s: must be an id (a whole number from 1)", zName);
        break;
      case FILT_DATE:
        if (!text_is_date(zVal, NULL))
          return gerr_set(e, GERR_VALIDATION, zName, "%s: must be a date written YYYY-MM-DD", zName);
        q->azText[k] = zVal;
        break;
      case FILT_TEXT:
        if (!*zVal || !text_is_clean_utf8(zVal, 0))
          return gerr_set(e, GERR_VALIDATION, zName, "%s: must be non-empty text", zName);
        if (f->azEnum) {
          const char *const *pz = f->azEnum;
          while (*pz && strcmp(*pz, zVal) != 0) pz++;
          if (!*pz) return gerr_set(e, GERR_VALIDATION, zName, "%s: '%.40s' is not one of the allowed values", zName, zVal);
        }
        q->azText[k] = zVal;
        break;
      case FILT_PREFIX: {
        char *zKey = text_search_key(zVal);
        if (!zKey || !text_is_clean_utf8(zVal, 0)) {
          free(zKey);
          return gerr_set(e, GERR_VALIDATION, zName, "%s: must be valid UTF-8 text", zName);
        }
        char *p = zKey, *o = zKey;  /* spaces are not part of name keys */
        for (; *p; p++)
          if (*p != ' ') *o++ = *p;
        *o = 0;
        size_t n = strlen(zKey);
        char *zBoth = arena_alloc(r->pAr, 2 * n + 4);
        memcpy(zBoth, zKey, n + 1);
        free(zKey);
        if (n == 0 || text_prefix_upper(zBoth, zBoth + n + 1, n + 2))
          return gerr_set(e, GERR_VALIDATION, zName, "%s: must contain at least one letter", zName);
        q->azText[k] = zBoth;
        break;
      }
    }
  }
  return 0;
}

int api_forced_id(http_req *r, const char *zFilter, int bGiven, int64_t *pValue, gerr *e) {
  if (!r->forced.zFilter || strcmp(r->forced.zFilter, zFilter) != 0) return 0;
  if (bGiven) {
    for (int i = 0; i < r->forced.nValue; i++)
      if (*pValue == r->forced.aValue[i]) return 0;
    return gerr_set(e, GERR_FORBIDDEN, zFilter, "%s: you may only list your own (%s=%lld)", zFilter, zFilter,
                    (long long)r->forced.aValue[0]);
  }
  *pValue = r->forced.aValue[0];
  return 1;
}

/* Confines q to the caller's scope as decided by the router (r->forced):
 * a filter asking for something outside it is refused. */
static int apply_forced(http_req *r, const dom_entity *pEnt, dom_query *q, gerr *e) {
  if (!r->forced.zFilter) return 0;
  int k = 0;
  while (k < pEnt->nFilter && strcmp(pEnt->aFilter[k].zName, r->forced.zFilter) != 0) k++;
  if (k == pEnt->nFilter) g_panic("entity %s has no filter %s", pEnt->zName, r->forced.zFilter);
  int rc = api_forced_id(r, r->forced.zFilter, (q->mask & (1u << k)) != 0, &q->aInt[k], e);
  if (rc < 0) return -1;
  q->mask |= 1u << k;
  return 0;
}

json_t *api_entity_list(http_req *r, gerr *e) {
  const dom_entity *pEnt = r->pRoute->pArg;
  dom_query q;
  if (read_list_query(r, pEnt, &q, e) || apply_forced(r, pEnt, &q, e)) return NULL;
  dom_ctx c = api_ctx(r);
  dom_page page;
  if (dom_list(&c, pEnt, &q, &page, e)) return NULL;
  json_t *a = json_array();
  for (int i = 0; i < page.n; i++) json_array_append_new(a, api_rec_json(&page.aRec[i]));
  return json_pack("{s:o, s:I, s:i, s:I, s:o}", "items", a, "total", (json_int_t)page.total, "limit", q.limit,
                   "offset", (json_int_t)q.offset, "next_after",
                   page.nextAfter ? json_integer(page.nextAfter) : json_null());
}

json_t *api_entity_get(http_req *r, gerr *e) {
  const dom_entity *pEnt = r->pRoute->pArg;
  dom_ctx c = api_ctx(r);
  dom_rec rec;
  if (dom_get(&c, pEnt, r->aId[0], &rec, e)) return NULL;
  api_set_etag(r, rec.version);
  return api_rec_json(&rec);
}

json_t *api_entity_create(http_req *r, gerr *e) {
  const dom_entity *pEnt = r->pRoute->pArg;
  dom_ctx c = api_ctx(r);
  dom_rec in, out;
  if (api_rec_from_json(r->pAr, pEnt, r->pBody, &in, e)) return NULL;
  if (dom_create(&c, pEnt, &in, &out, e)) return NULL;
  r->status = 201;
  api_set_etag(r, out.version);
  snprintf(r->zLocation, sizeof r->zLocation, "/api/v1/%s/%lld", pEnt->zPlural, (long long)out.id);
  return api_rec_json(&out);
}

json_t *api_entity_update(http_req *r, gerr *e) {
  const dom_entity *pEnt = r->pRoute->pArg;
  dom_ctx c = api_ctx(r);
  dom_rec in, out;
  if (api_rec_from_json(r->pAr, pEnt, r->pBody, &in, e)) return NULL;
  if (dom_update(&c, pEnt, r->aId[0], r->ifVersion, &in, &out, e)) return NULL;
  api_set_etag(r, out.version);
  return api_rec_json(&out);
}

json_t *api_entity_delete(http_req *r, gerr *e) {
  const dom_entity *pEnt = r->pRoute->pArg;
  dom_ctx c = api_ctx(r);
  if (dom_delete(&c, pEnt, r->aId[0], r->bIfMatch ? r->ifVersion : -1, e)) return NULL;
  r->status = 204;
  return NULL;
}
