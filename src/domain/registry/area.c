/* area.c: the area tree (region -> prefecture -> county -> township). Every
 * address of a person or institution is an area, so "home area" questions
 * are answerable. A child is exactly one level below its parent; the region
 * is the only level without a parent. */
#include "domain/engine/entity_int.h"
#include "domain/registry/registry.h"
#include <string.h>

static const char *const azLevel[] = {"region", "prefecture", "county", "township", NULL};

static int level_index(const char *z) {
  for (int i = 0; azLevel[i]; i++)
    if (strcmp(azLevel[i], z) == 0) return i;
  return -1;
}

static const char zChildLevels[] =
    "SELECT count(*) FROM areas WHERE parent_id = $1";

/* A region has no parent; any other level has a parent one level up.
 * The level of an area with children cannot change. */
static int area_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  int iLevel = level_index(dom_v(r, "level")->z);
  const dom_val *pParent = dom_v(r, "parent_id");
  if (iLevel == 0) {
    if (pParent->bSet && !pParent->bNull)
      return gerr_setr(e, GERR_VALIDATION, GR_REGION_NO_PARENT, "parent_id");
  } else {
    if (!pParent->bSet || pParent->bNull)
      return gerr_setr(e, GERR_VALIDATION, GR_PARENT_NEEDED, "parent_id", GP_S("level", azLevel[iLevel]),
                       GP_S("parent_level", azLevel[iLevel - 1]));
    dom_rec parent;
    if (dom_get(c, r->pEnt, pParent->i, &parent, e)) return -1;
    if (level_index(dom_v(&parent, "level")->z) != iLevel - 1)
      return gerr_setr(e, GERR_VALIDATION, GR_PARENT_LEVEL, "parent_id", GP_S("level", azLevel[iLevel]),
                       GP_S("parent_level", azLevel[iLevel - 1]), GP_I("id", pParent->i), GP_S("got", dom_v(&parent, "level")->z));
  }
  if (pOld && strcmp(dom_v(pOld, "level")->z, dom_v(r, "level")->z) != 0) {
    int64_t n = 0;
    if (db_query_int(c->pDb, zChildLevels, 1, r->id, &n, e) == DB_ERROR) return -1;
    if (n > 0)
      return gerr_setr(e, GERR_VALIDATION, GR_LEVEL_IN_USE, "level", GP_I("count", n));
  }
  return 0;
}

extern dom_entity dom_area;

static const dom_field aField[] = {
    {"code", DT_TEXT, F_REQ | F_UNIQUE, 1, 32, NULL, NULL, "administrative code, unique (e.g. 650000)"},
    {"name", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "name in any script"},
    {"level", DT_ENUM, F_REQ, 0, 0, azLevel, NULL, "region, prefecture, county or township"},
    {"parent_id", DT_REF, 0, 0, 0, NULL, &dom_area, "the area one level up (none for a region)"},
    {"sourced_id", DT_TEXT, F_UNIQUE, 1, 255, NULL, NULL, "external id (e.g. OneRoster sourcedId), unique"},
};

static const dom_filter aFilter[] = {
    {"q", FILT_CONTAINS, NULL, DOM_CONTAINS("name") " OR " DOM_CONTAINS("code"),
     "text in the name or code, ignoring case", NULL},
    {"parent", FILT_INT, &dom_area, "parent_id = ?", "areas directly within this area", NULL},
    {"level", FILT_TEXT, NULL, "level = ?", "areas of this level", azLevel},
    {"sourced_id", FILT_TEXT, NULL, "sourced_id = ?", "the area with this external id", NULL},
};

dom_entity dom_area = {
    "area", "areas", "A region, prefecture, county or township.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    area_check, NULL, NULL,
    .apRule = {&pol_signed_in, &pol_signed_in, &pol_admin, &pol_admin, &pol_admin},
};
