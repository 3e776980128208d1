/* csv_in.h: reading a whole CSV file (RFC 4180, through libcsv's streaming
 * parser) into an arena, for importers that check every row before writing
 * any. As spreadsheets and csv-spectrum expect, a double quote inside an
 * unquoted field, or after a closing quote, is kept as text (libcsv without
 * CSV_STRICT); a quoted field still open at the end of the file is refused
 * (CSV_STRICT_FINI). */
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
  int iBadRow;               /* when refused: the row (1-based) of the problem */
  char zSha256[65];          /* SHA-256 (hex) of every byte read, the BOM included */
} csv_table;

/* Reads zPath ("-": standard input) into p (allocated in a). A UTF-8 byte
 * order mark is skipped; blank lines are ignored. Refuses (GERR_VALIDATION,
 * naming the row) a quote never closed, NUL bytes and records of more than
 * nFieldMax fields (p->iBadRow names the row); GERR_NOT_FOUND when the
 * file cannot be opened. p->zSha256 is the digest of the file's bytes. */
int csv_read_file(arena *a, const char *zPath, int nFieldMax, csv_table *p, gerr *e);

#endif
