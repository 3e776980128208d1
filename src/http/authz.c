/* authz.c: the access rules (one table) and the one function that applies
 * them to a request: signed in or not, which of the caller's roles allow
 * the route, and for scoped roles whether the record, the new record's
 * parent, or the list lies within their scope. */
#include "authz.h"
#include "../api/api.h"
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
};

/* The scope each role acts in (judges: competition categories, later). */
static const int aRoleScope[ROLE__MAX] = {-1, SCOPE_INSTITUTION, SCOPE_TRAINER, -1, SCOPE_SELF};

/* Where a new record's scope is decided: the parent it names in the body.
 * With bFill, a scoped caller who names none gets their own. */
static const struct {
  const char *zEntity, *zParent, *zField;
  int bFill;
} aCreateScope[] = {
    {"program", "institution", "institution_id", 1},
    {"cohort", "program", "program_id", 0},
    {"enrollment", "cohort", "cohort_id", 0},
    {"person", "institution", "institution_id", 1},
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
};

typedef struct candidate {
  scope_kind kind;
  int64_t value;
} candidate;

static int deny(http_req *r, const az_rule *pRule, gerr *e) {
  return gerr_set(e, GERR_FORBIDDEN, NULL, "%s %s is for %s", http_method_name(r->method), r->pRoute->zPath,
                  pRule->zHelp);
}

static int authorize_record(http_req *r, const dom_entity *pEnt, candidate *a, int n, const az_rule *pRule, gerr *e) {
  dom_ctx c = api_ctx(r);
  for (int i = 0; i < n; i++) {
    int rc = scope_contains(&c, pEnt->zName, r->aId[0], a[i].kind, a[i].value, e);
    if (rc < 0) return -1;
    if (rc) return 0;
  }
  int rc = dom_exists(&c, pEnt, r->aId[0], e);
  if (rc < 0) return -1;
  return rc ? deny(r, pRule, e) : 0;   /* no such record: the handler answers 404 */
}

static int authorize_create(http_req *r, const dom_entity *pEnt, candidate *a, int n, const az_rule *pRule, gerr *e) {
  size_t i = 0;
  while (i < sizeof aCreateScope / sizeof aCreateScope[0] && strcmp(aCreateScope[i].zEntity, pEnt->zName)) i++;
  if (i == sizeof aCreateScope / sizeof aCreateScope[0] || !r->pBody) return deny(r, pRule, e);
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
  if (rc < 0) return -1;
  return rc ? deny(r, pRule, e) : 0;    /* no such parent: validation answers */
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
    a[n].kind = (scope_kind)aRoleScope[role];
    a[n].value = role == ROLE_INSTITUTION_STAFF ? u->aGrant[i].institution_id : u->person_id;
    n++;
  }
  const dom_entity *pEnt = NULL;
  for (int i = 0; i < dom_nentities; i++)
    if (r->pRoute->pArg == dom_entities[i]) pEnt = dom_entities[i];
  if (n == 0 || !pEnt) return deny(r, pRule, e);
  if (r->pRoute->xHandler == api_entity_list) return authorize_list(r, pEnt, a, n, pRule, e);
  if (r->pRoute->xHandler == api_entity_create) return authorize_create(r, pEnt, a, n, pRule, e);
  if (strstr(r->pRoute->zPath, "{id}")) return authorize_record(r, pEnt, a, n, pRule, e);
  return deny(r, pRule, e);
}
