/* cohort.h: rules about a cohort's places that importers apply (the entity
 * itself is dom_cohort, cohort.c). */
#ifndef GUILD_COHORT_H
#define GUILD_COHORT_H
#include "domain/engine/entity.h"

#define COHORT_CAPACITY_MAX 10000   /* the most places a cohort may have */

/* The capacity for n learners: n, at least 1 and at most COHORT_CAPACITY_MAX. */
int64_t cohort_capacity_for(int64_t n);

/* When cohort idCohort is full, grows its capacity to hold one more
 * learner and nComing after them (cohort_capacity_for): for importers of a
 * source whose roster is the fact (a school system's OneRoster files) and
 * gives no places. Call inside the caller's transaction. 0 (it had room or
 * now has), or -1 with e: the cohort's rules refusing (GERR_VALIDATION,
 * naming capacity) or a database error. */
int cohort_make_room(dom_ctx *c, int64_t idCohort, int64_t nComing, gerr *e);

#endif
