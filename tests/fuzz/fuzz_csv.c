/* fuzz_csv.c: the CSV reader (src/io/csv/): the fuzzer's bytes are a CSV
 * file, read the three ways guild reads one (csv_read_file into an arena,
 * csv_read_rows row by row, csv_read_each on its parsing thread), which
 * must agree on every row, the answer, the bad row and the digest; a file
 * that is read is then written back with the CSV writer (csv_out_text) and
 * read again, which must give the same rows (what an export, reimported,
 * gives back). The file's size modulo 4 chooses how its bytes are read:
 * UTF-8, or converted from UTF-16, WINDOWS-1252 or GB18030 (csv_opts; the
 * round trip is of UTF-8 files). Seeds: csv-spectrum and guild's own
 * import files. */
#include "fuzz.h"
#include "core/buf.h"
#include "io/csv/csv_in.h"
#include "io/csv/csv_out.h"
#include <unistr.h>

#define NFIELD_MAX 50

/* The rows of a streamed read, copied into an arena. */
typedef struct rows {
  arena *a;
  int n, nAlloc;
  int *anField;
  const char ***aazField;
} rows;

static int on_row(void *pArg, int iRow, int nField, const char **azField) {
  rows *p = pArg;
  FUZZ_ASSERT(iRow == p->n + 1);
  if (p->n == p->nAlloc) {
    int nNew = p->nAlloc ? 2 * p->nAlloc : 16;
    int *an = arena_alloc(p->a, (size_t)nNew * sizeof *an);
    const char ***aaz = arena_alloc(p->a, (size_t)nNew * sizeof *aaz);
    if (p->n) {
      memcpy(an, p->anField, (size_t)p->n * sizeof *an);
      memcpy(aaz, p->aazField, (size_t)p->n * sizeof *aaz);
    }
    p->anField = an;
    p->aazField = aaz;
    p->nAlloc = nNew;
  }
  const char **az = arena_alloc(p->a, (size_t)(nField ? nField : 1) * sizeof *az);
  for (int j = 0; j < nField; j++) az[j] = arena_strdup(p->a, azField[j]);
  p->anField[p->n] = nField;
  p->aazField[p->n++] = az;
  return 0;
}

/* Asserts that n rows (anField, aazField) are those of p. */
static void same_rows(const rows *p, int n, const int *anField, const char ***aazField) {
  FUZZ_ASSERT(p->n == n);
  for (int i = 0; i < n; i++) {
    FUZZ_ASSERT(p->anField[i] == anField[i]);
    for (int j = 0; j < anField[i]; j++) FUZZ_ASSERT(strcmp(p->aazField[i][j], aazField[i][j]) == 0);
  }
}

/* Writes table t with the CSV writer and reads it back: the same rows.
 * Not compared: tables with a record of one empty field (written as an
 * empty line, which the reader skips as blank), those whose first field
 * begins with a byte order mark (the reader skips one at the start; guild
 * writes its headers in ASCII), and those with a field that is not UTF-8
 * (guild writes only UTF-8; the reader takes bytes such as FF FE at the
 * start for UTF-16). */
static void round_trip(arena *a, const csv_table *t) {
  if (t->nRow && t->anField[0] && strncmp(t->aazField[0][0], "\xEF\xBB\xBF", 3) == 0) return;
  for (int i = 0; i < t->nRow; i++) {
    if (t->anField[i] == 1 && !t->aazField[i][0][0]) return;
    for (int j = 0; j < t->anField[i]; j++) {
      const uint8_t *z = (const uint8_t *)t->aazField[i][j];
      if (u8_check(z, strlen((const char *)z))) return;
    }
  }
  gbuf b;
  gbuf_init(&b, (size_t)64 << 20);
  for (int i = 0; i < t->nRow; i++)
    for (int j = 0; j < t->anField[i]; j++) FUZZ_ASSERT(csv_out_text(&b, t->aazField[i][j], j == t->anField[i] - 1) == 0);
  const char *zPath = fuzz_file(NULL, "again.csv", (const uint8_t *)b.z, b.n);
  csv_table t2;
  gerr e;
  int rc = csv_read_file(a, zPath, NFIELD_MAX, &t2, &e);
  if (rc) fprintf(stderr, "round trip: %s\n", e.msg);
  FUZZ_ASSERT(rc == 0);
  rows r = {a, t->nRow, t->nRow, t->anField, t->aazField};
  same_rows(&r, t2.nRow, t2.anField, t2.aazField);
  gbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *zPath = fuzz_file(NULL, "in.csv", data, size);
  arena a;
  arena_init(&a);
  csv_table t, t2, t3;
  gerr e, e2, e3;
  gerr_clear(&e);
  gerr_clear(&e2);
  gerr_clear(&e3);
  static const char *const azEnc[4] = {NULL, "UTF-16", "WINDOWS-1252", "GB18030"};
  csv_opts o = {azEnc[size % 4]};
  int rc = csv_read_file_opts(&a, zPath, &o, NFIELD_MAX, &t, &e);
  rows r2 = {&a, 0, 0, NULL, NULL}, r3 = {&a, 0, 0, NULL, NULL};
  int rc2 = csv_read_rows(zPath, &o, NFIELD_MAX, on_row, &r2, &t2, &e2);
  int rc3 = csv_read_each(zPath, &o, NFIELD_MAX, on_row, &r3, &t3, &e3);
  FUZZ_ASSERT(rc == rc2 && rc == rc3);
  FUZZ_ASSERT(e.code == e2.code && e.code == e3.code);
  FUZZ_ASSERT(strcmp(t.zSha256, t2.zSha256) == 0 && strcmp(t.zSha256, t3.zSha256) == 0);
  FUZZ_ASSERT(t2.nRead == (long long)size && t3.nRead == (long long)size);
  FUZZ_ASSERT(!t2.bStopped && !t3.bStopped);
  if (rc) {
    FUZZ_ASSERT(e.code == GERR_VALIDATION);
    FUZZ_ASSERT(t.iBadRow >= 1 && t.iBadRow == t2.iBadRow && t.iBadRow == t3.iBadRow);
    FUZZ_ASSERT(r2.n == t.iBadRow - 1 && r3.n == r2.n);   /* every row before the bad one was handed over */
  } else {
    same_rows(&r2, t.nRow, t.anField, t.aazField);
    same_rows(&r3, t.nRow, t.anField, t.aazField);
    if (!o.zEncoding) round_trip(&a, &t);
  }
  arena_free(&a);
  return 0;
}
