/* unit.h: what every cmocka unit test includes: cmocka itself and helpers
 * for a fresh, migrated SQLite database in a temporary directory. */
#ifndef GUILD_UNIT_H
#define GUILD_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "core/err.h"
#include "core/mem.h"
#include "store/db.h"
#include "store/schema.h"
#include "domain/engine/entity.h"

/* Creates a migrated database in a new temporary directory; the path is
 * written to zPath (at least 256 bytes). bSeeds: through dom_migrate, as
 * guild init does (the rows migrations seed are recorded in the audit
 * log); else schema_migrate alone, and the seeded rows deleted: no row and
 * an empty log, for the tests of the log itself. Fails the test on error. */
static inline db *unit_db_made(char *zPath, int bSeeds) {
  char zDir[] = "/tmp/guild-unit-XXXXXX";
  assert_non_null(mkdtemp(zDir));
  snprintf(zPath, 256, "%s/t.db", zDir);
  db *p = NULL;
  gerr e;
  int n = 0;
  dom_init();   /* the modules' schema (idempotent) */
  if (db_open(zPath, 1, &p, &e) || (bSeeds ? dom_migrate(p, &n, &e) : schema_migrate(p, &n, &e)))
    fail_msg("unit_db: %s", e.msg);
  for (int i = 0; !bSeeds && i < dom_nentities; i++) {
    char z[200];
    snprintf(z, sizeof z, "DELETE FROM %s", dom_entities[i]->zPlural);
    if (dom_entities[i]->seededBy && db_exec(p, z, &e)) fail_msg("unit_db: %s", e.msg);
  }
  return p;
}

/* A migrated database, as guild init leaves it (unit_db_made). */
static inline db *unit_db(char *zPath) { return unit_db_made(zPath, 1); }

/* Closes the database and removes its files and directory. */
static inline void unit_db_drop(db *p, const char *zPath) {
  char z[300];
  db_close(p);
  unlink(zPath);
  snprintf(z, sizeof z, "%s-wal", zPath);
  unlink(z);
  snprintf(z, sizeof z, "%s-shm", zPath);
  unlink(z);
  snprintf(z, sizeof z, "%s", zPath);
  char *zSlash = strrchr(z, '/');
  if (zSlash) *zSlash = 0;
  rmdir(z);
}

/* A test fixture for domain tests: a fresh migrated database, an arena and
 * a dom_ctx acting as "test" at a fixed time. Free with unit_fx_free. */
typedef struct unit_fx {
  char zPath[256];
  db *pDb;
  arena ar;
  dom_ctx c;
} unit_fx;

/* bSeeds: see unit_db_made. */
static inline unit_fx *unit_fx_made(int bSeeds) {
  unit_fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->pDb = unit_db_made(f->zPath, bSeeds);
  arena_init(&f->ar);
  f->c.pDb = f->pDb;
  f->c.pAr = &f->ar;
  f->c.zActor = "test";
  f->c.pActor = &dom_actor_system;   /* unit tests act as guild itself unless they say otherwise */
  f->c.now = 1750000000;
  return f;
}

static inline unit_fx *unit_fx_new(void) { return unit_fx_made(1); }

static inline void unit_fx_free(unit_fx *f) {
  assert_int_equal(db_depth(f->pDb), 0);  /* no transaction left open */
  unit_db_drop(f->pDb, f->zPath);
  arena_free(&f->ar);
  free(f);
}

/* The entities (defined in src/domain/<name>.c). */
extern dom_entity dom_area, dom_institution, dom_program, dom_person, dom_cohort, dom_enrollment;

/* Creates a record from r and returns its id; fails the test on error. */
static inline int64_t unit_create(unit_fx *f, const dom_rec *r) {
  dom_rec out;
  gerr e;
  gerr_clear(&e);
  if (dom_create(&f->c, r->pEnt, r, &out, &e))
    fail_msg("create %s: %s (%s) [%s]", r->pEnt->zName, e.msg, gerr_name(e.code), e.field);
  assert_true(out.id > 0);
  return out.id;
}

static inline int64_t unit_area(unit_fx *f, const char *zCode, const char *zLevel, int64_t idParent) {
  dom_rec r;
  dom_rec_init(&r, &dom_area);
  dom_set_text(&r, "code", zCode);
  dom_set_text(&r, "name", zCode);
  dom_set_text(&r, "level", zLevel);
  if (idParent) dom_set_int(&r, "parent_id", idParent);
  return unit_create(f, &r);
}

static inline int64_t unit_institution(unit_fx *f, const char *zName, int64_t idArea) {
  dom_rec r;
  dom_rec_init(&r, &dom_institution);
  dom_set_text(&r, "name", zName);
  dom_set_text(&r, "kind", "vocational_college");
  dom_set_int(&r, "area_id", idArea);
  return unit_create(f, &r);
}

static inline int64_t unit_program(unit_fx *f, int64_t idInst, const char *zTitle, const char *zIsco) {
  dom_rec r;
  dom_rec_init(&r, &dom_program);
  dom_set_int(&r, "institution_id", idInst);
  dom_set_text(&r, "title", zTitle);
  dom_set_text(&r, "isco_code", zIsco);
  dom_set_int(&r, "hours", 400);
  dom_set_int(&r, "level", 2);
  dom_set_int(&r, "capacity", 60);
  return unit_create(f, &r);
}

static inline int64_t unit_cohort(unit_fx *f, int64_t idProgram, const char *zName, const char *zStart,
                                  const char *zEnd, int64_t nCapacity) {
  dom_rec r;
  dom_rec_init(&r, &dom_cohort);
  dom_set_int(&r, "program_id", idProgram);
  dom_set_text(&r, "name", zName);
  dom_set_text(&r, "start_date", zStart);
  dom_set_text(&r, "end_date", zEnd);
  dom_set_int(&r, "capacity", nCapacity);
  return unit_create(f, &r);
}

static inline int64_t unit_person(unit_fx *f, const char *zGiven, const char *zFamily) {
  dom_rec r;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", zGiven);
  if (zFamily) dom_set_text(&r, "family_name", zFamily);
  return unit_create(f, &r);
}


/* A cohort of program idProg (30 places, spring 2026) with the trainer
 * *pidTrainer (NULL: none); returns its id. */
static inline int64_t unit_cohort_trained(unit_fx *f, int64_t idProg, const char *zName, int64_t *pidTrainer) {
  dom_rec r;
  dom_rec_init(&r, &dom_cohort);
  dom_set_int(&r, "program_id", idProg);
  dom_set_text(&r, "name", zName);
  dom_set_text(&r, "start_date", "2026-03-01");
  dom_set_text(&r, "end_date", "2026-07-15");
  dom_set_int(&r, "capacity", 30);
  if (pidTrainer) {
    dom_val *v = dom_vm(&r, "trainers");
    v->bSet = 1;
    v->n = 1;
    v->ai = pidTrainer;
  }
  return unit_create(f, &r);
}

/* Enrolls person idPerson in cohort idCohort (status enrolled, with
 * consent); returns the enrollment's id. */
static inline int64_t unit_enroll(unit_fx *f, int64_t idPerson, int64_t idCohort) {
  dom_rec r;
  dom_rec_init(&r, &dom_enrollment);
  dom_set_int(&r, "person_id", idPerson);
  dom_set_int(&r, "cohort_id", idCohort);
  dom_set_text(&r, "status", "enrolled");
  dom_set_int(&r, "consent", 1);
  return unit_create(f, &r);
}

/* A region > prefecture > county, an institution in the county, a program
 * (ISCO 7512) and one cohort of nCapacity places. Returns the cohort id and
 * writes the program id to *pidProgram when non-NULL. */
static inline int64_t unit_world(unit_fx *f, int64_t nCapacity, int64_t *pidProgram) {
  int64_t idRegion = unit_area(f, "650000", "region", 0);
  int64_t idPref = unit_area(f, "650100", "prefecture", idRegion);
  int64_t idCounty = unit_area(f, "650102", "county", idPref);
  int64_t idInst = unit_institution(f, "County Vocational College", idCounty);
  int64_t idProg = unit_program(f, idInst, "Modern pastry-making", "7512");
  if (pidProgram) *pidProgram = idProg;
  return unit_cohort(f, idProg, "2026 spring", "2026-03-01", "2026-07-15", nCapacity);
}

/* Group fixtures shared by the domain tests: dom_init/dom_shutdown around a
 * group, a fresh fixture (migrated database, arena, dom_ctx) around a test. */
static inline int setup(void **state) {
  (void)state;
  dom_init();
  return 0;
}

static inline int teardown(void **state) {
  (void)state;
  dom_shutdown();
  return 0;
}

static inline int fx_setup(void **state) {
  *state = unit_fx_new();
  return 0;
}

static inline int fx_teardown(void **state) {
  unit_fx_free(*state);
  return 0;
}

/* Asserts that rc is a failure with the given code and field. */
#define assert_err(rc, e, wantCode, wantField)                                           \
  do {                                                                                   \
    assert_int_equal((rc), -1);                                                          \
    if ((e).code != (wantCode))                                                          \
      fail_msg("want %s, got %s: %s", gerr_name(wantCode), gerr_name((e).code), (e).msg); \
    assert_string_equal((e).field, (wantField));                                         \
  } while (0)

#endif
