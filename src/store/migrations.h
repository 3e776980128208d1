/* migrations.h: the table of schema migrations (private to src/store). */
#ifndef GUILD_MIGRATIONS_H
#define GUILD_MIGRATIONS_H
#include "store/db.h"

typedef struct migration {
  int version;
  const char *zName;
  const char *azSql[DB__ENGINES];  /* DDL per engine */
} migration;

extern const migration migrations[];
extern const int nmigrations;

#endif
