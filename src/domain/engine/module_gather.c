/* module_gather.c: what dom_init derives from the list of modules
 * (dom_modules): every entity in module order, the schema handed to the
 * store (migrations in version order, tables in copy order), the look-up
 * of scope queries by name, and the modules' hooks on other modules'
 * records. A module that breaks the rules (a version used
 * twice, too many entities, a section of a person's export named twice
 * or on a filter its entity lacks) is a bug, reported at start-up. */
#include "domain/engine/module.h"
#include "domain/engine/entity_int.h"
#include <stdlib.h>
#include <string.h>

#define MAXMIG 256
#define MAXTAB 128

const dom_entity *dom_entities[DOM_MAXENT];
int dom_nentities;

static const schema_migration *apMig[MAXMIG];
static const schema_table *apTab[MAXTAB];
static schema_def def;

static int by_version(const void *a, const void *b) {
  const schema_migration *x = *(const schema_migration *const *)a, *y = *(const schema_migration *const *)b;
  return (x->version > y->version) - (x->version < y->version);
}

/* Every section of a person's export (dom_own_section) lists by a filter
 * of its entity, under a key no other section, nor the export's own
 * members, uses. Panics otherwise. */
static void check_own_sections(void) {
  static const char *const azTaken[] = {"exported_at", "about", "account", "person"};
  for (int i = 0; i < dom_nmodules; i++)
    for (int k = 0; k < dom_modules[i]->nOwn; k++) {
      const dom_own_section *x = &dom_modules[i]->aOwn[k];
      const char *zFilter = x->zFilter ? x->zFilter : "person";
      if (dom_filter_index(x->pEnt, zFilter) < 0)
        g_panic("module %s: export section %s: %s has no filter %s", dom_modules[i]->zName, x->zKey, x->pEnt->zName,
                zFilter);
      for (size_t t = 0; t < sizeof azTaken / sizeof azTaken[0]; t++)
        if (!strcmp(azTaken[t], x->zKey))
          g_panic("module %s: export section %s: a member of every export", dom_modules[i]->zName, x->zKey);
      for (int j = 0; j <= i; j++)
        for (int l = 0; l < (j == i ? k : dom_modules[j]->nOwn); l++)
          if (!strcmp(dom_modules[j]->aOwn[l].zKey, x->zKey))
            g_panic("export section %s declared twice (modules %s and %s)", x->zKey, dom_modules[j]->zName,
                    dom_modules[i]->zName);
    }
}

void dom_modules_gather(void) {
  int nMig = 0, nTab = 0;
  dom_nentities = 0;
  for (int i = 0; i < dom_nmodules; i++) {
    const dom_module *m = dom_modules[i];
    for (int k = 0; k < m->nEntity; k++) {
      if (dom_nentities >= DOM_MAXENT) g_panic("more than %d entities", DOM_MAXENT);
      dom_entities[dom_nentities++] = m->apEntity[k];
    }
    for (int k = 0; k < m->nTable; k++) {
      if (nTab >= MAXTAB) g_panic("more than %d tables", MAXTAB);
      apTab[nTab++] = &m->aTable[k];
    }
    for (const schema_migration *p = m->aMigration; p && p->version; p++) {
      if (nMig >= MAXMIG) g_panic("more than %d migrations", MAXMIG);
      apMig[nMig++] = p;
    }
  }
  check_own_sections();
  qsort(apMig, (size_t)nMig, sizeof apMig[0], by_version);
  for (int i = 1; i < nMig; i++)
    if (apMig[i]->version == apMig[i - 1]->version) g_panic("migration version %d declared twice", apMig[i]->version);
  def.apMigration = apMig;
  def.nMigration = nMig;
  def.apTable = apTab;
  def.nTable = nTab;
  schema_use(&def);
}

int dom_run_hooks(dom_ctx *c, const dom_rec *r, gerr *e) {
  for (int i = 0; i < dom_nmodules; i++)
    for (int k = 0; k < dom_modules[i]->nHook; k++) {
      const dom_hook *h = &dom_modules[i]->aHook[k];
      if (h->pEnt == r->pEnt && h->xUpdated(c, r, e)) return -1;
    }
  return 0;
}

const pol_scope *dom_scope_find(const char *zName) {
  for (int i = 0; i < dom_nmodules; i++)
    for (int k = 0; k < dom_modules[i]->nScope; k++)
      if (strcmp(dom_modules[i]->aScope[k].zName, zName) == 0) return &dom_modules[i]->aScope[k];
  return NULL;
}
