/* asmt_int.h: what the assessment files of the training module share
 * (assessment.c, evidence.c, appeal.c, award.c, agreement.c,
 * assessment_import.c). Private to src/domain/training. */
#ifndef GUILD_ASMT_INT_H
#define GUILD_ASMT_INT_H
#include "domain/training/training.h"
#include "domain/engine/audit.h"

/* The date nMonths months before zDate (YYYY-MM-DD; the day clamped to the
 * month's length) into zOut (at least 11 bytes). */
void asmt_months_before(const char *zDate, int nMonths, char *zOut);
/* The day of time t (seconds since 1970, UTC) as YYYY-MM-DD into zOut (11). */
void asmt_day_of(int64_t t, char *zOut);
/* How many months evidence stays current in program idProgram (its
 * assessment_setting, else ASMT_CURRENCY_DEFAULT): 0 or -1 with e. */
int asmt_currency_months(dom_ctx *c, int64_t idProgram, int64_t *pn, gerr *e);

/* The awards that follow from learner idPerson's decisions on unit idUnit
 * (award.c): when every criterion's latest decision that counts is
 * competent, a skill award (unless one is held, or the enrollment the
 * decisions were made in is withdrawn), then the program award of that
 * enrollment when it is due. Inside the caller's transaction; audited.
 * *pbAchieved (may be NULL): the unit is achieved; *pidSkill and
 * *pidProgram (may be NULL): the awards made, 0 when none. */
int asmt_awards_follow(dom_ctx *c, int64_t idPerson, int64_t idUnit, int *pbAchieved, int64_t *pidSkill,
                       int64_t *pidProgram, gerr *e);

/* The array p of n elements of nSize bytes with room for one more: p
 * itself, or a copy twice as large in a (*pnAlloc says how many fit). */
void *asmt_grow(arena *a, void *p, int n, int *pnAlloc, size_t nSize);

/* Runs s (bound) and returns its single integer, 0 when no row: *pn. */
int asmt_query_int(db_stmt *s, int64_t *pn, gerr *e);
/* Runs zSql with the integer parameters $1 a and $2 b: its single integer
 * (0 when no row) into *pn. */
int asmt_query_int2(dom_ctx *c, const char *zSql, int64_t a, int64_t b, int64_t *pn, gerr *e);

/* The list filters of a record with an assessment_id (results, evidence,
 * appeals) that confine it to an institution or to a trainer's cohorts;
 * zWhat says what is listed ("results"). */
#define ASMT_FILTER_INSTITUTION(zWhat)                                                                   \
  {"institution", FILT_INT, NULL,                                                                        \
   "assessment_id IN (SELECT a.id FROM assessments a JOIN cohorts c ON c.id = a.cohort_id JOIN programs p " \
   "ON p.id = c.program_id WHERE p.institution_id = ?)",                                                 \
   zWhat " at this institution", NULL}
#define ASMT_FILTER_TRAINER(zWhat)                                                                            \
  {"trainer", FILT_INT, NULL,                                                                                 \
   "assessment_id IN (SELECT a.id FROM assessments a JOIN cohorts_trainers t ON t.owner_id = a.cohort_id WHERE " \
   "t.value = ?)",                                                                                            \
   zWhat " in cohorts this person trains", NULL}

#endif
