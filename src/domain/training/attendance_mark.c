/* attendance_mark.c: one learner's attendance at one session: the status
 * (a code of the institution's statuses), who set it, when, and how (the
 * trainer's list or the learner's own check-in). Marks are written only by
 * taking attendance (attendance_take.c) and checking in (checkin.c); here
 * they are read, each caller within their scope: staff their institution's,
 * trainers their cohorts', learners their own. */
#include "domain/training/attendance.h"
#include "domain/engine/entity_int.h"
#include "domain/registry/registry.h"

static const char *const azSource[] = {"trainer", "check_in", NULL};

static const dom_field aField[] = {
    {"training_session_id", DT_REF, F_RO, 0, 0, NULL, &dom_training_session, "the session"},
    {"person_id", DT_REF, F_RO, 0, 0, NULL, &dom_person, "the learner"},
    {"status", DT_TEXT, F_RO, 1, 32, NULL, NULL, "a code of the institution's attendance statuses (present, late, ...)"},
    {"source", DT_ENUM, F_RO, 0, 0, azSource, NULL, "trainer (the trainer's list) or check_in (the learner's code)"},
    {"set_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when it was set"},
    {"set_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who set it (user:NAME, token:NAME, cli:LOGIN)"},
};

static const dom_filter aFilter[] = {
    {"session", FILT_INT, &dom_training_session, "training_session_id = ?", "marks of this session", NULL},
    {"person", FILT_INT, &dom_person, "person_id = ?", "marks of this learner", NULL},
    {"cohort", FILT_INT, &dom_cohort, "training_session_id IN (SELECT id FROM training_sessions WHERE cohort_id = ?)",
     "marks in this cohort's sessions", NULL},
    {"institution", FILT_INT, &dom_institution,
     "training_session_id IN (SELECT s.id FROM training_sessions s JOIN cohorts c ON c.id = s.cohort_id "
     "JOIN programs p ON p.id = c.program_id WHERE p.institution_id = ?)",
     "marks at this institution", NULL},
    {"trainer", FILT_INT, &dom_person,
     "training_session_id IN (SELECT s.id FROM training_sessions s JOIN cohorts_trainers t ON t.owner_id = s.cohort_id "
     "WHERE t.value = ?)",
     "marks in the cohorts this person trains", NULL},
    {"status", FILT_TEXT, NULL, "status = ?", "marks with this status", NULL},
};

dom_entity dom_attendance_mark = {
    "attendance_mark", "attendance_marks", "One learner's attendance at one session.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    NULL, NULL, NULL, NULL, 0,
    .apRule = {&trn_rule_mark_read, &trn_rule_mark_read, NULL, NULL, NULL},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer", [SCOPE_SELF] = "person"},
    .zTag = "attendance",
    .azSummary = {"List attendance marks (staff: their institution's; trainers: their cohorts'; learners: their own)",
                  "Read one attendance mark", NULL, NULL, NULL},
};
