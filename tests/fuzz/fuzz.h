/* fuzz.h: what every libFuzzer target (tests/fuzz/fuzz_*.c) shares: a
 * private scratch directory (in /dev/shm, removed at exit; its folder tmp/
 * is $TMPDIR, so guild's own temporary files land there), files written into it from the
 * fuzzer's bytes, and a migrated SQLite database holding the deterministic
 * demo region (guild demo's generator, with its five accounts).
 *
 * The targets are built by clang with -fsanitize=fuzzer,address,undefined
 * against the same sources as guild (Makefile: build/fuzz/) and run by
 * tests/fuzz/run.sh; their seed corpora are tests/fuzz/corpus/<name>/. */
#ifndef GUILD_FUZZ_H
#define GUILD_FUZZ_H
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/err.h"
#include "core/mem.h"
#include "store/db.h"
#include "store/schema.h"
#include "domain/engine/entity.h"
#include "domain/demo/demo.h"
#include "domain/demo/demo_accounts.h"

/* Stops the target (a crash libFuzzer reports, with the input) when a
 * property the target checks does not hold. */
#define FUZZ_ASSERT(x)                                                          \
  do {                                                                          \
    if (!(x)) {                                                                 \
      fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__, #x); \
      abort();                                                                  \
    }                                                                           \
  } while (0)

static char fuzz_zDir[256];

static int fuzz_rm_one(const char *zPath, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(zPath);
}

static void fuzz_at_exit(void) {
  if (fuzz_zDir[0]) nftw(fuzz_zDir, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The scratch directory: made on first use, removed at exit. */
static inline const char *fuzz_dir(void) {
  if (fuzz_zDir[0]) return fuzz_zDir;
  snprintf(fuzz_zDir, sizeof fuzz_zDir, "%s/guild-fuzz-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  if (!mkdtemp(fuzz_zDir)) {
    perror("fuzz: mkdtemp");
    exit(1);
  }
  atexit(fuzz_at_exit);
  char zTmp[300];
  snprintf(zTmp, sizeof zTmp, "%s/tmp", fuzz_zDir);
  mkdir(zTmp, 0700);
  setenv("TMPDIR", zTmp, 1);
  return fuzz_zDir;
}

/* Empties folder zSub of the scratch directory (NULL: $TMPDIR, where
 * guild leaves uploads and exports). */
static inline void fuzz_clean(const char *zSub) {
  char z[512];
  snprintf(z, sizeof z, "%s/%s", fuzz_dir(), zSub ? zSub : "tmp");
  nftw(z, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
  mkdir(z, 0700);
}

/* Writes the n bytes at p as file zName (a plain name) of the scratch
 * directory, or of its subdirectory zSub when not NULL (made if missing).
 * Returns the path, in a static buffer of 4 (so up to four paths are held
 * at once). */
static inline const char *fuzz_file(const char *zSub, const char *zName, const uint8_t *p, size_t n) {
  static char azPath[4][512];
  static int i;
  char *z = azPath[i++ % 4];
  if (zSub) {
    snprintf(z, 512, "%s/%s", fuzz_dir(), zSub);
    mkdir(z, 0700);
    snprintf(z, 512, "%s/%s/%s", fuzz_dir(), zSub, zName);
  } else {
    snprintf(z, 512, "%s/%s", fuzz_dir(), zName);
  }
  int fd = open(z, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n)) {
    perror(z);
    exit(1);
  }
  close(fd);
  return z;
}

/* A new migrated database, empty, in the scratch directory. Exits on
 * failure. */
static inline db *fuzz_db(void) {
  char zPath[512];
  snprintf(zPath, sizeof zPath, "%s/guild.db", fuzz_dir());
  dom_init();
  db *p = NULL;
  gerr e;
  int n = 0;
  if (db_open(zPath, 1, &p, &e) || schema_migrate(p, &n, &e)) {
    fprintf(stderr, "fuzz: database: %s\n", e.msg);
    exit(1);
  }
  return p;
}

/* fuzz_db with the demo region of nLearner learners (1000 or more: with its
 * competition editions) and, when aAcc is not NULL, the demo accounts
 * (their passwords in aAcc). Exits on failure. */
static inline db *fuzz_demo_db(int64_t nLearner, demo_account *aAcc) {
  db *p = fuzz_db();
  gerr e;
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(p, &a, "fuzz", 1750000000);
  demo_stats st;
  if (demo_generate(&c, nLearner, 1, NULL, &st, NULL, &e) || (aAcc && demo_accounts(&c, aAcc, &e))) {
    fprintf(stderr, "fuzz: demo: %s\n", e.msg);
    exit(1);
  }
  arena_free(&a);
  return p;
}

#endif
