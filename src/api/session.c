/* session.c: signing in and out, and what every signed-in user does for
 * themself: who am I, my sessions, my password, everything guild holds
 * about me. */
#include "api/api.h"
#include "domain/accounts/auth.h"
#include "domain/accounts/password.h"
#include "domain/training/training.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_person, dom_enrollment, dom_user, dom_cohort, dom_program;

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
  if (!r->pAuth->session_id) return gerr_set(e, GERR_BAD_REQUEST, NULL, "API tokens do not sign out; revoke them"), NULL;
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
  return o;
}

/* Appends to a every record of pEnt whose filter zFilter is id (the
 * caller's own, read through the own context c). 0 or -1 with e. */
static int own_records(dom_ctx *c, const dom_entity *pEnt, const char *zFilter, int64_t id, json_t *a, gerr *e) {
  dom_query q;
  memset(&q, 0, sizeof q);
  int k = dom_filter_index(pEnt, zFilter);
  q.mask = 1u << k;
  q.aInt[k] = id;
  q.limit = 500;
  do {
    dom_page page;
    if (dom_list(c, pEnt, &q, &page, e)) return -1;
    for (int i = 0; i < page.n; i++) json_array_append_new(a, api_rec_json(&page.aRec[i]));
    q.after = page.nextAfter;
  } while (q.after);
  return 0;
}

/* Everything guild holds about the caller, as JSON (new reference). */
static json_t *me_export_json(http_req *r, gerr *e) {
  const auth_user *u = r->pAuth;
  dom_ctx rc = api_ctx(r), c = dom_ctx_own(&rc);   /* every read below names u's own user or person */
  char zNow[32];
  time_iso(r->now, zNow, sizeof zNow);
  json_t *o = json_pack("{s:s, s:s}", "exported_at", zNow, "about",
                        "everything guild holds about you: your account, your person record, your enrollments and your attendance");
  if (u->user_id) {
    dom_rec user;
    if (dom_get(&c, &dom_user, u->user_id, &user, e)) goto fail;
    json_t *j = api_rec_json(&user);
    json_object_set_new(j, "roles", roles_json(u));
    json_object_set_new(o, "account", j);
  }
  json_t *aEnroll = json_array();
  json_object_set_new(o, "enrollments", aEnroll);
  json_t *aMarks = json_array();   /* their attendance, mark by mark */
  json_object_set_new(o, "attendance_marks", aMarks);
  if (!u->person_id) {
    json_object_set_new(o, "person", json_null());
    return o;
  }
  dom_rec person;
  if (dom_get(&c, &dom_person, u->person_id, &person, e)) goto fail;
  json_object_set_new(o, "person", api_rec_json(&person));
  if (api_assessment_me_export(r, o, e)) goto fail;   /* results, evidence, appeals, awards (assessment.c) */
  dom_query q;
  memset(&q, 0, sizeof q);
  int k = 0;
  while (strcmp(dom_enrollment.aFilter[k].zName, "person") != 0) k++;
  q.mask = 1u << k;
  q.aInt[k] = u->person_id;
  q.limit = 500;
  do {
    dom_page page;
    if (dom_list(&c, &dom_enrollment, &q, &page, e)) goto fail;
    for (int i = 0; i < page.n; i++) {
      json_t *j = api_rec_json(&page.aRec[i]);
      dom_rec cohort, program;  /* with what the learner knows them by */
      if (dom_get(&c, &dom_cohort, dom_v(&page.aRec[i], "cohort_id")->i, &cohort, e) ||
          dom_get(&c, &dom_program, dom_v(&cohort, "program_id")->i, &program, e))
        goto fail;
      json_object_set_new(j, "cohort", json_pack("{s:s, s:s, s:s}", "name", dom_v(&cohort, "name")->z, "start_date",
                                                 dom_v(&cohort, "start_date")->z, "end_date", dom_v(&cohort, "end_date")->z));
      json_object_set_new(j, "program", json_pack("{s:s, s:s}", "title", dom_v(&program, "title")->z, "isco_code",
                                                  dom_v(&program, "isco_code")->z));
      json_array_append_new(aEnroll, j);
    }
    q.after = page.nextAfter;
  } while (q.after);
  if (own_records(&c, &dom_attendance_mark, "person", u->person_id, aMarks, e)) goto fail;
  return o;
fail:
  json_decref(o);
  return NULL;
}

json_t *api_me_export(http_req *r, gerr *e) {
  const char *zFormat = http_query(r, "format");
  tab_format fmt = TAB_CSV;
  int bJson = !zFormat || !strcmp(zFormat, "json");
  if (!bJson && tab_format_parse(zFormat, &fmt))
    return gerr_set(e, GERR_VALIDATION, "format", "format: json (the default), csv or xlsx"), NULL;
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
  json_t *items = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(items, json_pack("{s:I, s:o, s:o, s:o, s:b}", "id", (json_int_t)a[i].id, "created_at",
                                           time_json(a[i].created_at), "last_seen_at", time_json(a[i].last_seen_at),
                                           "expires_at", time_json(a[i].expires_at), "current", a[i].bCurrent));
  return json_pack("{s:o}", "items", items);
}

json_t *api_me_session_revoke(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  if (auth_session_revoke(&c, r->pAuth->user_id, r->aId[0], e)) return NULL;
  r->status = 204;
  return NULL;
}

json_t *api_me_password(http_req *r, gerr *e) {
  static const char *const azKeys[] = {"current_password", "new_password", NULL};
  if (!r->pAuth->user_id) return gerr_set(e, GERR_BAD_REQUEST, NULL, "API tokens have no password"), NULL;
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
