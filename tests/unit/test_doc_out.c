/* test_doc_out.c: documents written one value at a time (io/json/doc_out.h)
 * come out as the JSON they describe: members in order, nesting, rounding,
 * null for NaN and NULL text. */
#include "unit.h"
#include "io/json/doc_out.h"
#include <jansson.h>
#include <math.h>

/* The compact JSON text of what d wrote (d freed); the caller frees it. */
static char *dump(doc_out *d) {
  json_t *j = doc_json(d);
  assert_non_null(j);
  char *z = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  return z;
}

static void nested(void **state) {
  (void)state;
  doc_out *d = doc_new();
  doc_object(d, NULL);
  doc_int(d, "id", 7);
  doc_text(d, "name", "Ayla");
  doc_text(d, "medal", NULL);
  doc_array(d, "items");
  doc_object(d, NULL);
  doc_bool(d, "final", 1);
  doc_null(d, "none");
  doc_end(d);
  doc_int(d, NULL, -3);
  doc_end(d);
  doc_object(d, "by_sex");
  doc_int(d, "female", 2);
  doc_end(d);
  doc_end(d);
  char *z = dump(d);
  assert_string_equal(z, "{\"id\":7,\"name\":\"Ayla\",\"medal\":null,\"items\":[{\"final\":true,\"none\":null},-3],"
                         "\"by_sex\":{\"female\":2}}");
  free(z);
}

static void numbers(void **state) {
  (void)state;
  doc_out *d = doc_new();
  doc_array(d, NULL);
  doc_num(d, NULL, 13.3333333, 2);
  doc_num(d, NULL, 100, 2);           /* a number with a fraction, as results have always been */
  doc_num(d, NULL, 697.96, 1);
  doc_num(d, NULL, 0.123456, 4);
  doc_num(d, NULL, NAN, 4);           /* no growth: null */
  doc_end(d);
  char *z = dump(d);
  assert_string_equal(z, "[13.33,100.0,698.0,0.1235,null]");
  free(z);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nested),
      cmocka_unit_test(numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
