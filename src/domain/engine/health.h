/* health.h: what a health check asks of the domain: that the database
 * answers, and at which schema version. */
#ifndef GUILD_HEALTH_H
#define GUILD_HEALTH_H
#include "domain/engine/entity.h"

/* The schema version of c's database into *pVersion: 0, or -1 with e when
 * the database does not answer. */
int dom_schema_version(dom_ctx *c, int *pVersion, gerr *e);

#endif
