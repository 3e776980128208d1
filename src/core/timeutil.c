/* timeutil.c: clock readings and ISO 8601 formatting. */
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t time_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec;
}

int64_t time_mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void time_iso(int64_t t, char *z, size_t n) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(z, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_today(char *z, size_t n) {
  static _Thread_local time_t tDay = -1;   /* the UTC day last formatted, in seconds */
  static _Thread_local char zDay[16];
  time_t tt = time(NULL);
  if (tDay < 0 || tt < tDay || tt >= tDay + 86400) {
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(zDay, sizeof zDay, "%Y-%m-%d", &tm);
    tDay = tt - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
  }
  size_t k = strlen(zDay);
  if (n == 0) return;
  if (k >= n) k = n - 1;
  memcpy(z, zDay, k);
  z[k] = 0;
}
