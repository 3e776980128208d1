/* fuzz_wire.c: the bytes a client sends on one connection, through the
 * whole server: the fuzzer's bytes go over a loopback socket to guild's
 * own HTTP stack in this process (one worker as `guild serve` makes it:
 * libevent's evhttp under the connection guard, src/http/guard.c, then
 * the router and the route's handler), on a SQLite database holding the
 * demo region (1000 learners) with its five accounts signed in. What the
 * guard does is fuzzed here and nowhere else: the request line and
 * header syntax, the framing (Content-Length, chunked bodies and their
 * trailers, ambiguous framings refused), Expect: 100-continue, the body's
 * limit planned on the head, uploads to a file, pipelined requests, a
 * refused body dropped, the lingering close. fuzz_http.c fuzzes the
 * router and handlers on requests made in memory, many times faster.
 *
 * Input: the bytes on the wire, as is, after the substitutions of
 * fuzz_http.h ($admin, $csrf_admin, $token, ...); then the client closes
 * its side for writing and reads every answer until the server closes.
 * Seeds: tests/fuzz/corpus/wire/ (requests of tests/api/test_http_guard.py
 * and of fuzz_http's corpus, with CRLF line ends and HTTP/1.1).
 *
 * Every input runs in a transaction rolled back after it (each meets the
 * same database). The guard's deadlines are shortened (an input that stops
 * midway waits out at most a second). Properties: every answer is
 * HTTP/1.x with a three-digit status and framed by its Content-Length
 * (or none: 1xx, HEAD; an HTTP/1.0 answer without one ends with the
 * connection); none is a 5xx; an answer with Connection: close is
 * the last; once the client is gone the guard holds no connection.
 * A connection that neither answers nor closes within 5 s (every deadline
 * of the guard is past) fails the input; so does libFuzzer's -timeout when
 * the event loop spins on a connection without reaching that timer. */
#include "fuzz.h"
#include "fuzz_http.h"
#include "api/api.h"
#include "core/log.h"
#include "http/guard.h"
#include "http/router.h"
#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>

static db *pDb;
static http_worker w;
static int port;

/* One input's client side. */
typedef struct client {
  int fd;
  const char *z;   /* what is left to send */
  size_t n;
  int bShut, bDone;
  struct evbuffer *pIn;   /* every answer */
  struct event *pEv;
} client;

static void on_request(struct evhttp_request *pReq, void *pArg) { http_dispatch(pReq, pArg); }

/* The server neither answered nor closed 5 s after the input began, long
 * after every deadline of the guard: a connection stuck (or
 * the loop spinning on it). Fails the input. */
static void on_stall(evutil_socket_t fd, short what, void *pArg) {
  (void)fd;
  (void)what;
  client *c = pArg;
  fprintf(stderr, "fuzz_wire: no answer and no close 5 s after the input began (%zu bytes answered)\n",
          evbuffer_get_length(c->pIn));
  FUZZ_ASSERT(!"the connection neither answered nor closed");
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  demo_account aAcc[DEMO_ACCOUNTS];
  pDb = fuzz_demo_db(1000, aAcc);
  fuzz_sign_in(pDb, aAcc);
  http_routes_init();
  http_session_cache_seconds = 0;   /* every request looks its caller up: the same input, the same path */
  log_access_enabled = 0;
  log_verbose = 0;
  http_guard.msHead = http_guard.msBody = 1000;
  http_guard.msLinger = 200;
  signal(SIGPIPE, SIG_IGN);
  arena_init(&w.ar);
  arena_init(&w.arHead);
  guard_worker_init(&w);
  w.pDb = pDb;
  w.pBase = event_base_new();
  w.pHttp = evhttp_new(w.pBase);
  evhttp_set_allowed_methods(w.pHttp, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH |
                                          EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
  evhttp_set_bevcb(w.pHttp, guard_bev_new, &w);   /* as http_serve sets a worker up (server.c) */
  evhttp_set_max_body_size(w.pHttp, HTTP_MAX_BODY);
  evhttp_set_max_headers_size(w.pHttp, HTTP_MAX_HEADERS + 1024);
  evhttp_set_timeout(w.pHttp, 60);
  evhttp_set_gencb(w.pHttp, on_request, &w);
  w.pSock = evhttp_bind_socket_with_handle(w.pHttp, "127.0.0.1", 0);
  FUZZ_ASSERT(w.pSock);
  struct sockaddr_in sa;
  socklen_t nSa = sizeof sa;
  FUZZ_ASSERT(getsockname(evhttp_bound_socket_get_fd(w.pSock), (struct sockaddr *)&sa, &nSa) == 0);
  port = ntohs(sa.sin_port);
  return 0;
}

/* The client's turn: sends what is left, then shuts its side for writing;
 * reads what the server answers until it closes. */
static void on_client(evutil_socket_t fd, short what, void *pArg) {
  client *c = pArg;
  if ((what & EV_WRITE) && !c->bShut) {
    ssize_t k = c->n ? send(fd, c->z, c->n, 0) : 0;
    if (k > 0) {
      c->z += k;
      c->n -= (size_t)k;
    } else if (k < 0 && errno != EAGAIN && errno != EINTR) {
      c->n = 0;   /* the server closed: nothing more goes */
    }
    if (c->n == 0) {
      shutdown(fd, SHUT_WR);
      c->bShut = 1;
      event_del(c->pEv);
      event_assign(c->pEv, w.pBase, fd, EV_READ | EV_PERSIST, on_client, c);
      event_add(c->pEv, NULL);
    }
  }
  if (what & EV_READ) {
    int k = evbuffer_read(c->pIn, fd, 65536);
    if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
      c->bDone = 1;
      event_del(c->pEv);
    }
  }
}

/* The value of header zName in the head z (n bytes), or NULL; in a. */
static char *header(arena *a, const char *z, size_t n, const char *zName) {
  size_t m = strlen(zName);
  for (const char *p = memchr(z, '\n', n); p && (size_t)(p + 1 - z) < n; p = memchr(p + 1, '\n', n - (size_t)(p + 1 - z))) {
    const char *q = p + 1;
    if ((size_t)(z + n - q) > m && strncasecmp(q, zName, m) == 0 && q[m] == ':') {
      q += m + 1;
      while (*q == ' ') q++;
      const char *r = q;
      while (r < z + n && *r != '\r' && *r != '\n') r++;
      return arena_strndup(a, q, (size_t)(r - q));
    }
  }
  return NULL;
}

/* 1 when the bytes at z (n of them) are empty or begin an answer. */
static int answer_starts(const char *z, size_t n) { return n == 0 || (n >= 7 && memcmp(z, "HTTP/1.", 7) == 0); }

/* Checks the properties of the answers (z, n bytes; see the top). */
static void check_answers(arena *a, const char *z, size_t n) {
  while (n > 0) {
    FUZZ_ASSERT(n >= 12 && (memcmp(z, "HTTP/1.1 ", 9) == 0 || memcmp(z, "HTTP/1.0 ", 9) == 0));
    int status = 0;
    for (int i = 9; i < 12; i++) {
      FUZZ_ASSERT(z[i] >= '0' && z[i] <= '9');
      status = status * 10 + (z[i] - '0');
    }
    if (status >= 500) fprintf(stderr, "fuzz_wire: answered %.*s\n", (int)(n < 2000 ? n : 2000), z);
    FUZZ_ASSERT(status >= 100 && status < 500);
    const char *pEnd = memmem(z, n, "\r\n\r\n", 4);
    FUZZ_ASSERT(pEnd);
    size_t nHead = (size_t)(pEnd + 4 - z);
    const char *zLength = header(a, z, nHead, "Content-Length");
    const char *zConn = header(a, z, nHead, "Connection");
    if (!zLength && z[7] == '0' && status >= 200) break;   /* HTTP/1.0 without a length: the body ends with the connection */
    size_t nBody = zLength ? (size_t)strtoull(zLength, NULL, 10) : 0;
    if (nHead + nBody <= n && answer_starts(z + nHead + nBody, n - nHead - nBody)) {
      nHead += nBody;
    } else {
      if (!answer_starts(z + nHead, n - nHead)) fprintf(stderr, "fuzz_wire: not framed: %.*s\n", (int)(n < 3000 ? n : 3000), z);
      FUZZ_ASSERT(answer_starts(z + nHead, n - nHead));   /* a HEAD's answer: its length, no body */
    }
    z += nHead;
    n -= nHead;
    if (zConn && strcasecmp(zConn, "close") == 0) FUZZ_ASSERT(n == 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  arena a;
  arena_init(&a);
  client c = {0};
  c.z = fuzz_substitute(&a, (const char *)data, size, &c.n);
  c.pIn = evbuffer_new();
  c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  FUZZ_ASSERT(c.fd >= 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  FUZZ_ASSERT(connect(c.fd, (struct sockaddr *)&sa, sizeof sa) == 0 || errno == EINPROGRESS);
  c.pEv = event_new(w.pBase, c.fd, EV_READ | EV_WRITE | EV_PERSIST, on_client, &c);
  event_add(c.pEv, NULL);
  gerr e;
  gerr_clear(&e);
  FUZZ_ASSERT(db_begin(pDb, &e) == 0);
  struct event *pStall = evtimer_new(w.pBase, on_stall, &c);
  struct timeval tv = {5, 0};
  evtimer_add(pStall, &tv);
  while (!c.bDone) event_base_loop(w.pBase, EVLOOP_ONCE);
  event_free(c.pEv);
  close(c.fd);
  while (w.nConn > 0) event_base_loop(w.pBase, EVLOOP_ONCE);   /* the lingering close reads the end */
  FUZZ_ASSERT(w.nConn == 0);   /* the client is gone: so is its connection */
  event_free(pStall);
  FUZZ_ASSERT(guard_open_connections() == 0);
  FUZZ_ASSERT(db_depth(pDb) == 1);   /* every handler ended what it began */
  db_rollback(pDb);
  size_t n = evbuffer_get_length(c.pIn);
  check_answers(&a, (const char *)evbuffer_pullup(c.pIn, -1), n);
  evbuffer_free(c.pIn);
  fuzz_clean(NULL);
  arena_free(&a);
  return 0;
}
