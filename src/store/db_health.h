/* db_health.h: whether the storage can be written. A write the engine
 * refused for a reason of the storage itself (a full disk, a read-only
 * file or file system, an I/O error) marks the process degraded; the next
 * write that commits marks it healthy again. /api/v1/health reports it. */
#ifndef GUILD_DB_HEALTH_H
#define GUILD_DB_HEALTH_H
#include <stddef.h>
#include <stdint.h>

/* Marks the storage degraded: zWhy says why, in words for an operator
 * (copied; the first fault since the last good write is kept). */
void db_health_fault(const char *zWhy);
/* A write committed: the storage is healthy again. */
void db_health_ok(void);
/* 1 when degraded, with the reason in zWhy (nWhy bytes) and the time of
 * the fault (seconds since the epoch) in *pSince; else 0. */
int db_health_degraded(char *zWhy, size_t nWhy, int64_t *pSince);

#endif
