/* err.h: user-facing errors (gerr) and bugs (g_panic).
 * A gerr carries a code from errors.def (its class and HTTP status), a
 * reason from reasons.def (the rule that refused), the rule's named
 * parameters, the field it concerns (may be empty) and a human message
 * (the reason's English template filled, or printf'd by gerr_set). Functions that can fail take a gerr* and
 * return -1 after filling it (gerr_set returns -1 for that purpose). An
 * operation on many rows that is all or nothing (a bulk write) refuses
 * with GERR_ROWS and every refused row attached (gerr_rows). */
#ifndef GUILD_ERR_H
#define GUILD_ERR_H
#include "core/mem.h"

typedef enum {
#define XX(name, status, code, msg) GERR_##name,
#include "core/errors.def"
#undef XX
  GERR__MAX
} gerr_code;

typedef enum {
#define XX(name, key, tmpl) GR_##name,
#include "core/reasons.def"
#undef XX
  GR__MAX
} greason;

/* One named parameter of a reason ({max}, {other}, ...): an integer, a
 * number with two decimals (centi: 1250 is 12.50) or text. */
#define GERR_MAXPARAM 6
typedef struct gerr_param {
  const char *zKey;   /* a string literal */
  char cType;         /* 'i' integer, 'c' centi, 's' text */
  long long i;
  char z[120];        /* the value as text (cut to fit) */
} gerr_param;

/* One refused row of an all-or-nothing operation on many rows: where it is
 * (its index in the request's list, from 0, or -1; its row in a CSV file,
 * the header being row 1, or 0), the field (or column) it concerns (""
 * when none), why (its own code and message, without the position). */
typedef struct gerr_row {
  int iIndex, iRow;
  gerr_code code;
  greason reason;
  const char *zField, *zMsg;
  const gerr_param *aParam;   /* in the operation's arena */
  int nParam;
} gerr_row;

typedef struct gerr {
  gerr_code code;
  greason reason;         /* gerr_set: the code's own (gerr_reason_of_code) */
  int nParam;
  gerr_param aParam[GERR_MAXPARAM];
  char field[64];
  char msg[512];
  const gerr_row *aRow;   /* GERR_ROWS: the refused rows, in order (in the operation's arena) */
  int nRow;
} gerr;

/* Fills e (if non-NULL) with code, field (may be NULL) and a printf-style
 * message (NULL fmt: the code's default message), and no rows. Always
 * returns -1. */
int gerr_set(gerr *e, gerr_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fills e (if non-NULL) with code, reason, field (may be NULL) and the
 * reason's parameters, given after the field as GP_I/GP_C/GP_S items;
 * the message is the reason's English template filled. No rows. Always
 * returns -1. E.g.
 *   gerr_setr(e, GERR_VALIDATION, GR_LENGTH, "name", GP_I("min", 1), GP_I("max", 200), GP_I("got", n)); */
#define gerr_setr(e, code, reason, ...) gerr_setr_((e), (code), (reason), __VA_ARGS__, 0)
#define GP_I(k, v) 'i', (const char *)(k), (long long)(v)
#define GP_C(k, v) 'c', (const char *)(k), (long long)(v)
#define GP_S(k, v) 's', (const char *)(k), (const char *)(v)
int gerr_setr_(gerr *e, gerr_code code, greason reason, const char *field, ...);
/* Writes e's message printf-style instead of the reason's template (for
 * the server's richer English words; the reason and parameters stay).
 * Returns -1. */
int gerr_msg(gerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds (or replaces) the text parameter zKey of e; the message stays. */
void gerr_param_s(gerr *e, const char *zKey, const char *zVal);
/* The parameter zKey of e, NULL when it has none. */
const gerr_param *gerr_param_get(const gerr *e, const char *zKey);
void gerr_clear(gerr *e);
int gerr_status(gerr_code code);        /* HTTP status of a code */
const char *gerr_name(gerr_code code);  /* machine code, e.g. "not_found" */
const char *gerr_default(gerr_code code);
const char *gerr_reason_name(greason r);      /* e.g. "length"; "" for GR_NONE */
const char *gerr_reason_template(greason r);  /* its English template */
/* The reason a code means when no rule is named: its own for the classes
 * that are one rule (bad_json, stale, ...), else the class's general one
 * (invalid, refused, forbidden, no_such, bad_request, usage). */
greason gerr_reason_of_code(gerr_code code);

/* Collects the refused rows of an all-or-nothing operation, in the arena
 * pAr (which must outlive the error it is reported in). */
typedef struct gerr_rows {
  arena *pAr;
  gerr_row *a;
  int n, nAlloc;
} gerr_rows;
void gerr_rows_init(gerr_rows *p, arena *pAr);
/* Adds a refused row: its index (-1: none) or CSV row (0: none), and why:
 * eRow's code, reason, parameters and message, with zField (NULL: eRow's
 * field) as its field. */
void gerr_rows_add(gerr_rows *p, int iIndex, int iRow, const char *zField, const gerr *eRow);
/* Refuses the whole operation when rows were refused: fills e with
 * GERR_ROWS, reason rows_refused (parameters refused and total), field
 * zList (the request's list, e.g. "marks"; NULL for a file), the message
 * "N of M rows refused; nothing was written: " (N counts rows: a row
 * refused for several reasons is one) and as many rows' reasons as fit
 * ("marks[3]: ...", "row 3, column kind: ..."), and the rows, sorted by
 * position (then field and reason). Returns -1; 0 (e untouched) when no
 * row was refused. */
int gerr_rows_fail(gerr *e, const gerr_rows *p, int nTotal, const char *zList);

/* Reports a bug (not a user error) with file/line and aborts. */
_Noreturn void g_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define g_panic(...) g_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
