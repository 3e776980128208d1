/* comp_marks.c: what happens to a category's marks as a whole: locking it
 * once complete, corrections after the lock, and loading an edition's marks
 * to compute its results. */
#include "domain/competition/comp.h"
#include "domain/competition/comp_lists.h"
#include "domain/engine/audit.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_category, dom_mark;
int comp_check_value(dom_ctx *c, int64_t idAspect, const char *zCode, const char *zKind, int64_t maxCenti,
                     int64_t v, gerr *e);
int comp_withdraw_competitor(dom_ctx *c, int64_t id, dom_rec *pOut, gerr *e);

/* Refuses the lock while category idCategory lacks marks (409,
 * marks_missing: how many, and the first one: competitor, aspect, marks it
 * has and needs; the review lists them all, comp_missing_marks). The
 * English message names the first 12. 0 when none is missing. */
static int refuse_if_missing(dom_ctx *c, int64_t idCategory, gerr *e) {
  comp_missing_mark *a;
  int n;
  if (comp_missing_marks(c, idCategory, &a, &n, e)) return -1;
  if (!n) return 0;
  gerr_setr(e, GERR_CONFLICT, GR_MARKS_MISSING, NULL, GP_I("count", n), GP_I("competitor", a[0].competitor_id),
            GP_S("aspect", a[0].zAspect), GP_I("have", a[0].have), GP_I("need", a[0].need));
  char zList[400] = "";
  for (int i = 0; i < n && i < 12; i++) {
    size_t k = strlen(zList);
    snprintf(zList + k, sizeof zList - k, "%scompetitor %lld aspect %s (%lld of %lld)", i ? "; " : "",
             (long long)a[i].competitor_id, a[i].zAspect, (long long)a[i].have, (long long)a[i].need);
  }
  return gerr_msg(e, "%d marks are missing: %s%s", n, zList, n > 12 ? "; ..." : "");
}

int comp_lock_category(dom_ctx *c, int64_t idCategory, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &comp_rule_chief, &dom_category, idCategory, e)) return -1;
  dom_rec r;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_category, idCategory, &r, e)) goto fail;
  if (comp_require_state(c, "category", idCategory, "marking", "lock", e)) goto fail;
  if (!dom_v(&r, "locked_at")->bNull) {  /* already locked */
    *pOut = r;
    return db_commit(c->pDb, e);
  }
  if (refuse_if_missing(c, idCategory, e)) goto fail;
  dom_set_int(&r, "locked_at", c->now);
  dom_set_text(&r, "locked_by", c->zActor);
  if (dom_store(c, &r, r.version, e) || dom_get(c, &dom_category, idCategory, pOut, e) ||
      audit_record(c, "lock", pOut, e))
    goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

static const char zMarkAspect[] =
    "SELECT a.id, a.code, a.kind, a.max_mark, CASE WHEN c.locked_at IS NULL THEN 0 ELSE 1 END, e.state "
    "FROM marks m JOIN aspects a ON a.id = m.aspect_id JOIN competitors p ON p.id = m.competitor_id "
    "JOIN categories c ON c.id = p.category_id JOIN editions e ON e.id = c.edition_id WHERE m.id = $1";
static const char zCorrection[] =
    "INSERT INTO mark_corrections (mark_id, at, actor, reason, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)";

const char *const comp_correction_reasons[] = {"entry_error", "remeasured", "rule_misapplied", "appeal_upheld",
                                               "other", NULL};

int comp_correct_mark(dom_ctx *c, int64_t idMark, int64_t v, const char *zReason, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &comp_rule_mark_chief, &dom_mark, idMark, e)) return -1;
  const char *const *pz = comp_correction_reasons;
  while (zReason && *pz && strcmp(*pz, zReason)) pz++;
  if (!zReason || !*pz) {
    char zList[160] = "";
    for (pz = comp_correction_reasons; *pz; pz++)
      snprintf(zList + strlen(zList), sizeof zList - strlen(zList), "%s%s", pz == comp_correction_reasons ? "" : ", ", *pz);
    return gerr_setr(e, GERR_VALIDATION, GR_CORRECTION_WHY, "reason", GP_S("allowed", zList));
  }
  dom_rec r;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_mark, idMark, &r, e)) goto fail;
  db_stmt *s = db_prepare(c->pDb, zMarkAspect, e);
  if (!s) goto fail;
  db_bind_int(s, 1, idMark);
  int rc = db_step(s, e);
  int64_t idAspect = 0, maxCenti = 0, bLocked = 0;
  char zCode[20] = "", zKind[16] = "", zState[16] = "";
  if (rc == DB_ROW) {
    idAspect = db_col_int(s, 0);
    snprintf(zCode, sizeof zCode, "%s", db_col_text(s, 1));
    snprintf(zKind, sizeof zKind, "%s", db_col_text(s, 2));
    maxCenti = db_col_int(s, 3);
    bLocked = db_col_int(s, 4);
    snprintf(zState, sizeof zState, "%s", db_col_text(s, 5));
  }
  db_done(s);
  if (rc != DB_ROW) goto fail;
  if (!bLocked) {
    gerr_setr(e, GERR_CONFLICT, GR_NOT_LOCKED_YET, NULL);
    goto fail;
  }
  if (strcmp(zState, "marking")) {
    comp_state_refusal(e, "correction", "marking", zState);
    goto fail;
  }
  if (comp_check_value(c, idAspect, zCode, zKind, maxCenti, v, e)) goto fail;
  s = db_prepare(c->pDb, zCorrection, e);
  if (!s) goto fail;
  db_bind_int(s, 1, idMark);
  db_bind_int(s, 2, c->now);
  db_bind_text(s, 3, c->zActor);
  db_bind_text(s, 4, zReason);
  db_bind_int(s, 5, dom_v(&r, "value")->i);
  db_bind_int(s, 6, v);
  rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  dom_set_int(&r, "value", v);
  if (dom_store(c, &r, r.version, e) || dom_get(c, &dom_mark, idMark, pOut, e) || audit_record(c, "correct", pOut, e))
    goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

/* --- results ---------------------------------------------------------------- */

static const char zEdition[] = "SELECT state, points_per_sd, name, year FROM editions WHERE id = $1";
static const char zCats[] = "SELECT id, name FROM categories WHERE edition_id = $1 ORDER BY id";
static const char zAspects[] =
    "SELECT r.category_id, a.id, a.kind, a.max_mark FROM aspects a JOIN criteria r ON r.id = a.criterion_id "
    "JOIN categories c ON c.id = r.category_id WHERE c.edition_id = $1 ORDER BY r.category_id, a.id";
static const char zCompetitors[] =
    "SELECT p.category_id, p.id, p.person_id, p.institution_id, s.given_name, coalesce(s.family_name, ''), i.name "
    "FROM competitors p JOIN persons s ON s.id = p.person_id JOIN categories c ON c.id = p.category_id "
    "JOIN institutions i ON i.id = p.institution_id "
    "WHERE c.edition_id = $1 AND p.status = 'entered' ORDER BY p.category_id, p.id";
static const char zMarks[] =
    "SELECT p.category_id, m.competitor_id, m.aspect_id, m.value FROM marks m "
    "JOIN competitors p ON p.id = m.competitor_id JOIN categories c ON c.id = p.category_id "
    "WHERE c.edition_id = $1 AND p.status = 'entered'";

typedef struct cat_work {
  int64_t id;
  int nAspect, nAspectAlloc, nComp, nCompAlloc, nMark, nMarkAlloc;
  comp_aspect *aAspect;
  comp_competitor_result *aResult;
  comp_result_row *aRow;
  comp_mark *aMark;
} cat_work;

#define GROW(a, n, nAlloc, ar)                                                   \
  do {                                                                           \
    if ((n) == (nAlloc)) {                                                       \
      int nNew_ = (nAlloc) ? 2 * (nAlloc) : 16;                                  \
      void *p_ = arena_alloc((ar), (size_t)nNew_ * sizeof *(a));                 \
      if (n) memcpy(p_, (a), (size_t)(n) * sizeof *(a));                         \
      (a) = p_;                                                                  \
      (nAlloc) = nNew_;                                                          \
    }                                                                            \
  } while (0)

static cat_work *find_cat(cat_work *a, int n, int64_t id) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (a[mid].id == id) return &a[mid];
    if (a[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

/* Index of id in a sorted id array of n (stride bytes apart), or -1. */
static int find_index(const void *a, int n, size_t stride, int64_t id) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int64_t v = *(const int64_t *)((const char *)a + (size_t)mid * stride);
    if (v == id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

int comp_edition_results_load(dom_ctx *c, int64_t idEdition, comp_edition_results *pOut, gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  pOut->edition_id = idEdition;
  arena *a = c->pAr;
  db_stmt *s = db_prepare(c->pDb, zEdition, e);
  if (!s) return -1;
  db_bind_int(s, 1, idEdition);
  int rc = db_step(s, e), points = 30;
  if (rc == DB_ROW) {
    pOut->zState = arena_strdup(a, db_col_text(s, 0));
    points = (int)db_col_int(s, 1);
    pOut->zName = arena_strdup(a, db_col_text(s, 2));
    pOut->year = (int)db_col_int(s, 3);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE)
    return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", "edition"), GP_I("id", idEdition));
  int nCat = 0, nCatAlloc = 0;
  cat_work *aW = NULL;
  const char **azName = NULL;
  int nNameAlloc = 0, nName = 0;
  s = db_prepare(c->pDb, zCats, e);
  if (!s) return -1;
  db_bind_int(s, 1, idEdition);
  while ((rc = db_step(s, e)) == DB_ROW) {
    GROW(aW, nCat, nCatAlloc, a);
    GROW(azName, nName, nNameAlloc, a);
    memset(&aW[nCat], 0, sizeof aW[nCat]);
    aW[nCat++].id = db_col_int(s, 0);
    azName[nName++] = arena_strdup(a, db_col_text(s, 1));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zAspects, e);
  if (!s) return -1;
  db_bind_int(s, 1, idEdition);
  while ((rc = db_step(s, e)) == DB_ROW) {
    cat_work *w = find_cat(aW, nCat, db_col_int(s, 0));
    if (!w) continue;
    GROW(w->aAspect, w->nAspect, w->nAspectAlloc, a);
    comp_aspect *p = &w->aAspect[w->nAspect++];
    p->id = db_col_int(s, 1);
    p->kind = strcmp(db_col_text(s, 2), "judgement") == 0 ? COMP_JUDGEMENT : COMP_MEASUREMENT;
    p->maxCenti = (int)db_col_int(s, 3);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zCompetitors, e);
  if (!s) return -1;
  db_bind_int(s, 1, idEdition);
  while ((rc = db_step(s, e)) == DB_ROW) {
    cat_work *w = find_cat(aW, nCat, db_col_int(s, 0));
    if (!w) continue;
    int nAlloc = w->nCompAlloc;
    GROW(w->aResult, w->nComp, w->nCompAlloc, a);
    w->nCompAlloc = nAlloc;
    GROW(w->aRow, w->nComp, w->nCompAlloc, a);
    comp_competitor_result *p = &w->aResult[w->nComp];
    comp_result_row *q = &w->aRow[w->nComp++];
    memset(p, 0, sizeof *p);
    p->id = q->competitor_id = db_col_int(s, 1);
    q->person_id = db_col_int(s, 2);
    p->institution_id = q->institution_id = db_col_int(s, 3);
    q->zGiven = arena_strdup(a, db_col_text(s, 4));
    q->zFamily = arena_strdup(a, db_col_text(s, 5));
    q->zInstitution = arena_strdup(a, db_col_text(s, 6));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zMarks, e);
  if (!s) return -1;
  db_bind_int(s, 1, idEdition);
  while ((rc = db_step(s, e)) == DB_ROW) {
    cat_work *w = find_cat(aW, nCat, db_col_int(s, 0));
    if (!w) continue;
    int iComp = find_index(w->aResult, w->nComp, sizeof *w->aResult, db_col_int(s, 1));
    int iAspect = find_index(w->aAspect, w->nAspect, sizeof *w->aAspect, db_col_int(s, 2));
    if (iComp < 0 || iAspect < 0) continue;
    GROW(w->aMark, w->nMark, w->nMarkAlloc, a);
    comp_mark *m = &w->aMark[w->nMark++];
    m->iCompetitor = iComp;
    m->iAspect = iAspect;
    int64_t v = db_col_int(s, 3);
    m->valueCenti = (int)(w->aAspect[iAspect].kind == COMP_JUDGEMENT ? v / 100 : v);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  comp_category *aCat = arena_alloc(a, (size_t)(nCat ? nCat : 1) * sizeof *aCat);
  pOut->aCat = arena_alloc(a, (size_t)(nCat ? nCat : 1) * sizeof *pOut->aCat);
  pOut->nCat = nCat;
  int nInstMax = 0;
  for (int k = 0; k < nCat; k++) {
    cat_work *w = &aW[k];
    aCat[k] = (comp_category){w->nAspect, w->nComp, w->nMark, w->aAspect, w->aMark, w->aResult};
    if (comp_category_results(&aCat[k], points)) return gerr_set(e, GERR_INTERNAL, NULL, "out of memory");
    for (int i = 0; i < w->nComp; i++) {
      w->aRow[i].raw = w->aResult[i].raw;
      w->aRow[i].standard = w->aResult[i].standard;
      w->aRow[i].rank = w->aResult[i].rank;
      w->aRow[i].medal = w->aResult[i].medal;
    }
    pOut->aCat[k] = (comp_cat_results){w->id, azName[k], w->nComp, w->aRow};
    nInstMax += w->nComp;
  }
  pOut->aInst = arena_alloc(a, (size_t)(nInstMax ? nInstMax : 1) * sizeof *pOut->aInst);
  pOut->nInst = comp_institution_table(aCat, nCat, pOut->aInst, nInstMax ? nInstMax : 1);
  return 0;
}
