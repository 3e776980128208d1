/* comp.h: skills competitions beyond the generic entity operations: the
 * edition's state machine, the state every competition record depends on,
 * locking a category, and computing results from the database. */
#ifndef GUILD_COMP_H
#define GUILD_COMP_H
#include "entity.h"
#include "comp_results.h"

/* The state of the edition record zEntity/id belongs to ("draft",
 * "registration", "marking", "locked", "published"), into z (16 bytes). */
int comp_state_of(dom_ctx *c, const char *zEntity, int64_t id, char *z, gerr *e);
/* Refuses (409) unless the edition of zEntity/id is in state zWant. */
int comp_require_state(dom_ctx *c, const char *zEntity, int64_t id, const char *zWant, const char *zDoing, gerr *e);

/* Moves an edition to zTo along the allowed transitions, checking what
 * each step needs (a complete marking scheme to open registration, judges
 * to start marking, every category locked to lock the edition). */
int comp_transition(dom_ctx *c, int64_t idEdition, const char *zTo, dom_rec *pOut, gerr *e);
/* Locks a category once every mark is in; otherwise GERR_CONFLICT listing
 * what is missing. */
int comp_lock_category(dom_ctx *c, int64_t idCategory, dom_rec *pOut, gerr *e);
/* Changes a mark after its category's lock, recording who, why and the old
 * value. */
int comp_correct_mark(dom_ctx *c, int64_t idMark, int64_t valueCenti, const char *zReason, dom_rec *pOut, gerr *e);

/* One category's results with names, for the API and the CLI. */
typedef struct comp_result_row {
  int64_t competitor_id, person_id, institution_id;
  const char *zGiven, *zFamily;
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
  const char *zState;
  int nCat;
  comp_cat_results *aCat;
  int nInst;
  comp_institution_row *aInst;
} comp_edition_results;
/* Loads every mark of the edition and computes its results (in the arena). */
int comp_edition_results_load(dom_ctx *c, int64_t idEdition, comp_edition_results *pOut, gerr *e);

#endif
