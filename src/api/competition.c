/* competition.c: competition routes beyond the generic entity handlers:
 * an edition's transitions and results (also the public, published ones,
 * and the public list of published editions),
 * a category's lock and review, a competitor's withdrawal, corrections. */
#include "api/api.h"
#include "domain/competition/comp.h"
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
  if (!json_is_string(j)) return gerr_set(e, GERR_VALIDATION, "to", "to: the state to move to (a string)"), NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (comp_transition(&c, r->aId[0], json_string_value(j), &out, e)) return NULL;
  return rec_out(r, &out);
}

/* The name of institution id as the results' rows give it ("" if none has it). */
static const char *results_institution_name(const comp_edition_results *p, int64_t id) {
  for (int k = 0; k < p->nCat; k++)
    for (int i = 0; i < p->aCat[k].nRow; i++)
      if (p->aCat[k].aRow[i].institution_id == id) return p->aCat[k].aRow[i].zInstitution;
  return "";
}

json_t *api_results_json(const comp_edition_results *p) {
  json_t *aCat = json_array();
  for (int k = 0; k < p->nCat; k++) {
    const comp_cat_results *cat = &p->aCat[k];
    json_t *rows = json_array();
    for (int rank = 1; rank <= cat->nRow; rank++)   /* in rank order */
      for (int i = 0; i < cat->nRow; i++) {
        const comp_result_row *x = &cat->aRow[i];
        if (x->rank != rank) continue;
        json_array_append_new(rows, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:f, s:i, s:i, s:s?}", "competitor_id",
                                              (json_int_t)x->competitor_id, "person_id", (json_int_t)x->person_id,
                                              "institution_id", (json_int_t)x->institution_id, "institution",
                                              x->zInstitution, "given_name", x->zGiven, "family_name", x->zFamily,
                                              "raw", round(x->raw * 100) / 100, "standard", x->standard, "rank",
                                              x->rank, "medal", x->medal ? comp_medal_name(x->medal) : NULL));
      }
    json_array_append_new(aCat, json_pack("{s:I, s:s, s:o}", "category_id", (json_int_t)cat->category_id, "name",
                                          cat->zName, "results", rows));
  }
  json_t *aInst = json_array();
  for (int i = 0; i < p->nInst; i++) {
    const comp_institution_row *x = &p->aInst[i];
    json_array_append_new(aInst, json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:f}", "institution_id",
                                           (json_int_t)x->institution_id, "name",
                                           results_institution_name(p, x->institution_id), "points", x->points, "gold", x->gold,
                                           "silver", x->silver, "bronze", x->bronze, "medallion", x->medallion,
                                           "competitors", x->competitors, "mean_standard",
                                           round(x->meanStandard * 10) / 10));
  }
  return json_pack("{s:I, s:s, s:i, s:s, s:o, s:o, s:s}", "edition_id", (json_int_t)p->edition_id, "name",
                   p->zName, "year", p->year, "state", p->zState, "categories", aCat, "institutions", aInst, "formula",
                   "raw = measurement marks + mean judgement score / 3 x max; standard = 700 + P x (raw - median) / "
                   "(1.4826 x MAD), clamped 0..1000 (see guild help competition)");
}

int api_results_csv(const comp_edition_results *p, const char *zTable, gbuf *b, gerr *e) {
  tab_out *t = tab_csv_buf(b);
  int rc = export_results(p, zTable ? zTable : "competitors", t, e);
  if (tab_close(t, rc ? NULL : e)) rc = -1;
  return rc;
}

/* Answers with the results as JSON, or as a file with ?format=csv (one
 * table: competitors unless ?table=) or ?format=xlsx (both tables, each a
 * worksheet, unless ?table= names one). */
static json_t *results_out(http_req *r, const comp_edition_results *p, gerr *e) {
  const char *zFormat = http_query(r, "format"), *zTable = http_query(r, "table");
  if (!zFormat || !strcmp(zFormat, "json")) {
    if (zTable) return gerr_set(e, GERR_VALIDATION, "table", "table: only with format=csv or xlsx"), NULL;
    return api_results_json(p);
  }
  tab_format fmt;
  if (tab_format_parse(zFormat, &fmt))
    return gerr_set(e, GERR_VALIDATION, "format", "format: json (the default), csv or xlsx"), NULL;
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
    return gerr_set(e, GERR_NOT_FOUND, NULL, "edition %lld has no published results", (long long)r->aId[0]), NULL;
  return results_out(r, &res, e);
}

/* The rows of zSql (with $1 bound to id when id > 0) as a JSON array, one
 * xRow(s) each; NULL after a database error. The caller owns the array. */
static json_t *query_rows(http_req *r, const char *zSql, int64_t id, json_t *(*xRow)(db_stmt *s), gerr *e) {
  db_stmt *s = db_prepare(r->pDb, zSql, e);
  if (!s) return NULL;
  if (id > 0) db_bind_int(s, 1, id);
  json_t *a = json_array();
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) json_array_append_new(a, xRow(s));
  db_done(s);
  if (rc == DB_ERROR) {
    json_decref(a);
    return NULL;
  }
  return a;
}

/* Published editions, newest first, with their area's name (at most 1,000: one a year per area). */
static const char zPublished[] =
    "SELECT e.id, e.year, e.name, e.start_date, e.end_date, e.area_id, a.name, "
    "(SELECT count(*) FROM categories c WHERE c.edition_id = e.id), "
    "(SELECT count(*) FROM competitors p JOIN categories c ON c.id = p.category_id "
    "WHERE c.edition_id = e.id AND p.status = 'entered') "
    "FROM editions e JOIN areas a ON a.id = e.area_id WHERE e.state = 'published' "
    "ORDER BY e.year DESC, e.id DESC LIMIT 1000";

static json_t *published_row(db_stmt *s) {
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:I}", "id", (json_int_t)db_col_int(s, 0), "year",
                   (json_int_t)db_col_int(s, 1), "name", db_col_text(s, 2), "start_date", db_col_text(s, 3),
                   "end_date", db_col_text(s, 4), "area_id", (json_int_t)db_col_int(s, 5), "area", db_col_text(s, 6),
                   "categories", (json_int_t)db_col_int(s, 7), "competitors", (json_int_t)db_col_int(s, 8));
}

json_t *api_public_editions(http_req *r, gerr *e) {
  json_t *a = query_rows(r, zPublished, 0, published_row, e);
  return a ? json_pack("{s:o}", "items", a) : NULL;
}

json_t *api_category_lock(http_req *r, gerr *e) {
  dom_ctx c = api_ctx(r);
  dom_rec out;
  if (comp_lock_category(&c, r->aId[0], &out, e)) return NULL;
  return rec_out(r, &out);
}

static const char zFlags[] =
    "SELECT m.competitor_id, m.aspect_id, a.code, min(m.value), max(m.value), count(*) FROM marks m "
    "JOIN aspects a ON a.id = m.aspect_id JOIN competitors p ON p.id = m.competitor_id "
    "WHERE p.category_id = $1 AND a.kind = 'judgement' GROUP BY m.competitor_id, m.aspect_id, a.code "
    "HAVING max(m.value) - min(m.value) > 100 ORDER BY m.competitor_id, m.aspect_id";

static json_t *flag_row(db_stmt *s) {
  return json_pack("{s:I, s:I, s:s, s:I, s:I, s:I}", "competitor_id", (json_int_t)db_col_int(s, 0), "aspect_id",
                   (json_int_t)db_col_int(s, 1), "aspect", db_col_text(s, 2), "lowest",
                   (json_int_t)(db_col_int(s, 3) / 100), "highest", (json_int_t)(db_col_int(s, 4) / 100), "judges",
                   (json_int_t)db_col_int(s, 5));
}

json_t *api_category_review(http_req *r, gerr *e) {
  json_t *a = query_rows(r, zFlags, r->aId[0], flag_row, e);
  if (!a) return NULL;
  return json_pack("{s:o, s:s}", "flagged", a, "rule",
                   "a judgement aspect is flagged when the judges' scores differ by more than one point");
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
  if (!json_is_number(v)) return gerr_set(e, GERR_VALIDATION, "value", "value: the corrected mark (a number)"), NULL;
  double x = json_number_value(v) * 100;
  if (fabs(x - round(x)) > 1e-6 || x < 0 || x > 10000)
    return gerr_set(e, GERR_VALIDATION, "value", "value: 0 to 100 with two decimals at most"), NULL;
  dom_ctx c = api_ctx(r);
  dom_rec out;
  /* a missing or non-string reason is refused by the domain, which lists the reasons */
  if (comp_correct_mark(&c, r->aId[0], (int64_t)round(x), json_is_string(why) ? json_string_value(why) : NULL, &out, e))
    return NULL;
  return rec_out(r, &out);
}

/* Every judge's marks in a category, with the judge's name and each mark's
 * corrections (oldest first), for the chief judge's corrections screen. */
static const char zCategoryMarks[] =
    "SELECT m.id, m.competitor_id, m.aspect_id, a.code, m.judge_id, j.given_name, j.family_name, m.value, m.version "
    "FROM marks m JOIN competitors p ON p.id = m.competitor_id JOIN aspects a ON a.id = m.aspect_id "
    "JOIN persons j ON j.id = m.judge_id WHERE p.category_id = $1 ORDER BY m.competitor_id, m.aspect_id, m.judge_id";
static const char zCategoryCorrections[] =
    "SELECT k.mark_id, k.at, k.actor, k.reason, k.old_value, k.new_value FROM mark_corrections k "
    "JOIN marks m ON m.id = k.mark_id JOIN competitors p ON p.id = m.competitor_id WHERE p.category_id = $1 "
    "ORDER BY k.mark_id, k.at, k.id";

static json_t *category_mark_row(db_stmt *s) {
  return json_pack("{s:I, s:I, s:I, s:s, s:I, s:s, s:s?, s:f, s:I, s:[]}", "id", (json_int_t)db_col_int(s, 0),
                   "competitor_id", (json_int_t)db_col_int(s, 1), "aspect_id", (json_int_t)db_col_int(s, 2), "aspect",
                   db_col_text(s, 3), "judge_id", (json_int_t)db_col_int(s, 4), "judge_given_name", db_col_text(s, 5),
                   "judge_family_name", db_col_text(s, 6), "value", (double)db_col_int(s, 7) / 100, "version",
                   (json_int_t)db_col_int(s, 8), "corrections");
}

static json_t *correction_row(db_stmt *s) {
  char zAt[40];
  time_iso(db_col_int(s, 1), zAt, sizeof zAt);
  return json_pack("{s:I, s:s, s:s, s:s, s:f, s:f}", "mark_id", (json_int_t)db_col_int(s, 0), "at", zAt, "actor",
                   db_col_text(s, 2), "reason", db_col_text(s, 3), "old_value", (double)db_col_int(s, 4) / 100,
                   "new_value", (double)db_col_int(s, 5) / 100);
}

json_t *api_category_marks(http_req *r, gerr *e) {
  json_t *aMark = query_rows(r, zCategoryMarks, r->aId[0], category_mark_row, e);
  if (!aMark) return NULL;
  json_t *aFix = query_rows(r, zCategoryCorrections, r->aId[0], correction_row, e);
  if (!aFix) {
    json_decref(aMark);
    return NULL;
  }
  /* attach each correction to its mark (corrections are few) */
  size_t i, k;
  json_t *pFix, *pMark;
  json_array_foreach(aFix, i, pFix) {
    json_int_t idMark = json_integer_value(json_object_get(pFix, "mark_id"));
    json_array_foreach(aMark, k, pMark) {
      if (json_integer_value(json_object_get(pMark, "id")) != idMark) continue;
      json_array_append(json_object_get(pMark, "corrections"), pFix);
      break;
    }
  }
  json_decref(aFix);
  return json_pack("{s:o}", "items", aMark);
}
