/* schema.h: versioned migrations of the database schema. */
#ifndef GUILD_SCHEMA_H
#define GUILD_SCHEMA_H
#include "store/db.h"

/* The newest schema version this binary knows. */
int schema_latest(void);
/* Reads the database's schema version into *pVersion (0 when empty).
 * Refuses (GERR_USAGE) a database newer than this binary. */
int schema_version(db *p, int *pVersion, gerr *e);
/* Applies every pending migration, each in its own transaction, and sets
 * *pnApplied to how many ran. */
int schema_migrate(db *p, int *pnApplied, gerr *e);
/* Succeeds only when the database is exactly at schema_latest(); otherwise
 * says to run `guild migrate` (or to upgrade guild). */
int schema_require_current(db *p, gerr *e);

#endif
