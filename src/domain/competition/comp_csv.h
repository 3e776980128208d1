/* comp_csv.h: a competition's CSV files: a category's marking scheme (out,
 * in, and copied from another category) and judges' marks (in). Imports
 * are all or nothing, in one transaction, through the same entity rules as
 * the API (dom_create); a refusal (GERR_ROWS, see gerr_rows_fail) lists
 * every refused row (the header is row 1) with its column and reason.
 * Writing a scheme is the region administrator's (pol_admin), into a
 * category without one while its edition is in draft (409 otherwise).
 *
 * A marking scheme has one row per aspect, with the columns of
 * comp_scheme_columns: its criterion's code, name and weight (repeated on
 * each of the criterion's rows; a criterion without aspects has one row
 * with the aspect columns empty), then the aspect's code, description,
 * kind, maximum mark (two decimals at most), part marks and descriptors
 * (each a list joined by " ;; "). The criteria's weights add up to 100,
 * and each criterion's aspects' maximum marks to its weight. */
#ifndef GUILD_COMP_CSV_H
#define GUILD_COMP_CSV_H
#include "core/buf.h"
#include "domain/engine/entity.h"

#define COMP_SCHEME_NCOL 9
extern const char *const comp_scheme_columns[COMP_SCHEME_NCOL];

/* Appends category idCategory's marking scheme to b as CSV (the header
 * first), for any signed-in user; *pnRow: the rows after the header. 0, or
 * -1 with e (413 when b's maximum is reached). */
int comp_scheme_csv(dom_ctx *c, int64_t idCategory, gbuf *b, int *pnRow, gerr *e);
/* Imports the CSV file zPath as the marking scheme of category idCategory,
 * which must have none yet; *pnRow: the rows imported. */
int comp_scheme_import(dom_ctx *c, int64_t idCategory, const char *zPath, int *pnRow, gerr *e);
/* Copies the marking scheme of category idFrom to idTo (which must have
 * none yet), as an export and an import would; *pnRow: its rows. */
int comp_scheme_copy(dom_ctx *c, int64_t idFrom, int64_t idTo, int *pnRow, gerr *e);

/* Imports a CSV file of marks with the header competitor_id, aspect_id,
 * judge_person_id, value (0 to 100, two decimals at most), each mark
 * entered as the judge its row names (for a whole category's sheets, as a
 * chief judge collects them); *pnRow: the marks imported. */
int comp_marks_import(dom_ctx *c, const char *zPath, int *pnRow, gerr *e);

#endif
