/* entity_query.c: list filters from text, checked once for every caller
 * that has them as text: the API's query parameters and the CLI's export
 * options. */
#include "domain/engine/entity.h"
#include "core/text.h"
#include <stdlib.h>
#include <string.h>

int dom_filter_index(const dom_entity *pEnt, const char *zName) {
  for (int k = 0; k < pEnt->nFilter; k++)
    if (strcmp(pEnt->aFilter[k].zName, zName) == 0) return k;
  return -1;
}

/* A name prefix as its search-key range "lower\0upper" in a (spaces are
 * not part of name keys); NULL with e when it has no letter. */
static const char *prefix_range(const char *zName, const char *zVal, arena *a, gerr *e) {
  char *zKey = text_search_key(zVal);
  if (!zKey || !text_is_clean_utf8(zVal, 0)) {
    free(zKey);
    gerr_setr(e, GERR_VALIDATION, GR_NOT_TEXT, zName);
    return NULL;
  }
  char *p = zKey, *o = zKey;
  for (; *p; p++)
    if (*p != ' ') *o++ = *p;
  *o = 0;
  size_t n = strlen(zKey);
  char *zBoth = arena_alloc(a, 2 * n + 4);
  memcpy(zBoth, zKey, n + 1);
  free(zKey);
  if (n == 0 || text_prefix_upper(zBoth, zBoth + n + 1, n + 2)) {
    gerr_setr(e, GERR_VALIDATION, GR_NO_LETTER, zName);
    return NULL;
  }
  return zBoth;
}

/* The LIKE pattern of a FILT_CONTAINS value in a: zVal without spaces at
 * either end, lowered, its % _ and backslash escaped with a backslash,
 * between two %. NULL with e (422 naming zName) when it is not clean UTF-8,
 * empty or longer than DOM_CONTAINS_MAX characters. */
static const char *contains_pattern(const char *zName, const char *zVal, arena *a, gerr *e) {
  if (!text_is_clean_utf8(zVal, 0)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_TEXT, zName);
    return NULL;
  }
  while (*zVal == ' ') zVal++;
  size_t n = strlen(zVal);
  while (n > 0 && zVal[n - 1] == ' ') n--;
  char *zLow = text_lower(zVal, n);
  if (!zLow) g_panic("out of memory");
  size_t nChar = text_nchars(zLow);
  if (nChar == 0 || nChar > DOM_CONTAINS_MAX) {
    free(zLow);
    gerr_setr(e, GERR_VALIDATION, GR_LENGTH, zName, GP_I("min", 1), GP_I("max", DOM_CONTAINS_MAX), GP_I("got", nChar));
    return NULL;
  }
  size_t nLow = strlen(zLow);
  char *zPat = arena_alloc(a, 2 * nLow + 3), *o = zPat;
  *o++ = '%';
  for (const char *p = zLow; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') *o++ = '\\';
    *o++ = *p;
  }
  *o++ = '%';
  *o = 0;
  free(zLow);
  return zPat;
}

/* "a, b, c" of a NULL-terminated list, in a. */
static const char *enum_list(const char *const *az, arena *a) {
  const char *z = "";
  for (; *az; az++) z = *z ? arena_printf(a, "%s, %s", z, *az) : *az;
  return z;
}

int dom_query_set(dom_query *q, const dom_entity *pEnt, const char *zName, const char *zVal, arena *a, gerr *e) {
  int k = dom_filter_index(pEnt, zName);
  if (k < 0)
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_FILTERABLE, zName, GP_S("entity", pEnt->zPlural));
  const dom_filter *f = &pEnt->aFilter[k];
  q->mask |= 1u << k;
  switch (f->kind) {
    case FILT_INT:
      if (text_int64(zVal, &q->aInt[k]) || q->aInt[k] < 1)
        return gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, zName);
      return 0;
    case FILT_DATE:
      if (!text_is_date(zVal, NULL))
        return gerr_setr(e, GERR_VALIDATION, GR_NOT_DATE, zName, GP_S("got", zVal));
      q->azText[k] = zVal;
      return 0;
    case FILT_TEXT:
      if (!*zVal || !text_is_clean_utf8(zVal, 0))
        return gerr_setr(e, GERR_VALIDATION, GR_EMPTY, zName);
      if (f->azEnum) {
        const char *const *pz = f->azEnum;
        while (*pz && strcmp(*pz, zVal) != 0) pz++;
        if (!*pz) return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, zName, GP_S("allowed", enum_list(f->azEnum, a)), GP_S("got", zVal));
      }
      q->azText[k] = zVal;
      return 0;
    case FILT_PREFIX:
      q->azText[k] = prefix_range(zName, zVal, a, e);
      return q->azText[k] ? 0 : -1;
    case FILT_CONTAINS:
      q->azText[k] = contains_pattern(zName, zVal, a, e);
      return q->azText[k] ? 0 : -1;
  }
  return 0;
}
