/* db_postgres.c: the PostgreSQL backend (libpq). One connection per server
 * thread; every statement is prepared once per connection (and again after a
 * reconnect); parameters travel as text and PostgreSQL infers their types.
 * A lost connection is reset at once and the request that saw it answers
 * 503: the transaction it was in is gone, so nothing is half-written. */
#include "store/db_int.h"
#include "store/db_health.h"
#include "core/log.h"
#include "core/mem.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXPARAM 65535   /* PostgreSQL's own limit (a multi-row INSERT of an import has thousands) */

typedef struct pg_conn {
  PGconn *pConn;
  unsigned gen;      /* bumped by every reconnect: statements must be prepared again */
  unsigned nStmt;    /* names statements g1, g2, ... (evicted names are not reused) */
  int bWrote;        /* the open transaction has written (pg_wrote) */
} pg_conn;

typedef struct pg_stmt {
  pg_conn *pC;
  char *zSql;
  char zName[16];
  unsigned gen;      /* the connection generation it was prepared in */
  int nParam;
  const char **azParam;      /* nParam + 1: [i] is $i's text, NULL for SQL NULL */
  unsigned char *aOwned;     /* [i]: azParam[i] is ours to free */
  char (*aNum)[24];          /* [i]: the text of an integer bound to $i */
  int *aLen, *aFmt;          /* [i]: the length and format (1: binary) of a blob bound to $i */
  int nBinary;               /* parameters bound in binary: aLen and aFmt go with the execution */
  unsigned char *pBlob;      /* the last column db_col_blob decoded (PQfreemem) */
  PGresult *pRes;
  int iRow, nRow, bRan;
} pg_stmt;

/* Errors of the storage, by SQLSTATE or its class (a prefix): the server
 * cannot write now, so the request is 503 "nothing was saved" and health
 * degraded, as SQLite's full disk and read-only file (db_sqlite.c). */
static const struct {
  const char *zState, *zWhy;
} aStorageFault[] = {
    {"53100", "the disk holding the database is full"},
    {"25006", "the database is read-only (default_transaction_read_only, or a standby)"},
    {"58030", "the database server could not write a file (I/O error)"},
    {"53", "the database server lacks resources (memory, connections, or another limit)"},
};

/* A statement that ran on c with result r: a write outside a transaction,
 * or the COMMIT of a transaction that wrote, shows the storage writable
 * (a read-only database still commits transactions that only read; a
 * failed transaction's COMMIT is tagged ROLLBACK). */
static void pg_wrote(pg_conn *c, PGresult *r) {
  static const char *const azWrite[] = {"INSERT", "UPDATE", "DELETE"};
  const char *zTag = PQcmdStatus(r);
  int bIdle = PQtransactionStatus(c->pConn) == PQTRANS_IDLE;
  for (size_t i = 0; i < sizeof azWrite / sizeof azWrite[0]; i++)
    if (strncmp(zTag, azWrite[i], strlen(azWrite[i])) == 0) c->bWrote = 1;
  if (bIdle && c->bWrote && strncmp(zTag, "ROLLBACK", 8) != 0) db_health_ok();
  if (bIdle) c->bWrote = 0;
}

/* Maps a failed result to a gerr: constraint violations are conflicts, a
 * lost connection is 503 (and the connection is reset for the next
 * request), a fault of the storage 503 (aStorageFault), anything else a
 * database error. */
static int pg_error(pg_conn *c, PGresult *pRes, gerr *e) {
  const char *zState = pRes ? PQresultErrorField(pRes, PG_DIAG_SQLSTATE) : NULL;
  const char *zMsg = pRes ? PQresultErrorField(pRes, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (!zMsg) zMsg = PQerrorMessage(c->pConn);
  if (PQstatus(c->pConn) == CONNECTION_BAD) {
    PQreset(c->pConn);
    c->gen++;
    c->bWrote = 0;
    return gerr_set(e, GERR_UNAVAILABLE, NULL, "the database connection was lost; nothing was saved, try again");
  }
  if (zState && strcmp(zState, "23505") == 0) {   /* unique: the columns from "Key (a, b)=(...) already exists." */
    const char *zDetail = PQresultErrorField(pRes, PG_DIAG_MESSAGE_DETAIL);
    const char *zCols = zDetail && strncmp(zDetail, "Key (", 5) == 0 ? zDetail + 5 : NULL;
    const char *zEnd = zCols ? strstr(zCols, ")=(") : NULL;
    return db_constraint_error(e, DBC_UNIQUE, PQresultErrorField(pRes, PG_DIAG_TABLE_NAME), zEnd ? zCols : NULL,
                               zEnd ? (size_t)(zEnd - zCols) : 0, zMsg);
  }
  if (zState && strcmp(zState, "23503") == 0) return db_constraint_error(e, DBC_FOREIGN_KEY, NULL, NULL, 0, zMsg);
  if (zState && strncmp(zState, "23", 2) == 0)   /* not null, check, exclusion */
    return db_constraint_error(e, DBC_OTHER, NULL, NULL, 0, zMsg);
  if (zState && (strcmp(zState, "40001") == 0 || strcmp(zState, "40P01") == 0 || strcmp(zState, "55P03") == 0))
    return gerr_set(e, GERR_UNAVAILABLE, NULL, "the database is busy, try again");
  if (zState && strncmp(zState, "08", 2) == 0)
    return gerr_set(e, GERR_UNAVAILABLE, NULL, "the database connection failed; try again");
  for (size_t i = 0; zState && i < sizeof aStorageFault / sizeof aStorageFault[0]; i++)
    if (strncmp(zState, aStorageFault[i].zState, strlen(aStorageFault[i].zState)) == 0) {
      char zWhy[200];
      snprintf(zWhy, sizeof zWhy, "%s (PostgreSQL %s: %.80s)", aStorageFault[i].zWhy, zState, zMsg);
      log_error("database: %s", zWhy);
      db_health_fault(zWhy);
      return gerr_set(e, GERR_UNAVAILABLE, NULL, "%s: nothing was saved; try again later", aStorageFault[i].zWhy);
    }
  return gerr_set(e, GERR_DB, NULL, "database error: %s", zMsg);
}

static int pg_open(const char *zUrl, int bCreate, void **ppConn, gerr *e) {
  (void)bCreate;
  PGconn *p = PQconnectdb(zUrl);
  if (!p || PQstatus(p) != CONNECTION_OK) {
    gerr_set(e, GERR_UNAVAILABLE, "db", "cannot connect to PostgreSQL: %s", p ? PQerrorMessage(p) : "out of memory");
    PQfinish(p);
    return -1;
  }
  PGresult *r = PQexec(p, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  PQclear(r);
  pg_conn *c = g_calloc(1, sizeof *c);
  c->pConn = p;
  *ppConn = c;
  return 0;
}

static void pg_close(void *pConn) {
  pg_conn *c = pConn;
  PQfinish(c->pConn);
  free(c);
}

/* The highest $N in zSql, outside quoted literals. */
static int count_params(const char *zSql) {
  int nMax = 0;
  char quote = 0;
  for (const char *p = zSql; *p; p++) {
    if (quote) {
      if (*p == quote) quote = 0;
    } else if (*p == '\'' || *p == '"') {
      quote = *p;
    } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
      int n = (int)strtol(p + 1, NULL, 10);
      if (n > nMax) nMax = n;
    }
  }
  return nMax;
}

static int pg_prepare_on(pg_stmt *s, gerr *e) {
  PGresult *r = PQprepare(s->pC->pConn, s->zName, s->zSql, s->nParam, NULL);
  int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) pg_error(s->pC, r, e);
  PQclear(r);
  if (ok) s->gen = s->pC->gen;
  return ok ? 0 : -1;
}

static void free_stmt(pg_stmt *s) {
  free(s->azParam);
  free(s->aOwned);
  free(s->aNum);
  free(s->aLen);
  free(s->aFmt);
  free(s->zSql);
  free(s);
}

static void *pg_prepare(void *pConn, const char *zSql, gerr *e) {
  pg_conn *c = pConn;
  pg_stmt *s = g_calloc(1, sizeof *s);
  s->pC = c;
  s->zSql = g_strdup(zSql);
  snprintf(s->zName, sizeof s->zName, "g%u", ++c->nStmt);
  s->nParam = count_params(zSql);
  if (s->nParam > MAXPARAM) g_panic("too many parameters in: %s", zSql);
  s->azParam = g_calloc((size_t)s->nParam + 1, sizeof *s->azParam);
  s->aOwned = g_calloc((size_t)s->nParam + 1, sizeof *s->aOwned);
  s->aNum = g_calloc((size_t)s->nParam + 1, sizeof *s->aNum);
  s->aLen = g_calloc((size_t)s->nParam + 1, sizeof *s->aLen);
  s->aFmt = g_calloc((size_t)s->nParam + 1, sizeof *s->aFmt);
  if (pg_prepare_on(s, e)) {
    free_stmt(s);
    return NULL;
  }
  return s;
}

static void clear_params(pg_stmt *s) {
  for (int i = 1; i <= s->nParam; i++) {
    if (s->aOwned[i]) free((char *)s->azParam[i]);
    s->azParam[i] = NULL;
    s->aOwned[i] = 0;
    s->aLen[i] = s->aFmt[i] = 0;
  }
  s->nBinary = 0;
}

static void free_blob(pg_stmt *s) {
  if (s->pBlob) PQfreemem(s->pBlob);
  s->pBlob = NULL;
}

static void pg_reset(void *p) {
  pg_stmt *s = p;
  PQclear(s->pRes);
  s->pRes = NULL;
  free_blob(s);
  s->bRan = 0;
  s->iRow = s->nRow = 0;
  clear_params(s);
}

static void pg_finalize(void *p) {
  pg_stmt *s = p;
  pg_reset(s);
  free_stmt(s);
}

/* Finalizes a statement the open connection no longer needs, dropping the
 * server's prepared statement too (unless a reconnect already has). The
 * cache evicts only after a successful prepare, so the connection is not in
 * a failed transaction here; should DEALLOCATE fail anyway, the name is
 * never reused (nStmt only grows) and the server drops it at disconnect. */
static void pg_evict(void *pConn, void *p) {
  pg_conn *c = pConn;
  pg_stmt *s = p;
  if (s->gen == c->gen) {
    char zSql[48];
    snprintf(zSql, sizeof zSql, "DEALLOCATE %s", s->zName);
    PQclear(PQexec(c->pConn, zSql));
  }
  pg_finalize(s);
}

static int check_index(pg_stmt *s, int i) {
  if (i < 1 || i > s->nParam) g_panic("no parameter $%d in: %s", i, s->zSql);
  if (s->aOwned[i]) free((char *)s->azParam[i]);
  s->aOwned[i] = 0;
  if (s->aFmt[i]) s->nBinary--;
  s->aLen[i] = s->aFmt[i] = 0;
  return i;
}

static void pg_bind_int(void *p, int i, int64_t v) {
  pg_stmt *s = p;
  check_index(s, i);
  snprintf(s->aNum[i], sizeof s->aNum[i], "%lld", (long long)v);
  s->azParam[i] = s->aNum[i];
}

static void pg_bind_text(void *p, int i, const char *z) {
  pg_stmt *s = p;
  check_index(s, i);
  s->azParam[i] = g_strdup(z);
  s->aOwned[i] = 1;
}

static void pg_bind_text_ref(void *p, int i, const char *z) {
  pg_stmt *s = p;
  check_index(s, i);
  s->azParam[i] = z;
}

/* A blob travels in binary (format 1), so PostgreSQL takes its bytes as
 * they are for the BYTEA column the SQL names. */
static void pg_bind_blob(void *p, int i, const void *pData, size_t n) {
  pg_stmt *s = p;
  check_index(s, i);
  if (n > (size_t)0x7fffffff) g_panic("a blob of %zu bytes", n);
  char *z = g_malloc(n ? n : 1);
  if (n) memcpy(z, pData, n);
  s->azParam[i] = z;
  s->aOwned[i] = 1;
  s->aLen[i] = (int)n;
  s->aFmt[i] = 1;
  s->nBinary++;
}

static void pg_bind_null(void *p, int i) {
  pg_stmt *s = p;
  check_index(s, i);
  s->azParam[i] = NULL;
}

static int pg_step(void *pConn, void *p, gerr *e) {
  (void)pConn;
  pg_stmt *s = p;
  if (!s->bRan) {
    if (s->gen != s->pC->gen && pg_prepare_on(s, e)) return DB_ERROR;
    s->pRes = PQexecPrepared(s->pC->pConn, s->zName, s->nParam, s->azParam + 1, s->nBinary ? s->aLen + 1 : NULL,
                             s->nBinary ? s->aFmt + 1 : NULL, 0);
    ExecStatusType st = s->pRes ? PQresultStatus(s->pRes) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      pg_error(s->pC, s->pRes, e);
      return DB_ERROR;
    }
    pg_wrote(s->pC, s->pRes);
    s->bRan = 1;
    s->iRow = -1;
    s->nRow = st == PGRES_TUPLES_OK ? PQntuples(s->pRes) : 0;
  }
  free_blob(s);
  if (++s->iRow < s->nRow) return DB_ROW;
  return DB_DONE;
}

static int pg_ncol(void *p) {
  pg_stmt *s = p;
  return s->pRes ? PQnfields(s->pRes) : 0;
}
static int pg_col_null(void *p, int i) {
  pg_stmt *s = p;
  return PQgetisnull(s->pRes, s->iRow, i);
}
static int64_t pg_col_int(void *p, int i) {
  pg_stmt *s = p;
  return (int64_t)strtoll(PQgetvalue(s->pRes, s->iRow, i), NULL, 10);
}
static const char *pg_col_text(void *p, int i) {
  pg_stmt *s = p;
  return PQgetvalue(s->pRes, s->iRow, i);
}

/* Results come as text: a BYTEA's is its hex form, decoded here. */
static const void *pg_col_blob(void *p, int i, size_t *pn) {
  pg_stmt *s = p;
  *pn = 0;
  free_blob(s);
  if (PQgetisnull(s->pRes, s->iRow, i)) return NULL;
  size_t n = 0;
  s->pBlob = PQunescapeBytea((const unsigned char *)PQgetvalue(s->pRes, s->iRow, i), &n);
  if (!s->pBlob) g_panic("out of memory decoding a BYTEA");
  *pn = n;
  return s->pBlob;
}

#define PG_BYTEA_OID 17   /* pg_type's bytea */
static int pg_col_is_blob(void *p, int i) {
  pg_stmt *s = p;
  return s->pRes && PQftype(s->pRes, i) == PG_BYTEA_OID && !PQgetisnull(s->pRes, s->iRow, i);
}

static const char *pg_col_name(void *p, int i) {
  pg_stmt *s = p;
  return s->pRes ? PQfname(s->pRes, i) : "";
}

static int64_t pg_changes(void *pConn, void *p) {
  (void)pConn;
  pg_stmt *s = p;
  const char *z = s->pRes ? PQcmdTuples(s->pRes) : "";
  return z[0] ? (int64_t)strtoll(z, NULL, 10) : 0;
}

static int64_t pg_last_id(void *pConn) {
  (void)pConn;
  return -1;
}

static int pg_bulk_mode(void *pConn, int bOn, gerr *e) {
  (void)pConn;
  (void)bOn;
  (void)e;
  return 0;
}

static int pg_exec(void *pConn, const char *zSql, gerr *e) {
  pg_conn *c = pConn;
  PGresult *r = PQexec(c->pConn, zSql);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  int rc = 0;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    rc = pg_error(c, r, e);
  else
    pg_wrote(c, r);
  PQclear(r);
  return rc;
}

static int pg_cache_size(void *pConn, int nMiB, gerr *e) {   /* the server's cache: nothing to set */
  (void)pConn;
  (void)nMiB;
  (void)e;
  return 0;
}

const db_backend db_postgres_backend = {
    .zName = "postgres",
    .xOpen = pg_open,
    .xClose = pg_close,
    .xPrepare = pg_prepare,
    .xFinalize = pg_finalize,
    .xEvict = pg_evict,
    .xBindInt = pg_bind_int,
    .xBindText = pg_bind_text,
    .xBindTextRef = pg_bind_text_ref,
    .xBindNull = pg_bind_null,
    .xBindBlob = pg_bind_blob,
    .xStep = pg_step,
    .xNcol = pg_ncol,
    .xColNull = pg_col_null,
    .xColInt = pg_col_int,
    .xColText = pg_col_text,
    .xColBlob = pg_col_blob,
    .xColIsBlob = pg_col_is_blob,
    .xColName = pg_col_name,
    .xReset = pg_reset,
    .xExec = pg_exec,
    .xChanges = pg_changes,
    .xLastId = pg_last_id,
    .xBulkMode = pg_bulk_mode,
    .zBegin = "BEGIN",
    .bOneWriter = 0,
    .zIndexSql = NULL,
    .xCacheSize = pg_cache_size,
};
