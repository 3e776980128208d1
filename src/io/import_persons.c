/* import_persons.c: persons from CSV (see import_persons.h). The file is
 * streamed (csv_read_each): the header is mapped to fields, then each row is
 * checked with dom_check (the API's rules) and written with dom_insert_raw
 * or dom_store inside one transaction as soon as it is parsed, so an
 * invalid row leaves nothing behind unless the caller asked to skip invalid
 * rows. Memory stays flat: each row's working data lives in an arena reset
 * after the row, and only the set of sourced_ids seen so far (for duplicates
 * within the file) and the error report grow with the file. */
#include "import_persons.h"
#include "csv_in.h"
#include "import_text.h"
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

/* The sourced_ids seen so far, each with its row: an open-addressing hash
 * table of offsets into one packed buffer of entries (row as 4 bytes, the
 * id, a NUL), about 20 bytes per id. */
typedef struct sid_set {
  char *zBuf;
  size_t nBuf, nBufAlloc;
  uint32_t *aSlot;              /* offset + 1, 0: empty */
  size_t nSlot, nUsed;          /* nSlot: a power of 2 */
} sid_set;

typedef struct importer {
  dom_ctx *c;
  arena *pAr;                   /* the caller's arena: header and error report */
  const imp_opts *o;
  imp_result *r;
  const csv_table *t;
  const char **azHead;          /* the header row, in pAr */
  sid_set ids;
  int iStop;                    /* 1: bad header, 2: database error */
  gerr *e;
  int nCol;
  int aField[IMP_MAXCOL];       /* column -> index in import_person_fields, -1: ignored */
  int aCol[8];                  /* field -> column, -1: not in the file */
  int nErrAlloc;
  int iLastBadRow;
} importer;

static void add_error(importer *m, int iRow, const char *zColumn, const char *zValue, const char *zReason) {
  imp_result *r = m->r;
  if (r->nErr == m->nErrAlloc) {
    int nNew = m->nErrAlloc ? 2 * m->nErrAlloc : 32;
    imp_error *a = arena_alloc(m->pAr, (size_t)nNew * sizeof *a);
    if (r->nErr) memcpy(a, r->aErr, (size_t)r->nErr * sizeof *a);
    r->aErr = a;
    m->nErrAlloc = nNew;
  }
  imp_error *p = &r->aErr[r->nErr++];
  p->iRow = iRow;
  p->zColumn = arena_strdup(m->pAr, zColumn ? zColumn : "");
  p->zValue = imp_shown(m->pAr, zValue ? zValue : "");
  p->zReason = arena_strdup(m->pAr, zReason);
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
static int read_header(importer *m, int nField, const char **azField) {
  arena *a = m->pAr;
  const char **az = arena_alloc(a, (size_t)(nField ? nField : 1) * sizeof *az);
  for (int j = 0; j < nField; j++) az[j] = arena_strdup(a, azField[j]);
  m->azHead = az;
  m->nCol = nField;
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

static uint64_t sid_hash(const char *z) {
  uint64_t h = 14695981039346656037ull;   /* FNV-1a */
  for (; *z; z++) h = (h ^ (uint8_t)*z) * 1099511628211ull;
  return h;
}

static const char *sid_at(const sid_set *p, uint32_t iSlot, int *piRow) {
  const char *q = p->zBuf + p->aSlot[iSlot] - 1;
  uint32_t iRow;
  memcpy(&iRow, q, 4);
  *piRow = (int)iRow;
  return q + 4;
}

static void sid_grow(sid_set *p) {
  size_t nNew = p->nSlot ? 2 * p->nSlot : 4096;
  uint32_t *aNew = g_calloc(nNew, sizeof *aNew);
  for (size_t i = 0; i < p->nSlot; i++) {
    if (!p->aSlot[i]) continue;
    int iRow;
    size_t k = sid_hash(sid_at(p, (uint32_t)i, &iRow)) & (nNew - 1);
    while (aNew[k]) k = (k + 1) & (nNew - 1);
    aNew[k] = p->aSlot[i];
  }
  free(p->aSlot);
  p->aSlot = aNew;
  p->nSlot = nNew;
}

/* Adds z (first seen on row iRow); returns 0, or the earlier row with the
 * same id (then nothing is added). */
static int sid_add(sid_set *p, const char *z, int iRow) {
  if (4 * (p->nUsed + 1) > 3 * p->nSlot) sid_grow(p);
  size_t k = sid_hash(z) & (p->nSlot - 1);
  while (p->aSlot[k]) {
    int iFirst;
    if (strcmp(sid_at(p, (uint32_t)k, &iFirst), z) == 0) return iFirst;
    k = (k + 1) & (p->nSlot - 1);
  }
  size_t n = strlen(z) + 5;
  if (p->nBuf + n > UINT32_MAX - 1) g_panic("more sourced_id bytes than an import can hold");
  if (p->nBuf + n > p->nBufAlloc) {
    p->nBufAlloc = p->nBufAlloc ? 2 * p->nBufAlloc : 65536;
    while (p->nBuf + n > p->nBufAlloc) p->nBufAlloc *= 2;
    p->zBuf = g_realloc(p->zBuf, p->nBufAlloc);
  }
  uint32_t u = (uint32_t)iRow;
  memcpy(p->zBuf + p->nBuf, &u, 4);
  memcpy(p->zBuf + p->nBuf + 4, z, n - 4);
  p->aSlot[k] = (uint32_t)p->nBuf + 1;
  p->nBuf += n;
  p->nUsed++;
  return 0;
}

static void sid_free(sid_set *p) {
  free(p->zBuf);
  free(p->aSlot);
  memset(p, 0, sizeof *p);
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
static void row_error(importer *m, int iRow, const char **az, const gerr *e) {
  int j = column_of(m, e->field);
  const char *zMsg = e->msg;
  size_t n = e->field[0] ? strlen(e->field) : 0;
  if (n && strncmp(zMsg, e->field, n) == 0 && zMsg[n] == ':' && zMsg[n + 1] == ' ') zMsg += n + 2;
  add_error(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "", zMsg);
}

/* Checks and writes data row iRow (1-based in the file; its cells az[]).
 * Returns 0 (written, unchanged or reported as invalid) or -1 on a database
 * error. Allocates in c->pAr, reset after each row. */
static int import_row(importer *m, int iRow, int nField, const char **az, gerr *e) {
  dom_ctx *c = m->c;
  const char **azHead = m->azHead;
  if (nField != m->nCol) {
    add_error(m, iRow, "", "", arena_printf(c->pAr, "%d fields, the header has %d", nField, m->nCol));
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
  int iFirst = sid_add(&m->ids, zSid, iRow);
  if (iFirst) {
    add_error(m, iRow, azHead[jSid], az[jSid],
              arena_printf(c->pAr, "the same sourced_id is already on row %d", iFirst));
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
    row_error(m, iRow, az, e);
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

/* csv_read_each's callback: the header, then one data row at a time. */
static int on_row(void *pArg, int iRow, int nField, const char **azField) {
  importer *m = pArg;
  if (iRow == 1) {
    if (read_header(m, nField, azField)) {
      m->iStop = 1;
      return 1;
    }
    return 0;
  }
  if (import_row(m, iRow, nField, azField, m->e)) {
    m->iStop = 2;
    return 1;
  }
  arena_reset(m->c->pAr);
  const imp_opts *o = m->o;
  if (o->xProgress && (iRow - 1) % IMP_PROGRESS_EVERY == 0)
    o->xProgress(o->pArg, iRow - 1, 0, m->t->nSize > 0 ? (double)m->t->nRead / (double)m->t->nSize : -1);
  return 0;
}

int import_persons(dom_ctx *c, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e) {
  static const imp_opts oNone;
  if (!o) o = &oNone;
  memset(pRes, 0, sizeof *pRes);
  csv_table t;
  memset(&t, 0, sizeof t);
  importer m = {.c = c, .pAr = c->pAr, .o = o, .r = pRes, .t = &t, .e = e};
  if (check_map(o->zMap, c->pAr, e)) return -1;
  if (db_begin(c->pDb, e)) return -1;
  arena rowAr;
  arena_init(&rowAr);
  c->pAr = &rowAr;   /* each row's working data; reset after each row */
  int rc = csv_read_each(zPath, IMP_MAXCOL, on_row, &m, &t, e);
  c->pAr = m.pAr;
  arena_free(&rowAr);
  sid_free(&m.ids);
  snprintf(pRes->zDigest, sizeof pRes->zDigest, "%s", t.zSha256);
  if (rc) {
    db_rollback(c->pDb);
    if (t.bStopped && m.iStop == 1)
      return gerr_set(e, GERR_VALIDATION, NULL, "the header (row 1) is not usable");
    if (t.bStopped) return -1;
    /* the file itself is refused: only that is reported, as nothing was read */
    pRes->nCreated = pRes->nUpdated = pRes->nUnchanged = pRes->nInvalid = pRes->nErr = 0;
    m.iLastBadRow = 0;
    if (e->code == GERR_VALIDATION) {
      gerr eCopy = *e;
      const char *zMsg = eCopy.msg, *zColon = strstr(zMsg, ": ");
      add_error(&m, t.iBadRow, "", "", zColon && strncmp(zMsg, "row ", 4) == 0 ? zColon + 2 : zMsg);
    }
    return -1;
  }
  if (t.nRow == 0) {
    db_rollback(c->pDb);
    add_error(&m, 1, "", "", "the file is empty: it needs a header row");
    return gerr_set(e, GERR_VALIDATION, NULL, "the file is empty");
  }
  pRes->nRow = t.nRow - 1;
  if (o->xProgress) o->xProgress(o->pArg, pRes->nRow, pRes->nRow, 1);
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
