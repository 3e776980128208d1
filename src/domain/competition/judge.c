/* judge.c: judges assigned to categories (one of them the chief judge), with
 * the institution they belong to: a judge never marks a competitor from it
 * (mark.c). So every competitor needs enough judges of other institutions
 * (COMP_JUDGES_PER_JUDGEMENT when the category has a judgement aspect, one
 * otherwise): marking does not start without them, and during marking a
 * judge is added, moved to another institution or removed only when every
 * competitor keeps them. Also the words of a refusal for a judge who acts
 * outside their category (the access policy asks: pol_scope.xWhy). */
#include "domain/competition/comp.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_category, dom_person, dom_institution, dom_judge;

/* A category as its judges' rules need it. */
typedef struct cat_info {
  char zState[16];   /* the edition's */
  char zName[64];
  int bLocked;
} cat_info;

static const char zCategory[] =
    "SELECT e.state, c.name, CASE WHEN c.locked_at IS NULL THEN 0 ELSE 1 END FROM categories c "
    "JOIN editions e ON e.id = c.edition_id WHERE c.id = $1";

static int category_info(dom_ctx *c, int64_t idCategory, cat_info *p, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zCategory, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCategory);
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    snprintf(p->zState, sizeof p->zState, "%s", db_col_text(s, 0));
    snprintf(p->zName, sizeof p->zName, "%s", db_col_text(s, 1));
    p->bLocked = (int)db_col_int(s, 2);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE)
    return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "category_id", GP_S("entity", "category"), GP_I("id", idCategory));
  return 0;
}

/* Runs zSql with two integer parameters; the first column of its first row
 * into *pOut (0 when there is none). DB_ROW, DB_DONE or DB_ERROR. */
static int query_int2(dom_ctx *c, const char *zSql, int64_t a, int64_t b, int64_t *pOut, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return DB_ERROR;
  db_bind_int(s, 1, a);
  db_bind_int(s, 2, b);
  int rc = db_step(s, e);
  *pOut = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc;
}

/* --- enough judges for every competitor ------------------------------------ */

/* Entered competitors with fewer judges not of their own institution than
 * they need, with the category's name, their institution's, how many they
 * have, how many they need and the category's id. $1 the category (or edition); judge $2 (0:
 * none) is counted out, and with $3 = 1 counted back in as a judge of
 * institution $4 (0: of none); $5 the judges a judgement aspect needs. */
#define SHORT_OF_JUDGES(zWhere)                                                                          \
  "SELECT c.name, x.id, i.name, x.n, x.need, x.category_id FROM (SELECT p.id, p.category_id, "          \
  "p.institution_id, "                                                                                     \
  "(SELECT count(*) FROM judges j WHERE j.category_id = p.category_id AND j.id <> $2 "                   \
  "AND (j.institution_id IS NULL OR j.institution_id <> p.institution_id)) "                             \
  "+ CASE WHEN $3 = 1 AND $4 <> p.institution_id THEN 1 ELSE 0 END AS n, "                               \
  "CASE WHEN EXISTS (SELECT 1 FROM criteria r JOIN aspects a ON a.criterion_id = r.id "                  \
  "WHERE r.category_id = p.category_id AND a.kind = 'judgement') THEN $5 ELSE 1 END AS need "            \
  "FROM competitors p WHERE p.status = 'entered' AND " zWhere ") x "                                     \
  "JOIN categories c ON c.id = x.category_id JOIN institutions i ON i.id = x.institution_id "           \
  "WHERE x.n < x.need ORDER BY x.category_id, x.id"
static const char zShortInCategory[] = SHORT_OF_JUDGES("p.category_id = $1");
static const char zShortInEdition[] =
    SHORT_OF_JUDGES("p.category_id IN (SELECT id FROM categories WHERE edition_id = $1)");

#define SHORT_LISTED 5   /* competitors a refusal names */

/* Refuses (409, naming zField) when zSql (one of the above, for id) finds
 * competitors short of judges: reason short_of_judges with the first such
 * category's name, the judges needed, its first such competitor (id,
 * institution, judges) and how many there are; the English message "zWhy:
 * in category X, each competitor needs 3 judges not of their own
 * institution (...), but competitor 12 (of A) has 2, ..." names up to
 * SHORT_LISTED of them. idJudge, bAdd and idInst as $2, $3 and $4 above;
 * with idJudge the counts are what the change would leave. */
static int short_of_judges(dom_ctx *c, const char *zSql, int64_t id, int64_t idJudge, int bAdd, int64_t idInst,
                           const char *zField, const char *zWhy, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  db_bind_int(s, 2, idJudge);
  db_bind_int(s, 3, bAdd);
  db_bind_int(s, 4, idInst);
  db_bind_int(s, 5, COMP_JUDGES_PER_JUDGEMENT);
  char zCat[64] = "", zList[320] = "", zInst[64] = "";
  int nShort = 0, rc;
  int64_t need = 0, idCategory = 0, idFirst = 0, nHave = 0;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (nShort && db_col_int(s, 5) != idCategory) break;   /* the first category only */
    if (!nShort) {
      snprintf(zCat, sizeof zCat, "%s", db_col_text(s, 0));
      need = db_col_int(s, 4);
      idCategory = db_col_int(s, 5);
      idFirst = db_col_int(s, 1);
      snprintf(zInst, sizeof zInst, "%s", db_col_text(s, 2));
      nHave = db_col_int(s, 3);
    }
    size_t k = strlen(zList);
    if (nShort < SHORT_LISTED)
      snprintf(zList + k, sizeof zList - k, "%scompetitor %lld (of %.30s) %s%lld", k ? ", " : "",
               (long long)db_col_int(s, 1), db_col_text(s, 2), k ? "" : idJudge ? "would have " : "has ",
               (long long)db_col_int(s, 3));
    else if (nShort == SHORT_LISTED)
      snprintf(zList + k, sizeof zList - k, ", ...");
    nShort++;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (!nShort) return 0;
  gerr_setr(e, GERR_CONFLICT, GR_SHORT_OF_JUDGES, zField, GP_S("name", zCat), GP_I("need", need),
            GP_I("competitor", idFirst), GP_S("institution", zInst), GP_I("have", nHave), GP_I("count", nShort));
  return gerr_msg(e,
                  "%s: in category %s, each competitor needs %lld judge%s not of their own institution (%s, and a "
                  "judge never marks a competitor of their own institution), but %s: assign judges from other "
                  "institutions",
                  zWhy, zCat, (long long)need, need == 1 ? "" : "s",
                  need > 1 ? "every judgement aspect is scored by that many judges" : "every aspect needs a judge's mark",
                  zList);
}

int comp_check_edition_markable(dom_ctx *c, int64_t idEdition, gerr *e) {
  return short_of_judges(c, zShortInEdition, idEdition, 0, 0, 0, "state", "marking cannot start", e);
}

/* --- the judge's own rules -------------------------------------------------- */

static const char zMarksByJudge[] =
    "SELECT count(*) FROM marks m JOIN competitors p ON p.id = m.competitor_id "
    "WHERE p.category_id = $1 AND m.judge_id = $2";
static const char zMarkedOfInstitution[] =
    "SELECT min(p.id) FROM marks m JOIN competitors p ON p.id = m.competitor_id JOIN judges j "
    "ON j.category_id = p.category_id AND j.person_id = m.judge_id WHERE j.id = $1 AND p.institution_id = $2";

static int setup_state(const char *zState) { return !strcmp(zState, "draft") || !strcmp(zState, "registration"); }

/* Judges are assigned before marking starts, and during marking while the
 * category is not locked (to replace one, or to add judges that competitors
 * of a judge's institution lack); a judge's institution changes during
 * marking only if every competitor keeps enough judges and the judge has
 * marked none of that institution's. chief defaults to false. */
static int judge_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  cat_info k;
  if (category_info(c, dom_v(r, "category_id")->i, &k, e)) return -1;
  if (!pOld && (!dom_v(r, "chief")->bSet || dom_v(r, "chief")->bNull)) dom_set_int(r, "chief", 0);
  if (setup_state(k.zState)) return 0;
  if (strcmp(k.zState, "marking"))
    return gerr_setr(e, GERR_CONFLICT, GR_JUDGES_SET, "state", GP_S("state", k.zState));
  if (k.bLocked)
    return gerr_setr(e, GERR_CONFLICT, GR_CATEGORY_LOCKED, "state", GP_S("name", k.zName));
  const dom_val *pInst = dom_v(r, "institution_id");
  int64_t idInst = pInst->bSet && !pInst->bNull ? pInst->i : 0;
  if (!pOld) return 0;   /* one more judge leaves every competitor as many as before, or more */
  const dom_val *pWas = dom_v(pOld, "institution_id");
  if (idInst == (pWas->bNull ? 0 : pWas->i)) return 0;
  int64_t idMarked = 0;
  if (idInst && query_int2(c, zMarkedOfInstitution, r->id, idInst, &idMarked, e) == DB_ERROR) return -1;
  if (idMarked)
    return gerr_setr(e, GERR_CONFLICT, GR_JUDGE_MARKED_INSTITUTION, "institution_id", GP_I("id", r->id),
                     GP_I("competitor", idMarked), GP_I("institution", idInst));
  char zWhy[80];
  snprintf(zWhy, sizeof zWhy, "institution_id: judge %lld cannot move to %s", (long long)r->id,
           idInst ? "that institution" : "no institution");
  return short_of_judges(c, zShortInCategory, dom_v(r, "category_id")->i, r->id, 1, idInst, "institution_id", zWhy, e);
}

/* A judge goes freely before marking; during marking only while the
 * category is not locked, if they have entered no marks (those count) and
 * every competitor keeps enough judges; never once the edition is locked. */
static int judge_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  int64_t idCategory = dom_v(pOld, "category_id")->i, nMarks = 0;
  cat_info k;
  if (category_info(c, idCategory, &k, e)) return -1;
  if (setup_state(k.zState)) return 0;
  if (strcmp(k.zState, "marking"))
    return gerr_setr(e, GERR_CONFLICT, GR_JUDGES_STAY, "state", GP_S("state", k.zState));
  if (k.bLocked) return gerr_setr(e, GERR_CONFLICT, GR_CATEGORY_LOCKED, "state", GP_S("name", k.zName));
  if (query_int2(c, zMarksByJudge, idCategory, dom_v(pOld, "person_id")->i, &nMarks, e) == DB_ERROR) return -1;
  if (nMarks)
    return gerr_setr(e, GERR_CONFLICT, GR_JUDGE_HAS_MARKED, NULL, GP_I("id", pOld->id), GP_I("marks", nMarks),
                     GP_S("name", k.zName));
  char zWhy[64];
  snprintf(zWhy, sizeof zWhy, "judge %lld cannot be removed", (long long)pOld->id);
  return short_of_judges(c, zShortInCategory, idCategory, pOld->id, 0, 0, NULL, zWhy, e);
}

/* --- a judge outside their category ------------------------------------------ */

/* The category (id, name) of a record of each scope a judge acts in; bChief:
 * the scope is the chief judge's; bOwn: a judge's own marks. $1 the record. */
static const struct {
  const char *zScope;
  int bChief, bOwn;
  const char *zSql;
} aJudgeScope[] = {
    {"competitor", 0, 0, "SELECT c.id, c.name FROM competitors p JOIN categories c ON c.id = p.category_id WHERE p.id = $1"},
    {"category_chief", 1, 0, "SELECT id, name FROM categories WHERE id = $1"},
    {"mark", 0, 1,
     "SELECT c.id, c.name FROM marks m JOIN competitors p ON p.id = m.competitor_id "
     "JOIN categories c ON c.id = p.category_id WHERE m.id = $1"},
    {"mark_chief", 1, 0,
     "SELECT c.id, c.name FROM marks m JOIN competitors p ON p.id = m.competitor_id "
     "JOIN categories c ON c.id = p.category_id WHERE m.id = $1"},
};
static const char zJudgeOf[] = "SELECT 1 + chief FROM judges WHERE category_id = $1 AND person_id = $2";

int comp_judge_refusal(dom_ctx *c, const char *zScope, int64_t id, int64_t idPerson, gerr *e) {
  size_t i = 0;
  while (i < sizeof aJudgeScope / sizeof aJudgeScope[0] && strcmp(aJudgeScope[i].zScope, zScope)) i++;
  if (i == sizeof aJudgeScope / sizeof aJudgeScope[0]) return 0;
  db_stmt *s = db_prepare(c->pDb, aJudgeScope[i].zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  int rc = db_step(s, e);
  int64_t idCategory = rc == DB_ROW ? db_col_int(s, 0) : 0, nJudge = 0;
  char zName[64] = "";
  if (rc == DB_ROW) snprintf(zName, sizeof zName, "%s", db_col_text(s, 1));
  db_done(s);
  if (rc != DB_ROW) return rc == DB_ERROR ? -1 : 0;
  if (query_int2(c, zJudgeOf, idCategory, idPerson, &nJudge, e) == DB_ERROR) return -1;
  if (!nJudge)
    return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_YOUR_CATEGORY, NULL, GP_S("name", zName), GP_I("id", idCategory));
  if (aJudgeScope[i].bChief && nJudge == 1)
    return gerr_setr(e, GERR_FORBIDDEN, GR_ONLY_CHIEF, NULL, GP_S("name", zName), GP_I("id", idCategory));
  if (aJudgeScope[i].bOwn)
    return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_YOUR_MARK, NULL, GP_I("id", id));
  return 0;
}

static const dom_field aField[] = {
    {"category_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_category, "the category they mark"},
    {"person_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_person, "the judge (their account acts as judge)"},
    {"institution_id", DT_REF, 0, 0, 0, NULL, &dom_institution,
     "the institution the judge belongs to: they never mark its competitors"},
    {"chief", DT_BOOL, 0, 0, 0, NULL, NULL, "the chief judge reviews flagged aspects and locks the category"},
};
static const dom_filter aFilter[] = {
    {"category", FILT_INT, &dom_category, "category_id = ?", "judges of this category", NULL},
    {"person", FILT_INT, &dom_person, "person_id = ?", "assignments of this person", NULL},
};
static const dom_unique aUnique[] = {
    {{"category_id", "person_id"}, "person_id", "this person is already a judge of this category", GR_ALREADY_JUDGE},
};
dom_entity dom_judge = {
    "judge", "judges", "A judge assigned to a category.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    judge_check, NULL, judge_can_delete, aUnique, sizeof aUnique / sizeof aUnique[0],
    .apRule = {&pol_signed_in, &pol_signed_in, &pol_admin, &pol_admin, &pol_admin},
    .zTag = "competitions",
};
