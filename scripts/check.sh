#!/usr/bin/env bash
# make check: what keeps guild's code in shape, each a rule that fails the
# build when broken:
#  1. no banned unsafe C function in src/ or tests/unit (curl-style);
#  2. the grain of the layers (DESIGN.md, "Architecture"): dependencies point
#     one way, cli/ http/ jobs/ -> api/ -> domain/ -> store/ -> core/, with
#     io/ (file formats only) used by the domain and the CLI:
#     - core/ includes nothing of guild but core/;
#     - store/ includes only core/ and store/; only store/ includes an
#       engine header (sqlite3.h, libpq-fe.h) or names an engine's catalogue;
#     - io/ includes only core/ and io/;
#     - domain/ includes only core/, store/, io/ and domain/, never jansson
#       (the domain sees no JSON) nor anything of http/ or api/;
#     - api/ includes no engine, cli/ or jobs/; api/, io/, cli/, http/,
#       and jobs/ run no SQL (no db_prepare, db_exec, db_step,
#       db_query_int, db_begin, db_commit: they call the domain);
#     - the CLI does not include api/ (it prints through io/ or its own code).
# Prints what is wrong, file by file, and exits 1; else one line per rule.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0

banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok|tmpnam|mktemp)[[:space:]]*\('
if grep -rnE "$banned" src tests/unit --include='*.c' --include='*.h'; then
  echo "check: banned functions above (use snprintf, strncat with bounds, text_int64, strtok_r)" >&2
  rc=1
else
  echo "check: no banned functions"
fi

# fail_if MESSAGE GREP-ARGS...: lines that match break the rule
fail_if() {
  local msg=$1
  shift
  local out
  out=$(grep -rnE "$@" 2>/dev/null)
  if [ -n "$out" ]; then
    echo "$out"
    echo "check: $msg" >&2
    rc=1
  fi
}

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*'
fail_if "core/ includes only core/" "$inc\"(store|domain|io|api|http|cli|jobs)/" src/core
fail_if "store/ includes only core/ and store/" "$inc\"(domain|io|api|http|cli|jobs)/" src/store
fail_if "io/ is file formats only: it includes only core/ and io/" "$inc\"(store|domain|api|http|cli|jobs)/" src/io
fail_if "domain/ never sees HTTP, JSON or the CLI" "$inc(\"(api|http|cli|jobs)/<jansson\.h>)" src/domain
fail_if "only store/ includes an engine header" "$inc<(sqlite3|libpq-fe)\.h>" src --exclude-dir=store
fail_if "only store/ knows an engine's catalogue" "sqlite_master|sqlite_schema|pg_catalog|information_schema" \
  src --exclude-dir=store
fail_if "api/ includes no cli/ or jobs/" "$inc\"(cli|jobs)/" src/api
fail_if "the CLI prints without the API (no api/ include)" "$inc\"api/" src/cli
fail_if "no SQL outside domain/ and store/: call the domain" \
  "\b(db_prepare|db_exec|db_step|db_query_int|db_begin|db_commit)[[:space:]]*\(" \
  src/api src/io src/cli src/http src/jobs
[ "$rc" -eq 0 ] && echo "check: the layers keep their grain"
exit "$rc"
