/* router.h: the per-thread worker state and the request entry point, shared
 * by server.c and router.c. */
#ifndef GUILD_ROUTER_H
#define GUILD_ROUTER_H
#include "http/http.h"
#include "domain/accounts/auth.h"

struct evhttp_request;

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
/* {"error":{"code","message","field","rows"}} for e (rows: e->aRow, when any); caller owns the result. */
json_t *http_error_json(const gerr *e);

#endif
