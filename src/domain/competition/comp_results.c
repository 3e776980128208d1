/* comp_results.c: the arithmetic of results (see comp_results.h for the
 * formula in words). Pure functions over arrays: the database layer loads
 * marks, this computes. */
#include "domain/competition/comp_results.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const azMedal[] = {"", "gold", "silver", "bronze", "medallion"};
const char *comp_medal_name(comp_medal m) { return azMedal[m]; }

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median of n values (sorts a copy in place). */
static double median(double *a, int n) {
  qsort(a, (size_t)n, sizeof *a, cmp_double);
  return n % 2 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

int comp_category_results(comp_category *c, int pointsPerSd) {
  int n = c->nCompetitor;
  if (n == 0) return 0;
  /* sums per competitor and aspect: measurement marks in hundredths, judgement scores */
  size_t nCell = (size_t)n * (size_t)c->nAspect;
  double *aSum = calloc(nCell ? nCell : 1, sizeof *aSum);
  int *aCount = calloc(nCell ? nCell : 1, sizeof *aCount);
  double *aTmp = malloc((size_t)n * sizeof *aTmp);
  if (!aSum || !aCount || !aTmp) {
    free(aSum), free(aCount), free(aTmp);
    return -1;
  }
  for (int k = 0; k < c->nMark; k++) {
    const comp_mark *m = &c->aMark[k];
    size_t cell = (size_t)m->iCompetitor * (size_t)c->nAspect + (size_t)m->iAspect;
    aSum[cell] += m->valueCenti;
    aCount[cell]++;
  }
  for (int i = 0; i < n; i++) {
    double raw = 0;
    for (int j = 0; j < c->nAspect; j++) {
      size_t cell = (size_t)i * (size_t)c->nAspect + (size_t)j;
      if (!aCount[cell]) continue;
      double mean = aSum[cell] / aCount[cell];
      raw += c->aAspect[j].kind == COMP_JUDGEMENT ? mean / 3.0 * c->aAspect[j].maxCenti : mean;
    }
    c->aResult[i].raw = raw / 100.0;
  }
  /* standard score */
  for (int i = 0; i < n; i++) aTmp[i] = c->aResult[i].raw;
  double med = median(aTmp, n);
  for (int i = 0; i < n; i++) aTmp[i] = fabs(c->aResult[i].raw - med);
  double s = 1.4826 * median(aTmp, n);
  if (s < 1e-9) {
    double sum = 0;
    for (int i = 0; i < n; i++) sum += fabs(c->aResult[i].raw - med);
    s = 1.2533 * sum / n;
  }
  for (int i = 0; i < n; i++) {
    double z = (n == 1 || s < 1e-9) ? 700 : 700 + pointsPerSd * (c->aResult[i].raw - med) / s;
    z = z < 0 ? 0 : z > 1000 ? 1000 : z;
    c->aResult[i].standard = (int)lround(z);
  }
  /* ranks by raw mark, ties share (equal up to floating-point noise: judgement
   * means are thirds, so marks are not rounded before comparing) */
  for (int i = 0; i < n; i++) {
    int nAbove = 0;
    for (int j = 0; j < n; j++) nAbove += c->aResult[j].raw > c->aResult[i].raw + 1e-9;
    c->aResult[i].rank = nAbove + 1;
  }
  for (int i = 0; i < n; i++) {
    comp_competitor_result *r = &c->aResult[i];
    r->medal = r->rank == 1 ? MEDAL_GOLD : r->rank == 2 ? MEDAL_SILVER : r->rank == 3 ? MEDAL_BRONZE
               : r->standard >= 700 ? MEDAL_MEDALLION : MEDAL_NONE;
  }
  free(aSum);
  free(aCount);
  free(aTmp);
  return 0;
}

static int cmp_row(const void *a, const void *b) {
  const comp_institution_row *x = a, *y = b;
  if (x->points != y->points) return y->points - x->points;
  if (x->meanStandard != y->meanStandard) return y->meanStandard > x->meanStandard ? 1 : -1;
  return x->institution_id < y->institution_id ? -1 : x->institution_id > y->institution_id;
}

int comp_institution_table(const comp_category *aCat, int nCat, comp_institution_row *aRow, int nRowMax) {
  static const int aPoints[] = {0, 4, 3, 2, 1};
  int nRow = 0;
  for (int k = 0; k < nCat; k++) {
    for (int i = 0; i < aCat[k].nCompetitor; i++) {
      const comp_competitor_result *r = &aCat[k].aResult[i];
      int j = 0;
      while (j < nRow && aRow[j].institution_id != r->institution_id) j++;
      if (j == nRow) {
        if (nRow == nRowMax) continue;
        memset(&aRow[nRow], 0, sizeof aRow[nRow]);
        aRow[nRow++].institution_id = r->institution_id;
      }
      comp_institution_row *p = &aRow[j];
      p->competitors++;
      p->meanStandard += r->standard;   /* a sum until the end */
      p->points += aPoints[r->medal];
      p->gold += r->medal == MEDAL_GOLD;
      p->silver += r->medal == MEDAL_SILVER;
      p->bronze += r->medal == MEDAL_BRONZE;
      p->medallion += r->medal == MEDAL_MEDALLION;
    }
  }
  for (int j = 0; j < nRow; j++) aRow[j].meanStandard /= aRow[j].competitors;
  qsort(aRow, (size_t)nRow, sizeof *aRow, cmp_row);
  return nRow;
}
