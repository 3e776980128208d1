/* timeutil.h: wall-clock time as integers, computed in C (never by SQL). */
#ifndef GUILD_TIMEUTIL_H
#define GUILD_TIMEUTIL_H
#include <stdint.h>
#include <stddef.h>

int64_t time_now(void);      /* seconds since the Unix epoch */
int64_t time_mono_us(void);  /* monotonic microseconds, for durations */
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into z (at least 21 bytes). */
void time_iso(int64_t t, char *z, size_t n);
/* Today's date "YYYY-MM-DD" (UTC) into z (at least 11 bytes). */
void time_today(char *z, size_t n);

#endif
