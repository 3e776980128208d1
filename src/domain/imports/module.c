/* module.c: the imports module's descriptor: background imports and their
 * error reports (tables of its own, no entity of the API's generic kind),
 * who may import, and its migrations (imports_schema.c). The importers
 * write the registry's records through the registry's rules. */
#include "domain/engine/module.h"

extern const schema_migration imports_migrations[];

#define ALL POL_ALL
#define SCO POL_SCOPED
#define NO POL_NO

const pol_rule imp_rule_import = {"import", 0, 0, {ALL, SCO, NO, NO, NO}, NULL, NULL, 0,
                                  "region administrators; staff (into their own institution, and its imports)"};

static const pol_rule *const apRule[] = {&imp_rule_import};

static const schema_table aTable[] = {{"imports", "id", 1}, {"import_errors", "import_id, pos", 0}};

const dom_module mod_imports = {
    "imports", "imports and exports of files: CSV, OneRoster, XLSX", NULL, 0, apRule, sizeof apRule / sizeof apRule[0],
    NULL, 0, aTable, sizeof aTable / sizeof aTable[0], imports_migrations, NULL, 0, NULL, 0,
};
