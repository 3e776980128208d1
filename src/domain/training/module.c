/* module.c: the training module's descriptor: its entities in dependency
 * order, who may do what with them, the queries that say whose records are
 * whose, its tables in copy order and its migrations (training_schema.c). */
#include "domain/training/training.h"

#define ALL POL_ALL
#define SCO POL_SCOPED
#define NO POL_NO

extern const schema_migration training_migrations[];
extern dom_entity dom_person, dom_enrollment;

/* ==== assessment and awards (docs/assessment.md) ======================== */

/*                                   name                 public any  admin staff trainer judge learner */
const pol_rule asmt_rule_setup = {"assessment_setup", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                  "region administrators; staff of the program's institution"};
const pol_rule asmt_rule_event = {"assessment_event", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, NULL, 0,
                                  "region administrators; staff of the cohort's institution; the cohort's trainers"};
const pol_rule asmt_rule_record = {"assessment_record", 0, 0, {ALL, SCO, SCO, NO, NO}, "assessment_assessor", NULL, 0,
                                   "region administrators; staff of the cohort's institution; the event's assessor"};
const pol_rule asmt_rule_result_read = {"assessment_result_read", 0, 0, {ALL, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                        "region administrators; staff of the cohort's institution; the cohort's "
                                        "trainers; the learner"};
/* evidence is the learner's: region administrators do not see it */
const pol_rule asmt_rule_evidence = {"evidence", 0, 0, {NO, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                     "the learner; the cohort's trainers; staff of the cohort's institution"};
const pol_rule asmt_rule_evidence_upload = {"evidence_upload", 0, 0, {NO, SCO, SCO, NO, SCO}, "assessment_learner",
                                            NULL, 0,
                                            "the learner (their own, in a cohort they take part in); the cohort's "
                                            "trainers; staff of the cohort's institution"};
/* an appeal is the learner's own act: nobody lodges one in their name */
const pol_rule asmt_rule_appeal_lodge = {"appeal_lodge", 0, 0, {NO, NO, NO, NO, SCO}, NULL, NULL, 0,
                                         "the learner (their own decisions)"};
const pol_rule asmt_rule_appeal_read = {"appeal_read", 0, 0, {ALL, SCO, NO, NO, SCO}, NULL, NULL, 0,
                                        "region administrators; staff of the cohort's institution; the learner"};
const pol_rule asmt_rule_appeal_decide = {"appeal_decide", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                          "region administrators; staff of the cohort's institution"};
const pol_rule asmt_rule_award_read = {"award_read", 0, 0, {ALL, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                       "region administrators; staff of the institution; the trainers of the "
                                       "learner's cohort; the learner"};
const pol_rule asmt_rule_award_revoke = {"award_revoke", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                         "region administrators; staff of the awarding institution"};
const pol_rule asmt_rule_agreement = {"assessment_agreement", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, NULL, 0,
                                      "region administrators; staff of the program's institution; trainers (the "
                                      "cohorts they train)"};

#define ASMT_RULES                                                                                            \
  &asmt_rule_setup, &asmt_rule_event, &asmt_rule_record, &asmt_rule_result_read, &asmt_rule_evidence,        \
      &asmt_rule_evidence_upload, &asmt_rule_appeal_lodge, &asmt_rule_appeal_read, &asmt_rule_appeal_decide, \
      &asmt_rule_award_read, &asmt_rule_award_revoke, &asmt_rule_agreement

/* SQL pieces: "the event $1 lies at institution $2", "... is in a cohort
 * that $2 trains" */
#define EVENT_AT_INSTITUTION                                                                           \
  "SELECT count(*) FROM assessments a JOIN cohorts c ON c.id = a.cohort_id JOIN programs p ON p.id = " \
  "c.program_id WHERE a.id = $1 AND p.institution_id = $2"
#define EVENT_TRAINED                                                                                     \
  "SELECT count(*) FROM assessments a JOIN cohorts_trainers t ON t.owner_id = a.cohort_id WHERE a.id = $1 " \
  "AND t.value = $2"
/* ... for a record with an assessment_id column, in table T */
#define VIA_EVENT_AT_INSTITUTION(T)                                                                        \
  "SELECT count(*) FROM " T " x JOIN assessments a ON a.id = x.assessment_id JOIN cohorts c ON c.id = "     \
  "a.cohort_id JOIN programs p ON p.id = c.program_id WHERE x.id = $1 AND p.institution_id = $2"
#define VIA_EVENT_TRAINED(T)                                                                          \
  "SELECT count(*) FROM " T " x JOIN assessments a ON a.id = x.assessment_id JOIN cohorts_trainers t ON " \
  "t.owner_id = a.cohort_id WHERE x.id = $1 AND t.value = $2"
#define AWARD_TRAINED(T)                                                                                      \
  "SELECT count(*) FROM " T " x JOIN enrollments e ON e.id = x.enrollment_id JOIN cohorts_trainers t ON "     \
  "t.owner_id = e.cohort_id WHERE x.id = $1 AND t.value = $2"

/* $1 the record's id, $2 the scope's value (institution, or person). */
#define ASMT_SCOPES                                                                                                 \
  {"unit_of_competency",                                                                                            \
   {"SELECT count(*) FROM units_of_competency u JOIN programs p ON p.id = u.program_id WHERE u.id = $1 AND "       \
    "p.institution_id = $2",                                                                                        \
    "SELECT count(*) FROM units_of_competency u JOIN cohorts c ON c.program_id = u.program_id JOIN "               \
    "cohorts_trainers t ON t.owner_id = c.id WHERE u.id = $1 AND t.value = $2",                                     \
    NULL, NULL},                                                                                                    \
   NULL},                                                                                                           \
      {"performance_criterion",                                                                                     \
       {"SELECT count(*) FROM performance_criteria pc JOIN units_of_competency u ON u.id = pc.unit_id JOIN "       \
        "programs p ON p.id = u.program_id WHERE pc.id = $1 AND p.institution_id = $2",                            \
        NULL, NULL, NULL},                                                                                          \
       NULL},                                                                                                       \
      {"assessment_setting",                                                                                        \
       {"SELECT count(*) FROM assessment_settings s JOIN programs p ON p.id = s.program_id WHERE s.id = $1 AND "  \
        "p.institution_id = $2",                                                                                    \
        NULL, NULL, NULL},                                                                                          \
       NULL},                                                                                                       \
      {"assessment",                                                                                                \
       {EVENT_AT_INSTITUTION, EVENT_TRAINED,                                                                        \
        "SELECT count(*) FROM assessment_results WHERE assessment_id = $1 AND person_id = $2", NULL},              \
       NULL},                                                                                                       \
      {"assessment_assessor",                                                                                       \
       {EVENT_AT_INSTITUTION, EVENT_TRAINED " AND a.assessor_id = $2", NULL, NULL}, NULL},                          \
      {"assessment_learner",                                                                                        \
       {EVENT_AT_INSTITUTION, EVENT_TRAINED,                                                                        \
        "SELECT count(*) FROM assessments a JOIN enrollments e ON e.cohort_id = a.cohort_id WHERE a.id = $1 AND "  \
        "e.person_id = $2",                                                                                         \
        NULL},                                                                                                      \
       NULL},                                                                                                       \
      {"assessment_result",                                                                                         \
       {VIA_EVENT_AT_INSTITUTION("assessment_results"), VIA_EVENT_TRAINED("assessment_results"),                    \
        "SELECT count(*) FROM assessment_results WHERE id = $1 AND person_id = $2", NULL},                          \
       NULL},                                                                                                       \
      {"evidence_item",                                                                                             \
       {VIA_EVENT_AT_INSTITUTION("evidence_items"), VIA_EVENT_TRAINED("evidence_items"),                            \
        "SELECT count(*) FROM evidence_items WHERE id = $1 AND person_id = $2", NULL},                              \
       NULL},                                                                                                       \
      {"assessment_appeal",                                                                                         \
       {VIA_EVENT_AT_INSTITUTION("assessment_appeals"), NULL,                                                       \
        "SELECT count(*) FROM assessment_appeals WHERE id = $1 AND person_id = $2", NULL},                          \
       NULL},                                                                                                       \
      {"skill_award",                                                                                               \
       {"SELECT count(*) FROM skill_awards WHERE id = $1 AND institution_id = $2", AWARD_TRAINED("skill_awards"),  \
        "SELECT count(*) FROM skill_awards WHERE id = $1 AND person_id = $2", NULL},                                \
       NULL},                                                                                                       \
      {"program_award",                                                                                             \
       {"SELECT count(*) FROM program_awards WHERE id = $1 AND institution_id = $2",                                \
        AWARD_TRAINED("program_awards"), "SELECT count(*) FROM program_awards WHERE id = $1 AND person_id = $2",   \
        NULL},                                                                                                      \
       NULL }

#define ASMT_ENTITIES                                                                                 \
  &dom_unit_of_competency, &dom_performance_criterion, &dom_assessment_setting, &dom_assessment,     \
      &dom_assessment_result, &dom_evidence_item, &dom_assessment_appeal, &dom_skill_award, &dom_program_award

/* parents first; blobs before the items that name them; an event's second
 * marking after the event (ids grow) */
#define ASMT_TABLES                                                                                        \
  {"units_of_competency", "id", 1}, {"performance_criteria", "id", 1}, {"assessment_settings", "id", 1},   \
      {"assessments", "id", 1}, {"assessment_results", "id", 1}, {"evidence_blobs", "sha256", 0},          \
      {"evidence_items", "id", 1}, {"assessment_appeals", "id", 1}, {"skill_awards", "id", 1},             \
      {"skill_awards_evidence", "owner_id, pos", 0}, {"program_awards", "id", 1},                          \
      {"program_awards_skill_awards", "owner_id, pos", 0}

/* award.c: a completed enrollment may complete a program award; evidence.c:
 * an erased person's evidence files go with their personal data */
int asmt_on_enrollment(dom_ctx *c, const dom_rec *r, gerr *e);
int asmt_on_person(dom_ctx *c, const dom_rec *r, gerr *e);
#define ASMT_HOOKS {&dom_enrollment, asmt_on_enrollment}, {&dom_person, asmt_on_person}

/* a learner's own export: their results, evidence items, appeals and awards */
#define ASMT_OWN_SECTIONS                                                                                   \
  {"assessment_results", &dom_assessment_result, "person", NULL},                                          \
      {"evidence", &dom_evidence_item, "person", NULL}, {"assessment_appeals", &dom_assessment_appeal, "person", NULL}, \
      {"skill_awards", &dom_skill_award, "person", NULL}, {"program_awards", &dom_program_award, "person", NULL}

/* --- sessions and attendance ------------------------------------------------ */
/*                                          name                public any  admin staff trainer judge learner */
const pol_rule trn_rule_session_read = {"session_read", 0, 0, {ALL, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                        "region administrators; staff of the cohort's institution; the cohort's "
                                        "trainers; its learners"};
const pol_rule trn_rule_session_write = {"session_write", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, NULL, 0,
                                         "region administrators; staff of the cohort's institution; the cohort's "
                                         "trainers"};
const pol_rule trn_rule_attendance = {"attendance", 0, 0, {ALL, SCO, SCO, NO, NO}, NULL, NULL, 0,
                                      "region administrators; staff of the cohort's institution; the cohort's "
                                      "trainers"};
const pol_rule trn_rule_mark_read = {"attendance_read", 0, 0, {ALL, SCO, SCO, NO, SCO}, NULL, NULL, 0,
                                     "region administrators; staff of the institution; the cohort's trainers; the "
                                     "learner (their own marks)"};
const pol_rule trn_rule_check_in = {"check_in", 0, 0, {NO, NO, NO, NO, SCO}, NULL, NULL, 0,
                                    "learners of the session's cohort, from their own account"};
const pol_rule trn_rule_own_attendance = {"own_attendance", 0, 0, {NO, NO, NO, NO, ALL}, NULL, NULL, 0,
                                          "learners (their own attendance)"};
const pol_rule trn_rule_status_write = {"attendance_status_write", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                        "region administrators (the region's defaults too); staff (their "
                                        "institution's own statuses)"};
const pol_rule trn_rule_threshold_write = {"attendance_threshold_write", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                           "region administrators; staff of the program's institution"};

static const pol_rule *const apRule[] = {
    &trn_rule_session_read, &trn_rule_session_write,  &trn_rule_attendance,   &trn_rule_mark_read,
    &trn_rule_check_in,     &trn_rule_own_attendance, &trn_rule_status_write, &trn_rule_threshold_write,
    ASMT_RULES,
};

/* A session's cohort's institution, as "p" (s: the session). */
#define SESSION_INSTITUTION "JOIN cohorts c ON c.id = s.cohort_id JOIN programs p ON p.id = c.program_id "

/* $1 the record's id, $2 the scope's value: a count, 0 when outside. A
 * session's learners are those of its cohort past applying. */
static const pol_scope aScope[] = {
    {"training_session",
     {"SELECT count(*) FROM training_sessions s " SESSION_INSTITUTION "WHERE s.id = $1 AND p.institution_id = $2",
      "SELECT count(*) FROM training_sessions s JOIN cohorts_trainers t ON t.owner_id = s.cohort_id "
      "WHERE s.id = $1 AND t.value = $2",
      "SELECT count(*) FROM training_sessions s JOIN enrollments e ON e.cohort_id = s.cohort_id "
      "WHERE s.id = $1 AND e.person_id = $2 AND e.status <> 'applied'", NULL}, NULL},
    {"attendance_mark",
     {"SELECT count(*) FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
      SESSION_INSTITUTION "WHERE m.id = $1 AND p.institution_id = $2",
      "SELECT count(*) FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
      "JOIN cohorts_trainers t ON t.owner_id = s.cohort_id WHERE m.id = $1 AND t.value = $2",
      "SELECT count(*) FROM attendance_marks WHERE id = $1 AND person_id = $2", NULL}, NULL},
    {"attendance_status",
     {"SELECT count(*) FROM attendance_statuses WHERE id = $1 AND institution_id = $2", NULL, NULL, NULL}, NULL},
    {"attendance_threshold",
     {"SELECT count(*) FROM attendance_thresholds t JOIN programs p ON p.id = t.program_id "
      "WHERE t.id = $1 AND p.institution_id = $2", NULL, NULL, NULL}, NULL},
    ASMT_SCOPES,
};

static const dom_entity *const apEntity[] = {&dom_attendance_status, &dom_training_session, &dom_attendance_mark,
                                             &dom_attendance_threshold, ASMT_ENTITIES};

static const schema_table aTable[] = {
    {"attendance_statuses", "id", 1},        {"training_sessions", "id", 1}, {"training_sessions_skills", "owner_id, pos", 0},
    {"attendance_marks", "id", 1},           {"attendance_changes", "id", 1}, {"attendance_thresholds", "id", 1},
    ASMT_TABLES,
};

static const dom_hook aHook[] = {
    ASMT_HOOKS,
};

/* A learner's own export: their attendance, mark by mark, and their
 * results, evidence (the items, never the content, never anyone else's),
 * appeals and awards. */
static const dom_own_section aOwn[] = {
    {"attendance_marks", &dom_attendance_mark, "person", NULL},
    ASMT_OWN_SECTIONS,
};

const dom_module mod_training = {
    "training",
    "trainer work: training sessions, attendance, assessment of units of competency, skill awards",
    apEntity, sizeof apEntity / sizeof apEntity[0],
    apRule, sizeof apRule / sizeof apRule[0],
    aScope, sizeof aScope / sizeof aScope[0],
    aTable, sizeof aTable / sizeof aTable[0],
    training_migrations,
    aHook,
    sizeof aHook / sizeof aHook[0],
    aOwn,
    sizeof aOwn / sizeof aOwn[0],
};
