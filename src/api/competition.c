/* competition.c: competition routes beyond the generic entity handlers:
 * an edition's transitions and results (also the public, published ones,
 * and the public list of published editions),
 * a category's lock and review (the flagged aspects, and the marks the
 * lock still waits for), a competitor's withdrawal, corrections. */
#include "api/api.h"
#include "domain/competition/comp.h"
#include "domain/competition/comp_lists.h"
#include "domain/competition/comp_render.h"
#include "domain/competition/export_results.h"
#include "core/timeutil.h"
#include <math.h>
#include <string.h>

int comp_withdraw_competitor(dom_ctx *c, int64_t id, dom_rec *pOut, gerr *e);


static json_t *rec_out(http_req *r, const dom_rec *p) {
  api_set_etag(r, p->version);
  return api_rec_json(p);
}

json_t *api_edition_transition(http_req *r, gerr *e) {
  static const char *const az[] = {"to", NULL};
  json_t *j = json_object_get(r->pBody, "to");
  if (api_only_keys(r, az, e)) return NULL;
  if (!j) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "to"), NULL;
  if (!json_is_string(j)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_STRING, "to"), NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (comp_transition(&c, r->aId[0], json_string_value(j), &out, e)) return NULL;
  return rec_out(r, &out);
}

/* Answers with the results as JSON, or as a file with ?format=csv (one
 * table: competitors unless ?table=) or ?format=xlsx (both tables, each a
 * worksheet, unless ?table= names one). */
static json_t *results_out(http_req *r, const comp_edition_results *p, gerr *e) {
  const char *zFormat = http_query(r, "format"), *zTable = http_query(r, "table");
  if (!zFormat || !strcmp(zFormat, "json")) {
    if (zTable) {
      gerr_setr(e, GERR_VALIDATION, GR_ONLY_WITH, "table", GP_S("other", "format"), GP_S("value", "csv, xlsx"));
      return gerr_msg(e, "table: only with format=csv or xlsx"), NULL;
    }
    doc_out *d = doc_new();
    comp_results_doc(p, d);
    return doc_json(d);
  }
  tab_format fmt;
  if (tab_format_parse(zFormat, &fmt))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "format", GP_S("allowed", "json, csv, xlsx"), GP_S("got", zFormat)),
           NULL;
  if (fmt == TAB_CSV && !zTable) zTable = "competitors";
  export_results_arg a = {p, zTable};
  char *zName = arena_printf(r->pAr, "edition-%lld-results%s%s", (long long)p->edition_id, zTable ? "-" : "",
                             zTable ? zTable : "");
  api_send_table(r, fmt, zName, export_results_fn, &a, e);
  return NULL;
}

json_t *api_edition_results(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  comp_edition_results res;
  if (comp_edition_results_read(&c, r->aId[0], &res, e)) return NULL;
  return results_out(r, &res, e);
}

json_t *api_public_results(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  comp_edition_results res;
  if (comp_edition_results_load(&c, r->aId[0], &res, e)) return NULL;
  if (strcmp(res.zState, "published"))
    return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_PUBLISHED, NULL, GP_I("id", r->aId[0])), NULL;
  return results_out(r, &res, e);
}

json_t *api_public_editions(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  comp_published_edition *aEd;
  int n;
  if (comp_published_editions(&c, &aEd, &n, e)) return NULL;
  json_t *a = json_array();
  for (int i = 0; i < n; i++) {
    const comp_published_edition *x = &aEd[i];
    json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:I}", "id", (json_int_t)x->id,
                                       "year", (json_int_t)x->year, "name", x->zName, "start_date", x->zStart,
                                       "end_date", x->zEnd, "area_id", (json_int_t)x->area_id, "area", x->zArea,
                                       "categories", (json_int_t)x->nCategory, "competitors",
                                       (json_int_t)x->nCompetitor));
  }
  return json_pack("{s:o}", "items", a);
}

json_t *api_category_lock(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (comp_lock_category(&c, r->aId[0], &out, e)) return NULL;
  return rec_out(r, &out);
}

json_t *api_category_review(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  comp_review_flag *aFlag;
  int n;
  if (comp_review_flags(&c, r->aId[0], &aFlag, &n, e)) return NULL;
  json_t *a = json_array();
  for (int i = 0; i < n; i++) {
    const comp_review_flag *x = &aFlag[i];
    json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:I, s:I, s:I}", "competitor_id", (json_int_t)x->competitor_id,
                                       "aspect_id", (json_int_t)x->aspect_id, "aspect", x->zAspect, "lowest",
                                       (json_int_t)x->lowest, "highest", (json_int_t)x->highest, "judges",
                                       (json_int_t)x->judges));
  }
  comp_missing_mark *aMiss;
  if (comp_missing_marks(&c, r->aId[0], &aMiss, &n, e)) {
    json_decref(a);
    return NULL;
  }
  json_t *pMiss = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(pMiss, json_pack("{s:I, s:I, s:s, s:I, s:I}", "competitor_id", (json_int_t)aMiss[i].competitor_id,
                                           "aspect_id", (json_int_t)aMiss[i].aspect_id, "aspect", aMiss[i].zAspect,
                                           "have", (json_int_t)aMiss[i].have, "need", (json_int_t)aMiss[i].need));
  return json_pack("{s:o, s:o, s:s}", "flagged", a, "missing", pMiss, "rule", comp_review_rule);
}

json_t *api_competitor_withdraw(http_req *r, gerr *e) {
  static const char *const az[] = {NULL};
  if (api_only_keys(r, az, e)) return NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (comp_withdraw_competitor(&c, r->aId[0], &out, e)) return NULL;
  return rec_out(r, &out);
}

json_t *api_mark_correction(http_req *r, gerr *e) {
  static const char *const az[] = {"value", "reason", NULL};
  if (api_only_keys(r, az, e)) return NULL;
  json_t *v = json_object_get(r->pBody, "value"), *why = json_object_get(r->pBody, "reason");
  if (!v) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, "value"), NULL;
  if (!json_is_number(v)) return gerr_setr(e, GERR_VALIDATION, GR_NOT_NUMBER, "value"), NULL;
  double x = json_number_value(v) * 100;
  if (fabs(x - round(x)) > 1e-6) return gerr_setr(e, GERR_VALIDATION, GR_DECIMALS, "value"), NULL;
  if (x < 0 || x > 10000)
    return gerr_setr(e, GERR_VALIDATION, GR_RANGE, "value", GP_I("min", 0), GP_I("max", 100),
                     GP_C("got", (long long)round(fmax(-1e15, fmin(1e15, x))))),
           NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  /* a missing or non-string reason is refused by the domain, which lists the reasons */
  if (comp_correct_mark(&c, r->aId[0], (int64_t)round(x), json_is_string(why) ? json_string_value(why) : NULL, &out, e))
    return NULL;
  return rec_out(r, &out);
}

/* Every judge's marks in a category, with the judge's name and each mark's
 * corrections (oldest first), for the chief judge's corrections screen. */
json_t *api_category_marks(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  comp_category_mark *aMark;
  int n;
  if (comp_category_marks(&c, r->aId[0], &aMark, &n, e)) return NULL;
  json_t *a = json_array();
  for (int i = 0; i < n; i++) {
    const comp_category_mark *m = &aMark[i];
    json_t *aFix = json_array();
    for (int k = 0; k < m->nFix; k++) {
      const comp_mark_fix *x = &m->aFix[k];
      char zAt[40];
      time_iso(x->at, zAt, sizeof zAt);
      json_array_append_new(aFix, json_pack("{s:I, s:s, s:s, s:s, s:f, s:f}", "mark_id", (json_int_t)x->mark_id, "at",
                                            zAt, "actor", x->zActor, "reason", x->zReason, "old_value",
                                            (double)x->oldCenti / 100, "new_value", (double)x->newCenti / 100));
    }
    json_array_append_new(a, json_pack("{s:I, s:I, s:I, s:s, s:I, s:s, s:s?, s:f, s:I, s:o}", "id", (json_int_t)m->id,
                                       "competitor_id", (json_int_t)m->competitor_id, "aspect_id",
                                       (json_int_t)m->aspect_id, "aspect", m->zAspect, "judge_id",
                                       (json_int_t)m->judge_id, "judge_given_name", m->zJudgeGiven,
                                       "judge_family_name", m->zJudgeFamily, "value", (double)m->valueCenti / 100,
                                       "version", (json_int_t)m->version, "corrections", aFix));
  }
  return json_pack("{s:o}", "items", a);
}
