/* module.h: how a module of the domain declares itself, once. A module is a
 * folder of src/domain/ (registry, accounts, competition, imports, ...); its
 * descriptor (one dom_module, in <folder>/module.c) lists its entities,
 * its access rules, its scope queries, its tables in copy order and its
 * migrations. Everything that has to know every entity, rule or table
 * (the route table and the OpenAPI document, access checks, `guild copy`,
 * `guild migrate`) walks dom_modules instead of keeping a list of its own. */
#ifndef GUILD_MODULE_H
#define GUILD_MODULE_H
#include "domain/engine/entity.h"
#include "domain/engine/policy.h"
#include "store/schema.h"

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
} dom_module;

/* Every module, in dependency order (modules.c). */
extern const dom_module *const dom_modules[];
extern const int dom_nmodules;

/* The scope query named zName (pol_scope.zName) in any module, or NULL. */
const pol_scope *dom_scope_find(const char *zName);

#endif
