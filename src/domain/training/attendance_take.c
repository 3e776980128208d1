/* attendance_take.c: a trainer takes a session's attendance for the whole
 * cohort in one action: a list of learner -> status, checked row by row
 * and written all or nothing (a refusal is GERR_ROWS: every refused row
 * with its index in marks, its field and why, gerr_rows_fail). Only learners enrolled in the cohort are marked. Every mark
 * keeps who set it and when; a mark that changes keeps its old value in
 * attendance_changes (like a competition mark's corrections), and after
 * the session's day a change needs a reason from att_change_reasons and is
 * audited as a correction of its own. The action itself is one audit entry
 * (action attendance, the session, a digest of every row written). Also the
 * session's roster: its learners with their marks and change history. */
#include "domain/training/att_int.h"
#include "domain/engine/audit.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const att_change_reasons[] = {"entry_error",    "arrived_late", "absence_excused", "check_in_failed",
                                          "other",          NULL};

/* Everyone of the cohort (whatever their enrollment's status), with their mark at the session. */
static const char zRoster[] =
    "SELECT e.person_id, e.status, pe.given_name, coalesce(pe.family_name, ''), m.id, m.status, m.source, m.set_at, "
    "m.set_by FROM enrollments e JOIN persons pe ON pe.id = e.person_id LEFT JOIN attendance_marks m "
    "ON m.training_session_id = $1 AND m.person_id = e.person_id WHERE e.cohort_id = $2 "
    "ORDER BY e.person_id";
static const char zLockSession[] = "UPDATE training_sessions SET marked_at = $1, marked_by = $2 WHERE id = $3";
static const char zInsert[] =
    "INSERT INTO attendance_marks (version, created_at, updated_at, training_session_id, person_id, status, source, "
    "set_at, set_by) VALUES (1, $1, $1, $2, $3, $4, 'trainer', $1, $5) RETURNING id";
static const char zUpdate[] =
    "UPDATE attendance_marks SET version = version + 1, updated_at = $1, status = $2, source = 'trainer', set_at = $1, "
    "set_by = $3 WHERE id = $4";
static const char zChange[] =
    "INSERT INTO attendance_changes (mark_id, at, actor, reason, old_status, new_status, old_source, old_set_at, "
    "old_set_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char zChanges[] =
    "SELECT h.mark_id, h.at, h.actor, h.reason, h.old_status, h.new_status, h.old_source, h.old_set_at, h.old_set_by "
    "FROM attendance_changes h JOIN attendance_marks m ON m.id = h.mark_id WHERE m.training_session_id = $1 "
    "ORDER BY h.mark_id, h.id";

void att_doc_time(doc_out *d, const char *zKey, int64_t t) {
  char z[32];
  if (!t) {
    doc_null(d, zKey);
    return;
  }
  time_iso(t, z, sizeof z);
  doc_text(d, zKey, z);
}

void att_doc_mark(doc_out *d, const char *zStatus, const char *zSource, int64_t tSet, const char *zSetBy) {
  doc_text(d, "status", zStatus);
  doc_text(d, "source", zSource);
  att_doc_time(d, "set_at", tSet);
  doc_text(d, "set_by", zSetBy);
}

void att_doc_statuses(doc_out *d, const char *zKey, const att_status_set *p) {
  doc_array(d, zKey);
  for (int i = 0; i < p->n; i++) {
    doc_object(d, NULL);
    doc_text(d, "code", p->a[i].zCode);
    doc_text(d, "label_key", p->a[i].zLabelKey);
    doc_int(d, "weight", p->a[i].weight);
    doc_bool(d, "counts", p->a[i].bCounts);
    doc_bool(d, "active", p->a[i].bActive);
    doc_end(d);
  }
  doc_end(d);
}

/* One learner of the roster. */
typedef struct roster_row {
  int64_t person_id, mark_id, set_at;
  const char *zEnrollment, *zGiven, *zFamily, *zStatus, *zSource, *zSetBy;   /* zStatus NULL: no mark */
  const att_row *pIn;   /* the row of the call that names them */
  int bChanged;
} roster_row;

static int roster_load(dom_ctx *c, const att_session *p, roster_row **pa, int *pn, gerr *e) {
  int n = 0, nAlloc = 0;
  roster_row *a = NULL;
  db_stmt *s = db_prepare(c->pDb, zRoster, e);
  if (!s) return -1;
  db_bind_int(s, 1, p->r.id);
  db_bind_int(s, 2, p->idCohort);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    a = att_grow(c->pAr, a, n, &nAlloc, sizeof *a);
    roster_row *x = &a[n++];
    memset(x, 0, sizeof *x);
    x->person_id = db_col_int(s, 0);
    x->zEnrollment = arena_strdup(c->pAr, db_col_text(s, 1));
    x->zGiven = arena_strdup(c->pAr, db_col_text(s, 2));
    x->zFamily = arena_strdup(c->pAr, db_col_text(s, 3));
    if (!db_col_null(s, 4)) {
      x->mark_id = db_col_int(s, 4);
      x->zStatus = arena_strdup(c->pAr, db_col_text(s, 5));
      x->zSource = arena_strdup(c->pAr, db_col_text(s, 6));
      x->set_at = db_col_int(s, 7);
      x->zSetBy = arena_strdup(c->pAr, db_col_text(s, 8));
    }
  }
  db_done(s);
  *pa = a;
  *pn = n;
  return rc == DB_ERROR ? -1 : 0;
}

static roster_row *roster_find(roster_row *a, int n, int64_t id) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (a[mid].person_id == id) return &a[mid];
    if (a[mid].person_id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

int att_too_many(gerr *e) {
  gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, "marks", GP_I("max", ATT_MAXROWS));
  return gerr_msg(e, "marks: at most %d learners at once", ATT_MAXROWS);
}

static int known_reason(const char *z) {
  for (const char *const *p = att_change_reasons; z && *p; p++)
    if (strcmp(*p, z) == 0) return 1;
  return 0;
}

/* The reasons as one line, "entry_error, arrived_late, ...". */
static void reason_names(char *z, size_t n) {
  z[0] = 0;
  for (const char *const *pz = att_change_reasons; *pz; pz++)
    snprintf(z + strlen(z), n - strlen(z), "%s%s", z[0] ? ", " : "", *pz);
}

/* Checks every row against the roster, the statuses and the reasons; a
 * refused row names its rule (reason and parameters) and keeps the
 * server's words as its message. */
static void check_rows(int bAfter, int64_t idCohort, const att_status_set *st, roster_row *aR, int nR, const att_row *a,
                       int n, const char *zReason, gerr_rows *r) {
  char zNames[400], zReasons[200], zId[24];
  att_status_names(st, 1, zNames, sizeof zNames);
  reason_names(zReasons, sizeof zReasons);
  for (int i = 0; i < n; i++) {
    const att_row *x = &a[i];
    roster_row *w = roster_find(aR, nR, x->person_id);
    const att_status *s = att_status_find(st, x->zStatus);
    const char *zGiven = x->zReason ? x->zReason : zReason;
    gerr eRow;
    gerr_clear(&eRow);
    snprintf(zId, sizeof zId, "%lld", (long long)x->person_id);
    if (!w) {
      gerr_setr(&eRow, GERR_VALIDATION, GR_NOT_IN_COHORT, "person_id", GP_I("person", x->person_id), GP_I("id", idCohort));
      gerr_msg(&eRow, "not a learner of this session's cohort");
    } else if (strcmp(w->zEnrollment, "enrolled")) {
      gerr_setr(&eRow, GERR_VALIDATION, GR_NOT_MARKABLE, "person_id", GP_I("person", x->person_id),
                GP_S("status", w->zEnrollment));
      gerr_msg(&eRow, "not enrolled in the cohort (their enrollment is %s)", w->zEnrollment);
    } else if (w->pIn) {
      gerr_setr(&eRow, GERR_VALIDATION, GR_LISTED_TWICE, "person_id", GP_S("value", zId));
      gerr_msg(&eRow, "listed twice");
    } else if (!s || !s->bActive) {
      gerr_setr(&eRow, GERR_VALIDATION, GR_NOT_ONE_OF, "status", GP_S("allowed", zNames), GP_S("got", x->zStatus));
      gerr_msg(&eRow, "status must be one of %s", zNames);
    } else if (zGiven && !known_reason(zGiven)) {
      gerr_setr(&eRow, GERR_VALIDATION, GR_NOT_ONE_OF, "reason", GP_S("allowed", zReasons), GP_S("got", zGiven));
      gerr_msg(&eRow, "reason must be one of %s", zReasons);
    } else {
      w->pIn = x;
      w->bChanged = w->zStatus && strcmp(w->zStatus, x->zStatus) != 0;
      if (w->bChanged && bAfter && !zGiven) {
        gerr_setr(&eRow, GERR_VALIDATION, GR_CHANGE_NEEDS_REASON, "reason", GP_S("allowed", zReasons));
        gerr_msg(&eRow, "changing a mark after the session's day needs a reason, one of %s", zReasons);
      }
    }
    if (eRow.code != GERR_OK) gerr_rows_add(r, i, 0, NULL, &eRow);
  }
}

static int run(db_stmt *s, gerr *e) {
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Writes one row: a new mark, or the change of one (with its history), and
 * tells the audit log of the mark as stored (audit_note_stored; a
 * correction after the day is an entry of its own). */
static int write_row(dom_ctx *c, const att_session *p, int bAfter, const roster_row *w, const char *zReason,
                     gerr *e) {
  const att_row *x = w->pIn;
  if (!w->zStatus) {
    db_stmt *s = db_prepare(c->pDb, zInsert, e);
    if (!s) return -1;
    db_bind_int(s, 1, c->now);
    db_bind_int(s, 2, p->r.id);
    db_bind_int(s, 3, x->person_id);
    db_bind_text(s, 4, x->zStatus);
    db_bind_text(s, 5, c->zActor);
    int rc = db_step(s, e);
    int64_t idMark = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    if (rc != DB_ROW) return rc == DB_DONE ? gerr_set(e, GERR_DB, NULL, "the mark was not stored") : -1;
    return audit_note_stored(c, &dom_attendance_mark, idMark, e);
  }
  const char *zWhy = x->zReason ? x->zReason : zReason;
  db_stmt *s = db_prepare(c->pDb, zChange, e);
  if (!s) return -1;
  db_bind_int(s, 1, w->mark_id);
  db_bind_int(s, 2, c->now);
  db_bind_text(s, 3, c->zActor);
  db_bind_text(s, 4, zWhy);
  db_bind_text(s, 5, w->zStatus);
  db_bind_text(s, 6, x->zStatus);
  db_bind_text(s, 7, w->zSource);
  db_bind_int(s, 8, w->set_at);
  db_bind_text(s, 9, w->zSetBy);
  if (run(s, e)) return -1;
  s = db_prepare(c->pDb, zUpdate, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->now);
  db_bind_text(s, 2, x->zStatus);
  db_bind_text(s, 3, c->zActor);
  db_bind_int(s, 4, w->mark_id);
  if (run(s, e)) return -1;
  if (!bAfter) return audit_note_stored(c, &dom_attendance_mark, w->mark_id, e);
  dom_rec m;   /* a correction after the day: an audit entry of its own */
  return dom_get(c, &dom_attendance_mark, w->mark_id, &m, e) || audit_record(c, "correct", &m, e) ? -1 : 0;
}

int att_take(dom_ctx *c, int64_t idSession, const att_row *a, int n, const char *zReason, doc_out *d, gerr *e) {
  if (pol_check(c, &trn_rule_attendance, &dom_training_session, idSession, e)) return -1;
  if (n < 1) {
    gerr_setr(e, GERR_VALIDATION, GR_EMPTY, "marks");
    return gerr_msg(e, "marks: give at least one learner and their status");
  }
  if (n > ATT_MAXROWS) return att_too_many(e);
  if (zReason && !known_reason(zReason)) {
    char z[200];
    reason_names(z, sizeof z);
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "reason", GP_S("allowed", z), GP_S("got", zReason));
    return gerr_msg(e, "reason: one of %s", z);
  }
  att_session s;
  att_status_set st;
  roster_row *aR;
  int nR;
  gerr_rows r;
  gerr_rows_init(&r, c->pAr);
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *lock = db_prepare(c->pDb, zLockSession, e);   /* one taker of a session's attendance at a time */
  if (!lock) goto fail;
  db_bind_int(lock, 1, c->now);
  db_bind_text(lock, 2, c->zActor);
  db_bind_int(lock, 3, idSession);
  if (run(lock, e) || att_session_load(c, idSession, &s, e)) goto fail;
  if (c->now < s.t.tDay) {
    gerr_setr(e, GERR_CONFLICT, GR_ATTENDANCE_EARLY, "marks", GP_S("date", s.zDate));
    goto fail;
  }
  int bAfter = att_after_day(c, &s);
  if (att_statuses_load(c, s.idInstitution, &st, e) || roster_load(c, &s, &aR, &nR, e)) goto fail;
  check_rows(bAfter, s.idCohort, &st, aR, nR, a, n, zReason, &r);
  if (gerr_rows_fail(e, &r, n, "marks")) goto fail;
  int nNew = 0, nChanged = 0, nSame = 0;
  gbuf b;
  gbuf_init(&b, (size_t)n * 64 + 64);
  for (int i = 0; i < nR; i++) {
    roster_row *w = &aR[i];
    if (!w->pIn) continue;
    if (w->zStatus && !w->bChanged) {
      nSame++;
      continue;
    }
    if (write_row(c, &s, bAfter, w, zReason, e)) {
      gbuf_free(&b);
      goto fail;
    }
    w->zStatus ? nChanged++ : nNew++;
    gbuf_printf(&b, "%lld=%s;", (long long)w->person_id, w->pIn->zStatus);
  }
  char zDigest[AUDIT_HEX];
  audit_digest_bytes(b.z ? b.z : "", b.n, zDigest);
  gbuf_free(&b);
  if (audit_note_stored(c, &dom_training_session, idSession, e) ||   /* marked_at, marked_by */
      audit_append(c, "attendance", "training_session", idSession, zDigest, e) || db_commit(c->pDb, e))
    goto fail;
  doc_object(d, NULL);
  doc_int(d, "session_id", idSession);
  doc_int(d, "created", nNew);
  doc_int(d, "changed", nChanged);
  doc_int(d, "unchanged", nSame);
  doc_array(d, "unmarked");   /* enrolled learners still without a mark */
  for (int i = 0; i < nR; i++)
    if (!aR[i].zStatus && !aR[i].pIn && strcmp(aR[i].zEnrollment, "enrolled") == 0) doc_int(d, NULL, aR[i].person_id);
  doc_end(d);
  doc_array(d, "marks");   /* every mark of the session now */
  for (int i = 0; i < nR; i++) {
    const roster_row *w = &aR[i];
    if (!w->pIn && !w->zStatus) continue;
    int bWritten = w->pIn && (!w->zStatus || w->bChanged);
    doc_object(d, NULL);
    doc_int(d, "person_id", w->person_id);
    att_doc_mark(d, w->pIn ? w->pIn->zStatus : w->zStatus, bWritten ? "trainer" : w->zSource,
                 bWritten ? c->now : w->set_at, bWritten ? c->zActor : w->zSetBy);
    doc_bool(d, "written", bWritten);
    doc_end(d);
  }
  doc_end(d);
  doc_end(d);
  return 0;
fail:
  db_rollback(c->pDb);
  return -1;
}

/* One change of a mark (attendance_changes). */
typedef struct change_row {
  int64_t mark_id, at, old_set_at;
  const char *zActor, *zReason, *zOld, *zNew, *zOldSource, *zOldSetBy;
} change_row;

static int changes_load(dom_ctx *c, int64_t idSession, change_row **pa, int *pn, gerr *e) {
  int n = 0, nAlloc = 0;
  change_row *a = NULL;
  db_stmt *s = db_prepare(c->pDb, zChanges, e);
  if (!s) return -1;
  db_bind_int(s, 1, idSession);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    a = att_grow(c->pAr, a, n, &nAlloc, sizeof *a);
    change_row *x = &a[n++];
    x->mark_id = db_col_int(s, 0);
    x->at = db_col_int(s, 1);
    x->zActor = arena_strdup(c->pAr, db_col_text(s, 2));
    x->zReason = db_col_null(s, 3) ? NULL : arena_strdup(c->pAr, db_col_text(s, 3));
    x->zOld = arena_strdup(c->pAr, db_col_text(s, 4));
    x->zNew = arena_strdup(c->pAr, db_col_text(s, 5));
    x->zOldSource = arena_strdup(c->pAr, db_col_text(s, 6));
    x->old_set_at = db_col_int(s, 7);
    x->zOldSetBy = arena_strdup(c->pAr, db_col_text(s, 8));
  }
  db_done(s);
  *pa = a;
  *pn = n;
  return rc == DB_ERROR ? -1 : 0;
}

int att_roster_doc(dom_ctx *c, int64_t idSession, doc_out *d, gerr *e) {
  if (pol_check(c, &trn_rule_attendance, &dom_training_session, idSession, e)) return -1;
  att_session s;
  att_status_set st;
  roster_row *aR;
  change_row *aH;
  int nR, nH;
  if (att_session_load(c, idSession, &s, e) || att_statuses_load(c, s.idInstitution, &st, e) ||
      roster_load(c, &s, &aR, &nR, e) || changes_load(c, idSession, &aH, &nH, e))
    return -1;
  const dom_val *pAt = dom_v(&s.r, "marked_at"), *pBy = dom_v(&s.r, "marked_by");
  doc_object(d, NULL);
  doc_int(d, "session_id", idSession);
  doc_int(d, "cohort_id", s.idCohort);
  doc_text(d, "date", s.zDate);
  doc_bool(d, "after_day", att_after_day(c, &s));
  att_doc_time(d, "marked_at", pAt->bNull ? 0 : pAt->i);
  doc_text(d, "marked_by", pBy->bNull ? NULL : pBy->z);
  att_doc_statuses(d, "statuses", &st);
  doc_array(d, "reasons");
  for (const char *const *pz = att_change_reasons; *pz; pz++) doc_text(d, NULL, *pz);
  doc_end(d);
  doc_array(d, "learners");
  for (int i = 0; i < nR; i++) {
    const roster_row *w = &aR[i];
    doc_object(d, NULL);
    doc_int(d, "person_id", w->person_id);
    doc_text(d, "given_name", w->zGiven);
    doc_text(d, "family_name", w->zFamily[0] ? w->zFamily : NULL);
    doc_text(d, "enrollment_status", w->zEnrollment);
    doc_bool(d, "markable", strcmp(w->zEnrollment, "enrolled") == 0);
    if (w->zStatus) {
      doc_object(d, "mark");
      doc_int(d, "id", w->mark_id);
      att_doc_mark(d, w->zStatus, w->zSource, w->set_at, w->zSetBy);
      doc_end(d);
    } else {
      doc_null(d, "mark");
    }
    doc_array(d, "changes");   /* oldest first */
    for (int k = 0; k < nH; k++) {
      const change_row *h = &aH[k];
      if (!w->mark_id || h->mark_id != w->mark_id) continue;
      doc_object(d, NULL);
      att_doc_time(d, "at", h->at);
      doc_text(d, "actor", h->zActor);
      doc_text(d, "reason", h->zReason);
      doc_text(d, "old_status", h->zOld);
      doc_text(d, "new_status", h->zNew);
      doc_text(d, "old_source", h->zOldSource);
      att_doc_time(d, "old_set_at", h->old_set_at);
      doc_text(d, "old_set_by", h->zOldSetBy);
      doc_end(d);
    }
    doc_end(d);
    doc_end(d);
  }
  doc_end(d);
  doc_end(d);
  return 0;
}
