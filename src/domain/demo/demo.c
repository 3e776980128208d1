/* demo.c: a deterministic (for a seed and a year), realistic demo region: a region with prefectures,
 * counties and townships; a vocational college per prefecture and a training
 * centre per county; programs such as modern pastry-making; cohorts of about
 * 40 with trainers; learners with Chinese and Uyghur names, one to three
 * enrollments each (multi-skill learning), statuses that follow the cohort
 * dates (terms from three years ago to next spring, so that cohorts run
 * today whenever it is made; the demo trainer and learner are in one of
 * those). The structure goes through the validated domain operations; the
 * bulk (learners and enrollments) is inserted directly, with values built
 * valid by construction, so that a million learners take seconds. */
#include "domain/demo/demo.h"
#include "domain/registry/person.h"
#include "domain/engine/audit.h"
#include "domain/demo/comp_demo.h"
#include "domain/demo/training_demo.h"
#include "domain/training/training.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: small, fast, and the same everywhere for the same seed. */
typedef struct rng { uint64_t s; } rng;
static uint64_t rng_next(rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static int rng_below(rng *r, int n) { return (int)(rng_next(r) % (uint64_t)n); }
#define PICK(r, a) (a[rng_below(r, (int)(sizeof a / sizeof a[0]))])

static const char *const azPrefecture[] = {"北原州", "南湖州", "西岭州", "东川州"};
/* one stem a county (four prefectures of three): no two counties, and no two training centres, share a name */
static const char *const azCountyStem[] = {"清河", "石泉", "红柳", "白杨", "金沙", "绿洲",
                                           "天池", "玉河", "柳园", "温泉", "沙湾", "榆树"};
static const char *const azTownStem[] = {"新华", "光明", "团结", "幸福", "和平", "丰收", "友谊", "阳光", "春风"};

static const struct {
  const char *zTitle, *zIsco;
  int hours, level;
  const char *azSkill[4];
} aProgram[] = {
    {"Modern pastry-making", "7512", 480, 3, {"dough and laminating", "cake decoration", "food hygiene", "costing"}},
    {"Chinese and Uyghur cuisine", "5120", 600, 3, {"knife skills", "nang baking", "hot kitchen", "food hygiene"}},
    {"Electrical installation", "7411", 720, 3, {"wiring", "electrical safety", "reading drawings", NULL}},
    {"Motor vehicle repair", "7231", 800, 4, {"engine diagnostics", "brakes and suspension", "electrics", NULL}},
    {"Garment making", "7533", 400, 2, {"pattern cutting", "industrial sewing", "quality control", NULL}},
    {"Hairdressing and beauty", "5141", 360, 2, {"cutting", "colouring", "customer care", NULL}},
    {"Welding", "7212", 640, 3, {"arc welding", "gas welding", "welding safety", NULL}},
    {"E-commerce and live selling", "5244", 240, 2, {"online shop setup", "product photography", "customer service", NULL}},
    {"Elderly and child care", "5322", 480, 3, {"personal care", "first aid", "nutrition", NULL}},
    {"Agricultural machinery", "7233", 560, 3, {"tractor maintenance", "hydraulics", "field machinery", NULL}},
    {"Bricklaying and tiling", "7112", 520, 2, {"bricklaying", "tiling", "site safety", NULL}},
    {"Computer support", "3512", 600, 4, {"PC assembly", "networking", "office software", NULL}},
    {"Carpet and textile weaving", "7318", 420, 2, {"hand knotting", "dyeing", "design", NULL}},
    {"Fruit processing and drying", "7514", 300, 2, {"drying", "grading", "food hygiene", NULL}},
};
#define NPROGRAM ((int)(sizeof aProgram / sizeof aProgram[0]))

static const char *const azHanFamily[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                          "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const azHanGiven1[] = {"小", "建", "丽", "志", "海", "玉", "春", "明", "文", "国", "秀", "晓"};
static const char *const azHanGiven2[] = {"明", "华", "芳", "强", "娟", "军", "静", "磊", "霞", "勇", "燕", "杰"};
static const char *const azUyMale[] = {"ئەخمەت", "ئابدۇللا", "مۇھەممەت", "ئەركىن", "ياسىن", "ئالىم", "تۇرسۇن", "نۇرمەمەت"};
static const char *const azUyFemale[] = {"مەريەم", "گۈلنار", "ئايگۈل", "دىلنۇر", "پاتىگۈل", "زۆھرە", "ئامىنە", "رەيھان"};
static const char *const azUyFamily[] = {"تۇرسۇن", "ئابلىز", "قادىر", "ھەسەن", "ئىمىن", "يۈسۈپ", "ئوسمان", "مامۇت"};

static const char zCountAreas[] = "SELECT (SELECT count(*) FROM areas) + (SELECT count(*) FROM persons)";

static const char zInsertEnrollment[] =
    "INSERT INTO enrollments (version, created_at, updated_at, person_id, cohort_id, status, consent_at, "
    "consent_by, status_at, withdrawn_at, withdrawal_reason) VALUES (1, $1, $1, $2, $3, $4, $5, 'demo', $6, $7, $8)";

/* Creates one record through the validated path; returns its id or -1. */
static int64_t make(dom_ctx *c, const char *zEnt, dom_rec *r, gerr *e) {
  dom_rec out;
  r->pEnt = dom_entity_find(zEnt);
  if (dom_create(c, r->pEnt, r, &out, e)) return -1;
  return out.id;
}

static int64_t make_area(dom_ctx *c, const char *zCode, const char *zName, const char *zLevel, int64_t idParent,
                         gerr *e) {
  dom_rec r;
  dom_rec_init(&r, dom_entity_find("area"));
  dom_set_text(&r, "code", zCode);
  dom_set_text(&r, "name", zName);
  dom_set_text(&r, "level", zLevel);
  if (idParent) dom_set_int(&r, "parent_id", idParent);
  return make(c, "area", &r, e);
}

typedef struct demo_cohort {
  int64_t id;
  int iProgram;
  int nTaken, nCap;
  int32_t startDay, endDay;
} demo_cohort;

/* Date n days after 1970-01-01 as YYYY-MM-DD (civil from days). */
static void day_text(int32_t n, char *z, size_t nz) {
  int32_t zd = n + 719468;
  int32_t era = (zd >= 0 ? zd : zd - 146096) / 146097;
  int32_t doe = zd - era * 146097;
  int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int32_t y = yoe + era * 400;
  int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int32_t mp = (5 * doy + 2) / 153;
  int32_t d = doy - (153 * mp + 2) / 5 + 1;
  int32_t m = mp + (mp < 10 ? 3 : -9);
  snprintf(z, nz, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static int make_learner(dom_ctx *c, rng *g, const char *zSourced, int64_t idHome, int64_t *pId, gerr *e) {
  dom_rec r;
  dom_rec_init(&r, dom_entity_find("person"));
  int bFemale = rng_below(g, 100) < 48;
  char zPhone[24], zBirth[16];
  if (rng_below(g, 100) < 55) {
    dom_set_text(&r, "family_name", PICK(g, azUyFamily));
    dom_set_text(&r, "given_name", bFemale ? PICK(g, azUyFemale) : PICK(g, azUyMale));
  } else {
    dom_set_text(&r, "family_name", PICK(g, azHanFamily));
    dom_set_text(&r, "given_name", arena_printf(c->pAr, "%s%s", PICK(g, azHanGiven1), PICK(g, azHanGiven2)));
  }
  if (rng_below(g, 100) < 95) dom_set_text(&r, "sex", bFemale ? "female" : "male");
  if (rng_below(g, 100) < 90) {
    snprintf(zBirth, sizeof zBirth, "%04d-%02d-%02d", 1985 + rng_below(g, 24), 1 + rng_below(g, 12), 1 + rng_below(g, 28));
    dom_set_text(&r, "birth_date", arena_strdup(c->pAr, zBirth));
  }
  snprintf(zPhone, sizeof zPhone, "1%02d%08d", 30 + rng_below(g, 60), rng_below(g, 100000000));
  dom_set_text(&r, "sourced_id", zSourced);
  dom_set_text(&r, "phone", arena_strdup(c->pAr, zPhone));
  dom_set_int(&r, "home_area_id", idHome);
  person_set_keys(c, &r);
  if (dom_insert_raw(c, &r, e)) return -1;
  *pId = r.id;
  return 0;
}

/* Picks the status of an enrollment from where its cohort stands today. */
static const char *pick_status(rng *g, const demo_cohort *k, int32_t today) {
  int x = rng_below(g, 100);
  if (k->endDay < today) return x < 84 ? "completed" : x < 93 ? "not_completed" : "withdrawn";
  if (k->startDay <= today) return x < 92 ? "enrolled" : "withdrawn";
  return x < 60 ? "enrolled" : "applied";
}

static const char *const azReason[] = {"personal", "health", "family", "work", "moved", "program_unsuitable", NULL};

/* bEnrolled: enrolled whatever the dice say (the demo learner's current cohort). */
static int make_enrollment(dom_ctx *c, rng *g, int64_t idPerson, demo_cohort *k, int32_t today, int bEnrolled, gerr *e) {
  const char *zStatus = pick_status(g, k, today);
  if (bEnrolled) zStatus = "enrolled";
  int bSeat = strcmp(zStatus, "withdrawn") != 0 && strcmp(zStatus, "applied") != 0;
  if (bSeat) k->nTaken++;
  int64_t tConsent = (int64_t)(k->startDay - 30 - rng_below(g, 60)) * 86400 + 36000;
  int64_t tStatus = bSeat && k->endDay < today ? (int64_t)k->endDay * 86400 + 43200 : tConsent;
  int bWithdrawn = strcmp(zStatus, "withdrawn") == 0;
  db_stmt *s = db_prepare(c->pDb, zInsertEnrollment, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->now);
  db_bind_int(s, 2, idPerson);
  db_bind_int(s, 3, k->id);
  db_bind_text(s, 4, zStatus);
  db_bind_int(s, 5, tConsent);
  if (bWithdrawn) tStatus = tConsent + 86400 * (1 + rng_below(g, 60));
  db_bind_int(s, 6, tStatus);
  db_bind_int_or_null(s, 7, tStatus, !bWithdrawn);
  db_bind_text(s, 8, bWithdrawn && rng_below(g, 2) ? azReason[rng_below(g, 6)] : NULL);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int demo_generate(dom_ctx *c, int64_t nLearner, uint64_t seed, const comp_demo_spec *pExtra, demo_stats *st,
                  void (*pProgress)(int64_t nDone, int64_t nTotal), gerr *e) {
  rng g = {seed};
  memset(st, 0, sizeof *st);
  int64_t n = 0;
  if (db_query_int(c->pDb, zCountAreas, 0, 0, &n, e) == DB_ERROR) return -1;
  if (n > 0) return gerr_set(e, GERR_CONFLICT, NULL, "the database already holds data; the demo needs an empty one");
  arena *pMain = c->pAr;
  arena tmp;
  arena_init(&tmp);
  char zToday[16];
  time_today(zToday, sizeof zToday);
  int32_t today = 0;
  text_is_date(zToday, &today);
  int yearNow = (zToday[0] - '0') * 1000 + (zToday[1] - '0') * 100 + (zToday[2] - '0') * 10 + (zToday[3] - '0');
  int nPref = (int)(sizeof azPrefecture / sizeof azPrefecture[0]);
  int64_t aTown[64];
  int nTown = 0;
  int64_t aInst[64];
  int nInst = 0;
  int64_t idFirstLearner = 0, idFirstTrainer = 0;
  demo_cohort *aCohort = NULL;
  int64_t *aTrainer = NULL;
  if (db_begin(c->pDb, e)) return -1;
  const dom_entity *pEnrollment = dom_entity_find("enrollment");   /* written with its own SQL: noted at the end */
  int64_t idEnrollmentBefore = 0;
  if (dom_max_id(c, pEnrollment, &idEnrollmentBefore, e)) goto fail;
  int64_t idRegion = make_area(c, "65", "天山示范区 Tianshan Demo Region", "region", 0, e);
  if (idRegion < 0) goto fail;
  st->nArea++;
  for (int p = 0; p < nPref; p++) {
    char zCode[64];
    snprintf(zCode, sizeof zCode, "65%02d", p + 1);
    int64_t idPref = make_area(c, arena_strdup(pMain, zCode), azPrefecture[p], "prefecture", idRegion, e);
    if (idPref < 0) goto fail;
    st->nArea++;
    dom_rec r;
    dom_rec_init(&r, dom_entity_find("institution"));
    dom_set_text(&r, "code", arena_printf(pMain, "VC%02d", p + 1));
    dom_set_text(&r, "name", arena_printf(pMain, "%s职业技术学院 Vocational College", azPrefecture[p]));
    dom_set_text(&r, "kind", "vocational_college");
    dom_set_int(&r, "area_id", idPref);
    dom_set_text(&r, "phone", arena_printf(pMain, "0998-%07d", 1000000 + p));
    if ((aInst[nInst++] = make(c, "institution", &r, e)) < 0) goto fail;
    for (int k = 0; k < 3; k++) {
      const char *zCounty = azCountyStem[(p * 3 + k) % (int)(sizeof azCountyStem / sizeof azCountyStem[0])];
      snprintf(zCode, sizeof zCode, "65%02d%02d", p + 1, k + 1);
      int64_t idCounty = make_area(c, arena_strdup(pMain, zCode), arena_printf(pMain, "%s县", zCounty), "county", idPref, e);
      if (idCounty < 0) goto fail;
      st->nArea++;
      dom_rec_init(&r, dom_entity_find("institution"));
      dom_set_text(&r, "code", arena_printf(pMain, "TC%02d%02d", p + 1, k + 1));
      dom_set_text(&r, "name", arena_printf(pMain, "%s县职业技能培训中心 Training Centre", zCounty));
      dom_set_text(&r, "kind", "training_centre");
      dom_set_int(&r, "area_id", idCounty);
      if ((aInst[nInst++] = make(c, "institution", &r, e)) < 0) goto fail;
      for (int t = 0; t < 3; t++) {
        snprintf(zCode, sizeof zCode, "65%02d%02d%03d", p + 1, k + 1, t + 1);
        const char *zKind = t == 0 ? "镇" : "乡";
        int64_t idTown = make_area(c, arena_strdup(pMain, zCode),
                                   arena_printf(pMain, "%s%s", azTownStem[(p + k + t) % 9], zKind), "township", idCounty, e);
        if (idTown < 0) goto fail;
        st->nArea++;
        aTown[nTown++] = idTown;
      }
    }
  }
  /* programs: each institution offers five of the catalogue */
  int64_t aProg[64 * 5];
  int aProgKind[64 * 5];
  int nProg = 0;
  for (int i = 0; i < nInst; i++) {
    for (int k = 0; k < 5; k++) {
      int iP = (i * 3 + k * 2) % NPROGRAM;
      dom_rec r;
      dom_rec_init(&r, dom_entity_find("program"));
      dom_set_int(&r, "institution_id", aInst[i]);
      dom_set_text(&r, "title", aProgram[iP].zTitle);
      dom_set_text(&r, "isco_code", aProgram[iP].zIsco);
      dom_set_int(&r, "hours", aProgram[iP].hours);
      dom_set_int(&r, "level", aProgram[iP].level);
      dom_val *v = dom_vm(&r, "skills");
      v->bSet = 1;
      v->az = arena_alloc(pMain, 4 * sizeof *v->az);
      for (int j = 0; j < 4 && aProgram[iP].azSkill[j]; j++) v->az[v->n++] = aProgram[iP].azSkill[j];
      int64_t nCap = nLearner * 3 / 2 / (nInst * 5) + 40;
      dom_set_int(&r, "capacity", nCap > 100000 ? 100000 : nCap);
      aProgKind[nProg] = iP;
      if ((aProg[nProg++] = make(c, "program", &r, e)) < 0) goto fail;
    }
  }
  st->nInstitution = nInst;
  st->nProgram = nProg;
  /* cohorts of about 40: enough for 1.45 enrollments per learner */
  int64_t nCohort = (nLearner * 145 / 100) / 36 + nProg;
  int64_t nTrainer = nCohort / 3 + 1;
  aCohort = g_calloc((size_t)nCohort, sizeof *aCohort);
  aTrainer = g_calloc((size_t)nTrainer, sizeof *aTrainer);
  c->pAr = &tmp;
  for (int64_t i = 0; i < nTrainer; i++) {
    char zId[32];
    snprintf(zId, sizeof zId, "T%06lld", (long long)i + 1);
    if (make_learner(c, &g, zId, aTown[rng_below(&g, nTown)], &aTrainer[i], e)) goto fail;
    if (i == 0) idFirstTrainer = aTrainer[i];
    arena_reset(&tmp);
  }
  st->nTrainer = nTrainer;
  static const int aTermMonth[] = {3, 9};
  int64_t iNow = 0;   /* 1 + the index of the cohort the demo trainer and learner are in today */
  for (int64_t i = 0; i < nCohort; i++) {
    demo_cohort *k = &aCohort[i];
    int iTerm = (int)(i % 9);                 /* spring three years ago .. next spring */
    int iProg = (int)((i / 9) % nProg);
    int year = yearNow - 3 + iTerm / 2, month = aTermMonth[iTerm % 2];
    char zStart[16], zEnd[40];
    snprintf(zStart, sizeof zStart, "%04d-%02d-01", year, month);
    text_is_date(zStart, &k->startDay);
    k->endDay = k->startDay + aProgram[aProgKind[iProg]].hours / 4 + 30;
    day_text(k->endDay, zEnd, sizeof zEnd);
    k->iProgram = iProg;
    k->nCap = 45;
    dom_rec r;
    dom_rec_init(&r, dom_entity_find("cohort"));
    dom_set_int(&r, "program_id", aProg[iProg]);
    dom_set_text(&r, "name", arena_printf(&tmp, "%d %s #%lld", year, month == 3 ? "spring" : "autumn",
                                          (long long)(i / (nProg * 9) + 1)));
    dom_set_text(&r, "start_date", zStart);
    dom_set_text(&r, "end_date", zEnd);
    dom_set_int(&r, "capacity", k->nCap);
    dom_val *v = dom_vm(&r, "trainers");
    v->bSet = 1;
    v->n = 1;
    v->ai = arena_alloc(&tmp, 2 * sizeof *v->ai);
    v->ai[0] = aTrainer[i % nTrainer];
    /* the demo trainer (T000001) also trains the first cohort that runs
     * today, so their day has sessions (and the demo learner learns in it) */
    if (!iNow && k->startDay <= today && today <= k->endDay) {
      if (v->ai[0] != aTrainer[0]) v->ai[v->n++] = aTrainer[0];
      iNow = i + 1;
    }
    r.pEnt = dom_entity_find("cohort");
    if (dom_insert_raw(c, &r, e)) goto fail;
    k->id = r.id;
    arena_reset(&tmp);
  }
  st->nCohort = nCohort;
  /* learners and their enrollments */
  for (int64_t i = 1; i <= nLearner; i++) {
    int64_t idPerson;
    char zId[32];
    snprintf(zId, sizeof zId, "L%07lld", (long long)i);
    if (make_learner(c, &g, zId, aTown[rng_below(&g, nTown)], &idPerson, e)) goto fail;
    if (i == 1) idFirstLearner = idPerson;
    int nEnroll = 1 + (rng_below(&g, 100) < 30) + (rng_below(&g, 100) < 10);
    int64_t aUsed[3];
    for (int j = 0; j < nEnroll; j++) {
      int64_t x = (int64_t)(rng_next(&g) % (uint64_t)nCohort);
      int bNow = i == 1 && j == 0 && iNow > 0;   /* the demo learner (L0000001): enrolled in today's cohort */
      if (bNow) x = iNow - 1;
      for (int64_t probe = 0; !bNow && probe < nCohort; probe++, x = (x + 1) % nCohort) {
        int bDup = 0;
        for (int u = 0; u < j; u++) bDup |= aUsed[u] == x;
        if (!bDup && aCohort[x].nTaken < aCohort[x].nCap) break;
      }
      aUsed[j] = x;
      if (aCohort[x].nTaken >= aCohort[x].nCap) break;  /* every cohort is full */
      if (make_enrollment(c, &g, idPerson, &aCohort[x], today, bNow, e)) goto fail;
      st->nEnrollment++;
    }
    st->nLearner++;
    arena_reset(&tmp);
    if (pProgress && i % 50000 == 0) pProgress(i, nLearner);
  }
  c->pAr = pMain;
  /* the region's skills competition over the years: growing, the latest in marking */
  if (nLearner >= 1000 || pExtra) {
    static const comp_demo_spec aEdition[] = {
        {-4, 7, 120, 20, 3, "published", 100}, {-3, 9, 180, 20, 3, "published", 100},
        {-2, 11, 250, 20, 3, "published", 100}, {-1, 12, 300, 20, 3, "published", 100},
        {0, 12, 320, 20, 3, "marking", 60},
    };   /* years before this one */
    comp_demo_people who = {idRegion, aInst, nInst, idFirstLearner, nLearner, idFirstTrainer, nTrainer};
    uint64_t s = seed ^ 0xC0FFEE;
    int64_t idEd;
    for (size_t k = 0; nLearner >= 1000 && k < sizeof aEdition / sizeof aEdition[0]; k++) {
      comp_demo_spec ed = aEdition[k];
      ed.year += yearNow;
      if (comp_demo_edition(c, &s, &ed, &who, &idEd, e)) goto fail;
      st->nEdition++;
    }
    if (pExtra) {
      if (comp_demo_edition(c, &s, pExtra, &who, &idEd, e)) goto fail;
      st->nEdition++;
      st->idExtraEdition = idEd;
    }
  }
  if (training_demo(c, &(training_demo_stats){0, 0}, e)) goto fail;   /* sessions and attendance */
  if (asmt_demo(c, seed, e)) goto fail;   /* assessments and awards: assessment_demo.c */
  {
    char zSummary[200], zDigest[AUDIT_HEX];
    int nSummary = snprintf(zSummary, sizeof zSummary, "demo seed=%llu learners=%lld enrollments=%lld",
                     (unsigned long long)seed, (long long)st->nLearner, (long long)st->nEnrollment);
    audit_digest_bytes(zSummary, (size_t)nSummary, zDigest);
    if (audit_note_after(c, pEnrollment, idEnrollmentBefore, e)) goto fail;
    if (audit_append(c, "demo", "database", 0, zDigest, e)) goto fail;
  }
  if (db_commit(c->pDb, e)) goto out;
  free(aCohort);
  free(aTrainer);
  arena_free(&tmp);
  return 0;
fail:
  db_rollback(c->pDb);
out:
  c->pAr = pMain;
  free(aCohort);
  free(aTrainer);
  arena_free(&tmp);
  return -1;
}
