/* db.c: engine-independent half of the store: connection objects, the
 * per-connection prepared-statement cache and nested transactions. */
#include "store/db_int.h"
#include "core/mem.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB_CACHE 256   /* statement cache slots per connection (power of 2) */

struct db_stmt {
  db *pDb;
  const char *zKey;   /* the caller's pointer: the cache's key */
  char *zSql;         /* our copy of the text, to confirm a hit */
  void *pImpl;
};

struct db {
  const db_backend *pB;
  void *pConn;
  char *zUrl;
  int nDepth;
  atomic_int bInterrupted;   /* db_interrupt */
  db_stmt aCache[DB_CACHE];
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
  for (int i = 0; i < DB_CACHE; i++) {
    if (p->aCache[i].pImpl) p->pB->xFinalize(p->aCache[i].pImpl);
    free(p->aCache[i].zSql);
  }
  p->pB->xClose(p->pConn);
  free(p->zUrl);
  free(p);
}

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

static unsigned cache_slot(const char *zSql) {
  uintptr_t h = (uintptr_t)zSql;
  h ^= h >> 17;
  h *= 0x9E3779B1u;
  return (unsigned)(h >> 7) & (DB_CACHE - 1);
}

db_stmt *db_prepare(db *p, const char *zSql, gerr *e) {
  unsigned i = cache_slot(zSql);
  for (unsigned k = 0; k < DB_CACHE; k++, i = (i + 1) & (DB_CACHE - 1)) {
    db_stmt *s = &p->aCache[i];
    if (s->zKey == zSql && strcmp(s->zSql, zSql) == 0) return s;  /* hit */
    if (!s->pImpl) {
      void *pImpl = p->pB->xPrepare(p->pConn, zSql, e);
      if (!pImpl) return NULL;
      s->pDb = p;
      s->zKey = zSql;
      s->zSql = g_strdup(zSql);
      s->pImpl = pImpl;
      return s;
    }
  }
  g_panic("statement cache full (%d statements)", DB_CACHE);
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
const char *db_col_name(db_stmt *s, int i) { return s->pDb->pB->xColName(s->pImpl, i); }
void db_done(db_stmt *s) { s->pDb->pB->xReset(s->pImpl); }
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
