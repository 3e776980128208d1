/* cmd_demo.c: `guild demo`: creates the database if needed, migrates it and
 * fills it with the deterministic demo region (src/domain/demo.c). */
#include "cli.h"
#include "../core/timeutil.h"
#include "../domain/demo.h"
#include "../store/schema.h"
#include <stdio.h>
#include <unistd.h>

static void progress(int64_t nDone, int64_t nTotal) {
  if (isatty(STDERR_FILENO)) fprintf(stderr, "\rdemo: %lld of %lld learners", (long long)nDone, (long long)nTotal);
}

int cmd_demo(int argc, char **argv) {
  const char *azVal[5] = {0};
  int nPos, rc = cli_parse("demo", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  int64_t nLearner = 2000, seed = 1;
  if (azVal[1] && (rc = cli_int("demo", "learners", azVal[1], 0, 100000000, &nLearner))) return rc;
  if (azVal[2] && (rc = cli_int("demo", "seed", azVal[2], 0, INT64_MAX, &seed))) return rc;
  const char *zPath = cli_db_path(azVal[0]);
  gerr e;
  db *p = NULL;
  int nApplied;
  if (db_open(zPath, 1, &p, &e) || schema_migrate(p, &nApplied, &e)) {
    db_close(p);
    return cli_fail(&e);
  }
  /* a large page cache keeps the random index inserts of a big demo in memory */
  if (db_exec(p, "PRAGMA cache_size = -262144", &e)) {
    db_close(p);
    return cli_fail(&e);
  }
  dom_init();
  arena a;
  arena_init(&a);
  dom_ctx c = {p, &a, "demo", time_now()};
  demo_stats st;
  int64_t t0 = time_mono_us();
  rc = demo_generate(&c, nLearner, (uint64_t)seed, &st, progress, &e);
  if (isatty(STDERR_FILENO) && nLearner >= 50000) fputc('\n', stderr);
  arena_free(&a);
  dom_shutdown();
  db_close(p);
  if (rc) return cli_fail(&e);
  printf("demo: %s: %lld areas, %lld institutions, %lld programs, %lld cohorts, %lld trainers, %lld learners, "
         "%lld enrollments in %.1f s (seed %lld)\n",
         zPath, (long long)st.nArea, (long long)st.nInstitution, (long long)st.nProgram, (long long)st.nCohort,
         (long long)st.nTrainer, (long long)st.nLearner, (long long)st.nEnrollment,
         (double)(time_mono_us() - t0) / 1e6, (long long)seed);
  return CLI_OK;
}
