/* competitor.c: a learner entered in a category by an institution, with the
 * learner's own consent; they may withdraw until marking starts. Judges are
 * assigned to categories here too (judge.c keeps their rules). */
#include "domain/competition/comp.h"
#include "domain/engine/audit.h"
#include "domain/engine/entity_int.h"
#include <string.h>

extern dom_entity dom_category, dom_person, dom_institution, dom_competitor;

static const char *const azStatus[] = {"entered", "withdrawn", NULL};

static int competitor_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  if (pOld) return gerr_setr(e, GERR_CONFLICT, GR_ENTRY_FIXED, NULL);
  const dom_val *pConsent = dom_v(r, "consent");
  if (!pConsent->bSet || pConsent->bNull || !pConsent->i)
  {
    gerr_setr(e, GERR_VALIDATION, GR_CONSENT_NEEDED, "consent");
    return gerr_msg(e, "consent: taking part is voluntary and needs the competitor's own consent (consent: true)");
  }
  if (comp_require_state(c, "category", dom_v(r, "category_id")->i, "registration", "entry", e))
    return -1;
  dom_set_text(r, "status", "entered");
  dom_set_int(r, "consent_at", c->now);
  dom_set_text(r, "consent_by", c->zActor);
  return 0;
}

static const dom_field aField[] = {
    {"category_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_category, "the category"},
    {"person_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_person, "the competitor"},
    {"institution_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_institution, "the institution entering them"},
    {"consent", DT_BOOL, F_VIRT, 0, 0, NULL, NULL, "must be true: the competitor's own consent"},
    {"status", DT_ENUM, F_RO, 0, 0, azStatus, NULL, "entered or withdrawn"},
    {"consent_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when consent was recorded"},
    {"consent_by", DT_TEXT, F_RO, 0, 0, NULL, NULL, "who recorded it"},
    {"withdrawn_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when they withdrew"},
};
static const dom_filter aFilter[] = {
    {"category", FILT_INT, &dom_category, "category_id = ?", "competitors in this category", NULL},
    {"edition", FILT_INT, NULL, "category_id IN (SELECT id FROM categories WHERE edition_id = ?)",
     "competitors in this edition", NULL},
    {"institution", FILT_INT, &dom_institution, "institution_id = ?", "competitors entered by this institution", NULL},
    {"person", FILT_INT, &dom_person, "person_id = ?", "entries of this person", NULL},
};
/* An entry made in error goes while registration is open (marks refer to it later). */
static int competitor_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  char z[16];
  if (comp_state_of(c, "competitor", pOld->id, z, e)) return -1;
  if (strcmp(z, "draft") && strcmp(z, "registration"))
    return gerr_setr(e, GERR_CONFLICT, GR_ENTRY_STAYS, "state");
  return 0;
}

static const dom_parent aCompetitorParent[] = {{"institution_id", 0, 1}};
static const dom_unique aUnique[] = {
    {{"category_id", "person_id"}, "person_id", "this person is already entered in this category", GR_ALREADY_ENTERED},
};

dom_entity dom_competitor = {
    "competitor", "competitors", "A learner entered in a category, with consent.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    competitor_check, NULL, competitor_can_delete, aUnique, sizeof aUnique / sizeof aUnique[0],
    .apRule = {&pol_signed_in, &pol_signed_in, &comp_rule_entry, NULL, &pol_admin},
    .aParent = aCompetitorParent,
    .nParent = sizeof aCompetitorParent / sizeof aCompetitorParent[0],
    .zTag = "competitions",
    .azSummary = {"List competitors", "Read one entry", "Enter a learner (with their consent) while registration is open", NULL, "Remove an entry made in error (before marking, with no marks)"},
};

int comp_withdraw_competitor(dom_ctx *c, int64_t id, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &comp_rule_entry, &dom_competitor, id, e)) return -1;
  dom_rec r;
  char zState[16];
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_competitor, id, &r, e) || comp_state_of(c, "competitor", id, zState, e)) goto fail;
  if (strcmp(dom_v(&r, "status")->z, "withdrawn") == 0) {
    *pOut = r;
    return db_commit(c->pDb, e);
  }
  if (strcmp(zState, "draft") && strcmp(zState, "registration")) {
    gerr_setr(e, GERR_CONFLICT, GR_WITHDRAW_CLOSED, "state", GP_S("state", zState));
    goto fail;
  }
  dom_set_text(&r, "status", "withdrawn");
  dom_set_int(&r, "withdrawn_at", c->now);
  if (dom_store(c, &r, r.version, e) || dom_get(c, &dom_competitor, id, pOut, e) || audit_record(c, "withdraw", pOut, e))
    goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
