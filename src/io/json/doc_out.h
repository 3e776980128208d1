/* doc_out.h: a structured document (objects, arrays, numbers, text, true
 * and false, null) written one value at a time, so that the domain can say
 * what an answer holds without knowing how it is encoded; the API answers
 * with it and the CLI prints it (both as JSON, through jansson, today's one
 * encoding). As table_out.h is to tables.
 *
 * Each value is a member zKey of the innermost open object, or (zKey NULL)
 * the next element of the innermost open array, or the document itself
 * when nothing is open. doc_object and doc_array open a container that
 * doc_end closes.
 *
 * Usage:  doc_out *d = doc_new();
 *         doc_object(d, NULL); doc_int(d, "id", 7); doc_array(d, "items"); ... doc_end(d); doc_end(d);
 *         struct json_t *j = doc_json(d);   // d is freed */
#ifndef GUILD_DOC_OUT_H
#define GUILD_DOC_OUT_H
#include <stdint.h>

typedef struct doc_out doc_out;
struct json_t;

doc_out *doc_new(void);
void doc_object(doc_out *d, const char *zKey);
void doc_array(doc_out *d, const char *zKey);
void doc_end(doc_out *d);
void doc_int(doc_out *d, const char *zKey, int64_t v);
/* v rounded to nDecimal decimals (always a number with a fraction, 1.0);
 * NaN: null. */
void doc_num(doc_out *d, const char *zKey, double v, int nDecimal);
void doc_text(doc_out *d, const char *zKey, const char *z);   /* NULL: null */
void doc_bool(doc_out *d, const char *zKey, int b);
void doc_null(doc_out *d, const char *zKey);

/* Frees d and returns the document as a jansson value (a new reference the
 * caller owns); every container must be closed. */
struct json_t *doc_json(doc_out *d);

#endif
