/* router.c: everything that happens to a request before and after its
 * handler, once, for every route: match the route (404 / 405), check the body
 * (size 413, media type 415, JSON 400), read If-Match (400 / 428), call the
 * handler with this thread's connection and arena, send the JSON response or
 * the one error format (with Retry-After on 429 and 503), and write the
 * access-log line. Before a body is read, the connection guard (guard.c)
 * asks it what the head may be followed by (http_head_plan): the same
 * checks, up to the body. */
#include "http/router.h"
#include "http/authz.h"
#include "http/guard.h"
#include "http/web.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include <event2/buffer.h>
#include <event2/http.h>
#include <sodium.h>
#include <event2/keyvalq_struct.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <sys/sendfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

size_t http_upload_max = (size_t)16 << 20;

static const struct {
  enum evhttp_cmd_type cmd;
  http_method m;
  const char *zName;
} aMethod[] = {
    {EVHTTP_REQ_GET, HM_GET, "GET"},       {EVHTTP_REQ_POST, HM_POST, "POST"},
    {EVHTTP_REQ_PATCH, HM_PATCH, "PATCH"}, {EVHTTP_REQ_PUT, HM_PUT, "PUT"},
    {EVHTTP_REQ_DELETE, HM_DELETE, "DELETE"}, {EVHTTP_REQ_HEAD, HM_HEAD, "HEAD"},
    {EVHTTP_REQ_OPTIONS, HM_OPTIONS, "OPTIONS"},
};

const char *http_method_name(http_method m) {
  for (size_t i = 0; i < sizeof aMethod / sizeof aMethod[0]; i++)
    if (aMethod[i].m == m) return aMethod[i].zName;
  return "OTHER";
}

static http_method method_of(enum evhttp_cmd_type cmd) {
  for (size_t i = 0; i < sizeof aMethod / sizeof aMethod[0]; i++)
    if (aMethod[i].cmd == cmd) return aMethod[i].m;
  return HM_OTHER;
}

const char *http_query(const http_req *r, const char *zName) {
  for (int i = 0; i < r->nQuery; i++)
    if (strcmp(r->aQuery[i].zName, zName) == 0) return r->aQuery[i].zValue;
  return NULL;
}

/* Matches zPath against a route pattern; {id} matches a positive integer,
 * stored in aId. Returns 1 on a match. */
static int path_match(const char *zPattern, const char *zPath, int64_t *aId) {
  int nId = 0;
  const char *p = zPattern, *q = zPath;
  while (*p && *q) {
    if (*p == '{') {
      const char *zEnd = strchr(p, '}');
      size_t n = strcspn(q, "/");
      char zNum[24];
      if (n == 0 || n >= sizeof zNum) return 0;
      memcpy(zNum, q, n);
      zNum[n] = 0;
      int64_t v;
      if (zNum[0] == '0' || text_int64(zNum, &v) || v <= 0 || nId >= 2) return 0;
      aId[nId++] = v;
      p = zEnd + 1;
      q += n;
    } else if (*p++ != *q++) {
      return 0;
    }
  }
  return *p == 0 && *q == 0;
}

/* Returns zRaw with percent-encoded unreserved characters (letters, digits,
 * - . _ ~) decoded, as RFC 3986 makes them equivalent, and every other
 * escape left as it is: an encoded '/' stays data and an encoded NUL cannot
 * cut the path short, so neither can match a route. */
static const char *path_normalise(arena *a, const char *zRaw) {
  static const char zHex[] = "0123456789abcdef";
  size_t n = strlen(zRaw);
  char *zOut = arena_alloc(a, n + 1), *o = zOut;
  for (const char *p = zRaw; *p; p++) {
    if (p[0] == '%' && p[1] && p[2] && strchr(zHex, p[1] | 0x20) && strchr(zHex, p[2] | 0x20)) {
      int c = (int)(strchr(zHex, p[1] | 0x20) - zHex) * 16 + (int)(strchr(zHex, p[2] | 0x20) - zHex);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
          c == '_' || c == '~') {
        *o++ = (char)c;
        p += 2;
        continue;
      }
    }
    *o++ = *p;
  }
  *o = 0;
  return zOut;
}

/* Sent with every response. */
static const char *const aSecurityHeader[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

void http_send_file(http_req *r, int fd, const char *zContentType, const char *zFileName) {
  struct stat st;
  r->bFile = 1;
  r->fdFile = fd;
  r->nFile = fstat(fd, &st) == 0 ? (int64_t)st.st_size : 0;
  r->zContentType = zContentType;
  r->zFileName = zFileName;
}

/* Closes a file body that will not be sent (an error, or HEAD). */
static void drop_file(http_req *r) {
  if (r->bFile) close(r->fdFile);
  r->bFile = 0;
}

size_t http_upload_limit(const route *p) {
  const http_upload *pUp = p->pArg;
  return pUp && pUp->nMax && pUp->nMax < http_upload_max ? pUp->nMax : http_upload_max;
}

size_t http_body_size(http_req *r) { return r->pNote && r->pNote->fdBody >= 0 ? (size_t)r->pNote->nBody : 0; }

int http_body_to_file(http_req *r, int fd, gerr *e) {
  off_t off = 0;
  int64_t n = (int64_t)http_body_size(r);
  while (off < n) {
    ssize_t k = sendfile(fd, r->pNote->fdBody, &off, (size_t)(n - off));   /* file to file, in the kernel */
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0)
      return gerr_set(e, GERR_UNAVAILABLE, NULL, "cannot store the upload (%s); nothing was saved, try again later",
                      k < 0 ? strerror(errno) : "the file ended early");
  }
  return 0;
}

const void *http_body_bytes(http_req *r, size_t *pn) {
  size_t n = http_body_size(r), nRead = 0;
  char *z = arena_alloc(r->pAr, n + 1);
  while (nRead < n) {
    ssize_t k = pread(r->pNote->fdBody, z + nRead, n - nRead, (off_t)nRead);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      log_error("cannot read an upload back: %s", k < 0 ? strerror(errno) : "the file ended early");
      *pn = 0;
      return "";
    }
    nRead += (size_t)k;
  }
  z[n] = 0;
  *pn = n;
  return z;
}

/* Sends a JSON body (or the handler's r->zText or file, when set) with
 * status; takes ownership of pJson and of the file. */
static void send_json(struct evhttp_request *pReq, http_req *r, int status, json_t *pJson) {
  struct evkeyvalq *pH = evhttp_request_get_output_headers(pReq);
  struct evbuffer *pOut = evbuffer_new();
  if (r->bFile) {
    struct evbuffer_file_segment *pSeg =
        r->nFile > 0 && r->method != HM_HEAD ? evbuffer_file_segment_new(r->fdFile, 0, r->nFile, EVBUF_FS_CLOSE_ON_FREE)
                                             : NULL;
    if (pSeg) {
      evbuffer_set_flags(pOut, EVBUFFER_FLAG_DRAINS_TO_FD);   /* sendfile: the file is not mapped into memory */
      evbuffer_add_file_segment(pOut, pSeg, 0, r->nFile);
      evbuffer_file_segment_free(pSeg);   /* closes the file once sent */
    } else {
      close(r->fdFile);
    }
    r->bFile = 0;
    evhttp_add_header(pH, "Content-Type", r->zContentType);
  } else if (pJson) {
    char *z = json_dumps(pJson, JSON_COMPACT);
    if (z) {
      evbuffer_add(pOut, z, strlen(z));
      free(z);
    }
    json_decref(pJson);
    evhttp_add_header(pH, "Content-Type", "application/json; charset=utf-8");
  } else if (r->zText) {
    evbuffer_add(pOut, r->zText, r->nText);
    evhttp_add_header(pH, "Content-Type", r->zContentType ? r->zContentType : "text/plain; charset=utf-8");
  }
  for (size_t i = 0; i < sizeof aSecurityHeader / sizeof aSecurityHeader[0]; i++)
    evhttp_add_header(pH, aSecurityHeader[i][0], aSecurityHeader[i][1]);
  evhttp_add_header(pH, "Cache-Control", r->zCacheControl ? r->zCacheControl : "no-store");
  if (r->zContentEncoding) evhttp_add_header(pH, "Content-Encoding", r->zContentEncoding);
  if (r->zVary) evhttp_add_header(pH, "Vary", r->zVary);
  if (r->zSetCookie[0]) evhttp_add_header(pH, "Set-Cookie", r->zSetCookie);
  if (r->zEtag[0]) evhttp_add_header(pH, "ETag", r->zEtag);
  if (r->zLocation[0]) evhttp_add_header(pH, "Location", r->zLocation);
  if (r->zFileName) {
    char zDisp[200];
    snprintf(zDisp, sizeof zDisp, "attachment; filename=\"%s\"", r->zFileName);
    evhttp_add_header(pH, "Content-Disposition", zDisp);
  }
  evhttp_send_reply(pReq, status, NULL, pOut);
  evbuffer_free(pOut);
}

/* Copies z into zOut (at least strlen(z) + 1 bytes) with every byte that
 * does not start a valid UTF-8 character replaced by '?'. Messages and
 * fields quote what a client sent (a parameter's name), perhaps cut in the
 * middle of a character; JSON strings must be UTF-8. Returns zOut. */
static const char *utf8_or_marks(const char *z, char *zOut) {
  const uint8_t *p = (const uint8_t *)z;
  size_t n = strlen(z), o = 0;
  while (n > 0) {
    ucs4_t uc;
    int len = u8_mbtoucr(&uc, p, n);
    if (len < 0) {
      zOut[o++] = '?';
      len = 1;
    } else {
      memcpy(zOut + o, p, (size_t)len);
      o += (size_t)len;
    }
    p += len;
    n -= (size_t)len;
  }
  zOut[o] = 0;
  return zOut;
}

/* The "params" object of a reason's parameters (numbers as numbers);
 * NULL when there are none. Caller owns the reference. */
static json_t *params_json(const gerr_param *a, int n) {
  if (n <= 0) return NULL;
  json_t *o = json_object();
  for (int i = 0; i < n; i++) {
    char z[sizeof a[i].z];
    json_t *v = a[i].cType == 'i'   ? json_integer(a[i].i)
                : a[i].cType == 'c' ? json_real((double)a[i].i / 100)
                                    : json_string(utf8_or_marks(a[i].z, z));
    json_object_set_new(o, a[i].zKey, v);
  }
  return o;
}

/* Adds "reason" (the code's own when none was named) and "params" (when
 * any) to the error object o. */
static void add_reason(json_t *o, gerr_code code, greason reason, const gerr_param *a, int n) {
  if (reason == GR_NONE) reason = gerr_reason_of_code(code);
  if (reason != GR_NONE) json_object_set_new(o, "reason", json_string(gerr_reason_name(reason)));
  json_t *p = params_json(a, n);
  if (p) json_object_set_new(o, "params", p);
}

json_t *http_error_json(const gerr *e) {
  char zMsg[sizeof e->msg], zField[sizeof e->field];
  json_t *pErr = json_pack("{s:s, s:s}", "code", gerr_name(e->code), "message",
                           e->msg[0] ? utf8_or_marks(e->msg, zMsg) : gerr_default(e->code));
  if (e->field[0]) json_object_set_new(pErr, "field", json_string(utf8_or_marks(e->field, zField)));
  add_reason(pErr, e->code, e->reason, e->aParam, e->nParam);
  if (e->nRow > 0) {   /* an all-or-nothing operation's refused rows: where, which field, why */
    json_t *a = json_array();
    for (int i = 0; i < e->nRow; i++) {
      const gerr_row *x = &e->aRow[i];
      char *zM = g_malloc(strlen(x->zMsg) + 1), *zF = g_malloc(strlen(x->zField) + 1);
      json_t *o = json_pack("{s:s, s:s}", "code", gerr_name(x->code), "message", utf8_or_marks(x->zMsg, zM));
      if (x->iIndex >= 0) json_object_set_new(o, "index", json_integer(x->iIndex));
      if (x->iRow > 0) json_object_set_new(o, "row", json_integer(x->iRow));
      if (x->zField[0]) json_object_set_new(o, "field", json_string(utf8_or_marks(x->zField, zF)));
      add_reason(o, x->code, x->reason, x->aParam, x->nParam);
      free(zM);
      free(zF);
      json_array_append_new(a, o);
    }
    json_object_set_new(pErr, "rows", a);
  }
  return json_pack("{s:o}", "error", pErr);
}

/* Reads If-Match: "N" or W/"N". Returns 0, or -1 with e filled. */
static int read_if_match(struct evhttp_request *pReq, http_req *r, gerr *e) {
  if (!(r->pRoute->flags & R_IF_MATCH) && r->method != HM_DELETE) return 0;  /* not used here: ignored */
  const char *z = evhttp_find_header(evhttp_request_get_input_headers(pReq), "If-Match");
  if (!z) return 0;
  if (strncmp(z, "W/", 2) == 0) z += 2;
  size_t n = strlen(z);
  char zNum[24];
  if (n < 3 || n - 2 >= sizeof zNum || z[0] != '"' || z[n - 1] != '"')
    return gerr_setr(e, GERR_BAD_REQUEST, GR_BAD_IF_MATCH, "If-Match");
  memcpy(zNum, z + 1, n - 2);
  zNum[n - 2] = 0;
  if (text_int64(zNum, &r->ifVersion) || r->ifVersion < 1)
    return gerr_setr(e, GERR_BAD_REQUEST, GR_BAD_IF_MATCH, "If-Match");
  r->bIfMatch = 1;
  return 0;
}

/* 1 when the request's Content-Type is zType, with or without parameters. */
static int content_type_is(struct evhttp_request *pReq, const char *zType) {
  const char *z = evhttp_find_header(evhttp_request_get_input_headers(pReq), "Content-Type");
  size_t n = strlen(zType);
  return z && strncasecmp(z, zType, n) == 0 && (!z[n] || z[n] == ';' || z[n] == ' ');
}

/* An upload (R_UPLOAD): one of the route's media types (its http_upload;
 * text/csv when it has none), at most its limit (http_upload_limit: 413;
 * the guard refused a longer one already), in the guard's file for the
 * handler; r->zUploadType says which type it is. */
static int check_upload(struct evhttp_request *pReq, http_req *r, size_t n, gerr *e) {
  static const char *const azCsv[] = {"text/csv", NULL};
  const http_upload *pUp = r->pRoute->pArg;
  const char *const *azMedia = pUp && pUp->azMedia ? pUp->azMedia : azCsv;
  size_t nMax = http_upload_limit(r->pRoute);
  if (n > nMax) {
    gerr_setr(e, GERR_TOO_LARGE, GR_TOO_LARGE, NULL, GP_I("max", nMax), GP_I("got", n));
    return gerr_msg(e, "the upload is %zu bytes; the limit is %zu", n, nMax);
  }
  for (const char *const *pz = azMedia; *pz && !r->zUploadType; pz++)
    if (content_type_is(pReq, *pz)) r->zUploadType = *pz;
  if (!r->zUploadType) {
    char zTypes[200] = "";
    for (const char *const *pz = azMedia; *pz; pz++)
      snprintf(zTypes + strlen(zTypes), sizeof zTypes - strlen(zTypes), "%s%s", pz == azMedia ? "" : ", ", *pz);
    const char *zType = evhttp_find_header(evhttp_request_get_input_headers(pReq), "Content-Type");
    gerr_setr(e, GERR_MEDIA_TYPE, GR_MEDIA_TYPE, NULL, GP_S("want", zTypes), GP_S("got", zType ? zType : ""));
    return gerr_msg(e, "Content-Type must be %s%s (got %.60s)", azMedia[1] ? "one of " : "", zTypes, zType ? zType : "none");
  }
  if (n == 0) return gerr_setr(e, GERR_BAD_REQUEST, GR_NO_FILE, NULL);
  return 0;
}

/* Reads and parses the JSON body for routes that take one. A route that
 * takes none (neither R_BODY nor R_BODY_OPT) accepts no body or an empty
 * JSON object, {}, which its handler does not see; a member in it is
 * refused (422) by name. */
static int read_body(struct evhttp_request *pReq, http_req *r, gerr *e) {
  struct evbuffer *pIn = evhttp_request_get_input_buffer(pReq);
  size_t n = evbuffer_get_length(pIn);
  unsigned flags = r->pRoute->flags;
  if (flags & R_UPLOAD) return check_upload(pReq, r, http_body_size(r), e);
  int bNone = !(flags & (R_BODY | R_BODY_OPT));
  if (n > HTTP_MAX_BODY)
  {
    gerr_setr(e, GERR_TOO_LARGE, GR_TOO_LARGE, NULL, GP_I("max", HTTP_MAX_BODY), GP_I("got", n));
    return gerr_msg(e, "request body is %zu bytes; the limit is %d", n, HTTP_MAX_BODY);
  }
  if (n == 0 && (bNone || (flags & R_BODY_OPT))) return 0;
  if (!content_type_is(pReq, "application/json")) {
    const char *zType = evhttp_find_header(evhttp_request_get_input_headers(pReq), "Content-Type");
    gerr_setr(e, GERR_MEDIA_TYPE, GR_MEDIA_TYPE, NULL, GP_S("want", "application/json"), GP_S("got", zType ? zType : ""));
    return gerr_msg(e, "Content-Type must be application/json (got %.60s)", zType ? zType : "none");
  }
  if (n == 0) return gerr_setr(e, GERR_BAD_JSON, GR_NOT_OBJECT, NULL);
  const char *zBody = (const char *)evbuffer_pullup(pIn, -1);
  json_error_t je;
  r->pBody = json_loadb(zBody, n, JSON_REJECT_DUPLICATES, &je);
  if (!r->pBody) {
    gerr_setr(e, GERR_BAD_JSON, GR_BAD_JSON, NULL, GP_I("line", je.line), GP_I("column", je.column));
    return gerr_msg(e, "request body is not valid JSON: %s (line %d, column %d)", je.text, je.line, je.column);
  }
  if (!json_is_object(r->pBody))
    return gerr_setr(e, GERR_BAD_JSON, GR_NOT_OBJECT, NULL);
  if (bNone) {
    const char *zKey = json_object_iter_key(json_object_iter(r->pBody));
    if (zKey)
    {
      gerr_setr(e, GERR_VALIDATION, GR_NOT_ACCEPTED, zKey);
      return gerr_msg(e, "%.60s: %s %s takes no fields (send no body, or {})", zKey, http_method_name(r->method),
                      r->pRoute->zPath);
    }
    json_decref(r->pBody);
    r->pBody = NULL;
  }
  return 0;
}

/* Decodes one query component into the arena; refuses NUL bytes, which
 * would cut the text short. */
static const char *query_decode(http_req *r, const char *z, size_t n, const char *zKey, gerr *e) {
  char *zRaw = arena_strndup(r->pAr, z, n);
  size_t nOut = 0;
  char *zDec = evhttp_uridecode(zRaw, 1, &nOut);
  if (!zDec) {
    gerr_setr(e, GERR_BAD_REQUEST, GR_QUERY_FORM, NULL);
    gerr_msg(e, "the query string cannot be decoded");
    return NULL;
  }
  const char *zOut = NULL;
  if (strlen(zDec) != nOut)
    gerr_setr(e, GERR_VALIDATION, GR_NUL_CHAR, zKey ? zKey : "query");
  else
    zOut = arena_strdup(r->pAr, zDec);
  free(zDec);
  return zOut;
}

/* Splits the query string (name=value pairs joined by '&') into r->aQuery,
 * each decoded into the arena. Empty or nameless parts are refused. */
static int read_query(const struct evhttp_uri *pUri, http_req *r, gerr *e) {
  const char *zQuery = evhttp_uri_get_query(pUri);
  if (!zQuery || !*zQuery) return 0;
  const char *p = zQuery;
  while (1) {
    size_t n = strcspn(p, "&");
    const char *zEq = memchr(p, '=', n);
    if (n == 0 || !zEq || zEq == p)
      return gerr_setr(e, GERR_BAD_REQUEST, GR_QUERY_FORM, NULL);
    if (r->nQuery == HTTP_MAX_QUERY)
      return gerr_setr(e, GERR_BAD_REQUEST, GR_QUERY_TOO_MANY, NULL, GP_I("max", HTTP_MAX_QUERY));
    const char *zKey = query_decode(r, p, (size_t)(zEq - p), NULL, e);
    if (!zKey) return -1;
    const char *zVal = query_decode(r, zEq + 1, n - (size_t)(zEq - p) - 1, zKey, e);
    if (!zVal) return -1;
    if (http_query(r, zKey)) return gerr_setr(e, GERR_BAD_REQUEST, GR_QUERY_TWICE, zKey);
    r->aQuery[r->nQuery].zName = zKey;
    r->aQuery[r->nQuery].zValue = zVal;
    r->nQuery++;
    if (!p[n]) return 0;
    p += n + 1;
  }
}

/* The value of cookie zName in the Cookie header, copied into the arena. */
static const char *cookie_value(http_req *r, struct evhttp_request *pReq, const char *zName) {
  const char *z = evhttp_find_header(evhttp_request_get_input_headers(pReq), "Cookie");
  size_t n = strlen(zName);
  while (z && *z) {
    while (*z == ' ' || *z == ';') z++;
    if (strncmp(z, zName, n) == 0 && z[n] == '=') {
      const char *zVal = z + n + 1;
      return arena_strndup(r->pAr, zVal, strcspn(zVal, "; "));
    }
    z = strchr(z, ';');
  }
  return NULL;
}

int http_session_cache_seconds = 2;

/* Bumped after every successful write in this process (any write may end a
 * session, disable a user or change a grant): cached lookups older than the
 * current epoch are not reused. Writes made by other processes (the CLI,
 * other servers) are seen within http_session_cache_seconds. */
static _Atomic uint64_t authEpoch;

/* Resolves a session cookie through this thread's small cache. */
static int cached_session(http_req *r, dom_ctx *c, const char *zToken, gerr *e) {
  http_worker *w = r->pWorker;
  size_t n = strlen(zToken);
  if (http_session_cache_seconds <= 0 || n == 0 || n >= AUTH_TOKEN_LEN) return auth_resolve_session(c, zToken, r->pAuth, e);
  unsigned h = 0;
  for (size_t i = 0; i < n; i++) h = h * 31 + (unsigned char)zToken[i];
  session_cache_entry *p = &w->aSession[h % SESSION_CACHE_SLOTS];
  uint64_t epoch = authEpoch;
  if (p->epoch == epoch && r->now - p->tCached < http_session_cache_seconds && strlen(p->zToken) == n &&
      sodium_memcmp(p->zToken, zToken, n) == 0) {
    *r->pAuth = p->u;
    return 0;
  }
  if (auth_resolve_session(c, zToken, r->pAuth, e)) return -1;
  if (r->pAuth->bSignedIn) {
    memcpy(p->zToken, zToken, n + 1);
    p->u = *r->pAuth;
    p->tCached = r->now;
    p->epoch = epoch;
  }
  return 0;
}

/* Identifies the caller from the session cookie or an API token
 * (Authorization: Bearer gt_...). An unknown or expired credential is
 * refused (401) rather than ignored, so a client learns to sign in again. */
static int authenticate(struct evhttp_request *pReq, http_req *r, gerr *e) {
  struct evkeyvalq *pIn = evhttp_request_get_input_headers(pReq);
  const char *zAuth = evhttp_find_header(pIn, "Authorization");
  const char *zCookie = cookie_value(r, pReq, HTTP_SESSION_COOKIE);
  dom_ctx c = dom_ctx_system(r->ctx.pDb, r->pAr, "anonymous", r->now);   /* resolving who it is */
  int rc = 0;
  if (zAuth) {
    if (strncmp(zAuth, "Bearer gt_", 10) != 0)
    {
      gerr_setr(e, GERR_UNAUTHORIZED, GR_TOKEN_UNKNOWN, NULL);
      return gerr_msg(e, "Authorization must be Bearer followed by an API token");
    }
    rc = auth_resolve_api_token(&c, zAuth + 7, r->pAuth, e);
    if (rc == 0 && !r->pAuth->bSignedIn)
      return gerr_setr(e, GERR_UNAUTHORIZED, GR_TOKEN_UNKNOWN, NULL);
  } else if (zCookie && *zCookie) {
    rc = cached_session(r, &c, zCookie, e);
    if (rc == 0 && !r->pAuth->bSignedIn && !r->pRoute->pRule->bPublic)
      return gerr_setr(e, GERR_UNAUTHORIZED, GR_SESSION_ENDED, NULL);
  }
  if (rc) return -1;
  r->zActor = r->pAuth->bSignedIn ? r->pAuth->zActor : "anonymous";
  r->actor = auth_actor(r->pAuth);
  r->ctx.zActor = r->zActor;
  r->ctx.idPerson = r->pAuth->person_id;
  return 0;
}

/* State-changing requests authenticated by the session cookie must show
 * they come from guild's own pages: the X-CSRF-Token header with the
 * session's token, or an Origin header naming this very host. */
static int check_csrf(struct evhttp_request *pReq, http_req *r, gerr *e) {
  if (!r->pAuth->bCookie || r->method == HM_GET || r->method == HM_HEAD || r->method == HM_OPTIONS) return 0;
  struct evkeyvalq *pIn = evhttp_request_get_input_headers(pReq);
  const char *zTok = evhttp_find_header(pIn, "X-CSRF-Token");
  size_t nCsrf = strlen(r->pAuth->zCsrf);
  if (zTok && nCsrf && strlen(zTok) == nCsrf && sodium_memcmp(zTok, r->pAuth->zCsrf, nCsrf) == 0) return 0;
  const char *zOrigin = evhttp_find_header(pIn, "Origin"), *zHost = evhttp_find_header(pIn, "Host");
  if (zOrigin && zHost) {
    const char *zRest = strncmp(zOrigin, "https://", 8) == 0 ? zOrigin + 8
                        : strncmp(zOrigin, "http://", 7) == 0 ? zOrigin + 7 : NULL;
    if (zRest && strcmp(zRest, zHost) == 0) return 0;
  }
  return gerr_setr(e, GERR_FORBIDDEN, GR_CSRF, "X-CSRF-Token");
}

/* Refuses request headers larger than HTTP_MAX_HEADERS in all (431), with
 * guild's own error format and headers. */
static int check_headers(struct evhttp_request *pReq, gerr *e) {
  size_t n = 0;
  for (struct evkeyval *kv = evhttp_request_get_input_headers(pReq)->tqh_first; kv; kv = kv->next.tqe_next)
    n += strlen(kv->key) + strlen(kv->value) + 4;
  if (n > HTTP_MAX_HEADERS)
    return gerr_setr(e, GERR_HEADERS, GR_HEADERS, NULL, GP_I("max", HTTP_MAX_HEADERS), GP_I("got", n)),
           gerr_msg(e, "request headers are %zu bytes; the limit is %d", n, HTTP_MAX_HEADERS);
  return 0;
}

/* Answers a GET or HEAD with a file of the embedded browser interface when
 * one is meant (src/http/web.c): gzip-compressed when the client takes it.
 * Returns 1 when r now holds the answer, 0 to go on to the API routes. */
static int web_answer(struct evhttp_request *pReq, http_req *r) {
  if (r->method != HM_GET && r->method != HM_HEAD) return 0;
  struct evkeyvalq *pIn = evhttp_request_get_input_headers(pReq);
  const char *zCache;
  const web_asset *p = web_lookup(r->zPath, evhttp_find_header(pIn, "Accept"), &zCache);
  if (!p) return 0;
  const char *zEnc = evhttp_find_header(pIn, "Accept-Encoding");
  r->zContentType = p->zType;
  r->zCacheControl = zCache;
  r->zVary = strcmp(r->zPath, "/") == 0 ? "Accept, Accept-Encoding" : "Accept-Encoding";
  if (p->aGzip && web_accepts(zEnc, "gzip")) {
    r->zText = (const char *)p->aGzip;
    r->nText = p->nGzip;
    r->zContentEncoding = "gzip";
  } else {
    r->zText = (const char *)p->a;
    r->nText = p->n;
  }
  return 1;
}

/* Finds the route for r; 404 when no pattern matches the path, 405 (with
 * the allowed methods in zAllow) when only the method is wrong. */
static int find_route(http_req *r, char *zAllow, size_t nAllow, gerr *e) {
  int bPath = 0;
  zAllow[0] = 0;
  for (int i = 0; i < http_nroutes; i++) {
    const route *p = &http_routes[i];
    int64_t aId[2] = {0, 0};
    if (!path_match(p->zPath, r->zPath, aId)) continue;
    if (p->method == r->method || (r->method == HM_HEAD && p->method == HM_GET)) {
      r->pRoute = p;
      memcpy(r->aId, aId, sizeof aId);
      return 0;
    }
    bPath = 1;
    if (!strstr(zAllow, http_method_name(p->method))) {
      size_t n = strlen(zAllow);
      snprintf(zAllow + n, nAllow - n, "%s%s", n ? ", " : "", http_method_name(p->method));
    }
  }
  if (bPath)
  {
    gerr_setr(e, GERR_METHOD, GR_METHOD, NULL, GP_S("method", http_method_name(r->method)), GP_S("allowed", zAllow));
    return gerr_msg(e, "%s is not allowed on %.200s (allowed: %s)", http_method_name(r->method), r->zPath, zAllow);
  }
  gerr_setr(e, GERR_NOT_FOUND, GR_NO_SUCH_ROUTE, NULL);
  return gerr_msg(e, "no such resource: %.200s", r->zPath);
}

/* The start of a request's state for pReq as http_dispatch and
 * http_head_plan see it: the path, the caller anonymous until
 * authenticate, in arena pAr with the auth_user pAuth. */
static void req_start(http_req *r, http_worker *w, arena *pAr, struct auth_user *pAuth, struct evhttp_request *pReq,
                      const struct evhttp_uri *pUri) {
  memset(r, 0, sizeof *r);
  r->pAr = pAr;
  r->method = method_of(evhttp_request_get_command(pReq));
  r->now = time_now();
  r->status = 200;
  r->pNative = pReq;
  r->pWorker = w;
  const char *zRawPath = pUri ? evhttp_uri_get_path(pUri) : NULL;
  r->zPath = path_normalise(r->pAr, zRawPath && *zRawPath ? zRawPath : "/");
  memset(pAuth, 0, sizeof *pAuth);
  r->pAuth = pAuth;
  r->zActor = "anonymous";
  r->ctx = (dom_ctx){w->pDb, r->pAr, r->zActor, r->now, 0, &r->actor};   /* anonymous until authenticate */
  const char *zProto = evhttp_find_header(evhttp_request_get_input_headers(pReq), "X-Forwarded-Proto");
  r->bTls = zProto && strcmp(zProto, "https") == 0;
}

static http_method method_named(const char *z) {
  for (size_t i = 0; i < sizeof aMethod / sizeof aMethod[0]; i++)
    if (strcmp(aMethod[i].zName, z) == 0) return aMethod[i].m;
  return HM_OTHER;
}

int http_head_plan(http_worker *w, const http_head *h, http_plan *p, gerr *e) {
  arena_reset(&w->arHead);
  struct evhttp_uri *pUri = evhttp_uri_parse_with_flags(h->zTarget, EVHTTP_URI_NONCONFORMANT);
  http_req r;
  req_start(&r, w, &w->arHead, &w->authHead, h->pHeaders, pUri);
  r.method = method_named(h->zMethod);
  snprintf(r.zClient, sizeof r.zClient, "%s", h->zClient);
  char zAllow[64];
  int rc = 0;
  p->nMax = HTTP_MAX_BODY_NONE;
  p->bFile = 0;
  if (find_route(&r, zAllow, sizeof zAllow, e) == 0) {
    unsigned f = r.pRoute->flags;
    int64_t nFull = (f & R_UPLOAD) ? (int64_t)http_upload_limit(r.pRoute) : (f & (R_BODY | R_BODY_OPT)) ? HTTP_MAX_BODY
                                                                                                       : HTTP_MAX_BODY_NONE;
    p->bFile = (f & R_UPLOAD) != 0;
    p->nMax = nFull < HTTP_MAX_BODY_SMALL ? nFull : HTTP_MAX_BODY_SMALL;
    if (r.pRoute->pRule->bPublic) nFull = p->nMax;   /* what anyone may send (signing in) is small */
    if ((h->nDeclared < 0 || h->nDeclared > p->nMax) && nFull > p->nMax) {
      /* a large body: only for a caller the route lets in (the checks made before its body is read) */
      if (read_query(pUri, &r, e) || authenticate(h->pHeaders, &r, e) || check_csrf(h->pHeaders, &r, e) ||
          ((f & R_UPLOAD) ? az_authorize_upload(&r, e) : az_authorize(&r, e)))
        rc = -1;
      else
        p->nMax = nFull;
    }
  } else if (h->nDeclared >= 0 && h->nDeclared <= p->nMax) {
    gerr_clear(e);   /* http_dispatch answers 404 or 405 */
  } else {
    rc = -1;
  }
  if (rc == 0 && h->nDeclared > p->nMax)
    rc = gerr_setr(e, GERR_TOO_LARGE, GR_TOO_LARGE, NULL, GP_I("max", p->nMax), GP_I("got", h->nDeclared));
  if (pUri) evhttp_uri_free(pUri);
  return rc;
}

/* Seconds a client should wait before trying again after e (429, 503): the
 * N of a message saying "try again in N seconds", else a default. */
static int retry_after(const gerr *e) {
  const char *z = strstr(e->msg, "try again in ");
  long long n = 0;
  if (z && sscanf(z, "try again in %lld second", &n) == 1 && n > 0 && n < 86400) return (int)n;
  return e->code == GERR_TOO_MANY ? 30 : 5;
}

static const struct {
  int status;
  const char *zReason;
} aReason[] = {{400, "Bad Request"}, {408, "Request Timeout"}, {413, "Payload Too Large"},
               {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"}, {503, "Service Unavailable"}};

void http_render_error(const gerr *e, int retryAfter, struct evbuffer *pOut) {
  int status = gerr_status(e->code);
  const char *zReason = "Error";
  for (size_t i = 0; i < sizeof aReason / sizeof aReason[0]; i++)
    if (aReason[i].status == status) zReason = aReason[i].zReason;
  json_t *pJson = http_error_json(e);
  char *zBody = json_dumps(pJson, JSON_COMPACT);
  json_decref(pJson);
  size_t nBody = zBody ? strlen(zBody) : 0;
  evbuffer_add_printf(pOut,
                      "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\nCache-Control: no-store\r\n",
                      status, zReason, nBody);
  for (size_t i = 0; i < sizeof aSecurityHeader / sizeof aSecurityHeader[0]; i++)
    evbuffer_add_printf(pOut, "%s: %s\r\n", aSecurityHeader[i][0], aSecurityHeader[i][1]);
  if (retryAfter > 0) evbuffer_add_printf(pOut, "Retry-After: %d\r\n", retryAfter);
  evbuffer_add(pOut, "\r\n", 2);
  evbuffer_add(pOut, zBody ? zBody : "", nBody);
  free(zBody);
  log_access("-", "(connection)", status, 0);
}

/* The methods of the routes on r's path, in zAllow ("" when none): for
 * the Allow header of a 405 the guard decided. */
static void allowed_methods(http_req *r, char *zAllow, size_t nAllow) {
  http_method m = r->method;
  gerr e;
  r->method = HM_OTHER;   /* no route's: find_route lists every method of the path */
  find_route(r, zAllow, nAllow, &e);
  r->method = m;
  r->pRoute = NULL;
}

int http_prepare(struct evhttp_request *pReq, http_method m, const struct evhttp_uri *pUri, http_worker *w,
                 const char *zClient, struct http_note *pNote, http_req *r, char *zAllow, size_t nAllow, gerr *e) {
  arena_reset(&w->ar);
  req_start(r, w, &w->ar, &w->auth, pReq, pUri);
  r->method = m;
  snprintf(r->zClient, sizeof r->zClient, "%s", zClient ? zClient : "");
  r->pNote = pNote;
  zAllow[0] = 0;
  if (r->pNote && r->pNote->err.code != GERR_OK) {   /* refused before its body was read */
    *e = r->pNote->err;
    if (e->code == GERR_METHOD) allowed_methods(r, zAllow, nAllow);
    return 0;
  }
  if (check_headers(pReq, e) || web_answer(pReq, r) || find_route(r, zAllow, nAllow, e) || read_query(pUri, r, e) ||
      authenticate(pReq, r, e) || check_csrf(pReq, r, e) || read_if_match(pReq, r, e) || read_body(pReq, r, e) ||
      az_authorize(r, e))
    return 0;
  if ((r->pRoute->flags & R_IF_MATCH) && !r->bIfMatch) {
    gerr_set(e, GERR_NEED_IF_MATCH, "If-Match",
             "If-Match is required: send the ETag you read the record with, so no one's change is lost");
    return 0;
  }
  return 1;
}

void http_dispatch(struct evhttp_request *pReq, http_worker *w) {
  int64_t t0 = time_mono_us();
  const struct evhttp_uri *pUri = evhttp_request_get_evhttp_uri(pReq);
  char *zPeer = NULL;
  ev_uint16_t nPeerPort = 0;
  evhttp_connection_get_peer(evhttp_request_get_connection(pReq), &zPeer, &nPeerPort);
  http_req r;
  gerr e;
  gerr_clear(&e);
  char zAllow[64];
  json_t *pOut = NULL;
  if (http_prepare(pReq, method_of(evhttp_request_get_command(pReq)), pUri, w, zPeer, guard_take(w, pReq), &r, zAllow,
                   sizeof zAllow, &e))
    pOut = r.pRoute->xHandler(&r, &e);
  if (e.code != GERR_OK) {
    if (pOut) json_decref(pOut);
    if (e.code == GERR_DB || e.code == GERR_INTERNAL) log_error("%s %s: %s", http_method_name(r.method), r.zPath, e.msg);
    r.status = gerr_status(e.code);
    r.zEtag[0] = r.zLocation[0] = 0;
    r.zText = NULL;
    r.zCacheControl = r.zContentEncoding = r.zVary = NULL;
    r.zFileName = NULL;
    drop_file(&r);
    pOut = http_error_json(&e);
    struct evkeyvalq *pH = evhttp_request_get_output_headers(pReq);
    if (e.code == GERR_METHOD) evhttp_add_header(pH, "Allow", zAllow);   /* empty: none (RFC 9110, 10.2.1) */
    if (e.code == GERR_TOO_MANY || e.code == GERR_UNAVAILABLE) {
      char zRetry[16];
      snprintf(zRetry, sizeof zRetry, "%d", r.pNote && r.pNote->retryAfter ? r.pNote->retryAfter : retry_after(&e));
      evhttp_add_header(pH, "Retry-After", zRetry);
    }
  }
  if (r.pNote && r.pNote->bClose)   /* the guard read no further: what follows cannot be told from a request */
    evhttp_add_header(evhttp_request_get_output_headers(pReq), "Connection", "close");
  if (e.code == GERR_OK && r.method != HM_GET && r.method != HM_HEAD) authEpoch++;
  if (r.pBody) json_decref(r.pBody);
  if (r.method == HM_HEAD && pOut) {
    json_decref(pOut);
    pOut = NULL;
  }
  if (r.method == HM_HEAD) r.zText = NULL;   /* a file is closed unsent by send_json */
  send_json(pReq, &r, r.status, pOut);
  log_access(http_method_name(r.method), r.zPath, r.status, time_mono_us() - t0);
  guard_replied(w, pReq);
  guard_note_free(r.pNote);
}
