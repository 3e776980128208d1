/* isco.c: look-ups in the ISCO-08 table compiled from data/isco08. */
#include "domain/engine/entity.h"
#include <string.h>

static const isco_entry *isco_find(const char *zCode) {
  for (int i = 0; i < isco_count; i++)
    if (strcmp(isco_table[i].zCode, zCode) == 0) return &isco_table[i];
  return NULL;
}

int isco_is_unit_group(const char *zCode) {
  const isco_entry *p = zCode ? isco_find(zCode) : NULL;
  return p && p->level == 4;
}

const char *isco_title(const char *zCode) {
  const isco_entry *p = zCode ? isco_find(zCode) : NULL;
  return p ? p->zTitle : NULL;
}
