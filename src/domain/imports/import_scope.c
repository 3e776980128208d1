/* import_scope.c: an import confined to one institution (imp_opts.idScope;
 * the API's staff imports): what the kind's imp_scope says, applied to each
 * row as the access rules of src/http/authz.c apply to the same records
 * written one by one (see scope.h for what lies in an institution's scope). */
#include "domain/imports/import_int.h"
#include "domain/engine/scope.h"

/* The column of the file that gave entity field iEnt (-1: none). */
static int column_of(const importer *m, int iEnt) { return iEnt >= 0 ? m->aEntCol[iEnt] : -1; }

int imp_scope_row(importer *m, int iRow, const char **az, dom_rec *pIn, gerr *e) {
  const imp_scope *ps = m->p->pScope;
  int64_t idScope = m->o->idScope;
  if (!idScope || !ps) return 1;
  const dom_entity *pEnt = m->p->pEnt;
  if (ps->zFill) dom_set_int(pIn, ps->zFill, idScope);
  int bOk = 1;
  for (int i = 0; i < 2 && ps->aRef[i].zField; i++) {
    int iEnt = dom_field_index(pEnt, ps->aRef[i].zField);
    const dom_val *v = &pIn->a[iEnt];
    if (!v->bSet || v->bNull) continue;
    int rc = scope_contains(m->c, ps->aRef[i].zEntity, v->i, SCOPE_INSTITUTION, idScope, e);
    if (rc == 0 && ps->aRef[i].bOpen) rc = scope_open(m->c, ps->aRef[i].zEntity, v->i, e);
    if (rc < 0) return -1;
    if (rc) continue;
    int j = column_of(m, iEnt);
    imp_error_add(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "",
                  arena_printf(m->c->pAr, "this %s is not one of institution %lld's, to which the import is confined",
                               ps->aRef[i].zEntity, (long long)idScope));
    bOk = 0;
  }
  return bOk;
}

int imp_scope_stored(importer *m, int iRow, const char **az, int64_t id, gerr *e) {
  int64_t idScope = m->o->idScope;
  if (!idScope || !m->p->pScope) return 1;
  const dom_entity *pEnt = m->p->pEnt;
  int rc = scope_contains(m->c, pEnt->zName, id, SCOPE_INSTITUTION, idScope, e);
  if (rc) return rc;
  int j = imp_first_key_column(m);   /* names the record */
  imp_error_add(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "",
                arena_printf(m->c->pAr, "the stored %s is not one of institution %lld's, to which the import is "
                                        "confined: it is left as it is", pEnt->zName, (long long)idScope));
  return 0;
}

void imp_scope_unfill(const importer *m, dom_rec *pIn) {
  const imp_scope *ps = m->p->pScope;
  if (m->o->idScope && ps && ps->zFill) dom_vm(pIn, ps->zFill)->bSet = 0;
}
