/* entity_int.h: the generated SQL of an entity, shared by entity_sql.c (which
 * builds it: at start-up, and the list texts on first use) and entity.c
 * (which runs it). Private to src/domain. */
#ifndef GUILD_ENTITY_INT_H
#define GUILD_ENTITY_INT_H
#include <stdatomic.h>
#include "domain/engine/entity.h"

/* SQL for "the ids of area ? and every area within it", for filters. */
#define DOM_AREA_SUBTREE                                                          \
  "(WITH RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT a.id " \
  "FROM areas a JOIN sub ON a.parent_id = sub.id) SELECT id FROM sub)"

typedef struct dom_refby {
  const dom_entity *pEnt;     /* the entity that refers */
  const dom_field *pField;    /* through this field */
  char *zCount;               /* SELECT count(*) ... WHERE field = $1 */
} dom_refby;

struct dom_sql {
  char *zCols;                /* id, version, created_at, updated_at, columns... */
  int aCol[DOM_MAXF];         /* result column of field k, -1 if not a column */
  char *zGet, *zInsert, *zUpdate, *zDelete, *zExists;
  char *zMaxId;               /* SELECT coalesce(max(id), 0) FROM t */
  char *zInsertNew, *zInsertNewId;  /* ... ON CONFLICT DO NOTHING, without and with RETURNING id */
  char *azUnique[DOM_MAXF];   /* SELECT id FROM t WHERE col = $1 */
  char *azKey[DOM_MAXUNIQUE]; /* SELECT id FROM t WHERE a = $1 AND b = $2 ... (dom_entity.aUnique) */
  int aaKeyField[DOM_MAXUNIQUE][DOM_MAXKEY];   /* the field index of each, -1 after the last */
  char *azChildGet[DOM_MAXF]; /* list fields: SELECT value ... ORDER BY pos */
  char *azChildDel[DOM_MAXF];
  char *azChildIns[DOM_MAXF];
  /* by filter mask: NULL until dom_list_sql builds it (read through it) */
  _Atomic(char *) *azList;
  _Atomic(char *) *azCount;
  _Atomic(char *) *azOrdered;   /* the lists in the entity's zListOrder */
  dom_refby aRefBy[32];
  int nRefBy;
};

/* Fills dom_entities and hands the schema to the store (module_gather.c). */
void dom_modules_gather(void);
/* Runs every module's hook on r's entity (dom_hook) after r was stored:
 * 0, or -1 with e from the first that fails (module_gather.c). */
int dom_run_hooks(dom_ctx *c, const dom_rec *r, gerr *e);
/* The list (DOM_SQL_LIST: $1 after, the filters, limit, offset; by id),
 * the same in the entity's zListOrder (DOM_SQL_ORDERED) or the count
 * (DOM_SQL_COUNT: the filters) SQL of pEnt for the filters in mask, built
 * on first use. Safe from any thread; the text lives until dom_shutdown. */
enum { DOM_SQL_LIST, DOM_SQL_COUNT, DOM_SQL_ORDERED };
const char *dom_list_sql(const dom_entity *pEnt, unsigned mask, int kind);

int dom_is_column(const dom_field *f);
int dom_is_list(const dom_field *f);
/* Binds every column of r to s, numbering from *piParam on. Text is bound
 * without a copy: r's strings must outlive the statement's run (db_done). */
void dom_bind_columns(db_stmt *s, const dom_rec *r, int *piParam);
/* The bulk writer's promises about r (NULL: none; see dom_bulk). */
const dom_bulk *dom_bulk_of(const dom_rec *r);

/* Checks one given value of field f against its declaration (type, range,
 * length, enum, references). Trims text in place (arena copy). */
int dom_check_value(dom_ctx *c, const dom_field *f, dom_val *v, gerr *e);

#endif
