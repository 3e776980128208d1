/* cmd_serve.c: `guild serve`. */
#include "cli/clidb.h"
#include "core/log.h"
#include "domain/engine/entity.h"
#include "http/http.h"
#include <stdio.h>
#include <unistd.h>

int cmd_serve(int argc, char **argv) {
  const char *azVal[16] = {0};
  int nPos, rc = cli_parse("serve", argc, argv, azVal, NULL, 0, &nPos);
  if (rc) return rc < 0 ? CLI_OK : rc;
  int64_t port = 8080, nThread = sysconf(_SC_NPROCESSORS_ONLN);
  if (nThread < 1) nThread = 1;
  if (azVal[1] && (rc = cli_int("serve", "port", azVal[1], 0, 65535, &port))) return rc;
  if (azVal[3] && (rc = cli_int("serve", "threads", azVal[3], 1, 256, &nThread))) return rc;
  if (azVal[4]) log_access_enabled = 0;
  int64_t nCache = 2;
  const char *zCache = cli_get("serve", azVal, "session-cache");
  if (zCache && (rc = cli_int("serve", "session-cache", zCache, 0, 60, &nCache))) return rc;
  int64_t nUpload = 16;
  const char *zUpload = cli_get("serve", azVal, "max-upload");
  if (zUpload && (rc = cli_int("serve", "max-upload", zUpload, 1, 1024, &nUpload))) return rc;
  int64_t nConn = 1024, nPerClient = 256, nTimeout = 10;
  const char *zConn = cli_get("serve", azVal, "max-connections"), *zPer = cli_get("serve", azVal, "max-per-client"),
             *zTimeout = cli_get("serve", azVal, "request-timeout");
  if (zConn && (rc = cli_int("serve", "max-connections", zConn, 1, 100000, &nConn))) return rc;
  if (zPer && (rc = cli_int("serve", "max-per-client", zPer, 0, 100000, &nPerClient))) return rc;
  if (zTimeout && (rc = cli_int("serve", "request-timeout", zTimeout, 1, 3600, &nTimeout))) return rc;
  http_config cfg = {cli_db_path(azVal[0]), azVal[2] ? azVal[2] : "127.0.0.1", (int)port, (int)nThread, (int)nCache,
                     (size_t)nUpload << 20, (int)nConn, nPerClient ? (int)nPerClient : -1, (int)nTimeout};
  gerr e;
  dom_init();
  rc = http_serve(&cfg, &e) ? cli_fail(&e) : CLI_OK;
  dom_shutdown();
  return rc;
}
