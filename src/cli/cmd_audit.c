/* cmd_audit.c: `guild audit verify|log|checkpoint|keygen` and `guild person
 * erase`. verify checks the chain, every stored checkpoint, every current
 * row against its latest entry and, with --checkpoint FILE, a checkpoint
 * kept elsewhere; checkpoint signs the head and exports it as JSON. */
#include "cli/cmd_audit.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/engine/audit.h"
#include "domain/registry/person.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FINDINGS_SHOWN 50   /* rows named one by one; the rest are counted */

#define CHECKPOINT_FORMAT "guild-audit-checkpoint/1"

/* The key file: --key, else $GUILD_AUDIT_KEY; NULL when neither. */
static const char *key_path(const char **azVal) {
  const char *z = cli_get("audit", azVal, "key");
  if (!z) z = getenv("GUILD_AUDIT_KEY");
  return z && z[0] ? z : NULL;
}

typedef struct shown {
  int64_t n;
} shown;

static void print_finding(void *pArg, const audit_finding *f) {
  shown *p = pArg;
  if (++p->n > FINDINGS_SHOWN) return;
  if (f->seq)
    printf("row TAMPERED: %s %lld: %s (entry %lld)\n", f->zTable, (long long)f->id, f->zWhat, (long long)f->seq);
  else
    printf("row TAMPERED: %s %lld: %s\n", f->zTable, (long long)f->id, f->zWhat);
}

/* Reads a checkpoint exported by `guild audit checkpoint --out`. */
static int read_checkpoint(const char *zPath, audit_checkpoint *cp, gerr *e) {
  json_error_t err;
  json_t *j = json_load_file(zPath, 0, &err);
  if (!j) return gerr_set(e, GERR_USAGE, "checkpoint", "cannot read the checkpoint %s: %s", zPath, err.text);
  const char *zFormat = json_string_value(json_object_get(j, "format"));
  json_t *pSeq = json_object_get(j, "seq"), *pAt = json_object_get(j, "at");
  const char *azField[] = {"hash", "key_id", "public_key", "signature"};
  char *azOut[] = {cp->zHash, cp->zKeyId, cp->zPublicKey, cp->zSignature};
  size_t anOut[] = {sizeof cp->zHash, sizeof cp->zKeyId, sizeof cp->zPublicKey, sizeof cp->zSignature};
  int bOk = zFormat && strcmp(zFormat, CHECKPOINT_FORMAT) == 0 && json_is_integer(pSeq) && json_is_integer(pAt);
  memset(cp, 0, sizeof *cp);
  for (int i = 0; bOk && i < 4; i++) {
    const char *z = json_string_value(json_object_get(j, azField[i]));
    bOk = z && strlen(z) < anOut[i];
    if (bOk) snprintf(azOut[i], anOut[i], "%s", z);
  }
  if (bOk) {
    cp->seq = json_integer_value(pSeq);
    cp->at = json_integer_value(pAt);
  }
  json_decref(j);
  if (!bOk) return gerr_set(e, GERR_USAGE, "checkpoint", "%s is not a guild audit checkpoint (%s)", zPath, CHECKPOINT_FORMAT);
  return 0;
}

/* Checks the checkpoint in zFile; prints what it found. 0 holds, 1 not, -1 error. */
static int verify_file(cli_db *p, const char *zFile, const audit_key *k, gerr *e) {
  audit_checkpoint cp;
  if (read_checkpoint(zFile, &cp, e)) return -1;
  const char *zWhy = NULL;
  if (audit_checkpoint_check(&p->c, &cp, &zWhy, e)) return -1;
  if (!zWhy && k && strcmp(k->zId, cp.zKeyId) != 0) zWhy = "it is not signed by this guild's key";
  char zAt[32];
  time_iso(cp.at, zAt, sizeof zAt);
  if (zWhy) {
    printf("checkpoint %s FAILS: entry %lld of %s, key %s: %s\n", zFile, (long long)cp.seq, zAt, cp.zKeyId, zWhy);
    return 1;
  }
  printf("checkpoint %s holds: nothing up to entry %lld (%s) was cut or rewritten; signed by key %s%s\n", zFile,
         (long long)cp.seq, zAt, cp.zKeyId, k ? " (this guild's key)" : " (compare it with your key's id)");
  return 0;
}

int cli_audit_verify(cli_db *p, const char *zKey, const char *zFile) {
  gerr e;
  if (audit_key_use(zKey, -1, &e)) return cli_fail(&e);
  const audit_key *k = audit_key_current(0, NULL);
  audit_report rep;
  if (audit_verify(&p->c, &rep, &e)) return cli_fail(&e);
  int bBad = rep.idFirstBad != 0;
  if (bBad)
    printf("audit log TAMPERED: entry %lld: %s (%lld entries read)\n", (long long)rep.idFirstBad, rep.zWhy,
           (long long)rep.nEntries);
  shown sh = {0};
  audit_rows_report rows;
  if (audit_verify_rows(&p->c, print_finding, &sh, &rows, &e)) return cli_fail(&e);
  if (sh.n > FINDINGS_SHOWN) printf("... and %lld more rows\n", (long long)(sh.n - FINDINGS_SHOWN));
  if (rows.nBad) {
    printf("rows TAMPERED: %lld of %lld rows do not match the audit log\n", (long long)rows.nBad, (long long)rows.nRows);
    bBad = 1;
  }
  if (zFile) {
    int rc = verify_file(p, zFile, k, &e);
    if (rc < 0) return cli_fail(&e);
    bBad |= rc;
  }
  if (bBad) return CLI_FAIL;
  printf("audit log intact: %lld entries, every hash matches; %lld rows match their latest entries; %lld stored "
         "checkpoints hold%s%s\n", (long long)rep.nEntries, (long long)rows.nRows, (long long)rep.nCheckpoints,
         k ? ", signed by key " : "", k ? k->zId : "");
  return CLI_OK;
}

/* Writes checkpoint cp as JSON to zOut ("-": standard output). */
static int write_checkpoint(const char *zOut, const audit_checkpoint *cp, gerr *e) {
  char zAt[32];
  time_iso(cp->at, zAt, sizeof zAt);
  json_t *j = json_pack("{s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "format", CHECKPOINT_FORMAT, "seq",
                        (json_int_t)cp->seq, "hash", cp->zHash, "at", (json_int_t)cp->at, "time", zAt, "key_id",
                        cp->zKeyId, "public_key", cp->zPublicKey, "signature", cp->zSignature);
  char *z = json_dumps(j, JSON_INDENT(2));
  json_decref(j);
  if (!z) return gerr_set(e, GERR_INTERNAL, NULL, "cannot write the checkpoint");
  int rc = 0;
  if (strcmp(zOut, "-") == 0) {
    printf("%s\n", z);
  } else {
    char zTmp[4096];
    snprintf(zTmp, sizeof zTmp, "%s.tmp%ld", zOut, (long)getpid());
    FILE *f = fopen(zTmp, "w");
    int bOk = f && fprintf(f, "%s\n", z) > 0;
    if (f && fclose(f) != 0) bOk = 0;
    if (!bOk || rename(zTmp, zOut) != 0) {
      unlink(zTmp);
      rc = gerr_set(e, GERR_USAGE, "out", "cannot write %s", zOut);
    }
  }
  free(z);
  return rc;
}

static int audit_checkpoint_cmd(cli_db *p, const char **azVal) {
  gerr e;
  const char *zKey = key_path(azVal), *zOut = cli_get("audit", azVal, "out");
  if (!zKey) {
    fprintf(stderr, "guild audit checkpoint: say which key signs it: --key FILE or GUILD_AUDIT_KEY (guild audit keygen)\n");
    return CLI_USAGE;
  }
  if (audit_key_use(zKey, -1, &e)) return cli_fail(&e);
  const audit_key *k = audit_key_current(1, &e);
  if (!k) return cli_fail(&e);
  audit_checkpoint cp;
  if (audit_checkpoint_make(&p->c, k, &cp, &e)) return cli_fail(&e);
  if (zOut && write_checkpoint(zOut, &cp, &e)) return cli_fail(&e);
  if (!zOut || strcmp(zOut, "-") != 0)
    printf("checkpoint of entry %lld signed by key %s%s%s\n", (long long)cp.seq, cp.zKeyId, zOut ? ", written to " : "",
           zOut ? zOut : "");
  return CLI_OK;
}

static int audit_keygen_cmd(const char **azVal) {
  const char *zKey = key_path(azVal);
  if (!zKey) {
    fprintf(stderr, "guild audit keygen: say where: --key FILE (or GUILD_AUDIT_KEY)\n");
    return CLI_USAGE;
  }
  gerr e;
  audit_key k;
  if (audit_key_generate(zKey, &k, &e)) return cli_fail(&e);
  printf("made audit key %s in %s (mode 0600): keep it away from the database, and a copy somewhere safe\n", k.zId, zKey);
  return CLI_OK;
}

static int audit_log_cmd(cli_db *p, const char **azVal) {
  gerr e;
  audit_filter f = {cli_get("audit", azVal, "entity"), cli_get("audit", azVal, "actor"), 0, 0, 100};
  const char *zSince = cli_get("audit", azVal, "since"), *zLimit = cli_get("audit", azVal, "limit");
  int64_t v;
  if (zSince) {
    int32_t days;
    if (text_is_date(zSince, &days)) {
      f.since = (int64_t)days * 86400;
    } else if (text_int64(zSince, &f.since) || f.since < 0) {
      fprintf(stderr, "guild audit: --since must be a date YYYY-MM-DD (1900 to 2199) or seconds since 1970 (got '%s')\n",
              zSince);
      return CLI_USAGE;
    }
  }
  if (zLimit) {
    if (cli_int("audit", "limit", zLimit, 1, 100000, &v)) return CLI_USAGE;
    f.limit = (int)v;
  }
  audit_entry *a;
  int n;
  if (audit_list(&p->c, &f, &a, &n, &e)) return cli_fail(&e);
  for (int i = 0; i < n; i++) {
    char z[32];
    time_iso(a[i].at, z, sizeof z);
    printf("%lld %s %-20s %-9s %s %lld %.16s\n", (long long)a[i].id, z, a[i].zActor, a[i].zAction, a[i].zEntity,
           (long long)a[i].entity_id, a[i].zHash);
  }
  return CLI_OK;
}

int cmd_audit(int argc, char **argv) {
  const char *azVal[12] = {0}, *azPos[1] = {0};
  int nPos, rc = cli_parse("audit", argc, argv, azVal, azPos, 1, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  static const char *const azSub[] = {"verify", "log", "checkpoint", "keygen", NULL};
  int iSub = -1;
  for (int i = 0; nPos == 1 && azSub[i]; i++)
    if (strcmp(azPos[0], azSub[i]) == 0) iSub = i;
  if (iSub < 0) {
    fprintf(stderr, "guild audit: say verify, log, checkpoint or keygen (see guild help audit)\n");
    return CLI_USAGE;
  }
  if (iSub == 3) return audit_keygen_cmd(azVal);
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(cli_get("audit", azVal, "db")), &d, &e)) return cli_fail(&e);
  rc = iSub == 0   ? cli_audit_verify(&d, key_path(azVal), cli_get("audit", azVal, "checkpoint"))
       : iSub == 1  ? audit_log_cmd(&d, azVal) : audit_checkpoint_cmd(&d, azVal);
  cli_close(&d);
  return rc;
}

int cmd_person(int argc, char **argv) {
  const char *azVal[4] = {0}, *azPos[2] = {0};
  int nPos, rc = cli_parse("person", argc, argv, azVal, azPos, 2, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  int64_t id;
  if (nPos != 2 || strcmp(azPos[0], "erase") != 0) {
    fprintf(stderr, "guild person: usage: guild person erase ID\n");
    return CLI_USAGE;
  }
  if (cli_int("person", "ID", azPos[1], 1, INT64_MAX, &id)) return CLI_USAGE;
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(cli_get("person", azVal, "db")), &d, &e)) return cli_fail(&e);
  dom_rec out;
  rc = person_erase(&d.c, id, &out, &e) ? cli_fail(&e) : CLI_OK;
  if (rc == CLI_OK) printf("person %lld erased: personal fields removed, aggregates kept\n", (long long)id);
  cli_close(&d);
  return rc;
}
