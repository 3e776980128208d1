/* comp_demo.c: builds a whole competition edition directly in the tables:
 * categories (real trades, named in English, Chinese and Uyghur) with five
 * weighted criteria (named in the three languages), measurement and judgement aspects,
 * judges (the first is chief), competitors with consent, and marks that
 * follow each competitor's skill, so results look like a real competition. */
#include "domain/demo/comp_demo.h"
#include "domain/engine/audit.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The categories: real trade names, in English, Chinese and Uyghur (one
 * name, as the demo's institutions carry theirs in two scripts). */
static const struct {
  const char *zName, *zIsco;
} aSkill[] = {
    {"Pastry · 糕点制作 · تورت-پېچىنە ياساش", "7512"},
    {"Cooking · 烹饪 · ئاشپەزلىك", "5120"},
    {"Electrical installation · 电气安装 · ئېلېكتر ئورنىتىش", "7411"},
    {"Car mechanics · 汽车维修 · ئاپتوموبىل رېمونتى", "7231"},
    {"Fashion technology · 时装技术 · كىيىم-كېچەك تېخنىكىسى", "7533"},
    {"Hairdressing · 美发 · چاچ ياساش", "5141"},
    {"Welding · 焊接 · كەپشەرلەش", "7212"},
    {"E-commerce · 电子商务 · ئېلېكترونلۇق سودا", "5244"},
    {"Health and social care · 健康和社会照护 · ساغلاملىق ۋە ئىجتىمائىي كۈتۈنۈش", "5322"},
    {"Agricultural machinery · 农业机械 · يېزا ئىگىلىك ماشىنىلىرى", "7233"},
    {"Bricklaying · 砌筑 · خىش تىزىش", "7112"},
    {"IT support · 信息技术支持 · ئۇچۇر تېخنىكىسى مۇلازىمىتى", "3512"},
    {"Carpet weaving · 地毯编织 · گىلەم توقۇش", "7318"},
    {"Fruit processing · 果品加工 · مېۋە پىششىقلاپ ئىشلەش", "7514"},
};
#define NSKILL ((int)(sizeof aSkill / sizeof aSkill[0]))
static const int aWeight[5] = {30, 25, 20, 15, 10};
/* The five criteria, in the three languages, and what their aspects mark
 * (in English: judges read the descriptors of their own scheme). */
static const char *const azCritName[5] = {
    "Work organisation · 工作组织与管理 · خىزمەت تەشكىللەش ۋە باشقۇرۇش",
    "Technique · 操作技术 · مەشغۇلات تېخنىكىسى",
    "Product quality · 作品质量 · مەھسۇلات سۈپىتى",
    "Safety and hygiene · 安全与卫生 · بىخەتەرلىك ۋە تازىلىق",
    "Presentation · 展示与沟通 · كۆرسىتىش ۋە ئالاقە",
};
#define NASPECT_TEXT 4
static const char *const azAspectText[5][NASPECT_TEXT] = {
    {"Workstation set up and kept in order", "Tools and materials prepared before starting", "Time plan followed",
     "Waste sorted and kept to a minimum"},
    {"Methods suited to the task", "Measurements within the tolerance", "Tools handled correctly",
     "Steps done in the right order"},
    {"Finish and appearance", "Dimensions to the specification", "Function tested and working",
     "Consistency across the pieces"},
    {"Protective equipment worn throughout", "Hazards identified and controlled", "Work area left clean and safe",
     "Materials stored and labelled"},
    {"Work presented to the client", "Choices explained clearly", "Records and checklist completed",
     "Questions answered with care"},
};

static const char zEdition[] =
    "INSERT INTO editions (version, created_at, updated_at, year, name, area_id, start_date, end_date, state, "
    "points_per_sd) VALUES (1, $1, $1, $2, $3, $4, $5, $6, $7, 30) RETURNING id";
static const char zCategory[] =
    "INSERT INTO categories (version, created_at, updated_at, edition_id, name, isco_code, locked_at, locked_by) "
    "VALUES (1, $1, $1, $2, $3, $4, $5, $6) RETURNING id";
static const char zCriterion[] =
    "INSERT INTO criteria (version, created_at, updated_at, category_id, code, name, weight) "
    "VALUES (1, $1, $1, $2, $3, $4, $5) RETURNING id";
static const char zAspect[] =
    "INSERT INTO aspects (version, created_at, updated_at, criterion_id, code, description, kind, max_mark) "
    "VALUES (1, $1, $1, $2, $3, $4, $5, $6) RETURNING id";
static const char zDescriptor[] = "INSERT INTO aspects_descriptors (owner_id, pos, value) VALUES ($1, $2, $3)";
static const char zJudge[] =
    "INSERT INTO judges (version, created_at, updated_at, category_id, person_id, institution_id, chief) "
    "VALUES (1, $1, $1, $2, $3, NULL, $4)";
static const char zCompetitor[] =
    "INSERT INTO competitors (version, created_at, updated_at, category_id, person_id, institution_id, status, "
    "consent_at, consent_by) VALUES (1, $1, $1, $2, $3, $4, 'entered', $1, 'demo') RETURNING id";
static const char zMark[] =
    "INSERT INTO marks (version, created_at, updated_at, competitor_id, aspect_id, judge_id, value) "
    "VALUES (1, $1, $1, $2, $3, $4, $5)";
static const char *const azDescriptor[4] = {"below the standard", "meets the standard", "good: above the standard",
                                            "excellent: industry best practice"};

static uint64_t next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static int below(uint64_t *s, int n) { return (int)(next(s) % (uint64_t)n); }

/* Runs an INSERT ... RETURNING id (or plain) with integer/text parameters
 * given as a format: 'i' int64, 's' text, 'n' null. */
static int64_t run(dom_ctx *c, const char *zSql, const char *zFmt, gerr *e, ...) {
  va_list ap;
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  va_start(ap, e);
  for (int i = 0; zFmt[i]; i++) {
    if (zFmt[i] == 'i') db_bind_int(s, i + 1, va_arg(ap, int64_t));
    else if (zFmt[i] == 's') db_bind_text(s, i + 1, va_arg(ap, const char *));
    else db_bind_null(s, i + 1);
  }
  va_end(ap);
  int rc = db_step(s, e);
  int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc == DB_ERROR ? -1 : id;
}

/* The entities whose rows comp_demo_edition writes with its own SQL: the
 * audit log is told of them (audit_note_after) before its entry. */
static const char *const azWritten[] = {"edition", "category", "criterion", "aspect", "judge", "competitor", "mark"};
#define NWRITTEN ((int)(sizeof azWritten / sizeof azWritten[0]))

int comp_demo_edition(dom_ctx *c, uint64_t *pSeed, const comp_demo_spec *sp, const comp_demo_people *who,
                      int64_t *pIdEdition, gerr *e) {
  int64_t aIdBefore[NWRITTEN];
  for (int i = 0; i < NWRITTEN; i++)
    if (dom_max_id(c, dom_entity_find(azWritten[i]), &aIdBefore[i], e)) return -1;
  int bDone = strcmp(sp->zState, "published") == 0;
  char zName[240], zStart[16], zEnd[16];
  snprintf(zName, sizeof zName, "%d regional vocational skills competition · %d年区域职业技能大赛 · %d-يىللىق رايونلۇق كەسپىي ماھارەت مۇسابىقىسى",
           sp->year, sp->year, sp->year);
  snprintf(zStart, sizeof zStart, "%04d-10-12", sp->year);
  snprintf(zEnd, sizeof zEnd, "%04d-10-15", sp->year);
  int64_t idEd = run(c, zEdition, "iisisss", e, c->now, (int64_t)sp->year, zName, who->idArea, zStart, zEnd, sp->zState);
  if (idEd < 0) return -1;
  *pIdEdition = idEd;
  int nPerCrit = sp->nAspect / 5 > 0 ? sp->nAspect / 5 : 1;
  int64_t nextCompetitor = (int64_t)below(pSeed, (int)(who->nLearner > 0 ? who->nLearner : 1));
  for (int k = 0; k < sp->nCategory; k++) {
    char zCat[240];
    if (k < NSKILL) snprintf(zCat, sizeof zCat, "%s", aSkill[k].zName);
    else snprintf(zCat, sizeof zCat, "%s %d", aSkill[k % NSKILL].zName, k / NSKILL + 1);
    int64_t idCat = bDone ? run(c, zCategory, "iissis", e, c->now, idEd, zCat, aSkill[k % NSKILL].zIsco,
                                c->now, "demo")
                          : run(c, zCategory, "iissnn", e, c->now, idEd, zCat, aSkill[k % NSKILL].zIsco);
    if (idCat < 0) return -1;
    /* the scheme: five criteria, their weight spread over their aspects */
    int64_t aAspect[512];
    int aKind[512], aMax[512], nAsp = 0;
    for (int r = 0; r < 5; r++) {
      char zCode[4] = {(char)('A' + r), 0};
      int64_t idCrit = run(c, zCriterion, "iissi", e, c->now, idCat, zCode, azCritName[r], (int64_t)aWeight[r]);
      if (idCrit < 0) return -1;
      int total = aWeight[r] * 100;
      for (int a = 0; a < nPerCrit && nAsp < 512; a++) {
        int max = total / nPerCrit + (a < total % nPerCrit);
        int bJudge = a % 2 == 1;
        char zAsp[16], zDesc[96];
        snprintf(zAsp, sizeof zAsp, "%c%d", 'A' + r, a + 1);
        if (a < NASPECT_TEXT) snprintf(zDesc, sizeof zDesc, "%s", azAspectText[r][a]);
        else snprintf(zDesc, sizeof zDesc, "%s (%d)", azAspectText[r][a % NASPECT_TEXT], a / NASPECT_TEXT + 1);
        int64_t idAsp = run(c, zAspect, "iisssi", e, c->now, idCrit, zAsp, zDesc, bJudge ? "judgement" : "measurement",
                            (int64_t)max);
        if (idAsp < 0) return -1;
        for (int d = 0; bJudge && d < 4; d++)
          if (run(c, zDescriptor, "iis", e, idAsp, (int64_t)d, azDescriptor[d]) < 0) return -1;
        aAspect[nAsp] = idAsp;
        aKind[nAsp] = bJudge;
        aMax[nAsp++] = max;
      }
    }
    int64_t aJudge[16];
    int nJ = sp->nJudge < 16 ? sp->nJudge : 16;
    for (int j = 0; j < nJ; j++) {
      aJudge[j] = who->idFirstJudge + (k * nJ + j) % (who->nJudge > 0 ? who->nJudge : 1);
      if (run(c, zJudge, "iiii", e, c->now, idCat, aJudge[j], (int64_t)(j == 0)) < 0) return -1;
    }
    int nComp = sp->nCompetitor / sp->nCategory + (k < sp->nCompetitor % sp->nCategory);
    for (int p = 0; p < nComp; p++) {
      int64_t idPerson = who->idFirstLearner + (nextCompetitor++ % who->nLearner);
      int64_t idInst = who->aInst[below(pSeed, who->nInst)];
      int64_t idComp = run(c, zCompetitor, "iiii", e, c->now, idCat, idPerson, idInst);
      if (idComp < 0) return -1;
      int skill = 35 + below(pSeed, 60);   /* percent of the best */
      for (int a = 0; a < nAsp; a++) {
        if (!bDone && below(pSeed, 100) >= sp->markedPercent) continue;
        if (aKind[a]) {
          for (int j = 0; j < nJ && j < 3; j++) {
            int score = (skill * 3 + below(pSeed, 60) - 30) / 100;
            score = score < 0 ? 0 : score > 3 ? 3 : score;
            if (run(c, zMark, "iiiii", e, c->now, idComp, aAspect[a], aJudge[j], (int64_t)score * 100) < 0) return -1;
          }
        } else {
          int64_t v = below(pSeed, 100) < skill ? aMax[a] : 0;
          if (run(c, zMark, "iiiii", e, c->now, idComp, aAspect[a], aJudge[0], v) < 0) return -1;
        }
      }
    }
  }
  char zSum[160], zDigest[AUDIT_HEX];
  int n = snprintf(zSum, sizeof zSum, "demo edition %d: %d categories, %d competitors", sp->year, sp->nCategory,
                   sp->nCompetitor);
  audit_digest_bytes(zSum, (size_t)n, zDigest);
  for (int i = 0; i < NWRITTEN; i++)
    if (audit_note_after(c, dom_entity_find(azWritten[i]), aIdBefore[i], e)) return -1;
  return audit_append(c, "demo", "edition", idEd, zDigest, e);
}
