/* session.c: signing in and out, sessions, API tokens and sign-in
 * throttling. Sessions and throttling live in the database, so several
 * servers share them. */
#include "domain/accounts/auth.h"
#include "domain/engine/audit.h"
#include "domain/accounts/password.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

extern dom_entity dom_user;

static const char zFindUser[] = "SELECT id, password_hash, disabled FROM users WHERE username = $1";
static const char zThrottleGet[] = "SELECT failures, last_failure_at FROM login_throttle WHERE key = $1";
static const char zThrottleFail[] =
    "INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2) "
    "ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 "
    "ELSE login_throttle.failures + 1 END, last_failure_at = $2";
static const char zThrottleClear[] = "DELETE FROM login_throttle WHERE key = $1";
static const char zNewSession[] =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $4, $5) RETURNING id";
static const char zSession[] =
    "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.username, coalesce(u.person_id, 0), "
    "u.password_must_change "
    "FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND u.disabled = 0";
static const char zTouch[] = "UPDATE sessions SET last_seen_at = $1 WHERE id = $2";
static const char zRevoke[] =
    "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL RETURNING id";
static const char zRevokeAny[] = "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id";
static const char zSessions[] =
    "SELECT id, created_at, last_seen_at, expires_at FROM sessions "
    "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 "
    "AND user_id IN (SELECT id FROM users WHERE disabled = 0) ORDER BY id";   /* a disabled account's are over */
static const char zGrants[] = "SELECT role, coalesce(institution_id, 0) FROM grants WHERE user_id = $1 ORDER BY id";
static const char zFindToken[] =
    "SELECT id, name, role, coalesce(institution_id, 0) FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > $2)";
static const char zTokenUsed[] = "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2";
static const char zNewToken[] =
    "INSERT INTO api_tokens (token_hash, name, role, institution_id, created_at, created_by, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
static const char zRevokeToken[] =
    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id";

/* A random 256-bit token as base64url (no padding) after zPrefix. */
static void random_token(const char *zPrefix, char zOut[AUTH_TOKEN_LEN]) {
  unsigned char a[32];
  randombytes_buf(a, sizeof a);
  size_t n = strlen(zPrefix);
  memcpy(zOut, zPrefix, n);
  sodium_bin2base64(zOut + n, AUTH_TOKEN_LEN - n, a, sizeof a, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void token_hash(const char *zToken, char zHex[AUDIT_HEX]) { audit_digest_bytes(zToken, strlen(zToken), zHex); }

/* Seconds the key must still wait before another attempt (0: none). */
static int64_t throttle_wait(dom_ctx *c, const char *zKey, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zThrottleGet, e);
  if (!s) return -1;
  db_bind_text(s, 1, zKey);
  int64_t nFail = 0, tLast = 0;
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    nFail = db_col_int(s, 0);
    tLast = db_col_int(s, 1);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (nFail < LOGIN_FREE_FAILURES || c->now - tLast > LOGIN_FORGET) return 0;
  int64_t wait = (int64_t)1 << (nFail - LOGIN_FREE_FAILURES < 20 ? nFail - LOGIN_FREE_FAILURES : 20);
  if (wait > LOGIN_MAX_WAIT) wait = LOGIN_MAX_WAIT;
  int64_t left = tLast + wait - c->now;
  return left > 0 ? left : 0;
}

static int throttle_exec(dom_ctx *c, const char *zSql, const char *zKey, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_text(s, 1, zKey);
  if (zSql == zThrottleFail) {
    db_bind_int(s, 2, c->now);
    db_bind_int(s, 3, c->now - LOGIN_FORGET);
  }
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int auth_verify_password(dom_ctx *c, const char *zUser, const char *zPassword, const char *zClient, int64_t *pId,
                         gerr *e) {
  char zUserKey[120], zClientKey[AUDIT_HEX + 8], zHash[AUDIT_HEX];
  snprintf(zUserKey, sizeof zUserKey, "user:%.100s", zUser);
  audit_digest_bytes(zClient ? zClient : "", zClient ? strlen(zClient) : 0, zHash);
  snprintf(zClientKey, sizeof zClientKey, "client:%.16s", zHash);  /* the address itself is not kept */
  int64_t w1 = throttle_wait(c, zUserKey, e), w2 = w1 < 0 ? -1 : throttle_wait(c, zClientKey, e);
  if (w1 < 0 || w2 < 0) return -1;
  if (w1 || w2)
    return gerr_setr(e, GERR_TOO_MANY, GR_TOO_MANY, NULL, GP_I("seconds", w1 > w2 ? w1 : w2));
  db_stmt *s = db_prepare(c->pDb, zFindUser, e);
  if (!s) return -1;
  db_bind_text(s, 1, zUser);
  int64_t idUser = 0, bDisabled = 1;
  char zStored[PASSWORD_HASH_LEN] = "";
  int rc = db_step(s, e);
  if (rc == DB_ROW) {
    idUser = db_col_int(s, 0);
    snprintf(zStored, sizeof zStored, "%s", db_col_text(s, 1));
    bDisabled = db_col_int(s, 2);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  int bOk = 0;
  if (rc == DB_ROW) bOk = password_verify(zStored, zPassword) && !bDisabled;
  else password_verify_dummy(zPassword);   /* the same time for an unknown user */
  if (db_begin(c->pDb, e)) return -1;
  if (!bOk) {
    if (throttle_exec(c, zThrottleFail, zUserKey, e) || throttle_exec(c, zThrottleFail, zClientKey, e)) goto fail;
    if (db_commit(c->pDb, e)) return -1;
    return gerr_setr(e, GERR_UNAUTHORIZED, GR_SIGNIN_FAILED, NULL);
  }
  /* only the username's count is cleared: a client with an account of its
   * own must not be able to reset its address's count between guesses */
  if (throttle_exec(c, zThrottleClear, zUserKey, e)) goto fail;
  *pId = idUser;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

int auth_session_create(dom_ctx *c, int64_t idUser, const char *zUser, auth_login *pOut, gerr *e) {
  char zHash[AUDIT_HEX];
  random_token("", pOut->zToken);
  random_token("", pOut->zCsrf);
  token_hash(pOut->zToken, zHash);
  pOut->user_id = idUser;
  pOut->expires_at = c->now + SESSION_ABSOLUTE;
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zNewSession, e);
  if (!s) goto fail;
  db_bind_text(s, 1, zHash);
  db_bind_int(s, 2, idUser);
  db_bind_text(s, 3, pOut->zCsrf);
  db_bind_int(s, 4, c->now);
  db_bind_int(s, 5, pOut->expires_at);
  int rc = db_step(s, e);
  if (rc == DB_ROW) pOut->session_id = db_col_int(s, 0);
  db_done(s);
  if (rc != DB_ROW) goto fail;
  const char *zActor = c->zActor;
  char zWho[96];
  snprintf(zWho, sizeof zWho, "user:%.80s", zUser);
  c->zActor = zWho;
  rc = audit_append(c, "login", "user", idUser, "", e);
  c->zActor = zActor;
  if (rc) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

int auth_login_password(dom_ctx *c, const char *zUser, const char *zPassword, const char *zClient,
                        auth_login *pOut, gerr *e) {
  int64_t idUser = 0;
  if (auth_verify_password(c, zUser, zPassword, zClient, &idUser, e)) return -1;
  return auth_session_create(c, idUser, zUser, pOut, e);
}

int auth_load_grants(dom_ctx *c, int64_t user_id, auth_user *u, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zGrants, e);
  if (!s) return -1;
  db_bind_int(s, 1, user_id);
  int rc;
  u->nGrant = 0;
  while ((rc = db_step(s, e)) == DB_ROW) {
    int role = auth_role_of(db_col_text(s, 0));
    if (role < 0 || u->nGrant == AUTH_MAXGRANT) continue;
    u->aGrant[u->nGrant].role = (auth_role)role;
    u->aGrant[u->nGrant].institution_id = db_col_int(s, 1);
    u->nGrant++;
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int auth_resolve_session(dom_ctx *c, const char *zToken, auth_user *pOut, gerr *e) {
  char zHash[AUDIT_HEX];
  memset(pOut, 0, sizeof *pOut);
  token_hash(zToken, zHash);
  db_stmt *s = db_prepare(c->pDb, zSession, e);
  if (!s) return -1;
  db_bind_text(s, 1, zHash);
  int rc = db_step(s, e);
  int64_t tSeen = 0, tExpires = 0;
  if (rc == DB_ROW) {
    pOut->session_id = db_col_int(s, 0);
    pOut->user_id = db_col_int(s, 1);
    snprintf(pOut->zCsrf, sizeof pOut->zCsrf, "%s", db_col_text(s, 2));
    tSeen = db_col_int(s, 3);
    tExpires = db_col_int(s, 4);
    snprintf(pOut->zName, sizeof pOut->zName, "%s", db_col_text(s, 5));
    pOut->person_id = db_col_int(s, 6);
    pOut->bMustChange = (int)db_col_int(s, 7);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE || c->now >= tExpires || c->now - tSeen >= SESSION_IDLE) {
    memset(pOut, 0, sizeof *pOut);
    return 0;
  }
  if (c->now - tSeen >= 60) {  /* idle time is kept to the minute: no write on every request */
    s = db_prepare(c->pDb, zTouch, e);
    if (!s) return -1;
    db_bind_int(s, 1, c->now);
    db_bind_int(s, 2, pOut->session_id);
    rc = db_step(s, e);
    db_done(s);
    if (rc == DB_ERROR) return -1;
  }
  if (auth_load_grants(c, pOut->user_id, pOut, e)) return -1;
  pOut->bSignedIn = 1;
  pOut->bCookie = 1;
  snprintf(pOut->zActor, sizeof pOut->zActor, "user:%s", pOut->zName);
  return 0;
}

int auth_resolve_api_token(dom_ctx *c, const char *zToken, auth_user *pOut, gerr *e) {
  char zHash[AUDIT_HEX];
  memset(pOut, 0, sizeof *pOut);
  token_hash(zToken, zHash);
  db_stmt *s = db_prepare(c->pDb, zFindToken, e);
  if (!s) return -1;
  db_bind_text(s, 1, zHash);
  db_bind_int(s, 2, c->now);
  int rc = db_step(s, e);
  int role = -1;
  if (rc == DB_ROW) {
    pOut->token_id = db_col_int(s, 0);
    snprintf(pOut->zName, sizeof pOut->zName, "%s", db_col_text(s, 1));
    role = auth_role_of(db_col_text(s, 2));
    pOut->aGrant[0].institution_id = db_col_int(s, 3);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE || role < 0) {
    memset(pOut, 0, sizeof *pOut);
    return 0;
  }
  pOut->aGrant[0].role = (auth_role)role;
  pOut->nGrant = 1;
  pOut->bSignedIn = 1;
  snprintf(pOut->zActor, sizeof pOut->zActor, "token:%s", pOut->zName);
  s = db_prepare(c->pDb, zTokenUsed, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->now);
  db_bind_int(s, 2, pOut->token_id);
  rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Runs a one-row UPDATE with (now, id[, id2]); GERR_NOT_FOUND if nothing changed. */
static int revoke(dom_ctx *c, const char *zSql, int64_t id, int64_t id2, const char *zWhat, gerr *e) {
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) goto fail;
  db_bind_int(s, 1, c->now);
  db_bind_int(s, 2, id);
  if (zSql == zRevoke) db_bind_int(s, 3, id2);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  if (rc == DB_DONE) {
    gerr_setr(e, GERR_NOT_FOUND, GR_ENDED_OR_UNKNOWN, NULL, GP_S("entity", zWhat), GP_I("id", id));
    goto fail;
  }
  if (audit_append(c, "revoke", zWhat, id, "", e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

int auth_logout(dom_ctx *c, int64_t session_id, gerr *e) { return revoke(c, zRevokeAny, session_id, 0, "session", e); }

int auth_session_revoke(dom_ctx *c, int64_t user_id, int64_t session_id, gerr *e) {
  return revoke(c, zRevoke, session_id, user_id, "session", e);
}

int auth_token_revoke(dom_ctx *c, int64_t id, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  return revoke(c, zRevokeToken, id, 0, "api_token", e);
}

/* The administrators' rule on user_id, which must exist (404). */
static int user_admin_check(dom_ctx *c, int64_t user_id, gerr *e) {
  if (pol_check(c, &pol_admin, &dom_user, user_id, e)) return -1;
  int rc = dom_exists(c, &dom_user, user_id, e);
  if (rc < 0) return -1;
  return rc ? 0 : gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", "user"), GP_I("id", user_id));
}

int auth_user_sessions(dom_ctx *c, int64_t user_id, auth_session_info **pa, int *pn, gerr *e) {
  if (user_admin_check(c, user_id, e)) return -1;
  return auth_sessions(c, user_id, 0, pa, pn, e);
}

int auth_user_session_revoke(dom_ctx *c, int64_t user_id, int64_t session_id, gerr *e) {
  if (user_admin_check(c, user_id, e)) return -1;
  return auth_session_revoke(c, user_id, session_id, e);
}

int auth_sessions(dom_ctx *c, int64_t user_id, int64_t current, auth_session_info **pa, int *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSessions, e);
  if (!s) return -1;
  db_bind_int(s, 1, user_id);
  db_bind_int(s, 2, c->now);
  db_bind_int(s, 3, c->now - SESSION_IDLE);
  int n = 0, nAlloc = 0, rc;
  auth_session_info *a = NULL;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 8;
      auth_session_info *aNew = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *aNew);
      if (n) memcpy(aNew, a, (size_t)n * sizeof *a);
      a = aNew;
    }
    a[n].id = db_col_int(s, 0);
    a[n].created_at = db_col_int(s, 1);
    a[n].last_seen_at = db_col_int(s, 2);
    a[n].expires_at = db_col_int(s, 3);
    a[n].bCurrent = a[n].id == current;
    n++;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  *pa = a;
  *pn = n;
  return 0;
}

int auth_token_create(dom_ctx *c, const char *zName, const char *zRole, int64_t institution_id,
                      char zTok[AUTH_TOKEN_LEN], int64_t *pId, gerr *e) {
  return auth_token_create_until(c, zName, zRole, institution_id, 0, zTok, pId, e);
}

int auth_token_create_until(dom_ctx *c, const char *zName, const char *zRole, int64_t institution_id,
                            int64_t expires_at, char zTok[AUTH_TOKEN_LEN], int64_t *pId, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  if (expires_at && expires_at <= c->now)
    return gerr_setr(e, GERR_VALIDATION, GR_IN_PAST, "expires_in_days");
  size_t nName = zName ? strlen(zName) : 0;
  if (nName < 1 || nName > 64) {
    gerr_setr(e, GERR_VALIDATION, GR_LENGTH, "name", GP_I("min", 1), GP_I("max", 64), GP_I("got", nName));
    return gerr_msg(e, "name: 1 to 64 characters naming the integration");
  }
  int role = zRole ? auth_role_of(zRole) : -1;
  if (role != ROLE_REGION_ADMIN && role != ROLE_INSTITUTION_STAFF) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "role", GP_S("allowed", "region_admin, institution_staff"),
              GP_S("got", zRole ? zRole : ""));
    if (role >= 0) gerr_msg(e, "role: API tokens act as region_admin or institution_staff");
    return -1;
  }
  if (role == ROLE_INSTITUTION_STAFF && institution_id <= 0)
    return auth_inst_required(e);
  if (role != ROLE_INSTITUTION_STAFF && institution_id > 0)
    return auth_inst_only(e);
  if (institution_id > 0) {
    int64_t one;
    int rc = db_query_int(c->pDb, "SELECT 1 FROM institutions WHERE id = $1", 1, institution_id, &one, e);
    if (rc == DB_ERROR) return -1;
    if (rc == DB_DONE)
      return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "institution_id", GP_S("entity", "institution"),
                       GP_I("id", institution_id));
  }
  char zHash[AUDIT_HEX];
  random_token("gt_", zTok);
  token_hash(zTok, zHash);
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zNewToken, e);
  if (!s) goto fail;
  db_bind_text(s, 1, zHash);
  db_bind_text(s, 2, zName);
  db_bind_text(s, 3, zRole);
  db_bind_int_or_null(s, 4, institution_id, institution_id <= 0);
  db_bind_int(s, 5, c->now);
  db_bind_text(s, 6, c->zActor ? c->zActor : "unknown");
  db_bind_int_or_null(s, 7, expires_at, expires_at <= 0);
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pId = db_col_int(s, 0);
  db_done(s);
  if (rc != DB_ROW) goto fail;
  if (audit_append(c, "create", "api_token", *pId, "", e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

dom_actor auth_actor(const auth_user *u) {
  dom_actor a = {ACTOR_ANONYMOUS, 0, 0, NULL, 0, 0};
  if (!u || !u->bSignedIn) return a;
  a.kind = u->token_id ? ACTOR_TOKEN : ACTOR_USER;
  a.user_id = u->user_id;
  a.person_id = u->person_id;
  a.aGrant = u->aGrant;
  a.nGrant = u->nGrant;
  a.bMustChange = u->bMustChange;
  return a;
}
