/* audit.h: the append-only, hash-chained audit log. Every write appends
 * one entry in the same transaction as the change: time, actor, action,
 * entity, id, a digest of the new state and a hash chaining it to the entry
 * before. audit_verify recomputes the chain. */
#ifndef GUILD_AUDIT_H
#define GUILD_AUDIT_H
#include "domain/engine/entity.h"

#define AUDIT_HEX 65   /* a SHA-256 in hex, with its NUL */

/* Appends an entry; must run inside the caller's transaction. zDigest is
 * the hex digest of the new state ("" for a deletion). */
int audit_append(dom_ctx *c, const char *zAction, const char *zEntity, int64_t id, const char *zDigest, gerr *e);
/* Appends an entry for record r with the digest of its state. */
int audit_record(dom_ctx *c, const char *zAction, const dom_rec *r, gerr *e);
/* The SHA-256 (hex) of a canonical text of r's visible fields. */
void audit_digest_rec(const dom_rec *r, char zHex[AUDIT_HEX]);
/* The SHA-256 (hex) of n bytes. */
void audit_digest_bytes(const void *p, size_t n, char zHex[AUDIT_HEX]);

typedef struct audit_report {
  int64_t nEntries;
  int64_t idFirstBad;     /* 0 when the chain is intact */
  char zWhy[200];
} audit_report;
/* Recomputes the whole chain; reports the first entry that does not match. */
int audit_verify(dom_ctx *c, audit_report *pOut, gerr *e);

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

#endif
