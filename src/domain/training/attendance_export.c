/* attendance_export.c: the attendance export (`guild attendance export`):
 * one row per learner and cohort (enrollments past applying) with their
 * marks, counted marks, weight sum, rate (the formula of attendance.h),
 * their program's threshold and whether they are below it, and their marks
 * by status. The region is read a batch of cohorts at a time (their
 * enrollments, and their marks counted by learner and status in SQL, merged
 * in C), each batch in an arena reset after it, so memory stays flat from
 * one cohort to a million enrollments. */
#include "domain/training/att_int.h"
#include "domain/registry/registry.h"
#include <stdio.h>
#include <string.h>

#define EXPORT_COHORTS 200   /* cohorts a batch (the LIMIT of zBatch) */
#define STR_(x) #x
#define STR(x) STR_(x)

static const char zBatch[] =
    "SELECT c.id FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE c.id > $1 AND ($2 = 0 OR c.id = $2) "
    "AND ($3 = 0 OR p.institution_id = $3) ORDER BY c.id LIMIT " STR(EXPORT_COHORTS);
static const char zEnrollments[] =
    "SELECT e.cohort_id, e.person_id, e.status, pe.given_name, coalesce(pe.family_name, ''), c.name, p.id, p.title, "
    "p.institution_id, i.name FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id "
    "JOIN programs p ON p.id = c.program_id JOIN institutions i ON i.id = p.institution_id "
    "JOIN persons pe ON pe.id = e.person_id WHERE e.cohort_id >= $1 AND e.cohort_id <= $2 AND e.status <> 'applied' "
    "AND ($3 = 0 OR p.institution_id = $3) AND ($4 = 0 OR e.cohort_id = $4) ORDER BY e.cohort_id, e.person_id";
static const char zCounts[] =
    "SELECT s.cohort_id, m.person_id, m.status, count(*) FROM attendance_marks m JOIN training_sessions s "
    "ON s.id = m.training_session_id WHERE s.cohort_id >= $1 AND s.cohort_id <= $2 "
    "GROUP BY s.cohort_id, m.person_id, m.status ORDER BY s.cohort_id, m.person_id, m.status";
static const char zStatuses[] =
    "SELECT coalesce(institution_id, 0), code, weight, counts FROM attendance_statuses ORDER BY 1, 2";
static const char zThresholds[] = "SELECT program_id, percent FROM attendance_thresholds ORDER BY program_id";

typedef struct status_row {
  int64_t institution_id;
  const char *zCode;
  int weight, bCounts;
} status_row;

typedef struct count_row {
  int64_t cohort_id, person_id, n;
  const char *zStatus;
} count_row;

typedef struct export_ctx {
  status_row *aSt;
  int nSt;
  int64_t (*aThr)[2];   /* program, percent */
  int nThr;
} export_ctx;

/* The status zCode in force at institution idInst: its own, else the region's (NULL: none). */
static const status_row *status_in_force(const export_ctx *x, int64_t idInst, const char *zCode) {
  const status_row *pRegion = NULL;
  for (int i = 0; i < x->nSt; i++) {
    if (strcmp(x->aSt[i].zCode, zCode)) continue;
    if (x->aSt[i].institution_id == idInst) return &x->aSt[i];
    if (x->aSt[i].institution_id == 0) pRegion = &x->aSt[i];
  }
  return pRegion;
}

static int threshold_of(const export_ctx *x, int64_t idProgram) {
  for (int i = 0; i < x->nThr; i++)
    if (x->aThr[i][0] == idProgram) return (int)x->aThr[i][1];
  return ATT_THRESHOLD_DEFAULT;
}

/* The statuses and thresholds of the whole region (small tables), in a. */
static int load_settings(dom_ctx *c, arena *a, export_ctx *x, gerr *e) {
  int nAlloc = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zStatuses, e);
  if (!s) return -1;
  while ((rc = db_step(s, e)) == DB_ROW) {
    x->aSt = att_grow(a, x->aSt, x->nSt, &nAlloc, sizeof *x->aSt);
    x->aSt[x->nSt++] = (status_row){db_col_int(s, 0), arena_strdup(a, db_col_text(s, 1)), (int)db_col_int(s, 2),
                                    (int)db_col_int(s, 3)};
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  nAlloc = 0;
  s = db_prepare(c->pDb, zThresholds, e);
  if (!s) return -1;
  while ((rc = db_step(s, e)) == DB_ROW) {
    x->aThr = att_grow(a, x->aThr, x->nThr, &nAlloc, sizeof *x->aThr);
    x->aThr[x->nThr][0] = db_col_int(s, 0);
    x->aThr[x->nThr++][1] = db_col_int(s, 1);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

static const tab_col aCol[] = {
    {"institution_id", TC_INT, 0}, {"institution", TC_TEXT, 0},      {"program_id", TC_INT, 0},
    {"program", TC_TEXT, 0},       {"cohort_id", TC_INT, 0},         {"cohort", TC_TEXT, 0},
    {"person_id", TC_INT, 0},      {"given_name", TC_TEXT, 0},       {"family_name", TC_TEXT, 0},
    {"enrollment_status", TC_TEXT, 0}, {"marks", TC_INT, 0},         {"counted", TC_INT, 0},
    {"weight_sum", TC_INT, 0},     {"rate_percent", TC_NUM, 1},      {"threshold", TC_INT, 0},
    {"below_threshold", TC_BOOL, 0}, {"statuses", TC_TEXT, 0},
};

/* Writes one batch's rows: the enrollments of cohorts lo..hi merged with
 * their counts (both in cohort, person order). */
static int write_batch(att_export_arg *pA, const export_ctx *x, arena *a, int64_t lo, int64_t hi, tab_out *t,
                       gerr *e) {
  dom_ctx *c = pA->c;
  count_row *aN = NULL;
  int nN = 0, nAlloc = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zCounts, e);
  if (!s) return -1;
  db_bind_int(s, 1, lo);
  db_bind_int(s, 2, hi);
  while ((rc = db_step(s, e)) == DB_ROW) {
    aN = att_grow(a, aN, nN, &nAlloc, sizeof *aN);
    aN[nN++] = (count_row){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 3), arena_strdup(a, db_col_text(s, 2))};
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zEnrollments, e);
  if (!s) return -1;
  db_bind_int(s, 1, lo);
  db_bind_int(s, 2, hi);
  db_bind_int(s, 3, pA->idInstitution);
  db_bind_int(s, 4, pA->idCohort);
  int k = 0;
  char zList[400];
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t idCohort = db_col_int(s, 0), idPerson = db_col_int(s, 1), idInst = db_col_int(s, 8);
    while (k < nN && (aN[k].cohort_id < idCohort || (aN[k].cohort_id == idCohort && aN[k].person_id < idPerson))) k++;
    att_tally tl = {0, 0, 0};
    size_t nz = 0;
    zList[0] = 0;
    for (; k < nN && aN[k].cohort_id == idCohort && aN[k].person_id == idPerson; k++) {
      const status_row *st = status_in_force(x, idInst, aN[k].zStatus);
      att_tally_add(&tl, st ? st->weight : 0, st ? st->bCounts : 0, aN[k].n);
      if (nz < sizeof zList - 1) {
        int m = snprintf(zList + nz, sizeof zList - nz, "%s%s %lld", nz ? "; " : "", aN[k].zStatus,
                         (long long)aN[k].n);
        if (m > 0) nz += (size_t)m;
      }
    }
    int thr = threshold_of(x, db_col_int(s, 6));
    const char *zFamily = db_col_text(s, 4);
    if (tab_int(t, idInst) || tab_text(t, db_col_text(s, 9)) || tab_int(t, db_col_int(s, 6)) ||
        tab_text(t, db_col_text(s, 7)) || tab_int(t, idCohort) || tab_text(t, db_col_text(s, 5)) ||
        tab_int(t, idPerson) || tab_text(t, db_col_text(s, 3)) || tab_text(t, zFamily[0] ? zFamily : NULL) ||
        tab_text(t, db_col_text(s, 2)) || tab_int(t, tl.nMarks) || tab_int(t, tl.nCounted) || tab_int(t, tl.nWeight) ||
        tab_num(t, att_rate(&tl) * 100) || tab_int(t, thr) || tab_bool(t, att_below(&tl, thr)) ||
        tab_text(t, zList[0] ? zList : NULL)) {
      db_done(s);
      return tab_error(t, e);
    }
    pA->nRows++;
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Confines the export to the actor's scope (the CLI acts as guild itself). */
static int confine(att_export_arg *pA, gerr *e) {
  dom_ctx *c = pA->c;
  const dom_entity *pEnt = pA->idCohort ? &dom_cohort : &dom_institution;
  int64_t id = pA->idCohort ? pA->idCohort : pA->idInstitution;
  int rc = id ? dom_exists(c, pEnt, id, e) : 1;
  if (rc <= 0)
    return rc < 0 ? -1 : gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", pEnt->zName), GP_I("id", id));
  if (pA->idCohort) return pol_check(c, &trn_rule_attendance, &dom_cohort, pA->idCohort, e);
  if (pol_unconfined(c, &trn_rule_attendance)) return 0;
  int64_t v = pA->idInstitution;
  if (pol_confine_param(c, &trn_rule_attendance, SCOPE_INSTITUTION, "institution", v != 0, &v, e) < 0) return -1;
  if (!v) return gerr_setr(e, GERR_FORBIDDEN, GR_COHORT_NEEDED, "cohort");
  pA->idInstitution = v;
  return 0;
}

int att_export_fn(void *pArg, tab_out *t, gerr *e) {
  att_export_arg *pA = pArg;
  dom_ctx *c = pA->c;
  pA->nRows = 0;
  if (confine(pA, e)) return -1;
  arena aSet, aBatch;
  arena_init(&aSet);
  arena_init(&aBatch);
  export_ctx x = {NULL, 0, NULL, 0};
  int rc = load_settings(c, &aSet, &x, e);
  if (!rc) rc = tab_sheet(t, "attendance", aCol, (int)(sizeof aCol / sizeof aCol[0])) ? tab_error(t, e) : 0;
  int64_t after = 0;
  while (!rc) {
    int64_t lo = 0, hi = 0;
    int n = 0, r;
    db_stmt *s = db_prepare(c->pDb, zBatch, e);
    if (!s) {
      rc = -1;
      break;
    }
    db_bind_int(s, 1, after);
    db_bind_int(s, 2, pA->idCohort);
    db_bind_int(s, 3, pA->idInstitution);
    while ((r = db_step(s, e)) == DB_ROW) {
      hi = db_col_int(s, 0);
      if (!n++) lo = hi;
    }
    db_done(s);
    if (r == DB_ERROR) rc = -1;
    if (rc || !n) break;
    rc = write_batch(pA, &x, &aBatch, lo, hi, t, e);
    arena_reset(&aBatch);
    after = hi;
    if (n < EXPORT_COHORTS) break;
  }
  arena_free(&aBatch);
  arena_free(&aSet);
  return rc;
}
