/* router.h: the per-thread worker state and the request entry point, shared
 * by server.c and router.c. */
#ifndef GUILD_ROUTER_H
#define GUILD_ROUTER_H
#include "http/http.h"
#include "domain/accounts/auth.h"

struct evhttp_request;
struct evhttp_uri;

#define SESSION_CACHE_SLOTS 16

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
} http_worker;

void http_dispatch(struct evhttp_request *pReq, http_worker *w);
/* What http_dispatch does to a request before its handler, on its own so
 * that the fuzz tests (tests/fuzz/fuzz_http.c) run the same code on
 * requests they make: starts r for worker w (method m; pUri the URI as
 * libevent parsed it; pReq's input headers and body), normalises the path,
 * then checks the headers' size, answers a file of the browser interface,
 * or matches the route (404, or 405 with the allowed methods in zAllow),
 * reads the query, the caller (token or session cookie), CSRF, If-Match
 * and the JSON body, and asks the policy. Returns 1 when r->pRoute's
 * handler is to run; 0 when r holds the answer (a web file) or e the
 * error. r's strings are in w's arena (reset here); the caller owns
 * r->pBody (json_decref). r->zClient is left empty. */
int http_prepare(struct evhttp_request *pReq, http_method m, const struct evhttp_uri *pUri, http_worker *w,
                 http_req *r, char *zAllow, size_t nAllow, gerr *e);
/* {"error":{"code","message","field","rows"}} for e (rows: e->aRow, when any); caller owns the result. */
json_t *http_error_json(const gerr *e);

#endif
