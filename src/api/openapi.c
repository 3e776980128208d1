/* openapi.c: builds the OpenAPI 3.1 document from the route table and the
 * entity field tables. Every route appears, with its summary, parameters,
 * request schema and responses; a unit test checks that none is missing.
 * The web interface takes its field definitions from this document (types,
 * required, readOnly, limits, enums, references; docs/web.md), so every
 * constraint of a field descriptor is said here: in JSON Schema where it has
 * a word for it, else in two extensions, "x-references" (the schema name of
 * the entity an id names, on fields and filters) and "x-immutable" (given at
 * creation, never changed). */
#include "api/api.h"
#include "http/authz.h"
#include "domain/competition/comp.h"
#include "domain/training/training.h"
#include <string.h>

/* The shortest text field f takes, as dom_check_value counts it (after
 * trimming): its min, else 1 when required. */
static int64_t text_min(const dom_field *f) {
  return f->min > 0 ? f->min : (f->flags & F_REQ) ? 1 : 0;
}

/* A string schema with f's length limits (characters), for a text field or
 * the items of a string list; the caller owns it. */
static json_t *text_schema(const dom_field *f) {
  json_t *s = json_pack("{s:s}", "type", "string");
  if (text_min(f) > 0) json_object_set_new(s, "minLength", json_integer(text_min(f)));
  if (f->max) json_object_set_new(s, "maxLength", json_integer(f->max));
  return s;
}

/* The schema of an id of pRef's records (x-references names pRef's schema). */
static json_t *id_schema(const dom_entity *pRef) {
  return json_pack("{s:s, s:i, s:s}", "type", "integer", "minimum", 1, "x-references", pRef->zName);
}

/* The schema of one field: JSON type, limits, enum, reference, flags. The
 * caller owns it. */
static json_t *field_schema(const dom_field *f) {
  json_t *s;
  switch (f->type) {
    case DT_INT:
      s = json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)f->min, "maximum", (json_int_t)f->max);
      break;
    case DT_REF:
      s = id_schema(f->pRef);
      break;
    case DT_CENTI:
      s = json_pack("{s:s, s:f, s:f, s:f}", "type", "number", "minimum", (double)f->min / 100, "maximum",
                    (double)f->max / 100, "multipleOf", 0.01);
      break;
    case DT_BOOL:
      s = json_pack("{s:s}", "type", "boolean");
      break;
    case DT_DATE:
      s = json_pack("{s:s, s:s}", "type", "string", "format", "date");
      break;
    case DT_TIME:
      s = json_pack("{s:s, s:s}", "type", "string", "format", "date-time");
      break;
    case DT_ENUM: {
      json_t *a = json_array();
      for (const char *const *pz = f->azEnum; *pz; pz++) json_array_append_new(a, json_string(*pz));
      s = json_pack("{s:s, s:o}", "type", "string", "enum", a);
      break;
    }
    case DT_ISCO:
      s = json_pack("{s:s, s:s, s:s}", "type", "string", "format", "isco-08", "pattern", "^[0-9]{4}$");
      break;
    case DT_STRLIST: case DT_REFLIST:   /* no entry twice, at most DOM_MAXLIST */
      s = json_pack("{s:s, s:o, s:i, s:b}", "type", "array", "items",
                    f->type == DT_STRLIST ? text_schema(f) : id_schema(f->pRef), "maxItems", DOM_MAXLIST,
                    "uniqueItems", 1);
      break;
    default:
      s = text_schema(f);
  }
  if (!(f->flags & F_REQ) && f->type != DT_STRLIST && f->type != DT_REFLIST) {
    json_t *t = json_object_get(s, "type"), *pEnum = json_object_get(s, "enum");
    json_object_set_new(s, "type", json_pack("[O, s]", t, "null"));
    if (pEnum) json_array_append_new(pEnum, json_null());   /* else null would fail the enum */
  }
  json_object_set_new(s, "description", json_string(f->zHelp));
  if (f->flags & F_RO) json_object_set_new(s, "readOnly", json_true());
  if (f->flags & F_VIRT) json_object_set_new(s, "writeOnly", json_true());
  if (f->flags & F_IMMUT) json_object_set_new(s, "x-immutable", json_true());
  return s;
}

static json_t *entity_schema(const dom_entity *pEnt) {
  json_t *props = json_object(), *req = json_array();
  json_object_set_new(props, "id", json_pack("{s:s, s:b}", "type", "integer", "readOnly", 1));
  json_object_set_new(props, "version", json_pack("{s:s, s:b, s:s}", "type", "integer", "readOnly", 1,
                                                  "description", "changes on every write; the ETag"));
  for (int k = 0; k < pEnt->nField; k++) {
    const dom_field *f = &pEnt->aField[k];
    if (f->flags & F_HIDDEN) continue;
    json_object_set_new(props, f->zName, field_schema(f));
    if (f->flags & F_REQ) json_array_append_new(req, json_string(f->zName));
  }
  json_object_set_new(props, "created_at", json_pack("{s:s, s:s, s:b}", "type", "string", "format", "date-time", "readOnly", 1));
  json_object_set_new(props, "updated_at", json_pack("{s:s, s:s, s:b}", "type", "string", "format", "date-time", "readOnly", 1));
  return json_pack("{s:s, s:s, s:o, s:o, s:b}", "type", "object", "description", pEnt->zHelp, "properties", props,
                   "required", req, "additionalProperties", 0);
}

/* The "reason" and "params" properties an error and each refused row have:
 * the reasons of reasons.def (a client's catalog key) and the rule's named
 * parameters. Adds them to props. */
static void reason_props(json_t *props) {
  json_t *aReason = json_array();
  for (int r = 1; r < GR__MAX; r++) json_array_append_new(aReason, json_string(gerr_reason_name((greason)r)));
  json_object_set_new(props, "reason", json_pack("{s:s, s:o, s:s}", "type", "string", "enum", aReason, "description",
                                                 "the rule that refused (stable); a client writes its message from it"));
  json_object_set_new(props, "params",
                      json_pack("{s:s, s:{s:[{s:s}, {s:s}]}, s:s}", "type", "object", "additionalProperties", "oneOf",
                                "type", "number", "type", "string", "description",
                                "the rule's parameters by name (e.g. min, max, got, allowed, id), as the reason's "
                                "{placeholders} name them"));
}

/* The one error format; rows: an all-or-nothing operation's refused rows (code rows_refused). */
static json_t *error_schema(void) {
  json_t *aCode = json_array();
  for (int c = 1; c < GERR__MAX; c++) json_array_append_new(aCode, json_string(gerr_name((gerr_code)c)));
  json_t *pRowProps = json_pack("{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s}, s:{s:s}, s:{s:s}}", "index", "type", "integer",
                                "description", "the row's index in the request's list, from 0", "row", "type",
                                "integer", "description", "the row of a CSV file (the header is row 1)", "field", "type",
                                "string", "code", "type", "string", "message", "type", "string");
  reason_props(pRowProps);
  json_t *pRow = json_pack("{s:s, s:o, s:[s, s, s]}", "type", "object", "properties", pRowProps, "required", "code",
                           "reason", "message");
  json_t *pProps = json_pack("{s:{s:s, s:o, s:s}, s:{s:s, s:s}, s:{s:s}, s:{s:s, s:o}}", "code", "type", "string",
                             "enum", aCode, "description", "the class of the error (its HTTP status)", "message",
                             "type", "string", "description",
                             "the server's English words (for logs and scripts; a user interface writes its own)",
                             "field", "type", "string", "rows", "type", "array", "items", pRow);
  reason_props(pProps);
  return json_pack("{s:s, s:{s:{s:s, s:o, s:[s, s, s]}}}", "type", "object", "properties", "error", "type", "object",
                   "properties", pProps, "required", "code", "reason", "message");
}

/* {"$ref": "#/components/<zKind>/<zName>"}; the caller owns it. */
static json_t *comp_ref(const char *zKind, const char *zName) {
  char z[160];
  snprintf(z, sizeof z, "#/components/%s/%s", zKind, zName);
  return json_pack("{s:s}", "$ref", z);
}

static json_t *ref(const char *zName) { return comp_ref("schemas", zName); }

static json_t *json_content(json_t *pSchema) {
  return json_pack("{s:{s:o}}", "application/json", "schema", pSchema);
}

static json_t *response_ref(const char *zName) { return comp_ref("responses", zName); }
static json_t *header_ref(const char *zName) { return comp_ref("headers", zName); }

/* The answers any route can give before or beside its own (the connection
 * guard's, and a storage fault's), for components/responses; and the
 * Retry-After header they carry, for components/headers (*ppHeaders). */
static json_t *common_responses(json_t **ppHeaders) {
  *ppHeaders = json_pack("{s:{s:s, s:{s:s, s:i}}}", "RetryAfter", "description",
                         "seconds to wait before trying again", "schema", "type", "integer", "minimum", 1);
  static const struct {
    const char *zName, *zWhen;
    int bRetry;
  } aCommon[] = {
      {"RequestTimeout", "the request's head or body did not arrive within its time; the connection is closed", 0},
      {"TooManyConnections", "this address has as many connections open as it may: close some, or wait", 1},
      {"Unavailable",
       "the server has as many connections as it takes, or the database cannot write now (a full disk, a read-only "
       "database): nothing was saved; try again after Retry-After seconds",
       1},
  };
  json_t *o = json_object();
  for (size_t i = 0; i < sizeof aCommon / sizeof aCommon[0]; i++) {
    json_t *r = json_pack("{s:s, s:o}", "description", aCommon[i].zWhen, "content", json_content(ref("Error")));
    if (aCommon[i].bRetry) json_object_set_new(r, "headers", json_pack("{s:o}", "Retry-After", header_ref("RetryAfter")));
    json_object_set_new(o, aCommon[i].zName, r);
  }
  return o;
}

/* A query parameter "format" with the values in azEnum (NULL-terminated). */
static void add_format_param(json_t *params, const char *zHelp, const char *const *azEnum) {
  json_t *a = json_array();
  for (const char *const *pz = azEnum; *pz; pz++) json_array_append_new(a, json_string(*pz));
  json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:{s:s, s:o}}", "name", "format", "in", "query",
                                          "description", zHelp, "schema", "type", "string", "enum", a));
}

/* The body of a mark's correction: the new value and a reason from the fixed list. */
static json_t *correction_body(void) {
  json_t *a = json_array();
  for (const char *const *pz = comp_correction_reasons; *pz; pz++) json_array_append_new(a, json_string(*pz));
  return json_pack("{s:s, s:[s, s], s:{s:{s:s, s:f, s:f, s:f}, s:{s:s, s:o}}}", "type", "object", "required", "value",
                   "reason", "properties", "value", "type", "number", "minimum", 0.0, "maximum", 100.0, "multipleOf",
                   0.01, "reason", "type", "string", "enum", a);
}

/* The body of a withdrawal: an enrollment's, an optional reason of those its
 * withdrawal_reason takes; a competitor's, nothing. */
static json_t *withdraw_body(const route *p, const dom_entity *pEnt) {
  json_t *props = json_object();
  int k = p->xHandler == api_enrollment_withdraw ? dom_field_index(pEnt, "withdrawal_reason") : -1;
  if (k >= 0) json_object_set_new(props, "reason", field_schema(&pEnt->aField[k]));
  return json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props, "additionalProperties", 0);
}

/* The filters of pEnt's list, and with bPaged its paging parameters. */
static void add_query_params(json_t *params, const dom_entity *pEnt, int bPaged) {
  static const char *const azPage[][2] = {
      {"limit", "page size, 1 to 500 (default 50)"},
      {"offset", "rows to skip (with total); or use after"},
      {"after", "keyset cursor: only ids greater than this (next_after of the previous page)"},
  };
  for (size_t i = 0; bPaged && i < 3; i++)
    json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", azPage[i][0], "in", "query",
                                            "description", azPage[i][1], "schema", "type", "integer"));
  for (int k = 0; k < pEnt->nFilter; k++) {
    const dom_filter *f = &pEnt->aFilter[k];
    json_t *pSchema = json_pack("{s:s}", "type", f->kind == FILT_INT ? "integer" : "string");
    if (f->kind == FILT_DATE) json_object_set_new(pSchema, "format", json_string("date"));
    if (f->kind == FILT_CONTAINS) {
      json_object_set_new(pSchema, "minLength", json_integer(1));
      json_object_set_new(pSchema, "maxLength", json_integer(DOM_CONTAINS_MAX));
    }
    if (f->azEnum) {
      json_t *a = json_array();
      for (const char *const *pz = f->azEnum; *pz; pz++) json_array_append_new(a, json_string(*pz));
      json_object_set_new(pSchema, "enum", a);
    }
    if (f->kind == FILT_INT && f->pRef) json_object_set_new(pSchema, "x-references", json_string(f->pRef->zName));
    json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:o}", "name", f->zName, "in", "query",
                                            "description", f->zHelp, "schema", pSchema));
  }
}

/* The export parameters of the routes that answer in JSON or CSV. */
static void add_export_params(json_t *params, const route *p) {
  static const char *const azResults[] = {"json", "csv", "xlsx", NULL}, *const azStats[] = {"json", "csv", NULL};
  static const struct {
    http_handler x;
    const char *zFormats;
    const char *const *azFormat;
    const char *zTables;
  } aExport[] = {
      {api_edition_results, "json (default), csv or xlsx", azResults,
       "competitors (csv default) or institutions; xlsx: both worksheets unless one is named"},
      {api_public_results, "json (default), csv or xlsx", azResults,
       "competitors (csv default) or institutions; xlsx: both worksheets unless one is named"},
      {api_competition_stats, "json (default) or csv", azStats, "editions (default) or medals"},
      {api_me_export, "json (default), csv or xlsx (one table: section, record, field, value)", azResults, NULL},
      {api_import_get, "json (default), or the error report as csv or xlsx", azResults, NULL},
  };
  for (size_t i = 0; i < sizeof aExport / sizeof aExport[0]; i++) {
    if (p->xHandler != aExport[i].x) continue;
    add_format_param(params, aExport[i].zFormats, aExport[i].azFormat);
    if (aExport[i].zTables)
      json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", "table", "in", "query",
                                              "description", aExport[i].zTables, "schema", "type", "string"));
  }
}

/* The query parameters of routes whose handlers read their own (not entity lists). */
static void add_own_params(json_t *params, const route *p) {
  static const struct {
    http_handler x;
    const char *zName, *zType, *zHelp;
    int bRequired;
  } aParam[] = {
      {api_stats_overview, "institution", "integer",
       "one institution's figures (staff: their own, also when absent); absent: the whole region", 0},
      {api_import_create, "kind", "string", "what the file holds: persons", 1},
      {api_import_create, "skip_invalid", "boolean", "import the valid rows and report the others", 0},
      {api_import_create, "map", "string", "header renames as guild import --map: 'Student ID=sourced_id,Notes='", 0},
      {api_import_create, "name", "string", "the file's name, for the error report (default upload.csv)", 0},
      {api_import_create, "encoding", "string", "the file's encoding when not UTF-8, as guild import --encoding: "
                                                "UTF-16, WINDOWS-1252, GB18030, ...", 0},
      {api_imports_list, "limit", "integer", "1 to 100 (default 20)", 0},
      {api_imports_list, "before", "integer", "only imports older than this id (next_before of the previous page)", 0},
      {api_evidence_upload, "person", "integer", "whose evidence it is (a learner: their own, the default)", 0},
      {api_evidence_upload, "name", "string", "the file's name (no quotes, slashes or backslashes)", 1},
      {api_evidence_upload, "date", "string", "the day the evidence was made, YYYY-MM-DD (default: the event's)", 0},
      {api_unit_agreement, "cohort", "integer", "one cohort's agreement only", 0},
  };
  for (size_t i = 0; i < sizeof aParam / sizeof aParam[0]; i++)
    if (p->xHandler == aParam[i].x)
      json_array_append_new(params, json_pack("{s:s, s:s, s:s, s:b, s:{s:s}}", "name", aParam[i].zName, "in",
                                              "query", "description", aParam[i].zHelp, "required",
                                              aParam[i].bRequired, "schema", "type", aParam[i].zType));
}

/* The responses every route can give, and those particular to it. */
static json_t *responses(const route *p, const dom_entity *pEnt) {
  json_t *o = json_object();
  json_t *pOk = pEnt ? ref(pEnt->zName) : json_pack("{s:s}", "type", "object");
  if (p->xHandler == api_entity_list)
    pOk = json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:[s, s]}}}", "type", "object",
                    "properties", "items", "type", "array", "items", pOk, "total", "type", "integer", "limit", "type",
                    "integer", "offset", "type", "integer", "next_after", "type", "integer", "null");
  if (p->flags & R_NO_CONTENT) {
    json_decref(pOk);
    json_object_set_new(o, "204", json_pack("{s:s}", "description", "done; no content"));
  } else if (p->xHandler == api_evidence_content) {   /* the file as it was given */
    json_decref(pOk);
    json_t *pTypes = json_object();
    for (const char *const *pz = asmt_evidence_types; *pz; pz++)
      json_object_set_new(pTypes, *pz, json_pack("{s:{s:s, s:s}}", "schema", "type", "string", "format", "binary"));
    json_object_set_new(o, "200", json_pack("{s:s, s:o}", "description", "the file", "content", pTypes));
  } else if (p->flags & R_LIST) {   /* a file */
    json_decref(pOk);
    json_object_set_new(o, "200", json_pack("{s:s, s:{s:{s:{s:s}}, s:{s:{s:s, s:s}}}}", "description",
                                            "the file (Content-Disposition names it)", "content", "text/csv",
                                            "schema", "type", "string", tab_content_type(TAB_XLSX), "schema", "type",
                                            "string", "format", "binary"));
  } else {
    json_object_set_new(o, (p->flags & R_CREATED) ? "201" : (p->flags & R_ACCEPTED) ? "202" : "200",
                        json_pack("{s:s, s:o}", "description", "success", "content", json_content(pOk)));
  }
  if (!p->pRule->bPublic) {
    json_object_set_new(o, "401", json_pack("{s:s, s:o}", "description", "not signed in, or the session ended",
                                            "content", json_content(ref("Error"))));
    if (!p->pRule->bAnyUser)
      json_object_set_new(o, "403", json_pack("{s:s, s:o}", "description", p->pRule->zHelp, "content",
                                              json_content(ref("Error"))));
  }
  /* the connection guard's answers (src/http/guard.c), on every route */
  json_object_set_new(o, "408", response_ref("RequestTimeout"));
  if (p->xHandler == api_login || p->xHandler == api_import_create)
    json_object_set_new(o, "429", json_pack("{s:s, s:{s:o}, s:o}", "description",
                                            p->xHandler == api_login
                                                ? "too many failed sign-ins, or connections from this address: wait"
                                                : "too many imports waiting on this server, or connections from "
                                                  "this address: wait",
                                            "headers", "Retry-After", header_ref("RetryAfter"), "content",
                                            json_content(ref("Error"))));
  else
    json_object_set_new(o, "429", response_ref("TooManyConnections"));
  json_object_set_new(o, "503", response_ref("Unavailable"));
  static const struct { const char *zCode, *zWhen; unsigned need; } aErr[] = {
      {"400", "malformed request or JSON", 0},
      {"404", "no such record", 0},
      {"405", "method not allowed on this path", 0},
      {"409", "conflicts with existing data, or still referred to", 0},
      {"412", "the record changed since it was read (stale If-Match)", R_IF_MATCH},
      {"413", "request body too large", R_BODY | R_UPLOAD},
      {"415", "request body is not of the media type the route takes", R_BODY | R_UPLOAD},
      {"422", "a field or parameter is invalid (error.field names it)", 0},
      {"428", "If-Match missing", R_IF_MATCH},
  };
  for (size_t i = 0; i < sizeof aErr / sizeof aErr[0]; i++) {
    if (aErr[i].need && !(p->flags & aErr[i].need)) continue;
    json_object_set_new(o, aErr[i].zCode, json_pack("{s:s, s:o}", "description", aErr[i].zWhen, "content",
                                                    json_content(ref("Error"))));
  }
  return o;
}

/* The media types an upload route takes (its http_upload; none: text/csv). */
static json_t *upload_content(const route *p) {
  static const char *const azCsv[] = {"text/csv", NULL};
  const http_upload *pUp = p->pArg;
  const char *const *az = pUp && pUp->azMedia ? pUp->azMedia : azCsv;
  json_t *o = json_object();
  for (; *az; az++)
    json_object_set_new(o, *az, strcmp(*az, "text/csv") ? json_pack("{s:{s:s, s:s}}", "schema", "type", "string",
                                                                     "format", "binary")
                                                        : json_pack("{s:{s:s}}", "schema", "type", "string"));
  return o;
}

static void lower_method(http_method m, char *z, size_t n) {
  snprintf(z, n, "%s", http_method_name(m));
  for (char *p = z; *p; p++) *p = (char)(*p | 0x20);
}

json_t *api_openapi_doc(void) {
  http_routes_init();
  json_t *paths = json_object(), *schemas = json_object();
  json_object_set_new(schemas, "Error", error_schema());
  for (int i = 0; i < dom_nentities; i++)
    json_object_set_new(schemas, dom_entities[i]->zName, entity_schema(dom_entities[i]));
  for (int i = 0; i < http_nroutes; i++) {
    const route *p = &http_routes[i];
    const dom_entity *pEnt = NULL;
    for (int k = 0; k < dom_nentities; k++)
      if (p->pArg == dom_entities[k]) pEnt = dom_entities[k];
    if (!pEnt && strstr(p->zPath, "/enrollments/")) pEnt = dom_entity_find("enrollment");
    json_t *item = json_object_get(paths, p->zPath);
    if (!item) {
      item = json_object();
      json_object_set_new(paths, p->zPath, item);
    }
    json_t *params = json_array();
    if (strstr(p->zPath, "{id}"))
      json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", "id", "in", "path",
                                              "required", 1, "schema", "type", "integer", "minimum", 1));
    if (p->flags & R_IF_MATCH)
      json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s, s:{s:s}}", "name", "If-Match", "in", "header",
                                              "required", 1, "description", "the ETag the record was read with",
                                              "schema", "type", "string"));
    if (p->xHandler == api_entity_list) add_query_params(params, pEnt, 1);
    if (p->flags & R_LIST) {
      add_query_params(params, pEnt, 0);
      static const char *const azFormat[] = {"csv", "xlsx", NULL};
      add_format_param(params, "csv (default) or xlsx", azFormat);
    }
    add_export_params(params, p);
    add_own_params(params, p);
    char zMethod[16], zOp[160];
    lower_method(p->method, zMethod, sizeof zMethod);
    snprintf(zOp, sizeof zOp, "%s%s", zMethod, p->zPath);
    for (char *q = zOp; *q; q++)
      if (*q == '/' || *q == '{' || *q == '}' || *q == '.') *q = '_';
    json_t *op = json_pack("{s:s, s:[s], s:s, s:o, s:o}", "summary", p->zSummary, "tags", p->zTag, "operationId", zOp,
                           "parameters", params, "responses", responses(p, pEnt));
    if (p->flags & (R_BODY | R_BODY_OPT)) {
      json_t *pOwn = api_assessment_body_schema(p->xHandler);
      json_t *pSchema = (p->xHandler == api_entity_create || p->xHandler == api_entity_update) && pEnt
                            ? ref(pEnt->zName)
                        : p->xHandler == api_mark_correction
                            ? correction_body()
                        : p->xHandler == api_enrollment_withdraw || p->xHandler == api_competitor_withdraw
                            ? withdraw_body(p, pEnt)
                        : pOwn ? pOwn
                               : json_pack("{s:s, s:{s:{s:s}}}", "type", "object", "properties", "reason", "type", "string");
      json_object_set_new(op, "requestBody", json_pack("{s:b, s:o}", "required", (p->flags & R_BODY) != 0,
                                                       "content", json_content(pSchema)));
    }
    if (p->flags & R_UPLOAD)
      json_object_set_new(op, "requestBody", json_pack("{s:b, s:o}", "required", 1, "content", upload_content(p)));
    api_comp_bulk_doc(p, op);   /* the competition's bulk routes: their bodies and answers */
    json_object_set_new(item, zMethod, op);
  }
  json_t *pSec = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s}}", "session", "type", "apiKey", "in", "cookie", "name",
                           HTTP_SESSION_COOKIE, "apiToken", "type", "http", "scheme", "bearer");
  json_t *pHeaders, *pCommon = common_responses(&pHeaders);
  return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:o, s:o, s:o, s:o}}", "openapi", "3.1.0", "info", "title",
                   "guild API", "version", GUILD_VERSION, "description",
                   "guild: vocational education and training management. Errors are always "
                   "{\"error\":{\"code\",\"message\",\"field\"}}; an all-or-nothing operation on many rows "
                   "refused adds \"rows\" (code rows_refused).",
                   "servers", "url", "/", "paths", paths, "components", "schemas", schemas, "securitySchemes", pSec, "responses", pCommon,
                   "headers", pHeaders);
}
