/* oneroster_in.c: `guild import oneroster`: reads the manifest, checks
 * every file's header, then imports the files in the order their
 * references need (orgs, academic sessions, courses, classes, users with
 * their roles, enrollments) in one transaction, does the tobedeleted rows
 * last (dependents first), and commits with one audit entry when no row is
 * invalid (or --skip-invalid). */
#include "domain/imports/oneroster_int.h"
#include "domain/imports/import_text.h"
#include "domain/engine/audit.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>


/* The manifest's name of each file ("file.orgs"). */
static const char *const azManifestKey[OR__NFILE] = {
    NULL, "file.orgs", "file.academicSessions", "file.courses", "file.classes", "file.users", "file.roles",
    "file.enrollments",
};

static const or_spec *const apSpec[OR__NFILE] = {
    NULL, &or_spec_orgs, &or_spec_sessions, &or_spec_courses, &or_spec_classes, &or_spec_users, &or_spec_roles,
    &or_spec_enrollments,
};

/* Reads manifest.csv: the version and each file's mode. Every problem is
 * reported on the manifest; returns 0, or -1 on an error that is not the
 * file's (e filled). */
/* Reports manifest row iRow: property zName's value zValue is not one of
 * zAllowed (zMsg: the English words). */
static void manifest_not_one_of(or_importer *m, int iRow, const char *zName, const char *zValue, const char *zAllowed,
                                const char *zMsg) {
  gerr w;
  gerr_setr(&w, GERR_VALIDATION, GR_NOT_ONE_OF, zName, GP_S("allowed", zAllowed), GP_S("got", zValue));
  gerr_msg(&w, "%s", zMsg);
  or_error_why(m, OR_MANIFEST, iRow, "value", zValue, &w);
}

static int read_manifest(or_importer *m) {
  or_result *r = m->r;
  const char *zPath = or_source_file(&m->src, m->pAr, "manifest.csv");
  if (!zPath) {   /* 1.1 did not require one: every file there is bulk; roles.csv came with 1.2 */
    int nFiles = 0;
    for (int f = 1; f < OR__NFILE; f++)
      if (or_source_file(&m->src, m->pAr, oneroster_file_names[f])) r->aMode[f] = OR_BULK, nFiles++;
    if (!nFiles) {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_NO_MANIFEST, NULL, GP_S("path", m->src.zDir));
      gerr_msg(&w, "there is no manifest.csv, nor any of orgs.csv, academicSessions.csv, courses.csv, classes.csv, "
                   "users.csv, roles.csv, enrollments.csv");
      or_error_why(m, OR_MANIFEST, 1, "", "", &w);
      return 0;
    }
    snprintf(r->zVersion, sizeof r->zVersion, "%s", r->aMode[OR_ROLES] ? "1.2" : "1.1");
    m->bV11 = !r->aMode[OR_ROLES];
    m->bNoManifest = r->bNoManifest = 1;
    return 0;
  }
  csv_table t;
  csv_opts co = {m->o->zEncoding};
  int rc = csv_read_file_opts(m->pAr, zPath, &co, OR_MAXFIELD, &t, m->e);
  memcpy(m->azSha256[OR_MANIFEST], t.zSha256, sizeof t.zSha256);
  if (rc) {
    if (m->e->code != GERR_VALIDATION) return -1;
    gerr w = *m->e;   /* the file's fault, with its reason */
    gerr_msg(&w, "%s%s%s", m->e->msg, t.zLooksLike ? ": " : "",
             t.zLooksLike ? imp_encoding_advice(m->pAr, t.zLooksLike, "--encoding ") : "");
    or_error_why(m, OR_MANIFEST, t.iBadRow, "", "", &w);
    return 0;
  }
  if (t.nRow == 0) {
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_FILE_EMPTY, NULL);
    gerr_msg(&w, "manifest.csv is empty: it needs a header row");
    or_error_why(m, OR_MANIFEST, 1, "", "", &w);
    return 0;
  }
  int jName = -1, jValue = -1;
  for (int j = 0; j < t.anField[0]; j++) {
    if (strcasecmp(t.aazField[0][j], "propertyName") == 0) jName = j;
    if (strcasecmp(t.aazField[0][j], "value") == 0) jValue = j;
  }
  static const char *const azNeeded[] = {"propertyName", "value"};
  for (int k = 0; k < 2; k++) {
    if ((k ? jValue : jName) >= 0) continue;
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_NO_KEY_COLUMN, NULL, GP_S("allowed", azNeeded[k]));
    gerr_msg(&w, "manifest.csv has no %s column: it is required", azNeeded[k]);
    or_error_why(m, OR_MANIFEST, 1, azNeeded[k], "", &w);
  }
  if (jName < 0 || jValue < 0) return 0;
  int aRow[OR__NFILE] = {0};
  char zIgnored[400] = "";
  for (int i = 1; i < t.nRow; i++) {
    if (t.anField[i] != t.anField[0]) {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_FIELD_COUNT, NULL, GP_I("got", t.anField[i]), GP_I("count", t.anField[0]));
      or_error_why(m, OR_MANIFEST, i + 1, "", "", &w);
      continue;
    }
    const char *zName = t.aazField[i][jName], *zValue = t.aazField[i][jValue];
    if (strcmp(zName, "oneroster.version") == 0) {
      if (strncmp(zValue, "1.1", 3) != 0 && strncmp(zValue, "1.2", 3) != 0)
        manifest_not_one_of(m, i + 1, zName, zValue, "1.1, 1.2", "guild reads OneRoster 1.1 and 1.2");
      else snprintf(r->zVersion, sizeof r->zVersion, "%.3s", zValue);
      continue;
    }
    if (strncmp(zName, "file.", 5) != 0) continue;   /* manifest.version, source.*: nothing to do */
    or_mode mode;
    if (strcasecmp(zValue, "bulk") == 0) mode = OR_BULK;
    else if (strcasecmp(zValue, "delta") == 0) mode = OR_DELTA;
    else if (strcasecmp(zValue, "absent") == 0) mode = OR_ABSENT;
    else {
      manifest_not_one_of(m, i + 1, zName, zValue, "bulk, delta, absent",
                          arena_printf(m->pAr, "%s must be bulk, delta or absent", zName));
      continue;
    }
    int f = 0;
    for (int k = 1; k < OR__NFILE; k++)
      if (strcmp(azManifestKey[k], zName) == 0) f = k;
    if (f) {
      r->aMode[f] = mode;
      aRow[f] = i + 1;
    } else if (mode != OR_ABSENT) {
      size_t n = strlen(zIgnored);
      snprintf(zIgnored + n, sizeof zIgnored - n, "%s%s.csv", n ? ", " : "", zName + 5);
    }
  }
  if (zIgnored[0]) r->zIgnored = arena_strdup(m->pAr, zIgnored);
  if (!r->zVersion[0]) {
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_REQUIRED, "oneroster.version");
    gerr_msg(&w, "manifest.csv has no oneroster.version");
    or_error_why(m, OR_MANIFEST, 1, "", "", &w);
  }
  m->bV11 = strcmp(r->zVersion, "1.1") == 0;
  for (int f = 1; f < OR__NFILE; f++)
    if (r->aMode[f] != OR_ABSENT && !or_source_file(&m->src, m->pAr, oneroster_file_names[f]))
    {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_LISTED_FILE_MISSING, NULL, GP_S("name", oneroster_file_names[f]));
      or_error_why(m, OR_MANIFEST, aRow[f], "value", r->aMode[f] == OR_BULK ? "bulk" : "delta", &w);
    }
  return 0;
}

/* The handler of each deletion's file. */
static int (*const axDelete[OR__NFILE])(or_importer *m, const or_row *r) = {
    NULL, or_delete_org, or_delete_session, or_delete_course, or_delete_class, or_delete_user, NULL,
    or_delete_enrollment,
};

/* Does the tobedeleted rows: the files in reverse order (what refers to a
 * record goes before it), rows in reverse order; a record still referred
 * to is tried again after a round that deleted something, then kept. */
static int do_deletions(or_importer *m) {
  static const or_file aOrder[] = {OR_ENROLLMENTS, OR_USERS, OR_CLASSES, OR_COURSES, OR_SESSIONS, OR_ORGS};
  int *aSt = arena_alloc(m->pAr, (size_t)(m->nDel ? m->nDel : 1) * sizeof *aSt);
  for (int i = 0; i < m->nDel; i++) aSt[i] = -1;
  arena *pSaved = m->c->pAr;
  m->c->pAr = &m->rowAr;
  int bProgress = 1, rc = 0;
  while (bProgress && !rc) {
    bProgress = 0;
    for (size_t k = 0; k < sizeof aOrder / sizeof aOrder[0] && !rc; k++)
      for (int i = m->nDel - 1; i >= 0 && !rc; i--) {
        or_deletion *d = &m->aDel[i];
        if (d->f != aOrder[k] || (aSt[i] != -1 && aSt[i] != OR_DEL_KEPT)) continue;
        m->f = d->f;
        m->pSpec = apSpec[d->f];
        if (db_begin(m->c->pDb, m->e)) {
          rc = -1;
          break;
        }
        int nBefore = or_nerr(m), st = axDelete[d->f](m, &d->row);
        if (st < 0) {
          db_rollback(m->c->pDb);
          rc = -1;
        } else if (or_nerr(m) != nBefore) {
          db_rollback(m->c->pDb);
          aSt[i] = 3;
        } else {
          rc = db_commit(m->c->pDb, m->e);
          if (st == OR_DEL_DONE) bProgress = 1;
          aSt[i] = st;
        }
        arena_reset(&m->rowAr);
      }
  }
  m->c->pAr = pSaved;
  for (int i = 0; i < m->nDel; i++) {
    or_count *p = &m->r->aCount[m->aDel[i].f];
    if (aSt[i] == OR_DEL_DONE) p->nDeleted++;
    else if (aSt[i] == OR_DEL_KEPT) p->nKept++;
    else if (aSt[i] == OR_DEL_NONE) p->nUnchanged++;
  }
  return rc;
}

/* The digest the audit entry keeps: the .zip's SHA-256, or for a directory
 * the SHA-256 of "NAME SHA256\n" for each file read, in order. */
static void set_digest(or_importer *m) {
  if (m->src.bZip) {
    snprintf(m->r->zDigest, sizeof m->r->zDigest, "%s", m->src.zZipSha256);
    return;
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (int f = 0; f < OR__NFILE; f++) {
    if (!m->azSha256[f][0]) continue;
    char z[200];
    int n = snprintf(z, sizeof z, "%s %s\n", oneroster_file_names[f], m->azSha256[f]);
    crypto_hash_sha256_update(&st, (const unsigned char *)z, (size_t)n);
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  sodium_bin2hex(m->r->zDigest, sizeof m->r->zDigest, h, sizeof h);
}

/* Every file in its order: orgs, sessions, courses, classes (knowing from
 * enrollments.csv how many students each holds), roles, users, the roles of
 * users not in users.csv, enrollments; then the deletions. */
static int import_files(or_importer *m) {
  if (or_import_orgs(m) || or_read(m, OR_SESSIONS, &or_spec_sessions, or_session_row)) return -1;
  if (or_prepass(m, OR_ENROLLMENTS, &or_spec_enrollments, or_seats_row)) return -1;
  if (or_read(m, OR_COURSES, &or_spec_courses, or_course_row) || or_read(m, OR_CLASSES, &or_spec_classes, or_class_row))
    return -1;
  if (or_read(m, OR_ROLES, &or_spec_roles, or_role_row) || or_read(m, OR_USERS, &or_spec_users, or_user_row)) return -1;
  if (or_apply_roles(m) || or_read(m, OR_ENROLLMENTS, &or_spec_enrollments, or_enrollment_row)) return -1;
  return do_deletions(m);
}

int oneroster_import(dom_ctx *c, const char *zPath, const or_opts *o, or_result *pRes, gerr *e) {
  static const or_opts oNone;
  if (!o) o = &oNone;
  memset(pRes, 0, sizeof *pRes);
  if (csv_check_encoding(o->zEncoding, e)) return -1;
  if (o->zIsco && !isco_is_unit_group(o->zIsco))
    return gerr_setr(e, GERR_USAGE, GR_NOT_ISCO, "isco", GP_S("got", o->zIsco)),
           gerr_msg(e, "--isco: '%.20s' is not an ISCO-08 unit group (4 digits, e.g. 7512)", o->zIsco);
  if (sodium_init() < 0) return gerr_set(e, GERR_INTERNAL, NULL, "libsodium failed to start");
  or_importer m;
  memset(&m, 0, sizeof m);
  m.c = c;
  m.pAr = c->pAr;
  m.o = o;
  m.r = pRes;
  m.e = e;
  m.roles.pAr = m.seats.pAr = m.pAr;
  arena_init(&m.rowAr);
  int rc = -1;
  if (or_read_area_map(&m) || or_source_open(zPath, &m.src, e)) goto out;
  if (read_manifest(&m)) goto out;
  for (int f = 1; f < OR__NFILE && !pRes->anErr[OR_MANIFEST]; f++)
    if (or_check_header(&m, f, apSpec[f]) < 0) goto out;
  if (or_nerr(&m)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONEROSTER, NULL);
    gerr_msg(e, "the files cannot be read as OneRoster");
    goto out;
  }
  if (db_begin(c->pDb, e)) goto out;
  if (import_files(&m)) goto fail;
  or_warn_unused_orgs(&m);
  int nErr = or_nerr(&m);
  if (m.bFatal || (nErr && !o->bSkipInvalid)) {
    int nInvalid = 0, nRow = 0;
    for (int f = 1; f < OR__NFILE; f++) nInvalid += pRes->aCount[f].nInvalid, nRow += pRes->aCount[f].nRow;
    if (m.bFatal) {
      gerr_setr(e, GERR_VALIDATION, GR_SET_FILE_UNREADABLE, NULL);
      gerr_msg(e, "a file cannot be read");
    } else {
      gerr_setr(e, GERR_VALIDATION, GR_ROWS_INVALID, NULL, GP_I("invalid", nInvalid), GP_I("total", nRow));
      gerr_msg(e, "%d of %d rows are invalid", nInvalid, nRow);
    }
    goto fail;
  }
  set_digest(&m);
  int64_t nWritten = 0;
  for (int f = 1; f < OR__NFILE; f++)
    nWritten += pRes->aCount[f].nCreated + pRes->aCount[f].nUpdated + pRes->aCount[f].nDeleted;
  if (audit_append(c, "import", "oneroster", nWritten, pRes->zDigest, e)) goto fail;
  if (db_commit(c->pDb, e)) goto out;
  pRes->bCommitted = 1;
  rc = 0;
  goto out;
fail:
  db_rollback(c->pDb);
out:
  or_map_free(&m.roles);
  or_map_free(&m.seats);
  or_map_free(&m.others);
  or_map_free(&m.areaMap);
  for (int f = 0; f < OR__NFILE; f++) or_map_free(&m.bad[f]);
  arena_free(&m.rowAr);
  or_source_close(&m.src);
  return rc;
}
