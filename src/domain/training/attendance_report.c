/* attendance_report.c: attendance rates (the formula: attendance.h and
 * attendance_rate.c) per learner of a cohort, overall and per skill of the
 * cohort's program (over the sessions that cover the skill), for the
 * cohort's trainers and staff; the support list (learners below the
 * program's threshold: whom to offer support, never a sanction); and a
 * learner's own attendance. Everything is read first, then written to the
 * document, so a failed read leaves no half-written answer. */
#include "domain/training/att_int.h"
#include "domain/registry/registry.h"
#include <math.h>
#include <string.h>

static const char zCohort[] =
    "SELECT c.name, c.program_id, p.institution_id, p.title FROM cohorts c JOIN programs p ON p.id = c.program_id "
    "WHERE c.id = $1";
static const char zSkills[] = "SELECT value FROM programs_skills WHERE owner_id = $1 ORDER BY pos";
static const char zLearners[] =
    "SELECT e.person_id, e.status, pe.given_name, coalesce(pe.family_name, '') FROM enrollments e "
    "JOIN persons pe ON pe.id = e.person_id WHERE e.cohort_id = $1 AND e.status <> 'applied' "
    "AND ($2 = 0 OR e.person_id = $2) ORDER BY e.person_id";
static const char zSessions[] =
    "SELECT count(*), coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM attendance_marks m WHERE m.training_session_id = "
    "s.id) THEN 1 ELSE 0 END), 0) FROM training_sessions s WHERE s.cohort_id = $1";
static const char zSessionSkills[] =
    "SELECT k.owner_id, k.value FROM training_sessions_skills k JOIN training_sessions s ON s.id = k.owner_id "
    "WHERE s.cohort_id = $1 ORDER BY k.owner_id, k.pos";
static const char zMarks[] =
    "SELECT m.person_id, m.training_session_id, m.status FROM attendance_marks m JOIN training_sessions s "
    "ON s.id = m.training_session_id WHERE s.cohort_id = $1 AND ($2 = 0 OR m.person_id = $2)";
static const char zMine[] = "SELECT cohort_id FROM enrollments WHERE person_id = $1 AND status <> 'applied' ORDER BY cohort_id";
static const char zMyMarks[] =
    "SELECT s.id, s.date, s.start_time, s.end_time, s.topic, m.id, m.status, m.source, m.set_at, m.set_by "
    "FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
    "WHERE m.person_id = $1 AND s.cohort_id = $2 ORDER BY s.date, s.start_time, s.id";

typedef struct learner_rates {
  int64_t person_id;
  const char *zGiven, *zFamily, *zEnrollment;
  att_tally all;
  att_tally *aSkill;   /* by skill of the program */
  int64_t *aCount;     /* marks by status of the set */
} learner_rates;

typedef struct skill_of {
  int64_t session_id;
  int iSkill;
} skill_of;

typedef struct my_mark {
  int64_t session_id, mark_id, set_at;
  const char *zDate, *zStart, *zEnd, *zTopic, *zStatus, *zSource, *zSetBy;
} my_mark;

typedef struct cohort_rates {
  int64_t id, idProgram, idInstitution, nSession, nTaken;
  const char *zName, *zProgram;
  int threshold, bThresholdSet;
  att_status_set st;
  const char **azSkill;
  int nSkill;
  learner_rates *a;
  int n;
  my_mark *aMine;   /* att_mine_doc: the learner's marks */
  int nMine;
} cohort_rates;

static learner_rates *find_learner(cohort_rates *p, int64_t id) {
  int lo = 0, hi = p->n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (p->a[mid].person_id == id) return &p->a[mid];
    if (p->a[mid].person_id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

/* The first entry of session id in a (sorted by session), or -1. */
static int first_skill(const skill_of *a, int n, int64_t id) {
  int lo = 0, hi = n - 1, found = -1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (a[mid].session_id >= id) {
      if (a[mid].session_id == id) found = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return found;
}

static int load_head(dom_ctx *c, int64_t idCohort, cohort_rates *p, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zCohort, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    p->zName = arena_strdup(c->pAr, db_col_text(s, 0));
    p->idProgram = db_col_int(s, 1);
    p->idInstitution = db_col_int(s, 2);
    p->zProgram = arena_strdup(c->pAr, db_col_text(s, 3));
  }
  db_done(s);
  if (rc != DB_ROW) return rc == DB_ERROR ? -1 : gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", "cohort"), GP_I("id", idCohort));
  int nAlloc = 0;
  s = db_prepare(c->pDb, zSkills, e);
  if (!s) return -1;
  db_bind_int(s, 1, p->idProgram);
  while ((rc = db_step(s, e)) == DB_ROW) {
    p->azSkill = att_grow(c->pAr, p->azSkill, p->nSkill, &nAlloc, sizeof *p->azSkill);
    p->azSkill[p->nSkill++] = arena_strdup(c->pAr, db_col_text(s, 0));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  s = db_prepare(c->pDb, zSessions, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  rc = db_step(s, e);
  if (rc == DB_ROW) {
    p->nSession = db_col_int(s, 0);
    p->nTaken = db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  return att_threshold_of(c, p->idProgram, &p->threshold, &p->bThresholdSet, e) ||
                 att_statuses_load(c, p->idInstitution, &p->st, e)
             ? -1
             : 0;
}

static int load_learners(dom_ctx *c, int64_t idCohort, int64_t idPerson, cohort_rates *p, gerr *e) {
  int nAlloc = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zLearners, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  db_bind_int(s, 2, idPerson);
  while ((rc = db_step(s, e)) == DB_ROW) {
    p->a = att_grow(c->pAr, p->a, p->n, &nAlloc, sizeof *p->a);
    learner_rates *x = &p->a[p->n++];
    memset(x, 0, sizeof *x);
    x->person_id = db_col_int(s, 0);
    x->zEnrollment = arena_strdup(c->pAr, db_col_text(s, 1));
    x->zGiven = arena_strdup(c->pAr, db_col_text(s, 2));
    x->zFamily = arena_strdup(c->pAr, db_col_text(s, 3));
    x->aSkill = arena_alloc(c->pAr, (size_t)(p->nSkill + 1) * sizeof *x->aSkill);
    memset(x->aSkill, 0, (size_t)(p->nSkill + 1) * sizeof *x->aSkill);
    x->aCount = arena_alloc(c->pAr, ATT_MAXSTATUS * sizeof *x->aCount);
    memset(x->aCount, 0, ATT_MAXSTATUS * sizeof *x->aCount);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* The sessions' skills as (session, index of the program's skill). */
static int load_session_skills(dom_ctx *c, int64_t idCohort, const cohort_rates *p, skill_of **pa, int *pn,
                               gerr *e) {
  int n = 0, nAlloc = 0, rc;
  skill_of *a = NULL;
  db_stmt *s = db_prepare(c->pDb, zSessionSkills, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  while ((rc = db_step(s, e)) == DB_ROW) {
    const char *z = db_col_text(s, 1);
    int k = 0;
    while (k < p->nSkill && strcmp(p->azSkill[k], z)) k++;
    if (k == p->nSkill) continue;   /* a skill the program no longer lists */
    a = att_grow(c->pAr, a, n, &nAlloc, sizeof *a);
    a[n++] = (skill_of){db_col_int(s, 0), k};
  }
  db_done(s);
  *pa = a;
  *pn = n;
  return rc == DB_ERROR ? -1 : 0;
}

/* Everything about cohort idCohort's rates, for every learner past
 * applying (idPerson 0) or one. No access check: the callers make theirs. */
static int rates_load(dom_ctx *c, int64_t idCohort, int64_t idPerson, cohort_rates *p, gerr *e) {
  memset(p, 0, sizeof *p);
  p->id = idCohort;
  skill_of *aSk;
  int nSk, rc;
  if (load_head(c, idCohort, p, e) || load_learners(c, idCohort, idPerson, p, e) ||
      load_session_skills(c, idCohort, p, &aSk, &nSk, e))
    return -1;
  db_stmt *s = db_prepare(c->pDb, zMarks, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  db_bind_int(s, 2, idPerson);
  while ((rc = db_step(s, e)) == DB_ROW) {
    learner_rates *x = find_learner(p, db_col_int(s, 0));
    const att_status *st = att_status_find(&p->st, db_col_text(s, 2));
    if (!x || !st) continue;
    x->aCount[st - p->st.a]++;
    att_tally_add(&x->all, st->weight, st->bCounts, 1);
    for (int k = first_skill(aSk, nSk, db_col_int(s, 1)); k >= 0 && k < nSk && aSk[k].session_id == db_col_int(s, 1); k++)
      att_tally_add(&x->aSkill[aSk[k].iSkill], st->weight, st->bCounts, 1);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

static void doc_rate(doc_out *d, const att_tally *t) {
  doc_int(d, "counted", t->nCounted);
  doc_num(d, "rate", att_rate(t), 4);
  doc_num(d, "rate_percent", att_rate(t) * 100, 1);
}

static void doc_learner(doc_out *d, const cohort_rates *p, const learner_rates *x, int bFull) {
  doc_object(d, NULL);
  doc_int(d, "person_id", x->person_id);
  doc_text(d, "given_name", x->zGiven);
  doc_text(d, "family_name", x->zFamily[0] ? x->zFamily : NULL);
  doc_text(d, "enrollment_status", x->zEnrollment);
  doc_int(d, "marks", x->all.nMarks);
  doc_int(d, "weight_sum", x->all.nWeight);
  doc_rate(d, &x->all);
  doc_bool(d, "below_threshold", att_below(&x->all, p->threshold));
  doc_object(d, "statuses");
  for (int i = 0; i < p->st.n; i++) doc_int(d, p->st.a[i].zCode, x->aCount[i]);
  doc_end(d);
  if (bFull) {
    doc_array(d, "skills");
    for (int k = 0; k < p->nSkill; k++) {
      doc_object(d, NULL);
      doc_text(d, "skill", p->azSkill[k]);
      doc_rate(d, &x->aSkill[k]);
      doc_end(d);
    }
    doc_end(d);
  }
  doc_end(d);
}

static void doc_head(doc_out *d, const cohort_rates *p) {
  doc_int(d, "cohort_id", p->id);
  doc_text(d, "cohort", p->zName);
  doc_int(d, "program_id", p->idProgram);
  doc_text(d, "program", p->zProgram);
  doc_int(d, "institution_id", p->idInstitution);
  doc_int(d, "threshold", p->threshold);
  doc_text(d, "threshold_source", p->bThresholdSet ? "program" : "default");
  doc_int(d, "sessions", p->nSession);
  doc_int(d, "sessions_with_attendance", p->nTaken);
  att_doc_statuses(d, "statuses", &p->st);
}

int att_cohort_doc(dom_ctx *c, int64_t idCohort, doc_out *d, gerr *e) {
  if (pol_check(c, &trn_rule_attendance, &dom_cohort, idCohort, e)) return -1;
  cohort_rates p;
  if (rates_load(c, idCohort, 0, &p, e)) return -1;
  doc_object(d, NULL);
  doc_head(d, &p);
  doc_array(d, "skills");
  for (int k = 0; k < p.nSkill; k++) doc_text(d, NULL, p.azSkill[k]);
  doc_end(d);
  doc_array(d, "learners");
  for (int i = 0; i < p.n; i++) doc_learner(d, &p, &p.a[i], 1);
  doc_end(d);
  doc_end(d);
  return 0;
}

int att_support_doc(dom_ctx *c, int64_t idCohort, doc_out *d, gerr *e) {
  if (pol_check(c, &trn_rule_attendance, &dom_cohort, idCohort, e)) return -1;
  cohort_rates p;
  if (rates_load(c, idCohort, 0, &p, e)) return -1;
  doc_object(d, NULL);
  doc_head(d, &p);
  doc_text(d, "purpose", "learners whose attendance is below the threshold, to offer support; never a sanction: "
                         "nothing is blocked or penalised, and withdrawal stays free");
  doc_array(d, "learners");
  for (int i = 0; i < p.n; i++)
    if (!strcmp(p.a[i].zEnrollment, "enrolled") && att_below(&p.a[i].all, p.threshold)) doc_learner(d, &p, &p.a[i], 0);
  doc_end(d);
  doc_end(d);
  return 0;
}

static int load_mine(dom_ctx *c, cohort_rates *p, gerr *e) {
  int nAlloc = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zMyMarks, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->idPerson);
  db_bind_int(s, 2, p->id);
  while ((rc = db_step(s, e)) == DB_ROW) {
    p->aMine = att_grow(c->pAr, p->aMine, p->nMine, &nAlloc, sizeof *p->aMine);
    my_mark *m = &p->aMine[p->nMine++];
    m->session_id = db_col_int(s, 0);
    m->zDate = arena_strdup(c->pAr, db_col_text(s, 1));
    m->zStart = arena_strdup(c->pAr, db_col_text(s, 2));
    m->zEnd = arena_strdup(c->pAr, db_col_text(s, 3));
    m->zTopic = arena_strdup(c->pAr, db_col_text(s, 4));
    m->mark_id = db_col_int(s, 5);
    m->zStatus = arena_strdup(c->pAr, db_col_text(s, 6));
    m->zSource = arena_strdup(c->pAr, db_col_text(s, 7));
    m->set_at = db_col_int(s, 8);
    m->zSetBy = arena_strdup(c->pAr, db_col_text(s, 9));
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int att_mine_doc(dom_ctx *c, doc_out *d, gerr *e) {
  if (pol_check_any(c, &trn_rule_own_attendance, e)) return -1;
  cohort_rates *a = NULL;
  int n = 0, nAlloc = 0, rc;
  if (c->idPerson > 0) {
    int64_t *aId = NULL;
    int nId = 0, nIdAlloc = 0;
    db_stmt *s = db_prepare(c->pDb, zMine, e);
    if (!s) return -1;
    db_bind_int(s, 1, c->idPerson);
    while ((rc = db_step(s, e)) == DB_ROW) {
      aId = att_grow(c->pAr, aId, nId, &nIdAlloc, sizeof *aId);
      aId[nId++] = db_col_int(s, 0);
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
    for (int i = 0; i < nId; i++) {
      a = att_grow(c->pAr, a, n, &nAlloc, sizeof *a);
      if (rates_load(c, aId[i], c->idPerson, &a[n], e) || load_mine(c, &a[n], e)) return -1;
      n++;
    }
  }
  doc_object(d, NULL);
  doc_int(d, "person_id", c->idPerson);
  doc_array(d, "cohorts");
  for (int i = 0; i < n; i++) {
    const cohort_rates *p = &a[i];
    doc_object(d, NULL);
    doc_head(d, p);
    doc_array(d, "learners");   /* the learner themself */
    for (int k = 0; k < p->n; k++) doc_learner(d, p, &p->a[k], 1);
    doc_end(d);
    doc_array(d, "marks");
    for (int k = 0; k < p->nMine; k++) {
      const my_mark *m = &p->aMine[k];
      doc_object(d, NULL);
      doc_int(d, "id", m->mark_id);
      doc_int(d, "session_id", m->session_id);
      doc_text(d, "date", m->zDate);
      doc_text(d, "start_time", m->zStart);
      doc_text(d, "end_time", m->zEnd);
      doc_text(d, "topic", m->zTopic);
      att_doc_mark(d, m->zStatus, m->zSource, m->set_at, m->zSetBy);
      doc_end(d);
    }
    doc_end(d);
    doc_end(d);
  }
  doc_end(d);
  doc_end(d);
  return 0;
}
