/* comp_render.c: results and statistics as documents and CSV (see
 * comp_render.h). */
#include "domain/competition/comp_render.h"
#include "domain/competition/export_results.h"
#include "io/csv/csv_out.h"
#include <math.h>
#include <string.h>

/* The name of institution id as the results' rows give it ("" if none has it). */
static const char *results_institution_name(const comp_edition_results *p, int64_t id) {
  for (int k = 0; k < p->nCat; k++)
    for (int i = 0; i < p->aCat[k].nRow; i++)
      if (p->aCat[k].aRow[i].institution_id == id) return p->aCat[k].aRow[i].zInstitution;
  return "";
}

static void result_row_doc(const comp_result_row *x, doc_out *d) {
  doc_object(d, NULL);
  doc_int(d, "competitor_id", x->competitor_id);
  doc_int(d, "person_id", x->person_id);
  doc_int(d, "institution_id", x->institution_id);
  doc_text(d, "institution", x->zInstitution);
  doc_text(d, "given_name", x->zGiven);
  doc_text(d, "family_name", x->zFamily);
  doc_num(d, "raw", x->raw, 2);
  doc_int(d, "standard", x->standard);
  doc_int(d, "rank", x->rank);
  doc_text(d, "medal", x->medal ? comp_medal_name(x->medal) : NULL);
  doc_end(d);
}

void comp_results_doc(const comp_edition_results *p, doc_out *d) {
  doc_object(d, NULL);
  doc_int(d, "edition_id", p->edition_id);
  doc_text(d, "name", p->zName);
  doc_int(d, "year", p->year);
  doc_text(d, "state", p->zState);
  doc_array(d, "categories");
  for (int k = 0; k < p->nCat; k++) {
    const comp_cat_results *cat = &p->aCat[k];
    doc_object(d, NULL);
    doc_int(d, "category_id", cat->category_id);
    doc_text(d, "name", cat->zName);
    doc_array(d, "results");
    for (int rank = 1; rank <= cat->nRow; rank++)   /* in rank order */
      for (int i = 0; i < cat->nRow; i++)
        if (cat->aRow[i].rank == rank) result_row_doc(&cat->aRow[i], d);
    doc_end(d);
    doc_end(d);
  }
  doc_end(d);
  doc_array(d, "institutions");
  for (int i = 0; i < p->nInst; i++) {
    const comp_institution_row *x = &p->aInst[i];
    doc_object(d, NULL);
    doc_int(d, "institution_id", x->institution_id);
    doc_text(d, "name", results_institution_name(p, x->institution_id));
    doc_int(d, "points", x->points);
    doc_int(d, "gold", x->gold);
    doc_int(d, "silver", x->silver);
    doc_int(d, "bronze", x->bronze);
    doc_int(d, "medallion", x->medallion);
    doc_int(d, "competitors", x->competitors);
    doc_num(d, "mean_standard", x->meanStandard, 1);
    doc_end(d);
  }
  doc_end(d);
  doc_text(d, "formula",
           "raw = measurement marks + mean judgement score / 3 x max; standard = 700 + P x (raw - median) / "
           "(1.4826 x MAD), clamped 0..1000 (see guild help competition)");
  doc_end(d);
}

int comp_results_csv(const comp_edition_results *p, const char *zTable, gbuf *b, gerr *e) {
  tab_out *t = tab_csv_buf(b);
  int rc = export_results(p, zTable ? zTable : "competitors", t, e);
  if (tab_close(t, rc ? NULL : e)) rc = -1;
  return rc;
}

/* --- statistics -------------------------------------------------------------- */

static void medals_doc(doc_out *d, const char *zKey, const comp_medal_count *a, int n, int bInstitution) {
  doc_array(d, zKey);
  for (int i = 0; i < n; i++) {
    const comp_medal_count *m = &a[i];
    doc_object(d, NULL);
    doc_int(d, bInstitution ? "institution_id" : "area_id", m->id);
    doc_text(d, "name", m->zName ? m->zName : "");
    doc_int(d, "points", m->points);
    doc_int(d, "gold", m->gold);
    doc_int(d, "silver", m->silver);
    doc_int(d, "bronze", m->bronze);
    doc_int(d, "medallion", m->medallion);
    doc_int(d, "competitors", m->competitors);
    if (bInstitution) doc_int(d, "area_id", m->area_id);
    doc_end(d);
  }
  doc_end(d);
}

static void by_sex_doc(doc_out *d, int female, int male, int unrecorded) {
  doc_object(d, "competitors_by_sex");
  doc_int(d, "female", female);
  doc_int(d, "male", male);
  doc_int(d, "unrecorded", unrecorded);
  doc_end(d);
}

static void edition_stats_doc(const comp_edition_stats *s, doc_out *d) {
  doc_object(d, NULL);
  doc_int(d, "edition_id", s->edition_id);
  doc_int(d, "year", s->year);
  doc_text(d, "name", s->zName);
  doc_text(d, "state", s->zState);
  doc_int(d, "area_id", s->area_id);
  doc_int(d, "participants", s->participants);
  doc_int(d, "categories", s->categories);
  doc_int(d, "institutions", s->institutions);
  by_sex_doc(d, s->female, s->male, s->unrecorded);
  doc_object(d, "growth");   /* a fraction, or null for an area's first edition and after a 0 */
  if (s->bGrowth) doc_int(d, "previous_edition_id", s->prev_edition_id);
  else doc_null(d, "previous_edition_id");
  doc_num(d, "participants", s->bGrowth ? s->participantGrowth : NAN, 4);
  doc_num(d, "categories", s->bGrowth ? s->categoryGrowth : NAN, 4);
  doc_end(d);
  doc_bool(d, "medals_final", s->bMedals);
  medals_doc(d, "medals_by_institution", s->aInstMedal, s->nInstMedal, 1);
  medals_doc(d, "medals_by_area", s->aAreaMedal, s->nAreaMedal, 0);
  doc_end(d);
}

void comp_stats_doc(const comp_stats *p, doc_out *d) {
  doc_object(d, NULL);
  doc_array(d, "editions");
  for (int i = 0; i < p->nEdition; i++) edition_stats_doc(&p->aEdition[i], d);
  doc_end(d);
  doc_object(d, "totals");
  doc_int(d, "editions", p->nEdition);
  doc_int(d, "participants", p->participants);
  doc_int(d, "distinct_competitors", p->distinct_competitors);
  doc_int(d, "institutions", p->institutions);
  doc_int(d, "categories", p->categories);
  by_sex_doc(d, p->female, p->male, p->unrecorded);
  medals_doc(d, "medals_by_institution", p->aInstMedal, p->nInstMedal, 1);
  medals_doc(d, "medals_by_area", p->aAreaMedal, p->nAreaMedal, 0);
  doc_end(d);
  doc_text(d, "notes",
           "participants are entered competitors; growth is (this - previous) / previous against the "
           "previous edition of the same area (null for the first); medals count once an edition is "
           "locked or published");
  doc_end(d);
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

int comp_stats_csv(const comp_stats *p, const char *zTable, gbuf *b, gerr *e) {
  int rc;
  if (!zTable || !strcmp(zTable, "editions")) rc = stats_csv_editions(p, b);
  else if (!strcmp(zTable, "medals")) rc = stats_csv_medals(p, b);
  else {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "table", GP_S("allowed", "editions, medals"), GP_S("got", zTable));
    return gerr_msg(e, "table: editions (the default) or medals");
  }
  if (rc) return gerr_set(e, GERR_TOO_LARGE, NULL, "the CSV is larger than %zu bytes", b->nMax);
  return 0;
}
