/* module.c: the accounts module's descriptor: users and their role grants
 * (entities), sessions, API tokens and sign-in throttling (tables of its
 * own), their migration (accounts_schema.c, which also made the audit log's
 * tables: see engine/module.c). Accounts are the region administrator's. */
#include "domain/accounts/auth.h"
#include "domain/engine/module.h"

extern dom_entity dom_user, dom_grant;
extern const schema_migration accounts_migrations[];

static const dom_entity *const apEntity[] = {&dom_user, &dom_grant};

static const schema_table aTable[] = {
    {"users", "id", 1}, {"grants", "id", 1}, {"sessions", "id", 1}, {"api_tokens", "id", 1}, {"login_throttle", "key", 0},
};

const dom_module mod_accounts = {
    "accounts", "users, role grants, sessions and API tokens", apEntity, sizeof apEntity / sizeof apEntity[0], NULL, 0,
    NULL, 0, aTable, sizeof aTable / sizeof aTable[0], accounts_migrations, NULL, 0, NULL, 0,
};
