/* accounts.c: creating users and grants from code (CLI, demo), through the
 * same validated entity operations the API uses. */
#include "domain/accounts/auth.h"
#include <string.h>

extern dom_entity dom_user, dom_grant;

static const char zFind[] = "SELECT id FROM users WHERE username = $1";

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
