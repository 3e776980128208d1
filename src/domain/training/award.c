/* award.c: what a learner is awarded. A unit is achieved when the latest
 * decision that counts on each of its criteria is competent (decisions of
 * second markings, and decisions set aside by an upheld appeal, do not
 * count); guild then makes a skill award (the learner, the unit, its
 * program and institution, the day, the assessor, the evidence), unless
 * the learner holds one or withdrew from the cohort the decisions were made
 * in. When every unit of a program is awarded and the enrollment is
 * completed (in either order), a program award follows. An award is
 * revoked only for a reason from a fixed list, and stays on record. */
#include "domain/training/asmt_int.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_person, dom_program, dom_institution, dom_enrollment, dom_cohort;

static const char *const azStatus[] = {"awarded", "revoked", NULL};
const char *const asmt_revoke_reasons[] = {"issued_in_error", "duplicate", "evidence_not_authentic", "decision_set_aside",
                                       "learner_request", NULL};

#define REVOKE_FIELDS                                                                                               \
  {"status", DT_ENUM, F_RO, 0, 0, azStatus, NULL, "awarded, or revoked"},                                          \
      {"revoked_reason", DT_ENUM, F_RO, 0, 0, asmt_revoke_reasons, NULL,                                                       \
       "issued_in_error, duplicate, evidence_not_authentic, decision_set_aside or learner_request"},                \
      {"revoked_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when it was revoked"},                                       \
      {"revoked_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who revoked it"}

#define AWARD_FILTERS                                                                                              \
  {"person", FILT_INT, &dom_person, "person_id = ?", "awards of this learner", NULL},                              \
      {"program", FILT_INT, &dom_program, "program_id = ?", "awards in this program", NULL},                       \
      {"institution", FILT_INT, &dom_institution, "institution_id = ?", "awards of this institution", NULL},       \
      {"cohort", FILT_INT, &dom_cohort, "enrollment_id IN (SELECT id FROM enrollments WHERE cohort_id = ?)",       \
       "awards of this cohort's learners", NULL},                                                                  \
      {"trainer", FILT_INT, NULL,                                                                                  \
       "enrollment_id IN (SELECT e.id FROM enrollments e JOIN cohorts_trainers t ON t.owner_id = e.cohort_id "     \
       "WHERE t.value = ?)",                                                                                       \
       "awards of the learners of cohorts this person trains", NULL},                                              \
      {"status", FILT_TEXT, NULL, "status = ?", "awards with this status", azStatus}

/* what both kinds of award say first: who, what, where */
#define AWARD_HEAD(zProgram, zEnrollment)                                                              \
  {"person_id", DT_REF, F_RO, 0, 0, NULL, &dom_person, "the learner"},                                 \
      {"program_id", DT_REF, F_RO, 0, 0, NULL, &dom_program, zProgram},                                \
      {"institution_id", DT_REF, F_RO, 0, 0, NULL, &dom_institution, "the awarding institution"},      \
      {"enrollment_id", DT_REF, F_RO, 0, 0, NULL, &dom_enrollment, zEnrollment}

static const dom_field aSkillField[] = {
    AWARD_HEAD("the unit's program", "the enrollment it was achieved in"),
    {"unit_id", DT_REF, F_RO, 0, 0, NULL, &dom_unit_of_competency, "the unit achieved"},
    {"date", DT_DATE, F_RO, 0, 0, NULL, NULL, "the day of the last decision that achieved it"},
    {"assessor_id", DT_REF, F_RO, 0, 0, NULL, &dom_person, "the assessor of that decision"},
    {"evidence", DT_REFLIST, F_RO, 0, 0, NULL, &dom_evidence_item, "the evidence the decisions rest on"},
    REVOKE_FIELDS,
};

static const dom_filter aSkillFilter[] = {
    AWARD_FILTERS,
    {"unit", FILT_INT, &dom_unit_of_competency, "unit_id = ?", "awards of this unit", NULL},
};

dom_entity dom_skill_award = {
    "skill_award", "skill_awards", "A unit of competency a learner achieved.",
    aSkillField, sizeof aSkillField / sizeof aSkillField[0], aSkillFilter, sizeof aSkillFilter / sizeof aSkillFilter[0],
    NULL, NULL, NULL,
    .apRule = {&asmt_rule_award_read, &asmt_rule_award_read, NULL, NULL, NULL},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "person"},
    .zTag = "awards",
};

static const dom_field aProgramField[] = {
    AWARD_HEAD("the program completed", "the completed enrollment"),
    {"date", DT_DATE, F_RO, 0, 0, NULL, NULL, "the day it became due (the last unit, or completion)"},
    {"skill_awards", DT_REFLIST, F_RO, 0, 0, NULL, &dom_skill_award, "the program's units, as awarded"},
    REVOKE_FIELDS,
};

static const dom_filter aProgramFilter[] = {AWARD_FILTERS};

dom_entity dom_program_award = {
    "program_award", "program_awards", "A program a learner completed with every unit achieved.",
    aProgramField, sizeof aProgramField / sizeof aProgramField[0], aProgramFilter,
    sizeof aProgramFilter / sizeof aProgramFilter[0], NULL, NULL, NULL,
    .apRule = {&asmt_rule_award_read, &asmt_rule_award_read, NULL, NULL, NULL},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "person"},
    .zTag = "awards",
};

/* ---- achievement ------------------------------------------------------------ */

/* The decisions that count on each criterion of unit $2 for learner $1,
 * latest first: first markings, not set aside by an upheld appeal (of the
 * result, or of the learner's whole event). */
static const char zDecisions[] =
    "SELECT r.criterion_id, r.outcome, a.id, a.date, a.assessor_id, a.cohort_id FROM assessment_results r "
    "JOIN assessments a ON a.id = r.assessment_id WHERE r.person_id = $1 AND a.unit_id = $2 "
    "AND a.second_marking_of IS NULL AND NOT EXISTS (SELECT 1 FROM assessment_appeals p WHERE p.status = 'upheld' "
    "AND p.person_id = r.person_id AND p.assessment_id = r.assessment_id AND (p.result_id IS NULL OR p.result_id = "
    "r.id)) ORDER BY r.criterion_id, a.date DESC, a.id DESC";
static const char zCriteria[] = "SELECT count(*) FROM performance_criteria WHERE unit_id = $1";
static const char zHeld[] = "SELECT id FROM skill_awards WHERE person_id = $1 AND unit_id = $2 AND status = 'awarded'";
static const char zPlace[] = "SELECT id, status FROM enrollments WHERE person_id = $1 AND cohort_id = $2";
static const char zLockEnrollment[] = "UPDATE enrollments SET version = version WHERE id = $1";
static const char zEvidence[] =
    "SELECT id FROM evidence_items WHERE person_id = $1 AND assessment_id = $2 AND erased_at IS NULL ORDER BY id";
static const char zUnitProgram[] =
    "SELECT u.program_id, p.institution_id FROM units_of_competency u JOIN programs p ON p.id = u.program_id WHERE "
    "u.id = $1";

/* The unit's latest counting decisions for one learner. */
typedef struct achievement {
  int bAchieved;
  int64_t nEvent, aEvent[ASMT_MAXCRIT];   /* the deciding events, distinct */
  int64_t idLast, idAssessor, idCohort;   /* the latest of them */
  char zDate[16];
} achievement;

static int achievement_of(dom_ctx *c, int64_t idPerson, int64_t idUnit, achievement *p, gerr *e) {
  memset(p, 0, sizeof *p);
  int64_t nCrit = 0, nDecided = 0, nCompetent = 0, idPrev = 0;
  if (db_query_int(c->pDb, zCriteria, 1, idUnit, &nCrit, e) == DB_ERROR) return -1;
  db_stmt *s = db_prepare(c->pDb, zDecisions, e);
  if (!s) return -1;
  db_bind_int(s, 1, idPerson);
  db_bind_int(s, 2, idUnit);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t idCrit = db_col_int(s, 0), idEvent = db_col_int(s, 2);
    if (nDecided && idCrit == idPrev) continue;   /* an older decision */
    idPrev = idCrit;
    nDecided++;
    nCompetent += !strcmp(db_col_text(s, 1), "competent");
    int k = 0;
    while (k < p->nEvent && p->aEvent[k] != idEvent) k++;
    if (k == p->nEvent && p->nEvent < ASMT_MAXCRIT) p->aEvent[p->nEvent++] = idEvent;
    const char *zDate = db_col_text(s, 3);
    int cmp = strcmp(zDate, p->zDate);
    if (cmp > 0 || (cmp == 0 && idEvent > p->idLast)) {
      snprintf(p->zDate, sizeof p->zDate, "%s", zDate);
      p->idLast = idEvent;
      p->idAssessor = db_col_int(s, 4);
      p->idCohort = db_col_int(s, 5);
    }
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  p->bAchieved = nCrit > 0 && nDecided == nCrit && nCompetent == nCrit;
  return 0;
}

/* Appends the ids zSql ($1 a, $2 b) gives to the list v (at most
 * DOM_MAXLIST), in c's arena. */
static int append_ids(dom_ctx *c, const char *zSql, int64_t a, int64_t b, dom_val *v, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, a);
  db_bind_int(s, 2, b);
  int rc;
  if (!v->ai) v->ai = arena_alloc(c->pAr, DOM_MAXLIST * sizeof *v->ai);
  v->bSet = 1;
  while ((rc = db_step(s, e)) == DB_ROW)
    if (v->n < DOM_MAXLIST) v->ai[v->n++] = db_col_int(s, 0);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* ---- program awards --------------------------------------------------------- */

static const char zUnitsOfCohort[] =
    "SELECT u.id FROM units_of_competency u JOIN cohorts c ON c.program_id = u.program_id WHERE c.id = $1 ORDER BY u.id";
static const char zSkillHeld[] =
    "SELECT id, date FROM skill_awards WHERE person_id = $1 AND unit_id = $2 AND status = 'awarded'";
static const char zProgramHeld[] =
    "SELECT id FROM program_awards WHERE person_id = $1 AND program_id = $2 AND status = 'awarded'";
static const char zCohortProgram[] =
    "SELECT c.program_id, p.institution_id FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE c.id = $1";

/* Makes the program award of completed enrollment pEnr when every unit of
 * its program is awarded to the learner and none is held: *pId (0: none
 * made). */
static int program_award_due(dom_ctx *c, const dom_rec *pEnr, int64_t *pId, gerr *e) {
  *pId = 0;
  if (strcmp(dom_v(pEnr, "status")->z, "completed")) return 0;
  int64_t idPerson = dom_v(pEnr, "person_id")->i, idCohort = dom_v(pEnr, "cohort_id")->i;
  int64_t aUnit[DOM_MAXLIST];
  int nUnit = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zUnitsOfCohort, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  while ((rc = db_step(s, e)) == DB_ROW && nUnit < DOM_MAXLIST) aUnit[nUnit++] = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!nUnit) return 0;   /* a program without units has no program award */
  dom_rec r;
  dom_rec_init(&r, &dom_program_award);
  dom_val *v = dom_vm(&r, "skill_awards");
  v->bSet = 1;
  v->ai = arena_alloc(c->pAr, (size_t)nUnit * sizeof *v->ai);
  char zDate[16];
  asmt_day_of(dom_v(pEnr, "status_at")->i, zDate);
  for (int i = 0; i < nUnit; i++) {
    s = db_prepare(c->pDb, zSkillHeld, e);
    if (!s) return -1;
    db_bind_int(s, 1, idPerson);
    db_bind_int(s, 2, aUnit[i]);
    rc = db_step(s, e);
    if (rc == DB_ROW) {
      v->ai[v->n++] = db_col_int(s, 0);
      if (strcmp(db_col_text(s, 1), zDate) > 0) snprintf(zDate, sizeof zDate, "%s", db_col_text(s, 1));
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
    if (rc == DB_DONE) return 0;   /* a unit not (yet) achieved */
  }
  int64_t idProgram = 0, idInst = 0, idHeld = 0;
  s = db_prepare(c->pDb, zCohortProgram, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  rc = db_step(s, e);
  if (rc == DB_ROW) {
    idProgram = db_col_int(s, 0);
    idInst = db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR || asmt_query_int2(c, zProgramHeld, idPerson, idProgram, &idHeld, e)) return -1;
  if (idHeld) return 0;
  dom_set_int(&r, "person_id", idPerson);
  dom_set_int(&r, "program_id", idProgram);
  dom_set_int(&r, "institution_id", idInst);
  dom_set_int(&r, "enrollment_id", pEnr->id);
  dom_set_text(&r, "date", arena_strdup(c->pAr, zDate));
  dom_set_text(&r, "status", "awarded");
  dom_rec out;
  if (dom_insert_raw(c, &r, e) || dom_get(c, &dom_program_award, r.id, &out, e) || audit_record(c, "award", &out, e))
    return -1;
  *pId = r.id;
  return 0;
}

/* The hook on enrollments (module.c): a completed enrollment may complete
 * a program award. */
int asmt_on_enrollment(dom_ctx *c, const dom_rec *r, gerr *e) {
  int64_t id;
  return program_award_due(c, r, &id, e);
}

int asmt_awards_follow(dom_ctx *c, int64_t idPerson, int64_t idUnit, int *pbAchieved, int64_t *pidSkill,
                       int64_t *pidProgram, gerr *e) {
  int64_t idSkill = 0, idProgram = 0, idHeld = 0, idEnr = 0;
  achievement a;
  if (achievement_of(c, idPerson, idUnit, &a, e)) return -1;
  if (pbAchieved) *pbAchieved = a.bAchieved;
  if (!a.bAchieved) goto done;
  if (asmt_query_int2(c, zHeld, idPerson, idUnit, &idHeld, e)) return -1;
  if (idHeld) goto done;
  char zStatus[32] = "";
  db_stmt *s = db_prepare(c->pDb, zPlace, e);
  if (!s) return -1;
  db_bind_int(s, 1, idPerson);
  db_bind_int(s, 2, a.idCohort);
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    idEnr = db_col_int(s, 0);
    snprintf(zStatus, sizeof zStatus, "%s", db_col_text(s, 1));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  /* never for a withdrawn enrollment (nor one that holds no place) */
  if (!idEnr || !strcmp(zStatus, "withdrawn") || !strcmp(zStatus, "applied")) goto done;
  /* one award: the learner's awards are made one writer at a time (the
   * enrollment's row is locked until the end of the transaction), then
   * looked for again */
  s = db_prepare(c->pDb, zLockEnrollment, e);
  if (!s) return -1;
  db_bind_int(s, 1, idEnr);
  rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR || asmt_query_int2(c, zHeld, idPerson, idUnit, &idHeld, e)) return -1;
  if (idHeld) goto done;
  dom_rec r;
  dom_rec_init(&r, &dom_skill_award);
  s = db_prepare(c->pDb, zUnitProgram, e);
  if (!s) return -1;
  db_bind_int(s, 1, idUnit);
  rc = db_step(s, e);
  if (rc == DB_ROW) {
    dom_set_int(&r, "program_id", db_col_int(s, 0));
    dom_set_int(&r, "institution_id", db_col_int(s, 1));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  dom_set_int(&r, "person_id", idPerson);
  dom_set_int(&r, "unit_id", idUnit);
  dom_set_int(&r, "enrollment_id", idEnr);
  dom_set_text(&r, "date", arena_strdup(c->pAr, a.zDate));
  dom_set_int(&r, "assessor_id", a.idAssessor);
  dom_set_text(&r, "status", "awarded");
  for (int i = 0; i < a.nEvent; i++)
    if (append_ids(c, zEvidence, idPerson, a.aEvent[i], dom_vm(&r, "evidence"), e)) return -1;
  dom_rec out, enr;
  if (dom_insert_raw(c, &r, e) || dom_get(c, &dom_skill_award, r.id, &out, e) || audit_record(c, "award", &out, e))
    return -1;
  idSkill = r.id;
  if (dom_get(c, &dom_enrollment, idEnr, &enr, e) || program_award_due(c, &enr, &idProgram, e)) return -1;
done:
  if (pidSkill) *pidSkill = idSkill;
  if (pidProgram) *pidProgram = idProgram;
  return 0;
}

/* ---- revocation --------------------------------------------------------------- */

int asmt_award_revoke(dom_ctx *c, const dom_entity *pEnt, int64_t id, const char *zReason, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &asmt_rule_award_revoke, pEnt, id, e)) return -1;
  int bKnown = 0;
  for (int i = 0; zReason && asmt_revoke_reasons[i]; i++) bKnown |= !strcmp(zReason, asmt_revoke_reasons[i]);
  if (!bKnown) {
    char z[200] = "";
    for (int i = 0; asmt_revoke_reasons[i]; i++)
      snprintf(z + strlen(z), sizeof z - strlen(z), "%s%s", i ? ", " : "", asmt_revoke_reasons[i]);
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "reason", GP_S("allowed", z), GP_S("got", zReason ? zReason : ""));
  }
  dom_rec r;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, pEnt, id, &r, e)) goto fail;
  if (strcmp(dom_v(&r, "status")->z, "awarded")) {
    gerr_setr(e, GERR_CONFLICT, GR_ALREADY_STATE, "status", GP_S("entity", pEnt->zName), GP_I("id", id),
              GP_S("state", dom_v(&r, "status")->z));
    goto fail;
  }
  dom_set_text(&r, "status", "revoked");
  dom_set_text(&r, "revoked_reason", zReason);
  dom_set_int(&r, "revoked_at", c->now);
  dom_set_text(&r, "revoked_by", c->zActor);
  if (dom_store(c, &r, r.version, e) || dom_get(c, pEnt, id, pOut, e) || audit_record(c, "revoke", pOut, e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
