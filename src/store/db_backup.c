/* db_backup.c: backing up and restoring a SQLite database with SQLite's
 * online backup API (see db.h). A backup is one read transaction on the
 * source, so it is a consistent snapshot while a server goes on writing
 * (WAL mode: readers and the writer do not wait for each other). A restore
 * first makes sure it is alone with the target: switching a WAL database
 * out of WAL mode needs every other connection closed, so a server that
 * has the file open (even idle) makes it fail at once, and from then on
 * the restore holds the target's lock (exclusive locking mode) until the
 * copy is in. PostgreSQL has its own tools (pg_dump, pg_restore). */
#include "store/db_int.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESTORE_BUSY_MS 200   /* how long a restore waits for a lock another connection holds */
#define COPY_TRIES 100        /* a copy that meets a busy source waits 50 ms and tries again */

/* Copies every page of pFrom's main database over pTo's, in one step. */
static int copy_pages(sqlite3 *pTo, sqlite3 *pFrom, gerr *e) {
  sqlite3_backup *b = sqlite3_backup_init(pTo, "main", pFrom, "main");
  if (!b) return gerr_set(e, GERR_DB, NULL, "cannot start the copy: %s", sqlite3_errmsg(pTo));
  int rc, nTry = 0;
  do {
    rc = sqlite3_backup_step(b, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++nTry < COPY_TRIES);
  int rcEnd = sqlite3_backup_finish(b);
  if (rc == SQLITE_DONE && rcEnd == SQLITE_OK) return 0;
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    return gerr_set(e, GERR_UNAVAILABLE, NULL, "the database stayed busy: try again");
  return gerr_set(e, GERR_DB, NULL, "the copy failed: %s", sqlite3_errstr(rc == SQLITE_DONE ? rcEnd : rc));
}

/* Flushes zPath (a file or a directory) to disk; 0 or -1. */
static int sync_path(const char *zPath) {
  int fd = open(zPath, O_RDONLY);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

/* The directory of zPath into z ("." when it names none). */
static void dir_of(const char *zPath, char *z, size_t n) {
  const char *zSlash = strrchr(zPath, '/');
  if (!zSlash) snprintf(z, n, ".");
  else if (zSlash == zPath) snprintf(z, n, "/");
  else snprintf(z, n, "%.*s", (int)(zSlash - zPath), zPath);
}

static int run(sqlite3 *p, const char *zSql, gerr *e) {
  char *zErr = NULL;
  int rc = sqlite3_exec(p, zSql, NULL, NULL, &zErr);
  if (rc == SQLITE_OK) return 0;
  gerr_set(e, (rc & 0xff) == SQLITE_BUSY ? GERR_UNAVAILABLE : GERR_DB, NULL, "%s", zErr ? zErr : sqlite3_errstr(rc));
  sqlite3_free(zErr);
  return -1;
}

int db_backup(db *p, const char *zPath, gerr *e) {
  if (db_engine_of(p) == DB_POSTGRES)
    return gerr_set(e, GERR_USAGE, "to",
                    "guild backup copies SQLite databases; back PostgreSQL up with its own tool, pg_dump (e.g. "
                    "pg_dump -Fc -f FILE DBNAME), and check a copy restored from it with guild audit verify");
  if (db_depth(p) > 0) g_panic("db_backup inside a transaction");
  struct stat st;
  if (stat(zPath, &st) == 0)
    return gerr_set(e, GERR_CONFLICT, "to", "%s exists: a backup never overwrites a file (remove it or choose another "
                    "name)", zPath);
  char zTmp[PATH_MAX], zDir[PATH_MAX];
  snprintf(zTmp, sizeof zTmp, "%s.part%ld", zPath, (long)getpid());
  unlink(zTmp);
  sqlite3 *pTo = NULL;
  int rc = sqlite3_open_v2(zTmp, &pTo, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    gerr_set(e, GERR_USAGE, "to", "cannot create %s: %s", zTmp, pTo ? sqlite3_errmsg(pTo) : sqlite3_errstr(rc));
    sqlite3_close(pTo);
    return -1;
  }
  rc = copy_pages(pTo, db_conn(p), e);
  if (sqlite3_close(pTo) != SQLITE_OK && !rc) rc = gerr_set(e, GERR_DB, NULL, "cannot close %s", zTmp);
  if (!rc && (sync_path(zTmp) || rename(zTmp, zPath)))
    rc = gerr_set(e, GERR_USAGE, "to", "cannot write %s: %s", zPath, strerror(errno));
  if (rc) {
    unlink(zTmp);
    return -1;
  }
  dir_of(zPath, zDir, sizeof zDir);
  sync_path(zDir);   /* the rename itself, where the file system allows */
  return 0;
}

int db_restore(const char *zFrom, const char *zTarget, gerr *e) {
  if (db_is_postgres_url(zFrom) || db_is_postgres_url(zTarget))
    return gerr_set(e, GERR_USAGE, "db",
                    "guild restore restores SQLite backups; restore PostgreSQL with its own tool, pg_restore "
                    "(into a new database; then guild audit verify --db postgres://...)");
  char zA[PATH_MAX], zB[PATH_MAX];
  if (realpath(zFrom, zA) && realpath(zTarget, zB) && strcmp(zA, zB) == 0)
    return gerr_set(e, GERR_USAGE, "db", "the backup and the database are the same file");
  sqlite3 *pFrom = NULL, *pTo = NULL;
  int rc = sqlite3_open_v2(zFrom, &pFrom, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    gerr_set(e, GERR_USAGE, "from", "cannot open the backup %s: %s", zFrom,
             pFrom ? sqlite3_errmsg(pFrom) : sqlite3_errstr(rc));
    goto out;
  }
  rc = sqlite3_open_v2(zTarget, &pTo, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    gerr_set(e, GERR_USAGE, "db", "cannot open %s: %s", zTarget, pTo ? sqlite3_errmsg(pTo) : sqlite3_errstr(rc));
    goto out;
  }
  sqlite3_busy_timeout(pTo, RESTORE_BUSY_MS);
  rc = -1;
  /* alone with it: leaving WAL mode needs every other connection closed; then keep the lock */
  if (run(pTo, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=DELETE; BEGIN EXCLUSIVE; COMMIT", e)) {
    if (e->code == GERR_UNAVAILABLE)
      gerr_set(e, GERR_CONFLICT, "db", "%s is in use (is guild serve running on it?): stop what has it open, then "
               "restore; nothing was changed", zTarget);
    goto out;
  }
  if (copy_pages(pTo, pFrom, e) || run(pTo, "PRAGMA journal_mode=WAL", e)) goto out;
  rc = 0;
out:
  sqlite3_close(pFrom);
  if (pTo && sqlite3_close(pTo) != SQLITE_OK && rc == 0) rc = gerr_set(e, GERR_DB, NULL, "cannot close %s", zTarget);
  if (rc == 0) {   /* exclusive mode leaves an emptied rollback journal behind: not a hot one, remove it */
    char zJournal[PATH_MAX];
    snprintf(zJournal, sizeof zJournal, "%s-journal", zTarget);
    FILE *f = fopen(zJournal, "rb");
    unsigned char aHead[8] = {0};
    int bEmpty = f && (fread(aHead, 1, sizeof aHead, f), 1);
    if (f) fclose(f);
    static const unsigned char aZero[8];
    if (bEmpty && memcmp(aHead, aZero, sizeof aHead) == 0) unlink(zJournal);
  }
  return rc ? -1 : 0;
}
