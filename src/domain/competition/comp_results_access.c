/* comp_results_access.c: who may read an edition's results. Published
 * results are for every signed-in user (and the public pages); until
 * publication they are provisional: for the region's administrators, and
 * for the judges of the edition's categories, each seeing only the
 * categories they judge (and the institution table over those). */
#include "domain/competition/comp.h"
#include "domain/engine/module.h"
#include <string.h>

/* Keeps in r only the categories the actor judges, and computes the
 * institution table again over them. 0, or -1 with e. */
static int keep_judged(dom_ctx *c, comp_edition_results *r, const int64_t *aJudge, int nJudge, gerr *e) {
  int nKeep = 0, nComp = 0;
  for (int k = 0; k < r->nCat; k++) {
    int bMine = 0;
    for (int j = 0; j < nJudge && !bMine; j++) {
      int rc = pol_contains(c, "category", r->aCat[k].category_id, SCOPE_JUDGE, aJudge[j], e);
      if (rc < 0) return -1;
      bMine = rc;
    }
    if (bMine) {
      r->aCat[nKeep++] = r->aCat[k];
      nComp += r->aCat[k].nRow;
    }
  }
  if (!nKeep)
    return gerr_setr(e, GERR_FORBIDDEN, GR_RESULTS_PROVISIONAL, NULL, GP_I("id", r->edition_id));
  r->nCat = nKeep;
  comp_category *aCat = arena_alloc(c->pAr, (size_t)nKeep * sizeof *aCat);
  for (int k = 0; k < nKeep; k++) {
    comp_competitor_result *a = arena_alloc(c->pAr, (size_t)(r->aCat[k].nRow ? r->aCat[k].nRow : 1) * sizeof *a);
    for (int i = 0; i < r->aCat[k].nRow; i++) {
      const comp_result_row *q = &r->aCat[k].aRow[i];
      a[i] = (comp_competitor_result){q->competitor_id, q->institution_id, q->raw, q->standard, q->rank, q->medal};
    }
    aCat[k] = (comp_category){0, r->aCat[k].nRow, 0, NULL, NULL, a};
  }
  r->nInst = comp_institution_table(aCat, nKeep, r->aInst, nComp ? nComp : 1);
  return 0;
}

int comp_edition_results_read(dom_ctx *c, int64_t idEdition, comp_edition_results *pOut, gerr *e) {
  if (pol_check_any(c, &pol_signed_in, e)) return -1;
  if (comp_edition_results_load(c, idEdition, pOut, e)) return -1;
  if (strcmp(pOut->zState, "published") == 0 || pol_unconfined(c, &comp_rule_results)) return 0;
  if (pol_check_any(c, &comp_rule_results, e)) return -1;   /* neither an administrator nor a judge */
  int64_t aJudge[AUTH_MAXGRANT];
  int nJudge = pol_values(c, &comp_rule_results, SCOPE_JUDGE, aJudge, AUTH_MAXGRANT);
  return keep_judged(c, pOut, aJudge, nJudge, e);
}
