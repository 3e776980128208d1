/* db_error.c: how both backends word a constraint the engine refused. The
 * engine's own text (which names its constraints and may quote values) is
 * logged, never put in the message a user sees: the domain checks every
 * unique key before writing and says so in guild's words, so the engine
 * refuses one only when another request wrote the same key at the same
 * moment (or when guild has a bug), and then the message names the table
 * and its columns as the schema does (the domain rewords it in the terms
 * of the entity's key: entity.c). The engine's primary message is logged;
 * its detail, which quotes the values, is not. */
#include "store/db_int.h"
#include "core/log.h"
#include <stdio.h>
#include <string.h>

/* 1 when z (n bytes) is a column list as guild's schema writes them:
 * lower-case names, digits and '_', joined by ", ". */
static int is_column_list(const char *z, size_t n) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((z[i] >= 'a' && z[i] <= 'z') || (z[i] >= '0' && z[i] <= '9') || z[i] == '_' || z[i] == ',' || z[i] == ' '))
      return 0;
  return 1;
}

int db_constraint_error(gerr *e, db_constraint kind, const char *zTable, const char *zCols, size_t nCols,
                        const char *zEngine) {
  if (kind == DBC_FOREIGN_KEY)   /* the engine's text says no more than this */
    return gerr_setr(e, GERR_CONFLICT, GR_REF_BROKEN, NULL);
  if (kind != DBC_UNIQUE) {   /* the domain checks these first: a bug of guild's */
    log_error("database: %s", zEngine ? zEngine : "a constraint was violated");
    return gerr_setr(e, GERR_CONFLICT, GR_DB_RULE, NULL);
  }
  log_info("database: %s", zEngine ? zEngine : "a unique key was violated");   /* two writers at once */
  if (!zTable || !zTable[0] || !zCols || !is_column_list(zCols, nCols)) {
    gerr_setr(e, GERR_CONFLICT, GR_DUPLICATE_RACE, NULL);
    snprintf(e->msg, sizeof e->msg, "the record has the same key as one already stored; reload and try again");
    return -1;
  }
  const char *zLast = zCols;   /* the field named: the key's last column */
  for (size_t i = 0; i + 1 < nCols; i++)
    if (zCols[i] == ',' && zCols[i + 1] == ' ') zLast = zCols + i + 2;
  char zField[64];
  snprintf(zField, sizeof zField, "%.*s", (int)(zCols + nCols - zLast), zLast);
  gerr_setr(e, GERR_CONFLICT, GR_DUPLICATE_RACE, zField, GP_S("entity", zTable));
  snprintf(e->msg, sizeof e->msg, "%s: another %.60s record has the same %.*s; reload and try again", zField, zTable, (int)nCols, zCols);
  return -1;
}
