/* export_results.h: a competition edition's results as tables (CSV or
 * XLSX through table_out.h): "competitors" (each category's competitors in
 * rank order) and "institutions" (the medal table). */
#ifndef GUILD_EXPORT_RESULTS_H
#define GUILD_EXPORT_RESULTS_H
#include "io/xlsx/table_out.h"
#include "domain/competition/comp.h"

/* Writes table zTable ("competitors" or "institutions") of p to t, or both
 * (each its own worksheet) when zTable is NULL. 0, or -1 with e: 422
 * naming "table" for another name, or the writer's error. */
int export_results(const comp_edition_results *p, const char *zTable, tab_out *t, gerr *e);

/* export_results as an export_fn (export.h): pArg is an export_results_arg. */
typedef struct export_results_arg {
  const comp_edition_results *p;
  const char *zTable;
} export_results_arg;
int export_results_fn(void *pArg, tab_out *t, gerr *e);

#endif
