/* clidb.h: an open database with a domain context, for commands. */
#ifndef GUILD_CLIDB_H
#define GUILD_CLIDB_H
#include "cli/cli.h"
#include "domain/engine/entity.h"
#include "domain/imports/export.h"
#include <stddef.h>

typedef struct cli_db {
  db *pDb;
  arena ar;
  dom_ctx c;
  char zActor[80];
} cli_db;

/* Opens zPath, which must be a guild database at the current schema. */
int cli_open(const char *zPath, cli_db *p, gerr *e);
void cli_close(cli_db *p);
/* Reads one line (the password) from standard input, without its newline. */
int cli_read_password(char *zOut, size_t nOut, gerr *e);
/* The value of option zOpt of command zCmd in azVal (NULL when not given). */
const char *cli_get(const char *zCmd, const char **azVal, const char *zOpt);

/* Creates the first region administrator zName (cmd_user.c), printing the
 * generated one-time password unless it was read from standard input. */
int cli_make_admin(cli_db *p, const char *zName, int bStdin);

/* Tables as files, for commands that export (cmd_export.c): the format
 * (--format z, else xlsx when zOut ends in .xlsx, else csv; refuses XLSX to
 * a terminal), 0 or -1 after printing a usage error for command zCmd. */
int cli_table_format(const char *zCmd, const char *z, const char *zOut, tab_format *pFmt);
/* Writes the tables xWrite writes to zOut, or to standard output (CSV as
 * written, XLSX through a temporary file); a failed file is removed. */
int cli_table_write(const char *zOut, tab_format fmt, export_fn xWrite, void *pArg, gerr *e);

#endif
