/* import_queue.c: whether an upload may join the imports waiting for a
 * server's runner (see impjob_may_queue in import_job.h). */
#include "domain/imports/import_job.h"

int impjob_may_queue(dom_ctx *c, const char *zRunner, int64_t idRunning, gerr *e) {
  /* On an engine that writes one transaction at a time, a running import is
   * one long transaction: queuing another would wait for it (and time out).
   * One whose end is committed (it records it in its own transaction) is
   * only closing. */
  if (idRunning && db_one_writer(c->pDb)) {
    impjob cur;
    int rcGet = impjob_get(c, idRunning, &cur, e);
    if (rcGet && e->code != GERR_NOT_FOUND) return -1;
    if (rcGet || !cur.finished_at)
      return gerr_setr(e, GERR_CONFLICT, GR_IMPORT_BUSY, NULL, GP_I("id", idRunning));
  }
  int64_t nWaiting = 0;
  if (impjob_count_queued(c, zRunner, &nWaiting, e)) return -1;
  if (nWaiting >= IMPJOB_QUEUE_MAX)
    return gerr_setr(e, GERR_TOO_MANY, GR_IMPORTS_WAITING, NULL, GP_I("count", nWaiting));
  return 0;
}
