/* import_kinds.c: the table of background import kinds (see
 * import_kinds.h). A new importer with import_persons' signature is one
 * more row here. */
#include "domain/imports/import_kinds.h"
#include <stdio.h>
#include <string.h>

const imp_kind imp_kinds[] = {
    {"persons", import_persons, "persons from CSV (the columns of `guild help import`), upsert by sourced_id"},
    {"enrollments", import_enrollments,
     "enrollments from CSV (the columns of `guild help import`), upsert by person and cohort"},
};
const int imp_nkinds = sizeof imp_kinds / sizeof imp_kinds[0];

const imp_kind *imp_kind_find(const char *zName) {
  for (int i = 0; zName && i < imp_nkinds; i++)
    if (!strcmp(imp_kinds[i].zName, zName)) return &imp_kinds[i];
  return NULL;
}

int imp_kind_refuse(const char *zName, gerr *e) {
  char zKinds[200] = "";
  for (int i = 0; i < imp_nkinds; i++)
    snprintf(zKinds + strlen(zKinds), sizeof zKinds - strlen(zKinds), "%s%s", i ? ", " : "", imp_kinds[i].zName);
  return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "kind", GP_S("allowed", zKinds), GP_S("got", zName ? zName : ""));
}
