/* import_text.c: text helpers the importers share (see import_text.h). */
#include "domain/imports/import_text.h"
#include "core/buf.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

static const char zHex[] = "0123456789abcdef";

const char *imp_shown_n(arena *a, const char *z, size_t nMax) {
  size_t n = strlen(z);
  const uint8_t *p = (const uint8_t *)z, *pEnd = p + n;
  size_t nChar = 0;
  /* at most 6 bytes out per byte in (\u0085 for the two bytes of U+0085), and the tail */
  size_t nOutMax = (nMax && nMax < n ? nMax : n) * 6 + 64;
  char *zOut = arena_alloc(a, nOutMax), *q = zOut;
  while (p < pEnd && (!nMax || nChar < nMax)) {
    ucs4_t uc;
    int k = u8_mbtoucr(&uc, p, (size_t)(pEnd - p));
    nChar++;
    if (k <= 0) {
      *q++ = '\\', *q++ = 'x', *q++ = zHex[*p >> 4], *q++ = zHex[*p & 15];
      p++;
    } else if (uc == '\n' || uc == '\r' || uc == '\t') {
      *q++ = '\\', *q++ = uc == '\n' ? 'n' : uc == '\r' ? 'r' : 't';
      p += k;
    } else if (uc < 0x20 || uc == 0x7f) {
      *q++ = '\\', *q++ = 'x', *q++ = zHex[uc >> 4], *q++ = zHex[uc & 15];
      p += k;
    } else if (uc >= 0x80 && uc < 0xa0) {   /* C1 controls: a terminal acts on them too */
      q += snprintf(q, 8, "\\u%04x", (unsigned)uc);
      p += k;
    } else {
      memcpy(q, p, (size_t)k);
      q += k;
      p += k;
    }
  }
  if (p < pEnd) {
    size_t nRest = 0;
    for (const uint8_t *r = p; r < pEnd; r++) nRest += (*r & 0xC0) != 0x80;
    q += snprintf(q, 64, "... (%zu more characters)", nRest);
  }
  *q = 0;
  return zOut;
}

const char *imp_shown(arena *a, const char *z) { return imp_shown_n(a, z, 0); }

void imp_error_fill(arena *a, imp_error *p, int iRow, const char *zColumn, const char *zValue, const char *zReason) {
  p->iRow = iRow;
  p->zColumn = imp_shown_n(a, zColumn ? zColumn : "", IMP_SHOWN_COLUMN);
  /* a cell is kept whole (the terminal shows it cut); a header is its column too */
  p->zValue = imp_shown_n(a, zValue ? zValue : "", iRow == 1 ? IMP_SHOWN_COLUMN : 0);
  p->zReason = imp_shown_n(a, zReason ? zReason : "", IMP_SHOWN_REASON);
}

const char *imp_encoding_advice(arena *a, const char *zEnc, const char *zOpt) {
  return arena_printf(a, "convert it (iconv -f %s -t UTF-8 FILE > FILE-utf8.csv) or import it with %s%s", zEnc, zOpt,
                      zEnc);
}

/* z without the spaces, tabs and line ends around it: *pn bytes from the
 * returned pointer. */
static const char *trimmed(const char *z, size_t *pn) {
  while (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n') z++;
  size_t n = strlen(z);
  while (n && strchr(" \t\r\n", z[n - 1])) n--;
  *pn = n;
  return z;
}

int imp_is_header_again(int nField, const char *const *azField, int nHead, const char *const *azHead) {
  if (nField != nHead || nHead == 0) return 0;
  int bAny = 0;
  for (int j = 0; j < nHead; j++) {
    size_t n1, n2;
    const char *z1 = trimmed(azField[j], &n1), *z2 = trimmed(azHead[j], &n2);
    /* a UTF-8 byte-order mark may begin the header, not the row */
    if (j == 0 && n2 >= 3 && !memcmp(z2, "\xEF\xBB\xBF", 3)) z2 += 3, n2 -= 3;
    if (j == 0 && n1 >= 3 && !memcmp(z1, "\xEF\xBB\xBF", 3)) z1 += 3, n1 -= 3;
    if (n1 != n2 || strncasecmp(z1, z2, n1)) return 0;
    bAny |= n1 > 0;
  }
  return bAny;
}
