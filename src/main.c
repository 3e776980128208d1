/* main.c: guild's entry point: argv[1] names a command in cli_commands. */
#include "cli/cli.h"
#include "domain/engine/entity.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  dom_init();   /* the modules: every command needs their schema */
  if (argc < 2) {
    char *azHelp[] = {"help", NULL};
    cmd_help(1, azHelp);
    return CLI_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) argv[1] = "help";
  if (strcmp(argv[1], "--version") == 0) argv[1] = "version";
  for (int i = 0; i < cli_ncommands; i++)
    if (strcmp(cli_commands[i].zName, argv[1]) == 0) return cli_commands[i].xRun(argc - 1, argv + 1);
  fprintf(stderr, "guild: unknown command '%s' (guild help lists the commands)\n", argv[1]);
  return CLI_USAGE;
}
