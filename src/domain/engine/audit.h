/* audit.h: the append-only, hash-chained audit log, and what makes it prove
 * the data and not only itself.
 *
 * Every write appends one entry in the same transaction as the change:
 * time, actor, action, entity, id, a hash chaining it to the entry before,
 * and what it says of its record (audit_state): the digest of the record as
 * it stood after the change (audit_record), its deletion (audit_deleted),
 * or nothing, for an event (audit_append: a sign-in, an import).
 *
 * Rows written without an entry of their own (an import's rows, the demo's,
 * a cohort's capacity raised by an enrollment) are noted by the engine's
 * bulk writers (audit_note_*): their digests go to audit_runs, in runs of
 * consecutive ids, under a batch number drawn for the transaction; the
 * next entry the transaction appends (the import's) names the batch and
 * carries a digest of its runs, which chains them too.
 *
 * audit_verify recomputes the chain (and each batch's digest) and checks
 * the signed checkpoints stored with it (audit_sign.c); audit_verify_rows
 * computes the digest of every current row of every entity and compares it
 * with the latest state the log records for it (audit_rows.c). The design
 * and its costs: docs/security.md, "Audit log". */
#ifndef GUILD_AUDIT_H
#define GUILD_AUDIT_H
#include "domain/engine/entity.h"

#define AUDIT_HEX 65    /* a 32-byte digest in hex, with its NUL */
#define AUDIT_RUN_MAX 256   /* rows in one run of audit_runs */

/* What an entry says of the record it names (audit_log.state). */
typedef enum { AUDIT_EVENT = 0, AUDIT_STATE = 1, AUDIT_GONE = 2 } audit_state;

/* Appends an event entry (it says nothing of a record's state); must run
 * inside the caller's transaction. zDigest: a hex digest of what the event
 * concerns (an imported file) or "". Claims the transaction's noted rows. */
int audit_append(dom_ctx *c, const char *zAction, const char *zEntity, int64_t id, const char *zDigest, gerr *e);
/* Appends an entry recording record r as it is now stored (r as read back:
 * its id, version, times and every stored field). */
int audit_record(dom_ctx *c, const char *zAction, const dom_rec *r, gerr *e);
/* Appends an entry recording that record id of pEnt was deleted. */
int audit_deleted(dom_ctx *c, const char *zAction, const dom_entity *pEnt, int64_t id, gerr *e);

/* The digest (hex) of record r as stored: its entity, id, version, times
 * and every stored field, hidden ones too, that holds a value (fields
 * without one are left out, so that a migration adding an optional field
 * changes no digest), in the order of their names. SHA-256. */
void audit_digest_rec(const dom_rec *r, char zHex[AUDIT_HEX]);
/* The digest written by entries before schema version 11 (format 1):
 * SHA-256 of the entity, id, version and visible fields, nulls included. */
void audit_digest_rec_v1(const dom_rec *r, char zHex[AUDIT_HEX]);
/* The SHA-256 (hex) of n bytes. */
void audit_digest_bytes(const void *p, size_t n, char zHex[AUDIT_HEX]);

/* Rows written without an entry of their own (the engine's bulk writers
 * call these; so does a writer that writes rows with its own SQL). Each
 * must run inside the transaction that wrote the rows, before the entry
 * that ends it. r: the record as stored (id, version, created_at,
 * updated_at, fields). */
int audit_note_row(dom_ctx *c, const dom_rec *r, gerr *e);
/* The records a[i] with abNew[i] set (abNew NULL: all n), of one entity. */
int audit_note_rows(dom_ctx *c, const dom_rec *a, const unsigned char *abNew, int n, gerr *e);
/* Record id of pEnt as it is stored now (read back): for a writer that
 * wrote or changed it with SQL of its own. */
int audit_note_stored(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e);
/* Record id of pEnt is deleted. */
int audit_note_gone(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e);
/* Each record of pEnt whose id the query zSql gives (one integer
 * parameter, param; one column): about to be deleted, with SQL of the
 * caller's own (the accounts a person's erasure ends, and their grants). */
int audit_note_gone_ids(dom_ctx *c, const dom_entity *pEnt, const char *zSql, int64_t param, gerr *e);
/* Every record of pEnt with an id above idAfter, as stored now: for rows
 * the caller wrote with SQL of its own (the demo's inserts). */
int audit_note_after(dom_ctx *c, const dom_entity *pEnt, int64_t idAfter, gerr *e);

typedef struct audit_report {
  int64_t nEntries;
  int64_t idFirstBad;     /* 0 when the chain (and every stored checkpoint) is intact */
  char zWhy[240];
  int64_t nCheckpoints;   /* stored checkpoints checked */
  int64_t nBatches;       /* batches of noted rows checked */
} audit_report;
/* Recomputes the whole chain, each batch's digest from its runs, and
 * checks each stored checkpoint (its signature, and that the chain still
 * hashes to its head; with a configured key, that the key signed it).
 * Reports the first entry that does not match. Region administrators. */
int audit_verify(dom_ctx *c, audit_report *pOut, gerr *e);

/* One row whose table does not match the log (audit_verify_rows). */
typedef struct audit_finding {
  const char *zTable;   /* "persons" */
  int64_t id;           /* the row's id; for an unclaimed batch, the batch */
  int64_t seq;          /* the entry that last recorded it (0: none) */
  const char *zWhat;
} audit_finding;
typedef void (*audit_finding_fn)(void *pArg, const audit_finding *f);
typedef struct audit_rows_report {
  int64_t nRows;        /* current rows checked */
  int64_t nBad;         /* findings */
} audit_rows_report;
/* Walks every entity's table (dom_entities) and compares each row's digest
 * with the latest state the log records for it (an entry of its own, or a
 * run of a batch an entry vouches for). Calls xFind for each row that
 * differs, has no entry, exists although its latest entry deleted it, or
 * is gone without a delete entry, and for each batch no entry vouches for.
 * Memory: one window of rows at a time, and the log's batch numbers.
 * Region administrators. */
int audit_verify_rows(dom_ctx *c, audit_finding_fn xFind, void *pArg, audit_rows_report *pOut, gerr *e);

/* Records every row of pEnt that no entry records yet, in one entry
 * (action "seed", entity pEnt, id: how many) vouching for their digests:
 * for reference rows a migration wrote into a table it created (SQL cannot
 * note them), to be called right after that migration ran, before anyone
 * else can write. *pnOut: how many. Region administrators. */
int audit_record_seeded(dom_ctx *c, const dom_entity *pEnt, int64_t *pnOut, gerr *e);

typedef struct audit_entry {
  int64_t id, at, entity_id;
  const char *zActor, *zAction, *zEntity, *zDigest, *zHash;
} audit_entry;
typedef struct audit_filter {
  const char *zEntity;   /* NULL: any */
  const char *zActor;    /* NULL: any */
  int64_t since;         /* 0: from the start */
  int64_t after;         /* entries with id greater than this */
  int limit;
} audit_filter;
/* Reads entries in id order into the arena; *pn is how many. */
int audit_list(dom_ctx *c, const audit_filter *f, audit_entry **paOut, int *pn, gerr *e);
/* audit_list with two more conditions: entries before `until` (seconds;
 * 0: to the end) and of record entity_id (0: any). */
int audit_list_more(dom_ctx *c, const audit_filter *f, int64_t until, int64_t entity_id, audit_entry **paOut, int *pn,
                    gerr *e);

/* ------------------------------------------------------------------------
 * Signed checkpoints (audit_sign.c). The key is an Ed25519 key pair in a
 * file of its own (mode 0600), never in the database. */
#define AUDIT_KEY_ID 17   /* 16 hex digits of the public key's SHA-256, with its NUL */
typedef struct audit_key {
  unsigned char sk[64], pk[32];
  char zId[AUDIT_KEY_ID];
} audit_key;

/* Creates a new key pair in zPath (which must not exist), mode 0600. */
int audit_key_generate(const char *zPath, audit_key *pOut, gerr *e);
/* Reads the key pair in zPath; refuses a file others may read. */
int audit_key_load(const char *zPath, audit_key *pOut, gerr *e);
/* The key of this process's checkpoints: zPath, or NULL for
 * $GUILD_AUDIT_KEY (no key when unset); made there by the first automatic
 * checkpoint when missing, and read now when present (-1 with e when it
 * cannot be). Checkpoints are made every nEvery entries (0: only on demand;
 * -1: $GUILD_AUDIT_CHECKPOINT_EVERY, else 1000). Call before threads
 * start; without a call, the environment decides on first use. */
int audit_key_use(const char *zPath, int64_t nEvery, gerr *e);
/* The configured key (audit_key_use), loading it on first use (making it
 * when bCreate and its file does not exist yet); NULL when none is
 * configured, or (e says why) it cannot be read or is not made yet. */
const audit_key *audit_key_current(int bCreate, gerr *e);

/* A checkpoint: the chain's head at entry seq, signed. */
typedef struct audit_checkpoint {
  int64_t seq, at;
  char zHash[AUDIT_HEX];
  char zKeyId[AUDIT_KEY_ID];
  char zPublicKey[65];    /* hex */
  char zSignature[129];   /* hex */
} audit_checkpoint;
/* Signs the chain's current head with key k and stores the checkpoint
 * (once per entry: an existing one of the same key is returned). Refuses
 * an empty log. Region administrators. */
int audit_checkpoint_make(dom_ctx *c, const audit_key *k, audit_checkpoint *pOut, gerr *e);
/* Checks a checkpoint kept elsewhere (`--checkpoint FILE`): its signature
 * with its own public key, and that the chain up to its entry still hashes
 * to its head (the chain itself is checked by audit_verify). 0 with
 * *pzWhy NULL when it holds, 0 with *pzWhy set (arena) when it does not,
 * -1 with e on error. Region administrators. */
int audit_checkpoint_check(dom_ctx *c, const audit_checkpoint *cp, const char **pzWhy, gerr *e);
/* The text a checkpoint's signature covers, into z. */
void audit_checkpoint_message(const audit_checkpoint *cp, char *z, size_t n);
/* 1 when cp's signature is valid for its public key, and its key id is
 * that key's. */
int audit_checkpoint_signed(const audit_checkpoint *cp);
/* Signs and stores a checkpoint of entry seq (hash zHash) with the
 * configured key, when one is and seq is a multiple of the interval; for
 * audit_append, inside its transaction. */
int audit_checkpoint_auto(dom_ctx *c, int64_t seq, const char *zHash, gerr *e);
/* Checks every stored checkpoint against the chain, once audit_verify has
 * found the chain of nHead entries intact: its signature, its key (the
 * configured one, when there is one) and the hash at its entry. Fills
 * pOut's first bad entry when one fails. */
int audit_checkpoints_verify(dom_ctx *c, int64_t nHead, audit_report *pOut, gerr *e);

#endif
