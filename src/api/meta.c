/* meta.c: routes about the API itself: health, the ISCO-08 list and the
 * OpenAPI 3.1 document, generated from the route and entity tables so that
 * it cannot miss a route. */
#include "api/api.h"
#include "core/text.h"
#include "domain/engine/health.h"
#include "store/db_health.h"
#include <string.h>
#include <strings.h>

json_t *api_index(http_req *r, gerr *e) {
  (void)r;
  (void)e;
  return json_pack("{s:s, s:s, s:s, s:s}", "name", "guild", "version", GUILD_VERSION, "api", "/api/v1",
                   "reference", "/api/v1/openapi.json");
}

json_t *api_health(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  int v = 0;
  if (dom_schema_version(&c, &v, e)) return NULL;
  char zWhy[160];
  int64_t tSince = 0;
  if (db_health_degraded(zWhy, sizeof zWhy, &tSince))   /* reads work; writes fail until the storage recovers */
    return json_pack("{s:s, s:s, s:i, s:{s:s, s:s, s:I}}", "status", "degraded", "version", GUILD_VERSION,
                     "schema_version", v, "storage", "status", "not_writable", "reason", zWhy, "since",
                     (json_int_t)tSince);
  return json_pack("{s:s, s:s, s:i}", "status", "ok", "version", GUILD_VERSION, "schema_version", v);
}

json_t *api_occupations(http_req *r, gerr *e) {
  int64_t level = 0;
  const char *zLevel = http_query(r, "level"), *zQ = http_query(r, "q");
  static const char *const azParams[] = {"level", "q", NULL};
  if (api_only_params(r, azParams, e)) return gerr_msg(e, "%.60s: occupations take only level and q", e->field), NULL;
  if (zLevel && (text_int64(zLevel, &level) || level < 1 || level > 4)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "level", GP_S("allowed", "1, 2, 3, 4"), GP_S("got", zLevel));
    return gerr_msg(e, "level: must be 1, 2, 3 or 4"), NULL;
  }
  json_t *a = json_array();
  for (int i = 0; i < isco_count; i++) {
    const isco_entry *p = &isco_table[i];
    if (level && p->level != level) continue;
    if (zQ && strncmp(p->zCode, zQ, strlen(zQ)) != 0 && !strcasestr(p->zTitle, zQ)) continue;
    json_array_append_new(a, json_pack("{s:s, s:i, s:s, s:s?}", "code", p->zCode, "level", p->level, "title",
                                       p->zTitle, "parent", p->zParent[0] ? p->zParent : NULL));
  }
  return json_pack("{s:o, s:s}", "items", a, "attribution",
                   "ISCO-08 by the International Labour Organization, via ESCO (European Commission)");
}

json_t *api_openapi(http_req *r, gerr *e) {
  (void)r;
  (void)e;
  return api_openapi_doc();
}
