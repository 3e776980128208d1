/* csv_out.c: CSV fields into a capped buffer (see csv_out.h). */
#include "io/csv/csv_out.h"
#include "core/mem.h"
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int end(gbuf *b, int bEnd) {
  return gbuf_append(b, bEnd ? "\n" : ",", 1);
}

/* 1 for the characters libcsv's reader trims around an unquoted field. */
static int is_space(char c) { return c == ' ' || c == '\t'; }

int csv_out_text(gbuf *b, const char *z, int bEnd) {
  if (!z) z = "";
  size_t n = strlen(z);
  if (strcspn(z, ",\"\r\n") == n && !(n && (is_space(z[0]) || is_space(z[n - 1])))) {
    if (gbuf_append(b, z, n)) return -1;
    return end(b, bEnd);
  }
  size_t nOut = csv_write(NULL, 0, z, n);   /* the quoted size */
  char *zOut = g_malloc(nOut ? nOut : 1);
  csv_write(zOut, nOut, z, n);
  int rc = gbuf_append(b, zOut, nOut);
  free(zOut);
  return rc ? -1 : end(b, bEnd);
}

int csv_out_int(gbuf *b, int64_t v, int bEnd) {
  if (gbuf_printf(b, "%lld", (long long)v)) return -1;
  return end(b, bEnd);
}

int csv_out_num(gbuf *b, double v, int nDecimal, int bEnd) {
  if (!isnan(v) && gbuf_printf(b, "%.*f", nDecimal, v)) return -1;
  return end(b, bEnd);
}
