/* test_store.c: the SQLite store: connections, $N parameters, the statement
 * cache (eviction, statements in use; its PostgreSQL side when GUILD_TEST_PG
 * names a server), nested transactions, error mapping, pragmas and schema
 * versions. */
#include "unit.h"
#include "store/schema.h"
#include "domain/engine/entity.h"

/* A new empty (not migrated) database file in a temporary directory. */
static db *empty_db(char *zPath) {
  char zDir[] = "/tmp/guild-unit-XXXXXX";
  assert_non_null(mkdtemp(zDir));
  snprintf(zPath, 256, "%s/t.db", zDir);
  db *p = NULL;
  gerr e;
  if (db_open(zPath, 1, &p, &e)) fail_msg("db_open: %s", e.msg);
  return p;
}

static const char zCreateT[] = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, n INTEGER)";
static const char zInsertT[] = "INSERT INTO t (v, n) VALUES ($1, $2)";
static const char zCountT[] = "SELECT count(*) FROM t";

static void insert_t(db *p, const char *zV, int64_t n) {
  gerr e;
  db_stmt *s = db_prepare(p, zInsertT, &e);
  assert_non_null(s);
  db_bind_text(s, 1, zV);
  db_bind_int(s, 2, n);
  int rc = db_step(s, &e);
  db_done(s);
  if (rc != DB_DONE) fail_msg("insert: %s", e.msg);
}

static int64_t count_t(db *p) {
  int64_t n = -1;
  gerr e;
  assert_int_equal(db_query_int(p, zCountT, 0, 0, &n, &e), DB_ROW);
  return n;
}

static void open_close(void **state) {
  (void)state;
  char zPath[256];
  db *p = empty_db(zPath);
  assert_non_null(p);
  assert_int_equal(db_engine_of(p), DB_SQLITE);
  assert_string_equal(db_url(p), zPath);
  assert_int_equal(db_depth(p), 0);
  gerr e;
  assert_int_equal(db_exec(p, zCreateT, &e), 0);
  insert_t(p, "a", 1);
  db_close(p);
  /* reopening without create sees the data */
  p = NULL;
  assert_int_equal(db_open(zPath, 0, &p, &e), 0);
  assert_int_equal(count_t(p), 1);
  unit_db_drop(p, zPath);

  /* a missing file without bCreate is refused with a usage error */
  db *q = NULL;
  gerr_clear(&e);
  assert_int_equal(db_open("/tmp/guild-unit-no-such-dir/x.db", 0, &q, &e), -1);
  assert_null(q);
  assert_int_equal(e.code, GERR_USAGE);
  assert_non_null(strstr(e.msg, "cannot open"));
  /* an unreachable PostgreSQL server: 503-class error naming the cause, not a crash */
  gerr_clear(&e);
  assert_int_equal(db_open("postgres://guild@127.0.0.1:1/guild?connect_timeout=2", 1, &q, &e), -1);
  assert_null(q);
  assert_int_equal(e.code, GERR_UNAVAILABLE);
  assert_non_null(strstr(e.msg, "PostgreSQL"));
  db_close(NULL);  /* harmless */
}

static const char zSwap[] = "SELECT $2 || $1 || $2";
static const char zOnlyThree[] = "SELECT $3 + 0, $1 * 10";
static const char zTypes[] = "SELECT $1, $2, typeof($2), $3";

static void parameters(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  /* out of order and repeated */
  db_stmt *s = db_prepare(p, zSwap, &e);
  assert_non_null(s);
  db_bind_text(s, 1, "a");
  db_bind_text(s, 2, "b");
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_int_equal(db_ncol(s), 1);
  assert_string_equal(db_col_text(s, 0), "bab");
  assert_int_equal(db_step(s, &e), DB_DONE);
  db_done(s);
  /* again with other values: the cache gives the same mapping */
  s = db_prepare(p, zSwap, &e);
  db_bind_text(s, 2, "Y");
  db_bind_text(s, 1, "x");
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_string_equal(db_col_text(s, 0), "YxY");
  db_done(s);
  /* $3 first, $2 unused */
  s = db_prepare(p, zOnlyThree, &e);
  assert_non_null(s);
  db_bind_int(s, 3, 5);
  db_bind_int(s, 1, 7);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_int_equal(db_col_int(s, 0), 5);
  assert_int_equal(db_col_int(s, 1), 70);
  db_done(s);
  /* NULLs, int-or-null, big integers */
  s = db_prepare(p, zTypes, &e);
  db_bind_text(s, 1, NULL);
  db_bind_int_or_null(s, 2, INT64_MAX, 0);
  db_bind_int_or_null(s, 3, 1, 1);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_true(db_col_null(s, 0));
  assert_string_equal(db_col_text(s, 0), "");
  assert_false(db_col_null(s, 1));
  assert_true(db_col_int(s, 1) == INT64_MAX);
  assert_string_equal(db_col_text(s, 2), "integer");
  assert_true(db_col_null(s, 3));
  db_done(s);
  /* db_done clears bindings: an unbound parameter is NULL next time */
  s = db_prepare(p, zTypes, &e);
  db_bind_int(s, 1, 1);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_true(db_col_null(s, 1));
  assert_true(db_col_null(s, 3));
  db_done(s);
  unit_db_drop(p, zPath);
}

static const char zQ1[] = "SELECT 41 + $1";
static const char zQ2[] = "SELECT 2";
static const char zBad[] = "SELEC 1";
static const char zNoRow[] = "SELECT 1 WHERE 0";

static void query_int_and_cache(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  int64_t v = 0;
  assert_int_equal(db_query_int(p, zQ1, 1, 1, &v, &e), DB_ROW);
  assert_int_equal(v, 42);
  assert_int_equal(db_query_int(p, zQ1, 1, -41, &v, &e), DB_ROW);
  assert_int_equal(v, 0);
  v = 99;
  assert_int_equal(db_query_int(p, zNoRow, 0, 0, &v, &e), DB_DONE);
  assert_int_equal(v, 99);  /* untouched when there is no row */

  db_stmt *s1 = db_prepare(p, zQ1, &e);
  db_done(s1);
  db_stmt *s2 = db_prepare(p, zQ1, &e);
  db_done(s2);
  assert_non_null(s1);
  assert_ptr_equal(s1, s2);
  db_stmt *s3 = db_prepare(p, zQ2, &e);
  assert_non_null(s3);
  assert_ptr_not_equal(s1, s3);
  db_done(s3);
  assert_ptr_equal(db_prepare(p, zQ2, &e), s3);
  db_done(s3);

  /* many distinct statements keep their own slots */
  static char azSql[100][32];
  db_stmt *aS[100];
  for (int i = 0; i < 100; i++) {
    snprintf(azSql[i], sizeof azSql[i], "SELECT %d", i);
    aS[i] = db_prepare(p, azSql[i], &e);
    assert_non_null(aS[i]);
  }
  for (int i = 0; i < 100; i++) {
    assert_ptr_equal(db_prepare(p, azSql[i], &e), aS[i]);
    assert_int_equal(db_step(aS[i], &e), DB_ROW);
    assert_int_equal(db_col_int(aS[i], 0), i);
    db_done(aS[i]);
  }

  /* a syntax error is a database error with the engine's message */
  gerr_clear(&e);
  assert_null(db_prepare(p, zBad, &e));
  assert_int_equal(e.code, GERR_DB);
  assert_non_null(strstr(e.msg, "syntax"));
  gerr_clear(&e);
  assert_int_equal(db_query_int(p, zBad, 0, 0, &v, &e), DB_ERROR);
  assert_int_equal(e.code, GERR_DB);
  unit_db_drop(p, zPath);
}

static void transactions(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  assert_int_equal(db_exec(p, zCreateT, &e), 0);

  /* commit */
  assert_int_equal(db_begin(p, &e), 0);
  assert_int_equal(db_depth(p), 1);
  insert_t(p, "a", 1);
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(db_depth(p), 0);
  assert_int_equal(count_t(p), 1);

  /* inner rollback keeps the outer work */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "b", 2);
  assert_int_equal(db_begin(p, &e), 0);
  assert_int_equal(db_depth(p), 2);
  insert_t(p, "c", 3);
  assert_int_equal(count_t(p), 3);
  db_rollback(p);
  assert_int_equal(db_depth(p), 1);
  assert_int_equal(count_t(p), 2);
  /* the outer transaction still works after the inner rollback */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "d", 4);
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(db_depth(p), 1);
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(db_depth(p), 0);
  assert_int_equal(count_t(p), 3);  /* a, b, d */
  int64_t n = 0;
  static const char zHasC[] = "SELECT count(*) FROM t WHERE v = 'c'";
  assert_int_equal(db_query_int(p, zHasC, 0, 0, &n, &e), DB_ROW);
  assert_int_equal(n, 0);

  /* outer rollback discards everything, committed inner levels included */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "e", 5);
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "f", 6);
  assert_int_equal(db_begin(p, &e), 0);
  assert_int_equal(db_depth(p), 3);
  insert_t(p, "g", 7);
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(count_t(p), 6);
  db_rollback(p);
  assert_int_equal(db_depth(p), 0);
  assert_int_equal(count_t(p), 3);

  /* three levels, rolling back the middle one */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "h", 8);
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "i", 9);
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "j", 10);
  assert_int_equal(db_commit(p, &e), 0);
  db_rollback(p);   /* drops i and j */
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(count_t(p), 4);

  /* the committed data is visible from another connection */
  db *q = NULL;
  assert_int_equal(db_open(zPath, 0, &q, &e), 0);
  assert_int_equal(count_t(q), 4);
  db_close(q);

  /* db_close rolls back an open transaction */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "k", 11);
  db_close(p);
  assert_int_equal(db_open(zPath, 0, &p, &e), 0);
  assert_int_equal(count_t(p), 4);
  unit_db_drop(p, zPath);
}

static const char zInsertChild[] = "INSERT INTO c (t_id) VALUES ($1)";

static void constraint_violations(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  assert_int_equal(db_exec(p, zCreateT, &e), 0);
  assert_int_equal(db_exec(p, "CREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id))", &e), 0);
  insert_t(p, "same", 1);

  /* unique */
  db_stmt *s = db_prepare(p, zInsertT, &e);
  db_bind_text(s, 1, "same");
  db_bind_int(s, 2, 2);
  gerr_clear(&e);
  assert_int_equal(db_step(s, &e), DB_ERROR);
  db_done(s);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_int_equal(gerr_status(e.code), 409);
  assert_int_equal(count_t(p), 1);
  /* in guild's words, naming the table and the column, never the engine's text */
  assert_null(strstr(e.msg, "UNIQUE"));
  assert_null(strstr(e.msg, "constraint"));
  assert_non_null(strstr(e.msg, "another t record has the same v"));
  assert_string_equal(e.field, "v");

  /* foreign key (only caught when foreign keys are on) */
  s = db_prepare(p, zInsertChild, &e);
  db_bind_int(s, 1, 999);
  gerr_clear(&e);
  assert_int_equal(db_step(s, &e), DB_ERROR);
  db_done(s);
  assert_int_equal(e.code, GERR_CONFLICT);

  /* inside a transaction, a failed statement leaves the rest to the caller */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "other", 3);
  s = db_prepare(p, zInsertT, &e);
  db_bind_text(s, 1, "same");
  db_bind_int(s, 2, 4);
  assert_int_equal(db_step(s, &e), DB_ERROR);
  db_done(s);
  assert_int_equal(e.code, GERR_CONFLICT);
  db_rollback(p);
  assert_int_equal(count_t(p), 1);

  /* a NOT NULL violation through db_exec */
  assert_int_equal(db_exec(p, "CREATE TABLE nn (x TEXT NOT NULL)", &e), 0);
  gerr_clear(&e);
  assert_int_equal(db_exec(p, "INSERT INTO nn VALUES (NULL)", &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_null(strstr(e.msg, "NOT NULL"));
  assert_null(strstr(e.msg, "constraint"));

  /* a key of two columns names both, and the last as the field */
  assert_int_equal(db_exec(p, "CREATE TABLE k (a INTEGER, b INTEGER, UNIQUE (a, b))", &e), 0);
  assert_int_equal(db_exec(p, "INSERT INTO k VALUES (1, 2)", &e), 0);
  gerr_clear(&e);
  assert_int_equal(db_exec(p, "INSERT INTO k VALUES (1, 2)", &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_non_null(strstr(e.msg, "another k record has the same a, b"));
  assert_null(strstr(e.msg, "UNIQUE"));
  assert_string_equal(e.field, "b");
  unit_db_drop(p, zPath);
}

static void commit_failure(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  assert_int_equal(db_exec(p, zCreateT, &e), 0);
  assert_int_equal(db_exec(p, "CREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id))", &e), 0);
  /* deferred foreign keys make COMMIT itself fail */
  assert_int_equal(db_begin(p, &e), 0);
  assert_int_equal(db_exec(p, "PRAGMA defer_foreign_keys = ON", &e), 0);
  insert_t(p, "x", 1);
  db_stmt *s = db_prepare(p, zInsertChild, &e);
  db_bind_int(s, 1, 999);
  assert_int_equal(db_step(s, &e), DB_DONE);
  db_done(s);
  gerr_clear(&e);
  assert_int_equal(db_commit(p, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  assert_int_equal(db_depth(p), 0);  /* rolled back, not left open */
  assert_int_equal(count_t(p), 0);
  /* and the connection is usable */
  assert_int_equal(db_begin(p, &e), 0);
  insert_t(p, "y", 2);
  assert_int_equal(db_commit(p, &e), 0);
  assert_int_equal(count_t(p), 1);
  unit_db_drop(p, zPath);
}

static const char zJournal[] = "PRAGMA journal_mode";
static const char zFk[] = "PRAGMA foreign_keys";

static void pragmas(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  db_stmt *s = db_prepare(p, zJournal, &e);
  assert_non_null(s);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_string_equal(db_col_text(s, 0), "wal");
  db_done(s);
  int64_t v = 0;
  assert_int_equal(db_query_int(p, zFk, 0, 0, &v, &e), DB_ROW);
  assert_int_equal(v, 1);
  /* a second connection to the same file gets the same settings */
  db *q = NULL;
  assert_int_equal(db_open(zPath, 0, &q, &e), 0);
  v = 0;
  assert_int_equal(db_query_int(q, zFk, 0, 0, &v, &e), DB_ROW);
  assert_int_equal(v, 1);
  s = db_prepare(q, zJournal, &e);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_string_equal(db_col_text(s, 0), "wal");
  db_done(s);
  db_close(q);
  unit_db_drop(p, zPath);
}

/* What the store tells of the engine (SQLite here): one writer at a time,
 * an index's CREATE text for a rebuild, the page cache's size. */
static void engine_facts(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  arena a;
  arena_init(&a);
  assert_int_equal(db_one_writer(p), 1);
  const char *z = "unset";
  assert_int_equal(db_index_rebuild_sql(p, "persons_name_key", &a, &z, &e), 0);
  assert_non_null(z);
  assert_non_null(strstr(z, "CREATE INDEX persons_name_key"));
  assert_int_equal(db_exec(p, "DROP INDEX persons_name_key", &e), 0);   /* the rebuild: its text makes it again */
  assert_int_equal(db_exec(p, z, &e), 0);
  z = "unset";
  assert_int_equal(db_index_rebuild_sql(p, "no_such_index", &a, &z, &e), 0);
  assert_null(z);
  assert_int_equal(db_cache_size(p, 8, &e), 0);
  int64_t v = 0;
  assert_int_equal(db_query_int(p, "PRAGMA cache_size", 0, 0, &v, &e), DB_ROW);
  assert_int_equal(v, -8 * 1024);
  arena_free(&a);
  unit_db_drop(p, zPath);
}

static const char zVersions[] = "SELECT count(*) FROM schema_version";
static const char zTables[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('areas', 'institutions', 'programs', 'programs_skills', 'persons', 'cohorts', 'cohorts_trainers', "
    "'enrollments')";

static void schema_migrations(void **state) {
  (void)state;
  char zPath[256];
  db *p = empty_db(zPath);
  gerr e;
  int v = -1;
  assert_int_equal(schema_version(p, &v, &e), 0);
  assert_int_equal(v, 0);
  assert_true(schema_latest() >= 1);

  int n = -1;
  assert_int_equal(schema_migrate(p, &n, &e), 0);
  assert_int_equal(n, schema_current()->nMigration);   /* every migration (their numbers may leave gaps) */
  assert_int_equal(schema_version(p, &v, &e), 0);
  assert_int_equal(v, schema_latest());
  assert_int_equal(schema_require_current(p, &e), 0);
  int64_t nTables = 0;
  assert_int_equal(db_query_int(p, zTables, 0, 0, &nTables, &e), DB_ROW);
  assert_int_equal(nTables, 8);
  int64_t nRows = 0;
  assert_int_equal(db_query_int(p, zVersions, 0, 0, &nRows, &e), DB_ROW);
  assert_int_equal(nRows, schema_current()->nMigration);

  /* idempotent */
  n = -1;
  assert_int_equal(schema_migrate(p, &n, &e), 0);
  assert_int_equal(n, 0);
  assert_int_equal(db_query_int(p, zVersions, 0, 0, &nRows, &e), DB_ROW);
  assert_int_equal(nRows, schema_current()->nMigration);
  assert_int_equal(db_depth(p), 0);
  unit_db_drop(p, zPath);
}

static void require_current_on_empty(void **state) {
  (void)state;
  char zPath[256];
  db *p = empty_db(zPath);
  gerr e;
  gerr_clear(&e);
  assert_int_equal(schema_require_current(p, &e), -1);
  assert_int_equal(e.code, GERR_USAGE);
  assert_non_null(strstr(e.msg, "guild init"));
  assert_non_null(strstr(e.msg, zPath));
  unit_db_drop(p, zPath);
}

static const char zFuture[] = "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, 'from the future', 0)";

static void refuses_newer_database(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  db_stmt *s = db_prepare(p, zFuture, &e);
  assert_non_null(s);
  db_bind_int(s, 1, schema_latest() + 1);
  assert_int_equal(db_step(s, &e), DB_DONE);
  db_done(s);

  int v = 0;
  gerr_clear(&e);
  assert_int_equal(schema_version(p, &v, &e), -1);
  assert_int_equal(e.code, GERR_USAGE);
  assert_non_null(strstr(e.msg, "newer"));

  gerr_clear(&e);
  assert_int_equal(schema_require_current(p, &e), -1);
  assert_int_equal(e.code, GERR_USAGE);
  assert_non_null(strstr(e.msg, "newer"));

  int n = -1;
  gerr_clear(&e);
  assert_int_equal(schema_migrate(p, &n, &e), -1);
  assert_int_equal(e.code, GERR_USAGE);
  assert_non_null(strstr(e.msg, "newer"));
  assert_int_equal(n, 0);
  assert_int_equal(db_depth(p), 0);
  unit_db_drop(p, zPath);
}

/* Distinct texts for the cache tests: "SELECT i + $1", alive for the whole
 * run (the cache keys on their pointers). Enough to fill the in-use limit. */
#define NTEXT 5000
static char azText[NTEXT][32];

static const char *text_n(int i) {
  if (!azText[i][0]) snprintf(azText[i], sizeof azText[i], "SELECT %d + $1", i);
  return azText[i];
}

/* Prepares text i, runs it with $1 = 1000 and checks the answer; leaves it
 * in use when bKeep (returned), else db_done's it (NULL). */
static db_stmt *run_n(db *p, int i, int bKeep) {
  gerr e;
  db_stmt *s = db_prepare(p, text_n(i), &e);
  if (!s) fail_msg("prepare %d: %s", i, e.msg);
  db_bind_int(s, 1, 1000);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_int_equal(db_col_int(s, 0), i + 1000);
  if (bKeep) return s;
  assert_int_equal(db_step(s, &e), DB_DONE);
  db_done(s);
  return NULL;
}

/* More distinct statements than the cache holds, on one connection: the
 * least recently used are evicted, and every one still runs correctly,
 * again after its eviction. */
static void cache_evicts(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  int nInUse = -1;
  int n = 3 * DB_CACHE_STATEMENTS;
  for (int round = 0; round < 2; round++)
    for (int i = 0; i < n; i++) {
      run_n(p, i, 0);
      assert_true(db_cache_count(p, &nInUse) <= DB_CACHE_STATEMENTS);
      assert_int_equal(nInUse, 0);
    }
  assert_int_equal(db_cache_count(p, NULL), DB_CACHE_STATEMENTS);
  /* the recently used are hits: the same statement comes back */
  gerr e;
  db_stmt *s = db_prepare(p, text_n(n - 1), &e);
  db_done(s);
  for (int i = n - DB_CACHE_STATEMENTS + 1; i < n; i++) run_n(p, i, 0);
  assert_ptr_equal(db_prepare(p, text_n(n - 1), &e), s);
  db_done(s);
  db_done(s);   /* a second db_done only resets */
  assert_int_equal(db_cache_count(p, &nInUse), DB_CACHE_STATEMENTS);
  assert_int_equal(nInUse, 0);

  /* a pointer reused for another text (an arena's memory) is a miss, not a
   * wrong hit */
  char zReused[32];
  snprintf(zReused, sizeof zReused, "SELECT 'first'");
  s = db_prepare(p, zReused, &e);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_string_equal(db_col_text(s, 0), "first");
  db_done(s);
  snprintf(zReused, sizeof zReused, "SELECT 'second'");
  s = db_prepare(p, zReused, &e);
  assert_int_equal(db_step(s, &e), DB_ROW);
  assert_string_equal(db_col_text(s, 0), "second");
  db_done(s);
  unit_db_drop(p, zPath);
}

/* A statement in use (stepped, not db_done'd) is never evicted however many
 * others are prepared meanwhile; with more in use at once than the cache
 * holds it grows, and gives way only to a clear error at its limit. */
static void cache_keeps_in_use(void **state) {
  (void)state;
  char zPath[256];
  db *p = unit_db(zPath);
  gerr e;
  assert_int_equal(db_exec(p, zCreateT, &e), 0);
  for (int i = 0; i < 10; i++) {
    char z[16];
    snprintf(z, sizeof z, "r%d", i);
    insert_t(p, z, i);
  }
  static const char zOuter[] = "SELECT n FROM t ORDER BY n";
  static const char zInner[] = "SELECT v FROM t WHERE n = $1";
  db_stmt *pOuter = db_prepare(p, zOuter, &e);
  assert_non_null(pOuter);
  int nRow = 0, rc;
  while ((rc = db_step(pOuter, &e)) == DB_ROW) {
    int64_t n = db_col_int(pOuter, 0);
    assert_int_equal(n, nRow);
    /* an inner statement, and a cache's worth of others, while the outer runs */
    db_stmt *pInner = db_prepare(p, zInner, &e);
    db_bind_int(pInner, 1, n);
    assert_int_equal(db_step(pInner, &e), DB_ROW);
    for (int i = 0; i < DB_CACHE_STATEMENTS + 10; i++) run_n(p, (int)n * 300 + i, 0);
    char zWant[24];
    snprintf(zWant, sizeof zWant, "r%d", (int)n);
    assert_string_equal(db_col_text(pInner, 0), zWant);
    db_done(pInner);
    assert_ptr_equal(db_prepare(p, zOuter, &e), pOuter);   /* still the one in use */
    nRow++;
  }
  assert_int_equal(rc, DB_DONE);
  assert_int_equal(nRow, 10);
  db_done(pOuter);

  /* more in use at once than the cache holds: all kept, all correct */
  static db_stmt *aS[NTEXT];
  int nHeld = DB_CACHE_STATEMENTS + 44, nInUse = 0;
  for (int i = 0; i < nHeld; i++) aS[i] = run_n(p, i, 1);
  assert_true(db_cache_count(p, &nInUse) >= nHeld);
  assert_int_equal(nInUse, nHeld);
  for (int i = 0; i < nHeld; i++) {
    assert_int_equal(db_col_int(aS[i], 0), i + 1000);
    assert_int_equal(db_step(aS[i], &e), DB_DONE);
    db_done(aS[i]);
  }
  run_n(p, NTEXT - 1, 0);   /* the next miss shrinks the cache back */
  assert_int_equal(db_cache_count(p, &nInUse), DB_CACHE_STATEMENTS);
  assert_int_equal(nInUse, 0);

  /* a caller that never calls db_done meets an error, not a crash */
  int nOk = 0;
  db_stmt *s = NULL;
  gerr_clear(&e);
  while (nOk < NTEXT && (s = db_prepare(p, text_n(nOk), &e)) != NULL) aS[nOk++] = s;
  assert_null(s);
  assert_true(nOk > DB_CACHE_STATEMENTS && nOk < NTEXT);
  assert_int_equal(e.code, GERR_INTERNAL);
  assert_non_null(strstr(e.msg, "db_done"));
  for (int i = 0; i < nOk; i++) db_done(aS[i]);
  run_n(p, nOk, 0);   /* and the connection works again */
  unit_db_drop(p, zPath);
}

/* On PostgreSQL (GUILD_TEST_PG, e.g. postgres://postgres@127.0.0.1:5432),
 * an evicted statement is deallocated on the server too: the server holds
 * no more prepared statements than the cache. Skipped without a server. */
static void cache_evicts_postgres(void **state) {
  (void)state;
  const char *zBase = getenv("GUILD_TEST_PG");
  if (!zBase || !*zBase) skip();
  char zUrl[512];
  snprintf(zUrl, sizeof zUrl, "%s/postgres", zBase);
  db *p = NULL;
  gerr e;
  if (db_open(zUrl, 0, &p, &e)) fail_msg("db_open %s: %s", zUrl, e.msg);
  for (int i = 0; i < 3 * DB_CACHE_STATEMENTS; i++) run_n(p, i, 0);
  assert_int_equal(db_cache_count(p, NULL), DB_CACHE_STATEMENTS);
  int64_t n = -1;
  static const char zServer[] = "SELECT count(*) FROM pg_prepared_statements";
  assert_int_equal(db_query_int(p, zServer, 0, 0, &n, &e), DB_ROW);
  assert_true(n >= DB_CACHE_STATEMENTS - 1 && n <= DB_CACHE_STATEMENTS + 1);
  for (int i = 0; i < 3 * DB_CACHE_STATEMENTS; i++) run_n(p, i, 0);
  db_close(p);
}

/* A migration numbered below the newest applied one (modules developed side
 * by side that land out of order) is applied too, and until it is the
 * database is not current. */
static void schema_migration_out_of_order(void **state) {
  (void)state;
  static const schema_migration m1 = {1, "one", {"CREATE TABLE o1 (x INTEGER)", "CREATE TABLE o1 (x BIGINT)"}},
                                m2 = {2, "two", {"CREATE TABLE o2 (x INTEGER)", "CREATE TABLE o2 (x BIGINT)"}},
                                m3 = {3, "three", {"CREATE TABLE o3 (x INTEGER)", "CREATE TABLE o3 (x BIGINT)"}};
  const schema_migration *aOld[] = {&m1, &m3}, *aNew[] = {&m1, &m2, &m3};
  const schema_def *pSaved = schema_current();
  schema_def dOld = {aOld, 2, pSaved->apTable, pSaved->nTable}, dNew = {aNew, 3, pSaved->apTable, pSaved->nTable};
  char zPath[256];
  db *p = empty_db(zPath);
  gerr e;
  int n = 0;
  schema_use(&dOld);
  assert_int_equal(schema_migrate(p, &n, &e), 0);
  assert_int_equal(n, 2);
  schema_use(&dNew);
  assert_int_equal(schema_require_current(p, &e), -1);   /* 2 is missing, though 3 is the newest */
  assert_int_equal(schema_migrate(p, &n, &e), 0);
  assert_int_equal(n, 1);
  int64_t nT = 0;
  assert_int_equal(db_query_int(p, "SELECT count(*) FROM o2", 0, 0, &nT, &e), DB_ROW);
  assert_int_equal(schema_require_current(p, &e), 0);
  schema_use(pSaved);
  db_close(p);
}

int main(void) {
  dom_init();   /* the modules give the store its schema */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(open_close),
      cmocka_unit_test(parameters),
      cmocka_unit_test(query_int_and_cache),
      cmocka_unit_test(cache_evicts),
      cmocka_unit_test(cache_keeps_in_use),
      cmocka_unit_test(cache_evicts_postgres),
      cmocka_unit_test(transactions),
      cmocka_unit_test(constraint_violations),
      cmocka_unit_test(commit_failure),
      cmocka_unit_test(pragmas),
      cmocka_unit_test(engine_facts),
      cmocka_unit_test(schema_migrations),
      cmocka_unit_test(schema_migration_out_of_order),
      cmocka_unit_test(require_current_on_empty),
      cmocka_unit_test(refuses_newer_database),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
