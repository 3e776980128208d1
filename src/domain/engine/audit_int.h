/* audit_int.h: what the audit log's files share (audit.c: the chain;
 * audit_rows.c: row digests, noted rows and their batches, the check of
 * every row; audit_sign.c: keys and signed checkpoints). Private to
 * src/domain/engine. */
#ifndef GUILD_AUDIT_INT_H
#define GUILD_AUDIT_INT_H
#include "domain/engine/audit.h"

/* One entry as stored (strings borrowed from a statement or the caller). */
typedef struct audit_row {
  int64_t id, at, entity_id;
  const char *zActor, *zAction, *zEntity, *zDigest;
  const char *zPrevStored, *zHashStored;   /* as read back (verify) */
  int format;          /* 1: before schema version 11; 2: since */
  int state;           /* audit_state */
  int64_t batch, batch_rows;
  const char *zBatchDigest;
} audit_row;

/* Recomputes the chain from entry 1; with upTo > 0, stops after entry
 * upTo and copies its hash (as checked) into zHashAt ("" when the log
 * ends before it). Without upTo, also checks that the head names the last
 * entry. pOut: entries read, the first bad one and why. */
int audit_chain_walk(dom_ctx *c, int64_t upTo, audit_report *pOut, char zHashAt[AUDIT_HEX], gerr *e);

/* The noted rows of this transaction (audit_note_*), for the entry being
 * appended: their batch, how many rows, and the digest of its runs (""
 * and 0 when nothing was noted). Forgets them: the next note starts a new
 * batch. */
int audit_batch_claim(dom_ctx *c, int64_t *pBatch, int64_t *pnRows, char zDigest[AUDIT_HEX], gerr *e);
/* Recomputes the digest of entry r's batch from audit_runs; zWhy empty
 * when it matches the entry, else why not. */
int audit_batch_check(dom_ctx *c, const audit_row *r, char *zWhy, size_t nWhy, gerr *e);

#endif
