/* test_policy.c: access decided in the domain, off the HTTP path: domain
 * calls made with a scoped actor (as a CLI command, an import or a job
 * would make them) are held to the same rules as the API's, and a call
 * without an actor is a bug. */
#include "unit.h"
#include "domain/registry/registry.h"
#include "domain/registry/enrollment.h"
#include "domain/registry/person.h"
#include <sys/wait.h>

typedef struct world {
  int64_t idA, idB, idProgA, idCohA, idCohB, idTrainer, idLearner, idEnr, idPersonB;
} world;

/* Two institutions, a program and cohort each, a trainer of A's cohort, a
 * learner enrolled in it and a person registered to B (made as guild). */
static void make_world(unit_fx *f, world *w) {
  int64_t idArea = unit_area(f, "650000", "region", 0);
  w->idA = unit_institution(f, "College A", idArea);
  w->idB = unit_institution(f, "College B", idArea);
  w->idProgA = unit_program(f, w->idA, "Pastry", "7512");
  int64_t idProgB = unit_program(f, w->idB, "Welding", "7212");
  w->idTrainer = unit_person(f, "Trainer", "One");
  w->idCohA = unit_cohort_trained(f, w->idProgA, "A spring", &w->idTrainer);
  w->idCohB = unit_cohort_trained(f, idProgB, "B spring", NULL);
  w->idLearner = unit_person(f, "Learner", "Enrolled");
  w->idEnr = unit_enroll(f, w->idLearner, w->idCohA);
  dom_rec r;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Of B");
  dom_set_int(&r, "institution_id", w->idB);
  w->idPersonB = unit_create(f, &r);
}

/* Acts as the given actor from here on (the grants must outlive the test). */
static void act_as(unit_fx *f, dom_actor *pActor, dom_actor_kind kind, int64_t idPerson, const auth_grant *aGrant,
                   int nGrant) {
  *pActor = (dom_actor){kind, 1, idPerson, aGrant, nGrant, 0};
  f->c.pActor = pActor;
}

static void staff_are_confined(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  static auth_grant g;
  g = (auth_grant){ROLE_INSTITUTION_STAFF, w.idA};
  dom_actor a;
  act_as(f, &a, ACTOR_USER, 0, &g, 1);
  gerr e;
  dom_rec r;
  /* reads: their institution's learner yes, B's person no */
  assert_int_equal(dom_read(&f->c, &dom_person, w.idLearner, &r, &e), 0);
  assert_err(dom_read(&f->c, &dom_person, w.idPersonB, &r, &e), e, GERR_FORBIDDEN, "");
  /* lists are confined: only A's persons, and naming B's cohort is refused */
  dom_query q;
  memset(&q, 0, sizeof q);
  q.limit = 50;
  dom_page page;
  assert_int_equal(dom_list(&f->c, &dom_person, &q, &page, &e), 0);
  for (int i = 0; i < page.n; i++) assert_int_not_equal(page.aRec[i].id, w.idPersonB);
  assert_int_equal(dom_query_set(&q, &dom_person, "cohort", "1", f->c.pAr, &e), 0);
  q.aInt[dom_filter_index(&dom_person, "cohort")] = w.idCohB;
  assert_err(dom_list(&f->c, &dom_person, &q, &page, &e), e, GERR_FORBIDDEN, "cohort");
  /* writes: no enrolling B's person, no moving a learner to B */
  dom_rec in, out;
  dom_rec_init(&in, &dom_enrollment);
  dom_set_int(&in, "person_id", w.idPersonB);
  dom_set_int(&in, "cohort_id", w.idCohA);
  dom_set_int(&in, "consent", 1);
  assert_err(dom_create(&f->c, &dom_enrollment, &in, &out, &e), e, GERR_FORBIDDEN, "person_id");
  dom_rec_init(&in, &dom_person);
  dom_set_int(&in, "institution_id", w.idB);
  assert_err(dom_update(&f->c, &dom_person, w.idLearner, 1, &in, &out, &e), e, GERR_FORBIDDEN, "institution_id");
  /* a new person is registered to their institution */
  dom_rec_init(&in, &dom_person);
  dom_set_text(&in, "given_name", "New at A");
  assert_int_equal(dom_create(&f->c, &dom_person, &in, &out, &e), 0);
  assert_int_equal(dom_v(&out, "institution_id")->i, w.idA);
  /* erasing is the administrator's */
  assert_err(person_erase(&f->c, w.idLearner, &out, &e), e, GERR_FORBIDDEN, "");
}

static void learners_and_trainers(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  static auth_grant gLearner = {ROLE_LEARNER, 0}, gTrainer = {ROLE_TRAINER, 0};
  dom_actor a;
  gerr e;
  dom_rec r, in, out;
  /* the trainer records completion, and nothing else */
  act_as(f, &a, ACTOR_USER, w.idTrainer, &gTrainer, 1);
  dom_rec_init(&in, &dom_enrollment);
  dom_set_text(&in, "status", "withdrawn");
  assert_err(dom_update(&f->c, &dom_enrollment, w.idEnr, 1, &in, &out, &e), e, GERR_FORBIDDEN, "status");
  assert_err(enroll_withdraw(&f->c, w.idEnr, NULL, &out, &e), e, GERR_FORBIDDEN, "");
  dom_rec_init(&in, &dom_enrollment);
  dom_set_text(&in, "status", "completed");
  assert_int_equal(dom_update(&f->c, &dom_enrollment, w.idEnr, 1, &in, &out, &e), 0);
  /* the learner reads their own, withdraws from their own */
  act_as(f, &a, ACTOR_USER, w.idLearner, &gLearner, 1);
  assert_int_equal(dom_read(&f->c, &dom_person, w.idLearner, &r, &e), 0);
  assert_err(dom_read(&f->c, &dom_person, w.idPersonB, &r, &e), e, GERR_FORBIDDEN, "");
  int64_t idApplied = 0;
  dom_rec_init(&in, &dom_enrollment);
  dom_set_int(&in, "person_id", w.idLearner);
  dom_set_int(&in, "cohort_id", w.idCohB);
  dom_set_int(&in, "consent", 1);
  assert_int_equal(dom_create(&f->c, &dom_enrollment, &in, &out, &e), 0);   /* their own application */
  idApplied = out.id;
  assert_string_equal(dom_v(&out, "status")->z, "applied");
  assert_int_equal(enroll_withdraw(&f->c, idApplied, NULL, &out, &e), 0);
  /* anonymous: sign in first */
  act_as(f, &a, ACTOR_ANONYMOUS, 0, NULL, 0);
  assert_err(dom_read(&f->c, &dom_person, w.idLearner, &r, &e), e, GERR_UNAUTHORIZED, "");
}

static void no_actor_is_a_bug(void **state) {
  unit_fx *f = *state;
  /* the panic aborts the process: a child process checks it */
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    f->c.pActor = NULL;
    dom_rec r;
    gerr e;
    if (!freopen("/dev/null", "w", stderr)) _exit(0);
    dom_read(&f->c, &dom_area, 1, &r, &e);
    _exit(0);   /* not reached when the call panics */
  }
  int status = 0;
  waitpid(pid, &status, 0);
  assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* An actor whose one-time password must still be changed is refused by
 * every rule but public ones, even as a region administrator and even off
 * the HTTP path (the router refuses the same first). */
static void a_one_time_password_holds_everything(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  static const auth_grant g = {ROLE_REGION_ADMIN, 0};
  dom_actor a;
  act_as(f, &a, ACTOR_USER, 0, &g, 1);
  a.bMustChange = 1;
  gerr e;
  dom_rec r;
  assert_err(dom_read(&f->c, &dom_person, w.idLearner, &r, &e), e, GERR_PASSWORD_CHANGE, "");
  assert_err(pol_check_any(&f->c, &pol_signed_in, &e), e, GERR_PASSWORD_CHANGE, "");
  assert_err(pol_check_any(&f->c, &pol_admin, &e), e, GERR_PASSWORD_CHANGE, "");
  assert_int_equal(pol_check_any(&f->c, &pol_public, &e), 0);
  a.bMustChange = 0;
  assert_int_equal(dom_read(&f->c, &dom_person, w.idLearner, &r, &e), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(staff_are_confined, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(learners_and_trainers, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(no_actor_is_a_bug, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(a_one_time_password_holds_everything, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
