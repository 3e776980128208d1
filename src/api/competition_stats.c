/* competition_stats.c: GET /api/v1/competitions/stats, the competitions'
 * history (per edition and across editions) as JSON or CSV, and the CSV
 * answers the competition routes share (?format=csv). */
#include "api/api.h"
#include "core/buf.h"
#include "domain/competition/comp.h"
#include "io/csv/csv_out.h"
#include <math.h>
#include <string.h>

int api_format_csv(http_req *r, gerr *e) {
  const char *z = http_query(r, "format");
  if (!z || !strcmp(z, "json")) return 0;
  if (!strcmp(z, "csv")) return 1;
  return gerr_set(e, GERR_VALIDATION, "format", "format: json (the default) or csv");
}

void api_send_csv(http_req *r, const gbuf *b) {
  r->zText = arena_strndup(r->pAr, b->z ? b->z : "", b->n);
  r->nText = b->n;
  r->zContentType = "text/csv; charset=utf-8";
}

/* A growth as JSON: a fraction rounded to 4 decimals, or null. */
static json_t *growth_json(int bGrowth, double x) {
  return bGrowth && !isnan(x) ? json_real(round(x * 10000) / 10000) : json_null();
}

static json_t *medals_json(const comp_medal_count *a, int n, int bInstitution) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    const comp_medal_count *m = &a[i];
    json_t *o = json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i}", bInstitution ? "institution_id" : "area_id",
                          (json_int_t)m->id, "name", m->zName ? m->zName : "", "points", m->points, "gold", m->gold,
                          "silver", m->silver, "bronze", m->bronze, "medallion", m->medallion, "competitors",
                          m->competitors);
    if (bInstitution) json_object_set_new(o, "area_id", json_integer(m->area_id));
    json_array_append_new(arr, o);
  }
  return arr;
}

json_t *api_stats_json(const comp_stats *p) {
  json_t *aEd = json_array();
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    json_t *o = json_pack(
        "{s:I, s:i, s:s, s:s, s:I, s:i, s:i, s:i, s:{s:i, s:i, s:i}, s:{s:o, s:o, s:o}, s:b}", "edition_id",
        (json_int_t)s->edition_id, "year", s->year, "name", s->zName, "state", s->zState, "area_id",
        (json_int_t)s->area_id, "participants", s->participants, "categories", s->categories, "institutions",
        s->institutions, "competitors_by_sex", "female", s->female, "male", s->male, "unrecorded", s->unrecorded,
        "growth", "previous_edition_id", s->bGrowth ? json_integer(s->prev_edition_id) : json_null(), "participants",
        growth_json(s->bGrowth, s->participantGrowth), "categories", growth_json(s->bGrowth, s->categoryGrowth),
        "medals_final", s->bMedals);
    json_object_set_new(o, "medals_by_institution", medals_json(s->aInstMedal, s->nInstMedal, 1));
    json_object_set_new(o, "medals_by_area", medals_json(s->aAreaMedal, s->nAreaMedal, 0));
    json_array_append_new(aEd, o);
  }
  json_t *pTot = json_pack("{s:i, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}}", "editions", p->nEdition, "participants",
                           p->participants, "distinct_competitors", p->distinct_competitors, "institutions",
                           p->institutions, "categories", p->categories, "competitors_by_sex", "female", p->female,
                           "male", p->male, "unrecorded", p->unrecorded);
  json_object_set_new(pTot, "medals_by_institution", medals_json(p->aInstMedal, p->nInstMedal, 1));
  json_object_set_new(pTot, "medals_by_area", medals_json(p->aAreaMedal, p->nAreaMedal, 0));
  return json_pack("{s:o, s:o, s:s}", "editions", aEd, "totals", pTot, "notes",
                   "participants are entered competitors; growth is (this - previous) / previous against the "
                   "previous edition of the same area (null for the first); medals count once an edition is "
                   "locked or published");
}

/* The sum of an edition's medals of one kind over its institutions. */
static int medal_sum(const comp_edition_stats *s, int k) {
  int n = 0;
  for (int i = 0; i < s->nInstMedal; i++)
    n += k == 0 ? s->aInstMedal[i].gold : k == 1 ? s->aInstMedal[i].silver : k == 2 ? s->aInstMedal[i].bronze
                                                                                  : s->aInstMedal[i].medallion;
  return n;
}

static int stats_csv_editions(const comp_stats *p, gbuf *b) {
  int rc = gbuf_puts(b, "edition_id,year,name,area_id,state,participants,categories,institutions,female,male,"
                        "unrecorded,participants_growth,categories_growth,gold,silver,bronze,medallion\n");
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    rc |= csv_out_int(b, s->edition_id, 0) | csv_out_int(b, s->year, 0) | csv_out_text(b, s->zName, 0) |
          csv_out_int(b, s->area_id, 0) | csv_out_text(b, s->zState, 0) | csv_out_int(b, s->participants, 0) |
          csv_out_int(b, s->categories, 0) | csv_out_int(b, s->institutions, 0) | csv_out_int(b, s->female, 0) |
          csv_out_int(b, s->male, 0) | csv_out_int(b, s->unrecorded, 0) |
          csv_out_num(b, s->bGrowth ? s->participantGrowth : NAN, 4, 0) |
          csv_out_num(b, s->bGrowth ? s->categoryGrowth : NAN, 4, 0);
    for (int k = 0; k < 4; k++)
      rc |= s->bMedals ? csv_out_int(b, medal_sum(s, k), k == 3) : csv_out_text(b, "", k == 3);
  }
  return rc ? -1 : 0;
}

static int medal_rows(gbuf *b, const comp_edition_stats *s, const char *zLevel, const comp_medal_count *a, int n) {
  int rc = 0;
  for (int i = 0; i < n; i++) {
    const comp_medal_count *m = &a[i];
    rc |= (s ? csv_out_int(b, s->edition_id, 0) | csv_out_int(b, s->year, 0)
             : csv_out_text(b, "all", 0) | csv_out_text(b, "", 0)) |
          csv_out_text(b, zLevel, 0) | csv_out_int(b, m->id, 0) | csv_out_text(b, m->zName, 0) |
          csv_out_int(b, m->gold, 0) | csv_out_int(b, m->silver, 0) | csv_out_int(b, m->bronze, 0) |
          csv_out_int(b, m->medallion, 0) | csv_out_int(b, m->points, 0) | csv_out_int(b, m->competitors, 1);
  }
  return rc;
}

static int stats_csv_medals(const comp_stats *p, gbuf *b) {
  int rc = gbuf_puts(b, "edition_id,year,level,id,name,gold,silver,bronze,medallion,points,competitors\n");
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    rc |= medal_rows(b, s, "institution", s->aInstMedal, s->nInstMedal);
    rc |= medal_rows(b, s, "area", s->aAreaMedal, s->nAreaMedal);
  }
  rc |= medal_rows(b, NULL, "institution", p->aInstMedal, p->nInstMedal);
  rc |= medal_rows(b, NULL, "area", p->aAreaMedal, p->nAreaMedal);
  return rc ? -1 : 0;
}

int api_stats_csv(const comp_stats *p, const char *zTable, gbuf *b, gerr *e) {
  int rc;
  if (!zTable || !strcmp(zTable, "editions")) rc = stats_csv_editions(p, b);
  else if (!strcmp(zTable, "medals")) rc = stats_csv_medals(p, b);
  else return gerr_set(e, GERR_VALIDATION, "table", "table: editions (the default) or medals");
  if (rc) return gerr_set(e, GERR_TOO_LARGE, NULL, "the CSV is larger than %zu bytes", b->nMax);
  return 0;
}

json_t *api_competition_stats(http_req *r, gerr *e) {
  int bCsv = api_format_csv(r, e);
  const char *zTable = http_query(r, "table");
  if (bCsv < 0) return NULL;
  if (!bCsv && zTable) return gerr_set(e, GERR_VALIDATION, "table", "table: only with format=csv"), NULL;
  dom_ctx c = api_ctx(r);
  comp_stats st;
  if (comp_stats_load(&c, &st, e)) return NULL;
  if (!bCsv) return api_stats_json(&st);
  gbuf b;
  gbuf_init(&b, API_CSV_MAX);
  if (api_stats_csv(&st, zTable, &b, e) == 0) api_send_csv(r, &b);
  gbuf_free(&b);
  return NULL;
}
