/* migrate.c: migrating a database from the domain's side (dom_migrate):
 * the store applies the modules' migrations (schema_migrate); rows a
 * migration seeds into a table it creates (an entity's seededBy) were
 * written by SQL the audit log cannot see, so they are recorded here, once
 * every migration ran (the audit log's own tables included) and before
 * anyone else can write. Rows of a migration applied earlier are never
 * recorded again: a row written behind guild's back stays reported. */
#include "domain/engine/audit.h"
#include "core/timeutil.h"
#include "store/schema.h"

int dom_migrate(db *p, int *pnApplied, gerr *e) {
  unsigned char abBefore[DOM_MAXENT] = {0};   /* 1: the seeding migration had run before */
  for (int i = 0; i < dom_nentities; i++) {
    int b = 0;
    if (dom_entities[i]->seededBy && schema_applied(p, dom_entities[i]->seededBy, &b, e)) return -1;
    abBefore[i] = (unsigned char)b;
  }
  if (schema_migrate(p, pnApplied, e)) return -1;
  if (*pnApplied == 0) return 0;
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(p, &a, "migrate", time_now());
  int rc = 0;
  for (int i = 0; i < dom_nentities && !rc; i++) {
    int64_t n = 0;
    if (dom_entities[i]->seededBy && !abBefore[i]) rc = audit_record_seeded(&c, dom_entities[i], &n, e);
  }
  arena_free(&a);
  return rc;
}
