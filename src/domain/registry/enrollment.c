/* enrollment.c: a person in a cohort. Enrollment is voluntary: it records
 * the person's consent (when, and who entered it), and withdrawal is always
 * possible, never blocked and never penalised. Status moves
 * applied -> enrolled -> completed | withdrawn | not_completed
 * along the transitions in aTransition; capacity is enforced on entering
 * `enrolled`. */
#include "domain/registry/enrollment.h"
#include "domain/registry/registry.h"
#include "domain/engine/entity_int.h"
#include "domain/engine/audit.h"
#include <string.h>

extern dom_entity dom_person, dom_cohort, dom_enrollment;
extern const char cohort_zSeatsTaken[];

static const char *const azStatus[] = {"applied", "enrolled", "completed", "withdrawn", "not_completed", NULL};
static const char *const azReason[] = {"personal", "health", "family", "work", "moved",
                                       "program_unsuitable", "other", NULL};

/* Every allowed change of status. Withdrawal is open from every status in
 * which the person is still taking part. */
static const struct {
  const char *zFrom, *zTo;
} aTransition[] = {
    {"applied", "enrolled"},  {"applied", "withdrawn"},  {"enrolled", "completed"},
    {"enrolled", "withdrawn"}, {"enrolled", "not_completed"},
};

static int may_move(const char *zFrom, const char *zTo) {
  for (size_t i = 0; i < sizeof aTransition / sizeof aTransition[0]; i++)
    if (strcmp(aTransition[i].zFrom, zFrom) == 0 && strcmp(aTransition[i].zTo, zTo) == 0) return 1;
  return 0;
}

static const char zLockEnrollment[] = "UPDATE enrollments SET version = version WHERE id = $1";
static const char zLockCohort[] = "UPDATE cohorts SET capacity = capacity WHERE id = $1";
static const char zCapacity[] = "SELECT capacity FROM cohorts WHERE id = $1";

/* Refuses a new place in a full cohort. */
static int check_capacity(dom_ctx *c, int64_t idCohort, gerr *e) {
  int64_t nCap = 0, nTaken = 0;
  /* lock the cohort's row until the transaction ends, so two servers cannot
   * both take the last place (a no-op write under SQLite's single writer) */
  db_stmt *s = db_prepare(c->pDb, zLockCohort, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (db_query_int(c->pDb, zCapacity, 1, idCohort, &nCap, e) == DB_ERROR) return -1;
  if (db_query_int(c->pDb, cohort_zSeatsTaken, 1, idCohort, &nTaken, e) == DB_ERROR) return -1;
  if (nTaken >= nCap)
    return gerr_setr(e, GERR_CONFLICT, GR_COHORT_FULL, "status", GP_I("id", idCohort), GP_I("taken", nTaken),
                     GP_I("capacity", nCap));
  return 0;
}

static int enrollment_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  dom_val *pStatus = dom_vm(r, "status");
  const dom_val *pConsent = dom_v(r, "consent");
  int64_t idCohort = dom_v(r, "cohort_id")->i;
  if (!pOld) {
    if (!pConsent->bSet || pConsent->bNull || !pConsent->i)
      return gerr_setr(e, GERR_VALIDATION, GR_CONSENT_NEEDED, "consent");
    if (!pStatus->bSet || pStatus->bNull) dom_set_text(r, "status", "applied");
    if (strcmp(pStatus->z, "applied") != 0 && strcmp(pStatus->z, "enrolled") != 0)
      return gerr_setr(e, GERR_VALIDATION, GR_NEW_STATUS, "status", GP_S("got", pStatus->z));
    if (!dom_v(r, "withdrawal_reason")->bNull && dom_v(r, "withdrawal_reason")->bSet)
      return gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITHDRAWN, "withdrawal_reason");
    dom_set_int(r, "consent_at", c->now);
    dom_set_text(r, "consent_by", c->zActor);
    dom_set_int(r, "status_at", c->now);
    if (strcmp(pStatus->z, "enrolled") == 0) return check_capacity(c, idCohort, e);
    return 0;
  }
  if (pConsent->bSet)
    return gerr_setr(e, GERR_VALIDATION, GR_CONSENT_FIXED, "consent");
  const char *zOld = dom_v(pOld, "status")->z;
  if (pStatus->bNull) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "status");
  if (strcmp(zOld, pStatus->z) != 0) {
    if (!may_move(zOld, pStatus->z))
      return gerr_setr(e, GERR_VALIDATION, GR_STATUS_MOVE, "status", GP_S("from", zOld), GP_S("to", pStatus->z));
    dom_set_int(r, "status_at", c->now);
    if (strcmp(pStatus->z, "withdrawn") == 0) dom_set_int(r, "withdrawn_at", c->now);
    if (strcmp(pStatus->z, "enrolled") == 0 && check_capacity(c, idCohort, e)) return -1;
  }
  const dom_val *pReason = dom_v(r, "withdrawal_reason");
  if (!pReason->bNull && strcmp(pStatus->z, "withdrawn") != 0)
    return gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITHDRAWN, "withdrawal_reason");
  return 0;
}

static const dom_field aField[] = {
    {"person_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_person, "the learner"},
    {"cohort_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_cohort, "the cohort"},
    {"status", DT_ENUM, 0, 0, 0, azStatus, NULL,
     "applied, enrolled, completed, withdrawn or not_completed (new: applied or enrolled)"},
    {"consent", DT_BOOL, F_VIRT, 0, 0, NULL, NULL, "must be true when creating: the learner's own consent"},
    {"consent_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when consent was recorded"},
    {"consent_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who recorded the consent"},
    {"status_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when the status last changed"},
    {"withdrawn_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when the learner withdrew"},
    {"withdrawal_reason", DT_ENUM, 0, 0, 0, azReason, NULL,
     "optional: personal, health, family, work, moved, program_unsuitable or other"},
    {"sourced_id", DT_TEXT, F_UNIQUE, 1, 255, NULL, NULL, "external id (e.g. OneRoster sourcedId), unique"},
};

static const dom_filter aFilter[] = {
    {"person", FILT_INT, &dom_person, "person_id = ?", "enrollments of this person", NULL},
    {"cohort", FILT_INT, &dom_cohort, "cohort_id = ?", "enrollments in this cohort", NULL},
    {"status", FILT_TEXT, NULL, "status = ?", "enrollments with this status", azStatus},
    {"program", FILT_INT, NULL, "cohort_id IN (SELECT id FROM cohorts WHERE program_id = ?)",
     "enrollments in this program's cohorts", NULL},
    {"institution", FILT_INT, NULL,
     "cohort_id IN (SELECT c.id FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE p.institution_id = ?)",
     "enrollments at this institution", NULL},
    {"trainer", FILT_INT, NULL, "cohort_id IN (SELECT owner_id FROM cohorts_trainers WHERE value = ?)",
     "enrollments in cohorts this person trains", NULL},
    {"area", FILT_INT, NULL,
     "cohort_id IN (SELECT c.id FROM cohorts c JOIN programs p ON p.id = c.program_id "
     "JOIN institutions i ON i.id = p.institution_id WHERE i.area_id IN " DOM_AREA_SUBTREE ")",
     "enrollments at institutions in this area or within it", NULL},
    {"sourced_id", FILT_TEXT, NULL, "sourced_id = ?", "the enrollment with this external id", NULL},
};

static const dom_parent aEnrollmentParent[] = {{"cohort_id", 1u << SCOPE_INSTITUTION, 0}, {"person_id", (1u << SCOPE_INSTITUTION) | (1u << SCOPE_SELF), 0}};
/* One enrollment per person and cohort (a bulk writer's insert refuses a
 * second itself: dom_bulk.mKey). */
static const dom_unique aUnique[] = {
    {{"person_id", "cohort_id"}, "cohort_id", "this person is already enrolled in this cohort", GR_ALREADY_ENROLLED},
};

dom_entity dom_enrollment = {
    "enrollment", "enrollments", "A person in a cohort, with their consent.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    enrollment_check, NULL, NULL, aUnique, sizeof aUnique / sizeof aUnique[0],
    .apRule = {&reg_rule_enrollment_read, &reg_rule_enrollment_read, &reg_rule_enrollment_create, &reg_rule_enrollment_update, &reg_rule_enrollment_write},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "person"},
    .aParent = aEnrollmentParent,
    .nParent = sizeof aEnrollmentParent / sizeof aEnrollmentParent[0],
    .flags = DOM_EXPORT,
};

int enroll_withdraw(dom_ctx *c, int64_t id, const char *zReason, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &reg_rule_withdraw, &dom_enrollment, id, e)) return -1;
  if (zReason) {
    const dom_field *f = &aField[dom_field_index(&dom_enrollment, "withdrawal_reason")];
    dom_val v = {.bSet = 1, .z = zReason};
    if (dom_check_value(c, f, &v, e)) return -1;
  }
  dom_rec r;
  if (db_begin(c->pDb, e)) return -1;
  /* lock the row first: a concurrent withdrawal waits, then finds it done
   * (withdrawal is never refused as stale) */
  db_stmt *s = db_prepare(c->pDb, zLockEnrollment, e);
  if (!s) goto fail;
  db_bind_int(s, 1, id);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  if (dom_get(c, &dom_enrollment, id, &r, e)) goto fail;
  const char *zStatus = dom_v(&r, "status")->z;
  if (strcmp(zStatus, "withdrawn") == 0) {  /* already: nothing to do */
    *pOut = r;
    return db_commit(c->pDb, e);
  }
  if (!may_move(zStatus, "withdrawn")) {
    gerr_setr(e, GERR_CONFLICT, GR_ALREADY_ENDED, "status", GP_I("id", id), GP_S("status", zStatus));
    goto fail;
  }
  dom_set_text(&r, "status", "withdrawn");
  dom_set_int(&r, "status_at", c->now);
  dom_set_int(&r, "withdrawn_at", c->now);
  dom_set_text(&r, "withdrawal_reason", zReason);
  if (dom_store(c, &r, r.version, e)) goto fail;
  if (dom_get(c, &dom_enrollment, id, pOut, e)) goto fail;
  if (audit_record(c, "withdraw", pOut, e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
