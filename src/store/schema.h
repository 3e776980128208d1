/* schema.h: versioned migrations of the database schema, and the tables
 * `guild copy` moves. The store knows no table itself: the domain's modules
 * declare their migrations and tables (src/domain/engine/module.h) and the
 * domain hands the whole set to the store once (schema_use, from dom_init). */
#ifndef GUILD_SCHEMA_H
#define GUILD_SCHEMA_H
#include "store/db.h"

/* One migration: its version (unique across modules, never reused), a
 * name, and its DDL per engine (the only SQL that differs between engines).
 * A released migration is never edited: add a new one. */
typedef struct schema_migration {
  int version;
  const char *zName;
  const char *azSql[DB__ENGINES];
} schema_migration;

/* One table as `guild copy` moves it: the ORDER BY that makes its checksum
 * stable and its inserts valid (parents first, e.g. areas above the areas
 * within them), and whether it has an identity id to advance on
 * PostgreSQL. */
typedef struct schema_table {
  const char *zTable;
  const char *zOrder;
  int bIdentity;
} schema_table;

/* The whole schema: migrations in version order, tables in copy order
 * (parents before children). */
typedef struct schema_def {
  const schema_migration *const *apMigration;
  int nMigration;
  const schema_table *const *apTable;
  int nTable;
} schema_def;

/* Makes p (kept by the caller for the life of the process) the schema of
 * every function below and of copy_database. Call before threads start. */
void schema_use(const schema_def *p);
/* The schema given to schema_use (panics when none was). */
const schema_def *schema_current(void);

/* The newest schema version this binary knows. */
int schema_latest(void);
/* Reads the database's schema version into *pVersion (0 when empty).
 * Refuses (GERR_USAGE) a database newer than this binary. */
int schema_version(db *p, int *pVersion, gerr *e);
/* Applies every migration the database has not recorded, in version
 * order, each in its own transaction (also one numbered below the newest
 * applied: modules developed side by side may land out of order), and sets
 * *pnApplied to how many ran. */
int schema_migrate(db *p, int *pnApplied, gerr *e);
/* *pbApplied: 1 when the database has recorded migration version (0 also
 * for a database guild has not initialised). */
int schema_applied(db *p, int version, int *pbApplied, gerr *e);
/* Succeeds only when the database has every migration of schema_latest();
 * otherwise says to run `guild migrate` (or to upgrade guild). */
int schema_require_current(db *p, gerr *e);

#endif
