/* routes.c: the route table of the API. The routes of every entity (list,
 * create, read, change, delete, and the list as a file) are derived from
 * the domain's modules (src/domain/modules.c): their paths, help and access
 * rules come from the entity's own declaration. What is not an entity's
 * record operation is declared here, one table per module, with its method,
 * path, handler, argument (the entity its {id} names), flags, OpenAPI tag,
 * help text (also the OpenAPI summary) and access rule. */
#include "http/http.h"
#include "api/api.h"
#include "domain/engine/module.h"
#include "domain/registry/registry.h"
#include "domain/competition/comp.h"
#include "domain/imports/import_job.h"
#include "domain/training/training.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern dom_entity dom_edition, dom_category, dom_competitor, dom_mark;

/* meta, signing in, and what every user does for themself */
static const route aMeta[] = {
    {HM_GET, "/", api_index, NULL, 0, "meta", "Where things are: the API root and its reference", &pol_public},
    {HM_GET, "/api/v1/health", api_health, NULL, 0, "meta", "Liveness and schema version", &pol_public},
    {HM_GET, "/api/v1/openapi.json", api_openapi, NULL, 0, "meta", "This API's OpenAPI 3.1 document", &pol_public},
    {HM_GET, "/api/v1/occupations", api_occupations, NULL, 0, "meta",
     "ISCO-08 occupation groups (level, q filters)", &pol_public},
    {HM_POST, "/api/v1/session", api_login, NULL, R_BODY, "session",
     "Sign in with username and password: sets the session cookie, returns the CSRF token", &pol_public},
    {HM_DELETE, "/api/v1/session", api_logout, NULL, R_NO_CONTENT | R_FIRST_SIGN_IN, "session",
     "Sign out (ends this session)", &pol_signed_in},
    {HM_GET, "/api/v1/me", api_me, NULL, R_FIRST_SIGN_IN, "session",
     "Who I am: account, roles, person, and whether my one-time password must be changed first", &pol_signed_in},
    {HM_GET, "/api/v1/me/export", api_me_export, NULL, 0, "session", "Everything guild holds about me, as JSON",
     &pol_signed_in},
    {HM_GET, "/api/v1/me/sessions", api_me_sessions, NULL, 0, "session", "My open sessions", &pol_signed_in},
    {HM_DELETE, "/api/v1/me/sessions/{id}", api_me_session_revoke, NULL, R_NO_CONTENT, "session",
     "End one of my sessions", &pol_signed_in},
    {HM_POST, "/api/v1/me/password", api_me_password, NULL, R_BODY | R_FIRST_SIGN_IN, "session",
     "Change my password (ends my other sessions); a one-time password must be changed before anything else",
     &pol_signed_in},
};

static const route aRegistry[] = {
    {HM_POST, "/api/v1/persons/{id}/erase", api_person_erase, &dom_person, R_DOMAIN, "persons",
     "Erase a person's personal data, keeping anonymous aggregates", &pol_admin},
    {HM_POST, "/api/v1/enrollments/{id}/withdraw", api_enrollment_withdraw, &dom_enrollment, R_BODY_OPT | R_DOMAIN,
     "enrollments", "Withdraw (always allowed, no If-Match needed; optional reason)", &reg_rule_withdraw},
    {HM_GET, "/api/v1/stats/overview", api_stats_overview, NULL, 0, "statistics",
     "Key figures for the whole region or one institution (?institution=): learners, enrollments by status, "
     "active cohorts, enrollments by program and by home area, competition participation per year",
     &reg_rule_statistics},
};

extern dom_entity dom_user;
static const route aAccounts[] = {
    {HM_GET, "/api/v1/accounts", api_accounts_list, &dom_user, R_DOMAIN, "accounts",
     "Accounts with their role grants and open sessions: the users list's filters (q, role, username, person) "
     "and paging", &pol_admin},
    {HM_POST, "/api/v1/users/{id}/password_reset", api_user_password_reset, &dom_user, R_DOMAIN, "accounts",
     "Reset the user's password: a new one-time password, shown once in the answer, to be changed at the next "
     "sign-in; ends the user's sessions", &pol_admin},
    {HM_GET, "/api/v1/users/{id}/sessions", api_user_sessions, &dom_user, R_DOMAIN, "accounts",
     "The user's open sessions", &pol_admin},
    {HM_DELETE, "/api/v1/users/{id}/sessions/{id}", api_user_session_revoke, &dom_user, R_NO_CONTENT | R_DOMAIN,
     "accounts", "End one of the user's sessions", &pol_admin},
    {HM_GET, "/api/v1/tokens", api_tokens_list, NULL, R_DOMAIN, "accounts", "List API tokens (never their secrets)",
     &pol_admin},
    {HM_POST, "/api/v1/tokens", api_token_create, NULL, R_BODY | R_CREATED | R_DOMAIN, "accounts",
     "Create an API token for an integration (shown once): name, role, institution_id, expires_in_days "
     "(1 to 730; none: it does not expire)", &pol_admin},
    {HM_DELETE, "/api/v1/tokens/{id}", api_token_revoke, NULL, R_NO_CONTENT | R_DOMAIN, "accounts", "Revoke an API token",
     &pol_admin},
    {HM_GET, "/api/v1/audit", api_audit_list, NULL, R_DOMAIN, "audit",
     "Read the audit log (entity, entity_id, actor, since, until, after, limit)", &pol_admin},
    {HM_GET, "/api/v1/audit/verify", api_audit_verify, NULL, R_DOMAIN, "audit",
     "Recompute the audit log's hash chain; names the first entry that does not match", &pol_admin},
};

/* a marking scheme uploaded as CSV: a small file */
static const char *const azSchemeMedia[] = {"text/csv", NULL};
static const http_upload schemeUpload = {azSchemeMedia, HTTP_MAX_BODY};
static const route aCompetition[] = {
    {HM_POST, "/api/v1/editions/{id}/transition", api_edition_transition, &dom_edition, R_BODY | R_DOMAIN, "competitions",
     "Move the edition on: draft, registration, marking, locked, published", &pol_admin},
    {HM_GET, "/api/v1/editions/{id}/results", api_edition_results, &dom_edition, R_DOMAIN, "competitions",
     "Results: raw and standard scores, ranks, medals, the institution table (?format=csv|xlsx); until "
     "publication provisional: for administrators and the judges of the edition's categories (theirs only)",
     &comp_rule_results},
    {HM_GET, "/api/v1/public/editions/{id}/results", api_public_results, &dom_edition, 0, "competitions",
     "Published results, for everyone (404 until the edition is published)", &pol_public},
    {HM_GET, "/api/v1/public/editions", api_public_editions, NULL, 0, "competitions",
     "The published editions, newest first, for everyone (the public results pages)", &pol_public},
    {HM_POST, "/api/v1/categories/{id}/lock", api_category_lock, &dom_category, R_DOMAIN, "competitions",
     "Lock the category's marks (refused, listing them, while marks are missing)", &comp_rule_chief},
    {HM_GET, "/api/v1/categories/{id}/review", api_category_review, &dom_category, R_DOMAIN, "competitions",
     "Judgement aspects whose scores differ by more than one point", &comp_rule_chief},
    {HM_GET, "/api/v1/categories/{id}/marks", api_category_marks, &dom_category, R_DOMAIN, "competitions",
     "Every judge's marks in the category, with their corrections (who, when, why, old and new value)",
     &comp_rule_chief},
    {HM_POST, "/api/v1/competitors/{id}/withdraw", api_competitor_withdraw, &dom_competitor, R_BODY_OPT | R_DOMAIN,
     "competitions", "Withdraw from the competition (until marking starts)", &comp_rule_entry},
    {HM_POST, "/api/v1/marks/{id}/correction", api_mark_correction, &dom_mark, R_BODY | R_DOMAIN, "competitions",
     "Correct a mark after the lock, with a reason (the old value is kept)", &comp_rule_mark_chief},
    {HM_GET, "/api/v1/competitions/stats", api_competition_stats, NULL, 0, "competitions",
     "History: per edition participants, categories, institutions, by sex, medals, growth "
     "(?format=csv, &table=editions|medals)", &pol_signed_in},
    /* in one call what the record routes do one by one: all rows or none, every refused row named (error.rows) */
    {HM_POST, "/api/v1/competitors/{id}/marks", api_competitor_marks_enter, &dom_competitor,
     R_BODY | R_CREATED | R_DOMAIN, "competitions",
     "Enter the competitor's marks in one call, as the signed-in judge: {marks: [{aspect_id, value}]}; all or "
     "nothing, each refused row named", &comp_rule_marking},
    {HM_POST, "/api/v1/categories/{id}/marks", api_category_marks_enter, &dom_category, R_BODY | R_CREATED | R_DOMAIN,
     "competitions", "Enter the signed-in judge's marks for the category in one call: {marks: [{competitor_id, "
     "aspect_id, value}]}; all or nothing, each refused row named", &comp_rule_marking},
    {HM_POST, "/api/v1/categories/{id}/competitors", api_category_competitors_enter, &dom_category,
     R_BODY | R_CREATED | R_DOMAIN, "competitions",
     "Enter learners in the category in one call (registration): {competitors: [{person_id, institution_id, "
     "consent}]}; all or nothing, each refused row named", &comp_rule_entry},
    {HM_GET, "/api/v1/categories/{id}/scheme", api_category_scheme, &dom_category, R_DOMAIN, "competitions",
     "The category's marking scheme as CSV, one row per aspect (what guild competition scheme export writes)",
     &pol_signed_in},
    {HM_POST, "/api/v1/categories/{id}/scheme", api_category_scheme_import, &schemeUpload,
     R_UPLOAD | R_CREATED | R_DOMAIN, "competitions",
     "Import the category's marking scheme from CSV (text/csv of at most 1 MiB, the export's columns) while the "
     "edition is in draft; "
     "all or nothing, each refused row named", &pol_admin},
    {HM_POST, "/api/v1/categories/{id}/scheme/copy", api_category_scheme_copy, &dom_category,
     R_BODY | R_CREATED | R_DOMAIN, "competitions",
     "Copy another category's marking scheme (of any edition) into this one, in draft: {from_category_id}",
     &pol_admin},
    {HM_POST, "/api/v1/categories/{id}/judges", api_category_judge_assign, &dom_category,
     R_BODY | R_CREATED | R_DOMAIN, "competitions",
     "Assign a judge in one call: the person (person_id, or person: a new one), the account (user_id, or username: "
     "a new one whose one-time password the answer shows once), the judge grant and the assignment "
     "(institution_id, chief); one transaction", &pol_admin},
};

/* training: sessions and attendance */
static const route aTrainingAttendance[] = {
    {HM_GET, "/api/v1/training_sessions/{id}/attendance", api_session_roster, &dom_training_session, R_DOMAIN,
     "attendance", "The session's learners with their marks and each mark's changes (who, when, why, old value), "
     "the statuses in force and the reasons for a late change", &trn_rule_attendance},
    {HM_POST, "/api/v1/training_sessions/{id}/attendance", api_session_take, &dom_training_session, R_BODY | R_DOMAIN,
     "attendance", "Take the session's attendance in one call: {marks: [{person_id, status, reason}], reason}; all or "
     "nothing (each refused row named); only enrolled learners; after the session's day a change needs a reason",
     &trn_rule_attendance},
    {HM_GET, "/api/v1/training_sessions/{id}/check_in_code", api_session_code, &dom_training_session, R_DOMAIN,
     "attendance", "The check-in code shown now (6 digits, a new one every 30 seconds), its expiry and the check-in "
     "link to draw as a QR code (409 outside the check-in time)", &trn_rule_attendance},
    {HM_POST, "/api/v1/training_sessions/{id}/check_in", api_session_check_in, &dom_training_session,
     R_BODY | R_DOMAIN, "attendance", "Check in with the code the trainer shows: {code}; learners enrolled in the "
     "cohort, during the session (15 minutes before to 5 after); checking in again changes nothing",
     &trn_rule_check_in},
    {HM_GET, "/api/v1/cohorts/{id}/attendance", api_cohort_attendance, &dom_cohort, R_DOMAIN, "attendance",
     "Every learner's attendance rate in the cohort, by status and per skill of the program, with the threshold",
     &trn_rule_attendance},
    {HM_GET, "/api/v1/cohorts/{id}/support_list", api_cohort_support, &dom_cohort, R_DOMAIN, "attendance",
     "The cohort's enrolled learners below the program's attendance threshold (default 80%), to offer support: "
     "never a sanction", &trn_rule_attendance},
    {HM_GET, "/api/v1/me/attendance", api_me_attendance, NULL, R_DOMAIN, "attendance",
     "My attendance: per cohort my rate, per skill, and every mark", &trn_rule_own_attendance},
};

static const route aImports[] = {
    {HM_POST, "/api/v1/imports", api_import_create, NULL, R_UPLOAD | R_ACCEPTED, "imports",
     "Upload a CSV (text/csv) to import in the background: ?kind=persons, &skip_invalid=true, &map=H=F,..., "
     "&name=FILE, &institution=ID (staff: theirs, the default); answers 202 with the import and its Location",
     &imp_rule_import},
    {HM_GET, "/api/v1/imports", api_imports_list, NULL, 0, "imports", "My imports, newest first (limit, before)",
     &imp_rule_import},
    {HM_GET, "/api/v1/imports/{id}", api_import_get, NULL, 0, "imports",
     "An import: status (queued, running, done, failed), progress, counts, error report (?format=csv)",
     &imp_rule_import},
};

/* the training module: assessment and awards (docs/assessment.md) */
static const http_upload evidenceUpload = {asmt_evidence_types, ASMT_EVIDENCE_MAX};
static const route aAssessment[] = {
    {HM_POST, "/api/v1/assessments/{id}/results", api_assessment_results, &dom_assessment, R_BODY | R_CREATED | R_DOMAIN,
     "assessment",
     "Record a learner's results in the event: a decision on every criterion of its unit (competent needs the four "
     "declarations and current, sufficient evidence), all or nothing; answers the results and the awards they made",
     &asmt_rule_record},
    {HM_POST, "/api/v1/assessments/{id}/evidence", api_evidence_upload, &evidenceUpload,
     R_UPLOAD | R_CREATED | R_DOMAIN, "assessment",
     "Add evidence (the body: a JPEG, PNG, WebP or PDF file of at most 10 MiB): ?person=ID (a learner: their own, the "
     "default), &name=FILE, &date=YYYY-MM-DD (the day it was made; default: the event's)",
     &asmt_rule_evidence_upload},
    {HM_GET, "/api/v1/evidence_items/{id}/content", api_evidence_content, &dom_evidence_item, R_DOMAIN, "assessment",
     "The evidence file itself (its media type; saved under its name)", &asmt_rule_evidence},
    {HM_POST, "/api/v1/assessment_appeals/{id}/decision", api_appeal_decision, &dom_assessment_appeal,
     R_BODY | R_DOMAIN, "assessment",
     "Decide a lodged appeal: upheld (the decisions are set aside, the learner is reassessed) or dismissed",
     &asmt_rule_appeal_decide},
    {HM_POST, "/api/v1/skill_awards/{id}/revoke", api_award_revoke, &dom_skill_award, R_BODY | R_DOMAIN, "awards",
     "Revoke a skill award, for a reason from the list (it stays on record)", &asmt_rule_award_revoke},
    {HM_POST, "/api/v1/program_awards/{id}/revoke", api_award_revoke, &dom_program_award, R_BODY | R_DOMAIN, "awards",
     "Revoke a program award, for a reason from the list (it stays on record)", &asmt_rule_award_revoke},
    {HM_GET, "/api/v1/units_of_competency/{id}/agreement", api_unit_agreement, &dom_unit_of_competency, R_DOMAIN,
     "assessment",
     "Agreement between first and second markers on the unit, per cohort (?cohort=) and in all: pairs of decisions, "
     "the share agreeing, Cohen's kappa", &asmt_rule_agreement},
    {HM_GET, "/api/v1/me/awards", api_me_awards, NULL, 0, "awards", "My skill awards and program awards",
     &pol_signed_in},
};

/* The routes of a module beside the ones its entities get. */
static const struct {
  const char *zModule;   /* NULL: not a module's (meta) */
  const route *a;
  int n;
} aOwn[] = {
    {NULL, aMeta, sizeof aMeta / sizeof aMeta[0]},
    {"registry", aRegistry, sizeof aRegistry / sizeof aRegistry[0]},
    {"accounts", aAccounts, sizeof aAccounts / sizeof aAccounts[0]},
    {"competition", aCompetition, sizeof aCompetition / sizeof aCompetition[0]},
    {"training", aTrainingAttendance, sizeof aTrainingAttendance / sizeof aTrainingAttendance[0]},
    {"imports", aImports, sizeof aImports / sizeof aImports[0]},
    {"training", aAssessment, sizeof aAssessment / sizeof aAssessment[0]},
};

route http_routes[HTTP_MAXROUTE];
int http_nroutes;

static char zText[64 * 1024];   /* the derived routes' paths and summaries */
static size_t nText;

static const char *keep(const char *zFmt, const char *zA, const char *zB) {
  int n = snprintf(zText + nText, sizeof zText - nText, zFmt, zA, zB);
  if (n < 0 || (size_t)n >= sizeof zText - nText) g_panic("route texts exceed %zu bytes", sizeof zText);
  const char *z = zText + nText;
  nText += (size_t)n + 1;
  return z;
}

static void add(const route *p) {
  if (http_nroutes >= HTTP_MAXROUTE) g_panic("more than %d routes", HTTP_MAXROUTE);
  http_routes[http_nroutes++] = *p;
}

/* The record operations of pEnt that it offers (a rule for the action). */
static void add_entity(const dom_entity *pEnt) {
  static const struct {
    dom_action act;
    http_method m;
    int bId;
    http_handler x;
    unsigned flags;
    const char *zHelp;   /* %s: the plural, then the name */
  } aOp[] = {
      {DOM_LIST, HM_GET, 0, api_entity_list, 0, "List %s (filtered, paged)"},
      {DOM_CREATE, HM_POST, 0, api_entity_create, R_BODY | R_CREATED, "Create a%.0s %s"},
      {DOM_READ, HM_GET, 1, api_entity_get, 0, "Read one (ETag = version)"},
      {DOM_UPDATE, HM_PATCH, 1, api_entity_update, R_BODY | R_IF_MATCH,
       "Change fields (If-Match required; 412 when stale)"},
      {DOM_DELETE, HM_DELETE, 1, api_entity_delete, R_NO_CONTENT, "Delete (409 while referred to; If-Match optional)"},
  };
  const char *zTag = pEnt->zTag ? pEnt->zTag : pEnt->zPlural;
  const char *zList = keep("/api/v1/%s%s", pEnt->zPlural, ""), *zOne = keep("/api/v1/%s/{id}%s", pEnt->zPlural, "");
  for (size_t i = 0; i < sizeof aOp / sizeof aOp[0]; i++) {
    const pol_rule *pRule = pEnt->apRule[aOp[i].act];
    if (!pRule) continue;
    const char *zHelp = pEnt->azSummary[aOp[i].act];
    route r = {aOp[i].m, aOp[i].bId ? zOne : zList, aOp[i].x, pEnt, aOp[i].flags, zTag,
               zHelp ? zHelp : keep(aOp[i].zHelp, pEnt->zPlural, pEnt->zName), pRule};
    add(&r);
    if (aOp[i].act == DOM_LIST && (pEnt->flags & DOM_EXPORT)) {
      route x = {HM_GET, keep("/api/v1/%s/export%s", pEnt->zPlural, ""), api_entity_export, pEnt, R_LIST, zTag,
                 "The whole filtered list as a file: format=csv (default) or xlsx; the list's filters", pRule};
      add(&x);
    }
  }
}

static void build(void) {
  for (size_t i = 0; i < sizeof aOwn / sizeof aOwn[0]; i++) {
    int bFound = !aOwn[i].zModule;
    for (int m = 0; m < dom_nmodules && !bFound; m++) bFound = strcmp(aOwn[i].zModule, dom_modules[m]->zName) == 0;
    if (!bFound) g_panic("routes for a module that does not exist: %s", aOwn[i].zModule);
  }
  for (size_t i = 0; i < sizeof aOwn / sizeof aOwn[0]; i++)
    if (!aOwn[i].zModule)
      for (int k = 0; k < aOwn[i].n; k++) add(&aOwn[i].a[k]);
  for (int m = 0; m < dom_nmodules; m++) {
    const dom_module *pMod = dom_modules[m];
    for (int k = 0; k < pMod->nEntity; k++) add_entity(pMod->apEntity[k]);
    for (size_t i = 0; i < sizeof aOwn / sizeof aOwn[0]; i++)
      if (aOwn[i].zModule && strcmp(aOwn[i].zModule, pMod->zName) == 0)
        for (int k = 0; k < aOwn[i].n; k++) add(&aOwn[i].a[k]);
  }
}

void http_routes_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, build);
}
