/* copy.h: moving a whole guild database between engines (SQLite and
 * PostgreSQL, either direction). */
#ifndef GUILD_COPY_H
#define GUILD_COPY_H
#include "store/db.h"

typedef struct copy_table_report {
  const char *zTable;
  int64_t nRows;
  char zChecksum[65];   /* SHA-256 over every row, in key order, engine-independent */
} copy_table_report;

#define COPY_MAXTABLE 64

typedef struct copy_report {
  copy_table_report a[COPY_MAXTABLE];
  int n;
} copy_report;

/* Copies every table of pFrom into pTo in one transaction on pTo, then
 * verifies row counts and per-table checksums on both sides. pTo is
 * migrated to the same schema first; a target holding data is refused
 * unless bReplace (which empties it first, in the same transaction). */
int copy_database(db *pFrom, db *pTo, int bReplace, copy_report *pOut, gerr *e);

#endif
