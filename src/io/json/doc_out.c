/* doc_out.c: documents as jansson values (see doc_out.h). */
#include "io/json/doc_out.h"
#include "core/err.h"
#include "core/mem.h"
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#define DOC_DEPTH 16   /* open containers at most */

struct doc_out {
  json_t *pRoot;
  json_t *apOpen[DOC_DEPTH];
  int nOpen;
};

doc_out *doc_new(void) { return g_calloc(1, sizeof(doc_out)); }

/* Puts v (a new reference, taken) where the next value goes. */
static void put(doc_out *d, const char *zKey, json_t *v) {
  if (!d->nOpen) {
    if (d->pRoot) g_panic("doc_out: a second document value");
    d->pRoot = v;
    return;
  }
  json_t *p = d->apOpen[d->nOpen - 1];
  if (json_is_object(p)) {
    if (!zKey) g_panic("doc_out: a member without a name");
    json_object_set_new(p, zKey, v);
  } else {
    json_array_append_new(p, v);
  }
}

static void open_container(doc_out *d, const char *zKey, json_t *v) {
  if (d->nOpen == DOC_DEPTH) g_panic("doc_out: nested more than %d deep", DOC_DEPTH);
  put(d, zKey, v);
  d->apOpen[d->nOpen++] = v;
}

void doc_object(doc_out *d, const char *zKey) { open_container(d, zKey, json_object()); }
void doc_array(doc_out *d, const char *zKey) { open_container(d, zKey, json_array()); }

void doc_end(doc_out *d) {
  if (!d->nOpen) g_panic("doc_out: doc_end with nothing open");
  d->nOpen--;
}

void doc_int(doc_out *d, const char *zKey, int64_t v) { put(d, zKey, json_integer((json_int_t)v)); }

void doc_num(doc_out *d, const char *zKey, double v, int nDecimal) {
  if (isnan(v)) {
    put(d, zKey, json_null());
    return;
  }
  double f = 1;
  for (int i = 0; i < nDecimal; i++) f *= 10;
  put(d, zKey, json_real(round(v * f) / f));
}

void doc_text(doc_out *d, const char *zKey, const char *z) { put(d, zKey, z ? json_string(z) : json_null()); }
void doc_bool(doc_out *d, const char *zKey, int b) { put(d, zKey, json_boolean(b)); }
void doc_null(doc_out *d, const char *zKey) { put(d, zKey, json_null()); }

struct json_t *doc_json(doc_out *d) {
  if (d->nOpen) g_panic("doc_out: %d containers left open", d->nOpen);
  json_t *p = d->pRoot;
  free(d);
  return p;
}
