/* csv_out.h: writing CSV (RFC 4180, "\n" line ends) into a capped buffer,
 * one field at a time. A field is quoted (by libcsv's csv_write) only when
 * it holds a comma, a double quote or a line break, or begins or ends with
 * a space or a tab (which a reader, libcsv's among them, would otherwise
 * trim: csv_in.h reads back what was written). Each function appends
 * the field and then a comma, or the line end when bEnd; it returns 0, or
 * -1 when the buffer's maximum would be passed. */
#ifndef GUILD_CSV_OUT_H
#define GUILD_CSV_OUT_H
#include <stdint.h>
#include "core/buf.h"

int csv_out_text(gbuf *b, const char *z, int bEnd);   /* NULL: an empty field */
int csv_out_int(gbuf *b, int64_t v, int bEnd);
/* v with nDecimal decimals; NaN gives an empty field. */
int csv_out_num(gbuf *b, double v, int nDecimal, int bEnd);

#endif
