/* db_health.c: the process-wide "can the storage be written" state (see
 * db_health.h), shared by every connection of the process. */
#include "store/db_health.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int bDegraded;   /* read without the lock on every commit */
static char zReason[160];
static int64_t tSince;

void db_health_fault(const char *zWhy) {
  pthread_mutex_lock(&mu);
  if (!bDegraded) {
    snprintf(zReason, sizeof zReason, "%s", zWhy);
    tSince = (int64_t)time(NULL);
    bDegraded = 1;
  }
  pthread_mutex_unlock(&mu);
}

void db_health_ok(void) {
  if (!bDegraded) return;
  pthread_mutex_lock(&mu);
  bDegraded = 0;
  pthread_mutex_unlock(&mu);
}

int db_health_degraded(char *zWhy, size_t nWhy, int64_t *pSince) {
  pthread_mutex_lock(&mu);
  int b = bDegraded;
  if (b) {
    snprintf(zWhy, nWhy, "%s", zReason);
    *pSince = tSince;
  }
  pthread_mutex_unlock(&mu);
  return b;
}
