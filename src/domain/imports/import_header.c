/* import_header.c: the import engine's header row and error report: --map
 * (entries HEADER=FIELD separated by commas; a HEADER holding a comma or
 * '=' in double quotes, CSV-style), mapping each header to a column of the
 * kind's table (by guild's name or OneRoster's), and the report's entries
 * (file row, column, value shown escaped and cut, reason). */
#include "domain/imports/import_int.h"
#include "domain/imports/import_text.h"
#include "core/buf.h"
#include <string.h>
#include <strings.h>
#include <unistr.h>

void imp_error_add(importer *m, int iRow, const char *zColumn, const char *zValue, const gerr *eWhy) {
  imp_result *r = m->r;
  if (r->nErr == m->nErrAlloc) {
    int nNew = m->nErrAlloc ? 2 * m->nErrAlloc : 32;
    imp_error *a = arena_alloc(m->pAr, (size_t)nNew * sizeof *a);
    if (r->nErr) memcpy(a, r->aErr, (size_t)r->nErr * sizeof *a);
    r->aErr = a;
    m->nErrAlloc = nNew;
  }
  imp_error_fill(m->pAr, &r->aErr[r->nErr++], iRow, zColumn, zValue, eWhy);
  if (iRow != m->iLastBadRow && iRow > 1) r->nInvalid++;
  m->iLastBadRow = iRow;
}

void imp_errors_sort(importer *m) {
  imp_result *r = m->r;
  int bSorted = 1;
  for (int i = 1; i < r->nErr && bSorted; i++) bSorted = r->aErr[i - 1].iRow <= r->aErr[i].iRow;
  if (bSorted) return;
  imp_error *aTmp = arena_alloc(m->pAr, (size_t)r->nErr * sizeof *aTmp), *aFrom = r->aErr, *aTo = aTmp;
  for (int w = 1; w < r->nErr; w *= 2) {   /* bottom-up merge sort: stable */
    for (int lo = 0; lo < r->nErr; lo += 2 * w) {
      int mid = lo + w < r->nErr ? lo + w : r->nErr, hi = lo + 2 * w < r->nErr ? lo + 2 * w : r->nErr;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) aTo[k++] = aFrom[j].iRow < aFrom[i].iRow ? aFrom[j++] : aFrom[i++];
      while (i < mid) aTo[k++] = aFrom[i++];
      while (j < hi) aTo[k++] = aFrom[j++];
    }
    imp_error *t = aFrom;
    aFrom = aTo;
    aTo = t;
  }
  r->aErr = aFrom;
  m->nErrAlloc = aFrom == aTmp ? r->nErr : m->nErrAlloc;
}

const char *imp_trim(arena *a, const char *z) {
  while (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n') z++;
  size_t n = strlen(z), nAll = n;
  while (n && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\r' || z[n - 1] == '\n')) n--;
  return n == nAll ? z : arena_strndup(a, z, n);
}

static int field_named(const imp_spec *p, const char *z) {
  for (int k = 0; k < p->nField; k++)
    if (strcasecmp(p->aField[k].zName, z) == 0 || (p->aField[k].zAlias && strcasecmp(p->aField[k].zAlias, z) == 0))
      return k;
  return -1;
}

/* "a, b (B), c": the names of p's columns (OneRoster's in brackets), for
 * messages. */
static const char *field_list(const imp_spec *p, arena *a) {
  gbuf b;
  gbuf_init(&b, 4096);
  for (int k = 0; k < p->nField; k++) {
    gbuf_printf(&b, "%s%s", k ? ", " : "", p->aField[k].zName);
    if (p->aField[k].zAlias) gbuf_printf(&b, " (%s)", p->aField[k].zAlias);
  }
  const char *z = arena_strdup(a, b.z ? b.z : "");
  gbuf_free(&b);
  return z;
}

/* Reads the next entry of a map at z: "HEADER=FIELD", HEADER maybe in
 * double quotes ("" for a quote inside). *pzFrom and *pzTo get the header
 * and the field, trimmed (in a); *pnRaw the entry's length. Returns the
 * text after the entry's comma; *pbBad when the entry has no '=' or an
 * unclosed quote. */
static const char *map_entry(arena *a, const char *z, const char **pzFrom, const char **pzTo, size_t *pnRaw,
                             int *pbBad) {
  const char *zStart = z;
  *pbBad = 0;
  while (*z == ' ' || *z == '\t') z++;
  gbuf b;
  gbuf_init(&b, 1 << 20);
  int bQuoted = *z == '"';
  if (bQuoted) {
    for (z++;; z++) {
      if (!*z) {
        *pbBad = 1;
        break;
      }
      if (*z == '"' && z[1] == '"') {
        gbuf_append(&b, "\"", 1);
        z++;
      } else if (*z == '"') {
        z++;
        break;
      } else {
        gbuf_append(&b, z, 1);
      }
    }
    while (*z == ' ' || *z == '\t') z++;
  } else {
    size_t n = strcspn(z, "=,");
    gbuf_append(&b, z, n);
    z += n;
  }
  *pzFrom = imp_trim(a, arena_strdup(a, b.z ? b.z : ""));
  gbuf_free(&b);
  if (*z != '=') *pbBad = 1;
  else z++;
  size_t nTo = *pbBad ? 0 : strcspn(z, ",");
  *pzTo = imp_trim(a, arena_strndup(a, z, nTo));
  z += *pbBad ? strcspn(z, ",") : nTo;
  *pnRaw = (size_t)(z - zStart);
  return *z == ',' ? z + 1 : z;
}

/* Header z as a map entry names it: in double quotes (a quote doubled)
 * when it holds a comma, '=' or a quote, else z itself. */
static const char *map_quoted(arena *a, const char *z) {
  if (!strpbrk(z, ",=\"")) return z;
  char *zOut = arena_alloc(a, 2 * strlen(z) + 3), *q = zOut;
  *q++ = '"';
  for (; *z; z++) {
    if (*z == '"') *q++ = '"';
    *q++ = *z;
  }
  *q++ = '"';
  *q = 0;
  return zOut;
}

/* What --map says header zHead becomes: the target (maybe ""), or NULL. */
static const char *mapped(arena *a, const char *zMap, const char *zHead) {
  if (!zMap) return NULL;
  const char *p = zMap, *zFrom, *zTo;
  size_t nRaw;
  int bBad;
  while (*p) {
    p = map_entry(a, p, &zFrom, &zTo, &nRaw, &bBad);
    if (!bBad && strcasecmp(zFrom, zHead) == 0) return zTo;
  }
  return NULL;
}

const char *imp_map_name(const imp_opts *o) { return o->zMapName ? o->zMapName : "--map"; }

int imp_check_map(const imp_spec *ps, const imp_opts *o, arena *a, gerr *e) {
  const char *zMap = o->zMap;
  if (!zMap) return 0;
  const char *p = zMap, *zFrom, *zTo;
  while (*p) {
    const char *zEntry = p;
    size_t n;
    int bBad;
    p = map_entry(a, p, &zFrom, &zTo, &n, &bBad);
    if (bBad || !zFrom[0] || (zTo[0] && field_named(ps, zTo) < 0))
    {
      const char *zShown = imp_shown_n(a, arena_strndup(a, zEntry, n), IMP_SHOWN_COLUMN);
      gerr_setr(e, GERR_USAGE, GR_MAP_ENTRY, "map", GP_S("got", zShown));
      return gerr_msg(e,
                      "%s: '%s' is not HEADER=FIELD (%s fields: %s; an empty FIELD ignores the column; a HEADER "
                      "with a comma or '=' goes in double quotes: '\"Name, given\"=given_name')",
                      imp_map_name(o), zShown, ps->zKind, field_list(ps, a));
    }
  }
  return 0;
}

/* "person_sourced_id or person_id" (zSep " or "): the columns that can give
 * entity field zField. */
static const char *columns_for(const imp_spec *p, const char *zField, const char *zSep, arena *a) {
  const char *z = "";
  for (int k = 0; k < p->nField; k++)
    if (strcmp(p->aField[k].zField, zField) == 0)
      z = z[0] ? arena_printf(a, "%s%s%s", z, zSep, p->aField[k].zName) : p->aField[k].zName;
  return z;
}

int imp_read_header(importer *m, int nField, const char **azField) {
  arena *a = m->pAr;
  const imp_spec *ps = m->p;
  const char **az = arena_alloc(a, (size_t)(nField ? nField : 1) * sizeof *az);
  for (int j = 0; j < nField; j++) az[j] = arena_strdup(a, azField[j]);
  m->azHead = az;
  m->nCol = nField;
  for (int k = 0; k < DOM_MAXF; k++) m->aEntCol[k] = -1;
  int aColOf[DOM_MAXF];        /* p->aField index -> column */
  for (int k = 0; k < ps->nField; k++) aColOf[k] = -1;
  int nBefore = m->r->nErr;
  for (int j = 0; j < m->nCol; j++) {
    m->aField[j] = -1;
    if (u8_check((const uint8_t *)az[j], strlen(az[j]))) {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_HEADER_NOT_UTF8, NULL);
      imp_error_add(m, 1, az[j], az[j], &w);
      continue;
    }
    const char *zHead = imp_trim(a, az[j]);
    const char *zTo = mapped(a, m->o->zMap, zHead);
    if (zTo && !zTo[0]) continue;   /* ignored on purpose */
    int k = field_named(ps, zTo ? zTo : zHead);
    if (k < 0) {
      const char *zShown = imp_shown_n(a, zHead, IMP_SHOWN_COLUMN), *zQ = map_quoted(a, zShown);
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_UNKNOWN_COLUMN, NULL, GP_S("column", zShown));
      gerr_msg(&w, "unknown column '%s' (known: %s; rename it with %s '%s=FIELD' or ignore it with %s '%s=')", zShown,
               field_list(ps, a), imp_map_name(m->o), zQ, imp_map_name(m->o), zQ);
      imp_error_add(m, 1, az[j], az[j], &w);
      continue;
    }
    /* a second column for the same entity field (e.g. person_id and person_sourced_id) */
    int kSame = -1;
    for (int i = 0; i < ps->nField; i++)
      if (aColOf[i] >= 0 && strcmp(ps->aField[i].zField, ps->aField[k].zField) == 0) kSame = i;
    if (kSame >= 0) {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_COLUMN_TWICE, ps->aField[k].zField,
                GP_S("column", imp_shown_n(a, az[aColOf[kSame]], IMP_SHOWN_COLUMN)));
      imp_error_add(m, 1, az[j], az[j], &w);
      continue;
    }
    aColOf[k] = j;
    m->aField[j] = k;
    int iEnt = dom_field_index(ps->pEnt, ps->aField[k].zField);
    if (iEnt < 0) g_panic("import %s: entity has no field %s", ps->zKind, ps->aField[k].zField);
    m->aEntCol[iEnt] = j;
  }
  if (m->r->nErr != nBefore) return -1;
  for (int k = 0; k < ps->nField; k++) {
    if (!(ps->aField[k].flags & IMPF_KEY)) continue;
    int iEnt = dom_field_index(ps->pEnt, ps->aField[k].zField);
    if (m->aEntCol[iEnt] >= 0 || m->r->nErr != nBefore) continue;
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_NO_KEY_COLUMN, NULL, GP_S("allowed", columns_for(ps, ps->aField[k].zField, ", ", a)));
    gerr_msg(&w, "no %s column: %s (use %s 'YOUR HEADER=%s')", columns_for(ps, ps->aField[k].zField, " or ", a),
             ps->zKeyWhy, imp_map_name(m->o), ps->aField[k].zName);
    imp_error_add(m, 1, ps->aField[k].zName, "", &w);
  }
  return m->r->nErr == nBefore ? 0 : -1;
}
