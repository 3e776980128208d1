/* import_text.h: text helpers the importers share for their error reports:
 * what a report may quote of a file (escaped, cut to a readable length),
 * and recognising a header repeated among the data rows. */
#ifndef GUILD_IMPORT_TEXT_H
#define GUILD_IMPORT_TEXT_H
#include "core/mem.h"
#include "domain/imports/import.h"

/* What a report shows of a file's text: at most this many characters. */
#define IMP_SHOWN_COLUMN 80
#define IMP_SHOWN_VALUE 200
#define IMP_SHOWN_REASON 1000

/* A copy of z in a for an error report or a terminal: valid UTF-8 as it
 * is, but each invalid byte written \xHH and each control character
 * escaped (\n, \r, \t, \xHH, \u0085), so nothing raw reaches a terminal;
 * cut after nMax characters (0: no limit) with "... (N more characters)". */
const char *imp_shown_n(arena *a, const char *z, size_t nMax);
/* imp_shown_n without a limit. */
const char *imp_shown(arena *a, const char *z);

/* Fills report entry p (strings copied into a, shown: the column and the
 * message cut to their limits, the value whole but in the header row, where
 * it is the column's name; a terminal shows IMP_SHOWN_VALUE characters)
 * with why: eWhy's code, reason, field and parameters, and its message
 * without the "field: " it may begin with (the column names it). */
void imp_error_fill(arena *a, imp_error *p, int iRow, const char *zColumn, const char *zValue, const gerr *eWhy);

/* A reason's parameters as stored text, "key=Tvalue&key=Tvalue" (T: i, c
 * or s, as gerr_param.cType; '%', '&', '=' and control bytes of a value
 * written %XX), in a; NULL when n is 0. */
const char *imp_params_text(arena *a, const gerr_param *ap, int n);
/* Reads imp_params_text's text z (NULL: none) into ap, at most nMax
 * (keys in a); returns how many. */
int imp_params_read(arena *a, const char *z, gerr_param *ap, int nMax);

/* How to read a file in encoding zEnc (in a): "convert it (iconv -f ENC -t
 * UTF-8 FILE > FILE-utf8.csv) or import it with --encoding ENC" (zOpt is
 * how the caller names the option: "--encoding " or "encoding="). */
const char *imp_encoding_advice(arena *a, const char *zEnc, const char *zOpt);

/* 1 when the row's cells azField[0..nField-1] are the header's (trimmed,
 * ignoring ASCII case): a header repeated in the middle of a file, e.g.
 * two files joined. */
int imp_is_header_again(int nField, const char *const *azField, int nHead, const char *const *azHead);

#endif
