/* import.h: records from plain CSV files (persons, enrollments), checked row
 * by row with the same rules as the API, written in one transaction with
 * one audit entry. No CLI here: cmd_import.c prints and writes the report.
 * The columns each kind understands are documented in docs/import.md and
 * `guild help import`; their tables are in import_persons.c and
 * import_enrollments.c, and one engine (import_run.c) runs them all.
 *
 * The header (row 1) names the columns. Names are matched ignoring ASCII
 * case and surrounding spaces, in guild's spelling or OneRoster's
 * (sourcedId, givenName, ...); a map ("Student ID=sourced_id,Notes=", a
 * header with a comma or '=' in double quotes) renames headers first, and
 * an empty target ignores that column. Any other header is an error.
 *
 * A row whose key (persons: sourced_id; enrollments: person and cohort) is
 * already stored updates that record (only the columns the file has; an
 * empty cell clears an optional field); a row identical to what is stored
 * changes nothing (no new version). */
#ifndef GUILD_IMPORT_H
#define GUILD_IMPORT_H
#include "domain/engine/audit.h"
#include "domain/engine/entity.h"

/* One problem in the file. Row 1 is the header; zColumn is the file's own
 * header name ("" for the whole row); zValue is the cell with any invalid
 * UTF-8 byte shown as \xHH; the reason and its parameters say the rule
 * (reasons.def) so a client writes the line in its reader's language.
 * Strings are in the arena. */
typedef struct imp_error {
  int iRow;
  const char *zColumn, *zValue;
  const char *zReason;         /* the English message (CLI, CSV report), without "field: " */
  gerr_code code;              /* why, as an API error says it: class, rule, field, parameters */
  greason reason;
  const char *zField;          /* the record's field ("" when none) */
  const gerr_param *aParam;    /* in the arena */
  int nParam;
} imp_error;

typedef struct imp_result imp_result;

typedef struct imp_opts {
  const char *zMap;      /* "header=field,..." or NULL */
  int bSkipInvalid;      /* import the valid rows, report the rest */
  /* Called every 1000 rows with nTotal 0 (not known yet: the file is
   * streamed) and fDone the share of the file's bytes read (-1 when its size
   * is not known), then once at the end with nTotal = nDone, fDone 1 (may be
   * NULL). */
  void (*xProgress)(void *pArg, int nDone, int nTotal, double fDone);
  void *pArg;
  /* Called inside the import's transaction once it is to be committed,
   * after its audit entry (may be NULL): what it writes is committed with
   * the rows, or rolled back with them when it fails (0 or -1 with e
   * filled). The server records a background import's end here, so that
   * no crash can keep the rows and lose the record, or the other way. */
  int (*xCommit)(void *pArg, const imp_result *r, gerr *e);
  /* Confines the import to one institution (0: none, region-wide): as for
   * its staff in the API, the records it creates are registered to it
   * where the kind has such a field (persons), every reference must lie in
   * its scope (enrollments: the cohort; the person too, unless no
   * institution has taken them in) and a stored record is updated only when
   * it lies in its scope; other rows are errors. */
  int64_t idScope;
  /* How the caller names zMap in messages (NULL: "--map", the command's
   * option; the API says "map", its parameter). */
  const char *zMapName;
  /* The file's encoding as iconv names it ("WINDOWS-1252", "GB18030",
   * "UTF-16", ...): converted to UTF-8 as it is read. NULL: UTF-8 (a
   * UTF-16 file is then refused, naming its encoding). */
  const char *zEncoding;
} imp_opts;

struct imp_result {
  int nRow;                               /* data rows in the file (header excluded) */
  int nCreated, nUpdated, nUnchanged;
  int nInvalid;                           /* rows with at least one error */
  imp_error *aErr;                        /* in file order */
  int nErr;
  char zDigest[AUDIT_HEX];                /* SHA-256 of the file's bytes */
  int bCommitted;                         /* the import was written (and audited) */
};

/* Imports zPath ("-": standard input) as persons, or as enrollments. Streams
 * the file, checking and writing each row inside one transaction; commits
 * when no row is invalid, or when o->bSkipInvalid (then the valid rows
 * only), with one audit entry (action "import", entity "persons" or
 * "enrollments", entity id = rows created or updated, digest = the file's
 * SHA-256). Otherwise rolls everything back.
 * Returns 0 when committed; -1 with e filled when nothing was written:
 * GERR_USAGE for a bad o->zMap, GERR_VALIDATION for a bad header, bad CSV
 * or invalid rows (each listed in pRes->aErr), other codes for files that
 * cannot be read or database errors. Allocates the header and the error
 * report in c's arena; each row's working data goes to a private arena
 * reset after the row, so memory does not grow with the file (but for 4
 * bytes per record written, kept to find a key given twice in the file). */
/* 0 when zEncoding (NULL: UTF-8) is one an import can read, else -1 with e
 * (GERR_VALIDATION, field "encoding"). */
int imp_check_encoding(const char *zEncoding, gerr *e);

int import_persons(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e);
int import_enrollments(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e);

#endif
