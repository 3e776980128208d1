/* oneroster_int.h: what the OneRoster importer's files share (private to
 * src/domain/imports/oneroster_*.c): the source (a directory or an unpacked .zip), each
 * file's column table, the importer's state, the row loop and the lookups
 * by sourcedId. */
#ifndef GUILD_ONEROSTER_INT_H
#define GUILD_ONEROSTER_INT_H
#include "domain/imports/oneroster.h"
#include "io/csv/csv_in.h"
#include <stdint.h>

#define OR_MAXCOL 32            /* columns guild knows in one file */
#define OR_MAXFIELD 512         /* columns a file may have */

#include "io/oneroster/oneroster_src.h"

/* ---- columns ---- */

enum {
  ORC_REQ = 1,       /* the column must be in the header */
  ORC_VALUE = 2,     /* each active row needs a value in it */
  ORC_REQ11 = 4,     /* the column must be in the header of a 1.1 file */
};

typedef struct or_col {
  const char *zName;
  unsigned flags;
} or_col;

/* Every data file's table starts with these three. */
enum { ORC_SOURCED_ID = 0, ORC_STATUS = 1, ORC_DATE = 2 };

/* A file's columns, as guild reads them. */
typedef struct or_spec {
  const or_col *aCol;
  int nCol;
} or_spec;

extern const or_spec or_spec_orgs, or_spec_sessions, or_spec_courses, or_spec_classes, or_spec_users, or_spec_roles,
    or_spec_enrollments;

/* One data row: az[k] is the trimmed cell of the spec's column k ("" when
 * the file has no such column), azRaw[k] the cell as read. */
typedef struct or_row {
  int iRow;                     /* 1 is the header */
  const char **az, **azRaw;
  int bDelete;                  /* status tobedeleted (delta) */
} or_row;

/* ---- string maps (POSIX tsearch trees keyed by sourcedId) ---- */

typedef struct or_map {
  void *pRoot;
  arena *pAr;                   /* keys and nodes' entries */
} or_map;

/* The value stored under zKey, or NULL. */
void *or_map_get(const or_map *p, const char *zKey);
/* Stores pVal under zKey (copied) unless the key is there; returns the value
 * already stored, or NULL when pVal was added. */
void *or_map_put(or_map *p, const char *zKey, void *pVal);
void or_map_free(or_map *p);

/* ---- the importer ---- */

/* What the roles of one user say (roles.csv and 1.1's users.csv columns). */
typedef struct or_user_roles {
  int bKept;                    /* student, teacher or aide somewhere */
  int bOther;                   /* a role guild does not keep */
  int bPrimary;                 /* a primary role names an org */
  int64_t idPrimaryInst;        /* its institution (0: the org is an area) */
  int iRow;                     /* roles.csv row of the primary role */
  int bSeen;                    /* the user is in users.csv */
  const char *zUser;
} or_user_roles;

/* What enrollments.csv says of one class: active student rows. */
typedef struct or_class_seats {
  int nStudents;                /* rows in the file */
  int nLeft;                    /* rows not yet imported */
  int bExplicit;                /* classes.csv gave metadata.guild.capacity */
} or_class_seats;

/* A tobedeleted row, done after every file's upserts, in reverse order. */
typedef struct or_deletion {
  or_file f;
  or_row row;
} or_deletion;

typedef struct or_importer {
  dom_ctx *c;
  arena *pAr;                   /* the caller's arena: errors, maps, deletions */
  arena rowAr;                  /* each row's working data */
  const or_opts *o;
  or_result *r;
  gerr *e;
  or_source src;
  int bV11;                     /* oneroster.version 1.1 */
  int bNoManifest;              /* no manifest.csv: the files there are bulk, tobedeleted rows allowed */
  or_map bad[OR__NFILE];        /* sourcedIds of invalid rows -> or_bad, per file */
  or_map others;                /* orgs of types guild does not keep -> their org (oneroster_org.c) */
  or_map areaMap;               /* --area-map: org sourcedId -> area code */
  void **apOther;               /* the orgs in others, in file order */
  int nOther, nOtherAlloc;
  const char **azHead;          /* the header of the file being read, as it is */
  int bDupRow;                  /* the row being checked repeats a sourcedId (not an invalid record) */
  int anWarnAlloc[OR__NFILE];
  int aiFirstNotUtf8[OR__NFILE];  /* the first row of each file with a cell not UTF-8 (0: none) */
  /* the file being read */
  or_file f;
  const or_spec *pSpec;
  const csv_table *t;
  int aIdx[OR_MAXCOL];          /* spec column -> file column, -1: absent */
  int nHead;
  or_map seen;                  /* sourcedIds of this file */
  int (*xRow)(struct or_importer *m, const or_row *r);
  int bPrepass;                 /* reading ahead: no checks, no counts, no errors */
  int iStop;                    /* 1: bad header, 2: database error */
  int bFatal;                   /* a file is unusable: nothing is written, even with --skip-invalid */
  char azSha256[OR__NFILE][65]; /* of each file read */
  int anErrAlloc[OR__NFILE];
  int aiLastBad[OR__NFILE];
  /* what files tell later ones */
  or_map roles;                 /* userSourcedId -> or_user_roles */
  or_user_roles **aRoles;       /* the same, in order */
  int nRoles, nRolesAlloc;
  or_map seats;                 /* classSourcedId -> or_class_seats */
  struct or_org_list *pOrgs;    /* orgs.csv while it is imported (oneroster_org.c) */
  or_deletion *aDel;
  int nDel, nDelAlloc;
} or_importer;

/* Reads file f of the source (absent: nothing) with spec, calling xRow for
 * each data row that passes the common checks (fields, UTF-8, sourcedId,
 * status, dateLastModified) inside a savepoint that is rolled back when the
 * row reported an error. Returns 0, or -1 on a database error (e filled). */
int or_read(or_importer *m, or_file f, const or_spec *pSpec, int (*xRow)(or_importer *m, const or_row *r));
/* Reads only the header of file f: the required columns are there. Returns
 * 0, or 1 after reporting a missing column. */
int or_check_header(or_importer *m, or_file f, const or_spec *pSpec);
/* The same loop without checks, errors or counts: for reading ahead. */
int or_prepass(or_importer *m, or_file f, const or_spec *pSpec, int (*xRow)(or_importer *m, const or_row *r));

/* Reports an error of file f, row iRow, column zColumn (may be "") with its
 * value as read (may be ""); a printf-style reason. */
void or_error(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const char *zFmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The same with why as an error says it (reason, field, parameters, message). */
void or_error_why(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const gerr *eWhy);
/* The same for column k of the current spec in row r. Returns 0. */
int or_err(or_importer *m, const or_row *r, int k, const char *zFmt, ...) __attribute__((format(printf, 4, 5)));
/* Errors reported so far (all files). */
int or_nerr(const or_importer *m);
/* 1 when the file being read has column k. */
int or_has(const or_importer *m, int k);
/* A copy of r (cells included) that outlives the row, in m->pAr. */
or_row or_keep_row(or_importer *m, const or_row *r);
/* Keeps r for the deletions done after every file. */
void or_defer_delete(or_importer *m, const or_row *r);

/* Looks up one id by a text parameter: 1 found, 0 not, -1 error. zSql
 * selects the id (and may select more: pCols receives column 1 as an int
 * when non-NULL). */
int or_find(or_importer *m, const char *zSql, const char *z, int64_t *pId, int64_t *pCol1);

/* What an org sourcedId names in guild: an area, an institution, or an
 * org of the set of a type guild does not keep (its area in *pId, 0 when
 * none). */
typedef enum { OR_ORG_NONE, OR_ORG_AREA, OR_ORG_INST, OR_ORG_OTHER } or_org_kind;
/* Looks up org zSid (institutions first, then areas, then the set's orgs
 * guild does not keep): *pId is its id. -1 on error. */
int or_find_org(or_importer *m, const char *zSid, or_org_kind *pKind, int64_t *pId);

/* An invalid row of a file, for the rows that refer to it. */
typedef struct or_bad {
  int iRow;
  const char *zReason;          /* its first error */
} or_bad;

/* Reports that column k of row r names zSid of file fRef, which guild
 * cannot find: "course c1 is in courses.csv row 2, which is invalid: ..."
 * when it is an invalid row of that file, else zNone. Returns 0. */
int or_missing(or_importer *m, const or_row *r, int k, or_file fRef, const char *zSid, const char *zWhat,
               const char *zNone);
/* Remembers row r of the current file as invalid when it was reported
 * (its first error: the first of the file's after nBefore), for the rows
 * that refer to it; not a row that only repeated a sourcedId. */
void or_note_bad(or_importer *m, const or_row *r, int nBefore);
/* Adds a warning for file f, row iRow (printf-style). */
void or_warn(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const char *zFmt, ...)
    __attribute__((format(printf, 6, 7)));

/* oneroster_org.c: the set's orgs of types guild does not keep. The area
 * one of them stands in (its parent's, 0: none); it is marked as referred
 * to. 1 when zSid is such an org, else 0. */
int or_other_org(or_importer *m, const char *zSid, int64_t *pidArea, const char **pzType);
/* Warns of each such org nothing referred to (after every file). */
void or_warn_unused_orgs(or_importer *m);
/* Reads o->zAreaMap into m->areaMap: 0, or -1 with m->e (GERR_USAGE). */
int or_read_area_map(or_importer *m);

/* Maps a domain field to the file's column that gave it. */
typedef struct or_fieldcol {
  const char *zField;
  int k;
} or_fieldcol;

/* Checks pIn as an update of stored record idOld (0: a new record) and
 * writes it (counting it created, updated or unchanged in the current file);
 * the entity's rules apply as in the API. A rule's error is reported on the
 * column aMap names for its field (else the whole row) and 1 is returned.
 * Returns 0 when written, -1 on a database error. *pId gets the id. When
 * bLists, the list fields set in pIn are written too. */
int or_upsert(or_importer *m, const or_row *r, const dom_entity *pEnt, int64_t idOld, const dom_rec *pIn,
              const or_fieldcol *aMap, int64_t *pId);

/* Reports e (a rule's error) on the column aMap gives its field: 1; or -1
 * when e is not a rule's error (a database error). */
int or_rule_error(or_importer *m, const or_row *r, const gerr *e, const or_fieldcol *aMap);

/* Makes room for element n of the array at *ppArray (a pointer to its
 * pointer) whose room is *pnAlloc elements of nSize bytes, doubling it in
 * arena a. */
void or_grow(arena *a, void *ppArray, int n, int *pnAlloc, size_t nSize);

/* Splits a OneRoster list cell ("a,b,c"; spaces around items ignored) into
 * *pazOut (in a); returns the number of items. */
int or_split(arena *a, const char *z, const char ***pazOut);

/* The file handlers (oneroster_org.c, oneroster_course.c, oneroster_user.c). */
int or_import_orgs(or_importer *m);
int or_session_row(or_importer *m, const or_row *r);
int or_course_row(or_importer *m, const or_row *r);
int or_seats_row(or_importer *m, const or_row *r);
int or_class_row(or_importer *m, const or_row *r);
int or_role_row(or_importer *m, const or_row *r);
int or_user_row(or_importer *m, const or_row *r);
int or_apply_roles(or_importer *m);
int or_enrollment_row(or_importer *m, const or_row *r);
/* Deletions: each returns OR_DEL_DONE (deleted, or for an enrollment
 * withdrawn), OR_DEL_KEPT (still referred to), OR_DEL_NONE (nothing to do:
 * guild does not have it) or -1 on a database error. */
enum { OR_DEL_DONE = 0, OR_DEL_KEPT = 1, OR_DEL_NONE = 2 };
int or_delete_org(or_importer *m, const or_row *r);
int or_delete_session(or_importer *m, const or_row *r);
int or_delete_course(or_importer *m, const or_row *r);
int or_delete_class(or_importer *m, const or_row *r);
int or_delete_user(or_importer *m, const or_row *r);
int or_delete_enrollment(or_importer *m, const or_row *r);
/* Deletes record pEnt whose sourcedId is row r's (found with zFindSql) when
 * nothing refers to it. */
int or_delete_record(or_importer *m, const or_row *r, const dom_entity *pEnt, const char *zFindSql);

#endif
