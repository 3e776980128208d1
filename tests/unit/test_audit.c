/* test_audit.c: the hash-chained audit log: one entry per write in the same
 * transaction (none for a refused or rolled-back write), verification of an
 * intact chain and detection of an edited, removed or truncated entry, the
 * append-only triggers, reading with filters, and erasure of a person; and
 * what proves the data: every row checked against its latest entry (rows
 * changed, written or deleted behind guild's back found, with table and
 * id), rows of bulk writers noted in batches their entry vouches for, the
 * digests of entries written before version 11, and signed checkpoints. */
#include "unit.h"
#include "domain/engine/audit.h"
#include "domain/accounts/auth.h"
#include "domain/registry/person.h"
#include <sys/stat.h>

extern dom_entity dom_user, dom_grant;

static int64_t count_rows(unit_fx *f, const char *zSql, int64_t param) {
  int64_t n = -1;
  gerr e;
  if (db_query_int(f->pDb, zSql, 1, param, &n, &e) != DB_ROW) fail_msg("%s: %s", zSql, e.msg);
  return n;
}

static int64_t n_audit(unit_fx *f) { return count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0); }
static int64_t head_seq(unit_fx *f) { return count_rows(f, "SELECT seq + $1 FROM audit_head WHERE id = 1", 0); }

static void exec_sql(unit_fx *f, const char *zSql) {
  gerr e;
  if (db_exec(f->pDb, zSql, &e)) fail_msg("%s: %s", zSql, e.msg);
}

/* The last entry, read with audit_list. */
static audit_entry last_entry(unit_fx *f) {
  audit_filter flt = {NULL, NULL, 0, 0, 100000};
  audit_entry *a;
  int n;
  gerr e;
  if (audit_list(&f->c, &flt, &a, &n, &e)) fail_msg("audit_list: %s", e.msg);
  if (n == 0) fail_msg("the audit log is empty");
  return a[n - 1];
}

static void verify(unit_fx *f, audit_report *r) {
  gerr e;
  if (audit_verify(&f->c, r, &e)) fail_msg("audit_verify: %s", e.msg);
}

static void assert_intact(unit_fx *f) {
  audit_report r;
  verify(f, &r);
  if (r.idFirstBad) fail_msg("chain broken at %lld: %s", (long long)r.idFirstBad, r.zWhy);
  assert_int_equal(r.nEntries, n_audit(f));
}

static void rec_area(dom_rec *r, const char *zCode, const char *zLevel) {
  dom_rec_init(r, &dom_area);
  dom_set_text(r, "code", zCode);
  dom_set_text(r, "name", zCode);
  dom_set_text(r, "level", zLevel);
}

/* The tests of the log itself start from no row and no entry (unit_db_made). */
static int empty_setup(void **state) {
  *state = unit_fx_made(0);
  return 0;
}

/* ---- one entry per write ---------------------------------------------------- */

static void one_entry_per_write(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec in, out, patch, got;
  assert_int_equal(n_audit(f), 0);
  assert_int_equal(head_seq(f), 0);

  /* create */
  rec_area(&in, "650000", "region");
  f->c.zActor = "user:alice";
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), 0);
  assert_int_equal(n_audit(f), 1);
  audit_entry a = last_entry(f);
  assert_int_equal(a.id, 1);
  assert_int_equal(a.at, f->c.now);
  assert_string_equal(a.zActor, "user:alice");
  assert_string_equal(a.zAction, "create");
  assert_string_equal(a.zEntity, "area");
  assert_int_equal(a.entity_id, out.id);
  char zDigest[AUDIT_HEX];
  audit_digest_rec(&out, zDigest);
  assert_string_equal(a.zDigest, zDigest);
  assert_int_equal(strlen(a.zHash), 64);
  assert_int_equal(head_seq(f), 1);

  /* update: a new digest */
  f->c.now += 10;
  dom_rec_init(&patch, &dom_area);
  dom_set_text(&patch, "name", "Xinjiang");
  assert_int_equal(dom_update(&f->c, &dom_area, out.id, 1, &patch, &got, &e), 0);
  assert_int_equal(n_audit(f), 2);
  a = last_entry(f);
  assert_string_equal(a.zAction, "update");
  assert_int_equal(a.entity_id, out.id);
  assert_int_equal(a.at, f->c.now);
  audit_digest_rec(&got, zDigest);
  assert_string_equal(a.zDigest, zDigest);
  char zOld[AUDIT_HEX];
  audit_digest_rec(&out, zOld);
  assert_string_not_equal(zOld, zDigest);

  /* delete: no state left */
  f->c.zActor = "cli:root";
  assert_int_equal(dom_delete(&f->c, &dom_area, out.id, 2, &e), 0);
  assert_int_equal(n_audit(f), 3);
  a = last_entry(f);
  assert_string_equal(a.zAction, "delete");
  assert_string_equal(a.zActor, "cli:root");
  assert_string_equal(a.zEntity, "area");
  assert_int_equal(a.entity_id, out.id);
  assert_string_equal(a.zDigest, "");

  /* each entry links to the one before */
  assert_int_equal(count_rows(f,
                              "SELECT count(*) + $1 FROM audit_log a JOIN audit_log b ON b.id = a.id - 1 "
                              "WHERE a.prev_hash = b.hash",
                              0),
                   2);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM audit_log WHERE id = $1 AND prev_hash = printf('%064d', 0)", 1),
                   1);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM audit_head h JOIN audit_log l ON l.id = h.seq "
                                 "WHERE h.last_hash = l.hash AND h.seq = $1", 3), 1);
  assert_intact(f);

  /* every entity: the world helper writes 6 records, one entry each */
  int64_t n0 = n_audit(f);
  unit_world(f, 10, NULL);
  assert_int_equal(n_audit(f), n0 + 6);
  assert_int_equal(count_rows(f, "SELECT count(DISTINCT entity) + $1 FROM audit_log WHERE id > 3", 0), 4);
  /* users and grants too; the password hash is not part of the digest input shown */
  int64_t idUser;
  n0 = n_audit(f);
  assert_int_equal(auth_user_create(&f->c, "alice", NULL, "Violet-Harbour-Lantern-42", 0, &idUser, &e), 0);
  assert_int_equal(n_audit(f), n0 + 1);
  a = last_entry(f);
  assert_string_equal(a.zEntity, "user");
  assert_int_equal(a.entity_id, idUser);
  assert_int_equal(auth_grant_role(&f->c, idUser, "region_admin", 0, &e), 0);
  assert_int_equal(n_audit(f), n0 + 2);
  a = last_entry(f);
  assert_string_equal(a.zEntity, "grant");
  assert_intact(f);
}

static void no_entry_for_failed_writes(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec in, out, patch, got;
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idArea = count_rows(f, "SELECT min(id) + $1 FROM areas", 0);
  int64_t n0 = n_audit(f), seq0 = head_seq(f);
  assert_int_equal(seq0, n0);

  /* refused before the transaction: invalid field */
  rec_area(&in, "650000", "galaxy");
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), -1);
  /* refused inside the transaction: a duplicate code */
  rec_area(&in, "650000", "region");
  gerr_clear(&e);
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  /* stale update, update of a missing record */
  dom_rec_init(&patch, &dom_area);
  dom_set_text(&patch, "name", "stale");
  gerr_clear(&e);
  assert_int_equal(dom_update(&f->c, &dom_area, idArea, 7, &patch, &got, &e), -1);
  assert_int_equal(e.code, GERR_STALE);
  gerr_clear(&e);
  assert_int_equal(dom_update(&f->c, &dom_area, 9999, 1, &patch, &got, &e), -1);
  /* delete refused: still referred to */
  gerr_clear(&e);
  assert_int_equal(dom_delete(&f->c, &dom_area, idArea, -1, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  /* a cohort whose dates are the wrong way round (xCheck, inside the transaction) */
  dom_rec_init(&patch, &dom_cohort);
  dom_set_text(&patch, "end_date", "2020-01-01");
  gerr_clear(&e);
  assert_int_equal(dom_update(&f->c, &dom_cohort, idCohort, 1, &patch, &got, &e), -1);
  /* a weak password */
  int64_t idUser;
  gerr_clear(&e);
  assert_int_equal(auth_user_create(&f->c, "alice", NULL, "password", 0, &idUser, &e), -1);
  assert_int_equal(n_audit(f), n0);
  assert_int_equal(head_seq(f), seq0);
  assert_int_equal(db_depth(f->pDb), 0);

  /* a write that succeeded inside an outer transaction that is rolled back
   * leaves neither the record nor its entry, and the head goes back too */
  assert_int_equal(db_begin(f->pDb, &e), 0);
  rec_area(&in, "650200", "prefecture");
  dom_set_int(&in, "parent_id", idArea);
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), 0);
  assert_int_equal(n_audit(f), n0 + 1);   /* visible inside the transaction */
  db_rollback(f->pDb);
  assert_int_equal(n_audit(f), n0);
  assert_int_equal(head_seq(f), seq0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM areas WHERE id = $1", out.id), 0);
  assert_intact(f);
  /* the chain continues from where it was */
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), 0);
  assert_int_equal(n_audit(f), n0 + 1);
  assert_int_equal(last_entry(f).id, seq0 + 1);
  assert_intact(f);

  /* committed with the outer transaction: there */
  assert_int_equal(db_begin(f->pDb, &e), 0);
  rec_area(&in, "650300", "prefecture");
  dom_set_int(&in, "parent_id", idArea);
  assert_int_equal(dom_create(&f->c, &dom_area, &in, &out, &e), 0);
  assert_int_equal(db_commit(f->pDb, &e), 0);
  assert_int_equal(n_audit(f), n0 + 2);
  assert_intact(f);
}

/* ---- verification and tampering ---------------------------------------------- */

/* Ten entries from ten areas. */
static void ten_entries(unit_fx *f) {
  char zCode[16];
  int64_t idRegion = unit_area(f, "650000", "region", 0);
  for (int i = 1; i < 10; i++) {
    snprintf(zCode, sizeof zCode, "65%02d00", i);
    f->c.now += 1;
    unit_area(f, zCode, "prefecture", idRegion);
  }
  assert_int_equal(n_audit(f), 10);
}

static void verify_intact_and_empty(void **state) {
  unit_fx *f = *state;
  audit_report r;
  verify(f, &r);   /* an empty log is intact */
  assert_int_equal(r.nEntries, 0);
  assert_int_equal(r.idFirstBad, 0);
  ten_entries(f);
  verify(f, &r);
  assert_int_equal(r.nEntries, 10);
  assert_int_equal(r.idFirstBad, 0);
  assert_string_equal(r.zWhy, "");
}

static void triggers_refuse_changes(void **state) {
  unit_fx *f = *state;
  gerr e;
  ten_entries(f);
  gerr_clear(&e);
  assert_int_equal(db_exec(f->pDb, "UPDATE audit_log SET actor = 'mallory' WHERE id = 3", &e), -1);
  assert_non_null(strstr(e.msg, "append-only"));
  gerr_clear(&e);
  assert_int_equal(db_exec(f->pDb, "DELETE FROM audit_log WHERE id = 10", &e), -1);
  assert_non_null(strstr(e.msg, "append-only"));
  gerr_clear(&e);
  assert_int_equal(db_exec(f->pDb, "DELETE FROM audit_log", &e), -1);
  assert_int_equal(n_audit(f), 10);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM audit_log WHERE actor = 'test' AND $1", 1), 10);
  assert_intact(f);
}

static void tampered_actor_found(void **state) {
  unit_fx *f = *state;
  audit_report r;
  ten_entries(f);
  exec_sql(f, "DROP TRIGGER audit_log_no_update");
  exec_sql(f, "UPDATE audit_log SET actor = 'mallory' WHERE id = 4");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 4);
  assert_non_null(strstr(r.zWhy, "match"));
  assert_int_equal(r.nEntries, 4);   /* stopped at the first bad entry */
  /* restoring the value restores the chain */
  exec_sql(f, "UPDATE audit_log SET actor = 'test' WHERE id = 4");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 0);
}

static void tampered_fields_found(void **state) {
  unit_fx *f = *state;
  audit_report r;
  ten_entries(f);
  exec_sql(f, "DROP TRIGGER audit_log_no_update");
  static const struct {
    const char *zSet, *zUndo;
    int64_t id;
  } aCase[] = {
      {"UPDATE audit_log SET at = at + 1 WHERE id = 1", "UPDATE audit_log SET at = at - 1 WHERE id = 1", 1},
      {"UPDATE audit_log SET action = 'update' WHERE id = 2", "UPDATE audit_log SET action = 'create' WHERE id = 2", 2},
      {"UPDATE audit_log SET entity = 'person' WHERE id = 5", "UPDATE audit_log SET entity = 'area' WHERE id = 5", 5},
      {"UPDATE audit_log SET entity_id = entity_id + 1 WHERE id = 7",
       "UPDATE audit_log SET entity_id = entity_id - 1 WHERE id = 7", 7},
      {"UPDATE audit_log SET digest = upper(digest) WHERE id = 9", "UPDATE audit_log SET digest = lower(digest) WHERE id = 9",
       9},
      {"UPDATE audit_log SET hash = upper(hash) WHERE id = 10", "UPDATE audit_log SET hash = lower(hash) WHERE id = 10",
       10},
      {"UPDATE audit_log SET prev_hash = upper(prev_hash) WHERE id = 6",
       "UPDATE audit_log SET prev_hash = lower(prev_hash) WHERE id = 6", 6},
  };
  for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
    exec_sql(f, aCase[i].zSet);
    verify(f, &r);
    if (r.idFirstBad != aCase[i].id)
      fail_msg("%s: reported %lld (%s)", aCase[i].zSet, (long long)r.idFirstBad, r.zWhy);
    exec_sql(f, aCase[i].zUndo);
    verify(f, &r);
    assert_int_equal(r.idFirstBad, 0);
  }
  /* rewriting an entry with a self-consistent hash still breaks the next link */
  exec_sql(f, "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE id = 2) WHERE id = 3");
  verify(f, &r);
  assert_true(r.idFirstBad == 3 || r.idFirstBad == 4);
}

static void removed_entries_found(void **state) {
  unit_fx *f = *state;
  audit_report r;
  ten_entries(f);
  exec_sql(f, "DROP TRIGGER audit_log_no_delete");
  /* the last entry: the head still counts it */
  exec_sql(f, "DELETE FROM audit_log WHERE id = 10");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 10);
  assert_non_null(strstr(r.zWhy, "missing"));
  /* the last three */
  exec_sql(f, "DELETE FROM audit_log WHERE id >= 8");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 8);
  /* one in the middle: the entry after the gap is named */
  exec_sql(f, "DELETE FROM audit_log WHERE id = 4");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 5);
  assert_non_null(strstr(r.zWhy, "missing"));
}

static void removed_first_entry_found(void **state) {
  unit_fx *f = *state;
  audit_report r;
  ten_entries(f);
  exec_sql(f, "DROP TRIGGER audit_log_no_delete");
  exec_sql(f, "DELETE FROM audit_log WHERE id = 1");
  verify(f, &r);
  assert_true(r.idFirstBad == 1 || r.idFirstBad == 2);
  /* everything removed: the head still says 10 */
  exec_sql(f, "DELETE FROM audit_log");
  verify(f, &r);
  assert_int_equal(r.nEntries, 0);
  assert_int_equal(r.idFirstBad, 1);
}

static void inserted_entry_found(void **state) {
  unit_fx *f = *state;
  audit_report r;
  ten_entries(f);
  /* an entry appended behind guild's back (the head is not moved) */
  exec_sql(f, "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, digest, prev_hash, hash) "
              "SELECT 11, at, actor, action, entity, entity_id, digest, hash, hash FROM audit_log WHERE id = 10");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 11);
}

/* ---- reading ------------------------------------------------------------------ */

static void list_filters(void **state) {
  unit_fx *f = *state;
  gerr e;
  audit_entry *a;
  int n;
  int64_t t0 = f->c.now;
  ten_entries(f);   /* at t0 .. t0+9, actor test */
  f->c.zActor = "user:alice";
  unit_person(f, "Aygul", NULL);
  unit_person(f, "Dilnur", NULL);

  audit_filter flt = {NULL, NULL, 0, 0, 100};
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 12);
  for (int i = 0; i < n; i++) assert_int_equal(a[i].id, i + 1);
  flt.zEntity = "area";
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 10);
  flt.limit = 3;
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 3);
  assert_int_equal(a[2].id, 3);
  flt.after = a[2].id;   /* the next page */
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 3);
  assert_int_equal(a[0].id, 4);
  flt = (audit_filter){NULL, "user:alice", 0, 0, 100};
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 2);
  assert_string_equal(a[0].zEntity, "person");
  flt = (audit_filter){"person", "test", 0, 0, 100};
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 0);
  flt = (audit_filter){NULL, NULL, t0 + 5, 0, 100};
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 7);   /* areas at t0+5..t0+9 and both persons */
  assert_true(a[0].at >= t0 + 5);
  flt = (audit_filter){"nonsense", NULL, 0, 0, 100};
  assert_int_equal(audit_list(&f->c, &flt, &a, &n, &e), 0);
  assert_int_equal(n, 0);
}

/* ---- erasure ------------------------------------------------------------------- */

static void person_erasure(void **state) {
  extern dom_entity dom_enrollment;
  unit_fx *f = *state;
  gerr e;
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idArea = count_rows(f, "SELECT max(id) + $1 FROM areas", 0);
  int64_t idInst = count_rows(f, "SELECT max(id) + $1 FROM institutions", 0);
  dom_rec r, out;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "sourced_id", "L0000042");
  dom_set_text(&r, "given_name", "Aygul");
  dom_set_text(&r, "family_name", "Tursun");
  dom_set_text(&r, "sex", "female");
  dom_set_text(&r, "birth_date", "2001-05-04");
  dom_set_int(&r, "home_area_id", idArea);
  dom_set_text(&r, "phone", "+86 991 555 0101");
  dom_set_text(&r, "email", "aygul@example.org");
  dom_set_int(&r, "institution_id", idInst);
  int64_t idPerson = unit_create(f, &r);
  int64_t idOther = unit_person(f, "Dilnur", "Ablimit");
  dom_rec_init(&r, &dom_enrollment);
  dom_set_int(&r, "person_id", idPerson);
  dom_set_int(&r, "cohort_id", idCohort);
  dom_set_text(&r, "status", "enrolled");
  dom_set_int(&r, "consent", 1);
  int64_t idEnr = unit_create(f, &r);
  int64_t idUser, idOtherUser;
  assert_int_equal(auth_user_create(&f->c, "aygul", NULL, "Violet-Harbour-Lantern-42", idPerson, &idUser, &e), 0);
  assert_int_equal(auth_grant_role(&f->c, idUser, "learner", 0, &e), 0);
  assert_int_equal(auth_user_create(&f->c, "dilnur", NULL, "Violet-Harbour-Lantern-42", idOther, &idOtherUser, &e), 0);
  auth_login l;
  assert_int_equal(auth_login_password(&f->c, "aygul", "Violet-Harbour-Lantern-42", NULL, &l, &e), 0);
  int64_t n0 = n_audit(f);

  f->c.now += 100;
  assert_int_equal(person_erase(&f->c, idPerson, &out, &e), 0);
  assert_int_equal(db_depth(f->pDb), 0);
  /* personal fields removed */
  dom_rec got;
  assert_int_equal(dom_get(&f->c, &dom_person, idPerson, &got, &e), 0);
  assert_int_equal(out.id, idPerson);
  assert_string_not_equal(dom_v(&got, "given_name")->z, "Aygul");
  static const char *const azGone[] = {"sourced_id", "family_name", "birth_date", "phone", "email"};
  for (size_t i = 0; i < sizeof azGone / sizeof azGone[0]; i++) {
    const dom_val *v = dom_v(&got, azGone[i]);
    if (!(v->bNull || !v->z || !v->z[0])) fail_msg("%s still holds '%s'", azGone[i], v->z);
  }
  assert_int_equal(dom_v(&got, "erased_at")->i, f->c.now);
  assert_false(dom_v(&got, "erased_at")->bNull);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM persons WHERE id = $1 AND (given_name LIKE '%Aygul%' "
                                 "OR name_key LIKE '%aygul%' OR given_key LIKE '%aygul%' OR family_name IS NOT NULL "
                                 "OR sourced_id IS NOT NULL)", idPerson), 0);
  /* what aggregates need stays */
  assert_string_equal(dom_v(&got, "sex")->z, "female");
  assert_int_equal(dom_v(&got, "home_area_id")->i, idArea);
  assert_int_equal(dom_v(&got, "institution_id")->i, idInst);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM enrollments WHERE person_id = $1", idPerson), 1);
  assert_int_equal(dom_get(&f->c, &dom_enrollment, idEnr, &r, &e), 0);
  /* the linked account, its grants and sessions are gone; others stay */
  assert_int_equal(count_rows(f, "SELECT count(*) FROM users WHERE id = $1", idUser), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM grants WHERE user_id = $1", idUser), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM sessions WHERE user_id = $1", idUser), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM users WHERE id = $1", idOtherUser), 1);
  auth_user u;
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_false(u.bSignedIn);
  /* exactly one entry, an erasure of the person */
  assert_int_equal(n_audit(f), n0 + 1);
  audit_entry a = last_entry(f);
  assert_string_equal(a.zAction, "erase");
  assert_string_equal(a.zEntity, "person");
  assert_int_equal(a.entity_id, idPerson);
  char zDigest[AUDIT_HEX];
  audit_digest_rec(&got, zDigest);
  assert_string_equal(a.zDigest, zDigest);
  assert_intact(f);
  /* the other person is untouched */
  assert_int_equal(dom_get(&f->c, &dom_person, idOther, &got, &e), 0);
  assert_string_equal(dom_v(&got, "given_name")->z, "Dilnur");

  /* idempotent: again, nothing changes and nothing is logged */
  int64_t tErased = f->c.now;
  f->c.now += 100;
  assert_int_equal(person_erase(&f->c, idPerson, &out, &e), 0);
  assert_int_equal(db_depth(f->pDb), 0);
  assert_int_equal(dom_v(&out, "erased_at")->i, tErased);
  assert_int_equal(n_audit(f), n0 + 1);
  /* a missing person */
  gerr_clear(&e);
  assert_int_equal(person_erase(&f->c, 9999, &out, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_int_equal(db_depth(f->pDb), 0);
  assert_int_equal(n_audit(f), n0 + 1);
}

/* ---- every row against the log ------------------------------------------------ */

#define MAXFOUND 32
typedef struct found {
  int n;
  char azTable[MAXFOUND][32];
  int64_t aId[MAXFOUND], aSeq[MAXFOUND];
  char azWhat[MAXFOUND][160];
} found;

static void on_found(void *pArg, const audit_finding *x) {
  found *p = pArg;
  if (p->n == MAXFOUND) return;
  snprintf(p->azTable[p->n], sizeof p->azTable[0], "%s", x->zTable);
  p->aId[p->n] = x->id;
  p->aSeq[p->n] = x->seq;
  snprintf(p->azWhat[p->n], sizeof p->azWhat[0], "%s", x->zWhat);
  p->n++;
}

/* Checks every row; returns how many findings (each in *pOut). */
static int check_rows(unit_fx *f, found *pOut, audit_rows_report *pRep) {
  gerr e;
  audit_rows_report rep;
  memset(pOut, 0, sizeof *pOut);
  if (audit_verify_rows(&f->c, on_found, pOut, pRep ? pRep : &rep, &e)) fail_msg("audit_verify_rows: %s", e.msg);
  return pOut->n;
}

static void assert_rows_clean(unit_fx *f) {
  found x;
  if (check_rows(f, &x, NULL))
    fail_msg("%d findings, the first: %s %lld: %s (entry %lld)", x.n, x.azTable[0], (long long)x.aId[0], x.azWhat[0],
             (long long)x.aSeq[0]);
}

/* Exactly one finding, on table zTable row id, saying zWhat (a part). */
static void assert_one_finding(unit_fx *f, const char *zTable, int64_t id, const char *zWhat) {
  found x;
  int n = check_rows(f, &x, NULL);
  if (n != 1 || strcmp(x.azTable[0], zTable) != 0 || x.aId[0] != id || !strstr(x.azWhat[0], zWhat))
    fail_msg("want %s %lld (%s); got %d findings, the first: %s %lld: %s", zTable, (long long)id, zWhat, n,
             n ? x.azTable[0] : "-", n ? (long long)x.aId[0] : 0LL, n ? x.azWhat[0] : "-");
}

static int64_t count_all_rows(unit_fx *f) {
  int64_t n = 0;
  char z[160];
  for (int i = 0; i < dom_nentities; i++) {
    int64_t k = 0;
    gerr e;
    snprintf(z, sizeof z, "SELECT count(*) + $1 FROM %s", dom_entities[i]->zPlural);
    if (db_query_int(f->pDb, z, 1, 0, &k, &e) != DB_ROW) fail_msg("%s: %s", z, e.msg);
    n += k;
  }
  return n;
}

static void rows_match_their_entries(void **state) {
  unit_fx *f = *state;
  gerr e;
  found x;
  audit_rows_report rep;
  assert_int_equal(check_rows(f, &x, &rep), 0);   /* nothing yet */
  assert_int_equal(rep.nRows, 0);
  int64_t idCohort = unit_world(f, 10, NULL);
  int64_t idPerson = unit_person(f, "Aygul", "Tursun"), idOther = unit_person(f, "Dilnur", NULL);
  unit_enroll(f, idPerson, idCohort);
  unit_enroll(f, idOther, idCohort);
  int64_t idUser;
  assert_int_equal(auth_user_create(&f->c, "aygul", NULL, "Violet-Harbour-Lantern-42", idPerson, &idUser, &e), 0);
  assert_int_equal(auth_grant_role(&f->c, idUser, "learner", 0, &e), 0);
  dom_rec patch, got;
  dom_rec_init(&patch, &dom_person);
  dom_set_text(&patch, "phone", "13900000000");
  assert_int_equal(dom_update(&f->c, &dom_person, idOther, 1, &patch, &got, &e), 0);
  int64_t idArea = unit_area(f, "659000", "region", 0);
  assert_int_equal(dom_delete(&f->c, &dom_area, idArea, 1, &e), 0);
  assert_int_equal(check_rows(f, &x, &rep), 0);
  assert_int_equal(rep.nRows, count_all_rows(f));
  assert_int_equal(count_rows(f, "SELECT count(*) FROM audit_log WHERE batch <> 0 AND $1", 1), 0);   /* no bulk write */
  /* an erasure deletes the person's account and its grant: recorded, not reported */
  dom_rec out;
  assert_int_equal(person_erase(&f->c, idPerson, &out, &e), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) FROM users WHERE id = $1", idUser), 0);
  assert_rows_clean(f);
  assert_intact(f);
}

static void rows_changed_behind_back_found(void **state) {
  unit_fx *f = *state;
  unit_world(f, 10, NULL);
  int64_t idPerson = unit_person(f, "Aygul", "Tursun");
  int64_t seq = head_seq(f);
  int64_t idUser;
  gerr e;
  assert_int_equal(auth_user_create(&f->c, "aygul", NULL, "Violet-Harbour-Lantern-42", 0, &idUser, &e), 0);
  assert_rows_clean(f);
  static const struct {
    const char *zSet, *zUndo, *zTable;
  } aCase[] = {
      {"UPDATE persons SET family_name = 'Mallory' WHERE id = %lld", "UPDATE persons SET family_name = 'Tursun' WHERE id = %lld",
       "persons"},
      {"UPDATE persons SET updated_at = updated_at + 1 WHERE id = %lld",
       "UPDATE persons SET updated_at = updated_at - 1 WHERE id = %lld", "persons"},
      {"UPDATE persons SET version = version + 1 WHERE id = %lld", "UPDATE persons SET version = version - 1 WHERE id = %lld",
       "persons"},
      {"UPDATE persons SET name_key = 'x' || name_key WHERE id = %lld",   /* a hidden field */
       "UPDATE persons SET name_key = substr(name_key, 2) WHERE id = %lld", "persons"},
      {"UPDATE persons SET phone = '110' WHERE id = %lld", "UPDATE persons SET phone = NULL WHERE id = %lld", "persons"},
  };
  char z[200];
  for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
    snprintf(z, sizeof z, aCase[i].zSet, (long long)idPerson);
    exec_sql(f, z);
    found x;
    if (check_rows(f, &x, NULL) != 1 || strcmp(x.azTable[0], "persons") || x.aId[0] != idPerson || x.aSeq[0] != seq)
      fail_msg("%s: %d findings, %s %lld (entry %lld)", z, x.n, x.azTable[0], (long long)x.aId[0], (long long)x.aSeq[0]);
    assert_non_null(strstr(x.azWhat[0], "behind guild's back"));
    snprintf(z, sizeof z, aCase[i].zUndo, (long long)idPerson);
    exec_sql(f, z);
    assert_rows_clean(f);
  }
  /* a password hash set by hand (a way in): found on the user */
  exec_sql(f, "UPDATE users SET password_hash = 'mallory' WHERE username = 'aygul'");
  assert_one_finding(f, "users", idUser, "differs");
  /* the chain itself is intact all along: the rows are what changed */
  assert_intact(f);
}

static void rows_written_or_deleted_behind_back_found(void **state) {
  unit_fx *f = *state;
  unit_world(f, 10, NULL);
  int64_t idPerson = unit_person(f, "Aygul", NULL);
  assert_rows_clean(f);
  exec_sql(f, "INSERT INTO areas (version, created_at, updated_at, code, name, level) VALUES (1, 0, 0, '669', 'x', 'region')");
  int64_t idArea = count_rows(f, "SELECT max(id) + $1 FROM areas", 0);
  assert_one_finding(f, "areas", idArea, "no audit entry");
  exec_sql(f, "DELETE FROM areas WHERE code = '669'");
  assert_rows_clean(f);
  unit_person(f, "Dilnur", NULL);   /* (so that the deleted id is not the last, which SQLite gives again) */
  char z[120];
  snprintf(z, sizeof z, "DELETE FROM persons WHERE id = %lld", (long long)idPerson);
  exec_sql(f, z);
  assert_one_finding(f, "persons", idPerson, "no entry records its deletion");
  /* the last entries deleted and the head rewound: the chain looks whole, the rows do not */
  int64_t idAfter = unit_person(f, "Zohre", NULL);
  exec_sql(f, "DROP TRIGGER audit_log_no_delete");
  exec_sql(f, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)");
  exec_sql(f, "UPDATE audit_head SET seq = seq - 1, last_hash = (SELECT hash FROM audit_log WHERE id = "
              "(SELECT max(id) FROM audit_log))");
  assert_intact(f);
  found x;
  assert_int_equal(check_rows(f, &x, NULL), 2);
  assert_int_equal(x.aId[1], idAfter);
  assert_non_null(strstr(x.azWhat[1], "no audit entry"));
}

/* Writes three persons and changes two of them as a bulk writer does (no
 * entry of their own), then appends the writer's event; returns the first
 * person's id. */
static int64_t bulk_write(unit_fx *f) {
  gerr e;
  dom_rec r[3];
  assert_int_equal(db_begin(f->pDb, &e), 0);
  static const char *const azName[] = {"Aygul", "Dilnur", "Zohre"};
  for (int i = 0; i < 3; i++) {
    dom_rec in;
    dom_rec_init(&in, &dom_person);
    dom_set_text(&in, "given_name", azName[i]);
    assert_int_equal(dom_check(&f->c, &dom_person, &in, NULL, &r[i], &e), 0);
    assert_int_equal(dom_insert_raw(&f->c, &r[i], &e), 0);
  }
  dom_rec old, in, out;
  assert_int_equal(dom_get(&f->c, &dom_person, r[1].id, &old, &e), 0);
  dom_rec_init(&in, &dom_person);
  dom_set_text(&in, "phone", "13900000000");
  assert_int_equal(dom_check(&f->c, &dom_person, &in, &old, &out, &e), 0);
  assert_int_equal(dom_store(&f->c, &out, old.version, &e), 0);
  assert_int_equal(dom_get(&f->c, &dom_person, r[2].id, &old, &e), 0);
  assert_int_equal(dom_delete_raw(&f->c, &old, &e), 0);
  assert_int_equal(audit_append(&f->c, "import", "persons", 3, "", &e), 0);
  assert_int_equal(db_commit(f->pDb, &e), 0);
  return r[0].id;
}

static void bulk_rows_vouched_for(void **state) {
  unit_fx *f = *state;
  int64_t id = bulk_write(f);
  /* one entry, vouching for a batch of five runs (a row each): the three new rows, the update, the deletion */
  assert_int_equal(n_audit(f), 1);
  assert_int_equal(count_rows(f, "SELECT batch_rows + $1 FROM audit_log WHERE id = 1", 0), 5);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM audit_runs", 0), 5);
  assert_int_equal(count_rows(f, "SELECT n FROM audit_runs WHERE first_id = $1 AND pos = 1", id), 1);
  assert_intact(f);
  assert_rows_clean(f);
  /* a row of the batch changed behind guild's back: found, naming the entry */
  char z[120];
  snprintf(z, sizeof z, "UPDATE persons SET given_name = 'Mallory' WHERE id = %lld", (long long)id);
  exec_sql(f, z);
  found x;
  assert_int_equal(check_rows(f, &x, NULL), 1);
  assert_int_equal(x.aId[0], id);
  assert_int_equal(x.aSeq[0], 1);
  snprintf(z, sizeof z, "UPDATE persons SET given_name = 'Aygul' WHERE id = %lld", (long long)id);
  exec_sql(f, z);
  /* the run's digests rewritten to match: the entry no longer vouches for them */
  exec_sql(f, "DROP TRIGGER audit_runs_no_update");
  exec_sql(f, "UPDATE audit_runs SET digests = CASE WHEN digests LIKE 'A%' THEN 'B' ELSE 'A' END || substr(digests, 2) "
              "WHERE pos = 1");
  audit_report r;
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 1);
  assert_non_null(strstr(r.zWhy, "batch"));
}

static void rolled_back_notes_not_vouched(void **state) {
  unit_fx *f = *state;
  gerr e;
  dom_rec a, b, in;
  assert_int_equal(db_begin(f->pDb, &e), 0);
  dom_rec_init(&in, &dom_person);
  dom_set_text(&in, "given_name", "Kept");
  assert_int_equal(dom_check(&f->c, &dom_person, &in, NULL, &a, &e), 0);
  assert_int_equal(dom_insert_raw(&f->c, &a, &e), 0);
  assert_int_equal(db_begin(f->pDb, &e), 0);   /* a savepoint: one record the writer gives up */
  dom_set_text(&in, "given_name", "Given up");
  assert_int_equal(dom_check(&f->c, &dom_person, &in, NULL, &b, &e), 0);
  assert_int_equal(dom_insert_raw(&f->c, &b, &e), 0);
  db_rollback(f->pDb);
  assert_int_equal(audit_append(&f->c, "import", "persons", 1, "", &e), 0);
  assert_int_equal(db_commit(f->pDb, &e), 0);
  assert_int_equal(count_rows(f, "SELECT batch_rows + $1 FROM audit_log WHERE id = 1", 0), 1);
  assert_intact(f);
  assert_rows_clean(f);
  /* a whole transaction of notes rolled back: the next entry vouches for nothing of it */
  assert_int_equal(db_begin(f->pDb, &e), 0);
  dom_set_text(&in, "given_name", "Gone");
  assert_int_equal(dom_check(&f->c, &dom_person, &in, NULL, &b, &e), 0);
  assert_int_equal(dom_insert_raw(&f->c, &b, &e), 0);
  db_rollback(f->pDb);
  unit_area(f, "650000", "region", 0);
  assert_int_equal(count_rows(f, "SELECT batch + $1 FROM audit_log WHERE id = 2", 0), 0);
  assert_intact(f);
  assert_rows_clean(f);
  /* notes committed without an entry: no one vouches for them */
  assert_int_equal(db_begin(f->pDb, &e), 0);
  dom_set_text(&in, "given_name", "Unvouched");
  assert_int_equal(dom_check(&f->c, &dom_person, &in, NULL, &b, &e), 0);
  assert_int_equal(dom_insert_raw(&f->c, &b, &e), 0);
  assert_int_equal(db_commit(f->pDb, &e), 0);
  found x;
  assert_int_equal(check_rows(f, &x, NULL), 2);   /* the row, and its batch */
  assert_string_equal(x.azTable[0], "persons");
  assert_int_equal(x.aId[0], b.id);
  assert_string_equal(x.azTable[1], "audit_runs");
}

static void legacy_entries_checked_with_their_digest(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t id = unit_person(f, "Aygul", NULL);
  dom_rec r;
  assert_int_equal(dom_get(&f->c, &dom_person, id, &r, &e), 0);
  char zV1[AUDIT_HEX], z[400];
  audit_digest_rec_v1(&r, zV1);
  /* an entry as guild wrote them before schema version 11 (format 1), and a sign-in (an event) after it */
  snprintf(z, sizeof z, "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, digest, prev_hash, hash) "
           "VALUES (2, 0, 'old', 'update', 'person', %lld, '%s', '', ''), (3, 0, 'old', 'login', 'person', %lld, '', '', '')",
           (long long)id, zV1, (long long)id);
  exec_sql(f, z);
  assert_rows_clean(f);
  exec_sql(f, "UPDATE persons SET given_name = 'Mallory'");
  assert_one_finding(f, "persons", id, "differs");
}

/* A column added by a later migration with default 0 (users'
 * password_must_change, migration 12) leaves the digest of a row as the
 * audit log recorded it before the column existed; any other value counts. */
static void added_column_keeps_old_digests(void **state) {
  (void)state;
  const dom_entity *pUser = dom_entity_find("user");
  assert_non_null(pUser);
  dom_rec r;
  dom_rec_init(&r, pUser);
  r.id = 7;
  r.version = 1;
  dom_set_text(&r, "username", "aygul");
  dom_set_int(&r, "disabled", 0);
  char zBefore[AUDIT_HEX], zZero[AUDIT_HEX], zOne[AUDIT_HEX];
  audit_digest_rec(&r, zBefore);
  dom_set_int(&r, "password_must_change", 0);
  audit_digest_rec(&r, zZero);
  assert_string_equal(zBefore, zZero);
  dom_set_int(&r, "password_must_change", 1);
  audit_digest_rec(&r, zOne);
  assert_string_not_equal(zBefore, zOne);
}

/* A database migrated as guild init does (dom_migrate): the region's
 * attendance statuses, which migration 9 writes with SQL, are recorded by
 * one entry; a later migration records nothing more, so a row written
 * behind guild's back is still reported. */
static void migration_records_seeded_rows(void **state) {
  unit_fx *f = *state;
  gerr e;
  assert_int_equal(n_audit(f), 1);
  audit_entry a = last_entry(f);
  assert_string_equal(a.zAction, "seed");
  assert_string_equal(a.zEntity, "attendance_status");
  assert_int_equal(a.entity_id, 4);
  assert_int_equal(count_rows(f, "SELECT batch_rows FROM audit_log WHERE id = $1", a.id), 4);
  assert_intact(f);
  assert_rows_clean(f);
  exec_sql(f, "INSERT INTO attendance_statuses (version, created_at, updated_at, code, label_key, weight, counts, "
              "active) VALUES (1, 0, 0, 'remote', 'attendance.remote', 100, 1, 1)");
  int n = -1;
  assert_int_equal(dom_migrate(f->pDb, &n, &e), 0);
  assert_int_equal(n, 0);
  assert_int_equal(n_audit(f), 1);
  assert_one_finding(f, "attendance_statuses", 5, "no audit entry");
}

static void seeded_rows_recorded(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idRegion = unit_area(f, "650000", "region", 0);
  /* rows a migration writes with SQL (reference rows): no entry records them */
  exec_sql(f, "INSERT INTO areas (version, created_at, updated_at, code, name, level) VALUES "
              "(1, 0, 0, 'S1', 'seeded', 'region'), (1, 0, 0, 'S2', 'seeded', 'region')");
  found x;
  assert_int_equal(check_rows(f, &x, NULL), 2);
  int64_t n = 0;
  assert_int_equal(audit_record_seeded(&f->c, &dom_area, &n, &e), 0);
  assert_int_equal(n, 2);   /* the two, not the region its entry records */
  audit_entry a = last_entry(f);
  assert_string_equal(a.zAction, "seed");
  assert_string_equal(a.zEntity, "area");
  assert_int_equal(a.entity_id, 2);
  assert_int_equal(count_rows(f, "SELECT batch_rows FROM audit_log WHERE id = $1", a.id), 2);
  assert_rows_clean(f);
  assert_intact(f);
  assert_int_equal(audit_record_seeded(&f->c, &dom_area, &n, &e), 0);   /* again: nothing left to record */
  assert_int_equal(n, 0);
  assert_int_equal(last_entry(f).id, a.id);
  /* recorded as they were: a later change behind guild's back is found */
  exec_sql(f, "UPDATE areas SET name = 'changed' WHERE code = 'S2'");
  assert_int_equal(check_rows(f, &x, NULL), 1);
  assert_true(x.aId[0] != idRegion);
}

/* ---- signed checkpoints ------------------------------------------------------- */

static void key_path_in(unit_fx *f, char *z, size_t n) {
  snprintf(z, n, "%s", f->zPath);
  char *zSlash = strrchr(z, '/');
  snprintf(zSlash, n - (size_t)(zSlash - z), "/audit.key");
}

static void use_no_key(void) {
  gerr e;
  assert_int_equal(audit_key_use("", 0, &e), 0);
}

static void keys(void **state) {
  unit_fx *f = *state;
  char zKey[300];
  key_path_in(f, zKey, sizeof zKey);
  gerr e;
  audit_key k, k2;
  assert_int_equal(audit_key_generate(zKey, &k, &e), 0);
  struct stat st;
  assert_int_equal(stat(zKey, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(strlen(k.zId), 16);
  gerr_clear(&e);
  assert_int_equal(audit_key_generate(zKey, &k2, &e), -1);   /* never overwritten */
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_int_equal(e.reason, GR_KEY_EXISTS);
  assert_string_equal(gerr_param_get(&e, "path")->z, zKey);
  assert_int_equal(audit_key_load(zKey, &k2, &e), 0);
  assert_memory_equal(k.sk, k2.sk, sizeof k.sk);
  assert_string_equal(k.zId, k2.zId);
  chmod(zKey, 0644);   /* readable by others: refused */
  gerr_clear(&e);
  assert_int_equal(audit_key_load(zKey, &k2, &e), -1);
  assert_non_null(strstr(e.msg, "chmod 600"));
  assert_int_equal(e.reason, GR_KEY_MODE);
  assert_string_equal(gerr_param_get(&e, "mode")->z, "644");
  /* a file that is not a key, and none at all: each its own reason */
  FILE *pF = fopen(zKey, "w");
  assert_non_null(pF);
  fputs("not a key\n", pF);
  fclose(pF);
  chmod(zKey, 0600);
  gerr_clear(&e);
  assert_int_equal(audit_key_load(zKey, &k2, &e), -1);
  assert_int_equal(e.code, GERR_USAGE);
  assert_int_equal(e.reason, GR_NOT_A_KEY);
  unlink(zKey);
  gerr_clear(&e);
  assert_int_equal(audit_key_load(zKey, &k2, &e), -1);
  assert_int_equal(e.reason, GR_KEY_FILE);
  assert_non_null(strstr(e.msg, "cannot read the key file"));
  /* configured, not made yet, and not to be made here */
  assert_int_equal(audit_key_use(zKey, 0, &e), 0);
  gerr_clear(&e);
  assert_null(audit_key_current(0, &e));
  assert_int_equal(e.reason, GR_NO_KEY);
  use_no_key();
}

static void checkpoints(void **state) {
  unit_fx *f = *state;
  char zKey[300];
  key_path_in(f, zKey, sizeof zKey);
  gerr e;
  assert_int_equal(audit_key_use(zKey, 4, &e), 0);   /* made by the first checkpoint */
  ten_entries(f);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM audit_checkpoints", 0), 2);   /* entries 4 and 8 */
  const audit_key *k = audit_key_current(0, &e);
  assert_non_null(k);
  audit_checkpoint cp;
  assert_int_equal(audit_checkpoint_make(&f->c, k, &cp, &e), 0);
  assert_int_equal(cp.seq, 10);
  assert_true(audit_checkpoint_signed(&cp));
  audit_report r;
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 0);
  assert_int_equal(r.nCheckpoints, 3);
  const char *zWhy = NULL;
  assert_int_equal(audit_checkpoint_check(&f->c, &cp, &zWhy, &e), 0);
  assert_null(zWhy);
  /* a checkpoint altered: its signature no longer holds */
  audit_checkpoint bad = cp;
  bad.seq = 9;
  assert_false(audit_checkpoint_signed(&bad));
  assert_int_equal(audit_checkpoint_check(&f->c, &bad, &zWhy, &e), 0);
  assert_non_null(zWhy);
  /* the last entries cut and the head rewound: the stored checkpoint of entry 10, and the kept one, say so */
  exec_sql(f, "DROP TRIGGER audit_log_no_delete");
  exec_sql(f, "DELETE FROM audit_log WHERE id > 8");
  exec_sql(f, "UPDATE audit_head SET seq = 8, last_hash = (SELECT hash FROM audit_log WHERE id = 8)");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 10);
  assert_non_null(strstr(r.zWhy, "cut"));
  assert_int_equal(audit_checkpoint_check(&f->c, &cp, &zWhy, &e), 0);
  assert_non_null(zWhy);
  assert_non_null(strstr(zWhy, "cut"));
  /* ... also when the stored checkpoints go with them: the kept one still does */
  exec_sql(f, "DROP TRIGGER audit_checkpoints_no_delete");
  exec_sql(f, "DELETE FROM audit_checkpoints WHERE seq > 8");
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 0);
  assert_int_equal(audit_checkpoint_check(&f->c, &cp, &zWhy, &e), 0);
  assert_non_null(zWhy);
  /* a checkpoint signed by another key is not this guild's */
  char zOther[310];
  snprintf(zOther, sizeof zOther, "%s.other", zKey);
  audit_key other;
  assert_int_equal(audit_key_generate(zOther, &other, &e), 0);
  audit_checkpoint forged;
  assert_int_equal(audit_checkpoint_make(&f->c, &other, &forged, &e), 0);   /* entry 8 has one of ours: kept */
  assert_int_equal(count_rows(f, "SELECT count(*) FROM audit_checkpoints WHERE seq = $1", 8), 1);
  exec_sql(f, "DELETE FROM audit_checkpoints");
  assert_int_equal(audit_checkpoint_make(&f->c, &other, &forged, &e), 0);
  verify(f, &r);
  assert_int_equal(r.idFirstBad, 8);
  assert_non_null(strstr(r.zWhy, "not by this guild's key"));
  unlink(zOther);
  unlink(zKey);
  use_no_key();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(one_entry_per_write, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(no_entry_for_failed_writes, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(verify_intact_and_empty, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(triggers_refuse_changes, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(tampered_actor_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(tampered_fields_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(removed_entries_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(removed_first_entry_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(inserted_entry_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(list_filters, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(person_erasure, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(rows_match_their_entries, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(rows_changed_behind_back_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(rows_written_or_deleted_behind_back_found, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(bulk_rows_vouched_for, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(rolled_back_notes_not_vouched, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(legacy_entries_checked_with_their_digest, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(seeded_rows_recorded, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(migration_records_seeded_rows, fx_setup, fx_teardown),
      cmocka_unit_test(added_column_keeps_old_digests),
      cmocka_unit_test_setup_teardown(keys, empty_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(checkpoints, empty_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
