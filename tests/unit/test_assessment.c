/* test_assessment.c: the assessment half of the training module off the
 * HTTP path: the agreement between markers (share and Cohen's kappa,
 * computed here by hand), the currency window's date arithmetic, binary
 * values through the store, the rules held for scoped actors calling
 * the domain directly (as a job or a CLI command would), and the rule each
 * refused row of an imported file names. */
#include "unit.h"
#include "domain/training/asmt_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static asmt_agreement table(int64_t cc, int64_t cn, int64_t nc, int64_t nn) {
  asmt_agreement g;
  memset(&g, 0, sizeof g);
  g.a[0][0] = cc;
  g.a[0][1] = cn;
  g.a[1][0] = nc;
  g.a[1][1] = nn;
  asmt_agreement_compute(&g);
  return g;
}

/* 50 pairs: 20 both competent, 5 first competent / second not, 10 the
 * other way, 15 both not yet. po = 35/50 = 0.7; the first marker says
 * competent 25/50 = 0.5, the second 30/50 = 0.6; pe = 0.5 * 0.6 + 0.5 *
 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4. */
static void kappa_by_hand(void **state) {
  (void)state;
  asmt_agreement g = table(20, 5, 10, 15);
  assert_int_equal(g.n, 50);
  assert_int_equal(g.nAgree, 35);
  assert_true(g.bShare && g.bKappa);
  assert_true(fabs(g.share - 0.7) < 1e-12);
  assert_true(fabs(g.kappa - 0.4) < 1e-12);
  /* the test_training_assessment.py case: 3, 1, 1, 1: po = 4/6, pe = 20/36, kappa = 0.25 */
  g = table(3, 1, 1, 1);
  assert_true(fabs(g.share - 4.0 / 6) < 1e-12 && fabs(g.kappa - 0.25) < 1e-12);
}

static void kappa_edges(void **state) {
  (void)state;
  asmt_agreement g = table(7, 0, 0, 3);   /* full agreement, both outcomes used: 1 */
  assert_true(g.bKappa && fabs(g.kappa - 1.0) < 1e-12 && fabs(g.share - 1.0) < 1e-12);
  g = table(0, 5, 5, 0);                  /* always the opposite: pe = 0.5, kappa = -1 */
  assert_true(g.bKappa && fabs(g.kappa + 1.0) < 1e-12 && g.share == 0);
  g = table(9, 0, 0, 0);                  /* one outcome only: pe = 1, kappa undefined; share 1 */
  assert_true(g.bShare && fabs(g.share - 1.0) < 1e-12);
  assert_false(g.bKappa);
  g = table(0, 0, 0, 0);                  /* no pairs: nothing is defined */
  assert_false(g.bShare);
  assert_false(g.bKappa);
  assert_int_equal(g.n, 0);
}

static void months_before(void **state) {
  (void)state;
  static const struct { const char *zDay; int n; const char *zWant; } a[] = {
      {"2026-06-30", 6, "2025-12-30"}, {"2026-03-31", 1, "2026-02-28"}, {"2024-03-31", 1, "2024-02-29"},
      {"2026-01-15", 24, "2024-01-15"}, {"2026-01-31", 13, "2024-12-31"}, {"2000-03-30", 1, "2000-02-29"},
      {"1900-03-29", 1, "1900-02-28"}, {"2026-05-01", 0, "2026-05-01"},
  };
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    char z[16];
    asmt_months_before(a[i].zDay, a[i].n, z);
    assert_string_equal(z, a[i].zWant);
  }
}

/* Bytes with NULs and high bytes go in and come out the same; a text
 * column is not binary. */
static void blobs_round_trip(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  assert_int_equal(db_exec(p, "CREATE TABLE b (k TEXT, v BLOB)", &e), 0);
  unsigned char a[300];
  for (size_t i = 0; i < sizeof a; i++) a[i] = (unsigned char)(i * 7);
  db_stmt *s = db_prepare(p, "INSERT INTO b (k, v) VALUES ($1, $2)", &e);
  assert_non_null(s);
  db_bind_text(s, 1, "x");
  db_bind_blob(s, 2, a, sizeof a);
  assert_int_equal(db_step(s, &e), DB_DONE);
  db_done(s);
  s = db_prepare(p, "SELECT k, v, length(v) FROM b", &e);
  assert_int_equal(db_step(s, &e), DB_ROW);
  size_t n = 0;
  const void *pV = db_col_blob(s, 1, &n);
  assert_int_equal(n, sizeof a);
  assert_memory_equal(pV, a, sizeof a);
  assert_true(db_col_is_blob(s, 1));
  assert_false(db_col_is_blob(s, 0));
  assert_int_equal(db_col_int(s, 2), 300);
  db_done(s);
  unit_db_drop(p, zPath);
}

typedef struct world {
  int64_t idProg, idCohort, idT1, idT2, idL1, idL2, idUnit, idCrit, idEvent, idItem;
} world;

/* A program with a unit of one criterion, a cohort trained by t1 and t2,
 * learners l1 and l2 in it, an event by t1 and l1's evidence in it (made
 * as guild). */
static void make_world(unit_fx *f, world *w) {
  int64_t idCohort = unit_world(f, 30, &w->idProg);
  w->idCohort = idCohort;
  w->idT1 = unit_person(f, "Trainer", "One");
  w->idT2 = unit_person(f, "Trainer", "Two");
  int64_t aT[2] = {w->idT1, w->idT2};
  dom_rec r, out;
  gerr e;
  dom_rec_init(&r, &dom_cohort);
  dom_val *v = dom_vm(&r, "trainers");
  v->bSet = 1;
  v->n = 2;
  v->ai = aT;
  assert_int_equal(dom_update(&f->c, &dom_cohort, idCohort, 1, &r, &out, &e), 0);
  w->idL1 = unit_person(f, "Learner", "One");
  w->idL2 = unit_person(f, "Learner", "Two");
  unit_enroll(f, w->idL1, idCohort);
  unit_enroll(f, w->idL2, idCohort);
  dom_rec_init(&r, &dom_unit_of_competency);
  dom_set_int(&r, "program_id", w->idProg);
  dom_set_text(&r, "code", "U1");
  dom_set_text(&r, "title", "Choux pastry");
  w->idUnit = unit_create(f, &r);
  dom_rec_init(&r, &dom_performance_criterion);
  dom_set_int(&r, "unit_id", w->idUnit);
  dom_set_text(&r, "code", "PC1");
  dom_set_text(&r, "text", "The dough leaves the pan");
  w->idCrit = unit_create(f, &r);
  dom_rec_init(&r, &dom_assessment);
  dom_set_int(&r, "cohort_id", idCohort);
  dom_set_int(&r, "unit_id", w->idUnit);
  dom_set_int(&r, "assessor_id", w->idT1);
  dom_set_text(&r, "date", "2026-06-01");
  dom_set_text(&r, "method", "observation");
  w->idEvent = unit_create(f, &r);
  static const char zPdf[] = "%PDF-1.4 a task sheet";
  assert_int_equal(asmt_evidence_add(&f->c, w->idEvent, w->idL1, "sheet.pdf", "application/pdf", NULL, zPdf,
                                     sizeof zPdf - 1, &out, &e), 0);
  w->idItem = out.id;
}

static void act_as(unit_fx *f, dom_actor *pActor, int64_t idPerson, const auth_grant *aGrant) {
  *pActor = (dom_actor){ACTOR_USER, 1, idPerson, aGrant, 1, 0};
  f->c.pActor = pActor;
  f->c.idPerson = idPerson;
}

/* Off the HTTP path the same rules hold: a trainer of the cohort who is
 * not the event's assessor records nothing; a learner reads only their
 * own evidence; nobody reads it in a region administrator's name. */
static void scoped_actors_are_held_to_the_rules(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  static auth_grant gTrainer = {ROLE_TRAINER, 0}, gLearner = {ROLE_LEARNER, 0}, gAdmin = {ROLE_REGION_ADMIN, 0};
  dom_actor a;
  gerr e;
  asmt_decision d = {w.idCrit, "competent", {1, 1, 1, 1}};
  asmt_outcome o;
  act_as(f, &a, w.idT2, &gTrainer);
  assert_err(asmt_record(&f->c, w.idEvent, w.idL1, &d, 1, &o, &e), e, GERR_FORBIDDEN, "");
  act_as(f, &a, w.idT1, &gTrainer);
  assert_int_equal(asmt_record(&f->c, w.idEvent, w.idL1, &d, 1, &o, &e), 0);
  assert_true(o.bAchieved && o.idSkillAward > 0 && o.idProgramAward == 0);
  dom_rec item;
  const void *p;
  size_t n;
  act_as(f, &a, w.idL2, &gLearner);
  assert_err(asmt_evidence_content(&f->c, w.idItem, &item, &p, &n, &e), e, GERR_FORBIDDEN, "");
  act_as(f, &a, w.idL1, &gLearner);
  assert_int_equal(asmt_evidence_content(&f->c, w.idItem, &item, &p, &n, &e), 0);
  assert_int_equal(n, 21);
  assert_memory_equal(p, "%PDF-1.4 a task sheet", 21);
  act_as(f, &a, 0, &gAdmin);
  assert_err(asmt_evidence_content(&f->c, w.idItem, &item, &p, &n, &e), e, GERR_FORBIDDEN, "");
  f->c.pActor = &dom_actor_system;
}

/* A decision on every criterion, all or nothing: nothing is stored when
 * one is refused, and each refusal names its decision. */
static void refusals_are_named_and_nothing_is_kept(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  gerr e;
  asmt_outcome o;
  asmt_decision a[2] = {{w.idCrit, "competent", {1, 0, 1, 1}}, {w.idCrit, "not_yet_competent", {0}}};
  assert_err(asmt_record(&f->c, w.idEvent, w.idL1, a, 2, &o, &e), e, GERR_ROWS, "results");
  assert_int_equal(e.nRow, 2);
  assert_int_equal(e.aRow[0].iIndex, 0);
  assert_string_equal(e.aRow[0].zField, "evidence_sufficient");
  assert_int_equal(e.aRow[1].iIndex, 1);
  assert_string_equal(e.aRow[1].zField, "criterion_id");
  assert_int_equal(e.aRow[1].code, GERR_VALIDATION);
  int64_t n = -1;
  assert_int_equal(db_query_int(f->pDb, "SELECT count(*) FROM assessment_results", 0, 0, &n, &e), DB_ROW);
  assert_int_equal(n, 0);
  /* l2 has no evidence: competent is refused; not yet competent is not */
  asmt_decision all = {w.idCrit, "competent", {1, 1, 1, 1}};
  assert_err(asmt_record(&f->c, w.idEvent, w.idL2, &all, 1, &o, &e), e, GERR_ROWS, "results");
  assert_true(e.nRow == 1 && e.aRow[0].iIndex == 0 && strcmp(e.aRow[0].zField, "outcome") == 0);
  assert_int_equal(asmt_record(&f->c, w.idEvent, w.idL2, &a[1], 1, &o, &e), 0);
  assert_int_equal(o.nResult, 1);
  assert_false(o.bAchieved);
}

/* A results file's refused rows each name their rule and its parameters,
 * as the API's refused rows do (the CLI prints the words; a client writes
 * its own from the reason): an unknown criterion code, an outcome not in
 * the list, a declaration that is not true or false. */
static void an_import_names_the_rule_of_each_row(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  char zPath[] = "/tmp/guild-test-asmt-import-XXXXXX";
  int fd = mkstemp(zPath);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  assert_non_null(fp);
  fprintf(fp, "assessment,learner,criterion,outcome,evidence_valid\n%lld,%lld,PC9,competent,true\n%lld,%lld,PC1,maybe,x\n",
          (long long)w.idEvent, (long long)w.idL1, (long long)w.idEvent, (long long)w.idL2);
  fclose(fp);
  imp_result r;
  gerr e;
  int rc = asmt_import(&f->c, zPath, &r, &e);
  unlink(zPath);
  assert_err(rc, e, GERR_ROWS, "");
  assert_int_equal(e.nRow, 3);
  static const struct { int iRow; const char *zField; greason reason; const char *zParam, *zValue; } aWant[] = {
      {2, "criterion", GR_NO_CRITERION_CODE, "code", "PC9"},
      {3, "evidence_valid", GR_NOT_BOOLEAN, NULL, NULL},
      {3, "outcome", GR_NOT_ONE_OF, "got", "maybe"},
  };
  for (int i = 0; i < 3; i++) {
    const gerr_row *p = &e.aRow[i];
    assert_int_equal(p->iRow, aWant[i].iRow);
    assert_string_equal(p->zField, aWant[i].zField);
    assert_int_equal(p->reason, aWant[i].reason);
    if (!aWant[i].zParam) continue;
    int k = 0;
    while (k < p->nParam && strcmp(p->aParam[k].zKey, aWant[i].zParam)) k++;
    assert_true(k < p->nParam);
    assert_string_equal(p->aParam[k].z, aWant[i].zValue);
  }
  assert_non_null(strstr(e.aRow[0].zMsg, "no criterion with code PC9"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(kappa_by_hand),
      cmocka_unit_test(kappa_edges),
      cmocka_unit_test(months_before),
      cmocka_unit_test(blobs_round_trip),
      cmocka_unit_test_setup_teardown(scoped_actors_are_held_to_the_rules, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(refusals_are_named_and_nothing_is_kept, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(an_import_names_the_rule_of_each_row, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
