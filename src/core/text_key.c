/* text_key.c: the search key of a name (text_search_key): case-folded and
 * NFC-normalised by libunistring, with a fast path that gives the same bytes
 * for the scripts names are mostly written in. A name is computed in bulk
 * (an import of a million persons computes two keys each), and libunistring's
 * general case folding plus normalisation costs about 6,000 instructions a
 * name; the fast path is a table lookup per character.
 *
 * Why the fast path is exact: it is taken only when every character is
 * "plain": below U+0800 (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic,
 * ...) with canonical combining class 0, unchanged by NFC, and folding (by
 * libunistring itself, when the table is built) to characters of that kind;
 * or a CJK unified ideograph (no case, no decomposition). Case folding works
 * character by character, and NFC could only join two such characters if
 * the second could be the second of a canonical composition; the characters
 * that can (NFC_Quick_Check=Maybe) are combining marks, or at U+09BE and
 * above (Indic vowel signs, Hangul jamo). So the folded characters, put side
 * by side, are already the NFC of the folded text. tests/unit/test_text.c
 * compares both paths for every plain character and every pair of them. */
#include "core/text.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
#include <unictype.h>
#include <unistr.h>

#define FOLD_TABLE 0x800   /* characters below this one have a table entry */

typedef struct fold_entry {
  unsigned char n;   /* bytes of the folded form; 0: not plain, take the general path */
  char z[7];
} fold_entry;

static fold_entry aFold[FOLD_TABLE];
static pthread_once_t foldOnce = PTHREAD_ONCE_INIT;

static int is_cjk(ucs4_t c) { return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF); }

/* Combining class 0, unchanged by NFC, and (below U+0800) in the table's
 * range or a CJK ideograph. */
static int is_plain_char(ucs4_t c) {
  if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
  if (is_cjk(c)) return 1;
  if (c >= FOLD_TABLE || uc_combining_class(c) != 0) return 0;
  uint8_t z[8], nfc[32];
  int n = u8_uctomb(z, c, sizeof z);
  size_t nOut = sizeof nfc;
  uint8_t *p = u8_normalize(UNINORM_NFC, z, (size_t)n, nfc, &nOut);
  int bSame = p && nOut == (size_t)n && memcmp(p, z, (size_t)n) == 0;
  if (p && p != nfc) free(p);
  return bSame;
}

/* Fills aFold: each plain character below U+0800 with its folded form
 * (libunistring's own), when that is plain as well. */
static void fold_init(void) {
  for (ucs4_t c = 0; c < FOLD_TABLE; c++) {
    if (!is_plain_char(c)) continue;
    uint8_t z[8], buf[32];
    int n = u8_uctomb(z, c, sizeof z);
    size_t nOut = sizeof buf;
    uint8_t *p = u8_casefold(z, (size_t)n, NULL, UNINORM_NFC, buf, &nOut);
    if (!p) continue;
    int bPlain = nOut > 0 && nOut < sizeof aFold[c].z;
    for (size_t i = 0; bPlain && i < nOut;) {
      ucs4_t f;
      int k = u8_mbtouc(&f, p + i, nOut - i);
      bPlain = k > 0 && is_plain_char(f);
      i += (size_t)(k > 0 ? k : 1);
    }
    if (bPlain) {
      memcpy(aFold[c].z, p, nOut);
      aFold[c].n = (unsigned char)nOut;
    }
    if (p != buf) free(p);
  }
}

/* The key of the n valid UTF-8 bytes at z by the table, in a malloc'd
 * string; NULL when a character is not plain. */
static char *key_fast(const uint8_t *z, size_t n) {
  pthread_once(&foldOnce, fold_init);
  char *zOut = malloc(3 * n + 1), *q = zOut;   /* a 2-byte character folds to at most 6 bytes */
  if (!zOut) return NULL;
  const uint8_t *p = z, *pEnd = z + n;
  while (p < pEnd) {
    if (*p < 0x80) {
      const fold_entry *f = &aFold[*p++];
      if (!f->n) goto slow;
      *q++ = f->z[0];
      continue;
    }
    ucs4_t c;
    int k = u8_mbtouc_unsafe(&c, p, (size_t)(pEnd - p));
    if (c < FOLD_TABLE) {
      const fold_entry *f = &aFold[c];
      if (!f->n) goto slow;
      memcpy(q, f->z, f->n);
      q += f->n;
    } else if (is_cjk(c)) {
      memcpy(q, p, (size_t)k);
      q += k;
    } else {
      goto slow;
    }
    p += k;
  }
  *q = 0;
  return zOut;
slow:
  free(zOut);
  return NULL;
}

/* The key by libunistring's case folding and NFC, in a malloc'd string. */
static char *key_general(const uint8_t *z, size_t n) {
  size_t nOut = 0;
  uint8_t *r = u8_casefold(z, n, NULL, UNINORM_NFC, NULL, &nOut);
  if (!r) return NULL;
  char *zOut = malloc(nOut + 1);
  if (zOut) {
    memcpy(zOut, r, nOut);
    zOut[nOut] = 0;
  }
  free(r);
  return zOut;
}

char *text_search_key_general(const char *z) {
  size_t n = strlen(z);
  if (u8_check((const uint8_t *)z, n) != NULL) return NULL;
  return key_general((const uint8_t *)z, n);
}

char *text_search_key(const char *z) {
  while (*z == ' ') z++;
  size_t n = strlen(z);
  while (n > 0 && z[n - 1] == ' ') n--;
  if (u8_check((const uint8_t *)z, n) != NULL) return NULL;
  char *zKey = key_fast((const uint8_t *)z, n);
  return zKey ? zKey : key_general((const uint8_t *)z, n);
}
