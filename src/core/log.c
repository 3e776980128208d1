/* log.c: stderr diagnostics and the thread-buffered access log. */
#include "core/log.h"
#include "core/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int log_verbose = 1;
int log_access_enabled = 1;

static void log_v(const char *zLevel, const char *fmt, va_list ap) {
  char zTime[32], zMsg[1024];
  time_iso(time_now(), zTime, sizeof zTime);
  vsnprintf(zMsg, sizeof zMsg, fmt, ap);
  fprintf(stderr, "%s %s %s\n", zTime, zLevel, zMsg);
}

void log_info(const char *fmt, ...) {
  if (!log_verbose) return;
  va_list ap;
  va_start(ap, fmt);
  log_v("info", fmt, ap);
  va_end(ap);
}

void log_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_v("error", fmt, ap);
  va_end(ap);
}

#define ACCESS_BUF 16384
static _Thread_local char aAccess[ACCESS_BUF];
static _Thread_local size_t nAccess;

void log_access_flush(void) {
  size_t off = 0;
  while (off < nAccess) {
    ssize_t k = write(STDERR_FILENO, aAccess + off, nAccess - off);
    if (k <= 0) break;
    off += (size_t)k;
  }
  nAccess = 0;
}

void log_access(const char *zMethod, const char *zPath, int status, int64_t us) {
  if (!log_access_enabled) return;
  char zLine[600];
  int n = snprintf(zLine, sizeof zLine, "access %s %.500s %d %lldus\n", zMethod, zPath, status,
                   (long long)us);
  if (n < 0) return;
  if ((size_t)n >= sizeof zLine) n = (int)sizeof zLine - 1, zLine[n - 1] = '\n';
  if (nAccess + (size_t)n > ACCESS_BUF) log_access_flush();
  memcpy(aAccess + nAccess, zLine, (size_t)n);
  nAccess += (size_t)n;
}

void log_access_close(void) { log_access_flush(); }
