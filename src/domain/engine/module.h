/* module.h: how a module of the domain declares itself, once. A module is a
 * folder of src/domain/ (registry, accounts, competition, imports, ...); its
 * descriptor (one dom_module, in <folder>/module.c) lists its entities,
 * its access rules, its scope queries, its tables in copy order and its
 * migrations. Everything that has to know every entity, rule or table
 * (the route table and the OpenAPI document, access checks, `guild copy`,
 * `guild migrate`, a person's own export) walks dom_modules instead of
 * keeping a list of its own. */
#ifndef GUILD_MODULE_H
#define GUILD_MODULE_H
#include "domain/engine/entity.h"
#include "domain/engine/policy.h"
#include "io/json/doc_out.h"
#include "store/schema.h"

/* A module's reaction to another module's records: after every stored
 * change of a record of pEnt (dom_update, dom_store and dom_store_lists:
 * the API, the importers, domain actions such as erasure), inside the same
 * transaction, xUpdated sees the record as written and may write what
 * follows from it (the training module makes a program award when an
 * enrollment is completed, and erases evidence with its person). Returns
 * 0, or -1 with e filled: the change fails with it. Hooks run on every
 * change, so they return at once when the change is none of theirs. */
typedef struct dom_hook {
  const dom_entity *pEnt;
  int (*xUpdated)(dom_ctx *c, const dom_rec *r, gerr *e);
} dom_hook;

/* A section of a person's own export (GET /api/v1/me/export): under the
 * key zKey, every record of pEnt whose filter zFilter (NULL: "person") is
 * the person's id, read in the person's own name (dom_ctx_own), so the
 * entity's access rules keep anyone else's records out. xMore (NULL:
 * none) may add members to each record's object, open in d (what the
 * person knows it by: an enrollment's cohort and program); 0 or -1 with e.
 * A person's export holds every module's sections, in module order. */
typedef struct dom_own_section {
  const char *zKey;
  const dom_entity *pEnt;
  const char *zFilter;
  int (*xMore)(dom_ctx *c, const dom_rec *r, doc_out *d, gerr *e);
} dom_own_section;

typedef struct dom_module {
  const char *zName;                    /* "registry": the folder's name */
  const char *zHelp;
  const dom_entity *const *apEntity;    /* parents before children */
  int nEntity;
  const pol_rule *const *apRule;        /* the rules it declares (for the reference and the checks) */
  int nRule;
  const pol_scope *aScope;              /* its scope queries, by record kind */
  int nScope;
  const schema_table *aTable;           /* every table it owns, parents before children (guild copy) */
  int nTable;
  const schema_migration *aMigration;   /* its migrations, ending with {0}; versions unique across modules */
  const dom_hook *aHook;                /* its reactions to other modules' records (NULL: none) */
  int nHook;
  const dom_own_section *aOwn;          /* what a person's own export holds of it (NULL: nothing) */
  int nOwn;
} dom_module;

/* Every module, in dependency order (modules.c). */
extern const dom_module *const dom_modules[];
extern const int dom_nmodules;

/* The scope query named zName (pol_scope.zName) in any module, or NULL. */
const pol_scope *dom_scope_find(const char *zName);

#endif
