/* cmd_audit.c: `guild audit verify|log` and `guild person erase`. */
#include "cli/clidb.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/engine/audit.h"
#include "domain/registry/person.h"
#include <stdio.h>
#include <string.h>

static int audit_verify_cmd(cli_db *p) {
  gerr e;
  audit_report rep;
  if (audit_verify(&p->c, &rep, &e)) return cli_fail(&e);
  if (rep.idFirstBad) {
    printf("audit log TAMPERED: entry %lld: %s (%lld entries read)\n", (long long)rep.idFirstBad, rep.zWhy,
           (long long)rep.nEntries);
    return CLI_FAIL;
  }
  printf("audit log intact: %lld entries, every hash matches\n", (long long)rep.nEntries);
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
  const char *azVal[8] = {0}, *azPos[1] = {0};
  int nPos, rc = cli_parse("audit", argc, argv, azVal, azPos, 1, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  if (nPos != 1 || (strcmp(azPos[0], "verify") && strcmp(azPos[0], "log"))) {
    fprintf(stderr, "guild audit: say verify or log (see guild help audit)\n");
    return CLI_USAGE;
  }
  cli_db d;
  gerr e;
  if (cli_open(cli_db_path(cli_get("audit", azVal, "db")), &d, &e)) return cli_fail(&e);
  rc = strcmp(azPos[0], "verify") == 0 ? audit_verify_cmd(&d) : audit_log_cmd(&d, azVal);
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
