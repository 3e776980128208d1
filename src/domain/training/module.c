/* module.c: the training module's descriptor: its entities in dependency
 * order, who may do what with them, the queries that say whose records are
 * whose, its tables in copy order and its migrations (training_schema.c). */
#include "domain/training/training.h"

#define ALL POL_ALL
#define SCO POL_SCOPED
#define NO POL_NO

extern const schema_migration training_migrations[];

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
};

static const dom_entity *const apEntity[] = {&dom_attendance_status, &dom_training_session, &dom_attendance_mark,
                                             &dom_attendance_threshold};

static const schema_table aTable[] = {
    {"attendance_statuses", "id", 1},        {"training_sessions", "id", 1}, {"training_sessions_skills", "owner_id, pos", 0},
    {"attendance_marks", "id", 1},           {"attendance_changes", "id", 1}, {"attendance_thresholds", "id", 1},
};

const dom_module mod_training = {
    "training",
    "trainer work: training sessions, attendance, assessment of units of competency, skill awards",
    apEntity, sizeof apEntity / sizeof apEntity[0],
    apRule, sizeof apRule / sizeof apRule[0],
    aScope, sizeof aScope / sizeof aScope[0],
    aTable, sizeof aTable / sizeof aTable[0],
    training_migrations,
};
