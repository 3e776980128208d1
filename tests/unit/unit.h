/* unit.h: what every cmocka unit test includes: cmocka itself and helpers
 * for a fresh, migrated SQLite database in a temporary directory. */
#ifndef GUILD_UNIT_H
#define GUILD_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "core/err.h"
#include "core/mem.h"
#include "store/db.h"
#include "store/schema.h"
#include "domain/entity.h"

/* Creates a migrated database in a new temporary directory; the path is
 * written to zPath (at least 256 bytes). Fails the test on error. */
static inline db *unit_db(char *zPath) {
  char zDir[] = "/tmp/guild-unit-XXXXXX";
  assert_non_null(mkdtemp(zDir));
  snprintf(zPath, 256, "%s/t.db", zDir);
  db *p = NULL;
  gerr e;
  int n = 0;
  if (db_open(zPath, 1, &p, &e) || schema_migrate(p, &n, &e)) fail_msg("unit_db: %s", e.msg);
  return p;
}

/* Closes the database and removes its files and directory. */
static inline void unit_db_drop(db *p, const char *zPath) {
  char z[300];
  db_close(p);
  unlink(zPath);
  snprintf(z, sizeof z, "%s-wal", zPath);
  unlink(z);
  snprintf(z, sizeof z, "%s-shm", zPath);
  unlink(z);
  snprintf(z, sizeof z, "%s", zPath);
  char *zSlash = strrchr(z, '/');
  if (zSlash) *zSlash = 0;
  rmdir(z);
}

#endif
