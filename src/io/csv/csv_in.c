/* csv_in.c: a whole CSV file into an arena with libcsv (see csv_in.h). */
#include "io/csv/csv_in.h"
#include <csv.h>
#include <nettle/sha2.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct reader {
  arena *a;
  csv_table *p;
  int nFieldMax, nAlloc;
  int nField;              /* fields of the record being read */
  const char **azField;    /* nFieldMax + 1 slots */
  int bTooMany, bNul;
  csv_row_fn xRow;         /* streaming: each record to xRow, fields in a (reset after each) */
  void *pArg;
} reader;

static void on_field(void *s, size_t n, void *pArg) {
  reader *r = pArg;
  if (r->nField >= r->nFieldMax) {
    r->bTooMany = 1;
    r->nField++;
    return;
  }
  const char *z = s ? (const char *)s : "";
  if (s && strlen(z) != n) r->bNul = 1;
  r->azField[r->nField++] = arena_strndup(r->a, z, s ? n : 0);
}

static void on_record(int c, void *pArg) {
  (void)c;
  reader *r = pArg;
  csv_table *p = r->p;
  if (r->bTooMany || r->bNul || p->bStopped) return;   /* reported after the parse stops */
  if (r->xRow) {
    p->nRow++;
    if (r->xRow(r->pArg, p->nRow, r->nField, r->azField)) p->bStopped = 1;
    r->nField = 0;
    arena_reset(r->a);
    return;
  }
  if (p->nRow == r->nAlloc) {
    int nNew = r->nAlloc ? 2 * r->nAlloc : 64;
    int *an = arena_alloc(r->a, (size_t)nNew * sizeof *an);
    const char ***aaz = arena_alloc(r->a, (size_t)nNew * sizeof *aaz);
    if (p->nRow) {
      memcpy(an, p->anField, (size_t)p->nRow * sizeof *an);
      memcpy(aaz, p->aazField, (size_t)p->nRow * sizeof *aaz);
    }
    p->anField = an;
    p->aazField = aaz;
    r->nAlloc = nNew;
  }
  const char **az = arena_alloc(r->a, (size_t)(r->nField ? r->nField : 1) * sizeof *az);
  memcpy(az, r->azField, (size_t)r->nField * sizeof *az);
  p->anField[p->nRow] = r->nField;
  p->aazField[p->nRow] = az;
  p->nRow++;
  r->nField = 0;
}

static int read_csv(arena *a, const char *zPath, int nFieldMax, csv_row_fn xRow, void *pArg, csv_table *p,
                    gerr *e) {
  memset(p, 0, sizeof *p);
  FILE *f = strcmp(zPath, "-") ? fopen(zPath, "rb") : stdin;
  if (!f) return gerr_set(e, GERR_NOT_FOUND, NULL, "cannot open %.200s: %s", zPath, strerror(errno));
  struct csv_parser cp;
  if (csv_init(&cp, CSV_STRICT_FINI | CSV_APPEND_NULL)) {
    if (f != stdin) fclose(f);
    return gerr_set(e, GERR_INTERNAL, NULL, "cannot start the CSV parser");
  }
  p->nSize = -1;
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) p->nSize = (long long)st.st_size;
  const char **azField = xRow ? g_calloc((size_t)nFieldMax + 1, sizeof(char *))
                              : arena_alloc(a, (size_t)(nFieldMax + 1) * sizeof(char *));
  reader r = {a, p, nFieldMax, 0, 0, azField, 0, 0, xRow, pArg};
  char buf[65536];
  size_t n, nTotal = 0;
  struct sha256_ctx sha;   /* nettle: the CPU's SHA instructions, 5x libsodium's portable code */
  sha256_init(&sha);
  int bFirst = 1, rc = 0;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    const char *z = buf;
    sha256_update(&sha, n, (const uint8_t *)buf);
    p->nRead += (long long)n;
    if (bFirst && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
      z += 3;
      n -= 3;
    }
    bFirst = 0;
    nTotal += n;
    if (!xRow && nTotal > CSV_IN_MAX_BYTES) {
      rc = gerr_set(e, GERR_TOO_LARGE, NULL, "%.200s is larger than %zu bytes", zPath, CSV_IN_MAX_BYTES);
      break;
    }
    if (csv_parse(&cp, z, n, on_field, on_record, &r) != n) {
      rc = gerr_set(e, GERR_VALIDATION, NULL, "row %d: not valid CSV (%s)", p->nRow + 1,
                    csv_strerror(csv_error(&cp)));
      break;
    }
    if (r.bTooMany || r.bNul || p->bStopped) break;
  }
  if (p->bStopped) rc = -1;
  if (!rc && ferror(f)) rc = gerr_set(e, GERR_VALIDATION, NULL, "cannot read %.200s", zPath);
  /* Strict at the end only: a quoted field still open is an error, while
   * stray quotes before it were kept as text. */
  if (!rc) csv_set_opts(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  if (!rc && !r.bTooMany && !r.bNul && csv_fini(&cp, on_field, on_record, &r))
    rc = gerr_set(e, GERR_VALIDATION, NULL, "row %d: not valid CSV (%s)", p->nRow + 1,
                  csv_strerror(csv_error(&cp)));
  if (!rc && r.bTooMany)
    rc = gerr_set(e, GERR_VALIDATION, NULL, "row %d: more than %d fields", p->nRow + 1, nFieldMax);
  if (!rc && r.bNul) rc = gerr_set(e, GERR_VALIDATION, NULL, "row %d: contains a NUL byte", p->nRow + 1);
  csv_free(&cp);
  if (f != stdin) fclose(f);
  if (xRow) free(azField);
  uint8_t h[SHA256_DIGEST_SIZE];
  sha256_digest(&sha, sizeof h, h);
  for (size_t i = 0; i < sizeof h; i++) snprintf(p->zSha256 + 2 * i, 3, "%02x", h[i]);
  if (rc) p->iBadRow = p->nRow + 1;
  return rc;
}

int csv_read_file(arena *a, const char *zPath, int nFieldMax, csv_table *p, gerr *e) {
  return read_csv(a, zPath, nFieldMax, NULL, NULL, p, e);
}

int csv_read_rows(const char *zPath, int nFieldMax, csv_row_fn xRow, void *pArg, csv_table *p, gerr *e) {
  arena a;
  arena_init(&a);
  int rc = read_csv(&a, zPath, nFieldMax, xRow, pArg, p, e);
  arena_free(&a);
  return rc;
}
