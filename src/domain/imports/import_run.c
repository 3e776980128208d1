/* import_run.c: the import engine (see import.h, import_int.h). The file is
 * streamed (csv_read_each): the header is mapped to the kind's columns,
 * then each row becomes a record (cells trimmed, converted, looked up) that
 * is checked with dom_check (the API's rules) and written at once, inside
 * one transaction, so an invalid row leaves nothing behind unless the
 * caller asked to skip invalid rows.
 *
 * A row is first taken for a new record: checked as a create and inserted
 * with dom_insert_new, which writes nothing when its key is already stored.
 * Only then (or when the create check failed) is the key looked up: a
 * record this import has already written or matched is a key given twice
 * in the file (an error for the row); a record stored before is updated
 * with the row's columns (checked as an update), or left alone when they
 * change nothing. So a file of new records costs one INSERT a row and no
 * lookup; what the engine vouches for meanwhile (the references it looked
 * up, the key its insert checks) is passed to dom_check as a dom_bulk.
 * Rows checked as new records wait in a batch and go DOM_BATCH at a time in
 * one statement (dom_insert_many: on PostgreSQL a statement is a round trip
 * to the server, on SQLite it opens a cursor on the table and each index);
 * the batch is written before anything that reads the database for a row,
 * so every row still sees the rows before it.
 *
 * Memory stays flat: each row's working data lives in an arena reset after
 * the row; only the first row of each record (4 bytes an id) and the error
 * report grow with the file. */
#include "domain/imports/import_int.h"
#include "domain/imports/import_text.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

#define IMP_PROGRESS_EVERY 1000

/* 1 when z is valid UTF-8 (ASCII at once, the rest by libunistring). */
static int is_utf8(const char *z) {
  const unsigned char *p = (const unsigned char *)z;
  while (*p && *p < 0x80) p++;
  return !*p || u8_check(p, strlen((const char *)p)) == NULL;
}

/* Sets entity field iEnt of r: text z (NULL: no value) or integer i. */
static void set_text(dom_rec *r, int iEnt, const char *z) {
  dom_val *v = &r->a[iEnt];
  v->bSet = 1;
  v->bNull = z == NULL;
  v->z = z;
}
static void set_int(dom_rec *r, int iEnt, int64_t i) {
  dom_val *v = &r->a[iEnt];
  v->bSet = 1;
  v->bNull = 0;
  v->i = i;
}

/* 1 true, 0 false, -1 neither. */
static int parse_bool(const char *z) {
  static const char *const azTrue[] = {"true", "yes", "1", NULL}, *const azFalse[] = {"false", "no", "0", NULL};
  for (int i = 0; azTrue[i]; i++)
    if (strcasecmp(z, azTrue[i]) == 0) return 1;
  for (int i = 0; azFalse[i]; i++)
    if (strcasecmp(z, azFalse[i]) == 0) return 0;
  return -1;
}

/* Reports a domain error for row iRow, in the column of its field; its
 * message loses the "field: " prefix, as the column names it. */
static void row_error(importer *m, int iRow, const char **az, const gerr *e) {
  int iEnt = e->field[0] ? dom_field_index(m->p->pEnt, e->field) : -1;
  int j = iEnt >= 0 ? m->aEntCol[iEnt] : -1;
  imp_error_add(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "", e);
}

/* Reports cell j of row iRow, refused for w (its reason names the field). */
static void cell_error(importer *m, int iRow, const char **az, int j, gerr *w) {
  imp_error_add(m, iRow, m->azHead[j], az[j], w);
}

/* Why a cell (of field zField) is not UTF-8, into w: the encoding the file
 * seems to be in and how to read it, the first time; then a pointer to
 * that row. */
static void imp_not_utf8(importer *m, const char *zField, const char *z, gerr *w) {
  arena *a = m->c->pAr;
  if (m->iFirstNotUtf8 > 0) {
    gerr_setr(w, GERR_VALIDATION, GR_CELL_NOT_UTF8_SEE, zField, GP_I("row", m->iFirstNotUtf8));
    return;
  }
  gerr_setr(w, GERR_VALIDATION, GR_NOT_TEXT, zField);
  if (m->iFirstNotUtf8 < 0) {   /* another cell of the same row */
    gerr_msg(w, "not valid UTF-8");
    return;
  }
  m->iFirstNotUtf8 = -1;   /* on_row sets it to this row once the row is done */
  const char *zEnc = csv_guess_encoding(z);
  const char *zOpt = m->o->zMapName ? "encoding=" : "--encoding ";
  if (!zEnc) {
    gerr_msg(w, "not valid UTF-8 (save the file as UTF-8)");
    return;
  }
  gerr_setr(w, GERR_VALIDATION, GR_CELL_ENCODING, zField, GP_S("encoding", zEnc));
  gerr_msg(w, "not valid UTF-8: the file looks like %s; %s", zEnc, imp_encoding_advice(a, zEnc, zOpt));
}

/* Converts the cells of a row into pIn; reports every bad cell. Returns 1
 * when the record is complete, 0 when a cell was reported, -1 on a
 * database error. */
static int read_cells(importer *m, int iRow, const char **az, dom_rec *pIn, gerr *e) {
  dom_ctx *c = m->c;
  const imp_spec *ps = m->p;
  int bOk = 1;
  for (int j = 0; j < m->nCol; j++) {
    int k = m->aField[j];
    if (k < 0) continue;
    const imp_field *f = &ps->aField[k];
    int iEnt = m->aEnt[k];
    gerr w;
    if (!is_utf8(az[j])) {
      imp_not_utf8(m, f->zField, az[j], &w);
      cell_error(m, iRow, az, j, &w);
      bOk = 0;
      continue;
    }
    const char *z = imp_trim(c->pAr, az[j]);
    if (!z[0]) {
      if (f->flags & IMPF_KEY) {
        gerr_setr(&w, GERR_VALIDATION, GR_REQUIRED, f->zField);
        gerr_msg(&w, "is required: %s", ps->zKeyWhy);
        cell_error(m, iRow, az, j, &w);
        bOk = 0;
      } else if (f->conv != IMP_BOOL) {
        set_text(pIn, iEnt, NULL);   /* an empty cell clears the field */
      }
      continue;
    }
    int64_t id = 0;
    int rc;
    switch (f->conv) {
      case IMP_TEXT:
        set_text(pIn, iEnt, z);
        break;
      case IMP_SEX: {
        const char *zSex = imp_sex(z);
        set_text(pIn, iEnt, zSex ? zSex : z);   /* another word: the entity's rule names the values */
        break;
      }
      case IMP_DATE: {
        const char *zDate, *zWhy, *azRead[2];
        if (imp_date(c->pAr, z, &zDate, &zWhy, azRead)) {
          gerr_setr(&w, GERR_VALIDATION, GR_DATE_AMBIGUOUS, f->zField, GP_S("got", z), GP_S("one", azRead[0]),
                    GP_S("two", azRead[1]));
          gerr_msg(&w, "%s", zWhy);
          cell_error(m, iRow, az, j, &w);
          bOk = 0;
        } else {
          set_text(pIn, iEnt, zDate);
        }
        break;
      }
      case IMP_BOOL:
        rc = parse_bool(z);
        if (rc < 0) {
          gerr_setr(&w, GERR_VALIDATION, GR_NOT_BOOLEAN, f->zField);
          gerr_msg(&w, "must be true or false (or yes/no, 1/0)");
          cell_error(m, iRow, az, j, &w);
          bOk = 0;
        } else {
          set_int(pIn, iEnt, rc);
        }
        break;
      case IMP_ID:
        if (text_int64(z, &id) || id <= 0) {
          gerr_setr(&w, GERR_VALIDATION, GR_NOT_ID, f->zField);
          gerr_msg(&w, "must be a whole number: %s", f->zHelp);
          cell_error(m, iRow, az, j, &w);
          bOk = 0;
          break;
        }
        /* fall through */
      case IMP_LOOKUP:
        rc = imp_lookup(m, k, z, &id, e);
        if (rc < 0) return -1;
        if (rc == 0) {
          const char *zEntity = ps->pEnt->aField[iEnt].pRef ? ps->pEnt->aField[iEnt].pRef->zName : "";
          if (f->conv == IMP_ID)
            gerr_setr(&w, GERR_VALIDATION, GR_NO_SUCH_RECORD, f->zField, GP_S("entity", zEntity), GP_I("id", id));
          else
            gerr_setr(&w, GERR_VALIDATION, GR_NO_MATCH, f->zField, GP_S("entity", zEntity), GP_S("got", z));
          gerr_msg(&w, "%s", f->zNotFound);
          cell_error(m, iRow, az, j, &w);
          bOk = 0;
        } else {
          set_int(pIn, iEnt, id);
        }
        break;
    }
  }
  return bOk;
}

int imp_first_key_column(const importer *m) {
  for (int k = 0; k < m->p->pEnt->nField; k++)
    if ((m->bulk.mKey & (1u << k)) && m->aEntCol[k] >= 0) return m->aEntCol[k];
  return -1;
}

/* Updates stored record id with the row (pIn), or counts it unchanged.
 * Returns 0 (written, unchanged or reported) or -1 on a database error. */
static int update_row(importer *m, int iRow, const char **az, dom_rec *pIn, int64_t id, gerr *e) {
  dom_ctx *c = m->c;
  const imp_spec *ps = m->p;
  dom_rec old, out;
  int rc = imp_scope_stored(m, iRow, az, id, e);
  if (rc <= 0) return rc;
  imp_scope_unfill(m, pIn);
  if (dom_get(c, ps->pEnt, id, &old, e)) return -1;
  for (int k = 0; k < ps->nField; k++) {   /* given at creation: a true cell is what is stored */
    if (!(ps->aField[k].flags & IMPF_CREATE_ONLY)) continue;
    dom_val *v = &pIn->a[m->aEnt[k]];
    if (v->bSet && !v->bNull && v->i == 1) v->bSet = 0;
  }
  if (dom_check(c, ps->pEnt, pIn, &old, &out, e)) {
    if (e->code != GERR_VALIDATION && e->code != GERR_CONFLICT) return -1;
    row_error(m, iRow, az, e);
    return 0;
  }
  if (dom_same(&out, &old)) {
    m->r->nUnchanged++;
    return 0;
  }
  if (dom_store(c, &out, old.version, e)) return -1;
  m->r->nUpdated++;
  return 0;
}

/* A row that is not written as a new record: its key is stored (an insert
 * met it), or the row is not a valid new record (bValid 0, eCreate says
 * why). A record this import has already written or matched makes the row
 * a duplicate; one stored before is updated; no record at all leaves the
 * row's error as a new record. Returns 0, or -1 on a database error. */
static int stored_row(importer *m, int iRow, const char **az, dom_rec *pIn, int bValid, const gerr *eCreate,
                      gerr *e) {
  dom_ctx *c = m->c;
  const imp_spec *ps = m->p;
  int64_t id = 0;
  int rc = dom_find_by_key(c, pIn, m->bulk.mKey, &id, e);
  if (rc < 0) return -1;
  if (rc == 0) {
    if (!bValid) {
      row_error(m, iRow, az, eCreate);
    } else {
      gerr eUnique;
      gerr_setr(&eUnique, GERR_CONFLICT, GR_UNIQUE_STORED, NULL, GP_S("entity", ps->pEnt->zName));
      row_error(m, iRow, az, &eUnique);
    }
    return 0;
  }
  int iFirst = imp_rows_get(&m->rows, id);
  if (iFirst) {
    int j = imp_first_key_column(m);
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, GR_KEY_TWICE, j >= 0 ? ps->aField[m->aField[j]].zField : NULL, GP_I("row", iFirst));
    gerr_msg(&w, ps->zDuplicate, iFirst);
    imp_error_add(m, iRow, j >= 0 ? m->azHead[j] : "", j >= 0 ? az[j] : "", &w);
    return 0;
  }
  imp_rows_set(&m->rows, id, iRow);
  return update_row(m, iRow, az, pIn, id, e);
}

/* A copy of r with its strings in a (for the batch, which outlives the row). */
static void keep_rec(arena *a, dom_rec *pTo, const dom_rec *r) {
  *pTo = *r;
  for (int k = 0; k < r->pEnt->nField; k++) {
    dom_val *v = &pTo->a[k];
    if (v->bSet && !v->bNull && v->z && !dom_is_integer(&r->pEnt->aField[k])) v->z = arena_strdup(a, v->z);
  }
}

/* Writes the batch of rows checked as new records (m->aBatch): one
 * statement for all; the rows whose key was stored already then take
 * stored_row's way. Returns 0 or -1 on a database error. */
static int flush_batch(importer *m, gerr *e) {
  imp_batch *b = m->pBatch;
  if (!b->n) return 0;
  unsigned char abNew[DOM_BATCH];
  if (dom_insert_many(m->c, b->aOut, b->n, m->bulk.mKey, abNew, &m->idMax, e) < 0) return -1;
  for (int i = 0; i < b->n; i++)
    if (abNew[i]) {
      imp_rows_set(&m->rows, b->aOut[i].id, b->aiRow[i]);
      m->r->nCreated++;
    }
  for (int i = 0; i < b->n; i++)
    if (!abNew[i] && stored_row(m, b->aiRow[i], b->aazCell[i], &b->aIn[i], 1, NULL, e)) return -1;
  b->n = 0;
  arena_reset(&b->ar);
  return 0;
}

/* Adds a row checked as a new record (pIn, its checked form pOut) to the
 * batch; writes the batch when full. Returns 0 or -1. */
static int batch_row(importer *m, int iRow, const char **az, const dom_rec *pIn, const dom_rec *pOut, gerr *e) {
  imp_batch *b = m->pBatch;
  int i = b->n++;
  keep_rec(&b->ar, &b->aIn[i], pIn);
  keep_rec(&b->ar, &b->aOut[i], pOut);
  b->aiRow[i] = iRow;
  const char **azCell = arena_alloc(&b->ar, (size_t)(m->nCol ? m->nCol : 1) * sizeof *azCell);
  for (int j = 0; j < m->nCol; j++) azCell[j] = arena_strdup(&b->ar, az[j]);
  b->aazCell[i] = azCell;
  return b->n == DOM_BATCH ? flush_batch(m, e) : 0;
}

/* 1 when the entity's rules read what earlier rows wrote for this row (see
 * imp_spec.zReadsField): the batch must be written before it is checked. */
static int reads_earlier_rows(const importer *m, const dom_rec *pIn) {
  const imp_spec *ps = m->p;
  if (!ps->zReadsField) return 0;
  const dom_val *v = dom_v(pIn, ps->zReadsField);
  return v->bSet && !v->bNull && v->z && strcmp(v->z, ps->zReadsValue) == 0;
}

/* Checks and writes data row iRow (1-based in the file; its cells az[]).
 * Returns 0 (written, batched, unchanged or reported as invalid) or -1 on
 * a database error. Allocates in c->pAr, reset after each row. */
static int import_row(importer *m, int iRow, int nField, const char **az, gerr *e) {
  dom_ctx *c = m->c;
  const imp_spec *ps = m->p;
  gerr w;
  if (nField != m->nCol) {
    gerr_setr(&w, GERR_VALIDATION, GR_FIELD_COUNT, NULL, GP_I("got", nField), GP_I("count", m->nCol));
    imp_error_add(m, iRow, "", "", &w);
    return 0;
  }
  if (imp_is_header_again(nField, az, m->nCol, m->azHead)) {
    gerr_setr(&w, GERR_VALIDATION, GR_HEADER_AGAIN, NULL);
    imp_error_add(m, iRow, "", "", &w);
    return 0;
  }
  dom_rec in, out;
  dom_rec_init(&in, ps->pEnt);
  in.pBulk = &m->bulk;
  int rc = read_cells(m, iRow, az, &in, e);
  if (rc > 0) rc = imp_scope_row(m, iRow, az, &in, e);
  if (rc <= 0) return rc;
  int bReads = reads_earlier_rows(m, &in);
  if (bReads && imp_defer_end(m, e)) return -1;   /* its rules read the indexes: build them now */
  int bBatch = !bReads;
  if (!bBatch && flush_batch(m, e)) return -1;
  /* as a new record */
  gerr eCreate;
  int bValid = dom_check(c, ps->pEnt, &in, NULL, &out, &eCreate) == 0;
  if (!bValid && eCreate.code != GERR_VALIDATION && eCreate.code != GERR_CONFLICT) {
    *e = eCreate;
    return -1;
  }
  if (bValid && bBatch) return batch_row(m, iRow, az, &in, &out, e);
  if (flush_batch(m, e)) return -1;   /* what follows reads the database */
  if (bValid) {
    rc = dom_insert_new(c, &out, e);
    if (rc < 0) return -1;
    if (rc == 1) {
      if (out.id > m->idMax) m->idMax = out.id;
      imp_rows_set(&m->rows, out.id, iRow);
      m->r->nCreated++;
      return 0;
    }
  }
  return stored_row(m, iRow, az, &in, bValid, &eCreate, e);
}

/* csv_read_each's callback: the header, then one data row at a time. */
static int on_row(void *pArg, int iRow, int nField, const char **azField) {
  importer *m = pArg;
  if (iRow == 1) {
    if (imp_read_header(m, nField, azField)) {
      m->iStop = 1;
      return 1;
    }
    if (imp_defer_begin(m, m->e)) {
      m->iStop = 2;
      return 1;
    }
    return 0;
  }
  int nErrBefore = m->r->nErr;
  if (import_row(m, iRow, nField, azField, m->e)) {
    m->iStop = 2;
    return 1;
  }
  if (m->iFirstNotUtf8 < 0 && m->r->nErr > nErrBefore) m->iFirstNotUtf8 = iRow;
  arena_reset(m->c->pAr);
  const imp_opts *o = m->o;
  if (o->xProgress && (iRow - 1) % IMP_PROGRESS_EVERY == 0)
    o->xProgress(o->pArg, iRow - 1, 0, m->t->nSize > 0 ? (double)m->t->nRead / (double)m->t->nSize : -1);
  return 0;
}

/* What the engine vouches for (see dom_bulk): the key fields, and the
 * references its lookups found. */
static void set_bulk(importer *m) {
  const imp_spec *ps = m->p;
  m->bulk.pEnt = ps->pEnt;
  for (int k = 0; k < ps->nField; k++) {
    const imp_field *f = &ps->aField[k];
    int iEnt = dom_field_index(ps->pEnt, f->zField);
    if (iEnt < 0) g_panic("import %s: entity has no field %s", ps->zKind, f->zField);
    m->aEnt[k] = iEnt;
    if (f->flags & IMPF_KEY) m->bulk.mKey |= 1u << iEnt;
    if (f->conv == IMP_ID || f->conv == IMP_LOOKUP) m->bulk.mRefFound |= 1u << iEnt;
  }
}

/* After the file was read (rc: csv_read_each's answer): 0 when the import
 * is to be committed, else rolls back and returns -1 with e saying why
 * (and the report saying where). Frees m. */
static int finish(importer *m, const csv_table *t, int rc, gerr *e) {
  dom_ctx *c = m->c;
  imp_result *pRes = m->r;
  const imp_opts *o = m->o;
  snprintf(pRes->zDigest, sizeof pRes->zDigest, "%s", t->zSha256);
  if (rc || t->nRow == 0) {
    db_rollback(c->pDb);
    if (rc && t->bStopped) {   /* a bad header, or a database error (e is filled) */
      if (m->iStop == 1) {
        gerr_setr(e, GERR_VALIDATION, GR_HEADER_UNUSABLE, NULL, GP_I("count", pRes->nErr));
        gerr_msg(e, "the header (row 1) is not usable: %s%s",
                 pRes->nErr ? imp_shown_n(c->pAr, pRes->aErr[0].zReason, 160) : "",
                 pRes->nErr > 1 ? " (and more: see the report)" : "");
      }
      rc = -1;
    } else if (rc) {           /* the file itself is refused: only that is reported, as nothing was read */
      pRes->nCreated = pRes->nUpdated = pRes->nUnchanged = pRes->nInvalid = pRes->nErr = 0;
      m->iLastBadRow = 0;
      if (e->code == GERR_VALIDATION) {
        if (t->zLooksLike) {   /* UTF-16 and the like: say how to read it (the reason stays) */
          char zWide[sizeof e->msg];
          snprintf(zWide, sizeof zWide, "%s", e->msg);
          const char *zWhat = strstr(zWide, "the file is");
          gerr_msg(e, "%s: %s", zWhat ? zWhat : zWide,
                   imp_encoding_advice(c->pAr, t->zLooksLike, o->zMapName ? "encoding=" : "--encoding "));
        }
        gerr eRow = *e;   /* the report's line: its row says where */
        const char *zColon = strstr(e->msg, ": ");
        if (zColon && strncmp(e->msg, "row ", 4) == 0) gerr_msg(&eRow, "%s", zColon + 2);
        imp_error_add(m, t->iBadRow, "", "", &eRow);
      }
    } else {
      rc = gerr_setr(e, GERR_VALIDATION, GR_FILE_EMPTY, NULL);
      imp_error_add(m, 1, "", "", e);
      gerr_msg(e, "the file is empty");
    }
    free(m);
    return rc;
  }
  free(m);
  pRes->nRow = t->nRow - 1;
  if (o->xProgress) o->xProgress(o->pArg, pRes->nRow, pRes->nRow, 1);
  if (pRes->nErr && !o->bSkipInvalid) {
    db_rollback(c->pDb);
    gerr_setr(e, GERR_VALIDATION, GR_ROWS_INVALID, NULL, GP_I("invalid", pRes->nInvalid), GP_I("total", pRes->nRow));
    return gerr_msg(e, "%d of %d rows are invalid", pRes->nInvalid, pRes->nRow);
  }
  return 0;
}

int imp_check_encoding(const char *zEncoding, gerr *e) {
  if (!csv_check_encoding(zEncoding, e)) return 0;
  e->code = GERR_VALIDATION;
  return -1;
}

int imp_run(dom_ctx *c, const imp_spec *ps, const char *zPath, const imp_opts *o, imp_result *pRes, gerr *e) {
  static const imp_opts oNone;
  if (!o) o = &oNone;
  memset(pRes, 0, sizeof *pRes);
  csv_table t;
  memset(&t, 0, sizeof t);
  importer *m = g_calloc(1, sizeof *m);
  *m = (importer){.c = c, .p = ps, .pAr = c->pAr, .o = o, .r = pRes, .t = &t, .e = e};
  set_bulk(m);
  int rc = imp_check_map(ps, o, c->pAr, e);
  if (!rc) rc = csv_check_encoding(o->zEncoding, e);
  if (!rc) rc = db_bulk_mode(c->pDb, 1, e);
  if (!rc && db_begin(c->pDb, e)) {
    db_bulk_mode(c->pDb, 0, NULL);
    rc = -1;
  }
  if (!rc && db_last_insert_id(c->pDb) >= 0 &&   /* SQLite: where the new ids start (see dom_insert_many) */
      dom_max_id(c, ps->pEnt, &m->idMax, e)) {
    db_rollback(c->pDb);
    db_bulk_mode(c->pDb, 0, NULL);
    rc = -1;
  }
  if (rc) {
    free(m);
    return -1;
  }
  arena rowAr;
  arena_init(&rowAr);
  c->pAr = &rowAr;   /* each row's working data; reset after each row */
  m->pBatch = g_calloc(1, sizeof *m->pBatch);
  arena_init(&m->pBatch->ar);
  csv_opts co = {o->zEncoding};
  rc = csv_read_each(zPath, &co, IMP_MAXCOL, on_row, m, &t, e);
  if (!rc && flush_batch(m, e)) rc = -1;
  c->pAr = m->pAr;
  arena_free(&rowAr);
  arena_free(&m->pBatch->ar);
  free(m->pBatch);
  m->pBatch = NULL;
  imp_errors_sort(m);   /* a batch's rows are reported when it is written */
  imp_cache_free(m);
  imp_rows_free(&m->rows);   /* before the indexes are built: what they take, the sorter may use */
  if (!rc && (!pRes->nErr || o->bSkipInvalid) && imp_defer_end(m, e)) rc = -1;   /* else it is rolled back */
  rc = finish(m, &t, rc, e);
  if (!rc) {
    if (audit_append(c, "import", ps->zKind, pRes->nCreated + pRes->nUpdated, pRes->zDigest, e) ||
        (o->xCommit && o->xCommit(o->pArg, pRes, e))) {
      db_rollback(c->pDb);
      rc = -1;
    } else if (db_commit(c->pDb, e)) {
      rc = -1;
    } else {
      pRes->bCommitted = 1;
    }
  }
  db_bulk_mode(c->pDb, 0, NULL);
  return rc;
}
