/* entity_sql.c: builds each entity's SQL from its field table: most of it
 * once, at start-up; a list's SQL for a combination of filters when that
 * combination is first asked for. Only declared names are used (never
 * anything a user sent), and the same text serves SQLite and PostgreSQL.
 * Every text lives until dom_shutdown, so the statement caches (which key
 * on a text's pointer) find it again. */
#include "domain/engine/entity_int.h"
#include "core/buf.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static arena sqlArena;  /* every generated string; freed by dom_shutdown */
/* Held while a list's SQL is built (server threads share the entities and
 * sqlArena); the texts already built are read without it (dom_list_sql). */
static pthread_mutex_t sqlMutex = PTHREAD_MUTEX_INITIALIZER;

int dom_is_list(const dom_field *f) { return f->type == DT_STRLIST || f->type == DT_REFLIST; }
int dom_is_column(const dom_field *f) { return !(f->flags & F_VIRT) && !dom_is_list(f); }

static char *keep(gbuf *b) {
  char *z = arena_strdup(&sqlArena, b->z);
  gbuf_reset(b);
  return z;
}

/* Appends the conditions of the filters in mask, numbering their
 * parameters from *piParam on. */
static void add_conds(gbuf *b, const dom_entity *pEnt, unsigned mask, int *piParam) {
  for (int k = 0; k < pEnt->nFilter; k++) {
    if (!(mask & (1u << k))) continue;
    const dom_filter *f = &pEnt->aFilter[k];
    int base = *piParam;
    int nUsed = 1;
    gbuf_puts(b, " AND (");
    for (const char *p = f->zCond; *p; p++) {
      if (*p == '?') {
        int d = (p[1] >= '1' && p[1] <= '9') ? p[1] - '0' : 1;
        if (p[1] >= '1' && p[1] <= '9') p++;
        gbuf_printf(b, "$%d", base + d - 1);
        if (d > nUsed) nUsed = d;
      } else {
        gbuf_append(b, p, 1);
      }
    }
    gbuf_puts(b, ")");
    *piParam += nUsed;
  }
}

/* The lookup of each unique key of several fields (dom_entity.aUnique):
 * "SELECT id FROM t WHERE a = $1 AND b = $2", and the index of each field. */
static void build_keys(const dom_entity *pEnt, dom_sql *s, gbuf *b) {
  if (pEnt->nUnique > DOM_MAXUNIQUE) g_panic("entity %s has too many unique keys", pEnt->zName);
  for (int u = 0; u < pEnt->nUnique; u++) {
    const dom_unique *pKey = &pEnt->aUnique[u];
    gbuf_printf(b, "SELECT id FROM %s WHERE", pEnt->zPlural);
    int i = 0;
    for (; i < DOM_MAXKEY && pKey->azField[i]; i++) {
      int k = dom_field_index(pEnt, pKey->azField[i]);
      if (k < 0 || !dom_is_column(&pEnt->aField[k]))
        g_panic("unique key of %s: no column %s", pEnt->zName, pKey->azField[i]);
      s->aaKeyField[u][i] = k;
      gbuf_printf(b, "%s %s = $%d", i ? " AND" : "", pKey->azField[i], i + 1);
    }
    if (i < 2 || dom_field_index(pEnt, pKey->zField) < 0) g_panic("unique key of %s: bad declaration", pEnt->zName);
    if (i < DOM_MAXKEY) s->aaKeyField[u][i] = -1;
    s->azKey[u] = keep(b);
  }
}

static void build_entity(const dom_entity *pEnt) {
  dom_sql *s = arena_alloc(&sqlArena, sizeof *s);
  gbuf b;
  gbuf_init(&b, 1 << 20);
  const char *t = pEnt->zPlural;

  gbuf_puts(&b, "id, version, created_at, updated_at");
  int iCol = 4;
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    s->aCol[k] = -1;
    if (!dom_is_column(f)) continue;
    gbuf_printf(&b, ", %s", f->zName);
    s->aCol[k] = iCol++;
  }
  s->zCols = keep(&b);

  gbuf_printf(&b, "SELECT %s FROM %s WHERE id = $1", s->zCols, t);
  s->zGet = keep(&b);
  gbuf_printf(&b, "SELECT 1 FROM %s WHERE id = $1", t);
  s->zExists = keep(&b);
  gbuf_printf(&b, "DELETE FROM %s WHERE id = $1", t);
  s->zDelete = keep(&b);
  gbuf_printf(&b, "SELECT coalesce(max(id), 0) FROM %s", t);
  s->zMaxId = keep(&b);

  /* INSERT: $1 = now, then each column in order */
  gbuf_printf(&b, "INSERT INTO %s (version, created_at, updated_at", t);
  for (int k = 0; k < pEnt->nField; k++)
    if (s->aCol[k] >= 0) gbuf_printf(&b, ", %s", pEnt->aField[k].zName);
  gbuf_puts(&b, ") VALUES (1, $1, $1");
  int iParam = 2;
  for (int k = 0; k < pEnt->nField; k++)
    if (s->aCol[k] >= 0) gbuf_printf(&b, ", $%d", iParam++);
  gbuf_puts(&b, ")");
  char *zValues = keep(&b);
  gbuf_printf(&b, "%s RETURNING id", zValues);
  s->zInsert = keep(&b);
  gbuf_printf(&b, "%s ON CONFLICT DO NOTHING", zValues);
  s->zInsertNew = keep(&b);
  gbuf_printf(&b, "%s ON CONFLICT DO NOTHING RETURNING id", zValues);
  s->zInsertNewId = keep(&b);

  /* UPDATE: $1 = now, columns, then id and expected version */
  gbuf_printf(&b, "UPDATE %s SET version = version + 1, updated_at = $1", t);
  iParam = 2;
  for (int k = 0; k < pEnt->nField; k++)
    if (s->aCol[k] >= 0) gbuf_printf(&b, ", %s = $%d", pEnt->aField[k].zName, iParam++);
  gbuf_printf(&b, " WHERE id = $%d AND version = $%d RETURNING version", iParam, iParam + 1);
  s->zUpdate = keep(&b);

  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    if (f->flags & F_UNIQUE) {
      gbuf_printf(&b, "SELECT id FROM %s WHERE %s = $1", t, f->zName);
      s->azUnique[k] = keep(&b);
    }
    if (dom_is_list(f)) {
      gbuf_printf(&b, "SELECT value FROM %s_%s WHERE owner_id = $1 ORDER BY pos", t, f->zName);
      s->azChildGet[k] = keep(&b);
      gbuf_printf(&b, "DELETE FROM %s_%s WHERE owner_id = $1", t, f->zName);
      s->azChildDel[k] = keep(&b);
      gbuf_printf(&b, "INSERT INTO %s_%s (owner_id, pos, value) VALUES ($1, $2, $3)", t, f->zName);
      s->azChildIns[k] = keep(&b);
    }
  }
  build_keys(pEnt, s, &b);

  /* list and count texts: by filter mask, built by dom_list_sql */
  unsigned nMask = 1u << pEnt->nFilter;
  s->azList = arena_alloc(&sqlArena, nMask * sizeof *s->azList);
  s->azCount = arena_alloc(&sqlArena, nMask * sizeof *s->azCount);
  s->azOrdered = arena_alloc(&sqlArena, nMask * sizeof *s->azOrdered);
  for (unsigned m = 0; m < nMask; m++) {
    atomic_init(&s->azList[m], NULL);
    atomic_init(&s->azCount[m], NULL);
    atomic_init(&s->azOrdered[m], NULL);
  }
  gbuf_free(&b);
  ((dom_entity *)pEnt)->pSql = s;
}

/* Builds the list, ordered list or count text (kind) of pEnt for the
 * filters in mask into sqlArena. The caller holds sqlMutex. */
static char *build_list_sql(const dom_entity *pEnt, unsigned mask, int kind) {
  gbuf b;
  gbuf_init(&b, 1 << 20);
  int iParam;
  if (kind == DOM_SQL_COUNT) {
    iParam = 1;
    gbuf_printf(&b, "SELECT count(*) FROM %s WHERE 1 = 1", pEnt->zPlural);
    add_conds(&b, pEnt, mask, &iParam);
  } else {
    /* $1 = after, filters, then limit and offset */
    iParam = 2;
    gbuf_printf(&b, "SELECT %s FROM %s WHERE id > $1", pEnt->pSql->zCols, pEnt->zPlural);
    add_conds(&b, pEnt, mask, &iParam);
    gbuf_printf(&b, " ORDER BY %s LIMIT $%d OFFSET $%d",
                kind == DOM_SQL_ORDERED && pEnt->zListOrder ? pEnt->zListOrder : "id", iParam, iParam + 1);
  }
  char *z = keep(&b);
  gbuf_free(&b);
  return z;
}

const char *dom_list_sql(const dom_entity *pEnt, unsigned mask, int kind) {
  if (mask >> pEnt->nFilter) g_panic("filter mask %#x out of range for %s", mask, pEnt->zName);
  _Atomic(char *) *aSlot[] = {[DOM_SQL_LIST] = pEnt->pSql->azList, [DOM_SQL_COUNT] = pEnt->pSql->azCount,
                              [DOM_SQL_ORDERED] = pEnt->pSql->azOrdered};
  _Atomic(char *) *pz = &aSlot[kind][mask];
  char *z = atomic_load_explicit(pz, memory_order_acquire);
  if (z) return z;
  pthread_mutex_lock(&sqlMutex);
  z = atomic_load_explicit(pz, memory_order_relaxed);   /* another thread may have built it meanwhile */
  if (!z) {
    z = build_list_sql(pEnt, mask, kind);
    atomic_store_explicit(pz, z, memory_order_release);
  }
  pthread_mutex_unlock(&sqlMutex);
  return z;
}

/* Records, for every entity, which fields of other entities refer to it. */
static void build_refs(void) {
  gbuf b;
  gbuf_init(&b, 4096);
  for (int i = 0; i < dom_nentities; i++) {
    const dom_entity *pFrom = dom_entities[i];
    for (int k = 0; k < pFrom->nField; k++) {
      const dom_field *f = &pFrom->aField[k];
      if (!f->pRef || (f->flags & F_VIRT)) continue;
      dom_sql *s = f->pRef->pSql;
      if (s->nRefBy >= (int)(sizeof s->aRefBy / sizeof s->aRefBy[0])) g_panic("too many references");
      dom_refby *r = &s->aRefBy[s->nRefBy++];
      r->pEnt = pFrom;
      r->pField = f;
      if (f->type == DT_REFLIST)
        gbuf_printf(&b, "SELECT count(DISTINCT owner_id) FROM %s_%s WHERE value = $1", pFrom->zPlural, f->zName);
      else
        gbuf_printf(&b, "SELECT count(*) FROM %s WHERE %s = $1", pFrom->zPlural, f->zName);
      r->zCount = keep(&b);
    }
  }
  gbuf_free(&b);
}

void dom_init(void) {
  if (dom_nentities) return;
  arena_init(&sqlArena);
  dom_modules_gather();
  for (int i = 0; i < dom_nentities; i++) {
    const dom_entity *pEnt = dom_entities[i];
    if (pEnt->nField > DOM_MAXF || pEnt->nFilter > DOM_MAXFILT) g_panic("entity %s too large", pEnt->zName);
    build_entity(pEnt);
  }
  build_refs();
}

void dom_shutdown(void) {
  for (int i = 0; i < dom_nentities; i++) ((dom_entity *)dom_entities[i])->pSql = NULL;
  dom_nentities = 0;
  arena_free(&sqlArena);
}
