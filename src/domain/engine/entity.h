/* entity.h: how guild's records are declared and the generic operations on
 * them. Each entity (area, institution, program, cohort, person, enrollment)
 * is one table of field descriptors in its own file, with the rules that
 * cannot be said declaratively in an xCheck hook. Validation, SQL, reference
 * checks and optimistic concurrency are done once here for all of them.
 * Domain code never sees HTTP or JSON. */
#ifndef GUILD_ENTITY_H
#define GUILD_ENTITY_H
#include <stdint.h>
#include "core/err.h"
#include "core/mem.h"
#include "store/db.h"
#include "domain/engine/policy.h"

#define DOM_MAXF 24      /* fields per entity */
#define DOM_MAXFILT 8    /* list filters per entity */
#define DOM_MAXLIST 100  /* elements in a list field */
#define DOM_MAXUNIQUE 4  /* unique keys of several fields per entity */
#define DOM_MAXKEY 4     /* fields in one such key */

typedef enum {
  DT_TEXT,     /* UTF-8 string, min..max characters */
  DT_INT,      /* integer in min..max */
  DT_CENTI,    /* a mark with up to two decimals, stored in hundredths; min..max in hundredths */
  DT_BOOL,     /* true / false */
  DT_DATE,     /* "YYYY-MM-DD" */
  DT_TIME,     /* seconds since epoch (server-set), shown as ISO 8601 */
  DT_ENUM,     /* one of azEnum */
  DT_ISCO,     /* an ISCO-08 unit group code (4 digits) */
  DT_REF,      /* id of a pRef record */
  DT_STRLIST,  /* list of strings, each min..max characters (child table) */
  DT_REFLIST,  /* list of ids of pRef records (child table) */
} dom_type;

enum {
  F_REQ = 1,      /* required when created, never null */
  F_RO = 2,       /* set by guild, not by clients */
  F_IMMUT = 4,    /* given at creation, cannot change afterwards */
  F_VIRT = 8,     /* input only: not stored, not shown */
  F_UNIQUE = 16,  /* unique across the table when not null */
  F_HIDDEN = 32,  /* stored but never shown (search keys) */
  F_MULTI = 64,   /* text may contain newlines */
  F_RAW = 128,    /* text kept exactly as given (passwords): not trimmed */
  F_ADDED = 256,  /* a column a later migration added to a table with rows, default 0:
                     a 0 is digested as absent (audit_rows.c), so rows the audit log
                     recorded before the column existed still match their entries */
};

typedef struct dom_entity dom_entity;

typedef struct dom_field {
  const char *zName;           /* JSON key and column name */
  dom_type type;
  unsigned flags;
  int64_t min, max;            /* TEXT: characters; INT: value range */
  const char *const *azEnum;   /* DT_ENUM: NULL-terminated values */
  const dom_entity *pRef;      /* DT_REF / DT_REFLIST target */
  const char *zHelp;           /* one line, for the API reference */
} dom_field;

/* A unique key of several fields (a UNIQUE (a, b) constraint of the table):
 * checked before every write, so that a second record with the same values
 * is refused in guild's words, naming zField: "zField: zWhat (entity id)",
 * e.g. "person_id: this person is already entered in this category
 * (competitor 12)". A key with a null field never conflicts. */
typedef struct dom_unique {
  const char *azField[DOM_MAXKEY];   /* the fields, in the constraint's order; NULL after the last */
  const char *zField;                /* the field a refusal names */
  const char *zWhat;                 /* what is refused, said of the record being written */
  greason reason;                    /* the reason a refusal names (GR_NONE: duplicate_key) */
} dom_unique;

typedef enum { FILT_INT, FILT_TEXT, FILT_DATE, FILT_PREFIX, FILT_CONTAINS } dom_filt_kind;

/* FILT_CONTAINS: text found anywhere in a column, ignoring case. The value
 * (1 to DOM_CONTAINS_MAX characters) is lowered in C (text_lower), its '%',
 * '_' and '\' escaped with '\', wrapped in '%' and bound as one parameter,
 * which DOM_CONTAINS compares with the lowered column (LIKE; SQLite's lower()
 * is replaced by the same Unicode mapping in db_sqlite.c); ?1 may repeat. */
#define DOM_CONTAINS(zCol) "lower(" zCol ") LIKE ?1 ESCAPE '\\'"
#define DOM_CONTAINS_MAX 100

typedef struct dom_filter {
  const char *zName;    /* query parameter */
  dom_filt_kind kind;
  const dom_entity *pRef;   /* FILT_INT: the entity the id names (for help) */
  const char *zCond;    /* SQL condition; each '?' becomes the filter's parameter */
  const char *zHelp;
  const char *const *azEnum;  /* FILT_TEXT: the allowed values, when limited */
} dom_filter;

/* One value of a record. Strings live in the request's arena. */
typedef struct dom_val {
  unsigned char bSet;    /* given (input) or loaded (output) */
  unsigned char bNull;
  int64_t i;             /* INT, BOOL, TIME, REF */
  const char *z;         /* TEXT, DATE, ENUM, ISCO */
  int n;                 /* list length */
  const char **az;       /* STRLIST */
  int64_t *ai;           /* REFLIST */
} dom_val;

typedef struct dom_bulk dom_bulk;

typedef struct dom_rec {
  const dom_entity *pEnt;
  int64_t id, version, created_at, updated_at;
  dom_val a[DOM_MAXF];
  const dom_bulk *pBulk;   /* NULL, but set by a bulk writer on the records it writes (see dom_bulk) */
} dom_rec;

/* What a bulk writer (an importer) vouches for, on the records it gives
 * dom_check (dom_rec.pBulk), so that dom_check skips the queries whose
 * answer the writer already has:
 *  - mRefFound, bit k: DT_REF field k names a record the writer has just
 *    looked up (it is not looked up again);
 *  - mKey, bit k: field k is part of the record's key, and the writer stores
 *    new records with dom_insert_new, which refuses one whose key is
 *    already stored: unique checks of these fields (and of the entity's
 *    unique keys, dom_unique) are left to that insert.
 * Every other rule and check runs as usual. */
struct dom_bulk {
  const struct dom_entity *pEnt;
  uint32_t mRefFound;
  uint32_t mKey;
};

/* What every domain operation needs: the connection, an arena for results,
 * who is acting (recorded with consent and, later, in the audit log) and the
 * time of the request. */
typedef struct dom_ctx {
  db *pDb;
  arena *pAr;
  const char *zActor;
  int64_t now;
  int64_t idPerson;   /* the acting user's person, when they have one (judges enter marks as themselves) */
  const dom_actor *pActor;  /* whose access rules apply (never NULL on a checked call: see policy.h) */
} dom_ctx;

/* A context for guild itself acting (the CLI for the operator, the demo,
 * migrations): zWho is recorded as the actor (e.g. "cli:alice"). */
dom_ctx dom_ctx_system(db *pDb, arena *pAr, const char *zWho, int64_t now);
/* c for reading the actor's own records (their account, person and
 * enrollments: what "everything guild holds about me" gathers), whatever
 * their roles: guild reads them on the actor's behalf. Only for reads that
 * name the actor's own person or user. */
dom_ctx dom_ctx_own(const dom_ctx *c);

typedef struct dom_sql dom_sql;   /* generated SQL, private to entity.c */

/* The actions of the generic record operations, each with its access rule
 * on the entity (dom_entity.apRule) and, for the API, its route. */
typedef enum { DOM_LIST, DOM_READ, DOM_CREATE, DOM_UPDATE, DOM_DELETE, DOM__ACTIONS } dom_action;
extern const char *const dom_action_names[DOM__ACTIONS];   /* "list", "read", ... */

/* A reference field that places a record in its parent's scope: a new
 * record (or a change of this field) must name a parent in the actor's
 * scope, for the scope kinds in mKinds (bit k: scope_kind k; 0: every kind).
 * With bFill, a scoped actor who leaves it out gets their own (staff: their
 * institution). */
typedef struct dom_parent {
  const char *zField;
  unsigned mKinds;
  int bFill;
} dom_parent;

enum {
  DOM_EXPORT = 1,     /* its list is also offered as a file (GET .../export) */
};

struct dom_entity {
  const char *zName;      /* "person" */
  const char *zPlural;    /* "persons": table name and URL segment */
  const char *zHelp;
  const dom_field *aField;
  int nField;
  const dom_filter *aFilter;
  int nFilter;
  /* Cross-field rules and computed fields, inside the write transaction.
   * pOld is NULL on create. Returns 0 or -1 with e filled. */
  int (*xCheck)(dom_ctx *c, dom_rec *pNew, const dom_rec *pOld, gerr *e);
  dom_sql *pSql;          /* built by dom_init */
  /* Rules that can forbid deleting pOld (NULL: none beyond references). */
  int (*xCanDelete)(dom_ctx *c, const dom_rec *pOld, gerr *e);
  /* Unique keys of several fields (single fields say F_UNIQUE). */
  const dom_unique *aUnique;
  int nUnique;
  /* Access (policy.h): the rule of each action (NULL: the action is not
   * offered, and has no route), the list filter that confines a list to
   * each scope kind (NULL: a scoped role of that kind cannot list it), and
   * the parents that place a record in a scope. */
  const pol_rule *apRule[DOM__ACTIONS];
  const char *azScopeFilter[SCOPE__MAX];
  const dom_parent *aParent;
  int nParent;
  unsigned flags;                        /* DOM_EXPORT */
  const char *zTag;                      /* API reference group (NULL: zPlural) */
  const char *azSummary[DOM__ACTIONS];   /* route help, where the generic one does not say enough */
  /* The order of its lists (SQL, e.g. "date DESC, id DESC"; NULL: by id).
   * A list in this order pages by offset (next_after is never given); one
   * asked for after a cursor, and dom_each, go by id. */
  const char *zListOrder;
  /* The migration that writes reference rows into this entity's table (0:
   * none): dom_migrate records them in the audit log right after it ran
   * (audit_record_seeded), as SQL cannot. */
  int seededBy;
};

/* A list request: filter values by filter index, paging. */
typedef struct dom_query {
  unsigned mask;                     /* bit k: filter k is given */
  int64_t aInt[DOM_MAXFILT];
  const char *azText[DOM_MAXFILT];
  int64_t after;                     /* keyset cursor: ids greater than this */
  int64_t offset;
  int limit;
} dom_query;

typedef struct dom_page {
  dom_rec *aRec;
  int n;
  int64_t total;     /* rows matching the filters, ignoring paging */
  int64_t nextAfter; /* cursor for the next page, 0 when this is the last */
} dom_page;

/* Every entity of every module (engine/module.h), gathered by dom_init in
 * module order: for reference checks, the API and OpenAPI. */
#define DOM_MAXENT 64
extern const dom_entity *dom_entities[DOM_MAXENT];
extern int dom_nentities;
const dom_entity *dom_entity_find(const char *zName);
int dom_field_index(const dom_entity *pEnt, const char *zName); /* -1 if none */
/* 1 when the field is stored as an integer (INT, CENTI, BOOL, TIME, REF). */
int dom_is_integer(const dom_field *f);

/* Gathers the modules' entities, scopes, tables and migrations (handing
 * the schema to the store: schema_use) and builds every entity's SQL; call
 * once before threads start (again: no effect). */
void dom_init(void);
void dom_shutdown(void);
/* Applies the migrations p has not recorded (schema_migrate; *pnApplied:
 * how many), then records in the audit log the rows each one that ran
 * seeded (dom_entity.seededBy). Every command that migrates calls this,
 * never schema_migrate itself, but `guild copy`, which copies the log. */
int dom_migrate(db *p, int *pnApplied, gerr *e);

void dom_rec_init(dom_rec *r, const dom_entity *pEnt);

/* Access: dom_read, dom_list, dom_each, dom_create, dom_update and
 * dom_delete apply the entity's rule for their action to c->pActor (see
 * policy.h) before anything else: the caller never checks. dom_get and the
 * other functions below are unchecked, for the domain's own rules. */

/* Reads record id without an access check (the domain's own rules). */
int dom_get(dom_ctx *c, const dom_entity *pEnt, int64_t id, dom_rec *pOut, gerr *e);
/* Reads record id for the actor (rule apRule[DOM_READ]): 404, or 403. */
int dom_read(dom_ctx *c, const dom_entity *pEnt, int64_t id, dom_rec *pOut, gerr *e);
/* Lists records for the actor: a copy of q is confined to their scope
 * first (pol_confine_list: a 403 for a filter outside it). */
int dom_list(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, dom_page *pOut, gerr *e);
/* Called by dom_each for each record; r and its strings are valid only
 * during the call. Nonzero stops the walk (e filled by the callback). */
typedef int (*dom_row_fn)(void *pArg, const dom_rec *r, gerr *e);
#define DOM_EACH_BATCH 500
/* Calls xRow for every record matching q's filters, in id order, from
 * q->after on; q's limit and offset are ignored. Reads DOM_EACH_BATCH
 * records at a time (keyset paging, no count), each batch in a private
 * arena reset after it, so memory does not grow with the list. Each batch
 * is one statement: a walk of a list that changes meanwhile sees every
 * record as it was when its batch was read. Returns 0, or -1 with e. */
int dom_each(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, dom_row_fn xRow, void *pArg, gerr *e);
/* Sets filter zName of pEnt to the text zValue in q, checked as the list
 * routes check query parameters (ids from 1, dates, allowed values, name
 * prefixes; prefix keys go to a). 0, or -1 with e (422) naming zName,
 * also when pEnt has no such filter. */
int dom_query_set(dom_query *q, const dom_entity *pEnt, const char *zName, const char *zValue, arena *a, gerr *e);
/* The index of pEnt's filter zName, or -1. */
int dom_filter_index(const dom_entity *pEnt, const char *zName);

/* Creates from the fields set in pIn; fills pOut with the stored record. */
int dom_create(dom_ctx *c, const dom_entity *pEnt, const dom_rec *pIn, dom_rec *pOut, gerr *e);
/* Applies the fields set in pPatch to record id if its version is still
 * ifVersion (else GERR_STALE). Fills pOut with the stored record. */
int dom_update(dom_ctx *c, const dom_entity *pEnt, int64_t id, int64_t ifVersion,
               const dom_rec *pPatch, dom_rec *pOut, gerr *e);
/* Deletes record id (if ifVersion >= 0, only at that version); refuses with
 * GERR_CONFLICT naming what still refers to it. */
int dom_delete(dom_ctx *c, const dom_entity *pEnt, int64_t id, int64_t ifVersion, gerr *e);
/* Writes a full record over the stored one (if still at ifVersion) after a
 * domain action changed it, such as withdrawal. The caller owns the
 * transaction and its audit entry; the row's new state is noted for that
 * entry (audit_note_row), as by every writer below: the entry that ends
 * the transaction vouches for the rows they wrote (audit.h). */
int dom_store(dom_ctx *c, dom_rec *r, int64_t ifVersion, gerr *e);

/* dom_store that also rewrites the list fields set in r (e.g. a cohort's
 * trainers after dom_check), for importers. */
int dom_store_lists(dom_ctx *c, dom_rec *r, int64_t ifVersion, gerr *e);

/* Checks pIn as dom_create (pOld NULL) or dom_update (pOld: the stored
 * record) does, without writing anything: immutable fields, every given
 * value, the required ones on create, the entity's rules and unique values.
 * On success *pOut is the record to write (pOld with pIn's fields over it,
 * values normalised, computed fields set), ready for dom_insert_raw or
 * dom_store. The rules may read: call inside the caller's transaction.
 * Importers use it to apply the API's rules without one audit entry per row.
 * Strings go to c's arena. */
int dom_check(dom_ctx *c, const dom_entity *pEnt, const dom_rec *pIn, const dom_rec *pOld, dom_rec *pOut, gerr *e);
/* 1 when a and b (records of the same entity) hold the same value in every
 * stored column (id, version and times are not compared). */
int dom_same(const dom_rec *a, const dom_rec *b);

/* Inserts r's columns and list fields as they are, with no validation, no
 * rules and no read-back; sets r->id, version and times, and notes the row
 * for the audit log. For generators and importers that have already
 * checked every value (and own the transaction). */
int dom_insert_raw(dom_ctx *c, dom_rec *r, gerr *e);

/* Deletes stored record pOld when the entity's rules and references allow
 * (GERR_CONFLICT naming what still refers to it, as dom_delete), with no
 * transaction and no audit entry (the deletion is noted for the entry that
 * ends the transaction): for importers that own both. */
int dom_delete_raw(dom_ctx *c, const dom_rec *pOld, gerr *e);
/* Inserts r (checked by dom_check) unless a stored record has the same
 * value in one of its unique columns (ON CONFLICT DO NOTHING): no read-back
 * and, on SQLite, no RETURNING (it costs a statement journal per row); a
 * row written is noted for the audit log. Returns 1 with r->id (version,
 * times) set, 0 when nothing was written (a conflict), -1
 * with e filled. For importers, which own the transaction; entities with
 * list fields are not supported (panics). */
int dom_insert_new(dom_ctx *c, dom_rec *r, gerr *e);

#define DOM_BATCH 256   /* records dom_insert_many writes with one statement */

/* Inserts the n records a[0..n-1] (checked by dom_check, of one entity
 * without list fields) as dom_insert_new does, but DOM_BATCH of them (n ==
 * DOM_BATCH; fewer go one by one) with one multi-row statement: on
 * PostgreSQL (where every statement is a round trip to the server) it
 * returns the id and the key (mKey: the fields that tell the records apart,
 * as in dom_bulk) of each record written; on SQLite (where a statement
 * costs cursors on the table and each index) the ids follow from *pIdMax,
 * the largest id in the table, which the caller keeps from the start of
 * its transaction (SELECT max(id)) and this advances. Sets abNew[i] to 1
 * and a[i].id for each record written, abNew[i] to 0 for each that met a
 * stored key; notes the rows written for the audit log (runs of
 * consecutive ids: one note per statement). Returns how many were written,
 * or -1 with e filled. */
int dom_insert_many(dom_ctx *c, dom_rec *a, int n, uint32_t mKey, unsigned char *abNew, int64_t *pIdMax, gerr *e);

/* The id of the stored record with r's key (the fields of mKey, as in
 * dom_bulk): 1 found (*pId), 0 not, -1 with e filled. */
int dom_find_by_key(dom_ctx *c, const dom_rec *r, uint32_t mKey, int64_t *pId, gerr *e);
/* The largest id in pEnt's table (0 when empty) into *pId: 0 or -1. */
int dom_max_id(dom_ctx *c, const dom_entity *pEnt, int64_t *pId, gerr *e);


/* Helpers for entity rules. */
int dom_exists(dom_ctx *c, const dom_entity *pEnt, int64_t id, gerr *e); /* 1, 0, -1 */
const dom_val *dom_v(const dom_rec *r, const char *zField);  /* panics on unknown */
dom_val *dom_vm(dom_rec *r, const char *zField);
void dom_set_text(dom_rec *r, const char *zField, const char *z);  /* NULL sets null */
void dom_set_int(dom_rec *r, const char *zField, int64_t v);

/* ISCO-08 (isco.c). */
int isco_is_unit_group(const char *zCode);
const char *isco_title(const char *zCode);   /* NULL if unknown */
typedef struct isco_entry { const char *zCode; int level; const char *zTitle; const char *zParent; } isco_entry;
extern const isco_entry isco_table[];
extern const int isco_count;

#endif
