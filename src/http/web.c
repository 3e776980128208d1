/* web.c: which embedded file of the browser interface answers a request.
 * Hashed files under /assets/ never change under their name and are cached
 * for a year; index.html and the other files are revalidated every time, so
 * a new guild binary is picked up at once. Paths the interface routes
 * itself (/programs/12) get index.html; /api and below never do. */
#include "http/web.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WEB_IMMUTABLE "public, max-age=31536000, immutable"
#define WEB_REVALIDATE "no-cache"

static const web_asset *web_find(const char *zPath) {
  for (int i = 0; i < web_nassets; i++)
    if (strcmp(web_assets[i].zPath, zPath) == 0) return &web_assets[i];
  return NULL;
}

int web_accepts(const char *zHeader, const char *zToken) {
  size_t nToken = strlen(zToken);
  for (const char *p = zHeader; p && *p;) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    const char *zEnd = p + strcspn(p, ",");           /* this element */
    const char *zName = p;
    size_t nName = strcspn(p, ";, \t");
    if (nName == nToken && strncasecmp(zName, zToken, nToken) == 0) {
      double q = 1;
      for (const char *z = zName + nName; z < zEnd; z++)   /* parameters: only q matters */
        if (*z == ';') {
          z++;
          while (*z == ' ' || *z == '\t') z++;
          if ((z[0] == 'q' || z[0] == 'Q') && z[1] == '=') q = strtod(z + 2, NULL);
        }
      if (q > 0) return 1;
    }
    p = zEnd;
  }
  return 0;
}

const web_asset *web_lookup(const char *zPath, const char *zAccept, const char **pzCache) {
  *pzCache = WEB_REVALIDATE;
  if (web_nassets == 0) return NULL;
  if (strcmp(zPath, "/api") == 0 || strncmp(zPath, "/api/", 5) == 0) return NULL;
  if (strcmp(zPath, "/") == 0)  /* the JSON index for API clients, the application for browsers */
    return web_accepts(zAccept, "text/html") ? web_find("/index.html") : NULL;
  const web_asset *p = web_find(zPath);
  if (p) {
    if (strncmp(zPath, "/assets/", 8) == 0) *pzCache = WEB_IMMUTABLE;
    return p;
  }
  if (strncmp(zPath, "/assets/", 8) == 0) return NULL;  /* a stale hashed name: 404, not a page */
  return web_find("/index.html");
}
