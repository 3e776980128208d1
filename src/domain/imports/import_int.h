/* import_int.h: the import engine's tables and state, shared by the engine
 * (import_run.c, import_header.c, import_maps.c) and the kinds it runs
 * (import_persons.c, import_enrollments.c). Private to src/domain/imports.
 *
 * A kind is one imp_spec: the entity it writes, the columns a file may have
 * (each setting one field of the entity, converted or looked up on the way),
 * and which of them make the record's key (dom_find_by_key finds a stored
 * record by it). */
#ifndef GUILD_IMPORT_INT_H
#define GUILD_IMPORT_INT_H
#include "domain/imports/import.h"
#include "io/csv/csv_in.h"

#define IMP_MAXCOL 256          /* columns in a file */
#define IMP_CACHE 4096          /* slots of a lookup's cache (a power of 2) */
#define IMP_CACHE_KEY 40        /* longer cells are looked up, not cached */

typedef enum {
  IMP_TEXT,     /* the cell's text */
  IMP_BOOL,     /* true/false, yes/no or 1/0, any case */
  IMP_ID,       /* a whole number: the id of a record, which zLookup must find */
  IMP_LOOKUP,   /* a code or external id, which zLookup turns into an id */
  IMP_SEX,      /* female or male, as people write them (imp_sex) */
  IMP_DATE,     /* a day, YYYY-MM-DD or another unambiguous common form (imp_date) */
} imp_conv;

enum {
  IMPF_KEY = 1,          /* part of the record's key: a required column (one per key field) and value */
  IMPF_CREATE_ONLY = 2,  /* given when the record is created; when updating, a true cell is ignored */
};

typedef struct imp_field {
  const char *zName;      /* the header, and what --map may name */
  const char *zField;     /* the entity field it sets */
  imp_conv conv;
  unsigned flags;
  const char *zLookup;    /* IMP_ID, IMP_LOOKUP: SELECT id FROM ... WHERE ... = $1 */
  const char *zNotFound;  /* the reason when zLookup finds nothing */
  const char *zHelp;      /* one line for the help text and errors */
  const char *zAlias;     /* OneRoster's name for the column (givenName), also recognised; or NULL */
} imp_field;

/* Indexes of a kind's table whose entries a large import builds after its
 * rows (import_defer.c): never a unique one, nor one the kind's rules read
 * (unless through zReadsField, before which they are built). */
#define IMP_DEFER_MAX 4
typedef struct imp_defer {
  const char *azIndex[IMP_DEFER_MAX];    /* index names; the rest NULL */
} imp_defer;

typedef struct imp_spec {
  const char *zKind;          /* "persons": the audit log's entity */
  const dom_entity *pEnt;
  const imp_field *aField;
  int nField;
  const char *zKeyWhy;        /* why every row needs its key (errors) */
  const char *zDuplicate;     /* reason for a key given twice: "... on row %d" */
  /* A row whose field zReadsField is zReadsValue is checked by rules that
   * read what earlier rows wrote (enrollments: entering "enrolled" counts
   * the cohort's places taken), so rows are not batched across it. NULL:
   * no such rule. */
  const char *zReadsField, *zReadsValue;
  const imp_defer *pDefer;    /* NULL: every index is written row by row */
  int bScoped;                /* may be confined to an institution (imp_opts.idScope): the entity's
                               * parents (dom_entity.aParent) say how, as for staff writing one by one */
} imp_spec;

/* A lookup's cache: cell text -> id (0: nothing has it), direct-mapped. */
typedef struct imp_cache_slot {
  uint64_t h;                 /* 0: empty */
  int64_t id;
  char z[IMP_CACHE_KEY];
} imp_cache_slot;

/* The first file row of each record the import has written or matched, by
 * id: pages of 4096 rows, found by a small open hash of page numbers. */
typedef struct imp_rowmap {
  int64_t *aPage;             /* page numbers, -1: empty slot */
  int32_t **apRow;
  size_t nSlot, nUsed;        /* nSlot: a power of 2 */
} imp_rowmap;

/* Rows checked as new records, written together by one statement
 * (dom_insert_many): DOM_BATCH at most, with what the rows that meet a
 * stored key need afterwards. */
typedef struct imp_batch {
  int n;
  dom_rec aIn[DOM_BATCH], aOut[DOM_BATCH];   /* the row as read, and as checked */
  int aiRow[DOM_BATCH];
  const char **aazCell[DOM_BATCH];
  arena ar;                                  /* their strings; reset after each write */
} imp_batch;

typedef struct importer {
  dom_ctx *c;
  const imp_spec *p;
  arena *pAr;                   /* the caller's arena: header and error report */
  const imp_opts *o;
  imp_result *r;
  const csv_table *t;
  gerr *e;
  int iStop;                    /* 1: bad header, 2: database error */
  /* the header */
  const char **azHead;          /* as the file has it, in pAr */
  int nCol;
  int aField[IMP_MAXCOL];       /* column -> index in p->aField, -1: ignored */
  int aEntCol[DOM_MAXF];        /* entity field -> its column, -1: none */
  /* state */
  dom_bulk bulk;                /* what the engine vouches for (see dom_bulk) */
  int aEnt[DOM_MAXF];           /* p->aField index -> the entity field it sets */
  imp_cache_slot *apCache[DOM_MAXF];   /* by p->aField index, for the lookups */
  imp_rowmap rows;
  imp_batch *pBatch;
  int64_t idMax;                /* SQLite: the largest id in the table (see dom_insert_many) */
  int nErrAlloc;
  int iLastBadRow;
  int iFirstNotUtf8;            /* the first row with a cell not UTF-8 (-1: being reported), 0: none yet */
  const char *azDeferred[IMP_DEFER_MAX];   /* CREATE INDEX texts of the indexes dropped (in pAr) */
  int nDeferred;
} importer;

/* The file's first key column (names a record in reports), or -1. */
int imp_first_key_column(const importer *m);

/* Runs spec p over zPath (the whole of import_persons and friends). */
int imp_run(dom_ctx *c, const imp_spec *p, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e);

/* import_header.c */
/* z without surrounding spaces, tabs and line ends: z itself when it has
 * none, else a copy in a. */
const char *imp_trim(arena *a, const char *z);
/* Reports a problem of row iRow, eWhy saying why (reason, field,
 * parameters, message; strings copied to m->pAr). */
void imp_error_add(importer *m, int iRow, const char *zColumn, const char *zValue, const gerr *eWhy);
/* Checks o->zMap itself: each entry HEADER=FIELD with a field of p or none. */
int imp_check_map(const imp_spec *p, const imp_opts *o, arena *a, gerr *e);
/* What the caller calls the map in messages ("--map" or o->zMapName). */
const char *imp_map_name(const imp_opts *o);
/* Puts the report in row order (rows of a batch are reported when the batch
 * is written); stable. */
void imp_errors_sort(importer *m);
/* Maps the header row (every problem is an error of row 1); 0 or -1. */
int imp_read_header(importer *m, int nField, const char **azField);

/* import_maps.c */
/* The id zLookup (of field k) gives for cell z (an IMP_ID cell as its
 * number): 1 found (*pId), 0 not, -1 database error. Cached. */
int imp_lookup(importer *m, int k, const char *z, int64_t *pId, gerr *e);
void imp_cache_free(importer *m);
/* The first row recorded for id, or 0. */
int imp_rows_get(const imp_rowmap *p, int64_t id);
void imp_rows_set(imp_rowmap *p, int64_t id, int iRow);
void imp_rows_free(imp_rowmap *p);

/* import_scope.c: an import confined to an institution (o->idScope;
 * nothing happens without one) */
/* Registers a new record to the institution (its parent with bFill) and checks
 * the row's references lie in its scope: 1 yes, 0 reported, -1 error. */
int imp_scope_row(importer *m, int iRow, const char **az, dom_rec *pIn, gerr *e);
/* Stored record id (met by the row's key) lies in the scope: 1 yes, 0
 * reported, -1 error. */
int imp_scope_stored(importer *m, int iRow, const char **az, int64_t id, gerr *e);
/* Takes imp_scope_row's registration out of pIn, for an update. */
void imp_scope_unfill(const importer *m, dom_rec *pIn);

/* import_conv.c: values as people write them */
/* "female" or "male" for z (F, M, female, male, woman, man, 女, 男, 女性, 男性,
 * ئايال, ئەر, any ASCII case), or NULL. */
const char *imp_sex(const char *z);
/* z as YYYY-MM-DD: the same when it is so written (checked later), or
 * read from YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, YYYY年M月D日, or D.M.YYYY,
 * D/M/YYYY, D-M-YYYY when only one of day-first and month-first is a
 * real day (or both give the same). Returns 0 with *pzOut (in a, or z),
 * or 1 when z could be two days (*pzWhy says which, in a; azRead[] the
 * two, day first and month first, as YYYY-MM-DD). */
int imp_date(arena *a, const char *z, const char **pzOut, const char **pzWhy, const char *azRead[2]);

/* import_defer.c */
/* Once the header is read: when the file (by its size) brings at least
 * DEFER_MIN_ROWS rows and at least as many as the table holds, drops the
 * indexes p->pDefer names, keeping their CREATE texts (SQLite; elsewhere
 * nothing). 0 or -1. */
int imp_defer_begin(importer *m, gerr *e);
/* Creates the dropped indexes again (none dropped: nothing). 0 or -1. */
int imp_defer_end(importer *m, gerr *e);

#endif
