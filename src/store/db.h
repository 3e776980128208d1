/* db.h: the one storage interface the rest of guild includes.
 *
 * A `db` is one connection (one per server thread). SQL text is the same for
 * every engine: $1-style parameters, INSERT ... RETURNING, ON CONFLICT, times
 * as integers computed in C. Only the backends (db_sqlite.c, db_postgres.c)
 * see an engine's own API.
 *
 * Usage:  db_stmt *s = db_prepare(p, zSql, e);  db_bind_int(s, 1, id);
 *         while ((rc = db_step(s, e)) == DB_ROW) { ... db_col_text(s, 0) ... }
 *         db_done(s);
 * Text returned by db_col_text is valid until the next db_step or db_done.
 *
 * The statement cache. Each connection keeps its prepared statements, keyed
 * on the SQL text's pointer (the text is compared too, so a pointer reused
 * for another text is a miss, not a wrong hit). Callers never finalize:
 *  - zSql must stay alive and unchanged from db_prepare until db_done; a
 *    text that lives longer (static, or built once and kept for the life of
 *    the process) is prepared once and then found at the cost of a hash
 *    lookup. A text built afresh for each call is prepared each time: build
 *    it once (an arena that outlives the loop, as copy.c does) and reuse it.
 *  - A statement is in use from db_prepare until db_done, and may be stepped
 *    while other statements are prepared and run (nested loops). The
 *    pointer db_prepare returns is valid only until db_done: after that the
 *    cache may finalize it to make room, so prepare again to run it again.
 *  - Up to DB_CACHE_STATEMENTS statements are kept; a new text beyond that
 *    evicts (finalizes) the least recently used one that is not in use.
 *    Statements in use are never evicted: while more than that are in use
 *    at once the cache grows, and db_prepare fails (GERR_INTERNAL) only
 *    when thousands are, which means db_done is missing somewhere.
 *  - Preparing a text whose statement is in use returns that same statement
 *    (it is one statement: a text cannot run nested inside itself). */
#ifndef GUILD_DB_H
#define GUILD_DB_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/mem.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum { DB_SQLITE = 0, DB_POSTGRES = 1, DB__ENGINES } db_engine;

enum { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };

/* Opens zUrl: a file path for SQLite (created if missing when bCreate),
 * or postgres://... once that backend exists. On success *ppDb owns the
 * connection (close with db_close). */
int db_open(const char *zUrl, int bCreate, db **ppDb, gerr *e);
void db_close(db *p);
db_engine db_engine_of(const db *p);
const char *db_url(const db *p);
/* 1 when zUrl names a PostgreSQL database (postgres:// or postgresql://). */
int db_is_postgres_url(const char *zUrl);
/* zUrl with any user:password replaced by ***, for messages and logs. */
void db_url_redacted(const char *zUrl, char *zOut, size_t nOut);

/* Statements a connection's cache keeps when none is in use. */
#define DB_CACHE_STATEMENTS 256

/* Returns the cached prepared statement for zSql (preparing it on first
 * use), in use until db_done, or NULL with e filled. The statement belongs
 * to the connection; see "The statement cache" above. */
db_stmt *db_prepare(db *p, const char *zSql, gerr *e);
/* Statements p's cache holds; *pnInUse (when not NULL): how many of them
 * are in use (prepared, not yet db_done). For tests and diagnostics. */
int db_cache_count(const db *p, int *pnInUse);
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_text(db_stmt *s, int i, const char *z);  /* NULL binds SQL NULL; copied */
void db_bind_null(db_stmt *s, int i);
/* As db_bind_text without the copy: z (not NULL) must stay as it is until
 * db_done(s). For bulk writers binding strings they own. */
void db_bind_text_ref(db_stmt *s, int i, const char *z);
/* Binds v, or NULL when bNull. */
void db_bind_int_or_null(db_stmt *s, int i, int64_t v, int bNull);
/* Binds the n bytes at p (copied) as a binary value: a BLOB on SQLite, a
 * BYTEA on PostgreSQL (sent in binary, not as text). The SQL text stays
 * the same for both engines: the column's type decides. */
void db_bind_blob(db_stmt *s, int i, const void *p, size_t n);
int db_step(db_stmt *s, gerr *e);     /* DB_ROW, DB_DONE or DB_ERROR */
int db_ncol(db_stmt *s);
int db_col_null(db_stmt *s, int i);
int64_t db_col_int(db_stmt *s, int i);
const char *db_col_text(db_stmt *s, int i);  /* "" for NULL */
/* The binary value of column i (a BLOB or BYTEA column): its bytes, and
 * their count in *pn; NULL with *pn 0 for SQL NULL. The bytes are valid
 * until the next db_col_blob on s, db_step or db_done. */
const void *db_col_blob(db_stmt *s, int i, size_t *pn);
/* 1 when column i of the current row holds a binary value (so that a
 * caller copying rows it does not know, `guild copy`, moves it as bytes). */
int db_col_is_blob(db_stmt *s, int i);
const char *db_col_name(db_stmt *s, int i);   /* the result column's name */
/* Resets s and clears its bindings; it goes back to the cache (no longer in
 * use), so s must not be used again without a new db_prepare. A second
 * db_done only resets. */
void db_done(db_stmt *s);
/* Rows inserted, updated or deleted by s's run (after db_step returned
 * DB_DONE or DB_ROW, before db_done): 0 for an INSERT ... ON CONFLICT DO
 * NOTHING that met a conflict. */
int64_t db_changes(db_stmt *s);
/* The id SQLite gave the last row inserted on this connection, without a
 * RETURNING clause (which costs SQLite a statement journal per row); -1 on
 * engines that cannot tell (PostgreSQL: use RETURNING there). */
int64_t db_last_insert_id(db *p);

/* Runs one static SQL text (no parameters), e.g. DDL. */
int db_exec(db *p, const char *zSql, gerr *e);
/* Runs a single-row single-column integer query with up to one integer
 * parameter (bParam). Returns DB_ROW with *pOut set, DB_DONE or DB_ERROR. */
int db_query_int(db *p, const char *zSql, int bParam, int64_t param, int64_t *pOut, gerr *e);

/* With bOn, makes every later db_step on p fail (GERR_UNAVAILABLE,
 * "interrupted") until called again with bOn 0; transactions can still be
 * rolled back. Safe to call from another thread: this is how a server
 * stops a background import at shutdown (it sees an error and rolls back). */
void db_interrupt(db *p, int bOn);
/* Readies p for a long bulk write, or back (bOn 0); call outside a
 * transaction. SQLite then maps no part of the database file into memory
 * (reads go through its page cache), so that an import's memory stays at
 * the page cache's size however large the database, and it leaves foreign
 * keys to the writer: the caller promises that every reference it writes
 * meanwhile names a record it has looked up in the same transaction (which
 * holds SQLite's only write lock, so nothing can delete that record before
 * the commit). This saves two cursors a row on an enrollment. Its temporary
 * files (the sorter of a CREATE INDEX) go to disk rather than memory, which
 * they would grow past the page cache's size. Nothing changes on
 * PostgreSQL. */
int db_bulk_mode(db *p, int bOn, gerr *e);

/* 1 when the engine runs one write transaction at a time whatever the
 * connection (SQLite: a second writer waits for the first, up to its busy
 * timeout); 0 when writers wait only for the rows they share (PostgreSQL). */
int db_one_writer(const db *p);
/* Index rebuilds around a large bulk write: when building index zIndex in
 * one pass after the rows pays on this engine (SQLite, which otherwise
 * inserts each row's entry into each index at once), *pzCreate is the
 * statement that creates the index as it is now (in a), so that the caller
 * may drop it meanwhile and run that statement after the last row. NULL
 * when the database has no such index, or the engine gains nothing by it
 * (PostgreSQL, whose bulk writes already go in multi-row batches). 0, or -1
 * with e. */
int db_index_rebuild_sql(db *p, const char *zIndex, arena *a, const char **pzCreate, gerr *e);
/* Gives this connection a page cache of about nMiB (SQLite; nothing on
 * PostgreSQL, whose cache is the server's). */
int db_cache_size(db *p, int nMiB, gerr *e);

/* Backups (db_backup.c). db_backup copies the whole database p is
 * connected to into the new file zPath (refused, GERR_CONFLICT, when it
 * exists) with SQLite's online backup API: one consistent snapshot, taken
 * while other connections go on reading and writing (WAL mode), written to
 * a temporary file beside zPath and renamed into place when complete.
 * PostgreSQL: refused (GERR_USAGE), naming pg_dump, the operator's tool. */
int db_backup(db *p, const char *zPath, gerr *e);
/* Replaces the SQLite database zTarget (created when missing) with the
 * contents of the SQLite file zFrom, in one transaction, only when no other
 * connection has zTarget open: GERR_CONFLICT (nothing changed) while one
 * has, e.g. a server running on it. zFrom should be verified first (the
 * caller's part: the store knows no audit log). PostgreSQL URLs: refused,
 * naming pg_restore. */
int db_restore(const char *zFrom, const char *zTarget, gerr *e);

/* Nested transactions: the outermost begin starts a write transaction, inner
 * ones are savepoints. Every begin is matched by commit or rollback. */
int db_begin(db *p, gerr *e);
int db_commit(db *p, gerr *e);
void db_rollback(db *p);
int db_depth(const db *p);

#endif
