/* accounts.c: users and grants from code (CLI, demo): creating, granting,
 * revoking and listing, through the same validated entity operations the
 * API uses. */
#include "domain/accounts/auth.h"
#include <string.h>

extern dom_entity dom_user, dom_grant;

static const char zFind[] = "SELECT id FROM users WHERE username = $1";
static const char zCount[] = "SELECT count(*) FROM users";
static const char zFindGrant[] =
    "SELECT id FROM grants WHERE user_id = $1 AND role = $2 AND coalesce(institution_id, 0) = $3";
static const char zList[] =
    "SELECT id, username, display_name, disabled, coalesce(person_id, 0) FROM users ORDER BY id";

int auth_user_create(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int64_t person_id,
                     int64_t *pId, gerr *e) {
  dom_rec r, out;
  dom_rec_init(&r, &dom_user);
  dom_set_text(&r, "username", zUser);
  dom_set_text(&r, "display_name", zDisplay && *zDisplay ? zDisplay : zUser);
  dom_set_text(&r, "password", zPassword);
  if (person_id > 0) dom_set_int(&r, "person_id", person_id);
  if (dom_create(c, &dom_user, &r, &out, e)) return -1;
  *pId = out.id;
  return 0;
}

int auth_user_find(dom_ctx *c, const char *zUser, int64_t *pId, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zFind, e);
  if (!s) return -1;
  db_bind_text(s, 1, zUser);
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pId = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE) return gerr_set(e, GERR_NOT_FOUND, "username", "no user named '%.64s'", zUser);
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

int auth_user_add(dom_ctx *c, const char *zUser, const char *zDisplay, const char *zPassword, int64_t person_id,
                  const char *zRole, int64_t institution_id, int64_t *pId, gerr *e) {
  if (db_begin(c->pDb, e)) return -1;
  if (auth_user_create(c, zUser, zDisplay, zPassword, person_id, pId, e) ||
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
  if (rc == DB_DONE)
    return gerr_set(e, GERR_NOT_FOUND, NULL, "%.64s does not hold %.40s%s", zUser, zRole,
                    institution_id ? " at that institution" : "");
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
