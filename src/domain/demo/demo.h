/* demo.h: the deterministic demo region generator behind `guild demo`. */
#ifndef GUILD_DEMO_H
#define GUILD_DEMO_H
#include "domain/engine/entity.h"

#include "domain/demo/comp_demo.h"

typedef struct demo_stats {
  int64_t nArea, nInstitution, nProgram, nCohort, nTrainer, nLearner, nEnrollment, nEdition;
  int64_t idExtraEdition;    /* the edition made from pExtra, if any */
} demo_stats;

/* Fills an empty database with a demo region of nLearner learners, the same
 * for the same seed. Runs in one transaction: all or nothing. Refuses a
 * database that already holds areas or persons. With 1,000 learners or more
 * it adds the region's competition editions 2022-2026 (growing; 2026 in
 * marking); pExtra (may be NULL) adds one more edition of that size (for
 * benchmarks). pProgress, when given, is called now and then with learners
 * done so far. */
int demo_generate(dom_ctx *c, int64_t nLearner, uint64_t seed, const comp_demo_spec *pExtra, demo_stats *pStats,
                  void (*pProgress)(int64_t nDone, int64_t nTotal), gerr *e);

#endif
