/* db_fault.h: storage faults on demand, for tests. A SQLite VFS that
 * hands every call to the default one and, once armed, fails the Nth
 * write, sync or lock of the files SQLite opens (and, if asked, every one
 * after it: a disk that stays full), so a test can run a write path with
 * the storage failing at each of its steps in turn and check the database
 * is unchanged or complete, never half-written.
 *
 * Built only into the test build (make's build/san, -DGUILD_FAULTS); the
 * release build has none of it. In the test build the VFS is SQLite's
 * default from the first database opened, and also fails every write while
 * the file named by $GUILD_TEST_DISK_FULL exists (the API tests' full disk). */
#ifndef GUILD_DB_FAULT_H
#define GUILD_DB_FAULT_H
#ifdef GUILD_FAULTS

enum { DBF_WRITE = 1, DBF_SYNC = 2, DBF_LOCK = 4, DBF_ALL = 7 };

/* Registers the VFS as SQLite's default (once; db_open calls it). */
void db_fault_install(void);
/* Counts from now the calls of the kinds (DBF_*) and fails call number
 * nth (1 = the next) with a full disk (writes) or an I/O error (syncs,
 * locks); bSticky: and every counted call after it. */
void db_fault_arm(unsigned kinds, int nth, int bSticky);
/* Stops failing; returns how many calls were counted since arming. */
int db_fault_disarm(void);
/* 1 when the armed fault has fired. */
int db_fault_fired(void);

#endif
#endif
