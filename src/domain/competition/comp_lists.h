/* comp_lists.h: what the competition screens list beyond the entities: the
 * published editions (public), a category's judgement aspects whose
 * judges disagree (the review rule), and a category's marks with their
 * corrections (the chief judge's corrections screen). Each fills an array
 * in c's arena; access is the caller's route's. */
#ifndef GUILD_COMP_LISTS_H
#define GUILD_COMP_LISTS_H
#include "domain/engine/entity.h"

/* A published edition with its area's name and how many categories and
 * entered competitors it has. */
typedef struct comp_published_edition {
  int64_t id, area_id, year, nCategory, nCompetitor;
  const char *zName, *zStart, *zEnd, *zArea;
} comp_published_edition;
/* Published editions, newest first (at most 1,000: one a year per area). */
int comp_published_editions(dom_ctx *c, comp_published_edition **pa, int *pn, gerr *e);

/* The review rule, in words (the API answers with it). */
extern const char comp_review_rule[];
/* A competitor's judgement aspect the rule flags: the lowest and highest
 * score (0..3) the judges gave, and how many judges scored it. */
typedef struct comp_review_flag {
  int64_t competitor_id, aspect_id, lowest, highest, judges;
  const char *zAspect;   /* the aspect's code */
} comp_review_flag;
/* The flags of category idCategory, by competitor and aspect. */
int comp_review_flags(dom_ctx *c, int64_t idCategory, comp_review_flag **pa, int *pn, gerr *e);

/* A mark the lock still waits for: an entered competitor's aspect with
 * fewer marks than it needs (COMP_JUDGES_PER_JUDGEMENT for a judgement,
 * one for a measurement). */
typedef struct comp_missing_mark {
  int64_t competitor_id, aspect_id, have, need;
  const char *zAspect;   /* the aspect's code */
} comp_missing_mark;
/* The marks category idCategory still lacks, by competitor and aspect
 * (access: the caller's; the lock refuses while there are any, the review
 * lists them). */
int comp_missing_marks(dom_ctx *c, int64_t idCategory, comp_missing_mark **pa, int *pn, gerr *e);

/* A correction of a mark after its category's lock (values in hundredths). */
typedef struct comp_mark_fix {
  int64_t mark_id, at, oldCenti, newCenti;
  const char *zActor, *zReason;
} comp_mark_fix;
/* A judge's mark, with the judge's name and the mark's corrections. */
typedef struct comp_category_mark {
  int64_t id, competitor_id, aspect_id, judge_id, valueCenti, version;
  const char *zAspect, *zJudgeGiven, *zJudgeFamily;
  int nFix;
  const comp_mark_fix *aFix;   /* oldest first */
} comp_category_mark;
/* Every judge's mark in category idCategory, by competitor, aspect and judge. */
int comp_category_marks(dom_ctx *c, int64_t idCategory, comp_category_mark **pa, int *pn, gerr *e);

#endif
