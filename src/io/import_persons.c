/* import_persons.c: persons from CSV (see import_persons.h). The file is
 * read whole (csv_in), the header mapped to fields, duplicate sourced_ids
 * found by sorting, then each row is checked with dom_check (the API's
 * rules) and written with dom_insert_raw or dom_store inside one
 * transaction, so an invalid row leaves nothing behind unless the caller
 * asked to skip invalid rows. */
#include "import_persons.h"
#include "csv_in.h"
#include "../core/text.h"
#include "../domain/person.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

extern dom_entity dom_person;

#define IMP_MAXCOL 256          /* columns in a file */
#define IMP_PROGRESS_EVERY 1000

const char *const import_person_fields[] = {"sourced_id", "given_name", "family_name", "sex", "birth_date",
                                            "home_area_code", "phone", "email", NULL};
enum { IF_SOURCED_ID = 0, IF_HOME_AREA_CODE = 5 };

static const char zFindBySourcedId[] = "SELECT id FROM persons WHERE sourced_id = $1";
static const char zFindArea[] = "SELECT id FROM areas WHERE code = $1";

typedef struct importer {
  dom_ctx *c;
  const csv_table *t;
  const imp_opts *o;
  imp_result *r;
  int nCol;
  int aField[IMP_MAXCOL];       /* column -> index in import_person_fields, -1: ignored */
  int aCol[8];                  /* field -> column, -1: not in the file */
  int nErrAlloc;
  int iLastBadRow;
} importer;

/* Copy of z for the report, with invalid UTF-8 bytes written as \xHH. */
static const char *shown(arena *a, const char *z) {
  size_t n = strlen(z);
  if (!u8_check((const uint8_t *)z, n)) return z;
  char *zOut = arena_alloc(a, 4 * n + 1), *q = zOut;
  const uint8_t *p = (const uint8_t *)z, *pEnd = p + n;
  while (p < pEnd) {
    ucs4_t uc;
    int k = u8_mbtoucr(&uc, p, (size_t)(pEnd - p));
    if (k > 0) {
      memcpy(q, p, (size_t)k);
      q += k;
      p += k;
    } else {
      static const char zHex[] = "0123456789abcdef";
      *q++ = '\\';
      *q++ = 'x';
      *q++ = zHex[*p >> 4];
      *q++ = zHex[*p & 15];
      p++;
    }
  }
  *q = 0;
  return zOut;
}

static void add_error(importer *m, int iRow, const char *zColumn, const char *zValue, const char *zReason) {
  imp_result *r = m->r;
  if (r->nErr == m->nErrAlloc) {
    int nNew = m->nErrAlloc ? 2 * m->nErrAlloc : 32;
    imp_error *a = arena_alloc(m->c->pAr, (size_t)nNew * sizeof *a);
    if (r->nErr) memcpy(a, r->aErr, (size_t)r->nErr * sizeof *a);
    r->aErr = a;
    m->nErrAlloc = nNew;
  }
  imp_error *p = &r->aErr[r->nErr++];
  p->iRow = iRow;
  p->zColumn = arena_strdup(m->c->pAr, zColumn ? zColumn : "");
  p->zValue = shown(m->c->pAr, zValue ? zValue : "");
  p->zReason = arena_strdup(m->c->pAr, zReason);
  if (iRow != m->iLastBadRow && iRow > 1) r->nInvalid++;
  m->iLastBadRow = iRow;
}

/* A copy of z without surrounding spaces, tabs and line ends. */
static const char *trimmed(arena *a, const char *z) {
  while (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n') z++;
  size_t n = strlen(z);
  while (n && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\r' || z[n - 1] == '\n')) n--;
  return arena_strndup(a, z, n);
}

static int field_named(const char *z) {
  for (int k = 0; import_person_fields[k]; k++)
    if (strcasecmp(import_person_fields[k], z) == 0) return k;
  return -1;
}

/* What --map says header zHead becomes: the target (maybe ""), or NULL. */
static const char *mapped(arena *a, const char *zMap, const char *zHead) {
  if (!zMap) return NULL;
  const char *p = zMap;
  while (*p) {
    const char *zEnd = strchr(p, ',');
    size_t n = zEnd ? (size_t)(zEnd - p) : strlen(p);
    const char *zEq = memchr(p, '=', n);
    if (zEq) {
      const char *zFrom = trimmed(a, arena_strndup(a, p, (size_t)(zEq - p)));
      if (strcasecmp(zFrom, zHead) == 0) return trimmed(a, arena_strndup(a, zEq + 1, n - (size_t)(zEq - p) - 1));
    }
    p += n;
    if (*p == ',') p++;
  }
  return NULL;
}

/* Checks --map itself: each entry header=field with a known field or none. */
static int check_map(const char *zMap, arena *a, gerr *e) {
  if (!zMap) return 0;
  const char *p = zMap;
  while (*p) {
    const char *zEnd = strchr(p, ',');
    size_t n = zEnd ? (size_t)(zEnd - p) : strlen(p);
    const char *zEq = memchr(p, '=', n);
    const char *zTo = zEq ? trimmed(a, arena_strndup(a, zEq + 1, n - (size_t)(zEq - p) - 1)) : NULL;
    if (!zEq || zEq == p || (zTo[0] && field_named(zTo) < 0))
      return gerr_set(e, GERR_USAGE, "map",
                      "--map: '%.*s' is not HEADER=FIELD (fields: sourced_id, given_name, family_name, sex, "
                      "birth_date, home_area_code, phone, email; an empty FIELD ignores the column)",
                      (int)(n > 80 ? 80 : n), p);
    p += n;
    if (*p == ',') p++;
  }
  return 0;
}

/* Maps the header row; every problem is an error of row 1. */
static int read_header(importer *m) {
  arena *a = m->c->pAr;
  const char **az = m->t->aazField[0];
  m->nCol = m->t->anField[0];
  for (int k = 0; k < 8; k++) m->aCol[k] = -1;
  int nBefore = m->r->nErr;
  for (int j = 0; j < m->nCol; j++) {
    m->aField[j] = -1;
    if (u8_check((const uint8_t *)az[j], strlen(az[j]))) {
      add_error(m, 1, az[j], az[j], "the header is not valid UTF-8");
      continue;
    }
    const char *zHead = trimmed(a, az[j]);
    const char *zTo = mapped(a, m->o->zMap, zHead);
    if (zTo && !zTo[0]) continue;   /* ignored on purpose */
    int k = field_named(zTo ? zTo : zHead);
    if (k < 0) {
      add_error(m, 1, az[j], az[j],
                arena_printf(a, "unknown column '%s' (known: sourced_id, given_name, family_name, sex, birth_date, "
                                "home_area_code, phone, email; rename it with --map '%s=FIELD' or ignore it "
                                "with --map '%s=')", zHead, zHead, zHead));
      continue;
    }
    if (m->aCol[k] >= 0) {
      add_error(m, 1, az[j], az[j],
                arena_printf(a, "a second column for %s (the first is '%s')", import_person_fields[k],
                             az[m->aCol[k]]));
      continue;
    }
    m->aCol[k] = j;
    m->aField[j] = k;
  }
  if (m->aCol[IF_SOURCED_ID] < 0 && m->r->nErr == nBefore)
    add_error(m, 1, "", "",
              "no sourced_id column: every row needs its external id, so that importing again updates "
              "instead of duplicating (use --map 'YOUR HEADER=sourced_id')");
  return m->r->nErr == nBefore ? 0 : -1;
}

/* Sorting rows by sourced_id to find duplicates within the file. */
typedef struct sid_row {
  const char *z;
  int iRow;
} sid_row;

static int sid_cmp(const void *pa, const void *pb) {
  const sid_row *a = pa, *b = pb;
  int c = strcmp(a->z, b->z);
  return c ? c : (a->iRow > b->iRow) - (a->iRow < b->iRow);
}

/* aFirst[i] = the earlier row (1-based) with the same sourced_id as data
 * row i, or 0. */
static int *find_duplicates(importer *m) {
  arena *a = m->c->pAr;
  const csv_table *t = m->t;
  int j = m->aCol[IF_SOURCED_ID];
  int *aFirst = arena_alloc(a, (size_t)t->nRow * sizeof *aFirst);
  sid_row *aS = malloc((size_t)t->nRow * sizeof *aS);
  if (!aS) g_panic("out of memory sorting %d rows", t->nRow);
  int n = 0;
  for (int i = 1; i < t->nRow; i++) {
    if (t->anField[i] != m->nCol) continue;
    const char *z = trimmed(a, t->aazField[i][j]);
    if (z[0]) aS[n++] = (sid_row){z, i};
  }
  qsort(aS, (size_t)n, sizeof *aS, sid_cmp);
  for (int k = 1; k < n; k++)
    if (strcmp(aS[k].z, aS[k - 1].z) == 0) aFirst[aS[k].iRow] = aFirst[aS[k - 1].iRow] ? aFirst[aS[k - 1].iRow]
                                                                                      : aS[k - 1].iRow + 1;
  free(aS);
  return aFirst;
}

/* Looks up one id by a text parameter: 1 found, 0 not, -1 error. */
static int find_id(dom_ctx *c, const char *zSql, const char *z, int64_t *pId, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zSql, e);
  if (!s) return -1;
  db_bind_text(s, 1, z);
  int rc = db_step(s, e);
  if (rc == DB_ROW) *pId = db_col_int(s, 0);
  db_done(s);
  return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

/* The file's column for an entity field named by a domain error. */
static int column_of(const importer *m, const char *zField) {
  if (!zField || !zField[0]) return -1;
  if (strcmp(zField, "home_area_id") == 0) return m->aCol[IF_HOME_AREA_CODE];
  int k = field_named(zField);
  return k >= 0 ? m->aCol[k] : -1;
}

/* Reports a domain error for row iRow (1-based); its message loses the
 * "field: " prefix, as the column names it. */
static void row_error(importer *m, int iRow, const gerr *e) {
  int j = column_of(m, e->field);
  const char *zMsg = e->msg;
  size_t n = e->field[0] ? strlen(e->field) : 0;
  if (n && strncmp(zMsg, e->field, n) == 0 && zMsg[n] == ':' && zMsg[n + 1] == ' ') zMsg += n + 2;
  add_error(m, iRow, j >= 0 ? m->t->aazField[0][j] : "", j >= 0 ? m->t->aazField[iRow - 1][j] : "", zMsg);
}

/* Checks and writes data row i (0-based in the table). Returns 0 (written,
 * unchanged or reported as invalid) or -1 on a database error. */
static int import_row(importer *m, int i, const int *aFirst, gerr *e) {
  dom_ctx *c = m->c;
  const csv_table *t = m->t;
  const char **az = t->aazField[i];
  const char **azHead = t->aazField[0];
  int iRow = i + 1;
  if (t->anField[i] != m->nCol) {
    add_error(m, iRow, "", "", arena_printf(c->pAr, "%d fields, the header has %d", t->anField[i], m->nCol));
    return 0;
  }
  int bBad = 0;
  for (int j = 0; j < m->nCol; j++)
    if (m->aField[j] >= 0 && u8_check((const uint8_t *)az[j], strlen(az[j]))) {
      add_error(m, iRow, azHead[j], az[j], "not valid UTF-8 (save the file as UTF-8)");
      bBad = 1;
    }
  if (bBad) return 0;
  int jSid = m->aCol[IF_SOURCED_ID];
  const char *zSid = trimmed(c->pAr, az[jSid]);
  if (!zSid[0]) {
    add_error(m, iRow, azHead[jSid], az[jSid], "is required: the external id that makes a second import update");
    return 0;
  }
  if (aFirst[i]) {
    add_error(m, iRow, azHead[jSid], az[jSid],
              arena_printf(c->pAr, "the same sourced_id is already on row %d", aFirst[i]));
    return 0;
  }
  dom_rec in, old, out;
  dom_rec_init(&in, &dom_person);
  for (int j = 0; j < m->nCol; j++) {
    int k = m->aField[j];
    if (k < 0) continue;
    const char *z = trimmed(c->pAr, az[j]);
    if (k == IF_HOME_AREA_CODE) {
      int64_t idArea = 0;
      int rc = z[0] ? find_id(c, zFindArea, z, &idArea, e) : 0;
      if (rc < 0) return -1;
      if (z[0] && rc == 0) {
        add_error(m, iRow, azHead[j], az[j], "no area has this code");
        return 0;
      }
      if (z[0]) dom_set_int(&in, "home_area_id", idArea);
      else dom_set_text(&in, "home_area_id", NULL);
      continue;
    }
    dom_set_text(&in, import_person_fields[k], z[0] ? z : NULL);
  }
  int64_t id = 0;
  int rc = find_id(c, zFindBySourcedId, zSid, &id, e);
  if (rc < 0) return -1;
  if (rc == 1 && dom_get(c, &dom_person, id, &old, e)) return -1;
  if (dom_check(c, &dom_person, &in, rc == 1 ? &old : NULL, &out, e)) {
    if (e->code != GERR_VALIDATION && e->code != GERR_CONFLICT) return -1;
    row_error(m, iRow, e);
    return 0;
  }
  if (rc == 0) {
    if (dom_insert_raw(c, &out, e)) return -1;
    m->r->nCreated++;
  } else if (dom_same(&out, &old)) {
    m->r->nUnchanged++;
  } else {
    if (dom_store(c, &out, old.version, e)) return -1;
    m->r->nUpdated++;
  }
  return 0;
}

int import_persons(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e) {
  static const imp_opts oNone;
  if (!o) o = &oNone;
  memset(pRes, 0, sizeof *pRes);
  csv_table t;
  importer m = {c, &t, o, pRes, 0, {0}, {0}, 0, 0};
  if (check_map(o->zMap, c->pAr, e)) return -1;
  if (csv_read_file(c->pAr, zPath, IMP_MAXCOL, &t, e)) {
    if (e->code == GERR_VALIDATION) {
      const char *zMsg = e->msg, *zColon = strstr(zMsg, ": ");
      add_error(&m, t.iBadRow, "", "", zColon && strncmp(zMsg, "row ", 4) == 0 ? zColon + 2 : zMsg);
    }
    return -1;
  }
  snprintf(pRes->zDigest, sizeof pRes->zDigest, "%s", t.zSha256);
  if (t.nRow == 0) {
    add_error(&m, 1, "", "", "the file is empty: it needs a header row");
    return gerr_set(e, GERR_VALIDATION, NULL, "the file is empty");
  }
  pRes->nRow = t.nRow - 1;
  if (read_header(&m))
    return gerr_set(e, GERR_VALIDATION, NULL, "the header (row 1) is not usable");
  const int *aFirst = find_duplicates(&m);
  if (db_begin(c->pDb, e)) return -1;
  for (int i = 1; i < t.nRow; i++) {
    if (import_row(&m, i, aFirst, e)) goto fail;
    if (o->xProgress && i % IMP_PROGRESS_EVERY == 0) o->xProgress(o->pArg, i, t.nRow - 1);
  }
  if (o->xProgress) o->xProgress(o->pArg, t.nRow - 1, t.nRow - 1);
  if (pRes->nErr && !o->bSkipInvalid) {
    db_rollback(c->pDb);
    return gerr_set(e, GERR_VALIDATION, NULL, "%d of %d rows are invalid", pRes->nInvalid, pRes->nRow);
  }
  if (audit_append(c, "import", "persons", pRes->nCreated + pRes->nUpdated, pRes->zDigest, e)) goto fail;
  if (db_commit(c->pDb, e)) return -1;
  pRes->bCommitted = 1;
  return 0;
fail:
  db_rollback(c->pDb);
  return -1;
}
