/* csv_stream.c: csv_read_each (see csv_in.h): the file is read, hashed and
 * parsed (csv_read_rows) on a thread of its own, which hands the rows over
 * in chunks through a small ring; the caller's thread takes them in order
 * and passes each to the caller's callback. So an import checks and writes
 * rows while the next ones are parsed, on a second core. Memory is the
 * ring's: CSV_CHUNKS chunks of CSV_CHUNK_ROWS rows. When the callback asks
 * to stop, the parsing thread is told and stops at its next row. */
#include "io/csv/csv_in.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CSV_CHUNK_ROWS 512
#define CSV_CHUNKS 4

typedef struct chunk {
  arena ar;                            /* the rows' fields */
  int n;                               /* rows in it */
  int anField[CSV_CHUNK_ROWS];
  const char **aazField[CSV_CHUNK_ROWS];
  long long nRead, nSize;              /* the file's bytes read when its last row was parsed, and its size */
} chunk;

typedef struct pipeline {
  pthread_mutex_t mu;
  pthread_cond_t cvFull, cvFree;
  chunk aChunk[CSV_CHUNKS];
  int iFill, iTake, nFull;             /* the ring: next to fill, next to take, filled ones */
  int bStop;                           /* the taker stopped: the parser stops too */
  int bDone;                           /* the parser has ended and handed over its last rows */
  chunk *pCur;                         /* the chunk being filled (the parser's) */
  const char *zPath;
  const csv_opts *o;
  int nFieldMax;
  csv_table t;                         /* the parser's result */
  gerr e;
  int rc;
} pipeline;

/* Hands the chunk being filled over to the taker (the parser's side). */
static void hand_over(pipeline *pl) {
  pthread_mutex_lock(&pl->mu);
  pl->iFill = (pl->iFill + 1) % CSV_CHUNKS;
  pl->nFull++;
  pthread_cond_signal(&pl->cvFull);
  pthread_mutex_unlock(&pl->mu);
  pl->pCur = NULL;
}

/* csv_read_rows' callback on the parsing thread: copies the row into the
 * chunk being filled (waiting for a free one). Returns 1 when the taker has
 * stopped. */
static int on_parsed(void *pArg, int iRow, int nField, const char **azField) {
  (void)iRow;
  pipeline *pl = pArg;
  if (!pl->pCur) {
    pthread_mutex_lock(&pl->mu);
    while (pl->nFull == CSV_CHUNKS && !pl->bStop) pthread_cond_wait(&pl->cvFree, &pl->mu);
    int bStop = pl->bStop;
    pthread_mutex_unlock(&pl->mu);
    if (bStop) return 1;
    pl->pCur = &pl->aChunk[pl->iFill];
  }
  chunk *k = pl->pCur;
  const char **az = arena_alloc(&k->ar, (size_t)(nField ? nField : 1) * sizeof *az);
  for (int j = 0; j < nField; j++) az[j] = arena_strdup(&k->ar, azField[j]);
  k->anField[k->n] = nField;
  k->aazField[k->n++] = az;
  k->nRead = pl->t.nRead;
  k->nSize = pl->t.nSize;
  if (k->n == CSV_CHUNK_ROWS) hand_over(pl);
  return 0;
}

static void *parse_thread(void *pArg) {
  pipeline *pl = pArg;
  pl->rc = csv_read_rows(pl->zPath, pl->o, pl->nFieldMax, on_parsed, pl, &pl->t, &pl->e);
  if (pl->pCur) hand_over(pl);
  pthread_mutex_lock(&pl->mu);
  pl->bDone = 1;
  pthread_cond_signal(&pl->cvFull);
  pthread_mutex_unlock(&pl->mu);
  return NULL;
}

int csv_read_each(const char *zPath, const csv_opts *o, int nFieldMax, csv_row_fn xRow, void *pArg, csv_table *p,
                  gerr *e) {
  pipeline *pl = g_calloc(1, sizeof *pl);
  pthread_mutex_init(&pl->mu, NULL);
  pthread_cond_init(&pl->cvFull, NULL);
  pthread_cond_init(&pl->cvFree, NULL);
  for (int i = 0; i < CSV_CHUNKS; i++) arena_init(&pl->aChunk[i].ar);
  pl->zPath = zPath;
  pl->o = o;
  pl->nFieldMax = nFieldMax;
  pthread_t th;
  int rc;
  if (pthread_create(&th, NULL, parse_thread, pl) != 0) {
    rc = csv_read_rows(zPath, o, nFieldMax, xRow, pArg, p, e);   /* no thread: all here */
  } else {
    memset(p, 0, sizeof *p);
    p->nSize = -1;
    int bStopped = 0;
    for (;;) {
      pthread_mutex_lock(&pl->mu);
      while (pl->nFull == 0 && !pl->bDone) pthread_cond_wait(&pl->cvFull, &pl->mu);
      int bEnd = pl->nFull == 0;
      pthread_mutex_unlock(&pl->mu);
      if (bEnd) break;
      chunk *k = &pl->aChunk[pl->iTake];
      p->nRead = k->nRead;
      p->nSize = k->nSize;
      for (int i = 0; i < k->n && !bStopped; i++)
        if (xRow(pArg, ++p->nRow, k->anField[i], k->aazField[i])) bStopped = 1;
      k->n = 0;
      arena_reset(&k->ar);
      pthread_mutex_lock(&pl->mu);
      pl->iTake = (pl->iTake + 1) % CSV_CHUNKS;
      pl->nFull--;
      if (bStopped) pl->bStop = 1;
      pthread_cond_signal(&pl->cvFree);
      pthread_mutex_unlock(&pl->mu);
      if (bStopped) break;
    }
    pthread_join(th, NULL);
    memcpy(p->zSha256, pl->t.zSha256, sizeof p->zSha256);
    p->nSize = pl->t.nSize;
    if (bStopped) {
      p->bStopped = 1;
      rc = -1;
    } else {
      p->nRead = pl->t.nRead;
      p->iBadRow = pl->t.iBadRow;
      p->zLooksLike = pl->t.zLooksLike;
      rc = pl->rc;
      if (rc) *e = pl->e;
    }
  }
  for (int i = 0; i < CSV_CHUNKS; i++) arena_free(&pl->aChunk[i].ar);
  pthread_cond_destroy(&pl->cvFree);
  pthread_cond_destroy(&pl->cvFull);
  pthread_mutex_destroy(&pl->mu);
  free(pl);
  return rc;
}
