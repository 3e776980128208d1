/* entity.c: the generic record operations (get, list, create, update,
 * delete) that every entity shares: required fields, validation, unique
 * values, references that block a delete, optimistic concurrency by version,
 * list fields kept in child tables, all inside one transaction per write. */
#include "domain/engine/entity_int.h"
#include "domain/engine/audit.h"
#include <stdio.h>
#include <string.h>

int dom_field_index(const dom_entity *pEnt, const char *zName) {
  for (int k = 0; k < pEnt->nField; k++)   /* the first letter first: rules look fields up on every write */
    if (pEnt->aField[k].zName[0] == zName[0] && strcmp(pEnt->aField[k].zName, zName) == 0) return k;
  return -1;
}

int dom_is_integer(const dom_field *f) {
  return f->type == DT_INT || f->type == DT_CENTI || f->type == DT_BOOL || f->type == DT_TIME || f->type == DT_REF;
}

const dom_entity *dom_entity_find(const char *zName) {
  for (int i = 0; i < dom_nentities; i++)
    if (strcmp(dom_entities[i]->zName, zName) == 0 || strcmp(dom_entities[i]->zPlural, zName) == 0)
      return dom_entities[i];
  return NULL;
}

void dom_rec_init(dom_rec *r, const dom_entity *pEnt) {
  memset(r, 0, sizeof *r);
  r->pEnt = pEnt;
}

static int field_or_panic(const dom_entity *pEnt, const char *zField) {
  int k = dom_field_index(pEnt, zField);
  if (k < 0) g_panic("entity %s has no field %s", pEnt->zName, zField);
  return k;
}

const dom_val *dom_v(const dom_rec *r, const char *zField) { return &r->a[field_or_panic(r->pEnt, zField)]; }
dom_val *dom_vm(dom_rec *r, const char *zField) { return &r->a[field_or_panic(r->pEnt, zField)]; }

void dom_set_text(dom_rec *r, const char *zField, const char *z) {
  dom_val *v = dom_vm(r, zField);
  v->bSet = 1;
  v->bNull = z == NULL;
  v->z = z;
}

void dom_set_int(dom_rec *r, const char *zField, int64_t i) {
  dom_val *v = dom_vm(r, zField);
  v->bSet = 1;
  v->bNull = 0;
  v->i = i;
}

dom_ctx dom_ctx_system(db *pDb, arena *pAr, const char *zWho, int64_t now) {
  dom_ctx c = {pDb, pAr, zWho, now, 0, &dom_actor_system};
  return c;
}

dom_ctx dom_ctx_own(const dom_ctx *c) {
  dom_ctx own = *c;
  own.pActor = &dom_actor_system;
  return own;
}

/* The rule of action a on pEnt; an entity that does not offer the action
 * refuses it to everyone but guild itself. */
static const pol_rule *rule_of(const dom_entity *pEnt, dom_action a) {
  static const pol_rule none = {"none", 0, 0, {POL_NO, POL_NO, POL_NO, POL_NO, POL_NO}, NULL, NULL, 0,
                                "nobody: this action is not offered"};
  return pEnt->apRule[a] ? pEnt->apRule[a] : &none;
}

int dom_exists(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e) {
  int64_t one;
  int rc = db_query_int(c->pDb, pEnt->pSql->zExists, 1, id, &one, e);
  return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

/* Copies the current row of s (selected with zCols) into r. */
static void load_row(dom_ctx *c, db_stmt *s, dom_rec *r) {
  const dom_entity *pEnt = r->pEnt;
  r->id = db_col_int(s, 0);
  r->version = db_col_int(s, 1);
  r->created_at = db_col_int(s, 2);
  r->updated_at = db_col_int(s, 3);
  for (int k = 0; k < pEnt->nField; k++) {
    int iCol = pEnt->pSql->aCol[k];
    if (iCol < 0) continue;
    dom_val *v = &r->a[k];
    v->bSet = 1;
    v->bNull = (unsigned char)db_col_null(s, iCol);
    if (v->bNull) continue;
    if (dom_is_integer(&pEnt->aField[k])) v->i = db_col_int(s, iCol);
    else v->z = arena_strdup(c->pAr, db_col_text(s, iCol));
  }
}

/* Loads r's list fields from their child tables. */
static int load_lists(dom_ctx *c, dom_rec *r, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    if (!dom_is_list(f)) continue;
    db_stmt *s = db_prepare(c->pDb, pEnt->pSql->azChildGet[k], e);
    if (!s) return -1;
    db_bind_int(s, 1, r->id);
    dom_val *v = &r->a[k];
    v->bSet = 1;
    v->n = 0;
    int nAlloc = 0, rc;
    while ((rc = db_step(s, e)) == DB_ROW) {
      if (v->n == nAlloc) {
        int nNew = nAlloc ? nAlloc * 2 : 8;
        if (f->type == DT_STRLIST) {
          const char **az = arena_alloc(c->pAr, (size_t)nNew * sizeof *az);
          if (v->n) memcpy(az, v->az, (size_t)v->n * sizeof *az);
          v->az = az;
        } else {
          int64_t *ai = arena_alloc(c->pAr, (size_t)nNew * sizeof *ai);
          if (v->n) memcpy(ai, v->ai, (size_t)v->n * sizeof *ai);
          v->ai = ai;
        }
        nAlloc = nNew;
      }
      if (f->type == DT_STRLIST) v->az[v->n++] = arena_strdup(c->pAr, db_col_text(s, 0));
      else v->ai[v->n++] = db_col_int(s, 0);
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
  }
  return 0;
}

int dom_get(dom_ctx *c, const dom_entity *pEnt, int64_t id, dom_rec *pOut, gerr *e) {
  dom_rec_init(pOut, pEnt);
  db_stmt *s = db_prepare(c->pDb, pEnt->pSql->zGet, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  int rc = db_step(s, e);
  if (rc == DB_ROW) load_row(c, s, pOut);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE) return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", pEnt->zName), GP_I("id", id));
  return load_lists(c, pOut, e);
}

int dom_read(dom_ctx *c, const dom_entity *pEnt, int64_t id, dom_rec *pOut, gerr *e) {
  if (pol_check(c, rule_of(pEnt, DOM_READ), pEnt, id, e)) return -1;
  return dom_get(c, pEnt, id, pOut, e);
}

/* Binds the filter values of q to s, numbering from *piParam on. */
static void bind_filters(db_stmt *s, const dom_entity *pEnt, const dom_query *q, int *piParam) {
  for (int k = 0; k < pEnt->nFilter; k++) {
    if (!(q->mask & (1u << k))) continue;
    const dom_filter *f = &pEnt->aFilter[k];
    if (f->kind == FILT_INT) {
      db_bind_int(s, (*piParam)++, q->aInt[k]);
    } else if (f->kind == FILT_TEXT || f->kind == FILT_DATE || f->kind == FILT_CONTAINS) {
      db_bind_text(s, (*piParam)++, q->azText[k]);
    } else { /* FILT_PREFIX: azText holds "lower\0upper" as two strings */
      const char *zLo = q->azText[k];
      db_bind_text(s, (*piParam)++, zLo);
      db_bind_text(s, (*piParam)++, zLo + strlen(zLo) + 1);
    }
  }
}

/* Reads one page of q (after, filters, limit, offset) into pOut->aRec and
 * pOut->n, with nextAfter set when more rows follow; no count. */
/* One page of pEnt's records for q: in the entity's list order when
 * bOrdered (and it has one, and q has no cursor: no next cursor then),
 * else by id. */
static int list_page(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, int bOrdered, dom_page *pOut, gerr *e) {
  bOrdered = bOrdered && pEnt->zListOrder && !q->after;
  db_stmt *s = db_prepare(c->pDb, dom_list_sql(pEnt, q->mask, bOrdered ? DOM_SQL_ORDERED : DOM_SQL_LIST), e);
  if (!s) return -1;
  int iParam = 1, rc;
  db_bind_int(s, iParam++, q->after);
  bind_filters(s, pEnt, q, &iParam);
  db_bind_int(s, iParam++, (int64_t)q->limit + 1);  /* one more row tells whether a next page exists */
  db_bind_int(s, iParam++, q->offset);
  pOut->aRec = arena_alloc(c->pAr, (size_t)(q->limit > 0 ? q->limit : 1) * sizeof(dom_rec));
  pOut->n = 0;
  pOut->nextAfter = 0;
  int bMore = 0;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (pOut->n == q->limit) {
      bMore = 1;
      break;
    }
    dom_rec *r = &pOut->aRec[pOut->n++];
    dom_rec_init(r, pEnt);
    load_row(c, s, r);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  for (int i = 0; i < pOut->n; i++)
    if (load_lists(c, &pOut->aRec[i], e)) return -1;
  if (bMore && !bOrdered) pOut->nextAfter = pOut->aRec[pOut->n - 1].id;
  return 0;
}

int dom_list(dom_ctx *c, const dom_entity *pEnt, const dom_query *pAsked, dom_page *pOut, gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  dom_query qq = *pAsked, *q = &qq;
  if (pol_confine_list(c, rule_of(pEnt, DOM_LIST), pEnt, q, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, dom_list_sql(pEnt, q->mask, DOM_SQL_COUNT), e);
  if (!s) return -1;
  int iParam = 1;
  bind_filters(s, pEnt, q, &iParam);
  int rc = db_step(s, e);
  if (rc == DB_ROW) pOut->total = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  return list_page(c, pEnt, q, 1, pOut, e);
}

int dom_each(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, dom_row_fn xRow, void *pArg, gerr *e) {
  dom_query page = *q;
  if (pol_confine_list(c, rule_of(pEnt, DOM_LIST), pEnt, &page, e)) return -1;
  page.limit = DOM_EACH_BATCH;
  page.offset = 0;
  arena ar;
  arena_init(&ar);
  dom_ctx cb = *c;
  cb.pAr = &ar;
  int rc = 0;
  do {
    arena_reset(&ar);
    dom_page p;
    if (list_page(&cb, pEnt, &page, 0, &p, e)) {
      rc = -1;
      break;
    }
    for (int i = 0; i < p.n && rc == 0; i++) rc = xRow(pArg, &p.aRec[i], e) ? -1 : 0;
    page.after = p.nextAfter;
  } while (rc == 0 && page.after);
  arena_free(&ar);
  return rc;
}

void dom_bind_columns(db_stmt *s, const dom_rec *r, int *piParam) {
  const dom_entity *pEnt = r->pEnt;
  for (int k = 0; k < pEnt->nField; k++) {
    if (pEnt->pSql->aCol[k] < 0) continue;
    const dom_val *v = &r->a[k];
    int i = (*piParam)++;
    if (!v->bSet || v->bNull) {
      db_bind_null(s, i);
      continue;
    }
    if (dom_is_integer(&pEnt->aField[k])) db_bind_int(s, i, v->i);
    else if (v->z) db_bind_text_ref(s, i, v->z);
    else db_bind_null(s, i);
  }
}

/* Rewrites the child rows of each list field set in r. */
static int store_lists(dom_ctx *c, const dom_rec *r, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    const dom_val *v = &r->a[k];
    if (!dom_is_list(f) || !v->bSet) continue;
    db_stmt *s = db_prepare(c->pDb, pEnt->pSql->azChildDel[k], e);
    if (!s) return -1;
    db_bind_int(s, 1, r->id);
    int rc = db_step(s, e);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    for (int j = 0; j < v->n; j++) {
      s = db_prepare(c->pDb, pEnt->pSql->azChildIns[k], e);
      if (!s) return -1;
      db_bind_int(s, 1, r->id);
      db_bind_int(s, 2, j);
      if (f->type == DT_STRLIST) db_bind_text(s, 3, v->az[j]);
      else db_bind_int(s, 3, v->ai[j]);
      rc = db_step(s, e);
      db_done(s);
      if (rc == DB_ERROR) return -1;
    }
  }
  return 0;
}

const dom_bulk *dom_bulk_of(const dom_rec *r) {
  return r->pBulk && r->pBulk->pEnt == r->pEnt ? r->pBulk : NULL;
}

/* 1 when field k of r holds what it held in pOld (always 0 on create). */
static int unchanged(const dom_rec *r, const dom_rec *pOld, int k);

/* Runs s (bound: the lookup of a unique value) and returns the id of the
 * record it finds if that is not r itself, else 0; -1 with e on error. */
static int64_t other_id(db_stmt *s, const dom_rec *r, gerr *e) {
  int rc = db_step(s, e);
  int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  if (rc == DB_ERROR) return -1;
  return id == r->id ? 0 : id;
}

/* Refuses a record whose unique key (the fields of key u of its entity) is
 * already another record's, naming the key's field in guild's words. Keys
 * with a null field, keys the bulk writer's insert checks, and keys an
 * update leaves as they were are not looked up. */
static int check_key(dom_ctx *c, const dom_rec *r, const dom_rec *pOld, int u, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  const int *aK = pEnt->pSql->aaKeyField[u];
  const dom_bulk *b = dom_bulk_of(r);
  int bSame = pOld != NULL, bWriter = b != NULL, n = 0;
  for (; n < DOM_MAXKEY && aK[n] >= 0; n++) {
    const dom_val *v = &r->a[aK[n]];
    if (!v->bSet || v->bNull) return 0;
    bSame &= unchanged(r, pOld, aK[n]);
    bWriter &= b && (b->mKey & (1u << aK[n])) != 0;
  }
  if (bSame || bWriter) return 0;
  db_stmt *s = db_prepare(c->pDb, pEnt->pSql->azKey[u], e);
  if (!s) return -1;
  for (int i = 0; i < n; i++) {
    const dom_val *v = &r->a[aK[i]];
    if (dom_is_integer(&pEnt->aField[aK[i]])) db_bind_int(s, i + 1, v->i);
    else db_bind_text(s, i + 1, v->z);
  }
  int64_t idOther = other_id(s, r, e);
  if (idOther <= 0) return (int)idOther;
  const dom_unique *pKey = &pEnt->aUnique[u];
  return gerr_setr(e, GERR_CONFLICT, pKey->reason ? pKey->reason : GR_DUPLICATE_KEY, pKey->zField,
                   GP_S("what", pKey->zWhat), GP_S("entity", pEnt->zName), GP_I("id", idOther));
}

/* Refuses values of unique fields, and unique keys of several fields,
 * already used by another record. */
static int check_unique(dom_ctx *c, const dom_rec *r, const dom_rec *pOld, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  const dom_bulk *b = dom_bulk_of(r);
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_val *v = &r->a[k];
    if (!pEnt->pSql->azUnique[k] || !v->bSet || v->bNull) continue;
    if (b && (b->mKey & (1u << k))) continue;   /* the writer's insert refuses a stored key */
    db_stmt *s = db_prepare(c->pDb, pEnt->pSql->azUnique[k], e);
    if (!s) return -1;
    if (pEnt->aField[k].type == DT_TEXT) db_bind_text(s, 1, v->z);
    else db_bind_int(s, 1, v->i);
    int64_t idOther = other_id(s, r, e);
    if (idOther < 0) return -1;
    if (idOther && v->z)   /* text, a date, a code */
      return gerr_setr(e, GERR_CONFLICT, GR_DUPLICATE_VALUE, pEnt->aField[k].zName, GP_S("value", v->z),
                       GP_S("entity", pEnt->zName), GP_I("id", idOther));
    if (idOther)   /* an integer or a reference: its number */
      return gerr_setr(e, GERR_CONFLICT, GR_DUPLICATE_VALUE, pEnt->aField[k].zName, GP_I("value", v->i),
                       GP_S("entity", pEnt->zName), GP_I("id", idOther));
  }
  for (int u = 0; u < pEnt->nUnique; u++)
    if (check_key(c, r, pOld, u, e)) return -1;
  return 0;
}

/* A unique constraint the store reports (e->field: one of its columns) when
 * the record met another written at the same moment, after check_unique
 * found none: said in the words of the entity's key that has that column. */
static void reword_conflict(const dom_rec *r, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  if (e->code != GERR_CONFLICT || !e->field[0]) return;
  for (int u = 0; u < pEnt->nUnique; u++)
    for (int i = 0; i < DOM_MAXKEY && pEnt->aUnique[u].azField[i]; i++)
      if (strcmp(pEnt->aUnique[u].azField[i], e->field) == 0) {
        const dom_unique *pKey = &pEnt->aUnique[u];
        gerr_setr(e, GERR_CONFLICT, pKey->reason ? pKey->reason : GR_DUPLICATE_KEY, pKey->zField,
                  GP_S("what", pKey->zWhat), GP_S("entity", pEnt->zName));
        snprintf(e->msg, sizeof e->msg, "%s: %s (written by someone else at the same moment)", pKey->zField, pKey->zWhat);
        return;
      }
  int k = dom_field_index(pEnt, e->field);
  if (k >= 0 && (pEnt->aField[k].flags & F_UNIQUE))
    gerr_setr(e, GERR_CONFLICT, GR_DUPLICATE_RACE, pEnt->aField[k].zName, GP_S("entity", pEnt->zName));
}

/* Validates every field given in r (and the required ones on create). */
static int check_fields(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  const dom_bulk *b = dom_bulk_of(r);
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    dom_val *v = &r->a[k];
    if (f->flags & F_RO) {
      if (v->bSet) return gerr_setr(e, GERR_VALIDATION, GR_READ_ONLY, f->zName);
      continue;
    }
    if (!v->bSet) {
      if (!pOld && (f->flags & F_REQ))
        return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, f->zName);
      continue;
    }
    if (b && (b->mRefFound & (1u << k)) && !v->bNull) continue;   /* the writer has just found it */
    if (dom_check_value(c, f, v, e)) return -1;
  }
  return 0;
}

/* Inserts r's columns and list fields (dom_insert_raw without its note in
 * the audit log: dom_create's entry records the record). */
static int insert_row(dom_ctx *c, dom_rec *r, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, r->pEnt->pSql->zInsert, e);
  if (!s) return -1;
  int iParam = 1;
  db_bind_int(s, iParam++, c->now);
  dom_bind_columns(s, r, &iParam);
  int rc = db_step(s, e);
  if (rc == DB_ROW) r->id = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_DONE) return gerr_set(e, GERR_DB, NULL, "insert into %s returned no id", r->pEnt->zPlural);
  if (rc == DB_ERROR) {
    reword_conflict(r, e);
    return -1;
  }
  return store_lists(c, r, e);
}

int dom_insert_raw(dom_ctx *c, dom_rec *r, gerr *e) {
  if (insert_row(c, r, e)) return -1;
  r->version = 1;
  r->created_at = r->updated_at = c->now;
  return audit_note_row(c, r, e);
}

/* Writes r over the stored row if it still has version ifVersion. */
static int update_row(dom_ctx *c, const dom_rec *r, int64_t ifVersion, gerr *e) {
  const dom_entity *pEnt = r->pEnt;
  db_stmt *s = db_prepare(c->pDb, pEnt->pSql->zUpdate, e);
  if (!s) return -1;
  int iParam = 1;
  db_bind_int(s, iParam++, c->now);
  dom_bind_columns(s, r, &iParam);
  db_bind_int(s, iParam++, r->id);
  db_bind_int(s, iParam++, ifVersion);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) {
    reword_conflict(r, e);
    return -1;
  }
  if (rc == DB_DONE)
    return gerr_setr(e, GERR_STALE, GR_STALE, NULL, GP_S("entity", pEnt->zName), GP_I("id", r->id), GP_I("had", ifVersion));
  if (store_lists(c, r, e)) return -1;
  return dom_run_hooks(c, r, e);   /* what other modules make of the change (dom_hook) */
}

/* GERR_STALE unless the stored record is at the version the client had. */
static int check_version(const dom_rec *pOld, int64_t ifVersion, gerr *e) {
  if (pOld->version == ifVersion) return 0;
  return gerr_setr(e, GERR_STALE, GR_STALE, NULL, GP_S("entity", pOld->pEnt->zName), GP_I("id", pOld->id),
                   GP_I("had", ifVersion), GP_I("current", pOld->version));
}

static int same_value(const dom_field *f, const dom_val *a, const dom_val *b) {
  if (a->bNull || b->bNull) return a->bNull == b->bNull;
  if (dom_is_integer(f)) return a->i == b->i;
  if (dom_is_list(f)) return 0;
  return strcmp(a->z ? a->z : "", b->z ? b->z : "") == 0;
}

static int unchanged(const dom_rec *r, const dom_rec *pOld, int k) {
  return pOld && pOld->a[k].bSet && same_value(&r->pEnt->aField[k], &r->a[k], &pOld->a[k]);
}

int dom_check(dom_ctx *c, const dom_entity *pEnt, const dom_rec *pIn, const dom_rec *pOld, dom_rec *pOut, gerr *e) {
  dom_rec patch = *pIn;
  patch.pEnt = pEnt;
  patch.id = pOld ? pOld->id : 0;
  if (pOld)
    for (int k = 0; k < pEnt->nField; k++) {
      const dom_field *f = &pEnt->aField[k];
      if (patch.a[k].bSet && (f->flags & F_IMMUT) && !same_value(f, &patch.a[k], &pOld->a[k]))
        return gerr_setr(e, GERR_VALIDATION, GR_FIXED, f->zName, GP_S("entity", pEnt->zName));
    }
  if (check_fields(c, &patch, pOld, e)) return -1;
  if (pOld) {
    *pOut = *pOld;
    for (int k = 0; k < pEnt->nField; k++)
      if (patch.a[k].bSet) pOut->a[k] = patch.a[k];
      else if (dom_is_list(&pEnt->aField[k])) pOut->a[k].bSet = 0;  /* unchanged: keep child rows */
  } else {
    *pOut = patch;
  }
  pOut->pBulk = pIn->pBulk;
  if (pEnt->xCheck && pEnt->xCheck(c, pOut, pOld, e)) return -1;
  return check_unique(c, pOut, pOld, e);
}

int dom_same(const dom_rec *a, const dom_rec *b) {
  const dom_entity *pEnt = a->pEnt;
  if (b->pEnt != pEnt) return 0;
  for (int k = 0; k < pEnt->nField; k++) {
    if (pEnt->pSql->aCol[k] < 0) continue;
    const dom_val *va = &a->a[k], *vb = &b->a[k];
    int bNullA = !va->bSet || va->bNull, bNullB = !vb->bSet || vb->bNull;
    if (bNullA || bNullB) {
      if (bNullA != bNullB) return 0;
      continue;
    }
    if (!same_value(&pEnt->aField[k], va, vb)) return 0;
  }
  return 1;
}

int dom_create(dom_ctx *c, const dom_entity *pEnt, const dom_rec *pIn, dom_rec *pOut, gerr *e) {
  dom_rec r, in = *pIn;
  if (db_begin(c->pDb, e)) return -1;
  if (pol_check_create(c, rule_of(pEnt, DOM_CREATE), pEnt, &in, e)) goto fail;
  if (dom_check(c, pEnt, &in, NULL, &r, e)) goto fail;
  if (insert_row(c, &r, e)) goto fail;
  if (dom_get(c, pEnt, r.id, pOut, e)) goto fail;
  if (audit_record(c, "create", pOut, e)) goto fail;
  if (db_commit(c->pDb, e)) return -1;
  return 0;
fail:
  db_rollback(c->pDb);
  return -1;
}

int dom_update(dom_ctx *c, const dom_entity *pEnt, int64_t id, int64_t ifVersion,
               const dom_rec *pPatch, dom_rec *pOut, gerr *e) {
  dom_rec old, r;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, pEnt, id, &old, e)) goto fail;
  if (pol_check_update(c, rule_of(pEnt, DOM_UPDATE), &old, pPatch, e)) goto fail;
  if (check_version(&old, ifVersion, e)) goto fail;
  if (dom_check(c, pEnt, pPatch, &old, &r, e)) goto fail;
  if (update_row(c, &r, ifVersion, e)) goto fail;
  if (dom_get(c, pEnt, id, pOut, e)) goto fail;
  if (audit_record(c, "update", pOut, e)) goto fail;
  if (db_commit(c->pDb, e)) return -1;
  return 0;
fail:
  db_rollback(c->pDb);
  return -1;
}

/* Notes r, just written over the stored row at ifVersion, in the audit
 * log: from memory when r holds all of it, else as read back (list fields
 * it left as they were). */
static int note_stored(dom_ctx *c, const dom_rec *r, int64_t ifVersion, gerr *e) {
  int bWhole = r->created_at != 0;
  for (int k = 0; k < r->pEnt->nField && bWhole; k++)
    bWhole = !dom_is_list(&r->pEnt->aField[k]) || r->a[k].bSet;
  dom_rec now;
  if (!bWhole) {
    if (dom_get(c, r->pEnt, r->id, &now, e)) return -1;
  } else {
    now = *r;
    now.version = ifVersion + 1;
    now.updated_at = c->now;
  }
  return audit_note_row(c, &now, e);
}

int dom_store(dom_ctx *c, dom_rec *r, int64_t ifVersion, gerr *e) {
  for (int k = 0; k < r->pEnt->nField; k++)
    if (dom_is_list(&r->pEnt->aField[k])) r->a[k].bSet = 0;
  if (update_row(c, r, ifVersion, e)) return -1;
  return note_stored(c, r, ifVersion, e);
}

int dom_store_lists(dom_ctx *c, dom_rec *r, int64_t ifVersion, gerr *e) {
  if (update_row(c, r, ifVersion, e)) return -1;
  return note_stored(c, r, ifVersion, e);
}

/* Names what still refers to record id, or returns 0 when nothing does. */
static int check_refs(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e) {
  char zWho[400] = "";
  size_t nWho = 0;
  int64_t nAll = 0;
  const dom_sql *q = pEnt->pSql;
  for (int i = 0; i < q->nRefBy; i++) {
    int64_t n = 0;
    if (db_query_int(c->pDb, q->aRefBy[i].zCount, 1, id, &n, e) == DB_ERROR) return -1;
    if (n == 0) continue;
    nAll += n;
    int k = snprintf(zWho + nWho, sizeof zWho - nWho, "%s%lld %s (%s)", nWho ? ", " : "", (long long)n,
                     n == 1 ? q->aRefBy[i].pEnt->zName : q->aRefBy[i].pEnt->zPlural,
                     q->aRefBy[i].pField->zName);
    if (k > 0 && (size_t)k < sizeof zWho - nWho) nWho += (size_t)k;
  }
  if (nWho)
    return gerr_setr(e, GERR_CONFLICT, GR_STILL_IN_USE, NULL, GP_S("entity", pEnt->zName), GP_I("id", id),
                     GP_S("by", zWho), GP_I("count", nAll));
  return 0;
}

/* Deletes pOld when its rules and references allow (dom_delete_raw without
 * its note: dom_delete's entry records the deletion). */
static int delete_row(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  const dom_entity *pEnt = pOld->pEnt;
  if (pEnt->xCanDelete && pEnt->xCanDelete(c, pOld, e)) return -1;
  if (check_refs(c, pEnt, pOld->id, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, pEnt->pSql->zDelete, e);
  if (!s) return -1;
  db_bind_int(s, 1, pOld->id);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int dom_delete_raw(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  if (delete_row(c, pOld, e)) return -1;
  return audit_note_gone(c, pOld->pEnt, pOld->id, e);
}

int dom_delete(dom_ctx *c, const dom_entity *pEnt, int64_t id, int64_t ifVersion, gerr *e) {
  dom_rec old;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, pEnt, id, &old, e)) goto fail;
  if (pol_check(c, rule_of(pEnt, DOM_DELETE), pEnt, id, e)) goto fail;
  if (ifVersion >= 0 && check_version(&old, ifVersion, e)) goto fail;
  if (delete_row(c, &old, e)) goto fail;
  if (audit_deleted(c, "delete", pEnt, id, e)) goto fail;
  if (db_commit(c->pDb, e)) return -1;
  return 0;
fail:
  db_rollback(c->pDb);
  return -1;
}
