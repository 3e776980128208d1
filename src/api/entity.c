/* entity.c: the generic list / get / create / update / delete handlers that
 * serve every registry entity; the route's pArg names the entity. */
#include "api/api.h"
#include "core/text.h"
#include <string.h>

#define LIST_DEFAULT 50
#define LIST_MAX 500

int api_query_int(http_req *r, const char *zName, int64_t lo, int64_t hi, int64_t dflt, int64_t *pOut, gerr *e) {
  const char *z = http_query(r, zName);
  *pOut = dflt;
  if (!z) return 0;
  if (text_int64(z, pOut))
    gerr_setr(e, GERR_VALIDATION, GR_NOT_INTEGER, zName, GP_I("min", lo), GP_I("max", hi));
  else if (*pOut < lo || *pOut > hi)
    gerr_setr(e, GERR_VALIDATION, GR_RANGE, zName, GP_I("min", lo), GP_I("max", hi), GP_I("got", *pOut));
  else
    return 0;
  return gerr_msg(e, "%s: must be a whole number from %lld to %lld", zName, (long long)lo, (long long)hi);
}

/* Builds the domain query from the request's parameters: every parameter
 * must be a filter of the entity, one of limit, offset, after (when
 * bPaged) or one of azOther (NULL-terminated, the caller's own); then
 * confines it to the caller's scope as decided by the router (r->forced):
 * a filter asking for something outside it is refused. */
int api_list_query(http_req *r, const dom_entity *pEnt, int bPaged, const char *const *azOther, dom_query *q,
                   gerr *e) {
  memset(q, 0, sizeof *q);
  int64_t v;
  if (bPaged) {
    if (api_query_int(r, "limit", 1, LIST_MAX, LIST_DEFAULT, &v, e)) return -1;
    q->limit = (int)v;
    if (api_query_int(r, "offset", 0, INT64_MAX / 2, 0, &q->offset, e)) return -1;
    if (api_query_int(r, "after", 0, INT64_MAX, 0, &q->after, e)) return -1;
    if (q->offset && q->after) {
      gerr_setr(e, GERR_VALIDATION, GR_EXCLUSIVE, "offset", GP_S("other", "after"));
      return gerr_msg(e, "offset: use either offset or after, not both");
    }
  }
  for (int i = 0; i < r->nQuery; i++) {
    const char *zName = r->aQuery[i].zName;
    if (bPaged && (!strcmp(zName, "limit") || !strcmp(zName, "offset") || !strcmp(zName, "after"))) continue;
    const char *const *pz = azOther;
    while (pz && *pz && strcmp(*pz, zName) != 0) pz++;
    if (pz && *pz) continue;
    if (dom_query_set(q, pEnt, zName, r->aQuery[i].zValue, r->pAr, e)) return -1;
  }
  return 0;   /* the domain confines the list to the caller's scope (dom_list, dom_each) */
}

int api_forced_allows(const http_req *r, const char *zFilter, int64_t value) {
  dom_ctx c = api_ctx((http_req *)r);
  if (pol_unconfined(&c, r->pRoute->pRule)) return 1;
  int64_t a[AUTH_MAXGRANT];
  int n = pol_values(&c, r->pRoute->pRule, SCOPE_INSTITUTION, a, AUTH_MAXGRANT);
  for (int i = 0; i < n; i++)
    if (a[i] == value) return 1;
  return 0;
}

int api_forced_id(http_req *r, const char *zFilter, int bGiven, int64_t *pValue, gerr *e) {
  dom_ctx c = api_ctx(r);
  return pol_confine_param(&c, r->pRoute->pRule, SCOPE_INSTITUTION, zFilter, bGiven, pValue, e);
}

json_t *api_entity_list(http_req *r, gerr *e) {
  const dom_entity *pEnt = r->pRoute->pArg;
  dom_query q;
  if (api_list_query(r, pEnt, 1, NULL, &q, e)) return NULL;
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
  if (dom_read(&c, pEnt, r->aId[0], &rec, e)) return NULL;
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
