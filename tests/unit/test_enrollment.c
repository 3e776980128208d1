/* test_enrollment.c: enrollment is voluntary (consent), moves along a fixed
 * set of status transitions, respects cohort capacity, and can always be
 * withdrawn from while the person is still taking part. */
#include "unit.h"
#include "domain/registry/enrollment.h"

enum { CONSENT_UNSET = -1, CONSENT_NULL = -2 };

static void rec_enroll(dom_rec *r, int64_t idPerson, int64_t idCohort, const char *zStatus, int consent) {
  dom_rec_init(r, &dom_enrollment);
  dom_set_int(r, "person_id", idPerson);
  dom_set_int(r, "cohort_id", idCohort);
  if (zStatus) dom_set_text(r, "status", zStatus);
  if (consent == CONSENT_NULL) {
    dom_vm(r, "consent")->bSet = 1;
    dom_vm(r, "consent")->bNull = 1;
  } else if (consent != CONSENT_UNSET) {
    dom_set_int(r, "consent", consent);
  }
}

/* Creates an enrollment; returns its id, or -1 with e filled. */
static int64_t try_enroll(unit_fx *f, int64_t idPerson, int64_t idCohort, const char *zStatus, int consent,
                          gerr *e) {
  dom_rec r, out;
  rec_enroll(&r, idPerson, idCohort, zStatus, consent);
  gerr_clear(e);
  if (dom_create(&f->c, &dom_enrollment, &r, &out, e)) return -1;
  return out.id;
}

static int64_t enroll(unit_fx *f, int64_t idPerson, int64_t idCohort, const char *zStatus) {
  gerr e;
  int64_t id = try_enroll(f, idPerson, idCohort, zStatus, 1, &e);
  if (id < 0) fail_msg("enroll %lld in %lld as %s: %s", (long long)idPerson, (long long)idCohort,
                       zStatus ? zStatus : "(default)", e.msg);
  return id;
}

/* Moves enrollment id to zStatus with dom_update; returns 0 or -1. */
static int try_move(unit_fx *f, int64_t id, const char *zStatus, dom_rec *pOut, gerr *e) {
  dom_rec cur, patch;
  gerr_clear(e);
  if (dom_get(&f->c, &dom_enrollment, id, &cur, e)) fail_msg("get enrollment %lld: %s", (long long)id, e->msg);
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_text(&patch, "status", zStatus);
  return dom_update(&f->c, &dom_enrollment, id, cur.version, &patch, pOut, e);
}

static void move(unit_fx *f, int64_t id, const char *zStatus) {
  dom_rec out;
  gerr e;
  if (try_move(f, id, zStatus, &out, &e)) fail_msg("move %lld to %s: %s", (long long)id, zStatus, e.msg);
  assert_string_equal(dom_v(&out, "status")->z, zStatus);
}

static const char *status_of(unit_fx *f, int64_t id) {
  dom_rec r;
  gerr e;
  if (dom_get(&f->c, &dom_enrollment, id, &r, &e)) fail_msg("get: %s", e.msg);
  return dom_v(&r, "status")->z;
}

static int64_t seats_taken(unit_fx *f, int64_t idCohort) {
  extern const char cohort_zSeatsTaken[];
  int64_t n = -1;
  gerr e;
  assert_int_equal(db_query_int(f->pDb, cohort_zSeatsTaken, 1, idCohort, &n, &e), DB_ROW);
  return n;
}

/* ---------------------------------------------------------------------- */

static void consent_required(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idP = unit_person(f, "Ayla", "Kerim");

  assert_err(try_enroll(f, idP, idCohort, NULL, CONSENT_UNSET, &e), e, GERR_VALIDATION, "consent");
  assert_non_null(strstr(e.msg, "consent"));
  assert_err(try_enroll(f, idP, idCohort, NULL, 0, &e), e, GERR_VALIDATION, "consent");
  assert_err(try_enroll(f, idP, idCohort, NULL, CONSENT_NULL, &e), e, GERR_VALIDATION, "consent");
  assert_err(try_enroll(f, idP, idCohort, "enrolled", 0, &e), e, GERR_VALIDATION, "consent");
  int64_t nRows = -1;
  assert_int_equal(db_query_int(f->pDb, "SELECT count(*) + $1 FROM enrollments", 1, 0, &nRows, &e), DB_ROW);
  assert_int_equal(nRows, 0);

  /* unknown person or cohort */
  assert_err(try_enroll(f, 999, idCohort, NULL, 1, &e), e, GERR_VALIDATION, "person_id");
  assert_err(try_enroll(f, idP, 999, NULL, 1, &e), e, GERR_VALIDATION, "cohort_id");
  /* a new enrollment is applied or enrolled, nothing else */
  assert_err(try_enroll(f, idP, idCohort, "completed", 1, &e), e, GERR_VALIDATION, "status");
  assert_err(try_enroll(f, idP, idCohort, "withdrawn", 1, &e), e, GERR_VALIDATION, "status");
  assert_err(try_enroll(f, idP, idCohort, "not_completed", 1, &e), e, GERR_VALIDATION, "status");
  assert_err(try_enroll(f, idP, idCohort, "accepted", 1, &e), e, GERR_VALIDATION, "status");

  /* with consent: recorded who and when; the consent flag itself is not stored */
  dom_rec r, out;
  rec_enroll(&r, idP, idCohort, NULL, 1);
  dom_set_text(&r, "consent_by", "somebody else");   /* guild sets these, not the caller */
  dom_set_int(&r, "consent_at", 1);
  f->c.zActor = "clerk-7";
  assert_err(dom_create(&f->c, &dom_enrollment, &r, &out, &e), e, GERR_VALIDATION, "consent_at");
  rec_enroll(&r, idP, idCohort, NULL, 1);
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_enrollment, &r, &out, &e), 0);
  assert_string_equal(dom_v(&out, "status")->z, "applied");
  assert_int_equal(dom_v(&out, "consent_at")->i, f->c.now);
  assert_string_equal(dom_v(&out, "consent_by")->z, "clerk-7");
  assert_int_equal(dom_v(&out, "status_at")->i, f->c.now);
  assert_true(dom_v(&out, "withdrawn_at")->bNull);
  assert_true(dom_v(&out, "withdrawal_reason")->bNull);
  assert_false(dom_v(&out, "consent")->bSet);
  assert_int_equal(dom_v(&out, "person_id")->i, idP);
  assert_int_equal(dom_v(&out, "cohort_id")->i, idCohort);

  /* consent is given once, at creation */
  dom_rec patch;
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_int(&patch, "consent", 1);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_enrollment, out.id, 1, &patch, &r, &e), e, GERR_VALIDATION, "consent");

  /* person and cohort cannot be changed afterwards */
  int64_t idQ = unit_person(f, "Other", NULL);
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_int(&patch, "person_id", idQ);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_enrollment, out.id, 1, &patch, &r, &e), e, GERR_VALIDATION, "person_id");

  /* an enrollment keeps its person from being deleted */
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_person, idP, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "1 enrollment (person_id)"));
}

static const char *const azStatus[] = {"applied", "enrolled", "completed", "withdrawn", "not_completed"};
enum { NSTATUS = 5 };

/* The allowed changes (DESIGN.md: applied -> enrolled -> completed |
 * withdrawn | not_completed; withdrawal while applied or enrolled). */
static int allowed(const char *zFrom, const char *zTo) {
  static const char *const aa[][2] = {
      {"applied", "enrolled"}, {"applied", "withdrawn"}, {"enrolled", "completed"},
      {"enrolled", "withdrawn"}, {"enrolled", "not_completed"},
  };
  for (size_t i = 0; i < sizeof aa / sizeof aa[0]; i++)
    if (!strcmp(aa[i][0], zFrom) && !strcmp(aa[i][1], zTo)) return 1;
  return 0;
}

/* Creates an enrollment of a new person and brings it to zStatus. */
static int64_t enrollment_in(unit_fx *f, int64_t idCohort, const char *zStatus) {
  static int n = 0;
  char zName[32];
  snprintf(zName, sizeof zName, "Learner %d", ++n);
  int64_t idP = unit_person(f, zName, NULL);
  if (!strcmp(zStatus, "applied")) return enroll(f, idP, idCohort, "applied");
  if (!strcmp(zStatus, "withdrawn")) {
    int64_t id = enroll(f, idP, idCohort, "applied");
    move(f, id, "withdrawn");
    return id;
  }
  int64_t id = enroll(f, idP, idCohort, "enrolled");
  if (strcmp(zStatus, "enrolled")) move(f, id, zStatus);
  return id;
}

static void status_transitions(void **state) {
  unit_fx *f = *state;
  int64_t idCohort = unit_world(f, 1000, NULL);
  int nAllowed = 0, nRefused = 0;
  for (int i = 0; i < NSTATUS; i++) {
    for (int j = 0; j < NSTATUS; j++) {
      if (i == j) continue;
      const char *zFrom = azStatus[i], *zTo = azStatus[j];
      int64_t id = enrollment_in(f, idCohort, zFrom);
      dom_rec before, out;
      gerr e;
      assert_int_equal(dom_get(&f->c, &dom_enrollment, id, &before, &e), 0);
      assert_string_equal(dom_v(&before, "status")->z, zFrom);
      f->c.now += 100;
      int rc = try_move(f, id, zTo, &out, &e);
      if (allowed(zFrom, zTo)) {
        if (rc) fail_msg("%s -> %s should be allowed: %s", zFrom, zTo, e.msg);
        assert_string_equal(dom_v(&out, "status")->z, zTo);
        assert_int_equal(dom_v(&out, "status_at")->i, f->c.now);
        assert_int_equal(out.version, before.version + 1);
        if (!strcmp(zTo, "withdrawn")) assert_int_equal(dom_v(&out, "withdrawn_at")->i, f->c.now);
        else assert_true(dom_v(&out, "withdrawn_at")->bNull);
        /* consent is untouched by later changes */
        assert_int_equal(dom_v(&out, "consent_at")->i, dom_v(&before, "consent_at")->i);
        nAllowed++;
      } else {
        if (rc == 0) fail_msg("%s -> %s should be refused", zFrom, zTo);
        if (e.code != GERR_VALIDATION) fail_msg("%s -> %s: %s", zFrom, zTo, e.msg);
        assert_string_equal(e.field, "status");
        assert_non_null(strstr(e.msg, zFrom));
        assert_string_equal(status_of(f, id), zFrom);
        nRefused++;
      }
      assert_int_equal(db_depth(f->pDb), 0);
    }
  }
  assert_int_equal(nAllowed, 5);
  assert_int_equal(nRefused, 15);

  /* keeping the same status is not a transition */
  int64_t id = enrollment_in(f, idCohort, "completed");
  dom_rec out;
  gerr e;
  int64_t tBefore = f->c.now;
  f->c.now += 100;
  assert_int_equal(try_move(f, id, "completed", &out, &e), 0);
  assert_int_equal(dom_v(&out, "status_at")->i, tBefore);

  /* unknown and null statuses */
  id = enrollment_in(f, idCohort, "applied");
  assert_err(try_move(f, id, "graduated", &out, &e), e, GERR_VALIDATION, "status");
  dom_rec patch;
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_text(&patch, "status", NULL);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_enrollment, id, 1, &patch, &out, &e), e, GERR_VALIDATION, "status");
  assert_string_equal(status_of(f, id), "applied");

  /* a withdrawal reason only with withdrawal, and only a known one */
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_text(&patch, "withdrawal_reason", "health");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_enrollment, id, 1, &patch, &out, &e), e, GERR_VALIDATION, "withdrawal_reason");
  dom_set_text(&patch, "status", "withdrawn");
  dom_set_text(&patch, "withdrawal_reason", "lazy");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_enrollment, id, 1, &patch, &out, &e), e, GERR_VALIDATION, "withdrawal_reason");
  dom_set_text(&patch, "withdrawal_reason", "health");
  assert_int_equal(dom_update(&f->c, &dom_enrollment, id, 1, &patch, &out, &e), 0);
  assert_string_equal(dom_v(&out, "status")->z, "withdrawn");
  assert_string_equal(dom_v(&out, "withdrawal_reason")->z, "health");
}

/* A new enrollment that is not withdrawn has no withdrawal reason, just as
 * an update refuses one ("withdrawal_reason: only for a withdrawn
 * enrollment"). */
static void create_refuses_withdrawal_reason(void **state) {
  unit_fx *f = *state;
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idP = unit_person(f, "Ayla", NULL);
  dom_rec r, out;
  gerr e;
  rec_enroll(&r, idP, idCohort, "applied", 1);
  dom_set_text(&r, "withdrawal_reason", "health");
  gerr_clear(&e);
  int rc = dom_create(&f->c, &dom_enrollment, &r, &out, &e);
  if (rc == 0) fail_msg("created applied enrollment %lld with withdrawal_reason '%s'", (long long)out.id,
                        dom_v(&out, "withdrawal_reason")->z);
  assert_err(rc, e, GERR_VALIDATION, "withdrawal_reason");
}

static void capacity(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idProg = 0;
  int64_t idCohort = unit_world(f, 2, &idProg);
  int64_t idOther = unit_cohort(f, idProg, "other", "2026-03-01", "2026-07-15", 1);
  int64_t aP[8];
  for (int i = 0; i < 8; i++) {
    char z[16];
    snprintf(z, sizeof z, "P%d", i);
    aP[i] = unit_person(f, z, NULL);
  }
  int64_t idA = enroll(f, aP[0], idCohort, "enrolled");
  int64_t idB = enroll(f, aP[1], idCohort, "applied");
  int64_t idC = enroll(f, aP[2], idCohort, "applied");
  int64_t idD = enroll(f, aP[3], idCohort, "applied");
  /* applications do not take seats: more applicants than places is fine */
  assert_true(enroll(f, aP[4], idCohort, NULL) > 0);
  assert_int_equal(seats_taken(f, idCohort), 1);

  move(f, idB, "enrolled");
  assert_int_equal(seats_taken(f, idCohort), 2);
  dom_rec out;
  assert_err(try_move(f, idC, "enrolled", &out, &e), e, GERR_CONFLICT, "status");
  assert_non_null(strstr(e.msg, "full"));
  assert_string_equal(status_of(f, idC), "applied");
  assert_err(try_enroll(f, aP[5], idCohort, "enrolled", 1, &e), e, GERR_CONFLICT, "status");
  /* still possible to apply */
  int64_t idF = enroll(f, aP[5], idCohort, "applied");

  /* withdrawal frees a seat */
  dom_rec w;
  assert_int_equal(enroll_withdraw(&f->c, idA, NULL, &w, &e), 0);
  assert_int_equal(seats_taken(f, idCohort), 1);
  move(f, idC, "enrolled");
  assert_int_equal(seats_taken(f, idCohort), 2);

  /* completed and not_completed keep their seats */
  move(f, idB, "completed");
  move(f, idC, "not_completed");
  assert_int_equal(seats_taken(f, idCohort), 2);
  assert_err(try_move(f, idD, "enrolled", &out, &e), e, GERR_CONFLICT, "status");
  assert_err(try_move(f, idF, "enrolled", &out, &e), e, GERR_CONFLICT, "status");

  /* capacity can grow; it cannot shrink below the seats taken */
  dom_rec cur, patch;
  assert_int_equal(dom_get(&f->c, &dom_cohort, idCohort, &cur, &e), 0);
  dom_rec_init(&patch, &dom_cohort);
  dom_set_int(&patch, "capacity", 1);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, idCohort, cur.version, &patch, &out, &e), e, GERR_VALIDATION, "capacity");
  dom_set_int(&patch, "capacity", 3);
  assert_int_equal(dom_update(&f->c, &dom_cohort, idCohort, cur.version, &patch, &out, &e), 0);
  move(f, idD, "enrolled");
  assert_int_equal(seats_taken(f, idCohort), 3);
  assert_err(try_move(f, idF, "enrolled", &out, &e), e, GERR_CONFLICT, "status");
  dom_set_int(&patch, "capacity", 3);   /* equal to the seats taken: fine */
  assert_int_equal(dom_update(&f->c, &dom_cohort, idCohort, cur.version + 1, &patch, &out, &e), 0);

  /* seats are per cohort */
  assert_true(enroll(f, aP[6], idOther, "enrolled") > 0);
  assert_err(try_enroll(f, aP[7], idOther, "enrolled", 1, &e), e, GERR_CONFLICT, "status");
  assert_int_equal(seats_taken(f, idOther), 1);
  assert_int_equal(seats_taken(f, idCohort), 3);
}

static void withdrawal(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idApplied = enrollment_in(f, idCohort, "applied");
  int64_t idEnrolled = enrollment_in(f, idCohort, "enrolled");
  dom_rec out, again;

  /* from applied, with a reason; no version needed */
  f->c.now += 1000;
  int64_t tWithdrawn = f->c.now;
  gerr_clear(&e);
  assert_int_equal(enroll_withdraw(&f->c, idApplied, "family", &out, &e), 0);
  assert_string_equal(dom_v(&out, "status")->z, "withdrawn");
  assert_int_equal(dom_v(&out, "withdrawn_at")->i, tWithdrawn);
  assert_int_equal(dom_v(&out, "status_at")->i, tWithdrawn);
  assert_string_equal(dom_v(&out, "withdrawal_reason")->z, "family");
  assert_int_equal(out.version, 2);
  assert_int_equal(db_depth(f->pDb), 0);

  /* idempotent: again is a success that changes nothing */
  f->c.now += 1000;
  assert_int_equal(enroll_withdraw(&f->c, idApplied, "work", &again, &e), 0);
  assert_string_equal(dom_v(&again, "status")->z, "withdrawn");
  assert_int_equal(again.version, 2);
  assert_int_equal(dom_v(&again, "withdrawn_at")->i, tWithdrawn);
  assert_string_equal(dom_v(&again, "withdrawal_reason")->z, "family");
  assert_int_equal(enroll_withdraw(&f->c, idApplied, NULL, &again, &e), 0);
  assert_int_equal(again.version, 2);
  assert_int_equal(db_depth(f->pDb), 0);

  /* from enrolled, without a reason, after other changes (any version) */
  dom_rec patch;
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_text(&patch, "status", "enrolled");   /* a no-op update: version 2 */
  assert_int_equal(dom_update(&f->c, &dom_enrollment, idEnrolled, 1, &patch, &out, &e), 0);
  assert_int_equal(out.version, 2);
  assert_int_equal(enroll_withdraw(&f->c, idEnrolled, NULL, &out, &e), 0);
  assert_string_equal(dom_v(&out, "status")->z, "withdrawn");
  assert_true(dom_v(&out, "withdrawal_reason")->bNull);
  assert_int_equal(dom_v(&out, "withdrawn_at")->i, f->c.now);
  assert_int_equal(out.version, 3);
  assert_int_equal(seats_taken(f, idCohort), 0);
  /* person and consent are kept */
  assert_string_equal(dom_v(&out, "consent_by")->z, "test");

  /* a bad reason is refused and changes nothing */
  int64_t idOther = enrollment_in(f, idCohort, "applied");
  gerr_clear(&e);
  assert_err(enroll_withdraw(&f->c, idOther, "lazy", &out, &e), e, GERR_VALIDATION, "withdrawal_reason");
  assert_string_equal(status_of(f, idOther), "applied");

  /* nothing to withdraw from once the course has ended */
  int64_t idDone = enrollment_in(f, idCohort, "completed");
  gerr_clear(&e);
  assert_err(enroll_withdraw(&f->c, idDone, NULL, &out, &e), e, GERR_CONFLICT, "status");
  assert_string_equal(status_of(f, idDone), "completed");
  assert_int_equal(enroll_withdraw(&f->c, idEnrolled, NULL, &out, &e), 0);   /* still fine */
  move(f, idOther, "enrolled");
  move(f, idOther, "not_completed");
  gerr_clear(&e);
  assert_err(enroll_withdraw(&f->c, idOther, "health", &out, &e), e, GERR_CONFLICT, "status");
  assert_string_equal(status_of(f, idOther), "not_completed");
  assert_int_equal(db_depth(f->pDb), 0);

  /* unknown enrollment */
  gerr_clear(&e);
  assert_int_equal(enroll_withdraw(&f->c, 424242, NULL, &out, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_int_equal(db_depth(f->pDb), 0);

  /* every reason is accepted */
  static const char *const azReason[] = {"personal", "health", "family", "work", "moved", "program_unsuitable",
                                         "other"};
  for (size_t i = 0; i < sizeof azReason / sizeof azReason[0]; i++) {
    int64_t id = enrollment_in(f, idCohort, "applied");
    if (enroll_withdraw(&f->c, id, azReason[i], &out, &e)) fail_msg("%s: %s", azReason[i], e.msg);
    assert_string_equal(dom_v(&out, "withdrawal_reason")->z, azReason[i]);
  }
}

static void one_enrollment_per_cohort(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idP = unit_person(f, "Ayla", NULL);
  int64_t id = enroll(f, idP, idCohort, "applied");
  assert_err(try_enroll(f, idP, idCohort, "applied", 1, &e), e, GERR_CONFLICT, "cohort_id");
  assert_err(try_enroll(f, idP, idCohort, "enrolled", 1, &e), e, GERR_CONFLICT, "cohort_id");
  /* also after withdrawal: the existing enrollment is the record of it */
  dom_rec out;
  assert_int_equal(enroll_withdraw(&f->c, id, NULL, &out, &e), 0);
  assert_err(try_enroll(f, idP, idCohort, "applied", 1, &e), e, GERR_CONFLICT, "cohort_id");
  int64_t n = -1;
  assert_int_equal(db_query_int(f->pDb, "SELECT count(*) FROM enrollments WHERE person_id = $1", 1, idP, &n, &e),
                   DB_ROW);
  assert_int_equal(n, 1);
}

static int filter_index(const dom_entity *pEnt, const char *zName) {
  for (int k = 0; k < pEnt->nFilter; k++)
    if (strcmp(pEnt->aFilter[k].zName, zName) == 0) return k;
  fail_msg("%s has no filter %s", pEnt->zName, zName);
  return -1;
}

static int64_t count_where(unit_fx *f, const dom_entity *pEnt, const char *zFilter, int64_t v, const char *zText) {
  dom_query q;
  dom_page page;
  gerr e;
  memset(&q, 0, sizeof q);
  q.limit = 100;
  int k = filter_index(pEnt, zFilter);
  q.mask = 1u << k;
  q.aInt[k] = v;
  q.azText[k] = zText;
  if (dom_list(&f->c, pEnt, &q, &page, &e)) fail_msg("list: %s", e.msg);
  assert_int_equal(page.total, page.n);
  return page.total;
}

static void several_cohorts(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idProg = 0;
  int64_t idC1 = unit_world(f, 1, &idProg);
  int64_t idC2 = unit_cohort(f, idProg, "evening", "2026-03-01", "2026-07-15", 1);
  int64_t idArea = unit_area(f, "99", "region", 0);
  int64_t idInst2 = unit_institution(f, "Second college", idArea);
  int64_t idProg2 = unit_program(f, idInst2, "Welding", "7212");
  int64_t idC3 = unit_cohort(f, idProg2, "welding 1", "2026-04-01", "2026-09-30", 5);
  int64_t idP = unit_person(f, "Ayla", NULL);
  int64_t idQ = unit_person(f, "Bahar", NULL);

  /* multi-skill learning: the same person in three cohorts at once, each
   * taking a seat in its own cohort only */
  int64_t id1 = enroll(f, idP, idC1, "enrolled");
  int64_t id2 = enroll(f, idP, idC2, "enrolled");
  int64_t id3 = enroll(f, idP, idC3, "applied");
  assert_true(id1 != id2 && id2 != id3);
  move(f, id3, "enrolled");
  enroll(f, idQ, idC3, "enrolled");
  assert_err(try_enroll(f, idQ, idC1, "enrolled", 1, &e), e, GERR_CONFLICT, "status");
  int64_t idQ2 = enroll(f, idQ, idC2, "applied");

  assert_int_equal(count_where(f, &dom_enrollment, "person", idP, NULL), 3);
  assert_int_equal(count_where(f, &dom_enrollment, "person", idQ, NULL), 2);
  assert_int_equal(count_where(f, &dom_enrollment, "cohort", idC3, NULL), 2);
  assert_int_equal(count_where(f, &dom_enrollment, "program", idProg, NULL), 3);
  assert_int_equal(count_where(f, &dom_enrollment, "institution", idInst2, NULL), 2);
  assert_int_equal(count_where(f, &dom_enrollment, "area", idArea, NULL), 2);
  assert_int_equal(count_where(f, &dom_enrollment, "status", 0, "enrolled"), 4);
  assert_int_equal(count_where(f, &dom_person, "cohort", idC2, NULL), 2);
  assert_int_equal(count_where(f, &dom_person, "institution", idInst2, NULL), 2);

  /* leaving one course leaves the others alone */
  dom_rec out;
  assert_int_equal(enroll_withdraw(&f->c, id2, "work", &out, &e), 0);
  assert_string_equal(status_of(f, id1), "enrolled");
  assert_string_equal(status_of(f, id2), "withdrawn");
  assert_string_equal(status_of(f, id3), "enrolled");
  assert_int_equal(count_where(f, &dom_enrollment, "status", 0, "enrolled"), 3);
  /* and frees that cohort's seat for someone else */
  move(f, idQ2, "enrolled");
  move(f, id1, "completed");
  move(f, id3, "not_completed");
  assert_int_equal(count_where(f, &dom_enrollment, "status", 0, "completed"), 1);
  assert_int_equal(count_where(f, &dom_person, "cohort", idC1, NULL), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(consent_required, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(status_transitions, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(create_refuses_withdrawal_reason, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(capacity, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(withdrawal, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(one_enrollment_per_cohort, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(several_cohorts, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
