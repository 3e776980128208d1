/* log.h: diagnostics to stderr and the per-request access log.
 * The access log is buffered per thread and written in whole lines, so a
 * busy server makes one write(2) per batch rather than per request. */
#ifndef GUILD_LOG_H
#define GUILD_LOG_H
#include <stdint.h>

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set to 0 to silence log_info (tests of the CLI, --quiet). */
extern int log_verbose;
/* Set to 0 to drop access-log lines (serve --quiet). */
extern int log_access_enabled;

/* Appends "METHOD PATH STATUS USus" to this thread's access-log buffer;
 * the buffer is written when full or by log_access_flush. */
void log_access(const char *zMethod, const char *zPath, int status, int64_t us);
void log_access_flush(void);
/* Frees this thread's buffer after flushing it. */
void log_access_close(void);

#endif
