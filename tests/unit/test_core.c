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

/* A reason names the rule: its template filled with the field and the
 * named parameters (integers, hundredths, texts) is the message; an
 * unknown {name} stays as written; too many parameters or too long values
 * are dropped or cut, never overflow; gerr_msg rewrites the message only;
 * gerr_set gives the code's own or general reason; rows keep theirs. */
static void error_reasons(void **state) {
  (void)state;
  gerr e;
  assert_int_equal(gerr_setr(&e, GERR_VALIDATION, GR_LENGTH, "name", GP_I("min", 1), GP_I("max", 200), GP_I("got", 201)), -1);
  assert_int_equal(e.code, GERR_VALIDATION);
  assert_int_equal(e.reason, GR_LENGTH);
  assert_string_equal(gerr_reason_name(e.reason), "length");
  assert_string_equal(e.field, "name");
  assert_string_equal(e.msg, "name: must be 1 to 200 characters (got 201)");
  assert_int_equal(e.nParam, 3);
  assert_string_equal(gerr_param_get(&e, "max")->z, "200");
  assert_int_equal(gerr_param_get(&e, "max")->i, 200);
  assert_int_equal(gerr_param_get(&e, "max")->cType, 'i');
  assert_null(gerr_param_get(&e, "other"));

  gerr_setr(&e, GERR_VALIDATION, GR_RANGE, "weight", GP_C("min", 1), GP_C("max", 10000), GP_C("got", -250));
  assert_string_equal(e.msg, "weight: must be between 0.01 and 100.00 (got -2.50)");
  assert_int_equal(gerr_param_get(&e, "got")->cType, 'c');

  gerr_setr(&e, GERR_CONFLICT, GR_STALE, NULL, GP_S("entity", "cohort"), GP_I("id", 4));   /* {had} not given */
  assert_string_equal(e.msg, "cohort 4 was changed by someone else (you had version {had}); reload it and try again");
  gerr_msg(&e, "own words %d", 5);
  assert_string_equal(e.msg, "own words 5");
  assert_int_equal(e.reason, GR_STALE);
  assert_int_equal(e.nParam, 2);

  char zLong[400];
  memset(zLong, 'v', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  gerr_setr(&e, GERR_VALIDATION, GR_NOT_ONE_OF, "kind", GP_S("allowed", zLong), GP_S("got", zLong), GP_S("a", "1"),
            GP_S("b", "2"), GP_S("c", "3"), GP_S("d", "4"), GP_S("e", "5"), GP_S("f", NULL));
  assert_int_equal(e.nParam, GERR_MAXPARAM);
  assert_int_equal(strlen(gerr_param_get(&e, "allowed")->z), sizeof e.aParam[0].z - 1);
  assert_int_equal(strlen(e.msg), strlen("kind: must be one of  (got '')") + 2 * (sizeof e.aParam[0].z - 1));
  assert_null(gerr_param_get(&e, "f"));

  gerr_setr(&e, GERR_VALIDATION, GR_REQUIRED, "name", GP_S("x", "1"), GP_S("x", "2"));   /* one of each name */
  assert_int_equal(e.nParam, 1);
  assert_string_equal(gerr_param_get(&e, "x")->z, "2");
  gerr_param_s(&e, "y", "3");
  assert_int_equal(e.nParam, 2);
  assert_string_equal(e.msg, "name: is required");

  gerr_set(&e, GERR_VALIDATION, "x", "x: free words");
  assert_int_equal(e.reason, GR_INVALID);
  assert_int_equal(e.nParam, 0);
  gerr_set(&e, GERR_STALE, NULL, NULL);
  assert_int_equal(e.reason, GR_STALE);
  assert_int_equal(gerr_reason_of_code(GERR_BAD_JSON), GR_BAD_JSON);
  assert_int_equal(gerr_reason_of_code(GERR_OK), GR_NONE);
  gerr_clear(&e);
  assert_int_equal(e.reason, GR_NONE);
  assert_string_equal(gerr_reason_name(GR_NONE), "");
  assert_string_equal(gerr_reason_name((greason)(GR__MAX + 3)), "");
  assert_int_equal(gerr_setr(NULL, GERR_VALIDATION, GR_REQUIRED, "x", GP_I("n", 1)), -1);   /* harmless */

  /* every reason has a machine name of its own and a template */
  for (int i = 1; i < GR__MAX; i++) {
    assert_true(gerr_reason_name((greason)i)[0] != 0);
    assert_true(gerr_reason_template((greason)i)[0] != 0);
    for (int j = 1; j < i; j++) assert_string_not_equal(gerr_reason_name((greason)i), gerr_reason_name((greason)j));
  }

  /* a refused row keeps its reason and parameters; the whole refusal is rows_refused */
  arena a;
  arena_init(&a);
  gerr_rows rows;
  gerr_rows_init(&rows, &a);
  gerr eRow;
  gerr_setr(&eRow, GERR_CONFLICT, GR_ALREADY_ENROLLED, "cohort_id", GP_S("entity", "enrollment"), GP_I("id", 9));
  gerr_rows_add(&rows, 1, 0, NULL, &eRow);
  gerr_setr(&eRow, GERR_VALIDATION, GR_REQUIRED, "name");   /* eRow is reused: the row holds its own copy */
  assert_int_equal(gerr_rows_fail(&e, &rows, 2, "rows"), -1);
  assert_int_equal(e.reason, GR_ROWS_REFUSED);
  assert_int_equal(gerr_param_get(&e, "refused")->i, 1);
  assert_int_equal(gerr_param_get(&e, "total")->i, 2);
  assert_int_equal(e.aRow[0].reason, GR_ALREADY_ENROLLED);
  assert_int_equal(e.aRow[0].nParam, 2);
  assert_string_equal(e.aRow[0].aParam[1].zKey, "id");
  assert_string_equal(e.aRow[0].aParam[1].z, "9");
  assert_string_equal(e.aRow[0].zMsg, "cohort_id: this person is already enrolled in this cohort (enrollment 9)");
  arena_free(&a);
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

  /* a row refused for two reasons is one refused row, and both reasons are rows of the error */
  gerr_rows_init(&rows, &a);
  gerr_set(&eRow, GERR_VALIDATION, "outcome", "competent or not_yet_competent");
  gerr_rows_add(&rows, 1, 0, NULL, &eRow);
  gerr_set(&eRow, GERR_VALIDATION, "criterion_id", "not a criterion of the unit");
  gerr_rows_add(&rows, 1, 0, NULL, &eRow);
  gerr_rows_add(&rows, 0, 0, NULL, &eRow);
  assert_int_equal(gerr_rows_fail(&e, &rows, 4, "results"), -1);
  assert_int_equal(strncmp(e.msg, "2 of 4 rows refused; nothing was written: results[0]: ",
                           strlen("2 of 4 rows refused; nothing was written: results[0]: ")),
                   0);
  assert_int_equal(e.nRow, 3);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(gbuf_respects_max),
      cmocka_unit_test(gbuf_grows),
      cmocka_unit_test(arena_basics),
      cmocka_unit_test(errors),
      cmocka_unit_test(error_reasons),
      cmocka_unit_test(error_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
