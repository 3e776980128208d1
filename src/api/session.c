/* session.c: signing in and out, and what every signed-in user does for
 * themself: who am I, my sessions, my password, everything guild holds
 * about me. */
#include "api/api.h"
#include "domain/accounts/auth.h"
#include "domain/accounts/password.h"
#include "domain/engine/module.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_person, dom_user;

/* Reads the string member zKey of the body; 422 naming it when missing. */
static const char *body_text(http_req *r, const char *zKey, int bRequired, gerr *e) {
  json_t *j = json_object_get(r->pBody, zKey);
  if (!j || json_is_null(j)) {
    if (bRequired) gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, zKey);
    return NULL;
  }
  if (!json_is_string(j)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, zKey);
    return NULL;
  }
  return json_string_value(j);
}


static json_t *time_json(int64_t t) {
  char z[32];
  time_iso(t, z, sizeof z);
  return json_string(z);
}

static json_t *roles_json(const auth_user *u) {
  json_t *a = json_array();
  for (int i = 0; i < u->nGrant; i++) {
    json_t *g = json_pack("{s:s}", "role", auth_role_names[u->aGrant[i].role]);
    if (u->aGrant[i].role == ROLE_INSTITUTION_STAFF)
      json_object_set_new(g, "institution_id", json_integer(u->aGrant[i].institution_id));
    json_array_append_new(a, g);
  }
  return a;
}

json_t *api_login(http_req *r, gerr *e) {
  static const char *const azKeys[] = {"username", "password", NULL};
  if (api_only_keys(r, azKeys, e)) return NULL;
  const char *zUser = body_text(r, "username", 1, e);
  const char *zPassword = zUser ? body_text(r, "password", 1, e) : NULL;
  if (!zUser || !zPassword) return NULL;
  dom_ctx c = api_ctx(r);
  auth_login out;
  if (auth_login_password(&c, zUser, zPassword, r->zClient, &out, e)) return NULL;
  snprintf(r->zSetCookie, sizeof r->zSetCookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
           HTTP_SESSION_COOKIE, out.zToken, SESSION_ABSOLUTE, r->bTls ? "; Secure" : "");
  auth_user u;
  memset(&u, 0, sizeof u);
  if (auth_load_grants(&c, out.user_id, &u, e)) return NULL;
  return json_pack("{s:s, s:I, s:o, s:s, s:o, s:i}", "username", zUser, "user_id", (json_int_t)out.user_id, "roles",
                   roles_json(&u), "csrf_token", out.zCsrf, "expires_at", time_json(out.expires_at),
                   "idle_timeout_seconds", SESSION_IDLE);
}

json_t *api_logout(http_req *r, gerr *e) {
  if (!r->pAuth->session_id) return gerr_setr(e, GERR_BAD_REQUEST, GR_TOKEN_SIGN_OUT, NULL), NULL;
  dom_ctx c = api_ctx(r);
  if (auth_logout(&c, r->pAuth->session_id, e)) return NULL;
  snprintf(r->zSetCookie, sizeof r->zSetCookie, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
           HTTP_SESSION_COOKIE, r->bTls ? "; Secure" : "");
  r->status = 204;
  return NULL;
}

json_t *api_me(http_req *r, gerr *e) {
  (void)e;
  const auth_user *u = r->pAuth;
  json_t *o = json_pack("{s:s, s:o, s:s}", "name", u->zName, "roles", roles_json(u), "actor", u->zActor);
  json_object_set_new(o, "user_id", u->user_id ? json_integer(u->user_id) : json_null());
  json_object_set_new(o, "person_id", u->person_id ? json_integer(u->person_id) : json_null());
  if (u->session_id) json_object_set_new(o, "csrf_token", json_string(u->zCsrf));
  json_object_set_new(o, "password_must_change", json_boolean(u->bMustChange));
  return o;
}

/* Appends to a every record of section x whose filter names the person
 * idPerson (read through the own context c), each with the members x adds.
 * 0 or -1 with e. */
static int own_section(http_req *r, dom_ctx *c, const dom_own_section *x, int64_t idPerson, json_t *a, gerr *e) {
  dom_query q;
  memset(&q, 0, sizeof q);
  q.limit = 500;
  if (dom_query_set(&q, x->pEnt, x->zFilter ? x->zFilter : "person", arena_printf(r->pAr, "%lld", (long long)idPerson),
                    r->pAr, e))
    return -1;
  do {
    dom_page page;
    if (dom_list(c, x->pEnt, &q, &page, e)) return -1;
    for (int i = 0; i < page.n; i++) {
      json_t *j = api_rec_json(&page.aRec[i]);
      json_array_append_new(a, j);
      if (!x->xMore) continue;
      doc_out *d = doc_new();
      doc_object(d, NULL);
      int rc = x->xMore(c, &page.aRec[i], d, e);
      doc_end(d);
      json_t *pMore = doc_json(d);
      if (!rc) json_object_update(j, pMore);
      json_decref(pMore);
      if (rc) return -1;
    }
    q.after = page.nextAfter;
  } while (q.after);
  return 0;
}

/* Everything guild holds about the caller, as JSON (new reference): their
 * account, their person record, and every module's sections of their own
 * records (dom_module.aOwn; empty for a user without a person). */
static json_t *me_export_json(http_req *r, gerr *e) {
  const auth_user *u = r->pAuth;
  dom_ctx rc = api_ctx(r), c = dom_ctx_own(&rc);   /* every read below names u's own user or person */
  char zNow[32];
  time_iso(r->now, zNow, sizeof zNow);
  json_t *o = json_pack("{s:s, s:s}", "exported_at", zNow, "about",
                        "everything guild holds about you: your account, your person record and your own records "
                        "(enrollments, attendance, assessment results, evidence, appeals, awards)");
  if (u->user_id) {
    dom_rec user;
    if (dom_get(&c, &dom_user, u->user_id, &user, e)) goto fail;
    json_t *j = api_rec_json(&user);
    json_object_set_new(j, "roles", roles_json(u));
    json_object_set_new(o, "account", j);
  }
  dom_rec person;
  if (u->person_id && dom_get(&c, &dom_person, u->person_id, &person, e)) goto fail;
  json_object_set_new(o, "person", u->person_id ? api_rec_json(&person) : json_null());
  for (int m = 0; m < dom_nmodules; m++)
    for (int k = 0; k < dom_modules[m]->nOwn; k++) {
      const dom_own_section *x = &dom_modules[m]->aOwn[k];
      json_t *a = json_array();
      json_object_set_new(o, x->zKey, a);
      if (u->person_id && own_section(r, &c, x, u->person_id, a, e)) goto fail;
    }
  return o;
fail:
  json_decref(o);
  return NULL;
}

json_t *api_me_export(http_req *r, gerr *e) {
  const char *zFormat = http_query(r, "format");
  tab_format fmt = TAB_CSV;
  int bJson = !zFormat || !strcmp(zFormat, "json");
  if (!bJson && tab_format_parse(zFormat, &fmt)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "format", GP_S("allowed", "json, csv, xlsx"), GP_S("got", zFormat));
    return gerr_msg(e, "format: json (the default), csv or xlsx"), NULL;
  }
  json_t *o = me_export_json(r, e);
  if (!o || bJson) return o;
  api_send_json_table(r, fmt, "my-guild-data", o, e);
  json_decref(o);
  return NULL;
}

json_t *api_me_sessions(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  auth_session_info *a;
  int n;
  if (!r->pAuth->user_id) return json_pack("{s:[]}", "items");
  if (auth_sessions(&c, r->pAuth->user_id, r->pAuth->session_id, &a, &n, e)) return NULL;
  return json_pack("{s:o}", "items", api_sessions_json(a, n));
}

json_t *api_sessions_json(const auth_session_info *a, int n) {
  json_t *items = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(items, json_pack("{s:I, s:o, s:o, s:o, s:b}", "id", (json_int_t)a[i].id, "created_at",
                                           time_json(a[i].created_at), "last_seen_at", time_json(a[i].last_seen_at),
                                           "expires_at", time_json(a[i].expires_at), "current", a[i].bCurrent));
  return items;
}

json_t *api_me_session_revoke(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  if (auth_session_revoke(&c, r->pAuth->user_id, r->aId[0], e)) return NULL;
  r->status = 204;
  return NULL;
}

json_t *api_me_password(http_req *r, gerr *e) {
  static const char *const azKeys[] = {"current_password", "new_password", NULL};
  if (!r->pAuth->user_id) return gerr_setr(e, GERR_BAD_REQUEST, GR_TOKEN_NO_PASSWORD, NULL), NULL;
  if (api_only_keys(r, azKeys, e)) return NULL;
  const char *zOld = body_text(r, "current_password", 1, e);
  const char *zNew = zOld ? body_text(r, "new_password", 1, e) : NULL;
  if (!zOld || !zNew) return NULL;
  dom_ctx c = api_ctx(r);
  int64_t idUser = 0;
  if (auth_verify_password(&c, r->pAuth->zName, zOld, r->zClient, &idUser, e)) {
    if (e->code == GERR_UNAUTHORIZED) gerr_setr(e, GERR_VALIDATION, GR_WRONG_PASSWORD, "current_password");
    return NULL;
  }
  dom_rec user, patch, out;
  dom_ctx own = dom_ctx_own(&c);   /* the caller's own account, after their current password */
  if (dom_get(&c, &dom_user, r->pAuth->user_id, &user, e)) return NULL;
  dom_rec_init(&patch, &dom_user);
  dom_set_text(&patch, "password", zNew);
  dom_set_int(&patch, "password_must_change", 0);   /* chosen by the user: no longer one-time */
  if (zOld && !strcmp(zOld, zNew)) {
    gerr_setr(e, GERR_VALIDATION, GR_MUST_DIFFER, "new_password", GP_S("other", "current_password"));
    return gerr_msg(e, "new_password: must differ from the current password"), NULL;
  }
  if (dom_update(&own, &dom_user, user.id, user.version, &patch, &out, e)) {
    if (!strcmp(e->field, "password")) snprintf(e->field, sizeof e->field, "new_password");
    return NULL;
  }
  /* the new password ended every session of the user: this caller gets a new one */
  auth_login fresh;
  if (auth_session_create(&c, r->pAuth->user_id, r->pAuth->zName, &fresh, e)) return NULL;
  snprintf(r->zSetCookie, sizeof r->zSetCookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
           HTTP_SESSION_COOKIE, fresh.zToken, SESSION_ABSOLUTE, r->bTls ? "; Secure" : "");
  return json_pack("{s:b, s:s, s:b}", "changed", 1, "csrf_token", fresh.zCsrf, "other_sessions_ended", 1);
}
