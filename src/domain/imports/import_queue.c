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
      return gerr_set(e, GERR_CONFLICT, NULL, "import %lld is being written and SQLite writes one thing at a time: "
                      "upload again when it has ended", (long long)idRunning);
  }
  int64_t nWaiting = 0;
  if (impjob_count_queued(c, zRunner, &nWaiting, e)) return -1;
  if (nWaiting >= IMPJOB_QUEUE_MAX)
    return gerr_set(e, GERR_TOO_MANY, NULL, "%lld imports are waiting on this server; try again when one has ended",
                    (long long)nWaiting);
  return 0;
}
