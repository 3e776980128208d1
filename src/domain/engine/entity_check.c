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

static int check_text(dom_ctx *c, const dom_field *f, const char **pz, gerr *e) {
  if (!text_is_clean_utf8(*pz, (f->flags & F_MULTI) != 0))
    return gerr_set(e, GERR_VALIDATION, f->zName,
                    "%s: must be valid UTF-8 text without control characters", f->zName);
  if (!(f->flags & F_MULTI) && text_has_bidi_control(*pz))   /* names and codes: shown as they are stored */
    return gerr_set(e, GERR_VALIDATION, f->zName,
                    "%s: must not contain bidirectional control characters (U+202A..U+202E, U+2066..U+2069)",
                    f->zName);
  if (!(f->flags & F_RAW)) *pz = trim(c->pAr, *pz);
  size_t n = text_nchars(*pz);
  int64_t nMin = f->min > 0 ? f->min : ((f->flags & F_REQ) ? 1 : 0);
  if ((int64_t)n < nMin || (f->max > 0 && (int64_t)n > f->max)) {
    if (n == 0) return gerr_set(e, GERR_VALIDATION, f->zName, "%s: must not be empty", f->zName);
    return gerr_set(e, GERR_VALIDATION, f->zName, "%s: must be %lld to %lld characters (got %zu)",
                    f->zName, (long long)nMin, (long long)f->max, n);
  }
  return 0;
}

static int check_ref(dom_ctx *c, const dom_field *f, int64_t id, gerr *e) {
  int rc = id > 0 ? dom_exists(c, f->pRef, id, e) : 0;
  if (rc < 0) return -1;
  if (rc == 0)
    return gerr_set(e, GERR_VALIDATION, f->zName, "%s: %s %lld does not exist", f->zName,
                    f->pRef->zName, (long long)id);
  return 0;
}

int dom_check_value(dom_ctx *c, const dom_field *f, dom_val *v, gerr *e) {
  if (v->bNull) {
    if (f->flags & F_REQ) return gerr_set(e, GERR_VALIDATION, f->zName, "%s: is required", f->zName);
    return 0;
  }
  switch (f->type) {
    case DT_TEXT:
      if (check_text(c, f, &v->z, e)) return -1;
      if (!v->z[0] && !(f->flags & F_REQ)) v->bNull = 1;  /* an empty optional text is no value */
      return 0;
    case DT_CENTI:
      if (v->i < f->min || v->i > f->max)
        return gerr_set(e, GERR_VALIDATION, f->zName, "%s: must be between %.2f and %.2f (got %.2f)", f->zName,
                        (double)f->min / 100, (double)f->max / 100, (double)v->i / 100);
      return 0;
    case DT_INT:
      if (v->i < f->min || v->i > f->max)
        return gerr_set(e, GERR_VALIDATION, f->zName, "%s: must be between %lld and %lld (got %lld)",
                        f->zName, (long long)f->min, (long long)f->max, (long long)v->i);
      return 0;
    case DT_BOOL:
    case DT_TIME:
      return 0;
    case DT_DATE:
      if (!text_is_date(v->z, NULL))
        return gerr_set(e, GERR_VALIDATION, f->zName,
                        "%s: must be a date written YYYY-MM-DD between 1900 and 2199 (got '%.40s')",
                        f->zName, v->z);
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
        return gerr_set(e, GERR_VALIDATION, f->zName, "%s: must be one of %s (got '%.40s')", f->zName,
                        zList, v->z);
      }
    case DT_ISCO:
      if (!isco_is_unit_group(v->z))
        return gerr_set(e, GERR_VALIDATION, f->zName,
                        "%s: '%.40s' is not an ISCO-08 unit group (a 4-digit code from the list at "
                        "/api/v1/occupations)", f->zName, v->z);
      return 0;
    case DT_REF:
      return check_ref(c, f, v->i, e);
    case DT_STRLIST:
      if (v->n > DOM_MAXLIST)
        return gerr_set(e, GERR_VALIDATION, f->zName, "%s: at most %d entries", f->zName, DOM_MAXLIST);
      for (int k = 0; k < v->n; k++) {
        if (check_text(c, f, &v->az[k], e)) return -1;
        for (int j = 0; j < k; j++)
          if (strcmp(v->az[j], v->az[k]) == 0)
            return gerr_set(e, GERR_VALIDATION, f->zName, "%s: '%s' is listed twice", f->zName, v->az[k]);
      }
      return 0;
    case DT_REFLIST:
      if (v->n > DOM_MAXLIST)
        return gerr_set(e, GERR_VALIDATION, f->zName, "%s: at most %d entries", f->zName, DOM_MAXLIST);
      for (int k = 0; k < v->n; k++) {
        if (check_ref(c, f, v->ai[k], e)) return -1;
        for (int j = 0; j < k; j++)
          if (v->ai[j] == v->ai[k])
            return gerr_set(e, GERR_VALIDATION, f->zName, "%s: %s %lld is listed twice", f->zName,
                            f->pRef->zName, (long long)v->ai[k]);
      }
      return 0;
  }
  g_panic("unknown field type %d", (int)f->type);
}
