/* db_int.h: what a storage backend provides to db.c. Private to src/store. */
#ifndef GUILD_DB_INT_H
#define GUILD_DB_INT_H
#include "store/db.h"

typedef struct db_backend {
  const char *zName;
  int (*xOpen)(const char *zUrl, int bCreate, void **ppConn, gerr *e);
  void (*xClose)(void *pConn);
  void *(*xPrepare)(void *pConn, const char *zSql, gerr *e);
  void (*xFinalize)(void *pStmt);                 /* the connection is closing */
  void (*xEvict)(void *pConn, void *pStmt);       /* finalize; the connection stays open */
  void (*xBindInt)(void *pStmt, int i, int64_t v);
  void (*xBindText)(void *pStmt, int i, const char *z);
  void (*xBindTextRef)(void *pStmt, int i, const char *z);   /* not copied */
  void (*xBindNull)(void *pStmt, int i);
  void (*xBindBlob)(void *pStmt, int i, const void *p, size_t n);   /* copied */
  int (*xStep)(void *pConn, void *pStmt, gerr *e);
  int (*xNcol)(void *pStmt);
  int (*xColNull)(void *pStmt, int i);
  int64_t (*xColInt)(void *pStmt, int i);
  const char *(*xColText)(void *pStmt, int i);
  const void *(*xColBlob)(void *pStmt, int i, size_t *pn);   /* see db_col_blob */
  int (*xColIsBlob)(void *pStmt, int i);
  const char *(*xColName)(void *pStmt, int i);
  void (*xReset)(void *pStmt);
  int (*xExec)(void *pConn, const char *zSql, gerr *e);
  int64_t (*xChanges)(void *pConn, void *pStmt);   /* rows the statement's last run changed */
  int64_t (*xLastId)(void *pConn);                  /* rowid of the last insert, -1: not known */
  int (*xBulkMode)(void *pConn, int bOn, gerr *e);  /* see db_bulk_mode */
  const char *zBegin;  /* SQL that opens the outermost write transaction */
  int bOneWriter;      /* see db_one_writer */
  /* the query ($1: the name) giving an index's CREATE text, for
   * db_index_rebuild_sql; NULL: rebuilding after a bulk write gains nothing */
  const char *zIndexSql;
  int (*xCacheSize)(void *pConn, int nMiB, gerr *e);   /* see db_cache_size */
} db_backend;

/* The kinds of constraint an engine refuses a write for. */
typedef enum { DBC_UNIQUE, DBC_FOREIGN_KEY, DBC_OTHER } db_constraint;

/* Fills e (GERR_CONFLICT) for a refused constraint in guild's words and
 * logs zEngine (the engine's own text, which never reaches the user). A
 * unique one names zTable and the nCols bytes of zCols ("a, b": the key's
 * columns, when the engine said which), and the last column as the field.
 * Returns -1. (db_error.c) */
int db_constraint_error(gerr *e, db_constraint kind, const char *zTable, const char *zCols, size_t nCols,
                        const char *zEngine);

/* The backend's own connection of p (its sqlite3 or pg_conn), for store
 * code beside the backends (db_backup.c). */
void *db_conn(db *p);

extern const db_backend db_sqlite_backend;
extern const db_backend db_postgres_backend;

#endif
