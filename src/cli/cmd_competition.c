/* cmd_competition.c: `guild competition create|scheme export|scheme import|
 * scheme copy|enter|judges|marks import|lock|transition|publish|results|
 * stats`: a skills competition from the command line. Every write goes
 * through the domain (dom_create, comp_transition, ...) so the same rules
 * apply as in the API; imports are all-or-nothing in one transaction and
 * name the row (the header is row 1) and the column of the first problem. */
#include "cli/clidb.h"
#include "api/api.h"
#include "core/buf.h"
#include "core/text.h"
#include "domain/competition/comp.h"
#include "io/csv/csv_in.h"
#include "io/csv/csv_out.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern dom_entity dom_edition, dom_category, dom_criterion, dom_aspect, dom_competitor, dom_judge, dom_mark;

#define CMD "competition"
#define OPT(z) cli_get(CMD, azVal, z)

/* A positional id; prints a usage error otherwise. */
static int pos_id(const char *zWhat, const char *z, int64_t *pOut) {
  if (z && text_int64(z, pOut) == 0 && *pOut > 0) return CLI_OK;
  fprintf(stderr, "guild competition: %s must be a positive whole number (got '%s')\n", zWhat, z ? z : "");
  return CLI_USAGE;
}

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

/* Rewrites e as "row N, column C: message" (column from the domain field
 * through azMap, pairs of field and column, NULL-terminated). */
static int at_row(gerr *e, int iRow, const char *const *azMap, const char *zColumn) {
  char zMsg[sizeof e->msg];
  snprintf(zMsg, sizeof zMsg, "%s", e->msg);
  const char *zCol = zColumn;
  for (int k = 0; !zCol && azMap && azMap[k]; k += 2)
    if (e->field[0] && !strcmp(azMap[k], e->field)) zCol = azMap[k + 1];
  gerr_code code = e->code;
  if (zCol) return gerr_set(e, code, zCol, "row %d, column %s: %s", iRow, zCol, zMsg);
  return gerr_set(e, code, NULL, "row %d: %s", iRow, zMsg);
}

/* --- create ------------------------------------------------------------------ */

static int c_create(cli_db *d, const char **azArg, const char **azVal) {
  (void)azArg;
  gerr e;
  int64_t year, idArea;
  int rc;
  const char *zYear = OPT("year"), *zName = OPT("name"), *zArea = OPT("area");
  if (!zYear || !zName || !zArea || !OPT("start") || !OPT("end")) {
    fprintf(stderr, "guild competition: create needs --year --name --area --start and --end\n");
    return CLI_USAGE;
  }
  if ((rc = cli_int(CMD, "year", zYear, 2000, 2100, &year)) || (rc = cli_int(CMD, "area", zArea, 1, INT64_MAX, &idArea)))
    return rc;
  dom_rec in, out;
  dom_rec_init(&in, &dom_edition);
  dom_set_int(&in, "year", year);
  dom_set_text(&in, "name", zName);
  dom_set_int(&in, "area_id", idArea);
  dom_set_text(&in, "start_date", OPT("start"));
  dom_set_text(&in, "end_date", OPT("end"));
  if (dom_create(&d->c, &dom_edition, &in, &out, &e)) return cli_fail(&e);
  printf("edition %lld created: %s (%s)\n", (long long)out.id, dom_v(&out, "name")->z, dom_v(&out, "state")->z);
  return CLI_OK;
}

/* --- marking schemes ----------------------------------------------------------- */

enum { S_CRIT_CODE, S_CRIT_NAME, S_WEIGHT, S_ASP_CODE, S_ASP_DESC, S_KIND, S_MAX, S_PARTS, S_DESCS, S__N };
static const char *const azSchemeCol[S__N] = {"criterion_code", "criterion_name", "criterion_weight",
                                              "aspect_code", "aspect_description", "kind",
                                              "max_mark", "part_marks", "descriptors"};
#define LIST_SEP " ;; "

/* One line of a scheme, as text; iRow is its CSV row (0 when copied). */
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
 * aspects gets a row of its own with the aspect columns empty). */
static int scheme_load(cli_db *d, int64_t idCat, scheme_row **paRow, int *pnRow, gerr *e) {
  dom_rec cat;
  if (dom_get(&d->c, &dom_category, idCat, &cat, e)) return -1;
  db_stmt *s = db_prepare(d->pDb, zSchemeIds, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCat);
  int n = 0, nAlloc = 16, rc;
  scheme_row *a = arena_alloc(&d->ar, (size_t)nAlloc * sizeof *a);
  int64_t *aAspect = arena_alloc(&d->ar, (size_t)nAlloc * sizeof *aAspect);
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      scheme_row *aNew = arena_alloc(&d->ar, (size_t)nAlloc * 2 * sizeof *aNew);
      int64_t *aiNew = arena_alloc(&d->ar, (size_t)nAlloc * 2 * sizeof *aiNew);
      memcpy(aNew, a, (size_t)n * sizeof *a);
      memcpy(aiNew, aAspect, (size_t)n * sizeof *aAspect);
      a = aNew;
      aAspect = aiNew;
      nAlloc *= 2;
    }
    scheme_row *r = &a[n];
    memset(r, 0, sizeof *r);
    r->az[S_CRIT_CODE] = arena_strdup(&d->ar, db_col_text(s, 1));
    r->az[S_CRIT_NAME] = arena_strdup(&d->ar, db_col_text(s, 2));
    r->az[S_WEIGHT] = arena_printf(&d->ar, "%lld", (long long)db_col_int(s, 3));
    aAspect[n++] = db_col_int(s, 4);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  for (int i = 0; i < n; i++) {   /* read the aspects once the list query is done */
    scheme_row *r = &a[i];
    for (int k = S_ASP_CODE; k < S__N; k++) r->az[k] = "";
    if (!aAspect[i]) continue;
    dom_rec x;
    if (dom_get(&d->c, &dom_aspect, aAspect[i], &x, e)) return -1;
    r->az[S_ASP_CODE] = dom_v(&x, "code")->z;
    r->az[S_ASP_DESC] = dom_v(&x, "description")->z;
    r->az[S_KIND] = dom_v(&x, "kind")->z;
    r->az[S_MAX] = centi_text(&d->ar, dom_v(&x, "max_mark")->i);
    r->az[S_PARTS] = join_list(&d->ar, dom_v(&x, "part_marks"));
    r->az[S_DESCS] = join_list(&d->ar, dom_v(&x, "descriptors"));
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

/* Writes rows as category idCat's marking scheme, in the caller's
 * transaction: each criterion once (later rows of it must repeat its name
 * and weight), each aspect through dom_create; then checks the weights add
 * up to 100 and each criterion's aspects to its weight. */
static int scheme_write(cli_db *d, int64_t idCat, const scheme_row *a, int n, gerr *e) {
  dom_rec cat;
  if (dom_get(&d->c, &dom_category, idCat, &cat, e)) return -1;
  int64_t nHave = 0;
  if (db_query_int(d->pDb, zHasScheme, 1, idCat, &nHave, e) == DB_ERROR) return -1;
  if (nHave)
    return gerr_set(e, GERR_CONFLICT, NULL, "category %lld already has a marking scheme (%lld criteria); "
                    "import into a category without one", (long long)idCat, (long long)nHave);
  if (n == 0) return gerr_set(e, GERR_VALIDATION, NULL, "the marking scheme has no rows");
  typedef struct crit { const char *zCode, *zName; int64_t weight, id, sumMax; int iRow; } crit;
  crit *aCrit = arena_alloc(&d->ar, (size_t)n * sizeof *aCrit);
  int nCrit = 0;
  int64_t sumWeight = 0;
  for (int i = 0; i < n; i++) {
    const scheme_row *r = &a[i];
    int iRow = r->iRow;
    crit *p = NULL;
    for (int k = 0; k < nCrit && !p; k++)
      if (!strcmp(aCrit[k].zCode, r->az[S_CRIT_CODE])) p = &aCrit[k];
    int64_t weight = 0;
    if (text_int64(r->az[S_WEIGHT], &weight)) {
      gerr_set(e, GERR_VALIDATION, "weight", "must be a whole number (got '%.40s')", r->az[S_WEIGHT]);
      return at_row(e, iRow, NULL, "criterion_weight");
    }
    if (p) {
      if (strcmp(p->zName, r->az[S_CRIT_NAME])) {
        gerr_set(e, GERR_VALIDATION, NULL, "criterion %s is named '%.80s' in row %d", p->zCode, p->zName, p->iRow);
        return at_row(e, iRow, NULL, "criterion_name");
      }
      if (p->weight != weight) {
        gerr_set(e, GERR_VALIDATION, NULL, "criterion %s has weight %lld in row %d", p->zCode, (long long)p->weight,
                 p->iRow);
        return at_row(e, iRow, NULL, "criterion_weight");
      }
    } else {
      dom_rec in, out;
      dom_rec_init(&in, &dom_criterion);
      dom_set_int(&in, "category_id", idCat);
      dom_set_text(&in, "code", r->az[S_CRIT_CODE]);
      dom_set_text(&in, "name", r->az[S_CRIT_NAME]);
      dom_set_int(&in, "weight", weight);
      if (dom_create(&d->c, &dom_criterion, &in, &out, e)) return at_row(e, iRow, azCritMap, NULL);
      p = &aCrit[nCrit++];
      *p = (crit){dom_v(&out, "code")->z, dom_v(&out, "name")->z, weight, out.id, 0, iRow};
      sumWeight += weight;
    }
    int bAspect = 0;
    for (int k = S_ASP_CODE; k < S__N; k++) bAspect |= r->az[k][0] != 0;
    if (!bAspect) continue;   /* a criterion without aspects (yet) */
    int64_t maxCenti = parse_centi(r->az[S_MAX]);
    if (maxCenti < 0) {
      gerr_set(e, GERR_VALIDATION, "max_mark", "a number with at most two decimals (got '%.40s')", r->az[S_MAX]);
      return at_row(e, iRow, NULL, "max_mark");
    }
    dom_rec in, out;
    dom_rec_init(&in, &dom_aspect);
    dom_set_int(&in, "criterion_id", p->id);
    dom_set_text(&in, "code", r->az[S_ASP_CODE]);
    dom_set_text(&in, "description", r->az[S_ASP_DESC]);
    dom_set_text(&in, "kind", r->az[S_KIND]);
    dom_set_int(&in, "max_mark", maxCenti);
    if (r->az[S_PARTS][0]) split_list(&d->ar, r->az[S_PARTS], dom_vm(&in, "part_marks"));
    if (r->az[S_DESCS][0]) split_list(&d->ar, r->az[S_DESCS], dom_vm(&in, "descriptors"));
    if (dom_create(&d->c, &dom_aspect, &in, &out, e)) return at_row(e, iRow, azAspectMap, NULL);
    p->sumMax += maxCenti;
  }
  for (int k = 0; k < nCrit; k++)
    if (aCrit[k].sumMax != aCrit[k].weight * 100) {
      gerr_set(e, GERR_VALIDATION, NULL, "criterion %s: its aspects' maximum marks add up to %s, its weight is %lld",
               aCrit[k].zCode, centi_text(&d->ar, aCrit[k].sumMax), (long long)aCrit[k].weight);
      return at_row(e, aCrit[k].iRow, NULL, "criterion_weight");
    }
  if (sumWeight != 100)
    return gerr_set(e, GERR_VALIDATION, "criterion_weight",
                    "column criterion_weight: the criteria's weights add up to %lld, not 100", (long long)sumWeight);
  return 0;
}

static int c_scheme_export(cli_db *d, const char **azArg, const char **azVal) {
  int64_t idCat;
  int rc = pos_id("CATEGORY_ID", azArg[0], &idCat);
  if (rc) return rc;
  gerr e;
  scheme_row *a;
  int n;
  if (scheme_load(d, idCat, &a, &n, &e)) return cli_fail(&e);
  gbuf b;
  gbuf_init(&b, (size_t)64 << 20);
  for (int k = 0; k < S__N; k++) rc |= csv_out_text(&b, azSchemeCol[k], k == S__N - 1);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < S__N; k++) rc |= csv_out_text(&b, a[i].az[k], k == S__N - 1);
  const char *zOut = OPT("out");
  FILE *f = zOut ? fopen(zOut, "wb") : stdout;
  if (!f) {
    gbuf_free(&b);
    fprintf(stderr, "guild: cannot write %s\n", zOut);
    return CLI_FAIL;
  }
  int bOk = !rc && fwrite(b.z ? b.z : "", 1, b.n, f) == b.n;
  if (zOut) bOk &= fclose(f) == 0;
  gbuf_free(&b);
  if (!bOk) {
    fprintf(stderr, "guild: cannot write the marking scheme%s%s\n", zOut ? " to " : "", zOut ? zOut : "");
    return CLI_FAIL;
  }
  if (zOut) printf("category %lld: %d rows written to %s\n", (long long)idCat, n, zOut);
  return CLI_OK;
}

/* Reads a CSV file with exactly the header azHead (nCol columns); every
 * data row must have nCol fields. */
static int read_csv(cli_db *d, const char *zPath, const char *const *azHead, int nCol, csv_table *t, gerr *e) {
  if (csv_read_file(&d->ar, zPath, 64, t, e)) return -1;
  if (t->nRow == 0) return gerr_set(e, GERR_VALIDATION, NULL, "%.200s is empty: the header row is missing", zPath);
  for (int k = 0; k < nCol; k++)
    if (t->anField[0] != nCol || strcmp(t->aazField[0][k], azHead[k])) {
      char zWant[400] = "";
      for (int j = 0; j < nCol; j++) {
        size_t m = strlen(zWant);
        snprintf(zWant + m, sizeof zWant - m, "%s%s", j ? "," : "", azHead[j]);
      }
      return gerr_set(e, GERR_VALIDATION, NULL, "row 1: the header must be %s", zWant);
    }
  for (int i = 1; i < t->nRow; i++)
    if (t->anField[i] != nCol)
      return gerr_set(e, GERR_VALIDATION, NULL, "row %d: %d fields, the header has %d", i + 1, t->anField[i], nCol);
  return 0;
}

static int c_scheme_import(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  int64_t idCat;
  int rc = pos_id("CATEGORY_ID", azArg[0], &idCat);
  if (rc) return rc;
  gerr e;
  csv_table t;
  if (read_csv(d, azArg[1], azSchemeCol, S__N, &t, &e)) {
    fprintf(stderr, "guild: %s: nothing was imported\n", azArg[1]);
    return cli_fail(&e);
  }
  scheme_row *a = arena_alloc(&d->ar, (size_t)(t.nRow ? t.nRow : 1) * sizeof *a);
  for (int i = 1; i < t.nRow; i++) {
    a[i - 1].iRow = i + 1;
    for (int k = 0; k < S__N; k++) a[i - 1].az[k] = t.aazField[i][k];
  }
  if (db_begin(d->pDb, &e)) return cli_fail(&e);
  if (scheme_write(d, idCat, a, t.nRow - 1, &e) || db_commit(d->pDb, &e)) {
    if (db_depth(d->pDb)) db_rollback(d->pDb);
    fprintf(stderr, "guild: %s: nothing was imported\n", azArg[1]);
    return cli_fail(&e);
  }
  printf("category %lld: marking scheme imported (%d rows)\n", (long long)idCat, t.nRow - 1);
  return CLI_OK;
}

static int c_scheme_copy(cli_db *d, const char **azArg, const char **azVal) {
  (void)azArg;
  int64_t idFrom, idTo;
  int rc;
  if (!OPT("from") || !OPT("to")) {
    fprintf(stderr, "guild competition: scheme copy needs --from CATEGORY_ID and --to CATEGORY_ID\n");
    return CLI_USAGE;
  }
  if ((rc = cli_int(CMD, "from", OPT("from"), 1, INT64_MAX, &idFrom)) ||
      (rc = cli_int(CMD, "to", OPT("to"), 1, INT64_MAX, &idTo)))
    return rc;
  gerr e;
  scheme_row *a;
  int n;
  if (scheme_load(d, idFrom, &a, &n, &e)) return cli_fail(&e);
  for (int i = 0; i < n; i++) a[i].iRow = i + 2;   /* as in the exported CSV */
  if (db_begin(d->pDb, &e)) return cli_fail(&e);
  if (scheme_write(d, idTo, a, n, &e) || db_commit(d->pDb, &e)) {
    if (db_depth(d->pDb)) db_rollback(d->pDb);
    return cli_fail(&e);
  }
  printf("marking scheme of category %lld copied to category %lld (%d rows)\n", (long long)idFrom, (long long)idTo, n);
  return CLI_OK;
}

/* --- entries, judges, marks ---------------------------------------------------- */

static int c_enter(cli_db *d, const char **azArg, const char **azVal) {
  int64_t idCat, idPerson, idInst;
  int rc;
  if ((rc = pos_id("CATEGORY_ID", azArg[0], &idCat)) || (rc = pos_id("PERSON_ID", azArg[1], &idPerson))) return rc;
  if (!OPT("institution")) {
    fprintf(stderr, "guild competition: enter needs --institution ID (the institution entering the learner)\n");
    return CLI_USAGE;
  }
  if ((rc = cli_int(CMD, "institution", OPT("institution"), 1, INT64_MAX, &idInst))) return rc;
  gerr e;
  dom_rec in, out;
  dom_rec_init(&in, &dom_competitor);
  dom_set_int(&in, "category_id", idCat);
  dom_set_int(&in, "person_id", idPerson);
  dom_set_int(&in, "institution_id", idInst);
  dom_set_int(&in, "consent", OPT("consent") != NULL);   /* the domain refuses an entry without it */
  if (dom_create(&d->c, &dom_competitor, &in, &out, &e)) {
    if (!strcmp(e.field, "consent"))
      fprintf(stderr, "guild: give --consent once the learner has agreed to take part\n");
    return cli_fail(&e);
  }
  printf("competitor %lld entered: person %lld in category %lld (consent recorded by %s)\n", (long long)out.id,
         (long long)idPerson, (long long)idCat, dom_v(&out, "consent_by")->z);
  return CLI_OK;
}

static int c_judges(cli_db *d, const char **azArg, const char **azVal) {
  int64_t idCat, idPerson, idInst = 0;
  int rc;
  if ((rc = pos_id("CATEGORY_ID", azArg[0], &idCat)) || (rc = pos_id("PERSON_ID", azArg[1], &idPerson))) return rc;
  if (OPT("institution") && (rc = cli_int(CMD, "institution", OPT("institution"), 1, INT64_MAX, &idInst))) return rc;
  gerr e;
  dom_rec in, out;
  dom_rec_init(&in, &dom_judge);
  dom_set_int(&in, "category_id", idCat);
  dom_set_int(&in, "person_id", idPerson);
  if (idInst) dom_set_int(&in, "institution_id", idInst);
  dom_set_int(&in, "chief", OPT("chief") != NULL);
  if (dom_create(&d->c, &dom_judge, &in, &out, &e)) return cli_fail(&e);
  printf("judge %lld: person %lld judges category %lld%s\n", (long long)out.id, (long long)idPerson, (long long)idCat,
         OPT("chief") ? " as chief judge" : "");
  return CLI_OK;
}

static const char *const azMarkCol[] = {"competitor_id", "aspect_id", "judge_person_id", "value"};
static const char *const azMarkMap[] = {"competitor_id", "competitor_id", "aspect_id", "aspect_id", "judge_id",
                                        "judge_person_id", "value", "value", NULL};

static int c_marks_import(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  gerr e;
  csv_table t;
  if (read_csv(d, azArg[0], azMarkCol, 4, &t, &e)) goto fail;
  if (t.nRow < 2) {
    gerr_set(&e, GERR_VALIDATION, NULL, "%s has no marks", azArg[0]);
    goto fail;
  }
  if (db_begin(d->pDb, &e)) goto fail;
  for (int i = 1; i < t.nRow; i++) {
    const char **az = t.aazField[i];
    int64_t aId[3];
    for (int k = 0; k < 3; k++)
      if (text_int64(az[k], &aId[k]) || aId[k] <= 0) {
        gerr_set(&e, GERR_VALIDATION, NULL, "must be a positive whole number (got '%.40s')", az[k]);
        at_row(&e, i + 1, NULL, azMarkCol[k]);
        goto fail;
      }
    int64_t v = parse_centi(az[3]);
    if (v < 0 || v > 10000) {
      gerr_set(&e, GERR_VALIDATION, NULL, "a mark from 0 to 100 with at most two decimals (got '%.40s')", az[3]);
      at_row(&e, i + 1, NULL, "value");
      goto fail;
    }
    dom_rec in, out;
    dom_rec_init(&in, &dom_mark);
    dom_set_int(&in, "competitor_id", aId[0]);
    dom_set_int(&in, "aspect_id", aId[1]);
    dom_set_int(&in, "value", v);
    d->c.idPerson = aId[2];   /* the CLI enters the mark as the judge the row names */
    int rc = dom_create(&d->c, &dom_mark, &in, &out, &e);
    d->c.idPerson = 0;
    if (rc) {
      at_row(&e, i + 1, azMarkMap, NULL);
      goto fail;
    }
  }
  if (db_commit(d->pDb, &e)) goto fail;
  printf("%d marks imported\n", t.nRow - 1);
  return CLI_OK;
fail:
  if (db_depth(d->pDb)) db_rollback(d->pDb);
  fprintf(stderr, "guild: %s: nothing was imported\n", azArg[0]);
  return cli_fail(&e);
}

static int c_lock(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  int64_t idCat;
  int rc = pos_id("CATEGORY_ID", azArg[0], &idCat);
  if (rc) return rc;
  gerr e;
  dom_rec out;
  if (comp_lock_category(&d->c, idCat, &out, &e)) return cli_fail(&e);
  printf("category %lld locked by %s\n", (long long)idCat, dom_v(&out, "locked_by")->z);
  return CLI_OK;
}

static int transition(cli_db *d, const char *zEdition, const char *zTo) {
  int64_t id;
  int rc = pos_id("EDITION_ID", zEdition, &id);
  if (rc) return rc;
  gerr e;
  dom_rec out;
  if (comp_transition(&d->c, id, zTo, &out, &e)) return cli_fail(&e);
  printf("edition %lld is now %s\n", (long long)id, dom_v(&out, "state")->z);
  return CLI_OK;
}

static int c_transition(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  return transition(d, azArg[0], azArg[1]);
}

static int c_publish(cli_db *d, const char **azArg, const char **azVal) {
  (void)azVal;
  return transition(d, azArg[0], "published");
}

/* --- results and statistics ---------------------------------------------------- */

/* The --format: 0 text, 1 json, 2 csv; -1 after a usage error. */
static int format_of(const char **azVal) {
  const char *z = OPT("format");
  if (!z || !strcmp(z, "text")) return 0;
  if (!strcmp(z, "json")) return 1;
  if (!strcmp(z, "csv")) return 2;
  fprintf(stderr, "guild competition: --format is text, json or csv (got '%s')\n", z);
  return -1;
}

static int print_json(json_t *j) {
  char *z = json_dumps(j, JSON_INDENT(2));
  json_decref(j);
  if (!z) return CLI_FAIL;
  printf("%s\n", z);
  free(z);
  return CLI_OK;
}

static int print_csv(int rc, gbuf *b, gerr *e) {
  if (rc == 0) fwrite(b->z ? b->z : "", 1, b->n, stdout);
  gbuf_free(b);
  return rc ? cli_fail(e) : CLI_OK;
}

static void print_results_text(const comp_edition_results *p) {
  printf("edition %lld (%s): results\n", (long long)p->edition_id, p->zState);
  for (int k = 0; k < p->nCat; k++) {
    const comp_cat_results *cat = &p->aCat[k];
    printf("\n%s (category %lld)\n", cat->zName, (long long)cat->category_id);
    printf("  %-5s %-11s %-30s %-11s %7s %8s  %s\n", "rank", "competitor", "name", "institution", "raw", "standard",
           "medal");
    for (int rank = 1; rank <= cat->nRow; rank++)
      for (int i = 0; i < cat->nRow; i++) {
        const comp_result_row *x = &cat->aRow[i];
        if (x->rank != rank) continue;
        char zName[200];
        snprintf(zName, sizeof zName, "%s%s%s", x->zGiven, x->zFamily[0] ? " " : "", x->zFamily);
        printf("  %-5d %-11lld %-30s %-11lld %7.2f %8d  %s\n", x->rank, (long long)x->competitor_id, zName,
               (long long)x->institution_id, round(x->raw * 100) / 100, x->standard,
               x->medal ? comp_medal_name(x->medal) : "-");
      }
  }
  printf("\ninstitutions (gold 4, silver 3, bronze 2, medallion 1)\n");
  printf("  %-11s %6s %4s %6s %6s %9s %11s %13s\n", "institution", "points", "gold", "silver", "bronze", "medallion",
         "competitors", "mean_standard");
  for (int i = 0; i < p->nInst; i++) {
    const comp_institution_row *x = &p->aInst[i];
    printf("  %-11lld %6d %4d %6d %6d %9d %11d %13.1f\n", (long long)x->institution_id, x->points, x->gold, x->silver,
           x->bronze, x->medallion, x->competitors, round(x->meanStandard * 10) / 10);
  }
}

static int c_results(cli_db *d, const char **azArg, const char **azVal) {
  int64_t id;
  int rc = pos_id("EDITION_ID", azArg[0], &id), fmt = format_of(azVal);
  if (rc) return rc;
  if (fmt < 0) return CLI_USAGE;
  gerr e;
  comp_edition_results res;
  if (comp_edition_results_load(&d->c, id, &res, &e)) return cli_fail(&e);
  if (fmt == 1) return print_json(api_results_json(&res));
  if (fmt == 2) {
    gbuf b;
    gbuf_init(&b, API_CSV_MAX);
    return print_csv(api_results_csv(&res, NULL, &b, &e), &b, &e);
  }
  print_results_text(&res);
  return CLI_OK;
}

static const char *pct(char *z, size_t n, int bGrowth, double x) {
  if (!bGrowth || isnan(x)) snprintf(z, n, "-");
  else snprintf(z, n, "%+.1f%%", x * 100);
  return z;
}

static void print_medals_text(const char *zTitle, const comp_medal_count *a, int n) {
  if (!n) return;
  printf("  %s\n", zTitle);
  for (int i = 0; i < n; i++)
    printf("    %-8lld %-30s points %3d  gold %2d  silver %2d  bronze %2d  medallion %2d\n", (long long)a[i].id,
           a[i].zName, a[i].points, a[i].gold, a[i].silver, a[i].bronze, a[i].medallion);
}

static void print_stats_text(const comp_stats *p) {
  printf("%-5s %-8s %-13s %12s %8s %10s %8s %12s %6s %5s %10s\n", "year", "edition", "state", "participants", "growth",
         "categories", "growth", "institutions", "female", "male", "unrecorded");
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    char zP[16], zC[16];
    printf("%-5d %-8lld %-13s %12d %8s %10d %8s %12d %6d %5d %10d\n", s->year, (long long)s->edition_id, s->zState,
           s->participants, pct(zP, sizeof zP, s->bGrowth, s->participantGrowth), s->categories,
           pct(zC, sizeof zC, s->bGrowth, s->categoryGrowth), s->institutions, s->female, s->male, s->unrecorded);
  }
  printf("all   %-8d %-13s %12d %8s %10d %8s %12d %6d %5d %10d\n", p->nEdition, "editions", p->participants, "",
         p->categories, "", p->institutions, p->female, p->male, p->unrecorded);
  printf("distinct competitors: %d\n", p->distinct_competitors);
  for (int i = 0; i < p->nEdition; i++) {
    const comp_edition_stats *s = &p->aEdition[i];
    if (!s->bMedals) continue;
    printf("\nmedals %d (edition %lld, %s)\n", s->year, (long long)s->edition_id, s->zName);
    print_medals_text("by institution", s->aInstMedal, s->nInstMedal);
    print_medals_text("by area", s->aAreaMedal, s->nAreaMedal);
  }
  if (p->nInstMedal) {
    printf("\nmedals across editions\n");
    print_medals_text("by institution", p->aInstMedal, p->nInstMedal);
    print_medals_text("by area", p->aAreaMedal, p->nAreaMedal);
  }
}

static int c_stats(cli_db *d, const char **azArg, const char **azVal) {
  (void)azArg;
  int fmt = format_of(azVal);
  if (fmt < 0) return CLI_USAGE;
  gerr e;
  comp_stats st;
  if (comp_stats_load(&d->c, &st, &e)) return cli_fail(&e);
  if (fmt == 1) return print_json(api_stats_json(&st));
  if (fmt == 2) {
    gbuf b;
    gbuf_init(&b, API_CSV_MAX);
    return print_csv(api_stats_csv(&st, NULL, &b, &e), &b, &e);
  }
  print_stats_text(&st);
  return CLI_OK;
}

/* --- the subcommand table ------------------------------------------------------ */

static const struct {
  const char *zSub, *zSub2;   /* e.g. "scheme" "import"; zSub2 NULL for one word */
  int nArg;
  int (*xRun)(cli_db *d, const char **azArg, const char **azVal);
  const char *zUsage;
} aSub[] = {
    {"create", NULL, 0, c_create, "competition create --year Y --name NAME --area ID --start DATE --end DATE"},
    {"scheme", "export", 1, c_scheme_export, "competition scheme export CATEGORY_ID [--out FILE]"},
    {"scheme", "import", 2, c_scheme_import, "competition scheme import CATEGORY_ID FILE"},
    {"scheme", "copy", 0, c_scheme_copy, "competition scheme copy --from CATEGORY_ID --to CATEGORY_ID"},
    {"enter", NULL, 2, c_enter, "competition enter CATEGORY_ID PERSON_ID --institution ID --consent"},
    {"judges", NULL, 2, c_judges, "competition judges CATEGORY_ID PERSON_ID [--institution ID] [--chief]"},
    {"marks", "import", 1, c_marks_import, "competition marks import FILE"},
    {"lock", NULL, 1, c_lock, "competition lock CATEGORY_ID"},
    {"transition", NULL, 2, c_transition, "competition transition EDITION_ID STATE"},
    {"publish", NULL, 1, c_publish, "competition publish EDITION_ID"},
    {"results", NULL, 1, c_results, "competition results EDITION_ID [--format text|json|csv]"},
    {"stats", NULL, 0, c_stats, "competition stats [--format text|json|csv]"},
};

int cmd_competition(int argc, char **argv) {
  const char *azVal[20] = {0}, *azPos[5] = {0};
  int nPos, rc = cli_parse(CMD, argc, argv, azVal, azPos, 5, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  size_t i = 0, nSub = sizeof aSub / sizeof aSub[0];
  while (i < nSub && !(azPos[0] && !strcmp(aSub[i].zSub, azPos[0]) &&
                       (!aSub[i].zSub2 || (azPos[1] && !strcmp(aSub[i].zSub2, azPos[1])))))
    i++;
  if (i == nSub) {
    fprintf(stderr, "guild competition: say create, scheme export|import|copy, enter, judges, marks import, lock, "
                    "transition, publish, results or stats (see guild help competition)\n");
    return CLI_USAGE;
  }
  int nWord = aSub[i].zSub2 ? 2 : 1;
  if (nPos != nWord + aSub[i].nArg) {
    fprintf(stderr, "guild competition: usage: guild %s\n", aSub[i].zUsage);
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(OPT("db")), &d, &e)) return cli_fail(&e);
  rc = aSub[i].xRun(&d, azPos + nWord, azVal);
  cli_close(&d);
  return rc;
}
