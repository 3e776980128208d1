/* oneroster_user.c: users.csv and roles.csv -> persons; enrollments.csv ->
 * enrollments (students) and cohort trainers (teachers, aides). guild keeps
 * only the people training is about: a user is imported when a role makes
 * them a student, teacher or aide; guardians, parents, relatives and staff
 * roles are not kept (DESIGN.md: no family members' details). A user's
 * primary org, when it is a school, is the person's registering institution.
 * A student's enrollment records consent as the importing actor's act, as
 * entering it through the API does; the learner can withdraw at any time. */
#include "domain/imports/oneroster_int.h"
#include "domain/registry/cohort.h"
#include "core/text.h"
#include <string.h>
#include <strings.h>

extern dom_entity dom_person, dom_cohort, dom_enrollment;

/* ---- roles ---- */

enum { RO_USER = 3, RO_TYPE, RO_ROLE, RO_ORG, RO__N };
static const or_col aRoleCol[] = {
    {"sourcedId", 0}, {"status", 0}, {"dateLastModified", 0}, {"userSourcedId", ORC_REQ | ORC_VALUE},
    {"roleType", ORC_REQ | ORC_VALUE}, {"role", ORC_REQ | ORC_VALUE}, {"orgSourcedId", ORC_REQ | ORC_VALUE},
};
const or_spec or_spec_roles = {aRoleCol, RO__N};

#define NO_ORG "no org has this sourcedId, neither in orgs.csv nor in guild"

static const char *const azKeptRole[] = {"student", "teacher", "aide", NULL};

static int is_kept_role(const char *z) {
  for (int i = 0; azKeptRole[i]; i++)
    if (strcasecmp(azKeptRole[i], z) == 0) return 1;
  return 0;
}

/* The roles entry of user zUser, created when missing. */
static or_user_roles *user_roles(or_importer *m, const char *zUser) {
  or_user_roles *p = or_map_get(&m->roles, zUser);
  if (p) return p;
  p = arena_alloc(m->pAr, sizeof *p);
  p->zUser = arena_strdup(m->pAr, zUser);
  or_map_put(&m->roles, zUser, p);
  or_grow(m->pAr, &m->aRoles, m->nRoles, &m->nRolesAlloc, sizeof(or_user_roles *));
  m->aRoles[m->nRoles++] = p;
  return p;
}

/* Notes one role of a user: kept or not, and a primary org. */
static void note_role(or_user_roles *p, const char *zRole, int bPrimary, or_org_kind kind, int64_t idOrg, int iRow) {
  if (is_kept_role(zRole)) p->bKept = 1;
  else p->bOther = 1;
  if (bPrimary && !p->bPrimary) {
    p->bPrimary = 1;
    p->idPrimaryInst = kind == OR_ORG_INST ? idOrg : 0;
    p->iRow = iRow;
  }
}

int or_role_row(or_importer *m, const or_row *r) {
  const char **az = r->az;
  if (r->bDelete) {   /* guild keeps no roles: a deleted one changes nothing */
    m->r->aCount[m->f].nSkipped++;
    return 0;
  }
  int bPrimary = strcasecmp(az[RO_TYPE], "primary") == 0;
  if (!bPrimary && strcasecmp(az[RO_TYPE], "secondary") != 0) return or_err(m, r, RO_TYPE, "must be primary or secondary");
  or_org_kind kind;
  int64_t idOrg = 0;
  if (or_find_org(m, az[RO_ORG], &kind, &idOrg)) return -1;
  if (kind == OR_ORG_NONE) return or_missing(m, r, RO_ORG, OR_ORGS, az[RO_ORG], "org", NO_ORG);
  note_role(user_roles(m, az[RO_USER]), az[RO_ROLE], bPrimary, kind, idOrg, r->iRow);
  if (!is_kept_role(az[RO_ROLE])) m->r->aCount[m->f].nSkipped++;
  return 0;
}

/* ---- users ---- */

enum { US_ORGS = 3, US_ROLE, US_GIVEN, US_FAMILY, US_EMAIL, US_SMS, US_PHONE, US_PRIMARY_ORG, US__N };
static const or_col aUserCol[] = {
    {"sourcedId", ORC_REQ | ORC_VALUE}, {"status", 0}, {"dateLastModified", 0},
    {"orgSourcedIds", ORC_REQ11},       {"role", ORC_REQ11 | ORC_VALUE}, {"givenName", ORC_REQ | ORC_VALUE},
    {"familyName", ORC_REQ},            {"email", 0},                   {"sms", 0},
    {"phone", 0},                       {"primaryOrgSourcedId", 0},
};
const or_spec or_spec_users = {aUserCol, US__N};

static const char zPersonBySid[] = "SELECT id FROM persons WHERE sourced_id = $1";

static const or_fieldcol aPersonMap[] = {
    {"given_name", US_GIVEN}, {"family_name", US_FAMILY}, {"email", US_EMAIL}, {"phone", US_PHONE},
    {"institution_id", US_PRIMARY_ORG}, {"sourced_id", ORC_SOURCED_ID}, {NULL, 0}};

/* The roles a 1.1 users.csv row gives itself (role, orgSourcedIds): its
 * first org is its primary one. 0, 1 after reporting an unknown org, -1. */
static int own_roles(or_importer *m, const or_row *r, or_user_roles *p) {
  const char **azOrg;
  int nOrg = or_split(m->c->pAr, r->az[US_ORGS], &azOrg);
  for (int i = 0; i < nOrg; i++) {
    or_org_kind kind;
    int64_t idOrg = 0;
    if (or_find_org(m, azOrg[i], &kind, &idOrg)) return -1;
    if (kind == OR_ORG_NONE)
      return or_missing(m, r, US_ORGS, OR_ORGS, azOrg[i], "org",
                        arena_printf(m->c->pAr, "no org '%s', neither in orgs.csv nor in guild", azOrg[i])) + 1;
    note_role(p, r->az[US_ROLE], i == 0, kind, idOrg, r->iRow);
  }
  if (!nOrg && r->az[US_ROLE][0]) note_role(p, r->az[US_ROLE], 0, OR_ORG_NONE, 0, r->iRow);
  return 0;
}

int or_user_row(or_importer *m, const or_row *r) {
  if (r->bDelete) {
    or_defer_delete(m, r);
    return 0;
  }
  const char **az = r->az;
  or_user_roles *pMap = or_map_get(&m->roles, az[ORC_SOURCED_ID]), roles;
  memset(&roles, 0, sizeof roles);
  if (pMap) {
    roles = *pMap;
    pMap->bSeen = 1;
  }
  if (or_has(m, US_ROLE)) {
    int rc = own_roles(m, r, &roles);
    if (rc) return rc < 0 ? -1 : 0;
  }
  int64_t idOld = 0, idInst = 0;
  int bInst = 0;
  if (or_find(m, zPersonBySid, az[ORC_SOURCED_ID], &idOld, NULL) < 0) return -1;
  if (!roles.bKept && (roles.bOther || (!idOld && m->r->aMode[m->f] == OR_DELTA))) {
    m->r->aCount[m->f].nSkipped++;   /* not a learner, trainer or aide */
    return 0;
  }
  if (az[US_PRIMARY_ORG][0]) {
    or_org_kind kind;
    if (or_find_org(m, az[US_PRIMARY_ORG], &kind, &idInst)) return -1;
    if (kind == OR_ORG_NONE)
      return or_missing(m, r, US_PRIMARY_ORG, OR_ORGS, az[US_PRIMARY_ORG], "org", NO_ORG);
    bInst = 1;
    if (kind != OR_ORG_INST) idInst = 0;
  } else if (roles.bPrimary) {
    bInst = 1;
    idInst = roles.idPrimaryInst;
  }
  dom_rec in;
  dom_rec_init(&in, &dom_person);
  dom_set_text(&in, "sourced_id", az[ORC_SOURCED_ID]);
  dom_set_text(&in, "given_name", az[US_GIVEN]);
  dom_set_text(&in, "family_name", az[US_FAMILY][0] ? az[US_FAMILY] : NULL);
  if (or_has(m, US_EMAIL)) dom_set_text(&in, "email", az[US_EMAIL][0] ? az[US_EMAIL] : NULL);
  if (or_has(m, US_PHONE) || or_has(m, US_SMS)) {
    const char *zPhone = az[US_PHONE][0] ? az[US_PHONE] : az[US_SMS];
    dom_set_text(&in, "phone", zPhone[0] ? zPhone : NULL);
  }
  if (bInst && idInst) dom_set_int(&in, "institution_id", idInst);
  else if (bInst) dom_set_text(&in, "institution_id", NULL);
  int64_t id;
  return or_upsert(m, r, &dom_person, idOld, &in, aPersonMap, &id) < 0 ? -1 : 0;
}

/* Roles of users that users.csv does not list (a delta): the primary org
 * gives the person guild already has its institution. */
int or_apply_roles(or_importer *m) {
  m->f = OR_ROLES;
  m->pSpec = &or_spec_roles;
  const char *azEmpty[2 * RO__N];
  for (int k = 0; k < 2 * RO__N; k++) azEmpty[k] = "";
  arena *pSaved = m->c->pAr;
  m->c->pAr = &m->rowAr;
  int rc = 0;
  for (int i = 0; !rc && i < m->nRoles; i++) {
    or_user_roles *p = m->aRoles[i];
    if (p->bSeen || !p->bPrimary || !p->bKept) continue;
    int64_t idPerson = 0, id;
    rc = or_find(m, zPersonBySid, p->zUser, &idPerson, NULL);
    if (rc <= 0) continue;
    dom_rec in;
    dom_rec_init(&in, &dom_person);
    if (p->idPrimaryInst) dom_set_int(&in, "institution_id", p->idPrimaryInst);
    else dom_set_text(&in, "institution_id", NULL);
    or_row r = {p->iRow, azEmpty, azEmpty + RO__N, 0};
    if (db_begin(m->c->pDb, m->e)) return -1;
    int nBefore = or_nerr(m);
    rc = or_upsert(m, &r, &dom_person, idPerson, &in, NULL, &id);
    if (rc < 0) db_rollback(m->c->pDb);
    else if (or_nerr(m) != nBefore) db_rollback(m->c->pDb), rc = 0;
    else rc = db_commit(m->c->pDb, m->e);
    arena_reset(&m->rowAr);
  }
  m->c->pAr = pSaved;
  return rc < 0 ? -1 : 0;
}

int or_delete_user(or_importer *m, const or_row *r) { return or_delete_record(m, r, &dom_person, zPersonBySid); }

/* ---- enrollments ---- */

enum { EN_CLASS = 3, EN_SCHOOL, EN_USER, EN_ROLE, EN_PRIMARY, EN_STATUS, EN__N };
static const or_col aEnrollCol[] = {
    {"sourcedId", ORC_REQ | ORC_VALUE}, {"status", 0}, {"dateLastModified", 0},
    {"classSourcedId", ORC_REQ | ORC_VALUE}, {"schoolSourcedId", 0}, {"userSourcedId", ORC_REQ | ORC_VALUE},
    {"role", ORC_REQ | ORC_VALUE}, {"primary", 0}, {"metadata.guild.status", 0},
};
const or_spec or_spec_enrollments = {aEnrollCol, EN__N};

static const char zCohortBySid[] = "SELECT id FROM cohorts WHERE sourced_id = $1";
static const char zEnrollmentBySid[] = "SELECT id FROM enrollments WHERE sourced_id = $1";
static const char zEnrollmentOf[] = "SELECT id, sourced_id FROM enrollments WHERE person_id = $1 AND cohort_id = $2";

/* Reading ahead: the students enrollments.csv puts in each class. */
int or_seats_row(or_importer *m, const or_row *r) {
  if (r->bDelete || strcasecmp(r->az[EN_ROLE], "student") != 0 || !r->az[EN_CLASS][0]) return 0;
  or_class_seats *p = or_map_get(&m->seats, r->az[EN_CLASS]);
  if (!p) {
    p = arena_alloc(m->pAr, sizeof *p);
    or_map_put(&m->seats, r->az[EN_CLASS], p);
  }
  p->nStudents++;
  p->nLeft++;
  return 0;
}

/* The cohort and person a row names: 1 with both, 0 after reporting one
 * missing (bReport) or finding one missing, -1 on error. */
static int cohort_and_person(or_importer *m, const or_row *r, int bReport, int64_t *pidCohort, int64_t *pidPerson) {
  int rc = or_find(m, zCohortBySid, r->az[EN_CLASS], pidCohort, NULL);
  if (rc <= 0)
    return rc < 0     ? -1
           : bReport ? or_missing(m, r, EN_CLASS, OR_CLASSES, r->az[EN_CLASS], "class",
                                  "no class has this sourcedId, neither in classes.csv nor in guild")
                     : 0;
  rc = or_find(m, zPersonBySid, r->az[EN_USER], pidPerson, NULL);
  if (rc <= 0)
    return rc < 0 ? -1
           : bReport ? or_missing(m, r, EN_USER, OR_USERS, r->az[EN_USER], "user",
                                  "no student, teacher or aide has this sourcedId, neither in users.csv nor in guild")
                     : 0;
  return 1;
}

/* Makes room for one more learner in a full cohort whose places the files
 * do not give: the roster of the school system is the fact, so the cohort
 * grows to hold the students still to come (cohort_make_room). 0 (a
 * refusal is reported for the row) or -1. */
static int make_room(or_importer *m, const or_row *r, int64_t idCohort, const or_class_seats *pSeats) {
  static const or_fieldcol aMap[] = {{"capacity", EN_CLASS}, {NULL, 0}};
  if (cohort_make_room(m->c, idCohort, pSeats ? pSeats->nLeft : 0, m->e))
    return or_rule_error(m, r, m->e, aMap) < 0 ? -1 : 0;
  return 0;
}

static const or_fieldcol aEnrollMap[] = {
    {"person_id", EN_USER}, {"cohort_id", EN_CLASS}, {"status", EN_STATUS}, {"sourced_id", ORC_SOURCED_ID},
    {NULL, 0}};

/* A student's enrollment: created enrolled (or as metadata.guild.status
 * says), or the stored one updated. */
static int student_row(or_importer *m, const or_row *r) {
  const char **az = r->az;
  or_class_seats *pSeats = or_map_get(&m->seats, az[EN_CLASS]);
  int64_t idCohort = 0, idPerson = 0, idOld = 0;
  int rc = cohort_and_person(m, r, 1, &idCohort, &idPerson);
  if (rc <= 0) return rc;
  if (or_find(m, zEnrollmentBySid, az[ORC_SOURCED_ID], &idOld, NULL) < 0) return -1;
  if (!idOld) {   /* the same person and cohort, entered in guild: adopted */
    db_stmt *s = db_prepare(m->c->pDb, zEnrollmentOf, m->e);
    if (!s) return -1;
    db_bind_int(s, 1, idPerson);
    db_bind_int(s, 2, idCohort);
    rc = db_step(s, m->e);
    const char *zOther = rc == DB_ROW && !db_col_null(s, 1) ? arena_strdup(m->c->pAr, db_col_text(s, 1)) : NULL;
    if (rc == DB_ROW && !zOther) idOld = db_col_int(s, 0);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    if (zOther)
      return or_err(m, r, EN_USER, "this student is already enrolled in this class (enrollment %s)", zOther);
  }
  dom_rec in;
  dom_rec_init(&in, &dom_enrollment);
  dom_set_text(&in, "sourced_id", az[ORC_SOURCED_ID]);
  dom_set_int(&in, "person_id", idPerson);
  dom_set_int(&in, "cohort_id", idCohort);
  const char *zStatus = az[EN_STATUS][0] ? az[EN_STATUS] : idOld ? NULL : "enrolled";
  if (zStatus) dom_set_text(&in, "status", zStatus);
  if (!idOld) dom_set_int(&in, "consent", 1);   /* recorded as the importing actor's act */
  if (pSeats && pSeats->nLeft > 0) pSeats->nLeft--;
  if (!idOld && zStatus && strcmp(zStatus, "enrolled") == 0 && !(pSeats && pSeats->bExplicit)) {
    int nBefore = or_nerr(m);
    if (make_room(m, r, idCohort, pSeats)) return -1;
    if (or_nerr(m) != nBefore) return 0;
  }
  int64_t id;
  return or_upsert(m, r, &dom_enrollment, idOld, &in, aEnrollMap, &id) < 0 ? -1 : 0;
}

/* Adds (bAdd) or removes person idPerson among cohort idCohort's trainers:
 * 1 when that changed the list, 0 when it was already so, -1 on error. */
static int set_trainer(or_importer *m, const or_row *r, int64_t idCohort, int64_t idPerson, int bAdd) {
  dom_rec old, in, out;
  if (dom_get(m->c, &dom_cohort, idCohort, &old, m->e)) return -1;
  const dom_val *pOld = dom_v(&old, "trainers");
  int iAt = -1;
  for (int i = 0; i < pOld->n; i++)
    if (pOld->ai[i] == idPerson) iAt = i;
  if ((iAt >= 0) == bAdd) return 0;
  int64_t *ai = arena_alloc(m->c->pAr, (size_t)(pOld->n + 1) * sizeof *ai);
  int n = 0;
  for (int i = 0; i < pOld->n; i++)
    if (i != iAt) ai[n++] = pOld->ai[i];
  if (bAdd) ai[n++] = idPerson;
  dom_rec_init(&in, &dom_cohort);
  dom_val *v = dom_vm(&in, "trainers");
  v->bSet = 1;
  v->n = n;
  v->ai = ai;
  static const or_fieldcol aMap[] = {{"trainers", EN_USER}, {NULL, 0}};
  if (dom_check(m->c, &dom_cohort, &in, &old, &out, m->e)) return or_rule_error(m, r, m->e, aMap) < 0 ? -1 : 0;
  return dom_store_lists(m->c, &out, old.version, m->e) ? -1 : 1;
}

int or_enrollment_row(or_importer *m, const or_row *r) {
  if (r->bDelete) {
    or_defer_delete(m, r);
    return 0;
  }
  const char *zRole = r->az[EN_ROLE];
  or_count *pCount = &m->r->aCount[m->f];
  if (strcasecmp(zRole, "student") == 0) return student_row(m, r);
  if (!is_kept_role(zRole)) {
    pCount->nSkipped++;   /* administrators, proctors, parents...: not kept */
    return 0;
  }
  int64_t idCohort = 0, idPerson = 0;
  int rc = cohort_and_person(m, r, 1, &idCohort, &idPerson);
  if (rc <= 0) return rc;
  rc = set_trainer(m, r, idCohort, idPerson, 1);
  if (rc < 0) return -1;
  if (rc) pCount->nCreated++;
  else pCount->nUnchanged++;
  return 0;
}

/* A tobedeleted enrollment: a student's is withdrawn (guild keeps the
 * history of who took part); a teacher or aide leaves the trainers. */
int or_delete_enrollment(or_importer *m, const or_row *r) {
  const char *zRole = r->az[EN_ROLE];
  if (!zRole[0] || strcasecmp(zRole, "student") == 0) {
    int64_t id = 0;
    int rc = or_find(m, zEnrollmentBySid, r->az[ORC_SOURCED_ID], &id, NULL);
    if (rc <= 0) return rc < 0 ? -1 : OR_DEL_NONE;
    dom_rec old, in, out;
    if (dom_get(m->c, &dom_enrollment, id, &old, m->e)) return -1;
    const char *zStatus = dom_v(&old, "status")->z;
    if (strcmp(zStatus, "applied") != 0 && strcmp(zStatus, "enrolled") != 0) return OR_DEL_NONE;
    dom_rec_init(&in, &dom_enrollment);
    dom_set_text(&in, "status", "withdrawn");
    if (dom_check(m->c, &dom_enrollment, &in, &old, &out, m->e))
      return or_rule_error(m, r, m->e, aEnrollMap) < 0 ? -1 : OR_DEL_NONE;
    return dom_store(m->c, &out, old.version, m->e) ? -1 : OR_DEL_DONE;
  }
  if (!is_kept_role(zRole)) return OR_DEL_NONE;
  int64_t idCohort = 0, idPerson = 0;
  int rc = cohort_and_person(m, r, 0, &idCohort, &idPerson);
  if (rc <= 0) return rc < 0 ? -1 : OR_DEL_NONE;
  rc = set_trainer(m, r, idCohort, idPerson, 0);
  return rc < 0 ? -1 : rc ? OR_DEL_DONE : OR_DEL_NONE;
}
