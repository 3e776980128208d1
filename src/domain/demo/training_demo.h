/* training_demo.h: the demo region's training sessions and attendance
 * (training_demo.c), called once by demo_generate. */
#ifndef GUILD_TRAINING_DEMO_H
#define GUILD_TRAINING_DEMO_H
#include "domain/engine/entity.h"

typedef struct training_demo_stats {
  int64_t nSession, nMark;
} training_demo_stats;

/* Adds sessions and attendance to the cohorts of a demo region that have
 * started (at most 120, the demo trainer's and learner's first), the same
 * for the same region. Runs inside the caller's transaction. */
int training_demo(dom_ctx *c, training_demo_stats *st, gerr *e);

#endif
