/* test_comp_results.c: a skills competition's results (domain/comp_results),
 * checked against examples computed by hand from the formula written in
 * comp_results.h. The arithmetic is in the comments so a reader can check
 * each expected value without running anything.
 *
 * Notation: "s" is the robust standard deviation 1.4826 * MAD; P is the
 * points per standard deviation (30 unless stated). Standard scores are
 * 700 + P * (raw - median) / s, rounded, clamped to 0..1000. */
#include "unit.h"
#include <math.h>
#include "domain/competition/comp_results.h"

/* Raw marks are doubles; compare them to the hand value within 1e-9. */
#define assert_raw(got, want)                                                          \
  do {                                                                                 \
    double got_ = (got), want_ = (want);                                               \
    if (fabs(got_ - want_) > 1e-9) fail_msg("raw %.12f, expected %.12f", got_, want_); \
  } while (0)

/* A category with one measurement aspect worth 100.00 marks, where
 * competitor i is awarded aCenti[i] hundredths (so raw = aCenti[i] / 100),
 * competitor i's institution is aInst[i] (or 1 when aInst is NULL) and its
 * id is 100 + i. Enough to test everything after the raw mark. */
typedef struct one_aspect_cat {
  comp_aspect aspect;
  comp_mark aMark[16];
  comp_competitor_result aResult[16];
  comp_category c;
} one_aspect_cat;

static void one_aspect_init(one_aspect_cat *p, int n, const int *aCenti, const int64_t *aInst) {
  assert_true(n <= 16);
  memset(p, 0, sizeof *p);
  p->aspect = (comp_aspect){.id = 1, .kind = COMP_MEASUREMENT, .maxCenti = 10000};
  for (int i = 0; i < n; i++) {
    p->aMark[i] = (comp_mark){.iCompetitor = i, .iAspect = 0, .valueCenti = aCenti[i]};
    p->aResult[i].id = 100 + i;
    p->aResult[i].institution_id = aInst ? aInst[i] : 1;
  }
  p->c = (comp_category){.nAspect = 1, .nCompetitor = n, .nMark = n, .aAspect = &p->aspect,
                         .aMark = p->aMark, .aResult = p->aResult};
}

/* ------------------------------------------------------------------ raw */

static void raw_measurement_and_judgement(void **state) {
  (void)state;
  /* aspect 0: measurement, max 2.50
   * aspect 1: judgement,   max 3.00
   * aspect 2: judgement,   max 4.50
   * aspect 3: measurement, max 4.00 (two judges enter a mark: the mean counts) */
  const comp_aspect aAspect[] = {
      {.id = 11, .kind = COMP_MEASUREMENT, .maxCenti = 250},
      {.id = 12, .kind = COMP_JUDGEMENT, .maxCenti = 300},
      {.id = 13, .kind = COMP_JUDGEMENT, .maxCenti = 450},
      {.id = 14, .kind = COMP_MEASUREMENT, .maxCenti = 400},
  };
  const comp_mark aMark[] = {
      /* competitor 0 */
      {0, 0, 175},                           /* 1.75 of 2.50 */
      {0, 1, 3}, {0, 1, 2}, {0, 1, 2},       /* judges 3,2,2 */
      {0, 2, 3}, {0, 2, 2}, {0, 2, 2},       /* judges 3,2,2 */
      {0, 3, 400}, {0, 3, 300},              /* two judges: 4.00 and 3.00 */
      /* competitor 1: a single aspect, judges 1,0,0 on aspect 1 */
      {1, 1, 1}, {1, 1, 0}, {1, 1, 0},
      /* competitor 2: no marks at all */
  };
  comp_competitor_result aResult[3] = {{.id = 1, .institution_id = 1},
                                       {.id = 2, .institution_id = 1},
                                       {.id = 3, .institution_id = 2}};
  comp_category c = {.nAspect = 4, .nCompetitor = 3, .nMark = (int)(sizeof aMark / sizeof aMark[0]),
                     .aAspect = aAspect, .aMark = aMark, .aResult = aResult};
  assert_int_equal(comp_category_results(&c, 30), 0);

  /* competitor 0:
   *   aspect 0: 1.75                                  = 1.75
   *   aspect 1: mean(3,2,2) = 7/3; 7/3 / 3 * 3.00     = 7/3 = 2.333...
   *   aspect 2: 7/3 / 3 * 4.50 = 7/9 * 4.5 = 31.5/9   = 3.50
   *   aspect 3: mean(4.00, 3.00)                      = 3.50
   *   raw = 1.75 + 7/3 + 3.50 + 3.50 = 8.75 + 7/3     = 11.0833... */
  assert_raw(aResult[0].raw, 8.75 + 7.0 / 3.0);
  assert_raw(aResult[0].raw, 11.083333333333333);
  /* competitor 1: mean(1,0,0) = 1/3; 1/3 / 3 * 3.00 = 1/3 = 0.333... */
  assert_raw(aResult[1].raw, 1.0 / 3.0);
  /* competitor 2: no marks -> raw 0 */
  assert_raw(aResult[2].raw, 0.0);

  /* ids and institutions are inputs and stay as they were */
  assert_int_equal(aResult[0].id, 1);
  assert_int_equal(aResult[2].id, 3);
  assert_int_equal(aResult[2].institution_id, 2);

  /* ranks: 11.08 > 0.33 > 0 */
  assert_int_equal(aResult[0].rank, 1);
  assert_int_equal(aResult[1].rank, 2);
  assert_int_equal(aResult[2].rank, 3);
}

static void raw_hundred_mark_scheme(void **state) {
  (void)state;
  /* A scheme whose aspects sum to 100.00:
   *   measurement 30.00 + 20.00 + 10.00, judgement 25.00 + 15.00 = 100.00 */
  const comp_aspect aAspect[] = {
      {.id = 1, .kind = COMP_MEASUREMENT, .maxCenti = 3000},
      {.id = 2, .kind = COMP_MEASUREMENT, .maxCenti = 2000},
      {.id = 3, .kind = COMP_MEASUREMENT, .maxCenti = 1000},
      {.id = 4, .kind = COMP_JUDGEMENT, .maxCenti = 2500},
      {.id = 5, .kind = COMP_JUDGEMENT, .maxCenti = 1500},
  };
  const comp_mark aMark[] = {
      /* competitor 0: everything at its maximum */
      {0, 0, 3000}, {0, 1, 2000}, {0, 2, 1000},
      {0, 3, 3}, {0, 3, 3}, {0, 3, 3},
      {0, 4, 3}, {0, 4, 3}, {0, 4, 3},
      /* competitor 1: part marks */
      {1, 0, 2250}, {1, 1, 2000}, {1, 2, 0},
      {1, 3, 2}, {1, 3, 2}, {1, 3, 3},
      {1, 4, 1}, {1, 4, 1}, {1, 4, 1},
  };
  comp_competitor_result aResult[2] = {{.id = 1, .institution_id = 1}, {.id = 2, .institution_id = 1}};
  comp_category c = {.nAspect = 5, .nCompetitor = 2, .nMark = (int)(sizeof aMark / sizeof aMark[0]),
                     .aAspect = aAspect, .aMark = aMark, .aResult = aResult};
  assert_int_equal(comp_category_results(&c, 30), 0);
  /* competitor 0: 30 + 20 + 10 + 3/3*25 + 3/3*15 = 100 */
  assert_raw(aResult[0].raw, 100.0);
  /* competitor 1:
   *   22.50 + 20.00 + 0.00                        = 42.50
   *   judgement 25: mean(2,2,3) = 7/3; 7/3/3*25   = 175/9 = 19.444...
   *   judgement 15: mean(1,1,1) = 1;   1/3*15     = 5.00
   *   raw = 42.50 + 175/9 + 5.00 = 47.5 + 19.444... = 602.5/9 = 66.9444... */
  assert_raw(aResult[1].raw, 602.5 / 9.0);
  assert_raw(aResult[1].raw, 66.94444444444444);
}

/* ------------------------------------------------------- standard score */

static void standard_score_five(void **state) {
  (void)state;
  /* raws 50, 60, 70, 80, 95 (listed out of order on purpose)
   *   median = 70
   *   |raw - 70| = 20, 10, 0, 10, 25 -> sorted 0, 10, 10, 20, 25 -> MAD = 10
   *   s = 1.4826 * 10 = 14.826
   * P = 30:
   *   50: 700 + 30 * -20 / 14.826 = 700 - 600/14.826 = 700 - 40.469 = 659.53 -> 660
   *   60: 700 - 300/14.826 = 700 - 20.235 = 679.77                        -> 680
   *   70: 700                                                               -> 700
   *   80: 700 + 20.235 = 720.23                                            -> 720
   *   95: 700 + 750/14.826 = 700 + 50.587 = 750.59                         -> 751 */
  const int aCenti[] = {8000, 5000, 9500, 7000, 6000};
  one_aspect_cat k;
  one_aspect_init(&k, 5, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_raw(k.aResult[0].raw, 80.0);
  assert_raw(k.aResult[1].raw, 50.0);
  assert_raw(k.aResult[2].raw, 95.0);
  assert_int_equal(k.aResult[0].standard, 720);
  assert_int_equal(k.aResult[1].standard, 660);
  assert_int_equal(k.aResult[2].standard, 751);
  assert_int_equal(k.aResult[3].standard, 700);
  assert_int_equal(k.aResult[4].standard, 680);
  /* ranks: 95 first, 80, 70, 60, 50 */
  assert_int_equal(k.aResult[2].rank, 1);
  assert_int_equal(k.aResult[0].rank, 2);
  assert_int_equal(k.aResult[3].rank, 3);
  assert_int_equal(k.aResult[4].rank, 4);
  assert_int_equal(k.aResult[1].rank, 5);

  /* The same marks with P = 50:
   *   50: 700 - 1000/14.826 = 700 - 67.449 = 632.55  -> 633
   *   60: 700 -  500/14.826 = 700 - 33.725 = 666.28  -> 666
   *   70: 700
   *   80: 700 + 33.725 = 733.72                      -> 734
   *   95: 700 + 1250/14.826 = 700 + 84.311 = 784.31  -> 784 */
  one_aspect_init(&k, 5, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 50), 0);
  assert_int_equal(k.aResult[0].standard, 734);
  assert_int_equal(k.aResult[1].standard, 633);
  assert_int_equal(k.aResult[2].standard, 784);
  assert_int_equal(k.aResult[3].standard, 700);
  assert_int_equal(k.aResult[4].standard, 666);
}

static void standard_score_even_count(void **state) {
  (void)state;
  /* raws 90, 80, 60, 50: median = (60 + 80) / 2 = 70
   *   |raw - 70| = 20, 10, 10, 20 -> sorted 10, 10, 20, 20 -> MAD = (10 + 20)/2 = 15
   *   s = 1.4826 * 15 = 22.239
   *   90: 700 + 600/22.239 = 700 + 26.980 = 726.98 -> 727
   *   80: 700 + 300/22.239 = 700 + 13.490 = 713.49 -> 713
   *   60: 700 - 13.490 = 686.51                    -> 687
   *   50: 700 - 26.980 = 673.02                    -> 673 */
  const int aCenti[] = {9000, 8000, 6000, 5000};
  one_aspect_cat k;
  one_aspect_init(&k, 4, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_int_equal(k.aResult[0].standard, 727);
  assert_int_equal(k.aResult[1].standard, 713);
  assert_int_equal(k.aResult[2].standard, 687);
  assert_int_equal(k.aResult[3].standard, 673);
}

static void standard_score_clamped(void **state) {
  (void)state;
  /* raws 0, 50.50, 51.00, 51.50, 100 (two outliers)
   *   median = 51
   *   |raw - 51| = 51, 0.5, 0, 0.5, 49 -> sorted 0, 0.5, 0.5, 49, 51 -> MAD = 0.5
   *   s = 1.4826 * 0.5 = 0.7413
   *     0.00: 700 - 30*51/0.7413 = 700 - 2063.9 = -1363.9 -> clamped to 0
   *    50.50: 700 - 15/0.7413    = 700 - 20.235 = 679.77 -> 680
   *    51.00: 700
   *    51.50: 700 + 20.235 = 720.23                    -> 720
   *   100.00: 700 + 30*49/0.7413 = 700 + 1983.0 = 2683.0 -> clamped to 1000 */
  const int aCenti[] = {0, 5050, 5100, 5150, 10000};
  one_aspect_cat k;
  one_aspect_init(&k, 5, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_int_equal(k.aResult[0].standard, 0);
  assert_int_equal(k.aResult[1].standard, 680);
  assert_int_equal(k.aResult[2].standard, 700);
  assert_int_equal(k.aResult[3].standard, 720);
  assert_int_equal(k.aResult[4].standard, 1000);
  /* the clamped competitor at 0 is ranked last, without a medal */
  assert_int_equal(k.aResult[0].rank, 5);
  assert_int_equal(k.aResult[0].medal, MEDAL_NONE);
  assert_int_equal(k.aResult[4].rank, 1);
  assert_int_equal(k.aResult[4].medal, MEDAL_GOLD);
}

static void standard_score_degenerate(void **state) {
  (void)state;
  one_aspect_cat k;
  /* one competitor (raw 42): 700, rank 1, gold */
  const int aOne[] = {4200};
  one_aspect_init(&k, 1, aOne, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_raw(k.aResult[0].raw, 42.0);
  assert_int_equal(k.aResult[0].standard, 700);
  assert_int_equal(k.aResult[0].rank, 1);
  assert_int_equal(k.aResult[0].medal, MEDAL_GOLD);

  /* four competitors all at 60: MAD = 0, mean |raw - 60| = 0 too -> all 700;
   * all share rank 1 and all get gold */
  const int aEqual[] = {6000, 6000, 6000, 6000};
  one_aspect_init(&k, 4, aEqual, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(k.aResult[i].standard, 700);
    assert_int_equal(k.aResult[i].rank, 1);
    assert_int_equal(k.aResult[i].medal, MEDAL_GOLD);
  }
}

static void standard_score_mad_zero_fallback(void **state) {
  (void)state;
  /* raws 40, 60, 60, 60, 90: three of five (more than half) at the median
   *   median = 60
   *   |raw - 60| = 20, 0, 0, 0, 30 -> sorted 0, 0, 0, 20, 30 -> MAD = 0
   *   fallback: mean |raw - 60| = (20 + 0 + 0 + 0 + 30) / 5 = 10
   *   s = 1.2533 * 10 = 12.533
   *   40: 700 - 30*20/12.533 = 700 - 600/12.533 = 700 - 47.874 = 652.13 -> 652
   *   60: 700
   *   90: 700 + 900/12.533 = 700 + 71.810 = 771.81                   -> 772
   * ranks: 90 -> 1 (gold); the three 60s share rank 2 (silver);
   *        40 -> rank 5, standard 652 < 700 -> nothing */
  const int aCenti[] = {6000, 4000, 9000, 6000, 6000};
  one_aspect_cat k;
  one_aspect_init(&k, 5, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_int_equal(k.aResult[0].standard, 700);
  assert_int_equal(k.aResult[1].standard, 652);
  assert_int_equal(k.aResult[2].standard, 772);
  assert_int_equal(k.aResult[3].standard, 700);
  assert_int_equal(k.aResult[4].standard, 700);
  assert_int_equal(k.aResult[2].rank, 1);
  assert_int_equal(k.aResult[2].medal, MEDAL_GOLD);
  assert_int_equal(k.aResult[0].rank, 2);
  assert_int_equal(k.aResult[3].rank, 2);
  assert_int_equal(k.aResult[4].rank, 2);
  assert_int_equal(k.aResult[0].medal, MEDAL_SILVER);
  assert_int_equal(k.aResult[3].medal, MEDAL_SILVER);
  assert_int_equal(k.aResult[4].medal, MEDAL_SILVER);
  assert_int_equal(k.aResult[1].rank, 5);
  assert_int_equal(k.aResult[1].medal, MEDAL_NONE);
}

/* ------------------------------------------------------- ranks, medals */

/* Category A of the institution table test, used alone here too:
 *   raws 90, 80, 80, 70, 60, 50, 40
 *   median = 70; |raw - 70| = 20,10,10,0,10,20,30 -> sorted 0,10,10,10,20,20,30
 *   MAD = 10, s = 14.826
 *   90: 700 + 600/14.826 = 740.47 -> 740      rank 1  gold
 *   80: 700 + 300/14.826 = 720.23 -> 720      rank 2  silver   (shared)
 *   80:                           -> 720      rank 2  silver   (shared)
 *   70: 700                                   rank 4  medallion (700 >= 700)
 *   60: 679.77 -> 680                         rank 5  none
 *   50: 659.53 -> 660                         rank 6  none
 *   40: 700 - 900/14.826 = 639.30 -> 639      rank 7  none
 * No bronze: the shared second place takes ranks 2 and 3. */
static const int aCentiA[] = {9000, 8000, 8000, 7000, 6000, 5000, 4000};
/* institutions: X = 30, Y = 10, Z = 20 (see institution_table) */
static const int64_t aInstA[] = {30, 10, 10, 30, 10, 20, 30};

/* Category B: a tie for first.
 *   raws 90, 90, 80, 70, 60
 *   median = 80; |raw - 80| = 10,10,0,10,20 -> sorted 0,10,10,10,20 -> MAD = 10
 *   s = 14.826
 *   90: 720.23 -> 720   rank 1  gold
 *   90:        -> 720   rank 1  gold
 *   80: 700             rank 3  bronze (no silver)
 *   70: 679.77 -> 680   rank 4  none (below 700)
 *   60: 659.53 -> 660   rank 5  none */
static const int aCentiB[] = {9000, 9000, 8000, 7000, 6000};
static const int64_t aInstB[] = {30, 20, 20, 20, 30};

static void ranks_shared_second(void **state) {
  (void)state;
  one_aspect_cat k;
  one_aspect_init(&k, 7, aCentiA, aInstA);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  const int aRank[] = {1, 2, 2, 4, 5, 6, 7};
  const int aStd[] = {740, 720, 720, 700, 680, 660, 639};
  const comp_medal aMedal[] = {MEDAL_GOLD, MEDAL_SILVER, MEDAL_SILVER, MEDAL_MEDALLION,
                               MEDAL_NONE, MEDAL_NONE, MEDAL_NONE};
  for (int i = 0; i < 7; i++) {
    assert_int_equal(k.aResult[i].rank, aRank[i]);
    assert_int_equal(k.aResult[i].standard, aStd[i]);
    assert_int_equal(k.aResult[i].medal, aMedal[i]);
  }
}

static void medals_tie_for_first(void **state) {
  (void)state;
  one_aspect_cat k;
  one_aspect_init(&k, 5, aCentiB, aInstB);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  const int aRank[] = {1, 1, 3, 4, 5};
  const int aStd[] = {720, 720, 700, 680, 660};
  const comp_medal aMedal[] = {MEDAL_GOLD, MEDAL_GOLD, MEDAL_BRONZE, MEDAL_NONE, MEDAL_NONE};
  int nSilver = 0;
  for (int i = 0; i < 5; i++) {
    assert_int_equal(k.aResult[i].rank, aRank[i]);
    assert_int_equal(k.aResult[i].standard, aStd[i]);
    assert_int_equal(k.aResult[i].medal, aMedal[i]);
    nSilver += k.aResult[i].medal == MEDAL_SILVER;
  }
  assert_int_equal(nSilver, 0);
  assert_string_equal(comp_medal_name(MEDAL_GOLD), "gold");
  assert_string_equal(comp_medal_name(MEDAL_BRONZE), "bronze");
  assert_string_equal(comp_medal_name(MEDAL_MEDALLION), "medallion");
  assert_string_equal(comp_medal_name(MEDAL_NONE), "");
}

static void medallist_below_700_keeps_medal(void **state) {
  (void)state;
  /* raws 90, 80, 60, 50 (see standard_score_even_count): standards
   * 727, 713, 687, 673. The bronze medallist (rank 3) scores 687 < 700 and
   * keeps bronze; rank 4 at 673 gets nothing (no medallion below 700). */
  const int aCenti[] = {5000, 6000, 8000, 9000};
  one_aspect_cat k;
  one_aspect_init(&k, 4, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_int_equal(k.aResult[3].medal, MEDAL_GOLD);
  assert_int_equal(k.aResult[2].medal, MEDAL_SILVER);
  assert_int_equal(k.aResult[1].rank, 3);
  assert_int_equal(k.aResult[1].standard, 687);
  assert_int_equal(k.aResult[1].medal, MEDAL_BRONZE);
  assert_int_equal(k.aResult[0].rank, 4);
  assert_int_equal(k.aResult[0].standard, 673);
  assert_int_equal(k.aResult[0].medal, MEDAL_NONE);
}

static void medallion_only_for_non_medallists(void **state) {
  (void)state;
  /* raws 50, 60, 70, 80, 95 (standard_score_five): standards 660, 680,
   * 700, 720, 751. Ranks 1..3 (95, 80, 70) take gold, silver, bronze, so
   * though 720 and 700 are >= 700 they get no medallion; ranks 4 and 5 are
   * below 700: nobody gets a medallion. */
  const int aCenti[] = {5000, 6000, 7000, 8000, 9500};
  one_aspect_cat k;
  one_aspect_init(&k, 5, aCenti, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_int_equal(k.aResult[4].medal, MEDAL_GOLD);
  assert_int_equal(k.aResult[3].medal, MEDAL_SILVER);
  assert_int_equal(k.aResult[2].medal, MEDAL_BRONZE);
  assert_int_equal(k.aResult[1].medal, MEDAL_NONE);
  assert_int_equal(k.aResult[0].medal, MEDAL_NONE);

  /* raws 100, 95, 90, 85, 80, 20, 10: rank 4 (85) is the median and so
   *   scores exactly 700, earning a medallion; rank 5 (80) is just below.
   *   median = 85; |raw - 85| = 15,10,5,0,5,65,75 -> sorted 0,5,5,10,15,65,75
   *   MAD = 10, s = 14.826
   *   85: 700                                 rank 4 -> medallion
   *   80: 700 - 150/14.826 = 689.88 -> 690    rank 5 -> none (below 700) */
  const int aCenti2[] = {10000, 9500, 9000, 8500, 8000, 2000, 1000};
  one_aspect_init(&k, 7, aCenti2, NULL);
  assert_int_equal(comp_category_results(&k.c, 30), 0);
  assert_int_equal(k.aResult[3].rank, 4);
  assert_int_equal(k.aResult[3].standard, 700);
  assert_int_equal(k.aResult[3].medal, MEDAL_MEDALLION);
  assert_int_equal(k.aResult[4].rank, 5);
  assert_int_equal(k.aResult[4].standard, 690);
  assert_int_equal(k.aResult[4].medal, MEDAL_NONE);
}

/* ---------------------------------------------------- institution table */

static void institution_table(void **state) {
  (void)state;
  one_aspect_cat a, b;
  one_aspect_init(&a, 7, aCentiA, aInstA);
  one_aspect_init(&b, 5, aCentiB, aInstB);
  assert_int_equal(comp_category_results(&a.c, 30), 0);
  assert_int_equal(comp_category_results(&b.c, 30), 0);
  comp_category aCat[2] = {a.c, b.c};
  comp_institution_row aRow[8];
  memset(aRow, 0, sizeof aRow);
  /* Points: gold 4, silver 3, bronze 2, medallion 1.
   * Institution 30 (X):
   *   A: 90 gold 740, 70 medallion 700, 40 none 639
   *   B: 90 gold 720, 60 none 660
   *   points 4 + 1 + 4 = 9; gold 2, medallion 1; 5 competitors
   *   mean (740 + 700 + 639 + 720 + 660) / 5 = 3459 / 5 = 691.8
   * Institution 10 (Y):
   *   A: 80 silver 720, 80 silver 720, 60 none 680
   *   points 3 + 3 = 6; silver 2; 3 competitors
   *   mean (720 + 720 + 680) / 3 = 2120 / 3 = 706.666...
   * Institution 20 (Z):
   *   A: 50 none 660
   *   B: 90 gold 720, 80 bronze 700, 70 none 680
   *   points 4 + 2 = 6; gold 1, bronze 1; 4 competitors
   *   mean (660 + 720 + 700 + 680) / 4 = 2760 / 4 = 690
   * Order: 30 first on points (9) although its mean is below 10's;
   *        10 and 20 tie on 6 points, 10 first on mean (706.67 > 690). */
  int n = comp_institution_table(aCat, 2, aRow, 8);
  assert_int_equal(n, 3);

  assert_int_equal(aRow[0].institution_id, 30);
  assert_int_equal(aRow[0].points, 9);
  assert_int_equal(aRow[0].gold, 2);
  assert_int_equal(aRow[0].silver, 0);
  assert_int_equal(aRow[0].bronze, 0);
  assert_int_equal(aRow[0].medallion, 1);
  assert_int_equal(aRow[0].competitors, 5);
  assert_raw(aRow[0].meanStandard, 3459.0 / 5.0);
  assert_raw(aRow[0].meanStandard, 691.8);

  assert_int_equal(aRow[1].institution_id, 10);
  assert_int_equal(aRow[1].points, 6);
  assert_int_equal(aRow[1].gold, 0);
  assert_int_equal(aRow[1].silver, 2);
  assert_int_equal(aRow[1].bronze, 0);
  assert_int_equal(aRow[1].medallion, 0);
  assert_int_equal(aRow[1].competitors, 3);
  assert_raw(aRow[1].meanStandard, 2120.0 / 3.0);

  assert_int_equal(aRow[2].institution_id, 20);
  assert_int_equal(aRow[2].points, 6);
  assert_int_equal(aRow[2].gold, 1);
  assert_int_equal(aRow[2].silver, 0);
  assert_int_equal(aRow[2].bronze, 1);
  assert_int_equal(aRow[2].medallion, 0);
  assert_int_equal(aRow[2].competitors, 4);
  assert_raw(aRow[2].meanStandard, 690.0);

  /* the row after the last is untouched */
  assert_int_equal(aRow[3].institution_id, 0);
  assert_int_equal(aRow[3].competitors, 0);

  /* totals: 7 + 5 = 12 competitors; 3 golds (A 1, B 2), 2 silvers,
   * 1 bronze, 1 medallion = 21 points */
  int nComp = 0, nPoints = 0;
  for (int i = 0; i < n; i++) nComp += aRow[i].competitors, nPoints += aRow[i].points;
  assert_int_equal(nComp, 12);
  assert_int_equal(nPoints, 4 * 3 + 3 * 2 + 2 * 1 + 1 * 1);
}

/* ---------------------------------------------------------- robustness */

static void zero_competitors(void **state) {
  (void)state;
  comp_competitor_result aResult[2];
  memset(aResult, 0x5a, sizeof aResult);
  comp_competitor_result aCopy[2];
  memcpy(aCopy, aResult, sizeof aCopy);
  const comp_aspect aspect = {.id = 1, .kind = COMP_MEASUREMENT, .maxCenti = 10000};
  comp_category c = {.nAspect = 1, .nCompetitor = 0, .nMark = 0, .aAspect = &aspect, .aMark = NULL,
                     .aResult = aResult};
  assert_int_equal(comp_category_results(&c, 30), 0);
  assert_memory_equal(aResult, aCopy, sizeof aResult);
  /* also with no aspects and no arrays at all */
  comp_category cEmpty = {0};
  assert_int_equal(comp_category_results(&cEmpty, 30), 0);

  /* the institution table over no categories, or over empty ones, is empty
   * and leaves the rows alone */
  comp_institution_row aRow[2], aRowCopy[2];
  memset(aRow, 0x5a, sizeof aRow);
  memcpy(aRowCopy, aRow, sizeof aRowCopy);
  assert_int_equal(comp_institution_table(NULL, 0, aRow, 2), 0);
  assert_memory_equal(aRow, aRowCopy, sizeof aRow);
  comp_category aCat[2] = {c, cEmpty};
  assert_int_equal(comp_institution_table(aCat, 2, aRow, 2), 0);
  assert_memory_equal(aRow, aRowCopy, sizeof aRow);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(raw_measurement_and_judgement),
      cmocka_unit_test(raw_hundred_mark_scheme),
      cmocka_unit_test(standard_score_five),
      cmocka_unit_test(standard_score_even_count),
      cmocka_unit_test(standard_score_clamped),
      cmocka_unit_test(standard_score_degenerate),
      cmocka_unit_test(standard_score_mad_zero_fallback),
      cmocka_unit_test(ranks_shared_second),
      cmocka_unit_test(medals_tie_for_first),
      cmocka_unit_test(medallist_below_700_keeps_medal),
      cmocka_unit_test(medallion_only_for_non_medallists),
      cmocka_unit_test(institution_table),
      cmocka_unit_test(zero_competitors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
