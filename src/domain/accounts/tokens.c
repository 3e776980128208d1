/* tokens.c: the list of API tokens for region administrators (creating and
 * revoking them is in session.c, beside resolving them). */
#include "domain/accounts/auth.h"
#include <string.h>

static const char zTokens[] =
    "SELECT id, name, role, institution_id, created_at, created_by, last_used_at, revoked_at, expires_at FROM api_tokens "
    "ORDER BY id";

int auth_tokens_list(dom_ctx *c, auth_token_info **pa, int *pn, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zTokens, e);
  if (!s) return -1;
  auth_token_info *a = NULL;
  int n = 0, nAlloc = 0, rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      auth_token_info *aNew = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *aNew);
      if (n) memcpy(aNew, a, (size_t)n * sizeof *a);
      a = aNew;
    }
    auth_token_info *t = &a[n++];
    t->id = db_col_int(s, 0);
    t->zName = arena_strdup(c->pAr, db_col_text(s, 1));
    t->zRole = arena_strdup(c->pAr, db_col_text(s, 2));
    t->institution_id = db_col_int(s, 3);   /* NULL reads as 0 */
    t->created_at = db_col_int(s, 4);
    t->zCreatedBy = arena_strdup(c->pAr, db_col_text(s, 5));
    t->last_used_at = db_col_int(s, 6);
    t->revoked_at = db_col_int(s, 7);
    t->expires_at = db_col_int(s, 8);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  *pa = a;
  *pn = n;
  return 0;
}
