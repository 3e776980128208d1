/* db_sqlite.c: the embedded SQLite backend. WAL mode, synchronous=FULL (a
 * write acknowledged to a client survives a power loss: docs/operations.md
 * measures what it costs), foreign keys on, a busy timeout; a storage fault
 * (full disk, read-only file, I/O error) is 503 "nothing was saved" and
 * marks the process degraded (db_health.h); "$N" parameters are mapped to SQLite's own indexes so one
 * SQL text (where $N may repeat or appear out of order) serves both engines. */
#include "store/db_int.h"
#include "store/db_fault.h"
#include "store/db_health.h"
#include "core/log.h"
#include "core/mem.h"
#include <pthread.h>
#include "core/text.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQLITE_BUSY_MS 10000
#define SQLITE_MMAP "1073741824"   /* bytes of the file mapped into memory (but during bulk writes) */
#define MAXPARAM 32766   /* SQLite's own limit (an import's multi-row INSERT has thousands) */

typedef struct sq_stmt {
  sqlite3_stmt *pStmt;
  int nMap;
  uint16_t *aMap;   /* nMap + 1: $N -> SQLite parameter index, 0: none */
} sq_stmt;

/* A unique constraint SQLite refused: the table and the columns of
 * "UNIQUE constraint failed: t.a, t.b" (without the table's prefix) for
 * db_constraint_error. */
static int sq_unique(const char *zMsg, gerr *e) {
  const char *z = strstr(zMsg, "failed: ");
  char zTable[64] = "", zCols[128] = "";
  size_t nCols = 0;
  for (z = z ? z + 8 : NULL; z && *z;) {
    const char *zDot = strchr(z, '.'), *zEnd = strstr(z, ", ");
    if (!zEnd) zEnd = z + strlen(z);
    if (!zDot || zDot > zEnd || (size_t)(zDot - z) >= sizeof zTable) break;
    if (!zTable[0]) snprintf(zTable, sizeof zTable, "%.*s", (int)(zDot - z), z);
    int n = snprintf(zCols + nCols, sizeof zCols - nCols, "%s%.*s", nCols ? ", " : "", (int)(zEnd - zDot - 1), zDot + 1);
    if (n < 0 || (size_t)n >= sizeof zCols - nCols) break;
    nCols += (size_t)n;
    z = *zEnd ? zEnd + 2 : zEnd;
  }
  return db_constraint_error(e, DBC_UNIQUE, zTable, zCols, nCols, zMsg);
}

/* The engine's results that say the storage cannot take a write: the
 * client is told nothing was saved (503, try again), the operator finds
 * the reason in the log and /api/v1/health, and the next write that
 * commits (say once space is freed) ends the degraded state. */
static const struct {
  int rc;
  const char *zWhy;
} aStorageFault[] = {
    {SQLITE_FULL, "the disk holding the database is full"},
    {SQLITE_READONLY, "the database cannot be written (read-only file or file system)"},
    {SQLITE_IOERR, "the database file could not be written (I/O error)"},
    {SQLITE_CANTOPEN, "a file of the database could not be opened"},
};

static int sq_error(sqlite3 *pDb, int rc, gerr *e) {
  int ext = sqlite3_extended_errcode(pDb);
  const char *zMsg = sqlite3_errmsg(pDb);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) return db_constraint_error(e, DBC_FOREIGN_KEY, NULL, NULL, 0, zMsg);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) return sq_unique(zMsg, e);
    if (ext == SQLITE_CONSTRAINT_TRIGGER)   /* RAISE(ABORT, ...) in guild's own triggers: guild's words */
      return gerr_setr(e, GERR_CONFLICT, GR_DB_RULE, NULL), gerr_msg(e, "%s", zMsg);
    return db_constraint_error(e, DBC_OTHER, NULL, NULL, 0, zMsg);
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return gerr_set(e, GERR_UNAVAILABLE, NULL, "the database is busy, try again");
  for (size_t i = 0; i < sizeof aStorageFault / sizeof aStorageFault[0]; i++)
    if ((rc & 0xff) == aStorageFault[i].rc) {
      char zWhy[160];
      snprintf(zWhy, sizeof zWhy, "%s (SQLite: %.80s)", aStorageFault[i].zWhy, zMsg);
      log_error("database: %s", zWhy);
      db_health_fault(zWhy);
      return gerr_set(e, GERR_UNAVAILABLE, NULL, "%s: nothing was saved; try again later", aStorageFault[i].zWhy);
    }
  return gerr_set(e, GERR_DB, NULL, "database error: %s", zMsg);
}

/* A write that committed (the connection is back in autocommit and the
 * statement changed the database): the storage is writable. */
static void sq_wrote(sqlite3 *pDb) {
  if (sqlite3_get_autocommit(pDb)) db_health_ok();
}

/* Process-wide settings, before SQLite's first use: no memory statistics
 * (guild reads none, and keeping them takes a global mutex on every
 * allocation SQLite makes). */
static void sq_configure(void) {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifdef GUILD_FAULTS
  db_fault_install();   /* the test build's storage faults (db_fault.h) */
#endif
}
/* lower(X) for SQLite: every letter mapped as PostgreSQL's lower() maps it
 * under a UTF-8 locale (text_lower), where SQLite's own lowers only ASCII;
 * so the case-insensitive list search (DOM_CONTAINS) finds the same rows on
 * both engines. NULL stays NULL; text that is not UTF-8 is left as it is. */
static void sq_lower(sqlite3_context *pCtx, int nArg, sqlite3_value **apArg) {
  (void)nArg;
  if (sqlite3_value_type(apArg[0]) == SQLITE_NULL) return;
  const char *z = (const char *)sqlite3_value_text(apArg[0]);
  int n = sqlite3_value_bytes(apArg[0]);
  char *zLow = z ? text_lower(z, (size_t)n) : NULL;
  if (!zLow) {
    sqlite3_result_value(pCtx, apArg[0]);
    return;
  }
  sqlite3_result_text(pCtx, zLow, -1, free);
}

static int sq_open(const char *zUrl, int bCreate, void **ppConn, gerr *e) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, sq_configure);
  sqlite3 *pDb = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (bCreate ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(zUrl, &pDb, flags, NULL);
  if (rc != SQLITE_OK) {
    gerr_set(e, GERR_USAGE, "db", "cannot open database %s: %s", zUrl,
             pDb ? sqlite3_errmsg(pDb) : sqlite3_errstr(rc));
    sqlite3_close(pDb);
    return -1;
  }
  sqlite3_busy_timeout(pDb, SQLITE_BUSY_MS);
  sqlite3_create_function_v2(pDb, "lower", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sq_lower,
                             NULL, NULL, NULL);
  sqlite3_extended_result_codes(pDb, 1);
  char *zErr = NULL;
  rc = sqlite3_exec(pDb,
                    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                    "PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=" SQLITE_MMAP ";",
                    NULL, NULL, &zErr);
  if (rc != SQLITE_OK) {
    gerr_set(e, GERR_USAGE, "db", "cannot use database %s: %s", zUrl, zErr ? zErr : "?");
    sqlite3_free(zErr);
    sqlite3_close(pDb);
    return -1;
  }
  *ppConn = pDb;
  return 0;
}

static void sq_close(void *pConn) { sqlite3_close_v2(pConn); }

static void *sq_prepare(void *pConn, const char *zSql, gerr *e) {
  sqlite3_stmt *pStmt = NULL;
  int rc = sqlite3_prepare_v3(pConn, zSql, -1, SQLITE_PREPARE_PERSISTENT, &pStmt, NULL);
  if (rc != SQLITE_OK) {
    sq_error(pConn, rc, e);
    return NULL;
  }
  sq_stmt *s = g_calloc(1, sizeof *s);
  s->pStmt = pStmt;
  int n = sqlite3_bind_parameter_count(pStmt);
  for (int pass = 0; pass < 2; pass++) {   /* the highest $N, then the map */
    if (pass) s->aMap = g_calloc((size_t)s->nMap + 1, sizeof *s->aMap);
    for (int k = 1; k <= n; k++) {
      const char *zName = sqlite3_bind_parameter_name(pStmt, k);
      long iParam = zName && zName[0] == '$' ? strtol(zName + 1, NULL, 10) : 0;
      if (iParam < 1 || iParam > MAXPARAM) g_panic("bad SQL parameter %s in: %s", zName ? zName : "?", zSql);
      if (pass) s->aMap[iParam] = (uint16_t)k;
      else if (iParam > s->nMap) s->nMap = (int)iParam;
    }
  }
  return s;
}

static void sq_finalize(void *p) {
  sq_stmt *s = p;
  sqlite3_finalize(s->pStmt);
  free(s->aMap);
  free(s);
}

static void sq_evict(void *pConn, void *p) {
  (void)pConn;
  sq_finalize(p);
}

static int sq_index(sq_stmt *s, int i) {
  if (i < 1 || i > s->nMap || !s->aMap[i]) g_panic("no parameter $%d in: %s", i, sqlite3_sql(s->pStmt));
  return s->aMap[i];
}

static void sq_bind_int(void *p, int i, int64_t v) {
  sq_stmt *s = p;
  sqlite3_bind_int64(s->pStmt, sq_index(s, i), v);
}
static void sq_bind_text(void *p, int i, const char *z) {
  sq_stmt *s = p;
  sqlite3_bind_text(s->pStmt, sq_index(s, i), z, -1, SQLITE_TRANSIENT);
}
static void sq_bind_text_ref(void *p, int i, const char *z) {
  sq_stmt *s = p;
  sqlite3_bind_text(s->pStmt, sq_index(s, i), z, -1, SQLITE_STATIC);
}
static void sq_bind_blob(void *p, int i, const void *pData, size_t n) {
  sq_stmt *s = p;
  sqlite3_bind_blob64(s->pStmt, sq_index(s, i), n ? pData : "", (sqlite3_uint64)n, SQLITE_TRANSIENT);
}
static void sq_bind_null(void *p, int i) {
  sq_stmt *s = p;
  sqlite3_bind_null(s->pStmt, sq_index(s, i));
}

static int sq_step(void *pConn, void *p, gerr *e) {
  sq_stmt *s = p;
  int rc = sqlite3_step(s->pStmt);
  if (rc == SQLITE_ROW) return DB_ROW;
  if (rc == SQLITE_DONE) {
    if (!sqlite3_stmt_readonly(s->pStmt)) sq_wrote(pConn);
    return DB_DONE;
  }
  sq_error(pConn, rc, e);
  return DB_ERROR;
}

static int sq_ncol(void *p) { return sqlite3_column_count(((sq_stmt *)p)->pStmt); }
static int sq_col_null(void *p, int i) { return sqlite3_column_type(((sq_stmt *)p)->pStmt, i) == SQLITE_NULL; }
static int64_t sq_col_int(void *p, int i) { return sqlite3_column_int64(((sq_stmt *)p)->pStmt, i); }
static const char *sq_col_text(void *p, int i) {
  return (const char *)sqlite3_column_text(((sq_stmt *)p)->pStmt, i);
}
static const void *sq_col_blob(void *p, int i, size_t *pn) {
  sqlite3_stmt *pStmt = ((sq_stmt *)p)->pStmt;
  const void *pData = sqlite3_column_blob(pStmt, i);   /* before _bytes, as SQLite asks */
  *pn = (size_t)sqlite3_column_bytes(pStmt, i);
  return pData ? pData : (sqlite3_column_type(pStmt, i) == SQLITE_NULL ? NULL : "");
}
static int sq_col_is_blob(void *p, int i) { return sqlite3_column_type(((sq_stmt *)p)->pStmt, i) == SQLITE_BLOB; }
static const char *sq_col_name(void *p, int i) { return sqlite3_column_name(((sq_stmt *)p)->pStmt, i); }
static void sq_reset(void *p) {
  sq_stmt *s = p;
  sqlite3_reset(s->pStmt);
  sqlite3_clear_bindings(s->pStmt);
}

static int64_t sq_changes(void *pConn, void *p) {
  (void)p;
  return sqlite3_changes64(pConn);
}

static int64_t sq_last_id(void *pConn) { return sqlite3_last_insert_rowid(pConn); }

static int sq_exec(void *pConn, const char *zSql, gerr *e);

static int sq_bulk_mode(void *pConn, int bOn, gerr *e) {
  return sq_exec(pConn, bOn ? "PRAGMA mmap_size=0; PRAGMA foreign_keys=OFF; PRAGMA temp_store=FILE"
                            : "PRAGMA mmap_size=" SQLITE_MMAP "; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY", e);
}

static int sq_cache_size(void *pConn, int nMiB, gerr *e) {
  char zSql[64];
  snprintf(zSql, sizeof zSql, "PRAGMA cache_size = -%d", nMiB * 1024);   /* negative: KiB */
  return sq_exec(pConn, zSql, e);
}

static int sq_exec(void *pConn, const char *zSql, gerr *e) {
  char *zErr = NULL;
  int rc = sqlite3_exec(pConn, zSql, NULL, NULL, &zErr);
  sqlite3_free(zErr);
  if (rc != SQLITE_OK) return sq_error(pConn, rc, e);
  if (strncmp(zSql, "COMMIT", 6) == 0) sq_wrote(pConn);
  return 0;
}

const db_backend db_sqlite_backend = {
    .zName = "sqlite",
    .xOpen = sq_open,
    .xClose = sq_close,
    .xPrepare = sq_prepare,
    .xFinalize = sq_finalize,
    .xEvict = sq_evict,
    .xBindInt = sq_bind_int,
    .xBindText = sq_bind_text,
    .xBindTextRef = sq_bind_text_ref,
    .xBindNull = sq_bind_null,
    .xBindBlob = sq_bind_blob,
    .xStep = sq_step,
    .xNcol = sq_ncol,
    .xColNull = sq_col_null,
    .xColInt = sq_col_int,
    .xColText = sq_col_text,
    .xColBlob = sq_col_blob,
    .xColIsBlob = sq_col_is_blob,
    .xColName = sq_col_name,
    .xReset = sq_reset,
    .xExec = sq_exec,
    .xChanges = sq_changes,
    .xLastId = sq_last_id,
    .xBulkMode = sq_bulk_mode,
    .zBegin = "BEGIN IMMEDIATE",
    .bOneWriter = 1,
    .zIndexSql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
    .xCacheSize = sq_cache_size,
};
