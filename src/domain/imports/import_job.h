/* import_job.h: the records of background imports (table imports, with
 * their error reports in import_errors): what was uploaded, by whom, which
 * server process runs it (its runner, "host:pid"), its status and its
 * outcome. The server's import runner (src/jobs/import_runner.c) runs
 * them; the API (src/api/imports.c) creates and shows them.
 *
 * Status: queued -> running -> done | failed. "failed" covers a file with
 * invalid rows (nothing written; the report says why), an unreadable file
 * or database error, and an import interrupted by a server stop (rolled
 * back; error_code "interrupted"). */
#ifndef GUILD_IMPORT_JOB_H
#define GUILD_IMPORT_JOB_H
#include "domain/imports/import.h"

/* Who may import, and see imports (module.c). */
extern const pol_rule imp_rule_import;

#define IMPJOB_ERRORS_MAX 10000   /* report lines stored per import; n_errors counts them all */
#define IMPJOB_QUEUE_MAX 8        /* imports waiting for one runner; more are refused (GERR_TOO_MANY) */
#define IMPJOB_REPORT_DAYS 30     /* a report (it quotes the file's cells: personal data) is kept this long */

typedef struct impjob {
  int64_t id, created_at, started_at, finished_at, bytes;   /* 0: not yet */
  const char *zKind, *zStatus, *zActor, *zFileName, *zPath, *zMap, *zRunner;
  const char *zEncoding;   /* the upload's encoding (imp_opts.zEncoding); NULL: UTF-8 */
  int bSkipInvalid;
  int64_t idInstitution;   /* the institution the import is confined to (imp_opts.idScope); 0: none */
  int64_t nRows, nCreated, nUpdated, nUnchanged, nInvalid, nErrors;
  const char *zDigest, *zErrorCode, *zError;   /* NULL when none */
  /* why it failed as an API error says it: the reason, the field and the
   * parameters (imp_params_text); NULL when none (and for imports that
   * failed before guild stored them) */
  const char *zErrorReason, *zErrorField, *zErrorParams;
} impjob;

/* Stores p as a new queued import (created_at = c->now); sets p->id. */
int impjob_create(dom_ctx *c, impjob *p, gerr *e);
/* Reads import id into p (strings in c's arena); GERR_NOT_FOUND. */
int impjob_get(dom_ctx *c, int64_t id, impjob *p, gerr *e);
/* The imports of zActor, newest first, with ids below before (0: from
 * the newest), at most nMax, into *pa (c's arena). */
int impjob_list(dom_ctx *c, const char *zActor, int64_t before, int nMax, impjob **pa, int *pn, gerr *e);
/* The queued or running imports of every runner, oldest first (c's arena). */
int impjob_unfinished(dom_ctx *c, impjob **pa, int *pn, gerr *e);
/* How many imports wait for runner zRunner. */
int impjob_count_queued(dom_ctx *c, const char *zRunner, int64_t *pn, gerr *e);
/* Whether one more upload may wait for runner zRunner while idRunning (0:
 * none) is the import it runs: 0, or -1 with e: GERR_CONFLICT when that
 * import is still being written and the engine writes one transaction at a
 * time (db_one_writer), GERR_TOO_MANY when IMPJOB_QUEUE_MAX imports wait
 * already (import_queue.c). */
int impjob_may_queue(dom_ctx *c, const char *zRunner, int64_t idRunning, gerr *e);
/* The oldest queued import of runner zRunner into p: 1, or 0 when none. */
int impjob_next(dom_ctx *c, const char *zRunner, impjob *p, gerr *e);
/* Marks import id running (started_at = c->now). */
int impjob_start(dom_ctx *c, int64_t id, gerr *e);
/* Records the outcome of import id: status zStatus ("done" or "failed"),
 * the counts and digest of r (may be NULL), the error pErr (NULL when none;
 * zCode overrides its machine code, e.g. "interrupted"; its reason, field
 * and parameters are stored too) and the first
 * IMPJOB_ERRORS_MAX lines of r's report; finished_at = c->now. One
 * transaction. */
int impjob_finish(dom_ctx *c, int64_t id, const char *zStatus, const imp_result *r, const gerr *pErr,
                  const char *zCode, gerr *e);

/* Deletes the error reports of the imports that ended before tBefore (the
 * imports' own rows, with their counts, stay). */
int impjob_forget_reports(dom_ctx *c, int64_t tBefore, gerr *e);

/* One line of an import's stored error report: where, the English message
 * (zMessage), and why as an API error says it (code, reason, field,
 * parameters as imp_params_text; NULL for lines stored before guild kept
 * them). Valid during the callback. */
typedef struct impjob_err {
  int64_t iRow;
  const char *zColumn, *zValue, *zMessage;
  const char *zCode, *zReason, *zField, *zParams;
} impjob_err;
typedef int (*impjob_err_fn)(void *pArg, const impjob_err *x);
/* Calls xErr for the first nMax lines of import id's report, in file order;
 * a nonzero return stops. */
int impjob_each_error(dom_ctx *c, int64_t id, int nMax, impjob_err_fn xErr, void *pArg, gerr *e);

#endif
