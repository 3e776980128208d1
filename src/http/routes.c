/* routes.c: every route of the API, in one table: method, path, handler,
 * argument (the entity a generic handler serves), flags, OpenAPI tag, help
 * text (also the OpenAPI summary) and access rule (src/http/authz.c). */
#include "http/http.h"
#include "http/authz.h"
#include "api/api.h"

extern dom_entity dom_area, dom_institution, dom_program, dom_cohort, dom_person, dom_enrollment, dom_user, dom_grant,
    dom_edition, dom_category, dom_criterion, dom_aspect, dom_competitor, dom_judge, dom_mark;

/* The export of a list: the whole filtered list as one file, with the list
 * route's access rule and scope (R_LIST). */
#define EXPORT_ROUTE(ent, path, tag, azList)                                                                  \
  {HM_GET, "/api/v1/" path "/export", api_entity_export, &ent, R_LIST, tag,                                  \
   "The whole filtered list as a file: format=csv (default) or xlsx; the list's filters", azList}

/* The five routes of a registry entity, with the access rule of each. */
#define ENTITY_ROUTES(ent, path, tag, azList, azGet, azCreate, azPatch, azDelete)                            \
  {HM_GET, "/api/v1/" path, api_entity_list, &ent, 0, tag, "List " path " (filtered, paged)", azList},     \
  {HM_POST, "/api/v1/" path, api_entity_create, &ent, R_BODY | R_CREATED, tag, "Create a " #ent, azCreate},             \
  {HM_GET, "/api/v1/" path "/{id}", api_entity_get, &ent, 0, tag, "Read one (ETag = version)", azGet},     \
  {HM_PATCH, "/api/v1/" path "/{id}", api_entity_update, &ent, R_BODY | R_IF_MATCH, tag,                    \
   "Change fields (If-Match required; 412 when stale)", azPatch},                                          \
  {HM_DELETE, "/api/v1/" path "/{id}", api_entity_delete, &ent, R_NO_CONTENT, tag,                                     \
   "Delete (409 while referred to; If-Match optional)", azDelete}

const route http_routes[] = {
    {HM_GET, "/", api_index, NULL, 0, "meta", "Where things are: the API root and its reference", AZ_PUBLIC},
    {HM_GET, "/api/v1/health", api_health, NULL, 0, "meta", "Liveness and schema version", AZ_PUBLIC},
    {HM_GET, "/api/v1/openapi.json", api_openapi, NULL, 0, "meta", "This API's OpenAPI 3.1 document", AZ_PUBLIC},
    {HM_GET, "/api/v1/occupations", api_occupations, NULL, 0, "meta",
     "ISCO-08 occupation groups (level, q filters)", AZ_PUBLIC},

    {HM_POST, "/api/v1/session", api_login, NULL, R_BODY, "session",
     "Sign in with username and password: sets the session cookie, returns the CSRF token", AZ_PUBLIC},
    {HM_DELETE, "/api/v1/session", api_logout, NULL, R_NO_CONTENT, "session", "Sign out (ends this session)", AZ_SIGNED_IN},
    {HM_GET, "/api/v1/me", api_me, NULL, 0, "session", "Who I am: account, roles, person", AZ_SIGNED_IN},
    {HM_GET, "/api/v1/me/export", api_me_export, NULL, 0, "session",
     "Everything guild holds about me, as JSON", AZ_SIGNED_IN},
    {HM_GET, "/api/v1/me/sessions", api_me_sessions, NULL, 0, "session", "My open sessions", AZ_SIGNED_IN},
    {HM_DELETE, "/api/v1/me/sessions/{id}", api_me_session_revoke, NULL, R_NO_CONTENT, "session", "End one of my sessions",
     AZ_SIGNED_IN},
    {HM_POST, "/api/v1/me/password", api_me_password, NULL, R_BODY, "session",
     "Change my password (ends my other sessions)", AZ_SIGNED_IN},

    ENTITY_ROUTES(dom_area, "areas", "areas", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    ENTITY_ROUTES(dom_institution, "institutions", "institutions", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN,
                  AZ_INST_WRITE, AZ_ADMIN),
    ENTITY_ROUTES(dom_program, "programs", "programs", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_INST_WRITE, AZ_INST_WRITE,
                  AZ_INST_WRITE),
    EXPORT_ROUTE(dom_program, "programs", "programs", AZ_SIGNED_IN),
    ENTITY_ROUTES(dom_cohort, "cohorts", "cohorts", AZ_COHORT_READ, AZ_COHORT_READ, AZ_INST_WRITE, AZ_INST_WRITE,
                  AZ_INST_WRITE),
    EXPORT_ROUTE(dom_cohort, "cohorts", "cohorts", AZ_COHORT_READ),
    ENTITY_ROUTES(dom_person, "persons", "persons", AZ_PERSON_LIST, AZ_PERSON_READ, AZ_PERSON_CREATE,
                  AZ_PERSON_WRITE, AZ_ADMIN),
    EXPORT_ROUTE(dom_person, "persons", "persons", AZ_PERSON_LIST),
    {HM_POST, "/api/v1/persons/{id}/erase", api_person_erase, &dom_person, 0, "persons",
     "Erase a person's personal data, keeping anonymous aggregates", AZ_ADMIN},
    ENTITY_ROUTES(dom_enrollment, "enrollments", "enrollments", AZ_ENROLL_READ, AZ_ENROLL_READ, AZ_ENROLL_WRITE,
                  AZ_ENROLL_PATCH, AZ_ENROLL_WRITE),
    EXPORT_ROUTE(dom_enrollment, "enrollments", "enrollments", AZ_ENROLL_READ),
    {HM_POST, "/api/v1/enrollments/{id}/withdraw", api_enrollment_withdraw, &dom_enrollment, R_BODY_OPT,
     "enrollments", "Withdraw (always allowed, no If-Match needed; optional reason)", AZ_WITHDRAW},

    ENTITY_ROUTES(dom_user, "users", "accounts", AZ_ADMIN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    {HM_GET, "/api/v1/grants", api_entity_list, &dom_grant, 0, "accounts", "List role grants (user, role filters)",
     AZ_ADMIN},
    {HM_POST, "/api/v1/grants", api_entity_create, &dom_grant, R_BODY | R_CREATED, "accounts", "Grant a role to a user", AZ_ADMIN},
    {HM_GET, "/api/v1/grants/{id}", api_entity_get, &dom_grant, 0, "accounts", "Read one grant", AZ_ADMIN},
    {HM_DELETE, "/api/v1/grants/{id}", api_entity_delete, &dom_grant, R_NO_CONTENT, "accounts", "Revoke a grant", AZ_ADMIN},
    {HM_GET, "/api/v1/tokens", api_tokens_list, NULL, 0, "accounts", "List API tokens (never their secrets)",
     AZ_ADMIN},
    {HM_POST, "/api/v1/tokens", api_token_create, NULL, R_BODY | R_CREATED, "accounts",
     "Create an API token for an integration (shown once)", AZ_ADMIN},
    {HM_DELETE, "/api/v1/tokens/{id}", api_token_revoke, NULL, R_NO_CONTENT, "accounts", "Revoke an API token", AZ_ADMIN},

    ENTITY_ROUTES(dom_edition, "editions", "competitions", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    {HM_POST, "/api/v1/editions/{id}/transition", api_edition_transition, &dom_edition, R_BODY, "competitions",
     "Move the edition on: draft, registration, marking, locked, published", AZ_ADMIN},
    {HM_GET, "/api/v1/editions/{id}/results", api_edition_results, &dom_edition, 0, "competitions",
     "Results: raw and standard scores, ranks, medals, the institution table (?format=csv|xlsx)", AZ_SIGNED_IN},
    {HM_GET, "/api/v1/public/editions/{id}/results", api_public_results, &dom_edition, 0, "competitions",
     "Published results, for everyone (404 until the edition is published)", AZ_PUBLIC},
    {HM_GET, "/api/v1/public/editions", api_public_editions, NULL, 0, "competitions",
     "The published editions, newest first, for everyone (the public results pages)", AZ_PUBLIC},
    ENTITY_ROUTES(dom_category, "categories", "competitions", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    {HM_POST, "/api/v1/categories/{id}/lock", api_category_lock, &dom_category, 0, "competitions",
     "Lock the category's marks (refused, listing them, while marks are missing)", AZ_CHIEF},
    {HM_GET, "/api/v1/categories/{id}/review", api_category_review, &dom_category, 0, "competitions",
     "Judgement aspects whose scores differ by more than one point", AZ_CHIEF},
    {HM_GET, "/api/v1/categories/{id}/marks", api_category_marks, &dom_category, 0, "competitions",
     "Every judge's marks in the category, with their corrections (who, when, why, old and new value)", AZ_CHIEF},
    ENTITY_ROUTES(dom_criterion, "criteria", "competitions", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    ENTITY_ROUTES(dom_aspect, "aspects", "competitions", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    {HM_GET, "/api/v1/competitors", api_entity_list, &dom_competitor, 0, "competitions", "List competitors",
     AZ_SIGNED_IN},
    {HM_POST, "/api/v1/competitors", api_entity_create, &dom_competitor, R_BODY | R_CREATED, "competitions",
     "Enter a learner (with their consent) while registration is open", AZ_COMP_ENTER},
    {HM_GET, "/api/v1/competitors/{id}", api_entity_get, &dom_competitor, 0, "competitions", "Read one entry",
     AZ_SIGNED_IN},
    {HM_DELETE, "/api/v1/competitors/{id}", api_entity_delete, &dom_competitor, R_NO_CONTENT, "competitions",
     "Remove an entry made in error (before marking, with no marks)", AZ_ADMIN},
    {HM_POST, "/api/v1/competitors/{id}/withdraw", api_competitor_withdraw, &dom_competitor, R_BODY_OPT,
     "competitions", "Withdraw from the competition (until marking starts)", AZ_COMP_ENTER},
    ENTITY_ROUTES(dom_judge, "judges", "competitions", AZ_SIGNED_IN, AZ_SIGNED_IN, AZ_ADMIN, AZ_ADMIN, AZ_ADMIN),
    {HM_GET, "/api/v1/marks", api_entity_list, &dom_mark, 0, "competitions",
     "List marks (a judge sees their own)", AZ_MARK},
    {HM_POST, "/api/v1/marks", api_entity_create, &dom_mark, R_BODY | R_CREATED, "competitions",
     "Enter a mark, as the signed-in judge", AZ_MARK},
    {HM_GET, "/api/v1/marks/{id}", api_entity_get, &dom_mark, 0, "competitions", "Read one mark", AZ_MARK},
    {HM_PATCH, "/api/v1/marks/{id}", api_entity_update, &dom_mark, R_BODY | R_IF_MATCH, "competitions",
     "Change your mark before the lock (If-Match required)", AZ_MARK},
    {HM_POST, "/api/v1/marks/{id}/correction", api_mark_correction, &dom_mark, R_BODY, "competitions",
     "Correct a mark after the lock, with a reason (the old value is kept)", AZ_CHIEF},

    {HM_POST, "/api/v1/imports", api_import_create, NULL, R_UPLOAD | R_ACCEPTED, "imports",
     "Upload a CSV (text/csv) to import in the background: ?kind=persons, &skip_invalid=true, &map=H=F,..., "
     "&name=FILE, &institution=ID (staff: theirs, the default); answers 202 with the import and its Location",
     AZ_IMPORT},
    {HM_GET, "/api/v1/imports", api_imports_list, NULL, 0, "imports", "My imports, newest first (limit, before)",
     AZ_IMPORT},
    {HM_GET, "/api/v1/imports/{id}", api_import_get, NULL, 0, "imports",
     "An import: status (queued, running, done, failed), progress, counts, error report (?format=csv)", AZ_IMPORT},

    {HM_GET, "/api/v1/audit", api_audit_list, NULL, 0, "audit", "Read the audit log (entity, actor, since, after)",
     AZ_ADMIN},
    {HM_GET, "/api/v1/audit/verify", api_audit_verify, NULL, 0, "audit",
     "Recompute the audit log's hash chain; names the first entry that does not match", AZ_ADMIN},
    {HM_GET, "/api/v1/competitions/stats", api_competition_stats, NULL, 0, "competitions",
     "History: per edition participants, categories, institutions, by sex, medals, growth "
     "(?format=csv, &table=editions|medals)", AZ_SIGNED_IN},
    {HM_GET, "/api/v1/stats/overview", api_stats_overview, NULL, 0, "statistics",
     "Key figures for the whole region or one institution (?institution=): learners, enrollments by status, "
     "active cohorts, enrollments by program and by home area, competition participation per year", AZ_STATS},
};
const int http_nroutes = sizeof http_routes / sizeof http_routes[0];
