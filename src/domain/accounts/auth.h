/* auth.h: who is acting: users, their role grants, sessions, API tokens and
 * sign-in throttling. Tokens are 256-bit random values shown once and stored
 * only as SHA-256 hashes. */
#ifndef GUILD_AUTH_H
#define GUILD_AUTH_H
#include "domain/engine/entity.h"

/* Roles and grants are the access rules' vocabulary: domain/engine/policy.h. */
#define AUTH_TOKEN_LEN 48      /* base64url of 32 bytes, with prefix and NUL */


typedef struct auth_user {
  int bSignedIn;
  int bCookie;                 /* by session cookie: writes need the CSRF token */
  int64_t user_id, person_id, session_id, token_id;
  char zName[72];              /* username, or the token's name */
  char zActor[96];             /* "user:NAME" or "token:NAME", for consent and audit */
  char zCsrf[AUTH_TOKEN_LEN];
  auth_grant aGrant[AUTH_MAXGRANT];
  int nGrant;
  int bMustChange;             /* a one-time password not changed yet: only /me and the change */
} auth_user;

/* The domain's view of u (policy.h): a user, a token or anonymous, with
 * u's grants (the actor points into u). */
dom_actor auth_actor(const auth_user *u);

#define SESSION_IDLE (30 * 60)          /* seconds without a request */
#define SESSION_ABSOLUTE (12 * 60 * 60) /* seconds after sign-in */
#define LOGIN_FREE_FAILURES 5           /* then the wait doubles per failure */
#define LOGIN_MAX_WAIT (15 * 60)
#define LOGIN_FORGET (30 * 60)          /* failures older than this are forgotten */

typedef struct auth_login {
  char zToken[AUTH_TOKEN_LEN];   /* the session token: for the cookie, never stored */
  char zCsrf[AUTH_TOKEN_LEN];
  int64_t session_id, user_id, expires_at;
} auth_login;

/* Signs in: same answer and about the same time for an unknown user, a
 * disabled one and a wrong password (GERR_UNAUTHORIZED); GERR_TOO_MANY while
 * the username or the client key (zClient, e.g. the address) must wait.
 * Manages its own transactions. */
int auth_login_password(dom_ctx *c, const char *zUser, const char *zPassword, const char *zClient,
                        auth_login *pOut, gerr *e);
/* The two halves of signing in: checking the password (with the same
 * throttling and answers; sets *pId) and opening a session for a user. */
int auth_verify_password(dom_ctx *c, const char *zUser, const char *zPassword, const char *zClient, int64_t *pId,
                         gerr *e);
int auth_session_create(dom_ctx *c, int64_t idUser, const char *zUser, auth_login *pOut, gerr *e);
/* Resolves a session token or an API token ("gt_..." ) into *pOut;
 * returns 0 (pOut->bSignedIn tells) or -1 on a database error. */
int auth_resolve_session(dom_ctx *c, const char *zToken, auth_user *pOut, gerr *e);
int auth_resolve_api_token(dom_ctx *c, const char *zToken, auth_user *pOut, gerr *e);
int auth_logout(dom_ctx *c, int64_t session_id, gerr *e);

typedef struct auth_session_info {
  int64_t id, created_at, last_seen_at, expires_at;
  int bCurrent;
} auth_session_info;
int auth_sessions(dom_ctx *c, int64_t user_id, int64_t current, auth_session_info **pa, int *pn, gerr *e);
/* Revokes one of user_id's sessions (GERR_NOT_FOUND if not theirs). */
int auth_session_revoke(dom_ctx *c, int64_t user_id, int64_t session_id, gerr *e);
/* The same for an administrator, about any user (pol_admin on the user):
 * the user's open sessions (none is the caller's "current"), and revoking
 * one of them. */
int auth_user_sessions(dom_ctx *c, int64_t user_id, auth_session_info **pa, int *pn, gerr *e);
int auth_user_session_revoke(dom_ctx *c, int64_t user_id, int64_t session_id, gerr *e);

/* API tokens for integrations: a name, one role (and institution). The
 * token text is written to zToken once and never stored. */
int auth_token_create(dom_ctx *c, const char *zName, const char *zRole, int64_t institution_id,
                      char zToken[AUTH_TOKEN_LEN], int64_t *pId, gerr *e);
/* The same, ending at expires_at (seconds; 0: never; else in the future). */
int auth_token_create_until(dom_ctx *c, const char *zName, const char *zRole, int64_t institution_id,
                            int64_t expires_at, char zToken[AUTH_TOKEN_LEN], int64_t *pId, gerr *e);
int auth_token_revoke(dom_ctx *c, int64_t id, gerr *e);
/* An API token as the list shows it (never its text). */
typedef struct auth_token_info {
  int64_t id, institution_id;                      /* institution_id 0: none */
  const char *zName, *zRole, *zCreatedBy;
  int64_t created_at, last_used_at, revoked_at;    /* 0: not (yet) */
  int64_t expires_at;                              /* 0: never */
} auth_token_info;
/* Every API token, oldest first, into *pa (c's arena) (tokens.c). */
int auth_tokens_list(dom_ctx *c, auth_token_info **pa, int *pn, gerr *e);

/* Loads the grants of user_id into u. */
int auth_load_grants(dom_ctx *c, int64_t user_id, auth_user *u, gerr *e);
/* Creates a user with a password (checked by the password rules), in one
 * transaction with its audit entry. Returns the id in *pId. */
int auth_user_create(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int64_t person_id,
                     int64_t *pId, gerr *e);
/* Finds a user by name (GERR_NOT_FOUND). */
int auth_user_find(dom_ctx *c, const char *zUser, int64_t *pId, gerr *e);
/* Grants role (with institution for institution_staff) to user_id. */
int auth_grant_role(dom_ctx *c, int64_t user_id, const char *zRole, int64_t institution_id, gerr *e);
/* The rule on a grant's or an API token's institution_id (grant.c): it is
 * required when the role is institution_staff (auth_inst_required) and
 * only then (auth_inst_only). Both fill e (422) and return -1. */
int auth_inst_required(gerr *e);
int auth_inst_only(gerr *e);
/* Characters of a one-time password guild generates. */
#define AUTH_ONE_TIME_LEN 20
/* Creates a user with a generated one-time password (written to zPassword,
 * to show once), which must be changed at the first sign-in. */
int auth_user_create_one_time(dom_ctx *c, const char *zUser, const char *zDisplay, int64_t person_id,
                              char zPassword[AUTH_ONE_TIME_LEN + 1], int64_t *pId, gerr *e);
/* Gives user_id a new generated one-time password (written to zPassword, to
 * show once; the user must change it at the next sign-in) and ends their
 * sessions: the rule of changing users (administrators). */
int auth_password_reset(dom_ctx *c, int64_t user_id, char zPassword[AUTH_ONE_TIME_LEN + 1], gerr *e);
/* Creates the user (bOneTime: zPassword must be changed at the first
 * sign-in) and, when zRole is given, grants it, in one transaction: both or
 * neither. */
int auth_user_add(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int bOneTime,
                  int64_t person_id, const char *zRole, int64_t institution_id, int64_t *pId, gerr *e);
/* How many users there are (any: `guild init` makes the first administrator only when none). */
int auth_user_count(dom_ctx *c, int64_t *pn, gerr *e);
/* Revokes user zUser's grant of zRole (at institution_id; 0: none):
 * GERR_NOT_FOUND when there is no such user, or they do not hold it. */
int auth_revoke_role(dom_ctx *c, const char *zUser, const char *zRole, int64_t institution_id, gerr *e);
/* A user as `guild user list` shows it (the grants: auth_load_grants). */
typedef struct auth_user_row {
  int64_t id, person_id;   /* person_id 0: none */
  const char *zName, *zDisplay;
  int bDisabled;
} auth_user_row;
/* Every user, by id, into *pa (c's arena). */
int auth_users_list(dom_ctx *c, auth_user_row **pa, int *pn, gerr *e);

/* What the administrators' list of accounts shows beside each user record:
 * its grants and how many sessions it has open. */
typedef struct auth_account_grant {
  int64_t id, institution_id;   /* institution_id 0: none */
  const char *zRole;
} auth_account_grant;
typedef struct auth_account_detail {
  auth_account_grant *aGrant;   /* c's arena */
  int nGrant, nSessions;
} auth_account_detail;
/* Fills aOut[i] for user aUser[i] (i < n); for administrators (pol_admin). */
int auth_account_details(dom_ctx *c, const int64_t *aUser, int n, auth_account_detail *aOut, gerr *e);

#endif
