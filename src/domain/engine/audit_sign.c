/* audit_sign.c: signed checkpoints of the audit chain (see audit.h). A
 * checkpoint is the chain's head (an entry's number and hash) and a time,
 * signed with Ed25519 (libsodium) by a key kept in a file outside the
 * database, so that whoever can write the database cannot make one. The
 * database keeps every checkpoint (audit_checkpoints); one exported and
 * kept elsewhere (`guild audit checkpoint --out FILE`) proves, later, that
 * nothing before its entry was cut or rewritten, even by someone who also
 * deleted the stored ones.
 *
 * The key file (text, mode 0600):
 *   guild-audit-key/1
 *   public <32 bytes in hex>
 *   secret <64 bytes in hex: libsodium's secret key, the seed and the public key>
 * Its id is the first 8 bytes of the SHA-256 of the public key, in hex. */
#include "domain/engine/audit_int.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EVERY_DEFAULT 1000

static const char zHeadNow[] = "SELECT seq, last_hash FROM audit_head WHERE id = 1";
static const char zStored[] =
    "SELECT at, hash, key_id, public_key, signature FROM audit_checkpoints WHERE seq = $1";
static const char zStore[] =
    "INSERT INTO audit_checkpoints (seq, at, hash, key_id, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (seq) DO NOTHING";
static const char zAll[] =
    "SELECT seq, at, hash, key_id, public_key, signature FROM audit_checkpoints WHERE seq > $1 ORDER BY seq LIMIT 1000";
static const char zHashOf[] = "SELECT hash FROM audit_log WHERE id = $1";

static void key_id(const unsigned char pk[32], char zId[AUDIT_KEY_ID]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, pk, 32);
  sodium_bin2hex(zId, AUDIT_KEY_ID, h, 8);
}

/* The key file at zPath cannot be read or written (zDoing), as errno says:
 * fills e (usage, reason key_file). Returns -1. */
static int key_file_error(gerr *e, const char *zDoing, const char *zPath) {
  const char *zWhy = strerror(errno);
  gerr_setr(e, GERR_USAGE, GR_KEY_FILE, "key", GP_S("path", zPath));
  return gerr_msg(e, "cannot %s the key file %s: %s", zDoing, zPath, zWhy);
}

int audit_key_generate(const char *zPath, audit_key *pOut, gerr *e) {
  if (sodium_init() < 0) return gerr_set(e, GERR_INTERNAL, NULL, "libsodium failed to start");
  crypto_sign_keypair(pOut->pk, pOut->sk);
  key_id(pOut->pk, pOut->zId);
  char zPk[65], zSk[129], z[256];
  sodium_bin2hex(zPk, sizeof zPk, pOut->pk, sizeof pOut->pk);
  sodium_bin2hex(zSk, sizeof zSk, pOut->sk, sizeof pOut->sk);
  int n = snprintf(z, sizeof z, "guild-audit-key/1\npublic %s\nsecret %s\n", zPk, zSk);
  sodium_memzero(zSk, sizeof zSk);
  int fd = open(zPath, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    int err = errno;
    sodium_memzero(z, sizeof z);
    if (err == EEXIST) gerr_setr(e, GERR_CONFLICT, GR_KEY_EXISTS, "key", GP_S("path", zPath));
    else gerr_setr(e, GERR_USAGE, GR_KEY_FILE, "key", GP_S("path", zPath));
    return gerr_msg(e, "cannot create the key file %s: %s%s", zPath, strerror(err),
                    err == EEXIST ? " (a key is never overwritten)" : "");
  }
  int bOk = write(fd, z, (size_t)n) == n && fsync(fd) == 0;
  sodium_memzero(z, sizeof z);
  if (close(fd) != 0) bOk = 0;
  if (!bOk) {
    unlink(zPath);
    return key_file_error(e, "write", zPath);
  }
  return 0;
}

int audit_key_load(const char *zPath, audit_key *pOut, gerr *e) {
  if (sodium_init() < 0) return gerr_set(e, GERR_INTERNAL, NULL, "libsodium failed to start");
  struct stat st;
  if (stat(zPath, &st) != 0)
    return key_file_error(e, "read", zPath);
  if (st.st_mode & 077) {
    char zMode[8];
    snprintf(zMode, sizeof zMode, "%03o", (unsigned)(st.st_mode & 0777));
    return gerr_setr(e, GERR_USAGE, GR_KEY_MODE, "key", GP_S("path", zPath), GP_S("mode", zMode));
  }
  FILE *f = fopen(zPath, "r");
  if (!f) return key_file_error(e, "read", zPath);
  char z[400];
  size_t n = fread(z, 1, sizeof z - 1, f);
  fclose(f);
  z[n] = 0;
  char zPk[65] = "", zSk[129] = "";
  int bOk = sscanf(z, "guild-audit-key/1 public %64s secret %128s", zPk, zSk) == 2 &&
            sodium_hex2bin(pOut->pk, 32, zPk, 64, NULL, NULL, NULL) == 0 &&
            sodium_hex2bin(pOut->sk, 64, zSk, 128, NULL, NULL, NULL) == 0 && memcmp(pOut->sk + 32, pOut->pk, 32) == 0;
  sodium_memzero(z, sizeof z);
  sodium_memzero(zSk, sizeof zSk);
  if (!bOk) return gerr_setr(e, GERR_USAGE, GR_NOT_A_KEY, "key", GP_S("path", zPath));
  key_id(pOut->pk, pOut->zId);
  return 0;
}

/* The process's key configuration (audit_key_use, or the environment). */
static struct {
  pthread_mutex_t mu;
  int bConfigured;     /* audit_key_use was called, or the environment read */
  char *zPath;         /* NULL: no key */
  int64_t nEvery;
  int bLoaded;
  audit_key key;
} K = {PTHREAD_MUTEX_INITIALIZER, 0, NULL, 0, 0, {{0}, {0}, ""}};

static void configure(const char *zPath, int64_t nEvery) {
  free(K.zPath);
  K.zPath = zPath && zPath[0] ? g_strdup(zPath) : NULL;
  if (nEvery < 0) {
    const char *z = getenv("GUILD_AUDIT_CHECKPOINT_EVERY");
    char *zEnd = NULL;
    long long v = z && z[0] ? strtoll(z, &zEnd, 10) : EVERY_DEFAULT;
    nEvery = z && z[0] && (*zEnd || v < 0) ? EVERY_DEFAULT : v;
  }
  K.nEvery = nEvery;
  K.bLoaded = 0;
  K.bConfigured = 1;
}

int audit_key_use(const char *zPath, int64_t nEvery, gerr *e) {
  pthread_mutex_lock(&K.mu);
  configure(zPath ? zPath : getenv("GUILD_AUDIT_KEY"), nEvery);
  int bKey = K.zPath != NULL && access(K.zPath, F_OK) == 0;
  pthread_mutex_unlock(&K.mu);
  return !bKey || audit_key_current(0, e) ? 0 : -1;
}

const audit_key *audit_key_current(int bCreate, gerr *e) {
  pthread_mutex_lock(&K.mu);
  if (!K.bConfigured) configure(getenv("GUILD_AUDIT_KEY"), -1);
  const audit_key *p = NULL;
  gerr eLocal;
  if (!e) e = &eLocal;
  if (K.zPath && !K.bLoaded) {
    int bNew = access(K.zPath, F_OK) != 0;
    int rc = !bNew    ? audit_key_load(K.zPath, &K.key, e)
             : bCreate ? audit_key_generate(K.zPath, &K.key, e)
                       : gerr_setr(e, GERR_USAGE, GR_NO_KEY, "key", GP_S("path", K.zPath));
    if (rc == 0) {
      K.bLoaded = 1;
      if (bNew) log_info("audit: made the signing key %s in %s (keep a copy of it elsewhere)", K.key.zId, K.zPath);
    }
  }
  if (K.bLoaded) p = &K.key;
  pthread_mutex_unlock(&K.mu);
  return p;
}

void audit_checkpoint_message(const audit_checkpoint *cp, char *z, size_t n) {
  snprintf(z, n, "guild-audit-checkpoint/1\nseq=%lld\nhash=%s\nat=%lld\n", (long long)cp->seq, cp->zHash,
           (long long)cp->at);
}

int audit_checkpoint_signed(const audit_checkpoint *cp) {
  unsigned char pk[32], sig[64];
  if (sodium_init() < 0) return 0;
  if (strlen(cp->zPublicKey) != 64 || strlen(cp->zSignature) != 128) return 0;
  if (sodium_hex2bin(pk, sizeof pk, cp->zPublicKey, 64, NULL, NULL, NULL) != 0 ||
      sodium_hex2bin(sig, sizeof sig, cp->zSignature, 128, NULL, NULL, NULL) != 0)
    return 0;
  char zId[AUDIT_KEY_ID], zMsg[200];
  key_id(pk, zId);
  if (strcmp(zId, cp->zKeyId) != 0) return 0;
  audit_checkpoint_message(cp, zMsg, sizeof zMsg);
  return crypto_sign_verify_detached(sig, (const unsigned char *)zMsg, strlen(zMsg), pk) == 0;
}

/* Fills cp's key and signature: entry seq's hash zHash at time at. */
static void sign(const audit_key *k, int64_t seq, const char *zHash, int64_t at, audit_checkpoint *cp) {
  memset(cp, 0, sizeof *cp);
  cp->seq = seq;
  cp->at = at;
  snprintf(cp->zHash, sizeof cp->zHash, "%s", zHash);
  snprintf(cp->zKeyId, sizeof cp->zKeyId, "%s", k->zId);
  sodium_bin2hex(cp->zPublicKey, sizeof cp->zPublicKey, k->pk, sizeof k->pk);
  char zMsg[200];
  audit_checkpoint_message(cp, zMsg, sizeof zMsg);
  unsigned char sig[64];
  crypto_sign_detached(sig, NULL, (const unsigned char *)zMsg, strlen(zMsg), k->sk);
  sodium_bin2hex(cp->zSignature, sizeof cp->zSignature, sig, sizeof sig);
}

static int store(dom_ctx *c, const audit_checkpoint *cp, gerr *e) {
  db_stmt *s = db_prepare(c->pDb, zStore, e);
  if (!s) return -1;
  db_bind_int(s, 1, cp->seq);
  db_bind_int(s, 2, cp->at);
  db_bind_text(s, 3, cp->zHash);
  db_bind_text(s, 4, cp->zKeyId);
  db_bind_text(s, 5, cp->zPublicKey);
  db_bind_text(s, 6, cp->zSignature);
  int rc = db_step(s, e);
  db_done(s);
  return rc == DB_ERROR ? -1 : 0;
}

/* Reads the current row of s (at, hash, key_id, public_key, signature from
 * column i on) into cp. */
static void read_cp(db_stmt *s, int i, audit_checkpoint *cp) {
  cp->at = db_col_int(s, i);
  snprintf(cp->zHash, sizeof cp->zHash, "%s", db_col_text(s, i + 1));
  snprintf(cp->zKeyId, sizeof cp->zKeyId, "%s", db_col_text(s, i + 2));
  snprintf(cp->zPublicKey, sizeof cp->zPublicKey, "%s", db_col_text(s, i + 3));
  snprintf(cp->zSignature, sizeof cp->zSignature, "%s", db_col_text(s, i + 4));
}

int audit_checkpoint_auto(dom_ctx *c, int64_t seq, const char *zHash, gerr *e) {
  pthread_mutex_lock(&K.mu);   /* every append asks: server threads share the configuration */
  if (!K.bConfigured) configure(getenv("GUILD_AUDIT_KEY"), -1);
  int bDue = K.nEvery > 0 && seq % K.nEvery == 0 && K.zPath;
  pthread_mutex_unlock(&K.mu);
  if (!bDue) return 0;
  gerr eKey;
  const audit_key *k = audit_key_current(1, &eKey);
  if (!k) {   /* a write is not refused for want of its checkpoint: said, and skipped */
    log_error("audit checkpoint of entry %lld skipped: %s", (long long)seq, eKey.msg);
    return 0;
  }
  audit_checkpoint cp;
  sign(k, seq, zHash, c->now, &cp);
  return store(c, &cp, e);
}

int audit_checkpoint_make(dom_ctx *c, const audit_key *k, audit_checkpoint *pOut, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  if (db_begin(c->pDb, e)) return -1;
  db_stmt *s = db_prepare(c->pDb, zHeadNow, e);
  if (!s) goto fail;
  int rc = db_step(s, e);
  int64_t seq = rc == DB_ROW ? db_col_int(s, 0) : 0;
  char zHash[AUDIT_HEX] = "";
  if (rc == DB_ROW) snprintf(zHash, sizeof zHash, "%s", db_col_text(s, 1));
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  if (seq <= 0) {
    gerr_setr(e, GERR_CONFLICT, GR_AUDIT_EMPTY, NULL);
    goto fail;
  }
  if (!(s = db_prepare(c->pDb, zStored, e))) goto fail;
  db_bind_int(s, 1, seq);
  rc = db_step(s, e);
  audit_checkpoint old = {.seq = seq};
  if (rc == DB_ROW) read_cp(s, 0, &old);
  db_done(s);
  if (rc == DB_ERROR) goto fail;
  if (rc == DB_ROW && strcmp(old.zKeyId, k->zId) == 0 && strcmp(old.zHash, zHash) == 0 && audit_checkpoint_signed(&old)) {
    *pOut = old;
  } else {
    sign(k, seq, zHash, c->now, pOut);
    if (store(c, pOut, e)) goto fail;   /* another key's at this entry stays; this one is still valid */
  }
  return db_commit(c->pDb, e);
fail:
  db_rollback(c->pDb);
  return -1;
}

int audit_checkpoint_check(dom_ctx *c, const audit_checkpoint *cp, const char **pzWhy, gerr *e) {
  if (pol_check_any(c, &pol_admin, e)) return -1;
  *pzWhy = NULL;
  if (!audit_checkpoint_signed(cp)) {
    *pzWhy = "its signature does not match its contents and public key (the file was altered, or is not a checkpoint)";
    return 0;
  }
  audit_report rep;
  char zAt[AUDIT_HEX];
  if (audit_chain_walk(c, cp->seq, &rep, zAt, e)) return -1;
  if (rep.idFirstBad)
    *pzWhy = arena_printf(c->pAr, "the chain is broken at entry %lld (%s), before the checkpoint's entry %lld",
                          (long long)rep.idFirstBad, rep.zWhy, (long long)cp->seq);
  else if (!zAt[0])
    *pzWhy = arena_printf(c->pAr, "the log ends at entry %lld, before the checkpoint's entry %lld: entries were cut",
                          (long long)rep.nEntries, (long long)cp->seq);
  else if (strcmp(zAt, cp->zHash) != 0)
    *pzWhy = arena_printf(c->pAr, "entry %lld no longer hashes to the checkpoint's head: entries up to it were "
                          "rewritten", (long long)cp->seq);
  return 0;
}

int audit_checkpoints_verify(dom_ctx *c, int64_t nHead, audit_report *pOut, gerr *e) {
  gerr eKey;
  const audit_key *k = audit_key_current(0, &eKey);   /* no key file yet: nothing signed with it to check */
  if (!k && K.zPath && access(K.zPath, F_OK) == 0) {
    *e = eKey;
    return -1;
  }
  int64_t after = 0;
  int nPage, rc;
  do {
    db_stmt *s = db_prepare(c->pDb, zAll, e);
    if (!s) return -1;
    db_bind_int(s, 1, after);
    nPage = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
      audit_checkpoint cp = {.seq = db_col_int(s, 0)};
      read_cp(s, 1, &cp);
      after = cp.seq;
      nPage++;
      pOut->nCheckpoints++;
      const char *zWhy = NULL;
      char zHash[AUDIT_HEX] = "";
      if (!audit_checkpoint_signed(&cp)) {
        zWhy = "its stored checkpoint's signature does not match (the checkpoint was altered)";
      } else if (k && strcmp(cp.zKeyId, k->zId) != 0) {
        zWhy = arena_printf(c->pAr, "its stored checkpoint is signed by key %s, not by this guild's key %s", cp.zKeyId,
                            k->zId);
      } else if (cp.seq > nHead) {
        zWhy = arena_printf(c->pAr, "a checkpoint names entry %lld, beyond the end of the log (%lld entries): entries "
                            "were cut", (long long)cp.seq, (long long)nHead);
      } else {
        db_stmt *h = db_prepare(c->pDb, zHashOf, e);
        if (!h) {
          db_done(s);
          return -1;
        }
        db_bind_int(h, 1, cp.seq);
        int rcH = db_step(h, e);
        if (rcH == DB_ROW) snprintf(zHash, sizeof zHash, "%s", db_col_text(h, 0));
        db_done(h);
        if (rcH == DB_ERROR) {
          db_done(s);
          return -1;
        }
        if (strcmp(zHash, cp.zHash) != 0)
          zWhy = "it no longer hashes to the head its signed checkpoint recorded: entries up to it were rewritten";
      }
      if (zWhy) {
        pOut->idFirstBad = cp.seq;
        snprintf(pOut->zWhy, sizeof pOut->zWhy, "%s", zWhy);
        db_done(s);
        return 0;
      }
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
  } while (nPage == 1000);
  return 0;
}
