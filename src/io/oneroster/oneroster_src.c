/* oneroster_src.c: where a OneRoster set lives: a directory, or a .zip
 * (libzip) whose CSV files are unpacked into a private temporary directory
 * for the importer, and written into a new .zip by the exporter. Only the
 * files guild knows are unpacked, by their own names, so an entry's path
 * can never place a file elsewhere. */
#include "io/oneroster/oneroster_src.h"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

const char *const oneroster_file_names[OR__NFILE] = {
    "manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv",
    "classes.csv",  "users.csv", "roles.csv",           "enrollments.csv",
};

/* zPath cannot be opened or read (zWhy: the system's words). Returns -1. */
static int or_cannot_open(gerr *e, const char *zPath, const char *zWhy) {
  gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_OPEN, NULL, GP_S("path", zPath));
  return gerr_msg(e, "cannot open %.200s: %s", zPath, zWhy);
}

/* SHA-256 (hex) of file zPath's bytes. 0 or -1 with e. */
static int file_sha256(const char *zPath, char zHex[65], gerr *e) {
  FILE *f = fopen(zPath, "rb");
  if (!f) return or_cannot_open(e, zPath, strerror(errno));
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  unsigned char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) crypto_hash_sha256_update(&st, buf, n);
  int bErr = ferror(f);
  fclose(f);
  if (bErr) {
    gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_OPEN, NULL, GP_S("path", zPath));
    return gerr_msg(e, "cannot read %.200s", zPath);
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  sodium_bin2hex(zHex, 65, h, sizeof h);
  return 0;
}

/* Sets e from libzip's error code: the .zip zPath cannot be opened or
 * written (code and reason; zWhat says it in the message). */
static int zip_fail(gerr *e, gerr_code code, greason reason, const char *zWhat, const char *zPath, int iZipErr) {
  zip_error_t ze;
  zip_error_init_with_code(&ze, iZipErr);
  gerr_setr(e, code, reason, NULL, GP_S("path", zPath));
  gerr_msg(e, "%s %.200s: %s", zWhat, zPath, zip_error_strerror(&ze));
  zip_error_fini(&ze);
  return -1;
}

/* Entry zName of a .zip cannot be unpacked (zWhy: libzip's words). */
static int zip_unpack_fail(gerr *e, const char *zName, const char *zWhy) {
  gerr_setr(e, GERR_VALIDATION, GR_ZIP_UNPACK, NULL, GP_S("name", zName));
  return gerr_msg(e, "cannot unpack %s: %s", zName, zWhy);
}

/* Unpacks entry i of z into file zOut, refusing more than OR_ZIP_ENTRY_MAX
 * bytes. 0 or -1 with e. */
static int unpack(zip_t *z, zip_uint64_t i, const char *zName, const char *zOut, gerr *e) {
  zip_file_t *zf = zip_fopen_index(z, i, 0);
  if (!zf) return zip_unpack_fail(e, zName, zip_strerror(z));
  FILE *f = fopen(zOut, "wb");
  if (!f) {
    zip_fclose(zf);
    return gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s: %s", zOut, strerror(errno));
  }
  char buf[65536];
  zip_int64_t n, nTotal = 0;
  int rc = 0;
  while ((n = zip_fread(zf, buf, sizeof buf)) > 0) {
    nTotal += n;
    if (nTotal > OR_ZIP_ENTRY_MAX) {
      rc = gerr_setr(e, GERR_TOO_LARGE, GR_ZIP_ENTRY_TOO_LARGE, NULL, GP_S("name", zName),
                     GP_I("max", OR_ZIP_ENTRY_MAX));
      break;
    }
    if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
      rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s", zOut);
      break;
    }
  }
  if (!rc && n < 0) rc = zip_unpack_fail(e, zName, zip_file_strerror(zf));
  zip_fclose(zf);
  if (fclose(f) && !rc) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s", zOut);
  return rc;
}

/* Unpacks the set in .zip zPath into a new temporary directory. */
static int open_zip(const char *zPath, or_source *p, gerr *e) {
  if (file_sha256(zPath, p->zZipSha256, e)) return -1;
  int iErr = 0;
  zip_t *z = zip_open(zPath, ZIP_RDONLY, &iErr);
  if (!z) return zip_fail(e, GERR_VALIDATION, GR_CANNOT_OPEN, "cannot open", zPath, iErr);
  /* the folder of the shortest manifest.csv is the set's; without one (1.1
   * did not require it), the folder of the shortest file guild knows */
  zip_int64_t nEntry = zip_get_num_entries(z, 0);
  const char *zManifest = NULL;
  size_t nBase = 0;
  for (int bAny = 0; bAny < 2 && !zManifest; bAny++)
    for (zip_int64_t i = 0; i < nEntry; i++) {
      const char *zName = zip_get_name(z, (zip_uint64_t)i, 0);
      if (!zName || strncmp(zName, "__MACOSX/", 9) == 0) continue;
      const char *zBase = strrchr(zName, '/');
      zBase = zBase ? zBase + 1 : zName;
      for (int f = bAny ? 1 : 0; f < (bAny ? OR__NFILE : 1); f++)
        if (strcmp(zBase, oneroster_file_names[f]) == 0 && (!zManifest || strlen(zName) < strlen(zManifest))) {
          zManifest = zName;
          nBase = strlen(zBase);
        }
    }
  if (!zManifest) {
    zip_discard(z);
    return gerr_setr(e, GERR_VALIDATION, GR_NO_MANIFEST, NULL, GP_S("path", zPath));
  }
  size_t nPrefix = strlen(zManifest) - nBase;
  char *zPrefix = g_malloc(nPrefix + 1);
  memcpy(zPrefix, zManifest, nPrefix);
  zPrefix[nPrefix] = 0;
  const char *zTmp = getenv("TMPDIR");
  snprintf(p->zDir, sizeof p->zDir, "%s/guild-oneroster-XXXXXX", zTmp && zTmp[0] ? zTmp : "/tmp");
  int rc = 0;
  if (!mkdtemp(p->zDir)) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot make a temporary directory: %s", strerror(errno));
  else p->bTemp = 1;
  for (zip_int64_t i = 0; !rc && i < nEntry; i++) {
    const char *zName = zip_get_name(z, (zip_uint64_t)i, 0);
    if (!zName || strncmp(zName, zPrefix, nPrefix) != 0) continue;
    for (int f = 0; f < OR__NFILE; f++)
      if (strcmp(zName + nPrefix, oneroster_file_names[f]) == 0) {
        char zOut[4200];
        snprintf(zOut, sizeof zOut, "%s/%s", p->zDir, oneroster_file_names[f]);
        rc = unpack(z, (zip_uint64_t)i, zName, zOut, e);
      }
  }
  free(zPrefix);
  zip_discard(z);
  return rc;
}

int or_source_open(const char *zPath, or_source *p, gerr *e) {
  memset(p, 0, sizeof *p);
  struct stat st;
  if (stat(zPath, &st)) return or_cannot_open(e, zPath, strerror(errno));
  if (S_ISDIR(st.st_mode)) {
    if (strlen(zPath) >= sizeof p->zDir)
      return gerr_setr(e, GERR_NOT_FOUND, GR_PATH_TOO_LONG, NULL, GP_I("max", sizeof p->zDir - 1));
    snprintf(p->zDir, sizeof p->zDir, "%s", zPath);
    return 0;
  }
  p->bZip = 1;
  return open_zip(zPath, p, e);
}

void or_source_close(or_source *p) {
  if (!p->bTemp) return;
  char z[4200];
  for (int f = 0; f < OR__NFILE; f++) {
    snprintf(z, sizeof z, "%s/%s", p->zDir, oneroster_file_names[f]);
    unlink(z);
  }
  rmdir(p->zDir);
  p->bTemp = 0;
}

const char *or_source_file(const or_source *p, arena *a, const char *zName) {
  const char *z = arena_printf(a, "%s/%s", p->zDir, zName);
  struct stat st;
  return stat(z, &st) == 0 && S_ISREG(st.st_mode) ? z : NULL;
}

int or_zip_write(const char *zZip, const char *zDir, const char *const *azName, int n, gerr *e) {
  int iErr = 0;
  zip_t *z = zip_open(zZip, ZIP_CREATE | ZIP_TRUNCATE, &iErr);
  if (!z) return zip_fail(e, GERR_NOT_FOUND, GR_CANNOT_WRITE, "cannot write", zZip, iErr);
  char zIn[4200];
  for (int i = 0; i < n; i++) {
    snprintf(zIn, sizeof zIn, "%s/%s", zDir, azName[i]);
    zip_source_t *src = zip_source_file(z, zIn, 0, -1);
    if (!src || zip_file_add(z, azName[i], src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
      if (src) zip_source_free(src);
      gerr_set(e, GERR_INTERNAL, NULL, "cannot add %s to %.200s: %s", azName[i], zZip, zip_strerror(z));
      zip_discard(z);
      return -1;
    }
  }
  if (zip_close(z)) {
    gerr_set(e, GERR_INTERNAL, NULL, "cannot write %.200s: %s", zZip, zip_strerror(z));
    zip_discard(z);
    return -1;
  }
  return 0;
}
