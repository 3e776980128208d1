/* judge.c: judges assigned to categories (one of them the chief judge), with
 * the institution they belong to: a judge never marks a competitor from it. */
#include "comp.h"
#include "entity_int.h"
#include <string.h>

extern dom_entity dom_category, dom_person, dom_institution;

/* Judges are assigned before marking starts; chief defaults to false. */
static int judge_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  char z[16];
  if (comp_state_of(c, "category", dom_v(r, "category_id")->i, z, e)) return -1;
  if (strcmp(z, "draft") && strcmp(z, "registration"))
    return gerr_set(e, GERR_CONFLICT, "state", "judges are assigned before marking starts; the edition is in %s", z);
  if (!pOld && (!dom_v(r, "chief")->bSet || dom_v(r, "chief")->bNull)) dom_set_int(r, "chief", 0);
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
    {{"category_id", "person_id"}, "person_id", "this person is already a judge of this category"},
};
dom_entity dom_judge = {
    "judge", "judges", "A judge assigned to a category.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    judge_check, NULL, NULL, aUnique, sizeof aUnique / sizeof aUnique[0],
};
