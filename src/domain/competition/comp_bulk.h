/* comp_bulk.h: a competition's operations on many records at once, each
 * one call of the API where the record routes take a call a record: a
 * judge's marks for one competitor or for a whole category, a category's
 * competitors, and a judge's assignment together with their person,
 * account and judge grant. (The marking scheme's CSV import and copy are
 * comp_csv.h's.)
 *
 * Each is one transaction, all or nothing. The rule of the whole operation
 * is checked first (403/404), then what the whole depends on (the edition's
 * state: 409, field "state"); then every row goes through the same rules as
 * the record route (dom_create: its access rule and scope, its checks, its
 * unique keys, its audit entry). A refused row refuses them all: nothing is
 * written, and the error (GERR_ROWS, gerr_rows_fail) lists every refused
 * row with its index, field, code and reason, together with the rows the
 * caller refused before (pRows: e.g. a value of the wrong JSON type; such
 * rows have bRefused set and are not written). */
#ifndef GUILD_COMP_BULK_H
#define GUILD_COMP_BULK_H
#include "domain/engine/entity.h"

#define COMP_BULK_MAX 10000   /* rows in one call */

/* For this module's bulk writers (here and comp_csv.c): writes row i
 * (0 with *pId set), skips it (1: refused by the caller already, in
 * pRows), or refuses it (-1 with e: field and reason). */
typedef int (*comp_row_fn)(dom_ctx *c, void *pArg, int i, int64_t *pId, gerr *e);
/* Runs xRow on rows 0..n-1 (1 to COMP_BULK_MAX) in one transaction, each
 * with a scratch arena of its own (memory does not grow with the rows),
 * collecting the refused ones in pRows, by index (iFirstRow 0) or as the
 * CSV rows iFirstRow + i; commits only when no row was refused (none of
 * the caller's either), else refuses them all (gerr_rows_fail). A database
 * error stops it at once (that error). aId (may be NULL): the ids the rows
 * got. 0, or -1 with e. */
int comp_rows_write(dom_ctx *c, int n, int iFirstRow, comp_row_fn xRow, void *pArg, gerr_rows *pRows, const char *zList,
                    int64_t *aId, gerr *e);

/* One mark: the competitor (ignored on a competitor's own call), the
 * aspect and the value in hundredths (a judgement's score 2 is 200). */
typedef struct comp_mark_in {
  int64_t competitor_id, aspect_id, value;
  int bRefused;   /* already refused by the caller (in pRows) */
} comp_mark_in;

/* Enters the marks a[0..n-1] as the signed-in judge (c->idPerson), each
 * as POST /api/v1/marks would (mark.c: only in the judge's categories,
 * never for a competitor of their own institution, values the aspect
 * allows, an aspect once per competitor and judge). For one competitor
 * (comp_rule_marking on it) or for category idCategory (comp_rule_marking
 * on it; each row's competitor must be entered in it). The edition must be
 * in marking and the category not locked. aId[i] gets the id of the mark
 * of row i. zList names the rows in errors ("marks"). 0, or -1 with e. */
int comp_marks_for_competitor(dom_ctx *c, int64_t idCompetitor, const comp_mark_in *a, int n, gerr_rows *pRows,
                              const char *zList, int64_t *aId, gerr *e);
int comp_marks_for_category(dom_ctx *c, int64_t idCategory, const comp_mark_in *a, int n, gerr_rows *pRows,
                            const char *zList, int64_t *aId, gerr *e);

/* One entry: the learner, the entering institution (0: not given; staff
 * get theirs) and the learner's consent (bConsent, when bConsentGiven). */
typedef struct comp_entry_in {
  int64_t person_id, institution_id;
  int bConsent, bConsentGiven;
  int bRefused;
} comp_entry_in;

/* Enters competitors a[0..n-1] in category idCategory, each as POST
 * /api/v1/competitors would (comp_rule_entry: staff only for their own
 * institution; the learner's own consent; a person once per category),
 * while the edition is in registration. aId[i]: the new competitor's id. */
int comp_enter_competitors(dom_ctx *c, int64_t idCategory, const comp_entry_in *a, int n, gerr_rows *pRows,
                           const char *zList, int64_t *aId, gerr *e);

/* A judge's assignment in one step. The person: person_id, or a new one
 * from pPerson (dom_person's fields; its refusals name "person.FIELD").
 * The account: user_id (an account of that person, or of no one yet: it is
 * then linked to the person), or a new one named zUsername (display name
 * zDisplayName, or the person's name) with a random one-time password, or
 * neither: the person's own account (refused when they have none or more
 * than one). Then the judge grant (unless the account holds it) and the
 * assignment to the category (institution_id, 0 for none; bChief). */
typedef struct comp_judge_in {
  int64_t person_id;
  const dom_rec *pPerson;
  int64_t user_id;
  const char *zUsername, *zDisplayName;
  int64_t institution_id;
  int bChief;
} comp_judge_in;

#define COMP_ONE_TIME_PASSWORD 20   /* characters of a new account's password */

typedef struct comp_judge_out {
  dom_rec judge, person, user, grant;
  int bNewPerson, bNewUser, bNewGrant;
  char zPassword[COMP_ONE_TIME_PASSWORD + 1];   /* a new account's password ("" otherwise): shown once, kept only hashed */
} comp_judge_out;

/* Does it, the region administrator's (pol_admin), in one transaction, at
 * any time the judge rules allow an assignment (judge.c). 0, or -1 with e
 * (nothing written). */
int comp_assign_judge(dom_ctx *c, int64_t idCategory, const comp_judge_in *in, comp_judge_out *out, gerr *e);

#endif
