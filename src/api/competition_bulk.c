/* competition_bulk.c: the competition routes that do in one call what the
 * record routes do one record at a time (the CLI's one-step commands): a
 * judge's marks for a competitor or a category, a category's competitors,
 * its marking scheme as CSV (out, in, and copied from another category),
 * and a judge's assignment with their person, account and grant. Each
 * parses its body here (a row of the wrong shape is a refused row, named
 * by its index) and calls the domain (domain/competition/comp_bulk.h,
 * comp_csv.h), which checks access and writes all rows or none; a refusal
 * lists every refused row (error.rows, src/http/router.c). Also the
 * OpenAPI bodies of these routes (api_comp_bulk_doc). */
#include "api/api.h"
#include "core/buf.h"
#include "core/tmp.h"
#include "domain/competition/comp_bulk.h"
#include "domain/competition/comp_csv.h"
#include <math.h>
#include <string.h>
#include <unistd.h>

extern dom_entity dom_person;

/* --- rows of a JSON list ------------------------------------------------------ */

typedef enum { K_ID, K_CENTI, K_BOOL } key_kind;
/* The reason a member of each kind is refused for when of another JSON type. */
static const greason aKind[] = {[K_ID] = GR_NOT_ID, [K_CENTI] = GR_NOT_NUMBER, [K_BOOL] = GR_NOT_BOOLEAN};

/* A member a row may have: its name, kind, whether it must be there, and
 * what the API reference says of it. */
typedef struct row_key {
  const char *zName;
  key_kind kind;
  int bRequired;
  const char *zHelp;
} row_key;

#define NKEY(a) ((int)(sizeof a / sizeof a[0]))

static const row_key aCompetitorMark[] = {
    {"aspect_id", K_ID, 1, "the aspect"},
    {"value", K_CENTI, 1, "measurement: the mark (0, a part mark or the maximum); judgement: the score 0, 1, 2 or 3"},
};
static const row_key aCategoryMark[] = {
    {"competitor_id", K_ID, 1, "the competitor (entered in this category)"},
    {"aspect_id", K_ID, 1, "the aspect"},
    {"value", K_CENTI, 1, "measurement: the mark (0, a part mark or the maximum); judgement: the score 0, 1, 2 or 3"},
};
static const row_key aEntry[] = {
    {"person_id", K_ID, 1, "the learner"},
    {"institution_id", K_ID, 0, "the institution entering them (staff: theirs, the default)"},
    {"consent", K_BOOL, 1, "must be true: the learner's own consent"},
};

/* Reads row x (an object of aKey's members) into av[k] (hundredths for
 * K_CENTI, 0/1 for K_BOOL); bit k of *pmGiven: member k was given. -1 with
 * e naming the member when x is not such an object, or leaves out a
 * required id or number (a consent left out is the domain's to refuse, in
 * its words). */
static int parse_row(json_t *x, const row_key *aKey, int nKey, int64_t *av, unsigned *pmGiven, gerr *e) {
  *pmGiven = 0;
  if (!json_is_object(x)) {
    char z[200] = "";
    for (int k = 0; k < nKey; k++) snprintf(z + strlen(z), sizeof z - strlen(z), "%s%s", k ? ", " : "", aKey[k].zName);
    gerr_setr(e, GERR_VALIDATION, GR_ROW_NOT_OBJECT, NULL, GP_S("members", z));
    return gerr_msg(e, "each row is an object {%s}", z);
  }
  const char *zMember;
  json_t *v;
  json_object_foreach(x, zMember, v) {
    int k = 0;
    while (k < nKey && strcmp(aKey[k].zName, zMember)) k++;
    if (k == nKey) {
      gerr_setr(e, GERR_VALIDATION, GR_NOT_ACCEPTED, zMember);
      return gerr_msg(e, "%.60s: is not a member of a row here", zMember);
    }
    int bOk = aKey[k].kind == K_BOOL ? json_is_boolean(v) : aKey[k].kind == K_ID ? json_is_integer(v) && json_integer_value(v) > 0
                                                                                 : json_is_number(v);
    if (!bOk)
      return gerr_setr(e, GERR_VALIDATION, aKind[aKey[k].kind], aKey[k].zName);
    if (aKey[k].kind == K_CENTI) {
      double c = json_number_value(v) * 100, r = floor(c + 0.5);
      if (fabs(c - r) > 1e-6 || fabs(r) > 1e9) return gerr_setr(e, GERR_VALIDATION, GR_DECIMALS, aKey[k].zName);
      av[k] = (int64_t)r;
    } else {
      av[k] = aKey[k].kind == K_BOOL ? json_is_true(v) : json_integer_value(v);
    }
    *pmGiven |= 1u << k;
  }
  for (int k = 0; k < nKey; k++)
    if (aKey[k].bRequired && aKey[k].kind != K_BOOL && !(*pmGiven & (1u << k)))
      return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, aKey[k].zName);
  return 0;
}

/* A body's list of rows, read: row i's members in av[i] (as parse_row),
 * which were given in am[i], abBad[i] when the row is refused (in rows),
 * aId for the ids the rows get. */
typedef struct row_list {
  int n;
  int64_t (*av)[3];
  unsigned *am;
  unsigned char *abBad;
  int64_t *aId;
  gerr_rows rows;
} row_list;

/* Reads the body's list zList (its only member, at most COMP_BULK_MAX rows
 * of aKey's members) into p, in the request's arena; a row of the wrong
 * shape is refused (p->rows), not the body. 0, or -1 with e. */
static int read_list(http_req *r, const char *zList, const row_key *aKey, int nKey, row_list *p, gerr *e) {
  const char *const az[] = {zList, NULL};
  if (api_only_keys(r, az, e)) return -1;
  json_t *a = json_object_get(r->pBody, zList);
  if (!a) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, zList);
  if (!json_is_array(a)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_LIST, zList);
  if (json_array_size(a) > COMP_BULK_MAX) {
    gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, zList, GP_I("max", COMP_BULK_MAX));
    return gerr_msg(e, "%s: at most %d rows at once", zList, COMP_BULK_MAX);
  }
  p->n = (int)json_array_size(a);
  size_t nAlloc = (size_t)(p->n ? p->n : 1);
  p->av = arena_alloc(r->pAr, nAlloc * sizeof *p->av);
  p->am = arena_alloc(r->pAr, nAlloc * sizeof *p->am);
  p->abBad = arena_alloc(r->pAr, nAlloc);
  p->aId = arena_alloc(r->pAr, nAlloc * sizeof *p->aId);
  gerr_rows_init(&p->rows, r->pAr);
  for (int i = 0; i < p->n; i++) {
    gerr eRow;
    if (parse_row(json_array_get(a, i), aKey, nKey, p->av[i], &p->am[i], &eRow)) {
      gerr_rows_add(&p->rows, i, 0, NULL, &eRow);
      p->abBad[i] = 1;
    }
  }
  return 0;
}

/* 201 {"count": n, "ids": [...]}: the records the rows made, in their order. */
static json_t *ids_out(http_req *r, const int64_t *aId, int n) {
  r->status = 201;
  json_t *a = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(a, json_integer(aId[i]));
  return json_pack("{s:i, s:o}", "count", n, "ids", a);
}

/* --- marks -------------------------------------------------------------------- */

/* The rows of "marks": for a competitor (no competitor_id) or a category. */
static json_t *marks(http_req *r, int bCategory, gerr *e) {
  const row_key *aKey = bCategory ? aCategoryMark : aCompetitorMark;
  int nKey = bCategory ? NKEY(aCategoryMark) : NKEY(aCompetitorMark);
  row_list l;
  if (read_list(r, "marks", aKey, nKey, &l, e)) return NULL;
  comp_mark_in *a = arena_alloc(r->pAr, (size_t)(l.n ? l.n : 1) * sizeof *a);
  for (int i = 0; i < l.n; i++)   /* the last two members: aspect_id, value */
    a[i] = (comp_mark_in){bCategory ? l.av[i][0] : 0, l.av[i][nKey - 2], l.av[i][nKey - 1], l.abBad[i]};
  dom_ctx c = api_ctx(r);
  int rc = bCategory ? comp_marks_for_category(&c, r->aId[0], a, l.n, &l.rows, "marks", l.aId, e)
                     : comp_marks_for_competitor(&c, r->aId[0], a, l.n, &l.rows, "marks", l.aId, e);
  return rc ? NULL : ids_out(r, l.aId, l.n);
}

json_t *api_competitor_marks_enter(http_req *r, gerr *e) { return marks(r, 0, e); }
json_t *api_category_marks_enter(http_req *r, gerr *e) { return marks(r, 1, e); }

/* --- competitors --------------------------------------------------------------- */

json_t *api_category_competitors_enter(http_req *r, gerr *e) {
  row_list l;
  if (read_list(r, "competitors", aEntry, NKEY(aEntry), &l, e)) return NULL;
  comp_entry_in *a = arena_alloc(r->pAr, (size_t)(l.n ? l.n : 1) * sizeof *a);
  for (int i = 0; i < l.n; i++)   /* person_id, institution_id, consent (bit 2: given) */
    a[i] = (comp_entry_in){l.av[i][0], l.av[i][1], (int)l.av[i][2], (l.am[i] & 4u) != 0, l.abBad[i]};
  dom_ctx c = api_ctx(r);
  if (comp_enter_competitors(&c, r->aId[0], a, l.n, &l.rows, "competitors", l.aId, e)) return NULL;
  return ids_out(r, l.aId, l.n);
}

/* --- marking schemes ------------------------------------------------------------ */

json_t *api_category_scheme(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  gbuf b;
  int n;
  gbuf_init(&b, HTTP_MAX_BODY);
  if (comp_scheme_csv(&c, r->aId[0], &b, &n, e) == 0) {
    api_send_csv(r, &b);
    r->zFileName = arena_printf(r->pAr, "category-%lld-scheme.csv", (long long)r->aId[0]);
  }
  gbuf_free(&b);
  return NULL;
}

/* 201 with what was written. */
static json_t *scheme_out(http_req *r, int64_t idCategory, int n) {
  r->status = 201;
  return json_pack("{s:I, s:i}", "category_id", (json_int_t)idCategory, "rows_written", n);
}

json_t *api_category_scheme_import(http_req *r, gerr *e) {
  char zPath[512];   /* the router has checked it is CSV of at most 1 MiB (the route's http_upload) */
  int fd = tmp_create("scheme", ".csv", zPath, sizeof zPath, e);
  if (fd < 0) return NULL;
  int rc = http_body_to_file(r, fd, e);
  if (close(fd) && rc == 0) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot store the upload");
  dom_ctx c = api_ctx(r);
  int n = 0;
  if (rc == 0) rc = comp_scheme_import(&c, r->aId[0], zPath, &n, e);
  unlink(zPath);
  return rc ? NULL : scheme_out(r, r->aId[0], n);
}

json_t *api_category_scheme_copy(http_req *r, gerr *e) {
  static const char *const az[] = {"from_category_id", NULL};
  if (api_only_keys(r, az, e)) return NULL;
  json_t *j = json_object_get(r->pBody, "from_category_id");
  if (!j) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "from_category_id"), NULL;
  if (!json_is_integer(j) || json_integer_value(j) < 1)
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, "from_category_id"), NULL;
  dom_ctx c = api_ctx(r);
  int n;
  if (comp_scheme_copy(&c, json_integer_value(j), r->aId[0], &n, e)) return NULL;
  return scheme_out(r, r->aId[0], n);
}

/* --- a judge in one call ---------------------------------------------------------- */

static const char *const azJudgeKey[] = {"person_id", "person", "user_id", "username", "display_name",
                                         "institution_id", "chief", NULL};

/* Member zKey of the body as an id (0 when absent or null). */
static int body_id(http_req *r, const char *zKey, int64_t *p, gerr *e) {
  json_t *j = json_object_get(r->pBody, zKey);
  *p = 0;
  if (!j || json_is_null(j)) return 0;
  if (!json_is_integer(j) || json_integer_value(j) < 1)
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, zKey);
  *p = json_integer_value(j);
  return 0;
}

/* Member zKey as text (NULL when absent or null). */
static int body_text(http_req *r, const char *zKey, const char **pz, gerr *e) {
  json_t *j = json_object_get(r->pBody, zKey);
  *pz = NULL;
  if (!j || json_is_null(j)) return 0;
  if (!json_is_string(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, zKey);
  if (strlen(json_string_value(j)) != json_string_length(j)) return gerr_setr(e, GERR_VALIDATION, GR_NUL_CHAR, zKey);
  *pz = arena_strdup(r->pAr, json_string_value(j));
  return 0;
}

json_t *api_category_judge_assign(http_req *r, gerr *e) {
  comp_judge_in in;
  memset(&in, 0, sizeof in);
  dom_rec person;
  json_t *pPerson = json_object_get(r->pBody, "person"), *pChief = json_object_get(r->pBody, "chief");
  if (api_only_keys(r, azJudgeKey, e) || body_id(r, "person_id", &in.person_id, e) ||
      body_id(r, "user_id", &in.user_id, e) || body_text(r, "username", &in.zUsername, e) ||
      body_text(r, "display_name", &in.zDisplayName, e) || body_id(r, "institution_id", &in.institution_id, e))
    return NULL;
  if (pChief && !json_is_boolean(pChief))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_BOOLEAN, "chief"), NULL;
  in.bChief = json_is_true(pChief);
  if (pPerson && !json_is_null(pPerson)) {
    if (!json_is_object(pPerson))
      return gerr_setr(e, GERR_VALIDATION, GR_NEW_PERSON_OBJECT, "person"), NULL;
    if (api_rec_from_json(r->pAr, &dom_person, pPerson, &person, e)) {
      char z[sizeof e->field];
      snprintf(z, sizeof z, "%s", e->field);
      snprintf(e->field, sizeof e->field, "person.%.50s", z);
      return NULL;
    }
    in.pPerson = &person;
  }
  dom_ctx c = api_ctx(r);
  comp_judge_out out;
  if (comp_assign_judge(&c, r->aId[0], &in, &out, e)) return NULL;
  json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:{s:b, s:b, s:b}}", "judge", api_rec_json(&out.judge), "person",
                        api_rec_json(&out.person), "user", api_rec_json(&out.user), "grant", api_rec_json(&out.grant),
                        "created", "person", out.bNewPerson, "user", out.bNewUser, "grant", out.bNewGrant);
  if (out.zPassword[0]) json_object_set_new(o, "password", json_string(out.zPassword));
  snprintf(r->zLocation, sizeof r->zLocation, "/api/v1/judges/%lld", (long long)out.judge.id);
  r->status = 201;
  return o;
}

/* --- the OpenAPI document ---------------------------------------------------------- */

/* The schema of a row of aKey's members. */
static json_t *row_schema(const row_key *aKey, int nKey) {
  json_t *props = json_object(), *req = json_array();
  for (int k = 0; k < nKey; k++) {
    json_t *s = aKey[k].kind == K_ID     ? json_pack("{s:s, s:i}", "type", "integer", "minimum", 1)
                : aKey[k].kind == K_BOOL ? json_pack("{s:s}", "type", "boolean")
                                         : json_pack("{s:s, s:f, s:f, s:f}", "type", "number", "minimum", 0.0,
                                                     "maximum", 100.0, "multipleOf", 0.01);
    json_object_set_new(s, "description", json_string(aKey[k].zHelp));
    json_object_set_new(props, aKey[k].zName, s);
    if (aKey[k].bRequired) json_array_append_new(req, json_string(aKey[k].zName));
  }
  return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                   "additionalProperties", 0);
}

/* {zList: [rows]}, the body of a list route. */
static json_t *list_body(const char *zList, const row_key *aKey, int nKey) {
  return json_pack("{s:s, s:[s], s:{s:{s:s, s:i, s:i, s:o}}, s:b}", "type", "object", "required", zList, "properties",
                   zList, "type", "array", "minItems", 1, "maxItems", COMP_BULK_MAX, "items", row_schema(aKey, nKey),
                   "additionalProperties", 0);
}

static json_t *ids_schema(void) {
  return json_pack("{s:s, s:{s:{s:s}, s:{s:s, s:{s:s}, s:s}}}", "type", "object", "properties", "count", "type",
                   "integer", "ids", "type", "array", "items", "type", "integer", "description",
                   "the id of each row's new record, in the rows' order");
}

static json_t *judge_body(void) {
  return json_pack(
      "{s:s, s:{s:{s:s, s:i, s:s}, s:{s:s}, s:{s:s, s:i, s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:i, s:s}, "
      "s:{s:s}}, s:b}",
      "type", "object", "properties", "person_id", "type", "integer", "minimum", 1, "description",
      "an existing person (or give person)", "person", "$ref", "#/components/schemas/person", "user_id", "type",
      "integer", "minimum", 1, "description",
      "an existing account of the person, or of no one yet (then linked to the person); neither user_id nor "
      "username: the person's own account", "username", "type", "string", "description",
      "a new account for the person: its one-time password is in the answer, once", "display_name", "type",
      "string", "description", "the new account's display name (default: the person's name)", "institution_id",
      "type", "integer", "minimum", 1, "description", "the institution the judge belongs to (never marks its competitors)",
      "chief", "type", "boolean", "additionalProperties", 0);
}

static json_t *judge_answer(void) {
  return json_pack("{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:s}}}", "type", "object",
                   "properties", "judge", "$ref", "#/components/schemas/judge", "person", "$ref",
                   "#/components/schemas/person", "user", "$ref", "#/components/schemas/user", "grant", "$ref",
                   "#/components/schemas/grant", "created", "type", "object", "password", "type", "string",
                   "description", "a new account's one-time password: shown this once, stored only hashed");
}

static json_t *scheme_answer(void) {
  return json_pack("{s:s, s:{s:{s:s}, s:{s:s}}}", "type", "object", "properties", "category_id", "type", "integer",
                   "rows_written", "type", "integer");
}

/* Sets the operation's requestBody and its answer (the success response's
 * content); a body of rows (a list, or a CSV file) may be refused by row. */
static void set_doc(json_t *op, json_t *pBody, const char *zType, json_t *pAnswer, const char *zStatus,
                    const char *zAnswerType) {
  json_t *p422 = json_object_get(json_object_get(op, "responses"), "422");
  int bRows = pBody && (strcmp(zType, "text/csv") == 0 || json_object_get(json_object_get(pBody, "properties"), "marks") ||
                        json_object_get(json_object_get(pBody, "properties"), "competitors"));
  if (p422 && bRows)
    json_object_set_new(p422, "description", json_string("a field is invalid (error.field names it), or rows were "
                                                         "refused and nothing was written: rows_refused, error.rows "
                                                         "lists each (index or row, field, code, message)"));
  if (pBody)
    json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content", zType, "schema",
                                                     pBody));
  json_t *pOk = json_object_get(json_object_get(op, "responses"), zStatus);
  if (pOk) json_object_set_new(pOk, "content", json_pack("{s:{s:o}}", zAnswerType, "schema", pAnswer));
  else json_decref(pAnswer);
}

int api_comp_bulk_doc(const route *p, json_t *op) {
  static const char zJson[] = "application/json", zCsv[] = "text/csv";
  http_handler x = p->xHandler;
  if (x == api_competitor_marks_enter)
    set_doc(op, list_body("marks", aCompetitorMark, NKEY(aCompetitorMark)), zJson, ids_schema(), "201", zJson);
  else if (x == api_category_marks_enter)
    set_doc(op, list_body("marks", aCategoryMark, NKEY(aCategoryMark)), zJson, ids_schema(), "201", zJson);
  else if (x == api_category_competitors_enter)
    set_doc(op, list_body("competitors", aEntry, NKEY(aEntry)), zJson, ids_schema(), "201", zJson);
  else if (x == api_category_scheme)
    set_doc(op, NULL, NULL, json_pack("{s:s, s:s}", "type", "string", "description",
                                      "the marking scheme: one row per aspect (docs/competitions.md)"), "200", zCsv);
  else if (x == api_category_scheme_import)
    set_doc(op, json_pack("{s:s, s:s}", "type", "string", "description",
                          "the marking scheme as guild competition scheme export writes it"),
            zCsv, scheme_answer(), "201", zJson);
  else if (x == api_category_scheme_copy)
    set_doc(op, json_pack("{s:s, s:[s], s:{s:{s:s, s:i, s:s}}, s:b}", "type", "object", "required",
                          "from_category_id", "properties", "from_category_id", "type", "integer", "minimum", 1,
                          "description", "the category (of any edition) whose scheme is copied",
                          "additionalProperties", 0),
            zJson, scheme_answer(), "201", zJson);
  else if (x == api_category_judge_assign)
    set_doc(op, judge_body(), zJson, judge_answer(), "201", zJson);
  else
    return 0;
  return 1;
}
