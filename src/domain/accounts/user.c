/* user.c: accounts. A user signs in with a username and a password (hashed
 * with argon2id, never shown), may be linked to a person (trainers, judges,
 * learners), and may be disabled; what a user may do comes from grants. A
 * password guild generated (one-time) must be changed at the first sign-in
 * (password_must_change: until then the account may only read /me and
 * change its password, policy.c). */
#include "domain/engine/entity_int.h"
#include "domain/engine/policy.h"
#include "domain/accounts/password.h"
#include <string.h>

extern dom_entity dom_person, dom_user;

/* Usernames: 3 to 64 of a-z 0-9 . _ - @, starting with a letter or digit. */
static int username_ok(const char *z) {
  size_t n = strlen(z);
  if (n < 3 || n > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = z[i];
    int bOk = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (i > 0 && strchr("._-@", ch));
    if (!bOk) return 0;
  }
  return 1;
}

static const char zEndSessions[] = "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";

static int end_sessions(dom_ctx *c, int64_t idUser, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zEndSessions, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->now);
  db_bind_int(s, 2, idUser);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Checks the username and the new password, hashes it (ending the user's
 * sessions when it replaces an old one), and defaults `disabled` and
 * `password_must_change` to false (a password given without that flag was
 * chosen by whoever set it: only a generated one is one-time). */
static int user_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  const char *zUser = dom_v(r, "username")->z;
  if (!pOld && !username_ok(zUser))
    return gerr_setr(e, GERR_VALIDATION, GR_USERNAME_FORM, "username", GP_I("min", 3), GP_I("max", 64));
  const dom_val *pDis = dom_v(r, "disabled");
  if (!pDis->bSet || pDis->bNull) dom_set_int(r, "disabled", 0);
  const dom_val *pPw = dom_v(r, "password"), *pMust = dom_v(r, "password_must_change");
  if ((!pOld || (pPw->bSet && !pPw->bNull)) && (!pMust->bSet || pMust->bNull)) dom_set_int(r, "password_must_change", 0);
  if (pPw->bSet && !pPw->bNull) {
    if (password_check(pPw->z, zUser, e)) return -1;
    char *zHash = arena_alloc(c->pAr, PASSWORD_HASH_LEN);
    if (password_hash(pPw->z, zHash)) return gerr_set(e, GERR_INTERNAL, NULL, "cannot hash the password");
    dom_set_text(r, "password_hash", zHash);
    dom_set_int(r, "password_changed_at", c->now);
    if (pOld && end_sessions(c, r->id, e)) return -1;  /* a new password ends every session */
  } else if (!pOld) {
    return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "password");
  }
  return 0;
}

static const dom_field aField[] = {
    {"username", DT_TEXT, F_REQ | F_UNIQUE | F_IMMUT, 3, 64, NULL, NULL, "sign-in name (lower case)"},
    {"display_name", DT_TEXT, F_REQ, 1, 200, NULL, NULL, "name shown in the interface"},
    {"person_id", DT_REF, 0, 0, 0, NULL, &dom_person, "the person this account belongs to (trainers, judges, learners)"},
    {"disabled", DT_BOOL, 0, 0, 0, NULL, NULL, "a disabled account cannot sign in"},
    {"password", DT_TEXT, F_VIRT | F_RAW, 0, 256, NULL, NULL,
     "new password: at least 12 characters, not one of the 10,000 most common"},
    {"password_hash", DT_TEXT, F_RO | F_HIDDEN, 0, 0, NULL, NULL, "argon2id hash"},
    {"password_changed_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when the password was last set"},
    {"password_must_change", DT_BOOL, F_ADDED, 0, 0, NULL, NULL,
     "the password is one-time: until it is changed the account may only read /me and change its password"},
};

static const dom_filter aFilter[] = {
    {"username", FILT_TEXT, NULL, "username = ?", "the user with this name", NULL},
    {"person", FILT_INT, &dom_person, "person_id = ?", "accounts of this person", NULL},
    {"q", FILT_CONTAINS, NULL, DOM_CONTAINS("username") " OR " DOM_CONTAINS("display_name"),
     "text in the username or the display name, ignoring case", NULL},
    {"role", FILT_TEXT, NULL, "id IN (SELECT user_id FROM grants WHERE role = ?)", "accounts holding this role",
     auth_role_names},
};

dom_entity dom_user = {
    "user", "users", "An account that signs in.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    user_check, NULL, NULL,
    .apRule = {&pol_admin, &pol_admin, &pol_admin, &pol_admin, &pol_admin},
    .zTag = "accounts",
};
