/* comp_render.h: a competition's results and statistics as the API answers
 * them and the CLI prints them: a structured document (io/json/doc_out.h)
 * and CSV tables, in one place so that both say the same. */
#ifndef GUILD_COMP_RENDER_H
#define GUILD_COMP_RENDER_H
#include "core/buf.h"
#include "domain/competition/comp.h"
#include "io/json/doc_out.h"

#define COMP_CSV_MAX ((size_t)64 << 20)   /* the largest CSV of results or statistics */

/* Writes the results (each category's competitors in rank order, the
 * institutions' table, the formula) as one object into d. */
void comp_results_doc(const comp_edition_results *p, doc_out *d);
/* Writes the statistics (each edition, the totals, notes) as one object into d. */
void comp_stats_doc(const comp_stats *p, doc_out *d);

/* The results and statistics as CSV appended to b: zTable picks the table
 * (results: competitors or institutions; statistics: editions or medals;
 * NULL: the first). 0, or -1 with e: 422 naming table for another table,
 * 413 when b's maximum is reached. */
int comp_results_csv(const comp_edition_results *p, const char *zTable, gbuf *b, gerr *e);
int comp_stats_csv(const comp_stats *p, const char *zTable, gbuf *b, gerr *e);

#endif
