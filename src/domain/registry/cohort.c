/* cohort.c: one run of a program: term, dates, capacity and trainers. */
#include "domain/registry/cohort.h"
#include "domain/engine/entity_int.h"
#include "domain/registry/registry.h"
#include <string.h>

extern dom_entity dom_program, dom_person;

/* Seats taken: learners enrolled, or who finished (either way) in it. */
const char cohort_zSeatsTaken[] =
    "SELECT count(*) FROM enrollments WHERE cohort_id = $1 AND status IN ('enrolled', 'completed', 'not_completed')";

/* The term ends on or after it starts; capacity never drops below the
 * seats already taken. */
static int cohort_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  if (strcmp(dom_v(r, "end_date")->z, dom_v(r, "start_date")->z) < 0)
    return gerr_setr(e, GERR_VALIDATION, GR_DATE_ORDER, "end_date", GP_S("other", "start_date"),
                     GP_S("value", dom_v(r, "start_date")->z));
  if (pOld && dom_v(r, "capacity")->i < dom_v(pOld, "capacity")->i) {
    int64_t nTaken = 0;
    if (db_query_int(c->pDb, cohort_zSeatsTaken, 1, r->id, &nTaken, e) == DB_ERROR) return -1;
    if (dom_v(r, "capacity")->i < nTaken)
      return gerr_setr(e, GERR_VALIDATION, GR_CAPACITY_TAKEN, "capacity", GP_I("taken", nTaken));
  }
  return 0;
}

static const dom_field aField[] = {
    {"program_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_program, "the program this cohort runs"},
    {"name", DT_TEXT, F_REQ, 1, 100, NULL, NULL, "term label, e.g. 2026 spring"},
    {"start_date", DT_DATE, F_REQ, 0, 0, NULL, NULL, "first day (YYYY-MM-DD)"},
    {"end_date", DT_DATE, F_REQ, 0, 0, NULL, NULL, "last day (YYYY-MM-DD), on or after start_date"},
    {"capacity", DT_INT, F_REQ, 1, COHORT_CAPACITY_MAX, NULL, NULL, "places; enforced when learners become enrolled"},
    {"trainers", DT_REFLIST, 0, 0, 0, NULL, &dom_person, "ids of the persons who train this cohort"},
    {"sourced_id", DT_TEXT, F_UNIQUE, 1, 255, NULL, NULL, "external id (e.g. OneRoster sourcedId), unique"},
};

static const dom_filter aFilter[] = {
    {"q", FILT_CONTAINS, NULL,
     DOM_CONTAINS("name") " OR program_id IN (SELECT id FROM programs WHERE " DOM_CONTAINS("title") ")",
     "text in the cohort's name or its program's title, ignoring case", NULL},
    {"program", FILT_INT, &dom_program, "program_id = ?", "cohorts of this program", NULL},
    {"institution", FILT_INT, NULL, "program_id IN (SELECT id FROM programs WHERE institution_id = ?)",
     "cohorts of this institution's programs", NULL},
    {"area", FILT_INT, NULL,
     "program_id IN (SELECT p.id FROM programs p JOIN institutions i ON i.id = p.institution_id "
     "WHERE i.area_id IN " DOM_AREA_SUBTREE ")",
     "cohorts of institutions in this area or within it", NULL},
    {"trainer", FILT_INT, &dom_person, "id IN (SELECT owner_id FROM cohorts_trainers WHERE value = ?)",
     "cohorts this person trains", NULL},
    {"active_on", FILT_DATE, NULL, "start_date <= ?1 AND end_date >= ?1", "cohorts running on this date", NULL},
    {"sourced_id", FILT_TEXT, NULL, "sourced_id = ?", "the cohort with this external id", NULL},
};

static const dom_parent aCohortParent[] = {{"program_id", 0, 0}};

dom_entity dom_cohort = {
    "cohort", "cohorts", "One run of a program.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    cohort_check, NULL, NULL,
    .apRule = {&reg_rule_cohort_read, &reg_rule_cohort_read, &reg_rule_institution_write, &reg_rule_institution_write, &reg_rule_institution_write},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer"},
    .aParent = aCohortParent,
    .nParent = sizeof aCohortParent / sizeof aCohortParent[0],
    .flags = DOM_EXPORT,
};

int64_t cohort_capacity_for(int64_t n) { return n < 1 ? 1 : n > COHORT_CAPACITY_MAX ? COHORT_CAPACITY_MAX : n; }

static const char zCapacity[] = "SELECT capacity FROM cohorts WHERE id = $1";

int cohort_make_room(dom_ctx *c, int64_t idCohort, int64_t nComing, gerr *e) {
  int64_t nCap = 0, nTaken = 0;
  if (db_query_int(c->pDb, zCapacity, 1, idCohort, &nCap, e) == DB_ERROR) return -1;
  if (db_query_int(c->pDb, cohort_zSeatsTaken, 1, idCohort, &nTaken, e) == DB_ERROR) return -1;
  if (nTaken < nCap) return 0;
  dom_rec old, in, out;
  if (dom_get(c, &dom_cohort, idCohort, &old, e)) return -1;
  dom_rec_init(&in, &dom_cohort);
  dom_set_int(&in, "capacity", cohort_capacity_for(nTaken + 1 + nComing));
  if (dom_check(c, &dom_cohort, &in, &old, &out, e)) return -1;
  return dom_store(c, &out, old.version, e);
}
