/* cmd_export.c: `guild export WHAT ...`: one row per kind of export in
 * aExport; each parses what follows WHAT. */
#include "cli.h"
#include <stdio.h>
#include <string.h>

#define CMD "export"

static const struct {
  const char *zWhat;
  int (*xRun)(const char **azVal, int nPos, const char **azPos);
} aExport[] = {
    {"oneroster", cmd_export_oneroster},
};

int cmd_export(int argc, char **argv) {
  const char *azVal[10] = {0}, *azPos[3] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 3, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  for (size_t i = 0; nPos > 0 && i < sizeof aExport / sizeof aExport[0]; i++)
    if (strcmp(azPos[0], aExport[i].zWhat) == 0) return aExport[i].xRun(azVal, nPos, azPos);
  fprintf(stderr, "guild export: usage: guild export oneroster PATH (guild help export)\n");
  return CLI_USAGE;
}
