/* cmd_demo.c: `guild demo`: creates the database if needed, migrates it and
 * fills it with the deterministic demo region (src/domain/demo/demo.c). */
#include "cli/clidb.h"
#include "core/timeutil.h"
#include "domain/demo/demo.h"
#include "domain/demo/demo_accounts.h"
#include "store/schema.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void progress(int64_t nDone, int64_t nTotal) {
  if (isatty(STDERR_FILENO)) fprintf(stderr, "\rdemo: %lld of %lld learners", (long long)nDone, (long long)nTotal);
}

/* Creates the demo accounts and prints them with their passwords. */
static int print_demo_accounts(dom_ctx *c, gerr *e) {
  demo_account a[DEMO_ACCOUNTS];
  if (demo_accounts(c, a, e)) return -1;
  printf("demo accounts (one-time passwords, shown once: each is changed at the first sign-in):\n");
  for (int i = 0; i < DEMO_ACCOUNTS; i++)
    if (a[i].zPassword[0]) printf("  %-8s %-18s %s\n", a[i].zUser, a[i].zRole, a[i].zPassword);
  return 0;
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
  if (db_open(zPath, 1, &p, &e) || dom_migrate(p, &nApplied, &e)) {
    db_close(p);
    return cli_fail(&e);
  }
  /* a large page cache keeps the random index inserts of a big demo in memory */
  if (db_cache_size(p, 256, &e)) {
    db_close(p);
    return cli_fail(&e);
  }
  dom_init();
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(p, &a, "demo", time_now());
  demo_stats st;
  int64_t t0 = time_mono_us();
  comp_demo_spec extra = {2030, 0, 0, 0, 0, "published", 100}, *pExtra = NULL;
  const char *zExtra = cli_get("demo", azVal, "bench-edition");
  if (zExtra) {
    if (sscanf(zExtra, "%d,%d,%d,%d", &extra.nCategory, &extra.nCompetitor, &extra.nAspect, &extra.nJudge) != 4 ||
        extra.nCategory < 1 || extra.nCategory > 1000 || extra.nCompetitor < extra.nCategory ||
        extra.nCompetitor > nLearner || extra.nAspect < 5 || extra.nAspect > 500 || extra.nJudge < 1 ||
        extra.nJudge > 16) {
      fprintf(stderr, "guild demo: --bench-edition is CATEGORIES,COMPETITORS,ASPECTS,JUDGES (competitors at most "
                      "--learners, aspects 5..500, judges 1..16)\n");
      db_close(p);
      return CLI_USAGE;
    }
    pExtra = &extra;
  }
  rc = demo_generate(&c, nLearner, (uint64_t)seed, pExtra, &st, progress, &e);
  if (isatty(STDERR_FILENO) && nLearner >= 50000) fputc('\n', stderr);
  if (rc == 0) {
    printf("demo: %s: %lld areas, %lld institutions, %lld programs, %lld cohorts, %lld trainers, %lld learners, "
           "%lld enrollments in %.1f s (seed %lld)\n",
           zPath, (long long)st.nArea, (long long)st.nInstitution, (long long)st.nProgram, (long long)st.nCohort,
           (long long)st.nTrainer, (long long)st.nLearner, (long long)st.nEnrollment,
           (double)(time_mono_us() - t0) / 1e6, (long long)seed);
    if (st.nEdition) printf("demo: %lld competition editions%s", (long long)st.nEdition, pExtra ? "" : "\n");
    if (pExtra) printf(" (the benchmark edition is %lld)\n", (long long)st.idExtraEdition);
    rc = print_demo_accounts(&c, &e);
  }
  arena_free(&a);
  dom_shutdown();
  db_close(p);
  return rc ? cli_fail(&e) : CLI_OK;
}
