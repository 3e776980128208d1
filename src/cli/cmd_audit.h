/* cmd_audit.h: the audit log's verification as `guild audit verify`
 * prints it, for the commands that verify a database they made or are
 * about to use (guild backup, guild restore). */
#ifndef GUILD_CMD_AUDIT_H
#define GUILD_CMD_AUDIT_H
#include "cli/clidb.h"

/* Verifies p's audit log (the chain, the stored checkpoints, every row;
 * with zCheckpoint, that exported checkpoint too; zKey: the signing key's
 * file, NULL for $GUILD_AUDIT_KEY) and prints what it found. CLI_OK when
 * everything holds, CLI_FAIL when something does not, or cli_fail's code. */
int cli_audit_verify(cli_db *p, const char *zKey, const char *zCheckpoint);

#endif
