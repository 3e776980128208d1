/* comp_results.h: a skills competition's results, computed from marks alone
 * (no database): raw marks out of 100, the standardised score, ranks,
 * medals and the institution table. The formula, for people:
 *
 *   raw        = sum over measurement aspects of the mark awarded (the mean,
 *                when several judges entered one)
 *              + sum over judgement aspects of mean(judges' scores 0..3) / 3
 *                * the aspect's maximum mark                        (0..100)
 *   standard   = 700 + P * (raw - median) / s, rounded, clamped to 0..1000
 *                where median is the category's median raw mark,
 *                s = 1.4826 * median(|raw - median|)   (a robust standard
 *                deviation), and P = points per standard deviation (the
 *                edition's setting, 30 by default, the WorldSkills convention)
 *   degenerate = one competitor: 700. When s is 0 (more than half the
 *                competitors share the median mark), s is the mean absolute
 *                deviation from the median * 1.2533 instead; when that is 0
 *                too (all equal), everyone scores 700.
 *   rank       = by raw mark, highest first; equal raw marks share a rank
 *                (1, 2, 2, 4)
 *   medals     = gold, silver, bronze to ranks 1, 2, 3 (shared ranks share
 *                the medal); a medallion for excellence to any other
 *                competitor with a standard score of 700 or more
 *   institution table = medal points (gold 4, silver 3, bronze 2,
 *                medallion 1) and the mean standard score of its
 *                competitors, ordered by points, then by that mean. */
#ifndef GUILD_COMP_RESULTS_H
#define GUILD_COMP_RESULTS_H
#include <stdint.h>

typedef enum { COMP_MEASUREMENT = 0, COMP_JUDGEMENT = 1 } comp_kind;
typedef enum { MEDAL_NONE = 0, MEDAL_GOLD, MEDAL_SILVER, MEDAL_BRONZE, MEDAL_MEDALLION } comp_medal;

typedef struct comp_aspect {
  int64_t id;
  comp_kind kind;
  int maxCenti;          /* the aspect's maximum mark, in hundredths */
} comp_aspect;

typedef struct comp_mark {
  int iCompetitor, iAspect;   /* indexes into the category's arrays */
  int valueCenti;             /* measurement: hundredths of a mark; judgement: the score 0..3 */
} comp_mark;

typedef struct comp_competitor_result {
  int64_t id, institution_id;
  double raw;                 /* 0..100 */
  int standard;               /* 0..1000 */
  int rank;
  comp_medal medal;
} comp_competitor_result;

typedef struct comp_category {
  int nAspect, nCompetitor, nMark;
  const comp_aspect *aAspect;
  const comp_mark *aMark;
  comp_competitor_result *aResult;   /* nCompetitor entries: id and institution_id in, the rest out */
} comp_category;

typedef struct comp_institution_row {
  int64_t institution_id;
  int gold, silver, bronze, medallion, competitors, points;
  double meanStandard;
} comp_institution_row;

/* Computes every competitor's result of one category in place (aResult).
 * pointsPerSd is the edition's P. Allocates nothing beyond scratch it
 * frees. Returns 0, or -1 when out of memory. */
int comp_category_results(comp_category *c, int pointsPerSd);

/* Fills aRow (capacity nRowMax) with the institution table over every
 * category's results, ordered; returns the number of rows. */
int comp_institution_table(const comp_category *aCat, int nCat, comp_institution_row *aRow, int nRowMax);

const char *comp_medal_name(comp_medal m);

#endif
