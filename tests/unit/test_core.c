/* test_core.c: the capped buffer, the arena and the error helpers. */
#include "unit.h"
#include "core/buf.h"

static void gbuf_respects_max(void **state) {
  (void)state;
  gbuf b;
  gbuf_init(&b, 10);
  assert_int_equal(b.n, 0);
  assert_int_equal(gbuf_puts(&b, "hello"), 0);
  assert_int_equal(b.n, 5);
  assert_string_equal(b.z, "hello");
  /* 5 + 6 = 11 > 10: refused, buffer unchanged */
  assert_int_equal(gbuf_puts(&b, "world!"), -1);
  assert_int_equal(b.n, 5);
  assert_string_equal(b.z, "hello");
  assert_int_equal(gbuf_printf(&b, "%s%d", "abcde", 1), -1);
  assert_int_equal(b.n, 5);
  assert_string_equal(b.z, "hello");
  /* exactly nMax is allowed */
  assert_int_equal(gbuf_append(&b, "world", 5), 0);
  assert_int_equal(b.n, 10);
  assert_string_equal(b.z, "helloworld");
  assert_int_equal(gbuf_append(&b, "x", 1), -1);
  assert_int_equal(b.n, 10);
  assert_string_equal(b.z, "helloworld");
  /* an empty append at the limit is fine and changes nothing */
  assert_int_equal(gbuf_append(&b, "", 0), 0);
  assert_string_equal(b.z, "helloworld");
  /* a single append larger than nMax, also when the sum would wrap */
  gbuf_reset(&b);
  assert_int_equal(b.n, 0);
  assert_string_equal(b.z, "");
  assert_int_equal(gbuf_append(&b, "0123456789A", 11), -1);
  assert_int_equal(gbuf_puts(&b, "ab"), 0);
  assert_int_equal(gbuf_append(&b, "c", (size_t)-1), -1);
  assert_string_equal(b.z, "ab");
  assert_int_equal(gbuf_printf(&b, "%d-%s", 42, "x"), 0);
  assert_string_equal(b.z, "ab42-x");
  gbuf_free(&b);
  assert_null(b.z);
  assert_int_equal(b.n, 0);
  assert_int_equal(b.nMax, 10);
}

static void gbuf_grows(void **state) {
  (void)state;
  gbuf b;
  gbuf_init(&b, 1 << 20);
  /* longer than gbuf_printf's stack buffer (512) and the first block (256) */
  char zLong[2000];
  memset(zLong, 'q', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  assert_int_equal(gbuf_printf(&b, "<%s>", zLong), 0);
  assert_int_equal(b.n, 2001);
  assert_int_equal(b.z[0], '<');
  assert_int_equal(b.z[1], 'q');
  assert_int_equal(b.z[1999], 'q');
  assert_int_equal(b.z[2000], '>');
  assert_int_equal(b.z[2001], 0);
  assert_true(b.nAlloc > b.n);
  for (int i = 0; i < 1000; i++) assert_int_equal(gbuf_puts(&b, "0123456789"), 0);
  assert_int_equal(b.n, 12001);
  assert_int_equal(strlen(b.z), 12001);
  gbuf_free(&b);

  /* a big printf that would pass the maximum is refused whole */
  gbuf_init(&b, 1000);
  assert_int_equal(gbuf_puts(&b, "keep"), 0);
  assert_int_equal(gbuf_printf(&b, "%s", zLong), -1);
  assert_string_equal(b.z, "keep");
  assert_int_equal(b.n, 4);
  gbuf_free(&b);
}

static void arena_basics(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  assert_int_equal(a.nUsed, 0);
  unsigned char *p = arena_alloc(&a, 10);
  assert_non_null(p);
  assert_int_equal((uintptr_t)p % 16, 0);
  for (int i = 0; i < 10; i++) assert_int_equal(p[i], 0);
  assert_int_equal(a.nUsed, 16);
  memset(p, 0xab, 10);
  unsigned char *q = arena_alloc(&a, 1);
  assert_int_equal((uintptr_t)q % 16, 0);
  assert_true(q >= p + 16 || q + 16 <= p);   /* no overlap */
  assert_int_equal(q[0], 0);
  assert_int_equal(p[9], 0xab);             /* earlier memory untouched */

  char *z = arena_strdup(&a, "guild");
  assert_string_equal(z, "guild");
  assert_null(arena_strdup(&a, NULL));
  assert_null(arena_strndup(&a, NULL, 3));
  char *zn = arena_strndup(&a, "abcdef", 3);
  assert_string_equal(zn, "abc");
  char *zp = arena_printf(&a, "%s-%d-%05.1f", "x", -7, 2.5);
  assert_string_equal(zp, "x--7-002.5");

  /* an allocation larger than a block, then many small ones */
  char *pBig = arena_alloc(&a, 100000);
  memset(pBig, 1, 100000);
  assert_string_equal(z, "guild");  /* still valid */
  char *azMany[500];
  for (int i = 0; i < 500; i++) azMany[i] = arena_printf(&a, "item %d", i);
  for (int i = 0; i < 500; i++) {
    char zWant[32];
    snprintf(zWant, sizeof zWant, "item %d", i);
    assert_string_equal(azMany[i], zWant);
  }
  assert_true(a.nUsed >= 100000 + 500 * 16);

  arena_reset(&a);
  assert_int_equal(a.nUsed, 0);
  assert_non_null(a.pHead);
  char *zAfter = arena_printf(&a, "%d", 123);
  assert_string_equal(zAfter, "123");
  assert_int_equal(a.nUsed, 16);
  arena_free(&a);
  assert_null(a.pHead);
  assert_int_equal(a.nUsed, 0);
  /* usable again after arena_free */
  assert_string_equal(arena_strdup(&a, "again"), "again");
  arena_free(&a);
}

static void errors(void **state) {
  (void)state;
  gerr e;
  gerr_clear(&e);
  assert_int_equal(e.code, GERR_OK);
  assert_string_equal(e.field, "");
  assert_string_equal(e.msg, "");

  assert_int_equal(gerr_set(&e, GERR_NOT_FOUND, "id", "person %d not found", 7), -1);
  assert_int_equal(e.code, GERR_NOT_FOUND);
  assert_string_equal(e.field, "id");
  assert_string_equal(e.msg, "person 7 not found");

  assert_int_equal(gerr_set(&e, GERR_STALE, NULL, NULL), -1);
  assert_int_equal(e.code, GERR_STALE);
  assert_string_equal(e.field, "");
  assert_string_equal(e.msg, gerr_default(GERR_STALE));
  assert_non_null(strstr(e.msg, "reload"));

  assert_int_equal(gerr_set(NULL, GERR_VALIDATION, "x", "y"), -1);

  assert_int_equal(gerr_status(GERR_OK), 200);
  assert_int_equal(gerr_status(GERR_NOT_FOUND), 404);
  assert_string_equal(gerr_name(GERR_NOT_FOUND), "not_found");
  assert_int_equal(gerr_status(GERR_CONFLICT), 409);
  assert_string_equal(gerr_name(GERR_CONFLICT), "conflict");
  assert_int_equal(gerr_status(GERR_STALE), 412);
  assert_string_equal(gerr_name(GERR_STALE), "precondition_failed");
  assert_int_equal(gerr_status(GERR_VALIDATION), 422);
  assert_string_equal(gerr_name(GERR_VALIDATION), "validation");
  assert_int_equal(gerr_status(GERR_NEED_IF_MATCH), 428);
  assert_int_equal(gerr_status(GERR_USAGE), 400);
  assert_string_equal(gerr_name(GERR_USAGE), "usage");
  assert_int_equal(gerr_status(GERR_DB), 500);
  assert_int_equal(gerr_status(GERR_UNAVAILABLE), 503);
  /* out of range codes are internal errors, not out-of-bounds reads */
  assert_int_equal(gerr_status(GERR__MAX), 500);
  assert_string_equal(gerr_name(GERR__MAX), "internal");
  assert_string_equal(gerr_default((gerr_code)(GERR__MAX + 5)), "internal error");

  /* long fields and messages are cut, never overflow */
  char zLong[2000];
  memset(zLong, 'f', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  gerr_set(&e, GERR_VALIDATION, zLong, "%s", zLong);
  assert_int_equal(strlen(e.field), sizeof e.field - 1);
  assert_int_equal(strlen(e.msg), sizeof e.msg - 1);

  gerr_clear(&e);
  assert_int_equal(e.code, GERR_OK);
  assert_string_equal(e.msg, "");
  gerr_clear(NULL);  /* harmless */
}

/* The refused rows of an all-or-nothing operation: kept in order of
 * position whatever the order they were found in, each with its own code,
 * field and message; the summary counts them, quotes as many as fit (then
 * " ..."), and a later gerr_set drops them. */
static void error_rows(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  gerr_rows rows;
  gerr_rows_init(&rows, &a);
  gerr e, eRow;
  gerr_set(&e, GERR_OK, NULL, NULL);
  assert_int_equal(gerr_rows_fail(&e, &rows, 3, "marks"), 0);   /* nothing refused: nothing to say */
  assert_int_equal(e.code, GERR_OK);
  gerr_set(&eRow, GERR_CONFLICT, "aspect_id", "aspect_id: marked already");
  gerr_rows_add(&rows, 2, 0, NULL, &eRow);
  gerr_set(&eRow, GERR_VALIDATION, "value", "value: a whole score");
  gerr_rows_add(&rows, 0, 0, NULL, &eRow);
  assert_int_equal(gerr_rows_fail(&e, &rows, 3, "marks"), -1);
  assert_int_equal(e.code, GERR_ROWS);
  assert_int_equal(gerr_status(e.code), 422);
  assert_string_equal(gerr_name(e.code), "rows_refused");
  assert_string_equal(e.field, "marks");
  assert_string_equal(e.msg, "2 of 3 rows refused; nothing was written: marks[0]: value: a whole score; "
                             "marks[2]: aspect_id: marked already");
  assert_int_equal(e.nRow, 2);
  assert_int_equal(e.aRow[0].iIndex, 0);
  assert_int_equal(e.aRow[0].code, GERR_VALIDATION);
  assert_string_equal(e.aRow[0].zField, "value");
  assert_int_equal(e.aRow[1].iIndex, 2);
  assert_string_equal(e.aRow[1].zMsg, "aspect_id: marked already");
  gerr_set(&e, GERR_DB, NULL, "later");
  assert_null(e.aRow);
  assert_int_equal(e.nRow, 0);

  /* CSV rows: "row N, column C"; many long reasons are cut, never overflow */
  gerr_rows_init(&rows, &a);
  char zLong[300];
  memset(zLong, 'r', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  for (int i = 40; i >= 2; i--) {
    gerr_set(&eRow, GERR_VALIDATION, NULL, "%s", i == 2 ? "bad kind" : zLong);
    gerr_rows_add(&rows, -1, i, i == 2 ? "kind" : "", &eRow);
  }
  assert_int_equal(gerr_rows_fail(&e, &rows, 39, NULL), -1);
  assert_string_equal(e.field, "");
  assert_int_equal(strncmp(e.msg, "39 of 39 rows refused; nothing was written: row 2, column kind: bad kind; row 3: ",
                           strlen("39 of 39 rows refused; nothing was written: row 2, column kind: bad kind; row 3: ")),
                   0);
  assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
  assert_string_equal(e.msg + strlen(e.msg) - 4, " ...");
  assert_int_equal(e.nRow, 39);
  assert_int_equal(e.aRow[38].iRow, 40);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(gbuf_respects_max),
      cmocka_unit_test(gbuf_grows),
      cmocka_unit_test(arena_basics),
      cmocka_unit_test(errors),
      cmocka_unit_test(error_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
