/* edition.c: a competition edition (year, name, area, dates), moving through
 * draft -> registration -> marking -> locked -> published (comp_state.c). */
#include "domain/competition/comp.h"
#include "domain/engine/entity_int.h"
#include <string.h>

extern dom_entity dom_area;

static const char *const azState[] = {"draft", "registration", "marking", "locked", "published", NULL};

/* New editions start in draft with 30 points per standard deviation; the
 * state changes only through transitions; dates in order. */
static int edition_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)c;
  if (strcmp(dom_v(r, "end_date")->z, dom_v(r, "start_date")->z) < 0)
    return gerr_setr(e, GERR_VALIDATION, GR_DATE_ORDER, "end_date", GP_S("other", "start_date"),
                     GP_S("value", dom_v(r, "start_date")->z));
  if (!pOld) dom_set_text(r, "state", "draft");
  const dom_val *p = dom_v(r, "points_per_sd");
  if (!p->bSet || p->bNull) dom_set_int(r, "points_per_sd", 30);
  if (pOld && strcmp(dom_v(pOld, "state")->z, "draft") && dom_v(r, "points_per_sd")->i != dom_v(pOld, "points_per_sd")->i)
    return gerr_setr(e, GERR_CONFLICT, GR_POINTS_FIXED, "points_per_sd", GP_S("state", dom_v(pOld, "state")->z));
  return 0;
}

static int edition_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  (void)c;
  if (strcmp(dom_v(pOld, "state")->z, "draft")) return comp_state_refusal(e, "delete", "draft", dom_v(pOld, "state")->z);
  return 0;
}

static const dom_field aField[] = {
    {"year", DT_INT, F_REQ, 2000, 2100, NULL, NULL, "the competition's year"},
    {"name", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "e.g. 2026 regional vocational skills competition"},
    {"area_id", DT_REF, F_REQ, 0, 0, NULL, &dom_area, "the area (usually the region) it is held for"},
    {"start_date", DT_DATE, F_REQ, 0, 0, NULL, NULL, "first day"},
    {"end_date", DT_DATE, F_REQ, 0, 0, NULL, NULL, "last day"},
    {"state", DT_ENUM, F_RO, 0, 0, azState, NULL,
     "draft, registration, marking, locked or published (POST .../transition moves it)"},
    {"points_per_sd", DT_INT, 0, 1, 200, NULL, NULL, "standard-score points per robust standard deviation (default 30)"},
};

static const dom_filter aFilter[] = {
    {"year", FILT_INT, NULL, "year = ?", "editions of this year", NULL},
    {"state", FILT_TEXT, NULL, "state = ?", "editions in this state", azState},
};

dom_entity dom_edition = {
    "edition", "editions", "A skills competition edition.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    edition_check, NULL, edition_can_delete,
    .apRule = {&pol_signed_in, &pol_signed_in, &pol_admin, &pol_admin, &pol_admin},
    .zTag = "competitions",
};
