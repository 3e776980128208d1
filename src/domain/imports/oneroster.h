/* oneroster.h: OneRoster 1.2 CSV (and 1.1) in and out of guild's registry.
 * The mapping, column by column, is docs/oneroster.md; in short:
 *   orgs.csv             national, state, local, district -> areas (the level
 *                        follows the depth: a root org is a region);
 *                        school, department -> institutions
 *   academicSessions.csv -> academic_sessions, the dates of cohorts
 *   courses.csv          -> programs
 *   classes.csv          -> cohorts (dates from their terms)
 *   users.csv, roles.csv -> persons (students, teachers, aides; guardians,
 *                        parents, relatives and staff are not kept)
 *   enrollments.csv      -> enrollments (students; consent recorded as the
 *                        importing actor's act) and cohort trainers (teachers)
 * Every record keeps its sourcedId (the key of every upsert).
 *
 * No CLI here: cmd_oneroster.c prints and writes the reports. */
#ifndef GUILD_ONEROSTER_H
#define GUILD_ONEROSTER_H
#include "domain/imports/import.h"
#include "io/oneroster/oneroster_src.h"

typedef enum { OR_ABSENT = 0, OR_BULK, OR_DELTA } or_mode;

/* What happened to one file's rows. */
typedef struct or_count {
  int nRow;                 /* data rows (header excluded) */
  int nCreated, nUpdated, nUnchanged;
  int nDeleted;             /* tobedeleted rows that removed (or, for enrollments, withdrew) a record */
  int nKept;                /* tobedeleted rows whose record is still referred to, so kept */
  int nSkipped;             /* rows guild does not keep (e.g. guardians, administrator enrollments) */
  int nInvalid;             /* rows with at least one error */
} or_count;

typedef struct or_opts {
  int bSkipInvalid;         /* import the valid rows, report the rest */
  const char *zIsco;        /* ISCO-08 code for new programs whose course gives none (NULL: an error) */
  /* Called every 1000 rows of a file with nTotal 0 and fDone the share of
   * its bytes read (-1 when unknown), then at its end with nTotal = nDone
   * (may be NULL). */
  void (*xProgress)(void *pArg, const char *zFile, int nDone, int nTotal, double fDone);
  void *pArg;
  const char *zEncoding;    /* the files' encoding, as for imp_opts.zEncoding (NULL: UTF-8) */
  /* Where a new school, or an area org, whose parentSourcedId is empty
   * goes: the area with code zArea; per org, a CSV file zAreaMap
   * (orgSourcedId,areaCode), which comes first; or, with bCreateAreas, an
   * area of its own under the region (a school; an area org goes under the
   * region itself). Without any, such a school is an error naming these
   * options, and such an area org is a region. */
  const char *zArea;
  const char *zAreaMap;
  int bCreateAreas;
} or_opts;

typedef struct or_result {
  char zVersion[8];                  /* oneroster.version of the manifest */
  or_mode aMode[OR__NFILE];
  or_count aCount[OR__NFILE];
  imp_error *aErr[OR__NFILE];        /* each file's errors, in file order */
  int anErr[OR__NFILE];
  const char *zIgnored;              /* files the manifest lists that guild does not read, or NULL */
  int bNoManifest;                   /* the set has no manifest.csv: every file there was read as bulk */
  imp_error *aWarn[OR__NFILE];       /* each file's warnings (rows skipped, nothing wrong), in file order */
  int anWarn[OR__NFILE];
  int nAreasCreated;                 /* areas made for schools without a parent (bCreateAreas) */
  char zDigest[AUDIT_HEX];           /* SHA-256 of the .zip, or of the files' digests (a directory) */
  int bCommitted;
} or_result;

/* Imports the OneRoster set at zPath (a directory or a .zip holding
 * manifest.csv) in one transaction, with one audit entry (action "import",
 * entity "oneroster", entity id = records written, digest pRes->zDigest).
 * Returns 0 when committed; -1 with e filled when nothing was written:
 * GERR_VALIDATION when rows or files are invalid (each error is in
 * pRes->aErr of its file), GERR_NOT_FOUND when zPath cannot be read, other
 * codes for database errors. Errors and counts live in c's arena. */
int oneroster_import(dom_ctx *c, const char *zPath, const or_opts *o, or_result *pRes, gerr *e);

/* What an export wrote: rows per file. */
typedef struct or_export_result {
  int anRow[OR__NFILE];
} or_export_result;

/* Writes the registry as a bulk OneRoster 1.2 set (manifest.csv and the
 * seven files) into directory zPath (created if missing; those files are
 * replaced), or into a .zip when zPath ends in ".zip" (replaced whole only
 * once complete). Erased persons and their enrollments are left out, as are
 * enrollments that have ended (completed, withdrawn, not completed). Reads
 * in one transaction, so the set is consistent. Returns 0 or -1 with e. */
int oneroster_export(dom_ctx *c, const char *zPath, or_export_result *pRes, gerr *e);

#endif
