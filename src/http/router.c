/* router.c: everything that happens to a request before and after its
 * handler, once, for every route: match the route (404 / 405), check the body
 * (size 413, media type 415, JSON 400), read If-Match (400 / 428), call the
 * handler with this thread's connection and arena, send the JSON response or
 * the one error format, and write the access-log line. */
#include "router.h"
#include "../core/log.h"
#include "../core/text.h"
#include "../core/timeutil.h"
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Sends a JSON body with status; takes ownership of pJson. */
static void send_json(struct evhttp_request *pReq, http_req *r, int status, json_t *pJson) {
  struct evkeyvalq *pH = evhttp_request_get_output_headers(pReq);
  struct evbuffer *pOut = evbuffer_new();
  if (pJson) {
    char *z = json_dumps(pJson, JSON_COMPACT);
    if (z) {
      evbuffer_add(pOut, z, strlen(z));
      free(z);
    }
    json_decref(pJson);
    evhttp_add_header(pH, "Content-Type", "application/json; charset=utf-8");
  }
  evhttp_add_header(pH, "X-Content-Type-Options", "nosniff");
  evhttp_add_header(pH, "Cache-Control", "no-store");
  if (r->zEtag[0]) evhttp_add_header(pH, "ETag", r->zEtag);
  if (r->zLocation[0]) evhttp_add_header(pH, "Location", r->zLocation);
  evhttp_send_reply(pReq, status, NULL, pOut);
  evbuffer_free(pOut);
}

json_t *http_error_json(const gerr *e) {
  json_t *pErr = json_pack("{s:s, s:s}", "code", gerr_name(e->code), "message",
                           e->msg[0] ? e->msg : gerr_default(e->code));
  if (e->field[0]) json_object_set_new(pErr, "field", json_string(e->field));
  return json_pack("{s:o}", "error", pErr);
}

/* Reads If-Match: "N" or W/"N". Returns 0, or -1 with e filled. */
static int read_if_match(struct evhttp_request *pReq, http_req *r, gerr *e) {
  const char *z = evhttp_find_header(evhttp_request_get_input_headers(pReq), "If-Match");
  if (!z) return 0;
  if (strncmp(z, "W/", 2) == 0) z += 2;
  size_t n = strlen(z);
  char zNum[24];
  if (n < 3 || n - 2 >= sizeof zNum || z[0] != '"' || z[n - 1] != '"')
    return gerr_set(e, GERR_BAD_REQUEST, "If-Match", "If-Match must be the ETag the record was read with, e.g. \"3\"");
  memcpy(zNum, z + 1, n - 2);
  zNum[n - 2] = 0;
  if (text_int64(zNum, &r->ifVersion) || r->ifVersion < 1)
    return gerr_set(e, GERR_BAD_REQUEST, "If-Match", "If-Match must be the ETag the record was read with, e.g. \"3\"");
  r->bIfMatch = 1;
  return 0;
}

/* Reads and parses the JSON body for routes that take one. */
static int read_body(struct evhttp_request *pReq, http_req *r, gerr *e) {
  struct evbuffer *pIn = evhttp_request_get_input_buffer(pReq);
  size_t n = evbuffer_get_length(pIn);
  unsigned flags = r->pRoute->flags;
  if (!(flags & (R_BODY | R_BODY_OPT))) {
    if (n > 0) return gerr_set(e, GERR_BAD_REQUEST, NULL, "%s %s takes no request body",
                               http_method_name(r->method), r->pRoute->zPath);
    return 0;
  }
  if (n > HTTP_MAX_BODY)
    return gerr_set(e, GERR_TOO_LARGE, NULL, "request body is %zu bytes; the limit is %d", n, HTTP_MAX_BODY);
  if (n == 0 && (flags & R_BODY_OPT)) return 0;
  const char *zType = evhttp_find_header(evhttp_request_get_input_headers(pReq), "Content-Type");
  if (!zType || strncasecmp(zType, "application/json", 16) != 0 || (zType[16] && zType[16] != ';' && zType[16] != ' '))
    return gerr_set(e, GERR_MEDIA_TYPE, NULL, "Content-Type must be application/json (got %.60s)",
                    zType ? zType : "none");
  if (n == 0) return gerr_set(e, GERR_BAD_JSON, NULL, "a JSON object is required as the request body");
  const char *zBody = (const char *)evbuffer_pullup(pIn, -1);
  json_error_t je;
  r->pBody = json_loadb(zBody, n, JSON_REJECT_DUPLICATES, &je);
  if (!r->pBody)
    return gerr_set(e, GERR_BAD_JSON, NULL, "request body is not valid JSON: %s (line %d, column %d)", je.text,
                    je.line, je.column);
  if (!json_is_object(r->pBody))
    return gerr_set(e, GERR_BAD_JSON, NULL, "request body must be a JSON object");
  return 0;
}

/* Splits the query string into r->aQuery (decoded, in the arena). */
static int read_query(const struct evhttp_uri *pUri, http_req *r, gerr *e) {
  const char *zQuery = evhttp_uri_get_query(pUri);
  if (!zQuery || !*zQuery) return 0;
  struct evkeyvalq q;
  q.tqh_first = NULL;
  q.tqh_last = &q.tqh_first;
  if (evhttp_parse_query_str(zQuery, &q) != 0)
    return gerr_set(e, GERR_BAD_REQUEST, NULL, "the query string cannot be parsed");
  int rc = 0;
  for (struct evkeyval *kv = q.tqh_first; kv; kv = kv->next.tqe_next) {
    if (r->nQuery == HTTP_MAX_QUERY) {
      rc = gerr_set(e, GERR_BAD_REQUEST, NULL, "too many query parameters (at most %d)", HTTP_MAX_QUERY);
      break;
    }
    if (http_query(r, kv->key)) {
      rc = gerr_set(e, GERR_BAD_REQUEST, kv->key, "query parameter %.60s is given twice", kv->key);
      break;
    }
    r->aQuery[r->nQuery].zName = arena_strdup(r->pAr, kv->key);
    r->aQuery[r->nQuery].zValue = arena_strdup(r->pAr, kv->value);
    r->nQuery++;
  }
  evhttp_clear_headers(&q);
  return rc;
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
    return gerr_set(e, GERR_METHOD, NULL, "%s is not allowed on %.200s (allowed: %s)", http_method_name(r->method),
                    r->zPath, zAllow);
  return gerr_set(e, GERR_NOT_FOUND, NULL, "no such resource: %.200s", r->zPath);
}

void http_dispatch(struct evhttp_request *pReq, http_worker *w) {
  int64_t t0 = time_mono_us();
  arena_reset(&w->ar);
  http_req r;
  memset(&r, 0, sizeof r);
  r.pAr = &w->ar;
  r.pDb = w->pDb;
  r.method = method_of(evhttp_request_get_command(pReq));
  r.now = time_now();
  r.zActor = "api";
  r.status = 200;
  r.pNative = pReq;
  gerr e;
  gerr_clear(&e);
  char zAllow[64];
  json_t *pOut = NULL;
  const struct evhttp_uri *pUri = evhttp_request_get_evhttp_uri(pReq);
  const char *zRawPath = pUri ? evhttp_uri_get_path(pUri) : NULL;
  char *zPath = zRawPath ? evhttp_uridecode(zRawPath, 0, NULL) : NULL;
  r.zPath = zPath ? arena_strdup(r.pAr, zPath) : "/";
  free(zPath);

  if (find_route(&r, zAllow, sizeof zAllow, &e) == 0 && read_query(pUri, &r, &e) == 0 &&
      read_if_match(pReq, &r, &e) == 0 && read_body(pReq, &r, &e) == 0) {
    if ((r.pRoute->flags & R_IF_MATCH) && !r.bIfMatch)
      gerr_set(&e, GERR_NEED_IF_MATCH, "If-Match",
               "If-Match is required: send the ETag you read the record with, so no one's change is lost");
    else
      pOut = r.pRoute->xHandler(&r, &e);
  }
  if (e.code != GERR_OK) {
    if (pOut) json_decref(pOut);
    if (e.code == GERR_DB || e.code == GERR_INTERNAL) log_error("%s %s: %s", http_method_name(r.method), r.zPath, e.msg);
    r.status = gerr_status(e.code);
    r.zEtag[0] = r.zLocation[0] = 0;
    pOut = http_error_json(&e);
    if (e.code == GERR_METHOD)
      evhttp_add_header(evhttp_request_get_output_headers(pReq), "Allow", zAllow);
  }
  if (r.pBody) json_decref(r.pBody);
  if (r.method == HM_HEAD && pOut) {
    json_decref(pOut);
    pOut = NULL;
  }
  send_json(pReq, &r, r.status, pOut);
  log_access(http_method_name(r.method), r.zPath, r.status, time_mono_us() - t0);
}
