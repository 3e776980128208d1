/* assessment_demo.c: assessments and awards for some of the demo region's
 * cohorts. For the first finished cohort of up to four programs: the
 * program's skills become units of competency (three performance criteria
 * each, evidence current for 24 months), each unit is assessed on the
 * cohort's last day by its trainer, with a task sheet (PDF) per learner and
 * a photo of the group's work (one PNG, stored once for all), mostly
 * competent; a second trainer double-marks a few learners of the first
 * unit; one learner appeals a decision and the institution dismisses it.
 * The awards follow as they would in use. Everything goes through the
 * training module's own operations (validated, audited), acting as guild
 * itself, inside the demo's transaction; the same seed gives the same. */
#include "domain/training/training.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

#define DEMO_COHORTS 4
#define DEMO_UNITS 4
#define DEMO_LEARNERS 60        /* per cohort, at most */
#define DEMO_SECOND_MARKED 5    /* learners of the first unit marked a second time */

extern dom_entity dom_cohort;

typedef struct demo_rng { uint64_t s; } demo_rng;
static int below(demo_rng *r, int n) {   /* splitmix64 */
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (int)((z ^ (z >> 31)) % (uint64_t)n);
}

static const char *const azCriterion[] = {
    "Plans the task and prepares the tools, materials and workplace",
    "Carries out the task to the standard the workplace expects",
    "Works safely, checks the result and leaves the workplace clean",
};
static const char *const azMethod[] = {"observation", "practical_task", "oral_questions", "portfolio"};

/* a 1 x 1 PNG: the group's photo, the same bytes for every learner */
static const unsigned char aPhoto[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x91, 0x62, 0x04, 0x00, 0x03, 0x56, 0x01, 0x5f, 0xe8,
    0x17, 0x84, 0x52, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* the first finished cohort of each program, with a trainer */
static const char zCohorts[] =
    "SELECT c.id, c.program_id, c.end_date, (SELECT min(value) FROM cohorts_trainers WHERE owner_id = c.id) FROM "
    "cohorts c WHERE c.end_date < $1 AND EXISTS (SELECT 1 FROM cohorts_trainers t WHERE t.owner_id = c.id) AND "
    "c.id = (SELECT min(k.id) FROM cohorts k WHERE k.program_id = c.program_id AND k.end_date < $1) ORDER BY c.id "
    "LIMIT 4";
static const char zSkills[] = "SELECT value FROM programs_skills WHERE owner_id = $1 ORDER BY pos LIMIT 4";
static const char zLearners[] =
    "SELECT person_id FROM enrollments WHERE cohort_id = $1 AND status IN ('enrolled', 'completed', "
    "'not_completed') ORDER BY person_id LIMIT 60";
static const char zOtherTrainer[] = "SELECT min(value) FROM cohorts_trainers WHERE value <> $1";

typedef struct demo_cohort {
  int64_t id, idProgram, idTrainer, idSecond;
  char zEnd[16];
  int64_t aLearner[DEMO_LEARNERS];
  int nLearner;
} demo_cohort;

static int64_t make(dom_ctx *c, dom_rec *r, gerr *e) {
  dom_rec out;
  return dom_create(c, r->pEnt, r, &out, e) ? -1 : out.id;
}

/* The program's skills as units, with their criteria: ids into aUnit,
 * aaCrit. */
static int make_units(dom_ctx *c, const demo_cohort *k, int64_t *aUnit, int64_t aaCrit[][3], int *pn, gerr *e) {
  const char *azSkill[DEMO_UNITS];
  int n = 0, rc;
  db_stmt *s = db_prepare(c->pDb, zSkills, e);
  if (!s) return -1;
  db_bind_int(s, 1, k->idProgram);
  while ((rc = db_step(s, e)) == DB_ROW && n < DEMO_UNITS) azSkill[n++] = arena_strdup(c->pAr, db_col_text(s, 0));
  db_done(s);
  if (rc == DB_ERROR) return -1;
  dom_rec r;
  dom_rec_init(&r, &dom_assessment_setting);
  dom_set_int(&r, "program_id", k->idProgram);
  dom_set_int(&r, "currency_months", 24);
  if (make(c, &r, e) < 0) return -1;
  for (int u = 0; u < n; u++) {
    dom_rec_init(&r, &dom_unit_of_competency);
    dom_set_int(&r, "program_id", k->idProgram);
    dom_set_text(&r, "code", arena_printf(c->pAr, "U%d", u + 1));
    dom_set_text(&r, "title", azSkill[u]);
    if ((aUnit[u] = make(c, &r, e)) < 0) return -1;
    for (int j = 0; j < 3; j++) {
      dom_rec_init(&r, &dom_performance_criterion);
      dom_set_int(&r, "unit_id", aUnit[u]);
      dom_set_text(&r, "code", arena_printf(c->pAr, "PC%d", j + 1));
      dom_set_text(&r, "text", azCriterion[j]);
      if ((aaCrit[u][j] = make(c, &r, e)) < 0) return -1;
    }
  }
  *pn = n;
  return 0;
}

static int64_t make_event(dom_ctx *c, const demo_cohort *k, int64_t idUnit, int64_t idAssessor, int64_t idFirst,
                          const char *zMethod, gerr *e) {
  dom_rec r;
  dom_rec_init(&r, &dom_assessment);
  dom_set_int(&r, "cohort_id", k->id);
  dom_set_int(&r, "unit_id", idUnit);
  dom_set_int(&r, "assessor_id", idAssessor);
  dom_set_text(&r, "date", k->zEnd);
  dom_set_text(&r, "method", zMethod);
  if (idFirst) dom_set_int(&r, "second_marking_of", idFirst);
  return make(c, &r, e);
}

/* Decides learner p on unit u's three criteria in event idEvent (aOut: the
 * outcomes given, 0 competent); with aSame, as aSame says but for a rare
 * disagreement. */
static int decide(dom_ctx *c, demo_rng *g, int64_t idEvent, int64_t idPerson, const int64_t *aCrit, const int *aSame,
                  int *aOut, asmt_outcome *o, gerr *e) {
  asmt_decision a[3];
  for (int j = 0; j < 3; j++) {
    int bNyc = aSame ? (aSame[j] ^ (below(g, 100) < 10)) : below(g, 100) < 12;
    aOut[j] = bNyc;
    a[j] = (asmt_decision){aCrit[j], bNyc ? "not_yet_competent" : "competent", {1, 1, 1, 1}};
  }
  return asmt_record(c, idEvent, idPerson, a, 3, o, e);
}

static int add_evidence(dom_ctx *c, int64_t idEvent, int64_t idPerson, int u, int bPhoto, gerr *e) {
  dom_rec item;
  char zPdf[160];
  int n = snprintf(zPdf, sizeof zPdf, "%%PDF-1.4\n%% guild demo: task sheet of learner %lld, unit U%d\n%%%%EOF\n",
                   (long long)idPerson, u + 1);
  if (asmt_evidence_add(c, idEvent, idPerson, arena_printf(c->pAr, "task-sheet-U%d.pdf", u + 1), "application/pdf",
                        NULL, zPdf, (size_t)n, &item, e))
    return -1;
  return bPhoto ? asmt_evidence_add(c, idEvent, idPerson, "group-work.png", "image/png", NULL, aPhoto, sizeof aPhoto,
                                    &item, e)
                : 0;
}

/* The cohort's second trainer (another trainer of the region, added). */
static int add_second_trainer(dom_ctx *c, demo_cohort *k, gerr *e) {
  if (db_query_int(c->pDb, zOtherTrainer, 1, k->idTrainer, &k->idSecond, e) == DB_ERROR) return -1;
  if (!k->idSecond) return 0;
  dom_rec old, patch, out;
  if (dom_get(c, &dom_cohort, k->id, &old, e)) return -1;
  dom_rec_init(&patch, &dom_cohort);
  dom_val *v = dom_vm(&patch, "trainers");
  v->bSet = 1;
  v->n = 2;
  v->ai = arena_alloc(c->pAr, 2 * sizeof *v->ai);
  v->ai[0] = k->idTrainer;
  v->ai[1] = k->idSecond;
  return dom_update(c, &dom_cohort, k->id, old.version, &patch, &out, e);
}

static int assess_cohort(dom_ctx *c, demo_rng *g, demo_cohort *k, int *pbAppealed, gerr *e) {
  int64_t aUnit[DEMO_UNITS], aaCrit[DEMO_UNITS][3];
  int nUnit = 0;
  if (make_units(c, k, aUnit, aaCrit, &nUnit, e) || add_second_trainer(c, k, e)) return -1;
  for (int u = 0; u < nUnit; u++) {
    int64_t idEvent = make_event(c, k, aUnit[u], k->idTrainer, 0, azMethod[u % 4], e), idSecond = 0;
    if (idEvent < 0) return -1;
    if (u == 0 && k->idSecond && (idSecond = make_event(c, k, aUnit[u], k->idSecond, idEvent, "portfolio", e)) < 0)
      return -1;
    for (int i = 0; i < k->nLearner; i++) {
      int aOut[3], aSecond[3];
      asmt_outcome o, o2;
      if (add_evidence(c, idEvent, k->aLearner[i], u, u == 0, e) ||
          decide(c, g, idEvent, k->aLearner[i], aaCrit[u], NULL, aOut, &o, e))
        return -1;
      if (idSecond && i < DEMO_SECOND_MARKED &&
          decide(c, g, idSecond, k->aLearner[i], aaCrit[u], aOut, aSecond, &o2, e))
        return -1;
      int j = 0;
      while (j < 3 && !aOut[j]) j++;
      if (*pbAppealed || j == 3) continue;
      dom_rec r, out;   /* the learner appeals; the institution dismisses it */
      dom_rec_init(&r, &dom_assessment_appeal);
      dom_set_int(&r, "result_id", o.aResult[j].id);
      dom_set_text(&r, "reason", "evidence_not_considered");
      if (dom_create(c, &dom_assessment_appeal, &r, &out, e) || asmt_appeal_decide(c, out.id, "dismissed", &out, e))
        return -1;
      *pbAppealed = 1;
    }
  }
  return 0;
}

int asmt_demo(dom_ctx *pMain, uint64_t seed, gerr *e) {
  demo_rng g = {seed ^ 0xA55E55ull};
  arena ar;
  arena_init(&ar);
  dom_ctx cc = *pMain, *c = &cc;
  c->pAr = &ar;
  char zToday[16];
  time_today(zToday, sizeof zToday);
  demo_cohort aK[DEMO_COHORTS];
  int nK = 0, rc, bAppealed = 0;
  db_stmt *s = db_prepare(c->pDb, zCohorts, e);
  if (!s) goto fail;
  db_bind_text(s, 1, zToday);
  while ((rc = db_step(s, e)) == DB_ROW && nK < DEMO_COHORTS) {
    demo_cohort *k = &aK[nK++];
    memset(k, 0, sizeof *k);
    k->id = db_col_int(s, 0);
    k->idProgram = db_col_int(s, 1);
    snprintf(k->zEnd, sizeof k->zEnd, "%s", db_col_text(s, 2));
    k->idTrainer = db_col_int(s, 3);
  }
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  for (int i = 0; i < nK; i++) {
    s = db_prepare(c->pDb, zLearners, e);
    if (!s) goto fail;
    db_bind_int(s, 1, aK[i].id);
    while ((rc = db_step(s, e)) == DB_ROW && aK[i].nLearner < DEMO_LEARNERS)
      aK[i].aLearner[aK[i].nLearner++] = db_col_int(s, 0);
    db_done(s);
    if (rc == DB_ERROR || assess_cohort(c, &g, &aK[i], &bAppealed, e)) goto fail;
    arena_reset(&ar);
  }
  arena_free(&ar);
  return 0;
fail:
  arena_free(&ar);
  return -1;
}
