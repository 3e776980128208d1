/* category.c: a competition category (a skill, with its ISCO-08 code), and
 * its criteria and aspects (the marking scheme). The scheme is written only
 * while the edition is in draft. */
#include "domain/competition/comp.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern dom_entity dom_edition, dom_category, dom_criterion;

/* Scheme records change only in draft: checked for the parent the record
 * names (zParentField of entity zParent). */
static int draft_only(dom_ctx *c, const dom_rec *r, const char *zParent, const char *zField, gerr *e) {
  return comp_require_state(c, zParent, dom_v(r, zField)->i, "draft", "scheme", e);
}

static int category_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)pOld;
  return draft_only(c, r, "edition", "edition_id", e);
}
static int category_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  return draft_only(c, pOld, "edition", "edition_id", e);
}

static const dom_field aCategoryField[] = {
    {"edition_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_edition, "the edition"},
    {"name", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "the skill, e.g. Pastry"},
    {"isco_code", DT_ISCO, F_REQ, 0, 0, NULL, NULL, "ISCO-08 unit group of the skill"},
    {"locked_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when the chief judge locked the marks"},
    {"locked_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who locked them"},
};
static const dom_filter aCategoryFilter[] = {
    {"edition", FILT_INT, &dom_edition, "edition_id = ?", "categories of this edition", NULL},
};
dom_entity dom_category = {
    "category", "categories", "A competition category (a skill).",
    aCategoryField, sizeof aCategoryField / sizeof aCategoryField[0],
    aCategoryFilter, sizeof aCategoryFilter / sizeof aCategoryFilter[0],
    category_check, NULL, category_can_delete,
    .apRule = {&pol_signed_in, &pol_signed_in, &pol_admin, &pol_admin, &pol_admin},
    .zTag = "competitions",
};

static int criterion_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)pOld;
  return draft_only(c, r, "category", "category_id", e);
}
static int criterion_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  return draft_only(c, pOld, "category", "category_id", e);
}

static const dom_field aCriterionField[] = {
    {"category_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_category, "the category"},
    {"code", DT_TEXT, F_REQ, 1, 8, NULL, NULL, "e.g. A"},
    {"name", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "e.g. Work organisation"},
    {"weight", DT_INT, F_REQ, 1, 100, NULL, NULL, "marks out of 100; a category's weights add up to 100"},
};
static const dom_filter aCriterionFilter[] = {
    {"category", FILT_INT, &dom_category, "category_id = ?", "criteria of this category", NULL},
};
dom_entity dom_criterion = {
    "criterion", "criteria", "A marking-scheme criterion with its weight.",
    aCriterionField, sizeof aCriterionField / sizeof aCriterionField[0],
    aCriterionFilter, sizeof aCriterionFilter / sizeof aCriterionFilter[0],
    criterion_check, NULL, criterion_can_delete,
    .apRule = {&pol_signed_in, &pol_signed_in, &pol_admin, &pol_admin, &pol_admin},
    .zTag = "competitions",
};

static const char *const azKind[] = {"measurement", "judgement", NULL};

/* Parses a part mark "1.50 | condition" into hundredths; -1 if malformed. */
int64_t comp_part_mark(const char *z) {
  char *zEnd = NULL;
  double x = strtod(z, &zEnd);
  while (zEnd && *zEnd == ' ') zEnd++;
  if (!zEnd || zEnd == z || *zEnd != '|' || x < 0) return -1;
  const char *zCond = zEnd + 1;
  while (*zCond == ' ') zCond++;
  if (!*zCond) return -1;
  double r = (double)(int64_t)(x * 100 + 0.5);
  if (r - x * 100 > 1e-6 || x * 100 - r > 1e-6) return -1;
  return (int64_t)r;
}

/* Measurement aspects: part marks (optional) within the maximum, no
 * descriptors. Judgement aspects: a descriptor for each score 0..3. */
static int aspect_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)pOld;
  if (draft_only(c, r, "criterion", "criterion_id", e)) return -1;
  int bJudge = strcmp(dom_v(r, "kind")->z, "judgement") == 0;
  const dom_val *pParts = dom_v(r, "part_marks"), *pDesc = dom_v(r, "descriptors");
  int nParts = pParts->bSet ? pParts->n : 0, nDesc = pDesc->bSet ? pDesc->n : 0;
  if (bJudge) {
    if (nParts) return gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITH, "part_marks", GP_S("other", "kind"), GP_S("value", "measurement"));
    if ((pDesc->bSet && nDesc != 4) || (!pOld && !pDesc->bSet))
      return gerr_setr(e, GERR_VALIDATION, GR_DESCRIPTOR_COUNT, "descriptors", GP_I("want", 4), GP_I("got", nDesc));
    return 0;
  }
  if (nDesc) return gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITH, "descriptors", GP_S("other", "kind"), GP_S("value", "judgement"));
  int64_t maxCenti = dom_v(r, "max_mark")->i;
  for (int k = 0; k < nParts; k++) {
    int64_t v = comp_part_mark(pParts->az[k]);
    if (v < 0)
      return gerr_setr(e, GERR_VALIDATION, GR_PART_MARK_FORM, "part_marks", GP_S("got", pParts->az[k]));
    if (v > maxCenti)
      return gerr_setr(e, GERR_VALIDATION, GR_PART_MARK_ABOVE, "part_marks", GP_C("got", v), GP_C("max", maxCenti));
  }
  return 0;
}
static int aspect_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  return draft_only(c, pOld, "criterion", "criterion_id", e);
}

static const dom_field aAspectField[] = {
    {"criterion_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_criterion, "the criterion"},
    {"code", DT_TEXT, F_REQ, 1, 16, NULL, NULL, "e.g. A1"},
    {"description", DT_TEXT, F_REQ, 1, 500, NULL, NULL, "what is marked"},
    {"kind", DT_ENUM, F_REQ | F_IMMUT, 0, 0, azKind, NULL, "measurement or judgement"},
    {"max_mark", DT_CENTI, F_REQ, 1, 10000, NULL, NULL, "the most it can earn (0.01 to 100)"},
    {"part_marks", DT_STRLIST, 0, 1, 300, NULL, NULL,
     "measurement: the marks that may be awarded, each 'MARK | condition'; none: all or nothing"},
    {"descriptors", DT_STRLIST, 0, 1, 500, NULL, NULL, "judgement: what scores 0, 1, 2 and 3 look like"},
};
static const dom_filter aAspectFilter[] = {
    {"criterion", FILT_INT, &dom_criterion, "criterion_id = ?", "aspects of this criterion", NULL},
    {"category", FILT_INT, &dom_category, "criterion_id IN (SELECT id FROM criteria WHERE category_id = ?)",
     "aspects of this category", NULL},
};
dom_entity dom_aspect = {
    "aspect", "aspects", "What judges mark: a measurement or a judgement.",
    aAspectField, sizeof aAspectField / sizeof aAspectField[0],
    aAspectFilter, sizeof aAspectFilter / sizeof aAspectFilter[0],
    aspect_check, NULL, aspect_can_delete,
    .apRule = {&pol_signed_in, &pol_signed_in, &pol_admin, &pol_admin, &pol_admin},
    .zTag = "competitions",
};
