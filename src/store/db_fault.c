/* db_fault.c: the fault-injecting SQLite VFS of db_fault.h (the test
 * build only): a shim over the default VFS whose files count their
 * writes, syncs and locks and fail the armed one. */
#include "store/db_fault.h"
#ifdef GUILD_FAULTS
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static sqlite3_vfs *pReal;      /* the default VFS it wraps */
static sqlite3_vfs shim;
static atomic_uint armKinds;
static atomic_int armNth, armCount, armFired, armSticky;
static const char *zFullFile;   /* $GUILD_TEST_DISK_FULL */

typedef struct fault_file {
  sqlite3_file base;
  sqlite3_file *pFile;   /* the real file, just after this struct */
} fault_file;

/* The result a counted call of kind k gets: SQLITE_OK, or the fault. */
static int fault_of(unsigned k, int rcFault) {
  if (k == DBF_WRITE && zFullFile) {
    struct stat st;
    if (stat(zFullFile, &st) == 0) return SQLITE_FULL;
  }
  if (!(atomic_load(&armKinds) & k)) return SQLITE_OK;
  int n = atomic_fetch_add(&armCount, 1) + 1, nth = atomic_load(&armNth);
  if (n == nth || (n > nth && atomic_load(&armSticky))) {
    atomic_store(&armFired, 1);
    return rcFault;
  }
  return SQLITE_OK;
}

#define REAL(p) (((fault_file *)(p))->pFile)

static int f_close(sqlite3_file *p) { return REAL(p)->pMethods->xClose(REAL(p)); }
static int f_read(sqlite3_file *p, void *a, int n, sqlite3_int64 off) {
  return REAL(p)->pMethods->xRead(REAL(p), a, n, off);
}
static int f_write(sqlite3_file *p, const void *a, int n, sqlite3_int64 off) {
  int rc = fault_of(DBF_WRITE, SQLITE_FULL);
  return rc ? rc : REAL(p)->pMethods->xWrite(REAL(p), a, n, off);
}
static int f_truncate(sqlite3_file *p, sqlite3_int64 n) { return REAL(p)->pMethods->xTruncate(REAL(p), n); }
static int f_sync(sqlite3_file *p, int flags) {
  int rc = fault_of(DBF_SYNC, SQLITE_IOERR_FSYNC);
  return rc ? rc : REAL(p)->pMethods->xSync(REAL(p), flags);
}
static int f_size(sqlite3_file *p, sqlite3_int64 *pn) { return REAL(p)->pMethods->xFileSize(REAL(p), pn); }
static int f_lock(sqlite3_file *p, int e) {
  int rc = fault_of(DBF_LOCK, SQLITE_IOERR_LOCK);
  return rc ? rc : REAL(p)->pMethods->xLock(REAL(p), e);
}
static int f_unlock(sqlite3_file *p, int e) { return REAL(p)->pMethods->xUnlock(REAL(p), e); }
static int f_check(sqlite3_file *p, int *pOut) { return REAL(p)->pMethods->xCheckReservedLock(REAL(p), pOut); }
static int f_control(sqlite3_file *p, int op, void *a) { return REAL(p)->pMethods->xFileControl(REAL(p), op, a); }
static int f_sector(sqlite3_file *p) { return REAL(p)->pMethods->xSectorSize(REAL(p)); }
static int f_device(sqlite3_file *p) { return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p)); }
static int f_shm_map(sqlite3_file *p, int i, int n, int b, void volatile **pp) {
  return REAL(p)->pMethods->xShmMap(REAL(p), i, n, b, pp);
}
static int f_shm_lock(sqlite3_file *p, int off, int n, int flags) {
  /* taking a WAL lock (the writer's, a checkpoint's, a reader's) */
  int rc = (flags & SQLITE_SHM_LOCK) ? fault_of(DBF_LOCK, SQLITE_IOERR_SHMLOCK) : SQLITE_OK;
  return rc ? rc : REAL(p)->pMethods->xShmLock(REAL(p), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *p) { REAL(p)->pMethods->xShmBarrier(REAL(p)); }
static int f_shm_unmap(sqlite3_file *p, int b) { return REAL(p)->pMethods->xShmUnmap(REAL(p), b); }
static int f_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **pp) {
  return REAL(p)->pMethods->xFetch(REAL(p), off, n, pp);
}
static int f_unfetch(sqlite3_file *p, sqlite3_int64 off, void *a) { return REAL(p)->pMethods->xUnfetch(REAL(p), off, a); }

static const sqlite3_io_methods aIo = {3,        f_close,     f_read,     f_write,      f_truncate,    f_sync,
                                       f_size,   f_lock,      f_unlock,   f_check,      f_control,     f_sector,
                                       f_device, f_shm_map,   f_shm_lock, f_shm_barrier, f_shm_unmap,  f_fetch,
                                       f_unfetch};

static int f_open(sqlite3_vfs *pVfs, const char *zName, sqlite3_file *pFile, int flags, int *pOutFlags) {
  (void)pVfs;
  fault_file *p = (fault_file *)pFile;
  p->pFile = (sqlite3_file *)&p[1];
  int rc = pReal->xOpen(pReal, zName, p->pFile, flags, pOutFlags);
  p->base.pMethods = rc == SQLITE_OK && p->pFile->pMethods ? &aIo : NULL;
  return rc;
}

/* The calls of the VFS itself (not of a file) go to the real one as they are. */
static int v_delete(sqlite3_vfs *v, const char *z, int b) { (void)v; return pReal->xDelete(pReal, z, b); }
static int v_access(sqlite3_vfs *v, const char *z, int f, int *p) { (void)v; return pReal->xAccess(pReal, z, f, p); }
static int v_full(sqlite3_vfs *v, const char *z, int n, char *o) { (void)v; return pReal->xFullPathname(pReal, z, n, o); }
static void *v_dlopen(sqlite3_vfs *v, const char *z) { (void)v; return pReal->xDlOpen(pReal, z); }
static void v_dlerror(sqlite3_vfs *v, int n, char *z) { (void)v; pReal->xDlError(pReal, n, z); }
static void (*v_dlsym(sqlite3_vfs *v, void *p, const char *z))(void) { (void)v; return pReal->xDlSym(pReal, p, z); }
static void v_dlclose(sqlite3_vfs *v, void *p) { (void)v; pReal->xDlClose(pReal, p); }
static int v_random(sqlite3_vfs *v, int n, char *z) { (void)v; return pReal->xRandomness(pReal, n, z); }
static int v_sleep(sqlite3_vfs *v, int n) { (void)v; return pReal->xSleep(pReal, n); }
static int v_time(sqlite3_vfs *v, double *p) { (void)v; return pReal->xCurrentTime(pReal, p); }
static int v_lasterr(sqlite3_vfs *v, int n, char *z) { (void)v; return pReal->xGetLastError(pReal, n, z); }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *p) { (void)v; return pReal->xCurrentTimeInt64(pReal, p); }

static void install(void) {
  pReal = sqlite3_vfs_find(NULL);
  zFullFile = getenv("GUILD_TEST_DISK_FULL");
  shim = (sqlite3_vfs){2,          (int)sizeof(fault_file) + pReal->szOsFile, pReal->mxPathname, NULL, "guild-fault",
                       NULL,       f_open,    v_delete,  v_access, v_full,   v_dlopen, v_dlerror, v_dlsym,
                       v_dlclose,  v_random,  v_sleep,   v_time,   v_lasterr, v_time64, NULL,     NULL,     NULL};
  sqlite3_vfs_register(&shim, 1);
}

void db_fault_install(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, install);
}

void db_fault_arm(unsigned kinds, int nth, int bSticky) {
  atomic_store(&armKinds, 0);
  atomic_store(&armCount, 0);
  atomic_store(&armFired, 0);
  atomic_store(&armNth, nth);
  atomic_store(&armSticky, bSticky);
  atomic_store(&armKinds, kinds);
}

int db_fault_disarm(void) {
  atomic_store(&armKinds, 0);
  return atomic_load(&armCount);
}

int db_fault_fired(void) { return atomic_load(&armFired); }

#endif
