/* module.c: the engine's own descriptor: the rules every module may use
 * (public, signed_in, admin) and the audit log's tables, which its records'
 * writes append to (audit_log and audit_head were made by the accounts
 * migration, version 2; the runs of bulk writes and the signed checkpoints
 * by the engine's own, version 11, audit_schema.c), copied last. */
#include "domain/engine/module.h"

#define ALL POL_ALL
#define NO POL_NO

/*                            name        public any  admin staff trainer judge learner */
const pol_rule pol_public = {"public", 1, 1, {ALL, ALL, ALL, ALL, ALL}, NULL, NULL, 0, "anyone, without signing in"};
const pol_rule pol_signed_in = {"signed_in", 0, 1, {ALL, ALL, ALL, ALL, ALL}, NULL, NULL, 0, "any signed-in user"};
const pol_rule pol_admin = {"admin", 0, 0, {ALL, NO, NO, NO, NO}, NULL, NULL, 0, "region administrators"};

static const pol_rule *const apRule[] = {&pol_public, &pol_signed_in, &pol_admin};

static const schema_table aTable[] = {
    {"audit_log", "id", 0}, {"audit_head", "id", 0}, {"audit_runs", "batch, pos", 0}, {"audit_checkpoints", "seq", 0}};
extern const schema_migration engine_migrations[];

const dom_module mod_engine = {
    "engine", "the entity engine, access rules and the audit log", NULL, 0, apRule, sizeof apRule / sizeof apRule[0],
    NULL, 0, aTable, sizeof aTable / sizeof aTable[0], engine_migrations, NULL, 0, NULL, 0,
};
