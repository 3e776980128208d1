/* stats.h: the registry's key figures for the whole region or one
 * institution: learners, enrollments by status, active cohorts, programs;
 * enrollments by program and by the learners' home area; and the skills
 * competition's participants and categories per year. Read-only. */
#ifndef GUILD_STATS_H
#define GUILD_STATS_H
#include "domain/engine/entity.h"

typedef struct stats_count {
  int64_t id;                 /* area id (0 for a program title) */
  const char *zName;          /* program title or area name, in the arena */
  int64_t n, nCompleted;
} stats_count;

typedef struct stats_year {
  int year;
  int64_t editions, participants, categories, institutions;
} stats_year;

typedef struct stats_overview {
  int64_t institution_id;     /* 0: the whole region */
  char zToday[16];
  int64_t learners;           /* distinct persons with an enrollment */
  int64_t enrollments;
  int64_t aStatus[5];         /* by stats_status_names */
  int64_t active_cohorts;     /* running today */
  int64_t programs, institutions;
  const char *zAreaLevel;     /* the level by_area counts at */
  stats_count *aProgram;
  int nProgram;
  stats_count *aArea;
  int nArea;
  stats_year *aYear;
  int nYear;
} stats_overview;

extern const char *const stats_status_names[];   /* the five enrollment statuses, NULL-terminated */

/* Fills p for institution idInstitution (0: the region), in c's arena. The
 * competition figures of an institution count its own entries and the
 * categories it entered. Returns 0 or -1 with e. */
int stats_overview_load(dom_ctx *c, int64_t idInstitution, stats_overview *p, gerr *e);

#endif
