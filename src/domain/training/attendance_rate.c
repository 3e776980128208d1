/* attendance_rate.c: the attendance rate, the one formula every screen,
 * report and export uses (attendance.h gives it in full):
 *
 *   rate = sum of the weights of the counted marks / (100 x counted marks)
 *
 * e.g. present (100), late (50), excused (not counted), absent (0):
 * (100 + 50 + 0) / (100 x 3) = 0.5. Pure computation: no database. */
#include "domain/training/attendance.h"
#include <math.h>

void att_tally_add(att_tally *t, int weight, int bCounts, int64_t n) {
  t->nMarks += n;
  if (!bCounts) return;
  t->nCounted += n;
  t->nWeight += (int64_t)weight * n;
}

double att_rate(const att_tally *t) {
  return t->nCounted > 0 ? (double)t->nWeight / (100.0 * (double)t->nCounted) : NAN;
}

/* rate < percent / 100  <=>  nWeight / (100 nCounted) < percent / 100  <=>  nWeight < percent x nCounted */
int att_below(const att_tally *t, int percent) {
  return t->nCounted > 0 && t->nWeight < (int64_t)percent * t->nCounted;
}
