/* oneroster_read.c: the row loop every OneRoster file goes through (see
 * oneroster_int.h): its header is mapped onto guild's column table (unknown
 * columns are ignored, a missing required one is an error naming it), each
 * row is checked for what every file shares (fields, UTF-8, sourcedId,
 * status, dateLastModified) and handed to the file's handler inside a
 * savepoint; plus the error list, the sourcedId maps and lookups, and the
 * upsert of one record with the API's rules. */
#include "domain/imports/oneroster_int.h"
#include "domain/imports/import_text.h"
#include "core/text.h"
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

#define OR_PROGRESS_EVERY 1000

/* ---- errors ---- */

void or_grow(arena *a, void *ppArray, int n, int *pnAlloc, size_t nSize) {
  if (n < *pnAlloc) return;
  int nNew = *pnAlloc ? 2 * *pnAlloc : 32;
  char *pOld, *pNew = arena_alloc(a, (size_t)nNew * nSize);
  memcpy(&pOld, ppArray, sizeof pOld);
  if (n) memcpy(pNew, pOld, (size_t)n * nSize);
  memcpy(ppArray, &pNew, sizeof pNew);
  *pnAlloc = nNew;
}

void or_error_why(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const gerr *eWhy) {
  or_result *r = m->r;
  or_grow(m->pAr, &r->aErr[f], r->anErr[f], &m->anErrAlloc[f], sizeof(imp_error));
  imp_error_fill(m->pAr, &r->aErr[f][r->anErr[f]++], iRow, zColumn, zValue, eWhy);
  if (iRow > 1 && iRow != m->aiLastBad[f]) r->aCount[f].nInvalid++;
  m->aiLastBad[f] = iRow;
}

/* A row's error in words only (its rule has no reason of its own yet: the
 * class's general one). */
static void add_error(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const char *zReason) {
  gerr w;
  gerr_set(&w, GERR_VALIDATION, NULL, "%s", zReason);
  or_error_why(m, f, iRow, zColumn, zValue, &w);
}

void or_error(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const char *zFmt, ...) {
  char z[600];
  va_list ap;
  va_start(ap, zFmt);
  vsnprintf(z, sizeof z, zFmt, ap);
  va_end(ap);
  add_error(m, f, iRow, zColumn, zValue, z);
}

int or_err(or_importer *m, const or_row *r, int k, const char *zFmt, ...) {
  char z[600];
  va_list ap;
  va_start(ap, zFmt);
  vsnprintf(z, sizeof z, zFmt, ap);
  va_end(ap);
  if (k < 0) add_error(m, m->f, r->iRow, "", "", z);
  else add_error(m, m->f, r->iRow, m->pSpec->aCol[k].zName, r->azRaw[k], z);
  return 0;
}

void or_warn(or_importer *m, or_file f, int iRow, const char *zColumn, const char *zValue, const char *zFmt, ...) {
  char z[600];
  va_list ap;
  va_start(ap, zFmt);
  vsnprintf(z, sizeof z, zFmt, ap);
  va_end(ap);
  or_result *r = m->r;
  or_grow(m->pAr, &r->aWarn[f], r->anWarn[f], &m->anWarnAlloc[f], sizeof(imp_error));
  gerr w;
  gerr_set(&w, GERR_VALIDATION, NULL, "%s", z);
  imp_error_fill(m->pAr, &r->aWarn[f][r->anWarn[f]++], iRow, zColumn, zValue, &w);
}

void or_note_bad(or_importer *m, const or_row *r, int nBefore) {
  const char *zSid = r->az[ORC_SOURCED_ID];
  if (!zSid[0] || m->bDupRow || m->r->anErr[m->f] <= nBefore) return;
  or_bad *p = arena_alloc(m->pAr, sizeof *p);
  p->iRow = r->iRow;
  p->zReason = m->r->aErr[m->f][nBefore].zReason;
  const char *zCol = m->r->aErr[m->f][nBefore].zColumn;
  if (zCol[0]) p->zReason = arena_printf(m->pAr, "%s: %s", zCol, p->zReason);
  m->bad[m->f].pAr = m->pAr;
  or_map_put(&m->bad[m->f], zSid, p);
}

int or_missing(or_importer *m, const or_row *r, int k, or_file fRef, const char *zSid, const char *zWhat,
               const char *zNone) {
  const or_bad *p = or_map_get(&m->bad[fRef], zSid);
  if (!p) return or_err(m, r, k, "%s", zNone);
  /* a row invalid for naming another invalid row: that one, not the whole chain */
  const char *zChain = strstr(p->zReason, ", which is invalid: ");
  int nReason = zChain ? (int)(zChain - p->zReason) : (int)strlen(p->zReason);
  return or_err(m, r, k, "%s %s is in %s row %d, which is invalid: %.*s%s", zWhat, zSid, oneroster_file_names[fRef],
                p->iRow, nReason, p->zReason, zChain ? ", which is invalid (see there)" : "");
}

int or_nerr(const or_importer *m) {
  int n = 0;
  for (int f = 0; f < OR__NFILE; f++) n += m->r->anErr[f];
  return n;
}

int or_has(const or_importer *m, int k) { return m->aIdx[k] >= 0; }

/* ---- maps ---- */

typedef struct map_entry {
  const char *zKey;
  void *pVal;
} map_entry;

static int map_cmp(const void *a, const void *b) {
  return strcmp(((const map_entry *)a)->zKey, ((const map_entry *)b)->zKey);
}

void *or_map_get(const or_map *p, const char *zKey) {
  map_entry probe = {zKey, NULL};
  map_entry **pp = tfind(&probe, (void *const *)&p->pRoot, map_cmp);
  return pp ? (*pp)->pVal : NULL;
}

void *or_map_put(or_map *p, const char *zKey, void *pVal) {
  map_entry *pNew = arena_alloc(p->pAr, sizeof *pNew);
  pNew->zKey = arena_strdup(p->pAr, zKey);
  pNew->pVal = pVal;
  map_entry **pp = tsearch(pNew, &p->pRoot, map_cmp);
  if (!pp) g_panic("out of memory");
  return *pp == pNew ? NULL : (*pp)->pVal;
}

static void map_entry_keep(void *p) { (void)p; }   /* entries live in the arena */

void or_map_free(or_map *p) {
  if (p->pRoot) tdestroy(p->pRoot, map_entry_keep);
  p->pRoot = NULL;
}

/* ---- rows ---- */

/* A copy of z without surrounding spaces, tabs and line ends. */
static const char *trim(arena *a, const char *z) {
  while (*z == ' ' || *z == '\t' || *z == '\r' || *z == '\n') z++;
  size_t n = strlen(z);
  while (n && strchr(" \t\r\n", z[n - 1])) n--;
  return arena_strndup(a, z, n);
}

or_row or_keep_row(or_importer *m, const or_row *r) {
  or_row k = *r;
  int n = m->pSpec->nCol;
  const char **az = arena_alloc(m->pAr, 2 * (size_t)n * sizeof *az);
  for (int i = 0; i < n; i++) {
    az[i] = arena_strdup(m->pAr, r->az[i]);
    az[n + i] = arena_strdup(m->pAr, r->azRaw[i]);
  }
  k.az = az;
  k.azRaw = az + n;
  return k;
}

void or_defer_delete(or_importer *m, const or_row *r) {
  or_grow(m->pAr, &m->aDel, m->nDel, &m->nDelAlloc, sizeof(or_deletion));
  m->aDel[m->nDel].f = m->f;
  m->aDel[m->nDel].row = or_keep_row(m, r);
  m->nDel++;
}

/* An ISO 8601 time as OneRoster writes dateLastModified:
 * YYYY-MM-DD[THH:MM:SS[.fraction]][Z|+HH:MM|-HH:MM]. */
static int is_datetime(const char *z) {
  char zDate[11];
  if (strlen(z) < 10) return 0;
  memcpy(zDate, z, 10);
  zDate[10] = 0;
  if (!text_is_date(zDate, NULL)) return 0;
  z += 10;
  if (!*z) return 1;
  if (*z != 'T' && *z != 't' && *z != ' ') return 0;
  z++;
  static const char zShape[] = "99:99:99";
  for (int i = 0; zShape[i]; i++, z++)
    if (zShape[i] == '9' ? (*z < '0' || *z > '9') : *z != zShape[i]) return 0;
  if (z[-8] > '2' || z[-5] > '5' || z[-2] > '5') return 0;
  if (*z == '.') {
    z++;
    if (*z < '0' || *z > '9') return 0;
    while (*z >= '0' && *z <= '9') z++;
  }
  if (*z == 'Z' || *z == 'z') return z[1] == 0;
  if (*z == '+' || *z == '-')
    return z[1] >= '0' && z[1] <= '2' && z[2] >= '0' && z[2] <= '9' && z[3] == ':' && z[4] >= '0' && z[4] <= '5' &&
           z[5] >= '0' && z[5] <= '9' && z[6] == 0;
  return *z == 0;
}

/* Maps the header onto the spec; when bReport, reports a missing required
 * column or a column given twice (row 1). Returns 0 or -1. */
static int map_header(or_importer *m, int nField, const char **azField, int bReport) {
  const or_spec *s = m->pSpec;
  or_mode mode = m->r->aMode[m->f];
  int nBefore = m->r->anErr[m->f];
  const char *zFile = oneroster_file_names[m->f];
  m->nHead = nField;
  m->azHead = arena_alloc(m->pAr, (size_t)(nField ? nField : 1) * sizeof *m->azHead);
  for (int j = 0; j < nField; j++) m->azHead[j] = arena_strdup(m->pAr, azField[j]);
  for (int k = 0; k < s->nCol; k++) m->aIdx[k] = -1;
  for (int j = 0; j < nField; j++) {
    const char *zHead = trim(&m->rowAr, azField[j]);
    for (int k = 0; k < s->nCol; k++) {
      if (strcasecmp(s->aCol[k].zName, zHead) != 0) continue;
      if (m->aIdx[k] >= 0 && bReport) {
        gerr w;
        gerr_setr(&w, GERR_VALIDATION, GR_COLUMN_TWICE, s->aCol[k].zName, GP_S("column", azField[m->aIdx[k]]));
        gerr_msg(&w, "a second %s column (the first is column %d)", s->aCol[k].zName, m->aIdx[k] + 1);
        or_error_why(m, m->f, 1, azField[j], azField[j], &w);
      } else {
        m->aIdx[k] = j;
      }
    }
  }
  for (int k = 0; k < s->nCol; k++) {
    unsigned fl = s->aCol[k].flags;
    int bReq = (fl & ORC_REQ) || ((fl & ORC_REQ11) && m->bV11) || (mode == OR_DELTA && (k == ORC_STATUS || k == ORC_DATE));
    if (bReq && m->aIdx[k] < 0 && bReport) {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_NO_KEY_COLUMN, NULL, GP_S("allowed", s->aCol[k].zName));
      gerr_msg(&w, "%s has no %s column: it is required%s", zFile, s->aCol[k].zName,
               k == ORC_STATUS || k == ORC_DATE ? " in a delta file" : "");
      or_error_why(m, m->f, 1, s->aCol[k].zName, "", &w);
    }
  }
  return m->r->anErr[m->f] == nBefore ? 0 : -1;
}

/* The checks every data row goes through before its handler. 1: passed. */
static int check_row(or_importer *m, int nField, const char **azField, const or_row *r) {
  const or_spec *s = m->pSpec;
  or_mode mode = m->r->aMode[m->f];
  m->bDupRow = 0;
  if (nField != m->nHead) {
    or_err(m, r, -1, "%d fields, the header has %d", nField, m->nHead);
    return 0;
  }
  if (imp_is_header_again(nField, azField, m->nHead, m->azHead)) {
    m->bDupRow = 1;   /* not a record at all */
    return or_err(m, r, -1, "repeats the header (row 1): is this two files joined? Remove the row");
  }
  int bOk = 1;
  for (int k = 0; k < s->nCol; k++)
    if (m->aIdx[k] >= 0 && u8_check((const uint8_t *)r->azRaw[k], strlen(r->azRaw[k]))) {
      const char *zEnc = csv_guess_encoding(r->azRaw[k]);
      if (m->aiFirstNotUtf8[m->f]) or_err(m, r, k, "not valid UTF-8 (see row %d)", m->aiFirstNotUtf8[m->f]);
      else if (!zEnc) or_err(m, r, k, "not valid UTF-8 (save the file as UTF-8)");
      else or_err(m, r, k, "not valid UTF-8: the file looks like %s; %s", zEnc,
                  imp_encoding_advice(&m->rowAr, zEnc, "--encoding "));
      bOk = 0;
    }
  if (!bOk && !m->aiFirstNotUtf8[m->f]) m->aiFirstNotUtf8[m->f] = r->iRow;
  if (!bOk) return 0;
  const char *zStatus = r->az[ORC_STATUS];
  if (zStatus[0] && strcasecmp(zStatus, "active") != 0 && strcasecmp(zStatus, "tobedeleted") != 0)
    return or_err(m, r, ORC_STATUS, "must be active or tobedeleted");
  if (r->bDelete && mode != OR_DELTA && !m->bNoManifest)
    return or_err(m, r, ORC_STATUS, "tobedeleted belongs in a delta file; the manifest says this file is bulk");
  if (mode == OR_DELTA && !zStatus[0]) return or_err(m, r, ORC_STATUS, "is required in a delta file");
  if (mode == OR_DELTA && !is_datetime(r->az[ORC_DATE]))
    return or_err(m, r, ORC_DATE, "%s in a delta file (an ISO 8601 time such as 2026-03-01T08:00:00Z)",
                  r->az[ORC_DATE][0] ? "is not a date and time" : "is required");
  const char *zSid = r->az[ORC_SOURCED_ID];
  if (!zSid[0] && (s->aCol[ORC_SOURCED_ID].flags & ORC_VALUE)) return or_err(m, r, ORC_SOURCED_ID, "is required");
  if (zSid[0] && text_nchars(zSid) > 255) return or_err(m, r, ORC_SOURCED_ID, "is longer than 255 characters");
  if (zSid[0]) {
    void *pFirst = or_map_put(&m->seen, zSid, (void *)(intptr_t)r->iRow);
    if (pFirst) {
      m->bDupRow = 1;   /* the first row is the record */
      return or_err(m, r, ORC_SOURCED_ID, "the same sourcedId is already on row %d", (int)(intptr_t)pFirst);
    }
  }
  for (int k = 0; k < s->nCol && !r->bDelete; k++)
    if ((s->aCol[k].flags & ORC_VALUE) && m->aIdx[k] >= 0 && !r->az[k][0]) {
      or_err(m, r, k, "is required");
      bOk = 0;
    }
  return bOk;
}

/* Runs the handler on a checked row inside a savepoint. 0, or -1 on a
 * database error. */
static int run_row(or_importer *m, const or_row *r) {
  gerr *e = m->e;
  if (db_begin(m->c->pDb, e)) return -1;
  int nBefore = or_nerr(m);
  if (m->xRow(m, r)) {
    db_rollback(m->c->pDb);
    return -1;
  }
  if (or_nerr(m) != nBefore) {
    db_rollback(m->c->pDb);
    return 0;
  }
  return db_commit(m->c->pDb, e);
}

/* csv_read_each's callback: the header, then each data row. */
static int on_row(void *pArg, int iRow, int nField, const char **azField) {
  or_importer *m = pArg;
  if (iRow == 1) {
    if (m->bPrepass) {
      map_header(m, nField, azField, 0);
      return 0;
    }
    if (map_header(m, nField, azField, 1) || !m->xRow) {
      m->iStop = m->xRow ? 1 : 3;
      return 1;
    }
    return 0;
  }
  const or_spec *s = m->pSpec;
  const char **az = arena_alloc(&m->rowAr, 2 * (size_t)s->nCol * sizeof *az);
  or_row r = {iRow, az, az + s->nCol, 0};
  for (int k = 0; k < s->nCol; k++) {
    int j = m->aIdx[k];
    r.azRaw[k] = j >= 0 && j < nField ? azField[j] : "";
    r.az[k] = trim(&m->rowAr, r.azRaw[k]);
  }
  r.bDelete = strcasecmp(r.az[ORC_STATUS], "tobedeleted") == 0;
  int rc = 0;
  if (m->bPrepass) rc = m->xRow(m, &r);
  else {
    m->r->aCount[m->f].nRow++;
    int nBefore = m->r->anErr[m->f];
    if (check_row(m, nField, azField, &r)) {
      m->bDupRow = 0;
      rc = run_row(m, &r);
    }
    or_note_bad(m, &r, nBefore);
  }
  arena_reset(&m->rowAr);
  if (rc) {
    m->iStop = 2;
    return 1;
  }
  const or_opts *o = m->o;
  if (!m->bPrepass && o->xProgress && (iRow - 1) % OR_PROGRESS_EVERY == 0)
    o->xProgress(o->pArg, oneroster_file_names[m->f], iRow - 1, 0,
                 m->t->nSize > 0 ? (double)m->t->nRead / (double)m->t->nSize : -1);
  return 0;
}

/* The loop behind or_read, or_prepass and or_check_header. */
static int read_file(or_importer *m, or_file f, const or_spec *pSpec, int (*xRow)(or_importer *m, const or_row *r),
                     int bPrepass) {
  if (m->r->aMode[f] == OR_ABSENT) return 0;
  const char *zFile = oneroster_file_names[f];
  const char *zPath = or_source_file(&m->src, m->pAr, zFile);
  if (!zPath) return 0;   /* reported with the manifest */
  csv_table t;
  memset(&t, 0, sizeof t);
  m->f = f;
  m->pSpec = pSpec;
  m->t = &t;
  m->xRow = xRow;
  m->bPrepass = bPrepass;
  m->iStop = 0;
  m->seen.pAr = m->pAr;
  arena *pSaved = m->c->pAr;
  m->c->pAr = &m->rowAr;
  csv_opts co = {m->o->zEncoding};
  int rc = csv_read_each(zPath, &co, OR_MAXFIELD, on_row, m, &t, m->e);
  m->c->pAr = pSaved;
  or_map_free(&m->seen);
  if (bPrepass) return rc && t.bStopped ? -1 : 0;
  if (xRow) memcpy(m->azSha256[f], t.zSha256, sizeof t.zSha256);
  if (rc && t.bStopped) {
    if (m->iStop == 3) return 0;   /* header only */
    if (m->iStop == 1) {
      m->bFatal = 1;
      return 0;
    }
    return -1;
  }
  if (rc) {
    if (m->e->code != GERR_VALIDATION) return -1;
    gerr w = *m->e;   /* the file's fault, with its reason */
    const char *zMsg = m->e->msg, *zColon = strstr(zMsg, ": ");
    gerr_msg(&w, "%s%s%s", zColon && strncmp(zMsg, "row ", 4) == 0 ? zColon + 2 : zMsg, t.zLooksLike ? ": " : "",
             t.zLooksLike ? imp_encoding_advice(m->pAr, t.zLooksLike, "--encoding ") : "");
    or_error_why(m, f, t.iBadRow, "", "", &w);
    m->bFatal = 1;
    return 0;
  }
  if (t.nRow == 0) {
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_FILE_EMPTY, NULL);
    gerr_msg(&w, "%s is empty: it needs a header row", zFile);
    or_error_why(m, f, 1, "", "", &w);
    m->bFatal = 1;
    return 0;
  }
  if (xRow && m->o->xProgress) {
    int n = m->r->aCount[f].nRow;
    m->o->xProgress(m->o->pArg, zFile, n, n > 0 ? n : 1, 1);
  }
  return 0;
}

int or_read(or_importer *m, or_file f, const or_spec *pSpec, int (*xRow)(or_importer *m, const or_row *r)) {
  return read_file(m, f, pSpec, xRow, 0);
}

int or_prepass(or_importer *m, or_file f, const or_spec *pSpec, int (*xRow)(or_importer *m, const or_row *r)) {
  return read_file(m, f, pSpec, xRow, 1);
}

int or_check_header(or_importer *m, or_file f, const or_spec *pSpec) {
  int nBefore = m->r->anErr[f];
  if (read_file(m, f, pSpec, NULL, 0)) return -1;
  return m->r->anErr[f] != nBefore;
}

/* ---- lookups ---- */

int or_find(or_importer *m, const char *zSql, const char *z, int64_t *pId, int64_t *pCol1) {
  db_stmt *s = db_prepare(m->c->pDb, zSql, m->e);
  if (!s) return -1;
  db_bind_text(s, 1, z);
  int rc = db_step(s, m->e);
  if (rc == DB_ROW) {
    *pId = db_col_int(s, 0);
    if (pCol1) *pCol1 = db_col_int(s, 1);
  }
  db_done(s);
  return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

static const char zFindInst[] = "SELECT id FROM institutions WHERE sourced_id = $1";
static const char zFindArea[] = "SELECT id FROM areas WHERE sourced_id = $1";

int or_find_org(or_importer *m, const char *zSid, or_org_kind *pKind, int64_t *pId) {
  *pKind = OR_ORG_NONE;
  int rc = or_find(m, zFindInst, zSid, pId, NULL);
  if (rc == 1) *pKind = OR_ORG_INST;
  if (rc == 0) {
    rc = or_find(m, zFindArea, zSid, pId, NULL);
    if (rc == 1) *pKind = OR_ORG_AREA;
  }
  if (rc == 0 && or_other_org(m, zSid, pId, NULL)) *pKind = OR_ORG_OTHER;
  return rc < 0 ? -1 : 0;
}

int or_split(arena *a, const char *z, const char ***pazOut) {
  int n = 1;
  for (const char *p = z; *p; p++) n += *p == ',';
  const char **az = arena_alloc(a, (size_t)n * sizeof *az);
  int i = 0;
  while (*z) {
    const char *zEnd = strchr(z, ',');
    size_t k = zEnd ? (size_t)(zEnd - z) : strlen(z);
    const char *zItem = trim(a, arena_strndup(a, z, k));
    if (zItem[0]) az[i++] = zItem;
    z += k;
    if (*z == ',') z++;
  }
  *pazOut = az;
  return i;
}

/* ---- writing one record ---- */

int or_rule_error(or_importer *m, const or_row *r, const gerr *e, const or_fieldcol *aMap) {
  if (e->code != GERR_VALIDATION && e->code != GERR_CONFLICT) return -1;
  int k = -1;
  for (int i = 0; aMap && aMap[i].zField; i++)
    if (strcmp(aMap[i].zField, e->field) == 0) k = aMap[i].k;
  const char *zMsg = e->msg;
  size_t n = e->field[0] ? strlen(e->field) : 0;
  if (n && strncmp(zMsg, e->field, n) == 0 && zMsg[n] == ':' && zMsg[n + 1] == ' ') zMsg += n + 2;
  if (k >= 0 && !or_has(m, k)) k = -1;   /* the file has no such column: the row is named */
  if (k < 0 && e->field[0]) or_err(m, r, -1, "%s: %s", e->field, zMsg);
  else or_err(m, r, k, "%s", zMsg);
  return 1;
}

int or_upsert(or_importer *m, const or_row *r, const dom_entity *pEnt, int64_t idOld, const dom_rec *pIn,
              const or_fieldcol *aMap, int64_t *pId) {
  dom_ctx *c = m->c;
  or_count *pCount = &m->r->aCount[m->f];
  dom_rec old, out;
  if (idOld && dom_get(c, pEnt, idOld, &old, m->e)) return -1;
  if (dom_check(c, pEnt, pIn, idOld ? &old : NULL, &out, m->e)) return or_rule_error(m, r, m->e, aMap);
  if (!idOld) {
    if (dom_insert_raw(c, &out, m->e)) return -1;
    *pId = out.id;
    pCount->nCreated++;
    return 0;
  }
  *pId = idOld;
  int bLists = 0;
  for (int k = 0; k < pEnt->nField; k++)
    bLists |= pIn->a[k].bSet && (pEnt->aField[k].type == DT_STRLIST || pEnt->aField[k].type == DT_REFLIST);
  if (!bLists && dom_same(&out, &old)) {
    pCount->nUnchanged++;
    return 0;
  }
  if (bLists ? dom_store_lists(c, &out, old.version, m->e) : dom_store(c, &out, old.version, m->e)) return -1;
  pCount->nUpdated++;
  return 0;
}

int or_delete_record(or_importer *m, const or_row *r, const dom_entity *pEnt, const char *zFindSql) {
  int64_t id = 0;
  int rc = or_find(m, zFindSql, r->az[ORC_SOURCED_ID], &id, NULL);
  if (rc <= 0) return rc < 0 ? -1 : OR_DEL_NONE;
  dom_rec old;
  if (dom_get(m->c, pEnt, id, &old, m->e)) return -1;
  if (dom_delete_raw(m->c, &old, m->e)) return m->e->code == GERR_CONFLICT ? OR_DEL_KEPT : -1;
  return OR_DEL_DONE;
}
