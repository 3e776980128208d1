/* cli.h: the command table and the small option parser every command uses.
 * Exit codes: 0 success, 1 user error, 2 usage error. */
#ifndef GUILD_CLI_H
#define GUILD_CLI_H
#include <stdint.h>
#include "core/err.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct cli_opt {
  const char *zName;   /* long option without dashes, e.g. "db" */
  const char *zArg;    /* argument placeholder, NULL for a flag */
  const char *zHelp;
} cli_opt;

typedef struct cli_command {
  const char *zName;
  int (*xRun)(int argc, char **argv);
  const char *zArgs;       /* synopsis of arguments */
  const char *zSummary;    /* one line for `guild help` */
  const char *zHelp;       /* the rest, for `guild help CMD` */
  const cli_opt *aOpt;     /* NULL-terminated (zName == NULL) */
} cli_command;

extern const cli_command cli_commands[];
extern const int cli_ncommands;

/* Parses --name VALUE / --name=VALUE / --flag options of command zCmd into
 * azVal (indexed like its option table; flags get "1"); positional
 * arguments go to azPos (at most nPosMax, count in *pnPos). --help prints the
 * command's help. Returns CLI_OK, or CLI_USAGE after printing why, or -1
 * when --help was shown (the caller exits 0). */
int cli_parse(const char *zCmd, int argc, char **argv, const char **azVal, const char **azPos, int nPosMax,
              int *pnPos);
/* An option value as an integer in lo..hi; prints a usage error otherwise. */
int cli_int(const char *zCmd, const char *zOpt, const char *zVal, int64_t lo, int64_t hi, int64_t *pOut);
/* The database to use: --db, else $GUILD_DB, else guild.db. */
const char *cli_db_path(const char *zOpt);
/* Prints e as "guild: message" and returns the exit code for its class. */
int cli_fail(const gerr *e);
void cli_print_help(const cli_command *p);

/* Command implementations (one file per group). */
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_competition(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_attendance(int argc, char **argv);
int cmd_assessment(int argc, char **argv);
/* `import WHAT` and `export WHAT` rows: azVal holds the command's options,
 * azPos[0] is WHAT. */
int cmd_import_oneroster(const char **azVal, int nPos, const char **azPos);
int cmd_export_oneroster(const char **azVal, int nPos, const char **azPos);
int cmd_help(int argc, char **argv);

#endif
