/* comp_csv.c: marking schemes and marks as CSV files (see comp_csv.h). */
#include "domain/competition/comp_csv.h"
#include "domain/competition/comp.h"
#include "domain/competition/comp_bulk.h"
#include "core/text.h"
#include "io/csv/csv_in.h"
#include "io/csv/csv_out.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_category, dom_criterion, dom_aspect, dom_mark;

/* "12.5" or "40" into hundredths; -1 when not a number with at most two decimals. */
static int64_t parse_centi(const char *z) {
  int64_t whole = 0, frac = 0;
  int nFrac = 0;
  const char *p = z;
  if (!(*p >= '0' && *p <= '9')) return -1;
  while (*p >= '0' && *p <= '9') {
    whole = whole * 10 + (*p++ - '0');
    if (whole > 1000000) return -1;
  }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9' && nFrac < 3) frac = frac * 10 + (*p++ - '0'), nFrac++;
    if (nFrac == 0 || nFrac > 2) return -1;
    if (nFrac == 1) frac *= 10;
  }
  return *p ? -1 : whole * 100 + frac;
}

/* Hundredths as the shortest text: 40, 12.5, 0.25. */
static const char *centi_text(arena *a, int64_t v) {
  if (v % 100 == 0) return arena_printf(a, "%lld", (long long)(v / 100));
  if (v % 10 == 0) return arena_printf(a, "%lld.%lld", (long long)(v / 100), (long long)(v % 100 / 10));
  return arena_printf(a, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

/* The column a refusal concerns: zColumn, else the domain field e names
 * through azMap (pairs of field and column, NULL-terminated), else none. */
static const char *column_of(const gerr *e, const char *const *azMap, const char *zColumn) {
  for (int k = 0; !zColumn && azMap && azMap[k]; k += 2)
    if (e->field[0] && !strcmp(azMap[k], e->field)) zColumn = azMap[k + 1];
  return zColumn ? zColumn : "";
}

/* Adds e as the refusal of CSV row iRow (column from column_of); returns -1. */
static int refuse_row(gerr_rows *pRows, int iRow, const gerr *e, const char *const *azMap, const char *zColumn) {
  gerr_rows_add(pRows, -1, iRow, column_of(e, azMap, zColumn), e);
  return -1;
}

/* Reads a CSV file with exactly the header azHead (nCol columns); every
 * data row must have nCol fields (each row that has not is refused:
 * GERR_ROWS, in the arena a). */
static int read_csv(arena *a, const char *zPath, const char *const *azHead, int nCol, csv_table *t, gerr *e) {
  if (csv_read_file(a, zPath, 64, t, e)) return -1;
  if (t->nRow == 0) {
    gerr_setr(e, GERR_VALIDATION, GR_NO_FILE, NULL);
    return gerr_msg(e, "%.200s is empty: the header row is missing", zPath);
  }
  for (int k = 0; k < nCol; k++)
    if (t->anField[0] != nCol || strcmp(t->aazField[0][k], azHead[k])) {
      char zWant[400] = "";
      for (int j = 0; j < nCol; j++) {
        size_t m = strlen(zWant);
        snprintf(zWant + m, sizeof zWant - m, "%s%s", j ? "," : "", azHead[j]);
      }
      return gerr_setr(e, GERR_VALIDATION, GR_CSV_HEADER_EXACT, NULL, GP_S("want", zWant));
    }
  gerr_rows rows;
  gerr_rows_init(&rows, a);
  for (int i = 1; i < t->nRow; i++)
    if (t->anField[i] != nCol) {
      gerr eRow;
      gerr_setr(&eRow, GERR_VALIDATION, GR_FIELD_COUNT, NULL, GP_I("got", t->anField[i]), GP_I("count", nCol));
      gerr_rows_add(&rows, -1, i + 1, NULL, &eRow);
    }
  return gerr_rows_fail(e, &rows, t->nRow - 1, NULL);
}

/* --- marking schemes ----------------------------------------------------------- */

enum { S_CRIT_CODE, S_CRIT_NAME, S_WEIGHT, S_ASP_CODE, S_ASP_DESC, S_KIND, S_MAX, S_PARTS, S_DESCS, S__N };
_Static_assert(S__N == COMP_SCHEME_NCOL, "the scheme's columns");
const char *const comp_scheme_columns[COMP_SCHEME_NCOL] = {
    "criterion_code", "criterion_name", "criterion_weight", "aspect_code", "aspect_description",
    "kind",           "max_mark",       "part_marks",       "descriptors"};
#define LIST_SEP " ;; "

/* One line of a scheme, as text; iRow is its CSV row. */
typedef struct scheme_row {
  int iRow;
  const char *az[S__N];
} scheme_row;

static const char zSchemeIds[] =
    "SELECT r.id, r.code, r.name, r.weight, coalesce(a.id, 0) FROM criteria r LEFT JOIN aspects a "
    "ON a.criterion_id = r.id WHERE r.category_id = $1 ORDER BY r.id, a.id";

static const char *join_list(arena *a, const dom_val *v) {
  gbuf b;
  gbuf_init(&b, 1 << 20);
  for (int k = 0; v->bSet && !v->bNull && k < v->n; k++) {
    if (k) gbuf_puts(&b, LIST_SEP);
    gbuf_puts(&b, v->az[k]);
  }
  const char *z = arena_strdup(a, b.z ? b.z : "");
  gbuf_free(&b);
  return z;
}

/* The scheme of category idCat as rows (one per aspect; a criterion without
 * aspects gets a row of its own with the aspect columns empty), numbered
 * as in the exported CSV. */
static int scheme_load(dom_ctx *c, int64_t idCat, scheme_row **paRow, int *pnRow, gerr *e) {
  dom_rec cat;
  if (dom_get(c, &dom_category, idCat, &cat, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zSchemeIds, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCat);
  int n = 0, nAlloc = 16, rc;
  scheme_row *a = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *a);
  int64_t *aAspect = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *aAspect);
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      scheme_row *aNew = arena_alloc(c->pAr, (size_t)nAlloc * 2 * sizeof *aNew);
      int64_t *aiNew = arena_alloc(c->pAr, (size_t)nAlloc * 2 * sizeof *aiNew);
      memcpy(aNew, a, (size_t)n * sizeof *a);
      memcpy(aiNew, aAspect, (size_t)n * sizeof *aAspect);
      a = aNew;
      aAspect = aiNew;
      nAlloc *= 2;
    }
    scheme_row *r = &a[n];
    memset(r, 0, sizeof *r);
    r->iRow = n + 2;
    r->az[S_CRIT_CODE] = arena_strdup(c->pAr, db_col_text(s, 1));
    r->az[S_CRIT_NAME] = arena_strdup(c->pAr, db_col_text(s, 2));
    r->az[S_WEIGHT] = arena_printf(c->pAr, "%lld", (long long)db_col_int(s, 3));
    aAspect[n++] = db_col_int(s, 4);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  for (int i = 0; i < n; i++) {   /* read the aspects once the list query is done */
    scheme_row *r = &a[i];
    for (int k = S_ASP_CODE; k < S__N; k++) r->az[k] = "";
    if (!aAspect[i]) continue;
    dom_rec x;
    if (dom_get(c, &dom_aspect, aAspect[i], &x, e)) return -1;
    r->az[S_ASP_CODE] = dom_v(&x, "code")->z;
    r->az[S_ASP_DESC] = dom_v(&x, "description")->z;
    r->az[S_KIND] = dom_v(&x, "kind")->z;
    r->az[S_MAX] = centi_text(c->pAr, dom_v(&x, "max_mark")->i);
    r->az[S_PARTS] = join_list(c->pAr, dom_v(&x, "part_marks"));
    r->az[S_DESCS] = join_list(c->pAr, dom_v(&x, "descriptors"));
  }
  *paRow = a;
  *pnRow = n;
  return 0;
}

/* Splits z on LIST_SEP into v (an empty cell: no list). */
static void split_list(arena *a, const char *z, dom_val *v) {
  v->bSet = 1;
  v->bNull = 0;
  v->n = 0;
  if (!*z) return;
  int n = 1;
  for (const char *p = strstr(z, LIST_SEP); p; p = strstr(p + strlen(LIST_SEP), LIST_SEP)) n++;
  v->az = arena_alloc(a, (size_t)n * sizeof *v->az);
  const char *p = z;
  for (int k = 0; k < n; k++) {
    const char *q = strstr(p, LIST_SEP);
    size_t len = q ? (size_t)(q - p) : strlen(p);
    v->az[v->n++] = arena_strndup(a, p, len);
    p = q ? q + strlen(LIST_SEP) : p + len;
  }
}

static const char *const azCritMap[] = {"code", "criterion_code", "name", "criterion_name", "weight",
                                        "criterion_weight", "category_id", NULL, NULL};
static const char *const azAspectMap[] = {"code", "aspect_code", "description", "aspect_description", "kind", "kind",
                                          "max_mark", "max_mark", "part_marks", "part_marks", "descriptors",
                                          "descriptors", NULL};

static const char zHasScheme[] = "SELECT count(*) FROM criteria WHERE category_id = $1";

/* Checks that the actor may write category idCat's marking scheme (the
 * region administrator's, while the edition is in draft) and that it has
 * none yet; *pzName: the category's name (in c's arena). */
static int scheme_writable(dom_ctx *c, int64_t idCat, const char **pzName, gerr *e) {
  dom_rec cat;
  if (pol_check(c, &pol_admin, &dom_category, idCat, e) || dom_get(c, &dom_category, idCat, &cat, e) ||
      comp_require_state(c, "category", idCat, "draft", "scheme", e))
    return -1;
  *pzName = arena_strdup(c->pAr, dom_v(&cat, "name")->z);
  int64_t nHave = 0;
  if (db_query_int(c->pDb, zHasScheme, 1, idCat, &nHave, e) == DB_ERROR) return -1;
  if (nHave) return gerr_setr(e, GERR_CONFLICT, GR_HAS_SCHEME, NULL, GP_I("id", idCat), GP_I("count", nHave));
  return 0;
}

/* A criterion as the scheme's rows give it: written (id), or refused. */
typedef struct crit {
  const char *zCode, *zName;
  int64_t weight, id, sumMax;
  int iRow;        /* its first row */
  int bRefused;    /* it, or one of its aspects, was refused */
} crit;

/* Writes row r of the scheme in the caller's transaction: its criterion
 * the first time (later rows of it must repeat its name and weight), its
 * aspect through dom_create. A refusal goes to pRows (-1). */
static int scheme_row_write(dom_ctx *c, int64_t idCat, const scheme_row *r, crit *aCrit, int *pnCrit, gerr_rows *pRows,
                            gerr *e) {
  int iRow = r->iRow;
  crit *p = NULL;
  for (int k = 0; k < *pnCrit && !p; k++)
    if (!strcmp(aCrit[k].zCode, r->az[S_CRIT_CODE])) p = &aCrit[k];
  int64_t weight = 0;
  if (text_int64(r->az[S_WEIGHT], &weight)) {
    gerr_setr(e, GERR_VALIDATION, GR_NOT_INTEGER, "criterion_weight", GP_S("got", r->az[S_WEIGHT]));
    gerr_msg(e, "must be a whole number (got '%.40s')", r->az[S_WEIGHT]);
    if (!p) {   /* its later rows are refused as of a refused criterion */
      p = &aCrit[(*pnCrit)++];
      *p = (crit){r->az[S_CRIT_CODE], r->az[S_CRIT_NAME], 0, 0, 0, iRow, 1};
    }
    p->bRefused = 1;
    return refuse_row(pRows, iRow, e, NULL, "criterion_weight");
  }
  if (p && p->id == 0) {
    p->bRefused = 1;
    gerr_setr(e, GERR_VALIDATION, GR_CRITERION_REFUSED, "criterion_code", GP_S("code", p->zCode), GP_I("row", p->iRow));
    return refuse_row(pRows, iRow, e, NULL, "criterion_code");
  }
  if (p) {
    if (strcmp(p->zName, r->az[S_CRIT_NAME])) {
      p->bRefused = 1;
      gerr_setr(e, GERR_VALIDATION, GR_CRITERION_RENAMED, "criterion_name", GP_S("code", p->zCode), GP_S("name", p->zName),
                GP_I("row", p->iRow));
      return refuse_row(pRows, iRow, e, NULL, "criterion_name");
    }
    if (p->weight != weight) {
      p->bRefused = 1;
      gerr_setr(e, GERR_VALIDATION, GR_CRITERION_REWEIGHTED, "criterion_weight", GP_S("code", p->zCode),
                GP_I("weight", p->weight), GP_I("row", p->iRow));
      return refuse_row(pRows, iRow, e, NULL, "criterion_weight");
    }
  } else {
    dom_rec in, out;
    dom_rec_init(&in, &dom_criterion);
    dom_set_int(&in, "category_id", idCat);
    dom_set_text(&in, "code", r->az[S_CRIT_CODE]);
    dom_set_text(&in, "name", r->az[S_CRIT_NAME]);
    dom_set_int(&in, "weight", weight);
    p = &aCrit[(*pnCrit)++];
    *p = (crit){r->az[S_CRIT_CODE], r->az[S_CRIT_NAME], weight, 0, 0, iRow, 1};
    if (dom_create(c, &dom_criterion, &in, &out, e)) return refuse_row(pRows, iRow, e, azCritMap, NULL);
    *p = (crit){dom_v(&out, "code")->z, dom_v(&out, "name")->z, weight, out.id, 0, iRow, 0};
  }
  int bAspect = 0;
  for (int k = S_ASP_CODE; k < S__N; k++) bAspect |= r->az[k][0] != 0;
  if (!bAspect) return 0;   /* a criterion without aspects (yet) */
  int64_t maxCenti = parse_centi(r->az[S_MAX]);
  if (maxCenti < 0) {
    p->bRefused = 1;
    gerr_setr(e, GERR_VALIDATION, GR_NOT_CENTI, "max_mark", GP_S("got", r->az[S_MAX]));
    gerr_msg(e, "a number with at most two decimals (got '%.40s')", r->az[S_MAX]);
    return refuse_row(pRows, iRow, e, NULL, "max_mark");
  }
  dom_rec in, out;
  dom_rec_init(&in, &dom_aspect);
  dom_set_int(&in, "criterion_id", p->id);
  dom_set_text(&in, "code", r->az[S_ASP_CODE]);
  dom_set_text(&in, "description", r->az[S_ASP_DESC]);
  dom_set_text(&in, "kind", r->az[S_KIND]);
  dom_set_int(&in, "max_mark", maxCenti);
  if (r->az[S_PARTS][0]) split_list(c->pAr, r->az[S_PARTS], dom_vm(&in, "part_marks"));
  if (r->az[S_DESCS][0]) split_list(c->pAr, r->az[S_DESCS], dom_vm(&in, "descriptors"));
  if (dom_create(c, &dom_aspect, &in, &out, e)) {
    p->bRefused = 1;
    return refuse_row(pRows, iRow, e, azAspectMap, NULL);
  }
  p->sumMax += maxCenti;
  return 0;
}

/* Writes rows as category idCat's marking scheme, in the caller's
 * transaction: every row (scheme_row_write), then each criterion's
 * aspects must add up to its weight (refused at its first row) and the
 * weights to 100. Every refused row is listed (GERR_ROWS); a database
 * error stops at once. */
static int scheme_write(dom_ctx *c, int64_t idCat, const scheme_row *a, int n, gerr *e) {
  const char *zCat = "";
  if (scheme_writable(c, idCat, &zCat, e)) return -1;
  if (n == 0) {
    gerr_setr(e, GERR_VALIDATION, GR_CSV_NO_ROWS, NULL);
    return gerr_msg(e, "the marking scheme has no rows");
  }
  crit *aCrit = arena_alloc(c->pAr, (size_t)n * sizeof *aCrit);
  int nCrit = 0;
  gerr_rows rows;
  gerr_rows_init(&rows, c->pAr);
  for (int i = 0; i < n; i++) {
    gerr eRow;
    gerr_clear(&eRow);
    if (scheme_row_write(c, idCat, &a[i], aCrit, &nCrit, &rows, &eRow) &&
        (eRow.code == GERR_DB || eRow.code == GERR_INTERNAL || eRow.code == GERR_UNAVAILABLE)) {
      *e = eRow;
      return -1;
    }
  }
  int64_t sumWeight = 0;
  for (int k = 0; k < nCrit; k++) {
    sumWeight += aCrit[k].weight;
    if (aCrit[k].bRefused || aCrit[k].sumMax == aCrit[k].weight * 100) continue;
    gerr eRow;
    gerr_setr(&eRow, GERR_VALIDATION, GR_ASPECTS_SUM, "criterion_weight", GP_S("name", aCrit[k].zCode),
              GP_C("sum", aCrit[k].sumMax), GP_I("weight", aCrit[k].weight));
    gerr_msg(&eRow, "criterion %s: its aspects' maximum marks add up to %s, its weight is %lld", aCrit[k].zCode,
             centi_text(c->pAr, aCrit[k].sumMax), (long long)aCrit[k].weight);
    refuse_row(&rows, aCrit[k].iRow, &eRow, NULL, "criterion_weight");
  }
  if (gerr_rows_fail(e, &rows, n, NULL)) return -1;
  if (sumWeight != 100) {
    gerr_setr(e, GERR_VALIDATION, GR_WEIGHTS_SUM, "criterion_weight", GP_S("name", zCat), GP_I("sum", sumWeight));
    return gerr_msg(e, "column criterion_weight: the criteria's weights add up to %lld, not 100", (long long)sumWeight);
  }
  return 0;
}

/* scheme_write in a transaction of its own: all or nothing. */
static int scheme_write_all(dom_ctx *c, int64_t idCat, const scheme_row *a, int n, gerr *e) {
  int nDepth = db_depth(c->pDb);
  if (db_begin(c->pDb, e)) return -1;
  if (scheme_write(c, idCat, a, n, e) || db_commit(c->pDb, e)) {
    if (db_depth(c->pDb) > nDepth) db_rollback(c->pDb);   /* a failed COMMIT has rolled back already */
    return -1;
  }
  return 0;
}

int comp_scheme_csv(dom_ctx *c, int64_t idCategory, gbuf *b, int *pnRow, gerr *e) {
  scheme_row *a;
  int n, rc = 0;
  if (pol_check_any(c, &pol_signed_in, e) || scheme_load(c, idCategory, &a, &n, e)) return -1;
  for (int k = 0; k < S__N; k++) rc |= csv_out_text(b, comp_scheme_columns[k], k == S__N - 1);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < S__N; k++) rc |= csv_out_text(b, a[i].az[k], k == S__N - 1);
  if (rc) return gerr_set(e, GERR_TOO_LARGE, NULL, "the marking scheme is larger than %zu bytes", b->nMax);
  *pnRow = n;
  return 0;
}

int comp_scheme_import(dom_ctx *c, int64_t idCategory, const char *zPath, int *pnRow, gerr *e) {
  csv_table t;
  if (read_csv(c->pAr, zPath, comp_scheme_columns, S__N, &t, e)) return -1;
  scheme_row *a = arena_alloc(c->pAr, (size_t)(t.nRow ? t.nRow : 1) * sizeof *a);
  for (int i = 1; i < t.nRow; i++) {
    a[i - 1].iRow = i + 1;
    for (int k = 0; k < S__N; k++) a[i - 1].az[k] = t.aazField[i][k];
  }
  if (scheme_write_all(c, idCategory, a, t.nRow - 1, e)) return -1;
  *pnRow = t.nRow - 1;
  return 0;
}

int comp_scheme_copy(dom_ctx *c, int64_t idFrom, int64_t idTo, int *pnRow, gerr *e) {
  scheme_row *a;
  int n;
  if (scheme_load(c, idFrom, &a, &n, e) || scheme_write_all(c, idTo, a, n, e)) return -1;
  *pnRow = n;
  return 0;
}

/* --- marks --------------------------------------------------------------------- */

static const char *const azMarkCol[] = {"competitor_id", "aspect_id", "judge_person_id", "value"};
static const char *const azMarkMap[] = {"competitor_id", "competitor_id", "aspect_id", "aspect_id", "judge_id",
                                        "judge_person_id", "value", "value", NULL};

/* Row i of t (the CSV row i + 2) as a mark, entered as the judge it names. */
static int mark_csv_row(dom_ctx *c, void *pArg, int i, int64_t *pId, gerr *e) {
  const csv_table *t = pArg;
  const char **az = t->aazField[i + 1];
  int64_t aId[3];
  for (int k = 0; k < 3; k++)
    if (text_int64(az[k], &aId[k]) || aId[k] <= 0) {
      gerr_setr(e, GERR_VALIDATION, GR_NOT_ID, azMarkCol[k], GP_S("got", az[k]));
      return gerr_msg(e, "must be a positive whole number (got '%.40s')", az[k]);
    }
  int64_t v = parse_centi(az[3]);
  if (v < 0 || v > 10000) {
    if (v < 0) gerr_setr(e, GERR_VALIDATION, GR_NOT_CENTI, "value", GP_S("got", az[3]));
    else gerr_setr(e, GERR_VALIDATION, GR_RANGE, "value", GP_I("min", 0), GP_I("max", 100), GP_C("got", v));
    return gerr_msg(e, "a mark from 0 to 100 with at most two decimals (got '%.40s')", az[3]);
  }
  dom_rec in, out;
  dom_rec_init(&in, &dom_mark);
  dom_set_int(&in, "competitor_id", aId[0]);
  dom_set_int(&in, "aspect_id", aId[1]);
  dom_set_int(&in, "value", v);
  dom_ctx asJudge = *c;   /* the mark is entered as the judge the row names */
  asJudge.idPerson = aId[2];
  if (dom_create(&asJudge, &dom_mark, &in, &out, e)) {
    snprintf(e->field, sizeof e->field, "%s", column_of(e, azMarkMap, NULL));
    return -1;
  }
  *pId = out.id;
  return 0;
}

int comp_marks_import(dom_ctx *c, const char *zPath, int *pnRow, gerr *e) {
  csv_table t;
  if (read_csv(c->pAr, zPath, azMarkCol, 4, &t, e)) return -1;
  if (t.nRow < 2) {
    gerr_setr(e, GERR_VALIDATION, GR_CSV_NO_ROWS, NULL);
    return gerr_msg(e, "%s has no marks", zPath);
  }
  gerr_rows rows;
  gerr_rows_init(&rows, c->pAr);
  if (comp_rows_write(c, t.nRow - 1, 2, mark_csv_row, &t, &rows, NULL, NULL, e)) return -1;
  *pnRow = t.nRow - 1;
  return 0;
}
