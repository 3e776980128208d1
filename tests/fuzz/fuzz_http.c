/* fuzz_http.c: what guild itself parses of an HTTP request, and the route
 * it then runs: the fuzzer's bytes are a request, planned as the
 * connection guard plans it from its head (http_head_plan: the route's
 * body limit for this caller, 413 or the refusal of a caller not let in
 * before the body is read, an upload's body in a file), then given to the
 * router's own entry point (http_prepare in src/http/router.c: path
 * normalisation, the browser interface's files, route matching with its
 * {id}s, the query, the session cookie or API token, CSRF, If-Match, the
 * JSON body or the upload (CSV, evidence), the access policy), and then
 * to the route's handler, on a SQLite database holding the demo region
 * (1000 learners) with its five accounts signed in. The bytes on the wire
 * (the guard's framing, libevent's parser) are fuzz_wire.c's: here the
 * URI is parsed by evhttp_uri_parse_with_flags as libevent parses a
 * request line, the headers and body are put on an evhttp_request as the
 * guard hands them on (its own Content-Length; the client's
 * Content-Length, Transfer-Encoding and X-Guild-Request dropped).
 *
 * Input, as on the wire (lines end in LF or CRLF):
 *   METHOD URI
 *   Name: value        (any number of header lines)
 *                      (an empty line)
 *   body
 * In header values $admin, $staff, $trainer, $judge and $learner become
 * that account's session token (Cookie: guild_session=$admin), $csrf_NAME
 * its CSRF token, and $token an API token of a region administrator.
 *
 * With GUILD_FUZZ_WRITE_DICT=FILE the target first writes a libFuzzer
 * dictionary of every route's path, every list filter and the headers
 * guild reads (tests/fuzz/http.dict, then sorted and deduplicated).
 *
 * Every request runs in a transaction rolled back after it, so each meets
 * the same database (its handler's own transaction is then a savepoint).
 * The handlers of signing in and of changing one's password are not run:
 * they hash a password (argon2id, tens of milliseconds by design).
 * Properties: an answer is an error of the client's (4xx), never guild's
 * (5xx), and an error names a code. */
#include "fuzz.h"
#include "fuzz_http.h"
#include "api/api.h"
#include "http/router.h"
#include "http/guard.h"
#include "domain/accounts/auth.h"
#include "core/tmp.h"
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <strings.h>
#include <time.h>

static db *pDb;
static http_worker w;

static const struct {
  const char *zName;
  http_method m;
} aMethod[] = {
    {"GET", HM_GET},   {"POST", HM_POST}, {"PATCH", HM_PATCH},     {"PUT", HM_PUT},
    {"DELETE", HM_DELETE}, {"HEAD", HM_HEAD}, {"OPTIONS", HM_OPTIONS},
};

/* Writes the dictionary (see the top of the file) to zPath. */
static void write_dict(const char *zPath) {
  static const char *const azHeader[] = {"Cookie: guild_session=", "Authorization: Bearer gt_", "X-CSRF-Token: ",
                                         "If-Match: ", "Content-Type: application/json", "Content-Type: text/csv",
                                         "Origin: http://", "Host: ", "Accept: text/html", "Accept-Encoding: gzip",
                                         "X-Forwarded-Proto: https", "limit=", "offset=", "after=", "format=csv",
                                         "format=xlsx", "Content-Type: image/png", "Content-Type: image/jpeg",
                                         "Content-Type: application/pdf", "Content-Length: ",
                                         "Transfer-Encoding: chunked", "Expect: 100-continue", " HTTP/1.1\\x0d\\x0a",
                                         " HTTP/1.0\\x0d\\x0a", "\\x0d\\x0a\\x0d\\x0a", "Connection: close"};
  FILE *f = fopen(zPath, "w");
  FUZZ_ASSERT(f);
  fprintf(f, "# tests/fuzz/fuzz_http.c: routes, list filters, headers (GUILD_FUZZ_WRITE_DICT)\n");
  for (size_t i = 0; i < sizeof azHeader / sizeof azHeader[0]; i++) fprintf(f, "\"%s\"\n", azHeader[i]);
  for (int i = 0; i < http_nroutes; i++) {
    fprintf(f, "\"%s ", http_method_name(http_routes[i].method));
    for (const char *z = http_routes[i].zPath; *z; z++) {
      if (*z != '{') {
        fputc(*z, f);
        continue;
      }
      fputc('1', f);
      z = strchr(z, '}');
    }
    fprintf(f, "\"\n");
  }
  for (int k = 0; k < dom_nentities; k++)
    for (int j = 0; j < dom_entities[k]->nFilter; j++) fprintf(f, "\"%s=\"\n", dom_entities[k]->aFilter[j].zName);
  fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  demo_account aAcc[DEMO_ACCOUNTS];
  pDb = fuzz_demo_db(1000, aAcc);
  http_routes_init();
  http_session_cache_seconds = 0;   /* every request looks its caller up: the same input, the same path */
  fuzz_sign_in(pDb, aAcc);
  w.pDb = pDb;
  arena_init(&w.ar);
  arena_init(&w.arHead);
  if (getenv("GUILD_FUZZ_WRITE_DICT")) write_dict(getenv("GUILD_FUZZ_WRITE_DICT"));
  return 0;
}

/* The next line of [*pp, pEnd) without its line end (NULL at the end),
 * in a; *pp moves past it. */
static char *next_line(arena *a, const char **pp, const char *pEnd, size_t *pn) {
  const char *p = *pp;
  if (p >= pEnd) return NULL;
  const char *q = memchr(p, '\n', (size_t)(pEnd - p));
  const char *zEnd = q ? q : pEnd;
  *pp = q ? q + 1 : pEnd;
  if (zEnd > p && zEnd[-1] == '\r') zEnd--;
  *pn = (size_t)(zEnd - p);
  return arena_strndup(a, p, *pn);
}

/* 1 for the handlers not run (see the top of the file). */
static int slow_by_design(const route *p) { return p->xHandler == api_login || p->xHandler == api_me_password; }

/* What the connection guard does with a request's body once its head is
 * read (guard.c, read_head and on_head): plans it (http_head_plan, with
 * the length declared), and then refuses the request (note->err), or puts
 * the body (n bytes at z) in a file for an upload route (note->fdBody) or
 * on pReq's input buffer for evhttp. A method it does not serve (m
 * HM_OTHER) it refuses whatever follows. */
static void plan_body(const char *zMethod, http_method m, const char *zTarget, struct evhttp_request *pReq, const char *z, size_t n,
                      http_note *note) {
  gerr_clear(&note->err);
  if (m == HM_OTHER) {
    gerr_set(&note->err, GERR_METHOD, NULL, "the method %.20s is not served", zMethod);
    return;
  }
  if (n == 0) return;   /* the guard plans only a body */
  if (strcmp(zMethod, "HEAD") == 0) {
    gerr_set(&note->err, GERR_BAD_REQUEST, NULL, "a HEAD request takes no body");
    return;
  }
  http_head h = {zMethod, zTarget, pReq, (int64_t)n, "127.0.0.1"};
  http_plan plan = {0, 0};
  if (http_head_plan(&w, &h, &plan, &note->err)) {
    FUZZ_ASSERT(note->err.code != GERR_OK && gerr_status(note->err.code) < 500);
    return;
  }
  FUZZ_ASSERT((int64_t)n <= plan.nMax);
  if (!plan.bFile) {
    evbuffer_add(evhttp_request_get_input_buffer(pReq), z, n);
    return;
  }
  char zPath[512];
  gerr e;
  note->fdBody = tmp_create("upload", "", zPath, sizeof zPath, &e);
  FUZZ_ASSERT(note->fdBody >= 0);
  unlink(zPath);
  FUZZ_ASSERT(write(note->fdBody, z, n) == (ssize_t)n);
  note->nBody = (int64_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = (const char *)data, *pEnd = p + size;
  arena a;
  arena_init(&a);
  size_t n;
  char *zLine = next_line(&a, &p, pEnd, &n);
  char *zSp = zLine ? strchr(zLine, ' ') : NULL;
  if (!zSp || strlen(zLine) != n) {
    arena_free(&a);
    return 0;   /* no request line (or a NUL in it, which libevent refuses) */
  }
  *zSp = 0;
  const char *zLine0 = zLine;
  http_method m = HM_OTHER;
  for (size_t i = 0; i < sizeof aMethod / sizeof aMethod[0]; i++)
    if (strcmp(zLine, aMethod[i].zName) == 0) m = aMethod[i].m;
  struct evhttp_uri *pUri = evhttp_uri_parse_with_flags(zSp + 1, EVHTTP_URI_NONCONFORMANT);
  if (!pUri) {
    arena_free(&a);
    return 0;   /* libevent answers 400 itself */
  }
  struct evhttp_request *pReq = evhttp_request_new(NULL, NULL);
  struct evkeyvalq *pHead = evhttp_request_get_input_headers(pReq);
  while ((zLine = next_line(&a, &p, pEnd, &n)) && n > 0) {
    char *zColon = memchr(zLine, ':', n);
    if (!zColon || strlen(zLine) != n) continue;   /* libevent keeps no such line */
    *zColon = 0;
    if (strcasecmp(zLine, "Content-Length") == 0 || strcasecmp(zLine, "Transfer-Encoding") == 0 ||
        strcasecmp(zLine, GUARD_REQUEST_HEADER) == 0)
      continue;   /* the guard's to frame */
    const char *zVal = zColon + 1;
    while (*zVal == ' ' || *zVal == '\t') zVal++;
    evhttp_add_header(pHead, zLine, fuzz_substitute(&a, zVal, strlen(zVal), NULL));
  }
  size_t nBody = (size_t)(pEnd - p);

  gerr e;
  gerr_clear(&e);
  FUZZ_ASSERT(db_begin(pDb, &e) == 0);
  http_note note = {0};
  note.fdBody = -1;
  plan_body(zLine0, m, zSp + 1, pReq, p, nBody, &note);
  http_req r;
  char zAllow[64];
  json_t *pOut = NULL;
  if (http_prepare(pReq, m, pUri, &w, "127.0.0.1", &note, &r, zAllow, sizeof zAllow, &e)) {
    FUZZ_ASSERT(r.pRoute && e.code == GERR_OK);
    if (!slow_by_design(r.pRoute)) pOut = r.pRoute->xHandler(&r, &e);
  }
  if (e.code != GERR_OK) {
    int status = gerr_status(e.code);
    if (status >= 500 || getenv("GUILD_FUZZ_DEBUG"))
      fprintf(stderr, "%s %s: %d %s: %s (%s)\n", http_method_name(m), r.zPath, status, gerr_name(e.code), e.msg, e.field);
    FUZZ_ASSERT(status >= 400 && status < 500);
    json_t *pErr = http_error_json(&e);
    FUZZ_ASSERT(pErr && json_is_object(json_object_get(pErr, "error")));
    json_decref(pErr);
    FUZZ_ASSERT(e.code != GERR_METHOD || zAllow[0] || m == HM_OTHER);   /* an unknown method on an unknown path: none */
  } else if (getenv("GUILD_FUZZ_DEBUG")) {
    fprintf(stderr, "%s %s: %d\n", http_method_name(m), r.zPath, r.status);
  }
  if (pOut) {
    char *z = json_dumps(pOut, JSON_COMPACT);
    FUZZ_ASSERT(z);
    free(z);
    json_decref(pOut);
  }
  if (r.bFile) close(r.fdFile);
  if (r.pBody) json_decref(r.pBody);
  if (note.fdBody >= 0) close(note.fdBody);
  FUZZ_ASSERT(db_depth(pDb) == 1);   /* the handler ended what it began */
  db_rollback(pDb);
  evhttp_request_free(pReq);
  evhttp_uri_free(pUri);
  fuzz_clean(NULL);
  arena_free(&a);
  return 0;
}
