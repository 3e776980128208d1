/* csv_in.h: reading a whole CSV file (RFC 4180, through libcsv's streaming
 * parser) into an arena, for importers that check every row before writing
 * any. As spreadsheets and csv-spectrum expect, a double quote inside an
 * unquoted field, or after a closing quote, is kept as text (libcsv without
 * CSV_STRICT); a quoted field still open at the end of the file is refused
 * (CSV_STRICT_FINI). */
#ifndef GUILD_CSV_IN_H
#define GUILD_CSV_IN_H
#include <stddef.h>
#include "core/err.h"
#include "core/mem.h"

#define CSV_IN_MAX_BYTES ((size_t)256 << 20)   /* files larger than this are refused */

typedef struct csv_table {
  int nRow;                  /* records, the header included (row 1) */
  int *anField;              /* fields in each record */
  const char ***aazField;    /* aazField[row][field], NUL-terminated, in the arena */
  int iBadRow;               /* when refused: the row (1-based) of the problem */
  char zSha256[65];          /* SHA-256 (hex) of every byte read, the BOM included */
  long long nRead;           /* bytes read so far (csv_read_each) */
  long long nSize;           /* the file's size, or -1 when not known (a pipe) */
  int bStopped;              /* csv_read_each: the row callback asked to stop */
  /* When refused because the bytes are not what was asked for: the
   * encoding they look like ("UTF-16LE", ...; a static string), else NULL. */
  const char *zLooksLike;
} csv_table;

/* How to read a file's bytes: zEncoding NULL (or "UTF-8") reads UTF-8 and
 * refuses a UTF-16 or UTF-32 file (by its byte-order mark or the pattern of
 * its NUL bytes), naming the encoding in p->zLooksLike; any other name
 * (as iconv knows it: "UTF-16", "WINDOWS-1252", "GB18030", ...) converts
 * the bytes to UTF-8 with iconv before they are parsed (a byte that is not
 * of that encoding refuses the file, naming its row). The digest is of
 * the file's own bytes either way. */
typedef struct csv_opts {
  const char *zEncoding;
} csv_opts;

/* 0 when iconv can convert zEncoding to UTF-8 (or it is NULL), else -1
 * with e (GERR_USAGE, field "encoding"). */
int csv_check_encoding(const char *zEncoding, gerr *e);

/* What a cell that is not UTF-8 most likely is: "GB18030" when its bytes
 * read as GB18030 and hold Chinese characters, "WINDOWS-1252" when each of
 * its bytes is a Windows-1252 character, else NULL. A static string. */
const char *csv_guess_encoding(const char *z);

/* Called by csv_read_each for each record, in order: iRow is 1-based (the
 * header is row 1); azField[0..nField-1] are valid only during the call.
 * A nonzero return stops the read. */
typedef int (*csv_row_fn)(void *pArg, int iRow, int nField, const char **azField);

/* Reads zPath ("-": standard input) into p (allocated in a). A UTF-8 byte
 * order mark is skipped; blank lines are ignored. Refuses (GERR_VALIDATION,
 * naming the row) a quote never closed (the row where it opened), NUL
 * bytes, a UTF-16 or UTF-32 file and records of more than nFieldMax fields
 * (p->iBadRow names the row); GERR_NOT_FOUND when the file cannot be
 * opened. p->zSha256 is the digest of the file's bytes. */
int csv_read_file(arena *a, const char *zPath, int nFieldMax, csv_table *p, gerr *e);
/* csv_read_file reading the bytes as o says (o NULL: UTF-8). */
int csv_read_file_opts(arena *a, const char *zPath, const csv_opts *o, int nFieldMax, csv_table *p, gerr *e);

/* The same reading and checks, streamed: each record goes to xRow as soon as
 * it is parsed and is then forgotten, so memory does not grow with the file
 * (and there is no size limit). p gets nRow, iBadRow, zSha256 (of the bytes
 * read), nRead and nSize; anField and aazField stay NULL. Returns 0, or -1:
 * p->bStopped when xRow returned nonzero (e untouched), otherwise e says
 * why as for csv_read_file. A record refused (too many fields, a NUL byte)
 * is not passed to xRow. The file is read, hashed and parsed on a thread of
 * its own (csv_stream.c) while xRow, on the caller's thread, handles the
 * rows parsed before: an import's checks and writes overlap its parsing. */
int csv_read_each(const char *zPath, const csv_opts *o, int nFieldMax, csv_row_fn xRow, void *pArg, csv_table *p,
                  gerr *e);

/* csv_read_each on the caller's thread alone. */
int csv_read_rows(const char *zPath, const csv_opts *o, int nFieldMax, csv_row_fn xRow, void *pArg, csv_table *p,
                  gerr *e);

#endif
