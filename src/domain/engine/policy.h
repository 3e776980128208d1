/* policy.h: who may do what, decided once, in the domain, for every path
 * (API, CLI, imports, background jobs). Every domain call carries an actor
 * (dom_ctx.pActor): a signed-in user, an API token, or guild itself acting
 * for the operator (the system actor, stated explicitly). A rule says, for
 * each role, whether it may act at all, only within its scope (its
 * institution, the cohorts it trains, the categories it judges, its own
 * records), or not. Modules declare their rules, their scope queries and,
 * on each entity, the rule of each action (dom_entity.apRule) and how a
 * record's scope is found; the entity engine applies them on list, read,
 * create, update and delete; other domain operations call pol_check. */
#ifndef GUILD_POLICY_H
#define GUILD_POLICY_H
#include <stdint.h>
#include "core/err.h"

typedef enum {
  ROLE_REGION_ADMIN,      /* everything */
  ROLE_INSTITUTION_STAFF, /* one institution */
  ROLE_TRAINER,           /* the cohorts they train */
  ROLE_JUDGE,             /* the competition categories assigned to them */
  ROLE_LEARNER,           /* their own person record */
  ROLE__MAX
} auth_role;

extern const char *const auth_role_names[];   /* NULL-terminated, by auth_role */
int auth_role_of(const char *zName);          /* -1 if unknown */

#define AUTH_MAXGRANT 16

typedef struct auth_grant {
  auth_role role;
  int64_t institution_id;      /* institution_staff: the institution */
} auth_grant;

/* The scope a scoped role acts in: its value is the institution's id
 * (staff) or the actor's person id (trainers, judges, learners). */
typedef enum { SCOPE_INSTITUTION, SCOPE_TRAINER, SCOPE_SELF, SCOPE_JUDGE, SCOPE__MAX } scope_kind;

typedef enum { ACTOR_ANONYMOUS, ACTOR_USER, ACTOR_TOKEN, ACTOR_SYSTEM } dom_actor_kind;

/* Who is acting. Grants point into the caller's memory (the request's
 * auth_user, a job's record). */
typedef struct dom_actor {
  dom_actor_kind kind;
  int64_t user_id, person_id;
  const auth_grant *aGrant;
  int nGrant;
  int bMustChange;   /* a user whose one-time password is not changed yet: every rule but public ones refuses */
} dom_actor;

/* guild itself, for the operator at the shell (CLI), migrations and the
 * demo: every rule allows it. */
extern const dom_actor dom_actor_system;

typedef enum { POL_NO = 0, POL_ALL, POL_SCOPED } pol_access;

/* What a scoped role may change under a rule: only these fields, and (when
 * azValue is given) only to these values. */
typedef struct pol_limit {
  auth_role role;
  const char *zField;
  const char *const *azValue;  /* NULL-terminated; NULL: any value */
} pol_limit;

typedef struct pol_rule {
  const char *zName;             /* stable name, in the API reference */
  int bPublic;                   /* anyone, signed in or not */
  int bAnyUser;                  /* any signed-in user, whatever their roles */
  pol_access aRole[ROLE__MAX];   /* region_admin, institution_staff, trainer, judge, learner */
  const char *zScope;            /* the scope query's name for records (NULL: the entity's name) */
  const pol_limit *aLimit;       /* field limits for scoped roles (NULL: none) */
  int nLimit;
  const char *zHelp;             /* who may: one line, also the 403 message */
} pol_rule;

struct dom_ctx;

/* One scope query: whether record $1 of zName lies in scope kind k with
 * value $2 (SELECT count(*) ...). NULL: that kind has no such scope. xWhy
 * (may be NULL) words a refusal in the actor's terms ("you are not a judge
 * of category X"): -1 with e filled, or 0 when it has no words for it. */
typedef struct pol_scope {
  const char *zName;
  const char *azSql[SCOPE__MAX];   /* institution, trainer, self, judge */
  int (*xWhy)(struct dom_ctx *c, const char *zScope, int64_t id, scope_kind kind, int64_t value, struct gerr *e);
} pol_scope;

/* The rules every module may use (engine/module.c). */
extern const pol_rule pol_public, pol_signed_in, pol_admin;

struct dom_ctx;
struct dom_entity;
struct dom_query;
struct dom_rec;

/* 1 when the actor is guild itself, or holds a role that pRule allows
 * everywhere (no scope to check). */
int pol_unconfined(const struct dom_ctx *c, const struct pol_rule *pRule);

/* Checks that the actor may act under pRule on record id of pEnt (its
 * scope: pRule->zScope or the entity's name). 0 allowed; -1 with e:
 * GERR_UNAUTHORIZED (anonymous), GERR_NOT_FOUND (no such record, for a
 * caller who may use the rule at all), GERR_FORBIDDEN naming the rule. */
int pol_check(struct dom_ctx *c, const pol_rule *pRule, const struct dom_entity *pEnt, int64_t id, struct gerr *e);

/* Checks that the actor may act under pRule at all (for operations on no
 * record: any role that the rule allows, scoped or not). 0 or -1 with e. */
int pol_check_any(struct dom_ctx *c, const pol_rule *pRule, struct gerr *e);

/* Confines a list query of pEnt under pRule to the actor's scope: the
 * entity's scope filter for the actor's scope kind is set to the actor's
 * value (a value asked for must be one of theirs, else 403 naming the
 * filter), and a filter naming a record (dom_filter.pRef) the actor may not
 * read is refused (403), never intersected. 0 or -1 with e. */
int pol_confine_list(struct dom_ctx *c, const pol_rule *pRule, const struct dom_entity *pEnt, struct dom_query *q,
                     struct gerr *e);

/* Confines a parameter of kind `kind` (e.g. ?institution=) under pRule: a
 * scoped actor's value given (bGiven, *pValue) must be one of theirs (else
 * 403 naming zParam), and none given becomes their first. Returns 1 when it
 * filled *pValue, 0 when nothing was confined or the value is theirs, -1
 * with e. */
int pol_confine_param(struct dom_ctx *c, const pol_rule *pRule, scope_kind kind, const char *zParam, int bGiven,
                      int64_t *pValue, struct gerr *e);

/* Checks a new record pIn of pEnt under pRule: every parent it names
 * (dom_entity.aParent) must lie in the actor's scope; a parent a scoped
 * actor leaves out is filled with theirs where the entity says so. 0 or -1
 * with e. */
int pol_check_create(struct dom_ctx *c, const pol_rule *pRule, const struct dom_entity *pEnt, struct dom_rec *pIn,
                     struct gerr *e);

/* Checks a change pPatch of stored record pOld under pRule: the record must
 * lie in the actor's scope, the fields changed must be ones the actor's
 * role may change (pol_limit), and a changed parent must lie in their scope
 * too (a change of scope is checked against the old and the new). */
int pol_check_update(struct dom_ctx *c, const pol_rule *pRule, const struct dom_rec *pOld,
                     const struct dom_rec *pPatch, struct gerr *e);

/* 1 when record id of scope zScope lies in scope (kind, value), 0 when not
 * (or the scope has no such kind), -1 on a database error. */
int pol_contains(struct dom_ctx *c, const char *zScope, int64_t id, scope_kind kind, int64_t value, struct gerr *e);

/* The actor's values of scope kind `kind` (institutions for staff, their
 * own person for the others) among roles that pRule scopes, into a[0..n-1]
 * (at most nMax); returns n. */
int pol_values(const struct dom_ctx *c, const pol_rule *pRule, scope_kind kind, int64_t *a, int nMax);

/* The scope kind of a role (-1: none: the region administrator). */
int pol_role_scope(auth_role role);

#endif
