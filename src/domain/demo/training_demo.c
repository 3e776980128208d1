/* training_demo.c: the demo region's training sessions and attendance.
 * Cohorts that have started get two sessions a week from their first day
 * to their last (or today): mornings or afternoons, in a workshop, kitchen
 * or classroom, each on one or two of the program's skills; today's
 * session, where a cohort has one, is not marked yet (for the check-in
 * screen). Learners attend with realistic gaps: most nearly always, some
 * less, a few well below the threshold (the support list); late arrivals,
 * excused absences, some check-ins by code, and a few marks changed later
 * with a reason. The demo trainer's and the demo learner's cohorts come
 * first, so their screens are filled, and have a session today (their
 * day is never empty). Sessions pass the entity's own rules (dom_check);
 * marks are inserted directly, valid by construction, and the audit log is
 * told of every row written or changed with this file's SQL
 * (audit_note_after) before the demo's entry. */
#include "domain/demo/training_demo.h"
#include "domain/training/attendance.h"
#include "domain/engine/audit.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

#define DEMO_COHORTS 120   /* cohorts with sessions, at most (the demo trainer's and learner's first) */
#define STR_(x) #x
#define STR(x) STR_(x)

static const char zCohorts[] =
    "SELECT c.id, c.start_date, c.end_date, c.program_id, (SELECT t.value FROM cohorts_trainers t "
    "WHERE t.owner_id = c.id ORDER BY t.pos LIMIT 1), CASE WHEN EXISTS "
    "(SELECT 1 FROM cohorts_trainers t JOIN persons p ON p.id = t.value WHERE t.owner_id = c.id AND "
    "p.sourced_id = 'T000001') OR EXISTS (SELECT 1 FROM enrollments e JOIN persons p ON p.id = e.person_id "
    "WHERE e.cohort_id = c.id AND p.sourced_id = 'L0000001') THEN 0 ELSE 1 END FROM cohorts c WHERE c.start_date <= $1 "
    "AND EXISTS (SELECT 1 FROM cohorts_trainers t WHERE t.owner_id = c.id) ORDER BY 6, c.id LIMIT " STR(DEMO_COHORTS);
static const char zSkills[] = "SELECT value FROM programs_skills WHERE owner_id = $1 ORDER BY pos";
static const char zLearners[] =
    "SELECT person_id, status, coalesce(withdrawn_at, 0) FROM enrollments WHERE cohort_id = $1 "
    "AND status <> 'applied' ORDER BY person_id";
static const char zMark[] =
    "INSERT INTO attendance_marks (version, created_at, updated_at, training_session_id, person_id, status, source, "
    "set_at, set_by) VALUES ($1, $2, $2, $3, $4, $5, $6, $2, $7) RETURNING id";
static const char zChange[] =
    "INSERT INTO attendance_changes (mark_id, at, actor, reason, old_status, new_status, old_source, old_set_at, "
    "old_set_by) VALUES ($1, $2, 'demo', 'absence_excused', 'absent', 'excused', 'trainer', $3, 'demo')";
static const char zMarked[] = "UPDATE training_sessions SET marked_at = $1, marked_by = 'demo' WHERE id = $2";
static const char zThreshold[] =
    "INSERT INTO attendance_thresholds (version, created_at, updated_at, program_id, percent) "
    "SELECT 1, $1, $1, min(id), 85 FROM programs HAVING count(*) > 0";

/* The entities whose rows this file writes or changes with its own SQL
 * (sessions: marked_at after their marks). */
static const dom_entity *const apWritten[] = {&dom_training_session, &dom_attendance_mark, &dom_attendance_threshold};
#define NWRITTEN ((int)(sizeof apWritten / sizeof apWritten[0]))

static const char *const azPlace[] = {"Workshop 1", "Workshop 2", "Kitchen 1", "Classroom 3", "Practice hall"};
static const char *const azActivity[] = {"demonstration", "guided practice", "practice", "theory", "review"};

/* A deterministic number from three ids (splitmix64's finaliser): the same region gives the same marks. */
static uint64_t mix(uint64_t a, uint64_t b, uint64_t c) {
  uint64_t z = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full ^ c;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

typedef struct demo_learner {
  int64_t id, tWithdrawn;
  int presentPerMille;   /* how often they come */
} demo_learner;

/* How often a learner comes: most nearly always, some less, a few rarely. */
static int propensity(uint64_t h) {
  int x = (int)(h % 100);
  if (x < 70) return 920 + (int)(h / 100 % 80);
  if (x < 90) return 800 + (int)(h / 100 % 100);
  return 500 + (int)(h / 100 % 250);
}

/* One learner's mark at a session (NULL: none, after they withdrew). */
static const char *pick(const demo_learner *l, int64_t idSession, int64_t tDay, const char **pzSource) {
  if (l->tWithdrawn && tDay >= l->tWithdrawn) return NULL;
  uint64_t h = mix((uint64_t)l->id, (uint64_t)idSession, 7);
  int x = (int)(h % 1000), y = (int)(h / 1000 % 100);
  *pzSource = "trainer";
  if (x < l->presentPerMille) {
    if (y < 25) *pzSource = "check_in";
    return y % 17 == 3 ? "late" : "present";
  }
  return y < 35 ? "excused" : "absent";
}

static const char zCount[] = "SELECT count(*) FROM enrollments WHERE cohort_id = $1";

static int load_learners(dom_ctx *c, int64_t idCohort, demo_learner **pa, int *pn, gerr *e) {
  int64_t nMax = 0;
  if (db_query_int(c->pDb, zCount, 1, idCohort, &nMax, e) == DB_ERROR) return -1;
  demo_learner *a = arena_alloc(c->pAr, (size_t)(nMax + 1) * sizeof *a);
  int n = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zLearners, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  while ((rc = db_step(s, e)) == DB_ROW && n < nMax) {
    int64_t id = db_col_int(s, 0);
    a[n++] = (demo_learner){id, strcmp(db_col_text(s, 1), "withdrawn") ? 0 : db_col_int(s, 2),
                            propensity(mix((uint64_t)id, 1, 2))};
  }
  db_done(s);
  *pa = a;
  *pn = n;
  return rc == DB_ERROR ? -1 : 0;
}

/* Marks every learner of a and a few later changes; returns the marks made or -1. */
static int64_t mark_session(dom_ctx *c, int64_t idSession, int64_t tDay, const demo_learner *a, int n, gerr *e) {
  int64_t nMark = 0, tSet = tDay + 13 * 3600;
  for (int i = 0; i < n; i++) {
    const char *zSource, *zStatus = pick(&a[i], idSession, tDay, &zSource);
    if (!zStatus) continue;
    int bChanged = !strcmp(zStatus, "excused") && mix((uint64_t)a[i].id, (uint64_t)idSession, 9) % 4 == 0;
    db_stmt *s = db_prepare(c->pDb, zMark, e);
    if (!s) return -1;
    db_bind_int(s, 1, bChanged ? 2 : 1);
    db_bind_int(s, 2, bChanged ? tSet + 2 * 86400 : tSet);
    db_bind_int(s, 3, idSession);
    db_bind_int(s, 4, a[i].id);
    db_bind_text(s, 5, zStatus);
    db_bind_text(s, 6, zSource);
    db_bind_text(s, 7, !strcmp(zSource, "check_in") ? "demo:learner" : "demo");
    int rc = db_step(s, e);
    int64_t idMark = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    if (rc != DB_ROW) return rc == DB_DONE ? gerr_set(e, GERR_DB, NULL, "a demo mark was not stored") : -1;
    nMark++;
    if (!bChanged) continue;   /* marked absent on the day; a note came two days later */
    s = db_prepare(c->pDb, zChange, e);
    if (!s) return -1;
    db_bind_int(s, 1, idMark);
    db_bind_int(s, 2, tSet + 2 * 86400);
    db_bind_int(s, 3, tSet);
    rc = db_step(s, e);
    db_done(s);
    if (rc == DB_ERROR) return -1;
  }
  db_stmt *s = db_prepare(c->pDb, zMarked, e);
  if (!s) return -1;
  db_bind_int(s, 1, tSet);
  db_bind_int(s, 2, idSession);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : nMark;
}

typedef struct demo_cohort_row {
  int64_t id, idProgram, idTrainer;
  int32_t start, end;
  int bDemo;   /* the demo trainer's or the demo learner's: a session today, whatever the weekday */
} demo_cohort_row;

/* Creates a session of cohort k on day d through the entity's rules. */
static int make_session(dom_ctx *c, const demo_cohort_row *k, int32_t d, int iSession, const char **azSkill,
                        int nSkill, int64_t *pId, gerr *e) {
  char zDate[16];
  int64_t t = (int64_t)d * 86400;
  time_iso(t, zDate, sizeof zDate);
  zDate[10] = 0;
  uint64_t h = mix((uint64_t)k->id, (uint64_t)d, 3);
  int bMorning = h % 3 != 0;
  dom_rec in, out;
  dom_rec_init(&in, &dom_training_session);
  dom_set_int(&in, "cohort_id", k->id);
  dom_set_text(&in, "date", arena_strdup(c->pAr, zDate));
  dom_set_text(&in, "start_time", bMorning ? "09:00" : "14:00");
  dom_set_text(&in, "end_time", bMorning ? "12:00" : "17:00");
  dom_set_text(&in, "place", azPlace[h / 3 % 5]);
  dom_set_int(&in, "trainer_id", k->idTrainer);
  if (nSkill) {
    int iSkill = iSession % nSkill, bTwo = nSkill > 1 && h / 15 % 4 == 0;
    dom_val *v = dom_vm(&in, "skills");
    v->bSet = 1;
    v->az = arena_alloc(c->pAr, 2 * sizeof *v->az);
    v->az[v->n++] = azSkill[iSkill];
    if (bTwo) v->az[v->n++] = azSkill[(iSkill + 1) % nSkill];
    dom_set_text(&in, "topic", arena_printf(c->pAr, "%s: %s", azSkill[iSkill], azActivity[h / 60 % 5]));
  } else {
    dom_set_text(&in, "topic", arena_printf(c->pAr, "Session %d: %s", iSession + 1, azActivity[h / 60 % 5]));
  }
  if (dom_check(c, &dom_training_session, &in, NULL, &out, e) || dom_insert_raw(c, &out, e)) return -1;
  *pId = out.id;
  return 0;
}

/* Every cohort's sessions, two a week (Tuesday and Thursday) up to today;
 * the demo trainer's and learner's cohorts also today, any day of the week. */
static int cohort_sessions(dom_ctx *c, const demo_cohort_row *k, int32_t today, training_demo_stats *st, gerr *e) {
  const char *azSkill[16];
  int nSkill = 0, rc, nLearner;
  db_stmt *s = db_prepare(c->pDb, zSkills, e);
  if (!s) return -1;
  db_bind_int(s, 1, k->idProgram);
  while ((rc = db_step(s, e)) == DB_ROW && nSkill < 16) azSkill[nSkill++] = arena_strdup(c->pAr, db_col_text(s, 0));
  db_done(s);
  if (rc == DB_ERROR) return -1;
  demo_learner *aL;
  if (load_learners(c, k->id, &aL, &nLearner, e)) return -1;
  int iSession = 0;
  for (int32_t d = k->start; d <= k->end && d <= today; d++) {
    int wd = (int)((d + 4) % 7);   /* 1970-01-01 was a Thursday: 0 Sunday .. 6 Saturday */
    if (wd != 2 && wd != 4 && !(k->bDemo && d == today)) continue;
    int64_t id;
    if (make_session(c, k, d, iSession++, azSkill, nSkill, &id, e)) return -1;
    st->nSession++;
    if (d == today) continue;   /* today's is taken by check-in and the trainer, live */
    int64_t n = mark_session(c, id, (int64_t)d * 86400, aL, nLearner, e);
    if (n < 0) return -1;
    st->nMark += n;
  }
  return 0;
}

int training_demo(dom_ctx *c, training_demo_stats *st, gerr *e) {
  memset(st, 0, sizeof *st);
  char zToday[16];
  time_today(zToday, sizeof zToday);
  int32_t today = 0;
  text_is_date(zToday, &today);
  int64_t aIdBefore[NWRITTEN];
  for (int i = 0; i < NWRITTEN; i++)
    if (dom_max_id(c, apWritten[i], &aIdBefore[i], e)) return -1;
  arena *pMain = c->pAr, tmp;
  arena_init(&tmp);
  demo_cohort_row aK[DEMO_COHORTS];
  int nK = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zCohorts, e);
  if (!s) goto fail;
  db_bind_text(s, 1, zToday);
  while ((rc = db_step(s, e)) == DB_ROW && nK < DEMO_COHORTS) {
    demo_cohort_row *k = &aK[nK++];
    k->id = db_col_int(s, 0);
    text_is_date(db_col_text(s, 1), &k->start);
    text_is_date(db_col_text(s, 2), &k->end);
    k->idProgram = db_col_int(s, 3);
    k->idTrainer = db_col_int(s, 4);
    k->bDemo = db_col_int(s, 5) == 0;
  }
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  c->pAr = &tmp;
  for (int i = 0; i < nK; i++) {
    if (cohort_sessions(c, &aK[i], today, st, e)) goto fail;
    arena_reset(&tmp);
  }
  c->pAr = pMain;
  s = db_prepare(c->pDb, zThreshold, e);   /* one program asks for more than the default */
  if (!s) goto fail;
  db_bind_int(s, 1, c->now);
  rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  for (int i = 0; i < NWRITTEN; i++)
    if (audit_note_after(c, apWritten[i], aIdBefore[i], e)) goto fail;
  arena_free(&tmp);
  return 0;
fail:
  c->pAr = pMain;
  arena_free(&tmp);
  return -1;
}
