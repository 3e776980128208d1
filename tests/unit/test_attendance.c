/* test_attendance.c: the attendance computations, by hand: the rate
 * (weights, excused, late, nothing counted), the threshold compared in
 * integers, a session's times, the check-in code against values computed
 * independently (Python's hmac over SHA-512, cut to 32 bytes, then HOTP's
 * truncation), and the check-in time window and code windows at fixed
 * times (c->now), through the domain as the learner. */
#include "unit.h"
#include "domain/training/attendance.h"
#include "domain/registry/registry.h"
#include <jansson.h>
#include <math.h>

/* Frees a document (and what it holds). */
static void json_decref_or_null(doc_out *d) {
  json_t *j = doc_json(d);
  if (j) json_decref(j);
}

static void rate_by_hand(void **state) {
  (void)state;
  /* present 100, late 50, excused (weight 0, not counted), absent 0: (100 + 50 + 0) / 300 */
  att_tally t = {0, 0, 0};
  att_tally_add(&t, 100, 1, 1);
  att_tally_add(&t, 50, 1, 1);
  att_tally_add(&t, 0, 0, 1);
  att_tally_add(&t, 0, 1, 1);
  assert_int_equal(t.nMarks, 4);
  assert_int_equal(t.nCounted, 3);
  assert_int_equal(t.nWeight, 150);
  assert_true(fabs(att_rate(&t) - 0.5) < 1e-12);
  assert_true(att_below(&t, 80));
  assert_true(att_below(&t, 51));
  assert_false(att_below(&t, 50));   /* exactly at the threshold is not below it */
  /* many at once: 7 present, 2 late, 1 absent = (700 + 100) / 1000 = 0.8: at 80% exactly */
  att_tally u = {0, 0, 0};
  att_tally_add(&u, 100, 1, 7);
  att_tally_add(&u, 50, 1, 2);
  att_tally_add(&u, 0, 1, 1);
  assert_true(fabs(att_rate(&u) - 0.8) < 1e-12);
  assert_false(att_below(&u, 80));
  assert_true(att_below(&u, 81));
  /* an institution's own weights: late 80 -> (700 + 160) / 1000 */
  att_tally v = {0, 0, 0};
  att_tally_add(&v, 100, 1, 7);
  att_tally_add(&v, 80, 1, 2);
  att_tally_add(&v, 0, 1, 1);
  assert_true(fabs(att_rate(&v) - 0.86) < 1e-12);
  /* only excused: nothing counted, no rate, never below */
  att_tally x = {0, 0, 0};
  att_tally_add(&x, 0, 0, 3);
  assert_true(isnan(att_rate(&x)));
  assert_false(att_below(&x, 80));
  assert_int_equal(x.nMarks, 3);
  /* a status that does not count adds nothing, whatever its weight */
  att_tally_add(&x, 100, 0, 1);
  assert_int_equal(x.nWeight, 0);
}

static void session_times(void **state) {
  (void)state;
  att_times t;
  assert_int_equal(att_times_of("2026-03-10", "09:00", "12:30", &t), 0);
  assert_int_equal(t.tDay, 1773100800);   /* 2026-03-10T00:00:00Z */
  assert_int_equal(t.tStart, t.tDay + 9 * 3600);
  assert_int_equal(t.tEnd, t.tDay + 12 * 3600 + 30 * 60);
  const char *azBad[][3] = {{"2026-02-30", "09:00", "10:00"}, {"2026-03-10", "9:00", "10:00"},
                            {"2026-03-10", "24:00", "10:00"}, {"2026-03-10", "09:60", "10:00"},
                            {"2026-03-10", "09:00", "1000x"}, {"2026-03-10", "09:00", NULL}};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++)
    assert_int_equal(att_times_of(azBad[i][0], azBad[i][1], azBad[i][2], &t), -1);
}

static void code_vectors(void **state) {
  (void)state;
  unsigned char key[ATT_KEY_BYTES];
  for (int i = 0; i < ATT_KEY_BYTES; i++) key[i] = (unsigned char)i;
  /* hmac.new(bytes(range(32)), struct.pack(">q", w), sha512).digest()[:32], then HOTP's cut */
  assert_int_equal(att_code(key, 0), 73909);
  assert_int_equal(att_code(key, 1), 833926);
  assert_int_equal(att_code(key, 58333333), 25795);
  assert_int_equal(att_code(key, -1), 393013);
  unsigned char k2[ATT_KEY_BYTES];
  assert_int_equal(att_key_of("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", k2), 0);
  assert_memory_equal(k2, key, sizeof key);
  assert_int_equal(att_key_of("00", k2), -1);
  assert_int_equal(att_key_of("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", k2), -1);
}

typedef struct world {
  int64_t idSession, idLearner, idLate, idOther;
  att_times t;
  unsigned char key[ATT_KEY_BYTES];
} world;

/* A session on 2026-03-10, 09:00-12:00, of a cohort with three learners. */
static void make_world(unit_fx *f, world *w) {
  int64_t idProg = 0, idTrainer = unit_person(f, "Trainer", "T");
  unit_world(f, 30, &idProg);
  int64_t idCohort = unit_cohort_trained(f, idProg, "trained", &idTrainer);
  w->idLearner = unit_person(f, "Learner", "One");
  w->idLate = unit_person(f, "Learner", "Late");
  w->idOther = unit_person(f, "Learner", "Other");
  unit_enroll(f, w->idLearner, idCohort);
  unit_enroll(f, w->idLate, idCohort);
  unit_enroll(f, w->idOther, idCohort);
  dom_rec r, s;
  dom_rec_init(&r, &dom_training_session);
  dom_set_int(&r, "cohort_id", idCohort);
  dom_set_text(&r, "date", "2026-03-10");
  dom_set_text(&r, "start_time", "09:00");
  dom_set_text(&r, "end_time", "12:00");
  dom_set_text(&r, "topic", "Knives");
  w->idSession = unit_create(f, &r);
  gerr e;
  assert_int_equal(dom_get(&f->c, &dom_training_session, w->idSession, &s, &e), 0);
  assert_int_equal(att_key_of(dom_v(&s, "checkin_secret")->z, w->key), 0);
  assert_int_equal(att_times_of("2026-03-10", "09:00", "12:00", &w->t), 0);
}

/* Checks in as learner idPerson at time now with the code of window w. */
static int check_in_at(unit_fx *f, const world *w, int64_t idPerson, int64_t now, int64_t wnd, dom_rec *pMark,
                       gerr *e) {
  static auth_grant g = {ROLE_LEARNER, 0};
  dom_actor a = {ACTOR_USER, 1, idPerson, &g, 1, 0};
  dom_ctx c = f->c;
  c.pActor = &a;
  c.idPerson = idPerson;
  c.now = now;
  char zCode[8];
  snprintf(zCode, sizeof zCode, "%06d", att_code(w->key, wnd));
  int bNew;
  return att_check_in(&c, w->idSession, zCode, pMark, &bNew, e);
}

static void check_in_windows(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  gerr e;
  dom_rec m;
  int64_t tOpen = w.t.tStart - ATT_OPEN_BEFORE, tClose = w.t.tEnd + ATT_CLOSE_AFTER;
  /* a second before it opens (08:45): refused, saying when */
  assert_err(check_in_at(f, &w, w.idLearner, tOpen - 1, (tOpen - 1) / ATT_PERIOD, &m, &e), e, GERR_CONFLICT, "");
  assert_non_null(strstr(e.msg, "opens at 08:45 UTC on 2026-03-10"));
  /* at 08:45: present */
  assert_int_equal(check_in_at(f, &w, w.idLearner, tOpen, tOpen / ATT_PERIOD, &m, &e), 0);
  assert_string_equal(dom_v(&m, "status")->z, "present");
  assert_string_equal(dom_v(&m, "source")->z, "check_in");
  /* ten minutes after the start still present; a second more is late */
  int64_t tLate = w.t.tStart + ATT_LATE_AFTER + 1;
  assert_int_equal(check_in_at(f, &w, w.idLate, tLate, tLate / ATT_PERIOD - 1, &m, &e), 0);   /* previous window */
  assert_string_equal(dom_v(&m, "status")->z, "late");
  /* a code two windows old is expired */
  assert_err(check_in_at(f, &w, w.idOther, tLate, tLate / ATT_PERIOD - 2, &m, &e), e, GERR_VALIDATION, "code");
  assert_non_null(strstr(e.msg, "expired"));
  /* a second after it closes (12:05): refused; at 12:05 still open */
  assert_err(check_in_at(f, &w, w.idOther, tClose + 1, (tClose + 1) / ATT_PERIOD, &m, &e), e, GERR_CONFLICT, "");
  assert_non_null(strstr(e.msg, "closed at 12:05 UTC"));
  assert_int_equal(check_in_at(f, &w, w.idOther, tClose, tClose / ATT_PERIOD, &m, &e), 0);
  assert_string_equal(dom_v(&m, "status")->z, "late");
  /* again, later, with a fresh code: the same mark */
  int64_t id = m.id;
  assert_int_equal(check_in_at(f, &w, w.idOther, tClose, tClose / ATT_PERIOD, &m, &e), 0);
  assert_int_equal(m.id, id);
  assert_int_equal(m.version, 1);
}

/* Off the HTTP path too, a scoped actor is held to the rules: a trainer of
 * another cohort may not take this session's attendance nor read its
 * cohort's rates; the cohort's own trainer may. */
static void trainers_are_confined(void **state) {
  unit_fx *f = *state;
  world w;
  make_world(f, &w);
  int64_t idOther = unit_person(f, "Trainer", "Other"), idProg = 0;
  dom_rec s;
  gerr e;
  assert_int_equal(dom_get(&f->c, &dom_training_session, w.idSession, &s, &e), 0);
  int64_t idCohort = dom_v(&s, "cohort_id")->i;
  assert_int_equal(dom_get(&f->c, &dom_cohort, idCohort, &s, &e), 0);
  idProg = dom_v(&s, "program_id")->i;
  unit_cohort_trained(f, idProg, "other", &idOther);
  static auth_grant g = {ROLE_TRAINER, 0};
  dom_actor a = {ACTOR_USER, 1, idOther, &g, 1, 0};
  dom_ctx c = f->c;
  c.pActor = &a;
  c.idPerson = idOther;
  c.now = w.t.tEnd + 86400;
  att_row row = {w.idLearner, "present", NULL};
  doc_out *d = doc_new();
  assert_err(att_take(&c, w.idSession, &row, 1, NULL, d, &e), e, GERR_FORBIDDEN, "");
  assert_err(att_cohort_doc(&c, idCohort, d, &e), e, GERR_FORBIDDEN, "");
  json_decref_or_null(d);
  /* the cohort's own trainer may */
  int64_t idTrainer = dom_v(&s, "trainers")->ai[0];
  a.person_id = c.idPerson = idTrainer;
  d = doc_new();
  assert_int_equal(att_take(&c, w.idSession, &row, 1, NULL, d, &e), 0);
  json_decref_or_null(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rate_by_hand),
      cmocka_unit_test(session_times),
      cmocka_unit_test(code_vectors),
      cmocka_unit_test_setup_teardown(check_in_windows, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(trainers_are_confined, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
