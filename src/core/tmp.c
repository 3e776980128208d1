/* tmp.c: private temporary files (see tmp.h). */
#include "core/tmp.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tmp_create(const char *zTag, const char *zSuffix, char *zPath, size_t nPath, gerr *e) {
  const char *zDir = getenv("TMPDIR");
  if (!zDir || !*zDir) zDir = "/tmp";
  int n = snprintf(zPath, nPath, "%s/guild-%s-XXXXXX%s", zDir, zTag, zSuffix);
  if (n < 0 || (size_t)n >= nPath) return gerr_set(e, GERR_INTERNAL, NULL, "temporary directory path too long: %.200s", zDir);
  int fd = mkstemps(zPath, (int)strlen(zSuffix));
  if (fd < 0)
    return gerr_set(e, GERR_INTERNAL, NULL, "cannot create a temporary file in %.200s: %s", zDir, strerror(errno));
  return fd;
}
