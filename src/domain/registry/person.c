/* person.c: learners, trainers and judges. Only what training needs: names
 * in any script, optional sex and birth date (for aggregate equity figures
 * only), home area and contact. No other personal data is stored, and there
 * is no free-text note field (DESIGN.md, principle 2). */
#include "domain/registry/person.h"
#include "domain/registry/registry.h"
#include "domain/engine/audit.h"
#include "domain/engine/entity_int.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <stdlib.h>
#include <string.h>

extern dom_entity dom_area, dom_institution;

static const char *const azSex[] = {"female", "male", NULL};

/* The fields' places in aField (below), so that the rules, which run on
 * every imported row, need not look fields up by name. */
enum {
  P_SOURCED_ID, P_GIVEN_NAME, P_FAMILY_NAME, P_SEX, P_BIRTH_DATE, P_HOME_AREA_ID, P_PHONE, P_EMAIL,
  P_INSTITUTION_ID, P_ERASED_AT, P_NAME_KEY, P_GIVEN_KEY, P__N
};

static void set_key(dom_rec *r, int k, const char *z) {
  r->a[k].bSet = 1;
  r->a[k].bNull = 0;
  r->a[k].z = z;
}

/* Search key of a name with every space removed, in the arena. */
static const char *name_key(arena *a, const char *zFamily, const char *zGiven) {
  size_t nFamily = zFamily ? strlen(zFamily) : 0, nGiven = zGiven ? strlen(zGiven) : 0;
  char *zFull = arena_alloc(a, nFamily + nGiven + 1);
  if (nFamily) memcpy(zFull, zFamily, nFamily);
  if (nGiven) memcpy(zFull + nFamily, zGiven, nGiven);
  zFull[nFamily + nGiven] = 0;
  char *zKey = text_search_key(zFull);
  if (!zKey) return "";
  char *p = zKey, *q = zKey;
  for (; *p; p++)
    if (*p != ' ') *q++ = *p;
  *q = 0;
  const char *zOut = arena_strdup(a, zKey);
  free(zKey);
  return zOut;
}

void person_set_keys(dom_ctx *c, dom_rec *r) {
  const dom_val *pFamily = &r->a[P_FAMILY_NAME];
  const char *zFamily = pFamily->bSet && !pFamily->bNull ? pFamily->z : "";
  const char *zGiven = r->a[P_GIVEN_NAME].z;
  set_key(r, P_NAME_KEY, name_key(c->pAr, zFamily, zGiven));
  set_key(r, P_GIVEN_KEY, name_key(c->pAr, NULL, zGiven));
}

/* Computes the search keys; checks the birth date is not in the future and
 * the e-mail address looks like one. */
static int person_check(dom_ctx *c, dom_rec *r, const dom_rec *pOld, gerr *e) {
  (void)pOld;
  const dom_val *pBirth = &r->a[P_BIRTH_DATE];
  if (pBirth->bSet && !pBirth->bNull) {
    char zToday[16];
    time_today(zToday, sizeof zToday);
    if (strcmp(pBirth->z, zToday) > 0)
      return gerr_setr(e, GERR_VALIDATION, GR_IN_FUTURE, "birth_date");
  }
  const dom_val *pMail = &r->a[P_EMAIL];
  if (pMail->bSet && !pMail->bNull && pMail->z[0]) {
    const char *zAt = strchr(pMail->z, '@');
    if (!zAt || zAt == pMail->z || !strchr(zAt, '.') || strchr(pMail->z, ' '))
      return gerr_setr(e, GERR_VALIDATION, GR_NOT_EMAIL, "email", GP_S("got", pMail->z));
  }
  person_set_keys(c, r);
  return 0;
}

static const dom_field aField[] = {
    [P_SOURCED_ID] = {"sourced_id", DT_TEXT, F_UNIQUE, 1, 255, NULL, NULL,
                      "external id (e.g. OneRoster sourcedId), unique"},
    [P_GIVEN_NAME] = {"given_name", DT_TEXT, F_REQ, 1, 100, NULL, NULL, "given name, any script"},
    [P_FAMILY_NAME] = {"family_name", DT_TEXT, 0, 0, 100, NULL, NULL, "family name, any script (may be empty)"},
    [P_SEX] = {"sex", DT_ENUM, 0, 0, 0, azSex, NULL, "optional; used only for aggregate equity statistics"},
    [P_BIRTH_DATE] = {"birth_date", DT_DATE, 0, 0, 0, NULL, NULL,
                      "optional (YYYY-MM-DD); used only for aggregate statistics"},
    [P_HOME_AREA_ID] = {"home_area_id", DT_REF, 0, 0, 0, NULL, &dom_area, "home area (township or county)"},
    [P_PHONE] = {"phone", DT_TEXT, 0, 0, 40, NULL, NULL, "contact telephone"},
    [P_EMAIL] = {"email", DT_TEXT, 0, 0, 200, NULL, NULL, "contact e-mail"},
    [P_INSTITUTION_ID] = {"institution_id", DT_REF, 0, 0, 0, NULL, &dom_institution,
     "the institution that registered the person (staff see the persons of their institution)"},
    [P_ERASED_AT] = {"erased_at", DT_TIME, F_RO, 0, 0, NULL, NULL, "when the person's personal data was erased"},
    [P_NAME_KEY] = {"name_key", DT_TEXT, F_RO | F_HIDDEN, 0, 0, NULL, NULL, "search key: family and given name"},
    [P_GIVEN_KEY] = {"given_key", DT_TEXT, F_RO | F_HIDDEN, 0, 0, NULL, NULL, "search key: given name"},
};

static const dom_filter aFilter[] = {
    {"q", FILT_PREFIX, NULL, "(name_key >= ?1 AND name_key < ?2) OR (given_key >= ?1 AND given_key < ?2)",
     "name prefix: family name, family+given, or given name (case and spaces ignored)", NULL},
    {"area", FILT_INT, &dom_area, "home_area_id IN " DOM_AREA_SUBTREE, "persons whose home is in this area or within it", NULL},
    {"cohort", FILT_INT, &dom_cohort, "id IN (SELECT person_id FROM enrollments WHERE cohort_id = ?)",
     "persons enrolled (in any status) in this cohort", NULL},
    {"institution", FILT_INT, NULL,
     "institution_id = ?1 OR id IN (SELECT e.person_id FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id "
     "JOIN programs p ON p.id = c.program_id WHERE p.institution_id = ?1)",
     "persons registered by, or enrolled (in any status) at, this institution", NULL},
    {"trainer", FILT_INT, NULL,
     "id IN (SELECT e.person_id FROM enrollments e JOIN cohorts_trainers t ON t.owner_id = e.cohort_id "
     "WHERE t.value = ?)",
     "persons enrolled in a cohort this person trains", NULL},
    {"sourced_id", FILT_TEXT, NULL, "sourced_id = ?", "the person with this external id", NULL},
};

_Static_assert(P__N == sizeof aField / sizeof aField[0], "one P_* per field");

static const dom_parent aPersonParent[] = {{"institution_id", 0, 1}};

dom_entity dom_person = {
    "person", "persons", "A learner, trainer or judge.",
    aField, sizeof aField / sizeof aField[0], aFilter, sizeof aFilter / sizeof aFilter[0],
    person_check, NULL, NULL,
    .apRule = {&reg_rule_person_list, &reg_rule_person_read, &reg_rule_person_create, &reg_rule_person_write, &pol_admin},
    .azScopeFilter = {[SCOPE_INSTITUTION] = "institution", [SCOPE_TRAINER] = "trainer"},
    .aParent = aPersonParent,
    .nParent = sizeof aPersonParent / sizeof aPersonParent[0],
    .flags = DOM_EXPORT,
};

static const char zDropAccounts[] = "DELETE FROM users WHERE person_id = $1";
/* What the DELETE takes with it, for the audit log (the erase entry
 * vouches for their deletion): the accounts, and their grants. */
static const char zAccountsOf[] = "SELECT id FROM users WHERE person_id = $1";
static const char zGrantsOf[] = "SELECT g.id FROM grants g JOIN users u ON u.id = g.user_id WHERE u.person_id = $1";

int person_erase(dom_ctx *c, int64_t id, dom_rec *pOut, gerr *e) {
  if (pol_check(c, &pol_admin, &dom_person, id, e)) return -1;
  static const char *const azErase[] = {"sourced_id", "family_name", "birth_date", "phone", "email"};
  dom_rec r;
  if (db_begin(c->pDb, e)) return -1;
  if (dom_get(c, &dom_person, id, &r, e)) goto fail;
  if (!dom_v(&r, "erased_at")->bNull) {  /* already erased */
    *pOut = r;
    return db_commit(c->pDb, e);
  }
  for (size_t i = 0; i < sizeof azErase / sizeof azErase[0]; i++) dom_set_text(&r, azErase[i], NULL);
  dom_set_text(&r, "given_name", "(erased)");
  dom_set_text(&r, "name_key", "");
  dom_set_text(&r, "given_key", "");
  dom_set_int(&r, "erased_at", c->now);
  if (dom_store(c, &r, r.version, e)) goto fail;
  if (audit_note_gone_ids(c, dom_entity_find("grant"), zGrantsOf, id, e) ||
      audit_note_gone_ids(c, dom_entity_find("user"), zAccountsOf, id, e))
    goto fail;
  db_stmt *s = db_prepare(c->pDb, zDropAccounts, e);
  if (!s) goto fail;
  db_bind_int(s, 1, id);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  if (dom_get(c, &dom_person, id, pOut, e)) goto fail;
  if (audit_record(c, "erase", pOut, e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}
