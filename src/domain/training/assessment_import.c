/* assessment_import.c: assessment results from a CSV file (`guild
 * assessment import FILE`). One row per decision: assessment (the event's
 * id), learner (the person's id), criterion (its code in the event's
 * unit), outcome, and the assessor's four declarations (evidence_valid,
 * evidence_sufficient, evidence_authentic, evidence_current: true or false,
 * empty is false). The rows of one learner in one event are recorded
 * together by asmt_record, with the API's rules, all of them in one
 * transaction: one refused row and nothing is written. The report is the
 * import engine's (import.h: row, column, value, reason), so the CLI
 * prints and writes it as it does every import's. */
#include "domain/training/asmt_int.h"
#include "domain/imports/import_text.h"
#include "io/csv/csv_in.h"
#include "core/text.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { C_ASSESSMENT, C_LEARNER, C_CRITERION, C_OUTCOME, C_VALID, C_SUFFICIENT, C_AUTHENTIC, C_CURRENT, C__MAX };

static const struct {
  const char *zName;
  int bRequired;
} aCol[C__MAX] = {
    {"assessment", 1}, {"learner", 1}, {"criterion", 1}, {"outcome", 1},
    {"evidence_valid", 0}, {"evidence_sufficient", 0}, {"evidence_authentic", 0}, {"evidence_current", 0},
};

#define MAX_COLUMNS 32

/* One learner in one event: the rows that decide for them. */
typedef struct group {
  int64_t idEvent, idPerson;
  int *aiRow;        /* file rows, in order */
  asmt_decision *aDec;
  int n, nAlloc;
  int bBad;          /* one of its rows does not read: it is not recorded */
} group;

typedef struct importer {
  dom_ctx *c;
  imp_result *r;
  const csv_table *t;
  int aiCol[C__MAX];  /* the file's column of each, -1: none */
  int nErrAlloc, nWhyAlloc;
  gerr *aWhy;         /* the rule of each entry of r->aErr (its reason and parameters), in the same order */
  group *aGroup;
  int nGroup, nGroupAlloc;
} importer;

/* Reports row iRow's zColumn (its cell zValue) as refused by the rule
 * pWhy (reason and parameters), in the words zReason (NULL: pWhy's). */
static void report(importer *m, int iRow, const char *zColumn, const char *zValue, const gerr *pWhy, const char *zReason) {
  imp_result *r = m->r;
  r->aErr = asmt_grow(m->c->pAr, r->aErr, r->nErr, &m->nErrAlloc, sizeof *r->aErr);
  m->aWhy = asmt_grow(m->c->pAr, m->aWhy, r->nErr, &m->nWhyAlloc, sizeof *m->aWhy);
  m->aWhy[r->nErr] = *pWhy;
  imp_error *p = &r->aErr[r->nErr++];
  p->iRow = iRow;
  p->zColumn = arena_strdup(m->c->pAr, zColumn ? zColumn : "");
  p->zValue = imp_shown(m->c->pAr, zValue ? zValue : "");
  p->zReason = arena_strdup(m->c->pAr, zReason ? zReason : pWhy->msg);
}

/* The cell of column k in row iRow (1-based), "" when the row is short. */
static const char *cell(const importer *m, int iRow, int k) {
  int j = m->aiCol[k];
  return j >= 0 && j < m->t->anField[iRow - 1] ? m->t->aazField[iRow - 1][j] : "";
}

static const char *trimmed(arena *a, const char *z) {
  while (*z == ' ' || *z == '\t') z++;
  size_t n = strlen(z);
  while (n && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\r')) n--;
  return arena_strndup(a, z, n);
}

/* Maps the header: 0, or -1 with its problems reported on row 1. */
static int read_header(importer *m) {
  for (int k = 0; k < C__MAX; k++) m->aiCol[k] = -1;
  int bBad = 0;
  for (int j = 0; j < m->t->anField[0]; j++) {
    const char *z = trimmed(m->c->pAr, m->t->aazField[0][j]);
    int k = 0;
    while (k < C__MAX && strcasecmp(aCol[k].zName, z)) k++;
    gerr w;
    if (k == C__MAX) {
      gerr_setr(&w, GERR_VALIDATION, GR_NOT_ACCEPTED, z);
      report(m, 1, z, z, &w, "not a column of an assessment results file (assessment, learner, criterion, outcome, "
                             "evidence_valid, evidence_sufficient, evidence_authentic, evidence_current)");
      bBad = 1;
    } else if (m->aiCol[k] >= 0) {
      gerr_setr(&w, GERR_VALIDATION, GR_LISTED_TWICE, z, GP_S("value", z));
      report(m, 1, z, z, &w, "this column is given twice");
      bBad = 1;
    } else {
      m->aiCol[k] = j;
    }
  }
  for (int k = 0; k < C__MAX; k++)
    if (aCol[k].bRequired && m->aiCol[k] < 0) {
      gerr w;
      gerr_setr(&w, GERR_VALIDATION, GR_REQUIRED, aCol[k].zName);
      report(m, 1, aCol[k].zName, "", &w, "the file needs this column");
      bBad = 1;
    }
  return bBad ? -1 : 0;
}

/* A whole number from 1, or -1 (reported). */
static int64_t read_id(importer *m, int iRow, int k) {
  const char *z = trimmed(m->c->pAr, cell(m, iRow, k));
  int64_t v = 0;
  if (!*z || text_int64(z, &v) || v < 1) {
    gerr w;
    gerr_setr(&w, GERR_VALIDATION, *z ? GR_NOT_ID : GR_REQUIRED, aCol[k].zName);
    report(m, iRow, aCol[k].zName, z, &w, k == C_ASSESSMENT ? "the assessment event's id (a whole number from 1)"
                                                           : "the learner's person id (a whole number from 1)");
    return -1;
  }
  return v;
}

/* true/yes/1 or false/no/0 or empty (false); -1 (reported) otherwise. */
static int read_bool(importer *m, int iRow, int k) {
  static const char *const azTrue[] = {"true", "yes", "1"}, *const azFalse[] = {"false", "no", "0", ""};
  const char *z = trimmed(m->c->pAr, cell(m, iRow, k));
  for (size_t i = 0; i < sizeof azTrue / sizeof azTrue[0]; i++)
    if (!strcasecmp(z, azTrue[i])) return 1;
  for (size_t i = 0; i < sizeof azFalse / sizeof azFalse[0]; i++)
    if (!strcasecmp(z, azFalse[i])) return 0;
  gerr w;
  gerr_setr(&w, GERR_VALIDATION, GR_NOT_BOOLEAN, aCol[k].zName);
  report(m, iRow, aCol[k].zName, z, &w, "must be true or false (or yes/no, 1/0; empty is false)");
  return -1;
}

static const char zCriterion[] =
    "SELECT pc.id FROM performance_criteria pc JOIN assessments a ON a.unit_id = pc.unit_id WHERE a.id = $1 AND "
    "pc.code = $2";

/* The group of (idEvent, idPerson), made when new. */
static group *group_of(importer *m, int64_t idEvent, int64_t idPerson) {
  for (int g = 0; g < m->nGroup; g++)
    if (m->aGroup[g].idEvent == idEvent && m->aGroup[g].idPerson == idPerson) return &m->aGroup[g];
  m->aGroup = asmt_grow(m->c->pAr, m->aGroup, m->nGroup, &m->nGroupAlloc, sizeof *m->aGroup);
  group *p = &m->aGroup[m->nGroup++];
  memset(p, 0, sizeof *p);
  p->idEvent = idEvent;
  p->idPerson = idPerson;
  return p;
}

/* Reads data row iRow into its group: 0, or -1 on a database error. */
static int read_row(importer *m, int iRow, gerr *e) {
  dom_ctx *c = m->c;
  int nBad = m->r->nErr;
  int64_t idEvent = read_id(m, iRow, C_ASSESSMENT), idPerson = read_id(m, iRow, C_LEARNER);
  const char *zCode = trimmed(c->pAr, cell(m, iRow, C_CRITERION));
  const char *zOutcome = trimmed(c->pAr, cell(m, iRow, C_OUTCOME));
  asmt_decision d = {0, zOutcome, {0}};
  gerr w;
  if (strcmp(zOutcome, "competent") && strcmp(zOutcome, "not_yet_competent")) {
    if (*zOutcome)
      gerr_setr(&w, GERR_VALIDATION, GR_NOT_ONE_OF, "outcome", GP_S("allowed", "competent, not_yet_competent"),
                GP_S("got", zOutcome));
    else gerr_setr(&w, GERR_VALIDATION, GR_REQUIRED, "outcome");
    report(m, iRow, "outcome", zOutcome, &w, "competent or not_yet_competent");
  }
  for (int j = 0; j < ASMT__DECL; j++) {
    int b = m->aiCol[C_VALID + j] >= 0 ? read_bool(m, iRow, C_VALID + j) : 0;
    d.abDecl[j] = b > 0;
  }
  if (!*zCode) {
    gerr_setr(&w, GERR_VALIDATION, GR_REQUIRED, "criterion");
    report(m, iRow, "criterion", zCode, &w, "the performance criterion's code in the event's unit");
  }
  if (idEvent > 0 && *zCode) {
    db_stmt *s = db_prepare(c->pDb, zCriterion, e);
    if (!s) return -1;
    db_bind_int(s, 1, idEvent);
    db_bind_text(s, 2, zCode);
    if (asmt_query_int(s, &d.idCriterion, e)) return -1;
    if (!d.idCriterion) {
      gerr_setr(&w, GERR_VALIDATION, GR_NO_CRITERION_CODE, "criterion", GP_S("code", zCode), GP_I("id", idEvent));
      report(m, iRow, "criterion", zCode, &w, NULL);
    }
  }
  if (m->r->nErr > nBad) {   /* the learner's other rows are not recorded either */
    if (idEvent > 0 && idPerson > 0) group_of(m, idEvent, idPerson)->bBad = 1;
    return 0;
  }
  group *g = group_of(m, idEvent, idPerson);
  int nAlloc = g->nAlloc;
  g->aiRow = asmt_grow(c->pAr, g->aiRow, g->n, &nAlloc, sizeof *g->aiRow);
  g->aDec = asmt_grow(c->pAr, g->aDec, g->n, &g->nAlloc, sizeof *g->aDec);
  g->aiRow[g->n] = iRow;
  g->aDec[g->n++] = d;
  return 0;
}

/* The file's column for a field asmt_record names. */
static const char *column_of(const char *zField) {
  static const char *const azMap[][2] = {{"criterion_id", "criterion"}, {"person_id", "learner"},
                                         {"results", "criterion"},      {"outcome", "outcome"}};
  const char *zDot = strrchr(zField, '.');
  const char *z = zDot ? zDot + 1 : zField;
  for (size_t i = 0; i < sizeof azMap / sizeof azMap[0]; i++)
    if (!strcmp(azMap[i][0], z)) return azMap[i][1];
  return z;
}

/* Records group g; its refusals go to the report, on their rows (a
 * refused decision on its own row, a refusal of the learner as a whole on
 * their first). 0, or -1 on a database error. */
static int record_group(importer *m, const group *g, gerr *e) {
  asmt_outcome o;
  gerr eRec;
  gerr_clear(&eRec);
  if (asmt_record(m->c, g->idEvent, g->idPerson, g->aDec, g->n, &o, &eRec) == 0) {
    m->r->nCreated += o.nResult;
    return 0;
  }
  if (eRec.code == GERR_DB || eRec.code == GERR_INTERNAL || eRec.code == GERR_UNAVAILABLE) {
    *e = eRec;
    return -1;
  }
  if (eRec.code != GERR_ROWS) {   /* one reason for the learner's rows as a whole */
    const char *zMsg = eRec.msg;
    size_t n = strlen(eRec.field);
    if (n && !strncmp(zMsg, eRec.field, n) && zMsg[n] == ':') zMsg += n + 2;
    report(m, g->aiRow[0], eRec.field[0] ? column_of(eRec.field) : "", "", &eRec, zMsg);
    return 0;
  }
  for (int k = 0; k < eRec.nRow; k++) {
    const gerr_row *p = &eRec.aRow[k];
    int iRow = p->iIndex >= 0 && p->iIndex < g->n ? g->aiRow[p->iIndex] : g->aiRow[0];
    const char *zColumn = column_of(p->zField);
    int kCol = 0;
    while (kCol < C__MAX && strcmp(aCol[kCol].zName, zColumn)) kCol++;
    gerr w;   /* the row's rule */
    gerr_clear(&w);
    w.code = p->code;
    w.reason = p->reason;
    w.nParam = p->nParam < GERR_MAXPARAM ? p->nParam : GERR_MAXPARAM;
    if (w.nParam) memcpy(w.aParam, p->aParam, (size_t)w.nParam * sizeof *w.aParam);
    report(m, iRow, zColumn, kCol < C__MAX ? cell(m, iRow, kCol) : "", &w, p->zMsg);
  }
  return 0;
}

/* Refuses the import with every entry of the report as a row of e
 * (GERR_ROWS: its CSV row, its column, why), as a bulk route does. -1. */
static int report_fail(importer *m, gerr *e) {
  imp_result *r = m->r;
  gerr_rows rows;
  gerr_rows_init(&rows, m->c->pAr);
  for (int i = 0; i < r->nErr; i++) {
    gerr eRow = m->aWhy[i];
    gerr_msg(&eRow, "%s", r->aErr[i].zReason);
    gerr_rows_add(&rows, -1, r->aErr[i].iRow, r->aErr[i].zColumn, &eRow);
  }
  return gerr_rows_fail(e, &rows, r->nRow, NULL);
}

/* Sorts the report by row (stable: insertion, reports are short), each
 * entry with its rule, and counts the rows it names. */
static void sort_report(importer *m) {
  imp_result *r = m->r;
  for (int i = 1; i < r->nErr; i++) {
    imp_error x = r->aErr[i];
    gerr w = m->aWhy[i];
    int j = i;
    while (j > 0 && r->aErr[j - 1].iRow > x.iRow) {
      r->aErr[j] = r->aErr[j - 1];
      m->aWhy[j] = m->aWhy[j - 1];
      j--;
    }
    r->aErr[j] = x;
    m->aWhy[j] = w;
  }
  r->nInvalid = 0;
  for (int i = 0; i < r->nErr; i++) r->nInvalid += r->aErr[i].iRow > 1 && (!i || r->aErr[i - 1].iRow != r->aErr[i].iRow);
}

int asmt_import(dom_ctx *c, const char *zPath, imp_result *pRes, gerr *e) {
  memset(pRes, 0, sizeof *pRes);
  csv_table t;
  importer m = {c, pRes, &t, {0}, 0, 0, NULL, NULL, 0, 0};
  if (csv_read_file(c->pAr, zPath, MAX_COLUMNS, &t, e)) {
    if (e->code == GERR_VALIDATION && t.iBadRow) report(&m, t.iBadRow, "", "", e, NULL);
    return -1;
  }
  snprintf(pRes->zDigest, sizeof pRes->zDigest, "%s", t.zSha256);
  if (t.nRow == 0) {
    gerr_setr(e, GERR_VALIDATION, GR_NO_FILE, NULL);
    report(&m, 1, "", "", e, "the file is empty: it needs a header row");
    return gerr_msg(e, "the file is empty");
  }
  if (read_header(&m)) {
    sort_report(&m);
    return gerr_setr(e, GERR_VALIDATION, GR_HEADER_UNUSABLE, NULL, GP_I("count", m.r->nErr));
  }
  pRes->nRow = t.nRow - 1;
  if (db_begin(c->pDb, e)) return -1;
  for (int i = 2; i <= t.nRow; i++)
    if (read_row(&m, i, e)) goto fail;
  for (int g = 0; g < m.nGroup; g++)   /* each learner whose rows all read: every refusal is reported */
    if (!m.aGroup[g].bBad && record_group(&m, &m.aGroup[g], e)) goto fail;
  if (pRes->nErr) {
    sort_report(&m);
    db_rollback(c->pDb);
    pRes->nCreated = 0;
    return report_fail(&m, e);
  }
  if (audit_append(c, "import", "assessment_results", pRes->nCreated, pRes->zDigest, e)) goto fail;
  if (db_commit(c->pDb, e)) return -1;   /* rolled back */
  pRes->bCommitted = 1;
  return 0;
fail:
  db_rollback(c->pDb);
  pRes->nCreated = 0;
  return -1;
}
