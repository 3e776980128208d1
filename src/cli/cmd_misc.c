/* cmd_misc.c: `guild version` and `guild help`. */
#include "cli/cli.h"
#include "core/version.h"
#include "store/schema.h"
#include <stdio.h>
#include <string.h>

int cmd_version(int argc, char **argv) {
  int nPos, rc = cli_parse("version", argc, argv, (const char *[2]){0}, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  printf("guild %s (schema version %d)\n", GUILD_VERSION, schema_latest());
  return CLI_OK;
}

int cmd_help(int argc, char **argv) {
  const char *azPos[1];
  int nPos, rc = cli_parse("help", argc, argv, (const char *[2]){0}, azPos, 1, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  if (nPos == 1) {
    for (int i = 0; i < cli_ncommands; i++)
      if (strcmp(cli_commands[i].zName, azPos[0]) == 0) {
        cli_print_help(&cli_commands[i]);
        return CLI_OK;
      }
    fprintf(stderr, "guild help: no command '%s' (guild help lists them)\n", azPos[0]);
    return CLI_USAGE;
  }
  printf("guild %s: vocational education and training management\n\nusage: guild COMMAND [OPTIONS]\n\ncommands:\n",
         GUILD_VERSION);
  for (int i = 0; i < cli_ncommands; i++) printf("  %-12s %s\n", cli_commands[i].zName, cli_commands[i].zSummary);
  printf("\nguild help COMMAND (or guild COMMAND --help) explains one.\n");
  return CLI_OK;
}
