/* copy.c: copies a database table by table through the db.h interface, so
 * the same code moves SQLite to PostgreSQL and back. Column names come from
 * the source's own result rows (never from users). Rows are compared by a
 * checksum over their values as text, which both engines produce alike;
 * binary values (BLOB, BYTEA) are moved and summed as their bytes. */
#include "store/copy.h"
#include "store/schema.h"
#include "core/buf.h"
#include "core/mem.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The tables, parents before children, as the domain's modules declare
 * them (schema_current()). */
#define NTABLE (schema_current()->nTable)
#define TABLE(i) (schema_current()->apTable[i])

/* Reads table i of p in order, feeding every row to the checksum, and when
 * pTo is given inserting it there. SQL texts are built once per table into
 * the arena (statement caches key on their pointers). */
static int walk_table(db *p, int i, db *pTo, arena *a, copy_table_report *pRep, gerr *e) {
  char *zSelect = arena_printf(a, "SELECT * FROM %s ORDER BY %s", TABLE(i)->zTable, TABLE(i)->zOrder);
  db_stmt *s = db_prepare(p, zSelect, e);
  if (!s) return -1;
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  char *zInsert = NULL;
  int rc, nCol = 0;
  pRep->zTable = TABLE(i)->zTable;
  pRep->nRows = 0;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (!nCol) nCol = db_ncol(s);
    if (pTo && !zInsert) {
      gbuf b;
      gbuf_init(&b, 1 << 16);
      gbuf_printf(&b, "INSERT INTO %s (", TABLE(i)->zTable);
      for (int k = 0; k < nCol; k++) gbuf_printf(&b, "%s%s", k ? ", " : "", db_col_name(s, k));
      gbuf_puts(&b, ") VALUES (");
      for (int k = 0; k < nCol; k++) gbuf_printf(&b, "%s$%d", k ? ", " : "", k + 1);
      gbuf_puts(&b, ")");
      zInsert = arena_strdup(a, b.z);
      gbuf_free(&b);
    }
    db_stmt *t = pTo ? db_prepare(pTo, zInsert, e) : NULL;
    if (pTo && !t) break;
    for (int k = 0; k < nCol; k++) {
      if (db_col_is_blob(s, k)) {   /* bytes, not text: their length, then themselves */
        size_t n = 0;
        const void *pBytes = db_col_blob(s, k, &n);
        unsigned char aLen[9] = {0x02};
        for (int b = 0; b < 8; b++) aLen[1 + b] = (unsigned char)((uint64_t)n >> (8 * b));
        crypto_hash_sha256_update(&st, aLen, sizeof aLen);
        crypto_hash_sha256_update(&st, pBytes, n);
        if (t) db_bind_blob(t, k + 1, pBytes, n);
        continue;
      }
      int bNull = db_col_null(s, k);
      const char *z = bNull ? NULL : db_col_text(s, k);
      crypto_hash_sha256_update(&st, (const unsigned char *)(bNull ? "\x01" : z), bNull ? 1 : strlen(z) + 1);
      if (t) db_bind_text(t, k + 1, z);
    }
    if (t) {
      int rc2 = db_step(t, e);
      db_done(t);
      if (rc2 == DB_ERROR) break;
    }
    pRep->nRows++;
  }
  db_done(s);
  if (rc == DB_ROW) return -1;  /* stopped by an insert error */
  if (rc == DB_ERROR) return -1;
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  sodium_bin2hex(pRep->zChecksum, sizeof pRep->zChecksum, h, sizeof h);
  return 0;
}

static const char zTargetData[] = "SELECT (SELECT count(*) FROM areas) + (SELECT count(*) FROM persons) + "
                                   "(SELECT count(*) FROM users) + (SELECT count(*) FROM audit_log)";

/* Drops every guild table (and the schema_version record) on p. */
static int drop_all(db *p, gerr *e) {
  char z[160];
  for (int i = NTABLE - 1; i >= 0; i--) {
    snprintf(z, sizeof z, "DROP TABLE IF EXISTS %s%s", TABLE(i)->zTable,
             db_engine_of(p) == DB_POSTGRES ? " CASCADE" : "");
    if (db_exec(p, z, e)) return -1;
  }
  if (db_engine_of(p) == DB_POSTGRES && db_exec(p, "DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE", e))
    return -1;
  return db_exec(p, "DROP TABLE IF EXISTS schema_version", e);
}

int copy_database(db *pFrom, db *pTo, int bReplace, copy_report *pOut, gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  if (NTABLE > COPY_MAXTABLE) g_panic("too many tables");
  if (sodium_init() < 0) return gerr_set(e, GERR_INTERNAL, NULL, "libsodium failed to start");
  if (schema_require_current(pFrom, e)) return -1;
  int vTo = 0, nApplied = 0;
  if (schema_version(pTo, &vTo, e)) return -1;
  arena a;
  arena_init(&a);
  if (db_begin(pTo, e)) goto out;
  if (vTo > 0) {
    int64_t n = 0;
    if (schema_require_current(pTo, e) || db_query_int(pTo, zTargetData, 0, 0, &n, e) == DB_ERROR) goto fail;
    if (n > 0 && !bReplace) {
      gerr_set(e, GERR_CONFLICT, "to", "the target already holds data; say --replace to overwrite it");
      goto fail;
    }
    if (n > 0 && drop_all(pTo, e)) goto fail;
  }
  if (schema_migrate(pTo, &nApplied, e)) goto fail;
  /* what the migrations seeded (the audit log's head, the region's default
   * attendance statuses) is replaced by the source's rows: every table is
   * emptied, children first (the audit log is empty: nothing to refuse) */
  for (int i = NTABLE - 1; i >= 0; i--)
    if (db_exec(pTo, arena_printf(&a, "DELETE FROM %s", TABLE(i)->zTable), e)) goto fail;
  for (int i = 0; i < NTABLE; i++) {
    if (walk_table(pFrom, i, pTo, &a, &pOut->a[i], e)) goto fail;
    if (db_engine_of(pTo) == DB_POSTGRES && TABLE(i)->bIdentity) {
      char *z = arena_printf(&a,
                             "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM %s), false)",
                             TABLE(i)->zTable, TABLE(i)->zTable);
      if (db_exec(pTo, z, e)) goto fail;
    }
  }
  pOut->n = NTABLE;
  for (int i = 0; i < NTABLE; i++) {   /* verify: the target reads back the same */
    copy_table_report back;
    if (walk_table(pTo, i, NULL, &a, &back, e)) goto fail;
    if (back.nRows != pOut->a[i].nRows || strcmp(back.zChecksum, pOut->a[i].zChecksum) != 0) {
      gerr_set(e, GERR_DB, NULL, "verification failed for %s: %lld rows copied, %lld read back, checksums %s",
               TABLE(i)->zTable, (long long)pOut->a[i].nRows, (long long)back.nRows,
               strcmp(back.zChecksum, pOut->a[i].zChecksum) ? "differ" : "match");
      goto fail;
    }
  }
  if (db_commit(pTo, e)) goto out;
  arena_free(&a);
  return 0;
fail:
  db_rollback(pTo);
out:
  arena_free(&a);
  return -1;
}
