/* import_runner_if.c: which background runner the imports module talks to
 * (see import_runner_if.h), and the idle one when there is none. */
#include "domain/imports/import_runner_if.h"
#include <stdatomic.h>
#include <stddef.h>

static const char *idle_id(void) { return ""; }
static int64_t idle_current(void) { return 0; }
static int idle_progress(int64_t id, int64_t *pnRows, double *pfDone) {
  (void)id, (void)pnRows, (void)pfDone;
  return 0;
}
static void idle_wake(void) {}

static const impjob_runner idle = {idle_id, idle_current, idle_progress, idle_wake};
static _Atomic(const impjob_runner *) pRunner;

void impjob_use_runner(const impjob_runner *p) { atomic_store(&pRunner, p); }

const impjob_runner *impjob_the_runner(void) {
  const impjob_runner *p = atomic_load(&pRunner);
  return p ? p : &idle;
}
