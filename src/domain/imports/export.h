/* export.h: lists of records as tables (CSV or XLSX, table_out.h), with
 * the columns taken from the entity's field table, so every entity exports
 * the same fields its JSON records show, in the same order:
 *   id, version, each field that is not hidden or input-only, created_at,
 *   updated_at.
 * Types follow the fields: integers and ids as numbers, marks as numbers
 * with two decimals, booleans, dates (YYYY-MM-DD) and times as date
 * cells; a list field (a program's skills, a cohort's trainers) is one
 * text cell with its entries joined by "; ". */
#ifndef GUILD_EXPORT_H
#define GUILD_EXPORT_H
#include "io/xlsx/table_out.h"
#include "domain/engine/entity.h"

/* Writes an export's tables to t; 0, or -1 with e. */
typedef int (*export_fn)(void *pArg, tab_out *t, gerr *e);

/* Writes the tables xWrite writes to the file zPath (created, or
 * truncated) as fmt. 0, or -1 with e (the file may then be incomplete:
 * the caller removes it). */
int export_file(tab_format fmt, const char *zPath, export_fn xWrite, void *pArg, gerr *e);

/* Fills a (at least DOM_MAXF + 4 entries) with pEnt's export columns;
 * returns how many. The names are the field table's (static). */
int export_columns(const dom_entity *pEnt, tab_col *a);

/* Writes every record of pEnt that q's filters select (in id order; q's
 * paging is ignored) to t as a table named after pEnt (e.g. "persons").
 * Streams (dom_each): memory does not grow with the list. 0, or -1 with e. */
int export_entity(dom_ctx *c, const dom_entity *pEnt, const dom_query *q, tab_out *t, gerr *e);

#endif
