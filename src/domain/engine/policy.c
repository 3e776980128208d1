/* policy.c: the one place where access is decided (see policy.h): which of
 * the actor's roles a rule allows, and for scoped roles whether the record,
 * the parents a new or changed record names, or the list lies within their
 * scope. The scope queries themselves are declared by the modules. */
#include "domain/engine/module.h"
#include <stdio.h>
#include <string.h>

const dom_actor dom_actor_system = {ACTOR_SYSTEM, 0, 0, NULL, 0, 0};

const char *const dom_action_names[DOM__ACTIONS] = {"list", "read", "create", "update", "delete"};

/* The scope each role acts in (the region administrator: none). */
static const int aRoleScope[ROLE__MAX] = {-1, SCOPE_INSTITUTION, SCOPE_TRAINER, SCOPE_JUDGE, SCOPE_SELF};

int pol_role_scope(auth_role role) { return role < ROLE__MAX ? aRoleScope[role] : -1; }

/* One scoped role of the actor that a rule allows within its scope. */
typedef struct cand {
  auth_role role;
  scope_kind kind;
  int64_t value;
} cand;

static const dom_actor *actor_of(const dom_ctx *c) {
  if (!c->pActor) g_panic("a domain call without an actor (set dom_ctx.pActor)");
  return c->pActor;
}

static int deny(const pol_rule *p, gerr *e) {
  return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_FOR_ROLE, NULL, GP_S("roles", p->zHelp));
}

/* The actor's roles under rule p: 1 when one allows everything (or the
 * actor is guild itself), 0 with the scoped candidates in a[0..*pn-1]
 * (at least one), -1 with e when no role allows the rule. */
static int candidates(const dom_ctx *c, const pol_rule *p, cand *a, int *pn, gerr *e) {
  const dom_actor *u = actor_of(c);
  *pn = 0;
  if (u->kind == ACTOR_SYSTEM || p->bPublic) return 1;
  if (u->kind == ACTOR_ANONYMOUS) return gerr_setr(e, GERR_UNAUTHORIZED, GR_SIGN_IN, NULL);
  if (u->bMustChange) return gerr_setr(e, GERR_PASSWORD_CHANGE, GR_PASSWORD_CHANGE, NULL);
  if (p->bAnyUser) return 1;
  for (int i = 0; i < u->nGrant; i++) {
    auth_role role = u->aGrant[i].role;
    if (role >= ROLE__MAX) continue;
    if (p->aRole[role] == POL_ALL) return 1;
    if (p->aRole[role] != POL_SCOPED || aRoleScope[role] < 0 || *pn >= AUTH_MAXGRANT) continue;
    a[*pn].role = role;
    a[*pn].kind = (scope_kind)aRoleScope[role];
    a[*pn].value = role == ROLE_INSTITUTION_STAFF ? u->aGrant[i].institution_id : u->person_id;
    (*pn)++;
  }
  return *pn ? 0 : deny(p, e);
}

int pol_unconfined(const dom_ctx *c, const pol_rule *pRule) {
  cand a[AUTH_MAXGRANT];
  int n;
  return candidates(c, pRule, a, &n, NULL) == 1;
}

int pol_values(const dom_ctx *c, const pol_rule *pRule, scope_kind kind, int64_t *aOut, int nMax) {
  cand a[AUTH_MAXGRANT];
  int n, nOut = 0;
  if (candidates(c, pRule, a, &n, NULL) != 0) return 0;
  for (int i = 0; i < n && nOut < nMax; i++)
    if (a[i].kind == kind) aOut[nOut++] = a[i].value;
  return nOut;
}

int pol_contains(dom_ctx *c, const char *zScope, int64_t id, scope_kind kind, int64_t value, gerr *e) {
  const pol_scope *ps = dom_scope_find(zScope);
  const char *zSql = ps ? ps->azSql[kind] : NULL;
  if (!zSql || value <= 0) return 0;
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  db_bind_int(s, 2, value);
  int64_t n = 0;
  int rc = db_step(s, e);
  if (rc == DB_ROW) n = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  return n > 0;
}

/* 1 when role may, under p, set field zField of a record to v (pol_limit);
 * a role with no limit under p may set every field. */
static int limit_allows(const pol_rule *p, auth_role role, const char *zField, const dom_val *v, int bEnum) {
  int bLimited = 0;
  for (int i = 0; i < p->nLimit; i++) {
    const pol_limit *l = &p->aLimit[i];
    if (l->role != role) continue;
    bLimited = 1;
    if (strcmp(l->zField, zField) != 0) continue;
    if (!l->azValue) return 1;
    if (!bEnum || v->bNull || !v->z) return 0;
    for (const char *const *pz = l->azValue; *pz; pz++)
      if (strcmp(*pz, v->z) == 0) return 1;
    return 0;
  }
  return !bLimited;
}

/* 1 when every field given in r is one role may set under p; else 0 with
 * *pzWhy naming the first that is not. */
static int fields_allowed(const pol_rule *p, auth_role role, const dom_rec *r, const char **pzWhy) {
  if (!p->nLimit) return 1;
  for (int k = 0; k < r->pEnt->nField; k++) {
    const dom_field *f = &r->pEnt->aField[k];
    if (!r->a[k].bSet || (f->flags & F_RO)) continue;
    if (!limit_allows(p, role, f->zName, &r->a[k], f->type == DT_ENUM)) {
      *pzWhy = f->zName;
      return 0;
    }
  }
  return 1;
}

/* 1 when record id of pEnt lies in candidate a's scope under p. */
static int cand_contains(dom_ctx *c, const pol_rule *p, const dom_entity *pEnt, int64_t id, const cand *a, gerr *e) {
  return pol_contains(c, p->zScope ? p->zScope : pEnt->zName, id, a->kind, a->value, e);
}

/* Words a refusal of record id of scope zScope to the candidates, in their
 * terms, where the scope has words for it (pol_scope.xWhy): -1 with e
 * filled when it has, 0 when not. */
static int why(dom_ctx *c, const char *zScope, int64_t id, const cand *a, int n, gerr *e) {
  const pol_scope *ps = dom_scope_find(zScope);
  for (int i = 0; ps && ps->xWhy && i < n; i++)
    if (ps->xWhy(c, zScope, id, a[i].kind, a[i].value, e)) return -1;
  return 0;
}

/* Denies on an existing record (in the candidates' terms where the scope
 * has words for it), or answers 404 for a missing one. */
static int deny_or_missing(dom_ctx *c, const pol_rule *p, const dom_entity *pEnt, int64_t id, const cand *a, int n,
                           gerr *e) {
  int rc = dom_exists(c, pEnt, id, e);
  if (rc < 0) return -1;
  if (!rc) return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", pEnt->zName), GP_I("id", id));
  if (why(c, p->zScope ? p->zScope : pEnt->zName, id, a, n, e)) return -1;
  return deny(p, e);
}

int pol_check(dom_ctx *c, const pol_rule *pRule, const dom_entity *pEnt, int64_t id, gerr *e) {
  cand a[AUTH_MAXGRANT];
  int n, rc = candidates(c, pRule, a, &n, e);
  if (rc) return rc > 0 ? 0 : -1;
  for (int i = 0; i < n; i++) {
    rc = cand_contains(c, pRule, pEnt, id, &a[i], e);
    if (rc) return rc > 0 ? 0 : -1;
  }
  return deny_or_missing(c, pRule, pEnt, id, a, n, e);
}

int pol_check_any(dom_ctx *c, const pol_rule *pRule, gerr *e) {
  cand a[AUTH_MAXGRANT];
  int n;
  return candidates(c, pRule, a, &n, e) < 0 ? -1 : 0;
}

int pol_confine_param(dom_ctx *c, const pol_rule *pRule, scope_kind kind, const char *zParam, int bGiven,
                      int64_t *pValue, gerr *e) {
  cand a[AUTH_MAXGRANT];
  int n, rc = candidates(c, pRule, a, &n, e);
  if (rc) return rc > 0 ? 0 : -1;
  int64_t aVal[AUTH_MAXGRANT];
  int nVal = 0;
  for (int i = 0; i < n; i++)
    if (a[i].kind == kind) aVal[nVal++] = a[i].value;
  if (!nVal) return deny(pRule, e);
  if (!bGiven) {
    *pValue = aVal[0];
    return 1;
  }
  for (int i = 0; i < nVal; i++)
    if (aVal[i] == *pValue) return 0;
  return gerr_setr(e, GERR_FORBIDDEN, GR_ONLY_OWN, zParam, GP_I("id", aVal[0]));
}

/* A filter of a scoped caller's list that names a record (dom_filter.pRef)
 * must name one they may read: listing by someone else's cohort would tell
 * which of their own records are in it. kScope, the filter that confines
 * the list to the caller's scope, is theirs already. */
static int check_ref_filters(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, int kScope, gerr *e) {
  for (int k = 0; k < pEnt->nFilter; k++) {
    const dom_filter *f = &pEnt->aFilter[k];
    if (k == kScope || !(q->mask & (1u << k)) || f->kind != FILT_INT || !f->pRef || !f->pRef->apRule[DOM_READ])
      continue;
    gerr eRead;
    gerr_clear(&eRead);
    if (pol_check(c, f->pRef->apRule[DOM_READ], f->pRef, q->aInt[k], &eRead) == 0) continue;
    if (eRead.code == GERR_NOT_FOUND) continue;   /* nothing to tell: the list is empty */
    if (eRead.code != GERR_FORBIDDEN) {
      *e = eRead;
      return -1;
    }
    return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_VISIBLE, f->zName, GP_S("entity", f->pRef->zName), GP_I("id", q->aInt[k]));
  }
  return 0;
}

int pol_confine_list(dom_ctx *c, const pol_rule *pRule, const dom_entity *pEnt, dom_query *q, gerr *e) {
  cand a[AUTH_MAXGRANT];
  int n, rc = candidates(c, pRule, a, &n, e);
  if (rc) return rc > 0 ? 0 : -1;
  const char *zFilter = pEnt->azScopeFilter[a[0].kind];
  int k = zFilter ? dom_filter_index(pEnt, zFilter) : -1;
  if (k < 0) return deny(pRule, e);
  int64_t v = q->aInt[k];
  rc = pol_confine_param(c, pRule, a[0].kind, zFilter, (q->mask & (1u << k)) != 0, &v, e);
  if (rc < 0) return -1;
  if (rc) {
    q->mask |= 1u << k;
    q->aInt[k] = v;
  }
  return check_ref_filters(c, pEnt, q, k, e);
}

/* The value of parent p of r: 1 with *pId when r names one, 0 when not. */
static int parent_of(const dom_rec *r, const dom_parent *p, int64_t *pId) {
  const dom_val *v = dom_v(r, p->zField);
  if (!v->bSet || v->bNull) return 0;
  *pId = v->i;
  return 1;
}

static int kind_checks(const dom_parent *p, scope_kind kind) { return !p->mKinds || (p->mKinds & (1u << kind)); }

/* Whether candidate a may place record r (new, or changed from pOld) under
 * its parents: 1 yes, 0 no (with *pzWhy the parent field), -1 error. A
 * parent that is missing, unchanged or names no record is left to
 * validation. */
static int parents_allowed(dom_ctx *c, const dom_rec *r, const dom_rec *pOld, const cand *a, const char **pzWhy,
                           gerr *eWhy, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  for (int i = 0; i < pEnt->nParent; i++) {
    const dom_parent *p = &pEnt->aParent[i];
    int64_t id, idOld;
    if (!kind_checks(p, a->kind) || !parent_of(r, p, &id)) continue;
    if (pOld && parent_of(pOld, p, &idOld) && idOld == id) continue;
    const dom_entity *pParent = pEnt->aField[dom_field_index(pEnt, p->zField)].pRef;
    int rc = pol_contains(c, pParent->zName, id, a->kind, a->value, e);
    if (rc < 0) return -1;
    if (rc) continue;
    rc = dom_exists(c, pParent, id, e);
    if (rc < 0) return -1;
    if (!rc) continue;
    *pzWhy = p->zField;
    if (eWhy->code == GERR_OK && why(c, pParent->zName, id, a, 1, eWhy) && eWhy->code == GERR_DB) {
      *e = *eWhy;
      return -1;
    }
    return 0;
  }
  return 1;
}

/* Gives a scoped actor's new record their own parent where the entity
 * fills one they left out (staff: their institution). */
static void fill_parents(dom_rec *pIn, const cand *a, int n) {
  const dom_entity *pEnt = pIn->pEnt;
  for (int i = 0; i < pEnt->nParent; i++) {
    const dom_parent *p = &pEnt->aParent[i];
    const dom_val *v = dom_v(pIn, p->zField);
    if (!p->bFill || v->bSet) continue;
    for (int k = 0; k < n; k++)
      if (a[k].kind == SCOPE_INSTITUTION) {
        dom_set_int(pIn, p->zField, a[k].value);
        break;
      }
  }
}

/* The refusal after no candidate could: in the actor's terms when a
 * scope had words for it (eWhy), else naming the field a limit or a parent
 * stopped, or the rule. */
static int deny_field(const pol_rule *p, const char *zLimit, const char *zParent, const gerr *eWhy, gerr *e) {
  if (eWhy->code != GERR_OK && !zLimit) {
    *e = *eWhy;
    if (zParent && !e->field[0]) snprintf(e->field, sizeof e->field, "%s", zParent);
    return -1;
  }
  if (zLimit)
    return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_SETTABLE, zLimit);
  if (zParent)
    return gerr_setr(e, GERR_FORBIDDEN, GR_OUTSIDE_SCOPE, zParent, GP_S("roles", p->zHelp));
  return deny(p, e);
}

int pol_check_create(dom_ctx *c, const pol_rule *pRule, const dom_entity *pEnt, dom_rec *pIn, gerr *e) {
  cand a[AUTH_MAXGRANT];
  int n, rc = candidates(c, pRule, a, &n, e);
  if (rc) return rc > 0 ? 0 : -1;
  if (!pEnt->nParent) return deny(pRule, e);
  fill_parents(pIn, a, n);
  const char *zLimit = NULL, *zParent = NULL;
  gerr eWhy;
  gerr_clear(&eWhy);
  for (int i = 0; i < n; i++) {
    int bApplies = 0;
    for (int k = 0; k < pEnt->nParent; k++) bApplies |= kind_checks(&pEnt->aParent[k], a[i].kind);
    if (!bApplies) continue;
    if (!fields_allowed(pRule, a[i].role, pIn, &zLimit)) continue;
    rc = parents_allowed(c, pIn, NULL, &a[i], &zParent, &eWhy, e);
    if (rc) return rc > 0 ? 0 : -1;
  }
  return deny_field(pRule, zLimit, zParent, &eWhy, e);
}

int pol_check_update(dom_ctx *c, const pol_rule *pRule, const dom_rec *pOld, const dom_rec *pPatch, gerr *e) {
  cand a[AUTH_MAXGRANT];
  int n, rc = candidates(c, pRule, a, &n, e);
  if (rc) return rc > 0 ? 0 : -1;
  const char *zLimit = NULL, *zParent = NULL;
  gerr eWhy;
  gerr_clear(&eWhy);
  int bIn = 0;
  for (int i = 0; i < n; i++) {
    rc = cand_contains(c, pRule, pOld->pEnt, pOld->id, &a[i], e);
    if (rc < 0) return -1;
    if (!rc) continue;
    bIn = 1;
    if (!fields_allowed(pRule, a[i].role, pPatch, &zLimit)) continue;
    rc = parents_allowed(c, pPatch, pOld, &a[i], &zParent, &eWhy, e);
    if (rc) return rc > 0 ? 0 : -1;
  }
  if (!bIn && why(c, pRule->zScope ? pRule->zScope : pOld->pEnt->zName, pOld->id, a, n, e)) return -1;
  return deny_field(pRule, zLimit, zParent, &eWhy, e);
}
