/* guard.h: the connection guard, between the socket and libevent's evhttp.
 *
 * evhttp (libevent 2.1) reads every body whole into memory before guild
 * sees the request, resets its timeout on every byte, takes the first of
 * two Content-Length headers, and offers no hook between the head and the
 * body of a request it serves. So each connection's bytes pass through a
 * bufferevent filter (evhttp_set_bevcb) that reads the requests itself:
 *
 * - the head (request line and headers, at most HTTP_MAX_HEADERS bytes)
 *   must arrive within http_guard.msHead, the body within msBody plus its
 *   length at nMinRate bytes a second; a late request is answered 408 and
 *   the connection closed;
 * - ambiguous framing (two Content-Length headers, Content-Length with
 *   Transfer-Encoding, a coding other than chunked, folded header lines, a
 *   space before a header's colon, a bad length) is refused (400) before a
 *   byte of the body is read, and the connection closed;
 * - the body's limit is the route's (http_head_plan: small for every
 *   caller, the route's own only for a caller the router would let in),
 *   checked on the declared length before the body is read (413);
 * - an upload route's body goes to an unlinked temporary file as it
 *   arrives, not into memory; any other body is collected (up to its
 *   limit) and handed to evhttp with its head once complete, as
 *   Content-Length framing (a chunked body is decoded first);
 * - connections at once from one address (nPerClient) and in all (nTotal)
 *   are capped: one beyond is answered 429 or 503 with Retry-After;
 * - a connection is closed lingering: what was answered is sent before the
 *   socket closes, and what the client still sends is read and dropped for
 *   a moment, so that it sees the answer rather than a reset.
 *
 * evhttp then parses only heads the guard wrote itself (each carries an
 * X-Guild-Request header with its sequence number; a client's header of
 * that name is dropped), and the router takes the guard's note on each
 * request (guard_take): an answer to give instead (a refusal), whether to
 * close, and the upload's file. */
#ifndef GUILD_GUARD_H
#define GUILD_GUARD_H
#include "core/err.h"
#include <stdint.h>

struct bufferevent;
struct event_base;
struct evhttp_request;
struct http_worker;

typedef struct http_guard_cfg {
  int nPerClient;   /* connections at once from one address (0: no limit) */
  int nTotal;       /* connections at once in all */
  int msHead;       /* a request's head must arrive within this (the first from the connection's start) */
  int msBody;       /* a body within this, plus its length at nMinRate bytes a second */
  int nMinRate;
  int msLinger;     /* a closing connection's last answer: the most time to send it and read what follows */
} http_guard_cfg;

extern http_guard_cfg http_guard;

#define GUARD_REQUEST_HEADER "X-Guild-Request"

/* What the guard knows of one request it handed on. */
typedef struct http_note {
  uint64_t seq;
  gerr err;             /* code != GERR_OK: answer this; the request was not read on */
  int retryAfter;       /* seconds for a Retry-After header, 0: none */
  int bClose;           /* close the connection after the answer */
  int fdBody;           /* an upload route's body in an unlinked temporary file, -1: none */
  int64_t nBody;
  struct http_note *pNext;
} http_note;

/* evhttp's bevcb: the filtered bufferevent of a new connection of worker
 * pArg (an http_worker). */
struct bufferevent *guard_bev_new(struct event_base *pBase, void *pArg);

/* The note on pReq, taken off its connection (the caller frees it with
 * guard_note_free), or NULL when the guard has none. */
http_note *guard_take(struct http_worker *w, struct evhttp_request *pReq);
/* Closes the note's file and frees it (NULL: nothing). */
void guard_note_free(http_note *p);
/* After the answer to pReq was queued: sends it on, and reads on any
 * request the guard held back meanwhile. */
void guard_replied(struct http_worker *w, struct evhttp_request *pReq);

/* Worker set-up and tear-down (the worker's connections are freed, not
 * lingered, once guard_worker_closing was called). */
void guard_worker_init(struct http_worker *w);
void guard_worker_closing(struct http_worker *w);
void guard_worker_free(struct http_worker *w);

/* Connections open now (in all), for tests and the log. */
int guard_open_connections(void);

#endif
