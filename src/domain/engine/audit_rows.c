/* audit_rows.c: what ties the audit log to the rows it speaks of (see
 * audit.h): the digest of a record, the rows noted by bulk writers (runs
 * of audit_runs under a batch number, claimed by the next entry), and the
 * check of every current row against the latest state the log records.
 *
 * Noted rows. A transaction's notes share a batch number, drawn at random
 * (so that no other transaction, on any connection, can ever use it, even
 * after this one is rolled back and its number forgotten) and kept per
 * thread and connection until an entry claims them. Each note is written
 * at once, in the transaction (and savepoint) that wrote its rows, so that
 * a rollback takes the note with the rows; the claiming entry reads the
 * batch back (one row per run, a run per 256 rows of a bulk insert) to
 * digest it, so it vouches for exactly what was kept. */
#include "domain/engine/audit_int.h"
#include "domain/engine/entity_int.h"
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B64 43            /* a 32-byte digest in URL-safe base64 without padding */
#define GONE_MARK "..........................................."   /* 43 dots: the row was deleted */
#define WINDOW 500        /* rows compared at a time */

static const char zRunInsert[] =
    "INSERT INTO audit_runs (batch, pos, entity, first_id, n, digests) VALUES ($1, $2, $3, $4, $5, $6)";
static const char zRunsOfBatch[] =
    "SELECT pos, entity, first_id, n, digests FROM audit_runs WHERE batch = $1 AND pos > $2 ORDER BY pos LIMIT 200";
static const char zBatches[] = "SELECT id, batch FROM audit_log WHERE batch <> 0 AND id > $1 ORDER BY id LIMIT 5000";
static const char zEntriesIn[] =
    "SELECT id, entity_id, digest, format, state, action FROM audit_log "
    "WHERE entity = $1 AND entity_id > $2 AND entity_id <= $3";
static const char zRunsIn[] =
    "SELECT batch, pos, first_id, n, digests FROM audit_runs WHERE entity = $1 AND first_id > $2 AND first_id <= $3";
static const char zBatchCounts[] = "SELECT batch, count(*), sum(n) FROM audit_runs GROUP BY batch";

/* ------------------------------------------------------------------------
 * Digests */

/* Each entity's stored fields in the order of their names (the digest's
 * order, so that reordering a field table changes no digest). */
typedef struct field_order {
  const dom_entity *pEnt;
  int n;
  int ai[DOM_MAXF];
} field_order;

static const field_order *order_of(const dom_entity *pEnt) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  static field_order a[DOM_MAXENT];
  static _Atomic int nDone;
  int n = nDone;
  for (int i = 0; i < n; i++)
    if (a[i].pEnt == pEnt) return &a[i];
  pthread_mutex_lock(&mu);
  int i = 0;
  while (i < nDone && a[i].pEnt != pEnt) i++;
  if (i == nDone) {
    if (i == DOM_MAXENT) g_panic("audit: more than %d entities", DOM_MAXENT);
    field_order *p = &a[i];
    p->n = 0;
    for (int k = 0; k < pEnt->nField; k++) {
      if (pEnt->aField[k].flags & F_VIRT) continue;
      int j = p->n++;
      while (j > 0 && strcmp(pEnt->aField[p->ai[j - 1]].zName, pEnt->aField[k].zName) > 0) {
        p->ai[j] = p->ai[j - 1];
        j--;
      }
      p->ai[j] = k;
    }
    p->pEnt = pEnt;
    nDone = i + 1;
  }
  pthread_mutex_unlock(&mu);
  return &a[i];
}

/* A SHA-256 fed through a buffer, so that a record's many small pieces
 * cost one call of the hash (nettle's, which uses the CPU's SHA
 * instructions: an import digests every row it writes). */
typedef struct hasher {
  struct sha256_ctx sha;
  size_t n;
  unsigned char a[4096];
} hasher;

static void h_init(hasher *h, const char *zTag) {
  sha256_init(&h->sha);
  h->n = 0;
  sha256_update(&h->sha, strlen(zTag) + 1, (const uint8_t *)zTag);
}
static void h_bytes(hasher *h, const void *p, size_t n) {
  if (h->n + n > sizeof h->a) {
    sha256_update(&h->sha, h->n, h->a);
    h->n = 0;
    if (n > sizeof h->a) {
      sha256_update(&h->sha, n, p);
      return;
    }
  }
  memcpy(h->a + h->n, p, n);
  h->n += n;
}
/* z and its NUL. */
static void h_str(hasher *h, const char *z) { h_bytes(h, z, strlen(z) + 1); }
/* v in decimal, and a NUL. */
static void h_int(hasher *h, int64_t v) {
  char z[24], *p = z + sizeof z;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  *--p = 0;
  do *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0) *--p = '-';
  h_bytes(h, p, (size_t)(z + sizeof z - p));
}
static void h_final(hasher *h, unsigned char out[32]) {
  sha256_update(&h->sha, h->n, h->a);
  sha256_digest(&h->sha, 32, out);
}

/* The digest of r as stored (see audit_digest_rec), 32 bytes. */
static void rec_digest(const dom_rec *r, unsigned char out[32]) {
  const dom_entity *pEnt = r->pEnt;
  hasher h;
  h_init(&h, "guild-row/2");
  h_str(&h, pEnt->zName);
  h_int(&h, r->id);
  h_int(&h, r->version);
  h_int(&h, r->created_at);
  h_int(&h, r->updated_at);
  const field_order *o = order_of(pEnt);
  for (int j = 0; j < o->n; j++) {
    int k = o->ai[j];
    const dom_field *f = &pEnt->aField[k];
    const dom_val *v = &r->a[k];
    if (!v->bSet || v->bNull) continue;
    if ((f->flags & F_ADDED) && dom_is_integer(f) && v->i == 0) continue;   /* as before the column was added */
    if (dom_is_list(f)) {
      if (v->n <= 0) continue;
      h_str(&h, f->zName);
      h_bytes(&h, "#", 1);
      h_int(&h, v->n);
      for (int i = 0; i < v->n; i++) {
        if (f->type == DT_STRLIST) h_str(&h, v->az[i]);
        else h_int(&h, v->ai[i]);
      }
    } else if (dom_is_integer(f)) {
      h_str(&h, f->zName);
      h_int(&h, v->i);
    } else if (v->z) {
      h_str(&h, f->zName);
      h_str(&h, v->z);
    }
  }
  h_final(&h, out);
}

void audit_digest_rec(const dom_rec *r, char zHex[AUDIT_HEX]) {
  unsigned char h[32];
  rec_digest(r, h);
  sodium_bin2hex(zHex, AUDIT_HEX, h, sizeof h);
}

/* h in URL-safe base64 without padding (nettle's encoder: a table lookup;
 * libsodium's is constant-time, which a public digest does not need, and
 * costs an import a third of a microsecond a row). */
static void to_b64(const unsigned char h[32], char z[B64 + 1]) {
  struct base64_encode_ctx ctx;
  char a[BASE64_ENCODE_LENGTH(32) + BASE64_ENCODE_FINAL_LENGTH];
  base64url_encode_init(&ctx);
  size_t n = base64_encode_update(&ctx, a, 32, h);
  n += base64_encode_final(&ctx, a + n);
  memcpy(z, a, B64);   /* the 43 characters of 32 bytes, without the final '=' */
  z[B64] = 0;
  (void)n;
}

void audit_digest_rec_v1(const dom_rec *r, char zHex[AUDIT_HEX]) {
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
  sodium_bin2hex(zHex, AUDIT_HEX, h, sizeof h);
}

/* ------------------------------------------------------------------------
 * Noted rows */

typedef struct journal {
  db *pDb;
  int64_t batch;   /* 0: none open */
  int64_t pos;     /* runs written under it */
} journal;
static _Thread_local journal J;

/* The batch of c's connection, opened on first use. */
static int64_t batch_of(dom_ctx *c) {
  if (J.pDb != c->pDb || !J.batch) {
    uint64_t v = 0;
    while (v == 0) {
      randombytes_buf(&v, sizeof v);
      v &= 0x3fffffffffffffffULL;   /* positive, and away from the edge of int64 */
    }
    J = (journal){c->pDb, (int64_t)v, 0};
  }
  return J.batch;
}

/* Writes one run: n rows of pEnt from id first on, their digests (B64
 * characters each) in zDigests. */
static int write_run(dom_ctx *c, const dom_entity *pEnt, int64_t first, int n, const char *zDigests, gerr *e) {
  int64_t batch = batch_of(c);
  db_stmt *s = db_prepare(c->pDb, zRunInsert, e);
  if (!s) return -1;
  db_bind_int(s, 1, batch);
  db_bind_int(s, 2, ++J.pos);
  db_bind_text(s, 3, pEnt->zName);
  db_bind_int(s, 4, first);
  db_bind_int(s, 5, n);
  db_bind_text_ref(s, 6, zDigests);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

typedef struct noted {
  int64_t id;
  char z[B64 + 1];
} noted;

static int by_id(const void *a, const void *b) {
  const noted *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}

/* Writes the n notes of a (of pEnt) as runs of consecutive ids. */
static int write_notes(dom_ctx *c, const dom_entity *pEnt, noted *a, int n, gerr *e) {
  int bSorted = 1;
  for (int i = 1; i < n && bSorted; i++) bSorted = a[i - 1].id < a[i].id;
  if (!bSorted) qsort(a, (size_t)n, sizeof *a, by_id);
  char zRun[AUDIT_RUN_MAX * B64 + 1];
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && j - i < AUDIT_RUN_MAX && a[j].id == a[i].id + (j - i)) {
      memcpy(zRun + (size_t)(j - i) * B64, a[j].z, B64);
      j++;
    }
    zRun[(size_t)(j - i) * B64] = 0;
    if (write_run(c, pEnt, a[i].id, j - i, zRun, e)) return -1;
    i = j;
  }
  return 0;
}

int audit_note_rows(dom_ctx *c, const dom_rec *a, const unsigned char *abNew, int n, gerr *e) {
  if (n <= 0) return 0;
  noted *p = g_malloc((size_t)n * sizeof *p);
  int m = 0;
  for (int i = 0; i < n; i++) {
    if (abNew && !abNew[i]) continue;
    unsigned char h[32];
    rec_digest(&a[i], h);
    p[m].id = a[i].id;
    to_b64(h, p[m].z);
    m++;
  }
  int rc = m ? write_notes(c, a[0].pEnt, p, m, e) : 0;
  free(p);
  return rc;
}

int audit_note_row(dom_ctx *c, const dom_rec *r, gerr *e) { return audit_note_rows(c, r, NULL, 1, e); }

int audit_note_stored(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e) {
  dom_rec r;
  if (dom_get(c, pEnt, id, &r, e)) return -1;
  return audit_note_row(c, &r, e);
}

int audit_note_gone(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e) {
  return write_run(c, pEnt, id, 1, GONE_MARK, e);
}

int audit_note_gone_ids(dom_ctx *c, const dom_entity *pEnt, const char *zSql, int64_t param, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, param);
  int nAlloc = 16, n = 0, rc;
  noted *a = g_malloc((size_t)nAlloc * sizeof *a);
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) a = g_realloc(a, (size_t)(nAlloc *= 2) * sizeof *a);
    a[n].id = db_col_int(s, 0);
    memcpy(a[n].z, GONE_MARK, B64 + 1);
    n++;
  }
  db_done(s);
  if (rc != DB_ERROR) rc = write_notes(c, pEnt, a, n, e);
  free(a);
  return rc == DB_ERROR ? -1 : rc;
}

typedef struct after_walk {
  dom_ctx *c;
  const dom_entity *pEnt;
  noted a[AUDIT_RUN_MAX];
  int n;
} after_walk;

static int note_each(void *pArg, const dom_rec *r, gerr *e) {
  after_walk *w = pArg;
  unsigned char h[32];
  rec_digest(r, h);
  w->a[w->n].id = r->id;
  to_b64(h, w->a[w->n].z);
  if (++w->n < AUDIT_RUN_MAX) return 0;
  w->n = 0;
  return write_notes(w->c, w->pEnt, w->a, AUDIT_RUN_MAX, e);
}

int audit_note_after(dom_ctx *c, const dom_entity *pEnt, int64_t idAfter, gerr *e) {
  after_walk *w = g_calloc(1, sizeof *w);
  w->c = c;
  w->pEnt = pEnt;
  dom_ctx sys = dom_ctx_own(c);
  dom_query q = {.after = idAfter};
  int rc = dom_each(&sys, pEnt, &q, note_each, w, e);
  if (!rc && w->n) rc = write_notes(c, pEnt, w->a, w->n, e);
  free(w);
  return rc;
}

/* The digest of batch's runs and how many rows they hold. */
static int batch_digest(dom_ctx *c, int64_t batch, int64_t *pnRows, int64_t *pnRuns, char zHex[AUDIT_HEX], gerr *e) {
  hasher *h = g_malloc(sizeof *h);
  h_init(h, "guild-batch/2");
  h_int(h, batch);
  int64_t after = 0, nRows = 0, nRuns = 0;
  int nPage, rc;
  do {
    db_stmt *s = db_prepare(c->pDb, zRunsOfBatch, e);
    if (!s) {
      free(h);
      return -1;
    }
    db_bind_int(s, 1, batch);
    db_bind_int(s, 2, after);
    nPage = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
      nPage++;
      after = db_col_int(s, 0);
      h_int(h, after);
      h_str(h, db_col_text(s, 1));
      h_int(h, db_col_int(s, 2));
      h_int(h, db_col_int(s, 3));
      h_str(h, db_col_text(s, 4));
      nRows += db_col_int(s, 3);
      nRuns++;
    }
    db_done(s);
    if (rc == DB_ERROR) {
      free(h);
      return -1;
    }
  } while (nPage == 200);
  unsigned char out[32];
  h_final(h, out);
  free(h);
  sodium_bin2hex(zHex, AUDIT_HEX, out, sizeof out);
  *pnRows = nRows;
  *pnRuns = nRuns;
  return 0;
}

int audit_batch_claim(dom_ctx *c, int64_t *pBatch, int64_t *pnRows, char zDigest[AUDIT_HEX], gerr *e) {
  *pBatch = *pnRows = 0;
  zDigest[0] = 0;
  if (J.pDb != c->pDb || !J.batch) return 0;
  int64_t batch = J.batch, nRuns = 0;
  J = (journal){0};
  if (batch_digest(c, batch, pnRows, &nRuns, zDigest, e)) return -1;
  if (nRuns == 0) {   /* everything it noted was rolled back */
    *pnRows = 0;
    zDigest[0] = 0;
    return 0;
  }
  *pBatch = batch;
  return 0;
}

int audit_batch_check(dom_ctx *c, const audit_row *r, char *zWhy, size_t nWhy, gerr *e) {
  int64_t nRows = 0, nRuns = 0;
  char zHex[AUDIT_HEX];
  zWhy[0] = 0;
  if (batch_digest(c, r->batch, &nRows, &nRuns, zHex, e)) return -1;
  if (nRows != r->batch_rows)
    snprintf(zWhy, nWhy, "it vouches for %lld rows of batch %lld, and %lld are recorded", (long long)r->batch_rows,
             (long long)r->batch, (long long)nRows);
  else if (strcmp(zHex, r->zBatchDigest) != 0)
    snprintf(zWhy, nWhy, "the digests of the rows of batch %lld it vouches for were changed", (long long)r->batch);
  return 0;
}

/* ------------------------------------------------------------------------
 * Every row against the log */

/* The legacy rule for entries written before format 2: these actions are
 * events; every other entry records its record's state ("" a deletion). */
static int legacy_event(const char *zAction) {
  static const char *const az[] = {"import", "demo", "login", "revoke", NULL};
  for (int i = 0; az[i]; i++)
    if (strcmp(zAction, az[i]) == 0) return 1;
  return 0;
}

typedef struct bmap {
  int64_t batch, seq;
} bmap;

static int by_batch(const void *a, const void *b) {
  const bmap *x = a, *y = b;
  return (x->batch > y->batch) - (x->batch < y->batch);
}

/* One state the log records for a row. */
typedef enum { ST_HEX1, ST_HEX2, ST_RUN } st_kind;
typedef struct rstate {
  int64_t id, seq, pos;   /* seq: the entry; pos: the run's place in its batch (an entry's own state comes after) */
  int bGone;
  st_kind kind;
  char z[AUDIT_HEX];      /* hex (entries) or base64 (runs) */
} rstate;

static int by_state(const void *a, const void *b) {
  const rstate *x = a, *y = b;
  if (x->id != y->id) return (x->id > y->id) - (x->id < y->id);
  if (x->seq != y->seq) return (x->seq > y->seq) - (x->seq < y->seq);
  return (x->pos > y->pos) - (x->pos < y->pos);
}

/* A current row, as the window keeps it. */
typedef struct wrow {
  int64_t id;
  char zHex2[AUDIT_HEX], zHex1[AUDIT_HEX], zB64[B64 + 1];
} wrow;

typedef struct verifier {
  dom_ctx *c;
  const dom_entity *pEnt;
  bmap *aMap;
  int nMap;
  wrow aRow[WINDOW];
  int nRow;
  int64_t lo;              /* the window is (lo, hi] */
  rstate *aSt;
  int nSt, nStAlloc;
  audit_finding_fn xFind;
  void *pArg;
  audit_rows_report *pRep;
  int bAdopt;              /* audit_record_seeded: collect the rows no entry records, report nothing */
  noted *aAdopt;
  int nAdopt, nAdoptAlloc;
} verifier;

static int64_t seq_of(const verifier *v, int64_t batch) {
  if (v->nMap == 0) return 0;
  bmap key = {batch, 0};
  const bmap *p = bsearch(&key, v->aMap, (size_t)v->nMap, sizeof *v->aMap, by_batch);
  return p ? p->seq : 0;
}

static rstate *push(verifier *v) {
  if (v->nSt == v->nStAlloc) {
    v->nStAlloc = v->nStAlloc ? v->nStAlloc * 2 : 1024;
    v->aSt = g_realloc(v->aSt, (size_t)v->nStAlloc * sizeof *v->aSt);
  }
  rstate *p = &v->aSt[v->nSt++];
  memset(p, 0, sizeof *p);
  return p;
}

static void find(verifier *v, int64_t id, int64_t seq, const char *zWhat) {
  audit_finding f = {v->pEnt->zPlural, id, seq, zWhat};
  v->pRep->nBad++;
  if (v->xFind) v->xFind(v->pArg, &f);
}

/* Gathers the states the log records for ids in (lo, hi] into v->aSt. */
static int gather(verifier *v, int64_t hi, gerr *e) {
  dom_ctx *c = v->c;
  v->nSt = 0;
  db_stmt *s = db_prepare(c->pDb, zEntriesIn, e);
  if (!s) return -1;
  db_bind_text(s, 1, v->pEnt->zName);
  db_bind_int(s, 2, v->lo);
  db_bind_int(s, 3, hi);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    int format = (int)db_col_int(s, 3), state = (int)db_col_int(s, 4);
    const char *zDigest = db_col_text(s, 2);
    if (format >= 2 ? state == AUDIT_EVENT : legacy_event(db_col_text(s, 5))) continue;
    rstate *p = push(v);
    p->seq = db_col_int(s, 0);
    p->id = db_col_int(s, 1);
    p->pos = INT64_MAX;   /* after the runs of its own batch */
    p->kind = format >= 2 ? ST_HEX2 : ST_HEX1;
    p->bGone = format >= 2 ? state == AUDIT_GONE : zDigest[0] == 0;
    snprintf(p->z, sizeof p->z, "%s", zDigest);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zRunsIn, e);
  if (!s) return -1;
  db_bind_text(s, 1, v->pEnt->zName);
  db_bind_int(s, 2, v->lo - AUDIT_RUN_MAX);
  db_bind_int(s, 3, hi);
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t seq = seq_of(v, db_col_int(s, 0));
    if (!seq) continue;   /* no entry vouches for it: reported once, for its batch */
    int64_t pos = db_col_int(s, 1), first = db_col_int(s, 2), n = db_col_int(s, 3);
    const char *z = db_col_text(s, 4);
    if ((int64_t)strlen(z) != n * B64) continue;   /* a damaged run: its batch's digest says so */
    for (int64_t k = 0; k < n; k++) {
      int64_t id = first + k;
      if (id <= v->lo || id > hi) continue;
      rstate *p = push(v);
      p->id = id;
      p->seq = seq;
      p->pos = pos;
      p->kind = ST_RUN;
      memcpy(p->z, z + k * B64, B64);
      p->z[B64] = 0;
      p->bGone = strcmp(p->z, GONE_MARK) == 0;
    }
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (v->nSt) qsort(v->aSt, (size_t)v->nSt, sizeof *v->aSt, by_state);
  return 0;
}

/* 1 when row w matches state p. */
static int matches(const wrow *w, const rstate *p) {
  switch (p->kind) {
    case ST_HEX1: return strcmp(w->zHex1, p->z) == 0;
    case ST_HEX2: return strcmp(w->zHex2, p->z) == 0;
    case ST_RUN: return strcmp(w->zB64, p->z) == 0;
  }
  return 0;
}

/* Compares the window's rows (ids in (lo, hi]) with their latest states. */
static int check_window(verifier *v, int64_t hi, gerr *e) {
  if (gather(v, hi, e)) return -1;
  int iRow = 0, iSt = 0;
  while (iRow < v->nRow || iSt < v->nSt) {
    int64_t idRow = iRow < v->nRow ? v->aRow[iRow].id : INT64_MAX;
    int64_t idSt = iSt < v->nSt ? v->aSt[iSt].id : INT64_MAX;
    int64_t id = idRow < idSt ? idRow : idSt;
    const rstate *pLast = NULL;
    while (iSt < v->nSt && v->aSt[iSt].id == id) pLast = &v->aSt[iSt++];
    const wrow *w = idRow == id ? &v->aRow[iRow++] : NULL;
    if (w) v->pRep->nRows++;
    if (v->bAdopt) {
      if (w && !pLast) {
        if (v->nAdopt == v->nAdoptAlloc)
          v->aAdopt = g_realloc(v->aAdopt, (size_t)(v->nAdoptAlloc = v->nAdoptAlloc ? 2 * v->nAdoptAlloc : 64) *
                                               sizeof *v->aAdopt);
        v->aAdopt[v->nAdopt].id = id;
        memcpy(v->aAdopt[v->nAdopt++].z, w->zB64, B64 + 1);
      }
      continue;
    }
    if (w && !pLast) find(v, id, 0, "no audit entry records this row (written behind guild's back)");
    else if (w && pLast->bGone) find(v, id, pLast->seq, "the row exists, but its latest entry records its deletion");
    else if (w && !matches(w, pLast))
      find(v, id, pLast->seq, "the row differs from its state the log records (changed behind guild's back)");
    else if (!w && pLast && !pLast->bGone)
      find(v, id, pLast->seq, "the row is gone, but no entry records its deletion");
  }
  v->lo = hi;
  v->nRow = 0;
  return 0;
}

static int verify_row(void *pArg, const dom_rec *r, gerr *e) {
  verifier *v = pArg;
  wrow *w = &v->aRow[v->nRow++];
  unsigned char h[32];
  rec_digest(r, h);
  w->id = r->id;
  sodium_bin2hex(w->zHex2, sizeof w->zHex2, h, sizeof h);
  to_b64(h, w->zB64);
  audit_digest_rec_v1(r, w->zHex1);
  return v->nRow == WINDOW ? check_window(v, r->id, e) : 0;
}

/* The batch number of every entry that names one, sorted (v->aMap). */
static int load_batches(verifier *v, gerr *e) {
  int64_t after = 0;
  int nAlloc = 0, nPage, rc;
  do {
    db_stmt *s = db_prepare(v->c->pDb, zBatches, e);
    if (!s) return -1;
    db_bind_int(s, 1, after);
    nPage = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
      if (v->nMap == nAlloc) v->aMap = g_realloc(v->aMap, (size_t)(nAlloc = nAlloc ? nAlloc * 2 : 256) * sizeof *v->aMap);
      after = db_col_int(s, 0);
      v->aMap[v->nMap++] = (bmap){db_col_int(s, 1), after};
      nPage++;
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
  } while (nPage == 5000);
  if (v->nMap) qsort(v->aMap, (size_t)v->nMap, sizeof *v->aMap, by_batch);
  return 0;
}

/* Reports each batch of runs no entry vouches for. */
static int unclaimed(verifier *v, gerr *e) {
  db_stmt *s = db_prepare(v->c->pDb, zBatchCounts, e);
  if (!s) return -1;
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t batch = db_col_int(s, 0);
    if (seq_of(v, batch)) continue;
    char *z = arena_printf(v->c->pAr, "%lld rows noted in batch %lld (%lld runs) without an entry that vouches for them",
                           (long long)db_col_int(s, 2), (long long)batch, (long long)db_col_int(s, 1));
    audit_finding f = {"audit_runs", batch, 0, z};
    v->pRep->nBad++;
    if (v->xFind) v->xFind(v->pArg, &f);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int audit_verify_rows(dom_ctx *c, audit_finding_fn xFind, void *pArg, audit_rows_report *pOut, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  memset(pOut, 0, sizeof *pOut);
  verifier *v = g_calloc(1, sizeof *v);
  v->c = c;
  v->xFind = xFind;
  v->pArg = pArg;
  v->pRep = pOut;
  int rc = load_batches(v, e);
  dom_ctx sys = dom_ctx_own(c);
  for (int i = 0; !rc && i < dom_nentities; i++) {
    v->pEnt = dom_entities[i];
    v->lo = 0;
    v->nRow = 0;
    dom_query q = {0};
    rc = dom_each(&sys, v->pEnt, &q, verify_row, v, e);
    if (!rc) rc = check_window(v, INT64_MAX, e);   /* the last rows, and any gone after them */
  }
  if (!rc) rc = unclaimed(v, e);
  free(v->aSt);
  free(v->aMap);
  free(v);
  return rc;
}

int audit_record_seeded(dom_ctx *c, const dom_entity *pEnt, int64_t *pnOut, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  *pnOut = 0;
  if (db_begin(c->pDb, e)) return -1;
  audit_rows_report rep = {0};
  verifier *v = g_calloc(1, sizeof *v);
  *v = (verifier){.c = c, .pEnt = pEnt, .pRep = &rep, .bAdopt = 1};
  dom_ctx sys = dom_ctx_own(c);
  dom_query q = {0};
  int rc = load_batches(v, e);
  if (!rc) rc = dom_each(&sys, pEnt, &q, verify_row, v, e);
  if (!rc) rc = check_window(v, INT64_MAX, e);
  if (!rc && v->nAdopt) {
    rc = write_notes(c, pEnt, v->aAdopt, v->nAdopt, e);
    if (!rc) rc = audit_append(c, "seed", pEnt->zName, v->nAdopt, "", e);
  }
  int64_t n = v->nAdopt;
  free(v->aAdopt);
  free(v->aSt);
  free(v->aMap);
  free(v);
  if (rc) {
    db_rollback(c->pDb);
    return -1;
  }
  if (db_commit(c->pDb, e)) return -1;
  *pnOut = n;
  return 0;
}
