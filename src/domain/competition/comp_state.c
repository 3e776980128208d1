/* comp_state.c: an edition's state machine, and the state every
 * competition record depends on (setup only in draft, entries during
 * registration, marks during marking). */
#include "domain/competition/comp.h"
#include "domain/engine/audit.h"
#include "domain/engine/entity_int.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_edition;

/* The edition of each kind of competition record. $1 is the record's id. */
static const struct {
  const char *zEntity, *zSql;
} aStateSql[] = {
    {"edition", "SELECT state FROM editions WHERE id = $1"},
    {"category", "SELECT e.state FROM editions e JOIN categories c ON c.edition_id = e.id WHERE c.id = $1"},
    {"criterion", "SELECT e.state FROM editions e JOIN categories c ON c.edition_id = e.id "
                  "JOIN criteria r ON r.category_id = c.id WHERE r.id = $1"},
    {"aspect", "SELECT e.state FROM editions e JOIN categories c ON c.edition_id = e.id "
               "JOIN criteria r ON r.category_id = c.id JOIN aspects a ON a.criterion_id = r.id WHERE a.id = $1"},
    {"competitor", "SELECT e.state FROM editions e JOIN categories c ON c.edition_id = e.id "
                   "JOIN competitors p ON p.category_id = c.id WHERE p.id = $1"},
};

int comp_state_of(dom_ctx *c, const char *zEntity, int64_t id, char *z, gerr *e) {
  for (size_t i = 0; i < sizeof aStateSql / sizeof aStateSql[0]; i++) {
    if (strcmp(aStateSql[i].zEntity, zEntity)) continue;
    db_stmt *s = db_prepare(c->pDb, aStateSql[i].zSql, e);
    if (!s) return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == DB_ROW) snprintf(z, 16, "%s", db_col_text(s, 0));
    db_done(s);
    if (rc == DB_ERROR) return -1;
    if (rc == DB_DONE) {
      gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, NULL, GP_S("entity", zEntity), GP_I("id", id));
      snprintf(e->msg, sizeof e->msg, "%s %lld does not exist", zEntity, (long long)id);
      return -1;
    }
    return 0;
  }
  g_panic("no edition state for %s", zEntity);
}

/* What each action that depends on the edition's state is, in English. */
static const struct {
  const char *zCode, *zEnglish;
} aDoing[] = {
    {"scheme", "the marking scheme is written"}, {"entry", "competitors are entered"},
    {"marking", "marks are entered"},            {"lock", "a category is locked"},
    {"correction", "marks are corrected"},       {"delete", "an edition is deleted"},
};

int comp_state_refusal(gerr *e, const char *zDoing, const char *zWant, const char *zState) {
  size_t i = 0;
  while (i < sizeof aDoing / sizeof aDoing[0] && strcmp(aDoing[i].zCode, zDoing)) i++;
  if (i == sizeof aDoing / sizeof aDoing[0]) g_panic("no such action: %s", zDoing);
  gerr_setr(e, GERR_CONFLICT, GR_EDITION_STATE, "state", GP_S("doing", zDoing), GP_S("want", zWant),
            GP_S("state", zState));
  return gerr_msg(e, "%s while the edition is in %s; it is in %s", aDoing[i].zEnglish, zWant, zState);
}

int comp_require_state(dom_ctx *c, const char *zEntity, int64_t id, const char *zWant, const char *zDoing, gerr *e) {
  char z[16];
  if (comp_state_of(c, zEntity, id, z, e)) return -1;
  if (strcmp(z, zWant) != 0) return comp_state_refusal(e, zDoing, zWant, z);
  return 0;
}

/* Every allowed step, with what it checks (NULL: nothing). */
static int check_schemes(dom_ctx *c, int64_t idEdition, gerr *e);
static int check_judges(dom_ctx *c, int64_t idEdition, gerr *e);
static int check_locked(dom_ctx *c, int64_t idEdition, gerr *e);

static const struct {
  const char *zFrom, *zTo;
  int (*xCheck)(dom_ctx *c, int64_t idEdition, gerr *e);
} aStep[] = {
    {"draft", "registration", check_schemes},
    {"registration", "marking", check_judges},
    {"marking", "locked", check_locked},
    {"locked", "published", NULL},
};

static const char zNoCategory[] = "SELECT count(*) FROM categories WHERE edition_id = $1";
/* Criteria whose aspects' maximum marks do not add up to the weight, and
 * categories whose weights do not add up to 100. */
static const char zBadCriterion[] =
    "SELECT c.name || ' ' || r.code FROM criteria r JOIN categories c ON c.id = r.category_id WHERE c.edition_id = $1 "
    "AND r.weight * 100 <> (SELECT coalesce(sum(a.max_mark), 0) FROM aspects a WHERE a.criterion_id = r.id)";
static const char zBadWeights[] =
    "SELECT c.name FROM categories c WHERE c.edition_id = $1 "
    "AND (SELECT coalesce(sum(r.weight), 0) FROM criteria r WHERE r.category_id = c.id) <> 100";
static const char zFewJudges[] =
    "SELECT c.name FROM categories c WHERE c.edition_id = $1 AND (SELECT count(*) FROM judges j "
    "WHERE j.category_id = c.id) < 3";
static const char zUnlocked[] = "SELECT c.name FROM categories c WHERE c.edition_id = $1 AND c.locked_at IS NULL";

/* The first row of a one-text-column query, or "" (GERR on error: -1). */
static int first_text(dom_ctx *c, const char *zSql, int64_t id, char *zOut, size_t nOut, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  int rc = db_step(s, e);
  zOut[0] = 0;
  if (rc == DB_ROW) snprintf(zOut, nOut, "%s", db_col_text(s, 0));
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

static int check_schemes(dom_ctx *c, int64_t idEdition, gerr *e) {
  int64_t n = 0;
  char z[300];
  if (db_query_int(c->pDb, zNoCategory, 1, idEdition, &n, e) == DB_ERROR) return -1;
  if (n == 0) return gerr_setr(e, GERR_CONFLICT, GR_NO_CATEGORIES, "state");
  if (first_text(c, zBadWeights, idEdition, z, sizeof z, e)) return -1;
  if (z[0]) return gerr_setr(e, GERR_CONFLICT, GR_WEIGHTS_SUM, "state", GP_S("name", z));
  if (first_text(c, zBadCriterion, idEdition, z, sizeof z, e)) return -1;
  if (z[0])
    return gerr_setr(e, GERR_CONFLICT, GR_ASPECTS_SUM, "state", GP_S("name", z));
  return 0;
}

/* At least three judges in each category, and for each competitor enough
 * of them from other institutions to mark them. */
static int check_judges(dom_ctx *c, int64_t idEdition, gerr *e) {
  char z[300];
  if (first_text(c, zFewJudges, idEdition, z, sizeof z, e)) return -1;
  if (z[0]) return gerr_setr(e, GERR_CONFLICT, GR_FEW_JUDGES, "state", GP_S("name", z));
  return comp_check_edition_markable(c, idEdition, e);
}

static int check_locked(dom_ctx *c, int64_t idEdition, gerr *e) {
  char z[300];
  if (first_text(c, zUnlocked, idEdition, z, sizeof z, e)) return -1;
  if (z[0]) return gerr_setr(e, GERR_CONFLICT, GR_NOT_LOCKED, "state", GP_S("name", z));
  return 0;
}

int comp_transition(dom_ctx *c, int64_t idEdition, const char *zTo, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &pol_admin, &dom_edition, idEdition, e)) return -1;
  dom_rec r;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_edition, idEdition, &r, e)) goto fail;
  const char *zFrom = dom_v(&r, "state")->z;
  size_t i = 0;
  while (i < sizeof aStep / sizeof aStep[0] && (strcmp(aStep[i].zFrom, zFrom) || strcmp(aStep[i].zTo, zTo))) i++;
  if (i == sizeof aStep / sizeof aStep[0]) {
    gerr_setr(e, GERR_CONFLICT, GR_EDITION_MOVE, "to", GP_S("from", zFrom), GP_S("to", zTo));
    goto fail;
  }
  if (aStep[i].xCheck && aStep[i].xCheck(c, idEdition, e)) goto fail;
  dom_set_text(&r, "state", zTo);
  if (dom_store(c, &r, r.version, e)) goto fail;
  if (dom_get(c, &dom_edition, idEdition, pOut, e)) goto fail;
  if (audit_record(c, zTo, pOut, e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
