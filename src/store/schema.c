/* schema.c: applies migrations and guards against databases that are older
 * or newer than this binary. */
#include "store/schema.h"
#include "core/err.h"
#include "core/timeutil.h"

static const char zCreateVersion[] =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";
static const char zMaxVersion[] = "SELECT coalesce(max(version), 0) FROM schema_version";
static const char zCount[] = "SELECT count(*) FROM schema_version";
static const char zApplied[] = "SELECT count(*) FROM schema_version WHERE version = $1";
static const char zRecord[] = "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";

/* The database's URL without credentials, for messages. */
static const char *shown(db *p, char *z, size_t n) {
  db_url_redacted(db_url(p), z, n);
  return z;
}

static const schema_def *pSchema;

void schema_use(const schema_def *p) { pSchema = p; }

const schema_def *schema_current(void) {
  if (!pSchema || pSchema->nMigration < 1) g_panic("no schema: dom_init() was not called");
  return pSchema;
}

int schema_latest(void) {
  const schema_def *d = schema_current();
  return d->apMigration[d->nMigration - 1]->version;
}

int schema_version(db *p, int *pVersion, gerr *e) {
  int64_t v = 0;
  gerr eMissing;
  /* no schema_version table: a database guild has not initialised (version 0) */
  if (db_query_int(p, zMaxVersion, 0, 0, &v, &eMissing) == DB_ERROR) v = 0;
  *pVersion = (int)v;
  char zUrl[256];
  if (v > schema_latest())
    return gerr_set(e, GERR_USAGE, "db",
                    "the database %s is at schema version %lld, newer than this guild knows (%d): "
                    "use a newer guild", shown(p, zUrl, sizeof zUrl), (long long)v, schema_latest());
  return 0;
}

int schema_migrate(db *p, int *pnApplied, gerr *e) {
  int v = 0;
  *pnApplied = 0;
  if (db_exec(p, zCreateVersion, e)) return -1;
  if (schema_version(p, &v, e)) return -1;
  const schema_def *d = schema_current();
  for (int i = 0; i < d->nMigration; i++) {
    const schema_migration *m = d->apMigration[i];
    int64_t nDone = 0;   /* every migration not recorded yet, also one numbered below the newest applied */
    if (m->version <= v && db_query_int(p, zApplied, 1, m->version, &nDone, e) == DB_ERROR) return -1;
    if (nDone) continue;
    if (db_begin(p, e)) return -1;
    if (db_exec(p, m->azSql[db_engine_of(p)], e)) goto fail;
    db_stmt *s = db_prepare(p, zRecord, e);
    if (!s) goto fail;
    db_bind_int(s, 1, m->version);
    db_bind_text(s, 2, m->zName);
    db_bind_int(s, 3, time_now());
    int rc = db_step(s, e);
    db_done(s);
    if (rc == DB_ERROR) goto fail;
    if (db_commit(p, e)) return -1;
    (*pnApplied)++;
    continue;
  fail:
    db_rollback(p);
    return -1;
  }
  return 0;
}

int schema_applied(db *p, int version, int *pbApplied, gerr *e) {
  int v = 0;
  int64_t n = 0;
  *pbApplied = 0;
  if (schema_version(p, &v, e)) return -1;
  if (v == 0) return 0;   /* no schema_version table yet */
  if (db_query_int(p, zApplied, 1, version, &n, e) == DB_ERROR) return -1;
  *pbApplied = n > 0;
  return 0;
}

int schema_require_current(db *p, gerr *e) {
  int v = 0;
  char zUrl[256];
  if (schema_version(p, &v, e)) return -1;
  shown(p, zUrl, sizeof zUrl);
  if (v == 0)
    return gerr_set(e, GERR_USAGE, "db", "%s is not a guild database yet: run `guild init --db %s`", zUrl, zUrl);
  int64_t nApplied = 0;
  if (db_query_int(p, zCount, 0, 0, &nApplied, e) == DB_ERROR) return -1;
  if (v < schema_latest() || nApplied < schema_current()->nMigration)
    return gerr_set(e, GERR_USAGE, "db", "the database %s is at schema version %d and this guild needs %d%s: "
                    "run `guild migrate --db %s`", zUrl, v, schema_latest(),
                    v < schema_latest() ? "" : " (with migrations it has not applied yet)", zUrl);
  return 0;
}
