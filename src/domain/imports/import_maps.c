/* import_maps.c: the import engine's two memories. Lookups (an area's code,
 * a person's sourced_id, a cohort's id -> the id to store) go through a
 * small direct-mapped cache per column, so a file naming the same few areas
 * or cohorts a million times asks the database once for each. And the
 * first file row of each record written or matched, by id, is kept in
 * pages of 4 bytes per id, to report a key given twice in the file. */
#include "domain/imports/import_int.h"
#include <stdlib.h>
#include <string.h>

static uint64_t hash_text(const char *z, size_t n) {
  uint64_t h = 14695981039346656037ull;   /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)z[i]) * 1099511628211ull;
  return h | 1;                            /* 0 marks an empty slot */
}

/* Asks the database: 1 found (*pId), 0 not, -1 error. */
static int lookup_db(importer *m, const imp_field *f, const char *z, gerr *e, int64_t *pId) {
  db_stmt *s = db_prepare(m->c->pDb, f->zLookup, e);
  if (!s) return -1;
  if (f->conv == IMP_ID) db_bind_int(s, 1, *pId);
  else db_bind_text(s, 1, z);
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pId = db_col_int(s, 0);
  db_done(s);
  return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

int imp_lookup(importer *m, int k, const char *z, int64_t *pId, gerr *e) {
  const imp_field *f = &m->p->aField[k];
  size_t n = strlen(z);
  if (n >= IMP_CACHE_KEY) return lookup_db(m, f, z, e, pId);
  if (!m->apCache[k]) m->apCache[k] = g_calloc(IMP_CACHE, sizeof(imp_cache_slot));
  uint64_t h = hash_text(z, n);
  imp_cache_slot *s = &m->apCache[k][h & (IMP_CACHE - 1)];
  if (s->h == h && strcmp(s->z, z) == 0) {
    *pId = s->id;
    return s->id != 0;
  }
  int rc = lookup_db(m, f, z, e, pId);
  if (rc < 0) return -1;
  s->h = h;
  s->id = rc ? *pId : 0;
  memcpy(s->z, z, n + 1);
  return rc;
}

void imp_cache_free(importer *m) {
  for (int k = 0; k < DOM_MAXF; k++) {
    free(m->apCache[k]);
    m->apCache[k] = NULL;
  }
}

#define ROW_PAGE 4096

static size_t page_slot(const imp_rowmap *p, int64_t iPage) {
  size_t k = (size_t)((uint64_t)iPage * 0x9E3779B97F4A7C15ull >> 20) & (p->nSlot - 1);
  while (p->aPage[k] != -1 && p->aPage[k] != iPage) k = (k + 1) & (p->nSlot - 1);
  return k;
}

int imp_rows_get(const imp_rowmap *p, int64_t id) {
  if (!p->nSlot || id < 0) return 0;
  size_t k = page_slot(p, id / ROW_PAGE);
  return p->aPage[k] == -1 ? 0 : p->apRow[k][id % ROW_PAGE];
}

static void rows_grow(imp_rowmap *p) {
  imp_rowmap q = {NULL, NULL, p->nSlot ? 2 * p->nSlot : 64, p->nUsed};
  q.aPage = g_malloc(q.nSlot * sizeof *q.aPage);
  q.apRow = g_calloc(q.nSlot, sizeof *q.apRow);
  for (size_t i = 0; i < q.nSlot; i++) q.aPage[i] = -1;
  for (size_t i = 0; i < p->nSlot; i++) {
    if (p->aPage[i] == -1) continue;
    size_t k = page_slot(&q, p->aPage[i]);
    q.aPage[k] = p->aPage[i];
    q.apRow[k] = p->apRow[i];
  }
  free(p->aPage);
  free(p->apRow);
  *p = q;
}

void imp_rows_set(imp_rowmap *p, int64_t id, int iRow) {
  if (id < 0) return;
  if (4 * (p->nUsed + 1) > 3 * p->nSlot) rows_grow(p);
  size_t k = page_slot(p, id / ROW_PAGE);
  if (p->aPage[k] == -1) {
    p->aPage[k] = id / ROW_PAGE;
    p->apRow[k] = g_calloc(ROW_PAGE, sizeof(int32_t));
    p->nUsed++;
  }
  p->apRow[k][id % ROW_PAGE] = iRow;
}

void imp_rows_free(imp_rowmap *p) {
  for (size_t i = 0; i < p->nSlot; i++)
    if (p->aPage[i] != -1) free(p->apRow[i]);
  free(p->aPage);
  free(p->apRow);
  memset(p, 0, sizeof *p);
}
