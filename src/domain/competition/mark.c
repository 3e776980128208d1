/* mark.c: a judge's mark for one aspect of one competitor. Judges enter
 * marks as themselves, only in their categories, never for a competitor of
 * their own institution, only while the edition is in marking and the
 * category is not locked; the value must be one the aspect allows. Each
 * judge's mark is its own row, so two judges never overwrite each other. */
#include "domain/competition/comp.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_competitor, dom_aspect, dom_person, dom_mark;
int64_t comp_part_mark(const char *z);

static const char zContext[] =
    "SELECT p.status, p.institution_id, c.id, CASE WHEN c.locked_at IS NULL THEN 0 ELSE 1 END, e.state, a.kind, "
    "a.max_mark, coalesce(j.institution_id, 0), coalesce(j.id, 0), a.code, c.name "
    "FROM competitors p JOIN categories c ON c.id = p.category_id JOIN editions e ON e.id = c.edition_id "
    "JOIN aspects a ON a.id = $2 JOIN criteria r ON r.id = a.criterion_id AND r.category_id = c.id "
    "LEFT JOIN judges j ON j.category_id = c.id AND j.person_id = $3 WHERE p.id = $1";
static const char zParts[] = "SELECT value FROM aspects_part_marks WHERE owner_id = $1 ORDER BY pos";

/* Checks value (hundredths) against aspect idAspect's rules; names the
 * aspect and the rule on refusal. */
int comp_check_value(dom_ctx *c, int64_t idAspect, const char *zCode, const char *zKind, int64_t maxCenti,
                     int64_t v, gerr *e) {
  if (strcmp(zKind, "judgement") == 0) {
    if (v != 0 && v != 100 && v != 200 && v != 300)
      return gerr_setr(e, GERR_VALIDATION, GR_JUDGEMENT_SCORE, "value", GP_S("aspect", zCode));
    return 0;
  }
  if (v == 0 || v == maxCenti) return 0;
  db_stmt *s = db_prepare(c->pDb, zParts, e);
  if (!s) return -1;
  db_bind_int(s, 1, idAspect);
  int rc, bFound = 0, nParts = 0;
  char zAllowed[200] = "0";
  while ((rc = db_step(s, e)) == DB_ROW) {
    int64_t p = comp_part_mark(db_col_text(s, 0));
    nParts++;
    bFound |= p == v;
    size_t n = strlen(zAllowed);
    snprintf(zAllowed + n, sizeof zAllowed - n, ", %.2f", (double)p / 100);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (bFound) return 0;
  if (!nParts)
    return gerr_setr(e, GERR_VALIDATION, GR_ALL_OR_NOTHING, "value", GP_S("aspect", zCode), GP_C("max", maxCenti));
  return gerr_setr(e, GERR_VALIDATION, GR_PART_MARKS, "value", GP_S("aspect", zCode), GP_S("allowed", zAllowed),
                   GP_C("max", maxCenti));
}

static int mark_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  if (!pOld) {
    if (c->idPerson <= 0)
      return gerr_setr(e, GERR_FORBIDDEN, GR_JUDGES_ONLY, NULL);
    dom_set_int(r, "judge_id", c->idPerson);
  }
  db_stmt *s = db_prepare(c->pDb, zContext, e);
  if (!s) return -1;
  db_bind_int(s, 1, dom_v(r, "competitor_id")->i);
  db_bind_int(s, 2, dom_v(r, "aspect_id")->i);
  db_bind_int(s, 3, dom_v(r, "judge_id")->i);
  int rc = db_step(s, e);
  char zStatus[16] = "", zState[16] = "", zKind[16] = "", zCode[20] = "", zCat[64] = "";
  int64_t idInst = 0, bLocked = 0, maxCenti = 0, idJudgeInst = 0, idJudge = 0, idCategory = 0;
  if (rc == DB_ROW) {
    snprintf(zStatus, sizeof zStatus, "%s", db_col_text(s, 0));
    idInst = db_col_int(s, 1);
    bLocked = db_col_int(s, 3);
    snprintf(zState, sizeof zState, "%s", db_col_text(s, 4));
    snprintf(zKind, sizeof zKind, "%s", db_col_text(s, 5));
    maxCenti = db_col_int(s, 6);
    idJudgeInst = db_col_int(s, 7);
    idJudge = db_col_int(s, 8);
    snprintf(zCode, sizeof zCode, "%s", db_col_text(s, 9));
    idCategory = db_col_int(s, 2);
    snprintf(zCat, sizeof zCat, "%s", db_col_text(s, 10));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE)
    return gerr_setr(e, GERR_VALIDATION, GR_ASPECT_ELSEWHERE, "aspect_id", GP_I("id", dom_v(r, "aspect_id")->i),
                     GP_I("competitor", dom_v(r, "competitor_id")->i));
  if (!idJudge) return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_YOUR_CATEGORY, NULL, GP_S("name", zCat), GP_I("id", idCategory));
  if (idJudgeInst && idJudgeInst == idInst)
    return gerr_setr(e, GERR_FORBIDDEN, GR_OWN_INSTITUTION, "competitor_id", GP_I("institution", idInst));
  if (strcmp(zState, "marking")) return comp_state_refusal(e, "marking", "marking", zState);
  if (bLocked)
    return gerr_setr(e, GERR_CONFLICT, GR_MARKS_LOCKED, "state");
  if (strcmp(zStatus, "entered"))
    return gerr_setr(e, GERR_CONFLICT, GR_WITHDRAWN, "competitor_id", GP_I("id", dom_v(r, "competitor_id")->i));
  return comp_check_value(c, dom_v(r, "aspect_id")->i, zCode, zKind, maxCenti, dom_v(r, "value")->i, e);
}

static const dom_field aField[] = {
    {"competitor_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_competitor, "the competitor"},
    {"aspect_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_aspect, "the aspect"},
    {"judge_id", DT_REF, F_RO, 0, 0, NULL, &dom_person, "the judge (the signed-in judge's person)"},
    {"value", DT_CENTI, F_REQ, 0, 10000, NULL, NULL,
     "measurement: the mark (0, a part mark or the maximum); judgement: the score 0, 1, 2 or 3"},
};
static const dom_filter aFilter[] = {
    {"competitor", FILT_INT, &dom_competitor, "competitor_id = ?", "marks of this competitor", NULL},
    {"category", FILT_INT, NULL, "competitor_id IN (SELECT id FROM competitors WHERE category_id = ?)",
     "marks in this category", NULL},
    {"judge", FILT_INT, &dom_person, "judge_id = ?", "marks entered by this judge", NULL},
};
static const dom_parent aMarkParent[] = {{"competitor_id", 0, 0}};
static const dom_unique aUnique[] = {
    {{"competitor_id", "aspect_id", "judge_id"}, "aspect_id",
     "this judge has already marked this aspect of this competitor: change that mark instead", GR_ALREADY_MARKED},
};
dom_entity dom_mark = {
    "mark", "marks", "A judge's mark for one aspect of one competitor.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    mark_check, NULL, NULL, aUnique, sizeof aUnique / sizeof aUnique[0],
    .apRule = {&comp_rule_marking, &comp_rule_marking, &comp_rule_marking, &comp_rule_marking, NULL},
    .azScopeFilter = {[SCOPE_JUDGE] = "judge"},
    .aParent = aMarkParent,
    .nParent = sizeof aMarkParent / sizeof aMarkParent[0],
    .zTag = "competitions",
    .azSummary = {"List marks (a judge sees their own)", "Read one mark", "Enter a mark, as the signed-in judge", "Change your mark before the lock (If-Match required)", NULL},
};
