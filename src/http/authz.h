/* authz.h: the access rules of every route, decided once, in the router,
 * before any handler runs. A rule says, for each role, whether it may use
 * the route at all, only within its scope (its institution, the cohorts it
 * trains, its own records), or not. */
#ifndef GUILD_AUTHZ_H
#define GUILD_AUTHZ_H
#include "http/http.h"
#include "domain/accounts/auth.h"

typedef enum { AZ_NO = 0, AZ_ALL, AZ_SCOPED } az_access;

typedef enum {
  AZ_PUBLIC,        /* anyone, signed in or not */
  AZ_SIGNED_IN,     /* any signed-in user */
  AZ_ADMIN,         /* region administrators */
  AZ_INST_WRITE,    /* admin; staff of the record's institution */
  AZ_COHORT_READ,   /* admin; staff of its institution; its trainers */
  AZ_PERSON_LIST,   /* admin; staff (their institution's); trainers (their learners) */
  AZ_PERSON_READ,   /* as AZ_PERSON_LIST, and the learner themself */
  AZ_PERSON_CREATE, /* admin; staff (registered to their institution) */
  AZ_PERSON_WRITE,  /* admin; staff of their institution; the learner themself */
  AZ_ENROLL_READ,   /* admin; staff; trainers of the cohort; the learner */
  AZ_ENROLL_WRITE,  /* admin; staff of the cohort's institution */
  AZ_ENROLL_PATCH,  /* admin; staff; trainers of the cohort (complete, not complete) */
  AZ_WITHDRAW,      /* admin; staff; the learner themself */
  AZ_COMP_ENTER,    /* admin; staff entering (or withdrawing) their institution's competitors */
  AZ_MARK,          /* admin; judges of the category (their own marks) */
  AZ_CHIEF,         /* admin; the category's chief judge */
  AZ_STATS,         /* admin; staff (their institution's figures) */
  AZ_IMPORT,        /* admin; staff (imports into their institution, and those imports) */
  AZ__MAX
} az_rule_id;

typedef struct az_rule {
  const char *zName;
  int bPublic;
  int bAnyUser;                  /* any signed-in user, whatever their roles */
  az_access aRole[ROLE__MAX];    /* region_admin, institution_staff, trainer, judge, learner */
  const char *zHelp;
} az_rule;

extern const az_rule az_rules[AZ__MAX];

/* Decides whether r->pAuth may use r->pRoute on r's record (r->aId[0]) or
 * body, and for list routes sets the filters that confine the list to the
 * caller's scope (r->aForced). Returns 0, or -1 with e: GERR_UNAUTHORIZED
 * (not signed in) or GERR_FORBIDDEN (naming the rule). */
int az_authorize(http_req *r, gerr *e);

#endif
