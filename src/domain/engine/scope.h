/* scope.h: whose records are whose, for access control: the institution a
 * record belongs to, the cohorts a trainer trains, a learner's own records.
 * The decisions are made in src/http/authz.c; the SQL that answers "does
 * record X lie in scope Y" lives here, beside the tables it reads. */
#ifndef GUILD_SCOPE_H
#define GUILD_SCOPE_H
#include "domain/accounts/auth.h"

typedef enum { SCOPE_INSTITUTION, SCOPE_TRAINER, SCOPE_SELF, SCOPE_JUDGE, SCOPE__MAX } scope_kind;

/* 1 when record id of zEntity lies in the scope (institution id, or the
 * trainer's / learner's person id), 0 when not (or the entity has no such
 * scope), -1 on a database error. */
int scope_contains(dom_ctx *c, const char *zEntity, int64_t id, scope_kind kind, int64_t value, gerr *e);

/* 1 when record id of zEntity lies in no institution's scope, so staff of
 * any institution may take it in (a person no institution registered and
 * none has enrolled); 0 when it does (or the entity has no such rule), -1 on
 * a database error. */
int scope_open(dom_ctx *c, const char *zEntity, int64_t id, gerr *e);

#endif
