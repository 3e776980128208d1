/* module.c: the training module's descriptor: its entities in dependency
 * order, who may do what with them, the queries that say whose records are
 * whose, its tables in copy order and its migrations (training_schema.c). */
#include "domain/training/training.h"

extern const schema_migration training_migrations[];

const dom_module mod_training = {
    "training",
    "trainer work: training sessions, attendance, assessment of units of competency, skill awards",
    NULL, 0,   /* entities */
    NULL, 0,   /* rules */
    NULL, 0,   /* scope queries */
    NULL, 0,   /* tables */
    training_migrations,
};
