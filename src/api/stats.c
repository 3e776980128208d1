/* stats.c: GET /api/v1/stats/overview: the dashboard's key figures and
 * chart series for the whole region (?institution absent) or one
 * institution. Staff are confined to their own institution by the router
 * (r->forced) and get it when they name none. */
#include "api/api.h"
#include "core/text.h"
#include "domain/registry/stats.h"
#include <string.h>

extern dom_entity dom_institution;

static json_t *counts_json(const stats_count *a, int n, int bArea) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(arr, bArea ? json_pack("{s:I, s:s, s:I}", "area_id", (json_int_t)a[i].id, "name", a[i].zName,
                                                 "enrollments", (json_int_t)a[i].n)
                                     : json_pack("{s:s, s:I, s:I}", "title", a[i].zName, "enrollments",
                                                 (json_int_t)a[i].n, "completed", (json_int_t)a[i].nCompleted));
  return arr;
}

static json_t *overview_json(const stats_overview *p) {
  json_t *pStatus = json_object();
  for (int k = 0; stats_status_names[k]; k++)
    json_object_set_new(pStatus, stats_status_names[k], json_integer(p->aStatus[k]));
  json_t *aYear = json_array();
  for (int i = 0; i < p->nYear; i++) {
    const stats_year *y = &p->aYear[i];
    json_array_append_new(aYear, json_pack("{s:i, s:I, s:I, s:I, s:I}", "year", y->year, "editions",
                                           (json_int_t)y->editions, "participants", (json_int_t)y->participants,
                                           "categories", (json_int_t)y->categories, "institutions",
                                           (json_int_t)y->institutions));
  }
  json_t *o = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "institution_id",
                        p->institution_id ? json_integer(p->institution_id) : json_null(), "as_of", p->zToday,
                        "learners", (json_int_t)p->learners, "enrollments", (json_int_t)p->enrollments, "enrolled",
                        (json_int_t)p->aStatus[1], "completions", (json_int_t)p->aStatus[2], "active_cohorts",
                        (json_int_t)p->active_cohorts, "programs", (json_int_t)p->programs, "institutions",
                        (json_int_t)p->institutions, "enrollments_by_status", pStatus);
  json_object_set_new(o, "by_program", counts_json(p->aProgram, p->nProgram, 0));
  json_object_set_new(o, "by_area", json_pack("{s:s, s:o}", "level", p->zAreaLevel, "items",
                                              counts_json(p->aArea, p->nArea, 1)));
  json_object_set_new(o, "competitions", aYear);
  json_object_set_new(o, "notes", json_string("learners are distinct persons with an enrollment in any status; by_area "
                                               "counts enrollments by the learner's home area at the given level "
                                               "(learners without one there are left out); competitions count "
                                               "entered competitors per year"));
  return o;
}

json_t *api_stats_overview(http_req *r, gerr *e) {
  static const char *const azParams[] = {"institution", NULL};
  if (api_only_params(r, azParams, e)) return gerr_msg(e, "%.60s: the overview takes only institution", e->field), NULL;
  const char *z = http_query(r, "institution");
  int64_t id = 0;
  if (z && (text_int64(z, &id) || id < 1))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, "institution"), NULL;
  if (api_forced_id(r, "institution", z != NULL, &id, e) < 0) return NULL;
  dom_ctx c = api_ctx(r);
  if (id) {
    int rc = dom_exists(&c, &dom_institution, id, e);
    if (rc < 0) return NULL;
    if (!rc) return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, "institution", GP_S("entity", "institution"), GP_I("id", id)), NULL;
  }
  stats_overview st;
  if (stats_overview_load(&c, id, &st, e)) return NULL;
  return overview_json(&st);
}
