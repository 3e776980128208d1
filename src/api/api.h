/* api.h: the JSON API handlers (one group per file) and the conversions
 * between JSON and domain records. Each handler parses, validates, calls the
 * domain and builds JSON; the router has already done everything generic. */
#ifndef GUILD_API_H
#define GUILD_API_H
#include "http/http.h"
#include "core/version.h"
#include "domain/engine/entity.h"
#include "domain/imports/export.h"

/* Record <-> JSON (json.c). api_rec_json returns a new reference. */
json_t *api_rec_json(const dom_rec *r);
/* Fills r from a JSON object body: only writable fields, each with its
 * JSON type checked. Returns 0 or -1 with e (422) naming the field. */
int api_rec_from_json(arena *a, const dom_entity *pEnt, json_t *pObj, dom_rec *r, gerr *e);
/* Refuses (422, naming it) any body member other than those in azAllowed
 * (NULL-terminated). No body: nothing to refuse. */
int api_only_keys(http_req *r, const char *const *azAllowed, gerr *e);
/* Refuses (422, naming it) any query parameter other than those in
 * azAllowed (NULL-terminated). */
int api_only_params(http_req *r, const char *const *azAllowed, gerr *e);
/* Reads the integer query parameter zName, which must be in lo..hi, into
 * *pOut (dflt when absent). Refuses (422) one that is not a whole number
 * (not_integer) or outside lo..hi (range), both with min and max
 * (entity.c). */
int api_query_int(http_req *r, const char *zName, int64_t lo, int64_t hi, int64_t dflt, int64_t *pOut, gerr *e);
/* The dom_ctx for a request. */
dom_ctx api_ctx(http_req *r);
void api_set_etag(http_req *r, int64_t version);
/* A time (seconds since 1970) as ISO 8601 text, or null for 0 (admin.c). */
json_t *api_time_or_null(int64_t t);

/* The caller's institution on a route whose parameter zFilter names one
 * (?institution=), under the route's rule (pol_confine_param): a value
 * the caller gave (bGiven, *pValue) must be one of theirs (else 403 naming
 * zFilter), and with none given *pValue becomes their first. Returns 1 when
 * it filled *pValue, 0 when nothing is confined or the value is theirs, -1
 * with e. */
int api_forced_id(http_req *r, const char *zFilter, int bGiven, int64_t *pValue, gerr *e);
/* 1 when the route's rule leaves the caller unconfined, or value is one of
 * their institutions. */
int api_forced_allows(const http_req *r, const char *zFilter, int64_t value);

/* Generic entity handlers (entity.c); route pArg is the dom_entity. */
/* The list query of a request (see entity.c): filters from the query
 * parameters (with limit, offset and after when bPaged; names in azOther,
 * NULL-terminated, are left to the caller), confined to the caller's
 * scope. 0, or -1 with e (422 for a bad parameter, 403 outside the scope). */
int api_list_query(http_req *r, const dom_entity *pEnt, int bPaged, const char *const *azOther, dom_query *q,
                   gerr *e);
json_t *api_entity_list(http_req *r, gerr *e);
json_t *api_entity_get(http_req *r, gerr *e);
json_t *api_entity_create(http_req *r, gerr *e);
json_t *api_entity_update(http_req *r, gerr *e);
json_t *api_entity_delete(http_req *r, gerr *e);

/* export.c: answers that are files (CSV, XLSX) */
/* Answers with the tables xWrite writes, as a CSV or XLSX file named zBase plus the extension, built in a temporary file (so
 * memory does not grow with its size) that the router sends and removes.
 * Returns 0, or -1 with e (the answer is then the error). */
int api_send_table(http_req *r, tab_format fmt, const char *zBase, export_fn xWrite, void *pArg, gerr *e);
/* Answers with the JSON object o as one table of four columns, section,
 * record, field, value: each member of o that is an object is a section of
 * one record (its "id"), each that is an array of objects a section of
 * one record per element, and the rest the section "export"; nested
 * members are named with dots ("cohort.name") and [i] for list entries;
 * a list of plain values is one value joined by "; "; null is empty. */
int api_send_json_table(http_req *r, tab_format fmt, const char *zBase, json_t *o, gerr *e);
/* GET /api/v1/{persons,...}/export: the whole filtered list (route pArg:
 * the entity; R_LIST gives it the list route's scope), ?format=csv|xlsx. */
json_t *api_entity_export(http_req *r, gerr *e);

/* imports.c: background imports (POST answers 202; the runner does the work) */
json_t *api_import_create(http_req *r, gerr *e);
json_t *api_imports_list(http_req *r, gerr *e);
json_t *api_import_get(http_req *r, gerr *e);

/* enrollment.c */
json_t *api_enrollment_withdraw(http_req *r, gerr *e);

/* session.c: signing in and out, and what a user does for themself */
json_t *api_login(http_req *r, gerr *e);
json_t *api_logout(http_req *r, gerr *e);
json_t *api_me(http_req *r, gerr *e);
json_t *api_me_export(http_req *r, gerr *e);
json_t *api_me_sessions(http_req *r, gerr *e);
json_t *api_me_session_revoke(http_req *r, gerr *e);
json_t *api_me_password(http_req *r, gerr *e);

/* admin.c: API tokens, the audit log, erasure */
json_t *api_tokens_list(http_req *r, gerr *e);
json_t *api_token_create(http_req *r, gerr *e);
json_t *api_token_revoke(http_req *r, gerr *e);
json_t *api_audit_list(http_req *r, gerr *e);
json_t *api_audit_verify(http_req *r, gerr *e);
json_t *api_person_erase(http_req *r, gerr *e);
json_t *api_accounts_list(http_req *r, gerr *e);
json_t *api_user_password_reset(http_req *r, gerr *e);
json_t *api_user_sessions(http_req *r, gerr *e);
json_t *api_user_session_revoke(http_req *r, gerr *e);
/* The JSON list of sessions a[0..n-1] (new reference). */
struct auth_session_info;
json_t *api_sessions_json(const struct auth_session_info *a, int n);

/* competition.c */
json_t *api_edition_transition(http_req *r, gerr *e);
json_t *api_edition_results(http_req *r, gerr *e);
json_t *api_public_results(http_req *r, gerr *e);
json_t *api_public_editions(http_req *r, gerr *e);
json_t *api_category_lock(http_req *r, gerr *e);
json_t *api_category_review(http_req *r, gerr *e);
json_t *api_category_marks(http_req *r, gerr *e);
json_t *api_competitor_withdraw(http_req *r, gerr *e);
json_t *api_mark_correction(http_req *r, gerr *e);

/* competition_bulk.c: in one call what the record routes do one by one
 * (all rows or none; a refusal lists every refused row in error.rows) */
json_t *api_competitor_marks_enter(http_req *r, gerr *e);
json_t *api_category_marks_enter(http_req *r, gerr *e);
json_t *api_category_competitors_enter(http_req *r, gerr *e);
json_t *api_category_scheme(http_req *r, gerr *e);
json_t *api_category_scheme_import(http_req *r, gerr *e);
json_t *api_category_scheme_copy(http_req *r, gerr *e);
json_t *api_category_judge_assign(http_req *r, gerr *e);
/* Describes the request body and answer of route p in its OpenAPI
 * operation op when p is one of these: 1, else 0 (op untouched). */
int api_comp_bulk_doc(const route *p, json_t *op);

/* competition_stats.c: the competition history, and CSV answers */
struct gbuf;
json_t *api_competition_stats(http_req *r, gerr *e);
/* 1 when ?format=csv, 0 when absent or json, -1 (422 naming format) otherwise. */
int api_format_csv(http_req *r, gerr *e);
/* Answers with b's text as text/csv (copied into the request's arena). */
void api_send_csv(http_req *r, const struct gbuf *b);

/* attendance.c: training sessions' attendance, check-in, rates */
json_t *api_session_roster(http_req *r, gerr *e);
json_t *api_session_take(http_req *r, gerr *e);
json_t *api_session_code(http_req *r, gerr *e);
json_t *api_session_check_in(http_req *r, gerr *e);
json_t *api_cohort_attendance(http_req *r, gerr *e);
json_t *api_cohort_support(http_req *r, gerr *e);
json_t *api_me_attendance(http_req *r, gerr *e);

/* stats.c: the dashboard's key figures */
json_t *api_stats_overview(http_req *r, gerr *e);

/* assessment.c: assessment and awards (the training module) */
json_t *api_assessment_results(http_req *r, gerr *e);
json_t *api_evidence_upload(http_req *r, gerr *e);
json_t *api_evidence_content(http_req *r, gerr *e);
json_t *api_appeal_decision(http_req *r, gerr *e);
json_t *api_award_revoke(http_req *r, gerr *e);   /* route pArg: dom_skill_award or dom_program_award */
json_t *api_unit_agreement(http_req *r, gerr *e);
json_t *api_me_awards(http_req *r, gerr *e);
/* The request body's schema of an assessment route's handler x for the
 * OpenAPI document (new reference), or NULL when x is none of them. */
json_t *api_assessment_body_schema(http_handler x);

/* meta.c */
json_t *api_index(http_req *r, gerr *e);
json_t *api_health(http_req *r, gerr *e);
json_t *api_occupations(http_req *r, gerr *e);
json_t *api_openapi(http_req *r, gerr *e);
/* The OpenAPI 3.1 document of every route (new reference). */
json_t *api_openapi_doc(void);

#endif
