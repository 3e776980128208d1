/* audit.c: the hash-chained audit log. The chain head (audit_head) is
 * updated with every append, which serialises appenders on both engines:
 * the UPDATE takes the row's lock until the transaction ends. */
#include "domain/engine/audit.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char zBumpHead[] = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash";
static const char zSetHead[] = "UPDATE audit_head SET last_hash = $1 WHERE id = 1";
static const char zInsert[] =
    "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, digest, prev_hash, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char zAll[] =
    "SELECT id, at, actor, action, entity, entity_id, digest, prev_hash, hash FROM audit_log ORDER BY id";
static const char zList[] =
    "SELECT id, at, actor, action, entity, entity_id, digest, hash FROM audit_log "
    "WHERE id > $1 AND at >= $2 AND ($3 = '' OR entity = $3) AND ($4 = '' OR actor = $4) "
    "AND ($6 = 0 OR at < $6) AND ($7 = 0 OR entity_id = $7) ORDER BY id LIMIT $5";

static void to_hex(const unsigned char *p, char zHex[AUDIT_HEX]) {
  sodium_bin2hex(zHex, AUDIT_HEX, p, crypto_hash_sha256_BYTES);
}

void audit_digest_bytes(const void *p, size_t n, char zHex[AUDIT_HEX]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, p, n);
  to_hex(h, zHex);
}

/* The entry's own hash: SHA-256 over its fields and the previous hash,
 * each field followed by a NUL so no two entries can run together. */
static void entry_hash(int64_t id, int64_t at, const char *zActor, const char *zAction, const char *zEntity,
                       int64_t idEntity, const char *zDigest, const char *zPrev, char zHex[AUDIT_HEX]) {
  crypto_hash_sha256_state st;
  char zNum[64];
  crypto_hash_sha256_init(&st);
  const char *az[] = {zPrev, zActor, zAction, zEntity, zDigest};
  int n = snprintf(zNum, sizeof zNum, "%lld|%lld|%lld", (long long)id, (long long)at, (long long)idEntity);
  crypto_hash_sha256_update(&st, (const unsigned char *)zNum, (unsigned long long)n + 1);
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++)
    crypto_hash_sha256_update(&st, (const unsigned char *)az[i], strlen(az[i]) + 1);
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  to_hex(h, zHex);
}

int audit_append(dom_ctx *c, const char *zAction, const char *zEntity, int64_t id, const char *zDigest, gerr *e) {
  if (db_depth(c->pDb) == 0) g_panic("audit_append outside a transaction");
  db_stmt *s = db_prepare(c->pDb, zBumpHead, e);
  if (!s) return -1;
  int rc = db_step(s, e);
  int64_t seq = 0;
  char zPrev[AUDIT_HEX] = "";
  if (rc == DB_ROW) {
    seq = db_col_int(s, 0);
    snprintf(zPrev, sizeof zPrev, "%s", db_col_text(s, 1));
  }
  db_done(s);
  if (rc != DB_ROW) return rc == DB_DONE ? gerr_set(e, GERR_DB, NULL, "the audit log has no head row") : -1;
  const char *zActor = c->zActor ? c->zActor : "unknown";
  char zHash[AUDIT_HEX];
  entry_hash(seq, c->now, zActor, zAction, zEntity, id, zDigest, zPrev, zHash);
  s = db_prepare(c->pDb, zInsert, e);
  if (!s) return -1;
  db_bind_int(s, 1, seq);
  db_bind_int(s, 2, c->now);
  db_bind_text(s, 3, zActor);
  db_bind_text(s, 4, zAction);
  db_bind_text(s, 5, zEntity);
  db_bind_int(s, 6, id);
  db_bind_text(s, 7, zDigest);
  db_bind_text(s, 8, zPrev);
  db_bind_text(s, 9, zHash);
  rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zSetHead, e);
  if (!s) return -1;
  db_bind_text(s, 1, zHash);
  rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

void audit_digest_rec(const dom_rec *r, char zHex[AUDIT_HEX]) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  char z[96];
  int n = snprintf(z, sizeof z, "%s|%lld|%lld", r->pEnt->zName, (long long)r->id, (long long)r->version);
  crypto_hash_sha256_update(&st, (const unsigned char *)z, (unsigned long long)n + 1);
  for (int k = 0; k < r->pEnt->nField; k++) {
    const dom_field *f = &r->pEnt->aField[k];
    const dom_val *v = &r->a[k];
    if (f->flags & (F_HIDDEN | F_VIRT)) continue;
    crypto_hash_sha256_update(&st, (const unsigned char *)f->zName, strlen(f->zName) + 1);
    if (!v->bSet || v->bNull) {
      crypto_hash_sha256_update(&st, (const unsigned char *)"\x01null", 6);
    } else if (f->type == DT_STRLIST || f->type == DT_REFLIST) {
      for (int j = 0; j < v->n; j++) {
        if (f->type == DT_STRLIST) {
          crypto_hash_sha256_update(&st, (const unsigned char *)v->az[j], strlen(v->az[j]) + 1);
        } else {
          n = snprintf(z, sizeof z, "%lld", (long long)v->ai[j]);
          crypto_hash_sha256_update(&st, (const unsigned char *)z, (unsigned long long)n + 1);
        }
      }
    } else if (dom_is_integer(f)) {
      n = snprintf(z, sizeof z, "%lld", (long long)v->i);
      crypto_hash_sha256_update(&st, (const unsigned char *)z, (unsigned long long)n + 1);
    } else {
      crypto_hash_sha256_update(&st, (const unsigned char *)v->z, strlen(v->z) + 1);
    }
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  to_hex(h, zHex);
}

int audit_record(dom_ctx *c, const char *zAction, const dom_rec *r, gerr *e) {
  char zDigest[AUDIT_HEX];
  audit_digest_rec(r, zDigest);
  return audit_append(c, zAction, r->pEnt->zName, r->id, zDigest, e);
}

int audit_verify(dom_ctx *c, audit_report *pOut, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  memset(pOut, 0, sizeof *pOut);
  db_stmt *s = db_prepare(c->pDb, zAll, e);
  if (!s) return -1;
  char zPrev[AUDIT_HEX], zHash[AUDIT_HEX];
  memset(zPrev, '0', AUDIT_HEX - 1);
  zPrev[AUDIT_HEX - 1] = 0;
  int64_t idExpect = 1;
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t id = db_col_int(s, 0);
    pOut->nEntries++;
    entry_hash(id, db_col_int(s, 1), db_col_text(s, 2), db_col_text(s, 3), db_col_text(s, 4), db_col_int(s, 5),
               db_col_text(s, 6), zPrev, zHash);
    const char *zWhy = NULL;
    if (id != idExpect) zWhy = "an entry is missing before it";
    else if (strcmp(db_col_text(s, 7), zPrev) != 0) zWhy = "its link to the previous entry does not match";
    else if (strcmp(db_col_text(s, 8), zHash) != 0) zWhy = "its contents do not match its hash";
    if (zWhy) {
      pOut->idFirstBad = id;
      snprintf(pOut->zWhy, sizeof pOut->zWhy, "%s", zWhy);
      break;
    }
    snprintf(zPrev, sizeof zPrev, "%s", db_col_text(s, 8));
    idExpect = id + 1;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!pOut->idFirstBad) {  /* the head must match the last entry: no entries cut off the end */
    int64_t seq = 0;
    if (db_query_int(c->pDb, "SELECT seq FROM audit_head WHERE id = 1", 0, 0, &seq, e) == DB_ERROR) return -1;
    if (seq != idExpect - 1) {
      pOut->idFirstBad = idExpect;
      snprintf(pOut->zWhy, sizeof pOut->zWhy, "entries %lld to %lld are missing", (long long)idExpect, (long long)seq);
    }
  }
  return 0;
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
