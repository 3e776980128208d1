/* test_text.c: strict integer and date parsing, UTF-8 checks, search keys. */
#include "unit.h"
#include "core/text.h"

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(int_parsing),
      cmocka_unit_test(dates),
      cmocka_unit_test(utf8_and_keys),
      cmocka_unit_test(lowering),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
