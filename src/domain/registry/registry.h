/* registry.h: the registry module (areas, institutions, programs, cohorts,
 * persons, enrollments): its descriptor and the access rules its entities
 * and operations use. */
#ifndef GUILD_REGISTRY_H
#define GUILD_REGISTRY_H
#include "domain/engine/module.h"

extern const dom_module mod_registry;

extern const pol_rule reg_rule_institution_write, reg_rule_cohort_read, reg_rule_person_list, reg_rule_person_read,
    reg_rule_person_create, reg_rule_person_write, reg_rule_enrollment_read, reg_rule_enrollment_create,
    reg_rule_enrollment_write, reg_rule_enrollment_update, reg_rule_withdraw, reg_rule_statistics;

extern dom_entity dom_area, dom_institution, dom_program, dom_cohort, dom_person, dom_enrollment;

#endif
