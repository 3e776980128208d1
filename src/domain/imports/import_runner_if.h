/* import_runner_if.h: the background runner as the imports module sees it.
 * The runner itself is a thread of the jobs layer (src/jobs/import_runner.c);
 * it makes itself known here when it starts (impjob_use_runner), so that the
 * layers above the domain ask the domain about it, not the jobs layer. With
 * no runner (the CLI), the answers are those of an idle runner of no name. */
#ifndef GUILD_IMPORT_RUNNER_IF_H
#define GUILD_IMPORT_RUNNER_IF_H
#include <stdint.h>

typedef struct impjob_runner {
  const char *(*xId)(void);       /* "host:pid": the imports' runner column */
  int64_t (*xCurrent)(void);      /* the import it is running now, or 0 */
  /* When it is running import id now: 1 with the rows done and the share
   * of the file read (0..1; -1 unknown); else 0. */
  int (*xProgress)(int64_t id, int64_t *pnRows, double *pfDone);
  void (*xWake)(void);            /* an import was queued for it */
} impjob_runner;

/* Makes p (static, kept by the caller) the runner; NULL: none. */
void impjob_use_runner(const impjob_runner *p);
/* The runner (never NULL). */
const impjob_runner *impjob_the_runner(void);

#endif
