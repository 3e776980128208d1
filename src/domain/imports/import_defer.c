/* import_defer.c: building some of a table's index entries after a large
 * import's rows rather than row by row (see imp_defer in import_int.h).
 *
 * Each row written into a table costs SQLite one b-tree insert per index;
 * for an index on a key in no particular order (a person's search keys)
 * that is a seek to a random place each time. Sorting all the entries and
 * building the index in one pass (CREATE INDEX) costs about half as much
 * when the import brings at least as many rows as the table holds. So,
 * inside the import's transaction, the indexes its kind names are dropped
 * (their CREATE text kept, as the store gives it) and created again
 * after the last row, or before the first row whose rules read one of
 * them. Both statements belong to the transaction: a failed or killed
 * import leaves the indexes as they were, and other connections see the
 * old indexes until the commit.
 *
 * Only where the store says it pays (db_index_rebuild_sql: SQLite; not
 * PostgreSQL, whose imports already go in multi-row batches). Unique
 * indexes are never named, as the import relies on them to find a stored
 * key. */
#include "domain/imports/import_int.h"
#include <stdio.h>

/* Bytes of a file a row takes at most, for estimating its rows from its
 * size; real rosters are nearer 60-100. Low estimates are the safe side:
 * they defer less often. */
#define DEFER_ROW_BYTES 160
/* Fewer rows than this are written row by row whatever the table holds:
 * the rebuild reads the whole table, which small imports do not repay. */
#define DEFER_MIN_ROWS 50000

int imp_defer_begin(importer *m, gerr *e) {
  const imp_defer *d = m->p->pDefer;
  dom_ctx *c = m->c;
  if (!d || m->t->nSize < 0) return 0;
  long long nRows = m->t->nSize / DEFER_ROW_BYTES;
  if (nRows < DEFER_MIN_ROWS) return 0;
  if (m->idMax > nRows) return 0;   /* the largest id: about the rows the table holds */
  for (int i = 0; i < IMP_DEFER_MAX && d->azIndex[i]; i++) {
    const char *zCreate;
    if (db_index_rebuild_sql(c->pDb, d->azIndex[i], m->pAr, &zCreate, e)) return -1;
    if (!zCreate) continue;   /* not in this database's schema, or not worth it on this engine */
    char zDrop[128];
    snprintf(zDrop, sizeof zDrop, "DROP INDEX %s", d->azIndex[i]);
    if (db_exec(c->pDb, zDrop, e)) return -1;
    m->azDeferred[m->nDeferred++] = zCreate;
  }
  return 0;
}

int imp_defer_end(importer *m, gerr *e) {
  int n = m->nDeferred;
  m->nDeferred = 0;   /* once: a failure rolls the whole import back */
  for (int i = 0; i < n; i++)
    if (db_exec(m->c->pDb, m->azDeferred[i], e)) return -1;
  return 0;
}
