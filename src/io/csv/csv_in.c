/* csv_in.c: a whole CSV file into an arena with libcsv (see csv_in.h);
 * bytes in another encoding are converted to UTF-8 on the way with glibc's
 * iconv, and a UTF-16 or UTF-32 file read as UTF-8 is recognised and
 * named. */
#include "io/csv/csv_in.h"
#include <csv.h>
#include <nettle/sha2.h>
#include <errno.h>
#include <iconv.h>
#include <strings.h>
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

/* 1 when zEncoding names UTF-8 itself (nothing to convert). */
static int is_utf8_name(const char *z) { return !z || !strcasecmp(z, "UTF-8") || !strcasecmp(z, "UTF8"); }

int csv_check_encoding(const char *zEncoding, gerr *e) {
  if (is_utf8_name(zEncoding)) return 0;
  iconv_t cd = iconv_open("UTF-8", zEncoding);
  if (cd == (iconv_t)-1)
  {
    gerr_setr(e, GERR_USAGE, GR_ENCODING_UNKNOWN, "encoding", GP_S("got", zEncoding));
    return gerr_msg(e, "encoding: '%.40s' is not an encoding guild can convert (e.g. UTF-16, WINDOWS-1252, GB18030; "
                       "`iconv -l` lists them all)", zEncoding);
  }
  iconv_close(cd);
  return 0;
}

/* The encoding the start of a file (n bytes) shows it is in when that is
 * UTF-16 or UTF-32: by its byte-order mark, or by NUL bytes in every other
 * place (ASCII text in UTF-16). *pzWhat describes it. NULL: neither. */
static const char *looks_wide(const unsigned char *z, size_t n, const char **pzWhat) {
  if (n >= 4 && !memcmp(z, "\xFF\xFE\0\0", 4)) return *pzWhat = "UTF-32 (little-endian, with a byte-order mark)", "UTF-32";
  if (n >= 4 && !memcmp(z, "\0\0\xFE\xFF", 4)) return *pzWhat = "UTF-32 (big-endian, with a byte-order mark)", "UTF-32";
  if (n >= 2 && z[0] == 0xFF && z[1] == 0xFE) return *pzWhat = "UTF-16 (little-endian, with a byte-order mark)", "UTF-16";
  if (n >= 2 && z[0] == 0xFE && z[1] == 0xFF) return *pzWhat = "UTF-16 (big-endian, with a byte-order mark)", "UTF-16";
  size_t m = n < 4096 ? n : 4096, nEven = 0, nOdd = 0;
  for (size_t i = 0; i + 1 < m; i += 2) nEven += z[i] == 0, nOdd += z[i + 1] == 0;
  size_t nPair = m / 2;
  if (nPair >= 2 && nOdd * 10 >= nPair * 3 && nEven * 20 <= nPair) return *pzWhat = "UTF-16 (little-endian)", "UTF-16LE";
  if (nPair >= 2 && nEven * 10 >= nPair * 3 && nOdd * 20 <= nPair) return *pzWhat = "UTF-16 (big-endian)", "UTF-16BE";
  return NULL;
}

const char *csv_guess_encoding(const char *z) {
  const unsigned char *p = (const unsigned char *)z;
  /* GB2312's two-byte characters (the Chinese of GB18030 files): both bytes 0xA1..0xFE */
  int bGb = 0, bGbOnly = 1;
  for (size_t i = 0; p[i]; i++) {
    if (p[i] < 0x80) continue;
    if (p[i] >= 0xA1 && p[i] <= 0xF7 && p[i + 1] >= 0xA1 && p[i + 1] <= 0xFE) {
      bGb = 1;
      i++;
    } else {
      bGbOnly = 0;
    }
  }
  if (bGb && bGbOnly) return "GB18030";
  /* Windows-1252: every byte a character but these five */
  for (size_t i = 0; p[i]; i++)
    if (p[i] == 0x81 || p[i] == 0x8D || p[i] == 0x8F || p[i] == 0x90 || p[i] == 0x9D) return NULL;
  return "WINDOWS-1252";
}

#define CONV_OUT (3 * 65536 + 64)   /* UTF-8 of 64 KiB of input: at most three bytes per input byte */

static int read_csv(arena *a, const char *zPath, const csv_opts *o, int nFieldMax, csv_row_fn xRow, void *pArg,
                    csv_table *p, gerr *e) {
  memset(p, 0, sizeof *p);
  const char *zEnc = o && !is_utf8_name(o->zEncoding) ? o->zEncoding : NULL;
  iconv_t cd = (iconv_t)-1;
  if (zEnc && (cd = iconv_open("UTF-8", zEnc)) == (iconv_t)-1) return csv_check_encoding(zEnc, e);
  FILE *f = strcmp(zPath, "-") ? fopen(zPath, "rb") : stdin;
  if (!f) {
    if (cd != (iconv_t)-1) iconv_close(cd);
    int nErr = errno;
    gerr_setr(e, GERR_NOT_FOUND, GR_CANNOT_OPEN, NULL, GP_S("path", zPath));
    return gerr_msg(e, "cannot open %.200s: %s", zPath, strerror(nErr));
  }
  struct csv_parser cp;
  if (csv_init(&cp, CSV_STRICT_FINI | CSV_APPEND_NULL)) {
    if (f != stdin) fclose(f);
    if (cd != (iconv_t)-1) iconv_close(cd);
    return gerr_set(e, GERR_INTERNAL, NULL, "cannot start the CSV parser");
  }
  p->nSize = -1;
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) p->nSize = (long long)st.st_size;
  const char **azField = xRow ? g_calloc((size_t)nFieldMax + 1, sizeof(char *))
                              : arena_alloc(a, (size_t)(nFieldMax + 1) * sizeof(char *));
  reader r = {a, p, nFieldMax, 0, 0, azField, 0, 0, xRow, pArg};
  char buf[65536 + 16];
  char *zConv = cd != (iconv_t)-1 ? g_malloc(CONV_OUT) : NULL;
  size_t n, nLeft = 0, nTotal = 0;   /* nLeft: bytes of a character cut by the end of the last read */
  struct sha256_ctx sha;   /* nettle: the CPU's SHA instructions, 5x libsodium's portable code */
  sha256_init(&sha);
  int bFirst = 1, bBomChecked = 0, rc = 0;
  long long nIllegalAt = 0;   /* a byte not of the encoding: where (1-based) */
  while (!rc && (n = fread(buf + nLeft, 1, sizeof buf - 16 - nLeft, f)) > 0) {
    sha256_update(&sha, n, (const uint8_t *)buf + nLeft);
    p->nRead += (long long)n;
    const char *zWhat;
    if (bFirst && !zConv && (p->zLooksLike = looks_wide((const unsigned char *)buf, n, &zWhat))) {
      gerr_setr(e, GERR_VALIDATION, GR_FILE_WIDE, NULL, GP_S("encoding", p->zLooksLike));
      rc = gerr_msg(e, "row 1: the file is %s, not UTF-8", zWhat);
      break;
    }
    bFirst = 0;
    /* the bytes to parse: as read, or converted (in rounds when the output fills) */
    char *zIn = buf;
    size_t nIn = nLeft + n;
    nLeft = 0;
    for (int bMore = 1; bMore && !rc;) {
      const char *z = buf;
      size_t nz = nIn;
      bMore = 0;
      if (zConv) {
        char *zOut = zConv;
        size_t nOut = CONV_OUT;
        size_t k = iconv(cd, &zIn, &nIn, &zOut, &nOut);
        if (k == (size_t)-1 && errno == E2BIG) bMore = 1;
        else if (k == (size_t)-1 && errno == EINVAL) {   /* a character continues in the next read */
          memmove(buf, zIn, nIn);
          nLeft = nIn;
        } else if (k == (size_t)-1) {   /* parse what came before it, then name its row */
          nIllegalAt = p->nRead - (long long)nIn + 1;
        }
        z = zConv;
        nz = (size_t)(zOut - zConv);
      }
      if (!bBomChecked && nz >= 3) {
        bBomChecked = 1;
        if (!memcmp(z, "\xEF\xBB\xBF", 3)) z += 3, nz -= 3;
      }
      nTotal += nz;
      if (!xRow && nTotal > CSV_IN_MAX_BYTES) {
        gerr_setr(e, GERR_TOO_LARGE, GR_FILE_TOO_LARGE, NULL, GP_I("max", CSV_IN_MAX_BYTES));
        rc = gerr_msg(e, "%.200s is larger than %zu bytes", zPath, CSV_IN_MAX_BYTES);
        break;
      }
      if (csv_parse(&cp, z, nz, on_field, on_record, &r) != nz) {
        gerr_setr(e, GERR_VALIDATION, GR_CSV_FORM, NULL, GP_I("row", p->nRow + 1));
        rc = gerr_msg(e, "row %d: not valid CSV (%s)", p->nRow + 1, csv_strerror(csv_error(&cp)));
        break;
      }
      if (r.bTooMany || r.bNul || p->bStopped) break;
      if (nIllegalAt) {
        gerr_setr(e, GERR_VALIDATION, GR_NOT_IN_ENCODING, NULL, GP_I("row", p->nRow + 1), GP_I("byte", nIllegalAt),
                  GP_S("encoding", zEnc));
        rc = gerr_msg(e, "row %d: a byte that is not %s (byte %lld of the file)", p->nRow + 1, zEnc, nIllegalAt);
        break;
      }
    }
    if (r.bTooMany || r.bNul || p->bStopped) break;
  }
  if (p->bStopped) rc = -1;
  if (!rc && ferror(f)) {
    gerr_setr(e, GERR_VALIDATION, GR_CANNOT_OPEN, NULL, GP_S("path", zPath));
    rc = gerr_msg(e, "cannot read %.200s", zPath);
  }
  if (!rc && nLeft && !r.bTooMany && !r.bNul) {
    gerr_setr(e, GERR_VALIDATION, GR_ENDS_IN_CHAR, NULL, GP_I("row", p->nRow + 1), GP_S("encoding", zEnc));
    rc = gerr_msg(e, "row %d: the file ends inside a character (not %s?)", p->nRow + 1, zEnc);
  }
  /* Strict at the end only: a quoted field still open is an error, while
   * stray quotes before it were kept as text. */
  if (!rc) csv_set_opts(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  if (!rc && !r.bTooMany && !r.bNul && csv_fini(&cp, on_field, on_record, &r))
    rc = gerr_setr(e, GERR_VALIDATION, GR_QUOTE_OPEN, NULL, GP_I("row", p->nRow + 1));
  if (!rc && r.bTooMany)
    rc = gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_FIELDS, NULL, GP_I("row", p->nRow + 1), GP_I("max", nFieldMax));
  if (!rc && r.bNul) rc = gerr_setr(e, GERR_VALIDATION, GR_NUL_BYTE, NULL, GP_I("row", p->nRow + 1));
  csv_free(&cp);
  if (f != stdin) fclose(f);
  if (xRow) free(azField);
  free(zConv);
  if (cd != (iconv_t)-1) iconv_close(cd);
  uint8_t h[SHA256_DIGEST_SIZE];
  sha256_digest(&sha, sizeof h, h);
  for (size_t i = 0; i < sizeof h; i++) snprintf(p->zSha256 + 2 * i, 3, "%02x", h[i]);
  if (rc) p->iBadRow = p->nRow + 1;
  return rc;
}

int csv_read_file(arena *a, const char *zPath, int nFieldMax, csv_table *p, gerr *e) {
  return read_csv(a, zPath, NULL, nFieldMax, NULL, NULL, p, e);
}

int csv_read_file_opts(arena *a, const char *zPath, const csv_opts *o, int nFieldMax, csv_table *p, gerr *e) {
  return read_csv(a, zPath, o, nFieldMax, NULL, NULL, p, e);
}

int csv_read_rows(const char *zPath, const csv_opts *o, int nFieldMax, csv_row_fn xRow, void *pArg, csv_table *p,
                  gerr *e) {
  arena a;
  arena_init(&a);
  int rc = read_csv(&a, zPath, o, nFieldMax, xRow, pArg, p, e);
  arena_free(&a);
  return rc;
}
