/* unit.c: what a program's skills are assessed against: its units of
 * competency (code, title, and how many occasions of evidence a competent
 * decision needs: the unit's sufficiency), each unit's performance
 * criteria, and the program's assessment setting (how many months evidence
 * stays current). Staff of the program's institution keep them; everyone
 * signed in reads them. */
#include "domain/training/training.h"
#include "domain/engine/entity_int.h"

extern dom_entity dom_program;

#define ASMT_SUFFICIENCY_MAX 20
#define ASMT_CURRENCY_MAX 240

/* A unit's sufficiency is 1 unless it says otherwise. */
static int unit_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)c;
  (void)e;
  const dom_val *v = dom_v(r, "sufficiency");
  if (!pOld && (!v->bSet || v->bNull)) dom_set_int(r, "sufficiency", 1);
  return 0;
}

static const dom_field aUnitField[] = {
    {"program_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_program, "the program whose skill this is"},
    {"code", DT_TEXT, F_REQ, 1, 20, NULL, NULL, "the unit's code, unique in its program (e.g. PAS-01)"},
    {"title", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "what the learner can do, e.g. Prepare choux pastry"},
    {"sufficiency", DT_INT, 0, 1, ASMT_SUFFICIENCY_MAX, NULL, NULL,
     "occasions (assessment events with the learner's current evidence) a competent decision needs; default 1"},
};

static const dom_filter aUnitFilter[] = {
    {"program", FILT_INT, &dom_program, "program_id = ?", "units of this program", NULL},
    {"institution", FILT_INT, NULL, "program_id IN (SELECT id FROM programs WHERE institution_id = ?)",
     "units of this institution's programs", NULL},
    {"q", FILT_CONTAINS, NULL, DOM_CONTAINS("title") " OR " DOM_CONTAINS("code"),
     "text in the unit's title or code, ignoring case", NULL},
};

static const dom_parent aUnitParent[] = {{"program_id", 1u << SCOPE_INSTITUTION, 0}};
static const dom_unique aUnitUnique[] = {
    {{"program_id", "code"}, "code", "the program already has a unit with this code", GR_CODE_TAKEN},
};

dom_entity dom_unit_of_competency = {
    "unit_of_competency", "units_of_competency", "A skill of a program, assessed against its performance criteria.",
    aUnitField, sizeof aUnitField / sizeof aUnitField[0], aUnitFilter, sizeof aUnitFilter / sizeof aUnitFilter[0],
    unit_check, NULL, NULL, aUnitUnique, sizeof aUnitUnique / sizeof aUnitUnique[0],
    .apRule = {&pol_signed_in, &pol_signed_in, &asmt_rule_setup, &asmt_rule_setup, &asmt_rule_setup},
    .aParent = aUnitParent,
    .nParent = 1,
    .zTag = "assessment",
};

static const dom_field aCritField[] = {
    {"unit_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_unit_of_competency, "the unit it belongs to"},
    {"code", DT_TEXT, F_REQ, 1, 20, NULL, NULL, "the criterion's code, unique in its unit (e.g. PC1)"},
    {"text", DT_TEXT, F_REQ, 1, 500, NULL, NULL, "what is observed, e.g. Dough is cooked until it leaves the pan"},
};

static const dom_filter aCritFilter[] = {
    {"unit", FILT_INT, &dom_unit_of_competency, "unit_id = ?", "criteria of this unit", NULL},
    {"program", FILT_INT, &dom_program, "unit_id IN (SELECT id FROM units_of_competency WHERE program_id = ?)",
     "criteria of this program's units", NULL},
};

static const dom_parent aCritParent[] = {{"unit_id", 1u << SCOPE_INSTITUTION, 0}};
static const dom_unique aCritUnique[] = {
    {{"unit_id", "code"}, "code", "the unit already has a criterion with this code", GR_CODE_TAKEN},
};

/* A criterion cannot join a unit whose learners are being assessed:
 * results already recorded would no longer cover the whole unit. Its
 * change of text is allowed (wording). */
static int criterion_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  if (pOld) return 0;
  int64_t n = 0;
  static const char zEvents[] = "SELECT count(*) FROM assessments WHERE unit_id = $1";
  if (db_query_int(c->pDb, zEvents, 1, dom_v(r, "unit_id")->i, &n, e) == DB_ERROR) return -1;
  if (n > 0)
    return gerr_setr(e, GERR_CONFLICT, GR_UNIT_ASSESSED, "unit_id", GP_I("id", dom_v(r, "unit_id")->i), GP_I("count", n));
  return 0;
}

dom_entity dom_performance_criterion = {
    "performance_criterion", "performance_criteria", "What a unit's assessor checks, one decision each.",
    aCritField, sizeof aCritField / sizeof aCritField[0], aCritFilter, sizeof aCritFilter / sizeof aCritFilter[0],
    criterion_check, NULL, NULL, aCritUnique, sizeof aCritUnique / sizeof aCritUnique[0],
    .apRule = {&pol_signed_in, &pol_signed_in, &asmt_rule_setup, &asmt_rule_setup, &asmt_rule_setup},
    .aParent = aCritParent,
    .nParent = 1,
    .zTag = "assessment",
};

static const dom_field aSettingField[] = {
    {"program_id", DT_REF, F_REQ | F_IMMUT | F_UNIQUE, 0, 0, NULL, &dom_program, "the program (one setting each)"},
    {"currency_months", DT_INT, F_REQ, 1, ASMT_CURRENCY_MAX, NULL, NULL,
     "how many months before an assessment its evidence may be dated (without a setting: 24)"},
};

static const dom_filter aSettingFilter[] = {
    {"program", FILT_INT, &dom_program, "program_id = ?", "the setting of this program", NULL},
};

static const dom_parent aSettingParent[] = {{"program_id", 1u << SCOPE_INSTITUTION, 0}};

dom_entity dom_assessment_setting = {
    "assessment_setting", "assessment_settings", "A program's assessment setting: how long evidence stays current.",
    aSettingField, sizeof aSettingField / sizeof aSettingField[0], aSettingFilter,
    sizeof aSettingFilter / sizeof aSettingFilter[0], NULL, NULL, NULL,
    .apRule = {&pol_signed_in, &pol_signed_in, &asmt_rule_setup, &asmt_rule_setup, &asmt_rule_setup},
    .aParent = aSettingParent,
    .nParent = 1,
    .zTag = "assessment",
};
