/* import_conv.c: values of a plain CSV file as people write them, turned
 * into guild's (see import_int.h): a person's sex in the spellings of the
 * region's languages, and dates in the common year-first and day-first
 * forms, refusing the ones that could be two different days. */
#include "domain/imports/import_int.h"
#include "core/text.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
  const char *z;
  const char *zSex;
} aSex[] = {
    {"female", "female"}, {"f", "female"}, {"woman", "female"}, {"girl", "female"},
    {"\xe5\xa5\xb3", "female"},                                 /* 女 */
    {"\xe5\xa5\xb3\xe6\x80\xa7", "female"},                     /* 女性 */
    {"\xd8\xa6\xd8\xa7\xd9\x8a\xd8\xa7\xd9\x84", "female"},     /* ئايال (Uyghur: woman) */
    {"\xd9\x82\xd9\x89\xd8\xb2", "female"},                     /* قىز (Uyghur: girl) */
    {"male", "male"},     {"m", "male"},     {"man", "male"},     {"boy", "male"},
    {"\xe7\x94\xb7", "male"},                                   /* 男 */
    {"\xe7\x94\xb7\xe6\x80\xa7", "male"},                       /* 男性 */
    {"\xd8\xa6\xdb\x95\xd8\xb1", "male"},                       /* ئەر (Uyghur: man) */
    {"\xd8\xa6\xd9\x88\xd8\xba\xdb\x87\xd9\x84", "male"},       /* ئوغۇل (Uyghur: boy) */
};

const char *imp_sex(const char *z) {
  for (size_t i = 0; i < sizeof aSex / sizeof aSex[0]; i++)
    if (strcasecmp(aSex[i].z, z) == 0) return aSex[i].zSex;
  return NULL;
}

/* Reads 1 to nMax digits at *pz into *pv; 1 when there were some. */
static int digits(const char **pz, int nMax, int *pv, int *pnDigits) {
  int v = 0, n = 0;
  while (n < nMax && **pz >= '0' && **pz <= '9') v = 10 * v + (*(*pz)++ - '0'), n++;
  *pv = v;
  if (pnDigits) *pnDigits = n;
  return n > 0;
}

static const char *const azMonth[] = {"January", "February", "March",     "April",   "May",      "June",
                                      "July",    "August",   "September", "October", "November", "December"};

/* "2005-04-03" in a. */
static const char *iso(arena *a, int y, int mo, int d) { return arena_printf(a, "%04d-%02d-%02d", y, mo, d); }

/* 1 when y-mo-d is a real day guild accepts. */
static int real_day(arena *a, int y, int mo, int d) {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && text_is_date(iso(a, y, mo, d), NULL);
}

int imp_date(arena *a, const char *z, const char **pzOut, const char **pzWhy, const char *azRead[2]) {
  *pzOut = z;
  const char *p = z;
  int y, mo, d, n;
  /* year first: YYYY?M?D with - / . between, YYYYMMDD, YYYY年M月D日 */
  if (digits(&p, 8, &y, &n) && n == 8 && !*p) {
    *pzOut = iso(a, y / 10000, y / 100 % 100, y % 100);
    return 0;
  }
  p = z;
  if (digits(&p, 4, &y, &n) && n == 4) {
    if (!strncmp(p, "\xe5\xb9\xb4", 3)) {   /* 年 */
      p += 3;
      if (digits(&p, 2, &mo, NULL) && !strncmp(p, "\xe6\x9c\x88", 3)) {   /* 月 */
        p += 3;
        if (digits(&p, 2, &d, NULL) && (!*p || !strcmp(p, "\xe6\x97\xa5"))) *pzOut = iso(a, y, mo, d);   /* 日 */
      }
      return 0;
    }
    char sep = *p;
    if ((sep == '-' || sep == '/' || sep == '.') && (p++, digits(&p, 2, &mo, NULL)) && *p == sep && (p++, 1) &&
        digits(&p, 2, &d, NULL) && !*p && sep != '-')
      *pzOut = iso(a, y, mo, d);
    else if (sep == '-' && strlen(z) != 10 && z[4] == '-') {   /* 2005-3-1 */
      p = z + 5;
      if (digits(&p, 2, &mo, NULL) && *p == '-' && (p++, digits(&p, 2, &d, NULL)) && !*p) *pzOut = iso(a, y, mo, d);
    }
    return 0;
  }
  /* day or month first: A?B?YYYY with . / - between */
  p = z;
  int x1, x2;
  if (!digits(&p, 2, &x1, NULL)) return 0;
  char sep = *p;
  if (sep != '.' && sep != '/' && sep != '-') return 0;
  p++;
  if (!digits(&p, 2, &x2, NULL) || *p != sep) return 0;
  p++;
  if (!digits(&p, 4, &y, &n) || n != 4 || *p) return 0;
  int bDayFirst = real_day(a, y, x2, x1), bMonthFirst = real_day(a, y, x1, x2);
  if (bDayFirst && bMonthFirst && x1 != x2) {
    *pzWhy = arena_printf(a, "could be %d %s %d (day first) or %s %d, %d (month first): write it as YYYY-MM-DD "
                             "(%s or %s)", x1, azMonth[x2 - 1], y, azMonth[x1 - 1], x2, y, iso(a, y, x2, x1),
                          iso(a, y, x1, x2));
    azRead[0] = iso(a, y, x2, x1);
    azRead[1] = iso(a, y, x1, x2);
    return 1;
  }
  if (bDayFirst) *pzOut = iso(a, y, x2, x1);
  else if (bMonthFirst) *pzOut = iso(a, y, x1, x2);
  return 0;
}
