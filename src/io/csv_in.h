/* csv_in.h: reading a whole CSV file (RFC 4180, through libcsv's strict
 * streaming parser) into an arena, for importers that check every row
 * before writing any. */
#ifndef GUILD_CSV_IN_H
#define GUILD_CSV_IN_H
#include <stddef.h>
#include "../core/err.h"
#include "../core/mem.h"

#define CSV_IN_MAX_BYTES ((size_t)256 << 20)   /* files larger than this are refused */

typedef struct csv_table {
  int nRow;                  /* records, the header included (row 1) */
  int *anField;              /* fields in each record */
  const char ***aazField;    /* aazField[row][field], NUL-terminated, in the arena */
} csv_table;

/* Reads zPath ("-": standard input) into p (allocated in a). A UTF-8 byte
 * order mark is skipped; blank lines are ignored. Refuses (GERR_VALIDATION,
 * naming the row) malformed quoting, NUL bytes and records of more than
 * nFieldMax fields; GERR_NOT_FOUND when the file cannot be opened. */
int csv_read_file(arena *a, const char *zPath, int nFieldMax, csv_table *p, gerr *e);

#endif
