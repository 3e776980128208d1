/* import_runner.h: the server's background import runner: one thread with
 * its own database connection that runs this process's queued imports
 * (src/domain/imports/import_job.h) one after another, oldest first. The queue is the
 * imports table itself (rows whose runner is this process), so the runner
 * only needs waking.
 *
 * Stopping (SIGTERM) interrupts a running import: it rolls back its one
 * transaction (nothing is written) and is marked failed ("interrupted");
 * the imports still waiting are marked failed the same way. An import left
 * queued or running by a process that died (kill -9, a crash) on this host
 * is marked failed when a server starts here again. Uploaded files are
 * removed once their import has finished or failed. */
#ifndef GUILD_IMPORT_RUNNER_H
#define GUILD_IMPORT_RUNNER_H
#include <stdint.h>
#include "core/err.h"

/* Starts the runner on database zDb (its own connection), after marking
 * the dead imports of this host failed. 0, or -1 with e. */
int import_runner_start(const char *zDb, gerr *e);
/* Interrupts the running import, fails the queued ones and joins the
 * thread. Does nothing when the runner was not started. */
void import_runner_stop(void);
/* Tells the runner an import was queued. */
void import_runner_wake(void);
/* This process's runner name, "host:pid" (the imports' runner column). */
const char *import_runner_id(void);
/* The import this process is running now, or 0. */
int64_t import_runner_current(void);
/* When this process is running import id now: 1 with the rows done and
 * the share of the file's bytes read (0..1; -1 unknown); else 0. */
int import_runner_progress(int64_t id, int64_t *pnRows, double *pfDone);

#endif
