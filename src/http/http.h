/* http.h: the request context every API handler receives, the route table
 * entry type, and the server entry point. Handlers never touch libevent
 * directly: they read the parsed request and return a JSON value (or fill a
 * gerr); the router does methods, body limits, media types, JSON parsing,
 * preconditions, errors and logging once, up front. */
#ifndef GUILD_HTTP_H
#define GUILD_HTTP_H
#include <jansson.h>
#include <stdint.h>
#include "core/err.h"
#include "core/mem.h"
#include "store/db.h"
#include "domain/engine/entity.h"

#define HTTP_MAX_BODY (1024 * 1024)        /* JSON request bodies of a signed-in caller the route lets in */
#define HTTP_MAX_BODY_SMALL (16 * 1024)    /* any body of anyone else: read before the caller is known */
#define HTTP_MAX_BODY_NONE 1024            /* the body of a route that takes none ("{}") */
#define HTTP_MAX_HEADERS (64 * 1024)       /* a request's head (431), checked by the guard */
#define HTTP_MAX_QUERY 32                  /* query parameters */
#define HTTP_SESSION_COOKIE "guild_session"

typedef enum { HM_GET, HM_POST, HM_PATCH, HM_PUT, HM_DELETE, HM_HEAD, HM_OPTIONS, HM_OTHER, HM__MAX } http_method;

typedef struct route route;

typedef struct http_query_param {
  const char *zName, *zValue;
} http_query_param;

typedef struct http_req {
  http_method method;
  const char *zPath;          /* decoded path, without query */
  const route *pRoute;
  int64_t aId[2];             /* the {id} segments of the path, in order */
  http_query_param aQuery[HTTP_MAX_QUERY];
  int nQuery;
  json_t *pBody;              /* parsed JSON object, or NULL when no body */
  int bIfMatch;               /* an If-Match header was given */
  int64_t ifVersion;          /* the version it names */
  dom_ctx ctx;                /* the request's domain context (set by the router once the caller is
                               * known): handlers pass it to the domain (api_ctx); they get no
                               * database connection of their own */
  arena *pAr;                 /* freed after the response */
  const char *zActor;         /* who is acting: "user:NAME", "token:NAME" or "anonymous" */
  struct auth_user *pAuth;    /* the caller (never NULL; bSignedIn tells) */
  dom_actor actor;            /* the caller as the domain's access rules see it (auth_actor) */
  int64_t now;
  const char *zUploadType;    /* R_UPLOAD: which of the route's media types the body is (static) */
  /* response */
  int status;                 /* 200 unless the handler sets it */
  char zEtag[32];
  char zLocation[128];
  char zSetCookie[256];       /* a Set-Cookie header to send, when not empty */
  /* A body other than JSON (e.g. CSV): a handler that sets zText (in the
   * arena, nText bytes) and zContentType returns NULL without an error, and
   * the router sends this text instead of a JSON body. Errors are JSON. */
  const char *zText;
  size_t nText;
  const char *zContentType;
  const char *zCacheControl;  /* NULL: no-store (every API answer) */
  const char *zContentEncoding; /* e.g. "gzip" for a compressed zText, or NULL */
  const char *zVary;          /* a Vary header, or NULL */
  /* A file as the body (exports), set by http_send_file: the router sends
   * it without reading it into memory, and closes it. */
  int bFile, fdFile;
  int64_t nFile;
  const char *zFileName;      /* offered name for saving (Content-Disposition), any body */
  int bTls;                   /* the client reached us over TLS (X-Forwarded-Proto: https) */
  char zClient[64];           /* the peer's address, for sign-in throttling only */
  void *pNative;              /* struct evhttp_request* (router only) */
  struct http_note *pNote;    /* the connection guard's note on it (router only; guard.h) */
  struct http_worker *pWorker; /* the thread serving it (router only) */
} http_req;

/* A handler returns the JSON body (the router takes ownership) or NULL with
 * e filled. It may set r->status, r->zEtag and r->zLocation. */
typedef json_t *(*http_handler)(http_req *r, gerr *e);

enum {
  R_BODY = 1,      /* takes a JSON object body */
  R_BODY_OPT = 2,  /* takes an optional JSON object body */
  R_IF_MATCH = 4,  /* needs If-Match (optimistic concurrency) */
  R_CREATED = 8,   /* answers 201 Created */
  R_NO_CONTENT = 16, /* answers 204 No Content */
  R_UPLOAD = 32,   /* takes a file as the body, kept as it is (no JSON), in a temporary file: what
                    * route.pArg (an http_upload) says, or with no pArg a text/csv file of up to
                    * http_upload_max bytes */
  R_ACCEPTED = 64, /* answers 202 Accepted (work continues in the background) */
  R_LIST = 128,    /* lists pArg's records like its list route (a file): the domain confines it the same way */
  R_DOMAIN = 256,  /* the handler's domain call decides access itself (the rule is the one it applies) */
  R_FIRST_SIGN_IN = 512, /* open to an account whose one-time password must still be changed (/me, the change,
                          * signing out); every other route answers 403 password_change_required */
};

/* What an R_UPLOAD route takes, as its pArg: one of the media types
 * azMedia (NULL-terminated), of at most nMax bytes (0, or more than
 * http_upload_max: http_upload_max). */
typedef struct http_upload {
  const char *const *azMedia;
  size_t nMax;
} http_upload;

struct route {
  http_method method;
  const char *zPath;          /* "/api/v1/persons/{id}" */
  http_handler xHandler;
  const void *pArg;           /* e.g. the dom_entity a generic handler serves; R_UPLOAD: an http_upload */
  unsigned flags;
  const char *zTag;           /* OpenAPI tag */
  const char *zSummary;       /* one line of help, also in OpenAPI */
  const pol_rule *pRule;      /* access rule (policy.h): the router checks only that a caller of a
                               * route that is not public is signed in; the domain decides the rest */
};

/* The route table (routes.c): the modules' entities' routes and the
 * routes each module declares, built once by http_routes_init. */
#define HTTP_MAXROUTE 256
extern route http_routes[HTTP_MAXROUTE];
extern int http_nroutes;
/* Builds http_routes after dom_init (again: no effect; thread-safe). */
void http_routes_init(void);
const char *http_method_name(http_method m);

/* Query-parameter look-up: NULL when absent. */
const char *http_query(const http_req *r, const char *zName);

/* Answers with the open file fd (its whole content, from the start) as the
 * body, of type zContentType, offered for saving as zFileName (static or in
 * the request's arena; NULL: none). The router owns fd from here on. */
void http_send_file(http_req *r, int fd, const char *zContentType, const char *zFileName);

/* R_UPLOAD routes: the largest body accepted (413 beyond; `guild serve
 * --max-upload`; a route may take less: http_upload_limit), the body's
 * size, and copying it to the open file fd (file to file: the body was
 * never in memory). */
extern size_t http_upload_max;
size_t http_upload_limit(const route *p);
size_t http_body_size(http_req *r);
int http_body_to_file(http_req *r, int fd, gerr *e);
/* The whole body of an R_UPLOAD route in one piece (in the request's
 * arena, valid until the response is sent: for small uploads, at most
 * http_upload.nMax, that the domain takes in memory), its size in *pn (0
 * when it cannot be read, which is logged). */
const void *http_body_bytes(http_req *r, size_t *pn);

typedef struct http_config {
  const char *zDb;
  const char *zAddr;   /* listen address, default 127.0.0.1 */
  int port;
  int nThread;
  int nSessionCache;   /* seconds a thread may reuse a session lookup (0: never) */
  size_t nUploadMax;   /* largest upload (R_UPLOAD routes) in bytes; 0: the default */
  int nMaxConn;        /* connections at once in all; 0: the default */
  int nMaxPerClient;   /* ... from one address; 0: the default, -1: no limit */
  int nHeadSeconds;    /* a request's head must arrive within; 0: the default */
} http_config;

/* Serves until SIGINT or SIGTERM, then finishes in-flight requests, closes
 * every connection and returns 0. Returns -1 with e filled on start-up
 * failure. */
int http_serve(const http_config *cfg, gerr *e);

#endif
