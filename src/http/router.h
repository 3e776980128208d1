/* router.h: the per-thread worker state and the request entry point, shared
 * by server.c and router.c. */
#ifndef GUILD_ROUTER_H
#define GUILD_ROUTER_H
#include "http.h"
#include "../domain/auth.h"

struct evhttp_request;

typedef struct http_worker {
  int iWorker;
  db *pDb;
  arena ar;                 /* reset for every request */
  struct auth_user auth;    /* the caller of the current request */
  struct event_base *pBase;
  struct evhttp *pHttp;
  struct evhttp_bound_socket *pSock;
  struct event *pStop;      /* activated by the main thread on shutdown */
  int fd;
} http_worker;

void http_dispatch(struct evhttp_request *pReq, http_worker *w);
/* {"error":{"code","message","field"}} for e; caller owns the result. */
json_t *http_error_json(const gerr *e);

#endif
