/* import_text.c: text helpers the importers share (see import_text.h). */
#include "domain/imports/import_text.h"
#include <string.h>
#include <unistr.h>

const char *imp_shown(arena *a, const char *z) {
  size_t n = strlen(z);
  if (!u8_check((const uint8_t *)z, n)) return arena_strndup(a, z, n);
  char *zOut = arena_alloc(a, 4 * n + 1), *q = zOut;
  const uint8_t *p = (const uint8_t *)z, *pEnd = p + n;
  while (p < pEnd) {
    ucs4_t uc;
    int k = u8_mbtoucr(&uc, p, (size_t)(pEnd - p));
    if (k > 0) {
      memcpy(q, p, (size_t)k);
      q += k;
      p += k;
    } else {
      static const char zHex[] = "0123456789abcdef";
      *q++ = '\\';
      *q++ = 'x';
      *q++ = zHex[*p >> 4];
      *q++ = zHex[*p & 15];
      p++;
    }
  }
  *q = 0;
  return zOut;
}
