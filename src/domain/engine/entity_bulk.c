/* entity_bulk.c: writing records in bulk, for importers (see dom_bulk in
 * entity.h): an INSERT that skips a record whose key is stored, without
 * RETURNING on SQLite (where it costs a statement journal a row), and a
 * multi-row INSERT for engines where each statement is a round trip to a
 * server (PostgreSQL) and to save SQLite its work per statement. */
#include "domain/engine/entity_int.h"
#include "domain/engine/audit.h"
#include "core/buf.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void refuse_lists(const dom_entity *pEnt, const char *zWho) {
  for (int k = 0; k < pEnt->nField; k++)
    if (dom_is_list(&pEnt->aField[k])) g_panic("%s: %s has list fields", zWho, pEnt->zName);
}

int dom_insert_new(dom_ctx *c, dom_rec *r, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  refuse_lists(pEnt, "dom_insert_new");
  int bRowid = db_last_insert_id(c->pDb) >= 0;   /* SQLite: no RETURNING needed */
  db_stmt *s = db_prepare(c->pDb, bRowid ? pEnt->pSql->zInsertNew : pEnt->pSql->zInsertNewId, e);
  if (!s) return -1;
  int iParam = 1;
  db_bind_int(s, iParam++, c->now);
  dom_bind_columns(s, r, &iParam);
  int rc = db_step(s, e), bNew = 0;
  if (rc == DB_ROW) {
    r->id = db_col_int(s, 0);
    bNew = 1;
  } else if (rc == DB_DONE && bRowid && db_changes(s) == 1) {
    r->id = db_last_insert_id(c->pDb);
    bNew = 1;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!bNew) return 0;
  r->version = 1;
  r->created_at = r->updated_at = c->now;
  return audit_note_row(c, r, e) ? -1 : 1;
}

/* The statements of a batch of DOM_BATCH records of pEnt with key fields
 * mKey: the multi-row INSERT returning the id and the key fields (zReturning,
 * PostgreSQL), the same without RETURNING (zPlain, SQLite), and the lookup
 * of a stored record by its key (zFind). Built once per entity and key,
 * kept for the process (db_prepare caches statements by the text's
 * address). */
typedef struct batch_sql {
  const dom_entity *pEnt;
  uint32_t mKey;
  char *zReturning, *zPlain, *zFind;
} batch_sql;

static const batch_sql *batch_sql_of(const dom_entity *pEnt, uint32_t mKey) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  static batch_sql aSql[16];
  pthread_mutex_lock(&mu);
  int i = 0;
  while (i < 16 && aSql[i].zPlain && !(aSql[i].pEnt == pEnt && aSql[i].mKey == mKey)) i++;
  if (i == 16) g_panic("batch_sql_of: too many kinds");
  if (!aSql[i].zPlain) {
    const dom_sql *q = pEnt->pSql;
    gbuf b;
    gbuf_init(&b, (size_t)64 << 20);
    gbuf_printf(&b, "INSERT INTO %s (version, created_at, updated_at", pEnt->zPlural);
    for (int k = 0; k < pEnt->nField; k++)
      if (q->aCol[k] >= 0) gbuf_printf(&b, ", %s", pEnt->aField[k].zName);
    gbuf_puts(&b, ") VALUES ");
    int iParam = 2;
    for (int j = 0; j < DOM_BATCH; j++) {
      gbuf_puts(&b, j ? ", (1, $1, $1" : "(1, $1, $1");
      for (int k = 0; k < pEnt->nField; k++)
        if (q->aCol[k] >= 0) gbuf_printf(&b, ", $%d", iParam++);
      gbuf_puts(&b, ")");
    }
    gbuf_puts(&b, " ON CONFLICT DO NOTHING");
    aSql[i].zPlain = g_strdup(b.z);
    gbuf_puts(&b, " RETURNING id");
    for (int k = 0; k < pEnt->nField; k++)
      if (mKey & (1u << k)) gbuf_printf(&b, ", %s", pEnt->aField[k].zName);
    aSql[i].zReturning = g_strdup(b.z);
    gbuf_reset(&b);
    gbuf_printf(&b, "SELECT id FROM %s WHERE ", pEnt->zPlural);
    for (int k = 0, iKey = 1; k < pEnt->nField; k++)
      if (mKey & (1u << k)) gbuf_printf(&b, "%s%s = $%d", iKey > 1 ? " AND " : "", pEnt->aField[k].zName, iKey), iKey++;
    aSql[i].zFind = g_strdup(b.z);
    aSql[i].pEnt = pEnt;
    aSql[i].mKey = mKey;
    gbuf_free(&b);
  }
  const batch_sql *p = &aSql[i];
  pthread_mutex_unlock(&mu);
  return p;
}

/* r's key (the fields of mKey, as text, separated by 0x1f) into z. */
static void key_text(const dom_rec *r, uint32_t mKey, char *z, size_t n) {
  size_t o = 0;
  z[0] = 0;
  for (int k = 0; k < r->pEnt->nField && o < n; k++) {
    if (!(mKey & (1u << k))) continue;
    const dom_val *v = &r->a[k];
    int w = dom_is_integer(&r->pEnt->aField[k]) ? snprintf(z + o, n - o, "%lld\x1f", (long long)v->i)
                                                 : snprintf(z + o, n - o, "%s\x1f", v->z ? v->z : "");
    o += w > 0 ? (size_t)w : 0;
  }
}

int dom_find_by_key(dom_ctx *c, const dom_rec *r, uint32_t mKey, int64_t *pId, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, batch_sql_of(r->pEnt, mKey)->zFind, e);
  if (!s) return -1;
  for (int k = 0, iParam = 1; k < r->pEnt->nField; k++) {
    if (!(mKey & (1u << k))) continue;
    if (dom_is_integer(&r->pEnt->aField[k])) db_bind_int(s, iParam++, r->a[k].i);
    else db_bind_text(s, iParam++, r->a[k].z);
  }
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pId = db_col_int(s, 0);
  db_done(s);
  return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

/* SQLite's way for dom_insert_many: one INSERT without RETURNING (which
 * would cost a statement journal a row). SQLite gives each new row the
 * largest rowid before it plus one, in the order of the VALUES, and the
 * caller holds the only write lock: when all n were written their ids are
 * *pIdMax + 1 ... *pIdMax + n. Otherwise each record is looked up by its
 * key: an id above *pIdMax is one this statement wrote, for the first
 * record of the batch with that key. Advances *pIdMax. */
static int insert_many_rowid(dom_ctx *c, dom_rec *a, int n, const batch_sql *q, uint32_t mKey, unsigned char *abNew,
                             int64_t *pIdMax, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, q->zPlain, e);
  if (!s) return -1;
  int iParam = 1;
  db_bind_int(s, iParam++, c->now);
  for (int i = 0; i < n; i++) dom_bind_columns(s, &a[i], &iParam);
  int rc = db_step(s, e);
  int64_t nNew = rc == DB_DONE ? db_changes(s) : 0;
  db_done(s);
  if (rc == DB_ERROR) return -1;
  int64_t idBefore = *pIdMax;
  if (nNew == n && db_last_insert_id(c->pDb) == idBefore + n) {
    for (int i = 0; i < n; i++) {
      a[i].id = idBefore + 1 + i;
      abNew[i] = 1;
    }
  } else if (nNew > 0) {
    for (int i = 0; i < n; i++) {
      int64_t id = 0;
      int rcFind = dom_find_by_key(c, &a[i], mKey, &id, e);
      if (rcFind < 0) return -1;
      if (!rcFind || id <= idBefore) continue;
      int bTaken = 0;   /* the same key earlier in the batch took it */
      for (int j = 0; j < i && !bTaken; j++) bTaken = abNew[j] && a[j].id == id;
      if (bTaken) continue;
      a[i].id = id;
      abNew[i] = 1;
    }
  }
  *pIdMax = idBefore + nNew;
  return (int)nNew;
}

static int insert_many_returning(dom_ctx *c, dom_rec *a, int n, const batch_sql *q, uint32_t mKey,
                                 unsigned char *abNew, gerr *e);

int dom_max_id(dom_ctx *c, const dom_entity *pEnt, int64_t *pId, gerr *e) {
  return db_query_int(c->pDb, pEnt->pSql->zMaxId, 0, 0, pId, e) == DB_ERROR ? -1 : 0;
}

int dom_insert_many(dom_ctx *c, dom_rec *a, int n, uint32_t mKey, unsigned char *abNew, int64_t *pIdMax, gerr *e) {
  memset(abNew, 0, (size_t)n);
  if (n < DOM_BATCH) {   /* one by one: only a full batch has its statement */
    int nNew = 0;
    for (int i = 0; i < n; i++) {
      int rc = dom_insert_new(c, &a[i], e);
      if (rc < 0) return -1;
      abNew[i] = (unsigned char)rc;
      nNew += rc;
      if (rc && pIdMax && a[i].id > *pIdMax) *pIdMax = a[i].id;
    }
    return nNew;
  }
  const dom_entity *pEnt = a[0].pEnt;
  refuse_lists(pEnt, "dom_insert_many");
  const batch_sql *q = batch_sql_of(pEnt, mKey);
  int nNew = db_last_insert_id(c->pDb) >= 0 ? insert_many_rowid(c, a, n, q, mKey, abNew, pIdMax, e)
                                            : insert_many_returning(c, a, n, q, mKey, abNew, e);
  if (nNew <= 0) return nNew;
  for (int i = 0; i < n; i++)   /* as stored: the audit log notes them */
    if (abNew[i]) {
      a[i].version = 1;
      a[i].created_at = a[i].updated_at = c->now;
    }
  return audit_note_rows(c, a, abNew, n, e) ? -1 : nNew;
}

/* PostgreSQL's way for dom_insert_many: one INSERT returning the id and key
 * of each record written, matched back to the records by key. */
static int insert_many_returning(dom_ctx *c, dom_rec *a, int n, const batch_sql *q, uint32_t mKey,
                                 unsigned char *abNew, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, q->zReturning, e);
  if (!s) return -1;
  int iParam = 1;
  db_bind_int(s, iParam++, c->now);
  for (int i = 0; i < n; i++) dom_bind_columns(s, &a[i], &iParam);
  /* which record each returned row is: by its key */
  enum { KEY_MAX = 600 };
  char (*azKey)[KEY_MAX] = g_malloc((size_t)n * KEY_MAX);
  for (int i = 0; i < n; i++) key_text(&a[i], mKey, azKey[i], KEY_MAX);
  int rc, nNew = 0, nCol = 0, iNext = 0;   /* rows come back in the order given, but for the skipped ones */
  while ((rc = db_step(s, e)) == DB_ROW) {
    char zGot[KEY_MAX];
    size_t o = 0;
    if (!nCol) nCol = db_ncol(s);
    for (int j = 1; j < nCol && o < sizeof zGot; j++) {
      int w = snprintf(zGot + o, sizeof zGot - o, "%s\x1f", db_col_text(s, j));
      o += w > 0 ? (size_t)w : 0;
    }
    for (int j = 0; j < n; j++) {
      int i = (iNext + j) % n;
      if (!abNew[i] && strcmp(azKey[i], zGot) == 0) {
        a[i].id = db_col_int(s, 0);
        abNew[i] = 1;
        nNew++;
        iNext = i + 1;
        break;
      }
    }
  }
  db_done(s);
  free(azKey);
  return rc == DB_ERROR ? -1 : nNew;
}
