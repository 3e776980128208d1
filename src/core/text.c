/* text.c: number and date parsing, UTF-8 checks (libunistring) and the
 * bounds of a name-prefix search (the search keys themselves: text_key.c),
 * so that Chinese, Uyghur (Arabic script) and Latin names behave alike. */
#include "core/text.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unistr.h>

int text_int64(const char *z, int64_t *pOut) {
  if (!z || !*z) return -1;
  const char *p = z;
  if (*p == '-') p++;
  if (*p < '0' || *p > '9') return -1;
  char *zEnd = NULL;
  errno = 0;
  long long v = strtoll(z, &zEnd, 10);
  if (errno || *zEnd) return -1;
  *pOut = (int64_t)v;
  return 0;
}

int text_is_clean_utf8(const char *z, int allow_newline) {
  const uint8_t *p = (const uint8_t *)z;
  for (; *p >= 0x20 && *p < 0x7f; p++) {}   /* printable ASCII: the common case, checked at once */
  if (!*p) return 1;
  size_t n = strlen((const char *)p);
  if (u8_check(p, n) != NULL) return 0;
  const uint8_t *e = p + n;
  while (p < e) {
    ucs4_t c;
    int k = u8_mbtouc(&c, p, (size_t)(e - p));
    if (k <= 0) return 0;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
      if (!(allow_newline && (c == '\n' || c == '\t'))) return 0;
    }
    p += k;
  }
  return 1;
}

int text_has_bidi_control(const char *z) {
  /* U+202A..U+202E are E2 80 AA..AE; U+2066..U+2069 are E2 81 A6..A9 */
  for (const unsigned char *p = (const unsigned char *)z; (p = (const unsigned char *)strchr((const char *)p, 0xE2)); p++) {
    if (p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) return 1;
    if (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) return 1;
  }
  return 0;
}

size_t text_nchars(const char *z) {
  size_t n = 0;   /* valid UTF-8: every byte but the continuation bytes 10xxxxxx starts a character */
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) n += (*p & 0xC0) != 0x80;
  return n;
}

char *text_lower(const char *z, size_t n) {
  const uint8_t *p = (const uint8_t *)z, *pEnd = p + n;
  if (u8_check(p, n) != NULL) return NULL;
  size_t nAlloc = n * 2 + 1;  /* a lower case letter takes at most 1.5 times the bytes (2 -> 3) */
  uint8_t *zOut = malloc(nAlloc);
  if (!zOut) return NULL;
  size_t o = 0;
  while (p < pEnd) {
    ucs4_t c;
    p += u8_mbtouc(&c, p, (size_t)(pEnd - p));
    int k = u8_uctomb(zOut + o, uc_tolower(c), (int)(nAlloc - 1 - o));
    if (k < 0) { free(zOut); return NULL; }
    o += (size_t)k;
  }
  zOut[o] = 0;
  return (char *)zOut;
}

int text_prefix_upper(const char *zKey, char *zOut, size_t nOut) {
  size_t n = strlen(zKey);
  if (n + 1 > nOut) return -1;
  memcpy(zOut, zKey, n + 1);
  while (n > 0) {
    unsigned char c = (unsigned char)zOut[n - 1];
    if (c < 0xff) {
      zOut[n - 1] = (char)(c + 1);
      zOut[n] = 0;
      return 0;
    }
    zOut[--n] = 0;
  }
  return -1;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int text_is_date(const char *z, int32_t *pDays) {
  static const int aDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-') return 0;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) continue;
    if (z[i] < '0' || z[i] > '9') return 0;
  }
  int y = (z[0] - '0') * 1000 + (z[1] - '0') * 100 + (z[2] - '0') * 10 + (z[3] - '0');
  int m = (z[5] - '0') * 10 + (z[6] - '0');
  int d = (z[8] - '0') * 10 + (z[9] - '0');
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return 0;
  int nMax = aDays[m - 1] + (m == 2 && is_leap(y));
  if (d > nMax) return 0;
  if (pDays) {
    /* days from civil (Howard Hinnant's algorithm) */
    int yy = y - (m <= 2);
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *pDays = era * 146097 + doe - 719468;
  }
  return 1;
}
