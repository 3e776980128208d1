/* comp_demo.h: synthetic competition editions for the demo region and the
 * benchmark (valid by construction, inserted in bulk). */
#ifndef GUILD_COMP_DEMO_H
#define GUILD_COMP_DEMO_H
#include "domain/engine/entity.h"

typedef struct comp_demo_spec {
  int year;
  int nCategory, nCompetitor, nAspect, nJudge;  /* competitors in all; aspects and judges per category */
  const char *zState;       /* "published" (every mark in, locked) or "marking" (part marked) */
  int markedPercent;        /* marking: share of marks already entered */
} comp_demo_spec;

typedef struct comp_demo_people {
  int64_t idArea;                 /* the region */
  const int64_t *aInst;           /* institutions entering competitors */
  int nInst;
  int64_t idFirstLearner, nLearner;   /* learners have consecutive ids */
  int64_t idFirstJudge, nJudge;       /* persons who judge (trainers), consecutive ids */
} comp_demo_people;

/* Creates one edition as spec says; *pSeed advances. Runs inside the
 * caller's transaction; one audit entry. */
int comp_demo_edition(dom_ctx *c, uint64_t *pSeed, const comp_demo_spec *spec, const comp_demo_people *who,
                      int64_t *pIdEdition, gerr *e);

#endif
