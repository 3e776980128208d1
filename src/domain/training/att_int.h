/* att_int.h: what the attendance files of the training module share and
 * nobody else needs: a session with the facts around it, and documents of
 * times and marks. Private to src/domain/training. */
#ifndef GUILD_ATT_INT_H
#define GUILD_ATT_INT_H
#include "domain/training/attendance.h"
#include <string.h>

/* A session as the attendance operations need it. */
typedef struct att_session {
  dom_rec r;                   /* the training_session */
  int64_t idCohort, idProgram, idInstitution;
  const char *zDate;
  att_times t;
} att_session;

/* Reads session id (no access check: callers have made theirs) with its
 * cohort's program and institution (session.c). 0, or -1 with e (404). */
int att_session_load(dom_ctx *c, int64_t id, att_session *p, gerr *e);
/* 1 when the session's day is over at c->now (the day after its date has begun). */
int att_after_day(const dom_ctx *c, const att_session *p);

/* Writes t as ISO 8601 text member zKey (0: null). */
void att_doc_time(doc_out *d, const char *zKey, int64_t t);
/* Writes a mark's status, source, set_at and set_by as members of the open object. */
void att_doc_mark(doc_out *d, const char *zStatus, const char *zSource, int64_t tSet, const char *zSetBy);
/* Writes the statuses of p as array zKey of {code, label_key, weight, counts, active}. */
void att_doc_statuses(doc_out *d, const char *zKey, const att_status_set *p);

/* Room for one more of n elements of size sz at p (nAlloc of them, 0 at
 * first) in arena a: p itself, or a copy twice as large. */
static inline void *att_grow(arena *a, void *p, int n, int *pnAlloc, size_t sz) {
  if (n < *pnAlloc) return p;
  int nNew = *pnAlloc ? 2 * *pnAlloc : 32;
  void *q = arena_alloc(a, (size_t)nNew * sz);
  if (n) memcpy(q, p, (size_t)n * sz);
  *pnAlloc = nNew;
  return q;
}

#endif
