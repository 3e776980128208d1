/* test_text.c: strict integer and date parsing, UTF-8 checks, search keys. */
#include "unit.h"
#include "core/text.h"
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

static void int_parsing(void **state) {
  (void)state;
  int64_t v = 0;
  assert_int_equal(text_int64("42", &v), 0);
  assert_int_equal(v, 42);
  assert_int_equal(text_int64("-7", &v), 0);
  assert_int_equal(v, -7);
  assert_int_equal(text_int64("", &v), -1);
  assert_int_equal(text_int64("4x", &v), -1);
  assert_int_equal(text_int64(" 4", &v), -1);
  assert_int_equal(text_int64("99999999999999999999", &v), -1);
}

static void dates(void **state) {
  (void)state;
  int32_t d = 0;
  assert_true(text_is_date("1970-01-01", &d));
  assert_int_equal(d, 0);
  assert_true(text_is_date("2024-02-29", NULL));
  assert_false(text_is_date("2023-02-29", NULL));
  assert_false(text_is_date("2023-13-01", NULL));
  assert_false(text_is_date("2023-1-01", NULL));
  assert_false(text_is_date("1899-12-31", NULL));
}

static void utf8_and_keys(void **state) {
  (void)state;
  assert_true(text_is_clean_utf8("王小明", 0));
  assert_true(text_is_clean_utf8("ئەخمەت", 0));
  assert_false(text_is_clean_utf8("a\x01" "b", 0));
  assert_false(text_is_clean_utf8("\xc3\x28", 0));
  assert_false(text_is_clean_utf8("line\nbreak", 0));
  assert_true(text_is_clean_utf8("line\nbreak", 1));
  assert_int_equal(text_nchars("王小明"), 3);
  char *z = text_search_key("  ÄBC ");
  assert_string_equal(z, "äbc");
  free(z);
  char zUp[16];
  assert_int_equal(text_prefix_upper("ab", zUp, sizeof zUp), 0);
  assert_string_equal(zUp, "ac");
}

/* text_search_key (fast path when it applies) against libunistring alone,
 * on the UTF-8 of the code points in a[0..n-1]; returns 1 when they agree. */
static int key_agrees(const ucs4_t *a, int n) {
  uint8_t z[64];
  size_t nZ = 0;
  for (int i = 0; i < n; i++) nZ += (size_t)u8_uctomb(z + nZ, a[i], (int)(sizeof z - nZ - 1));
  z[nZ] = 0;
  char *zFast = text_search_key((const char *)z), *zSlow = text_search_key_general((const char *)z);
  int bSame = zFast && zSlow && strcmp(zFast, zSlow) == 0;
  free(zFast);
  free(zSlow);
  return bSame;
}

/* The search key's fast path (text_key.c) gives libunistring's bytes: for
 * every code point below U+0800 and the CJK ideographs alone; for every
 * pair of code points below U+0800 no canonical composition joins them
 * (which is what makes character-by-character folding exact), checked
 * through the folded forms too; and for a sample of pairs and names, the
 * same key. */
static void search_key_fast_path(void **state) {
  (void)state;
  int nBad = 0;
  for (ucs4_t c = 0x21; c < 0x800; c++) {
    if (c >= 0x7f && c < 0xa0) continue;
    if (!key_agrees(&c, 1)) {
      if (nBad++ < 5) print_error("U+%04X: keys differ\n", (unsigned)c);
    }
  }
  for (ucs4_t c = 0x3400; c <= 0x9fff; c += 7)
    if (!key_agrees(&c, 1)) nBad++;
  /* plain characters (unchanged by NFC, class 0) and their last folded character */
  static ucs4_t aPlain[0x800], aLast[0x800], aFirst[0x800];
  int nPlain = 0;
  for (ucs4_t c = 0x21; c < 0x800; c++) {
    if ((c >= 0x7f && c < 0xa0) || uc_combining_class(c) != 0) continue;
    uint8_t z[8];
    int n = u8_uctomb(z, c, sizeof z);
    size_t nF = 0;
    uint8_t *f = u8_casefold(z, (size_t)n, NULL, UNINORM_NFC, NULL, &nF);
    assert_non_null(f);
    ucs4_t uFirst = 0, uLast = 0;
    for (size_t i = 0; i < nF;) {
      ucs4_t u;
      int k = u8_mbtouc(&u, f + i, nF - i);
      if (i == 0) uFirst = u;
      uLast = u;
      i += (size_t)k;
    }
    free(f);
    aPlain[nPlain] = c;
    aFirst[nPlain] = uFirst;
    aLast[nPlain++] = uLast;
  }
  assert_true(nPlain > 1000);
  for (int i = 0; i < nPlain; i++)
    for (int j = 0; j < nPlain; j++) {
      if (uc_composition(aPlain[i], aPlain[j]) || uc_composition(aLast[i], aFirst[j])) {
        if (nBad++ < 5) print_error("U+%04X U+%04X compose\n", (unsigned)aPlain[i], (unsigned)aPlain[j]);
      }
    }
  for (int i = 0; i < nPlain; i++)
    for (int j = i % 13; j < nPlain; j += 13) {
      ucs4_t a[2] = {aPlain[i], aPlain[j]};
      if (!key_agrees(a, 2)) {
        if (nBad++ < 5) print_error("U+%04X U+%04X: keys differ\n", (unsigned)a[0], (unsigned)a[1]);
      }
    }
  assert_int_equal(nBad, 0);
  static const char *const azName[] = {"王小明", "ئابدۇللا مۇھەممەت", "Müller García", "STRASSE Straße",
                                       "ΣΊΣΥΦΟΣ", "Ivanova Иванова", "Ǆemal", "ʻOkina", "A\xcc\x8angstr\xc3\xb6m",
                                       "Zoë 丽 Ayşe", "ﬃ ligature", "가나다"};
  for (size_t i = 0; i < sizeof azName / sizeof azName[0]; i++) {
    char *zFast = text_search_key(azName[i]), *zSlow = text_search_key_general(azName[i]);
    assert_string_equal(zFast, zSlow);
    free(zFast);
    free(zSlow);
  }
}

/* text_lower: simple case mapping of every letter, other scripts unchanged,
 * the length in bytes may grow (U+023A takes 2 bytes, U+2C65 3), invalid
 * UTF-8 refused. */
static void lowering(void **state) {
  (void)state;
  static const char *const aCase[][2] = {
      {"MÜNCHEN Straße", "münchen straße"},
      {"ПЕКАРНОЕ", "пекарное"},
      {"喀什 قەشقەر 50%_\\", "喀什 قەشقەر 50%_\\"},
      {"\xc8\xba", "\xe2\xb1\xa5"},
      {"ABC\xc8\xba\xc8\xba", "abc\xe2\xb1\xa5\xe2\xb1\xa5"},
      {"", ""},
  };
  for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
    char *z = text_lower(aCase[i][0], strlen(aCase[i][0]));
    assert_non_null(z);
    assert_string_equal(z, aCase[i][1]);
    free(z);
  }
  char *z = text_lower("ABCD", 2);  /* only the n bytes given */
  assert_string_equal(z, "ab");
  free(z);
  assert_null(text_lower("\xc3\x28", 2));
}

/* The embeddings, overrides and isolates, and nothing next to them. */
static void bidi_controls(void **state) {
  (void)state;
  static const char *const azBidi[] = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                       "\u2066", "\u2067", "\u2068", "\u2069"};
  for (size_t i = 0; i < sizeof azBidi / sizeof azBidi[0]; i++) {
    char z[32];
    snprintf(z, sizeof z, "abc%sdef", azBidi[i]);
    assert_int_equal(text_has_bidi_control(z), 1);
    assert_int_equal(text_has_bidi_control(azBidi[i]), 1);
  }
  static const char *const azPlain[] = {"", "plain", "\u2029", "\u202f", "\u2065", "\u206a", "\u200f", "\u061c",
                                        "\u0626\u0627\u0628\u062f\u06c7\u0644\u0644\u0627", "\xe2", "\xe2\x80"};
  for (size_t i = 0; i < sizeof azPlain / sizeof azPlain[0]; i++) assert_int_equal(text_has_bidi_control(azPlain[i]), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(int_parsing),
      cmocka_unit_test(dates),
      cmocka_unit_test(utf8_and_keys),
      cmocka_unit_test(search_key_fast_path),
      cmocka_unit_test(lowering),
      cmocka_unit_test(bidi_controls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
