/* buf.c: the capped growable buffer. */
#include "core/buf.h"
#include "core/mem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gbuf_init(gbuf *b, size_t nMax) {
  b->z = NULL;
  b->n = b->nAlloc = 0;
  b->nMax = nMax;
}

int gbuf_append(gbuf *b, const char *z, size_t n) {
  if (n > b->nMax || b->n > b->nMax - n) return -1;
  if (b->n + n + 1 > b->nAlloc) {
    size_t nNew = b->nAlloc ? b->nAlloc : 256;
    while (nNew < b->n + n + 1) nNew *= 2;
    b->z = g_realloc(b->z, nNew);
    b->nAlloc = nNew;
  }
  memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
  return 0;
}

int gbuf_puts(gbuf *b, const char *z) { return gbuf_append(b, z, strlen(z)); }

int gbuf_printf(gbuf *b, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return -1;
  if ((size_t)n < sizeof small) return gbuf_append(b, small, (size_t)n);
  char *big = g_malloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  int rc = gbuf_append(b, big, (size_t)n);
  free(big);
  return rc;
}

void gbuf_reset(gbuf *b) {
  b->n = 0;
  if (b->z) b->z[0] = 0;
}

void gbuf_free(gbuf *b) {
  free(b->z);
  gbuf_init(b, b->nMax);
}
