/* test_auth.c: password rules and hashing, accounts, signing in (same answer
 * for an unknown user and a wrong password, throttling), sessions (idle and
 * absolute expiry, revocation, disabled users), API tokens, grant rules and
 * the scope queries used by access control. */
#include "unit.h"
#include <time.h>
#include "domain/engine/audit.h"
#include "domain/accounts/auth.h"
#include "domain/accounts/password.h"
#include "domain/engine/policy.h"

extern dom_entity dom_user, dom_grant;

static const char zGoodPw[] = "Violet-Harbour-Lantern-42";

static int64_t count_rows(unit_fx *f, const char *zSql, int64_t param) {
  int64_t n = -1;
  gerr e;
  if (db_query_int(f->pDb, zSql, 1, param, &n, &e) != DB_ROW) fail_msg("%s: %s", zSql, e.msg);
  return n;
}

/* count(*) of a query with one text parameter. */
static int64_t count_text(unit_fx *f, const char *zSql, const char *zParam) {
  gerr e;
  db_stmt *s = db_prepare(f->pDb, zSql, &e);
  if (!s) fail_msg("%s: %s", zSql, e.msg);
  db_bind_text(s, 1, zParam);
  int64_t n = -1;
  int rc = db_step(s, &e);
  if (rc == DB_ROW) n = db_col_int(s, 0);
  db_done(s);
  if (rc != DB_ROW) fail_msg("%s: %s", zSql, e.msg);
  return n;
}

static void exec_sql(unit_fx *f, const char *zSql) {
  gerr e;
  if (db_exec(f->pDb, zSql, &e)) fail_msg("%s: %s", zSql, e.msg);
}

static int64_t make_user(unit_fx *f, const char *zName, const char *zPw, int64_t idPerson) {
  gerr e;
  int64_t id = 0;
  gerr_clear(&e);
  if (auth_user_create(&f->c, zName, NULL, zPw, idPerson, &id, &e)) fail_msg("user %s: %s", zName, e.msg);
  assert_true(id > 0);
  return id;
}

static int login(unit_fx *f, const char *zUser, const char *zPw, const char *zClient, auth_login *pOut, gerr *e) {
  memset(pOut, 0, sizeof *pOut);
  gerr_clear(e);
  return auth_login_password(&f->c, zUser, zPw, zClient, pOut, e);
}

static void set_disabled(unit_fx *f, int64_t idUser, int bDisabled) {
  gerr e;
  dom_rec u, patch, out;
  assert_int_equal(dom_get(&f->c, &dom_user, idUser, &u, &e), 0);
  dom_rec_init(&patch, &dom_user);
  dom_set_int(&patch, "disabled", bDisabled);
  if (dom_update(&f->c, &dom_user, idUser, u.version, &patch, &out, &e)) fail_msg("disable: %s", e.msg);
}

/* ---- passwords ---------------------------------------------------------- */

static void password_rules(void **state) {
  (void)state;
  gerr e;
  gerr_clear(&e);
  assert_err(password_check("abcdefghijk", NULL, &e), e, GERR_VALIDATION, "password");   /* 11 */
  assert_non_null(strstr(e.msg, "12"));
  gerr_clear(&e);
  assert_int_equal(password_check("abcdefghijkl", NULL, &e), 0);                        /* 12 */
  assert_int_equal(password_check("Tr0ub4dor&3x", "alice", &e), 0);
  /* characters, not bytes: 12 CJK characters pass, 11 do not */
  assert_int_equal(password_check("职业技能培训管理系统很好", NULL, &e), 0);
  gerr_clear(&e);
  assert_err(password_check("职业技能培训管理系统很", NULL, &e), e, GERR_VALIDATION, "password");
  /* common passwords (12+ characters from data/passwords/common-10k.txt), in any case */
  static const char *const azCommon[] = {"qwerty123456", "QWERTY123456", "1Qaz2Wsx3Edc", "LeaveMeAlone",
                                         "sonyericsson", "123qweasdzxc", "QAZWSXEDCRFV"};
  for (size_t i = 0; i < sizeof azCommon / sizeof azCommon[0]; i++) {
    gerr_clear(&e);
    if (password_check(azCommon[i], NULL, &e) != -1) fail_msg("common password %s accepted", azCommon[i]);
    assert_int_equal(e.code, GERR_VALIDATION);
    assert_string_equal(e.field, "password");
    assert_non_null(strstr(e.msg, "common"));
  }
  /* the username, ignoring case */
  gerr_clear(&e);
  assert_err(password_check("alice.smith.99", "alice.smith.99", &e), e, GERR_VALIDATION, "password");
  assert_non_null(strstr(e.msg, "username"));
  gerr_clear(&e);
  assert_err(password_check("Alice.Smith.99", "alice.smith.99", &e), e, GERR_VALIDATION, "password");
  assert_int_equal(password_check("Alice.Smith.99", "bob.jones", &e), 0);
  /* invalid UTF-8, control characters, NULL */
  gerr_clear(&e);
  assert_err(password_check("abcdefghijkl\xff\xfe", NULL, &e), e, GERR_VALIDATION, "password");
  gerr_clear(&e);
  assert_err(password_check("abcdef\xc3(ghijklmn", NULL, &e), e, GERR_VALIDATION, "password");
  gerr_clear(&e);
  assert_err(password_check("abcdefghijkl\x01", NULL, &e), e, GERR_VALIDATION, "password");
  gerr_clear(&e);
  assert_err(password_check(NULL, NULL, &e), e, GERR_VALIDATION, "password");
  /* too long */
  char zLong[PASSWORD_MAX + 2];
  memset(zLong, 'x', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  gerr_clear(&e);
  assert_err(password_check(zLong, NULL, &e), e, GERR_VALIDATION, "password");
  zLong[PASSWORD_MAX] = 0;
  assert_int_equal(password_check(zLong, NULL, &e), 0);
}

static void password_hashing(void **state) {
  (void)state;
  char zHash[PASSWORD_HASH_LEN], zHash2[PASSWORD_HASH_LEN];
  assert_int_equal(password_hash(zGoodPw, zHash), 0);
  assert_true(strncmp(zHash, "$argon2id$", 10) == 0);
  assert_null(strstr(zHash, zGoodPw));
  assert_int_equal(password_verify(zHash, zGoodPw), 1);
  assert_int_equal(password_verify(zHash, "Violet-Harbour-Lantern-43"), 0);
  assert_int_equal(password_verify(zHash, "violet-harbour-lantern-42"), 0);
  assert_int_equal(password_verify(zHash, ""), 0);
  /* salted: the same password hashes differently, both verify */
  assert_int_equal(password_hash(zGoodPw, zHash2), 0);
  assert_string_not_equal(zHash, zHash2);
  assert_int_equal(password_verify(zHash2, zGoodPw), 1);
  assert_int_equal(password_verify("not a hash", zGoodPw), 0);
  /* random passwords: the length asked, letters and digits, different */
  char zA[32], zB[32];
  password_random(zA, 20);
  password_random(zB, 20);
  assert_int_equal(strlen(zA), 20);
  assert_string_not_equal(zA, zB);
  for (size_t i = 0; i < 20; i++)
    assert_true((zA[i] >= 'a' && zA[i] <= 'z') || (zA[i] >= 'A' && zA[i] <= 'Z') || (zA[i] >= '0' && zA[i] <= '9'));
  gerr e;
  assert_int_equal(password_check(zA, "admin", &e), 0);
}

/* ---- accounts and signing in --------------------------------------------- */

static void user_create_rules(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t id = 0;
  int64_t idAlice = make_user(f, "alice", zGoodPw, 0);
  /* stored as an argon2id hash, never as the password */
  assert_int_equal(count_text(f, "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%' AND id > 0 "
                                 "AND instr(password_hash, $1) = 0", zGoodPw), 1);
  dom_rec u;
  assert_int_equal(dom_get(&f->c, &dom_user, idAlice, &u, &e), 0);
  assert_string_equal(dom_v(&u, "username")->z, "alice");
  assert_string_equal(dom_v(&u, "display_name")->z, "alice");
  assert_int_equal(dom_v(&u, "disabled")->i, 0);
  assert_int_equal(dom_v(&u, "password_changed_at")->i, f->c.now);
  assert_int_equal(auth_user_find(&f->c, "alice", &id, &e), 0);
  assert_int_equal(id, idAlice);
  gerr_clear(&e);
  assert_err(auth_user_find(&f->c, "nobody", &id, &e), e, GERR_NOT_FOUND, "username");
  /* refusals: duplicate, bad username, weak password, password = username, none */
  gerr_clear(&e);
  assert_int_equal(auth_user_create(&f->c, "alice", NULL, zGoodPw, 0, &id, &e), -1);
  assert_int_equal(e.code, GERR_CONFLICT);
  gerr_clear(&e);
  assert_err(auth_user_create(&f->c, "Alice", NULL, zGoodPw, 0, &id, &e), e, GERR_VALIDATION, "username");
  gerr_clear(&e);
  assert_err(auth_user_create(&f->c, "al", NULL, zGoodPw, 0, &id, &e), e, GERR_VALIDATION, "username");
  gerr_clear(&e);
  assert_err(auth_user_create(&f->c, "bob", NULL, "short", 0, &id, &e), e, GERR_VALIDATION, "password");
  gerr_clear(&e);
  assert_err(auth_user_create(&f->c, "bob", NULL, "qwerty123456", 0, &id, &e), e, GERR_VALIDATION, "password");
  gerr_clear(&e);
  assert_err(auth_user_create(&f->c, "bob.the.builder", NULL, "Bob.The.Builder", 0, &id, &e), e, GERR_VALIDATION,
             "password");
  gerr_clear(&e);
  assert_int_equal(auth_user_create(&f->c, "bob", NULL, NULL, 0, &id, &e), -1);
  assert_int_equal(e.code, GERR_VALIDATION);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM users", 0), 1);
  /* a new password obeys the same rules; a refused one leaves the old hash */
  dom_rec patch, out;
  assert_int_equal(dom_get(&f->c, &dom_user, idAlice, &u, &e), 0);
  const char *zOldHash = arena_strdup(&f->ar, dom_v(&u, "password_hash")->z);
  dom_rec_init(&patch, &dom_user);
  dom_set_text(&patch, "password", "ALICE");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_user, idAlice, u.version, &patch, &out, &e), e, GERR_VALIDATION, "password");
  dom_set_text(&patch, "password", "1q2w3e4r5t6y");
  gerr_clear(&e);
  assert_err(dom_update(&f->c, &dom_user, idAlice, u.version, &patch, &out, &e), e, GERR_VALIDATION, "password");
  assert_int_equal(count_text(f, "SELECT count(*) FROM users WHERE password_hash = $1", zOldHash), 1);
  f->c.now += 60;
  dom_set_text(&patch, "password", "A-Brand-New-Passphrase");
  assert_int_equal(dom_update(&f->c, &dom_user, idAlice, u.version, &patch, &out, &e), 0);
  assert_int_equal(dom_v(&out, "password_changed_at")->i, f->c.now);
  assert_int_equal(count_text(f, "SELECT count(*) FROM users WHERE password_hash = $1", zOldHash), 0);
  auth_login l;
  gerr_clear(&e);
  assert_int_equal(auth_login_password(&f->c, "alice", zGoodPw, NULL, &l, &e), -1);
  assert_int_equal(auth_login_password(&f->c, "alice", "A-Brand-New-Passphrase", NULL, &l, &e), 0);
}

static void login_success(void **state) {
  unit_fx *f = *state;
  gerr e;
  auth_login l;
  int64_t idAlice = make_user(f, "alice", zGoodPw, 0);
  int64_t nAudit = count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0);
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.1", &l, &e), 0);
  assert_int_equal(l.user_id, idAlice);
  assert_true(l.session_id > 0);
  assert_int_equal(l.expires_at, f->c.now + SESSION_ABSOLUTE);
  assert_true(strlen(l.zToken) >= 43);   /* 256 bits in base64url */
  assert_true(strlen(l.zCsrf) >= 43);
  assert_string_not_equal(l.zToken, l.zCsrf);
  /* the token is stored only as its SHA-256 */
  char zHash[AUDIT_HEX];
  audit_digest_bytes(l.zToken, strlen(l.zToken), zHash);
  assert_int_equal(count_text(f, "SELECT count(*) FROM sessions WHERE token_hash = $1", zHash), 1);
  assert_int_equal(count_text(f,
                              "SELECT count(*) FROM sessions WHERE instr(token_hash, $1) > 0 OR "
                              "instr(csrf_token, $1) > 0 OR instr(CAST(id AS TEXT), $1) > 0",
                              l.zToken), 0);
  assert_int_equal(count_text(f,
                              "SELECT count(*) FROM audit_log WHERE instr(digest, $1) > 0 OR instr(hash, $1) > 0 "
                              "OR instr(actor, $1) > 0",
                              l.zToken), 0);
  /* the sign-in is in the audit log, by the user */
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0), nAudit + 1);
  assert_int_equal(count_text(f, "SELECT count(*) FROM audit_log WHERE action = 'login' AND actor = $1", "user:alice"),
                   1);
  /* the caller's actor is restored */
  assert_string_equal(f->c.zActor, "test");
  /* a second sign-in gives another session and token */
  auth_login l2;
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.1", &l2, &e), 0);
  assert_string_not_equal(l.zToken, l2.zToken);
  assert_true(l2.session_id != l.session_id);
  auth_session_info *a;
  int n;
  assert_int_equal(auth_sessions(&f->c, idAlice, l2.session_id, &a, &n, &e), 0);
  assert_int_equal(n, 2);
  assert_int_equal(a[0].bCurrent + a[1].bCurrent, 1);
}

static void login_failures_look_alike(void **state) {
  unit_fx *f = *state;
  gerr e1, e2, e3;
  auth_login l;
  make_user(f, "alice", zGoodPw, 0);
  int64_t idBob = make_user(f, "bob", zGoodPw, 0);
  set_disabled(f, idBob, 1);
  int64_t nAudit = count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0);
  assert_int_equal(login(f, "nobody", zGoodPw, "192.0.2.1", &l, &e1), -1);
  assert_int_equal(login(f, "alice", "Violet-Harbour-Lantern-43", "192.0.2.2", &l, &e2), -1);
  assert_int_equal(login(f, "bob", zGoodPw, "192.0.2.3", &l, &e3), -1);   /* disabled, right password */
  assert_int_equal(e1.code, GERR_UNAUTHORIZED);
  assert_int_equal(e2.code, GERR_UNAUTHORIZED);
  assert_int_equal(e3.code, GERR_UNAUTHORIZED);
  assert_string_equal(e1.msg, e2.msg);
  assert_string_equal(e1.msg, e3.msg);
  assert_string_equal(e1.field, e2.field);
  assert_int_equal(l.session_id, 0);
  assert_string_equal(l.zToken, "");
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM sessions", 0), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0), nAudit);
  /* enabled again, bob signs in */
  set_disabled(f, idBob, 0);
  assert_int_equal(login(f, "bob", zGoodPw, "192.0.2.3", &l, &e3), 0);
}

static void login_throttling(void **state) {
  unit_fx *f = *state;
  gerr e;
  auth_login l;
  make_user(f, "alice", zGoodPw, 0);
  make_user(f, "carol", zGoodPw, 0);
  for (int i = 0; i < LOGIN_FREE_FAILURES; i++) {
    assert_int_equal(login(f, "alice", "wrong-password-here", "192.0.2.1", &l, &e), -1);
    if (e.code != GERR_UNAUTHORIZED) fail_msg("attempt %d: %s", i + 1, e.msg);
  }
  /* now even the right password must wait, from any address */
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.1", &l, &e), -1);
  assert_int_equal(e.code, GERR_TOO_MANY);
  assert_int_equal(gerr_status(e.code), 429);
  assert_int_equal(login(f, "alice", zGoodPw, "198.51.100.7", &l, &e), -1);
  assert_int_equal(e.code, GERR_TOO_MANY);
  /* and so must another user from the same address */
  assert_int_equal(login(f, "carol", zGoodPw, "192.0.2.1", &l, &e), -1);
  assert_int_equal(e.code, GERR_TOO_MANY);
  /* a throttled attempt is not counted as a failure */
  assert_int_equal(count_text(f, "SELECT max(failures) FROM login_throttle WHERE key = $1", "user:alice"),
                   LOGIN_FREE_FAILURES);
  /* a different user from a different address is not affected */
  assert_int_equal(login(f, "carol", zGoodPw, "198.51.100.8", &l, &e), 0);
  /* the wait is not permanent: once the failures are old, the right password works */
  exec_sql(f, "UPDATE login_throttle SET last_failure_at = last_failure_at - 3600");
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.1", &l, &e), 0);
  /* the success clears the username's failures, not the address's (a client
   * with an account of its own must not reset its count between guesses);
   * the address's old failures are forgotten after LOGIN_FORGET */
  assert_int_equal(count_text(f, "SELECT count(*) FROM login_throttle WHERE key = $1", "user:alice"), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM login_throttle WHERE key LIKE 'client:%'", 0), 1);
  /* so 4 more failures are free again */
  for (int i = 0; i < LOGIN_FREE_FAILURES - 1; i++) {
    assert_int_equal(login(f, "alice", "wrong-password-here", "192.0.2.1", &l, &e), -1);
    assert_int_equal(e.code, GERR_UNAUTHORIZED);
  }
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.1", &l, &e), 0);
  /* the wait grows with each failure after the free ones, up to the cap */
  for (int i = 0; i < LOGIN_FREE_FAILURES + 3; i++) {
    exec_sql(f, "UPDATE login_throttle SET last_failure_at = last_failure_at - 900");  /* past any wait, not forgotten */
    assert_int_equal(login(f, "alice", "wrong-password-here", "192.0.2.9", &l, &e), -1);
    assert_int_equal(e.code, GERR_UNAUTHORIZED);
  }
  /* 8 failures: 2^3 = 8 s wait */
  f->c.now += 7;
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.9", &l, &e), -1);
  assert_int_equal(e.code, GERR_TOO_MANY);
  f->c.now += 1;
  assert_int_equal(login(f, "alice", zGoodPw, "192.0.2.9", &l, &e), 0);
  /* unknown users are throttled like known ones (no user enumeration) */
  for (int i = 0; i < LOGIN_FREE_FAILURES; i++) {
    assert_int_equal(login(f, "ghost", zGoodPw, "203.0.113.1", &l, &e), -1);
    assert_int_equal(e.code, GERR_UNAUTHORIZED);
  }
  assert_int_equal(login(f, "ghost", zGoodPw, "203.0.113.2", &l, &e), -1);
  assert_int_equal(e.code, GERR_TOO_MANY);
  /* the client address itself is not stored */
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM login_throttle WHERE key LIKE '%203.0.113%'", 0), 0);
}

/* ---- sessions --------------------------------------------------------------- */

static void session_resolve(void **state) {
  unit_fx *f = *state;
  gerr e;
  auth_login l;
  auth_user u;
  int64_t idAlice = make_user(f, "alice", zGoodPw, 0);
  assert_int_equal(auth_grant_role(&f->c, idAlice, "region_admin", 0, &e), 0);
  int64_t t0 = f->c.now;
  assert_int_equal(login(f, "alice", zGoodPw, NULL, &l, &e), 0);
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  assert_true(u.bCookie);
  assert_int_equal(u.user_id, idAlice);
  assert_int_equal(u.session_id, l.session_id);
  assert_string_equal(u.zName, "alice");
  assert_string_equal(u.zActor, "user:alice");
  assert_string_equal(u.zCsrf, l.zCsrf);
  assert_int_equal(u.nGrant, 1);
  assert_int_equal(u.aGrant[0].role, ROLE_REGION_ADMIN);
  /* unknown, empty and mangled tokens */
  assert_int_equal(auth_resolve_session(&f->c, "no-such-token", &u, &e), 0);
  assert_false(u.bSignedIn);
  assert_int_equal(auth_resolve_session(&f->c, "", &u, &e), 0);
  assert_false(u.bSignedIn);
  char zBad[AUTH_TOKEN_LEN];
  snprintf(zBad, sizeof zBad, "%s", l.zToken);
  zBad[0] = zBad[0] == 'A' ? 'B' : 'A';
  assert_int_equal(auth_resolve_session(&f->c, zBad, &u, &e), 0);
  assert_false(u.bSignedIn);
  assert_int_equal(u.user_id, 0);
  /* the hash itself is not a token */
  char zHash[AUDIT_HEX];
  audit_digest_bytes(l.zToken, strlen(l.zToken), zHash);
  assert_int_equal(auth_resolve_session(&f->c, zHash, &u, &e), 0);
  assert_false(u.bSignedIn);

  /* idle expiry: used just before the idle limit it lives on; left idle, it ends */
  f->c.now = t0 + SESSION_IDLE - 1;
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  f->c.now += SESSION_IDLE - 1;
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  f->c.now += SESSION_IDLE;
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_false(u.bSignedIn);
  assert_int_equal(u.user_id, 0);

  /* absolute expiry: a session in constant use still ends */
  f->c.now = t0;
  assert_int_equal(login(f, "alice", zGoodPw, NULL, &l, &e), 0);
  for (int64_t t = t0; t < t0 + SESSION_ABSOLUTE; t += 20 * 60) {
    f->c.now = t;
    assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
    if (!u.bSignedIn) fail_msg("session ended early at +%lld s", (long long)(t - t0));
  }
  f->c.now = t0 + SESSION_ABSOLUTE - 1;
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  f->c.now = t0 + SESSION_ABSOLUTE;
  assert_int_equal(auth_resolve_session(&f->c, l.zToken, &u, &e), 0);
  assert_false(u.bSignedIn);
  auth_session_info *a;
  int n;
  assert_int_equal(auth_sessions(&f->c, idAlice, 0, &a, &n, &e), 0);
  assert_int_equal(n, 0);   /* expired sessions are not listed */
}

static void session_revoke_and_disable(void **state) {
  unit_fx *f = *state;
  gerr e;
  auth_login l1, l2, lb;
  auth_user u;
  int64_t idAlice = make_user(f, "alice", zGoodPw, 0);
  int64_t idBob = make_user(f, "bob", zGoodPw, 0);
  assert_int_equal(login(f, "alice", zGoodPw, NULL, &l1, &e), 0);
  assert_int_equal(login(f, "alice", zGoodPw, NULL, &l2, &e), 0);
  assert_int_equal(login(f, "bob", zGoodPw, NULL, &lb, &e), 0);
  auth_session_info *a;
  int n;
  assert_int_equal(auth_sessions(&f->c, idAlice, l1.session_id, &a, &n, &e), 0);
  assert_int_equal(n, 2);
  /* bob cannot revoke alice's session */
  gerr_clear(&e);
  assert_int_equal(auth_session_revoke(&f->c, idBob, l1.session_id, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_int_equal(auth_resolve_session(&f->c, l1.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  /* alice revokes her second session; logout ends the first */
  int64_t nAudit = count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0);
  assert_int_equal(auth_session_revoke(&f->c, idAlice, l2.session_id, &e), 0);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0), nAudit + 1);
  assert_int_equal(auth_resolve_session(&f->c, l2.zToken, &u, &e), 0);
  assert_false(u.bSignedIn);
  assert_int_equal(auth_resolve_session(&f->c, l1.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  assert_int_equal(auth_logout(&f->c, l1.session_id, &e), 0);
  assert_int_equal(auth_resolve_session(&f->c, l1.zToken, &u, &e), 0);
  assert_false(u.bSignedIn);
  gerr_clear(&e);
  assert_int_equal(auth_logout(&f->c, l1.session_id, &e), -1);   /* already ended */
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_int_equal(auth_sessions(&f->c, idAlice, 0, &a, &n, &e), 0);
  assert_int_equal(n, 0);
  /* disabling bob ends his session at once; enabling brings it back */
  assert_int_equal(auth_resolve_session(&f->c, lb.zToken, &u, &e), 0);
  assert_true(u.bSignedIn);
  set_disabled(f, idBob, 1);
  assert_int_equal(auth_resolve_session(&f->c, lb.zToken, &u, &e), 0);
  assert_false(u.bSignedIn);
  gerr_clear(&e);
  assert_int_equal(login(f, "bob", zGoodPw, NULL, &lb, &e), -1);
  assert_int_equal(e.code, GERR_UNAUTHORIZED);
}

/* ---- API tokens ------------------------------------------------------------ */

static void api_tokens(void **state) {
  unit_fx *f = *state;
  gerr e;
  auth_user u;
  char zTok[AUTH_TOKEN_LEN], zTok2[AUTH_TOKEN_LEN];
  int64_t id = 0, id2 = 0;
  int64_t idArea = unit_area(f, "650000", "region", 0);
  int64_t idInst = unit_institution(f, "College", idArea);
  int64_t nAudit = count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0);
  assert_int_equal(auth_token_create(&f->c, "moe-export", "institution_staff", idInst, zTok, &id, &e), 0);
  assert_true(id > 0);
  assert_true(strncmp(zTok, "gt_", 3) == 0);
  assert_true(strlen(zTok) >= 3 + 43);
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM audit_log", 0), nAudit + 1);
  /* hashed at rest */
  char zHash[AUDIT_HEX];
  audit_digest_bytes(zTok, strlen(zTok), zHash);
  assert_int_equal(count_text(f, "SELECT count(*) FROM api_tokens WHERE token_hash = $1", zHash), 1);
  assert_int_equal(count_text(f, "SELECT count(*) FROM api_tokens WHERE instr(token_hash, $1) > 0", zTok + 3), 0);
  /* resolves to its role and institution */
  assert_int_equal(auth_resolve_api_token(&f->c, zTok, &u, &e), 0);
  assert_true(u.bSignedIn);
  assert_false(u.bCookie);
  assert_int_equal(u.token_id, id);
  assert_int_equal(u.user_id, 0);
  assert_int_equal(u.nGrant, 1);
  assert_int_equal(u.aGrant[0].role, ROLE_INSTITUTION_STAFF);
  assert_int_equal(u.aGrant[0].institution_id, idInst);
  assert_string_equal(u.zActor, "token:moe-export");
  assert_int_equal(count_rows(f, "SELECT last_used_at FROM api_tokens WHERE id = $1", id), f->c.now);
  /* an admin token */
  assert_int_equal(auth_token_create(&f->c, "etl", "region_admin", 0, zTok2, &id2, &e), 0);
  assert_string_not_equal(zTok, zTok2);
  assert_int_equal(auth_resolve_api_token(&f->c, zTok2, &u, &e), 0);
  assert_true(u.bSignedIn);
  assert_int_equal(u.aGrant[0].role, ROLE_REGION_ADMIN);
  assert_int_equal(u.aGrant[0].institution_id, 0);
  /* a session token is not an API token and the other way round */
  assert_int_equal(auth_resolve_session(&f->c, zTok, &u, &e), 0);
  assert_false(u.bSignedIn);
  assert_int_equal(auth_resolve_api_token(&f->c, "gt_nonsense", &u, &e), 0);
  assert_false(u.bSignedIn);
  /* revoked: no longer resolves; revoking twice is not found */
  assert_int_equal(auth_token_revoke(&f->c, id, &e), 0);
  assert_int_equal(auth_resolve_api_token(&f->c, zTok, &u, &e), 0);
  assert_false(u.bSignedIn);
  assert_int_equal(u.nGrant, 0);
  gerr_clear(&e);
  assert_int_equal(auth_token_revoke(&f->c, id, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  gerr_clear(&e);
  assert_int_equal(auth_token_revoke(&f->c, 9999, &e), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_int_equal(auth_resolve_api_token(&f->c, zTok2, &u, &e), 0);
  assert_true(u.bSignedIn);
  /* refusals */
  int64_t nTok = count_rows(f, "SELECT count(*) + $1 FROM api_tokens", 0);
  gerr_clear(&e);
  assert_err(auth_token_create(&f->c, "x", "institution_staff", 0, zTok, &id, &e), e, GERR_VALIDATION,
             "institution_id");
  gerr_clear(&e);
  assert_err(auth_token_create(&f->c, "x", "region_admin", idInst, zTok, &id, &e), e, GERR_VALIDATION,
             "institution_id");
  gerr_clear(&e);
  assert_err(auth_token_create(&f->c, "x", "institution_staff", 9999, zTok, &id, &e), e, GERR_VALIDATION,
             "institution_id");
  gerr_clear(&e);
  assert_err(auth_token_create(&f->c, "x", "trainer", 0, zTok, &id, &e), e, GERR_VALIDATION, "role");
  gerr_clear(&e);
  assert_err(auth_token_create(&f->c, "x", "wizard", 0, zTok, &id, &e), e, GERR_VALIDATION, "role");
  gerr_clear(&e);
  assert_err(auth_token_create(&f->c, "", "region_admin", 0, zTok, &id, &e), e, GERR_VALIDATION, "name");
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM api_tokens", 0), nTok);
}

/* ---- grants ------------------------------------------------------------------- */

static void grant_rules(void **state) {
  unit_fx *f = *state;
  gerr e;
  int64_t idArea = unit_area(f, "650000", "region", 0);
  int64_t idInstA = unit_institution(f, "College A", idArea);
  int64_t idInstB = unit_institution(f, "College B", idArea);
  int64_t idPerson = unit_person(f, "Aygul", "Tursun");
  int64_t idStaff = make_user(f, "staff", zGoodPw, 0);
  int64_t idTrainer = make_user(f, "trainer", zGoodPw, idPerson);
  int64_t nGrant0 = count_rows(f, "SELECT count(*) + $1 FROM grants", 0);

  /* institution_staff needs an institution, other roles must not have one */
  gerr_clear(&e);
  assert_err(auth_grant_role(&f->c, idStaff, "institution_staff", 0, &e), e, GERR_VALIDATION, "institution_id");
  gerr_clear(&e);
  assert_err(auth_grant_role(&f->c, idStaff, "region_admin", idInstA, &e), e, GERR_VALIDATION, "institution_id");
  gerr_clear(&e);
  assert_int_equal(auth_grant_role(&f->c, idStaff, "institution_staff", 9999, &e), -1);   /* no such institution */
  assert_int_equal(e.code, GERR_VALIDATION);
  assert_string_equal(e.field, "institution_id");
  gerr_clear(&e);
  assert_int_equal(auth_grant_role(&f->c, idStaff, "wizard", 0, &e), -1);
  assert_int_equal(e.code, GERR_VALIDATION);
  assert_string_equal(e.field, "role");
  gerr_clear(&e);
  assert_int_equal(auth_grant_role(&f->c, 9999, "region_admin", 0, &e), -1);   /* no such user */
  assert_int_equal(e.code, GERR_VALIDATION);
  assert_string_equal(e.field, "user_id");
  assert_int_equal(auth_grant_role(&f->c, idStaff, "institution_staff", idInstA, &e), 0);
  /* trainers, judges and learners act through a person */
  static const char *const azPersonRoles[] = {"trainer", "judge", "learner"};
  for (size_t i = 0; i < 3; i++) {
    gerr_clear(&e);
    assert_err(auth_grant_role(&f->c, idStaff, azPersonRoles[i], 0, &e), e, GERR_VALIDATION, "role");
    assert_non_null(strstr(e.msg, "person"));
    assert_int_equal(auth_grant_role(&f->c, idTrainer, azPersonRoles[i], 0, &e), 0);
  }
  /* no duplicates; the same role at another institution is another grant */
  gerr_clear(&e);
  assert_err(auth_grant_role(&f->c, idStaff, "institution_staff", idInstA, &e), e, GERR_CONFLICT, "role");
  gerr_clear(&e);
  assert_err(auth_grant_role(&f->c, idTrainer, "trainer", 0, &e), e, GERR_CONFLICT, "role");
  assert_int_equal(auth_grant_role(&f->c, idStaff, "institution_staff", idInstB, &e), 0);
  assert_int_equal(auth_grant_role(&f->c, idStaff, "region_admin", 0, &e), 0);
  gerr_clear(&e);
  assert_err(auth_grant_role(&f->c, idStaff, "region_admin", 0, &e), e, GERR_CONFLICT, "role");
  assert_int_equal(count_rows(f, "SELECT count(*) + $1 FROM grants", 0), nGrant0 + 6);

  auth_user u;
  memset(&u, 0, sizeof u);
  assert_int_equal(auth_load_grants(&f->c, idStaff, &u, &e), 0);
  assert_int_equal(u.nGrant, 3);
  assert_int_equal(u.aGrant[0].role, ROLE_INSTITUTION_STAFF);
  assert_int_equal(u.aGrant[0].institution_id, idInstA);
  assert_int_equal(u.aGrant[1].role, ROLE_INSTITUTION_STAFF);
  assert_int_equal(u.aGrant[1].institution_id, idInstB);
  assert_int_equal(u.aGrant[2].role, ROLE_REGION_ADMIN);
  assert_int_equal(u.aGrant[2].institution_id, 0);
  assert_int_equal(auth_load_grants(&f->c, idTrainer, &u, &e), 0);
  assert_int_equal(u.nGrant, 3);
  assert_int_equal(u.aGrant[0].role, ROLE_TRAINER);
  /* roles by name */
  assert_int_equal(auth_role_of("region_admin"), ROLE_REGION_ADMIN);
  assert_int_equal(auth_role_of("learner"), ROLE_LEARNER);
  assert_int_equal(auth_role_of("admin"), -1);
  assert_int_equal(auth_role_of(""), -1);
  for (int i = 0; i < ROLE__MAX; i++) assert_int_equal(auth_role_of(auth_role_names[i]), i);
  assert_null(auth_role_names[ROLE__MAX]);
  /* a deleted user takes its grants along */
  int64_t idTmp = make_user(f, "temporary", zGoodPw, 0);
  assert_int_equal(auth_grant_role(&f->c, idTmp, "region_admin", 0, &e), 0);
  exec_sql(f, "DELETE FROM users WHERE username = 'temporary'");
  assert_int_equal(count_rows(f, "SELECT count(*) FROM grants WHERE user_id = $1", idTmp), 0);
}

/* ---- scopes ------------------------------------------------------------------- */

static int in_scope(unit_fx *f, const char *zEntity, int64_t id, scope_kind kind, int64_t value) {
  gerr e;
  int rc = pol_contains(&f->c, zEntity, id, kind, value, &e);
  if (rc < 0) fail_msg("pol_contains %s: %s", zEntity, e.msg);
  return rc;
}

static void scopes(void **state) {
  unit_fx *f = *state;
  int64_t idArea = unit_area(f, "650000", "region", 0);
  int64_t idA = unit_institution(f, "College A", idArea);
  int64_t idB = unit_institution(f, "College B", idArea);
  int64_t idProgA = unit_program(f, idA, "Pastry", "7512");
  int64_t idProgB = unit_program(f, idB, "Welding", "7212");
  int64_t idTrainer = unit_person(f, "Trainer", "One");
  int64_t idTrainer2 = unit_person(f, "Trainer", "Two");
  int64_t idCohA = unit_cohort_trained(f, idProgA, "A spring", &idTrainer);
  int64_t idCohB = unit_cohort_trained(f, idProgB, "B spring", &idTrainer2);
  int64_t idLearner = unit_person(f, "Learner", "Enrolled");
  dom_rec r;
  dom_rec_init(&r, &dom_person);
  dom_set_text(&r, "given_name", "Registered");
  dom_set_int(&r, "institution_id", idB);
  int64_t idRegistered = unit_create(f, &r);
  int64_t idEnr = unit_enroll(f, idLearner, idCohA);

  /* institution */
  assert_int_equal(in_scope(f, "institution", idA, SCOPE_INSTITUTION, idA), 1);
  assert_int_equal(in_scope(f, "institution", idA, SCOPE_INSTITUTION, idB), 0);
  assert_int_equal(in_scope(f, "institution", idA, SCOPE_TRAINER, idTrainer), 0);
  assert_int_equal(in_scope(f, "institution", idA, SCOPE_SELF, idLearner), 0);
  /* program */
  assert_int_equal(in_scope(f, "program", idProgA, SCOPE_INSTITUTION, idA), 1);
  assert_int_equal(in_scope(f, "program", idProgA, SCOPE_INSTITUTION, idB), 0);
  assert_int_equal(in_scope(f, "program", idProgB, SCOPE_INSTITUTION, idB), 1);
  assert_int_equal(in_scope(f, "program", idProgA, SCOPE_TRAINER, idTrainer), 0);
  assert_int_equal(in_scope(f, "program", idProgA, SCOPE_SELF, idLearner), 0);
  /* cohort */
  assert_int_equal(in_scope(f, "cohort", idCohA, SCOPE_INSTITUTION, idA), 1);
  assert_int_equal(in_scope(f, "cohort", idCohA, SCOPE_INSTITUTION, idB), 0);
  assert_int_equal(in_scope(f, "cohort", idCohA, SCOPE_TRAINER, idTrainer), 1);
  assert_int_equal(in_scope(f, "cohort", idCohA, SCOPE_TRAINER, idTrainer2), 0);
  assert_int_equal(in_scope(f, "cohort", idCohB, SCOPE_TRAINER, idTrainer), 0);
  assert_int_equal(in_scope(f, "cohort", idCohA, SCOPE_SELF, idLearner), 0);
  /* person: registered by, or enrolled at, the institution */
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_INSTITUTION, idA), 1);
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_INSTITUTION, idB), 0);
  assert_int_equal(in_scope(f, "person", idRegistered, SCOPE_INSTITUTION, idB), 1);
  assert_int_equal(in_scope(f, "person", idRegistered, SCOPE_INSTITUTION, idA), 0);
  assert_int_equal(in_scope(f, "person", idTrainer, SCOPE_INSTITUTION, idA), 0);
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_TRAINER, idTrainer), 1);
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_TRAINER, idTrainer2), 0);
  assert_int_equal(in_scope(f, "person", idRegistered, SCOPE_TRAINER, idTrainer2), 0);
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_SELF, idLearner), 1);
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_SELF, idRegistered), 0);
  assert_int_equal(in_scope(f, "person", idRegistered, SCOPE_SELF, idLearner), 0);
  /* enrollment */
  assert_int_equal(in_scope(f, "enrollment", idEnr, SCOPE_INSTITUTION, idA), 1);
  assert_int_equal(in_scope(f, "enrollment", idEnr, SCOPE_INSTITUTION, idB), 0);
  assert_int_equal(in_scope(f, "enrollment", idEnr, SCOPE_TRAINER, idTrainer), 1);
  assert_int_equal(in_scope(f, "enrollment", idEnr, SCOPE_TRAINER, idTrainer2), 0);
  assert_int_equal(in_scope(f, "enrollment", idEnr, SCOPE_SELF, idLearner), 1);
  assert_int_equal(in_scope(f, "enrollment", idEnr, SCOPE_SELF, idRegistered), 0);
  /* no scope value, a missing record, an entity without scopes */
  assert_int_equal(in_scope(f, "person", idLearner, SCOPE_SELF, 0), 0);
  assert_int_equal(in_scope(f, "enrollment", 9999, SCOPE_SELF, idLearner), 0);
  assert_int_equal(in_scope(f, "area", idArea, SCOPE_INSTITUTION, idA), 0);
  assert_int_equal(in_scope(f, "nonsense", 1, SCOPE_INSTITUTION, idA), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(password_rules),
      cmocka_unit_test(password_hashing),
      cmocka_unit_test_setup_teardown(user_create_rules, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(login_success, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(login_failures_look_alike, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(login_throttling, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(session_resolve, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(session_revoke_and_disable, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(api_tokens, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(grant_rules, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(scopes, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
