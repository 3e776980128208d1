/* grant.c: role grants. A user holds one or more roles: region_admin,
 * institution_staff (of one institution), trainer, judge or learner (the
 * last three act through the user's person). Access rules are in
 * src/http/authz.c; this file keeps grants well-formed. */
#include "domain/accounts/auth.h"
#include "domain/engine/policy.h"
#include "domain/engine/entity_int.h"
#include <string.h>

extern dom_entity dom_user, dom_institution, dom_grant;

const char *const auth_role_names[] = {"region_admin", "institution_staff", "trainer", "judge", "learner", NULL};

int auth_role_of(const char *zName) {
  for (int i = 0; auth_role_names[i]; i++)
    if (strcmp(auth_role_names[i], zName) == 0) return i;
  return -1;
}

static const char zSame[] =
    "SELECT id FROM grants WHERE user_id = $1 AND role = $2 AND coalesce(institution_id, 0) = $3";
static const char zUserPerson[] = "SELECT coalesce(person_id, 0) FROM users WHERE id = $1";

int auth_inst_required(gerr *e) {
  gerr_setr(e, GERR_VALIDATION, GR_REQUIRED_WITH, "institution_id", GP_S("other", "role"), GP_S("value", "institution_staff"));
  return gerr_msg(e, "institution_id: institution_staff is staff of one institution");
}

int auth_inst_only(gerr *e) {
  gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITH, "institution_id", GP_S("other", "role"), GP_S("value", "institution_staff"));
  return gerr_msg(e, "institution_id: only for institution_staff");
}

/* institution_staff needs an institution, other roles have none; roles
 * that act through a person need the user to have one; no duplicates. */
static int grant_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)pOld;
  int role = auth_role_of(dom_v(r, "role")->z);
  const dom_val *pInst = dom_v(r, "institution_id");
  int bInst = pInst->bSet && !pInst->bNull;
  if (role == ROLE_INSTITUTION_STAFF && !bInst)
    return auth_inst_required(e);
  if (role != ROLE_INSTITUTION_STAFF && bInst)
    return auth_inst_only(e);
  int64_t idUser = dom_v(r, "user_id")->i, idPerson = 0;
  if (role == ROLE_TRAINER || role == ROLE_JUDGE || role == ROLE_LEARNER) {
    if (db_query_int(c->pDb, zUserPerson, 1, idUser, &idPerson, e) == DB_ERROR) return -1;
    if (!idPerson)
      return gerr_setr(e, GERR_VALIDATION, GR_ROLE_NEEDS_PERSON, "role", GP_S("role", auth_role_names[role]));
  }
  db_stmt *s = db_prepare(c->pDb, zSame, e);
  if (!s) return -1;
  db_bind_int(s, 1, idUser);
  db_bind_text(s, 2, auth_role_names[role]);
  db_bind_int(s, 3, bInst ? pInst->i : 0);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_ROW) return gerr_setr(e, GERR_CONFLICT, GR_ALREADY_GRANTED, "role");
  return 0;
}

static const dom_field aField[] = {
    {"user_id", DT_REF, F_REQ | F_IMMUT, 0, 0, NULL, &dom_user, "the user"},
    {"role", DT_ENUM, F_REQ | F_IMMUT, 0, 0, auth_role_names, NULL,
     "region_admin, institution_staff, trainer, judge or learner"},
    {"institution_id", DT_REF, F_IMMUT, 0, 0, NULL, &dom_institution, "for institution_staff: the institution"},
};

static const dom_filter aFilter[] = {
    {"user", FILT_INT, &dom_user, "user_id = ?", "grants of this user", NULL},
    {"role", FILT_TEXT, NULL, "role = ?", "grants of this role", auth_role_names},
    {"institution", FILT_INT, &dom_institution, "institution_id = ?", "grants for this institution (its staff)", NULL},
};

dom_entity dom_grant = {
    "grant", "grants", "A role held by a user.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    grant_check, NULL, NULL,
    .apRule = {&pol_admin, &pol_admin, &pol_admin, NULL, &pol_admin},
    .zTag = "accounts",
    .azSummary = {"List role grants (user, role, institution filters)", "Read one grant", "Grant a role to a user", NULL, "Revoke a grant"},
};
