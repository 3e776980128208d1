/* oneroster_out.c: `guild export oneroster`: the registry as a bulk
 * OneRoster 1.2 CSV set, the mapping of oneroster_in.c read backwards
 * (docs/oneroster.md): areas and institutions -> orgs.csv, academic
 * sessions (and, for a cohort entered in guild without any, one term of its
 * own dates) -> academicSessions.csv, programs -> courses.csv, cohorts ->
 * classes.csv, persons -> users.csv and roles.csv, enrollments and cohort
 * trainers -> enrollments.csv. What OneRoster has no column for travels in
 * metadata.guild.* columns so that the set imports back to the same
 * registry. A record without a sourcedId gets "guild-KIND-ID". Erased
 * persons are left out, as are enrollments that have ended. */
#include "domain/imports/oneroster_int.h"
#include "io/csv/csv_out.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLUSH_AT ((size_t)1 << 20)

/* One CSV file being written. */
typedef struct writer {
  FILE *f;
  gbuf b;
  const char *zPath;
  int nRow;
  int nCol;                     /* the header's */
  int bFailed;
} writer;

static int w_flush(writer *w) {
  if (w->b.n && fwrite(w->b.z, 1, w->b.n, w->f) != w->b.n) w->bFailed = 1;
  gbuf_reset(&w->b);
  return w->bFailed ? -1 : 0;
}

/* A field; bEnd ends the row. */
static void w_text(writer *w, const char *z, int bEnd) {
  if (csv_out_text(&w->b, z, bEnd)) w->bFailed = 1;
  if (bEnd) w->nRow++;
  if (w->b.n > FLUSH_AT) w_flush(w);
}

/* Writes the current row of s as one CSV row of the header's columns:
 * column 2 (dateLastModified) is an integer time, written as ISO 8601;
 * column kOver, when >= 0, is zOver instead of what s has there. */
static void w_row(writer *w, db_stmt *s, int kOver, const char *zOver) {
  int n = w->nCol;
  if (db_ncol(s) < n) g_panic("an export query has %d columns, its file %d", db_ncol(s), n);
  for (int i = 0; i < n; i++) {
    char z[32];
    const char *zVal = db_col_null(s, i) ? NULL : db_col_text(s, i);
    if (i == 2 && zVal) {
      time_iso(db_col_int(s, i), z, sizeof z);
      zVal = z;
    }
    w_text(w, i == kOver ? zOver : zVal, i == n - 1);
  }
}

/* Opens zDir/zName and writes the header row (azHead, NULL-terminated). */
static int w_open(writer *w, arena *a, const char *zDir, const char *zName, const char *const *azHead, gerr *e) {
  memset(w, 0, sizeof *w);
  w->zPath = arena_printf(a, "%s/%s", zDir, zName);
  w->f = fopen(w->zPath, "wb");
  if (!w->f)
    return gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_WRITE, NULL, GP_S("path", w->zPath)),
           gerr_msg(e, "cannot write %.200s: %s", w->zPath, strerror(errno));
  gbuf_init(&w->b, 2 * FLUSH_AT);
  for (w->nCol = 0; azHead[w->nCol]; w->nCol++) w_text(w, azHead[w->nCol], azHead[w->nCol + 1] == NULL);
  w->nRow = 0;
  return 0;
}

static int w_close(writer *w, gerr *e) {
  w_flush(w);
  if (fclose(w->f)) w->bFailed = 1;
  gbuf_free(&w->b);
  if (w->bFailed) return gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s", w->zPath);
  return 0;
}

/* ---- the files ---- */

typedef struct exporter {
  dom_ctx *c;
  gerr *e;
  const char *zDir;
  or_export_result *r;
} exporter;

/* Each file: its header and the queries whose rows it holds, column for
 * column (dateLastModified as an integer time). */
static const char *const azOrgHead[] = {"sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                                        "parentSourcedId", "metadata.guild.kind", NULL};
/* An area's OneRoster type follows its level (the importer goes by depth). */
static const char zAreas[] =
    "SELECT COALESCE(a.sourced_id, 'guild-area-' || a.id), 'active', a.updated_at, a.name, "
    "CASE a.level WHEN 'region' THEN 'state' WHEN 'prefecture' THEN 'local' ELSE 'district' END, a.code, "
    "COALESCE(p.sourced_id, 'guild-area-' || p.id), NULL FROM areas a LEFT JOIN areas p ON p.id = a.parent_id "
    "ORDER BY CASE a.level WHEN 'region' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END, a.id";
static const char zInstitutions[] =
    "SELECT COALESCE(i.sourced_id, 'guild-institution-' || i.id), 'active', i.updated_at, i.name, 'school', i.code, "
    "COALESCE(a.sourced_id, 'guild-area-' || a.id), i.kind FROM institutions i JOIN areas a ON a.id = i.area_id "
    "ORDER BY i.id";

static const char *const azSessionHead[] = {"sourcedId", "status", "dateLastModified", "title", "type", "startDate",
                                            "endDate", "parentSourcedId", "schoolYear", NULL};
static const char zSessions[] =
    "SELECT sourced_id, 'active', updated_at, title, type, start_date, end_date, parent_sourced_id, school_year "
    "FROM academic_sessions ORDER BY id";
/* a cohort entered in guild without terms: one of its own dates */
static const char zOwnTerms[] =
    "SELECT 'guild-cohort-' || c.id || '-term', 'active', c.updated_at, c.name, 'term', c.start_date, c.end_date, "
    "NULL, substr(c.end_date, 1, 4) FROM cohorts c "
    "WHERE NOT EXISTS (SELECT 1 FROM cohorts_academic_sessions l WHERE l.owner_id = c.id) ORDER BY c.id";

static const char *const azCourseHead[] = {
    "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId",
    "subjects", "subjectCodes", "metadata.guild.hours", "metadata.guild.level", "metadata.guild.capacity", NULL};
static const char zPrograms[] =
    "SELECT COALESCE(p.sourced_id, 'guild-program-' || p.id), 'active', p.updated_at, NULL, p.title, NULL, NULL, "
    "COALESCE(i.sourced_id, 'guild-institution-' || i.id), NULL, p.isco_code, p.hours, p.level, p.capacity "
    "FROM programs p JOIN institutions i ON i.id = p.institution_id ORDER BY p.id";

static const char *const azClassHead[] = {
    "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
    "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods", "metadata.guild.capacity",
    NULL};
#define CLASS_TERMS 10   /* the column filled from zCohortTerms */
#define CLASS_ID 15      /* the cohort's id, after the header's columns: not written */
static const char zCohorts[] =
    "SELECT COALESCE(c.sourced_id, 'guild-cohort-' || c.id), 'active', c.updated_at, c.name, NULL, "
    "COALESCE(p.sourced_id, 'guild-program-' || p.id), NULL, 'scheduled', NULL, "
    "COALESCE(i.sourced_id, 'guild-institution-' || i.id), NULL, NULL, NULL, NULL, c.capacity, c.id "
    "FROM cohorts c JOIN programs p ON p.id = c.program_id JOIN institutions i ON i.id = p.institution_id "
    "ORDER BY c.id";
static const char zCohortTerms[] =
    "SELECT l.owner_id, s.sourced_id FROM cohorts_academic_sessions l JOIN academic_sessions s ON s.id = l.value "
    "ORDER BY l.owner_id, l.pos";

static const char *const azUserHead[] = {
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName",
    "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
    "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
    "primaryOrgSourcedId", "pronouns", NULL};
/* guild has no username: the sourcedId stands in */
static const char zPersons[] =
    "SELECT COALESCE(p.sourced_id, 'guild-person-' || p.id), 'active', p.updated_at, 'true', "
    "COALESCE(p.sourced_id, 'guild-person-' || p.id), NULL, p.given_name, p.family_name, NULL, NULL, p.email, NULL, "
    "p.phone, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, COALESCE(i.sourced_id, 'guild-institution-' || i.id), "
    "NULL FROM persons p LEFT JOIN institutions i ON i.id = p.institution_id WHERE p.erased_at IS NULL ORDER BY p.id";

static const char *const azRoleHead[] = {"sourcedId", "status", "dateLastModified", "userSourcedId", "roleType",
                                         "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId",
                                         NULL};
/* A person's roles: one per institution they are registered at (primary),
 * enrolled at or train at; a teacher where they train, else a student (a
 * registration alone: a teacher when they train somewhere and learn
 * nowhere). */
static const char zRoles[] =
    "SELECT 'guild-role-' || x.person_id || '-' || x.institution_id, 'active', max(p.updated_at), "
    "COALESCE(p.sourced_id, 'guild-person-' || p.id), "
    "CASE WHEN p.institution_id = x.institution_id THEN 'primary' ELSE 'secondary' END, "
    "CASE WHEN max(x.kind) = 2 THEN 'teacher' WHEN max(x.kind) = 1 THEN 'student' "
    "WHEN EXISTS (SELECT 1 FROM cohorts_trainers t WHERE t.value = x.person_id) AND NOT EXISTS "
    "(SELECT 1 FROM enrollments e WHERE e.person_id = x.person_id) THEN 'teacher' ELSE 'student' END, NULL, NULL, "
    "COALESCE(i.sourced_id, 'guild-institution-' || i.id), NULL FROM ("
    "SELECT id AS person_id, institution_id, 0 AS kind FROM persons WHERE institution_id IS NOT NULL "
    "UNION ALL SELECT e.person_id, pr.institution_id, 1 FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id "
    "JOIN programs pr ON pr.id = c.program_id WHERE e.status IN ('applied', 'enrolled') "
    "UNION ALL SELECT t.value, pr.institution_id, 2 FROM cohorts_trainers t JOIN cohorts c ON c.id = t.owner_id "
    "JOIN programs pr ON pr.id = c.program_id) x "
    "JOIN persons p ON p.id = x.person_id JOIN institutions i ON i.id = x.institution_id "
    "WHERE p.erased_at IS NULL "
    "GROUP BY x.person_id, x.institution_id, p.sourced_id, p.id, p.institution_id, i.sourced_id, i.id "
    "ORDER BY x.person_id, CASE WHEN p.institution_id = x.institution_id THEN 0 ELSE 1 END, x.institution_id";

static const char *const azEnrollHead[] = {"sourcedId", "status", "dateLastModified", "classSourcedId",
                                           "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                                           "endDate", "metadata.guild.status", NULL};
#define COHORT_SIDS                                                                                        \
  "COALESCE(c.sourced_id, 'guild-cohort-' || c.id), COALESCE(i.sourced_id, 'guild-institution-' || i.id), " \
  "COALESCE(p.sourced_id, 'guild-person-' || p.id)"
#define COHORT_JOINS "JOIN programs pr ON pr.id = c.program_id JOIN institutions i ON i.id = pr.institution_id "
/* students' enrollments that have not ended, then the trainers (in their
 * order, the first one primary) */
static const char zStudents[] =
    "SELECT COALESCE(e.sourced_id, 'guild-enrollment-' || e.id), 'active', e.updated_at, " COHORT_SIDS
    ", 'student', 'false', NULL, NULL, e.status FROM enrollments e JOIN cohorts c ON c.id = e.cohort_id " COHORT_JOINS
    "JOIN persons p ON p.id = e.person_id WHERE e.status IN ('applied', 'enrolled') AND p.erased_at IS NULL "
    "ORDER BY e.id";
static const char zTrainers[] =
    "SELECT 'guild-trainer-' || t.owner_id || '-' || t.value, 'active', c.updated_at, " COHORT_SIDS
    ", 'teacher', CASE WHEN t.pos = 0 THEN 'true' ELSE 'false' END, NULL, NULL, NULL "
    "FROM cohorts_trainers t JOIN cohorts c ON c.id = t.owner_id " COHORT_JOINS "JOIN persons p ON p.id = t.value "
    "WHERE p.erased_at IS NULL ORDER BY t.owner_id, t.pos";

static const struct {
  or_file f;
  const char *const *azHead;
  const char *azSql[3];   /* NULL-terminated; none: written by write_classes */
} aFile[] = {
    {OR_ORGS, azOrgHead, {zAreas, zInstitutions, NULL}},
    {OR_SESSIONS, azSessionHead, {zSessions, zOwnTerms, NULL}},
    {OR_COURSES, azCourseHead, {zPrograms, NULL}},
    {OR_CLASSES, azClassHead, {NULL}},
    {OR_USERS, azUserHead, {zPersons, NULL}},
    {OR_ROLES, azRoleHead, {zRoles, NULL}},
    {OR_ENROLLMENTS, azEnrollHead, {zStudents, zTrainers, NULL}},
};

/* Writes every row of zSql. 0 or -1. */
static int write_query(exporter *x, writer *w, const char *zSql) {
  db_stmt *s = db_prepare(x->c->pDb, zSql, x->e);
  if (!s) return -1;
  int rc;
  while ((rc = db_step(s, x->e)) == DB_ROW) w_row(w, s, -1, NULL);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* classes.csv: each cohort with its terms (both queries in cohort order,
 * merged). The cohort's id, the query's last column, is not written. */
static int write_classes(exporter *x, writer *w) {
  db *pDb = x->c->pDb;
  db_stmt *s = db_prepare(pDb, zCohorts, x->e), *t = s ? db_prepare(pDb, zCohortTerms, x->e) : NULL;
  if (!t) {
    if (s) db_done(s);
    return -1;
  }
  int rc = DB_DONE, rcT = db_step(t, x->e);
  gbuf terms;
  gbuf_init(&terms, (size_t)1 << 20);
  while (rcT != DB_ERROR && (rc = db_step(s, x->e)) == DB_ROW) {
    int64_t id = db_col_int(s, CLASS_ID);
    gbuf_reset(&terms);
    while (rcT == DB_ROW && db_col_int(t, 0) < id) rcT = db_step(t, x->e);
    while (rcT == DB_ROW && db_col_int(t, 0) == id) {
      if (gbuf_printf(&terms, "%s%s", terms.n ? "," : "", db_col_text(t, 1))) w->bFailed = 1;
      rcT = db_step(t, x->e);
    }
    if (!terms.n) gbuf_printf(&terms, "guild-cohort-%lld-term", (long long)id);
    w_row(w, s, CLASS_TERMS, terms.z);
  }
  gbuf_free(&terms);
  db_done(s);
  db_done(t);
  return rc == DB_ERROR || rcT == DB_ERROR ? -1 : 0;
}

/* The 1.2 manifest: every file, bulk or absent. */
static const char *const azManifest[][2] = {
    {"manifest.version", "1.0"},         {"oneroster.version", "1.2"},
    {"file.academicSessions", "bulk"},   {"file.categories", "absent"},
    {"file.classes", "bulk"},            {"file.classResources", "absent"},
    {"file.courses", "bulk"},            {"file.courseResources", "absent"},
    {"file.demographics", "absent"},     {"file.enrollments", "bulk"},
    {"file.lineItemLearningObjectiveIds", "absent"}, {"file.lineItems", "absent"},
    {"file.lineItemScoreScales", "absent"}, {"file.orgs", "bulk"},
    {"file.resources", "absent"},        {"file.resultLearningObjectiveIds", "absent"},
    {"file.results", "absent"},          {"file.resultScoreScales", "absent"},
    {"file.roles", "bulk"},              {"file.scoreScales", "absent"},
    {"file.userProfiles", "absent"},     {"file.userResources", "absent"},
    {"file.users", "bulk"},              {"source.systemName", "guild"},
    {"source.systemCode", "guild"},
};

/* Writes every file into zDir. */
static int write_set(exporter *x) {
  static const char *const azManifestHead[] = {"propertyName", "value", NULL};
  arena *a = x->c->pAr;
  gerr *e = x->e;
  writer w;
  int *an = x->r->anRow;
  if (w_open(&w, a, x->zDir, "manifest.csv", azManifestHead, e)) return -1;
  for (size_t i = 0; i < sizeof azManifest / sizeof azManifest[0]; i++) {
    w_text(&w, azManifest[i][0], 0);
    w_text(&w, azManifest[i][1], 1);
  }
  if (w_close(&w, e)) return -1;
  for (size_t i = 0; i < sizeof aFile / sizeof aFile[0]; i++) {
    if (w_open(&w, a, x->zDir, oneroster_file_names[aFile[i].f], aFile[i].azHead, e)) return -1;
    int rc = aFile[i].azSql[0] ? 0 : write_classes(x, &w);
    for (int k = 0; !rc && aFile[i].azSql[k]; k++) rc = write_query(x, &w, aFile[i].azSql[k]);
    an[aFile[i].f] = w.nRow;
    if (w_close(&w, e) || rc) return -1;
  }
  return 0;
}

static int ends_with(const char *z, const char *zEnd) {
  size_t n = strlen(z), k = strlen(zEnd);
  return n >= k && strcasecmp(z + n - k, zEnd) == 0;
}

int oneroster_export(dom_ctx *c, const char *zPath, or_export_result *pRes, gerr *e) {
  memset(pRes, 0, sizeof *pRes);
  int bZip = ends_with(zPath, ".zip");
  char zDir[4096];
  if (bZip) {
    const char *zTmp = getenv("TMPDIR");
    snprintf(zDir, sizeof zDir, "%s/guild-oneroster-XXXXXX", zTmp && zTmp[0] ? zTmp : "/tmp");
    if (!mkdtemp(zDir)) return gerr_set(e, GERR_INTERNAL, NULL, "cannot make a temporary directory: %s", strerror(errno));
  } else {
    snprintf(zDir, sizeof zDir, "%s", zPath);
    struct stat st;
    if (stat(zDir, &st) && mkdir(zDir, 0777))
      return gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_WRITE, NULL, GP_S("path", zDir)),
             gerr_msg(e, "cannot make directory %.200s: %s", zDir, strerror(errno));
    if (!stat(zDir, &st) && !S_ISDIR(st.st_mode))
      return gerr_setr(e, GERR_USAGE, GR_NOT_A_DIRECTORY, NULL, GP_S("path", zDir));
  }
  exporter x = {c, e, zDir, pRes};
  int rc = db_begin(c->pDb, e);
  if (!rc) {
    rc = write_set(&x);
    db_rollback(c->pDb);   /* read only */
  }
  if (bZip) {
    if (!rc) rc = or_zip_write(zPath, zDir, oneroster_file_names, OR__NFILE, e);
    for (int f = 0; f < OR__NFILE; f++) unlink(arena_printf(c->pAr, "%s/%s", zDir, oneroster_file_names[f]));
    rmdir(zDir);
  }
  return rc;
}
