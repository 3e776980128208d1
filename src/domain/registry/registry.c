/* registry.c: the list of every entity guild stores, in dependency order. */
#include "domain/engine/entity.h"

extern dom_entity dom_area, dom_institution, dom_program, dom_cohort, dom_person, dom_enrollment, dom_user,
    dom_grant, dom_edition, dom_category, dom_criterion, dom_aspect, dom_competitor, dom_judge, dom_mark;

const dom_entity *const dom_entities[] = {
    &dom_area, &dom_institution, &dom_program, &dom_person, &dom_cohort, &dom_enrollment, &dom_user, &dom_grant,
    &dom_edition, &dom_category, &dom_criterion, &dom_aspect, &dom_competitor, &dom_judge, &dom_mark,
};
const int dom_nentities = sizeof dom_entities / sizeof dom_entities[0];
