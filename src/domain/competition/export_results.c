/* export_results.c: a competition edition's results as tables (see
 * export_results.h). */
#include "domain/competition/export_results.h"
#include <math.h>
#include <string.h>

static const tab_col aCompetitorCol[] = {
    {"edition_id", TC_INT, 0}, {"category_id", TC_INT, 0},   {"category", TC_TEXT, 0},
    {"rank", TC_INT, 0},       {"competitor_id", TC_INT, 0}, {"person_id", TC_INT, 0},
    {"given_name", TC_TEXT, 0}, {"family_name", TC_TEXT, 0}, {"institution_id", TC_INT, 0},
    {"raw", TC_NUM, 2},        {"standard", TC_INT, 0},      {"medal", TC_TEXT, 0},
};
static const tab_col aInstitutionCol[] = {
    {"edition_id", TC_INT, 0}, {"institution_id", TC_INT, 0}, {"points", TC_INT, 0},
    {"gold", TC_INT, 0},       {"silver", TC_INT, 0},         {"bronze", TC_INT, 0},
    {"medallion", TC_INT, 0},  {"competitors", TC_INT, 0},    {"mean_standard", TC_NUM, 1},
};
#define NCOL(a) ((int)(sizeof a / sizeof a[0]))

/* Competitors in rank order within each category. */
static int competitors(const comp_edition_results *p, tab_out *t) {
  int rc = tab_sheet(t, "competitors", aCompetitorCol, NCOL(aCompetitorCol));
  for (int k = 0; k < p->nCat && !rc; k++) {
    const comp_cat_results *cat = &p->aCat[k];
    for (int rank = 1; rank <= cat->nRow; rank++)
      for (int i = 0; i < cat->nRow && !rc; i++) {
        const comp_result_row *x = &cat->aRow[i];
        if (x->rank != rank) continue;
        rc = tab_int(t, p->edition_id) | tab_int(t, cat->category_id) | tab_text(t, cat->zName) |
             tab_int(t, x->rank) | tab_int(t, x->competitor_id) | tab_int(t, x->person_id) |
             tab_text(t, x->zGiven) | tab_text(t, x->zFamily) | tab_int(t, x->institution_id) |
             tab_num(t, round(x->raw * 100) / 100) | tab_int(t, x->standard) |
             tab_text(t, x->medal ? comp_medal_name(x->medal) : NULL);
      }
  }
  return rc;
}

static int institutions(const comp_edition_results *p, tab_out *t) {
  int rc = tab_sheet(t, "institutions", aInstitutionCol, NCOL(aInstitutionCol));
  for (int i = 0; i < p->nInst && !rc; i++) {
    const comp_institution_row *x = &p->aInst[i];
    rc = tab_int(t, p->edition_id) | tab_int(t, x->institution_id) | tab_int(t, x->points) | tab_int(t, x->gold) |
         tab_int(t, x->silver) | tab_int(t, x->bronze) | tab_int(t, x->medallion) | tab_int(t, x->competitors) |
         tab_num(t, round(x->meanStandard * 10) / 10);
  }
  return rc;
}

int export_results(const comp_edition_results *p, const char *zTable, tab_out *t, gerr *e) {
  int rc;
  if (!zTable) rc = competitors(p, t) || institutions(p, t);
  else if (!strcmp(zTable, "competitors")) rc = competitors(p, t);
  else if (!strcmp(zTable, "institutions")) rc = institutions(p, t);
  else return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "table", GP_S("allowed", "competitors, institutions"), GP_S("got", zTable));
  return rc ? tab_error(t, e) : 0;
}

int export_results_fn(void *pArg, tab_out *t, gerr *e) {
  const export_results_arg *a = pArg;
  return export_results(a->p, a->zTable, t, e);
}
