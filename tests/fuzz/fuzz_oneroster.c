/* fuzz_oneroster.c: the OneRoster reader (src/io/oneroster/ for the files
 * and the .zip, src/domain/imports/oneroster_*.c for the manifest, the
 * headers, every file's rows and their upserts, tobedeleted, roles and
 * enrollments): the fuzzer's bytes are one OneRoster set, imported by
 * oneroster_import into a database that already holds guild's bulk test
 * set (tests/data/oneroster/bulk, imported at start), so that a delta set
 * meets the records it names.
 *
 * Input: a .zip when it begins with "PK" (imported as it is); otherwise
 * files, each starting with a line "=== NAME" (NAME: letters and dots,
 * e.g. manifest.csv), written into a folder that is imported. Bytes before
 * the first such line are ignored; byte 0 bit 0 of the whole input is
 * --skip-invalid (a line "=== " starting the input has bit 0 set, so the
 * seeds made from the test sets skip invalid rows).
 *
 * Each import runs in a transaction rolled back after it. Properties: a
 * committed import reports no error unless invalid rows were to be skipped,
 * a refused one says it is the set's fault (4xx), each error names a row
 * and a reason, and a set imported again right after it commits creates
 * nothing more. (Not in row order, although oneroster.h says "in file
 * order": the manifest's own checks, such as a missing oneroster.version,
 * are reported after its rows'.) */
#include "fuzz.h"
#include "domain/imports/oneroster.h"

static db *pDb;

/* One import of zPath; returns its answer after checking the properties. */
static int run(dom_ctx *c, const char *zPath, const or_opts *o, or_result *r) {
  gerr e;
  gerr_clear(&e);
  int rc = oneroster_import(c, zPath, o, r, &e);
  FUZZ_ASSERT(db_depth(pDb) == 1);
  FUZZ_ASSERT((rc == 0) == (r->bCommitted != 0));
  if (getenv("GUILD_FUZZ_DEBUG")) fprintf(stderr, "oneroster: %d %s\n", rc, rc ? e.msg : "committed");
  if (rc) {
    if (gerr_status(e.code) >= 500) fprintf(stderr, "oneroster: %s: %s\n", gerr_name(e.code), e.msg);
    FUZZ_ASSERT(gerr_status(e.code) >= 400 && gerr_status(e.code) < 500);
  }
  for (int f = 0; f < OR__NFILE && getenv("GUILD_FUZZ_DEBUG"); f++)
    for (int i = 0; i < r->anErr[f]; i++)
      fprintf(stderr, "  %s row %d %s '%s': %s\n", oneroster_file_names[f], r->aErr[f][i].iRow, r->aErr[f][i].zColumn,
              r->aErr[f][i].zValue, r->aErr[f][i].zReason);
  for (int f = 0; f < OR__NFILE; f++) {
    FUZZ_ASSERT(rc || o->bSkipInvalid || r->anErr[f] == 0);
    for (int i = 0; i < r->anErr[f]; i++) FUZZ_ASSERT(r->aErr[f][i].iRow >= 1 && r->aErr[f][i].zReason[0]);
  }
  return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  pDb = fuzz_db();
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(pDb, &a, "fuzz", 1750000000);
  or_result r;
  gerr e;
  const char *zSet = getenv("GUILD_FUZZ_ONEROSTER");   /* run.sh points at the test set */
  if (!zSet) zSet = "tests/data/oneroster/bulk";
  if (oneroster_import(&c, zSet, NULL, &r, &e)) {
    fprintf(stderr, "fuzz_oneroster: importing %s: %s\n", zSet, e.msg);
    exit(1);
  }
  arena_free(&a);
  return 0;
}

/* 1 when the n bytes at z are a file name this target writes. */
static int name_ok(const char *z, size_t n) {
  if (n == 0 || n > 64 || z[0] == '.') return 0;
  for (size_t i = 0; i < n; i++)
    if (!((z[i] >= 'a' && z[i] <= 'z') || (z[i] >= 'A' && z[i] <= 'Z') || z[i] == '.')) return 0;
  return 1;
}

/* Writes the files of the input into folder "set"; returns its path. */
static const char *write_set(const uint8_t *data, size_t size) {
  static const char zMark[] = "=== ";
  fuzz_clean("set");
  const char *p = (const char *)data, *pEnd = p + size;
  const char *zStart = NULL;
  if (size >= 4 && memcmp(p, zMark, 4) == 0) zStart = p;
  else zStart = memmem(p, size, "\n=== ", 5) ? (const char *)memmem(p, size, "\n=== ", 5) + 1 : NULL;
  while (zStart) {
    const char *zName = zStart + 4, *zEol = memchr(zName, '\n', (size_t)(pEnd - zName));
    if (!zEol) break;
    size_t nName = (size_t)(zEol - zName);
    if (nName && zName[nName - 1] == '\r') nName--;
    const char *zBody = zEol + 1;
    const char *zNext = memmem(zBody, (size_t)(pEnd - zBody), "\n=== ", 5);
    const char *zBodyEnd = zNext ? zNext + 1 : pEnd;
    if (name_ok(zName, nName)) {
      char zFile[72];
      snprintf(zFile, sizeof zFile, "%.*s", (int)nName, zName);
      fuzz_file("set", zFile, (const uint8_t *)zBody, (size_t)(zBodyEnd - zBody));
    }
    zStart = zNext ? zNext + 1 : NULL;
  }
  static char zDir[512];
  snprintf(zDir, sizeof zDir, "%s/set", fuzz_dir());
  return zDir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *zPath;
  if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
    zPath = fuzz_file(NULL, "set.zip", data, size);
  } else {
    zPath = write_set(data, size);
  }
  or_opts o;
  memset(&o, 0, sizeof o);
  o.bSkipInvalid = data[0] & 1;
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(pDb, &a, "fuzz", 1750000000);
  gerr e;
  FUZZ_ASSERT(db_begin(pDb, &e) == 0);
  or_result r;
  if (run(&c, zPath, &o, &r) == 0) {
    or_result r2;
    FUZZ_ASSERT(run(&c, zPath, &o, &r2) == 0);
    for (int f = 1; f < OR__NFILE; f++) FUZZ_ASSERT(r2.aCount[f].nCreated == 0);
  }
  db_rollback(pDb);
  fuzz_clean(NULL);
  arena_free(&a);
  return 0;
}
