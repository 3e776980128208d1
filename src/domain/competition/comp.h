/* comp.h: skills competitions beyond the generic entity operations: the
 * edition's state machine, the state every competition record depends on,
 * locking a category, and computing results from the database. */
#ifndef GUILD_COMP_H
#define GUILD_COMP_H
#include "domain/engine/entity.h"
#include "domain/competition/comp_results.h"

/* The state of the edition record zEntity/id belongs to ("draft",
 * "registration", "marking", "locked", "published"), into z (16 bytes). */
int comp_state_of(dom_ctx *c, const char *zEntity, int64_t id, char *z, gerr *e);
/* Refuses (409) unless the edition of zEntity/id is in state zWant, for
 * the action zDoing (a code of comp_state_refusal's). */
int comp_require_state(dom_ctx *c, const char *zEntity, int64_t id, const char *zWant, const char *zDoing, gerr *e);
/* Refuses action zDoing while the edition is in zState, not zWant: 409,
 * field "state", reason edition_state (params doing, want and state: codes)
 * and an English message naming the action. zDoing: "scheme", "entry",
 * "marking", "lock", "correction" or "delete". Returns -1. */
int comp_state_refusal(gerr *e, const char *zDoing, const char *zWant, const char *zState);

/* Judges who score each judgement aspect of each competitor (the lock waits
 * for that many scores; other aspects need one judge's mark). */
#define COMP_JUDGES_PER_JUDGEMENT 3

/* Moves an edition to zTo along the allowed transitions, checking what
 * each step needs (a complete marking scheme to open registration, judges
 * to start marking, every category locked to lock the edition). */
int comp_transition(dom_ctx *c, int64_t idEdition, const char *zTo, dom_rec *pOut, gerr *e);
/* Refuses (409, field "state") unless every entered competitor of every
 * category of the edition has enough judges not of their own institution:
 * COMP_JUDGES_PER_JUDGEMENT when the category has a judgement aspect, one
 * otherwise (judge.c, which applies the same rule to judges changed during
 * marking). The refusal names the category and its competitors short. */
int comp_check_edition_markable(dom_ctx *c, int64_t idEdition, gerr *e);
/* When a judge (person idPerson) is refused a record of scope zScope
 * ("competitor", "mark", "category_chief", "mark_chief": src/domain/scope.c)
 * with id: fills e (GERR_FORBIDDEN) with why in the judge's terms ("you are
 * not a judge of category Pastry (3)", "only the chief judge ...") and
 * returns -1 (also on a database error); 0 when it has no words for it. */
int comp_judge_refusal(dom_ctx *c, const char *zScope, int64_t id, int64_t idPerson, gerr *e);
/* Locks a category once every mark is in; otherwise GERR_CONFLICT listing
 * what is missing. */
int comp_lock_category(dom_ctx *c, int64_t idCategory, dom_rec *pOut, gerr *e);
/* Why a mark may be corrected after the lock: a fixed list (no free-form
 * notes about competitors), NULL-terminated; docs/competitions.md says what
 * each means. */
extern const char *const comp_correction_reasons[];

/* The module's access rules (module.c). */
extern const pol_rule comp_rule_entry, comp_rule_marking, comp_rule_chief, comp_rule_mark_chief, comp_rule_results;
/* Changes a mark after its category's lock, recording who, why (one of
 * comp_correction_reasons) and the old value. */
int comp_correct_mark(dom_ctx *c, int64_t idMark, int64_t valueCenti, const char *zReason, dom_rec *pOut, gerr *e);

/* One category's results with names, for the API and the CLI. */
typedef struct comp_result_row {
  int64_t competitor_id, person_id, institution_id;
  const char *zGiven, *zFamily, *zInstitution;
  double raw;
  int standard, rank;
  comp_medal medal;
} comp_result_row;
typedef struct comp_category_results {
  int64_t category_id;
  const char *zName;
  int nRow;
  comp_result_row *aRow;
} comp_cat_results;
typedef struct comp_edition_results {
  int64_t edition_id;
  const char *zState, *zName;   /* the edition's state and name */
  int year;
  int nCat;
  comp_cat_results *aCat;
  int nInst;
  comp_institution_row *aInst;
} comp_edition_results;
/* Loads every mark of the edition and computes its results (in the arena),
 * without an access check (the domain's own use, e.g. statistics). */
int comp_edition_results_load(dom_ctx *c, int64_t idEdition, comp_edition_results *pOut, gerr *e);
/* The results as the actor may read them (comp_results_access.c):
 * published, for every signed-in user; until then for region
 * administrators, and for judges the categories they judge (the
 * institution table over those); 403 for everyone else. */
int comp_edition_results_read(dom_ctx *c, int64_t idEdition, comp_edition_results *pOut, gerr *e);

/* --- history statistics (comp_stats.c) ------------------------------------ */

/* Medals of one institution or one area in an edition (or across all). */
typedef struct comp_medal_count {
  int64_t id;              /* institution or area */
  const char *zName;
  int64_t area_id;         /* institutions: the area they are in (0 for areas) */
  int gold, silver, bronze, medallion, points, competitors;
} comp_medal_count;

/* One edition's figures. Participants are entered competitors (a learner in
 * two categories counts twice; withdrawn entries do not count); competitors
 * by sex come from persons.sex (unrecorded when not given). Growth is
 * relative to the previous edition by year in the same area: (this -
 * previous) / previous, so 0.5 is +50%; bGrowth is 0 for the first edition
 * of an area, and a growth is NaN when the previous figure is 0. Medals are
 * counted only once the results are final (the edition is locked or
 * published: bMedals); before that the lists are empty. */
typedef struct comp_edition_stats {
  int64_t edition_id, area_id, prev_edition_id;
  int year;
  const char *zName, *zState;
  int participants, categories, institutions, female, male, unrecorded;
  int bGrowth;
  double participantGrowth, categoryGrowth;
  int bMedals;
  int nInstMedal, nAreaMedal;
  comp_medal_count *aInstMedal, *aAreaMedal;   /* ordered by points, then gold, silver, bronze */
} comp_edition_stats;

/* Every edition, by year, and the figures across all of them (distinct
 * competitors are distinct persons; medals summed over final editions). */
typedef struct comp_stats {
  int nEdition;
  comp_edition_stats *aEdition;
  int participants, distinct_competitors, institutions, categories, female, male, unrecorded;
  int nInstMedal, nAreaMedal;
  comp_medal_count *aInstMedal, *aAreaMedal;
} comp_stats;

/* Loads the statistics of every edition (in c's arena); computes each final
 * edition's results with comp_edition_results_load for its medals. */
int comp_stats_load(dom_ctx *c, comp_stats *pOut, gerr *e);

#endif
