/* module.c: the registry module's descriptor: its entities in dependency
 * order, who may do what with them (action x role x scope), the queries
 * that say whose records are whose, its tables in copy order, its
 * migrations (registry_schema.c) and what a person's own export holds of
 * it (their enrollments). */
#include "domain/registry/registry.h"

#define ALL POL_ALL
#define SCO POL_SCOPED
#define NO POL_NO

/*                                           name               public any  admin staff trainer judge learner */
const pol_rule reg_rule_institution_write = {"institution_write", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                             "region administrators; staff of the record's institution"};
const pol_rule reg_rule_cohort_read = {"cohort_read", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, NULL, 0,
                                       "region administrators; staff of its institution; its trainers"};
const pol_rule reg_rule_person_list = {
    "person_list", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, NULL, 0,
    "region administrators; staff (their institution's persons); trainers (their learners)"};
const pol_rule reg_rule_person_read = {"person_read", 0, 0, {ALL, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                       "region administrators; staff (their institution's persons); trainers "
                                       "(their learners); learners (their own record)"};
const pol_rule reg_rule_person_create = {"person_create", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                         "region administrators; staff (registered to their institution)"};

/* learners keep their own contact details up to date */
static const pol_limit aPersonLimit[] = {
    {ROLE_LEARNER, "phone", NULL},
    {ROLE_LEARNER, "email", NULL},
    {ROLE_LEARNER, "home_area_id", NULL},
};
const pol_rule reg_rule_person_write = {"person_write", 0, 0, {ALL, SCO, NO, NO, SCO}, NULL, aPersonLimit,
                                        sizeof aPersonLimit / sizeof aPersonLimit[0],
                                        "region administrators; staff of their institution; learners their own "
                                        "record"};
const pol_rule reg_rule_enrollment_read = {"enrollment_read", 0, 0, {ALL, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                           "region administrators; staff; the cohort's trainers; the learner"};

/* a learner applies for a place themself: their own consent, status applied */
static const pol_limit aApplyLimit[] = {
    {ROLE_LEARNER, "person_id", NULL},
    {ROLE_LEARNER, "cohort_id", NULL},
    {ROLE_LEARNER, "consent", NULL},
    {ROLE_LEARNER, "status", (const char *const[]){"applied", NULL}},
};
const pol_rule reg_rule_enrollment_create = {
    "enrollment_create", 0, 0, {ALL, SCO, NO, NO, SCO}, NULL, aApplyLimit, sizeof aApplyLimit / sizeof aApplyLimit[0],
    "region administrators; staff of the cohort's institution (for persons it holds); learners applying "
    "themselves"};
const pol_rule reg_rule_enrollment_write = {"enrollment_write", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                            "region administrators; staff of the cohort's institution"};

/* trainers record the end of training, nothing else */
static const pol_limit aTrainerLimit[] = {
    {ROLE_TRAINER, "status", (const char *const[]){"completed", "not_completed", NULL}},
};
const pol_rule reg_rule_enrollment_update = {"enrollment_update", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, aTrainerLimit,
                                             1, "region administrators; staff; the cohort's trainers"};
const pol_rule reg_rule_withdraw = {"withdraw", 0, 0, {ALL, SCO, NO, NO, SCO}, NULL, NULL, 0,
                                    "region administrators; staff of the institution; the learner themself"};
const pol_rule reg_rule_statistics = {"statistics", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                      "region administrators; staff (their own institution's figures)"};

static const pol_rule *const apRule[] = {
    &reg_rule_institution_write, &reg_rule_cohort_read,      &reg_rule_person_list,      &reg_rule_person_read,
    &reg_rule_person_create,     &reg_rule_person_write,     &reg_rule_enrollment_read,  &reg_rule_enrollment_create,
    &reg_rule_enrollment_write,  &reg_rule_enrollment_update, &reg_rule_withdraw,        &reg_rule_statistics,
};

#define ENROLLED_AT_INSTITUTION                                                                        \
  "SELECT e.person_id FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id "                         \
  "JOIN programs p ON p.id = c.program_id WHERE p.institution_id = $2"

/* $1 the record's id, $2 the scope's value: a count, 0 when outside. */
static const pol_scope aScope[] = {
    {"institution", {"SELECT count(*) FROM institutions WHERE id = $1 AND id = $2", NULL, NULL, NULL}, NULL},
    {"program", {"SELECT count(*) FROM programs WHERE id = $1 AND institution_id = $2", NULL, NULL, NULL}, NULL},
    {"cohort",
     {"SELECT count(*) FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE c.id = $1 AND p.institution_id = $2",
      "SELECT count(*) FROM cohorts_trainers WHERE owner_id = $1 AND value = $2", NULL, NULL}, NULL},
    {"person",
     {"SELECT count(*) FROM persons WHERE id = $1 AND (institution_id = $2 OR id IN (" ENROLLED_AT_INSTITUTION "))",
      "SELECT count(*) FROM enrollments e JOIN cohorts_trainers t ON t.owner_id = e.cohort_id "
      "WHERE e.person_id = $1 AND t.value = $2",
      "SELECT count(*) FROM persons WHERE id = $1 AND id = $2", NULL}, NULL},
    {"enrollment",
     {"SELECT count(*) FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id JOIN programs p ON p.id = c.program_id "
      "WHERE e.id = $1 AND p.institution_id = $2",
      "SELECT count(*) FROM enrollments e JOIN cohorts_trainers t ON t.owner_id = e.cohort_id "
      "WHERE e.id = $1 AND t.value = $2",
      "SELECT count(*) FROM enrollments WHERE id = $1 AND person_id = $2", NULL}, NULL},
};

static const dom_entity *const apEntity[] = {&dom_area,   &dom_institution, &dom_program,
                                             &dom_person, &dom_cohort,      &dom_enrollment};

/* Areas are copied from the region down, so that every parent is there
 * before the areas within it. */
static const schema_table aTable[] = {
    {"areas", "CASE level WHEN 'region' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END, id", 1},
    {"institutions", "id", 1},
    {"programs", "id", 1},
    {"programs_skills", "owner_id, pos", 0},
    {"persons", "id", 1},
    {"cohorts", "id", 1},
    {"cohorts_trainers", "owner_id, pos", 0},
    {"academic_sessions", "id", 1},
    {"cohorts_academic_sessions", "owner_id, pos", 0},
    {"enrollments", "id", 1},
};

extern const schema_migration registry_migrations[];

/* An enrollment in its person's export, with what they know it by: the
 * cohort's name and dates, the program's title and ISCO code. */
static int enrollment_known_by(dom_ctx *c, const dom_rec *r, doc_out *d, gerr *e) {
  dom_rec cohort, program;
  if (dom_get(c, &dom_cohort, dom_v(r, "cohort_id")->i, &cohort, e) ||
      dom_get(c, &dom_program, dom_v(&cohort, "program_id")->i, &program, e))
    return -1;
  doc_object(d, "cohort");
  doc_text(d, "name", dom_v(&cohort, "name")->z);
  doc_text(d, "start_date", dom_v(&cohort, "start_date")->z);
  doc_text(d, "end_date", dom_v(&cohort, "end_date")->z);
  doc_end(d);
  doc_object(d, "program");
  doc_text(d, "title", dom_v(&program, "title")->z);
  doc_text(d, "isco_code", dom_v(&program, "isco_code")->z);
  doc_end(d);
  return 0;
}

static const dom_own_section aOwn[] = {
    {"enrollments", &dom_enrollment, "person", enrollment_known_by},
};

const dom_module mod_registry = {
    "registry",
    "areas, institutions, programs, cohorts, persons and their enrollments",
    apEntity,
    sizeof apEntity / sizeof apEntity[0],
    apRule,
    sizeof apRule / sizeof apRule[0],
    aScope,
    sizeof aScope / sizeof aScope[0],
    aTable,
    sizeof aTable / sizeof aTable[0],
    registry_migrations,
    NULL, 0,   /* hooks */
    aOwn,
    sizeof aOwn / sizeof aOwn[0],
};
