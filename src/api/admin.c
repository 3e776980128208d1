/* admin.c: region administrators' routes beyond the registry: API tokens,
 * the audit log, and erasing a person. */
#include "api/api.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/engine/audit.h"
#include "domain/accounts/auth.h"
#include "domain/registry/person.h"
#include <string.h>

json_t *api_time_or_null(int64_t t) {
  if (!t) return json_null();
  char z[32];
  time_iso(t, z, sizeof z);
  return json_string(z);
}

json_t *api_tokens_list(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  auth_token_info *aTok;
  int n;
  if (auth_tokens_list(&c, &aTok, &n, e)) return NULL;
  json_t *a = json_array();
  for (int i = 0; i < n; i++) {
    const auth_token_info *t = &aTok[i];
    json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)t->id, "name",
                                       t->zName, "role", t->zRole, "institution_id",
                                       t->institution_id ? json_integer(t->institution_id) : json_null(),
                                       "created_at", api_time_or_null(t->created_at), "created_by", t->zCreatedBy,
                                       "last_used_at", api_time_or_null(t->last_used_at), "revoked_at",
                                       api_time_or_null(t->revoked_at)));
  }
  return json_pack("{s:o}", "items", a);
}

json_t *api_token_create(http_req *r, gerr *e) {
  static const char *const azKeys[] = {"name", "role", "institution_id", NULL};
  if (api_only_keys(r, azKeys, e)) return NULL;
  json_t *pName = json_object_get(r->pBody, "name"), *pRole = json_object_get(r->pBody, "role");
  json_t *pInst = json_object_get(r->pBody, "institution_id");
  if (!json_is_string(pName)) return gerr_set(e, GERR_VALIDATION, "name", "name: is required (a string)"), NULL;
  if (!json_is_string(pRole)) return gerr_set(e, GERR_VALIDATION, "role", "role: is required (a string)"), NULL;
  if (pInst && !json_is_null(pInst) && !json_is_integer(pInst))
    return gerr_set(e, GERR_VALIDATION, "institution_id", "institution_id: must be an integer"), NULL;
  if (!text_is_clean_utf8(json_string_value(pName), 0))
    return gerr_set(e, GERR_VALIDATION, "name", "name: must be text without control characters"), NULL;
  dom_ctx c = api_ctx(r);
  char zToken[AUTH_TOKEN_LEN];
  int64_t id = 0;
  if (auth_token_create(&c, json_string_value(pName), json_string_value(pRole),
                        json_is_integer(pInst) ? json_integer_value(pInst) : 0, zToken, &id, e))
    return NULL;
  r->status = 201;
  return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", json_string_value(pName), "token", zToken,
                   "note", "shown once: store it now; send it as Authorization: Bearer <token>");
}

json_t *api_token_revoke(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  if (auth_token_revoke(&c, r->aId[0], e)) return NULL;
  r->status = 204;
  return NULL;
}

json_t *api_audit_list(http_req *r, gerr *e) {
  audit_filter f = {NULL, NULL, 0, 0, 100};
  for (int i = 0; i < r->nQuery; i++) {
    const char *zName = r->aQuery[i].zName, *zVal = r->aQuery[i].zValue;
    int64_t v = 0;
    if (!strcmp(zName, "entity")) f.zEntity = zVal;
    else if (!strcmp(zName, "actor")) f.zActor = zVal;
    else if (!strcmp(zName, "since") || !strcmp(zName, "after") || !strcmp(zName, "limit")) {
      if (text_int64(zVal, &v) || v < 0 || (!strcmp(zName, "limit") && (v < 1 || v > 1000)))
        return gerr_set(e, GERR_VALIDATION, zName, "%s: must be a whole number%s", zName,
                        strcmp(zName, "limit") ? " (since: seconds since 1970)" : " from 1 to 1000"), NULL;
      if (!strcmp(zName, "since")) f.since = v;
      else if (!strcmp(zName, "after")) f.after = v;
      else f.limit = (int)v;
    } else {
      return gerr_set(e, GERR_VALIDATION, zName, "%.60s: the audit log is filtered by entity, actor, since, after",
                      zName), NULL;
    }
  }
  dom_ctx c = api_ctx(r);
  audit_entry *a;
  int n;
  if (audit_list(&c, &f, &a, &n, e)) return NULL;
  json_t *items = json_array();
  for (int i = 0; i < n; i++) {
    char z[32];
    time_iso(a[i].at, z, sizeof z);
    json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)a[i].id,
                                           "at", z, "actor", a[i].zActor, "action", a[i].zAction, "entity",
                                           a[i].zEntity, "entity_id", (json_int_t)a[i].entity_id, "digest",
                                           a[i].zDigest, "hash", a[i].zHash));
  }
  return json_pack("{s:o, s:o}", "items", items, "next_after",
                   n == f.limit && n > 0 ? json_integer(a[n - 1].id) : json_null());
}

json_t *api_audit_verify(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  audit_report rep;
  if (audit_verify(&c, &rep, e)) return NULL;
  json_t *o = json_pack("{s:b, s:I}", "intact", rep.idFirstBad == 0, "entries", (json_int_t)rep.nEntries);
  if (rep.idFirstBad) {
    json_object_set_new(o, "first_bad_entry", json_integer(rep.idFirstBad));
    json_object_set_new(o, "reason", json_string(rep.zWhy));
  }
  return o;
}

json_t *api_person_erase(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (person_erase(&c, r->aId[0], &out, e)) return NULL;
  api_set_etag(r, out.version);
  return api_rec_json(&out);
}
