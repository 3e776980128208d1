/* cmd_user.c: `guild user add|passwd|grant|revoke|list|disable|enable`, and
 * the first administrator made by `guild init`. */
#include "cli/clidb.h"
#include "domain/accounts/auth.h"
#include "domain/accounts/password.h"
#include <stdio.h>
#include <string.h>

extern dom_entity dom_user;

/* A new password: read from stdin, or generated (printed once by the caller). */
static int new_password(int bStdin, char *zOut, size_t nOut, gerr *e) {
  if (bStdin) return cli_read_password(zOut, nOut, e);
  password_random(zOut, 20);
  return 0;
}

static int64_t opt_id(const char *zVal, const char *zOpt, gerr *e) {
  int64_t v = 0;
  if (zVal && cli_int("user", zOpt, zVal, 1, INT64_MAX, &v)) return gerr_set(e, GERR_USAGE, zOpt, "bad --%s", zOpt);
  return v;
}

int cli_make_admin(cli_db *p, const char *zName, int bStdin) {
  gerr e;
  char zPw[PASSWORD_MAX + 2];
  int64_t id;
  if (new_password(bStdin, zPw, sizeof zPw, &e) ||
      auth_user_add(&p->c, zName, "Region administrator", zPw, !bStdin, 0, "region_admin", 0, &id, &e))
    return cli_fail(&e);
  printf("administrator: %s\n", zName);
  if (!bStdin) printf("one-time password: %s\n(shown once: to be changed at the first sign-in)\n", zPw);
  return CLI_OK;
}

static int user_add(cli_db *p, const char **azPos, const char **azVal) {
  const char *zName = azPos[1];
  gerr e;
  char zPw[PASSWORD_MAX + 2];
  int64_t id, idPerson = opt_id(cli_get("user", azVal, "person"), "person", &e);
  int64_t idInst = opt_id(cli_get("user", azVal, "institution"), "institution", &e);
  if (idPerson < 0 || idInst < 0) return CLI_USAGE;
  const char *zRole = cli_get("user", azVal, "role");
  int bStdin = cli_get("user", azVal, "password-stdin") != NULL;
  if (new_password(bStdin, zPw, sizeof zPw, &e) ||
      auth_user_add(&p->c, zName, cli_get("user", azVal, "display"), zPw, !bStdin, idPerson, zRole, idInst, &id, &e))
    return cli_fail(&e);
  printf("user %s added (id %lld)%s%s\n", zName, (long long)id, zRole ? " as " : "", zRole ? zRole : "");
  if (!bStdin) printf("one-time password: %s\n(shown once: to be changed at the first sign-in)\n", zPw);
  return CLI_OK;
}

static int user_passwd(cli_db *p, const char **azPos, const char **azVal) {
  const char *zName = azPos[1];
  gerr e;
  char zPw[PASSWORD_MAX + 2];
  int64_t id;
  int bStdin = cli_get("user", azVal, "password-stdin") != NULL;
  dom_rec u, patch, out;
  if (auth_user_find(&p->c, zName, &id, &e) || dom_get(&p->c, &dom_user, id, &u, &e) ||
      new_password(bStdin, zPw, sizeof zPw, &e))
    return cli_fail(&e);
  dom_rec_init(&patch, &dom_user);
  dom_set_text(&patch, "password", zPw);
  dom_set_int(&patch, "password_must_change", !bStdin);   /* a generated password is one-time */
  if (dom_update(&p->c, &dom_user, id, u.version, &patch, &out, &e)) return cli_fail(&e);
  printf("password of %s changed\n", zName);
  if (!bStdin) printf("one-time password: %s\n(shown once: to be changed at the next sign-in)\n", zPw);
  return CLI_OK;
}

static int user_set_disabled(cli_db *p, const char *zName, int bDisabled) {
  gerr e;
  int64_t id;
  dom_rec u, patch, out;
  if (auth_user_find(&p->c, zName, &id, &e) || dom_get(&p->c, &dom_user, id, &u, &e)) return cli_fail(&e);
  dom_rec_init(&patch, &dom_user);
  dom_set_int(&patch, "disabled", bDisabled);
  if (dom_update(&p->c, &dom_user, id, u.version, &patch, &out, &e)) return cli_fail(&e);
  /* a disabled user's sessions end with it: sessions join on users.disabled */
  printf("user %s %s\n", zName, bDisabled ? "disabled" : "enabled");
  return CLI_OK;
}

static int user_grant(cli_db *p, const char *zName, const char *zRole, const char **azVal, int bRevoke) {
  gerr e;
  int64_t id, idInst = opt_id(cli_get("user", azVal, "institution"), "institution", &e);
  if (idInst < 0) return CLI_USAGE;
  if (bRevoke) {
    if (auth_revoke_role(&p->c, zName, zRole, idInst, &e)) return cli_fail(&e);
    printf("%s is no longer %s\n", zName, zRole);
    return CLI_OK;
  }
  if (auth_user_find(&p->c, zName, &id, &e) || auth_grant_role(&p->c, id, zRole, idInst, &e)) return cli_fail(&e);
  printf("%s is now %s%s\n", zName, zRole, idInst ? " (institution given)" : "");
  return CLI_OK;
}

static int user_grant_cmd(cli_db *p, const char **azPos, const char **azVal) {
  return user_grant(p, azPos[1], azPos[2], azVal, 0);
}
static int user_revoke_cmd(cli_db *p, const char **azPos, const char **azVal) {
  return user_grant(p, azPos[1], azPos[2], azVal, 1);
}
static int user_disable(cli_db *p, const char **azPos, const char **azVal) {
  (void)azVal;
  return user_set_disabled(p, azPos[1], 1);
}
static int user_enable(cli_db *p, const char **azPos, const char **azVal) {
  (void)azVal;
  return user_set_disabled(p, azPos[1], 0);
}

static int user_list(cli_db *p, const char **azPos, const char **azVal) {
  (void)azPos;
  (void)azVal;
  gerr e;
  auth_user_row *a;
  int n;
  if (auth_users_list(&p->c, &a, &n, &e)) return cli_fail(&e);
  printf("%-6s %-24s %-8s %-8s %s\n", "id", "username", "person", "status", "roles (role@institution)");
  for (int i = 0; i < n; i++) {
    auth_user u;
    if (auth_load_grants(&p->c, a[i].id, &u, &e)) return cli_fail(&e);
    char zPerson[24] = "-", zRoles[400] = "";
    if (a[i].person_id) snprintf(zPerson, sizeof zPerson, "%lld", (long long)a[i].person_id);
    for (int k = 0; k < u.nGrant; k++) {
      size_t m = strlen(zRoles);
      snprintf(zRoles + m, sizeof zRoles - m, "%s%s", m ? " " : "", auth_role_names[u.aGrant[k].role]);
      m = strlen(zRoles);
      if (u.aGrant[k].institution_id)
        snprintf(zRoles + m, sizeof zRoles - m, "@%lld", (long long)u.aGrant[k].institution_id);
    }
    printf("%-6lld %-24s %-8s %-8s %s\n", (long long)a[i].id, a[i].zName, zPerson,
           a[i].bDisabled ? "disabled" : "active", zRoles);
  }
  return CLI_OK;
}

/* The subcommands of `guild user`, with the number of names each takes. */
static const struct {
  const char *zSub;
  int nArg;
  int (*xRun)(cli_db *p, const char **azPos, const char **azVal);
  const char *zUsage;
} aSub[] = {
    {"add", 1, user_add, "user add NAME [--role ROLE] [--institution ID] [--person ID] [--password-stdin]"},
    {"passwd", 1, user_passwd, "user passwd NAME [--password-stdin]"},
    {"grant", 2, user_grant_cmd, "user grant NAME ROLE [--institution ID]"},
    {"revoke", 2, user_revoke_cmd, "user revoke NAME ROLE [--institution ID]"},
    {"list", 0, user_list, "user list"},
    {"disable", 1, user_disable, "user disable NAME"},
    {"enable", 1, user_enable, "user enable NAME"},
};

int cmd_user(int argc, char **argv) {
  const char *azVal[10] = {0}, *azPos[3] = {0};
  int nPos, rc = cli_parse("user", argc, argv, azVal, azPos, 3, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  size_t i = 0;
  while (i < sizeof aSub / sizeof aSub[0] && (!azPos[0] || strcmp(aSub[i].zSub, azPos[0]) != 0)) i++;
  if (i == sizeof aSub / sizeof aSub[0]) {
    fprintf(stderr, "guild user: say add, passwd, grant, revoke, list, disable or enable (see guild help user)\n");
    return CLI_USAGE;
  }
  if (nPos != aSub[i].nArg + 1) {
    fprintf(stderr, "guild user: usage: guild %s\n", aSub[i].zUsage);
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(cli_get("user", azVal, "db")), &d, &e)) return cli_fail(&e);
  rc = aSub[i].xRun(&d, azPos, azVal);
  cli_close(&d);
  return rc;
}
