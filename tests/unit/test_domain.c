/* test_domain.c: the generic entity operations (create, get, update, delete,
 * list) and the declarative and per-entity rules, against a real database. */
#include "unit.h"

/* Here the message must also name the field (when one is expected). */
#undef assert_err
#define assert_err(rc, e, wantCode, wantField)                                      \
  do {                                                                              \
    assert_int_equal((rc), -1);                                                     \
    if ((e).code != (wantCode))                                                     \
      fail_msg("want %s, got %s: %s", gerr_name(wantCode), gerr_name((e).code), (e).msg); \
    assert_string_equal((e).field, (wantField));                                    \
    if ((wantField)[0]) assert_non_null(strstr((e).msg, (wantField)));              \
  } while (0)

/* Asserts that rc is a failure with the given code and field, and that the
 * message names the field (when one is expected). */
/* Tries to create r; returns dom_create's result, with e filled. */
static int try_create(unit_fx *f, const dom_rec *r, gerr *e) {
  dom_rec out;
  gerr_clear(e);
  return dom_create(&f->c, r->pEnt, r, &out, e);
}

static int64_t count_rows(unit_fx *f, const char *zSql, int64_t param) {
  int64_t n = -1;
  gerr e;
  if (db_query_int(f->pDb, zSql, 1, param, &n, &e) != DB_ROW) fail_msg("%s: %s", zSql, e.msg);
  return n;
}

static void rec_area(dom_rec *r, const char *zCode, const char *zName, const char *zLevel) {
  dom_rec_init(r, &dom_area);
  if (zCode) dom_set_text(r, "code", zCode);
  if (zName) dom_set_text(r, "name", zName);
  if (zLevel) dom_set_text(r, "level", zLevel);
}

static void rec_program(dom_rec *r, int64_t idInst) {
  dom_rec_init(r, &dom_program);
  dom_set_int(r, "institution_id", idInst);
  dom_set_text(r, "title", "Electrician");
  dom_set_text(r, "isco_code", "7411");
  dom_set_int(r, "hours", 600);
  dom_set_int(r, "level", 3);
  dom_set_int(r, "capacity", 40);
}

/* ---- create / get / update / delete ---------------------------------- */

static void crud_area(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec in, out, got;
  rec_area(&in, "  650000 ", "新疆", "region");
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), 0);
  assert_true(out.id > 0);
  assert_int_equal(out.version, 1);
  assert_int_equal(out.created_at, f->c.now);
  assert_int_equal(out.updated_at, f->c.now);
  assert_string_equal(dom_v(&out, "code")->z, "650000");   /* trimmed */
  assert_string_equal(dom_v(&out, "name")->z, "新疆");
  assert_string_equal(dom_v(&out, "level")->z, "region");
  assert_true(dom_v(&out, "parent_id")->bSet);
  assert_true(dom_v(&out, "parent_id")->bNull);

  assert_int_equal(dom_get(&f->c, &dom_area, out.id, &got, &e), 0);
  assert_int_equal(got.id, out.id);
  assert_int_equal(got.version, 1);
  assert_string_equal(dom_v(&got, "name")->z, "新疆");

  /* update one field; the others keep their values */
  dom_rec patch;
  dom_rec_init(&patch, &dom_area);
  dom_set_text(&patch, "name", "Xinjiang");
  f->c.now += 60;
  assert_int_equal(dom_update(&f->c, &dom_area, out.id, 1, &patch, &got, &e), 0);
  assert_int_equal(got.version, 2);
  assert_int_equal(got.created_at, f->c.now - 60);
  assert_int_equal(got.updated_at, f->c.now);
  assert_string_equal(dom_v(&got, "name")->z, "Xinjiang");
  assert_string_equal(dom_v(&got, "code")->z, "650000");
  assert_string_equal(dom_v(&got, "level")->z, "region");

  /* stale version: refused and nothing changes */
  dom_set_text(&patch, "name", "Stale");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, out.id, 1, &patch, &got, &e), e, GERR_STALE, "");
  assert_int_equal(gerr_status(e.code), 412);
  assert_int_equal(dom_get(&f->c, &dom_area, out.id, &got, &e), 0);
  assert_string_equal(dom_v(&got, "name")->z, "Xinjiang");
  assert_int_equal(got.version, 2);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, out.id, 3, &patch, &got, &e), e, GERR_STALE, "");

  /* update of a missing record */
  gerr_clear(&e);
  assert_int_equal(dom_update(&f->c, &dom_area, 9999, 1, &patch, &got, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);

  /* delete: stale version refused, right version accepted */
  gerr_clear(&e);
  assert_err(dom_delete(&f->c, &dom_area, out.id, 1, &e), e, GERR_STALE, "");
  assert_int_equal(dom_get(&f->c, &dom_area, out.id, &got, &e), 0);
  assert_int_equal(dom_delete(&f->c, &dom_area, out.id, 2, &e), 0);
  gerr_clear(&e);
  assert_int_equal(dom_get(&f->c, &dom_area, out.id, &got, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_int_equal(gerr_status(e.code), 404);
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_area, out.id, -1, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);

  /* delete without a version (-1) */
  int64_t id = unit_area(f, "650001", "region", 0);
  assert_int_equal(dom_delete(&f->c, &dom_area, id, -1, &e), 0);
  assert_int_equal(dom_exists(&f->c, &dom_area, id, &e), 0);
}

static void crud_person(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec r, out, got;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Ahmet");
  dom_set_text(&r, "family_name", "Tursun");
  dom_set_text(&r, "sex", "male");
  dom_set_text(&r, "birth_date", "2004-05-06");
  dom_set_text(&r, "email", "ahmet@example.org");
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_person, &r, &out, &e), 0);
  assert_string_equal(dom_v(&out, "given_name")->z, "Ahmet");
  assert_string_equal(dom_v(&out, "birth_date")->z, "2004-05-06");
  assert_string_equal(dom_v(&out, "name_key")->z, "tursunahmet");
  assert_string_equal(dom_v(&out, "given_key")->z, "ahmet");
  assert_true(dom_v(&out, "home_area_id")->bNull);
  assert_true(dom_v(&out, "phone")->bNull);

  /* the search keys follow a change of name */
  dom_rec patch;
  dom_rec_init(&patch, &dom_person);
  dom_set_text(&patch, "given_name", "Ahmet Jan");
  dom_set_text(&patch, "family_name", NULL);
  assert_int_equal(dom_update(&f->c, &dom_person, out.id, 1, &patch, &got, &e), 0);
  assert_true(dom_v(&got, "family_name")->bNull);
  assert_string_equal(dom_v(&got, "name_key")->z, "ahmetjan");
  assert_string_equal(dom_v(&got, "given_key")->z, "ahmetjan");
  assert_string_equal(dom_v(&got, "sex")->z, "male");

  /* optional values can be cleared */
  dom_rec_init(&patch, &dom_person);
  dom_set_text(&patch, "sex", NULL);
  dom_set_text(&patch, "birth_date", NULL);
  assert_int_equal(dom_update(&f->c, &dom_person, out.id, 2, &patch, &got, &e), 0);
  assert_true(dom_v(&got, "sex")->bNull);
  assert_true(dom_v(&got, "birth_date")->bNull);
  assert_int_equal(got.version, 3);

  /* a person with a name in Chinese script, no family name */
  int64_t id = unit_person(f, "王小明", NULL);
  assert_int_equal(dom_get(&f->c, &dom_person, id, &got, &e), 0);
  assert_string_equal(dom_v(&got, "name_key")->z, "王小明");
}

/* ---- validation ------------------------------------------------------ */

static void required_fields(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec r;
  rec_area(&r, "1", NULL, "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");
  assert_int_equal(gerr_status(e.code), 422);
  rec_area(&r, NULL, "X", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "code");
  rec_area(&r, "1", "X", NULL);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "level");
  /* explicitly null is no better than missing */
  rec_area(&r, "1", "X", "region");
  dom_set_text(&r, "name", NULL);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");
  /* blank after trimming */
  rec_area(&r, "1", " \t ", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");
  rec_area(&r, "1", "", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");

  int64_t idArea = unit_area(f, "650000", "region", 0);
  int64_t idInst = unit_institution(f, "College", idArea);
  const char *azReq[] = {"institution_id", "title", "isco_code", "hours", "level", "capacity"};
  for (size_t i = 0; i < sizeof azReq / sizeof azReq[0]; i++) {
    rec_program(&r, idInst);
    dom_vm(&r, azReq[i])->bSet = 0;
    assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, azReq[i]);
  }
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "family_name", "Wang");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "given_name");

  /* a required value cannot be cleared by an update */
  dom_rec patch, out;
  dom_rec_init(&patch, &dom_institution);
  dom_set_text(&patch, "name", NULL);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_institution, idInst, 1, &patch, &out, &e), e, GERR_VALIDATION, "name");
  dom_rec_init(&patch, &dom_institution);
  dom_vm(&patch, "area_id")->bSet = 1;
  dom_vm(&patch, "area_id")->bNull = 1;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_institution, idInst, 1, &patch, &out, &e), e, GERR_VALIDATION, "area_id");

  /* nothing was stored by any failed create */
  assert_int_equal(count_rows(f, "SELECT count(*) - $1 FROM areas", 0), 1);
  assert_int_equal(count_rows(f, "SELECT count(*) - $1 FROM programs", 0), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) - $1 FROM persons", 0), 0);
}

static void value_rules(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec r;
  /* enum */
  rec_area(&r, "1", "X", "village");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "level");
  assert_non_null(strstr(e.msg, "township"));   /* lists what is allowed */
  rec_area(&r, "1", "X", "Region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "level");
  /* length in characters, not bytes */
  char zCode[40];
  memset(zCode, '7', 33);
  zCode[33] = 0;
  rec_area(&r, zCode, "X", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "code");
  zCode[32] = 0;
  rec_area(&r, zCode, "X", "region");
  assert_int_equal(try_create(f, &r, &e), 0);
  char zName[201 * 3 + 1] = "";
  for (int i = 0; i < 200; i++) strncat(zName, "疆", sizeof zName - strlen(zName) - 1);
  rec_area(&r, "2", zName, "region");   /* 200 characters, 600 bytes */
  assert_int_equal(try_create(f, &r, &e), 0);
  strncat(zName, "疆", sizeof zName - strlen(zName) - 1);
  rec_area(&r, "3", zName, "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");
  /* control characters and broken UTF-8 */
  rec_area(&r, "4", "a\x01" "b", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");
  rec_area(&r, "4", "a\nb", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");
  rec_area(&r, "4", "\xc3\x28", "region");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "name");

  int64_t idArea = unit_area(f, "650000", "region", 0);
  /* reference to a record that does not exist */
  dom_rec_init(&r, &dom_institution);
  dom_set_text(&r, "name", "Nowhere College");
  dom_set_text(&r, "kind", "vocational_college");
  dom_set_int(&r, "area_id", 9999);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "area_id");
  dom_set_int(&r, "area_id", 0);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "area_id");
  dom_set_int(&r, "area_id", idArea);
  dom_set_text(&r, "kind", "school");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "kind");
  dom_set_text(&r, "kind", "training_centre");
  dom_set_text(&r, "code", "");     /* optional, but not empty when given */
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "code");
  dom_set_text(&r, "code", NULL);
  int64_t idInst = unit_create(f, &r);

  /* integer ranges, both ends */
  static const struct { const char *zField; int64_t vBad, vGood; } aRange[] = {
      {"hours", 0, 1}, {"hours", 10001, 10000}, {"level", 0, 1}, {"level", 6, 5},
      {"capacity", 0, 1}, {"capacity", 100001, 100000}, {"hours", -5, 40},
  };
  for (size_t i = 0; i < sizeof aRange / sizeof aRange[0]; i++) {
    rec_program(&r, idInst);
    dom_set_int(&r, aRange[i].zField, aRange[i].vBad);
    assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, aRange[i].zField);
    dom_set_int(&r, aRange[i].zField, aRange[i].vGood);
    if (try_create(f, &r, &e)) fail_msg("%s = %lld: %s", aRange[i].zField, (long long)aRange[i].vGood, e.msg);
  }
  /* ISCO-08: only 4-digit unit groups that exist */
  static const char *const azBadIsco[] = {"751", "75", "7", "75120", "9999", "abcd", "", " 7512"};
  for (size_t i = 0; i < sizeof azBadIsco / sizeof azBadIsco[0]; i++) {
    rec_program(&r, idInst);
    dom_set_text(&r, "isco_code", azBadIsco[i]);
    assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "isco_code");
  }
  assert_true(isco_is_unit_group("7512"));
  assert_false(isco_is_unit_group("751"));
  assert_non_null(isco_title("7512"));
  assert_null(isco_title("0000x"));
  rec_program(&r, idInst);
  dom_set_text(&r, "isco_code", "7512");
  assert_int_equal(try_create(f, &r, &e), 0);

  /* dates */
  int64_t idProg = unit_program(f, idInst, "Pastry", "7512");
  static const char *const azBadDate[] = {"2026-02-30", "2026-2-01", "2026/02/01", "26-02-01", "2200-01-01",
                                          "1899-12-31", "tomorrow", "2026-02-01T00:00"};
  for (size_t i = 0; i < sizeof azBadDate / sizeof azBadDate[0]; i++) {
    dom_rec_init(&r, &dom_cohort);
    dom_set_int(&r, "program_id", idProg);
    dom_set_text(&r, "name", "2026");
    dom_set_text(&r, "start_date", azBadDate[i]);
    dom_set_text(&r, "end_date", "2026-06-30");
    dom_set_int(&r, "capacity", 10);
    assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "start_date");
  }
  /* the end of a term is not before its start */
  dom_rec_init(&r, &dom_cohort);
  dom_set_int(&r, "program_id", idProg);
  dom_set_text(&r, "name", "2026");
  dom_set_text(&r, "start_date", "2026-03-01");
  dom_set_text(&r, "end_date", "2026-02-28");
  dom_set_int(&r, "capacity", 10);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "end_date");
  dom_set_text(&r, "end_date", "2026-03-01");   /* one-day course */
  int64_t idCohort = unit_create(f, &r);
  dom_rec patch, out;
  dom_rec_init(&patch, &dom_cohort);
  dom_set_text(&patch, "start_date", "2026-03-02");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, idCohort, 1, &patch, &out, &e), e, GERR_VALIDATION, "end_date");
  dom_rec_init(&patch, &dom_cohort);
  dom_set_int(&patch, "capacity", 0);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, idCohort, 1, &patch, &out, &e), e, GERR_VALIDATION, "capacity");

  /* person rules: sex, birth date (valid, not in the future), e-mail */
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Ayla");
  dom_set_text(&r, "sex", "other");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "sex");
  dom_set_text(&r, "sex", "female");
  dom_set_text(&r, "birth_date", "2005-13-01");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "birth_date");
  dom_set_text(&r, "birth_date", "2199-01-01");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "birth_date");
  dom_set_text(&r, "birth_date", "2005-01-31");
  static const char *const azBadMail[] = {"ayla", "@example.org", "ayla@localhost", "ay la@example.org"};
  for (size_t i = 0; i < sizeof azBadMail / sizeof azBadMail[0]; i++) {
    dom_set_text(&r, "email", azBadMail[i]);
    assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "email");
  }
  dom_set_text(&r, "email", "ayla@example.org");
  dom_set_int(&r, "home_area_id", 4242);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "home_area_id");
  dom_set_int(&r, "home_area_id", idArea);
  int64_t idPerson = unit_create(f, &r);
  dom_rec got;
  assert_int_equal(dom_get(&f->c, &dom_person, idPerson, &got, &e), 0);
  assert_int_equal(dom_v(&got, "home_area_id")->i, idArea);
  assert_string_equal(dom_v(&got, "sex")->z, "female");

  /* the same rules apply to updates */
  dom_rec_init(&patch, &dom_person);
  dom_set_text(&patch, "sex", "x");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_person, idPerson, 1, &patch, &out, &e), e, GERR_VALIDATION, "sex");
  dom_rec_init(&patch, &dom_person);
  dom_set_text(&patch, "email", "nope");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_person, idPerson, 1, &patch, &out, &e), e, GERR_VALIDATION, "email");
  assert_int_equal(dom_get(&f->c, &dom_person, idPerson, &got, &e), 0);
  assert_int_equal(got.version, 1);
  assert_string_equal(dom_v(&got, "email")->z, "ayla@example.org");
}

static void area_levels(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec r, patch, out;
  int64_t idRegion = unit_area(f, "65", "region", 0);
  int64_t idPref = unit_area(f, "6501", "prefecture", idRegion);
  int64_t idCounty = unit_area(f, "650102", "county", idPref);
  int64_t idTown = unit_area(f, "650102001", "township", idCounty);
  assert_true(idTown > 0);

  /* a region has no parent */
  rec_area(&r, "66", "Other", "region");
  dom_set_int(&r, "parent_id", idRegion);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "parent_id");
  /* every other level needs one, exactly one level up */
  rec_area(&r, "6602", "P", "prefecture");
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "parent_id");
  rec_area(&r, "660201", "C", "county");
  dom_set_int(&r, "parent_id", idRegion);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "parent_id");
  rec_area(&r, "660201", "T", "township");
  dom_set_int(&r, "parent_id", idPref);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "parent_id");
  rec_area(&r, "660201", "P", "prefecture");
  dom_set_int(&r, "parent_id", idCounty);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "parent_id");
  rec_area(&r, "6502", "P2", "prefecture");
  dom_set_int(&r, "parent_id", idRegion);
  int64_t idPref2 = unit_create(f, &r);

  /* an area cannot be moved under one of the wrong level, or under itself */
  dom_rec_init(&patch, &dom_area);
  dom_set_int(&patch, "parent_id", idTown);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, idCounty, 1, &patch, &out, &e), e, GERR_VALIDATION, "parent_id");
  dom_set_int(&patch, "parent_id", idCounty);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, idCounty, 1, &patch, &out, &e), e, GERR_VALIDATION, "parent_id");
  /* but it can move to another area of the right level */
  dom_set_int(&patch, "parent_id", idPref2);
  assert_int_equal(dom_update(&f->c, &dom_area, idCounty, 1, &patch, &out, &e), 0);
  assert_int_equal(dom_v(&out, "parent_id")->i, idPref2);
  /* removing the parent of a county is refused */
  dom_rec_init(&patch, &dom_area);
  dom_vm(&patch, "parent_id")->bSet = 1;
  dom_vm(&patch, "parent_id")->bNull = 1;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, idCounty, 2, &patch, &out, &e), e, GERR_VALIDATION, "parent_id");

  /* the level of an area with areas within it cannot change */
  dom_rec_init(&patch, &dom_area);
  dom_set_text(&patch, "level", "region");
  dom_vm(&patch, "parent_id")->bSet = 1;
  dom_vm(&patch, "parent_id")->bNull = 1;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, idPref2, 1, &patch, &out, &e), e, GERR_VALIDATION, "level");
  /* a leaf area can become a region */
  assert_int_equal(dom_update(&f->c, &dom_area, idPref, 1, &patch, &out, &e), 0);
  assert_string_equal(dom_v(&out, "level")->z, "region");
  assert_true(dom_v(&out, "parent_id")->bNull);
}

static void unique_values(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec r, patch, out;
  int64_t idA = unit_area(f, "650000", "region", 0);
  int64_t idB = unit_area(f, "640000", "region", 0);
  rec_area(&r, "650000", "Copy", "region");
  assert_err(try_create(f, &r, &e), e, GERR_CONFLICT, "code");
  assert_int_equal(gerr_status(e.code), 409);
  rec_area(&r, " 650000 ", "Copy", "region");   /* compared after trimming */
  assert_err(try_create(f, &r, &e), e, GERR_CONFLICT, "code");
  /* update to another record's value: conflict; keeping its own: fine */
  dom_rec_init(&patch, &dom_area);
  dom_set_text(&patch, "code", "650000");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_area, idB, 1, &patch, &out, &e), e, GERR_CONFLICT, "code");
  dom_set_text(&patch, "code", "640000");
  assert_int_equal(dom_update(&f->c, &dom_area, idB, 1, &patch, &out, &e), 0);
  dom_rec_init(&patch, &dom_area);
  dom_set_text(&patch, "name", "renamed");
  assert_int_equal(dom_update(&f->c, &dom_area, idA, 1, &patch, &out, &e), 0);

  /* optional unique values: any number of nulls, no two equal values */
  unit_institution(f, "One", idA);
  unit_institution(f, "Two", idA);
  dom_rec_init(&r, &dom_institution);
  dom_set_text(&r, "code", "C-1");
  dom_set_text(&r, "name", "Three");
  dom_set_text(&r, "kind", "training_centre");
  dom_set_int(&r, "area_id", idA);
  unit_create(f, &r);
  dom_set_text(&r, "name", "Four");
  assert_err(try_create(f, &r, &e), e, GERR_CONFLICT, "code");

  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "A");
  dom_set_text(&r, "sourced_id", "ext-1");
  unit_create(f, &r);
  dom_set_text(&r, "given_name", "B");
  assert_err(try_create(f, &r, &e), e, GERR_CONFLICT, "sourced_id");
  assert_int_equal(count_rows(f, "SELECT count(*) FROM persons WHERE id > $1", 0), 1);
}

/* A unique key of several fields (dom_entity.aUnique): refused before
 * writing in the key's words, naming its field and the other record; an
 * update that keeps the key is fine; and when the database itself refuses
 * it (a record written meanwhile: here one written around the check) the
 * store's conflict is said in the same words, never the engine's. */
static void unique_keys(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec r, patch, out;
  int64_t idArea = unit_area(f, "65", "region", 0);
  int64_t idProg = unit_program(f, unit_institution(f, "One", idArea), "Pastry", "7512");
  int64_t idCohort = unit_cohort(f, idProg, "Spring", "2026-03-01", "2026-07-01", 10);
  int64_t idPerson = unit_person(f, "Ayla", NULL);
  dom_rec_init(&r, &dom_enrollment);
  dom_set_int(&r, "person_id", idPerson);
  dom_set_int(&r, "cohort_id", idCohort);
  dom_set_int(&r, "consent", 1);
  int64_t idFirst = unit_create(f, &r);
  assert_err(try_create(f, &r, &e), e, GERR_CONFLICT, "cohort_id");
  char zWant[120];
  snprintf(zWant, sizeof zWant, "cohort_id: this person is already enrolled in this cohort (enrollment %lld)",
           (long long)idFirst);
  assert_string_equal(e.msg, zWant);
  dom_rec_init(&patch, &dom_enrollment);
  dom_set_text(&patch, "status", "enrolled");
  gerr_clear(&e);
  assert_int_equal(dom_update(&f->c, &dom_enrollment, idFirst, 1, &patch, &out, &e), 0);

  /* the same key reaching the database: checked, then written twice */
  assert_int_equal(db_begin(f->pDb, &e), 0);
  dom_rec_init(&r, &dom_enrollment);
  dom_set_int(&r, "person_id", unit_person(f, "Bilal", NULL));
  dom_set_int(&r, "cohort_id", idCohort);
  dom_set_int(&r, "consent", 1);
  assert_int_equal(dom_check(&f->c, &dom_enrollment, &r, NULL, &out, &e), 0);
  dom_rec twice = out;
  assert_int_equal(dom_insert_raw(&f->c, &out, &e), 0);
  gerr_clear(&e);
  assert_int_equal(dom_insert_raw(&f->c, &twice, &e), -1);
  db_rollback(f->pDb);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_string_equal(e.field, "cohort_id");
  assert_string_equal(e.msg,
                      "cohort_id: this person is already enrolled in this cohort (written by someone else at the same "
                      "moment)");
}

static void delete_referenced(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idRegion = unit_area(f, "65", "region", 0);
  int64_t idPref = unit_area(f, "6501", "prefecture", idRegion);
  int64_t idInst1 = unit_institution(f, "One", idRegion);
  int64_t idInst2 = unit_institution(f, "Two", idRegion);
  dom_rec r;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Home");
  dom_set_int(&r, "home_area_id", idRegion);
  int64_t idPerson = unit_create(f, &r);

  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_area, idRegion, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "1 area (parent_id)"));
  assert_non_null(strstr(e.msg, "2 institutions (area_id)"));
  assert_non_null(strstr(e.msg, "1 person (home_area_id)"));
  assert_int_equal(dom_exists(&f->c, &dom_area, idRegion, &e), 1);

  /* a program blocks its institution; a cohort its program; a trainer
   * (through the cohort's list) the person */
  int64_t idProg = unit_program(f, idInst1, "Pastry", "7512");
  int64_t idCohort = unit_cohort(f, idProg, "2026", "2026-01-01", "2026-06-30", 5);
  dom_rec patch, out;
  dom_rec_init(&patch, &dom_cohort);
  dom_vm(&patch, "trainers")->bSet = 1;
  dom_vm(&patch, "trainers")->n = 1;
  dom_vm(&patch, "trainers")->ai = &idPerson;
  assert_int_equal(dom_update(&f->c, &dom_cohort, idCohort, 1, &patch, &out, &e), 0);
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_institution, idInst1, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "1 program (institution_id)"));
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_program, idProg, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "1 cohort (program_id)"));
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_person, idPerson, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "1 cohort (trainers)"));

  /* once nothing refers to them, deletes go through, leaves first */
  assert_int_equal(dom_delete(&f->c, &dom_cohort, idCohort, -1, &e), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM cohorts_trainers WHERE owner_id = $1", idCohort), 0);
  assert_int_equal(dom_delete(&f->c, &dom_person, idPerson, -1, &e), 0);
  assert_int_equal(dom_delete(&f->c, &dom_program, idProg, -1, &e), 0);
  assert_int_equal(dom_delete(&f->c, &dom_institution, idInst1, -1, &e), 0);
  assert_int_equal(dom_delete(&f->c, &dom_institution, idInst2, -1, &e), 0);
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_area, idRegion, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "1 area (parent_id)"));
  assert_null(strstr(e.msg, "institution"));
  assert_int_equal(dom_delete(&f->c, &dom_area, idPref, -1, &e), 0);
  assert_int_equal(dom_delete(&f->c, &dom_area, idRegion, -1, &e), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM areas", 0), 0);
}

static void immutable_fields(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idProg = 0;
  int64_t idCohort = unit_world(f, 10, &idProg);
  int64_t idArea = unit_area(f, "99", "region", 0);
  int64_t idOther = unit_institution(f, "Other", idArea);
  dom_rec got, patch, out;
  assert_int_equal(dom_get(&f->c, &dom_program, idProg, &got, &e), 0);
  int64_t idInst = dom_v(&got, "institution_id")->i;

  dom_rec_init(&patch, &dom_program);
  dom_set_int(&patch, "institution_id", idOther);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_program, idProg, 1, &patch, &out, &e), e, GERR_VALIDATION, "institution_id");
  assert_int_equal(dom_get(&f->c, &dom_program, idProg, &got, &e), 0);
  assert_int_equal(dom_v(&got, "institution_id")->i, idInst);
  assert_int_equal(got.version, 1);
  /* giving the same value again is not a change */
  dom_set_int(&patch, "institution_id", idInst);
  dom_set_text(&patch, "title", "Pastry II");
  assert_int_equal(dom_update(&f->c, &dom_program, idProg, 1, &patch, &out, &e), 0);
  assert_string_equal(dom_v(&out, "title")->z, "Pastry II");

  int64_t idProg2 = unit_program(f, idOther, "Other program", "7411");
  dom_rec_init(&patch, &dom_cohort);
  dom_set_int(&patch, "program_id", idProg2);
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, idCohort, 1, &patch, &out, &e), e, GERR_VALIDATION, "program_id");
  dom_rec_init(&patch, &dom_cohort);
  dom_vm(&patch, "program_id")->bSet = 1;
  dom_vm(&patch, "program_id")->bNull = 1;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, idCohort, 1, &patch, &out, &e), e, GERR_VALIDATION, "program_id");
}

/* ---- list fields ----------------------------------------------------- */

static void program_skills(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idArea = unit_area(f, "65", "region", 0);
  int64_t idInst = unit_institution(f, "College", idArea);
  dom_rec r, out, got, patch;
  rec_program(&r, idInst);
  const char *azSkills[] = {"wiring", "  safety  ", "安装", "reading plans"};
  dom_val *v = dom_vm(&r, "skills");
  v->bSet = 1;
  v->n = 4;
  v->az = azSkills;
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_program, &r, &out, &e), 0);
  const dom_val *pOut = dom_v(&out, "skills");
  assert_int_equal(pOut->n, 4);
  assert_string_equal(pOut->az[0], "wiring");
  assert_string_equal(pOut->az[1], "safety");
  assert_string_equal(pOut->az[2], "安装");
  assert_string_equal(pOut->az[3], "reading plans");

  /* an update that does not mention skills keeps them */
  dom_rec_init(&patch, &dom_program);
  dom_set_int(&patch, "hours", 700);
  assert_int_equal(dom_update(&f->c, &dom_program, out.id, 1, &patch, &got, &e), 0);
  assert_int_equal(dom_v(&got, "skills")->n, 4);
  assert_string_equal(dom_v(&got, "skills")->az[3], "reading plans");
  assert_int_equal(dom_v(&got, "hours")->i, 700);

  /* replaced in the given order */
  const char *azNew[] = {"b", "a"};
  dom_rec_init(&patch, &dom_program);
  v = dom_vm(&patch, "skills");
  v->bSet = 1;
  v->n = 2;
  v->az = azNew;
  assert_int_equal(dom_update(&f->c, &dom_program, out.id, 2, &patch, &got, &e), 0);
  assert_int_equal(dom_v(&got, "skills")->n, 2);
  assert_string_equal(dom_v(&got, "skills")->az[0], "b");
  assert_string_equal(dom_v(&got, "skills")->az[1], "a");
  assert_int_equal(dom_get(&f->c, &dom_program, out.id, &got, &e), 0);
  assert_int_equal(dom_v(&got, "skills")->n, 2);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM programs_skills WHERE owner_id = $1", out.id), 2);

  /* duplicates, empty entries and too many entries are refused */
  const char *azDup[] = {"a", "b", " a"};
  v->n = 3;
  v->az = azDup;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_program, out.id, 3, &patch, &got, &e), e, GERR_VALIDATION, "skills");
  const char *azEmpty[] = {"a", " "};
  v->n = 2;
  v->az = azEmpty;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_program, out.id, 3, &patch, &got, &e), e, GERR_VALIDATION, "skills");
  const char *azMany[DOM_MAXLIST + 1];
  char azBuf[DOM_MAXLIST + 1][16];
  for (int i = 0; i <= DOM_MAXLIST; i++) {
    snprintf(azBuf[i], sizeof azBuf[i], "s%d", i);
    azMany[i] = azBuf[i];
  }
  v->n = DOM_MAXLIST + 1;
  v->az = azMany;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_program, out.id, 3, &patch, &got, &e), e, GERR_VALIDATION, "skills");
  v->n = DOM_MAXLIST;   /* exactly the maximum is fine */
  assert_int_equal(dom_update(&f->c, &dom_program, out.id, 3, &patch, &got, &e), 0);
  assert_int_equal(dom_v(&got, "skills")->n, DOM_MAXLIST);
  assert_string_equal(dom_v(&got, "skills")->az[DOM_MAXLIST - 1], "s99");

  /* an empty list clears them */
  v->n = 0;
  v->az = NULL;
  assert_int_equal(dom_update(&f->c, &dom_program, out.id, 4, &patch, &got, &e), 0);
  assert_true(dom_v(&got, "skills")->bSet);
  assert_int_equal(dom_v(&got, "skills")->n, 0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM programs_skills WHERE owner_id = $1", out.id), 0);

  /* a failed create leaves no child rows behind */
  rec_program(&r, idInst);
  v = dom_vm(&r, "skills");
  v->bSet = 1;
  v->n = 2;
  v->az = azNew;
  dom_set_int(&r, "hours", 0);
  assert_err(try_create(f, &r, &e), e, GERR_VALIDATION, "hours");
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM programs_skills", 0), 0);
}

static void cohort_trainers(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idProg = 0;
  unit_world(f, 10, &idProg);
  int64_t idP1 = unit_person(f, "One", NULL);
  int64_t idP2 = unit_person(f, "Two", NULL);
  int64_t idP3 = unit_person(f, "Three", NULL);
  dom_rec r, out, got, patch;
  dom_rec_init(&r, &dom_cohort);
  dom_set_int(&r, "program_id", idProg);
  dom_set_text(&r, "name", "autumn");
  dom_set_text(&r, "start_date", "2026-09-01");
  dom_set_text(&r, "end_date", "2026-12-20");
  dom_set_int(&r, "capacity", 20);
  int64_t aiTrainers[] = {idP2, idP1};
  dom_val *v = dom_vm(&r, "trainers");
  v->bSet = 1;
  v->n = 2;
  v->ai = aiTrainers;
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_cohort, &r, &out, &e), 0);
  assert_int_equal(dom_v(&out, "trainers")->n, 2);
  assert_int_equal(dom_v(&out, "trainers")->ai[0], idP2);
  assert_int_equal(dom_v(&out, "trainers")->ai[1], idP1);
  assert_int_equal(dom_get(&f->c, &dom_cohort, out.id, &got, &e), 0);
  assert_int_equal(dom_v(&got, "trainers")->n, 2);
  assert_int_equal(dom_v(&got, "trainers")->ai[0], idP2);

  /* unknown and repeated persons are refused */
  int64_t aiBad[] = {idP1, 9999};
  dom_rec_init(&patch, &dom_cohort);
  v = dom_vm(&patch, "trainers");
  v->bSet = 1;
  v->n = 2;
  v->ai = aiBad;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, out.id, 1, &patch, &got, &e), e, GERR_VALIDATION, "trainers");
  int64_t aiDup[] = {idP3, idP3};
  v->ai = aiDup;
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_cohort, out.id, 1, &patch, &got, &e), e, GERR_VALIDATION, "trainers");
  assert_int_equal(dom_get(&f->c, &dom_cohort, out.id, &got, &e), 0);
  assert_int_equal(dom_v(&got, "trainers")->n, 2);
  assert_int_equal(got.version, 1);

  int64_t aiOne[] = {idP3};
  v->n = 1;
  v->ai = aiOne;
  assert_int_equal(dom_update(&f->c, &dom_cohort, out.id, 1, &patch, &got, &e), 0);
  assert_int_equal(dom_v(&got, "trainers")->n, 1);
  assert_int_equal(dom_v(&got, "trainers")->ai[0], idP3);

  /* the trainer filter finds the cohort */
  dom_query q;
  memset(&q, 0, sizeof q);
  q.limit = 10;
  int k = 0;
  while (strcmp(dom_cohort.aFilter[k].zName, "trainer") != 0) k++;
  q.mask = 1u << k;
  q.aInt[k] = idP3;
  dom_page page;
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.n, 1);
  assert_int_equal(page.aRec[0].id, out.id);
  assert_int_equal(dom_v(&page.aRec[0], "trainers")->n, 1);  /* lists loaded in pages too */
  q.aInt[k] = idP1;
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 0);
  assert_int_equal(page.n, 0);
}

/* ---- lists ----------------------------------------------------------- */

static int filter_index(const dom_entity *pEnt, const char *zName) {
  for (int k = 0; k < pEnt->nFilter; k++)
    if (strcmp(pEnt->aFilter[k].zName, zName) == 0) return k;
  fail_msg("%s has no filter %s", pEnt->zName, zName);
  return -1;
}

static void q_int(dom_query *q, const dom_entity *pEnt, const char *zName, int64_t v) {
  int k = filter_index(pEnt, zName);
  q->mask |= 1u << k;
  q->aInt[k] = v;
}

static void q_text(dom_query *q, const dom_entity *pEnt, const char *zName, const char *z) {
  int k = filter_index(pEnt, zName);
  q->mask |= 1u << k;
  q->azText[k] = z;
}

static void q_reset(dom_query *q, int limit) {
  memset(q, 0, sizeof *q);
  q->limit = limit;
}

static void list_filters(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_query q;
  dom_page page;
  int64_t idR = unit_area(f, "65", "region", 0);
  int64_t idP1 = unit_area(f, "6501", "prefecture", idR);
  int64_t idP2 = unit_area(f, "6502", "prefecture", idR);
  int64_t idC1 = unit_area(f, "650101", "county", idP1);
  int64_t idC2 = unit_area(f, "650201", "county", idP2);
  int64_t idR2 = unit_area(f, "64", "region", 0);

  /* areas by parent, by level, by both */
  q_reset(&q, 50);
  q_int(&q, &dom_area, "parent", idR);
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);
  assert_int_equal(page.n, 2);
  assert_int_equal(page.aRec[0].id, idP1);
  assert_int_equal(page.aRec[1].id, idP2);
  assert_int_equal(page.nextAfter, 0);
  q_reset(&q, 50);
  q_text(&q, &dom_area, "level", "region");
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);
  assert_int_equal(page.aRec[0].id, idR);
  assert_int_equal(page.aRec[1].id, idR2);
  q_int(&q, &dom_area, "parent", idP1);
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 0);
  assert_int_equal(page.n, 0);
  q_reset(&q, 50);
  q_text(&q, &dom_area, "level", "county");
  q_int(&q, &dom_area, "parent", idP2);
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idC2);
  assert_string_equal(dom_v(&page.aRec[0], "code")->z, "650201");
  q_reset(&q, 50);
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 6);
  assert_int_equal(page.n, 6);

  /* institutions in an area or anywhere within it */
  int64_t idI1 = unit_institution(f, "I1", idC1);
  int64_t idI2 = unit_institution(f, "I2", idC2);
  int64_t idI3 = unit_institution(f, "I3", idR2);
  q_reset(&q, 50);
  q_int(&q, &dom_institution, "area", idR);
  assert_int_equal(dom_list(&f->c, &dom_institution, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);
  assert_int_equal(page.aRec[0].id, idI1);
  assert_int_equal(page.aRec[1].id, idI2);
  q_reset(&q, 50);
  q_int(&q, &dom_institution, "area", idP2);
  assert_int_equal(dom_list(&f->c, &dom_institution, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idI2);
  q_text(&q, &dom_institution, "kind", "training_centre");
  assert_int_equal(dom_list(&f->c, &dom_institution, &q, &page, &e), 0);
  assert_int_equal(page.total, 0);

  /* programs by occupation and area; cohorts by date (a repeated parameter) */
  int64_t idPr1 = unit_program(f, idI1, "Pastry", "7512");
  int64_t idPr2 = unit_program(f, idI2, "Pastry too", "7512");
  int64_t idPr3 = unit_program(f, idI3, "Wiring", "7411");
  q_reset(&q, 50);
  q_text(&q, &dom_program, "isco_code", "7512");
  assert_int_equal(dom_list(&f->c, &dom_program, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);
  q_int(&q, &dom_program, "area", idP1);
  assert_int_equal(dom_list(&f->c, &dom_program, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idPr1);
  q_reset(&q, 50);
  q_int(&q, &dom_program, "institution", idI3);
  assert_int_equal(dom_list(&f->c, &dom_program, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idPr3);

  int64_t idCo1 = unit_cohort(f, idPr1, "spring", "2026-03-01", "2026-06-30", 10);
  int64_t idCo2 = unit_cohort(f, idPr2, "summer", "2026-06-01", "2026-08-31", 10);
  int64_t idCo3 = unit_cohort(f, idPr3, "autumn", "2026-09-01", "2026-12-31", 10);
  q_reset(&q, 50);
  q_text(&q, &dom_cohort, "active_on", "2026-06-15");
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);
  assert_int_equal(page.n, 2);
  assert_int_equal(page.aRec[0].id, idCo1);
  assert_int_equal(page.aRec[1].id, idCo2);
  q_text(&q, &dom_cohort, "active_on", "2026-06-30");   /* last day counts */
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);
  q_text(&q, &dom_cohort, "active_on", "2027-01-01");
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 0);
  /* a filter before and after the repeated one */
  q_reset(&q, 50);
  q_int(&q, &dom_cohort, "institution", idI2);
  q_text(&q, &dom_cohort, "active_on", "2026-07-01");
  q_int(&q, &dom_cohort, "area", idR);
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.n, 1);
  assert_int_equal(page.aRec[0].id, idCo2);
  q_reset(&q, 50);
  q_int(&q, &dom_cohort, "area", idR2);
  q_int(&q, &dom_cohort, "program", idPr3);
  assert_int_equal(dom_list(&f->c, &dom_cohort, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idCo3);

  /* persons by name prefix (family, family+given or given) and home area */
  dom_rec r;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Ahmet");
  dom_set_text(&r, "family_name", "Tursun");
  dom_set_int(&r, "home_area_id", idC1);
  int64_t idAhmet = unit_create(f, &r);
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Turgun");
  dom_set_text(&r, "family_name", "Ablet");
  int64_t idTurgun = unit_create(f, &r);
  unit_person(f, "Ayla", "Kerim");
  static const char zTur[] = "tur\0tus";
  q_reset(&q, 50);
  q_text(&q, &dom_person, "q", zTur);
  assert_int_equal(dom_list(&f->c, &dom_person, &q, &page, &e), 0);
  assert_int_equal(page.total, 2);   /* Tursun (family) and Turgun (given) */
  assert_int_equal(page.aRec[0].id, idAhmet);
  assert_int_equal(page.aRec[1].id, idTurgun);
  q_int(&q, &dom_person, "area", idP1);
  assert_int_equal(dom_list(&f->c, &dom_person, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idAhmet);
  static const char zTursunA[] = "tursuna\0tursunb";
  q_reset(&q, 50);
  q_text(&q, &dom_person, "q", zTursunA);
  assert_int_equal(dom_list(&f->c, &dom_person, &q, &page, &e), 0);
  assert_int_equal(page.total, 1);
  assert_int_equal(page.aRec[0].id, idAhmet);
}

/* Lists the areas with the given paging; checks the ids are idFirst.. in
 * order, n of them, and the cursor. */
static void check_page(unit_fx *f, int limit, int64_t offset, int64_t after, int64_t total, int n,
                       int64_t idFirst, int64_t nextAfter) {
  gerr e;
  dom_query q;
  dom_page page;
  q_reset(&q, limit);
  q.offset = offset;
  q.after = after;
  if (dom_list(&f->c, &dom_area, &q, &page, &e)) fail_msg("list: %s", e.msg);
  assert_int_equal(page.total, total);
  if (page.n != n) fail_msg("limit %d offset %lld after %lld: want %d rows, got %d", limit, (long long)offset,
                            (long long)after, n, page.n);
  for (int i = 0; i < n; i++) assert_int_equal(page.aRec[i].id, idFirst + i);
  if (page.nextAfter != nextAfter)
    fail_msg("limit %d offset %lld after %lld: want nextAfter %lld, got %lld", limit, (long long)offset,
             (long long)after, (long long)nextAfter, (long long)page.nextAfter);
}

static void list_paging(void **state) {
  unit_fx *f = *state;
  int64_t aId[5];
  for (int i = 0; i < 5; i++) {
    char zCode[16];
    snprintf(zCode, sizeof zCode, "%d", 10 + i);
    aId[i] = unit_area(f, zCode, "region", 0);
    if (i) assert_int_equal(aId[i], aId[i - 1] + 1);
  }
  /* offset paging */
  check_page(f, 2, 0, 0, 5, 2, aId[0], aId[1]);
  check_page(f, 2, 2, 0, 5, 2, aId[2], aId[3]);
  check_page(f, 2, 4, 0, 5, 1, aId[4], 0);
  check_page(f, 2, 6, 0, 5, 0, 0, 0);
  check_page(f, 5, 0, 0, 5, 5, aId[0], 0);   /* exactly everything: no next page */
  check_page(f, 100, 0, 0, 5, 5, aId[0], 0);
  check_page(f, 1, 3, 0, 5, 1, aId[3], aId[3]);
  /* keyset paging: total still counts every match */
  check_page(f, 2, 0, aId[1], 5, 2, aId[2], aId[3]);
  check_page(f, 2, 0, aId[3], 5, 1, aId[4], 0);
  check_page(f, 2, 0, aId[4], 5, 0, 0, 0);
  check_page(f, 3, 0, aId[0], 5, 3, aId[1], aId[3]);

  /* filtered totals */
  gerr e;
  dom_query q;
  dom_page page;
  q_reset(&q, 1);
  q_text(&q, &dom_area, "level", "region");
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 5);
  assert_int_equal(page.n, 1);
  assert_int_equal(page.nextAfter, aId[0]);
  q_text(&q, &dom_area, "level", "county");
  assert_int_equal(dom_list(&f->c, &dom_area, &q, &page, &e), 0);
  assert_int_equal(page.total, 0);
  assert_int_equal(page.n, 0);
  assert_int_equal(page.nextAfter, 0);
}

/* The last page reached through the keyset cursor is full: nextAfter must
 * be 0 there ("0 when this is the last", entity.h), as it is with offset. */
static void list_paging_last_full_page(void **state) {
  unit_fx *f = *state;
  int64_t aId[4];
  for (int i = 0; i < 4; i++) {
    char zCode[16];
    snprintf(zCode, sizeof zCode, "%d", 10 + i);
    aId[i] = unit_area(f, zCode, "region", 0);
  }
  check_page(f, 2, 2, 0, 4, 2, aId[2], 0);        /* by offset: 0 */
  check_page(f, 2, 0, aId[1], 4, 2, aId[2], 0);   /* by cursor: also 0 */
}

/* Bulk writers (dom_bulk, dom_insert_new, dom_insert_many): a key already
 * stored writes nothing and is told apart; the checks a bulk writer takes
 * over are skipped, every other rule still runs. */
static void bulk_writes(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_bulk b = {&dom_person, 0, 1u << dom_field_index(&dom_person, "sourced_id")};
  dom_rec r, out;
  assert_int_equal(db_begin(f->pDb, &e), 0);
  /* one by one: the second with the same sourced_id is refused by the insert itself */
  for (int i = 0; i < 2; i++) {
    dom_rec_init(&r, &dom_person);
    r.pBulk = &b;
    dom_set_text(&r, "sourced_id", "X1");
    dom_set_text(&r, "given_name", i ? "Second" : "First");
    assert_int_equal(dom_check(&f->c, &dom_person, &r, NULL, &out, &e), 0);   /* no unique lookup */
    assert_int_equal(dom_insert_new(&f->c, &out, &e), i ? 0 : 1);
    if (!i) assert_true(out.id > 0);
  }
  /* the rules still run: a given name is required, an e-mail must look like one */
  dom_rec_init(&r, &dom_person);
  r.pBulk = &b;
  dom_set_text(&r, "sourced_id", "X2");
  dom_set_text(&r, "given_name", "Mail");
  dom_set_text(&r, "email", "nowhere");
  assert_int_equal(dom_check(&f->c, &dom_person, &r, NULL, &out, &e), -1);
  assert_string_equal(e.field, "email");
  /* many at once: one statement; the stored key and the repeated one are not written */
  static dom_rec a[DOM_BATCH];
  unsigned char abNew[DOM_BATCH];
  for (int i = 0; i < DOM_BATCH; i++) {
    char z[32];
    snprintf(z, sizeof z, "M%d", i == 100 ? 7 : i);   /* record 100 repeats record 7's key */
    dom_rec_init(&r, &dom_person);
    r.pBulk = &b;
    dom_set_text(&r, "sourced_id", i == 200 ? "X1" : arena_strdup(&f->ar, z));   /* 200: stored already */
    dom_set_text(&r, "given_name", "Many");
    assert_int_equal(dom_check(&f->c, &dom_person, &r, NULL, &a[i], &e), 0);
  }
  int64_t idMax = count_rows(f, "SELECT coalesce(max(id), $1) FROM persons", 0), idBefore = idMax;
  assert_int_equal(dom_insert_many(&f->c, a, DOM_BATCH, b.mKey, abNew, &idMax, &e), DOM_BATCH - 2);
  assert_int_equal(idMax, idBefore + DOM_BATCH - 2);
  assert_false(abNew[100]);
  assert_false(abNew[200]);
  assert_true(abNew[7] && abNew[0] && abNew[255]);
  dom_rec got;
  for (int i = 0; i < DOM_BATCH; i += 37) {   /* each written record got its own row's id */
    if (!abNew[i]) continue;
    char z[32];
    snprintf(z, sizeof z, "M%d", i);
    assert_int_equal(dom_get(&f->c, &dom_person, a[i].id, &got, &e), 0);
    assert_string_equal(dom_v(&got, "sourced_id")->z, z);
  }
  assert_int_equal(dom_get(&f->c, &dom_person, a[255].id, &got, &e), 0);
  assert_string_equal(dom_v(&got, "sourced_id")->z, "M255");
  assert_string_equal(dom_v(&got, "given_key")->z, "many");
  assert_int_equal(count_rows(f, "SELECT count(*) FROM persons WHERE given_name = 'Many' AND id > $1", 0),
                   DOM_BATCH - 2);
  /* a batch of new keys only: their ids follow the largest one, in order */
  for (int i = 0; i < DOM_BATCH; i++) {
    char z[32];
    snprintf(z, sizeof z, "N%d", i);
    dom_rec_init(&r, &dom_person);
    r.pBulk = &b;
    dom_set_text(&r, "sourced_id", arena_strdup(&f->ar, z));
    dom_set_text(&r, "given_name", "Next");
    assert_int_equal(dom_check(&f->c, &dom_person, &r, NULL, &a[i], &e), 0);
  }
  idBefore = idMax;
  assert_int_equal(dom_insert_many(&f->c, a, DOM_BATCH, b.mKey, abNew, &idMax, &e), DOM_BATCH);
  assert_int_equal(idMax, idBefore + DOM_BATCH);
  for (int i = 0; i < DOM_BATCH; i++) {
    assert_true(abNew[i]);
    assert_int_equal(a[i].id, idBefore + 1 + i);
  }
  assert_int_equal(dom_get(&f->c, &dom_person, a[131].id, &got, &e), 0);
  assert_string_equal(dom_v(&got, "sourced_id")->z, "N131");
  db_rollback(f->pDb);
  /* a reference the writer vouches for is not looked up again; one it does not is */
  dom_bulk bRef = {&dom_person, 1u << dom_field_index(&dom_person, "home_area_id"), 0};
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Ref");
  dom_set_int(&r, "home_area_id", 999999);
  assert_int_equal(dom_check(&f->c, &dom_person, &r, NULL, &out, &e), -1);
  assert_string_equal(e.field, "home_area_id");
  r.pBulk = &bRef;
  assert_int_equal(dom_check(&f->c, &dom_person, &r, NULL, &out, &e), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(crud_area, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(crud_person, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(required_fields, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(value_rules, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(area_levels, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(unique_values, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(unique_keys, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(delete_referenced, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(immutable_fields, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(program_skills, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(cohort_trainers, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(list_filters, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(list_paging, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(list_paging_last_full_page, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(bulk_writes, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
