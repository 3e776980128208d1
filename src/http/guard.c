/* guard.c: the connection guard (see guard.h): a bufferevent filter under
 * each evhttp connection that reads requests itself, within their limits
 * and deadlines, and hands evhttp only complete requests with plain
 * Content-Length framing; the caps on connections; the lingering close. */
#include "http/guard.h"
#include "http/router.h"
#include "core/log.h"
#include "core/tmp.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <inttypes.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

http_guard_cfg http_guard = {64, 1024, 10000, 10000, 64 * 1024, 2000};

#define GUARD_PIPELINE 4          /* requests handed on and not yet answered, before reading stops */
#define GUARD_CHUNK_LINE 1024     /* longest chunk-size line */
#define GUARD_MAX_FIELDS 256      /* header lines of a request (431 beyond) */
#define GUARD_TRAILERS 8192       /* most bytes of trailer lines after a chunked body */
#define GUARD_READ_HIGH (256 * 1024)   /* the socket is not read further while this much waits */
#define GUARD_RETRY_FULL 5        /* Retry-After, seconds, when the server has no room for a connection */
#define GUARD_RETRY_CLIENT 10     /* ... when the client has too many */

/* What the guard is reading. */
typedef enum {
  G_HEAD,        /* a request's head */
  G_BODY,        /* nLeft more bytes of a Content-Length body */
  G_CHUNK_SIZE,  /* a chunk-size line */
  G_CHUNK_DATA,  /* nLeft more bytes of a chunk */
  G_CHUNK_END,   /* the CRLF after a chunk */
  G_TRAILER,     /* trailer lines up to the empty one */
  G_SKIP,        /* nLeft more bytes of a refused body, dropped; then the next request */
  G_DRAIN,       /* everything, dropped: the connection is closing */
} guard_state;

typedef struct guard_conn {
  http_worker *w;
  struct bufferevent *pBev;     /* the filter evhttp reads (NULL once it freed it) */
  struct bufferevent *pUnder;   /* the socket's */
  struct event *pTimer;         /* accept check, then deadlines, then the linger */
  struct event *pFlush;         /* moves an answer on (guard_replied) */
  struct event *pWritable;      /* the socket takes more of an answer */
  struct guard_conn *pNext;     /* in the worker's table (while evhttp has the connection) */
  struct guard_conn *pAllPrev, *pAllNext;   /* in the worker's list of every connection */
  char zAddr[INET6_ADDRSTRLEN];
  int bAccepted, bCounted, bLinger;
  int fdLinger;                 /* the socket, the guard's own once evhttp freed the connection (-1: none) */
  struct event *pLinger;        /* it has more to read, while lingering */
  guard_state state;
  int bHeadStarted;             /* a byte of the current head arrived */
  struct evbuffer *pHead;       /* the head read so far */
  struct evbuffer *pOut;        /* the head to hand on (without its last line) */
  struct evbuffer *pBody;       /* a body that is not an upload */
  int fdBody;                   /* an upload's file, -1: none */
  int64_t nBody, nLeft, nMax, nTrailer;
  int bFile, bChunked;
  uint64_t seq;                 /* of the last request handed on */
  int nPending;                 /* handed on, not yet answered */
  http_note *pFirst, *pLast;    /* their notes, in order */
} guard_conn;

/* ---- connections per address and in all (every worker's) ---- */

typedef struct addr_count {
  char zAddr[INET6_ADDRSTRLEN];
  int n;
  struct addr_count *pNext;
} addr_count;

#define ADDR_SLOTS 1024
static pthread_mutex_t muCount = PTHREAD_MUTEX_INITIALIZER;
static addr_count *apAddr[ADDR_SLOTS];
static int nOpen, nPeak;   /* open now; the most open since memory was last given back */
#define GUARD_TRIM_PEAK 32     /* a burst that large is worth giving its memory back for */

static unsigned hash_str(const char *z) {
  unsigned h = 2166136261u;
  for (; *z; z++) h = (h ^ (unsigned char)*z) * 16777619u;
  return h;
}

/* Counts a new connection from zAddr. Returns 0, 429 (the address has
 * nPerClient) or 503 (the server has nTotal); *pbFar: so far beyond that
 * it is closed without an answer. */
static int count_add(const char *zAddr, int *pbFar) {
  pthread_mutex_lock(&muCount);
  addr_count **pp = &apAddr[hash_str(zAddr) % ADDR_SLOTS];
  while (*pp && strcmp((*pp)->zAddr, zAddr) != 0) pp = &(*pp)->pNext;
  int nMine = *pp ? (*pp)->n : 0, rc = 0;
  *pbFar = nOpen >= http_guard.nTotal + http_guard.nTotal / 2;
  if (nOpen >= http_guard.nTotal) rc = 503;
  else if (http_guard.nPerClient > 0 && nMine >= http_guard.nPerClient) rc = 429;
  else {
    if (!*pp) {
      *pp = g_calloc(1, sizeof **pp);
      snprintf((*pp)->zAddr, sizeof (*pp)->zAddr, "%s", zAddr);
    }
    (*pp)->n++;
    if (++nOpen > nPeak) nPeak = nOpen;
  }
  pthread_mutex_unlock(&muCount);
  return rc;
}

static void count_remove(const char *zAddr) {
  pthread_mutex_lock(&muCount);
  addr_count **pp = &apAddr[hash_str(zAddr) % ADDR_SLOTS];
  while (*pp && strcmp((*pp)->zAddr, zAddr) != 0) pp = &(*pp)->pNext;
  if (*pp && --(*pp)->n == 0) {
    addr_count *p = *pp;
    *pp = p->pNext;
    free(p);
  }
  int bTrim = --nOpen == 0 && nPeak >= GUARD_TRIM_PEAK;
  if (bTrim) nPeak = 0;
  pthread_mutex_unlock(&muCount);
  if (bTrim) malloc_trim(0);   /* the memory of a burst of connections goes back to the system */
}

int guard_open_connections(void) {
  pthread_mutex_lock(&muCount);
  int n = nOpen;
  pthread_mutex_unlock(&muCount);
  return n;
}

/* ---- the worker's table of its connections (by filter bufferevent) ---- */

static unsigned slot_of(const struct bufferevent *p) { return (unsigned)(((uintptr_t)p >> 4) % GUARD_SLOTS); }

static void table_add(guard_conn *g) {
  guard_conn **pp = &g->w->apConn[slot_of(g->pBev)];
  g->pNext = *pp;
  *pp = g;
}

static void table_remove(guard_conn *g) {
  for (guard_conn **pp = &g->w->apConn[slot_of(g->pBev)]; *pp; pp = &(*pp)->pNext)
    if (*pp == g) {
      *pp = g->pNext;
      return;
    }
}

static void all_add(guard_conn *g) {
  g->pAllNext = g->w->pAll;
  if (g->pAllNext) g->pAllNext->pAllPrev = g;
  g->w->pAll = g;
}

static void all_remove(guard_conn *g) {
  if (g->pAllPrev) g->pAllPrev->pAllNext = g->pAllNext;
  else g->w->pAll = g->pAllNext;
  if (g->pAllNext) g->pAllNext->pAllPrev = g->pAllPrev;
}

static guard_conn *table_find(http_worker *w, const struct bufferevent *pBev) {
  for (guard_conn *g = w->apConn[slot_of(pBev)]; g; g = g->pNext)
    if (g->pBev == pBev) return g;
  return NULL;
}

/* ---- notes ---- */

void guard_note_free(http_note *p) {
  if (!p) return;
  if (p->fdBody >= 0) close(p->fdBody);
  free(p);
}

static http_note *note_push(guard_conn *g) {
  http_note *p = g_calloc(1, sizeof *p);
  p->seq = ++g->seq;
  p->fdBody = -1;
  gerr_clear(&p->err);
  if (g->pLast) g->pLast->pNext = p;
  else g->pFirst = p;
  g->pLast = p;
  g->nPending++;
  return p;
}

/* ---- the request being read ---- */

static void arm(guard_conn *g, int64_t ms) {
  struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
  evtimer_add(g->pTimer, &tv);
}

/* Forgets the request being read (its buffers, its file). */
static void request_reset(guard_conn *g) {
  evbuffer_drain(g->pHead, evbuffer_get_length(g->pHead));
  evbuffer_drain(g->pOut, evbuffer_get_length(g->pOut));
  evbuffer_drain(g->pBody, evbuffer_get_length(g->pBody));
  if (g->fdBody >= 0) close(g->fdBody);
  g->fdBody = -1;
  g->nBody = g->nLeft = g->nMax = g->nTrailer = 0;
  g->bFile = g->bChunked = g->bHeadStarted = 0;
}


static int filter_gone(guard_conn *g);

/* 1 when nothing of evhttp's is on its way out: the guard may write on
 * the socket itself. */
static int quiet(const guard_conn *g) {
  return g->nPending == 0 && g->pBev && evbuffer_get_length(bufferevent_get_output(g->pBev)) == 0;
}

/* Writes what the socket takes of b now (a short answer of the guard's
 * own; the rest is dropped). */
static void write_now(guard_conn *g, struct evbuffer *b) {
  if (filter_gone(g)) return;
  int fd = (int)bufferevent_getfd(g->pUnder);
  while (fd >= 0 && evbuffer_get_length(b) > 0) {
    int k = evbuffer_write(b, fd);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
  }
}

/* Drops the connection: no more is read; evhttp reads the end of the
 * stream and frees it, and the guard closes it lingering. */
static void drop(guard_conn *g) {
  g->state = G_DRAIN;
  request_reset(g);
  evtimer_del(g->pTimer);
  if (filter_gone(g)) return;
  int fd = (int)bufferevent_getfd(g->pUnder);
  if (fd >= 0) shutdown(fd, SHUT_RD);   /* evhttp reads the end of the stream and frees the connection */
}

/* Answers e on the socket itself (evhttp has nothing in progress on it) and
 * drops the connection. */
static void answer_and_drop(guard_conn *g, const gerr *e, int retryAfter) {
  if (quiet(g)) {
    struct evbuffer *b = evbuffer_new();
    http_render_error(e, retryAfter, b);
    write_now(g, b);
    evbuffer_free(b);
  }
  drop(g);
}

/* Hands evhttp a request with no body that the router answers with the
 * note's error (zMethod and zTarget: the request's, when they could be
 * read). bClose: the connection closes after it; else the refused body
 * (nSkip bytes, known framing) is read and dropped and the connection
 * goes on. */
static void refuse(guard_conn *g, struct evbuffer *dst, const char *zMethod, const char *zTarget, const gerr *e,
                   int bClose, int64_t nSkip) {
  request_reset(g);
  http_note *p = note_push(g);
  p->err = *e;
  p->bClose = bClose;
  evbuffer_add_printf(dst, "%s %s HTTP/1.1\r\n" GUARD_REQUEST_HEADER ": %" PRIu64 "\r\n\r\n", zMethod ? zMethod : "GET",
                      zTarget ? zTarget : "/", p->seq);
  if (bClose) {
    g->state = G_DRAIN;
    evtimer_del(g->pTimer);
  } else if (nSkip > 0) {
    g->state = G_SKIP;
    g->nLeft = nSkip;
  } else {
    g->state = G_HEAD;
    evtimer_del(g->pTimer);
  }
}

/* The body is complete: hand the request on. */
static void complete(guard_conn *g, struct evbuffer *dst) {
  http_note *p = note_push(g);
  if (g->bFile) {
    p->fdBody = g->fdBody;
    p->nBody = g->nBody;
    g->fdBody = -1;
  } else if (g->nBody > 0) {
    evbuffer_add_printf(g->pOut, "Content-Length: %" PRId64 "\r\n", g->nBody);
  }
  evbuffer_add_printf(g->pOut, GUARD_REQUEST_HEADER ": %" PRIu64 "\r\n\r\n", p->seq);
  evbuffer_add_buffer(dst, g->pOut);
  evbuffer_add_buffer(dst, g->pBody);
  request_reset(g);
  g->state = G_HEAD;
  evtimer_del(g->pTimer);
}

/* Takes n bytes of body from src into the request's body or file.
 * Returns 0, or -1 when the file cannot take them (e filled). */
static int sink(guard_conn *g, struct evbuffer *src, size_t n, gerr *e) {
  g->nBody += (int64_t)n;
  if (!g->bFile) {
    evbuffer_remove_buffer(src, g->pBody, n);
    return 0;
  }
  while (n > 0) {
    int k = evbuffer_write_atmost(src, g->fdBody, (ev_ssize_t)n);   /* writes and drains */
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      log_error("guard: cannot store an upload: %s", strerror(errno));
      return gerr_set(e, GERR_UNAVAILABLE, NULL, "the upload cannot be stored (%s); nothing was saved, try again later",
                      strerror(errno));
    }
    n -= (size_t)k;
  }
  return 0;
}

static void on_writable(evutil_socket_t fd, short what, void *pArg);
static void accept_check(guard_conn *g);

/* ---- the head ---- */

static const char *const azMethod[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", NULL};

/* 1 when c may be in a header's name (an RFC 9110 token character). */
static int is_tchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The offset just past the empty line that ends the head in b (looking
 * from nFrom on), or 0 when it has not arrived. Lines end in CRLF or LF. */
static size_t head_end(struct evbuffer *b, size_t nFrom) {
  static const char *const azEnd[] = {"\n\n", "\n\r\n"};
  size_t nBest = 0;
  for (int i = 0; i < 2; i++) {
    struct evbuffer_ptr pos;
    if (evbuffer_ptr_set(b, &pos, nFrom, EVBUFFER_PTR_SET) != 0) return 0;
    pos = evbuffer_search(b, azEnd[i], strlen(azEnd[i]), &pos);
    size_t n = pos.pos < 0 ? 0 : (size_t)pos.pos + strlen(azEnd[i]);
    if (n && (!nBest || n < nBest)) nBest = n;
  }
  return nBest;
}

/* One line of z (up to '\n', without CR LF) as [*pz, *pn); returns what
 * follows. A CR elsewhere than before the LF makes *pn -1. */
static char *next_line(char *z, char **pz, long *pn) {
  char *zEnd = strchr(z, '\n');
  size_t n = (size_t)(zEnd - z);
  if (n > 0 && z[n - 1] == '\r') n--;
  *pz = z;
  *pn = memchr(z, '\r', n) ? -1 : (long)n;
  z[n] = 0;
  return zEnd + 1;
}

/* Reads the head (z, NUL-terminated, its empty line included), writes the
 * head to hand on into g->pOut, and plans the body. Returns 0, or -1 with
 * e and the request's method and target (for the refusal; NULL when they
 * could not be read) and *pbClose: the framing cannot be trusted. */
static int read_head(guard_conn *g, char *z, const char **pzMethod, const char **pzTarget, int *pbClose, gerr *e) {
  char *zLine;
  long n;
  *pzMethod = *pzTarget = NULL;
  *pbClose = 1;
  z = next_line(z, &zLine, &n);
  /* the request line: METHOD SP origin-form SP HTTP/1.x */
  char *zSp1 = n > 0 ? strchr(zLine, ' ') : NULL, *zSp2 = zSp1 ? strchr(zSp1 + 1, ' ') : NULL;
  if (n < 0 || !zSp1 || !zSp2 || strchr(zSp2 + 1, ' ') || zSp2 == zSp1 + 1)
    return gerr_setr(e, GERR_BAD_REQUEST, GR_REQUEST_LINE, NULL);
  *zSp1 = *zSp2 = 0;
  const char *zVersion = zSp2 + 1;
  for (const char *p = zSp1 + 1; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f)
      return gerr_setr(e, GERR_BAD_REQUEST, GR_TARGET_CHARS, NULL);
  if (zSp1[1] == '/') {
    struct evhttp_uri *pUri = evhttp_uri_parse_with_flags(zSp1 + 1, EVHTTP_URI_NONCONFORMANT);
    if (pUri) *pzTarget = zSp1 + 1;
    if (pUri) evhttp_uri_free(pUri);
  }
  int bMethod = 0;
  for (int i = 0; azMethod[i] && !bMethod; i++) bMethod = strcmp(zLine, azMethod[i]) == 0;
  if (bMethod) *pzMethod = zLine;
  if (strcmp(zVersion, "HTTP/1.1") != 0 && strcmp(zVersion, "HTTP/1.0") != 0)
    return gerr_setr(e, GERR_BAD_REQUEST, GR_HTTP_VERSION, NULL);
  if (!*pzTarget) return gerr_setr(e, GERR_BAD_REQUEST, GR_TARGET_PATH, NULL);
  if (!bMethod) {
    char zGot[24];
    snprintf(zGot, sizeof zGot, "%.20s", zLine);
    gerr_setr(e, GERR_METHOD, GR_METHOD, NULL, GP_S("method", zGot), GP_S("allowed", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"));
    return gerr_msg(e, "the method %s is not served (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)", zGot);
  }
  evbuffer_add_printf(g->pOut, "%s %s %s\r\n", zLine, zSp1 + 1, zVersion);
  /* the header lines */
  const char *zLength = NULL, *zCoding = NULL;
  int nLength = 0, nCoding = 0, bExpect = 0;
  const char *azName[GUARD_MAX_FIELDS], *azValue[GUARD_MAX_FIELDS];
  int nField = 0, rc = 0;
  while (*z && rc == 0) {
    z = next_line(z, &zLine, &n);
    if (n == 0) break;
    char *zColon = n > 0 ? strchr(zLine, ':') : NULL;
    if (n < 0 || zLine[0] == ' ' || zLine[0] == '\t') {
      rc = gerr_setr(e, GERR_BAD_REQUEST, GR_HEADER_FOLDED, NULL);
      break;
    }
    if (!zColon || zColon == zLine) {
      rc = gerr_setr(e, GERR_BAD_REQUEST, GR_HEADER_FORM, NULL);
      break;
    }
    for (const char *p = zLine; p < zColon && rc == 0; p++)
      if (!is_tchar((unsigned char)*p))
        rc = gerr_setr(e, GERR_BAD_REQUEST, GR_HEADER_NAME, NULL);
    if (rc) break;
    *zColon = 0;
    char *zVal = zColon + 1, *zValEnd = zVal + strlen(zVal);
    while (*zVal == ' ' || *zVal == '\t') zVal++;
    while (zValEnd > zVal && (zValEnd[-1] == ' ' || zValEnd[-1] == '\t')) *--zValEnd = 0;
    for (const char *p = zVal; *p && rc == 0; p++)
      if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
        rc = gerr_setr(e, GERR_BAD_REQUEST, GR_HEADER_VALUE, zLine);
    if (rc) break;
    if (strcasecmp(zLine, "Content-Length") == 0) {
      zLength = zVal;
      nLength++;
    } else if (strcasecmp(zLine, "Transfer-Encoding") == 0) {
      zCoding = zVal;
      nCoding++;
    } else if (strcasecmp(zLine, "Expect") == 0) {
      if (strcasecmp(zVal, "100-continue") != 0)
        rc = gerr_setr(e, GERR_BAD_REQUEST, GR_EXPECT, "Expect");
      bExpect = 1;
    } else if (strcasecmp(zLine, GUARD_REQUEST_HEADER) != 0) {
      if (nField == GUARD_MAX_FIELDS) {
        rc = gerr_setr(e, GERR_HEADERS, GR_TOO_MANY_HEADERS, NULL, GP_I("max", GUARD_MAX_FIELDS));
        break;
      }
      azName[nField] = zLine;
      azValue[nField++] = zVal;
      evbuffer_add(g->pOut, zLine, strlen(zLine));
      evbuffer_add(g->pOut, ": ", 2);
      evbuffer_add(g->pOut, zVal, strlen(zVal));
      evbuffer_add(g->pOut, "\r\n", 2);
    }
  }
  /* the framing of the body */
  int64_t nDeclared = 0;
  if (rc) {
  } else if (nLength > 1) {
    rc = gerr_setr(e, GERR_BAD_REQUEST, GR_LENGTH_TWICE, "Content-Length", GP_I("count", nLength));
  } else if (nLength && nCoding) {
    rc = gerr_setr(e, GERR_BAD_REQUEST, GR_LENGTH_AND_CHUNKED, "Transfer-Encoding");
  } else if (nCoding && (nCoding > 1 || strcasecmp(zCoding, "chunked") != 0)) {
    rc = gerr_setr(e, GERR_BAD_REQUEST, GR_NOT_CHUNKED, "Transfer-Encoding");
  } else if (nCoding && strcmp(zVersion, "HTTP/1.0") == 0) {
    rc = gerr_setr(e, GERR_BAD_REQUEST, GR_CHUNKED_HTTP10, "Transfer-Encoding");
  } else if (nLength) {
    size_t k = strspn(zLength, "0123456789");
    if (k == 0 || k > 15 || zLength[k])
      rc = gerr_setr(e, GERR_BAD_REQUEST, GR_LENGTH_FORM, "Content-Length");
    else
      nDeclared = strtoll(zLength, NULL, 10);
  } else if (nCoding) {
    nDeclared = -1;
  }
  if (rc == 0 && nDeclared != 0 && strcmp(*pzMethod, "HEAD") == 0)
    rc = gerr_setr(e, GERR_BAD_REQUEST, GR_HEAD_BODY, NULL);
  if (rc == 0 && nDeclared != 0) {
    /* framing known: the limits of the route and the caller; a refused body is read and dropped */
    *pbClose = nDeclared < 0 || bExpect || nDeclared > 2 * (int64_t)http_upload_max;
    struct evhttp_request *pFake = evhttp_request_new(NULL, NULL);   /* only its headers: for the router's checks */
    for (int i = 0; i < nField; i++) evhttp_add_header(evhttp_request_get_input_headers(pFake), azName[i], azValue[i]);
    http_head h = {*pzMethod, *pzTarget, pFake, nDeclared, g->zAddr};
    http_plan plan = {0, 0};
    rc = http_head_plan(g->w, &h, &plan, e);
    if (rc == 0) {
      g->nMax = plan.nMax;
      g->bFile = plan.bFile;
      g->bChunked = nDeclared < 0;
      g->nLeft = nDeclared > 0 ? nDeclared : 0;
    } else if (!*pbClose) {
      g->nLeft = nDeclared;   /* for refuse(): the body to drop */
    }
    evhttp_request_free(pFake);
  }
  if (rc == 0 && bExpect && quiet(g) && nDeclared != 0) {
    struct evbuffer *b = evbuffer_new();
    evbuffer_add_printf(b, "%s 100 Continue\r\n\r\n", zVersion);
    write_now(g, b);
    evbuffer_free(b);
  }
  return rc;
}

static int guard_tmp_file(gerr *e);

/* The body's deadline, from now: msBody plus its length at nMinRate. */
static int64_t body_ms(int64_t n) {
  return http_guard.msBody + (n > 0 ? n * 1000 / http_guard.nMinRate : http_guard.msBody);
}

/* A head has arrived in g->pHead: read it and go on to its body. */
static void on_head(guard_conn *g, struct evbuffer *dst, size_t nHead) {
  char *z = g_malloc(nHead + 1);
  evbuffer_remove(g->pHead, z, nHead);
  z[nHead] = 0;
  const char *zMethod, *zTarget;
  int bClose;
  gerr e;
  gerr_clear(&e);
  if (strlen(z) != nHead) {
    gerr_setr(&e, GERR_BAD_REQUEST, GR_HEAD_NUL, NULL);
    refuse(g, dst, NULL, NULL, &e, 1, 0);
  } else if (read_head(g, z, &zMethod, &zTarget, &bClose, &e)) {
    refuse(g, dst, zMethod, zTarget, &e, bClose, bClose ? 0 : g->nLeft);
    if (g->state == G_SKIP) arm(g, 2 * (int64_t)http_guard.msBody);   /* dropping a refused body */
  } else {
    if (g->bFile && (g->fdBody = guard_tmp_file(&e)) < 0) {
      refuse(g, dst, zMethod, zTarget, &e, 1, 0);
    } else if (g->bChunked) {
      g->state = G_CHUNK_SIZE;
      arm(g, body_ms(g->nMax));
    } else if (g->nLeft > 0) {
      g->state = G_BODY;
      arm(g, body_ms(g->nLeft));
    } else {
      complete(g, dst);
    }
  }
  free(z);
}

static int guard_tmp_file(gerr *e) {
  char zPath[512];
  int fd = tmp_create("upload", "", zPath, sizeof zPath, e);
  if (fd >= 0) unlink(zPath);   /* gone with its last descriptor */
  return fd;
}

/* A chunk-size line (without CR LF): its size, or -1 when it is not one. */
static int64_t chunk_size(const char *z) {
  size_t k = strspn(z, "0123456789abcdefABCDEF");
  if (k == 0 || k > 15) return -1;
  const char *p = z + k;
  while (*p == ' ' || *p == '\t') p++;
  if (*p && *p != ';') return -1;   /* extensions are ignored */
  return strtoll(z, NULL, 16);
}

/* Reads one line (CRLF or LF) from src into a malloc'd string; NULL when
 * no whole line has arrived. */
static char *take_line(struct evbuffer *src, size_t *pn) { return evbuffer_readln(src, pn, EVBUFFER_EOL_CRLF); }

/* The input filter: reads what arrived on the socket (src) and hands
 * evhttp (dst) whole requests. */
static enum bufferevent_filter_result guard_input(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
                                                  enum bufferevent_flush_mode mode, void *pArg) {
  (void)lim;
  (void)mode;
  guard_conn *g = pArg;
  gerr e;
  gerr_clear(&e);
  if (!g->bAccepted) accept_check(g);   /* before the first turn's timer, when bytes come first */
  size_t nStart = evbuffer_get_length(src), nDst = evbuffer_get_length(dst);
  while (evbuffer_get_length(src) > 0) {
    size_t nIn = evbuffer_get_length(src);
    if (g->state == G_DRAIN) {
      evbuffer_drain(src, nIn);
      break;
    }
    if (g->state == G_HEAD) {
      if (g->nPending >= GUARD_PIPELINE) break;   /* read on once an answer went out (guard_replied) */
      if (!g->bHeadStarted) {
        /* empty lines before a request line are allowed; the head's time starts at its first byte */
        unsigned char c;
        while (evbuffer_copyout(src, &c, 1) == 1 && (c == '\r' || c == '\n')) evbuffer_drain(src, 1);
        if (evbuffer_get_length(src) == 0) break;
        g->bHeadStarted = 1;
        if (g->seq > 0) arm(g, http_guard.msHead);   /* the first request's runs from the connection's start */
      }
      size_t nHave = evbuffer_get_length(g->pHead), nTake = HTTP_MAX_HEADERS + 4 - nHave;
      evbuffer_remove_buffer(src, g->pHead, nTake);
      size_t nAll = evbuffer_get_length(g->pHead);
      size_t nEnd = head_end(g->pHead, nHave > 3 ? nHave - 3 : 0);   /* the end may straddle what came before */
      if (nEnd) {
        if (nAll > nEnd) {   /* what follows the head goes back */
          struct evbuffer *pRest = evbuffer_new();
          evbuffer_remove_buffer(g->pHead, pRest, nAll);   /* all, then the head returns to pHead */
          evbuffer_remove_buffer(pRest, g->pHead, nEnd);
          evbuffer_prepend_buffer(src, pRest);
          evbuffer_free(pRest);
        }
        on_head(g, dst, nEnd);
      } else if (nAll > HTTP_MAX_HEADERS) {
        gerr_setr(&e, GERR_HEADERS, GR_HEADERS, NULL, GP_I("max", HTTP_MAX_HEADERS));
        gerr_msg(&e, "the request's head is over %d bytes", HTTP_MAX_HEADERS);
        refuse(g, dst, NULL, NULL, &e, 1, 0);
      }
      continue;
    }
    if (g->state == G_SKIP || g->state == G_BODY || g->state == G_CHUNK_DATA) {
      size_t n = (size_t)g->nLeft < nIn ? (size_t)g->nLeft : nIn;
      if (g->state == G_SKIP) {
        evbuffer_drain(src, n);
      } else if (sink(g, src, n, &e)) {
        refuse(g, dst, NULL, NULL, &e, 1, 0);
        continue;
      }
      g->nLeft -= (int64_t)n;
      if (g->nLeft > 0) continue;
      if (g->state == G_SKIP) {
        g->state = G_HEAD;
        evtimer_del(g->pTimer);
      } else if (g->state == G_CHUNK_DATA) {
        g->state = G_CHUNK_END;
      } else {
        complete(g, dst);
      }
      continue;
    }
    /* the lines of a chunked body */
    size_t nLine;
    char *zLine = take_line(src, &nLine);
    if (!zLine) {
      if (evbuffer_get_length(src) > GUARD_CHUNK_LINE) {
        gerr_setr(&e, GERR_BAD_REQUEST, GR_CHUNK_LINE, NULL, GP_I("max", GUARD_CHUNK_LINE));
        refuse(g, dst, NULL, NULL, &e, 1, 0);
        continue;
      }
      break;
    }
    if (g->state == G_CHUNK_SIZE) {
      int64_t n = chunk_size(zLine);
      if (n < 0) {
        gerr_setr(&e, GERR_BAD_REQUEST, GR_CHUNK_SIZE, NULL);
        refuse(g, dst, NULL, NULL, &e, 1, 0);
      } else if (g->nBody + n > g->nMax) {
        gerr_setr(&e, GERR_TOO_LARGE, GR_TOO_LARGE, NULL, GP_I("max", g->nMax), GP_I("got", g->nBody + n));
        refuse(g, dst, NULL, NULL, &e, 1, 0);
      } else if (n == 0) {
        g->state = G_TRAILER;
      } else {
        g->nLeft = n;
        g->state = G_CHUNK_DATA;
      }
    } else if (g->state == G_CHUNK_END) {
      if (nLine) {
        gerr_setr(&e, GERR_BAD_REQUEST, GR_CHUNK_END, NULL);
        refuse(g, dst, NULL, NULL, &e, 1, 0);
      } else {
        g->state = G_CHUNK_SIZE;
      }
    } else if (nLine == 0) {   /* G_TRAILER: the empty line ends the request */
      complete(g, dst);
    } else if ((g->nTrailer += (int64_t)nLine) > GUARD_TRAILERS) {
      gerr_setr(&e, GERR_HEADERS, GR_HEADERS, NULL, GP_I("max", GUARD_TRAILERS));
      gerr_msg(&e, "the chunked body's trailer is over %d bytes", GUARD_TRAILERS);
      refuse(g, dst, NULL, NULL, &e, 1, 0);
    }
    free(zLine);
  }
  /* called again while bytes remain and this call got on: stuck, it must say so */
  size_t nLeft = evbuffer_get_length(src);
  return nLeft == 0 || nLeft < nStart || evbuffer_get_length(dst) > nDst ? BEV_OK : BEV_NEED_MORE;
}

/* The output filter: writes evhttp's answer on the socket itself, so that
 * evhttp hears the answer went (its write callback, which may close the
 * connection at once, shutting the socket for writing) only once all of it
 * is in the kernel's hands. What the socket does not take yet waits in the
 * filter's output until it is writable (pWritable). */
static enum bufferevent_filter_result guard_output(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
                                                   enum bufferevent_flush_mode mode, void *pArg) {
  (void)dst;
  (void)lim;
  (void)mode;
  guard_conn *g = pArg;
  int fd = (int)bufferevent_getfd(g->pUnder);
  size_t nStart = evbuffer_get_length(src);
  int k = 0;
  while (fd >= 0 && evbuffer_get_length(src) > 0) {
    k = evbuffer_write(src, fd);   /* file segments go by sendfile */
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
  }
  if (evbuffer_get_length(src) > 0) {
    if (fd < 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      evbuffer_drain(src, evbuffer_get_length(src));   /* the socket failed: reading will tell evhttp */
    } else {
      if (!g->pWritable) g->pWritable = event_new(bufferevent_get_base(g->pUnder), fd, EV_WRITE, on_writable, g);
      event_add(g->pWritable, NULL);
    }
  }
  return evbuffer_get_length(src) < nStart || nStart == 0 ? BEV_OK : BEV_NEED_MORE;
}

/* ---- the connection's life ---- */

static void conn_free(guard_conn *g) {
  if (g->bCounted) count_remove(g->zAddr);
  request_reset(g);
  for (http_note *p = g->pFirst, *pNext; p; p = pNext) {
    pNext = p->pNext;
    guard_note_free(p);
  }
  evbuffer_free(g->pHead);
  evbuffer_free(g->pOut);
  evbuffer_free(g->pBody);
  event_free(g->pTimer);
  event_free(g->pFlush);
  if (g->pWritable) event_free(g->pWritable);
  if (g->pLinger) event_free(g->pLinger);
  if (g->fdLinger >= 0) close(g->fdLinger);   /* its events are gone: the descriptor may be reused now */
  all_remove(g);
  g->w->nConn--;
  free(g);
}

/* Lingering: evhttp sent all it had and shut the socket for writing;
 * what the client still sends is read and dropped until it closes (or
 * msLinger passed), so that it reads the answer rather than a reset. */
static void linger_read(evutil_socket_t fd, short what, void *pArg) {
  (void)what;
  char a[16384];
  for (;;) {
    ssize_t n = recv(fd, a, sizeof a, 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    conn_free(pArg);   /* the client closed, or the socket failed */
    return;
  }
}

/* The filter's context is freed with it, after evhttp freed the
 * connection (which shut the socket for writing; its bufferevent goes
 * next). The guard takes the socket out of that bufferevent (which then
 * neither watches nor closes it) and closes it lingering. */
static void on_filter_freed(void *pArg) {
  guard_conn *g = pArg;
  table_remove(g);
  g->pBev = NULL;
  g->state = G_DRAIN;
  evtimer_del(g->pTimer);
  if (g->pWritable) event_free(g->pWritable);
  g->pWritable = NULL;
  struct event_base *pBase = bufferevent_get_base(g->pUnder);
  g->fdLinger = (int)bufferevent_getfd(g->pUnder);
  bufferevent_setfd(g->pUnder, -1);   /* removes its events while the descriptor is still open */
  g->pUnder = NULL;                   /* freed by libevent, now that the filter is */
  if (g->w->bClosing || g->fdLinger < 0) {
    conn_free(g);
    return;
  }
  g->bLinger = 1;
  g->pLinger = event_new(pBase, g->fdLinger, EV_READ | EV_PERSIST, linger_read, g);
  event_add(g->pLinger, NULL);
  arm(g, http_guard.msLinger);
}

/* 1 once evhttp has freed the filter (its finalizer, on_filter_freed, may
 * not have run yet): the socket is no longer the request's. */
static int filter_gone(guard_conn *g) {
  if (!g->pBev || !g->pUnder) return 1;
  bufferevent_event_cb xEvent = NULL;
  bufferevent_getcb(g->pUnder, NULL, NULL, &xEvent, NULL);
  return xEvent == NULL;   /* freeing the filter took its callbacks off the socket's bufferevent */
}

/* Counts a new connection (its first turn, or its first bytes if they
 * come sooner), refusing one over the caps: 429 for its address, 503 for
 * the server, each with Retry-After; far beyond them, closed at once. */
static void accept_check(guard_conn *g) {
  g->bAccepted = 1;
  if (filter_gone(g)) return;   /* closed already */
  int fd = (int)bufferevent_getfd(g->pUnder);
  struct sockaddr_storage sa;
  socklen_t n = sizeof sa;
  if (fd < 0 || getpeername(fd, (struct sockaddr *)&sa, &n) != 0) {
    drop(g);
    return;
  }
  if (sa.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, g->zAddr, sizeof g->zAddr);
  else
    inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, g->zAddr, sizeof g->zAddr);
  int bFar = 0, rc = count_add(g->zAddr, &bFar);
  if (rc == 0) {
    g->bCounted = 1;
    arm(g, http_guard.msHead);   /* the first request's head, from the connection's start */
  } else if (bFar) {
    drop(g);
  } else {
    gerr e;
    if (rc == 503) {
      gerr_setr(&e, GERR_UNAVAILABLE, GR_UNAVAILABLE, NULL);
      gerr_msg(&e, "the server has as many connections as it takes; try again shortly");
    } else {
      gerr_setr(&e, GERR_TOO_MANY, GR_TOO_MANY_CONNECTIONS, NULL, GP_I("seconds", GUARD_RETRY_CLIENT));
    }
    answer_and_drop(g, &e, rc == 503 ? GUARD_RETRY_FULL : GUARD_RETRY_CLIENT);
  }
}

/* The first turn after accept: count the connection (refusing one over
 * the caps); later: a deadline passed, or the linger is over. */
static void on_timer(evutil_socket_t fd0, short what, void *pArg) {
  (void)fd0;
  (void)what;
  guard_conn *g = pArg;
  if (g->bLinger) {
    conn_free(g);
    return;
  }
  if (!g->bAccepted) {
    accept_check(g);
    return;
  }
  if (g->state == G_DRAIN || filter_gone(g)) return;
  if (g->state == G_SKIP) {   /* its answer went out already */
    drop(g);
    return;
  }
  gerr e;
  gerr_setr(&e, GERR_TIMEOUT, GR_TIMEOUT, NULL);
  gerr_msg(&e, "%s", g->state == G_HEAD ? "the request's head did not arrive in time" : "the request's body did not arrive in time");
  answer_and_drop(g, &e, 0);
}

/* A filter moves what evhttp wrote into its output on only when more is
 * written while writing is enabled, and evhttp enables writing after it
 * wrote its answer: so the guard moves the answer on. Then it reads on
 * any request held back while GUARD_PIPELINE answers waited. */
static void on_flush(evutil_socket_t fd, short what, void *pArg) {
  (void)fd;
  (void)what;
  guard_conn *g = pArg;
  if (filter_gone(g)) return;
  if (g->state == G_HEAD && evbuffer_get_length(bufferevent_get_input(g->pUnder)) > 0)
    bufferevent_flush(g->pBev, EV_READ, BEV_NORMAL);
  bufferevent_flush(g->pBev, EV_WRITE, BEV_NORMAL);   /* may run evhttp's end of the answer, and free it all */
}

static void on_writable(evutil_socket_t fd, short what, void *pArg) {
  (void)fd;
  (void)what;
  guard_conn *g = pArg;
  if (!filter_gone(g)) bufferevent_flush(g->pBev, EV_WRITE, BEV_NORMAL);   /* may run evhttp's end of the answer */
}

/* libevent's own write callback on the socket's bufferevent (the filter's
 * be_filter_writecb), which under_write wraps; the same for every
 * connection of every worker. */
static bufferevent_data_cb xFilterWrite;

/* The socket took more: libevent's filter moves evhttp's answer on, and
 * evhttp, told it went, may free the connection (Connection: close) right
 * there. libevent 2.1 holds no reference on the filter while it does (as it
 * does on every other path), so the filter would be finalized at once and
 * then re-arm its write timeout (evhttp's 60 s): a timer left in the
 * event base after its memory is freed, which corrupts the base's heap of
 * timers once that memory is reused (the loop spins in it for ever, or
 * writes into freed memory). A reference held across the call makes the
 * finalizing wait until the timer is armed, so that it cancels it. */
static void under_write(struct bufferevent *pUnder, void *pArg) {
  struct bufferevent *pFilter = pArg;   /* the filter's callback argument is the filter */
  bufferevent_incref(pFilter);
  __atomic_load_n(&xFilterWrite, __ATOMIC_RELAXED)(pUnder, pArg);
  bufferevent_decref(pFilter);
}

struct bufferevent *guard_bev_new(struct event_base *pBase, void *pArg) {
  http_worker *w = pArg;
  guard_conn *g = g_calloc(1, sizeof *g);
  g->w = w;
  g->fdBody = -1;
  g->pHead = evbuffer_new();
  g->pOut = evbuffer_new();
  g->pBody = evbuffer_new();
  g->pUnder = bufferevent_socket_new(pBase, -1, BEV_OPT_CLOSE_ON_FREE);
  bufferevent_setwatermark(g->pUnder, EV_READ, 0, GUARD_READ_HIGH);
  g->pTimer = evtimer_new(pBase, on_timer, g);
  g->pFlush = event_new(pBase, -1, 0, on_flush, g);
  g->fdLinger = -1;
  /* BEV_OPT_CLOSE_ON_FREE: evhttp leaves the socket to the bufferevents (it only shuts it for writing), and
   * freeing the filter frees pUnder too; on_filter_freed takes the socket out first, to close it lingering */
  g->pBev = bufferevent_filter_new(g->pUnder, guard_input, guard_output, BEV_OPT_CLOSE_ON_FREE, on_filter_freed, g);
  bufferevent_data_cb xRead = NULL, xWrite = NULL;
  bufferevent_event_cb xEvent = NULL;
  void *pCbArg = NULL;
  bufferevent_getcb(g->pUnder, &xRead, &xWrite, &xEvent, &pCbArg);
  if (xWrite != under_write) __atomic_store_n(&xFilterWrite, xWrite, __ATOMIC_RELAXED);   /* the same in every worker */
  bufferevent_setcb(g->pUnder, xRead, under_write, xEvent, pCbArg);
  table_add(g);
  all_add(g);
  w->nConn++;
  struct timeval tv0 = {0, 0};
  evtimer_add(g->pTimer, &tv0);   /* once evhttp has given the socket its descriptor */
  return g->pBev;
}

http_note *guard_take(http_worker *w, struct evhttp_request *pReq) {
  struct evhttp_connection *pCon = evhttp_request_get_connection(pReq);
  guard_conn *g = pCon ? table_find(w, evhttp_connection_get_bufferevent(pCon)) : NULL;
  struct evkeyvalq *pIn = evhttp_request_get_input_headers(pReq);
  const char *zSeq = evhttp_find_header(pIn, GUARD_REQUEST_HEADER);
  if (!g || !zSeq) return NULL;
  uint64_t seq = strtoull(zSeq, NULL, 10);
  evhttp_remove_header(pIn, GUARD_REQUEST_HEADER);
  while (g->pFirst && g->pFirst->seq <= seq) {   /* a request evhttp refused itself leaves its note behind */
    http_note *p = g->pFirst;
    g->pFirst = p->pNext;
    if (!g->pFirst) g->pLast = NULL;
    g->nPending--;
    p->pNext = NULL;
    if (p->seq == seq) return p;
    guard_note_free(p);
  }
  return NULL;
}

void guard_replied(http_worker *w, struct evhttp_request *pReq) {
  struct evhttp_connection *pCon = evhttp_request_get_connection(pReq);
  struct bufferevent *pBev = pCon ? evhttp_connection_get_bufferevent(pCon) : NULL;
  guard_conn *g = pBev ? table_find(w, pBev) : NULL;
  if (g) event_active(g->pFlush, EV_TIMEOUT, 1);   /* after evhttp's callback has returned */
}

void guard_worker_init(http_worker *w) {
  memset(w->apConn, 0, sizeof w->apConn);
  w->pAll = NULL;
  w->nConn = 0;
  w->bClosing = 0;
}

void guard_worker_closing(http_worker *w) { w->bClosing = 1; }

void guard_worker_free(http_worker *w) {
  for (guard_conn *g = w->pAll, *pNext; g; g = pNext) {   /* the lingering ones: evhttp frees the others */
    pNext = g->pAllNext;
    if (g->bLinger) conn_free(g);   /* before the base goes: their events are in it */
  }
}
