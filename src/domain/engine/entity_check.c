/* entity_check.c: declarative validation of one field's value against its
 * declaration: type, length in characters, range, allowed values, ISCO-08
 * code, and that referenced records exist. Messages name the field and the
 * rule, for people, not programmers. */
#include "domain/engine/entity_int.h"
#include "core/text.h"
#include <string.h>

/* Trims spaces, tabs and newlines at both ends: z itself when there are
 * none, else an arena copy. */
static const char *trim(arena *a, const char *z) {
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') z++;
  size_t n = strlen(z), nAll = n;
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\n' || z[n - 1] == '\r')) n--;
  return n == nAll ? z : arena_strndup(a, z, n);
}

/* The first 40 bytes of z (whole characters), for quoting a refused value:
 * a static buffer, overwritten by the next call. */
static const char *cut40(const char *z) {
  static _Thread_local char zOut[48];
  size_t n = strlen(z);
  if (n > 40) {
    n = 40;
    while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80) n--;
  }
  memcpy(zOut, z, n);
  zOut[n] = 0;
  return zOut;
}

static int check_text(dom_ctx *c, const dom_field *f, const char **pz, gerr *e) {
  if (!text_is_clean_utf8(*pz, (f->flags & F_MULTI) != 0))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_TEXT, f->zName);
  if (!(f->flags & F_MULTI) && text_has_bidi_control(*pz))   /* names and codes: shown as they are stored */
    return gerr_setr(e, GERR_VALIDATION, GR_BIDI, f->zName);
  if (!(f->flags & F_RAW)) *pz = trim(c->pAr, *pz);
  size_t n = text_nchars(*pz);
  int64_t nMin = f->min > 0 ? f->min : ((f->flags & F_REQ) ? 1 : 0);
  if ((int64_t)n < nMin || (f->max > 0 && (int64_t)n > f->max)) {
    if (n == 0) return gerr_setr(e, GERR_VALIDATION, GR_EMPTY, f->zName);
    return gerr_setr(e, GERR_VALIDATION, GR_LENGTH, f->zName, GP_I("min", nMin), GP_I("max", f->max), GP_I("got", n));
  }
  return 0;
}

static int check_ref(dom_ctx *c, const dom_field *f, int64_t id, gerr *e) {
  int rc = id > 0 ? dom_exists(c, f->pRef, id, e) : 0;
  if (rc < 0) return -1;
  if (rc == 0)
    return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, f->zName, GP_S("entity", f->pRef->zName), GP_I("id", id));
  return 0;
}

int dom_check_value(dom_ctx *c, const dom_field *f, dom_val *v, gerr *e) {
  if (v->bNull) {
    if (f->flags & F_REQ) return gerr_setr(e, GERR_VALIDATION, GR_REQUIRED, f->zName);
    return 0;
  }
  switch (f->type) {
    case DT_TEXT:
      if (check_text(c, f, &v->z, e)) return -1;
      if (!v->z[0] && !(f->flags & F_REQ)) v->bNull = 1;  /* an empty optional text is no value */
      return 0;
    case DT_CENTI:
      if (v->i < f->min || v->i > f->max)
        return gerr_setr(e, GERR_VALIDATION, GR_RANGE, f->zName, GP_C("min", f->min), GP_C("max", f->max), GP_C("got", v->i));
      return 0;
    case DT_INT:
      if (v->i < f->min || v->i > f->max)
        return gerr_setr(e, GERR_VALIDATION, GR_RANGE, f->zName, GP_I("min", f->min), GP_I("max", f->max), GP_I("got", v->i));
      return 0;
    case DT_BOOL:
    case DT_TIME:
      return 0;
    case DT_DATE:
      if (!text_is_date(v->z, NULL))
        return gerr_setr(e, GERR_VALIDATION, GR_NOT_DATE, f->zName, GP_S("got", cut40(v->z)));
      return 0;
    case DT_ENUM:
      for (const char *const *pz = f->azEnum; *pz; pz++)
        if (strcmp(*pz, v->z) == 0) return 0;
      {
        char zList[256] = "";
        for (const char *const *pz = f->azEnum; *pz; pz++) {
          if (zList[0]) strncat(zList, ", ", sizeof zList - strlen(zList) - 1);
          strncat(zList, *pz, sizeof zList - strlen(zList) - 1);
        }
        return gerr_setr(e, GERR_VALIDATION, GR_NOT_ONE_OF, f->zName, GP_S("allowed", zList), GP_S("got", cut40(v->z)));
      }
    case DT_ISCO:
      if (!isco_is_unit_group(v->z))
        return gerr_setr(e, GERR_VALIDATION, GR_NOT_ISCO, f->zName, GP_S("got", cut40(v->z)));
      return 0;
    case DT_REF:
      return check_ref(c, f, v->i, e);
    case DT_STRLIST:
      if (v->n > DOM_MAXLIST)
        return gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, f->zName, GP_I("max", DOM_MAXLIST));
      for (int k = 0; k < v->n; k++) {
        if (check_text(c, f, &v->az[k], e)) return -1;
        for (int j = 0; j < k; j++)
          if (strcmp(v->az[j], v->az[k]) == 0)
            return gerr_setr(e, GERR_VALIDATION, GR_LISTED_TWICE, f->zName, GP_S("value", v->az[k]));
      }
      return 0;
    case DT_REFLIST:
      if (v->n > DOM_MAXLIST)
        return gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, f->zName, GP_I("max", DOM_MAXLIST));
      for (int k = 0; k < v->n; k++) {
        if (check_ref(c, f, v->ai[k], e)) return -1;
        for (int j = 0; j < k; j++)
          if (v->ai[j] == v->ai[k])
            return gerr_setr(e, GERR_VALIDATION, GR_LISTED_TWICE, f->zName,
                             GP_S("value", arena_printf(c->pAr, "%s %lld", f->pRef->zName, (long long)v->ai[k])));
      }
      return 0;
  }
  g_panic("unknown field type %d", (int)f->type);
}
