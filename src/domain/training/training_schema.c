/* training_schema.c: the migrations of the training module (see
 * src/store/schema.h for the rules: one DDL text per engine, versions
 * unique across modules, a released migration never edited). Version 8:
 * sessions and attendance; version 9: assessment and awards (its DDL in
 * assessment_schema.c). */
#include "store/schema.h"

extern const char asmt_zSchemaSqlite[], asmt_zSchemaPostgres[];

const schema_migration training_migrations[] = {
    {9, "assessment of units of competency, evidence, appeals, skill and program awards",
     {asmt_zSchemaSqlite, asmt_zSchemaPostgres}},
    {0, NULL, {NULL, NULL}},   /* the end */
};
