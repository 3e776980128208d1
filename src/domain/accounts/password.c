/* password.c: password rules, argon2id hashing and verification via
 * libsodium, and the common-password list compiled from data/passwords. */
#include "domain/accounts/password.h"
#include "core/text.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char *const password_common[];
extern const int password_ncommon;

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* 1 when z (lower-cased ASCII letters) is in the common list. */
static int is_common(const char *z) {
  char zLow[PASSWORD_MAX + 1];
  size_t n = strlen(z);
  if (n > PASSWORD_MAX) return 0;
  for (size_t i = 0; i <= n; i++) zLow[i] = (z[i] >= 'A' && z[i] <= 'Z') ? (char)(z[i] | 0x20) : z[i];
  const char *zKey = zLow;
  return bsearch(&zKey, password_common, (size_t)password_ncommon, sizeof password_common[0], cmp_str) != NULL;
}

int password_check(const char *zPassword, const char *zUsername, gerr *e) {
  if (!zPassword || !text_is_clean_utf8(zPassword, 0))
    return gerr_setr(e, GERR_VALIDATION, GR_NOT_TEXT, "password");
  size_t n = text_nchars(zPassword);
  if (n < PASSWORD_MIN)
    return gerr_setr(e, GERR_VALIDATION, GR_PASSWORD_SHORT, "password", GP_I("min", PASSWORD_MIN), GP_I("got", n));
  if (strlen(zPassword) > PASSWORD_MAX)
    return gerr_setr(e, GERR_VALIDATION, GR_PASSWORD_LONG, "password", GP_I("max", PASSWORD_MAX));
  if (is_common(zPassword))
    return gerr_setr(e, GERR_VALIDATION, GR_PASSWORD_COMMON, "password");
  if (zUsername && strcasecmp(zPassword, zUsername) == 0)
    return gerr_setr(e, GERR_VALIDATION, GR_PASSWORD_USERNAME, "password");
  return 0;
}

int password_hash(const char *zPassword, char *zOut) {
  if (sodium_init() < 0) return -1;
  return crypto_pwhash_str(zOut, zPassword, strlen(zPassword), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

int password_verify(const char *zHash, const char *zPassword) {
  if (sodium_init() < 0) return 0;
  return crypto_pwhash_str_verify(zHash, zPassword, strlen(zPassword)) == 0;
}

static char zDummyHash[PASSWORD_HASH_LEN];
static pthread_once_t dummyOnce = PTHREAD_ONCE_INIT;
static void dummy_init(void) { password_hash("guild-dummy-password-for-timing", zDummyHash); }

void password_verify_dummy(const char *zPassword) {
  pthread_once(&dummyOnce, dummy_init);
  (void)password_verify(zDummyHash, zPassword);
}

void password_random(char *zOut, size_t nChars) {
  static const char zAlpha[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  if (sodium_init() < 0) abort();
  for (size_t i = 0; i < nChars; i++) zOut[i] = zAlpha[randombytes_uniform(sizeof zAlpha - 1)];
  zOut[nChars] = 0;
}
