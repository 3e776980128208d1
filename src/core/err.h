/* err.h: user-facing errors (gerr) and bugs (g_panic).
 * A gerr carries a code from errors.def, the field it concerns (may be
 * empty) and a human message. Functions that can fail take a gerr* and
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

/* One refused row of an all-or-nothing operation on many rows: where it is
 * (its index in the request's list, from 0, or -1; its row in a CSV file,
 * the header being row 1, or 0), the field (or column) it concerns (""
 * when none), why (its own code and message, without the position). */
typedef struct gerr_row {
  int iIndex, iRow;
  gerr_code code;
  const char *zField, *zMsg;
} gerr_row;

typedef struct gerr {
  gerr_code code;
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
void gerr_clear(gerr *e);
int gerr_status(gerr_code code);        /* HTTP status of a code */
const char *gerr_name(gerr_code code);  /* machine code, e.g. "not_found" */
const char *gerr_default(gerr_code code);

/* Collects the refused rows of an all-or-nothing operation, in the arena
 * pAr (which must outlive the error it is reported in). */
typedef struct gerr_rows {
  arena *pAr;
  gerr_row *a;
  int n, nAlloc;
} gerr_rows;
void gerr_rows_init(gerr_rows *p, arena *pAr);
/* Adds a refused row: its index (-1: none) or CSV row (0: none), and why:
 * eRow's code and message, with zField (NULL: eRow's field) as its field. */
void gerr_rows_add(gerr_rows *p, int iIndex, int iRow, const char *zField, const gerr *eRow);
/* Refuses the whole operation when rows were refused: fills e with
 * GERR_ROWS, field zList (the request's list, e.g. "marks"; NULL for a
 * file), the message "N of M rows refused; nothing was written: " and as
 * many rows' reasons as fit ("marks[3]: ...", "row 3, column kind: ..."),
 * and the rows, sorted by position. Returns -1; 0 (e untouched) when no
 * row was refused. */
int gerr_rows_fail(gerr *e, const gerr_rows *p, int nTotal, const char *zList);

/* Reports a bug (not a user error) with file/line and aborts. */
_Noreturn void g_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define g_panic(...) g_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
