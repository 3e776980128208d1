/* authz.c: the access rules (one table) and the one function that applies
 * them to a request: signed in or not, which of the caller's roles allow
 * the route, and for scoped roles whether the record, the new record's
 * parent, or the list lies within their scope. */
#include "authz.h"
#include "../api/api.h"
#include "../domain/comp.h"
#include "../domain/scope.h"
#include <string.h>

#define ALL AZ_ALL
#define SCO AZ_SCOPED
#define NO AZ_NO

/*                          name            public any   admin staff trainer judge learner */
const az_rule az_rules[AZ__MAX] = {
    [AZ_PUBLIC] = {"public", 1, 1, {ALL, ALL, ALL, ALL, ALL}, "anyone, without signing in"},
    [AZ_SIGNED_IN] = {"signed_in", 0, 1, {ALL, ALL, ALL, ALL, ALL}, "any signed-in user"},
    [AZ_ADMIN] = {"admin", 0, 0, {ALL, NO, NO, NO, NO}, "region administrators"},
    [AZ_INST_WRITE] = {"institution_write", 0, 0, {ALL, SCO, NO, NO, NO},
                       "region administrators; staff of the record's institution"},
    [AZ_COHORT_READ] = {"cohort_read", 0, 0, {ALL, SCO, SCO, NO, NO},
                        "region administrators; staff of its institution; its trainers"},
    [AZ_PERSON_LIST] = {"person_list", 0, 0, {ALL, SCO, SCO, NO, NO},
                        "region administrators; staff (their institution's persons); trainers (their learners)"},
    [AZ_PERSON_READ] = {"person_read", 0, 0, {ALL, SCO, SCO, NO, SCO},
                        "region administrators; staff (their institution's persons); trainers (their learners); "
                        "learners (their own record)"},
    [AZ_PERSON_CREATE] = {"person_create", 0, 0, {ALL, SCO, NO, NO, NO},
                          "region administrators; staff (registered to their institution)"},
    [AZ_PERSON_WRITE] = {"person_write", 0, 0, {ALL, SCO, NO, NO, SCO},
                         "region administrators; staff of their institution; learners their own record"},
    [AZ_ENROLL_READ] = {"enrollment_read", 0, 0, {ALL, SCO, SCO, NO, SCO},
                        "region administrators; staff; the cohort's trainers; the learner"},
    [AZ_ENROLL_WRITE] = {"enrollment_write", 0, 0, {ALL, SCO, NO, NO, NO},
                         "region administrators; staff of the cohort's institution"},
    [AZ_ENROLL_PATCH] = {"enrollment_update", 0, 0, {ALL, SCO, SCO, NO, NO},
                         "region administrators; staff; the cohort's trainers"},
    [AZ_WITHDRAW] = {"withdraw", 0, 0, {ALL, SCO, NO, NO, SCO},
                     "region administrators; staff of the institution; the learner themself"},
    [AZ_COMP_ENTER] = {"competition_entry", 0, 0, {ALL, SCO, NO, NO, NO},
                       "region administrators; staff of the entering institution"},
    [AZ_MARK] = {"marking", 0, 0, {ALL, NO, NO, SCO, NO}, "region administrators; judges of the category"},
    [AZ_CHIEF] = {"chief_judge", 0, 0, {ALL, NO, NO, SCO, NO}, "region administrators; the category's chief judge"},
    [AZ_STATS] = {"statistics", 0, 0, {ALL, SCO, NO, NO, NO},
                  "region administrators; staff (their own institution's figures)"},
    [AZ_IMPORT] = {"import", 0, 0, {ALL, SCO, NO, NO, NO},
                   "region administrators; staff (into their own institution, and its imports)"},
};

/* The scope each role acts in (judges: competition categories, later). */
static const int aRoleScope[ROLE__MAX] = {-1, SCOPE_INSTITUTION, SCOPE_TRAINER, SCOPE_JUDGE, SCOPE_SELF};

/* Routes whose record scope is narrower than their entity's. */
static const struct {
  const char *zPath, *zScope;
} aScopeOverride[] = {
    {"/api/v1/categories/{id}/lock", "category_chief"},
    {"/api/v1/categories/{id}/review", "category_chief"},
    {"/api/v1/categories/{id}/marks", "category_chief"},
    {"/api/v1/marks/{id}/correction", "mark_chief"},
};

/* Where a new record's scope is decided: the parent it names in the body.
 * With bFill, a scoped caller who names none gets their own. */
static const struct {
  const char *zEntity, *zParent, *zField;
  int bFill;
  int bOpen;   /* a parent in nobody's scope (e.g. a person no institution registered) is allowed */
} aCreateScope[] = {
    {"program", "institution", "institution_id", 1, 0},
    {"cohort", "program", "program_id", 0, 0},
    {"enrollment", "cohort", "cohort_id", 0, 0},
    {"enrollment", "person", "person_id", 0, 1},   /* staff enroll their own or unattached persons */
    {"person", "institution", "institution_id", 1, 0},
    {"competitor", "institution", "institution_id", 1, 0},
    {"mark", "competitor", "competitor_id", 0, 0},
};

/* The list filter that confines a list to a scope. */
static const struct {
  const char *zEntity;
  scope_kind kind;
  const char *zFilter;
} aListScope[] = {
    {"cohort", SCOPE_INSTITUTION, "institution"}, {"cohort", SCOPE_TRAINER, "trainer"},
    {"person", SCOPE_INSTITUTION, "institution"}, {"person", SCOPE_TRAINER, "trainer"},
    {"enrollment", SCOPE_INSTITUTION, "institution"}, {"enrollment", SCOPE_TRAINER, "trainer"},
    {"enrollment", SCOPE_SELF, "person"},
    {"mark", SCOPE_JUDGE, "judge"},
};

/* Routes that are not about one entity but take a parameter naming the
 * scope (e.g. ?institution=): the parameter the router confines, as for a
 * list (the handler applies it with api_forced_id). */
static const struct {
  const char *zPath;
  scope_kind kind;
  const char *zFilter;
} aQueryScope[] = {
    {"/api/v1/stats/overview", SCOPE_INSTITUTION, "institution"},
    {"/api/v1/imports", SCOPE_INSTITUTION, "institution"},
    {"/api/v1/imports/{id}", SCOPE_INSTITUTION, "institution"},
};

typedef struct candidate {
  auth_role role;
  scope_kind kind;
  int64_t value;
} candidate;

/* What a scoped role may change in a record it may update: only these body
 * fields, and (when listed) only to these values. A role with no line here
 * may change every field its rule allows. */
static const struct {
  int az;
  auth_role role;
  const char *zField;
  const char *const *azValue;  /* NULL: any value */
} aFieldLimit[] = {
    /* trainers record the end of training, nothing else */
    {AZ_ENROLL_PATCH, ROLE_TRAINER, "status", (const char *const[]){"completed", "not_completed", NULL}},
    /* learners keep their own contact details up to date */
    {AZ_PERSON_WRITE, ROLE_LEARNER, "phone", NULL},
    {AZ_PERSON_WRITE, ROLE_LEARNER, "email", NULL},
    {AZ_PERSON_WRITE, ROLE_LEARNER, "home_area_id", NULL},
};

/* 1 when the body only changes what role may change under rule az. */
static int fields_allowed(http_req *r, auth_role role, const char **pzWhy) {
  int bLimited = 0;
  for (size_t i = 0; i < sizeof aFieldLimit / sizeof aFieldLimit[0]; i++)
    bLimited |= aFieldLimit[i].az == r->pRoute->az && aFieldLimit[i].role == role;
  if (!bLimited || !r->pBody) return 1;
  const char *zKey;
  json_t *j;
  json_object_foreach(r->pBody, zKey, j) {
    size_t i = 0;
    for (; i < sizeof aFieldLimit / sizeof aFieldLimit[0]; i++)
      if (aFieldLimit[i].az == r->pRoute->az && aFieldLimit[i].role == role && !strcmp(aFieldLimit[i].zField, zKey))
        break;
    if (i == sizeof aFieldLimit / sizeof aFieldLimit[0]) {
      *pzWhy = zKey;
      return 0;
    }
    if (aFieldLimit[i].azValue) {
      const char *const *pz = aFieldLimit[i].azValue;
      while (*pz && !(json_is_string(j) && !strcmp(*pz, json_string_value(j)))) pz++;
      if (!*pz) {
        *pzWhy = zKey;
        return 0;
      }
    }
  }
  return 1;
}

static int deny(http_req *r, const az_rule *pRule, gerr *e) {
  return gerr_set(e, GERR_FORBIDDEN, NULL, "%s %s is for %s", http_method_name(r->method), r->pRoute->zPath,
                  pRule->zHelp);
}

/* deny for a record of scope zScope (id) outside every candidate's scope,
 * in the domain's words when it has them (a judge outside their category). */
static int deny_record(http_req *r, const az_rule *pRule, const char *zScope, int64_t id, candidate *a, int n,
                       gerr *e) {
  dom_ctx c = api_ctx(r);
  for (int i = 0; i < n; i++)
    if (a[i].kind == SCOPE_JUDGE && comp_judge_refusal(&c, zScope, id, a[i].value, e)) return -1;
  return deny(r, pRule, e);
}

static int authorize_record(http_req *r, const dom_entity *pEnt, candidate *a, int n, const az_rule *pRule, gerr *e) {
  dom_ctx c = api_ctx(r);
  const char *zWhy = NULL, *zScope = pEnt->zName;
  for (size_t k = 0; k < sizeof aScopeOverride / sizeof aScopeOverride[0]; k++)
    if (!strcmp(aScopeOverride[k].zPath, r->pRoute->zPath)) zScope = aScopeOverride[k].zScope;
  for (int i = 0; i < n; i++) {
    int rc = scope_contains(&c, zScope, r->aId[0], a[i].kind, a[i].value, e);
    if (rc < 0) return -1;
    if (rc && fields_allowed(r, a[i].role, &zWhy)) return 0;
  }
  if (zWhy)
    return gerr_set(e, GERR_FORBIDDEN, zWhy, "%s: as %s you may not change this (or not to this value)", zWhy,
                    auth_role_names[a[0].role]);
  int rc = dom_exists(&c, pEnt, r->aId[0], e);
  if (rc < 0) return -1;
  return rc ? deny_record(r, pRule, zScope, r->aId[0], a, n, e) : 0;   /* no such record: the handler answers 404 */
}

/* One parent check of a new record: 0 allowed, -1 denied or error. */
static int create_check(http_req *r, size_t i, candidate *a, int n, const az_rule *pRule, gerr *e) {
  json_t *j = json_object_get(r->pBody, aCreateScope[i].zField);
  if (!j || json_is_null(j)) {
    for (int k = 0; k < n; k++)
      if (aCreateScope[i].bFill && a[k].kind == SCOPE_INSTITUTION) {
        json_object_set_new(r->pBody, aCreateScope[i].zField, json_integer(a[k].value));
        return 0;
      }
    return j ? deny(r, pRule, e) : 0;   /* missing: validation will say it is required */
  }
  if (!json_is_integer(j)) return 0;    /* wrong type: validation answers */
  dom_ctx c = api_ctx(r);
  int64_t idParent = json_integer_value(j);
  for (int k = 0; k < n; k++) {
    int rc = scope_contains(&c, aCreateScope[i].zParent, idParent, a[k].kind, a[k].value, e);
    if (rc < 0) return -1;
    if (rc) return 0;
  }
  int rc = dom_exists(&c, dom_entity_find(aCreateScope[i].zParent), idParent, e);
  if (rc <= 0) return rc;               /* no such parent: validation answers */
  if (aCreateScope[i].bOpen) {
    rc = scope_open(&c, aCreateScope[i].zParent, idParent, e);
    if (rc) return rc < 0 ? -1 : 0;
  }
  return deny_record(r, pRule, aCreateScope[i].zParent, idParent, a, n, e);
}

static int authorize_create(http_req *r, const dom_entity *pEnt, candidate *a, int n, const az_rule *pRule, gerr *e) {
  int bAny = 0;
  if (!r->pBody) return deny(r, pRule, e);
  for (size_t i = 0; i < sizeof aCreateScope / sizeof aCreateScope[0]; i++) {
    if (strcmp(aCreateScope[i].zEntity, pEnt->zName)) continue;
    bAny = 1;
    if (create_check(r, i, a, n, pRule, e)) return -1;
  }
  return bAny ? 0 : deny(r, pRule, e);
}

/* Confines the scope parameter of an aQueryScope route to the caller's
 * values of that scope kind. */
static int authorize_query(http_req *r, size_t i, candidate *a, int n, const az_rule *pRule, gerr *e) {
  r->forced.zFilter = aQueryScope[i].zFilter;
  r->forced.nValue = 0;
  for (int k = 0; k < n && r->forced.nValue < 16; k++)
    if (a[k].kind == aQueryScope[i].kind) r->forced.aValue[r->forced.nValue++] = a[k].value;
  return r->forced.nValue ? 0 : deny(r, pRule, e);
}

static int authorize_list(http_req *r, const dom_entity *pEnt, candidate *a, int n, const az_rule *pRule, gerr *e) {
  for (size_t i = 0; i < sizeof aListScope / sizeof aListScope[0]; i++) {
    if (strcmp(aListScope[i].zEntity, pEnt->zName) || aListScope[i].kind != a[0].kind) continue;
    r->forced.zFilter = aListScope[i].zFilter;
    r->forced.nValue = 0;
    for (int k = 0; k < n && r->forced.nValue < 16; k++)
      if (a[k].kind == a[0].kind) r->forced.aValue[r->forced.nValue++] = a[k].value;
    return 0;
  }
  return deny(r, pRule, e);
}

int az_authorize(http_req *r, gerr *e) {
  const az_rule *pRule = &az_rules[r->pRoute->az];
  const auth_user *u = r->pAuth;
  if (pRule->bPublic) return 0;
  if (!u->bSignedIn) return gerr_set(e, GERR_UNAUTHORIZED, NULL, "sign in first (POST /api/v1/session)");
  if (pRule->bAnyUser) return 0;
  candidate a[AUTH_MAXGRANT];
  int n = 0;
  for (int i = 0; i < u->nGrant; i++) {
    auth_role role = u->aGrant[i].role;
    if (pRule->aRole[role] == AZ_ALL) return 0;
    if (pRule->aRole[role] != AZ_SCOPED || aRoleScope[role] < 0) continue;
    a[n].role = role;
    a[n].kind = (scope_kind)aRoleScope[role];
    a[n].value = role == ROLE_INSTITUTION_STAFF ? u->aGrant[i].institution_id : u->person_id;
    n++;
  }
  for (size_t i = 0; n && i < sizeof aQueryScope / sizeof aQueryScope[0]; i++)
    if (!strcmp(aQueryScope[i].zPath, r->pRoute->zPath)) return authorize_query(r, i, a, n, pRule, e);
  const dom_entity *pEnt = NULL;
  for (int i = 0; i < dom_nentities; i++)
    if (r->pRoute->pArg == dom_entities[i]) pEnt = dom_entities[i];
  if (n == 0 || !pEnt) return deny(r, pRule, e);
  if (r->pRoute->xHandler == api_entity_list || (r->pRoute->flags & R_LIST))
    return authorize_list(r, pEnt, a, n, pRule, e);
  if (r->pRoute->xHandler == api_entity_create) return authorize_create(r, pEnt, a, n, pRule, e);
  if (strstr(r->pRoute->zPath, "{id}")) return authorize_record(r, pEnt, a, n, pRule, e);
  return deny(r, pRule, e);
}
