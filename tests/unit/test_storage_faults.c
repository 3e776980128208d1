/* test_storage_faults.c: every write path of an import, an enrollment and
 * a mark, run with SQLite's storage failing at each of its steps in turn
 * (src/store/db_fault.h: the Nth write, sync or lock fails, once or from
 * then on). After each run the database is opened afresh and must be
 * either as it was before (and the call said it failed: "nothing was
 * saved", 503) or as a run without faults leaves it: never half-written.
 * N goes up until a run passes without reaching the fault, so every step
 * of the path was failed once. */
#include "unit.h"
#include "store/db_fault.h"
#include "domain/imports/import.h"
#include "domain/competition/comp.h"

extern dom_entity dom_enrollment, dom_edition, dom_category, dom_criterion, dom_aspect, dom_judge, dom_competitor,
    dom_mark;

/* 1 for a column of the audit log that differs between two runs of the
 * same writes: the batch of rows an entry vouches for is numbered at random
 * (audit_rows.c), and the digest and hashes chain that number. */
static int drawn_at_random(const char *zTable, const char *zCol) {
  static const char *const az[] = {"batch", "batch_digest", "prev_hash", "hash", "last_hash", NULL};
  if (strncmp(zTable, "audit_", 6) != 0) return 0;
  for (int i = 0; az[i]; i++)
    if (strcmp(az[i], zCol) == 0) return 1;
  return 0;
}

/* A digest of every row of every table of the database at zPath, opened
 * afresh (SQLite's integrity check must pass first), but the audit log's
 * random batch numbers and what hashes them. A test may name the engine's
 * catalogue: it reads what the engine holds. */
static uint64_t digest(const char *zPath) {
  db *p = NULL;
  gerr e;
  if (db_open(zPath, 0, &p, &e)) fail_msg("reopen: %s", e.msg);
  db_stmt *s = db_prepare(p, "PRAGMA integrity_check", &e);
  assert_non_null(s);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_string_equal(db_col_text(s, 0), "ok");
  db_done(s);
  uint64_t h = 1469598103934665603ull;
  char azTable[64][64];
  int nTable = 0;
  /* every table but the migrations' record (when each was applied: made before the run) */
  s = db_prepare(p, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version' ORDER BY name", &e);
  assert_non_null(s);
  while (db_step(s, &e) == DB_ROW && nTable < 64) snprintf(azTable[nTable++], 64, "%s", db_col_text(s, 0));
  db_done(s);
  for (int t = 0; t < nTable; t++) {
    char zSql[128];
    /* audit_runs has no rowid: its runs in the order of their rows, not of their random batches */
    snprintf(zSql, sizeof zSql, "SELECT * FROM \"%s\" ORDER BY %s", azTable[t],
             strcmp(azTable[t], "audit_runs") ? "rowid" : "entity, first_id, pos, n, digests");
    db_stmt *q = db_prepare(p, zSql, &e);
    if (!q) fail_msg("%s: %s", zSql, e.msg);
    while (db_step(q, &e) == DB_ROW)
      for (int i = 0; i < db_ncol(q); i++) {
        const char *zVal = drawn_at_random(azTable[t], db_col_name(q, i)) ? "" : db_col_text(q, i);
        for (const unsigned char *z = (const unsigned char *)zVal;; z++) {
          h = (h ^ *z) * 1099511628211ull;
          if (!*z) break;
        }
      }
    db_done(q);
  }
  db_close(p);
  return h;
}

/* A write path: fixtures (made before faults are armed), then the step
 * under test (0, or -1 with e). */
typedef struct path {
  const char *zName;
  void (*xSetup)(unit_fx *f, int64_t *aId);
  int (*xRun)(unit_fx *f, const int64_t *aId, gerr *e);
} path;

static int64_t mk(unit_fx *f, dom_rec *r) { return unit_create(f, r); }

/* ---- an import of persons ---- */

static char zCsv[300];

static void import_setup(unit_fx *f, int64_t *aId) {
  (void)f;
  (void)aId;
  /* one name for every run of this process: the audit entry names the file */
  snprintf(zCsv, sizeof zCsv, "/tmp/guild-faults-%d.csv", (int)getpid());
  FILE *fp = fopen(zCsv, "w");
  assert_non_null(fp);
  fputs("sourced_id,given_name,family_name,sex,birth_date\n", fp);
  for (int i = 0; i < 60; i++) fprintf(fp, "F%04d,Given%d,Family%d,female,2001-02-%02d\n", i, i, i, 1 + i % 28);
  fclose(fp);
}

static int import_run(unit_fx *f, const int64_t *aId, gerr *e) {
  (void)aId;
  imp_opts o;
  memset(&o, 0, sizeof o);
  imp_result res;
  memset(&res, 0, sizeof res);
  return import_persons(&f->c, zCsv, &o, &res, e);
}

/* ---- an enrollment ---- */

static void enroll_setup(unit_fx *f, int64_t *aId) {
  aId[0] = unit_world(f, 30, NULL);
  aId[1] = unit_person(f, "Ayla", "Enroll");
}

static int enroll_run(unit_fx *f, const int64_t *aId, gerr *e) {
  dom_rec r, out;
  dom_rec_init(&r, &dom_enrollment);
  dom_set_int(&r, "person_id", aId[1]);
  dom_set_int(&r, "cohort_id", aId[0]);
  dom_set_text(&r, "status", "enrolled");
  dom_set_int(&r, "consent", 1);
  return dom_create(&f->c, &dom_enrollment, &r, &out, e);
}

/* ---- a mark ---- */

static void mark_setup(unit_fx *f, int64_t *aId) {
  int64_t idRegion = unit_area(f, "650000", "region", 0);
  int64_t idCounty = unit_area(f, "650102", "county", unit_area(f, "650100", "prefecture", idRegion));
  int64_t idA = unit_institution(f, "A College", idCounty), idC = unit_institution(f, "C College", idCounty);
  dom_rec r;
  dom_rec_init(&r, &dom_edition);
  dom_set_int(&r, "year", 2026);
  dom_set_text(&r, "name", "Skills 2026");
  dom_set_int(&r, "area_id", idRegion);
  dom_set_text(&r, "start_date", "2026-10-01");
  dom_set_text(&r, "end_date", "2026-10-03");
  int64_t idEd = mk(f, &r);
  dom_rec_init(&r, &dom_category);
  dom_set_int(&r, "edition_id", idEd);
  dom_set_text(&r, "name", "Pastry");
  dom_set_text(&r, "isco_code", "7512");
  int64_t idCat = mk(f, &r);
  dom_rec_init(&r, &dom_criterion);
  dom_set_int(&r, "category_id", idCat);
  dom_set_text(&r, "code", "A");
  dom_set_text(&r, "name", "Product");
  dom_set_int(&r, "weight", 100);
  int64_t idCrit = mk(f, &r);
  dom_rec_init(&r, &dom_aspect);
  dom_set_int(&r, "criterion_id", idCrit);
  dom_set_text(&r, "code", "A1");
  dom_set_text(&r, "description", "weight");
  dom_set_text(&r, "kind", "measurement");
  dom_set_int(&r, "max_mark", 10000);   /* 100.00: the criterion's weight */
  aId[0] = mk(f, &r);
  int64_t idJudge = 0;
  for (int i = 0; i < 3; i++) {   /* three judges, the first the chief; the first enters the mark */
    int64_t idPerson = unit_person(f, "Judge", i == 0 ? "One" : i == 1 ? "Two" : "Three");
    dom_rec_init(&r, &dom_judge);
    dom_set_int(&r, "category_id", idCat);
    dom_set_int(&r, "person_id", idPerson);
    dom_set_int(&r, "institution_id", idC);
    dom_set_int(&r, "chief", i == 0);
    mk(f, &r);
    if (i == 0) idJudge = idPerson;
  }
  aId[1] = idJudge;
  gerr e;
  dom_rec out;
  if (comp_transition(&f->c, idEd, "registration", &out, &e)) fail_msg("registration: %s", e.msg);
  dom_rec_init(&r, &dom_competitor);
  dom_set_int(&r, "category_id", idCat);
  dom_set_int(&r, "person_id", unit_person(f, "Bilal", "Competitor"));
  dom_set_int(&r, "institution_id", idA);
  dom_set_int(&r, "consent", 1);
  aId[2] = mk(f, &r);
  if (comp_transition(&f->c, idEd, "marking", &out, &e)) fail_msg("marking: %s", e.msg);
}

static int mark_run(unit_fx *f, const int64_t *aId, gerr *e) {
  dom_rec r, out;
  dom_rec_init(&r, &dom_mark);
  dom_set_int(&r, "competitor_id", aId[2]);
  dom_set_int(&r, "aspect_id", aId[0]);
  dom_set_int(&r, "value", 10000);
  dom_ctx c = f->c;
  c.idPerson = aId[1];   /* the judge enters it */
  return dom_create(&c, &dom_mark, &r, &out, e);
}

static const path aPath[] = {
    {"import of 60 persons", import_setup, import_run},
    {"enrollment", enroll_setup, enroll_run},
    {"mark", mark_setup, mark_run},
};

/* A fresh database for a run: a copy of one migrated database (made once),
 * opened as unit_fx_new opens its own. */
static char zTemplate[256];

static unit_fx *fx_fresh(void) {
  if (!zTemplate[0]) {
    db *p = unit_db(zTemplate);
    db_close(p);   /* checkpoints: the file alone is the database */
  }
  unit_fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  char zDir[] = "/tmp/guild-unit-XXXXXX";
  assert_non_null(mkdtemp(zDir));
  snprintf(f->zPath, sizeof f->zPath, "%s/t.db", zDir);
  FILE *pIn = fopen(zTemplate, "rb"), *pOut = fopen(f->zPath, "wb");
  assert_non_null(pIn);
  assert_non_null(pOut);
  char a[65536];
  for (size_t n; (n = fread(a, 1, sizeof a, pIn)) > 0;) assert_int_equal(fwrite(a, 1, n, pOut), n);
  fclose(pIn);
  fclose(pOut);
  gerr e;
  if (db_open(f->zPath, 0, &f->pDb, &e)) fail_msg("open: %s", e.msg);
  arena_init(&f->ar);
  f->c.pDb = f->pDb;
  f->c.pAr = &f->ar;
  f->c.zActor = "test";
  f->c.pActor = &dom_actor_system;
  f->c.now = 1750000000;
  return f;
}

/* Runs path p on a fresh database, with the fault armed (nth > 0) or not;
 * returns the call's result, the digests before and after, and whether
 * the fault fired. */
static int run_once(const path *p, unsigned kinds, int nth, int bSticky, uint64_t *pBefore, uint64_t *pAfter,
                    int *pbFired, gerr *e) {
  unit_fx *f = fx_fresh();
  int64_t aId[4] = {0};
  gerr eSql;
  if (db_exec(f->pDb, "PRAGMA synchronous=OFF", &eSql)) fail_msg("%s", eSql.msg);   /* the fixtures: quickly */
  p->xSetup(f, aId);
  if (db_exec(f->pDb, "PRAGMA synchronous=FULL", &eSql)) fail_msg("%s", eSql.msg);   /* the run: as served */
  *pBefore = digest(f->zPath);
  if (nth > 0) db_fault_arm(kinds, nth, bSticky);
  int rc = p->xRun(f, aId, e);
  *pbFired = db_fault_fired();
  db_fault_disarm();
  if (db_depth(f->pDb) != 0) fail_msg("%s: a transaction was left open", p->zName);
  *pAfter = digest(f->zPath);
  if (zCsv[0]) unlink(zCsv);
  zCsv[0] = 0;
  unit_fx_free(f);
  return rc;
}

static void every_step_fails_cleanly(void **state) {
  (void)state;
  static const struct {
    unsigned kinds;
    int bSticky;
    const char *zWhat;
  } aMode[] = {
      {DBF_WRITE, 1, "the disk fills at write N and stays full"},
      {DBF_WRITE, 0, "write N fails once"},
      {DBF_SYNC, 0, "sync N fails"},
      {DBF_LOCK, 0, "lock N fails"},
  };
  for (size_t i = 0; i < sizeof aPath / sizeof aPath[0]; i++) {
    const path *p = &aPath[i];
    uint64_t before, after, complete;
    int bFired;
    gerr e;
    gerr_clear(&e);
    if (run_once(p, 0, 0, 0, &before, &complete, &bFired, &e)) fail_msg("%s without faults: %s", p->zName, e.msg);
    assert_true(before != complete);
    for (size_t m = 0; m < sizeof aMode / sizeof aMode[0]; m++) {
      int nth, nFailed = 0;
      for (nth = 1; nth < 500; nth++) {
        gerr_clear(&e);
        int rc = run_once(p, aMode[m].kinds, nth, aMode[m].bSticky, &before, &after, &bFired, &e);
        if (!bFired) {
          if (rc) fail_msg("%s, %s (%d): failed without a fault: %s", p->zName, aMode[m].zWhat, nth, e.msg);
          if (after != complete) fail_msg("%s, %s (%d): no fault, yet not as complete", p->zName, aMode[m].zWhat, nth);
          break;
        }
        if (rc == 0) {
          /* SQLite got over it (a retried lock, a write it did not need): the write is whole */
          if (after != complete) fail_msg("%s, %s (%d): succeeded but is not complete", p->zName, aMode[m].zWhat, nth);
          continue;
        }
        nFailed++;
        if (after != before)
          fail_msg("%s, %s (%d): failed (%s) but the database changed%s", p->zName, aMode[m].zWhat, nth, e.msg,
                   after == complete ? " (it is complete: the answer said nothing was saved)" : ": half-written");
        if (e.code != GERR_UNAVAILABLE)
          fail_msg("%s, %s (%d): %s is not 503 (%s)", p->zName, aMode[m].zWhat, nth, gerr_name(e.code), e.msg);
      }
      assert_true(nth < 500);
      print_message("%s, %s: %d steps, %d failed cleanly\n", p->zName, aMode[m].zWhat, nth - 1, nFailed);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(every_step_fails_cleanly)};
  int rc = cmocka_run_group_tests(tests, setup, teardown);
  if (zTemplate[0]) {   /* the template's file and directory */
    unlink(zTemplate);
    *strrchr(zTemplate, '/') = 0;
    rmdir(zTemplate);
  }
  return rc;
}
