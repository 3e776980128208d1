/* db.c: engine-independent half of the store: connection objects, the
 * per-connection prepared-statement cache (least recently used statements
 * evicted) and nested transactions. */
#include "store/db_int.h"
#include "core/mem.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statement cache. Every statement is in a hash table on the caller's
 * SQL pointer (buckets chained through ppPrev/pNext, so unlinking is O(1))
 * and, while not in use, on a list of idle statements, most recently
 * finished first. A statement is in use from db_prepare to db_done: only
 * idle ones are evicted (the oldest, when a new text would make more than
 * DB_CACHE_STATEMENTS). In-use statements are never evicted, so the cache
 * holds more than that while more are in use at once, up to DB_INUSE_MAX. */
#define DB_INUSE_MAX 4096   /* in use at once: more is a caller that forgot db_done */
#define DB_HASH_BITS 10     /* 1024 buckets */

struct db_stmt {
  db *pDb;
  const char *zKey;   /* the caller's pointer: the cache's key */
  char *zSql;         /* our copy of the text, to confirm a hit */
  void *pImpl;
  db_stmt *pNext, **ppPrev;    /* hash chain */
  db_stmt *pOlder, *pNewer;    /* the idle list, while not in use */
  int bInUse;
};

struct db {
  const db_backend *pB;
  void *pConn;
  char *zUrl;
  int nDepth;
  atomic_int bInterrupted;   /* db_interrupt */
  int nStmt;                 /* statements held */
  int nInUse;                /* of which in use */
  db_stmt *pNewest, *pOldest;          /* idle statements */
  db_stmt *apHash[1 << DB_HASH_BITS];
};

int db_open(const char *zUrl, int bCreate, db **ppDb, gerr *e) {
  const db_backend *pB = db_is_postgres_url(zUrl) ? &db_postgres_backend : &db_sqlite_backend;
  void *pConn = NULL;
  if (pB->xOpen(zUrl, bCreate, &pConn, e)) return -1;
  db *p = g_calloc(1, sizeof *p);
  p->pB = pB;
  p->pConn = pConn;
  p->zUrl = g_strdup(zUrl);
  *ppDb = p;
  return 0;
}

void db_close(db *p) {
  if (!p) return;
  while (p->nDepth > 0) db_rollback(p);
  for (int i = 0; i < (1 << DB_HASH_BITS); i++) {
    db_stmt *s = p->apHash[i];
    while (s) {
      db_stmt *pNext = s->pNext;
      p->pB->xFinalize(s->pImpl);
      free(s->zSql);
      free(s);
      s = pNext;
    }
  }
  p->pB->xClose(p->pConn);
  free(p->zUrl);
  free(p);
}

void *db_conn(db *p) { return p->pConn; }

db_engine db_engine_of(const db *p) { return p->pB == &db_sqlite_backend ? DB_SQLITE : DB_POSTGRES; }
const char *db_url(const db *p) { return p->zUrl; }

int db_is_postgres_url(const char *zUrl) {
  return strncmp(zUrl, "postgres://", 11) == 0 || strncmp(zUrl, "postgresql://", 13) == 0;
}

void db_url_redacted(const char *zUrl, char *zOut, size_t nOut) {
  const char *zAt = db_is_postgres_url(zUrl) ? strchr(zUrl, '@') : NULL;
  const char *zScheme = strstr(zUrl, "://");
  if (zAt && zScheme && zAt > zScheme) snprintf(zOut, nOut, "%.*s***%s", (int)(zScheme + 3 - zUrl), zUrl, zAt);
  else snprintf(zOut, nOut, "%s", zUrl);
}

/* The bucket of the SQL pointer zSql (Fibonacci hashing: the top bits of
 * the product depend on every bit of the pointer). */
static unsigned cache_bucket(const char *zSql) {
  return (unsigned)(((uint64_t)(uintptr_t)zSql * 0x9E3779B97F4A7C15ull) >> (64 - DB_HASH_BITS));
}

/* Takes s off the idle list. */
static void idle_unlink(db *p, db_stmt *s) {
  if (s->pOlder) s->pOlder->pNewer = s->pNewer;
  else p->pOldest = s->pNewer;
  if (s->pNewer) s->pNewer->pOlder = s->pOlder;
  else p->pNewest = s->pOlder;
  s->pOlder = s->pNewer = NULL;
}

/* Finalizes the idle statement s and frees it. */
static void cache_evict(db *p, db_stmt *s) {
  idle_unlink(p, s);
  *s->ppPrev = s->pNext;
  if (s->pNext) s->pNext->ppPrev = s->ppPrev;
  p->pB->xEvict(p->pConn, s->pImpl);
  free(s->zSql);
  free(s);
  p->nStmt--;
}

/* A miss: prepares zSql as a new statement, in use, in bucket *ppBucket,
 * then evicts the oldest idle statements beyond the cache's size. */
static db_stmt *cache_add(db *p, db_stmt **ppBucket, const char *zSql, gerr *e) {
  if (p->nInUse >= DB_INUSE_MAX) {
    gerr_set(e, GERR_INTERNAL, NULL,
             "statement cache: %d statements in use at once on one connection (a db_prepare without db_done?)",
             p->nInUse);
    return NULL;
  }
  /* prepare first: a failed prepare evicts nothing, and PostgreSQL is out of
   * any failed transaction when the evicted statements are deallocated */
  void *pImpl = p->pB->xPrepare(p->pConn, zSql, e);
  if (!pImpl) return NULL;
  while (p->nStmt >= DB_CACHE_STATEMENTS && p->pOldest) cache_evict(p, p->pOldest);
  db_stmt *s = g_calloc(1, sizeof *s);
  s->pDb = p;
  s->zKey = zSql;
  s->zSql = g_strdup(zSql);
  s->pImpl = pImpl;
  s->bInUse = 1;
  s->pNext = *ppBucket;
  if (s->pNext) s->pNext->ppPrev = &s->pNext;
  s->ppPrev = ppBucket;
  *ppBucket = s;
  p->nStmt++;
  p->nInUse++;
  return s;
}

db_stmt *db_prepare(db *p, const char *zSql, gerr *e) {
  db_stmt **ppBucket = &p->apHash[cache_bucket(zSql)];
  for (db_stmt *s = *ppBucket; s; s = s->pNext) {
    /* the same pointer with another text: a dead text's memory reused (an
     * arena's); that entry is never hit again and ages out of the idle list */
    if (s->zKey != zSql || strcmp(s->zSql, zSql) != 0) continue;
    if (!s->bInUse) {
      idle_unlink(p, s);
      s->bInUse = 1;
      p->nInUse++;
    }
    return s;
  }
  return cache_add(p, ppBucket, zSql, e);
}

int db_cache_count(const db *p, int *pnInUse) {
  if (pnInUse) *pnInUse = p->nInUse;
  return p->nStmt;
}

void db_bind_int(db_stmt *s, int i, int64_t v) { s->pDb->pB->xBindInt(s->pImpl, i, v); }
void db_bind_text(db_stmt *s, int i, const char *z) {
  if (z) s->pDb->pB->xBindText(s->pImpl, i, z);
  else s->pDb->pB->xBindNull(s->pImpl, i);
}
void db_bind_null(db_stmt *s, int i) { s->pDb->pB->xBindNull(s->pImpl, i); }
void db_bind_text_ref(db_stmt *s, int i, const char *z) { s->pDb->pB->xBindTextRef(s->pImpl, i, z); }
void db_bind_int_or_null(db_stmt *s, int i, int64_t v, int bNull) {
  if (bNull) db_bind_null(s, i);
  else db_bind_int(s, i, v);
}
void db_bind_blob(db_stmt *s, int i, const void *p, size_t n) { s->pDb->pB->xBindBlob(s->pImpl, i, p, n); }
int db_step(db_stmt *s, gerr *e) {
  if (atomic_load(&s->pDb->bInterrupted)) {
    gerr_set(e, GERR_UNAVAILABLE, NULL, "interrupted: the server is stopping");
    return DB_ERROR;
  }
  return s->pDb->pB->xStep(s->pDb->pConn, s->pImpl, e);
}

void db_interrupt(db *p, int bOn) { atomic_store(&p->bInterrupted, bOn); }
int db_ncol(db_stmt *s) { return s->pDb->pB->xNcol(s->pImpl); }
int db_col_null(db_stmt *s, int i) { return s->pDb->pB->xColNull(s->pImpl, i); }
int64_t db_col_int(db_stmt *s, int i) { return s->pDb->pB->xColInt(s->pImpl, i); }
const char *db_col_text(db_stmt *s, int i) {
  const char *z = s->pDb->pB->xColText(s->pImpl, i);
  return z ? z : "";
}
const void *db_col_blob(db_stmt *s, int i, size_t *pn) { return s->pDb->pB->xColBlob(s->pImpl, i, pn); }
int db_col_is_blob(db_stmt *s, int i) { return s->pDb->pB->xColIsBlob(s->pImpl, i); }
const char *db_col_name(db_stmt *s, int i) { return s->pDb->pB->xColName(s->pImpl, i); }
void db_done(db_stmt *s) {
  db *p = s->pDb;
  p->pB->xReset(s->pImpl);
  if (!s->bInUse) return;   /* a second db_done */
  s->bInUse = 0;
  p->nInUse--;
  s->pOlder = p->pNewest;
  if (p->pNewest) p->pNewest->pNewer = s;
  else p->pOldest = s;
  p->pNewest = s;
}
int64_t db_changes(db_stmt *s) { return s->pDb->pB->xChanges(s->pDb->pConn, s->pImpl); }
int64_t db_last_insert_id(db *p) { return p->pB->xLastId(p->pConn); }
int db_bulk_mode(db *p, int bOn, gerr *e) { return p->pB->xBulkMode(p->pConn, bOn, e); }

int db_one_writer(const db *p) { return p->pB->bOneWriter; }
int db_cache_size(db *p, int nMiB, gerr *e) { return p->pB->xCacheSize(p->pConn, nMiB, e); }

int db_index_rebuild_sql(db *p, const char *zIndex, arena *a, const char **pzCreate, gerr *e) {
  *pzCreate = NULL;
  if (!p->pB->zIndexSql) return 0;
  db_stmt *s = db_prepare(p, p->pB->zIndexSql, e);
  if (!s) return -1;
  db_bind_text(s, 1, zIndex);
  int rc = db_step(s, e);
  if (rc == DB_ROW && db_col_text(s, 0)[0]) *pzCreate = arena_strdup(a, db_col_text(s, 0));
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int db_exec(db *p, const char *zSql, gerr *e) { return p->pB->xExec(p->pConn, zSql, e); }

int db_query_int(db *p, const char *zSql, int bParam, int64_t param, int64_t *pOut, gerr *e) {
  db_stmt *s = db_prepare(p, zSql, e);
  if (!s) return DB_ERROR;
  if (bParam) db_bind_int(s, 1, param);
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pOut = db_col_int(s, 0);
  db_done(s);
  return rc;
}

int db_depth(const db *p) { return p->nDepth; }

int db_begin(db *p, gerr *e) {
  char zSql[64];
  if (p->nDepth == 0) {
    if (db_exec(p, p->pB->zBegin, e)) return -1;
  } else {
    snprintf(zSql, sizeof zSql, "SAVEPOINT sp%d", p->nDepth);
    if (db_exec(p, zSql, e)) return -1;
  }
  p->nDepth++;
  return 0;
}

int db_commit(db *p, gerr *e) {
  char zSql[64];
  if (p->nDepth <= 0) g_panic("db_commit without db_begin");
  if (p->nDepth == 1) {
    if (db_exec(p, "COMMIT", e)) {
      db_rollback(p);
      return -1;
    }
  } else {
    snprintf(zSql, sizeof zSql, "RELEASE SAVEPOINT sp%d", p->nDepth - 1);
    if (db_exec(p, zSql, e)) return -1;
  }
  p->nDepth--;
  return 0;
}

void db_rollback(db *p) {
  char zSql[96];
  if (p->nDepth <= 0) g_panic("db_rollback without db_begin");
  if (p->nDepth == 1) {
    db_exec(p, "ROLLBACK", NULL);
  } else {
    snprintf(zSql, sizeof zSql, "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d",
             p->nDepth - 1, p->nDepth - 1);
    db_exec(p, zSql, NULL);
  }
  p->nDepth--;
}
