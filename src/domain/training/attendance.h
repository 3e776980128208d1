/* attendance.h: training sessions and attendance beyond their entities'
 * record operations: the attendance rate, the institution's statuses, a
 * session's times, check-in codes, taking a whole cohort's attendance in
 * one action, rates per cohort, per learner and per skill, the support
 * list and the export. Each operation on a record checks its own rule
 * first (pol_check), so the same access holds on every path. Answers that
 * go to the API and the CLI are written as documents (io/json/doc_out.h). */
#ifndef GUILD_ATTENDANCE_H
#define GUILD_ATTENDANCE_H
#include "domain/training/training.h"
#include "io/json/doc_out.h"
#include "io/xlsx/table_out.h"

/* --- the attendance rate (attendance_rate.c) --------------------------------
 *
 *   rate = sum of the weights of the counted marks / (100 x counted marks)
 *
 * over one learner's marks in one cohort's sessions (or, per skill, in the
 * sessions that cover that skill). A mark is counted when its status counts
 * in the denominator (excused does not: it neither helps nor hurts); each
 * status has a weight 0..100 (by default present 100, late 50, absent 0).
 * A session where the learner has no mark is not counted for them (e.g.
 * before they joined the cohort). With nothing counted the rate is
 * undefined (null), never 0. A learner is below a threshold of P percent
 * when something is counted and sum of weights < P x counted (exact, in
 * integers). */
typedef struct att_tally {
  int64_t nWeight;    /* sum of the weights of the counted marks */
  int64_t nCounted;   /* marks whose status counts in the denominator */
  int64_t nMarks;     /* every mark, counted or not */
} att_tally;

/* Adds n marks of a status with this weight, counted or not. */
void att_tally_add(att_tally *t, int weight, int bCounts, int64_t n);
/* The rate in 0..1, or NaN when nothing is counted. */
double att_rate(const att_tally *t);
/* 1 when something is counted and the rate is below percent %. */
int att_below(const att_tally *t, int percent);

#define ATT_THRESHOLD_DEFAULT 80   /* percent, for a program with no attendance_threshold */

/* --- statuses (attendance_status.c) ----------------------------------------- */
#define ATT_MAXSTATUS 32   /* statuses in one institution's set */

typedef struct att_status {
  int64_t id;
  const char *zCode, *zLabelKey;
  int weight, bCounts, bActive;
  int bOwn;             /* the institution's own row (else the region's default) */
} att_status;

typedef struct att_status_set {
  att_status a[ATT_MAXSTATUS];
  int n;
} att_status_set;

/* The statuses in force at institution idInstitution: its own rows, and
 * the region's defaults for the codes it has none of, ordered by weight
 * (highest first), then code. Strings in c's arena. 0 or -1 with e. */
int att_statuses_load(dom_ctx *c, int64_t idInstitution, att_status_set *p, gerr *e);
/* The status zCode of the set, or NULL. */
const att_status *att_status_find(const att_status_set *p, const char *zCode);
/* "present, late, excused, absent": the codes (active ones only, when
 * bActive) into z. */
void att_status_names(const att_status_set *p, int bActive, char *z, size_t n);

/* --- a session's times (session.c) ------------------------------------------ */
/* Times are UTC, like every time and date in guild (time_today). */
#define ATT_OPEN_BEFORE (15 * 60)   /* check-in opens this long before the start */
#define ATT_CLOSE_AFTER (5 * 60)    /* and closes this long after the end */
#define ATT_LATE_AFTER (10 * 60)    /* a check-in later than this after the start is late */

typedef struct att_times {
  int64_t tDay;     /* 00:00 of the session's date */
  int64_t tStart, tEnd;
} att_times;

/* The times of a session dated zDate ("YYYY-MM-DD") from zStart to zEnd
 * ("HH:MM"): 0, or -1 when one of them is not such a value. */
int att_times_of(const char *zDate, const char *zStart, const char *zEnd, att_times *p);

/* --- check-in codes (checkin.c) ---------------------------------------------
 * A code is 6 digits that change every ATT_PERIOD seconds: for window
 * w = floor(now / 30), HMAC-SHA-512-256 (libsodium's crypto_auth) keyed with
 * the session's 32-byte secret over w as 8 bytes big-endian, cut to 6 digits
 * as HOTP does (RFC 4226: the low 4 bits of byte 31 give an offset; the 31
 * bits from there, modulo 10^6). The code of the current window and of the
 * one before are accepted (a code seen just before it changed still works);
 * older ones are refused as expired. */
#define ATT_PERIOD 30
#define ATT_KEY_BYTES 32
#define ATT_CODE_MOD 1000000

/* The code of window w under key. */
int att_code(const unsigned char key[ATT_KEY_BYTES], int64_t w);
/* The key of a session's secret (64 hex digits): 0, or -1 when malformed. */
int att_key_of(const char *zHex, unsigned char key[ATT_KEY_BYTES]);
/* A new secret (64 hex digits, in c's arena). */
const char *att_new_secret(dom_ctx *c);

/* For the session's trainer (rule attendance): the code shown now, when
 * it expires and the check-in link (a path of the browser interface,
 * /check-in/ID?code=CODE, to draw as a QR code). 409 outside the check-in
 * time (ATT_OPEN_BEFORE before the start to ATT_CLOSE_AFTER after the end). */
int att_code_doc(dom_ctx *c, int64_t idSession, doc_out *d, gerr *e);
/* The signed-in learner checks in to session idSession with zCode: only a
 * learner enrolled in its cohort, only during the check-in time, only with
 * the code of this session's current or previous window. Records present
 * (late after ATT_LATE_AFTER, when the institution has an active late),
 * source check_in; a learner who already has a mark keeps it (checking in
 * again changes nothing and answers the same). *pMark is the mark (strings
 * in c's arena), *pbNew 1 when this call made it. */
int att_check_in(dom_ctx *c, int64_t idSession, const char *zCode, dom_rec *pMark, int *pbNew, gerr *e);

/* --- taking attendance (attendance_take.c) ---------------------------------- */
#define ATT_MAXROWS 10000   /* learners in one call (a cohort's largest capacity) */

typedef struct att_row {
  int64_t person_id;
  const char *zStatus;   /* a code of the institution's active statuses */
  const char *zReason;   /* NULL: the call's reason */
} att_row;

/* Why a mark changed after the session's day (a fixed list, NULL-ended). */
extern const char *const att_change_reasons[];
/* Refuses a call of more than ATT_MAXROWS marks (field marks, reason
 * too_many_entries); returns -1. */
int att_too_many(gerr *e);

/* Marks session idSession's learners: each row a learner enrolled in the
 * session's cohort (status enrolled) and a status; all or nothing (a
 * refusal is GERR_ROWS naming marks: every refused row with its index,
 * field (person_id, status or reason) and why, gerr_rows_fail).
 * Not before the session's day. A mark that changes keeps its old value in
 * the change history; after the session's day a change needs a reason of
 * att_change_reasons (the row's or zReason) and is audited as a correction.
 * Writes what was done to d (created, changed, unchanged, the marks, and
 * the enrolled learners still without a mark). */
int att_take(dom_ctx *c, int64_t idSession, const att_row *a, int n, const char *zReason, doc_out *d, gerr *e);
/* The session's learners (everyone enrolled in its cohort, whatever the status; only
 * status enrolled is markable), each with
 * their mark (or null) and its change history, and the statuses in force. */
int att_roster_doc(dom_ctx *c, int64_t idSession, doc_out *d, gerr *e);

/* --- rates (attendance_report.c) -------------------------------------------- */
/* The threshold of program idProgram (percent) into *pPercent; *pbSet 1
 * when the program has its own, 0 for the default. */
int att_threshold_of(dom_ctx *c, int64_t idProgram, int *pPercent, int *pbSet, gerr *e);
/* Every learner of cohort idCohort with their rate, counts per status and
 * rate per skill of the program, and the cohort's threshold (rule
 * attendance). */
int att_cohort_doc(dom_ctx *c, int64_t idCohort, doc_out *d, gerr *e);
/* The cohort's learners (enrolled) below its threshold, with their rate:
 * whom to offer support, never a sanction (rule attendance). */
int att_support_doc(dom_ctx *c, int64_t idCohort, doc_out *d, gerr *e);
/* The signed-in learner's own attendance: per cohort their rate, per skill
 * and every mark (rule own_attendance). */
int att_mine_doc(dom_ctx *c, doc_out *d, gerr *e);

/* --- export (attendance_export.c) ------------------------------------------- */
/* `guild attendance export`: one row per learner and cohort (enrollments
 * past applying) with their counts and rate, of one cohort (idCohort) or
 * one institution (idInstitution) or the whole region (both 0), confined
 * to the actor's scope under rule attendance. Streams, a batch of cohorts
 * at a time: memory does not grow with the region. */
typedef struct att_export_arg {
  dom_ctx *c;
  int64_t idCohort, idInstitution;
  int64_t nRows;   /* out: rows written */
} att_export_arg;
/* An export_fn (domain/imports/export.h): pArg is an att_export_arg. */
int att_export_fn(void *pArg, tab_out *t, gerr *e);

#endif
