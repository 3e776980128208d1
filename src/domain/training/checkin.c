/* checkin.c: learners check themselves in with the code their trainer
 * shows. The code is derived from the session's hidden secret and the
 * 30-second window of c->now (attendance.h gives the derivation), so the
 * trainer's screen and the check-in agree without storing any code: the
 * current and the previous window's codes are accepted, older ones are
 * refused as expired (a code read off a photo minutes later does not
 * work), and a code of another session is named as such. Check-in is open
 * from ATT_OPEN_BEFORE before the session's start to ATT_CLOSE_AFTER after
 * its end, only to learners enrolled in its cohort; a learner who already
 * has a mark keeps it. */
#include "domain/training/att_int.h"
#include "domain/engine/audit.h"
#include "core/timeutil.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define ATT_EXPIRED_WINDOWS 120   /* how far back (an hour) a code is recognised as this session's, expired */

static const char zEnrollment[] = "SELECT status FROM enrollments WHERE person_id = $1 AND cohort_id = $2";
static const char zMarkOf[] = "SELECT id FROM attendance_marks WHERE training_session_id = $1 AND person_id = $2";
static const char zInsertMark[] =
    "INSERT INTO attendance_marks (version, created_at, updated_at, training_session_id, person_id, status, source, "
    "set_at, set_by) VALUES (1, $1, $1, $2, $3, $4, 'check_in', $1, $5) RETURNING id";
/* the learner's other sessions of the day, whose code they may have typed by mistake */
static const char zOtherSessions[] =
    "SELECT s.id, s.topic, s.start_time, s.checkin_secret FROM training_sessions s JOIN enrollments e "
    "ON e.cohort_id = s.cohort_id WHERE e.person_id = $1 AND e.status = 'enrolled' AND s.date = $2 AND s.id <> $3 "
    "ORDER BY s.id";

int att_code(const unsigned char key[ATT_KEY_BYTES], int64_t w) {
  unsigned char msg[8], mac[crypto_auth_BYTES];
  for (int i = 0; i < 8; i++) msg[i] = (unsigned char)((uint64_t)w >> (56 - 8 * i));
  crypto_auth(mac, msg, sizeof msg, key);
  int off = mac[crypto_auth_BYTES - 1] & 0x0f;
  uint32_t v = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) |
               (uint32_t)mac[off + 3];
  return (int)(v % ATT_CODE_MOD);
}

int att_key_of(const char *zHex, unsigned char key[ATT_KEY_BYTES]) {
  size_t n = 0;
  if (!zHex || strlen(zHex) != 2 * ATT_KEY_BYTES) return -1;
  if (sodium_hex2bin(key, ATT_KEY_BYTES, zHex, strlen(zHex), NULL, &n, NULL) || n != ATT_KEY_BYTES) return -1;
  return 0;
}

/* "HH:MM on YYYY-MM-DD" of t (UTC) into z. */
static void clock_text(int64_t t, char *z, size_t n) {
  char zIso[32];
  time_iso(t, zIso, sizeof zIso);   /* YYYY-MM-DDTHH:MM:SSZ */
  snprintf(z, n, "%.5s UTC on %.10s", zIso + 11, zIso);
}

/* 0 while check-in to p is open at c->now, else 409 saying when it is. */
static int check_open(const dom_ctx *c, const att_session *p, gerr *e) {
  char z[40];
  if (c->now < p->t.tStart - ATT_OPEN_BEFORE) {
    clock_text(p->t.tStart - ATT_OPEN_BEFORE, z, sizeof z);
    return gerr_setr(e, GERR_CONFLICT, GR_CHECKIN_NOT_OPEN, NULL, GP_I("id", p->r.id), GP_S("at", z),
                     GP_I("minutes", ATT_OPEN_BEFORE / 60));
  }
  if (c->now > p->t.tEnd + ATT_CLOSE_AFTER) {
    clock_text(p->t.tEnd + ATT_CLOSE_AFTER, z, sizeof z);
    return gerr_setr(e, GERR_CONFLICT, GR_CHECKIN_CLOSED, NULL, GP_I("id", p->r.id), GP_S("at", z),
                     GP_I("minutes", ATT_CLOSE_AFTER / 60));
  }
  return 0;
}

static int session_key(const att_session *p, unsigned char key[ATT_KEY_BYTES], gerr *e) {
  if (att_key_of(dom_v(&p->r, "checkin_secret")->z, key))
    return gerr_set(e, GERR_INTERNAL, NULL, "session %lld has no valid check-in secret", (long long)p->r.id);
  return 0;
}

int att_code_doc(dom_ctx *c, int64_t idSession, doc_out *d, gerr *e) {
  if (pol_check(c, &trn_rule_attendance, &dom_training_session, idSession, e)) return -1;
  att_session s;
  unsigned char key[ATT_KEY_BYTES];
  if (att_session_load(c, idSession, &s, e) || check_open(c, &s, e) || session_key(&s, key, e)) return -1;
  int64_t w = c->now / ATT_PERIOD;
  char zCode[8];
  snprintf(zCode, sizeof zCode, "%06d", att_code(key, w));
  sodium_memzero(key, sizeof key);
  char *zUrl = arena_printf(c->pAr, "/check-in/%lld?code=%s", (long long)idSession, zCode);
  doc_object(d, NULL);
  doc_int(d, "session_id", idSession);
  doc_text(d, "code", zCode);
  doc_int(d, "period", ATT_PERIOD);
  att_doc_time(d, "shown_from", w * ATT_PERIOD);
  att_doc_time(d, "expires_at", (w + 1) * ATT_PERIOD);
  doc_int(d, "seconds_left", (w + 1) * ATT_PERIOD - c->now);
  att_doc_time(d, "accepted_until", (w + 2) * ATT_PERIOD);
  att_doc_time(d, "check_in_opens", s.t.tStart - ATT_OPEN_BEFORE);
  att_doc_time(d, "check_in_closes", s.t.tEnd + ATT_CLOSE_AFTER);
  doc_text(d, "url", zUrl);
  doc_text(d, "qr_payload", zUrl);
  doc_end(d);
  return 0;
}

/* 0 when zCode is session p's code now or a window ago; else 422 naming
 * code and why: another session's code, expired, or not this session's. */
static int check_code(dom_ctx *c, const att_session *p, int code, gerr *e) {
  unsigned char key[ATT_KEY_BYTES];
  if (session_key(p, key, e)) return -1;
  int64_t w = c->now / ATT_PERIOD;
  int bOk = att_code(key, w) == code || att_code(key, w - 1) == code, bExpired = 0;
  for (int k = 2; !bOk && !bExpired && k <= ATT_EXPIRED_WINDOWS; k++) bExpired = att_code(key, w - k) == code;
  sodium_memzero(key, sizeof key);
  if (bOk) return 0;
  db_stmt *s = db_prepare(c->pDb, zOtherSessions, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->idPerson);
  db_bind_text(s, 2, p->zDate);
  db_bind_int(s, 3, p->r.id);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (att_key_of(db_col_text(s, 3), key)) continue;
    int bThat = att_code(key, w) == code || att_code(key, w - 1) == code;
    sodium_memzero(key, sizeof key);
    if (!bThat) continue;
    gerr_setr(e, GERR_VALIDATION, GR_CODE_OTHER_SESSION, "code", GP_I("session", db_col_int(s, 0)), GP_S("name", db_col_text(s, 1)),
              GP_S("at", db_col_text(s, 2)), GP_I("id", p->r.id));
    db_done(s);
    return -1;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (bExpired)
    return gerr_setr(e, GERR_VALIDATION, GR_CODE_EXPIRED, "code", GP_I("seconds", ATT_PERIOD));
  return gerr_setr(e, GERR_VALIDATION, GR_CODE_WRONG, "code", GP_I("id", p->r.id));
}

/* The learner's enrollment status in the cohort into z ("" when none). */
static int enrollment_status(dom_ctx *c, int64_t idCohort, char *z, size_t n, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zEnrollment, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->idPerson);
  db_bind_int(s, 2, idCohort);
  int rc = db_step(s, e);
  snprintf(z, n, "%s", rc == DB_ROW ? db_col_text(s, 0) : "");
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* The id of the learner's mark at the session into *pId (0: none). */
static int mark_of(dom_ctx *c, int64_t idSession, int64_t *pId, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zMarkOf, e);
  if (!s) return -1;
  db_bind_int(s, 1, idSession);
  db_bind_int(s, 2, c->idPerson);
  int rc = db_step(s, e);
  *pId = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* present, or late when the learner comes after ATT_LATE_AFTER and the
 * institution has an active late; NULL with e when present is not offered. */
static const char *status_now(dom_ctx *c, const att_session *p, gerr *e) {
  att_status_set set;
  if (att_statuses_load(c, p->idInstitution, &set, e)) return NULL;
  const att_status *pLate = att_status_find(&set, "late"), *pPresent = att_status_find(&set, "present");
  if (c->now > p->t.tStart + ATT_LATE_AFTER && pLate && pLate->bActive) return "late";
  if (pPresent && pPresent->bActive) return "present";
  gerr_setr(e, GERR_CONFLICT, GR_NO_PRESENT_STATUS, NULL);
  return NULL;
}

int att_check_in(dom_ctx *c, int64_t idSession, const char *zCode, dom_rec *pMark, int *pbNew, gerr *e) {
  if (pol_check(c, &trn_rule_check_in, &dom_training_session, idSession, e)) return -1;
  *pbNew = 0;
  if (c->idPerson <= 0) return gerr_setr(e, GERR_FORBIDDEN, GR_LEARNERS_ONLY, NULL);
  int code = 0;
  for (int i = 0; zCode && i < 6; i++) code = zCode[i] >= '0' && zCode[i] <= '9' ? code * 10 + (zCode[i] - '0') : -1;
  if (!zCode || strlen(zCode) != 6 || code < 0)
    return gerr_setr(e, GERR_VALIDATION, GR_CODE_FORM, "code");
  att_session s;
  char zStatus[24];
  int64_t idMark = 0;
  if (db_begin(c->pDb, e)) return -1;
  if (att_session_load(c, idSession, &s, e) || enrollment_status(c, s.idCohort, zStatus, sizeof zStatus, e)) goto fail;
  if (strcmp(zStatus, "enrolled")) {
    gerr_setr(e, GERR_CONFLICT, GR_NOT_ENROLLED, NULL, GP_I("id", s.idCohort), GP_S("status", zStatus[0] ? zStatus : "missing"));
    goto fail;
  }
  if (check_open(c, &s, e) || check_code(c, &s, code, e) || mark_of(c, idSession, &idMark, e)) goto fail;
  if (!idMark) {
    const char *zNow = status_now(c, &s, e);
    if (!zNow) goto fail;
    db_stmt *st = db_prepare(c->pDb, zInsertMark, e);
    if (!st) goto fail;
    db_bind_int(st, 1, c->now);
    db_bind_int(st, 2, idSession);
    db_bind_int(st, 3, c->idPerson);
    db_bind_text(st, 4, zNow);
    db_bind_text(st, 5, c->zActor);
    int rc = db_step(st, e);
    if (rc == DB_ROW) idMark = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) {
      if (rc == DB_DONE) gerr_set(e, GERR_DB, NULL, "the check-in was not stored");
      goto fail;
    }
    *pbNew = 1;
  }
  if (dom_get(c, &dom_attendance_mark, idMark, pMark, e)) goto fail;
  if (*pbNew && audit_record(c, "check_in", pMark, e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
