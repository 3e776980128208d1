/* stats.c: the key figures of the registry for the dashboard, for the
 * whole region or one institution ($1 = 0 or the institution's id in every
 * query below). Home areas are counted at one level (prefecture for the
 * region, county for an institution) by walking up to three parents. */
#include "domain/registry/stats.h"
#include "core/timeutil.h"
#include <string.h>

const char *const stats_status_names[] = {"applied", "enrolled", "completed", "withdrawn", "not_completed", NULL};

#define IN_SCOPE "(CAST($1 AS BIGINT) = 0 OR p.institution_id = $1)"
#define ENROLLMENTS \
  "FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id JOIN programs p ON p.id = c.program_id WHERE " IN_SCOPE

static const char zLearners[] = "SELECT count(DISTINCT e.person_id) " ENROLLMENTS;
static const char zByStatus[] = "SELECT e.status, count(*) " ENROLLMENTS " GROUP BY e.status";
static const char zActive[] =
    "SELECT count(*) FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE " IN_SCOPE
    " AND c.start_date <= $2 AND c.end_date >= $2";
static const char zPrograms[] = "SELECT count(*) FROM programs p WHERE " IN_SCOPE;
static const char zInstitutions[] =
    "SELECT count(*) FROM institutions WHERE CAST($1 AS BIGINT) = 0 OR id = $1";
static const char zByProgram[] =
    "SELECT p.title, count(*), sum(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) " ENROLLMENTS
    " GROUP BY p.title ORDER BY count(*) DESC, p.title";
static const char zByArea[] =
    "SELECT h.id, h.name, count(*) FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id "
    "JOIN programs p ON p.id = c.program_id JOIN persons s ON s.id = e.person_id "
    "JOIN areas a0 ON a0.id = s.home_area_id LEFT JOIN areas a1 ON a1.id = a0.parent_id "
    "LEFT JOIN areas a2 ON a2.id = a1.parent_id LEFT JOIN areas a3 ON a3.id = a2.parent_id "
    "JOIN areas h ON h.id = CASE WHEN a0.level = $2 THEN a0.id WHEN a1.level = $2 THEN a1.id "
    "WHEN a2.level = $2 THEN a2.id WHEN a3.level = $2 THEN a3.id END "
    "WHERE " IN_SCOPE " GROUP BY h.id, h.name ORDER BY count(*) DESC, h.id";
/* per year: editions, entered competitors (of the institution), categories
 * (that the institution entered), entering institutions */
static const char zByYear[] =
    "SELECT ed.year, count(DISTINCT ed.id), count(DISTINCT p.id), "
    "count(DISTINCT CASE WHEN CAST($1 AS BIGINT) = 0 THEN k.id ELSE p.category_id END), "
    "count(DISTINCT p.institution_id) FROM editions ed LEFT JOIN categories k ON k.edition_id = ed.id "
    "LEFT JOIN competitors p ON p.category_id = k.id AND p.status = 'entered' AND " IN_SCOPE
    " GROUP BY ed.year ORDER BY ed.year";

/* Runs zSql with $1 = the institution (and $2 = zText when given); returns
 * its first column of the first row in *pOut. */
static int one_int(dom_ctx *c, const char *zSql, int64_t idInst, const char *zText, int64_t *pOut, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, idInst);
  if (zText) db_bind_text(s, 2, zText);
  int rc = db_step(s, e);
  *pOut = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Rows of (name or id+name, count[, completed]) into an arena array. */
static int counts(dom_ctx *c, const char *zSql, int64_t idInst, const char *zText, int bId, stats_count **paOut,
                  int *pnOut, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, idInst);
  if (zText) db_bind_text(s, 2, zText);
  int n = 0, nAlloc = 16, rc;
  stats_count *a = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *a);
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      stats_count *aNew = arena_alloc(c->pAr, (size_t)nAlloc * 2 * sizeof *a);
      memcpy(aNew, a, (size_t)n * sizeof *a);
      a = aNew;
      nAlloc *= 2;
    }
    stats_count *p = &a[n++];
    memset(p, 0, sizeof *p);
    int k = 0;
    if (bId) p->id = db_col_int(s, k++);
    p->zName = arena_strdup(c->pAr, db_col_text(s, k++));
    p->n = db_col_int(s, k++);
    if (!bId) p->nCompleted = db_col_int(s, k);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  *paOut = a;
  *pnOut = n;
  return 0;
}

static int years(dom_ctx *c, int64_t idInst, stats_overview *p, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zByYear, e);
  if (!s) return -1;
  db_bind_int(s, 1, idInst);
  int nAlloc = 8, rc;
  p->aYear = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *p->aYear);
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (p->nYear == nAlloc) {
      stats_year *aNew = arena_alloc(c->pAr, (size_t)nAlloc * 2 * sizeof *aNew);
      memcpy(aNew, p->aYear, (size_t)p->nYear * sizeof *aNew);
      p->aYear = aNew;
      nAlloc *= 2;
    }
    stats_year *y = &p->aYear[p->nYear++];
    y->year = (int)db_col_int(s, 0);
    y->editions = db_col_int(s, 1);
    y->participants = db_col_int(s, 2);
    y->categories = db_col_int(s, 3);
    y->institutions = db_col_int(s, 4);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int stats_overview_load(dom_ctx *c, int64_t idInst, stats_overview *p, gerr *e) {
  memset(p, 0, sizeof *p);
  p->institution_id = idInst;
  time_today(p->zToday, sizeof p->zToday);
  p->zAreaLevel = idInst ? "county" : "prefecture";
  if (one_int(c, zLearners, idInst, NULL, &p->learners, e) || one_int(c, zActive, idInst, p->zToday, &p->active_cohorts, e) ||
      one_int(c, zPrograms, idInst, NULL, &p->programs, e) || one_int(c, zInstitutions, idInst, NULL, &p->institutions, e))
    return -1;
  db_stmt *s = db_prepare(c->pDb, zByStatus, e);
  if (!s) return -1;
  db_bind_int(s, 1, idInst);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    const char *zStatus = db_col_text(s, 0);
    int64_t n = db_col_int(s, 1);
    p->enrollments += n;
    for (int k = 0; stats_status_names[k]; k++)
      if (!strcmp(stats_status_names[k], zStatus)) p->aStatus[k] = n;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (counts(c, zByProgram, idInst, NULL, 0, &p->aProgram, &p->nProgram, e) ||
      counts(c, zByArea, idInst, p->zAreaLevel, 1, &p->aArea, &p->nArea, e))
    return -1;
  return years(c, idInst, p, e);
}
