/* oneroster_course.c: academicSessions.csv -> academic_sessions (kept so
 * that a later delta can name them), courses.csv -> programs and
 * classes.csv -> cohorts, whose dates are those of their terms (the first
 * start, the last end). OneRoster has no hours, level, places or
 * occupation: a course's ISCO-08 code comes from its subjectCodes (or
 * --isco), the rest from guild's own metadata.guild.* columns when present
 * (guild's export writes them), else placeholders for new records. */
#include "domain/imports/oneroster_int.h"
#include "domain/registry/cohort.h"
#include "core/text.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

extern dom_entity dom_program, dom_cohort;

/* ---- academicSessions.csv ---- */

enum { AS_TITLE = 3, AS_TYPE, AS_START, AS_END, AS_PARENT, AS_YEAR, AS__N };
static const or_col aSessionCol[] = {
    {"sourcedId", ORC_REQ | ORC_VALUE}, {"status", 0}, {"dateLastModified", 0},
    {"title", ORC_REQ | ORC_VALUE},     {"type", ORC_REQ | ORC_VALUE}, {"startDate", ORC_REQ | ORC_VALUE},
    {"endDate", ORC_REQ | ORC_VALUE},   {"parentSourcedId", 0},        {"schoolYear", ORC_REQ | ORC_VALUE},
};
const or_spec or_spec_sessions = {aSessionCol, AS__N};

static const char *const azSessionType[] = {"gradingPeriod", "semester", "schoolYear", "term", NULL};

static const char zSessionGet[] =
    "SELECT id, title, type, start_date, end_date, parent_sourced_id, school_year FROM academic_sessions "
    "WHERE sourced_id = $1";
static const char zSessionIns[] =
    "INSERT INTO academic_sessions (created_at, updated_at, sourced_id, title, type, start_date, end_date, "
    "parent_sourced_id, school_year) VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8)";
static const char zSessionUpd[] =
    "UPDATE academic_sessions SET updated_at = $1, title = $3, type = $4, start_date = $5, end_date = $6, "
    "parent_sourced_id = $7, school_year = $8 WHERE sourced_id = $2";
static const char zSessionId[] = "SELECT id FROM academic_sessions WHERE sourced_id = $1";
static const char zSessionDel[] = "DELETE FROM academic_sessions WHERE id = $1";
static const char zSessionUses[] = "SELECT count(*) FROM cohorts_academic_sessions WHERE value = $1";
static const char zSessionCohorts[] = "SELECT DISTINCT owner_id FROM cohorts_academic_sessions WHERE value = $1";
static const char zCohortTermDates[] =
    "SELECT min(s.start_date), max(s.end_date) FROM cohorts_academic_sessions l "
    "JOIN academic_sessions s ON s.id = l.value WHERE l.owner_id = $1";

/* Checks the values of an active session row; 1 when valid. */
static int session_valid(or_importer *m, const or_row *r) {
  const char **az = r->az;
  int bOk = 1;
  if (text_nchars(az[AS_TITLE]) > 200 || !text_is_clean_utf8(az[AS_TITLE], 0))
    bOk = or_err(m, r, AS_TITLE, "must be at most 200 characters, without control characters");
  int bType = strncmp(az[AS_TYPE], "ext:", 4) == 0;
  for (int i = 0; azSessionType[i]; i++) bType |= strcmp(azSessionType[i], az[AS_TYPE]) == 0;
  if (!bType) bOk = or_err(m, r, AS_TYPE, "must be gradingPeriod, semester, schoolYear, term or ext:...");
  if (!text_is_date(az[AS_START], NULL)) bOk = or_err(m, r, AS_START, "is not a date (YYYY-MM-DD)");
  if (!text_is_date(az[AS_END], NULL)) bOk = or_err(m, r, AS_END, "is not a date (YYYY-MM-DD)");
  else if (text_is_date(az[AS_START], NULL) && strcmp(az[AS_END], az[AS_START]) < 0)
    bOk = or_err(m, r, AS_END, "is before startDate (%s)", az[AS_START]);
  int64_t y;
  if (strlen(az[AS_YEAR]) != 4 || text_int64(az[AS_YEAR], &y)) bOk = or_err(m, r, AS_YEAR, "is not a year (YYYY)");
  return bOk;
}

/* Sets cohort idCohort's dates to those of its terms; a rule's error is
 * reported on row r. 0, or -1 on a database error. */
static int cohort_follow_terms(or_importer *m, const or_row *r, int64_t idCohort) {
  db_stmt *s = db_prepare(m->c->pDb, zCohortTermDates, m->e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  int rc = db_step(s, m->e);
  const char *zStart = rc == DB_ROW ? arena_strdup(m->c->pAr, db_col_text(s, 0)) : "";
  const char *zEnd = rc == DB_ROW ? arena_strdup(m->c->pAr, db_col_text(s, 1)) : "";
  db_done(s);
  if (rc == DB_ERROR) return -1;
  dom_rec old, in, out;
  if (dom_get(m->c, &dom_cohort, idCohort, &old, m->e)) return -1;
  dom_rec_init(&in, &dom_cohort);
  dom_set_text(&in, "start_date", zStart);
  dom_set_text(&in, "end_date", zEnd);
  static const or_fieldcol aMap[] = {{"start_date", AS_START}, {"end_date", AS_END}, {NULL, 0}};
  if (dom_check(m->c, &dom_cohort, &in, &old, &out, m->e)) return or_rule_error(m, r, m->e, aMap) < 0 ? -1 : 0;
  if (dom_same(&out, &old)) return 0;
  return dom_store(m->c, &out, old.version, m->e);
}

int or_session_row(or_importer *m, const or_row *r) {
  if (r->bDelete) {
    or_defer_delete(m, r);
    return 0;
  }
  if (!session_valid(m, r)) return 0;
  const char **az = r->az;
  or_count *pCount = &m->r->aCount[m->f];
  db *pDb = m->c->pDb;
  db_stmt *s = db_prepare(pDb, zSessionGet, m->e);
  if (!s) return -1;
  db_bind_text(s, 1, az[ORC_SOURCED_ID]);
  int rc = db_step(s, m->e), bSame = 0, bDates = 0;
  int64_t id = 0;
  if (rc == DB_ROW) {
    id = db_col_int(s, 0);
    bDates = strcmp(db_col_text(s, 3), az[AS_START]) != 0 || strcmp(db_col_text(s, 4), az[AS_END]) != 0;
    bSame = !bDates && strcmp(db_col_text(s, 1), az[AS_TITLE]) == 0 && strcmp(db_col_text(s, 2), az[AS_TYPE]) == 0 &&
            strcmp(db_col_text(s, 5), az[AS_PARENT]) == 0 && strcmp(db_col_text(s, 6), az[AS_YEAR]) == 0;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (bSame) {
    pCount->nUnchanged++;
    return 0;
  }
  s = db_prepare(pDb, id ? zSessionUpd : zSessionIns, m->e);
  if (!s) return -1;
  db_bind_int(s, 1, m->c->now);
  db_bind_text(s, 2, az[ORC_SOURCED_ID]);
  db_bind_text(s, 3, az[AS_TITLE]);
  db_bind_text(s, 4, az[AS_TYPE]);
  db_bind_text(s, 5, az[AS_START]);
  db_bind_text(s, 6, az[AS_END]);
  db_bind_text(s, 7, az[AS_PARENT][0] ? az[AS_PARENT] : NULL);
  db_bind_text(s, 8, az[AS_YEAR]);
  rc = db_step(s, m->e);
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (id) pCount->nUpdated++;
  else pCount->nCreated++;
  if (!bDates) return 0;
  /* new dates: the cohorts of this term follow */
  int64_t *aCohort = NULL;
  int n = 0, nAlloc = 0;
  s = db_prepare(pDb, zSessionCohorts, m->e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  while ((rc = db_step(s, m->e)) == DB_ROW) {
    or_grow(m->c->pAr, &aCohort, n, &nAlloc, sizeof *aCohort);
    aCohort[n++] = db_col_int(s, 0);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  for (int i = 0; i < n; i++)
    if (cohort_follow_terms(m, r, aCohort[i])) return -1;
  return 0;
}

int or_delete_session(or_importer *m, const or_row *r) {
  int64_t id = 0, nUses = 0;
  int rc = or_find(m, zSessionId, r->az[ORC_SOURCED_ID], &id, NULL);
  if (rc <= 0) return rc < 0 ? -1 : OR_DEL_NONE;
  if (db_query_int(m->c->pDb, zSessionUses, 1, id, &nUses, m->e) == DB_ERROR) return -1;
  if (nUses) return OR_DEL_KEPT;
  db_stmt *s = db_prepare(m->c->pDb, zSessionDel, m->e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  rc = db_step(s, m->e);
  db_done(s);
  return rc == DB_ERROR ? -1 : OR_DEL_DONE;
}

/* ---- courses.csv ---- */

enum { CO_YEAR = 3, CO_TITLE, CO_CODE, CO_GRADES, CO_ORG, CO_SUBJECTS, CO_SUBJECT_CODES, CO_HOURS, CO_LEVEL,
       CO_CAPACITY, CO__N };
static const or_col aCourseCol[] = {
    {"sourcedId", ORC_REQ | ORC_VALUE},
    {"status", 0},
    {"dateLastModified", 0},
    {"schoolYearSourcedId", 0},
    {"title", ORC_REQ | ORC_VALUE},
    {"courseCode", 0},
    {"grades", 0},
    {"orgSourcedId", ORC_REQ | ORC_VALUE},
    {"subjects", 0},
    {"subjectCodes", 0},
    {"metadata.guild.hours", 0},
    {"metadata.guild.level", 0},
    {"metadata.guild.capacity", 0},
};
const or_spec or_spec_courses = {aCourseCol, CO__N};

#define NO_ORG "no org has this sourcedId, neither in orgs.csv nor in guild"

static const char zProgramBySid[] = "SELECT id, institution_id FROM programs WHERE sourced_id = $1";

/* Sets integer field zField from column k when it has a value, else (a new
 * record) to nDefault. 1 when the cell is not a number (reported). */
static int set_number(or_importer *m, const or_row *r, int k, dom_rec *pIn, const char *zField, int bNew,
                      int64_t nDefault) {
  int64_t v;
  if (r->az[k][0]) {
    if (text_int64(r->az[k], &v)) return or_err(m, r, k, "is not a whole number") + 1;
    dom_set_int(pIn, zField, v);
  } else if (bNew) dom_set_int(pIn, zField, nDefault);
  return 0;
}

int or_course_row(or_importer *m, const or_row *r) {
  if (r->bDelete) {
    or_defer_delete(m, r);
    return 0;
  }
  const char **az = r->az;
  or_org_kind kind;
  int64_t idInst = 0, idOld = 0, idOldInst = 0;
  if (or_find_org(m, az[CO_ORG], &kind, &idInst)) return -1;
  if (kind == OR_ORG_NONE) return or_missing(m, r, CO_ORG, OR_ORGS, az[CO_ORG], "org", NO_ORG);
  if (kind == OR_ORG_OTHER)
    return or_err(m, r, CO_ORG, "names an org of a type guild does not keep: a program belongs to one institution, "
                                "so a course's org must be a school");
  if (kind == OR_ORG_AREA)
    return or_err(m, r, CO_ORG, "names an area (a district or the like): a program belongs to one institution, so a "
                                "course's org must be a school");
  int rc = or_find(m, zProgramBySid, az[ORC_SOURCED_ID], &idOld, &idOldInst);
  if (rc < 0) return -1;
  dom_rec in;
  dom_rec_init(&in, &dom_program);
  dom_set_text(&in, "sourced_id", az[ORC_SOURCED_ID]);
  dom_set_text(&in, "title", az[CO_TITLE]);
  dom_set_int(&in, "institution_id", idInst);
  const char **azCode;
  int nCode = or_split(m->c->pAr, az[CO_SUBJECT_CODES], &azCode);
  const char *zIsco = NULL;
  for (int i = 0; i < nCode && !zIsco; i++)
    if (isco_is_unit_group(azCode[i])) zIsco = azCode[i];
  if (!zIsco && !idOld) zIsco = m->o->zIsco;
  if (!zIsco && !idOld)
    return or_err(m, r, CO_SUBJECT_CODES, "a new program needs the ISCO-08 unit group of the occupation it trains for "
                                          "(4 digits, e.g. 7512) among subjectCodes, or --isco CODE");
  if (zIsco) dom_set_text(&in, "isco_code", zIsco);
  /* OneRoster says nothing of hours, level and places: placeholders for a
   * new program, to be set in guild (docs/oneroster.md) */
  if (set_number(m, r, CO_HOURS, &in, "hours", !idOld, 1) || set_number(m, r, CO_LEVEL, &in, "level", !idOld, 1) ||
      set_number(m, r, CO_CAPACITY, &in, "capacity", !idOld, 1))
    return 0;
  static const or_fieldcol aMap[] = {
      {"title", CO_TITLE},    {"isco_code", CO_SUBJECT_CODES}, {"institution_id", CO_ORG},
      {"hours", CO_HOURS},    {"level", CO_LEVEL},             {"capacity", CO_CAPACITY},
      {"sourced_id", ORC_SOURCED_ID}, {NULL, 0}};
  int64_t id;
  return or_upsert(m, r, &dom_program, idOld, &in, aMap, &id) < 0 ? -1 : 0;
}

int or_delete_course(or_importer *m, const or_row *r) {
  return or_delete_record(m, r, &dom_program, zProgramBySid);
}

/* ---- classes.csv ---- */

enum { CL_TITLE = 3, CL_GRADES, CL_COURSE, CL_CODE, CL_TYPE, CL_LOCATION, CL_SCHOOL, CL_TERMS, CL_SUBJECTS,
       CL_SUBJECT_CODES, CL_PERIODS, CL_CAPACITY, CL__N };
static const or_col aClassCol[] = {
    {"sourcedId", ORC_REQ | ORC_VALUE},
    {"status", 0},
    {"dateLastModified", 0},
    {"title", ORC_REQ | ORC_VALUE},
    {"grades", 0},
    {"courseSourcedId", ORC_REQ | ORC_VALUE},
    {"classCode", 0},
    {"classType", 0},
    {"location", 0},
    {"schoolSourcedId", ORC_REQ | ORC_VALUE},
    {"termSourcedIds", ORC_REQ | ORC_VALUE},
    {"subjects", 0},
    {"subjectCodes", 0},
    {"periods", 0},
    {"metadata.guild.capacity", 0},
};
const or_spec or_spec_classes = {aClassCol, CL__N};

static const char zCohortBySid[] = "SELECT id FROM cohorts WHERE sourced_id = $1";
static const char zTermDates[] = "SELECT id, start_date, end_date FROM academic_sessions WHERE sourced_id = $1";
static const char zCohortTerms[] = "SELECT value FROM cohorts_academic_sessions WHERE owner_id = $1 ORDER BY pos";
static const char zCohortTermsDel[] = "DELETE FROM cohorts_academic_sessions WHERE owner_id = $1";
static const char zCohortTermsIns[] = "INSERT INTO cohorts_academic_sessions (owner_id, pos, value) VALUES ($1, $2, $3)";

#define MAXTERMS 32

/* The terms of the class: their ids (deduplicated) and first and last days.
 * Returns the number of terms, 0 after reporting one, -1 on error. */
static int class_terms(or_importer *m, const or_row *r, int64_t *aId, const char **pzStart, const char **pzEnd) {
  const char **azTerm;
  int nTerm = or_split(m->c->pAr, r->az[CL_TERMS], &azTerm), n = 0;
  if (nTerm == 0) return or_err(m, r, CL_TERMS, "is required");
  if (nTerm > MAXTERMS) return or_err(m, r, CL_TERMS, "more than %d terms", MAXTERMS);
  *pzStart = *pzEnd = NULL;
  for (int i = 0; i < nTerm; i++) {
    db_stmt *s = db_prepare(m->c->pDb, zTermDates, m->e);
    if (!s) return -1;
    db_bind_text(s, 1, azTerm[i]);
    int rc = db_step(s, m->e);
    if (rc == DB_ROW) {
      int64_t id = db_col_int(s, 0);
      int bDup = 0;
      for (int j = 0; j < n; j++) bDup |= aId[j] == id;
      if (!bDup) aId[n++] = id;
      if (!*pzStart || strcmp(db_col_text(s, 1), *pzStart) < 0) *pzStart = arena_strdup(m->c->pAr, db_col_text(s, 1));
      if (!*pzEnd || strcmp(db_col_text(s, 2), *pzEnd) > 0) *pzEnd = arena_strdup(m->c->pAr, db_col_text(s, 2));
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
    if (rc == DB_DONE)
      return or_missing(m, r, CL_TERMS, OR_SESSIONS, azTerm[i], "academic session",
                        arena_printf(m->c->pAr, "no academic session '%s', neither in academicSessions.csv nor in guild",
                                     azTerm[i]));
  }
  return n;
}

/* Makes the cohort's terms aId[0..n-1]; 1 when they changed. */
static int set_cohort_terms(or_importer *m, int64_t idCohort, const int64_t *aId, int n) {
  db *pDb = m->c->pDb;
  db_stmt *s = db_prepare(pDb, zCohortTerms, m->e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  int rc, i = 0, bSame = 1;
  while ((rc = db_step(s, m->e)) == DB_ROW) {
    bSame &= i < n && db_col_int(s, 0) == aId[i];
    i++;
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (bSame && i == n) return 0;
  s = db_prepare(pDb, zCohortTermsDel, m->e);
  if (!s) return -1;
  db_bind_int(s, 1, idCohort);
  rc = db_step(s, m->e);
  db_done(s);
  for (i = 0; rc != DB_ERROR && i < n; i++) {
    s = db_prepare(pDb, zCohortTermsIns, m->e);
    if (!s) return -1;
    db_bind_int(s, 1, idCohort);
    db_bind_int(s, 2, i);
    db_bind_int(s, 3, aId[i]);
    rc = db_step(s, m->e);
    db_done(s);
  }
  return rc == DB_ERROR ? -1 : 1;
}

int or_class_row(or_importer *m, const or_row *r) {
  if (r->bDelete) {
    or_defer_delete(m, r);
    return 0;
  }
  const char **az = r->az;
  int64_t idProgram = 0, idInst = 0, idSchool = 0, idOld = 0;
  int rc = or_find(m, zProgramBySid, az[CL_COURSE], &idProgram, &idInst);
  if (rc <= 0)
    return rc < 0 ? -1
                  : or_missing(m, r, CL_COURSE, OR_COURSES, az[CL_COURSE], "course",
                               "no course has this sourcedId, neither in courses.csv nor in guild");
  or_org_kind kind;
  if (or_find_org(m, az[CL_SCHOOL], &kind, &idSchool)) return -1;
  if (kind == OR_ORG_NONE) return or_missing(m, r, CL_SCHOOL, OR_ORGS, az[CL_SCHOOL], "org", NO_ORG);
  if (kind != OR_ORG_INST || idSchool != idInst)
    return or_err(m, r, CL_SCHOOL, "is not the org of the class's course (a cohort runs at its program's institution)");
  int64_t aTerm[MAXTERMS];
  const char *zStart = NULL, *zEnd = NULL;
  int nTerm = class_terms(m, r, aTerm, &zStart, &zEnd);
  if (nTerm <= 0) return nTerm;
  if (or_find(m, zCohortBySid, az[ORC_SOURCED_ID], &idOld, NULL) < 0) return -1;
  dom_rec in;
  dom_rec_init(&in, &dom_cohort);
  dom_set_text(&in, "sourced_id", az[ORC_SOURCED_ID]);
  dom_set_int(&in, "program_id", idProgram);
  dom_set_text(&in, "name", az[CL_TITLE]);
  dom_set_text(&in, "start_date", zStart);
  dom_set_text(&in, "end_date", zEnd);
  or_class_seats *pSeats = or_map_get(&m->seats, az[ORC_SOURCED_ID]);
  if (az[CL_CAPACITY][0]) {
    int64_t v;
    if (text_int64(az[CL_CAPACITY], &v)) return or_err(m, r, CL_CAPACITY, "is not a whole number");
    dom_set_int(&in, "capacity", v);
    if (!pSeats) {
      pSeats = arena_alloc(m->pAr, sizeof *pSeats);
      or_map_put(&m->seats, az[ORC_SOURCED_ID], pSeats);
    }
    pSeats->bExplicit = 1;
  } else if (!idOld) {
    /* a new cohort holds the students enrollments.csv puts in it */
    dom_set_int(&in, "capacity", cohort_capacity_for(pSeats ? pSeats->nStudents : 1));
  }
  static const or_fieldcol aMap[] = {
      {"name", CL_TITLE},          {"start_date", CL_TERMS},   {"end_date", CL_TERMS},
      {"capacity", CL_CAPACITY},   {"program_id", CL_COURSE},  {"sourced_id", ORC_SOURCED_ID}, {NULL, 0}};
  or_count *pCount = &m->r->aCount[m->f];
  int nUnchanged = pCount->nUnchanged;
  int64_t id;
  rc = or_upsert(m, r, &dom_cohort, idOld, &in, aMap, &id);
  if (rc) return rc < 0 ? -1 : 0;
  rc = set_cohort_terms(m, id, aTerm, nTerm);
  if (rc < 0) return -1;
  if (rc && pCount->nUnchanged > nUnchanged) {   /* only its terms changed */
    pCount->nUnchanged--;
    pCount->nUpdated++;
  }
  return 0;
}

int or_delete_class(or_importer *m, const or_row *r) { return or_delete_record(m, r, &dom_cohort, zCohortBySid); }
