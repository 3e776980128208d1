/* web.c: which embedded file of the browser interface answers a request.
 * Hashed files under /assets/ never change under their name and are cached
 * for a year; index.html and the other files are revalidated every time, so
 * a new guild binary is picked up at once. Paths the interface routes
 * itself (/programs/12) get index.html; /api and below never do. */
#include "web.h"
#include <string.h>

#define WEB_IMMUTABLE "public, max-age=31536000, immutable"
#define WEB_REVALIDATE "no-cache"

static const web_asset *web_find(const char *zPath) {
  for (int i = 0; i < web_nassets; i++)
    if (strcmp(web_assets[i].zPath, zPath) == 0) return &web_assets[i];
  return NULL;
}

const web_asset *web_lookup(const char *zPath, const char *zAccept, const char **pzCache) {
  *pzCache = WEB_REVALIDATE;
  if (web_nassets == 0) return NULL;
  if (strcmp(zPath, "/api") == 0 || strncmp(zPath, "/api/", 5) == 0) return NULL;
  if (strcmp(zPath, "/") == 0)  /* the JSON index for API clients, the application for browsers */
    return zAccept && strstr(zAccept, "text/html") ? web_find("/index.html") : NULL;
  const web_asset *p = web_find(zPath);
  if (p) {
    if (strncmp(zPath, "/assets/", 8) == 0) *pzCache = WEB_IMMUTABLE;
    return p;
  }
  if (strncmp(zPath, "/assets/", 8) == 0) return NULL;  /* a stale hashed name: 404, not a page */
  return web_find("/index.html");
}
