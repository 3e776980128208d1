/* test_openapi.c: the OpenAPI document describes every route of the route
 * table (path and method, with a summary and responses), every entity has a
 * schema, and every route has help text. A route added without them fails. */
#include "unit.h"
#include "http/http.h"
#include "api/api.h"
#include <ctype.h>

static void every_route_documented(void **state) {
  (void)state;
  dom_init();
  http_routes_init();
  json_t *doc = api_openapi_doc();
  assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
  json_t *paths = json_object_get(doc, "paths");
  assert_non_null(paths);
  for (int i = 0; i < http_nroutes; i++) {
    const route *p = &http_routes[i];
    assert_non_null(p->zSummary);
    assert_true(strlen(p->zSummary) > 5);
    char zMethod[16];
    snprintf(zMethod, sizeof zMethod, "%s", http_method_name(p->method));
    for (char *q = zMethod; *q; q++) *q = (char)tolower((unsigned char)*q);
    json_t *item = json_object_get(paths, p->zPath);
    if (!item) fail_msg("route %s %s missing from openapi.json", zMethod, p->zPath);
    json_t *op = json_object_get(item, zMethod);
    if (!op) fail_msg("method %s of %s missing from openapi.json", zMethod, p->zPath);
    assert_string_equal(json_string_value(json_object_get(op, "summary")), p->zSummary);
    assert_true(json_object_size(json_object_get(op, "responses")) >= 2);
  }
  /* and nothing documented that is not routed */
  const char *zPath;
  json_t *item;
  json_object_foreach(paths, zPath, item) {
    int bFound = 0;
    for (int i = 0; i < http_nroutes; i++) bFound |= strcmp(http_routes[i].zPath, zPath) == 0;
    if (!bFound) fail_msg("openapi.json documents %s, which has no route", zPath);
  }
  json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
  for (int i = 0; i < dom_nentities; i++) assert_non_null(json_object_get(schemas, dom_entities[i]->zName));
  assert_non_null(json_object_get(schemas, "Error"));
  json_decref(doc);
  dom_shutdown();
}

/* Routes are unique: no two entries share method and path. */
static void routes_unique(void **state) {
  (void)state;
  for (int i = 0; i < http_nroutes; i++)
    for (int j = i + 1; j < http_nroutes; j++)
      if (http_routes[i].method == http_routes[j].method && !strcmp(http_routes[i].zPath, http_routes[j].zPath))
        fail_msg("route %s listed twice", http_routes[i].zPath);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_route_documented),
      cmocka_unit_test(routes_unique),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
