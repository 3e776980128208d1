/* import_enrollments.c: enrollments from CSV (see import.h): the columns a
 * file may have, for the import engine (import_run.c). The key is the
 * person (by sourced_id, or guild's id) and the cohort (by id): a person has
 * one enrollment per cohort. A new enrollment needs consent (true): taking
 * part is voluntary; on an update the consent already recorded stands. */
#include "domain/imports/import_int.h"

extern dom_entity dom_enrollment;

static const imp_field aField[] = {
    {"person_sourced_id", "person_id", IMP_LOOKUP, IMPF_KEY, "SELECT id FROM persons WHERE sourced_id = $1",
     "no person has this sourced_id", "the learner's sourced_id (as imported with the persons)", "userSourcedId"},
    {"person_id", "person_id", IMP_ID, IMPF_KEY, "SELECT id FROM persons WHERE id = $1", "no person has this id",
     "the learner's id in guild (instead of person_sourced_id)", NULL},
    {"cohort_id", "cohort_id", IMP_ID, IMPF_KEY, "SELECT id FROM cohorts WHERE id = $1", "no cohort has this id",
     "the cohort's id in guild", NULL},
    {"status", "status", IMP_TEXT, 0, NULL, NULL,
     "applied or enrolled for a new enrollment (default applied); later completed, withdrawn or not_completed", NULL},
    {"consent", "consent", IMP_BOOL, IMPF_CREATE_ONLY, NULL, NULL,
     "true: the learner's own consent, required for a new enrollment", NULL},
    {"withdrawal_reason", "withdrawal_reason", IMP_TEXT, 0, NULL, NULL,
     "for a withdrawn enrollment: personal, health, family, work, moved, program_unsuitable or other", NULL},
};

/* built after the rows of a large import (import_defer.c) */
static const imp_defer defer = {{"enrollments_cohort"}};

/* an import confined to an institution enrols into its cohorts, its
 * persons or those no institution has taken in (as its staff may) */

static const imp_spec spec = {
    "enrollments", &dom_enrollment, aField, sizeof aField / sizeof aField[0],
    "every row names its learner and cohort, the enrollment's key",
    "the same person and cohort are already on row %d",
    "status", "enrolled",   /* entering enrolled counts the places taken */
    &defer, 1,
};

int import_enrollments(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e) {
  return imp_run(c, &spec, zPath, o, pRes, e);
}
