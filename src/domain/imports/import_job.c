/* import_job.c: the records of background imports (see import_job.h). */
#include "domain/imports/import_job.h"
#include "domain/imports/import_text.h"
#include <string.h>

#define JOB_COLS                                                                                               \
  "id, created_at, started_at, finished_at, bytes, kind, status, actor, file_name, file_path, map, runner, "   \
  "skip_invalid, n_rows, n_created, n_updated, n_unchanged, n_invalid, n_errors, digest, error_code, "         \
  "error_message, institution_id, encoding, error_reason, error_field, error_params"

static const char zGet[] = "SELECT " JOB_COLS " FROM imports WHERE id = $1";
static const char zList[] =
    "SELECT " JOB_COLS " FROM imports WHERE actor = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3";
static const char zUnfinished[] =
    "SELECT " JOB_COLS " FROM imports WHERE status IN ('queued', 'running') ORDER BY id";
static const char zNext[] =
    "SELECT " JOB_COLS " FROM imports WHERE status = 'queued' AND runner = $1 ORDER BY id LIMIT 1";
static const char zCountQueued[] = "SELECT count(*) FROM imports WHERE status = 'queued' AND runner = $1";
static const char zInsert[] =
    "INSERT INTO imports (created_at, updated_at, kind, status, actor, file_name, file_path, bytes, skip_invalid, "
    "map, runner, institution_id, n_rows, n_created, n_updated, n_unchanged, n_invalid, n_errors, encoding) "
    "VALUES ($1, $1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, 0, 0, 0, 0, $11) RETURNING id";
static const char zStart[] = "UPDATE imports SET status = 'running', started_at = $2, updated_at = $2 WHERE id = $1";
static const char zFinish[] =
    "UPDATE imports SET status = $2, finished_at = $3, updated_at = $3, n_rows = $4, n_created = $5, "
    "n_updated = $6, n_unchanged = $7, n_invalid = $8, n_errors = $9, digest = $10, error_code = $11, "
    "error_message = $12, error_reason = $13, error_field = $14, error_params = $15, file_path = NULL WHERE id = $1";
static const char zErrInsert[] =
    "INSERT INTO import_errors (import_id, pos, row_no, column_name, value, reason, code, reason_name, field, params) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
static const char zForget[] =
    "DELETE FROM import_errors WHERE import_id IN (SELECT id FROM imports WHERE finished_at < $1)";
static const char zErrList[] =
    "SELECT row_no, column_name, value, reason, code, reason_name, field, params FROM import_errors "
    "WHERE import_id = $1 ORDER BY pos LIMIT $2";

/* Column i of s as text in the arena, or NULL. */
static const char *text_or_null(dom_ctx *c, db_stmt *s, int i) {
  return db_col_null(s, i) ? NULL : arena_strdup(c->pAr, db_col_text(s, i));
}

static void load(dom_ctx *c, db_stmt *s, impjob *p) {
  memset(p, 0, sizeof *p);
  p->id = db_col_int(s, 0);
  p->created_at = db_col_int(s, 1);
  p->started_at = db_col_int(s, 2);   /* NULL reads as 0 */
  p->finished_at = db_col_int(s, 3);
  p->bytes = db_col_int(s, 4);
  p->zKind = text_or_null(c, s, 5);
  p->zStatus = text_or_null(c, s, 6);
  p->zActor = text_or_null(c, s, 7);
  p->zFileName = text_or_null(c, s, 8);
  p->zPath = text_or_null(c, s, 9);
  p->zMap = text_or_null(c, s, 10);
  p->zRunner = text_or_null(c, s, 11);
  p->bSkipInvalid = (int)db_col_int(s, 12);
  int64_t *apN[] = {&p->nRows, &p->nCreated, &p->nUpdated, &p->nUnchanged, &p->nInvalid, &p->nErrors};
  for (int k = 0; k < 6; k++) *apN[k] = db_col_int(s, 13 + k);
  p->zDigest = text_or_null(c, s, 19);
  p->zErrorCode = text_or_null(c, s, 20);
  p->zError = text_or_null(c, s, 21);
  p->idInstitution = db_col_int(s, 22);   /* NULL reads as 0 */
  p->zEncoding = text_or_null(c, s, 23);
  p->zErrorReason = text_or_null(c, s, 24);
  p->zErrorField = text_or_null(c, s, 25);
  p->zErrorParams = text_or_null(c, s, 26);
}

/* Runs s (parameters bound) and loads up to nMax rows into *pa. */
static int load_all(dom_ctx *c, db_stmt *s, int nMax, impjob **pa, int *pn, gerr *e) {
  int nAlloc = 16, rc = DB_DONE;
  *pn = 0;
  *pa = arena_alloc(c->pAr, (size_t)nAlloc * sizeof **pa);
  while (*pn < nMax && (rc = db_step(s, e)) == DB_ROW) {
    if (*pn == nAlloc) {
      impjob *a = arena_alloc(c->pAr, (size_t)nAlloc * 2 * sizeof *a);
      memcpy(a, *pa, (size_t)nAlloc * sizeof *a);
      *pa = a;
      nAlloc *= 2;
    }
    load(c, s, &(*pa)[(*pn)++]);
  }
  if (*pn == nMax) rc = DB_DONE;
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int impjob_create(dom_ctx *c, impjob *p, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zInsert, e);
  if (!s) return -1;
  db_bind_int(s, 1, c->now);
  db_bind_text(s, 2, p->zKind);
  db_bind_text(s, 3, p->zActor);
  db_bind_text(s, 4, p->zFileName);
  db_bind_text(s, 5, p->zPath);
  db_bind_int(s, 6, p->bytes);
  db_bind_int(s, 7, p->bSkipInvalid);
  db_bind_text(s, 8, p->zMap);
  db_bind_text(s, 9, p->zRunner);
  db_bind_int_or_null(s, 10, p->idInstitution, p->idInstitution == 0);
  db_bind_text(s, 11, p->zEncoding);
  int rc = db_step(s, e);
  if (rc == DB_ROW) p->id = db_col_int(s, 0);
  db_done(s);
  if (rc == DB_DONE) return gerr_set(e, GERR_DB, NULL, "insert into imports returned no id");
  return rc == DB_ERROR ? -1 : 0;
}

int impjob_get(dom_ctx *c, int64_t id, impjob *p, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zGet, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  int rc = db_step(s, e);
  if (rc == DB_ROW) load(c, s, p);
  db_done(s);
  if (rc == DB_DONE) return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", "import"), GP_I("id", id));
  return rc == DB_ERROR ? -1 : 0;
}

int impjob_list(dom_ctx *c, const char *zActor, int64_t before, int nMax, impjob **pa, int *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zList, e);
  if (!s) return -1;
  db_bind_text(s, 1, zActor);
  db_bind_int(s, 2, before);
  db_bind_int(s, 3, nMax);
  return load_all(c, s, nMax, pa, pn, e);
}

int impjob_unfinished(dom_ctx *c, impjob **pa, int *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zUnfinished, e);
  return s ? load_all(c, s, 1 << 30, pa, pn, e) : -1;
}

int impjob_count_queued(dom_ctx *c, const char *zRunner, int64_t *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zCountQueued, e);
  if (!s) return -1;
  db_bind_text(s, 1, zRunner);
  int rc = db_step(s, e);
  *pn = rc == DB_ROW ? db_col_int(s, 0) : 0;
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int impjob_next(dom_ctx *c, const char *zRunner, impjob *p, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zNext, e);
  if (!s) return -1;
  db_bind_text(s, 1, zRunner);
  int rc = db_step(s, e);
  if (rc == DB_ROW) load(c, s, p);
  db_done(s);
  return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

int impjob_start(dom_ctx *c, int64_t id, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zStart, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  db_bind_int(s, 2, c->now);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Stores the first IMPJOB_ERRORS_MAX lines of r's report. */
static int store_errors(dom_ctx *c, int64_t id, const imp_result *r, gerr *e) {
  for (int i = 0; r && i < r->nErr && i < IMPJOB_ERRORS_MAX; i++) {
    const imp_error *x = &r->aErr[i];
    db_stmt *s = db_prepare(c->pDb, zErrInsert, e);
    if (!s) return -1;
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, i);
    db_bind_int(s, 3, x->iRow);
    db_bind_text(s, 4, x->zColumn ? x->zColumn : "");
    db_bind_text(s, 5, x->zValue ? x->zValue : "");
    db_bind_text(s, 6, x->zReason ? x->zReason : "");
    db_bind_text(s, 7, gerr_name(x->code));
    db_bind_text(s, 8, gerr_reason_name(x->reason != GR_NONE ? x->reason : gerr_reason_of_code(x->code)));
    db_bind_text(s, 9, x->zField && x->zField[0] ? x->zField : NULL);
    db_bind_text(s, 10, imp_params_text(c->pAr, x->aParam, x->nParam));
    int rc = db_step(s, e);
    db_done(s);
    if (rc == DB_ERROR) return -1;
  }
  return 0;
}

int impjob_finish(dom_ctx *c, int64_t id, const char *zStatus, const imp_result *r, const gerr *pErr,
                  const char *zCode, gerr *e) {
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zFinish, e);
  if (!s) goto fail;
  db_bind_int(s, 1, id);
  db_bind_text(s, 2, zStatus);
  db_bind_int(s, 3, c->now);
  const int aN[] = {r ? r->nRow : 0,       r ? r->nCreated : 0, r ? r->nUpdated : 0,
                    r ? r->nUnchanged : 0, r ? r->nInvalid : 0, r ? r->nErr : 0};
  for (int k = 0; k < 6; k++) db_bind_int(s, 4 + k, aN[k]);
  db_bind_text(s, 10, r && r->zDigest[0] ? r->zDigest : NULL);
  db_bind_text(s, 11, pErr ? (zCode ? zCode : gerr_name(pErr->code)) : NULL);
  db_bind_text(s, 12, pErr ? (pErr->msg[0] ? pErr->msg : gerr_default(pErr->code)) : NULL);
  greason why = !pErr ? GR_NONE : pErr->reason != GR_NONE ? pErr->reason : gerr_reason_of_code(pErr->code);
  db_bind_text(s, 13, why != GR_NONE ? gerr_reason_name(why) : NULL);
  db_bind_text(s, 14, pErr && pErr->field[0] ? pErr->field : NULL);
  db_bind_text(s, 15, pErr ? imp_params_text(c->pAr, pErr->aParam, pErr->nParam) : NULL);
  int rc = db_step(s, e);
  db_done(s);
  if (rc == DB_ERROR || store_errors(c, id, r, e)) goto fail;
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

int impjob_each_error(dom_ctx *c, int64_t id, int nMax, impjob_err_fn xErr, void *pArg, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zErrList, e);
  if (!s) return -1;
  db_bind_int(s, 1, id);
  db_bind_int(s, 2, nMax);
  int rc;
  while ((rc = db_step(s, e)) == DB_ROW) {
    impjob_err x = {db_col_int(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3),
                    db_col_null(s, 4) ? NULL : db_col_text(s, 4), db_col_null(s, 5) ? NULL : db_col_text(s, 5),
                    db_col_null(s, 6) ? NULL : db_col_text(s, 6), db_col_null(s, 7) ? NULL : db_col_text(s, 7)};
    if (xErr(pArg, &x)) break;
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

int impjob_forget_reports(dom_ctx *c, int64_t tBefore, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zForget, e);
  if (!s) return -1;
  db_bind_int(s, 1, tBefore);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}
