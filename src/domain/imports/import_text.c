/* import_text.c: text helpers the importers share (see import_text.h). */
#include "domain/imports/import_text.h"
#include "core/buf.h"
#include <stdio.h>
#include <stdlib.h>
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

void imp_error_fill(arena *a, imp_error *p, int iRow, const char *zColumn, const char *zValue, const gerr *eWhy) {
  p->iRow = iRow;
  p->zColumn = imp_shown_n(a, zColumn ? zColumn : "", IMP_SHOWN_COLUMN);
  /* a cell is kept whole (the terminal shows it cut); a header is its column too */
  p->zValue = imp_shown_n(a, zValue ? zValue : "", iRow == 1 ? IMP_SHOWN_COLUMN : 0);
  const char *zMsg = eWhy->msg;
  size_t n = strlen(eWhy->field);
  if (n && !strncmp(zMsg, eWhy->field, n) && zMsg[n] == ':' && zMsg[n + 1] == ' ') zMsg += n + 2;
  p->zReason = imp_shown_n(a, zMsg, IMP_SHOWN_REASON);
  p->code = eWhy->code;
  p->reason = eWhy->reason;
  p->zField = arena_strdup(a, eWhy->field);
  p->nParam = eWhy->nParam;
  gerr_param *ap = p->nParam ? arena_alloc(a, (size_t)p->nParam * sizeof *ap) : NULL;
  if (ap) memcpy(ap, eWhy->aParam, (size_t)p->nParam * sizeof *ap);
  p->aParam = ap;
}

/* 1 when byte c of a parameter's value is written %XX in its stored text. */
static int param_escaped(unsigned char c) { return c < 0x20 || c == 0x7f || c == '%' || c == '&' || c == '='; }

const char *imp_params_text(arena *a, const gerr_param *ap, int n) {
  if (n <= 0) return NULL;
  gbuf b;
  gbuf_init(&b, (size_t)1 << 16);
  for (int i = 0; i < n; i++) {
    gbuf_printf(&b, "%s%s=%c", i ? "&" : "", ap[i].zKey, ap[i].cType);
    if (ap[i].cType != 's') {
      gbuf_printf(&b, "%lld", ap[i].i);
      continue;
    }
    for (const unsigned char *z = (const unsigned char *)ap[i].z; *z; z++)
      if (param_escaped(*z)) gbuf_printf(&b, "%%%02X", *z);
      else gbuf_printf(&b, "%c", *z);
  }
  const char *zOut = arena_strdup(a, b.z ? b.z : "");
  gbuf_free(&b);
  return zOut;
}

/* The value of hex digit c, or -1. */
static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int imp_params_read(arena *a, const char *z, gerr_param *ap, int nMax) {
  int n = 0;
  while (z && *z && n < nMax) {
    const char *zEq = strchr(z, '='), *zEnd = strchr(z, '&');
    if (!zEnd) zEnd = z + strlen(z);
    if (!zEq || zEq > zEnd || zEq + 1 == zEnd) break;   /* not what imp_params_text writes */
    gerr_param *p = &ap[n++];
    memset(p, 0, sizeof *p);
    p->zKey = arena_strndup(a, z, (size_t)(zEq - z));
    p->cType = zEq[1];
    size_t k = 0;
    for (const char *q = zEq + 2; q < zEnd && k + 1 < sizeof p->z; q++) {
      int h1 = *q == '%' && q + 2 < zEnd ? hex_value(q[1]) : -1, h2 = h1 >= 0 ? hex_value(q[2]) : -1;
      if (h2 >= 0) {
        p->z[k++] = (char)(h1 * 16 + h2);
        q += 2;
      } else {
        p->z[k++] = *q;
      }
    }
    p->z[k] = 0;
    if (p->cType != 's') p->i = strtoll(p->z, NULL, 10);
    z = *zEnd ? zEnd + 1 : zEnd;
  }
  return n;
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
