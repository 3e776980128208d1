/* session.c: a training session, what a cohort is taught on a day: date,
 * start and end (HH:MM, UTC), place, topic, the program's skills it covers
 * and the trainer who gives it. Its check-in secret is made here, kept
 * hidden, and never changes. Once attendance is taken, its day and times
 * stay as they were (the marks are about that day). */
#include "domain/training/att_int.h"
#include "domain/engine/entity_int.h"
#include "domain/registry/registry.h"
#include "core/text.h"
#include <sodium.h>
#include <string.h>

static const char zHasMarks[] = "SELECT count(*) FROM attendance_marks WHERE training_session_id = $1";

/* "HH:MM" (00:00 to 23:59) as minutes into *pMin: 0, or -1. */
static int parse_hhmm(const char *z, int *pMin) {
  if (!z || strlen(z) != 5 || z[2] != ':') return -1;
  for (int i = 0; i < 5; i++)
    if (i != 2 && (z[i] < '0' || z[i] > '9')) return -1;
  int h = (z[0] - '0') * 10 + (z[1] - '0'), m = (z[3] - '0') * 10 + (z[4] - '0');
  if (h > 23 || m > 59) return -1;
  *pMin = h * 60 + m;
  return 0;
}

int att_times_of(const char *zDate, const char *zStart, const char *zEnd, att_times *p) {
  int32_t day;
  int a, b;
  if (!text_is_date(zDate, &day) || parse_hhmm(zStart, &a) || parse_hhmm(zEnd, &b)) return -1;
  p->tDay = (int64_t)day * 86400;
  p->tStart = p->tDay + a * 60;
  p->tEnd = p->tDay + b * 60;
  return 0;
}

const char *att_new_secret(dom_ctx *c) {
  unsigned char k[ATT_KEY_BYTES];
  randombytes_buf(k, sizeof k);
  char *z = arena_alloc(c->pAr, 2 * ATT_KEY_BYTES + 1);
  sodium_bin2hex(z, 2 * ATT_KEY_BYTES + 1, k, sizeof k);
  sodium_memzero(k, sizeof k);
  return z;
}

/* Each skill must be one of the program's (its exact words). */
static int check_skills(const dom_val *pSkills, const dom_rec *pProg, gerr *e) {
  const dom_val *pAll = dom_v(pProg, "skills");
  for (int i = 0; pSkills->bSet && !pSkills->bNull && i < pSkills->n; i++) {
    int bFound = 0;
    for (int k = 0; k < pAll->n && !bFound; k++) bFound = strcmp(pAll->az[k], pSkills->az[i]) == 0;
    for (int k = 0; k < i && bFound; k++)
      if (strcmp(pSkills->az[k], pSkills->az[i]) == 0)
        return gerr_setr(e, GERR_VALIDATION, GR_LISTED_TWICE, "skills", GP_S("value", pSkills->az[i]));
    if (!bFound)
      return gerr_setr(e, GERR_VALIDATION, GR_NOT_A_SKILL, "skills", GP_S("value", pSkills->az[i]), GP_I("id", pProg->id),
                       GP_I("count", pAll->n));
  }
  return 0;
}

/* The trainer: given (one of the cohort's trainers), else the signed-in
 * person when they train the cohort, else the cohort's only trainer. */
static int check_trainer(dom_ctx *c, dom_rec *r, const dom_rec *pCohort, gerr *e) {
  const dom_val *pT = dom_v(pCohort, "trainers"), *v = dom_v(r, "trainer_id");
  int bGiven = v->bSet && !v->bNull;
  int64_t id = bGiven ? v->i : 0;
  if (!bGiven) {
    for (int k = 0; k < pT->n && !id; k++)
      if (c->idPerson > 0 && pT->ai[k] == c->idPerson) id = c->idPerson;
    if (!id && pT->n == 1) id = pT->ai[0];
    if (!id)
      return gerr_setr(e, GERR_VALIDATION, GR_TRAINER_NEEDED, "trainer_id", GP_I("id", pCohort->id), GP_I("count", pT->n));
  }
  for (int k = 0; k < pT->n; k++)
    if (pT->ai[k] == id) {
      dom_set_int(r, "trainer_id", id);
      return 0;
    }
  return gerr_setr(e, GERR_VALIDATION, GR_NOT_A_TRAINER, "trainer_id", GP_I("person", id), GP_I("id", pCohort->id));
}

static int session_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  const char *zDate = dom_v(r, "date")->z, *zStart = dom_v(r, "start_time")->z, *zEnd = dom_v(r, "end_time")->z;
  int a, b;
  if (parse_hhmm(zStart, &a)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_TIME, "start_time");
  if (parse_hhmm(zEnd, &b)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_TIME, "end_time");
  if (b <= a) return gerr_setr(e, GERR_VALIDATION, GR_TIME_ORDER, "end_time", GP_S("other", "start_time"), GP_S("value", zStart));
  dom_rec cohort, prog;
  if (dom_get(c, &dom_cohort, dom_v(r, "cohort_id")->i, &cohort, e) ||
      dom_get(c, &dom_program, dom_v(&cohort, "program_id")->i, &prog, e))
    return -1;
  const char *zFrom = dom_v(&cohort, "start_date")->z, *zTo = dom_v(&cohort, "end_date")->z;
  if (strcmp(zDate, zFrom) < 0 || strcmp(zDate, zTo) > 0)
    return gerr_setr(e, GERR_VALIDATION, GR_OUTSIDE_TERM, "date", GP_I("id", cohort.id), GP_S("from", zFrom), GP_S("to", zTo));
  if (check_skills(dom_v(r, "skills"), &prog, e) || check_trainer(c, r, &cohort, e)) return -1;
  if (!pOld) {
    dom_set_text(r, "checkin_secret", att_new_secret(c));
    return 0;
  }
  if (strcmp(zDate, dom_v(pOld, "date")->z) || strcmp(zStart, dom_v(pOld, "start_time")->z) ||
      strcmp(zEnd, dom_v(pOld, "end_time")->z)) {
    int64_t n = 0;
    if (db_query_int(c->pDb, zHasMarks, 1, pOld->id, &n, e) == DB_ERROR) return -1;
    if (n)
      return gerr_setr(e, GERR_CONFLICT, GR_ATTENDANCE_TAKEN, "date", GP_I("count", n));
  }
  return 0;
}

static const dom_field aField[] = {
    {"cohort_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_cohort, "the cohort taught"},
    {"date", DT_DATE, F_REQ, 0, 0, NULL, NULL, "the day (YYYY-MM-DD), within the cohort's term"},
    {"start_time", DT_TEXT, F_REQ, 5, 5, NULL, NULL, "when it starts, HH:MM (UTC, like every time in guild)"},
    {"end_time", DT_TEXT, F_REQ, 5, 5, NULL, NULL, "when it ends, HH:MM, after start_time"},
    {"place", DT_TEXT, 0, 1, 120, NULL, NULL, "where, e.g. Workshop 2"},
    {"topic", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "what is taught"},
    {"skills", DT_STRLIST, 0, 1, 200, NULL, NULL, "the skills of the cohort's program it covers (each one of them)"},
    {"trainer_id", DT_REF, 0, 0, 0, NULL, &dom_person,
     "who gives it: one of the cohort's trainers (default: you when you train it, else its only trainer)"},
    {"checkin_secret", DT_TEXT, F_RO | F_HIDDEN, 0, 0, NULL, NULL, "the key of its check-in codes (never shown)"},
    {"marked_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when a trainer last took its attendance"},
    {"marked_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who did"},
};

static const dom_filter aFilter[] = {
    {"cohort", FILT_INT, &dom_cohort, "cohort_id = ?", "sessions of this cohort", NULL},
    {"institution", FILT_INT, &dom_institution,
     "cohort_id IN (SELECT c.id FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE p.institution_id = ?)",
     "sessions of this institution's cohorts", NULL},
    {"trainer", FILT_INT, &dom_person, "cohort_id IN (SELECT owner_id FROM cohorts_trainers WHERE value = ?)",
     "sessions of the cohorts this person trains", NULL},
    {"learner", FILT_INT, &dom_person,
     "cohort_id IN (SELECT cohort_id FROM enrollments WHERE person_id = ? AND status <> 'applied')",
     "sessions of the cohorts this person learns in", NULL},
    {"given_by", FILT_INT, &dom_person, "trainer_id = ?", "sessions this person gives", NULL},
    {"date", FILT_DATE, NULL, "date = ?", "sessions on this day", NULL},
    {"from", FILT_DATE, NULL, "date >= ?", "sessions on or after this day", NULL},
    {"to", FILT_DATE, NULL, "date <= ?", "sessions on or before this day", NULL},
};

static const dom_parent aParent[] = {{"cohort_id", 0, 0}};

dom_entity dom_training_session = {
    "training_session", "training_sessions", "What a cohort is taught on a day, by whom, where, and which skills.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    session_check, NULL, NULL, NULL, 0,
    .apRule = {&trn_rule_session_read, &trn_rule_session_read, &trn_rule_session_write, &trn_rule_session_write,
               &trn_rule_session_write},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "learner"},
    .aParent = aParent,
    .nParent = sizeof aParent / sizeof aParent[0],
    .flags = DOM_EXPORT,
    .zTag = "attendance",
};

static const char zSessionFacts[] =
    "SELECT c.program_id, p.institution_id FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE c.id = $1";

int att_session_load(dom_ctx *c, int64_t id, att_session *p, gerr *e) {
  memset(p, 0, sizeof *p);
  if (dom_get(c, &dom_training_session, id, &p->r, e)) return -1;
  p->idCohort = dom_v(&p->r, "cohort_id")->i;
  p->zDate = dom_v(&p->r, "date")->z;
  if (att_times_of(p->zDate, dom_v(&p->r, "start_time")->z, dom_v(&p->r, "end_time")->z, &p->t))
    return gerr_set(e, GERR_INTERNAL, NULL, "session %lld has no valid day and times", (long long)id);
  db_stmt *s = db_prepare(c->pDb, zSessionFacts, e);
  if (!s) return -1;
  db_bind_int(s, 1, p->idCohort);
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    p->idProgram = db_col_int(s, 0);
    p->idInstitution = db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  return rc == DB_ROW ? 0 : gerr_set(e, GERR_INTERNAL, NULL, "session %lld has no cohort", (long long)id);
}

int att_after_day(const dom_ctx *c, const att_session *p) { return c->now >= p->t.tDay + 86400; }
