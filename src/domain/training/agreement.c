/* agreement.c: how far assessors agree. A second marking is a second
 * assessor's decisions on the same learners and criteria as a first
 * marking; each pair of decisions (first, second) counts in a 2 x 2 table
 * (competent or not_yet_competent each), per cohort of the unit, and the
 * table gives the share of pairs that agree and Cohen's kappa, the
 * agreement beyond what chance would give (docs/assessment.md). */
#include "domain/training/asmt_int.h"
#include <string.h>

extern dom_entity dom_cohort;

void asmt_agreement_compute(asmt_agreement *p) {
  p->n = p->a[0][0] + p->a[0][1] + p->a[1][0] + p->a[1][1];
  p->nAgree = p->a[0][0] + p->a[1][1];
  p->bShare = p->bKappa = 0;
  p->share = p->kappa = 0;
  if (p->n <= 0) return;
  double n = (double)p->n;
  p->share = (double)p->nAgree / n;
  p->bShare = 1;
  double p1 = (double)(p->a[0][0] + p->a[0][1]) / n;   /* the first marker: competent */
  double p2 = (double)(p->a[0][0] + p->a[1][0]) / n;   /* the second marker: competent */
  double pe = p1 * p2 + (1 - p1) * (1 - p2);
  if (pe >= 1.0) return;   /* both markers always gave one and the same outcome: kappa is undefined */
  p->kappa = (p->share - pe) / (1 - pe);
  p->bKappa = 1;
}

/* Every pair of decisions on unit $1: the second marking's cohort, the
 * first marker's outcome, the second's. */
static const char zPairs[] =
    "SELECT s.cohort_id, f.outcome, r.outcome FROM assessments s JOIN assessment_results r ON r.assessment_id = s.id "
    "JOIN assessment_results f ON f.assessment_id = s.second_marking_of AND f.person_id = r.person_id AND "
    "f.criterion_id = r.criterion_id WHERE s.unit_id = $1 AND s.second_marking_of IS NOT NULL ORDER BY s.cohort_id";

int asmt_unit_agreement(dom_ctx *c, int64_t idUnit, int64_t idCohort, asmt_agreement_row **paRow, int *pn,
                        asmt_agreement *pTotal, gerr *e) {
  *paRow = NULL;
  *pn = 0;
  memset(pTotal, 0, sizeof *pTotal);
  if (pol_check(c, &asmt_rule_agreement, &dom_unit_of_competency, idUnit, e)) return -1;
  if (idCohort && pol_check(c, &asmt_rule_agreement, &dom_cohort, idCohort, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zPairs, e);
  if (!s) return -1;
  db_bind_int(s, 1, idUnit);
  int nAlloc = 0, rc;
  asmt_agreement_row *a = NULL;
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t id = db_col_int(s, 0);
    if (idCohort && id != idCohort) continue;
    if (!*pn || a[*pn - 1].idCohort != id) {
      a = asmt_grow(c->pAr, a, *pn, &nAlloc, sizeof *a);
      memset(&a[*pn], 0, sizeof a[*pn]);
      a[(*pn)++].idCohort = id;
    }
    int i = strcmp(db_col_text(s, 1), "competent") != 0, j = strcmp(db_col_text(s, 2), "competent") != 0;
    a[*pn - 1].g.a[i][j]++;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  /* only the cohorts the actor may see (trainers: the ones they train) */
  int nKept = 0;
  for (int k = 0; k < *pn; k++) {
    gerr eNot;
    if (!pol_unconfined(c, &asmt_rule_agreement) && pol_check(c, &asmt_rule_agreement, &dom_cohort, a[k].idCohort, &eNot)) {
      if (eNot.code == GERR_DB) {
        *e = eNot;
        return -1;
      }
      continue;
    }
    asmt_agreement_compute(&a[k].g);
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++) pTotal->a[i][j] += a[k].g.a[i][j];
    a[nKept++] = a[k];
  }
  *pn = nKept;
  *paRow = a;
  asmt_agreement_compute(pTotal);
  return 0;
}
