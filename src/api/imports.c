/* imports.c: background imports over the API. POST /api/v1/imports takes a
 * CSV file (text/csv; UTF-8, or in the encoding named: encoding=GB18030)
 * and a kind, stores the file in a temporary file and queues the import
 * for this server's import runner (src/jobs/import_runner.c; the queue's policy is impjob_may_queue), answering 202
 * at once; GET /api/v1/imports/{id} shows its status, progress, counts
 * and error report (also as CSV); GET /api/v1/imports lists the caller's
 * imports. */
#include "api/api.h"
#include "core/text.h"
#include "core/tmp.h"
#include "http/router.h"
#include "domain/imports/import_runner_if.h"
#include "domain/imports/import_job.h"
#include "domain/imports/import_kinds.h"
#include "domain/imports/import_text.h"
#include <string.h>
#include <unistd.h>

extern dom_entity dom_institution;

#define IMPORT_JSON_ERRORS 1000   /* report lines in the JSON answer (?format=csv gives all stored) */
#define IMPORT_LIST_MAX 100

/* A true/false query parameter (true, false, 1 or 0; absent: false). */
static int query_bool(http_req *r, const char *zName, int *pOut, gerr *e) {
  const char *z = http_query(r, zName);
  *pOut = z && (!strcmp(z, "true") || !strcmp(z, "1"));
  if (z && !*pOut && strcmp(z, "false") && strcmp(z, "0"))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_BOOLEAN, zName);
  return 0;
}

/* An optional text query parameter of 1..nMax characters, clean UTF-8. */
static int query_text(http_req *r, const char *zName, size_t nMax, const char **pz, gerr *e) {
  *pz = http_query(r, zName);
  if (*pz && (!**pz || text_nchars(*pz) > nMax || !text_is_clean_utf8(*pz, 0)))
    return gerr_setr(e, GERR_VALIDATION, GR_LENGTH, zName, GP_I("min", 1), GP_I("max", nMax), GP_I("got", text_nchars(*pz)));
  return 0;
}

/* A stored failure or report line as the API writes an error ({code,
 * reason, field, params, message}, new reference), with the stored machine
 * code (also "interrupted", which is no class of its own). A line stored
 * before reasons were kept (zReason NULL) gives its class's general one. */
static json_t *stored_error_json(arena *pAr, const char *zCode, const char *zReason, const char *zField,
                                 const char *zParams, const char *zMessage) {
  gerr g;
  memset(&g, 0, sizeof g);
  g.code = GERR_VALIDATION;
  for (int k = 1; zCode && k < GERR__MAX; k++)
    if (!strcmp(gerr_name((gerr_code)k), zCode)) g.code = (gerr_code)k;
  for (int k = 1; zReason && k < GR__MAX; k++)
    if (!strcmp(gerr_reason_name((greason)k), zReason)) g.reason = (greason)k;
  snprintf(g.field, sizeof g.field, "%s", zField ? zField : "");
  snprintf(g.msg, sizeof g.msg, "%s", zMessage ? zMessage : "");
  g.nParam = imp_params_read(pAr, zParams, g.aParam, GERR_MAXPARAM);
  json_t *pAnswer = http_error_json(&g), *o = json_incref(json_object_get(pAnswer, "error"));
  json_decref(pAnswer);
  if (zCode) json_object_set_new(o, "code", json_string(zCode));
  return o;
}

/* An import as JSON (new reference), with its live progress when this
 * server is running it. */
static json_t *job_json(arena *pAr, const impjob *j) {
  int64_t nDone = 0;
  double fDone = 0;
  if (j->finished_at) {   /* done: the whole file; failed: the rows read, share unknown */
    nDone = j->nRows;
    fDone = !strcmp(j->zStatus, "done") ? 1 : -1;
  } else if (!strcmp(j->zStatus, "running")) {
    impjob_the_runner()->xProgress(j->id, &nDone, &fDone);
  }
  json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:o, s:o, s:o}", "id", (json_int_t)j->id, "kind",
                        j->zKind, "status", j->zStatus, "actor", j->zActor, "file_name", j->zFileName, "bytes",
                        (json_int_t)j->bytes, "skip_invalid", j->bSkipInvalid, "map",
                        j->zMap ? json_string(j->zMap) : json_null(), "created_at",
                        api_time_or_null(j->created_at), "started_at", api_time_or_null(j->started_at),
                        "finished_at", api_time_or_null(j->finished_at));
  json_object_set_new(o, "progress", json_pack("{s:I, s:o}", "rows_done", (json_int_t)nDone, "bytes_share",
                                               fDone < 0 ? json_null() : json_real(fDone)));
  json_object_set_new(o, "counts", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "rows", (json_int_t)j->nRows,
                                             "created", (json_int_t)j->nCreated, "updated", (json_int_t)j->nUpdated,
                                             "unchanged", (json_int_t)j->nUnchanged, "invalid",
                                             (json_int_t)j->nInvalid, "errors", (json_int_t)j->nErrors));
  json_object_set_new(o, "encoding", j->zEncoding ? json_string(j->zEncoding) : json_null());
  json_object_set_new(o, "institution_id", j->idInstitution ? json_integer(j->idInstitution) : json_null());
  json_object_set_new(o, "digest", j->zDigest ? json_string(j->zDigest) : json_null());
  json_object_set_new(o, "error", j->zErrorCode ? stored_error_json(pAr, j->zErrorCode, j->zErrorReason, j->zErrorField,
                                                                    j->zErrorParams, j->zError)
                                                : json_null());
  return o;
}

/* The institution an upload is confined to (?institution=; staff: theirs,
 * given or not): *pId, 0 when none. 0 or -1 with e. */
static int upload_institution(http_req *r, int64_t *pId, gerr *e) {
  const char *z = http_query(r, "institution");
  *pId = 0;
  if (z && (text_int64(z, pId) || *pId < 1))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, "institution");
  if (api_forced_id(r, "institution", z != NULL, pId, e) < 0) return -1;
  if (!*pId) return 0;
  dom_ctx c = api_ctx(r);
  int rc = dom_exists(&c, &dom_institution, *pId, e);
  if (rc < 0) return -1;
  return rc ? 0 : gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "institution", GP_S("entity", "institution"), GP_I("id", *pId));
}

json_t *api_import_create(http_req *r, gerr *e) {
  static const char *const azParam[] = {"kind", "skip_invalid", "map", "name", "institution", "encoding", NULL};
  const char *zMap, *zName, *zEncoding;
  impjob j;
  memset(&j, 0, sizeof j);
  if (api_only_params(r, azParam, e) || query_bool(r, "skip_invalid", &j.bSkipInvalid, e) ||
      query_text(r, "map", 2000, &zMap, e) || query_text(r, "name", 200, &zName, e) ||
      query_text(r, "encoding", 40, &zEncoding, e) || upload_institution(r, &j.idInstitution, e))
    return NULL;
  if (imp_check_encoding(zEncoding, e)) return NULL;
  j.zKind = http_query(r, "kind");
  if (!imp_kind_find(j.zKind)) return imp_kind_refuse(j.zKind, e), NULL;
  dom_ctx c = api_ctx(r);
  int64_t idRunning = impjob_the_runner()->xCurrent();
  if (impjob_may_queue(&c, impjob_the_runner()->xId(), idRunning, e)) {
    if (e->code == GERR_CONFLICT) {   /* where to see it end */
      char zMsg[sizeof e->msg];
      snprintf(zMsg, sizeof zMsg, "%s", e->msg);
      gerr_msg(e, "%s (GET /api/v1/imports/%lld)", zMsg, (long long)idRunning);
    }
    return NULL;
  }
  char zPath[512];
  int fd = tmp_create("upload", ".csv", zPath, sizeof zPath, e);
  if (fd < 0) return NULL;
  j.bytes = (int64_t)http_body_size(r);
  int rc = http_body_to_file(r, fd, e);
  if (close(fd) && rc == 0) rc = gerr_set(e, GERR_INTERNAL, NULL, "cannot store the upload");
  j.zActor = r->zActor;
  j.zFileName = zName ? zName : "upload.csv";
  j.zPath = zPath;
  j.zMap = zMap;
  j.zEncoding = zEncoding;
  j.zRunner = impjob_the_runner()->xId();
  if (rc || impjob_create(&c, &j, e)) {
    unlink(zPath);
    return NULL;
  }
  impjob stored;   /* as queued: read before the runner may start it */
  int rcGet = impjob_get(&c, j.id, &stored, e);
  impjob_the_runner()->xWake();
  if (rcGet) return NULL;
  r->status = 202;
  snprintf(r->zLocation, sizeof r->zLocation, "/api/v1/imports/%lld", (long long)j.id);
  return job_json(r->pAr, &stored);
}

json_t *api_imports_list(http_req *r, gerr *e) {
  static const char *const azParam[] = {"limit", "before", NULL};
  int64_t nLimit = 20, before = 0;
  const char *zLimit = http_query(r, "limit"), *zBefore = http_query(r, "before");
  if (api_only_params(r, azParam, e)) return NULL;
  if (zLimit && (text_int64(zLimit, &nLimit) || nLimit < 1 || nLimit > IMPORT_LIST_MAX))
    return (text_int64(zLimit, &nLimit) ? gerr_setr(e, GERR_VALIDATION, GR_NOT_INTEGER, "limit")
                                        : gerr_setr(e, GERR_VALIDATION, GR_RANGE, "limit", GP_I("min", 1),
                                                    GP_I("max", IMPORT_LIST_MAX), GP_I("got", nLimit))),
           NULL;
  if (zBefore && (text_int64(zBefore, &before) || before < 1))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, "before"),
           gerr_msg(e, "before: an import id (next_before of the previous page)"), NULL;
  dom_ctx c = api_ctx(r);
  impjob *a;
  int n;
  if (impjob_list(&c, r->zActor, before, (int)nLimit + 1, &a, &n, e)) return NULL;
  json_t *items = json_array();
  for (int i = 0; i < n && i < nLimit; i++) json_array_append_new(items, job_json(r->pAr, &a[i]));
  return json_pack("{s:o, s:o}", "items", items, "next_before", n > nLimit ? json_integer(a[nLimit - 1].id) : json_null());
}

static const tab_col aReportCol[] = {
    {"file", TC_TEXT, 0}, {"row", TC_INT, 0}, {"column", TC_TEXT, 0}, {"value", TC_TEXT, 0}, {"reason", TC_TEXT, 0}};

/* The error report of import j: into the table t, or the JSON array a. */
typedef struct report_arg {
  dom_ctx *c;
  const impjob *j;
  tab_out *t;
  json_t *a;
} report_arg;

/* A report line as JSON: where (file, row, column, value) and why, as an
 * error says it (code, reason, field, params, message). */
static int error_json(void *pArg, const impjob_err *x) {
  report_arg *a = pArg;
  json_t *o = stored_error_json(a->c->pAr, x->zCode ? x->zCode : "validation", x->zReason, x->zField, x->zParams,
                                x->zMessage);
  json_t *pWhere = json_pack("{s:s, s:I, s:s, s:s}", "file", a->j->zFileName, "row", (json_int_t)x->iRow, "column",
                             x->zColumn, "value", x->zValue);
  json_object_update(o, pWhere);
  json_decref(pWhere);
  json_array_append_new(a->a, o);
  return 0;
}

/* A report line in the CSV or XLSX report: its reason in words (English). */
static int error_row(void *pArg, const impjob_err *x) {
  report_arg *a = pArg;
  return tab_text(a->t, a->j->zFileName) | tab_int(a->t, x->iRow) | tab_text(a->t, x->zColumn) |
         tab_text(a->t, x->zValue) | tab_text(a->t, x->zMessage);
}

static int write_report(void *pArg, tab_out *t, gerr *e) {
  report_arg *a = pArg;
  a->t = t;
  if (tab_sheet(t, "errors", aReportCol, (int)(sizeof aReportCol / sizeof aReportCol[0]))) return tab_error(t, e);
  if (impjob_each_error(a->c, a->j->id, IMPJOB_ERRORS_MAX, error_row, a, e)) return -1;
  return 0;
}

json_t *api_import_get(http_req *r, gerr *e) {
  static const char *const azParam[] = {"format", NULL};
  const char *zFormat = http_query(r, "format");
  tab_format fmt = TAB_CSV;
  if (api_only_params(r, azParam, e)) return NULL;
  if (zFormat && strcmp(zFormat, "json") && tab_format_parse(zFormat, &fmt))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, "format", GP_S("allowed", "json, csv, xlsx"), GP_S("got", zFormat)),
           gerr_msg(e, "format: json (the default), csv or xlsx (the error report)"), NULL;
  dom_ctx c = api_ctx(r);
  impjob j;
  if (impjob_get(&c, r->aId[0], &j, e)) return NULL;
  if (!api_forced_allows(r, "institution", j.idInstitution))   /* staff: their institution's imports */
    return gerr_setr(e, GERR_FORBIDDEN, GR_NOT_YOURS, NULL, GP_S("entity", "import"), GP_I("id", j.id)), NULL;
  if (zFormat && strcmp(zFormat, "json")) {
    report_arg a = {&c, &j, NULL, NULL};
    api_send_table(r, fmt, arena_printf(r->pAr, "import-%lld-errors", (long long)j.id), write_report, &a, e);
    return NULL;
  }
  json_t *o = job_json(r->pAr, &j), *aErr = json_array();
  report_arg a = {&c, &j, NULL, aErr};
  if (impjob_each_error(&c, j.id, IMPORT_JSON_ERRORS, error_json, &a, e)) {
    json_decref(o);
    json_decref(aErr);
    return NULL;
  }
  json_object_set_new(o, "errors", aErr);
  json_object_set_new(o, "errors_shown", json_integer((json_int_t)json_array_size(aErr)));
  return o;
}
