/* comp_stats.c: a competition's history: for each edition the participants,
 * categories, institutions and competitors by sex, the medals by institution
 * and by area, and the growth over the previous edition of the same area;
 * and the same figures across every edition. */
#include "domain/competition/comp.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char zEditions[] = "SELECT id, year, name, state, area_id FROM editions ORDER BY year, id";
static const char zCategories[] = "SELECT edition_id, count(*) FROM categories GROUP BY edition_id";
static const char zEntries[] =
    "SELECT c.edition_id, count(*), count(DISTINCT p.institution_id), "
    "sum(CASE WHEN s.sex = 'female' THEN 1 ELSE 0 END), sum(CASE WHEN s.sex = 'male' THEN 1 ELSE 0 END) "
    "FROM competitors p JOIN categories c ON c.id = p.category_id JOIN persons s ON s.id = p.person_id "
    "WHERE p.status = 'entered' GROUP BY c.edition_id";
static const char zTotals[] =
    "SELECT count(DISTINCT person_id), count(DISTINCT institution_id) FROM competitors WHERE status = 'entered'";
static const char zInstitution[] =
    "SELECT i.name, i.area_id, a.name FROM institutions i JOIN areas a ON a.id = i.area_id WHERE i.id = $1";

static comp_edition_stats *find_edition(comp_stats *p, int64_t id) {
  for (int i = 0; i < p->nEdition; i++)
    if (p->aEdition[i].edition_id == id) return &p->aEdition[i];
  return NULL;
}

/* A growing list of medal counts in the arena. */
typedef struct medal_list {
  int n, nAlloc;
  comp_medal_count *a;
} medal_list;

/* The entry for id in l (added, zeroed, when new). */
static comp_medal_count *medal_entry(arena *ar, medal_list *l, int64_t id, const char *zName, int64_t idArea) {
  for (int i = 0; i < l->n; i++)
    if (l->a[i].id == id) return &l->a[i];
  if (l->n == l->nAlloc) {
    int nNew = l->nAlloc ? 2 * l->nAlloc : 8;
    comp_medal_count *aNew = arena_alloc(ar, (size_t)nNew * sizeof *aNew);
    if (l->n) memcpy(aNew, l->a, (size_t)l->n * sizeof *aNew);
    l->a = aNew;
    l->nAlloc = nNew;
  }
  comp_medal_count *p = &l->a[l->n++];
  memset(p, 0, sizeof *p);
  p->id = id;
  p->zName = zName;
  p->area_id = idArea;
  return p;
}

static void medal_add(comp_medal_count *p, const comp_medal_count *q) {
  p->gold += q->gold;
  p->silver += q->silver;
  p->bronze += q->bronze;
  p->medallion += q->medallion;
  p->points += q->points;
  p->competitors += q->competitors;
}

static int cmp_medals(const void *a, const void *b) {
  const comp_medal_count *x = a, *y = b;
  if (x->points != y->points) return y->points - x->points;
  if (x->gold != y->gold) return y->gold - x->gold;
  if (x->silver != y->silver) return y->silver - x->silver;
  if (x->bronze != y->bronze) return y->bronze - x->bronze;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void medal_sort(medal_list *l) {
  if (l->n > 1) qsort(l->a, (size_t)l->n, sizeof *l->a, cmp_medals);
}

/* One final edition's medals by institution and by area, added to the
 * edition and to the totals. */
static int edition_medals(dom_ctx *c, comp_edition_stats *s, medal_list *pAllInst, medal_list *pAllArea, gerr *e) {
  comp_edition_results res;
  if (comp_edition_results_load(c, s->edition_id, &res, e)) return -1;
  medal_list inst = {0}, area = {0};
  for (int i = 0; i < res.nInst; i++) {
    const comp_institution_row *r = &res.aInst[i];
    db_stmt *q = db_prepare(c->pDb, zInstitution, e);
    if (!q) return -1;
    db_bind_int(q, 1, r->institution_id);
    int rc = db_step(q, e);
    const char *zName = "", *zArea = "";
    int64_t idArea = 0;
    if (rc == DB_ROW) {
      zName = arena_strdup(c->pAr, db_col_text(q, 0));
      idArea = db_col_int(q, 1);
      zArea = arena_strdup(c->pAr, db_col_text(q, 2));
    }
    db_done(q);
    if (rc == DB_ERROR) return -1;
    comp_medal_count m = {r->institution_id, zName, idArea, r->gold, r->silver, r->bronze, r->medallion,
                          r->points, r->competitors};
    medal_add(medal_entry(c->pAr, &inst, r->institution_id, zName, idArea), &m);
    medal_add(medal_entry(c->pAr, &area, idArea, zArea, 0), &m);
    medal_add(medal_entry(c->pAr, pAllInst, r->institution_id, zName, idArea), &m);
    medal_add(medal_entry(c->pAr, pAllArea, idArea, zArea, 0), &m);
  }
  medal_sort(&inst);
  medal_sort(&area);
  s->bMedals = 1;
  s->nInstMedal = inst.n;
  s->aInstMedal = inst.a;
  s->nAreaMedal = area.n;
  s->aAreaMedal = area.a;
  return 0;
}

static double growth(int now, int before) {
  return before ? (double)(now - before) / before : NAN;
}

int comp_stats_load(dom_ctx *c, comp_stats *pOut, gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  int64_t nEdition = 0;
  if (db_query_int(c->pDb, "SELECT count(*) FROM editions", 0, 0, &nEdition, e) == DB_ERROR) return -1;
  pOut->aEdition = arena_alloc(c->pAr, (size_t)(nEdition ? nEdition : 1) * sizeof *pOut->aEdition);
  db_stmt *s = db_prepare(c->pDb, zEditions, e);
  if (!s) return -1;
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW && pOut->nEdition < nEdition) {
    comp_edition_stats *p = &pOut->aEdition[pOut->nEdition++];
    p->edition_id = db_col_int(s, 0);
    p->year = (int)db_col_int(s, 1);
    p->zName = arena_strdup(c->pAr, db_col_text(s, 2));
    p->zState = arena_strdup(c->pAr, db_col_text(s, 3));
    p->area_id = db_col_int(s, 4);
    p->participantGrowth = p->categoryGrowth = NAN;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!(s = db_prepare(c->pDb, zCategories, e))) return -1;
  while ((rc = db_step(s, e)) == DB_ROW) {
    comp_edition_stats *p = find_edition(pOut, db_col_int(s, 0));
    if (p) p->categories = (int)db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!(s = db_prepare(c->pDb, zEntries, e))) return -1;
  while ((rc = db_step(s, e)) == DB_ROW) {
    comp_edition_stats *p = find_edition(pOut, db_col_int(s, 0));
    if (!p) continue;
    p->participants = (int)db_col_int(s, 1);
    p->institutions = (int)db_col_int(s, 2);
    p->female = (int)db_col_int(s, 3);
    p->male = (int)db_col_int(s, 4);
    p->unrecorded = p->participants - p->female - p->male;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!(s = db_prepare(c->pDb, zTotals, e))) return -1;
  if ((rc = db_step(s, e)) == DB_ROW) {
    pOut->distinct_competitors = (int)db_col_int(s, 0);
    pOut->institutions = (int)db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  medal_list allInst = {0}, allArea = {0};
  for (int i = 0; i < pOut->nEdition; i++) {
    comp_edition_stats *p = &pOut->aEdition[i];
    /* the previous edition of the same area: editions are in year order */
    for (int k = i - 1; k >= 0; k--) {
      const comp_edition_stats *q = &pOut->aEdition[k];
      if (q->area_id != p->area_id || q->year >= p->year) continue;
      p->bGrowth = 1;
      p->prev_edition_id = q->edition_id;
      p->participantGrowth = growth(p->participants, q->participants);
      p->categoryGrowth = growth(p->categories, q->categories);
      break;
    }
    pOut->participants += p->participants;
    pOut->categories += p->categories;
    pOut->female += p->female;
    pOut->male += p->male;
    pOut->unrecorded += p->unrecorded;
    if ((!strcmp(p->zState, "locked") || !strcmp(p->zState, "published")) &&
        edition_medals(c, p, &allInst, &allArea, e))
      return -1;
  }
  medal_sort(&allInst);
  medal_sort(&allArea);
  pOut->nInstMedal = allInst.n;
  pOut->aInstMedal = allInst.a;
  pOut->nAreaMedal = allArea.n;
  pOut->aAreaMedal = allArea.a;
  return 0;
}
