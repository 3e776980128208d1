/* attendance_status.c: the statuses a trainer marks (present, late,
 * excused, absent), each with its weight in the rate and whether it counts
 * in the denominator. The region's defaults are rows without an
 * institution (seeded by migration 8, kept by region administrators); an
 * institution's own row of a code replaces the default for it, and its own
 * codes extend the set. A status in use is never deleted (its marks would
 * lose their weight): it is retired with active false. */
#include "domain/training/attendance.h"
#include "domain/engine/entity_int.h"
#include "domain/registry/registry.h"
#include <stdio.h>
#include <string.h>

static const char zRegionCode[] =
    "SELECT count(*) FROM attendance_statuses WHERE institution_id IS NULL AND code = $1 AND id <> $2";
/* marks that resolve to an institution's own status: at that institution, with its code */
static const char zUsedOwn[] =
    "SELECT count(*) FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
    "JOIN cohorts c ON c.id = s.cohort_id JOIN programs p ON p.id = c.program_id "
    "WHERE m.status = $1 AND p.institution_id = $2";
/* marks that resolve to a region default: at institutions without their own row of the code */
static const char zUsedRegion[] =
    "SELECT count(*) FROM attendance_marks m JOIN training_sessions s ON s.id = m.training_session_id "
    "JOIN cohorts c ON c.id = s.cohort_id JOIN programs p ON p.id = c.program_id WHERE m.status = $1 AND NOT EXISTS "
    "(SELECT 1 FROM attendance_statuses a WHERE a.institution_id = p.institution_id AND a.code = $1)";
static const char zSet[] =
    "SELECT id, code, label_key, weight, counts, active, CASE WHEN institution_id IS NULL THEN 0 ELSE 1 END "
    "FROM attendance_statuses WHERE institution_id = $1 OR (institution_id IS NULL AND code NOT IN "
    "(SELECT code FROM attendance_statuses WHERE institution_id = $1)) ORDER BY weight DESC, code";

/* A count of one text parameter and, when i >= 0, an integer one: 0 or -1. */
static int count2(dom_ctx *c, const char *zSql, const char *z, int64_t i, int64_t *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_text(s, 1, z);
  if (i >= 0) db_bind_int(s, 2, i);
  int rc = db_step(s, e);
  *pn = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Codes are short machine words (present, sick_note): the label key says
 * how the interface shows them. A region default's code is unique among the
 * defaults (the table's key covers an institution's own). */
static int status_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  const char *zCode = dom_v(r, "code")->z;
  for (const char *p = zCode; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return gerr_setr(e, GERR_VALIDATION, GR_CODE_CHARS, "code");
  if (!pOld) {
    if (!dom_v(r, "counts")->bSet) dom_set_int(r, "counts", 1);
    if (!dom_v(r, "active")->bSet) dom_set_int(r, "active", 1);
    if (dom_v(r, "institution_id")->bNull || !dom_v(r, "institution_id")->bSet) {
      /* a scoped actor naming no institution (null) would make a default of the region */
      if (!pol_unconfined(c, &trn_rule_status_write))
        return gerr_setr(e, GERR_FORBIDDEN, GR_REGION_DEFAULTS, "institution_id");
      int64_t n = 0;
      if (count2(c, zRegionCode, zCode, 0, &n, e)) return -1;
      if (n) return gerr_setr(e, GERR_CONFLICT, GR_DEFAULT_EXISTS, "code", GP_S("value", zCode));
    }
  }
  return 0;
}

static int status_can_delete(dom_ctx *c, const dom_rec *pOld, gerr *e) {
  const char *zCode = dom_v(pOld, "code")->z;
  const dom_val *pInst = dom_v(pOld, "institution_id");
  int64_t n = 0;
  if (!pInst->bNull) {
    if (count2(c, zRegionCode, zCode, pOld->id, &n, e)) return -1;
    if (n) return 0;   /* its marks fall back to the region's default of the same code */
    if (count2(c, zUsedOwn, zCode, pInst->i, &n, e)) return -1;
  } else if (count2(c, zUsedRegion, zCode, -1, &n, e)) {
    return -1;
  }
  if (n)
    return gerr_setr(e, GERR_CONFLICT, GR_STATUS_IN_USE, NULL, GP_S("value", zCode), GP_I("count", n));
  return 0;
}

static const dom_field aField[] = {
    {"institution_id", DT_REF, F_IMMUT, 0, 0, NULL, &dom_institution,
     "the institution whose status this is; none: a default of the region"},
    {"code", DT_TEXT, F_REQ | F_IMMUT, 1, 32, NULL, NULL, "what marks record, e.g. present (lower case, digits, _)"},
    {"label_key", DT_TEXT, F_REQ, 1, 100, NULL, NULL, "the interface's text key for it, e.g. attendance.present"},
    {"weight", DT_INT, F_REQ, 0, 100, NULL, NULL, "what a mark of it adds to the rate, 0..100 (present 100)"},
    {"counts", DT_BOOL, 0, 0, 0, NULL, NULL,
     "whether a mark of it counts in the denominator of the rate (excused: false); default true"},
    {"active", DT_BOOL, 0, 0, 0, NULL, NULL, "offered to trainers (false: retired, its marks keep counting)"},
};

static const dom_filter aFilter[] = {
    {"institution", FILT_INT, &dom_institution, "institution_id = ?", "this institution's own statuses", NULL},
    {"in_force_at", FILT_INT, &dom_institution,
     "(institution_id = ?1 OR (institution_id IS NULL AND code NOT IN "
     "(SELECT code FROM attendance_statuses WHERE institution_id = ?1)))",
     "the statuses in force at this institution: its own and the region's defaults it has not replaced", NULL},
    {"code", FILT_TEXT, NULL, "code = ?", "statuses with this code", NULL},
};

static const dom_parent aParent[] = {{"institution_id", 0, 1}};
static const dom_unique aUnique[] = {
    {{"institution_id", "code"}, "code", "this institution already has a status with this code", GR_CODE_TAKEN},
};

dom_entity dom_attendance_status = {
    "attendance_status", "attendance_statuses",
    "An attendance status (present, late, excused, absent, ...), its weight and whether it counts.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    status_check, NULL, status_can_delete, aUnique, sizeof aUnique / sizeof aUnique[0],
    .apRule = {&pol_signed_in, &pol_signed_in, &trn_rule_status_write, &trn_rule_status_write, &trn_rule_status_write},
    .aParent = aParent,
    .nParent = sizeof aParent / sizeof aParent[0],
    .zTag = "attendance",
    .seededBy = 9,   /* the region's default statuses (training_schema.c, ATT_SEED) */
};

int att_statuses_load(dom_ctx *c, int64_t idInstitution, att_status_set *p, gerr *e) {
  p->n = 0;
  db_stmt *s = db_prepare(c->pDb, zSet, e);
  if (!s) return -1;
  db_bind_int(s, 1, idInstitution);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW && p->n < ATT_MAXSTATUS) {
    att_status *x = &p->a[p->n++];
    x->id = db_col_int(s, 0);
    x->zCode = arena_strdup(c->pAr, db_col_text(s, 1));
    x->zLabelKey = arena_strdup(c->pAr, db_col_text(s, 2));
    x->weight = (int)db_col_int(s, 3);
    x->bCounts = (int)db_col_int(s, 4);
    x->bActive = (int)db_col_int(s, 5);
    x->bOwn = (int)db_col_int(s, 6);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

const att_status *att_status_find(const att_status_set *p, const char *zCode) {
  for (int i = 0; zCode && i < p->n; i++)
    if (strcmp(p->a[i].zCode, zCode) == 0) return &p->a[i];
  return NULL;
}

void att_status_names(const att_status_set *p, int bActive, char *z, size_t n) {
  size_t k = 0;
  z[0] = 0;
  for (int i = 0; i < p->n && k < n; i++) {
    if (bActive && !p->a[i].bActive) continue;
    int m = snprintf(z + k, n - k, "%s%s", k ? ", " : "", p->a[i].zCode);
    if (m < 0) break;
    k += (size_t)m;
  }
}
