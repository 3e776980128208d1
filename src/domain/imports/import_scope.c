/* import_scope.c: an import confined to one institution (imp_opts.idScope;
 * the API's staff imports): each row is held to the rules staff writing the
 * same records one by one are held to, from the entity's own declaration
 * (dom_entity.aParent, policy.h): a new record is registered to the
 * institution where the entity fills that parent, every parent a row names
 * must lie in the institution's scope, and a stored record the row meets by
 * its key must too. */
#include "domain/imports/import_int.h"

/* The column of the file that gave entity field iEnt (-1: none). */
static int column_of(const importer *m, int iEnt) { return iEnt >= 0 ? m->aEntCol[iEnt] : -1; }

static int institution_checks(const dom_parent *p) { return !p->mKinds || (p->mKinds & (1u << SCOPE_INSTITUTION)); }

int imp_scope_row(importer *m, int iRow, const char **az, dom_rec *pIn, gerr *e) {
  int64_t idScope = m->o->idScope;
  if (!idScope || !m->p->bScoped) return 1;
  const dom_entity *pEnt = m->p->pEnt;
  int bOk = 1;
  for (int i = 0; i < pEnt->nParent; i++) {
    const dom_parent *p = &pEnt->aParent[i];
    if (!institution_checks(p)) continue;
    int iEnt = dom_field_index(pEnt, p->zField);
    if (p->bFill) {
      dom_set_int(pIn, p->zField, idScope);
      continue;
    }
    const dom_val *v = &pIn->a[iEnt];
    if (!v->bSet || v->bNull) continue;
    const dom_entity *pParent = pEnt->aField[iEnt].pRef;
    int rc = pol_contains(m->c, pParent->zName, v->i, SCOPE_INSTITUTION, idScope, e);
    if (rc < 0) return -1;
    if (rc) continue;
    int j = column_of(m, iEnt);
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_IMPORT_SCOPE, p->zField, GP_S("entity", pParent->zName), GP_I("id", idScope));
    imp_error_add(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "", &w);
    bOk = 0;
  }
  return bOk;
}

int imp_scope_stored(importer *m, int iRow, const char **az, int64_t id, gerr *e) {
  int64_t idScope = m->o->idScope;
  if (!idScope || !m->p->bScoped) return 1;
  const dom_entity *pEnt = m->p->pEnt;
  int rc = pol_contains(m->c, pEnt->zName, id, SCOPE_INSTITUTION, idScope, e);
  if (rc) return rc;
  int j = imp_first_key_column(m);   /* names the record */
  gerr w;
  gerr_setr(&w, GERR_VALIDATION, GR_STORED_OUT_OF_SCOPE, NULL, GP_S("entity", pEnt->zName), GP_I("id", idScope));
  imp_error_add(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "", &w);
  return 0;
}

void imp_scope_unfill(const importer *m, dom_rec *pIn) {
  if (!m->o->idScope || !m->p->bScoped) return;
  const dom_entity *pEnt = m->p->pEnt;
  for (int i = 0; i < pEnt->nParent; i++)
    if (pEnt->aParent[i].bFill && institution_checks(&pEnt->aParent[i])) dom_vm(pIn, pEnt->aParent[i].zField)->bSet = 0;
}
