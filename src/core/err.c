/* err.c: the tables behind errors.def and the helpers that fill a gerr. */
#include "core/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  int status;
  const char *zCode;
  const char *zMsg;
} aErr[GERR__MAX] = {
#define XX(name, status, code, msg) {status, code, msg},
#include "core/errors.def"
#undef XX
};

int gerr_set(gerr *e, gerr_code code, const char *field, const char *fmt, ...) {
  if (!e) return -1;
  e->code = code;
  snprintf(e->field, sizeof e->field, "%s", field ? field : "");
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  } else {
    snprintf(e->msg, sizeof e->msg, "%s", aErr[code].zMsg);
  }
  return -1;
}

void gerr_clear(gerr *e) {
  if (!e) return;
  e->code = GERR_OK;
  e->field[0] = 0;
  e->msg[0] = 0;
}

int gerr_status(gerr_code code) { return code < GERR__MAX ? aErr[code].status : 500; }
const char *gerr_name(gerr_code code) { return code < GERR__MAX ? aErr[code].zCode : "internal"; }
const char *gerr_default(gerr_code code) { return code < GERR__MAX ? aErr[code].zMsg : "internal error"; }

_Noreturn void g_panic_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "guild: internal error at %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}
