/* text.h: strict parsing of numbers and dates, UTF-8 checks and the
 * normalised keys used for name search. */
#ifndef GUILD_TEXT_H
#define GUILD_TEXT_H
#include <stddef.h>
#include <stdint.h>

/* Parses a whole decimal integer (optional '-', no spaces, no trailing
 * text) into *pOut. Returns 0, or -1 when z is not one or overflows. */
int text_int64(const char *z, int64_t *pOut);

/* Returns 1 when z is valid UTF-8 with no control characters (C0, DEL, C1)
 * other than those allowed by allow_newline ('\n', '\t'), else 0. */
int text_is_clean_utf8(const char *z, int allow_newline);
/* Returns 1 when valid UTF-8 z holds a bidirectional embedding, override
 * or isolate control (U+202A..U+202E, U+2066..U+2069), which make the text
 * around them display in another order than it is stored (a name or code
 * shown reversed), else 0. */
int text_has_bidi_control(const char *z);
/* Number of Unicode code points in valid UTF-8 z. */
size_t text_nchars(const char *z);

/* Search key of a name: NFC-normalised, case-folded, leading and trailing
 * spaces removed. Returns a malloc'd string (caller frees), or NULL when z
 * is not valid UTF-8. */
char *text_search_key(const char *z);
/* The same key computed by libunistring alone, without trimming and without
 * the fast path (for tests that compare the two). Caller frees. */
char *text_search_key_general(const char *z);
/* z with every letter replaced by its lower case (Unicode simple case
 * mapping, code point by code point, as PostgreSQL's lower() does under a
 * UTF-8 locale; no normalisation). Returns a malloc'd string (caller frees),
 * or NULL when z is not valid UTF-8 of n bytes or memory ran out. */
char *text_lower(const char *z, size_t n);
/* Writes into zOut (size nOut) the smallest string greater than every string
 * having prefix zKey (zKey with its last byte incremented, dropping 0xff
 * bytes). Returns 0, or -1 when no bound exists (empty or all 0xff). */
int text_prefix_upper(const char *zKey, char *zOut, size_t nOut);

/* Checks an ISO 8601 calendar date YYYY-MM-DD (a real day of a year
 * 1900..2199). Returns 1 if valid. Writes days since 1970-01-01 to *pDays
 * when non-NULL. */
int text_is_date(const char *z, int32_t *pDays);

#endif
