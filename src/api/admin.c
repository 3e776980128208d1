/* admin.c: region administrators' routes beyond the registry: accounts with
 * their grants, password resets and a user's sessions, API tokens, the audit
 * log, and erasing a person. */
#include "api/api.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/engine/audit.h"
#include "domain/accounts/auth.h"
#include "domain/registry/person.h"

extern dom_entity dom_user;
#include <string.h>

#define TOKEN_MAX_DAYS 730       /* two years */
#define AUDIT_LIST_DEFAULT 100   /* entries in one page of the audit log, unless limit says */
#define AUDIT_LIST_MAX 1000

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
    json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)t->id,
                                       "name", t->zName, "role", t->zRole, "institution_id",
                                       t->institution_id ? json_integer(t->institution_id) : json_null(),
                                       "created_at", api_time_or_null(t->created_at), "created_by", t->zCreatedBy,
                                       "last_used_at", api_time_or_null(t->last_used_at), "revoked_at",
                                       api_time_or_null(t->revoked_at), "expires_at",
                                       api_time_or_null(t->expires_at)));
  }
  return json_pack("{s:o}", "items", a);
}

json_t *api_token_create(http_req *r, gerr *e) {
  static const char *const azKeys[] = {"name", "role", "institution_id", "expires_in_days", NULL};
  if (api_only_keys(r, azKeys, e)) return NULL;
  json_t *pName = json_object_get(r->pBody, "name"), *pRole = json_object_get(r->pBody, "role");
  json_t *pInst = json_object_get(r->pBody, "institution_id");
  if (!json_is_string(pName))
    return gerr_setr(e, GERR_VALIDATION, !pName || json_is_null(pName) ? GR_REQUIRED : GR_NOT_STRING, "name"), NULL;
  if (!json_is_string(pRole))
    return gerr_setr(e, GERR_VALIDATION, !pRole || json_is_null(pRole) ? GR_REQUIRED : GR_NOT_STRING, "role"), NULL;
  if (pInst && !json_is_null(pInst) && !json_is_integer(pInst))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_INTEGER, "institution_id"), NULL;
  json_t *pDays = json_object_get(r->pBody, "expires_in_days");
  if (pDays && !json_is_null(pDays) && !json_is_integer(pDays))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_INTEGER, "expires_in_days", GP_I("min", 1), GP_I("max", TOKEN_MAX_DAYS)),
           NULL;
  if (json_is_integer(pDays) && (json_integer_value(pDays) < 1 || json_integer_value(pDays) > TOKEN_MAX_DAYS)) {
    gerr_setr(e, GERR_VALIDATION, GR_RANGE, "expires_in_days", GP_I("min", 1), GP_I("max", TOKEN_MAX_DAYS),
              GP_I("got", json_integer_value(pDays)));
    return gerr_msg(e, "expires_in_days: a whole number of days from 1 to %d", TOKEN_MAX_DAYS), NULL;
  }
  int64_t expires_at = json_is_integer(pDays) ? r->now + json_integer_value(pDays) * 86400 : 0;
  if (!text_is_clean_utf8(json_string_value(pName), 0))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_TEXT, "name"), NULL;
  dom_ctx c = api_ctx(r);
  char zToken[AUTH_TOKEN_LEN];
  int64_t id = 0;
  if (auth_token_create_until(&c, json_string_value(pName), json_string_value(pRole),
                              json_is_integer(pInst) ? json_integer_value(pInst) : 0, expires_at, zToken, &id, e))
    return NULL;
  r->status = 201;
  return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)id, "name", json_string_value(pName), "token",
                   zToken, "expires_at", api_time_or_null(expires_at), "note",
                   "shown once: store it now; send it as Authorization: Bearer <token>");
}

json_t *api_token_revoke(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  if (auth_token_revoke(&c, r->aId[0], e)) return NULL;
  r->status = 204;
  return NULL;
}

json_t *api_audit_list(http_req *r, gerr *e) {
  static const char *const azParams[] = {"entity", "entity_id", "actor", "since", "until", "after", "limit", NULL};
  audit_filter f = {http_query(r, "entity"), http_query(r, "actor"), 0, 0, 0};
  int64_t until = 0, entity_id = 0, limit = 0;
  if (api_only_params(r, azParams, e))
    return gerr_msg(e, "%.60s: the audit log is filtered by entity, entity_id, actor, since, until, after, limit",
                    e->field), NULL;
  if (api_query_int(r, "since", 0, INT64_MAX, 0, &f.since, e) || api_query_int(r, "until", 0, INT64_MAX, 0, &until, e))
    return gerr_msg(e, "%s: must be a whole number (seconds since 1970)", e->field), NULL;
  if (api_query_int(r, "after", 0, INT64_MAX, 0, &f.after, e) ||
      api_query_int(r, "entity_id", 0, INT64_MAX, 0, &entity_id, e) ||
      api_query_int(r, "limit", 1, AUDIT_LIST_MAX, AUDIT_LIST_DEFAULT, &limit, e))
    return NULL;
  f.limit = (int)limit;
  dom_ctx c = api_ctx(r);
  audit_entry *a;
  int n;
  if (audit_list_more(&c, &f, until, entity_id, &a, &n, e)) return NULL;
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

/* The user record's JSON with what the administrators' list adds: its
 * grants and its open sessions (new reference). */
static json_t *account_json(const dom_rec *pUser, const auth_account_detail *d) {
  json_t *o = api_rec_json(pUser), *a = json_array();
  for (int i = 0; i < d->nGrant; i++)
    json_array_append_new(a, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)d->aGrant[i].id, "role",
                                       d->aGrant[i].zRole, "institution_id",
                                       d->aGrant[i].institution_id ? json_integer(d->aGrant[i].institution_id)
                                                                   : json_null()));
  json_object_set_new(o, "grants", a);
  json_object_set_new(o, "open_sessions", json_integer(d->nSessions));
  return o;
}

json_t *api_accounts_list(http_req *r, gerr *e) {
  dom_query q;
  if (api_list_query(r, &dom_user, 1, NULL, &q, e)) return NULL;
  dom_ctx c = api_ctx(r);
  dom_page page;
  if (dom_list(&c, &dom_user, &q, &page, e)) return NULL;
  int64_t *aId = arena_alloc(r->pAr, (size_t)(page.n ? page.n : 1) * sizeof *aId);
  auth_account_detail *aDet = arena_alloc(r->pAr, (size_t)(page.n ? page.n : 1) * sizeof *aDet);
  for (int i = 0; i < page.n; i++) aId[i] = page.aRec[i].id;
  if (auth_account_details(&c, aId, page.n, aDet, e)) return NULL;
  json_t *items = json_array();
  for (int i = 0; i < page.n; i++) json_array_append_new(items, account_json(&page.aRec[i], &aDet[i]));
  return json_pack("{s:o, s:I, s:i, s:I, s:o}", "items", items, "total", (json_int_t)page.total, "limit", q.limit,
                   "offset", (json_int_t)q.offset, "next_after",
                   page.nextAfter ? json_integer(page.nextAfter) : json_null());
}

json_t *api_user_password_reset(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  char zPw[AUTH_ONE_TIME_LEN + 1];
  if (auth_password_reset(&c, r->aId[0], zPw, e)) return NULL;
  return json_pack("{s:I, s:s, s:b, s:s}", "user_id", (json_int_t)r->aId[0], "one_time_password", zPw,
                   "password_must_change", 1, "note",
                   "shown once: give it to the user, who must change it at the next sign-in; their sessions ended");
}

json_t *api_user_sessions(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  auth_session_info *a;
  int n;
  if (auth_user_sessions(&c, r->aId[0], &a, &n, e)) return NULL;
  return json_pack("{s:o}", "items", api_sessions_json(a, n));
}

json_t *api_user_session_revoke(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  if (auth_user_session_revoke(&c, r->aId[0], r->aId[1], e)) return NULL;
  r->status = 204;
  return NULL;
}
