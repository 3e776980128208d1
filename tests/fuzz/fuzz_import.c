/* fuzz_import.c: the import row pipeline (src/domain/imports/: header
 * mapping, cells, lookups, dom_check, batches, upserts, deferred indexes):
 * the fuzzer's bytes are one import, run through the real importer into a
 * SQLite database holding the demo region (100 learners).
 *
 * Input: byte 0 chooses the import: bit 0 the kind (imp_kinds: persons,
 * enrollments), bit 1 --skip-invalid, bits 2-3 the institution it is
 * confined to (0: none; else institution 1..3), bit 4 a map: then the
 * bytes up to the first newline are the map ("Student ID=sourced_id,..."),
 * bits 5-6 the file's encoding (UTF-8, UTF-16, WINDOWS-1252, GB18030).
 * The rest is the CSV file.
 *
 * Each import runs inside an outer transaction that is rolled back after
 * it, so every input meets the same database (the importer's own
 * transaction is then a savepoint; SQLite keeps foreign keys on inside a
 * transaction, which the importer's bulk mode would turn off: its writes
 * are checked once more). Properties: every data row is counted once
 * (created, updated, unchanged or invalid), errors come in row order, an
 * import that committed without --skip-invalid had no error, and the
 * same file imported again right after it commits writes nothing new (as
 * docs/import.md promises). */
#include "fuzz.h"
#include "domain/imports/import_kinds.h"

static db *pDb;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  pDb = fuzz_demo_db(100, NULL);
  return 0;
}

/* Runs one import of zPath; returns its answer. */
static int run(dom_ctx *c, const imp_kind *k, const char *zPath, const imp_opts *o, imp_result *r, gerr *e) {
  gerr_clear(e);
  int rc = k->xImport(c, zPath, o, r, e);
  FUZZ_ASSERT(db_depth(pDb) == 1);   /* the importer ended its own transaction */
  FUZZ_ASSERT(rc == 0 || rc == -1);
  FUZZ_ASSERT((rc == 0) == (r->bCommitted != 0));
  if (rc == 0) {
    FUZZ_ASSERT(r->nCreated + r->nUpdated + r->nUnchanged + r->nInvalid == r->nRow);
    FUZZ_ASSERT(o->bSkipInvalid || r->nErr == 0);
  } else {
    FUZZ_ASSERT(gerr_status(e->code) >= 400 && gerr_status(e->code) < 500);   /* the file's fault, not guild's */
  }
  for (int i = 1; i < r->nErr; i++) FUZZ_ASSERT(r->aErr[i - 1].iRow <= r->aErr[i].iRow);
  for (int i = 0; i < r->nErr; i++) FUZZ_ASSERT(r->aErr[i].zColumn && r->aErr[i].zValue && r->aErr[i].zReason);
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned flags = data[0];
  data++;
  size--;
  arena a;
  arena_init(&a);
  imp_opts o;
  memset(&o, 0, sizeof o);
  o.bSkipInvalid = (flags >> 1) & 1;
  o.idScope = (flags >> 2) & 3;
  static const char *const azEnc[4] = {NULL, "UTF-16", "WINDOWS-1252", "GB18030"};
  o.zEncoding = azEnc[(flags >> 5) & 3];
  if (flags & 16) {
    const uint8_t *pEnd = memchr(data, '\n', size);
    size_t n = pEnd ? (size_t)(pEnd - data) : size;
    if (memchr(data, 0, n)) {
      arena_free(&a);
      return 0;   /* a map is C text */
    }
    o.zMap = arena_strndup(&a, (const char *)data, n);
    data += pEnd ? n + 1 : n;
    size -= pEnd ? n + 1 : n;
  }
  const imp_kind *k = &imp_kinds[(flags & 1) % imp_nkinds];
  const char *zPath = fuzz_file(NULL, "import.csv", data, size);
  dom_ctx c = dom_ctx_system(pDb, &a, "fuzz", 1750000000);
  gerr e;
  FUZZ_ASSERT(db_begin(pDb, &e) == 0);
  imp_result r;
  int rc = run(&c, k, zPath, &o, &r, &e);
  if (getenv("GUILD_FUZZ_DEBUG"))
    fprintf(stderr, "import %s: rc %d (%s) rows %d created %d updated %d unchanged %d invalid %d errors %d%s%s\n",
            k->zName, rc, rc ? e.msg : "", r.nRow, r.nCreated, r.nUpdated, r.nUnchanged, r.nInvalid, r.nErr,
            r.nErr ? ", first: " : "", r.nErr ? r.aErr[0].zReason : "");
  if (rc == 0) {
    imp_result r2;
    FUZZ_ASSERT(run(&c, k, zPath, &o, &r2, &e) == 0);
    FUZZ_ASSERT(r2.nRow == r.nRow && r2.nCreated == 0 && r2.nUpdated == 0);
    FUZZ_ASSERT(strcmp(r2.zDigest, r.zDigest) == 0);
  }
  db_rollback(pDb);
  FUZZ_ASSERT(db_depth(pDb) == 0);
  arena_free(&a);
  return 0;
}
