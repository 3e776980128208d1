/* health.c: the domain's side of a health check (see health.h). */
#include "domain/engine/health.h"
#include "store/schema.h"

int dom_schema_version(dom_ctx *c, int *pVersion, gerr *e) { return schema_version(c->pDb, pVersion, e); }
