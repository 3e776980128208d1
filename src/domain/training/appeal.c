/* appeal.c: a learner's appeal of an assessment decision (one result) or
 * of an event (all their results in it), for a reason from a fixed list;
 * lodged by the learner themself, decided by staff of the institution:
 * upheld (the decision, or the learner's results in the event, are set
 * aside: the learner is reassessed, and the awards that now follow are
 * made) or dismissed. Who lodged and decided, and when, is recorded and
 * audited. An appeal never blocks anything else (withdrawal included). */
#include "domain/training/asmt_int.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_person;

static const char *const azReason[] = {"procedure_not_followed",        "evidence_not_considered",
                                       "criteria_misapplied",           "assessor_conflict_of_interest",
                                       "reasonable_adjustment_not_made", "other", NULL};
static const char *const azStatus[] = {"lodged", "upheld", "dismissed", NULL};

static const char zOpen[] =
    "SELECT id FROM assessment_appeals WHERE person_id = $1 AND assessment_id = $2 AND status = 'lodged'";
static const char zHasResults[] = "SELECT count(*) FROM assessment_results WHERE assessment_id = $1 AND person_id = $2";

/* Sets field zField of r to v when left out; refuses a value that differs. */
static int same_or_fill(dom_rec *r, const char *zField, int64_t v, const char *zWhy, gerr *e) {
  const dom_val *p = dom_v(r, zField);
  if (!p->bSet || p->bNull) {
    dom_set_int(r, zField, v);
    return 0;
  }
  if (p->i == v) return 0;
  char z[24];
  snprintf(z, sizeof z, "%lld", (long long)v);
  gerr_setr(e, GERR_VALIDATION, GR_RESULT_DIFFERS, zField, GP_S("value", z));
  return gerr_msg(e, "%s: %s (%lld)", zField, zWhy, (long long)v);
}

/* A new appeal: of a result (its event and learner follow from it) or of
 * an event (the learner: the actor's own person when left out); of a
 * first marking with the learner's results in it; one lodged appeal per
 * learner and event at a time. */
static int appeal_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  if (pOld) return 0;
  const dom_val *pResult = dom_v(r, "result_id");
  if (pResult->bSet && !pResult->bNull) {
    dom_rec res;
    if (dom_get(c, &dom_assessment_result, pResult->i, &res, e)) return -1;
    if (same_or_fill(r, "assessment_id", dom_v(&res, "assessment_id")->i, "the result is of another assessment", e) ||
        same_or_fill(r, "person_id", dom_v(&res, "person_id")->i, "the result is another learner's", e))
      return -1;
  }
  if (!dom_v(r, "assessment_id")->bSet || dom_v(r, "assessment_id")->bNull)
    return gerr_setr(e, GERR_VALIDATION, GR_EITHER_NEEDED, "assessment_id", GP_S("other", "result_id"));
  if (!dom_v(r, "person_id")->bSet || dom_v(r, "person_id")->bNull) {
    if (!c->idPerson) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "person_id");
    dom_set_int(r, "person_id", c->idPerson);
  }
  int64_t idEvent = dom_v(r, "assessment_id")->i, idPerson = dom_v(r, "person_id")->i, n = 0;
  dom_rec event;
  if (dom_get(c, &dom_assessment, idEvent, &event, e)) return -1;
  if (!dom_v(&event, "second_marking_of")->bNull)
    return gerr_setr(e, GERR_VALIDATION, GR_APPEAL_SECOND_MARKING, "assessment_id", GP_I("id", idEvent),
                     GP_I("first", dom_v(&event, "second_marking_of")->i));
  if (asmt_query_int2(c, zHasResults, idEvent, idPerson, &n, e)) return -1;
  if (!n)
    return gerr_setr(e, GERR_VALIDATION, GR_NO_RESULTS, "assessment_id", GP_I("person", idPerson), GP_I("id", idEvent));
  if (asmt_query_int2(c, zOpen, idPerson, idEvent, &n, e)) return -1;
  if (n)
    return gerr_setr(e, GERR_CONFLICT, GR_APPEAL_OPEN, "assessment_id", GP_I("id", n));
  dom_set_text(r, "status", "lodged");
  dom_set_int(r, "lodged_at", c->now);
  dom_set_text(r, "lodged_by", c->zActor);
  return 0;
}

static const dom_field aField[] = {
    {"person_id", DT_REF, F_IMMUT, 0, 0, NULL, &dom_person, "the learner (default: the result's, or your own)"},
    {"result_id", DT_REF, F_IMMUT, 0, 0, NULL, &dom_assessment_result, "the decision appealed, or null: the whole event"},
    {"assessment_id", DT_REF, F_IMMUT, 0, 0, NULL, &dom_assessment, "the event (default: the result's)"},
    {"reason", DT_ENUM, F_REQ | F_IMMUT, 0, 0, azReason, NULL,
     "procedure_not_followed, evidence_not_considered, criteria_misapplied, assessor_conflict_of_interest, "
     "reasonable_adjustment_not_made or other"},
    {"status", DT_ENUM, F_RO, 0, 0, azStatus, NULL, "lodged, then upheld or dismissed"},
    {"lodged_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when it was lodged"},
    {"lodged_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who lodged it"},
    {"decided_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when it was decided"},
    {"decided_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who decided it"},
};

static const dom_filter aFilter[] = {
    {"person", FILT_INT, &dom_person, "person_id = ?", "appeals of this learner", NULL},
    {"assessment", FILT_INT, &dom_assessment, "assessment_id = ?", "appeals of this event", NULL},
    {"status", FILT_TEXT, NULL, "status = ?", "appeals with this status", azStatus},
    ASMT_FILTER_INSTITUTION("appeals"),
};

static const dom_parent aParent[] = {
    {"person_id", 1u << SCOPE_SELF, 0}, {"result_id", 1u << SCOPE_SELF, 0}, {"assessment_id", 1u << SCOPE_SELF, 0}};

dom_entity dom_assessment_appeal = {
    "assessment_appeal", "assessment_appeals", "A learner's appeal of a decision or of an event.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0], appeal_check, NULL, NULL,
    .apRule = {&asmt_rule_appeal_read, &asmt_rule_appeal_read, &asmt_rule_appeal_lodge, NULL, NULL},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_SELF] = "person"},
    .aParent = aParent,
    .nParent = sizeof aParent / sizeof aParent[0],
    .zTag = "assessment",
    .azSummary = {[DOM_CREATE] = "Lodge an appeal of a result (result_id) or of an event (assessment_id): the learner "
                                 "themself, for a reason from the list"},
};

int asmt_appeal_decide(dom_ctx *c, int64_t id, const char *zStatus, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &asmt_rule_appeal_decide, &dom_assessment_appeal, id, e)) return -1;
  if (!zStatus || (strcmp(zStatus, "upheld") && strcmp(zStatus, "dismissed")))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "status", GP_S("allowed", "upheld, dismissed"),
                     GP_S("got", zStatus ? zStatus : ""));
  dom_rec r, event;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_assessment_appeal, id, &r, e)) goto fail;
  if (strcmp(dom_v(&r, "status")->z, "lodged")) {
    gerr_setr(e, GERR_CONFLICT, GR_ALREADY_STATE, "status", GP_S("entity", "assessment_appeal"), GP_I("id", id),
              GP_S("state", dom_v(&r, "status")->z));
    gerr_msg(e, "status: appeal %lld was decided already (%s)", (long long)id, dom_v(&r, "status")->z);
    goto fail;
  }
  dom_set_text(&r, "status", zStatus);
  dom_set_int(&r, "decided_at", c->now);
  dom_set_text(&r, "decided_by", c->zActor);
  if (dom_store(c, &r, r.version, e) || dom_get(c, &dom_assessment_appeal, id, pOut, e) ||
      audit_record(c, "decide", pOut, e))
    goto fail;
  if (!strcmp(zStatus, "upheld")) {
    if (dom_get(c, &dom_assessment, dom_v(&r, "assessment_id")->i, &event, e) ||
        asmt_awards_follow(c, dom_v(&r, "person_id")->i, dom_v(&event, "unit_id")->i, NULL, NULL, NULL, e))
      goto fail;
  }
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
