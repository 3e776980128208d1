/* assessment.c: the assessment routes beyond the generic record routes
 * (docs/assessment.md): recording a learner's results, adding and reading
 * evidence, deciding appeals, revoking awards, the agreement between
 * markers, a learner's own awards, and their part of GET /api/v1/me/export.
 * Each handler parses, calls the training module with api_ctx(r) (which
 * decides access itself) and builds JSON. */
#include "api/api.h"
#include "core/text.h"
#include "domain/accounts/auth.h"
#include "domain/training/training.h"
#include <string.h>

/* An optional id parameter (a whole number from 1): *pId, 0 when absent. */
static int query_id(http_req *r, const char *zName, int64_t *pId, gerr *e) {
  const char *z = http_query(r, zName);
  *pId = 0;
  if (z && (text_int64(z, pId) || *pId < 1)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, zName);
  return 0;
}

/* An id member of a JSON object: *pId; 0 or -1 (422 naming zField). */
static int json_id(json_t *j, const char *zField, int64_t *pId, gerr *e) {
  if (!json_is_integer(j) || json_integer_value(j) < 1)
    return gerr_setr(e, GERR_VALIDATION, j && !json_is_null(j) ? GR_NOT_ID : GR_REQUIRED, zField);
  *pId = json_integer_value(j);
  return 0;
}

/* A body of one string member zKey (required): *pz in the arena. */
static int body_string(http_req *r, const char *zKey, const char **pz, gerr *e) {
  const char *const azKey[] = {zKey, NULL};
  if (api_only_keys(r, azKey, e)) return -1;
  json_t *j = json_object_get(r->pBody, zKey);
  if (!json_is_string(j)) {
    gerr_setr(e, GERR_VALIDATION, j && !json_is_null(j) ? GR_NOT_STRING : GR_REQUIRED, zKey);
    return gerr_msg(e, "%s: is required (a string)", zKey);
  }
  *pz = arena_strdup(r->pAr, json_string_value(j));
  return 0;
}

/* A record as its answer, with its ETag. */
static json_t *answer(http_req *r, const dom_rec *p) {
  api_set_etag(r, p->version);
  return api_rec_json(p);
}

/* ---- results ---------------------------------------------------------------- */

/* One decision of the results array (element i). */
static int read_decision(http_req *r, json_t *o, int i, asmt_decision *d, gerr *e) {
  char zField[64];
  memset(d, 0, sizeof *d);
  if (!json_is_object(o)) return gerr_setr(e, GERR_VALIDATION, GR_ENTRY_NOT_OBJECT, arena_printf(r->pAr, "results[%d]", i));
  const char *zKey;
  json_t *j;
  json_object_foreach(o, zKey, j) {
    snprintf(zField, sizeof zField, "results[%d].%.30s", i, zKey);
    if (!strcmp(zKey, "criterion_id")) {
      if (json_id(j, zField, &d->idCriterion, e)) return -1;
      continue;
    }
    if (!strcmp(zKey, "outcome")) {
      if (!json_is_string(j)) {
        gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, zField);
        return gerr_msg(e, "%s: competent or not_yet_competent", zField);
      }
      d->zOutcome = arena_strdup(r->pAr, json_string_value(j));
      continue;
    }
    int k = 0;
    while (k < ASMT__DECL && strcmp(asmt_decl_fields[k], zKey)) k++;
    if (k == ASMT__DECL) {
      gerr_setr(e, GERR_VALIDATION, GR_NOT_ACCEPTED, zField);
      return gerr_msg(e, "%s: a decision has criterion_id, outcome and evidence_valid, evidence_sufficient, "
                      "evidence_authentic, evidence_current", zField);
    }
    if (!json_is_boolean(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_BOOLEAN, zField);
    d->abDecl[k] = json_is_true(j);
  }
  if (!d->idCriterion)
    return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, arena_printf(r->pAr, "results[%d].criterion_id", i));
  return 0;
}

json_t *api_assessment_results(http_req *r, gerr *e) {
  static const char *const azKey[] = {"person_id", "results", NULL};
  int64_t idPerson = 0;
  if (api_only_keys(r, azKey, e) || json_id(json_object_get(r->pBody, "person_id"), "person_id", &idPerson, e))
    return NULL;
  json_t *a = json_object_get(r->pBody, "results");
  if (!json_is_array(a) || json_array_size(a) > ASMT_MAXCRIT) {
    if (!a) gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "results");
    else if (!json_is_array(a)) gerr_setr(e, GERR_VALIDATION, GR_NOT_LIST, "results");
    else gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, "results", GP_I("max", ASMT_MAXCRIT));
    return gerr_msg(e, "results: an array of at most %d decisions, one per criterion", ASMT_MAXCRIT), NULL;
  }
  int n = (int)json_array_size(a);
  asmt_decision *aDec = arena_alloc(r->pAr, (size_t)(n ? n : 1) * sizeof *aDec);
  for (int i = 0; i < n; i++)
    if (read_decision(r, json_array_get(a, (size_t)i), i, &aDec[i], e)) return NULL;
  dom_ctx c = api_ctx(r);
  asmt_outcome o;
  if (asmt_record(&c, r->aId[0], idPerson, aDec, n, &o, e)) return NULL;
  json_t *aOut = json_array();
  for (int i = 0; i < o.nResult; i++) json_array_append_new(aOut, api_rec_json(&o.aResult[i]));
  json_t *out = json_pack("{s:o, s:b}", "results", aOut, "achieved", o.bAchieved);
  static const struct { const char *zKey; dom_entity *pEnt; } aAward[] = {
      {"skill_award", &dom_skill_award}, {"program_award", &dom_program_award}};
  int64_t aId[] = {o.idSkillAward, o.idProgramAward};
  for (int k = 0; k < 2; k++) {
    dom_rec rec;
    if (aId[k] && dom_read(&c, aAward[k].pEnt, aId[k], &rec, e)) {
      json_decref(out);
      return NULL;
    }
    json_object_set_new(out, aAward[k].zKey, aId[k] ? api_rec_json(&rec) : json_null());
  }
  r->status = 201;
  return out;
}

/* ---- evidence ---------------------------------------------------------------- */

json_t *api_evidence_upload(http_req *r, gerr *e) {
  static const char *const azParam[] = {"person", "name", "date", NULL};
  int64_t idPerson = 0;
  if (api_only_params(r, azParam, e) || query_id(r, "person", &idPerson, e)) return NULL;
  if (!idPerson) idPerson = r->pAuth->person_id;   /* a learner's own */
  if (!idPerson) {
    gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "person");
    return gerr_msg(e, "person: whose evidence it is (the learner's id)"), NULL;
  }
  const char *zName = http_query(r, "name");
  if (!zName) {
    gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "name");
    return gerr_msg(e, "name: the file's name is required"), NULL;
  }
  size_t n = 0;
  const void *p = http_body_bytes(r, &n);
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (asmt_evidence_add(&c, r->aId[0], idPerson, zName, r->zUploadType, http_query(r, "date"), p, n, &out, e))
    return NULL;
  r->status = 201;
  snprintf(r->zLocation, sizeof r->zLocation, "/api/v1/evidence_items/%lld", (long long)out.id);
  return answer(r, &out);
}

json_t *api_evidence_content(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  dom_rec item;
  const void *p;
  size_t n;
  if (asmt_evidence_content(&c, r->aId[0], &item, &p, &n, e)) return NULL;
  r->zText = p;
  r->nText = n;
  r->zContentType = dom_v(&item, "media_type")->z;
  r->zFileName = dom_v(&item, "file_name")->z;   /* checked when it was uploaded: no quotes or slashes */
  return NULL;
}

/* ---- appeals and awards ---------------------------------------------------------- */

json_t *api_appeal_decision(http_req *r, gerr *e) {
  const char *zStatus;
  if (body_string(r, "status", &zStatus, e)) return NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (asmt_appeal_decide(&c, r->aId[0], zStatus, &out, e)) return NULL;
  return answer(r, &out);
}

json_t *api_award_revoke(http_req *r, gerr *e) {
  const char *zReason;
  if (body_string(r, "reason", &zReason, e)) return NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (asmt_award_revoke(&c, r->pRoute->pArg, r->aId[0], zReason, &out, e)) return NULL;
  return answer(r, &out);
}

static json_t *agreement_json(const asmt_agreement *g) {
  return json_pack("{s:I, s:I, s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "pairs", (json_int_t)g->n, "agreeing",
                   (json_int_t)g->nAgree, "share", g->bShare ? json_real(g->share) : json_null(), "kappa",
                   g->bKappa ? json_real(g->kappa) : json_null(), "table", "competent_competent",
                   (json_int_t)g->a[0][0], "competent_not_yet_competent", (json_int_t)g->a[0][1],
                   "not_yet_competent_competent", (json_int_t)g->a[1][0], "not_yet_competent_not_yet_competent",
                   (json_int_t)g->a[1][1]);
}

json_t *api_unit_agreement(http_req *r, gerr *e) {
  static const char *const azParam[] = {"cohort", NULL};
  int64_t idCohort = 0;
  if (api_only_params(r, azParam, e) || query_id(r, "cohort", &idCohort, e)) return NULL;
  dom_ctx c = api_ctx(r);
  asmt_agreement_row *a;
  asmt_agreement total;
  int n;
  if (asmt_unit_agreement(&c, r->aId[0], idCohort, &a, &n, &total, e)) return NULL;
  json_t *aCohort = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = agreement_json(&a[i].g);
    json_object_set_new(o, "cohort_id", json_integer(a[i].idCohort));
    json_array_append_new(aCohort, o);
  }
  return json_pack("{s:I, s:o, s:o}", "unit_id", (json_int_t)r->aId[0], "cohorts", aCohort, "total",
                   agreement_json(&total));
}

/* ---- what a learner holds ------------------------------------------------------------ */

/* Appends every record of pEnt whose person is idPerson (read on the
 * learner's behalf: c reads their own) to the array a. */
static int own_records(http_req *r, dom_ctx *c, const dom_entity *pEnt, int64_t idPerson, json_t *a, gerr *e) {
  dom_query q;
  memset(&q, 0, sizeof q);
  q.limit = 500;
  if (dom_query_set(&q, pEnt, "person", arena_printf(r->pAr, "%lld", (long long)idPerson), r->pAr, e)) return -1;
  do {
    dom_page page;
    if (dom_list(c, pEnt, &q, &page, e)) return -1;
    for (int i = 0; i < page.n; i++) json_array_append_new(a, api_rec_json(&page.aRec[i]));
    q.after = page.nextAfter;
  } while (q.after);
  return 0;
}

/* The caller's own records of each entity of aEnt into o, under its key. */
static int own_sections(http_req *r, json_t *o, const dom_entity *const *apEnt, const char *const *azKey, int n,
                        gerr *e) {
  dom_ctx rc = api_ctx(r), c = dom_ctx_own(&rc);   /* every read names the caller's own person */
  for (int k = 0; k < n; k++) {
    json_t *a = json_array();
    json_object_set_new(o, azKey[k], a);
    if (r->pAuth->person_id && own_records(r, &c, apEnt[k], r->pAuth->person_id, a, e)) return -1;
  }
  return 0;
}

json_t *api_me_awards(http_req *r, gerr *e) {
  static const dom_entity *const apEnt[] = {&dom_skill_award, &dom_program_award};
  static const char *const azKey[] = {"skill_awards", "program_awards"};
  json_t *o = json_object();
  if (own_sections(r, o, apEnt, azKey, 2, e)) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* ---- the OpenAPI document's bodies ------------------------------------------------------ */

/* A JSON array of the strings az (NULL-terminated). */
static json_t *strings(const char *const *az) {
  json_t *a = json_array();
  for (; *az; az++) json_array_append_new(a, json_string(*az));
  return a;
}

/* {"type": "object", "required": [zKey], "additionalProperties": false,
 * "properties": {zKey: pSchema}} */
static json_t *one_member(const char *zKey, json_t *pSchema) {
  return json_pack("{s:s, s:[s], s:b, s:{s:o}}", "type", "object", "required", zKey, "additionalProperties", 0,
                   "properties", zKey, pSchema);
}

json_t *api_assessment_body_schema(http_handler x) {
  static const char *const azDecision[] = {"upheld", "dismissed", NULL};
  if (x == api_appeal_decision) return one_member("status", json_pack("{s:o}", "enum", strings(azDecision)));
  if (x == api_award_revoke) return one_member("reason", json_pack("{s:o}", "enum", strings(asmt_revoke_reasons)));
  if (x != api_assessment_results) return NULL;
  json_t *pDec = json_pack("{s:{s:s, s:i, s:s}, s:{s:o}}", "criterion_id", "type", "integer", "minimum", 1,
                           "x-references", "performance_criterion", "outcome", "enum", strings(asmt_outcomes));
  for (int k = 0; k < ASMT__DECL; k++) json_object_set_new(pDec, asmt_decl_fields[k], json_pack("{s:s}", "type", "boolean"));
  return json_pack("{s:s, s:[s, s], s:b, s:{s:{s:s, s:i, s:s}, s:{s:s, s:i, s:{s:s, s:[s, s], s:b, s:o}}}}", "type",
                   "object", "required", "person_id", "results", "additionalProperties", 0, "properties", "person_id",
                   "type", "integer", "minimum", 1, "x-references", "person", "results", "type", "array", "maxItems",
                   ASMT_MAXCRIT, "items", "type", "object", "required", "criterion_id", "outcome",
                   "additionalProperties", 0, "properties", pDec);
}
