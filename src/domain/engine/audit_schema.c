/* audit_schema.c: the migrations of the engine's audit tables (see
 * src/store/schema.h for the rules: one DDL text per engine, versions
 * unique across modules, a released migration never edited). The log
 * itself (audit_log, audit_head) was made by the accounts migration,
 * version 2; what proves the data is added here.
 *
 * Version 11: an audit log that proves the data, not only itself.
 *  - audit_log gains the entry's format (1: written before version 11, 2:
 *    after; the hash of a format 2 entry covers the columns below), what
 *    the entry says of its record (state: 0 an event, 1 the record's state
 *    after the change, whose digest the entry carries, 2 the record was
 *    deleted) and the batch of rows it vouches for (batch, batch_rows,
 *    batch_digest: see audit_runs).
 *  - audit_runs: the digests of rows written without an entry of their own
 *    (imports, the demo, side effects such as a cohort's capacity raised by
 *    an enrollment), as runs of up to 256 consecutive ids of one entity,
 *    each run one row: the digests of the run's rows, in id order. The runs
 *    of one transaction share a random batch number; the entry that ends
 *    the transaction names the batch and carries a digest of its runs.
 *  - audit_checkpoints: the head of the chain at some entry, signed with an
 *    Ed25519 key kept outside the database.
 * The new tables refuse updates and deletes as audit_log does (on
 * PostgreSQL through the same trigger function, which `guild copy` drops
 * with its triggers). Columns added with a default rewrite no row, so the
 * append-only trigger of audit_log is not in the way. */
#include "store/schema.h"

static const char zProofSqlite[] =
    "ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE audit_log ADD COLUMN state INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN batch_rows INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN batch_digest TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE audit_runs ("
    "  batch INTEGER NOT NULL, pos INTEGER NOT NULL, entity TEXT NOT NULL, first_id INTEGER NOT NULL,"
    "  n INTEGER NOT NULL, digests TEXT NOT NULL, PRIMARY KEY (batch, pos)) WITHOUT ROWID;"
    "CREATE INDEX audit_runs_entity ON audit_runs(entity, first_id);"
    "CREATE TABLE audit_checkpoints ("
    "  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, hash TEXT NOT NULL, key_id TEXT NOT NULL,"
    "  public_key TEXT NOT NULL, signature TEXT NOT NULL);"
    "CREATE TRIGGER audit_runs_no_update BEFORE UPDATE ON audit_runs "
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_runs_no_delete BEFORE DELETE ON audit_runs "
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints "
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints "
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

static const char zProofPostgres[] =
    "ALTER TABLE audit_log ADD COLUMN format BIGINT NOT NULL DEFAULT 1;"
    "ALTER TABLE audit_log ADD COLUMN state BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN batch BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN batch_rows BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN batch_digest TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE audit_runs ("
    "  batch BIGINT NOT NULL, pos BIGINT NOT NULL, entity TEXT NOT NULL, first_id BIGINT NOT NULL,"
    "  n BIGINT NOT NULL, digests TEXT NOT NULL, PRIMARY KEY (batch, pos));"
    "CREATE INDEX audit_runs_entity ON audit_runs(entity, first_id);"
    "CREATE TABLE audit_checkpoints ("
    "  seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, hash TEXT NOT NULL, key_id TEXT NOT NULL,"
    "  public_key TEXT NOT NULL, signature TEXT NOT NULL);"
    "CREATE TRIGGER audit_runs_no_change BEFORE UPDATE OR DELETE ON audit_runs "
    "  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
    "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints "
    "  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();";

const schema_migration engine_migrations[] = {
    {11, "audit: row digests of every write, batches of bulk writes, signed checkpoints", {zProofSqlite, zProofPostgres}},
    {0, NULL, {NULL, NULL}},
};
