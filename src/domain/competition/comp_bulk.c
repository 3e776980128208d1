/* comp_bulk.c: a competition's operations on many records at once (see
 * comp_bulk.h): marks for a competitor or a category, a category's
 * competitors, and a judge's assignment with person, account and grant,
 * each one transaction through the record routes' rules. */
#include "domain/competition/comp_bulk.h"
#include "domain/competition/comp.h"
#include "domain/accounts/password.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern dom_entity dom_category, dom_competitor, dom_mark, dom_judge, dom_person, dom_user, dom_grant;

/* Errors that are not a row's fault: the whole operation fails with them. */
static int is_fatal(gerr_code code) { return code == GERR_DB || code == GERR_INTERNAL || code == GERR_UNAVAILABLE; }

int comp_rows_write(dom_ctx *c, int n, int iFirstRow, comp_row_fn xRow, void *pArg, gerr_rows *pRows, const char *zList,
                    int64_t *aId, gerr *e) {
  const char *zWhat = zList ? zList : "the file";
  if (n < 1) {
    gerr_setr(e, GERR_VALIDATION, zList ? GR_EMPTY : GR_CSV_NO_ROWS, zList);
    return gerr_msg(e, "%s: give at least one row", zWhat);
  }
  if (n > COMP_BULK_MAX) {
    gerr_setr(e, GERR_VALIDATION, GR_TOO_MANY_ENTRIES, zList, GP_I("max", COMP_BULK_MAX));
    return gerr_msg(e, "%s: at most %d rows at once", zWhat, COMP_BULK_MAX);
  }
  if (db_begin(c->pDb, e)) return -1;
  arena ar;
  arena_init(&ar);
  dom_ctx rc = *c;
  rc.pAr = &ar;
  int rcAll = 0;
  for (int i = 0; i < n && !rcAll; i++) {
    gerr eRow;
    gerr_clear(&eRow);
    arena_reset(&ar);
    int64_t id = 0;
    if (xRow(&rc, pArg, i, &id, &eRow) < 0) {
      if (is_fatal(eRow.code)) {
        *e = eRow;
        rcAll = -1;
      } else {
        gerr_rows_add(pRows, iFirstRow ? -1 : i, iFirstRow ? iFirstRow + i : 0, NULL, &eRow);
      }
    }
    if (aId) aId[i] = id;
  }
  arena_free(&ar);
  if (!rcAll && pRows->n) rcAll = gerr_rows_fail(e, pRows, n, zList);
  if (rcAll) {
    db_rollback(c->pDb);
    return -1;
  }
  return db_commit(c->pDb, e);
}

/* --- marks ------------------------------------------------------------------- */

static const char zMarkingOpen[] =
    "SELECT e.state, CASE WHEN c.locked_at IS NULL THEN 0 ELSE 1 END, c.name FROM categories c "
    "JOIN editions e ON e.id = c.edition_id WHERE c.id = $1";
static const char zEntered[] = "SELECT id FROM competitors WHERE category_id = $1 ORDER BY id";

/* Refuses (409, field "state") unless category idCategory takes marks: the
 * edition in marking, the category not locked (the words of mark.c). */
static int marking_open(dom_ctx *c, int64_t idCategory, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zMarkingOpen, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCategory);
  int rc = db_step(s, e);
  char zState[16] = "", zName[64] = "";
  int bLocked = 0;
  if (rc == DB_ROW) {
    snprintf(zState, sizeof zState, "%s", db_col_text(s, 0));
    bLocked = (int)db_col_int(s, 1);
    snprintf(zName, sizeof zName, "%s", db_col_text(s, 2));
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  if (rc == DB_DONE)
    return gerr_setr(e, GERR_NOT_FOUND, GR_NOT_FOUND, NULL, GP_S("entity", "category"), GP_I("id", idCategory));
  if (strcmp(zState, "marking")) return comp_state_refusal(e, "marking", "marking", zState);
  if (bLocked) {
    gerr_setr(e, GERR_CONFLICT, GR_MARKS_LOCKED, "state", GP_S("name", zName));
    return gerr_msg(e, "category %s is locked: the chief judge corrects marks, with a reason", zName);
  }
  return 0;
}

/* The competitors entered in category idCategory (withdrawn ones too: mark.c
 * says why they are refused), in id order, into the arena. */
static int entered_ids(dom_ctx *c, int64_t idCategory, int64_t **paId, int *pn, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zEntered, e);
  if (!s) return -1;
  db_bind_int(s, 1, idCategory);
  int n = 0, nAlloc = 64, rc;
  int64_t *a = arena_alloc(c->pAr, (size_t)nAlloc * sizeof *a);
  while ((rc = db_step(s, e)) == DB_ROW) {
    if (n == nAlloc) {
      int64_t *aNew = arena_alloc(c->pAr, (size_t)nAlloc * 2 * sizeof *aNew);
      memcpy(aNew, a, (size_t)n * sizeof *a);
      a = aNew;
      nAlloc *= 2;
    }
    a[n++] = db_col_int(s, 0);
  }
  db_done(s);
  if (rc == DB_ERROR) return -1;
  *paId = a;
  *pn = n;
  return 0;
}

static int cmp_id(const void *pA, const void *pB) {
  int64_t a = *(const int64_t *)pA, b = *(const int64_t *)pB;
  return a < b ? -1 : a > b;
}

typedef struct marks_arg {
  const comp_mark_in *a;
  int64_t idCompetitor;   /* a competitor's call: every row's */
  int64_t idCategory;     /* a category's call: rows must be of its competitors (aIn) */
  const int64_t *aIn;
  int nIn;
} marks_arg;

static int mark_row(dom_ctx *c, void *pArg, int i, int64_t *pId, gerr *e) {
  const marks_arg *p = pArg;
  const comp_mark_in *m = &p->a[i];
  if (m->bRefused) return 1;
  int64_t idComp = p->idCompetitor ? p->idCompetitor : m->competitor_id;
  if (!p->idCompetitor && !bsearch(&idComp, p->aIn, (size_t)p->nIn, sizeof *p->aIn, cmp_id))
    return gerr_setr(e, GERR_VALIDATION, GR_COMPETITOR_ELSEWHERE, "competitor_id", GP_I("id", idComp),
                     GP_I("category", p->idCategory));
  dom_rec in, out;
  dom_rec_init(&in, &dom_mark);
  dom_set_int(&in, "competitor_id", idComp);
  dom_set_int(&in, "aspect_id", m->aspect_id);
  dom_set_int(&in, "value", m->value);
  if (dom_create(c, &dom_mark, &in, &out, e)) return -1;
  *pId = out.id;
  return 0;
}

/* What both marks calls check before the rows: the judge's own account. */
static int judge_account(const dom_ctx *c, gerr *e) {
  if (c->idPerson <= 0) return gerr_setr(e, GERR_FORBIDDEN, GR_JUDGES_ONLY, NULL);
  return 0;
}

int comp_marks_for_competitor(dom_ctx *c, int64_t idCompetitor, const comp_mark_in *a, int n, gerr_rows *pRows,
                              const char *zList, int64_t *aId, gerr *e) {
  dom_rec comp;
  if (pol_check(c, &comp_rule_marking, &dom_competitor, idCompetitor, e) ||
      dom_get(c, &dom_competitor, idCompetitor, &comp, e) || judge_account(c, e) ||
      marking_open(c, dom_v(&comp, "category_id")->i, e))
    return -1;
  marks_arg arg = {a, idCompetitor, 0, NULL, 0};
  return comp_rows_write(c, n, 0, mark_row, &arg, pRows, zList, aId, e);
}

int comp_marks_for_category(dom_ctx *c, int64_t idCategory, const comp_mark_in *a, int n, gerr_rows *pRows,
                            const char *zList, int64_t *aId, gerr *e) {
  dom_rec cat;
  if (pol_check(c, &comp_rule_marking, &dom_category, idCategory, e) ||
      dom_get(c, &dom_category, idCategory, &cat, e) || judge_account(c, e) || marking_open(c, idCategory, e))
    return -1;
  marks_arg arg = {a, 0, idCategory, NULL, 0};
  int64_t *aIn;
  if (entered_ids(c, idCategory, &aIn, &arg.nIn, e)) return -1;
  arg.aIn = aIn;
  return comp_rows_write(c, n, 0, mark_row, &arg, pRows, zList, aId, e);
}

/* --- competitors -------------------------------------------------------------- */

typedef struct entry_arg {
  const comp_entry_in *a;
  int64_t idCategory;
} entry_arg;

static int entry_row(dom_ctx *c, void *pArg, int i, int64_t *pId, gerr *e) {
  const entry_arg *p = pArg;
  const comp_entry_in *x = &p->a[i];
  if (x->bRefused) return 1;
  dom_rec in, out;
  dom_rec_init(&in, &dom_competitor);
  dom_set_int(&in, "category_id", p->idCategory);
  dom_set_int(&in, "person_id", x->person_id);
  if (x->institution_id) dom_set_int(&in, "institution_id", x->institution_id);
  if (x->bConsentGiven) dom_set_int(&in, "consent", x->bConsent);
  if (dom_create(c, &dom_competitor, &in, &out, e)) return -1;
  *pId = out.id;
  return 0;
}

int comp_enter_competitors(dom_ctx *c, int64_t idCategory, const comp_entry_in *a, int n, gerr_rows *pRows,
                           const char *zList, int64_t *aId, gerr *e) {
  dom_rec cat;
  if (pol_check_any(c, &comp_rule_entry, e) || dom_get(c, &dom_category, idCategory, &cat, e) ||
      comp_require_state(c, "category", idCategory, "registration", "entry", e))
    return -1;
  entry_arg arg = {a, idCategory};
  return comp_rows_write(c, n, 0, entry_row, &arg, pRows, zList, aId, e);
}

/* --- a judge in one step ------------------------------------------------------- */

/* Names e's field as a member of zObject ("person.given_name"). */
static int in_object(gerr *e, const char *zObject) {
  if (e->field[0] && !strchr(e->field, '.')) {
    char z[sizeof e->field + 16];
    snprintf(z, sizeof z, "%.15s.%s", zObject, e->field);
    snprintf(e->field, sizeof e->field, "%.*s", (int)sizeof e->field - 1, z);
  }
  return -1;
}

/* Up to nMax records of pEnt whose filter zFilter is id, for the actor. */
static int list_by(dom_ctx *c, const dom_entity *pEnt, const char *zFilter, int64_t id, const char *zFilter2,
                   const char *zValue2, dom_page *pOut, gerr *e) {
  dom_query q;
  memset(&q, 0, sizeof q);
  q.limit = 8;
  if (dom_query_set(&q, pEnt, zFilter, arena_printf(c->pAr, "%lld", (long long)id), c->pAr, e)) return -1;
  if (zFilter2 && dom_query_set(&q, pEnt, zFilter2, zValue2, c->pAr, e)) return -1;
  return dom_list(c, pEnt, &q, pOut, e);
}

/* The person: the one named, or a new one. */
static int judge_person(dom_ctx *c, const comp_judge_in *in, comp_judge_out *out, gerr *e) {
  if (in->pPerson) {
    if (dom_create(c, &dom_person, in->pPerson, &out->person, e)) return in_object(e, "person");
    out->bNewPerson = 1;
    return 0;
  }
  int rc = dom_exists(c, &dom_person, in->person_id, e);
  if (rc < 0) return -1;
  if (!rc)
    return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "person_id", GP_S("entity", "person"), GP_I("id", in->person_id));
  return dom_read(c, &dom_person, in->person_id, &out->person, e);
}

/* The account: the one named (linked to the person if it is no one's), a
 * new one with a one-time password, or the person's own. */
static int judge_user(dom_ctx *c, const comp_judge_in *in, comp_judge_out *out, gerr *e) {
  int64_t idPerson = out->person.id;
  if (in->user_id) {
    int rc = dom_exists(c, &dom_user, in->user_id, e);
    if (rc < 0) return -1;
    if (!rc)
      return gerr_setr(e, GERR_VALIDATION, GR_NO_SUCH_RECORD, "user_id", GP_S("entity", "user"), GP_I("id", in->user_id));
    if (dom_read(c, &dom_user, in->user_id, &out->user, e)) return -1;
    const dom_val *p = dom_v(&out->user, "person_id");
    if (p->bSet && !p->bNull && p->i == idPerson) return 0;
    if (p->bSet && !p->bNull)
      return gerr_setr(e, GERR_CONFLICT, GR_ACCOUNT_OTHERS, "user_id", GP_S("username", dom_v(&out->user, "username")->z),
                       GP_I("person", p->i), GP_I("id", idPerson));
    dom_rec patch;
    dom_rec_init(&patch, &dom_user);
    dom_set_int(&patch, "person_id", idPerson);
    return dom_update(c, &dom_user, in->user_id, out->user.version, &patch, &out->user, e);
  }
  if (in->zUsername) {
    const char *zGiven = dom_v(&out->person, "given_name")->z;
    const dom_val *pFamily = dom_v(&out->person, "family_name");
    const char *zName = in->zDisplayName ? in->zDisplayName
                        : pFamily->bSet && !pFamily->bNull && pFamily->z[0]
                            ? arena_printf(c->pAr, "%s %s", zGiven, pFamily->z)
                            : zGiven;
    password_random(out->zPassword, COMP_ONE_TIME_PASSWORD);
    dom_rec u;
    dom_rec_init(&u, &dom_user);
    dom_set_text(&u, "username", in->zUsername);
    dom_set_text(&u, "display_name", zName);
    dom_set_int(&u, "person_id", idPerson);
    dom_set_text(&u, "password", out->zPassword);
    dom_set_int(&u, "password_must_change", 1);   /* one-time: changed at the first sign-in */
    if (dom_create(c, &dom_user, &u, &out->user, e)) {
      out->zPassword[0] = 0;
      return -1;
    }
    out->bNewUser = 1;
    return 0;
  }
  dom_page pg;
  if (list_by(c, &dom_user, "person", idPerson, NULL, NULL, &pg, e)) return -1;
  if (pg.n == 0)
    return gerr_setr(e, GERR_VALIDATION, GR_NO_ACCOUNT, "username", GP_I("id", idPerson));
  if (pg.n > 1)
    return gerr_setr(e, GERR_VALIDATION, GR_MANY_ACCOUNTS, "user_id", GP_I("id", idPerson), GP_I("count", pg.n));
  out->user = pg.aRec[0];
  return 0;
}

/* The account's judge grant: the one it holds, or a new one. */
static int judge_grant(dom_ctx *c, comp_judge_out *out, gerr *e) {
  dom_page pg;
  if (list_by(c, &dom_grant, "user", out->user.id, "role", "judge", &pg, e)) return -1;
  if (pg.n) {
    out->grant = pg.aRec[0];
    return 0;
  }
  dom_rec g;
  dom_rec_init(&g, &dom_grant);
  dom_set_int(&g, "user_id", out->user.id);
  dom_set_text(&g, "role", "judge");
  if (dom_create(c, &dom_grant, &g, &out->grant, e)) return -1;
  out->bNewGrant = 1;
  return 0;
}

int comp_assign_judge(dom_ctx *c, int64_t idCategory, const comp_judge_in *in, comp_judge_out *out, gerr *e) {
  memset(out, 0, sizeof *out);
  dom_rec cat;
  if (pol_check(c, &pol_admin, &dom_category, idCategory, e) || dom_get(c, &dom_category, idCategory, &cat, e))
    return -1;
  if (!in->pPerson == !(in->person_id > 0))
    return gerr_setr(e, GERR_VALIDATION, in->pPerson ? GR_EXCLUSIVE : GR_JUDGE_PERSON, "person_id", GP_S("other", "person"));
  if (in->user_id && in->zUsername) {
    gerr_setr(e, GERR_VALIDATION, GR_EXCLUSIVE, "username", GP_S("other", "user_id"));
    return gerr_msg(e, "username: give user_id (an existing account) or username (a new one), not both");
  }
  int nDepth = db_depth(c->pDb);
  if (db_begin(c->pDb, e)) return -1;
  if (judge_person(c, in, out, e) || judge_user(c, in, out, e) || judge_grant(c, out, e)) goto fail;
  dom_rec j;
  dom_rec_init(&j, &dom_judge);
  dom_set_int(&j, "category_id", idCategory);
  dom_set_int(&j, "person_id", out->person.id);
  if (in->institution_id) dom_set_int(&j, "institution_id", in->institution_id);
  dom_set_int(&j, "chief", in->bChief);
  if (dom_create(c, &dom_judge, &j, &out->judge, e) || db_commit(c->pDb, e)) goto fail;
  return 0;
fail:
  if (db_depth(c->pDb) > nDepth) db_rollback(c->pDb);   /* a failed COMMIT has rolled back already */
  out->zPassword[0] = 0;
  return -1;
}
