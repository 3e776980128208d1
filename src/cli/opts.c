/* opts.c: the option parser shared by all commands, driven by each
 * command's option table, and the help printer. */
#include "cli/cli.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_command *find(const char *zCmd) {
  for (int i = 0; i < cli_ncommands; i++)
    if (strcmp(cli_commands[i].zName, zCmd) == 0) return &cli_commands[i];
  return NULL;
}

void cli_print_help(const cli_command *p) {
  printf("usage: guild %s %s\n\n%s\n", p->zName, p->zArgs, p->zHelp);
  if (p->aOpt && p->aOpt[0].zName) {
    printf("\noptions:\n");
    for (const cli_opt *o = p->aOpt; o->zName; o++) {
      char z[64];
      snprintf(z, sizeof z, "--%s%s%s", o->zName, o->zArg ? " " : "", o->zArg ? o->zArg : "");
      printf("  %-22s %s\n", z, o->zHelp);
    }
  }
}

static int usage(const char *zCmd, const char *zMsg, const char *zArg) {
  fprintf(stderr, "guild %s: %s%s\n(see guild help %s)\n", zCmd, zMsg, zArg ? zArg : "", zCmd);
  return CLI_USAGE;
}

int cli_parse(const char *zCmd, int argc, char **argv, const char **azVal, const char **azPos, int nPosMax,
              int *pnPos) {
  const cli_command *p = find(zCmd);
  if (!p) g_panic("no command %s", zCmd);
  *pnPos = 0;
  for (int i = 1; i < argc; i++) {
    const char *z = argv[i];
    if (strncmp(z, "--", 2) != 0 || z[2] == 0) {
      if (*pnPos >= nPosMax) return usage(zCmd, "unexpected argument: ", z);
      azPos[(*pnPos)++] = z;
      continue;
    }
    z += 2;
    const char *zEq = strchr(z, '=');
    size_t n = zEq ? (size_t)(zEq - z) : strlen(z);
    int k = 0;
    while (p->aOpt[k].zName && (strlen(p->aOpt[k].zName) != n || strncmp(p->aOpt[k].zName, z, n) != 0)) k++;
    if (!p->aOpt[k].zName) return usage(zCmd, "unknown option: ", argv[i]);
    if (strcmp(p->aOpt[k].zName, "help") == 0) {
      cli_print_help(p);
      return -1;
    }
    if (!p->aOpt[k].zArg) {
      if (zEq) return usage(zCmd, "this option takes no value: ", argv[i]);
      azVal[k] = "1";
    } else if (zEq) {
      azVal[k] = zEq + 1;
    } else if (i + 1 < argc) {
      azVal[k] = argv[++i];
    } else {
      return usage(zCmd, "missing value for ", argv[i]);
    }
  }
  return CLI_OK;
}

int cli_int(const char *zCmd, const char *zOpt, const char *zVal, int64_t lo, int64_t hi, int64_t *pOut) {
  if (text_int64(zVal, pOut) || *pOut < lo || *pOut > hi) {
    fprintf(stderr, "guild %s: --%s must be a whole number from %lld to %lld (got '%s')\n", zCmd, zOpt,
            (long long)lo, (long long)hi, zVal);
    return CLI_USAGE;
  }
  return CLI_OK;
}

const char *cli_db_path(const char *zOpt) {
  if (zOpt && *zOpt) return zOpt;
  const char *zEnv = getenv("GUILD_DB");
  return zEnv && *zEnv ? zEnv : "guild.db";
}

int cli_fail(const gerr *e) {
  fprintf(stderr, "guild: %s\n", e->msg[0] ? e->msg : gerr_default(e->code));
  return CLI_FAIL;
}
