/* import_runner.c: the background import runner (see import_runner.h). */
#include "jobs/import_runner.h"
#include "domain/imports/import_runner_if.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/imports/import_job.h"
#include "domain/imports/import_kinds.h"
#include "store/schema.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUNNER_POLL_SECONDS 5   /* looks at the queue this often even when not woken */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t thread;
  int bStarted, bStop, bWake;
  db *pDb;                      /* the runner's own connection */
  char zId[128];                /* "host:pid" */
  int64_t idCurrent, nRows;     /* the import running now (0: none) and its progress */
  double fDone;
} R = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Why an import was interrupted: while it ran, or before it started. */
typedef struct interruption {
  greason reason;
  const char *zMsg;
} interruption;
static const interruption kInterruptedRun = {
    GR_IMPORT_STOPPED,
    "interrupted: the server stopped before the import finished; nothing was written (upload the file again)"};
static const interruption kInterruptedWait = {
    GR_IMPORT_NOT_STARTED,
    "interrupted: the server stopped before the import started; nothing was written (upload the file again)"};

const char *import_runner_id(void) { return R.zId; }

int64_t import_runner_current(void) {
  pthread_mutex_lock(&R.mu);
  int64_t id = R.idCurrent;
  pthread_mutex_unlock(&R.mu);
  return id;
}

int import_runner_progress(int64_t id, int64_t *pnRows, double *pfDone) {
  pthread_mutex_lock(&R.mu);
  int bNow = id != 0 && id == R.idCurrent;
  if (bNow) {
    *pnRows = R.nRows;
    *pfDone = R.fDone;
  }
  pthread_mutex_unlock(&R.mu);
  return bNow;
}

/* imp_opts.xProgress: publishes the running import's progress. */
static void on_progress(void *pArg, int nDone, int nTotal, double fDone) {
  (void)pArg;
  (void)nTotal;
  pthread_mutex_lock(&R.mu);
  R.nRows = nDone;
  R.fDone = fDone;
  pthread_mutex_unlock(&R.mu);
}

/* Marks j failed for pWhy (error code "interrupted") and removes its file. */
static void fail_interrupted(dom_ctx *c, const impjob *j, const interruption *pWhy) {
  gerr eWhy, e;
  gerr_setr(&eWhy, GERR_UNAVAILABLE, pWhy->reason, NULL);
  gerr_msg(&eWhy, "%s", pWhy->zMsg);
  c->now = time_now();
  if (impjob_finish(c, j->id, "failed", NULL, &eWhy, "interrupted", &e))
    log_error("import %lld: cannot record its end: %s", (long long)j->id, e.msg);
  if (j->zPath) unlink(j->zPath);
}

/* What imp_opts.xCommit needs: the import and whether its end is recorded. */
typedef struct run_arg {
  dom_ctx *c;
  const impjob *j;
  int bRecorded;
} run_arg;

/* imp_opts.xCommit: records the import done inside its own transaction. */
static int record_done(void *pArg, const imp_result *r, gerr *e) {
  run_arg *a = pArg;
  a->c->now = time_now();
  if (impjob_finish(a->c, a->j->id, "done", r, NULL, NULL, e)) return -1;
  a->bRecorded = 1;
  return 0;
}

/* Runs import j as its uploader, then records the outcome (a success in
 * the import's own transaction, see record_done). */
static void run_one(dom_ctx *c, const impjob *j) {
  gerr e, e2;
  c->zActor = j->zActor;
  c->now = time_now();
  if (impjob_start(c, j->id, &e)) {
    log_error("import %lld: cannot start: %s", (long long)j->id, e.msg);
    return;
  }
  pthread_mutex_lock(&R.mu);
  R.idCurrent = j->id;
  R.nRows = 0;
  R.fDone = 0;
  pthread_mutex_unlock(&R.mu);

  const imp_kind *pKind = imp_kind_find(j->zKind);
  run_arg arg = {c, j, 0};
  imp_opts o = {j->zMap, j->bSkipInvalid, on_progress, &arg, record_done, j->idInstitution, "map", j->zEncoding};
  imp_result res;
  memset(&res, 0, sizeof res);
  int rc = pKind ? pKind->xImport(c, j->zPath, &o, &res, &e)
                 : imp_kind_refuse(j->zKind, &e);   /* a kind of a newer guild's */

  pthread_mutex_lock(&R.mu);
  R.idCurrent = 0;
  int bStopped = R.bStop;
  pthread_mutex_unlock(&R.mu);
  if (bStopped) db_interrupt(c->pDb, 0);   /* import_runner_stop may have interrupted it */
  if (rc && bStopped) {
    fail_interrupted(c, j, &kInterruptedRun);
    log_info("import %lld: interrupted by the server's stop, rolled back", (long long)j->id);
    return;
  }
  if (rc) res.nCreated = res.nUpdated = res.nUnchanged = 0;   /* nothing was written */
  c->now = time_now();
  if (!(rc == 0 && arg.bRecorded) && impjob_finish(c, j->id, rc ? "failed" : "done", &res, rc ? &e : NULL, NULL, &e2))
    log_error("import %lld: cannot record its end: %s", (long long)j->id, e2.msg);
  unlink(j->zPath);
  log_info("import %lld (%s, %s): %s, %d rows", (long long)j->id, j->zKind, j->zActor, rc ? "failed" : "done",
           res.nRow);
}

/* Deletes the error reports older than IMPJOB_REPORT_DAYS. */
static void forget_old_reports(dom_ctx *c) {
  gerr e;
  if (impjob_forget_reports(c, time_now() - (int64_t)IMPJOB_REPORT_DAYS * 86400, &e))
    log_error("imports: cannot delete old error reports: %s", e.msg);
}

/* Runs this runner's queued imports, oldest first, until none is left or
 * the runner is stopping. */
static void drain_queue(arena *pAr) {
  for (;;) {
    pthread_mutex_lock(&R.mu);
    int bStop = R.bStop;
    pthread_mutex_unlock(&R.mu);
    if (bStop) return;
    arena_reset(pAr);
    dom_ctx c = dom_ctx_system(R.pDb, pAr, "import-runner", time_now());
    impjob j;
    gerr e;
    int rc = impjob_next(&c, R.zId, &j, &e);
    if (rc < 0) log_error("imports: cannot read the queue: %s", e.msg);
    if (rc <= 0) return;
    forget_old_reports(&c);
    run_one(&c, &j);
  }
}

static void *runner_main(void *pArg) {
  (void)pArg;
  arena ar;
  arena_init(&ar);
  for (;;) {
    pthread_mutex_lock(&R.mu);
    if (!R.bStop && !R.bWake) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      ts.tv_sec += RUNNER_POLL_SECONDS;
      pthread_cond_timedwait(&R.cv, &R.mu, &ts);
    }
    R.bWake = 0;
    int bStop = R.bStop;
    pthread_mutex_unlock(&R.mu);
    if (bStop) break;
    drain_queue(&ar);
  }
  /* what still waits will not run: fail it, so nobody waits for ever */
  for (;;) {
    arena_reset(&ar);
    dom_ctx c = dom_ctx_system(R.pDb, &ar, "import-runner", time_now());
    impjob j;
    gerr e;
    if (impjob_next(&c, R.zId, &j, &e) <= 0) break;
    fail_interrupted(&c, &j, &kInterruptedWait);
  }
  arena_free(&ar);
  return NULL;
}

/* 1 when runner zRunner ("host:pid") was a process of this host that is
 * gone: another pid that no longer exists, or this very pid (then it was an
 * earlier process: this one has queued nothing yet). */
static int runner_is_dead(const char *zRunner, const char *zHost) {
  const char *zColon = strrchr(zRunner, ':');
  if (!zColon || (size_t)(zColon - zRunner) != strlen(zHost) || strncmp(zRunner, zHost, strlen(zHost))) return 0;
  long pid = strtol(zColon + 1, NULL, 10);
  if (pid <= 0) return 0;
  return pid == (long)getpid() || (kill((pid_t)pid, 0) < 0 && errno == ESRCH);
}

/* Marks failed the imports that a dead process of this host left queued
 * or running (their transaction died with it). */
static int recover(const char *zHost, gerr *e) {
  arena ar;
  arena_init(&ar);
  dom_ctx c = dom_ctx_system(R.pDb, &ar, "import-runner", time_now());
  forget_old_reports(&c);
  impjob *a;
  int n, rc = impjob_unfinished(&c, &a, &n, e);
  for (int i = 0; rc == 0 && i < n; i++) {
    if (!runner_is_dead(a[i].zRunner, zHost)) continue;
    fail_interrupted(&c, &a[i], !strcmp(a[i].zStatus, "running") ? &kInterruptedRun : &kInterruptedWait);
    log_info("import %lld: marked failed (its server %s stopped)", (long long)a[i].id, a[i].zRunner);
  }
  arena_free(&ar);
  return rc;
}

int import_runner_start(const char *zDb, gerr *e) {
  char zHost[64] = "localhost";
  gethostname(zHost, sizeof zHost - 1);
  zHost[sizeof zHost - 1] = 0;
  snprintf(R.zId, sizeof R.zId, "%s:%ld", zHost, (long)getpid());
  if (db_open(zDb, 0, &R.pDb, e) || schema_require_current(R.pDb, e) || recover(zHost, e)) {
    db_close(R.pDb);
    R.pDb = NULL;
    return -1;
  }
  R.bStop = R.bWake = 0;
  if (pthread_create(&R.thread, NULL, runner_main, NULL)) {
    db_close(R.pDb);
    R.pDb = NULL;
    return gerr_set(e, GERR_INTERNAL, NULL, "cannot start the import runner");
  }
  R.bStarted = 1;
  static const impjob_runner self = {import_runner_id, import_runner_current, import_runner_progress,
                                     import_runner_wake};
  impjob_use_runner(&self);   /* the imports module (and the API through it) asks this runner */
  return 0;
}

void import_runner_wake(void) {
  pthread_mutex_lock(&R.mu);
  R.bWake = 1;
  pthread_cond_signal(&R.cv);
  pthread_mutex_unlock(&R.mu);
}

void import_runner_stop(void) {
  if (!R.bStarted) return;
  pthread_mutex_lock(&R.mu);
  R.bStop = 1;
  if (R.idCurrent) db_interrupt(R.pDb, 1);   /* its next statement fails: it rolls back */
  pthread_cond_signal(&R.cv);
  pthread_mutex_unlock(&R.mu);
  pthread_join(R.thread, NULL);
  db_close(R.pDb);
  R.pDb = NULL;
  R.bStarted = 0;
}
