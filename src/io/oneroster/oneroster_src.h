/* oneroster_src.h: where a OneRoster set lives, as files: a directory, or a
 * .zip (libzip) unpacked into a private temporary directory; and writing a
 * set's files into a .zip. File handling only: what the files mean is the
 * imports module's (src/domain/imports/oneroster_*.c). */
#ifndef GUILD_ONEROSTER_SRC_H
#define GUILD_ONEROSTER_SRC_H
#include <stdint.h>
#include "core/err.h"
#include "core/mem.h"

/* The files guild reads, in the order it reads them. */
typedef enum {
  OR_MANIFEST,
  OR_ORGS,
  OR_SESSIONS,
  OR_COURSES,
  OR_CLASSES,
  OR_USERS,
  OR_ROLES,
  OR_ENROLLMENTS,
  OR__NFILE
} or_file;

extern const char *const oneroster_file_names[OR__NFILE];   /* "manifest.csv", "orgs.csv", ... */

typedef struct or_source {
  char zDir[4096];              /* where the CSV files are */
  int bTemp;                    /* zDir is a temporary directory of ours */
  int bZip;
  char zZipSha256[65];          /* of the .zip's bytes */
} or_source;

/* Opens zPath: a directory holding manifest.csv, or a .zip with manifest.csv
 * at its top or in one folder (without one: where the set's other files
 * are, as a 1.1 set may have none); the .zip's CSV files beside it are
 * unpacked into a private temporary directory (each at most
 * OR_ZIP_ENTRY_MAX bytes). Returns 0, or -1 with e (GERR_NOT_FOUND,
 * GERR_VALIDATION for a bad or oversized .zip). */
int or_source_open(const char *zPath, or_source *p, gerr *e);
/* Removes what or_source_open unpacked. */
void or_source_close(or_source *p);
/* zName's path in the source, in a; NULL when there is no such file. */
const char *or_source_file(const or_source *p, arena *a, const char *zName);
#define OR_ZIP_ENTRY_MAX ((int64_t)4 << 30)

/* Writes the files azName[0..n-1] of directory zDir into a new .zip zZip
 * (replacing it only once complete). Returns 0 or -1 with e. */
int or_zip_write(const char *zZip, const char *zDir, const char *const *azName, int n, gerr *e);

#endif
