/* audit.c: the hash-chained audit log (see audit.h). The chain head
 * (audit_head) is updated with every append, which serialises appenders on
 * both engines: the UPDATE takes the row's lock until the transaction
 * ends. An entry's hash covers its fields and the hash before it; entries
 * written since schema version 11 (format 2) also cover what they say of
 * their record (state) and the batch of noted rows they vouch for. */
#include "domain/engine/audit_int.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char zBumpHead[] = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash";
static const char zSetHead[] = "UPDATE audit_head SET last_hash = $1 WHERE id = 1";
static const char zInsert[] =
    "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, digest, prev_hash, hash, format, state, batch, "
    "batch_rows, batch_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 2, $10, $11, $12, $13)";
static const char zPage[] =
    "SELECT id, at, actor, action, entity, entity_id, digest, prev_hash, hash, format, state, batch, batch_rows, "
    "batch_digest FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2";
static const char zList[] =
    "SELECT id, at, actor, action, entity, entity_id, digest, hash FROM audit_log "
    "WHERE id > $1 AND at >= $2 AND ($3 = '' OR entity = $3) AND ($4 = '' OR actor = $4) "
    "AND ($6 = 0 OR at < $6) AND ($7 = 0 OR entity_id = $7) ORDER BY id LIMIT $5";
static const char zHead[] = "SELECT seq FROM audit_head WHERE id = 1";

#define PAGE 5000   /* entries read at a time by the walk */

static void to_hex(const unsigned char *p, char zHex[AUDIT_HEX]) {
  sodium_bin2hex(zHex, AUDIT_HEX, p, crypto_hash_sha256_BYTES);
}

void audit_digest_bytes(const void *p, size_t n, char zHex[AUDIT_HEX]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, p, n);
  to_hex(h, zHex);
}

/* The entry's own hash: SHA-256 over its fields and the previous hash,
 * each field followed by a NUL so no two entries can run together. A
 * format 2 entry starts with "2|" and its numbers include its state and
 * batch; its batch digest follows the digest. */
static void entry_hash(const audit_row *r, const char *zPrev, char zHex[AUDIT_HEX]) {
  crypto_hash_sha256_state st;
  char zNum[160];
  crypto_hash_sha256_init(&st);
  int n = r->format >= 2 ? snprintf(zNum, sizeof zNum, "2|%lld|%lld|%lld|%d|%lld|%lld", (long long)r->id,
                                    (long long)r->at, (long long)r->entity_id, r->state, (long long)r->batch,
                                    (long long)r->batch_rows)
                         : snprintf(zNum, sizeof zNum, "%lld|%lld|%lld", (long long)r->id, (long long)r->at,
                                    (long long)r->entity_id);
  crypto_hash_sha256_update(&st, (const unsigned char *)zNum, (unsigned long long)n + 1);
  const char *az[] = {zPrev, r->zActor, r->zAction, r->zEntity, r->zDigest, r->zBatchDigest};
  size_t nz = r->format >= 2 ? 6 : 5;
  for (size_t i = 0; i < nz; i++) crypto_hash_sha256_update(&st, (const unsigned char *)az[i], strlen(az[i]) + 1);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  to_hex(h, zHex);
}

/* Appends entry r (its id, prev hash and hash are set here). */
static int append(dom_ctx *c, audit_row *r, gerr *e) {
  if (db_depth(c->pDb) == 0) g_panic("audit_append outside a transaction");
  char zBatch[AUDIT_HEX] = "";
  if (audit_batch_claim(c, &r->batch, &r->batch_rows, zBatch, e)) return -1;
  r->zBatchDigest = zBatch;
  db_stmt *s = db_prepare(c->pDb, zBumpHead, e);
  if (!s) return -1;
  int rc = db_step(s, e);
  char zPrev[AUDIT_HEX] = "";
  if (rc == DB_ROW) {
    r->id = db_col_int(s, 0);
    snprintf(zPrev, sizeof zPrev, "%s", db_col_text(s, 1));
  }
  db_done(s);
  if (rc != DB_ROW) return rc == DB_DONE ? gerr_set(e, GERR_DB, NULL, "the audit log has no head row") : -1;
  r->at = c->now;
  r->zActor = c->zActor ? c->zActor : "unknown";
  r->format = 2;
  char zHash[AUDIT_HEX];
  entry_hash(r, zPrev, zHash);
  s = db_prepare(c->pDb, zInsert, e);
  if (!s) return -1;
  db_bind_int(s, 1, r->id);
  db_bind_int(s, 2, r->at);
  db_bind_text(s, 3, r->zActor);
  db_bind_text(s, 4, r->zAction);
  db_bind_text(s, 5, r->zEntity);
  db_bind_int(s, 6, r->entity_id);
  db_bind_text(s, 7, r->zDigest);
  db_bind_text(s, 8, zPrev);
  db_bind_text(s, 9, zHash);
  db_bind_int(s, 10, r->state);
  db_bind_int(s, 11, r->batch);
  db_bind_int(s, 12, r->batch_rows);
  db_bind_text(s, 13, r->zBatchDigest);
  rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zSetHead, e);
  if (!s) return -1;
  db_bind_text(s, 1, zHash);
  rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  return audit_checkpoint_auto(c, r->id, zHash, e);
}

int audit_append(dom_ctx *c, const char *zAction, const char *zEntity, int64_t id, const char *zDigest, gerr *e) {
  audit_row r = {.zAction = zAction, .zEntity = zEntity, .entity_id = id, .zDigest = zDigest, .state = AUDIT_EVENT};
  return append(c, &r, e);
}

int audit_record(dom_ctx *c, const char *zAction, const dom_rec *r, gerr *e) {
  char zDigest[AUDIT_HEX];
  audit_digest_rec(r, zDigest);
  audit_row a = {.zAction = zAction, .zEntity = r->pEnt->zName, .entity_id = r->id, .zDigest = zDigest,
                 .state = AUDIT_STATE};
  return append(c, &a, e);
}

int audit_deleted(dom_ctx *c, const char *zAction, const dom_entity *pEnt, int64_t id, gerr *e) {
  audit_row a = {.zAction = zAction, .zEntity = pEnt->zName, .entity_id = id, .zDigest = "", .state = AUDIT_GONE};
  return append(c, &a, e);
}

/* Reads the current row of s (zPage's columns) into r; strings are valid
 * until the next step. */
static void read_row(db_stmt *s, audit_row *r) {
  r->id = db_col_int(s, 0);
  r->at = db_col_int(s, 1);
  r->zActor = db_col_text(s, 2);
  r->zAction = db_col_text(s, 3);
  r->zEntity = db_col_text(s, 4);
  r->entity_id = db_col_int(s, 5);
  r->zDigest = db_col_text(s, 6);
  r->zPrevStored = db_col_text(s, 7);
  r->zHashStored = db_col_text(s, 8);
  r->format = (int)db_col_int(s, 9);
  r->state = (int)db_col_int(s, 10);
  r->batch = db_col_int(s, 11);
  r->batch_rows = db_col_int(s, 12);
  r->zBatchDigest = db_col_text(s, 13);
}

int audit_chain_walk(dom_ctx *c, int64_t upTo, audit_report *pOut, char zHashAt[AUDIT_HEX], gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  char zPrev[AUDIT_HEX], zHash[AUDIT_HEX];
  memset(zPrev, '0', AUDIT_HEX - 1);
  zPrev[AUDIT_HEX - 1] = 0;
  if (zHashAt) zHashAt[0] = 0;
  int64_t idExpect = 1, after = 0;
  int nPage;
  do {
    db_stmt *s = db_prepare(c->pDb, zPage, e);
    if (!s) return -1;
    db_bind_int(s, 1, after);
    db_bind_int(s, 2, PAGE);
    int rc = DB_DONE;
    nPage = 0;
    const char *zWhy = NULL;
    char zBatchWhy[160] = "";
    while (!zWhy && (upTo <= 0 || idExpect <= upTo) && (rc = db_step(s, e)) == DB_ROW) {
      audit_row r;
      read_row(s, &r);
      nPage++;
      pOut->nEntries++;
      entry_hash(&r, zPrev, zHash);
      if (r.id != idExpect) zWhy = "an entry is missing before it";
      else if (strcmp(r.zPrevStored, zPrev) != 0) zWhy = "its link to the previous entry does not match";
      else if (strcmp(r.zHashStored, zHash) != 0) zWhy = "its contents do not match its hash";
      else if (r.batch) {
        pOut->nBatches++;
        if (audit_batch_check(c, &r, zBatchWhy, sizeof zBatchWhy, e)) {
          db_done(s);
          return -1;
        }
        if (zBatchWhy[0]) zWhy = zBatchWhy;
      }
      if (zWhy) {
        pOut->idFirstBad = r.id;
        snprintf(pOut->zWhy, sizeof pOut->zWhy, "%s", zWhy);
        break;
      }
      snprintf(zPrev, sizeof zPrev, "%s", r.zHashStored);
      if (zHashAt && r.id == upTo) snprintf(zHashAt, AUDIT_HEX, "%s", zPrev);
      idExpect = r.id + 1;
      after = r.id;
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
    if (pOut->idFirstBad) return 0;
  } while (nPage == PAGE && (upTo <= 0 || idExpect <= upTo));
  /* the head must match the last entry: no entries cut off the end */
  int64_t seq = 0;
  if (db_query_int(c->pDb, zHead, 0, 0, &seq, e) == DB_ERROR) return -1;
  if (upTo <= 0 && seq != idExpect - 1) {
    pOut->idFirstBad = idExpect;
    snprintf(pOut->zWhy, sizeof pOut->zWhy, "entries %lld to %lld are missing", (long long)idExpect, (long long)seq);
  }
  return 0;
}

int audit_verify(dom_ctx *c, audit_report *pOut, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  if (audit_chain_walk(c, 0, pOut, NULL, e)) return -1;
  if (pOut->idFirstBad) return 0;
  return audit_checkpoints_verify(c, pOut->nEntries, pOut, e);
}

int audit_list(dom_ctx *c, const audit_filter *f, audit_entry **paOut, int *pn, gerr *e) {
  return audit_list_more(c, f, 0, 0, paOut, pn, e);
}

int audit_list_more(dom_ctx *c, const audit_filter *f, int64_t until, int64_t entity_id, audit_entry **paOut, int *pn,
                    gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zList, e);
  if (!s) return -1;
  db_bind_int(s, 1, f->after);
  db_bind_int(s, 2, f->since);
  db_bind_text(s, 3, f->zEntity ? f->zEntity : "");
  db_bind_text(s, 4, f->zActor ? f->zActor : "");
  db_bind_int(s, 5, f->limit);
  db_bind_int(s, 6, until);
  db_bind_int(s, 7, entity_id);
  audit_entry *a = arena_alloc(c->pAr, (size_t)(f->limit > 0 ? f->limit : 1) * sizeof *a);
  int n = 0, rc = DB_DONE;
  while (n < f->limit && (rc = db_step(s, e)) == DB_ROW) {
    audit_entry *p = &a[n++];
    p->id = db_col_int(s, 0);
    p->at = db_col_int(s, 1);
    p->zActor = arena_strdup(c->pAr, db_col_text(s, 2));
    p->zAction = arena_strdup(c->pAr, db_col_text(s, 3));
    p->zEntity = arena_strdup(c->pAr, db_col_text(s, 4));
    p->entity_id = db_col_int(s, 5);
    p->zDigest = arena_strdup(c->pAr, db_col_text(s, 6));
    p->zHash = arena_strdup(c->pAr, db_col_text(s, 7));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  *paOut = a;
  *pn = n;
  return 0;
}
