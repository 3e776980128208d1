/* web.h: the browser interface (web/, built by Vite) embedded in the
 * binary: the generated table of its files (build/gen/web_assets.c, from
 * scripts/web_gen.sh) and the decision which file, if any, answers a
 * request. With no interface built the table is empty and guild serves the
 * API alone. */
#ifndef GUILD_WEB_H
#define GUILD_WEB_H
#include <stddef.h>

typedef struct web_asset {
  const char *zPath;              /* URL path, e.g. "/index.html", "/assets/index-3fa2.js" */
  const char *zType;              /* Content-Type */
  const unsigned char *a;         /* the bytes */
  size_t n;
  const unsigned char *aGzip;     /* the same, gzip-compressed, or NULL */
  size_t nGzip;
} web_asset;

extern const web_asset web_assets[];   /* ends with a NULL zPath */
extern const int web_nassets;

/* What answers a GET or HEAD of zPath: the file itself, or index.html for
 * the client's own routes (and for "/" when the client accepts text/html);
 * NULL when the router should go on to the API routes (always for /api and
 * below, for "/" asked for as JSON, for a missing hashed asset, and when no
 * interface was built). *pzCache is the Cache-Control to send. */
const web_asset *web_lookup(const char *zPath, const char *zAccept, const char **pzCache);

/* 1 when the header zHeader (an Accept or Accept-Encoding list, may be
 * NULL) names zToken (compared ignoring ASCII case) with a quality above
 * zero: "gzip;q=0" or "text/html;q=0" refuse, "x-gzip" or "text/html5" are
 * other tokens. Wildcards are not counted. */
int web_accepts(const char *zHeader, const char *zToken);

#endif
