/* training.h: the training module (trainer work): training sessions and
 * attendance, units of competency and their assessment, and the skill
 * awards learners achieve. Its descriptor is module.c; its access rules and
 * entities are declared here for the API and the module's own files. */
#ifndef GUILD_TRAINING_H
#define GUILD_TRAINING_H
#include "domain/engine/module.h"
#include "domain/imports/import.h"

extern const dom_module mod_training;

/* Sessions and attendance (module.c; what each allows: its zHelp). */
extern const pol_rule trn_rule_session_read, trn_rule_session_write, trn_rule_attendance, trn_rule_mark_read,
    trn_rule_check_in, trn_rule_own_attendance, trn_rule_status_write, trn_rule_threshold_write;
extern dom_entity dom_attendance_status, dom_training_session, dom_attendance_mark, dom_attendance_threshold;
/* ==== assessment and awards (docs/assessment.md) ========================
 * A program's skills are units of competency, each with performance
 * criteria; an assessment event (a cohort, a unit, a date, a method, an
 * assessor who trains the cohort) records for a learner, per criterion,
 * competent or not_yet_competent, with evidence (files kept in the
 * database, content-addressed). A unit is achieved when the latest decision
 * on every criterion (decisions set aside on appeal and second markings do
 * not count) is competent: guild then makes a skill award, and a program
 * award once every unit of the program is achieved and the enrollment is
 * completed. */

#define ASMT_EVIDENCE_MAX ((size_t)10 << 20)   /* the largest evidence file, in bytes (10 MiB; 413 beyond) */
#define ASMT_CURRENCY_DEFAULT 24               /* months evidence stays current, for a program without a setting */
#define ASMT_MAXCRIT 64                        /* performance criteria of one unit */

extern dom_entity dom_unit_of_competency, dom_performance_criterion, dom_assessment_setting, dom_assessment,
    dom_assessment_result, dom_evidence_item, dom_assessment_appeal, dom_skill_award, dom_program_award;

/* The rules (module.c; docs/assessment.md has the table). */
extern const pol_rule asmt_rule_setup, asmt_rule_event, asmt_rule_record, asmt_rule_result_read, asmt_rule_evidence,
    asmt_rule_evidence_upload, asmt_rule_appeal_lodge, asmt_rule_appeal_read, asmt_rule_appeal_decide,
    asmt_rule_award_read, asmt_rule_award_revoke, asmt_rule_agreement;

extern const char *const asmt_outcomes[];         /* competent, not_yet_competent (NULL-terminated) */
extern const char *const asmt_revoke_reasons[];   /* why an award may be revoked (NULL-terminated) */

/* The four declarations an assessor makes about a learner's evidence. */
enum { ASMT_VALID, ASMT_SUFFICIENT, ASMT_AUTHENTIC, ASMT_CURRENT, ASMT__DECL };
extern const char *const asmt_decl_fields[ASMT__DECL];   /* "evidence_valid", ... */

/* One criterion's decision as the assessor gives it. */
typedef struct asmt_decision {
  int64_t idCriterion;
  const char *zOutcome;      /* competent | not_yet_competent */
  int abDecl[ASMT__DECL];    /* 1: declared true */
} asmt_decision;

typedef struct asmt_outcome {
  dom_rec *aResult;          /* the results stored, in the order given (c's arena) */
  int nResult;
  int bAchieved;             /* the unit is achieved after this call */
  int64_t idSkillAward;      /* the skill award this call made, 0: none */
  int64_t idProgramAward;    /* the program award this call made, 0: none */
} asmt_outcome;

/* Records a whole learner's results in assessment event idAssessment: one
 * decision for every criterion of the event's unit, all or nothing, under
 * asmt_rule_record (the event's assessor, staff of its institution). A
 * competent decision needs the four declarations and evidence of the
 * learner in the event; guild checks what it can: every item dated within
 * the program's currency period before the event's date, and as many
 * occasions as the unit asks for (docs/assessment.md). Withdrawn learners
 * and learners who never took a place are not assessed. Each result is
 * audited; a first marking then makes the awards that follow. Returns 0,
 * or -1 with e: GERR_ROWS naming results, with every refused decision as
 * a row (its index in aDec, the field: criterion_id, outcome, evidence_*;
 * e->aRow in c's arena); GERR_VALIDATION when the call is refused as a
 * whole (person_id: the learner is not assessed in the event's cohort;
 * results: the unit has no criteria, or, no decision being refused, one
 * of its criteria has none); GERR_CONFLICT when results are already
 * recorded; GERR_FORBIDDEN / GERR_NOT_FOUND. */
int asmt_record(dom_ctx *c, int64_t idAssessment, int64_t idPerson, const asmt_decision *aDec, int nDec,
                asmt_outcome *pOut, gerr *e);

/* The media types evidence may be (NULL-terminated): images and PDF. */
extern const char *const asmt_evidence_types[];

/* Adds a file of learner idPerson to assessment event idAssessment, under
 * asmt_rule_evidence_upload (the learner themself, the cohort's trainers,
 * the institution's staff): n bytes at p (at most ASMT_EVIDENCE_MAX, GERR_TOO_LARGE
 * beyond) of media type zType, which the bytes must bear out, named
 * zName, dated zDate (the day the evidence was made; NULL: the event's
 * date; never after it). The bytes are stored once however many items
 * name them (their SHA-256 is the key). Audited. pOut: the item. */
int asmt_evidence_add(dom_ctx *c, int64_t idAssessment, int64_t idPerson, const char *zName, const char *zType,
                      const char *zDate, const void *p, size_t n, dom_rec *pOut, gerr *e);
/* The content of evidence item id for the actor (asmt_rule_evidence: the
 * learner, the cohort's trainers, the institution's staff; nobody else,
 * region administrators included): *pp (n bytes in c's arena) and the
 * item in pItem. GERR_NOT_FOUND for an item whose file was erased. */
int asmt_evidence_content(dom_ctx *c, int64_t id, dom_rec *pItem, const void **pp, size_t *pn, gerr *e);

/* Decides appeal id (asmt_rule_appeal_decide): zStatus upheld (the decision
 * or the learner's results in the event are set aside: the learner is
 * reassessed, and the awards that now follow are made) or dismissed.
 * Records who and when; audited. */
int asmt_appeal_decide(dom_ctx *c, int64_t id, const char *zStatus, dom_rec *pOut, gerr *e);

/* Revokes award id of pEnt (dom_skill_award or dom_program_award) with a
 * reason from the fixed list (asmt_rule_award_revoke); audited. */
int asmt_award_revoke(dom_ctx *c, const dom_entity *pEnt, int64_t id, const char *zReason, dom_rec *pOut, gerr *e);

/* Agreement between first and second markers over n pairs of criterion
 * decisions: a[i][j] counts pairs the first marker decided i and the
 * second j (0 competent, 1 not_yet_competent). share = agreeing / n;
 * Cohen's kappa = (po - pe) / (1 - pe), po the share agreeing, pe the
 * agreement expected by chance from each marker's own shares. bShare and
 * bKappa are 0 when undefined (no pairs; pe = 1). */
typedef struct asmt_agreement {
  int64_t a[2][2];
  int64_t n, nAgree;
  double share, kappa;
  int bShare, bKappa;
} asmt_agreement;
/* Fills n, nAgree, share and kappa of p from p->a (pure). */
void asmt_agreement_compute(asmt_agreement *p);

typedef struct asmt_agreement_row {
  int64_t idCohort;
  asmt_agreement g;
} asmt_agreement_row;
/* The agreement over unit idUnit's second markings (asmt_rule_agreement):
 * one row per cohort the actor may see (idCohort: that cohort only, 0:
 * all), in cohort order, in c's arena, and their total. */
int asmt_unit_agreement(dom_ctx *c, int64_t idUnit, int64_t idCohort, asmt_agreement_row **paRow, int *pn,
                        asmt_agreement *pTotal, gerr *e);

/* Imports results from the CSV file zPath (columns assessment, learner,
 * criterion, outcome, evidence_valid, evidence_sufficient,
 * evidence_authentic, evidence_current; docs/assessment.md): each
 * assessment x learner is recorded with asmt_record, all in one
 * transaction, with one more audit entry for the import; any refused row
 * rolls everything back. The report (every refusal by row and column) and
 * the counts are in pRes, in the import engine's form (import.h). 0, or -1
 * with e: a refusal is GERR_ROWS with every entry of the report as a row
 * (CSV row, column, why), as the bulk routes refuse. */
int asmt_import(dom_ctx *c, const char *zPath, imp_result *pRes, gerr *e);

/* The demo's assessments (src/domain/demo/assessment_demo.c). */
int asmt_demo(dom_ctx *c, uint64_t seed, gerr *e);

#endif
