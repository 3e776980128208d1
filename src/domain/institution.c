/* institution.c: vocational colleges and training centres, each in an area. */
#include "entity_int.h"

extern dom_entity dom_area;

static const char *const azKind[] = {"vocational_college", "training_centre", NULL};

static const dom_field aField[] = {
    {"code", DT_TEXT, F_UNIQUE, 1, 32, NULL, NULL, "the institution's own code, unique when given"},
    {"name", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "name in any script"},
    {"kind", DT_ENUM, F_REQ, 0, 0, azKind, NULL, "vocational_college or training_centre"},
    {"area_id", DT_REF, F_REQ, 0, 0, NULL, &dom_area, "the area (usually a county or township) it is in"},
    {"address", DT_TEXT, 0, 0, 300, NULL, NULL, "street address"},
    {"phone", DT_TEXT, 0, 0, 40, NULL, NULL, "contact telephone"},
    {"email", DT_TEXT, 0, 0, 200, NULL, NULL, "contact e-mail"},
    {"sourced_id", DT_TEXT, F_UNIQUE, 1, 255, NULL, NULL, "external id (e.g. OneRoster sourcedId), unique"},
};

static const dom_filter aFilter[] = {
    {"q", FILT_CONTAINS, NULL, DOM_CONTAINS("name") " OR " DOM_CONTAINS("code"),
     "text in the name or code, ignoring case", NULL},
    {"area", FILT_INT, &dom_area, "area_id IN " DOM_AREA_SUBTREE, "institutions in this area or within it", NULL},
    {"kind", FILT_TEXT, NULL, "kind = ?", "institutions of this kind", azKind},
    {"sourced_id", FILT_TEXT, NULL, "sourced_id = ?", "the institution with this external id", NULL},
};

dom_entity dom_institution = {
    "institution", "institutions", "A vocational college or training centre.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    NULL, NULL, NULL, NULL, 0,
};
