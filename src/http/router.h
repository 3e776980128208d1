/* router.h: the per-thread worker state and the request entry point, shared
 * by server.c, router.c and guard.c (the connection guard asks the router
 * what a request's head may be followed by, and has it word its answers). */
#ifndef GUILD_ROUTER_H
#define GUILD_ROUTER_H
#include "http/http.h"
#include "domain/accounts/auth.h"

struct evhttp_request;
struct evhttp_uri;
struct evbuffer;
struct guard_conn;
struct http_note;

#define SESSION_CACHE_SLOTS 16
#define GUARD_SLOTS 1024   /* the table of a worker's connections (guard.c) */

/* A session lookup this thread made recently: reused for a few seconds
 * unless any write happened in this process since (the epoch moved). */
typedef struct session_cache_entry {
  char zToken[AUTH_TOKEN_LEN];
  auth_user u;
  int64_t tCached;
  uint64_t epoch;
} session_cache_entry;

/* Seconds a lookup may be reused (from `guild serve --session-cache`). */
extern int http_session_cache_seconds;

typedef struct http_worker {
  int iWorker;
  db *pDb;
  arena ar;                 /* reset for every request */
  struct auth_user auth;    /* the caller of the current request */
  session_cache_entry aSession[SESSION_CACHE_SLOTS];
  struct event_base *pBase;
  struct evhttp *pHttp;
  struct evhttp_bound_socket *pSock;
  struct event *pStop;      /* activated by the main thread on shutdown */
  int fd;
  /* the connection guard's (guard.c) */
  struct guard_conn *apConn[GUARD_SLOTS];   /* by filter bufferevent, while evhttp has them */
  struct guard_conn *pAll;  /* every connection, lingering ones too */
  int nConn, bClosing;
  arena arHead;             /* http_head_plan's: a head is planned between two requests' dispatch */
  struct auth_user authHead;
} http_worker;

/* A request's head as the guard read it. */
typedef struct http_head {
  const char *zMethod, *zTarget;
  struct evhttp_request *pHeaders;   /* not a request evhttp serves: its input headers are the head's */
  int64_t nDeclared;                 /* Content-Length; -1: chunked, the length not known yet */
  const char *zClient;
} http_head;

/* What may follow the head. */
typedef struct http_plan {
  int64_t nMax;   /* the body's limit in bytes */
  int bFile;      /* an upload: the body goes to a temporary file */
} http_plan;

/* Plans a request's body from its head: the route's limit for a caller it
 * would let in (found, signed in, allowed: the checks http_dispatch makes
 * before reading a body), a small one for anyone else (HTTP_MAX_BODY_SMALL;
 * a route that takes no body: HTTP_MAX_BODY_NONE). A body declared longer
 * is refused here, before it is read: with the check that failed (401,
 * 403, 404, ...) or 413. Returns 0, or -1 with e. */
int http_head_plan(http_worker *w, const http_head *h, http_plan *p, gerr *e);

/* Appends to pOut a whole HTTP/1.1 answer with e in guild's error format
 * and headers, Retry-After when retryAfter > 0, and Connection: close: for
 * the guard to write on a connection where evhttp answers nothing. */
void http_render_error(const gerr *e, int retryAfter, struct evbuffer *pOut);

void http_dispatch(struct evhttp_request *pReq, http_worker *w);
/* What http_dispatch does to a request before its handler, on its own so
 * that the fuzz tests (tests/fuzz/fuzz_http.c) run the same code on
 * requests they make: starts r for worker w (method m; pUri the URI as
 * libevent parsed it; pReq's input headers and body; zClient the peer's
 * address, NULL: none; pNote the connection guard's note on pReq, NULL:
 * none: its refusal, if any, is e, its file an upload's body), normalises
 * the path, then checks the headers' size, answers a file of the browser interface, or matches the route
 * (404, or 405 with the allowed methods in zAllow), reads the query, the
 * caller (token or session cookie), CSRF, If-Match and the JSON body, and
 * asks the policy. Returns 1 when r->pRoute's handler is to run; 0 when r
 * holds the answer (a web file) or e the error. r's strings are in w's
 * arena (reset here); the caller owns r->pBody (json_decref) and pNote. */
int http_prepare(struct evhttp_request *pReq, http_method m, const struct evhttp_uri *pUri, http_worker *w,
                 const char *zClient, struct http_note *pNote, http_req *r, char *zAllow, size_t nAllow, gerr *e);
/* {"error":{"code","message","field","rows"}} for e (rows: e->aRow, when any); caller owns the result. */
json_t *http_error_json(const gerr *e);

#endif
