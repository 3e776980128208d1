/* tmp.h: private temporary files (exports on their way to a client,
 * uploads waiting for their import), in $TMPDIR or /tmp. */
#ifndef GUILD_TMP_H
#define GUILD_TMP_H
#include <stddef.h>
#include "core/err.h"

/* Creates a new empty file, readable and writable by this user only, named
 * "guild-" zTag "-XXXXXX" zSuffix in the temporary directory; its path goes
 * to zPath (nPath bytes). Returns the open descriptor (the caller closes it
 * and removes the file), or -1 with e filled. */
int tmp_create(const char *zTag, const char *zSuffix, char *zPath, size_t nPath, gerr *e);

#endif
