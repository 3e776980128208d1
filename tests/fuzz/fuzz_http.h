/* fuzz_http.h: what the two HTTP targets share (fuzz_http.c, the router
 * and handlers on requests made in memory; fuzz_wire.c, the same through
 * a socket, the connection guard and libevent): the demo accounts signed
 * in, and the substitution of their tokens into the fuzzer's bytes, so
 * that an input can be any caller: $admin, $staff, $trainer, $judge and
 * $learner become that account's session token (Cookie:
 * guild_session=$admin), $csrf_NAME its CSRF token, and $token an API
 * token of a region administrator. Include after fuzz.h. */
#ifndef GUILD_FUZZ_HTTP_H
#define GUILD_FUZZ_HTTP_H
#include "domain/accounts/auth.h"
#include <time.h>

#define FUZZ_NSUB (2 * DEMO_ACCOUNTS + 1)
static struct {
  char zName[32];
  char zValue[AUTH_TOKEN_LEN];
} fuzz_aSub[FUZZ_NSUB];
static int fuzz_nSub;

/* Signs in every demo account of aAcc (those with a password) on pDb and
 * makes an API token: the values of the substitutions. Exits on failure. */
static inline void fuzz_sign_in(db *pDb, const demo_account *aAcc) {
  arena a;
  arena_init(&a);
  dom_ctx c = dom_ctx_system(pDb, &a, "fuzz", time(NULL));
  gerr e;
  for (int i = 0; i < DEMO_ACCOUNTS; i++) {
    int64_t id;
    auth_login login;
    if (!aAcc[i].zPassword[0]) continue;
    if (auth_user_find(&c, aAcc[i].zUser, &id, &e) || auth_session_create(&c, id, aAcc[i].zUser, &login, &e)) {
      fprintf(stderr, "fuzz: session of %s: %s\n", aAcc[i].zUser, e.msg);
      exit(1);
    }
    snprintf(fuzz_aSub[fuzz_nSub].zName, sizeof fuzz_aSub[fuzz_nSub].zName, "$csrf_%s", aAcc[i].zUser);
    snprintf(fuzz_aSub[fuzz_nSub++].zValue, AUTH_TOKEN_LEN, "%s", login.zCsrf);
    snprintf(fuzz_aSub[fuzz_nSub].zName, sizeof fuzz_aSub[fuzz_nSub].zName, "$%s", aAcc[i].zUser);
    snprintf(fuzz_aSub[fuzz_nSub++].zValue, AUTH_TOKEN_LEN, "%s", login.zToken);
  }
  int64_t idToken;
  snprintf(fuzz_aSub[fuzz_nSub].zName, sizeof fuzz_aSub[fuzz_nSub].zName, "$token");
  if (auth_token_create(&c, "fuzz", "region_admin", 0, fuzz_aSub[fuzz_nSub++].zValue, &idToken, &e)) {
    fprintf(stderr, "fuzz: token: %s\n", e.msg);
    exit(1);
  }
  arena_free(&a);
}

/* z (n bytes, any bytes) with the substitutions made, NUL-terminated, in
 * a; its length in *pnOut (NULL: not wanted). */
static inline char *fuzz_substitute(arena *a, const char *z, size_t n, size_t *pnOut) {
  size_t nOut = n + 1;
  for (size_t i = 0; i < n; i++)
    if (z[i] == '$') nOut += AUTH_TOKEN_LEN;   /* a value is shorter than that */
  char *zOut = arena_alloc(a, nOut), *o = zOut;
  for (size_t i = 0; i < n;) {
    int k = -1;
    for (int j = 0; z[i] == '$' && j < fuzz_nSub && k < 0; j++) {
      size_t m = strlen(fuzz_aSub[j].zName);
      if (m <= n - i && memcmp(z + i, fuzz_aSub[j].zName, m) == 0) k = j;
    }
    if (k < 0) {
      *o++ = z[i++];
      continue;
    }
    size_t m = strlen(fuzz_aSub[k].zValue);
    memcpy(o, fuzz_aSub[k].zValue, m);
    o += m;
    i += strlen(fuzz_aSub[k].zName);
  }
  *o = 0;
  if (pnOut) *pnOut = (size_t)(o - zOut);
  return zOut;
}

#endif
