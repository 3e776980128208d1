/* err.h: user-facing errors (gerr) and bugs (g_panic).
 * A gerr carries a code from errors.def, the field it concerns (may be
 * empty) and a human message. Functions that can fail take a gerr* and
 * return -1 after filling it (gerr_set returns -1 for that purpose). */
#ifndef GUILD_ERR_H
#define GUILD_ERR_H

typedef enum {
#define XX(name, status, code, msg) GERR_##name,
#include "core/errors.def"
#undef XX
  GERR__MAX
} gerr_code;

typedef struct gerr {
  gerr_code code;
  char field[64];
  char msg[512];
} gerr;

/* Fills e (if non-NULL) with code, field (may be NULL) and a printf-style
 * message (NULL fmt: the code's default message). Always returns -1. */
int gerr_set(gerr *e, gerr_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void gerr_clear(gerr *e);
int gerr_status(gerr_code code);        /* HTTP status of a code */
const char *gerr_name(gerr_code code);  /* machine code, e.g. "not_found" */
const char *gerr_default(gerr_code code);

/* Reports a bug (not a user error) with file/line and aborts. */
_Noreturn void g_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define g_panic(...) g_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
