/* demo_accounts.c: the demo region's accounts (see demo_accounts.h). */
#include "domain/demo/demo_accounts.h"
#include "domain/accounts/auth.h"
#include "domain/accounts/password.h"
#include <string.h>

/* One demo account per role: username, role, and who it acts as. */
static const struct {
  const char *zUser, *zDisplay, *zRole;
  const char *zPersonSourced;   /* the person it belongs to, by external id */
  int bInstitution;             /* staff of the first institution */
} aDemoAccount[DEMO_ACCOUNTS] = {
    {"admin", "Region administrator", "region_admin", NULL, 0},
    {"staff", "College staff (first college)", "institution_staff", NULL, 1},
    {"trainer", "Trainer", "trainer", "T000001", 0},
    {"judge", "Competition judge", "judge", "T000002", 0},
    {"learner", "Learner", "learner", "L0000001", 0},
};

static const char zBySourced[] = "SELECT id FROM persons WHERE sourced_id = $1";
static const char zFirstInst[] = "SELECT min(id) FROM institutions";

int demo_accounts(dom_ctx *c, demo_account a[DEMO_ACCOUNTS], gerr *e) {
  memset(a, 0, DEMO_ACCOUNTS * sizeof *a);
  int64_t idInst = 0;
  if (db_query_int(c->pDb, zFirstInst, 0, 0, &idInst, e) == DB_ERROR) return -1;
  if (db_begin(c->pDb, e)) return -1;
  for (int i = 0; i < DEMO_ACCOUNTS; i++) {
    int64_t idPerson = 0, idUser;
    a[i].zUser = aDemoAccount[i].zUser;
    a[i].zRole = aDemoAccount[i].zRole;
    if (aDemoAccount[i].zPersonSourced) {
      db_stmt *s = db_prepare(c->pDb, zBySourced, e);
      if (!s) goto fail;
      db_bind_text(s, 1, aDemoAccount[i].zPersonSourced);
      int rc = db_step(s, e);
      if (rc == DB_ROW) idPerson = db_col_int(s, 0);
      db_done(s);
      if (rc == DB_ERROR) goto fail;
      if (!idPerson) continue;   /* a tiny demo without that person */
    }
    if (auth_user_create_one_time(c, aDemoAccount[i].zUser, aDemoAccount[i].zDisplay, idPerson, a[i].zPassword,
                                  &idUser, e) ||
        auth_grant_role(c, idUser, aDemoAccount[i].zRole, aDemoAccount[i].bInstitution ? idInst : 0, e))
      goto fail;
  }
  if (db_commit(c->pDb, e)) return -1;
  return 0;
fail:
  db_rollback(c->pDb);
  return -1;
}
