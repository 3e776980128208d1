/* accounts.c: users and grants from code (CLI, demo, the administrators'
 * routes): creating, granting, revoking, resetting a password to a one-time
 * one, and listing accounts with their grants, through the same validated
 * entity operations the API uses. */
#include "domain/accounts/auth.h"
#include "domain/accounts/password.h"
#include <string.h>

extern dom_entity dom_user, dom_grant;

static const char zFind[] = "SELECT id FROM users WHERE username = $1";
static const char zCount[] = "SELECT count(*) FROM users";
static const char zFindGrant[] =
    "SELECT id FROM grants WHERE user_id = $1 AND role = $2 AND coalesce(institution_id, 0) = $3";
static const char zGrantsOf[] =
    "SELECT id, role, coalesce(institution_id, 0) FROM grants WHERE user_id = $1 ORDER BY id";
static const char zOpenSessions[] =
    "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 "
    "AND user_id IN (SELECT id FROM users WHERE disabled = 0)";   /* a disabled account's sessions are over */
static const char zList[] =
    "SELECT id, username, display_name, disabled, coalesce(person_id, 0) FROM users ORDER BY id";

/* Creates a user; bOneTime: zPassword is one to change at the first sign-in. */
static int user_create(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int bOneTime,
                       int64_t person_id, int64_t *pId, gerr *e) {
  dom_rec r, out;
  dom_rec_init(&r, &dom_user);
  dom_set_text(&r, "username", zUser);
  dom_set_text(&r, "display_name", zDisplay && *zDisplay ? zDisplay : zUser);
  dom_set_text(&r, "password", zPassword);
  dom_set_int(&r, "password_must_change", bOneTime);
  if (person_id > 0) dom_set_int(&r, "person_id", person_id);
  if (dom_create(c, &dom_user, &r, &out, e)) return -1;
  *pId = out.id;
  return 0;
}

int auth_user_create(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int64_t person_id,
                     int64_t *pId, gerr *e) {
  return user_create(c, zUser, zDisplay, zPassword, 0, person_id, pId, e);
}

int auth_user_create_one_time(dom_ctx *c, const char *zUser, const char *zDisplay, int64_t person_id,
                              char zPassword[AUTH_ONE_TIME_LEN + 1], int64_t *pId, gerr *e) {
  password_random(zPassword, AUTH_ONE_TIME_LEN);
  return user_create(c, zUser, zDisplay, zPassword, 1, person_id, pId, e);
}

int auth_password_reset(dom_ctx *c, int64_t user_id, char zPassword[AUTH_ONE_TIME_LEN + 1], gerr *e) {
  dom_rec u, patch, out;
  if (dom_read(c, &dom_user, user_id, &u, e)) return -1;
  password_random(zPassword, AUTH_ONE_TIME_LEN);
  dom_rec_init(&patch, &dom_user);
  dom_set_text(&patch, "password", zPassword);
  dom_set_int(&patch, "password_must_change", 1);
  return dom_update(c, &dom_user, user_id, u.version, &patch, &out, e);   /* ends the user's sessions */
}

int auth_user_find(dom_ctx *c, const char *zUser, int64_t *pId, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zFind, e);
  if (!s) return -1;
  db_bind_text(s, 1, zUser);
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pId = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE) {
    gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, "username", GP_S("entity", "user"), GP_S("id", zUser));
    return gerr_msg(e, "no user named '%.64s'", zUser);
  }
  return 0;
}

int auth_grant_role(dom_ctx *c, int64_t user_id, const char *zRole, int64_t institution_id, gerr *e) {
  dom_rec r, out;
  dom_rec_init(&r, &dom_grant);
  dom_set_int(&r, "user_id", user_id);
  dom_set_text(&r, "role", zRole);
  if (institution_id > 0) dom_set_int(&r, "institution_id", institution_id);
  return dom_create(c, &dom_grant, &r, &out, e);
}

int auth_user_add(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int bOneTime,
                  int64_t person_id, const char *zRole, int64_t institution_id, int64_t *pId, gerr *e) {
  if (db_begin(c->pDb, e)) return -1;
  if (user_create(c, zUser, zDisplay, zPassword, bOneTime, person_id, pId, e) ||
      (zRole && auth_grant_role(c, *pId, zRole, institution_id, e)) || db_commit(c->pDb, e)) {
    if (db_depth(c->pDb)) db_rollback(c->pDb);
    return -1;
  }
  return 0;
}

int auth_user_count(dom_ctx *c, int64_t *pn, gerr *e) {
  *pn = 0;
  return db_query_int(c->pDb, zCount, 0, 0, pn, e) == DB_ERROR ? -1 : 0;
}

int auth_revoke_role(dom_ctx *c, const char *zUser, const char *zRole, int64_t institution_id, gerr *e) {
  int64_t id;
  if (auth_user_find(c, zUser, &id, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zFindGrant, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  db_bind_text(s, 2, zRole);
  db_bind_int(s, 3, institution_id);
  int64_t idGrant = 0;
  int rc = db_step(s, e);
  if (rc == DB_ROW) idGrant = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE) {
    gerr_setr(e, GERR_NOT_FOUND, GR_GRANT_NOT_HELD, "role", GP_S("user", zUser), GP_S("role", zRole),
              GP_I("institution", institution_id));
    if (institution_id) gerr_msg(e, "%.64s does not hold %.40s at institution %lld", zUser, zRole, (long long)institution_id);
    return -1;
  }
  return dom_delete(c, &dom_grant, idGrant, -1, e);
}

int auth_users_list(dom_ctx *c, auth_user_row **pa, int *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zList, e);
  if (!s) return -1;
  auth_user_row *a = NULL;
  int n = 0, nAlloc = 0, rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      auth_user_row *aNew = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *aNew);
      if (n) memcpy(aNew, a, (size_t)n * sizeof *a);
      a = aNew;
    }
    a[n] = (auth_user_row){db_col_int(s, 0), db_col_int(s, 4), arena_strdup(c->pAr, db_col_text(s, 1)),
                           arena_strdup(c->pAr, db_col_text(s, 2)), (int)db_col_int(s, 3)};
    n++;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  *pa = a;
  *pn = n;
  return 0;
}

/* The grants of user id into *pOut (c's arena). */
static int grants_of(dom_ctx *c, int64_t id, auth_account_detail *pOut, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zGrantsOf, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  int rc, nAlloc = 0;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (pOut->nGrant == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 4;
      auth_account_grant *aNew = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *aNew);
      if (pOut->nGrant) memcpy(aNew, pOut->aGrant, (size_t)pOut->nGrant * sizeof *aNew);
      pOut->aGrant = aNew;
    }
    pOut->aGrant[pOut->nGrant++] =
        (auth_account_grant){db_col_int(s, 0), db_col_int(s, 2), arena_strdup(c->pAr, db_col_text(s, 1))};
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int auth_account_details(dom_ctx *c, const int64_t *aUser, int n, auth_account_detail *aOut, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  for (int i = 0; i < n; i++) {
    memset(&aOut[i], 0, sizeof aOut[i]);
    if (grants_of(c, aUser[i], &aOut[i], e)) return -1;
    db_stmt *s = db_prepare(c->pDb, zOpenSessions, e);
    if (!s) return -1;
    db_bind_int(s, 1, aUser[i]);
    db_bind_int(s, 2, c->now);
    db_bind_int(s, 3, c->now - SESSION_IDLE);
    int rc = db_step(s, e);
    if (rc == DB_ROW) aOut[i].nSessions = (int)db_col_int(s, 0);
    db_done(s);
    if (rc == DB_ERROR) return -1;
  }
  return 0;
}
