/* routes.c: every route of the API, in one table, with its help text (which
 * is also the OpenAPI summary). Method, path, handler, argument, flags. */
#include "http.h"
#include "../api/api.h"

extern dom_entity dom_area, dom_institution, dom_program, dom_cohort, dom_person, dom_enrollment;

/* The five routes of a registry entity. */
#define ENTITY_ROUTES(ent, path, tag)                                                                      \
  {HM_GET, "/api/v1/" path, api_entity_list, &ent, 0, tag, "List " path " (filtered, paged)"},              \
  {HM_POST, "/api/v1/" path, api_entity_create, &ent, R_BODY, tag, "Create a " #ent},                       \
  {HM_GET, "/api/v1/" path "/{id}", api_entity_get, &ent, 0, tag, "Read one (ETag = version)"},             \
  {HM_PATCH, "/api/v1/" path "/{id}", api_entity_update, &ent, R_BODY | R_IF_MATCH, tag,                    \
   "Change fields (If-Match required; 412 when stale)"},                                                   \
  {HM_DELETE, "/api/v1/" path "/{id}", api_entity_delete, &ent, 0, tag,                                     \
   "Delete (409 while referred to; If-Match optional)"}

const route http_routes[] = {
    {HM_GET, "/", api_index, NULL, R_PUBLIC, "meta", "Where things are: the API root and its reference"},
    {HM_GET, "/api/v1/health", api_health, NULL, R_PUBLIC, "meta", "Liveness and schema version"},
    {HM_GET, "/api/v1/openapi.json", api_openapi, NULL, R_PUBLIC, "meta", "This API's OpenAPI 3.1 document"},
    {HM_GET, "/api/v1/occupations", api_occupations, NULL, R_PUBLIC, "meta",
     "ISCO-08 occupation groups (level, q filters)"},
    ENTITY_ROUTES(dom_area, "areas", "areas"),
    ENTITY_ROUTES(dom_institution, "institutions", "institutions"),
    ENTITY_ROUTES(dom_program, "programs", "programs"),
    ENTITY_ROUTES(dom_cohort, "cohorts", "cohorts"),
    ENTITY_ROUTES(dom_person, "persons", "persons"),
    ENTITY_ROUTES(dom_enrollment, "enrollments", "enrollments"),
    {HM_POST, "/api/v1/enrollments/{id}/withdraw", api_enrollment_withdraw, NULL, R_BODY_OPT, "enrollments",
     "Withdraw (always allowed, no If-Match needed; optional reason)"},
};
const int http_nroutes = sizeof http_routes / sizeof http_routes[0];
