/* assessment.c: assessment events (a cohort, a unit, a date, a method and
 * an assessor who trains the cohort; or the second marking of another
 * event, by another assessor) and their results: per learner and
 * criterion, competent or not_yet_competent, with the assessor's four
 * declarations about the evidence. asmt_record writes a whole learner's
 * results at once, after every check guild can make. */
#include "domain/training/asmt_int.h"
#include "domain/engine/entity_int.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_cohort, dom_person;

const char *const asmt_outcomes[] = {"competent", "not_yet_competent", NULL};
const char *const asmt_decl_fields[ASMT__DECL] = {"evidence_valid", "evidence_sufficient", "evidence_authentic",
                                                  "evidence_current"};
static const char *const azMethod[] = {"observation",    "practical_task", "oral_questions",
                                       "portfolio",      "recognition_of_prior_learning", NULL};

void *asmt_grow(arena *a, void *p, int n, int *pnAlloc, size_t nSize) {
  if (n < *pnAlloc) return p;
  int nNew = *pnAlloc ? 2 * *pnAlloc : 16;
  void *pNew = arena_alloc(a, (size_t)nNew * nSize);
  if (n) memcpy(pNew, p, (size_t)n * nSize);
  *pnAlloc = nNew;
  return pNew;
}

int asmt_query_int(db_stmt *s, int64_t *pn, gerr *e) {
  int rc = db_step(s, e);
  *pn = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int asmt_query_int2(dom_ctx *c, const char *zSql, int64_t a, int64_t b, int64_t *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, a);
  db_bind_int(s, 2, b);
  return asmt_query_int(s, pn, e);
}

void asmt_day_of(int64_t t, char *zOut) {
  char z[32];
  time_iso(t, z, sizeof z);
  snprintf(zOut, 11, "%.10s", z);
}

void asmt_months_before(const char *zDate, int nMonths, char *zOut) {
  static const int aDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = 0, m = 0, d = 0;
  if (sscanf(zDate, "%4d-%2d-%2d", &y, &m, &d) != 3) g_panic("not a date: %s", zDate);
  int n = y * 12 + (m - 1) - nMonths;
  y = n / 12;
  m = n % 12 + 1;
  int nMax = aDays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
  char z[40];
  snprintf(z, sizeof z, "%04d-%02d-%02d", y % 10000, m, d > nMax ? nMax : d);
  snprintf(zOut, 11, "%.10s", z);
}

int asmt_currency_months(dom_ctx *c, int64_t idProgram, int64_t *pn, gerr *e) {
  static const char zSql[] = "SELECT currency_months FROM assessment_settings WHERE program_id = $1";
  int rc = db_query_int(c->pDb, zSql, 1, idProgram, pn, e);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE) *pn = ASMT_CURRENCY_DEFAULT;
  return 0;
}

/* ---- assessment events ---------------------------------------------- */

static const char zTrains[] = "SELECT count(*) FROM cohorts_trainers WHERE owner_id = $1 AND value = $2";
static const char zPrograms[] =
    "SELECT c.program_id, u.program_id FROM cohorts c, units_of_competency u WHERE c.id = $1 AND u.id = $2";

/* The unit is one of the cohort's program; the assessor (the actor's own
 * person when left out) trains the cohort; a second marking marks a first
 * marking of the same cohort and unit, by another assessor, on or after
 * its day. */
static int event_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  if (pOld) return 0;
  int64_t idCohort = dom_v(r, "cohort_id")->i, idUnit = dom_v(r, "unit_id")->i;
  db_stmt *s = db_prepare(c->pDb, zPrograms, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  db_bind_int(s, 2, idUnit);
  int rc = db_step(s, e);
  int bSame = rc == DB_ROW && db_col_int(s, 0) == db_col_int(s, 1);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!bSame)
    return gerr_setr(e, GERR_VALIDATION, GR_UNIT_NOT_IN_PROGRAM, "unit_id", GP_I("unit", idUnit), GP_I("id", idCohort));
  const dom_val *pAssessor = dom_v(r, "assessor_id");
  if (!pAssessor->bSet || pAssessor->bNull) {
    if (!c->idPerson) {
      gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "assessor_id");
      return gerr_msg(e, "assessor_id: is required (a trainer of the cohort)");
    }
    dom_set_int(r, "assessor_id", c->idPerson);
  }
  int64_t idAssessor = dom_v(r, "assessor_id")->i, n = 0;
  if (asmt_query_int2(c, zTrains, idCohort, idAssessor, &n, e)) return -1;
  if (!n)
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_A_TRAINER, "assessor_id", GP_I("person", idAssessor), GP_I("id", idCohort));
  const dom_val *pFirst = dom_v(r, "second_marking_of");
  if (!pFirst->bSet || pFirst->bNull) return 0;
  dom_rec first;
  if (dom_get(c, &dom_assessment, pFirst->i, &first, e)) return -1;
  if (!dom_v(&first, "second_marking_of")->bNull)
    return gerr_setr(e, GERR_VALIDATION, GR_SECOND_OF_SECOND, "second_marking_of", GP_I("id", first.id));
  if (dom_v(&first, "cohort_id")->i != idCohort || dom_v(&first, "unit_id")->i != idUnit)
    return gerr_setr(e, GERR_VALIDATION, GR_SECOND_ELSEWHERE, "second_marking_of", GP_I("id", first.id));
  if (dom_v(&first, "assessor_id")->i == idAssessor)
    return gerr_setr(e, GERR_VALIDATION, GR_SECOND_ASSESSOR, "assessor_id", GP_I("person", idAssessor));
  if (strcmp(dom_v(r, "date")->z, dom_v(&first, "date")->z) < 0)
    return gerr_setr(e, GERR_VALIDATION, GR_SECOND_BEFORE, "date", GP_S("value", dom_v(&first, "date")->z));
  return 0;
}

static const dom_field aEventField[] = {
    {"cohort_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_cohort, "the cohort assessed"},
    {"unit_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_unit_of_competency, "the unit, of the cohort's program"},
    {"assessor_id", DT_REF, F_IMMUT, 0, 0, NULL, &dom_person,
     "the assessor, a trainer of the cohort (default: the trainer creating it)"},
    {"date", DT_DATE, F_REQ | F_IMMUT, 0, 0, NULL, NULL, "the day of the assessment (YYYY-MM-DD)"},
    {"method", DT_ENUM, F_REQ | F_IMMUT, 0, 0, azMethod, NULL,
     "observation, practical_task, oral_questions, portfolio or recognition_of_prior_learning"},
    {"second_marking_of", DT_REF, F_IMMUT, 0, 0, NULL, &dom_assessment,
     "the event this one marks a second time (another assessor), or null"},
};

static const dom_filter aEventFilter[] = {
    {"cohort", FILT_INT, &dom_cohort, "cohort_id = ?", "events of this cohort", NULL},
    {"unit", FILT_INT, &dom_unit_of_competency, "unit_id = ?", "events of this unit", NULL},
    {"assessor", FILT_INT, NULL, "assessor_id = ?", "events of this assessor", NULL},
    {"institution", FILT_INT, NULL,
     "cohort_id IN (SELECT c.id FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE p.institution_id = ?)",
     "events at this institution", NULL},
    {"trainer", FILT_INT, NULL, "cohort_id IN (SELECT owner_id FROM cohorts_trainers WHERE value = ?)",
     "events of cohorts this person trains", NULL},
    {"second_marking_of", FILT_INT, NULL, "second_marking_of = ?", "the second markings of this event", NULL},
    {"date", FILT_DATE, NULL, "date = ?", "events on this day", NULL},
};

static const dom_parent aEventParent[] = {{"cohort_id", (1u << SCOPE_INSTITUTION) | (1u << SCOPE_TRAINER), 0}};

dom_entity dom_assessment = {
    "assessment", "assessments", "An assessment event: a cohort assessed on a unit, by an assessor, on a day.",
    aEventField, sizeof aEventField / sizeof aEventField[0], aEventFilter, sizeof aEventFilter / sizeof aEventFilter[0],
    event_check, NULL, NULL,
    .apRule = {&asmt_rule_event, &asmt_rule_event, &asmt_rule_event, NULL, &asmt_rule_event},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer"},
    .aParent = aEventParent,
    .nParent = 1,
    .zTag = "assessment",
    .azSummary = {[DOM_LIST] = "List assessment events, newest first (by date, then the latest made)",
                  [DOM_DELETE] = "Delete an event that has no results and no evidence yet (409 otherwise)"},
    .zListOrder = "date DESC, id DESC",
};

/* ---- results ---------------------------------------------------------- */

static const dom_field aResultField[] = {
    {"assessment_id", DT_REF, F_RO, 0, 0, NULL, &dom_assessment, "the assessment event"},
    {"person_id", DT_REF, F_RO, 0, 0, NULL, &dom_person, "the learner"},
    {"criterion_id", DT_REF, F_RO, 0, 0, NULL, &dom_performance_criterion, "the performance criterion"},
    {"outcome", DT_ENUM, F_RO, 0, 0, asmt_outcomes, NULL, "competent or not_yet_competent"},
    {"evidence_valid", DT_BOOL, F_RO, 0, 0, NULL, NULL, "the assessor declared the evidence valid"},
    {"evidence_sufficient", DT_BOOL, F_RO, 0, 0, NULL, NULL, "... sufficient"},
    {"evidence_authentic", DT_BOOL, F_RO, 0, 0, NULL, NULL, "... the learner's own work"},
    {"evidence_current", DT_BOOL, F_RO, 0, 0, NULL, NULL, "... current"},
    {"recorded_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who recorded it"},
};

static const dom_filter aResultFilter[] = {
    {"assessment", FILT_INT, &dom_assessment, "assessment_id = ?", "results of this event", NULL},
    {"person", FILT_INT, &dom_person, "person_id = ?", "results of this learner", NULL},
    {"criterion", FILT_INT, &dom_performance_criterion, "criterion_id = ?", "results on this criterion", NULL},
    {"unit", FILT_INT, NULL, "assessment_id IN (SELECT id FROM assessments WHERE unit_id = ?)",
     "results on this unit", NULL},
    {"cohort", FILT_INT, &dom_cohort, "assessment_id IN (SELECT id FROM assessments WHERE cohort_id = ?)",
     "results in this cohort", NULL},
    ASMT_FILTER_INSTITUTION("results"),
    ASMT_FILTER_TRAINER("results"),
    {"outcome", FILT_TEXT, NULL, "outcome = ?", "results with this outcome", asmt_outcomes},
};

/* one decision per learner, criterion and event (said in these words when
 * two recordings meet at the same moment) */
static const dom_unique aResultUnique[] = {
    {{"assessment_id", "person_id", "criterion_id"}, "person_id",
     "this learner's decision on this criterion in this assessment is recorded already", GR_DECISION_RECORDED},
};

dom_entity dom_assessment_result = {
    "assessment_result", "assessment_results",
    "One decision: a learner on a criterion in an event (POST /api/v1/assessments/{id}/results records them).",
    aResultField, sizeof aResultField / sizeof aResultField[0], aResultFilter,
    sizeof aResultFilter / sizeof aResultFilter[0], NULL, NULL, NULL, aResultUnique,
    sizeof aResultUnique / sizeof aResultUnique[0],
    .apRule = {&asmt_rule_result_read, &asmt_rule_result_read, NULL, NULL, NULL},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "person"},
    .zTag = "assessment",
};

/* ---- recording a learner's results ------------------------------------- */

/* What recording one learner's results checks with: the decisions, the
 * refused ones (rows of a GERR_ROWS refusal, by their index in results)
 * and what concerns the list as a whole (the first such reason). */
typedef struct recorder {
  dom_ctx *c;
  const asmt_decision *aDec;
  int nDec;
  gerr_rows rows;
  gerr eWhole;   /* GERR_OK, or the first reason the call is refused as a whole */
} recorder;

/* Refuses decision i for eRow (its field: criterion_id, outcome,
 * evidence_current, ...; its reason and parameters). */
static void refuse(recorder *p, int i, const gerr *eRow) { gerr_rows_add(&p->rows, i, 0, NULL, eRow); }

/* Refuses the call as a whole for eW (the first reason counts). */
static void refuse_whole(recorder *p, const gerr *eW) {
  if (p->eWhole.code == GERR_OK) p->eWhole = *eW;
}

/* The reason of a learner not assessed in their cohort, by the status of
 * their enrollment there ("" when they have none). */
static const struct {
  const char *zStatus;
  greason reason;
} aNotAssessed[] = {{"", GR_NO_PLACE}, {"withdrawn", GR_LEARNER_WITHDREW}, {"applied", GR_ONLY_APPLIED}};

/* What refuses a competent decision the assessor did not declare, by declaration (asmt_decl_fields). */
static const greason aDeclReason[ASMT__DECL] = {GR_DECLARE_VALID, GR_DECLARE_SUFFICIENT, GR_DECLARE_AUTHENTIC,
                                                GR_DECLARE_CURRENT};

static const char zStatus[] = "SELECT status FROM enrollments WHERE person_id = $1 AND cohort_id = $2";
static const char zRecorded[] = "SELECT count(*) FROM assessment_results WHERE assessment_id = $1 AND person_id = $2";
static const char zCriteria[] = "SELECT id, code FROM performance_criteria WHERE unit_id = $1 ORDER BY id";
static const char zUnit[] = "SELECT program_id, sufficiency FROM units_of_competency WHERE id = $1";
static const char zItems[] =
    "SELECT id, file_name, date FROM evidence_items WHERE assessment_id = $1 AND person_id = $2 AND erased_at IS NULL "
    "ORDER BY id";
/* occasions: first-marking events of the unit on or before the day, in
 * which the learner has evidence dated within the currency window */
static const char zOccasions[] =
    "SELECT count(DISTINCT a.id) FROM assessments a JOIN evidence_items v ON v.assessment_id = a.id "
    "WHERE a.unit_id = $1 AND a.second_marking_of IS NULL AND a.date <= $3 AND v.person_id = $2 "
    "AND v.erased_at IS NULL AND v.date >= $4 AND v.date <= $3";

/* The learner takes part in the event's cohort (a place: enrolled,
 * completed or not_completed); a second marking marks results that exist. */
static int check_learner(recorder *p, const dom_rec *pEvent, int64_t idPerson, gerr *e) {
  dom_ctx *c = p->c;
  int64_t idCohort = dom_v(pEvent, "cohort_id")->i;
  db_stmt *s = db_prepare(c->pDb, zStatus, e);
  if (!s) return -1;
  db_bind_int(s, 1, idPerson);
  db_bind_int(s, 2, idCohort);
  int rc = db_step(s, e);
  char zSt[32] = "";
  if (rc == DB_ROW) snprintf(zSt, sizeof zSt, "%s", db_col_text(s, 0));
  db_done(s);
  if (rc == DB_ERROR) return -1;
  gerr w;
  for (size_t k = 0; k < sizeof aNotAssessed / sizeof aNotAssessed[0]; k++)
    if (!strcmp(zSt, aNotAssessed[k].zStatus)) {
      gerr_setr(&w, GERR_VALIDATION, aNotAssessed[k].reason, "person_id", GP_I("person", idPerson), GP_I("id", idCohort));
      refuse_whole(p, &w);
    }
  const dom_val *pFirst = dom_v(pEvent, "second_marking_of");
  if (!pFirst->bNull) {
    int64_t n = 0;
    if (asmt_query_int2(c, zRecorded, pFirst->i, idPerson, &n, e)) return -1;
    if (!n) {
      gerr_setr(&w, GERR_VALIDATION, GR_NO_FIRST_RESULTS, "person_id", GP_I("person", idPerson), GP_I("id", pFirst->i));
      refuse_whole(p, &w);
    }
  }
  return 0;
}

typedef struct crit {
  int64_t id;
  const char *zCode;
  int iGiven;   /* the decision that names it, -1: none */
} crit;

/* Reads the unit's criteria into a (at most ASMT_MAXCRIT); *pn. */
static int load_criteria(dom_ctx *c, int64_t idUnit, crit *a, int *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zCriteria, e);
  if (!s) return -1;
  db_bind_int(s, 1, idUnit);
  int rc;
  *pn = 0;
  while ((rc = db_step(s, e)) == DB_ROW && *pn < ASMT_MAXCRIT) {
    a[*pn].id = db_col_int(s, 0);
    a[*pn].zCode = arena_strdup(c->pAr, db_col_text(s, 1));
    a[*pn].iGiven = -1;
    (*pn)++;
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Every decision names a criterion of the unit once, with an outcome; a
 * competent one carries the four declarations; every criterion has one. */
static void check_decisions(recorder *p, crit *aCrit, int nCrit, int64_t idUnit) {
  gerr w;
  if (!nCrit) {
    gerr_setr(&w, GERR_VALIDATION, GR_NO_CRITERIA, "results", GP_I("id", idUnit));
    refuse_whole(p, &w);
  }
  for (int i = 0; i < p->nDec; i++) {
    const asmt_decision *d = &p->aDec[i];
    int k = 0;
    while (k < nCrit && aCrit[k].id != d->idCriterion) k++;
    if (k == nCrit) {
      gerr_setr(&w, GERR_VALIDATION, GR_NOT_A_CRITERION, "criterion_id", GP_I("criterion", d->idCriterion),
                GP_I("id", idUnit));
      refuse(p, i, &w);
    } else if (aCrit[k].iGiven >= 0) {
      gerr_setr(&w, GERR_VALIDATION, GR_DECIDED_TWICE, "criterion_id", GP_S("code", aCrit[k].zCode),
                GP_I("item", aCrit[k].iGiven + 1));
      gerr_msg(&w, "criterion %s is decided twice (also results[%d])", aCrit[k].zCode, aCrit[k].iGiven);
      refuse(p, i, &w);
    } else {
      aCrit[k].iGiven = i;
    }
    int bOutcome = d->zOutcome && (!strcmp(d->zOutcome, "competent") || !strcmp(d->zOutcome, "not_yet_competent"));
    if (!bOutcome) {
      if (d->zOutcome)
        gerr_setr(&w, GERR_VALIDATION, GR_NOT_ONE_OF, "outcome", GP_S("allowed", "competent, not_yet_competent"),
                  GP_S("got", d->zOutcome));
      else gerr_setr(&w, GERR_VALIDATION, GR_REQUIRED, "outcome");
      gerr_msg(&w, "competent or not_yet_competent");
      refuse(p, i, &w);
    }
    if (!bOutcome || strcmp(d->zOutcome, "competent")) continue;
    for (int j = 0; j < ASMT__DECL; j++)
      if (!d->abDecl[j]) {
        gerr_setr(&w, GERR_VALIDATION, aDeclReason[j], asmt_decl_fields[j]);
        refuse(p, i, &w);
      }
  }
  char zMissing[400] = "";
  int nMissing = 0;
  for (int k = 0; k < nCrit; k++)
    if (aCrit[k].iGiven < 0) {
      size_t n = strlen(zMissing);
      snprintf(zMissing + n, sizeof zMissing - n, "%s%s", nMissing++ ? ", " : "", aCrit[k].zCode);
    }
  if (nMissing) {
    gerr_setr(&w, GERR_VALIDATION, GR_CRITERIA_UNDECIDED, "results", GP_I("id", idUnit), GP_S("codes", zMissing));
    refuse_whole(p, &w);
  }
}

/* What guild can check of a competent decision's evidence: the learner has
 * some in the event (a second marking: in the event it marks), all of it
 * dated within the currency period before the event's day, and as many
 * occasions as the unit asks for. Refuses each competent decision. */
static int check_evidence(recorder *p, const dom_rec *pEvent, int64_t idPerson, gerr *e) {
  dom_ctx *c = p->c;
  int nCompetent = 0;
  for (int i = 0; i < p->nDec; i++) nCompetent += p->aDec[i].zOutcome && !strcmp(p->aDec[i].zOutcome, "competent");
  if (!nCompetent) return 0;
  int64_t idBase = dom_v(pEvent, "second_marking_of")->bNull ? pEvent->id : dom_v(pEvent, "second_marking_of")->i;
  dom_rec base;
  if (dom_get(c, &dom_assessment, idBase, &base, e)) return -1;
  const char *zDay = dom_v(&base, "date")->z;
  int64_t idUnit = dom_v(&base, "unit_id")->i, idProgram = 0, nSufficiency = 1, nMonths = 0;
  db_stmt *s = db_prepare(c->pDb, zUnit, e);
  if (!s) return -1;
  db_bind_int(s, 1, idUnit);
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    idProgram = db_col_int(s, 0);
    nSufficiency = db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR || asmt_currency_months(c, idProgram, &nMonths, e)) return -1;
  char zFrom[16];
  asmt_months_before(zDay, (int)nMonths, zFrom);
  /* the items, and the first one too old */
  s = db_prepare(c->pDb, zItems, e);
  if (!s) return -1;
  db_bind_int(s, 1, idBase);
  db_bind_int(s, 2, idPerson);
  int nItem = 0, bOld = 0;
  gerr eOld;   /* the first item too old */
  while ((rc = db_step(s, e)) == DB_ROW) {
    nItem++;
    if (!bOld && strcmp(db_col_text(s, 2), zFrom) < 0) {
      bOld = 1;
      gerr_setr(&eOld, GERR_VALIDATION, GR_EVIDENCE_OLD, "evidence_current", GP_I("id", db_col_int(s, 0)),
                GP_S("name", db_col_text(s, 1)), GP_S("date", db_col_text(s, 2)), GP_I("months", nMonths),
                GP_S("day", zDay));
    }
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zOccasions, e);
  if (!s) return -1;
  db_bind_int(s, 1, idUnit);
  db_bind_int(s, 2, idPerson);
  db_bind_text(s, 3, zDay);
  db_bind_text(s, 4, zFrom);
  int64_t nOccasions = 0;
  if (asmt_query_int(s, &nOccasions, e)) return -1;
  gerr w;
  for (int i = 0; i < p->nDec; i++) {
    if (!p->aDec[i].zOutcome || strcmp(p->aDec[i].zOutcome, "competent")) continue;
    if (!nItem) {
      gerr_setr(&w, GERR_VALIDATION, GR_NO_EVIDENCE, "outcome", GP_I("person", idPerson), GP_I("id", idBase));
      refuse(p, i, &w);
      continue;
    }
    if (bOld && p->aDec[i].abDecl[ASMT_CURRENT]) refuse(p, i, &eOld);
    if (nOccasions < nSufficiency && p->aDec[i].abDecl[ASMT_SUFFICIENT]) {
      gerr_setr(&w, GERR_VALIDATION, GR_FEW_OCCASIONS, "evidence_sufficient", GP_I("unit", idUnit),
                GP_I("need", nSufficiency), GP_I("person", idPerson), GP_I("got", nOccasions));
      refuse(p, i, &w);
    }
  }
  return 0;
}

/* Stores decision d of the learner as a result; *pOut: as stored. */
static int store_result(dom_ctx *c, int64_t idEvent, int64_t idPerson, const asmt_decision *d, dom_rec *pOut,
                        gerr *e) {
  dom_rec r;
  dom_rec_init(&r, &dom_assessment_result);
  dom_set_int(&r, "assessment_id", idEvent);
  dom_set_int(&r, "person_id", idPerson);
  dom_set_int(&r, "criterion_id", d->idCriterion);
  dom_set_text(&r, "outcome", d->zOutcome);
  for (int j = 0; j < ASMT__DECL; j++) dom_set_int(&r, asmt_decl_fields[j], d->abDecl[j] ? 1 : 0);
  dom_set_text(&r, "recorded_by", c->zActor);
  if (dom_insert_raw(c, &r, e) || dom_get(c, &dom_assessment_result, r.id, pOut, e)) return -1;
  return audit_record(c, "record", pOut, e);
}

int asmt_record(dom_ctx *c, int64_t idEvent, int64_t idPerson, const asmt_decision *aDec, int nDec, asmt_outcome *pOut,
                gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  gerr_clear(e);
  if (pol_check(c, &asmt_rule_record, &dom_assessment, idEvent, e)) return -1;
  if (nDec > ASMT_MAXCRIT)
    return gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, "results", GP_I("max", ASMT_MAXCRIT));
  recorder p = {c, aDec, nDec, {0}, {0}};
  gerr_rows_init(&p.rows, c->pAr);
  gerr_clear(&p.eWhole);
  dom_rec event;
  crit aCrit[ASMT_MAXCRIT];
  int nCrit = 0;
  int64_t n = 0;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_assessment, idEvent, &event, e)) goto fail;
  int64_t idUnit = dom_v(&event, "unit_id")->i;
  int rc = dom_exists(c, &dom_person, idPerson, e);
  if (rc < 0) goto fail;
  if (!rc) {
    gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "person_id", GP_S("entity", "person"), GP_I("id", idPerson));
    goto fail;
  }
  if (asmt_query_int2(c, zRecorded, idEvent, idPerson, &n, e)) goto fail;
  if (n) {
    gerr_setr(e, GERR_CONFLICT, GR_RESULTS_RECORDED, "person_id", GP_I("person", idPerson), GP_I("id", idEvent));
    goto fail;
  }
  if (check_learner(&p, &event, idPerson, e)) goto fail;
  if (p.eWhole.code == GERR_OK) {   /* a learner who is not assessed: their decisions are not looked at */
    if (load_criteria(c, idUnit, aCrit, &nCrit, e)) goto fail;
    check_decisions(&p, aCrit, nCrit, idUnit);
    if (check_evidence(&p, &event, idPerson, e)) goto fail;
  }
  if (p.eWhole.code != GERR_OK && (p.rows.n == 0 || nCrit == 0)) {   /* else the refused decisions say more */
    *e = p.eWhole;
    goto fail;
  }
  if (gerr_rows_fail(e, &p.rows, nDec, "results")) goto fail;
  pOut->aResult = arena_alloc(c->pAr, (size_t)(nDec ? nDec : 1) * sizeof *pOut->aResult);
  for (int i = 0; i < nDec; i++) {
    if (store_result(c, idEvent, idPerson, &aDec[i], &pOut->aResult[i], e)) goto fail;
    pOut->nResult++;
  }
  if (dom_v(&event, "second_marking_of")->bNull &&
      asmt_awards_follow(c, idPerson, idUnit, &pOut->bAchieved, &pOut->idSkillAward, &pOut->idProgramAward, e))
    goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
