/* program.c: what an institution teaches: title, ISCO-08 occupation, skills
 * conferred, hours, level and places. */
#include "entity_int.h"

extern dom_entity dom_institution;

static const dom_field aField[] = {
    {"institution_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_institution, "the institution that teaches it"},
    {"title", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "e.g. Modern pastry-making"},
    {"isco_code", DT_ISCO, F_REQ, 0, 0, NULL, NULL, "ISCO-08 unit group (4 digits) of the occupation it trains for"},
    {"skills", DT_STRLIST, 0, 1, 200, NULL, NULL, "the skills it confers"},
    {"hours", DT_INT, F_REQ, 1, 10000, NULL, NULL, "hours of training"},
    {"level", DT_INT, F_REQ, 1, 5, NULL, NULL, "qualification level, 1 (entry) to 5 (highest)"},
    {"capacity", DT_INT, F_REQ, 1, 100000, NULL, NULL, "places per year"},
    {"sourced_id", DT_TEXT, F_UNIQUE, 1, 255, NULL, NULL, "external id (e.g. OneRoster sourcedId), unique"},
};

static const dom_filter aFilter[] = {
    {"q", FILT_CONTAINS, NULL, DOM_CONTAINS("title"), "text in the title, ignoring case", NULL},
    {"institution", FILT_INT, &dom_institution, "institution_id = ?", "programs of this institution", NULL},
    {"area", FILT_INT, NULL, "institution_id IN (SELECT id FROM institutions WHERE area_id IN " DOM_AREA_SUBTREE ")",
     "programs of institutions in this area or within it", NULL},
    {"isco_code", FILT_TEXT, NULL, "isco_code = ?", "programs for this occupation", NULL},
    {"sourced_id", FILT_TEXT, NULL, "sourced_id = ?", "the program with this external id", NULL},
};

dom_entity dom_program = {
    "program", "programs", "What an institution teaches.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    NULL, NULL, NULL, NULL, 0,
};
