/* server.c: the HTTP server: one libevent loop and one database connection
 * per thread. The threads accept from one listening socket (each through its
 * own duplicate descriptor), so a port already in use is refused rather
 * than shared with another server. SIGINT/SIGTERM stop
 * accepting, let in-flight requests finish, stop the background import
 * runner (a running import rolls back), then close everything. Every
 * connection's bytes pass through the connection guard (guard.c), which
 * applies the limits, deadlines and caps evhttp lacks. */
#include "http/router.h"
#include "http/guard.h"
#include "jobs/import_runner.h"
#include "core/log.h"
#include "store/schema.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define DRAIN_MS 300   /* after the listener closes, time for in-flight work */
#define IDLE_SECONDS 60   /* a kept-alive connection between requests; an answer the client does not read */

static void on_request(struct evhttp_request *pReq, void *pArg) { http_dispatch(pReq, pArg); }

/* Opens a non-blocking listening socket on addr:port. */
static int listen_on(const char *zAddr, int port, gerr *e) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, zAddr, &sa.sin_addr) != 1)
    return gerr_setr(e, GERR_USAGE, GR_NOT_IPV4, "addr", GP_S("got", zAddr)), gerr_msg(e, "not an IPv4 address: %s", zAddr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return gerr_set(e, GERR_INTERNAL, NULL, "socket: %s", strerror(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1024) != 0) {
    const char *zWhy = strerror(errno);
    gerr_setr(e, GERR_USAGE, GR_CANNOT_LISTEN, "port", GP_S("addr", zAddr), GP_I("port", port));
    gerr_msg(e, "cannot listen on %s:%d: %s", zAddr, port, zWhy);
    close(fd);
    return -1;
  }
  evutil_make_socket_nonblocking(fd);
  evutil_make_socket_closeonexec(fd);
  return fd;
}

/* Runs in the worker's thread: stop accepting, finish what is in flight. */
static void on_stop(evutil_socket_t fd, short what, void *pArg) {
  (void)fd;
  (void)what;
  http_worker *w = pArg;
  if (w->pSock) {
    evhttp_del_accept_socket(w->pHttp, w->pSock);
    w->pSock = NULL;
  }
  struct timeval tv = {0, DRAIN_MS * 1000};
  event_base_loopexit(w->pBase, &tv);
}

static void on_flush_log(evutil_socket_t fd, short what, void *pArg) {
  (void)fd;
  (void)what;
  (void)pArg;
  log_access_flush();
}

static void *worker_main(void *pArg) {
  http_worker *w = pArg;
  struct timeval tv = {0, 200000};
  struct event *pFlush = event_new(w->pBase, -1, EV_PERSIST, on_flush_log, NULL);
  event_add(pFlush, &tv);
  event_base_dispatch(w->pBase);
  event_free(pFlush);
  log_access_close();
  return NULL;
}

/* Sets up worker w: connection, event base, evhttp, and its duplicate of
 * the listening socket fdListen. */
static int worker_init(http_worker *w, const http_config *cfg, int fdListen, gerr *e) {
  arena_init(&w->ar);
  arena_init(&w->arHead);
  guard_worker_init(w);
  if (db_open(cfg->zDb, 0, &w->pDb, e)) return -1;
  if (schema_require_current(w->pDb, e)) return -1;
  /* the change list batches epoll_ctl calls: measured 10-15% less CPU per request */
  struct event_config *pCfg = event_config_new();
  event_config_set_flag(pCfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
  w->pBase = event_base_new_with_config(pCfg);
  event_config_free(pCfg);
  w->pHttp = evhttp_new(w->pBase);
  evhttp_set_allowed_methods(w->pHttp, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH |
                                           EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
  /* evhttp sees only what the guard hands on: whole requests within their limits (uploads stay in files) */
  evhttp_set_bevcb(w->pHttp, guard_bev_new, w);
  evhttp_set_max_body_size(w->pHttp, HTTP_MAX_BODY);
  evhttp_set_max_headers_size(w->pHttp, HTTP_MAX_HEADERS + 1024);
  evhttp_set_timeout(w->pHttp, IDLE_SECONDS);
  evhttp_set_gencb(w->pHttp, on_request, w);
  w->fd = fcntl(fdListen, F_DUPFD_CLOEXEC, 0);
  if (w->fd < 0) return gerr_set(e, GERR_INTERNAL, NULL, "dup: %s", strerror(errno));
  w->pSock = evhttp_accept_socket_with_handle(w->pHttp, w->fd);  /* closes w->fd when freed */
  if (!w->pSock) {
    close(w->fd);
    return gerr_set(e, GERR_INTERNAL, NULL, "cannot accept connections");
  }
  w->pStop = event_new(w->pBase, -1, 0, on_stop, w);
  return 0;
}

static void worker_free(http_worker *w) {
  guard_worker_closing(w);
  if (w->pStop) event_free(w->pStop);
  if (w->pHttp) evhttp_free(w->pHttp);
  guard_worker_free(w);
  if (w->pBase) event_base_free(w->pBase);   /* runs the finalizers: the guard frees evhttp's connections' state */
  db_close(w->pDb);
  arena_free(&w->ar);
  arena_free(&w->arHead);
}

static void on_signal(evutil_socket_t sig, short what, void *pArg) {
  (void)what;
  log_info("signal %d: shutting down after in-flight requests", (int)sig);
  event_base_loopbreak(pArg);
}

int http_serve(const http_config *cfg, gerr *e) {
  int nThread = cfg->nThread > 0 ? cfg->nThread : 1;
  http_session_cache_seconds = cfg->nSessionCache;
  if (cfg->nUploadMax) http_upload_max = cfg->nUploadMax;
  if (cfg->nMaxConn) http_guard.nTotal = cfg->nMaxConn;
  if (cfg->nMaxPerClient) http_guard.nPerClient = cfg->nMaxPerClient < 0 ? 0 : cfg->nMaxPerClient;
  if (cfg->nHeadSeconds) http_guard.msHead = http_guard.msBody = cfg->nHeadSeconds * 1000;
  /* every connection is a descriptor: room for the cap and the ones answered beyond it */
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  http_routes_init();
  int port = cfg->port, rc = -1;
  evthread_use_pthreads();
  signal(SIGPIPE, SIG_IGN);
  http_worker *aW = g_calloc((size_t)nThread, sizeof *aW);
  pthread_t *aT = g_calloc((size_t)nThread, sizeof *aT);
  int nStarted = 0;
  int fdListen = listen_on(cfg->zAddr, port, e);
  if (fdListen < 0) goto done;
  if (port == 0) {
    struct sockaddr_in sa;
    socklen_t n = sizeof sa;
    getsockname(fdListen, (struct sockaddr *)&sa, &n);
    port = ntohs(sa.sin_port);
  }
  for (int i = 0; i < nThread; i++) {
    aW[i].iWorker = i;
    if (worker_init(&aW[i], cfg, fdListen, e)) goto done;
  }
  if (import_runner_start(cfg->zDb, e)) goto done;
  struct event_base *pMain = event_base_new();
  struct event *pInt = evsignal_new(pMain, SIGINT, on_signal, pMain);
  struct event *pTerm = evsignal_new(pMain, SIGTERM, on_signal, pMain);
  event_add(pInt, NULL);
  event_add(pTerm, NULL);
  for (; nStarted < nThread; nStarted++) pthread_create(&aT[nStarted], NULL, worker_main, &aW[nStarted]);
  char zShown[256];
  db_url_redacted(cfg->zDb, zShown, sizeof zShown);
  printf("guild: serving %s on http://%s:%d/ with %d threads\n", zShown, cfg->zAddr, port, nThread);
  fflush(stdout);
  event_base_dispatch(pMain);
  for (int i = 0; i < nThread; i++) event_active(aW[i].pStop, 0, 0);
  for (int i = 0; i < nStarted; i++) pthread_join(aT[i], NULL);
  import_runner_stop();   /* a running import rolls back and is marked failed */
  event_free(pInt);
  event_free(pTerm);
  event_base_free(pMain);
  log_info("stopped; database closed");
  rc = 0;
done:
  for (int i = 0; i < nThread; i++) worker_free(&aW[i]);
  if (fdListen >= 0) close(fdListen);
  free(aW);
  free(aT);
  libevent_global_shutdown();
  return rc;
}
