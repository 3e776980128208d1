/* comp_lists.c: the competition lists beyond the entities (see comp_lists.h). */
#include "domain/competition/comp_lists.h"
#include "domain/competition/comp.h"

extern dom_entity dom_category;
#include <string.h>

/* Reads the rows of zSql (with $1 bound to id when id > 0) into a new array
 * of nSize-byte elements in c's arena, xRow filling each: returns the array
 * (NULL when empty) with *pn its length, or NULL with *pn -1 and e. */
typedef void (*row_fn)(dom_ctx *c, db_stmt *s, void *p);
static void *query_rows(dom_ctx *c, const char *zSql, int64_t id, size_t nSize, row_fn xRow, int *pn, gerr *e) {
  *pn = -1;
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return NULL;
  if (id > 0) db_bind_int(s, 1, id);
  char *a = NULL;
  int n = 0, nAlloc = 0, rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 32;
      char *aNew = arena_alloc(c->pAr, (size_t)nAlloc * nSize);
      if (n) memcpy(aNew, a, (size_t)n * nSize);
      a = aNew;
    }
    xRow(c, s, a + (size_t)n++ * nSize);
  }
  db_done(s);
  if (rc == DB_ERROR) return NULL;
  *pn = n;
  return a;
}

static const char *text(dom_ctx *c, db_stmt *s, int i) { return arena_strdup(c->pAr, db_col_text(s, i)); }

/* --- published editions ------------------------------------------------------ */

static const char zPublished[] =
    "SELECT e.id, e.year, e.name, e.start_date, e.end_date, e.area_id, a.name, "
    "(SELECT count(*) FROM categories c WHERE c.edition_id = e.id), "
    "(SELECT count(*) FROM competitors p JOIN categories c ON c.id = p.category_id "
    "WHERE c.edition_id = e.id AND p.status = 'entered') "
    "FROM editions e JOIN areas a ON a.id = e.area_id WHERE e.state = 'published' "
    "ORDER BY e.year DESC, e.id DESC LIMIT 1000";

static void published_row(dom_ctx *c, db_stmt *s, void *p) {
  comp_published_edition *x = p;
  *x = (comp_published_edition){db_col_int(s, 0), db_col_int(s, 5), db_col_int(s, 1), db_col_int(s, 7),
                                db_col_int(s, 8), text(c, s, 2), text(c, s, 3), text(c, s, 4), text(c, s, 6)};
}

int comp_published_editions(dom_ctx *c, comp_published_edition **pa, int *pn, gerr *e) {
  *pa = query_rows(c, zPublished, 0, sizeof **pa, published_row, pn, e);
  return *pn < 0 ? -1 : 0;
}

/* --- the judges' review ------------------------------------------------------ */

const char comp_review_rule[] = "a judgement aspect is flagged when the judges' scores differ by more than one point";

/* judgement scores are stored in hundredths, as marks are: one point is 100 */
static const char zFlags[] =
    "SELECT m.competitor_id, m.aspect_id, a.code, min(m.value), max(m.value), count(*) FROM marks m "
    "JOIN aspects a ON a.id = m.aspect_id JOIN competitors p ON p.id = m.competitor_id "
    "WHERE p.category_id = $1 AND a.kind = 'judgement' GROUP BY m.competitor_id, m.aspect_id, a.code "
    "HAVING max(m.value) - min(m.value) > 100 ORDER BY m.competitor_id, m.aspect_id";

static void flag_row(dom_ctx *c, db_stmt *s, void *p) {
  comp_review_flag *x = p;
  *x = (comp_review_flag){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 3) / 100, db_col_int(s, 4) / 100,
                          db_col_int(s, 5), text(c, s, 2)};
}

int comp_review_flags(dom_ctx *c, int64_t idCategory, comp_review_flag **pa, int *pn, gerr *e) {
  if (pol_check(c, &comp_rule_chief, &dom_category, idCategory, e)) return -1;
  *pa = query_rows(c, zFlags, idCategory, sizeof **pa, flag_row, pn, e);
  return *pn < 0 ? -1 : 0;
}

/* --- the marks the lock waits for -------------------------------------------- */

/* Each entered competitor x aspect of the category with its marks. */
static const char zCoverage[] =
    "SELECT p.id, a.id, a.code, a.kind, (SELECT count(*) FROM marks m WHERE m.competitor_id = p.id "
    "AND m.aspect_id = a.id) FROM competitors p JOIN criteria r ON r.category_id = p.category_id "
    "JOIN aspects a ON a.criterion_id = r.id WHERE p.category_id = $1 AND p.status = 'entered' ORDER BY p.id, a.id";

static void coverage_row(dom_ctx *c, db_stmt *s, void *p) {
  comp_missing_mark *x = p;
  int64_t need = strcmp(db_col_text(s, 3), "judgement") == 0 ? COMP_JUDGES_PER_JUDGEMENT : 1;
  *x = (comp_missing_mark){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 4), need, text(c, s, 2)};
}

int comp_missing_marks(dom_ctx *c, int64_t idCategory, comp_missing_mark **pa, int *pn, gerr *e) {
  comp_missing_mark *a = query_rows(c, zCoverage, idCategory, sizeof *a, coverage_row, pn, e);
  if (*pn < 0) return -1;
  int n = 0;
  for (int i = 0; i < *pn; i++)
    if (a[i].have < a[i].need) a[n++] = a[i];
  *pa = a;
  *pn = n;
  return 0;
}

/* --- marks and their corrections --------------------------------------------- */

static const char zCategoryMarks[] =
    "SELECT m.id, m.competitor_id, m.aspect_id, a.code, m.judge_id, j.given_name, j.family_name, m.value, m.version "
    "FROM marks m JOIN competitors p ON p.id = m.competitor_id JOIN aspects a ON a.id = m.aspect_id "
    "JOIN persons j ON j.id = m.judge_id WHERE p.category_id = $1 ORDER BY m.competitor_id, m.aspect_id, m.judge_id";
static const char zCategoryCorrections[] =
    "SELECT k.mark_id, k.at, k.actor, k.reason, k.old_value, k.new_value FROM mark_corrections k "
    "JOIN marks m ON m.id = k.mark_id JOIN competitors p ON p.id = m.competitor_id WHERE p.category_id = $1 "
    "ORDER BY k.mark_id, k.at, k.id";

static void mark_row(dom_ctx *c, db_stmt *s, void *p) {
  comp_category_mark *x = p;
  *x = (comp_category_mark){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 4),
                            db_col_int(s, 7), db_col_int(s, 8), text(c, s, 3), text(c, s, 5), text(c, s, 6),
                            0, NULL};
}

static void fix_row(dom_ctx *c, db_stmt *s, void *p) {
  comp_mark_fix *x = p;
  *x = (comp_mark_fix){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 4), db_col_int(s, 5), text(c, s, 2),
                       text(c, s, 3)};
}

int comp_category_marks(dom_ctx *c, int64_t idCategory, comp_category_mark **pa, int *pn, gerr *e) {
  if (pol_check(c, &comp_rule_chief, &dom_category, idCategory, e)) return -1;
  int nFix;
  *pa = query_rows(c, zCategoryMarks, idCategory, sizeof **pa, mark_row, pn, e);
  if (*pn < 0) return -1;
  const comp_mark_fix *aFix = query_rows(c, zCategoryCorrections, idCategory, sizeof *aFix, fix_row, &nFix, e);
  if (nFix < 0) return -1;
  /* the corrections come by mark: give each mark its run (corrections are few) */
  for (int i = 0; i < nFix;) {
    int k = i;
    while (k < nFix && aFix[k].mark_id == aFix[i].mark_id) k++;
    for (int j = 0; j < *pn; j++)
      if ((*pa)[j].id == aFix[i].mark_id) {
        (*pa)[j].aFix = &aFix[i];
        (*pa)[j].nFix = k - i;
        break;
      }
    i = k;
  }
  return 0;
}
