/* attendance_threshold.c: a program's attendance threshold, the rate below
 * which its cohorts' trainers and staff see a learner on the support list
 * (ATT_THRESHOLD_DEFAULT, 80%, for a program without one). A threshold
 * offers support; it never sanctions: nothing in guild blocks or penalises
 * a learner for their attendance, and withdrawal stays free. */
#include "domain/training/attendance.h"
#include "domain/engine/entity_int.h"
#include "domain/registry/registry.h"

static const char zOf[] = "SELECT percent FROM attendance_thresholds WHERE program_id = $1";

static const dom_field aField[] = {
    {"program_id", DT_REF, F_REQ | F_IMMUT | F_UNIQUE, 0, 0, NULL, &dom_program, "the program (one threshold each)"},
    {"percent", DT_INT, F_REQ, 0, 100, NULL, NULL, "attendance rate (percent) below which a learner is offered support"},
};

static const dom_filter aFilter[] = {
    {"program", FILT_INT, &dom_program, "program_id = ?", "the threshold of this program", NULL},
    {"institution", FILT_INT, &dom_institution, "program_id IN (SELECT id FROM programs WHERE institution_id = ?)",
     "thresholds of this institution's programs", NULL},
};

static const dom_parent aParent[] = {{"program_id", 0, 0}};

dom_entity dom_attendance_threshold = {
    "attendance_threshold", "attendance_thresholds",
    "A program's attendance threshold for the support list (default 80%); never a sanction.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    NULL, NULL, NULL, NULL, 0,
    .apRule = {&pol_signed_in, &pol_signed_in, &trn_rule_threshold_write, &trn_rule_threshold_write,
               &trn_rule_threshold_write},
    .aParent = aParent,
    .nParent = sizeof aParent / sizeof aParent[0],
    .zTag = "attendance",
};

int att_threshold_of(dom_ctx *c, int64_t idProgram, int *pPercent, int *pbSet, gerr *e) {
  int64_t v = 0;
  int rc = db_query_int(c->pDb, zOf, 1, idProgram, &v, e);
  if (rc == DB_ERROR) return -1;
  *pbSet = rc == DB_ROW;
  *pPercent = rc == DB_ROW ? (int)v : ATT_THRESHOLD_DEFAULT;
  return 0;
}
