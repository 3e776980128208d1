#!/usr/bin/env bash
# bench/run.sh: guild's performance table (DESIGN.md, "Targets"), run by
# `make bench` after building the optimised ./guild. Every row measures guild
# and a reference on this machine in the same run and prints their ratio
# against the target, with PASS or FAIL. The table goes to stdout and to
# bench/out/results.md; raw tool output goes to bench/out/ as well.
#
# Exit status: 0 when every row ran (whether it passed or failed its target),
# 1 when something broke (a server would not start, the reference answered
# with errors, a tool is missing), 2 on bad usage.
#
# Rows: one function per row, named row_<name>, listed in ALL_ROWS below. A
# row function measures, then calls `add_row` once (and `add_note` for any
# detail worth keeping); on breakage it calls `row_broke` and returns 1.
# Servers it starts are stopped by the EXIT trap (see `start_guild`,
# `start_nginx`), so a row may return at any point.
#
# Environment:
#   BENCH_ROWS        rows to run, space-separated (default: all)
#   BENCH_LEARNERS    learners in the demo database (default 1000000)
#   BENCH_DURATION    wrk duration per measurement (default 10s)
#   BENCH_WARMUP      wrk warm-up per server, not reported (default 3s; 0 = none)
#   BENCH_FILL        demo | sql | auto (default auto): how the demo database
#                     is made. sql uses bench/fill_persons.sql, a stand-in for
#                     when `guild demo` is unavailable; auto tries demo first.
#   BENCH_REGEN=1     regenerate the cached databases (SQLite and PostgreSQL)
#   BENCH_COUNT_STATUS=0  skip wrk's per-response status counting (then
#                     "non-2xx" is wrk's count of status >= 400)
#   BENCH_GUILD       the guild binary to measure (default ./guild; e.g. a
#                     patched build, when comparing a change)
#   BENCH_IMPORT_ROWS persons in the import_persons CSV (default 1000000)
#   BENCH_IMPORT_ENROLLMENTS enrollments in the import_enrollments CSV (default
#                     3000000: three for each of a third as many persons)
#   BENCH_IMPORT_RUNS rounds of each import row (default 3; the median counts)
#   BENCH_ATT_SESSIONS  sessions (cohorts of BENCH_ATT_LEARNERS, default 25)
#                     whose attendance the attendance_mark row takes over the
#                     API, one call a session (default 2000: a region's day);
#                     also run at a tenth and a hundredth
#   BENCH_ATT_ENROLLMENTS  enrollments whose rates the attendance_rates row
#                     computes (default 1000000; also a tenth and a hundredth),
#                     each with BENCH_ATT_RATE_SESSIONS marks (default 10)
#   BENCH_USER, BENCH_PASSWORD  the account the persons row signs in as
#                     (default bench and a fixed password; made in the cached
#                     database with `guild user add` when missing)
#
# PostgreSQL (the persons_get_pg row): a private cluster kept between runs in
# bench/out/pg-schemaS-learnersN-seedK/ (owned by the postgres user), started
# by scripts/pg.sh on a free loopback port for the row and stopped, not
# deleted, after it (and by the EXIT trap). It is filled once with
# `guild copy` from the cached SQLite demo database and remade when that
# database or the schema version changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ALL_ROWS=(persons_get persons_get_pg comp_results comp_results_national import_persons import_enrollments
          attendance_mark attendance_rates)

GUILD=${BENCH_GUILD:-./guild}
OUT=bench/out
LEARNERS=${BENCH_LEARNERS:-1000000}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
FILL=${BENCH_FILL:-auto}
SEED=1
# The bench account: a region administrator in the cached demo database only
# (bench/out/, never a real one), so a fixed password is fine here.
BENCH_USER=${BENCH_USER:-bench}
BENCH_PASSWORD=${BENCH_PASSWORD:-guild-bench-session-9f3c2a71e4}
HTTP_SESSION_COOKIE=guild_session   # src/http/http.h
WRK_ARGS=(-t2 -c64 -d"$DURATION" --latency)
export BENCH_COUNT_STATUS=${BENCH_COUNT_STATUS:-1}

TMP=
PIDS=()            # every server this script started, stopped by cleanup
PG_DIRS=()         # cached PostgreSQL clusters started here, stopped (kept) by cleanup
ROWS_MD=()
NOTES=()
BROKE=0

log() { printf 'bench: %s\n' "$*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in "${PG_DIRS[@]}"; do
    scripts/pg.sh stop-keep "$pid" || true
  done
  [ -n "$TMP" ] && rm -rf "$TMP"
}

# bench_init: the private temporary directory and the trap that stops every
# server started here. bench/profile.sh sources this file and calls it too.
bench_init() {
  TMP=$(mktemp -d /tmp/guild-bench.XXXXXX)
  chmod 755 "$TMP"   # nginx workers (user nobody when started as root) read www/
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  [ -x "$GUILD" ] || { log "$GUILD is missing: run make bench (or make guild)"; exit 1; }
  mkdir -p "$OUT"
}

need() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || { log "missing tool: $t (scripts/deps.sh bench installs it)"; exit 1; }
  done
}

# ---------------------------------------------------------------- table

add_row() {  # add_row NAME GUILD REFERENCE RATIO TARGET RESULT
  ROWS_MD+=("| $1 | $2 | $3 | $4 | $5 | $6 |")
}
add_note() { NOTES+=("$*"); }
row_broke() {  # row_broke NAME WHY
  add_row "$1" "-" "-" "-" "-" "ERROR"
  add_note "$1: ERROR: $2"
  log "$1: $2"
  BROKE=1
}

print_table() {
  {
    echo "# guild bench, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "$($GUILD version 2>/dev/null || echo 'guild ?'); $(nproc) cores; $(uname -sr);" \
         "wrk ${WRK_ARGS[*]}"
    echo
    echo "| row | guild | reference | ratio | target | result |"
    echo "| --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${ROWS_MD[@]}"
    if [ ${#NOTES[@]} -gt 0 ]; then
      echo
      printf -- '- %s\n' "${NOTES[@]}"
    fi
  } | tee "$OUT/results.md"
}

# ---------------------------------------------------------------- helpers

schema_version() {
  $GUILD version | sed -n 's/.*schema version \([0-9][0-9]*\).*/\1/p'
}

# Formats a number with thousands separators: 12345.6 -> 12,346.
fmt_int() { LC_ALL=C awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); r = "";
  while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }'; }
fmt_ms() { LC_ALL=C awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
fmt_mb() { LC_ALL=C awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

# Is nothing listening on loopback port $1?
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

# http_get PORT PATH BODYFILE: GET over HTTP/1.0 with bash's /dev/tcp (no
# curl needed); writes the body to BODYFILE and prints the status code.
http_get() {
  local port=$1 path=$2 out=$3 resp
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$path" \
    "${BENCH_HEADER:+$BENCH_HEADER$'\r\n'}" >&3
  resp=$(timeout 5 cat <&3) || true
  exec 3<&-
  printf '%s' "${resp#*$'\r\n\r\n'}" >"$out"
  resp=${resp%%$'\r'*}
  set -- $resp
  echo "${2:-000}"
}

# wait_port PORT SECONDS PID: waits until something listens on PORT, while PID lives.
wait_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    port_free "$1" || return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_guild DB: starts `guild serve` on a free loopback port; sets
# GUILD_PID and GUILD_PORT. Returns 1 (log in $TMP/guild.err) when it fails.
start_guild() {
  local db=$1
  : >"$TMP/guild.out"
  $GUILD serve --db "$db" --addr 127.0.0.1 --port 0 --threads 2 --quiet >"$TMP/guild.out" 2>"$TMP/guild.err" &
  GUILD_PID=$!
  PIDS+=("$GUILD_PID")
  GUILD_PORT=
  for _ in $(seq 100); do
    GUILD_PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/guild.out")
    [ -n "$GUILD_PORT" ] && break
    kill -0 "$GUILD_PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$GUILD_PORT" ] && wait_port "$GUILD_PORT" 10 "$GUILD_PID"
}

stop_pid() {  # stop_pid PID: TERM, wait up to 5 s, then KILL
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# start_nginx FILE: serves FILE for every /api/v1/persons/N from a private
# nginx (bench/nginx.conf.in) in $TMP/nginx; sets NGINX_PID and NGINX_PORT.
start_nginx() {
  local dir=$TMP/nginx try
  mkdir -p "$dir/www" "$dir/tmp"
  chmod 755 "$dir" "$dir/www"
  cp "$1" "$dir/www/person.json"
  chmod 644 "$dir/www/person.json"
  for try in 1 2 3; do
    NGINX_PORT=$(free_port) || return 1
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$NGINX_PORT|g" bench/nginx.conf.in >"$dir/nginx.conf"
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    if wait_port "$NGINX_PORT" 10 "$NGINX_PID"; then return 0; fi
    stop_pid "$NGINX_PID"
    log "nginx did not start on port $NGINX_PORT (try $try): $(tail -n3 "$dir/error.log" "$dir/stdout" 2>/dev/null | tr '\n' ' ')"
  done
  return 1
}

# cpu_ticks PID...: user+system CPU ticks of these processes (all threads)
# and of their child processes (nginx's workers).
cpu_ticks() {
  local pid kids=() t=0 f
  for pid in "$@"; do
    kids+=("$pid")
    [ -r "/proc/$pid/task/$pid/children" ] && kids+=($(cat "/proc/$pid/task/$pid/children"))
  done
  for pid in "${kids[@]}"; do
    f=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    f=${f##*) }   # fields after "(comm) ": state is field 3
    set -- $f
    t=$((t + ${12} + ${13}))   # utime, stime (fields 14 and 15)
  done
  echo "$t"
}

# run_wrk NAME PORT PATHFMT [PID...]: runs wrk with bench/persons.lua against
# 127.0.0.1:PORT; raw output in $OUT/wrk-NAME.txt. Sets W_RPS, W_P50, W_P99
# (microseconds), W_NON2XX, W_SOCKERR, W_BYTES (per response), W_STATUS and,
# given the server's PIDs, W_CPU_US (server CPU per request, microseconds)
# and W_CORES (cores the server kept busy).
run_wrk() {
  local name=$1 port=$2 pathfmt=$3 line kv c0=0 c1=0 hz
  shift 3
  local s0 s1 wrk_s TIMEFORMAT='%U %S'
  [ $# -gt 0 ] && c0=$(cpu_ticks "$@")
  s0=$(busy_ticks)
  { time BENCH_PATH=$pathfmt BENCH_MAX_ID=$LEARNERS \
    wrk "${WRK_ARGS[@]}" -s bench/persons.lua "http://127.0.0.1:$port" >"$OUT/wrk-$name.txt" 2>&1; } 2>"$TMP/time" || {
    log "wrk failed for $name: $(tail -3 "$OUT/wrk-$name.txt")"
    return 1
  }
  s1=$(busy_ticks)
  [ $# -gt 0 ] && c1=$(cpu_ticks "$@")
  hz=$(getconf CLK_TCK)
  wrk_s=$(LC_ALL=C awk '{ print $1 + $2 }' "$TMP/time")
  line=$(grep '^BENCH ' "$OUT/wrk-$name.txt" | tail -1)
  [ -n "$line" ] || { log "no BENCH line from wrk for $name"; return 1; }
  declare -A v=()
  for kv in ${line#BENCH }; do v[${kv%%=*}]=${kv#*=}; done
  W_RPS=$(LC_ALL=C awk -v n="${v[requests]}" -v d="${v[duration_us]}" 'BEGIN { printf "%.1f", n / (d / 1e6) }')
  W_P50=${v[p50_us]}
  W_P99=${v[p99_us]}
  W_NON2XX=${v[non2xx]}
  W_SOCKERR=$((v[connect] + v[read] + v[write] + v[timeout]))
  W_BYTES=$(( v[requests] > 0 ? v[bytes] / v[requests] : 0 ))
  W_STATUS=${v[status]}
  W_REQUESTS=${v[requests]}
  W_CPU_US=$(LC_ALL=C awk -v t=$((c1 - c0)) -v hz="$hz" -v n="${v[requests]}" \
    'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')
  W_CORES=$(LC_ALL=C awk -v t=$((c1 - c0)) -v hz="$hz" -v d="${v[duration_us]}" \
    'BEGIN { printf "%.2f", (d > 0 ? t / hz / (d / 1e6) : 0) }')
  # cores that neither the server nor wrk used: other work on this machine
  W_OTHER=$(LC_ALL=C awk -v b=$((s1 - s0)) -v t=$((c1 - c0)) -v w="$wrk_s" -v hz="$hz" -v d="${v[duration_us]}" \
    'BEGIN { o = (b - t) / hz - w; if (o < 0) o = 0; printf "%.2f", (d > 0 ? o / (d / 1e6) : 0) }')
}

# busy_ticks: ticks all CPUs spent not idle (user nice system irq softirq steal).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

warm_up() {  # warm_up PORT PATHFMT
  [ "$WARMUP" = 0 ] && return 0
  BENCH_PATH=$2 BENCH_MAX_ID=$LEARNERS BENCH_COUNT_STATUS=0 \
    wrk -t2 -c64 -d"$WARMUP" -s bench/persons.lua "http://127.0.0.1:$1" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- demo database

# demo_db: sets DB to the cached demo database with $LEARNERS learners (seed
# $SEED) for this guild's schema version, making it when missing; sets
# DB_NOTE (how it was made, how long it took) and, when `guild demo` failed,
# DEMO_FAILED. Stale caches of other schema versions are removed.
demo_db() {
  local schema kind db meta t0 t1 secs f
  schema=$(schema_version)
  [ -n "$schema" ] || { log "cannot read the schema version from '$GUILD version'"; return 1; }
  for kind in demo sql; do
    [ "$kind" = sql ] && [ "$FILL" = demo ] && break
    [ "$kind" = demo ] && [ "$FILL" = sql ] && continue
    db=$OUT/$kind-schema$schema-learners$LEARNERS-seed$SEED.db
    meta=${db%.db}.meta
    for f in "$OUT"/$kind-schema*-learners$LEARNERS-seed$SEED.db; do
      [ -e "$f" ] && [ "$f" != "$db" ] && { log "removing stale cache $f"; rm -f "$f" "${f%.db}.meta" "$f-wal" "$f-shm"; }
    done
    if [ "${BENCH_REGEN:-0}" = 1 ]; then rm -f "$db" "$meta" "$db-wal" "$db-shm"; fi
    if [ -f "$db" ] && [ -f "$meta" ]; then
      DB_NOTE="database: $(basename "$db") (cached; $(cat "$meta"))"
      DB=$db
      return 0
    fi
    rm -f "$db" "$meta" "$OUT/.gen.db" "$OUT/.gen.db-wal" "$OUT/.gen.db-shm"
    log "generating $(basename "$db") ($kind, $LEARNERS learners) ..."
    t0=$(date +%s.%N)
    if [ "$kind" = demo ]; then
      local rc=0
      $GUILD demo --db "$OUT/.gen.db" --learners "$LEARNERS" --seed "$SEED" >"$OUT/demo.log" 2>&1 || rc=$?
      if [ "$rc" != 0 ]; then
        log "guild demo failed (exit $rc): $(tail -3 "$OUT/demo.log" | tr '\n' ' ')"
        DEMO_FAILED="guild demo --learners $LEARNERS failed: $(tail -1 "$OUT/demo.log" | cut -c1-120)"
        [ -z "$(tail -1 "$OUT/demo.log")" ] && DEMO_FAILED="guild demo --learners $LEARNERS exited non-zero with no output"
        continue
      fi
    else
      $GUILD init --db "$OUT/.gen.db" >/dev/null &&
        sed "s/@N@/$LEARNERS/g" bench/fill_persons.sql | sqlite3 "$OUT/.gen.db" >/dev/null || {
        log "bench/fill_persons.sql failed"; return 1; }
    fi
    t1=$(date +%s.%N)
    sqlite3 "$OUT/.gen.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    secs=$(LC_ALL=C awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    mv "$OUT/.gen.db" "$db"
    rm -f "$OUT/.gen.db-wal" "$OUT/.gen.db-shm"
    echo "generated by $kind in ${secs} s on $(date -u +%Y-%m-%d), $(du -m "$db" | cut -f1) MB" >"$meta"
    log "generated in ${secs} s"
    DB_NOTE="database: $(basename "$db") (generated now by $kind in ${secs} s, $(du -m "$db" | cut -f1) MB)"
    DB=$db
    return 0
  done
  return 1
}

# ---------------------------------------------------------------- PostgreSQL

# pg_sql SQL: runs SQL on the cached cluster's guild database (psql over
# loopback, trust authentication); prints the unaligned result.
pg_sql() {
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d guild -X -q -At -v ON_ERROR_STOP=1 -c "$1"
}

# pg_db SQLITE_DB: starts the cached PostgreSQL cluster for this schema
# version and $LEARNERS learners on a free loopback port, filling it first
# (guild copy from SQLITE_DB, then VACUUM ANALYZE as routine maintenance
# would) when it is missing, incomplete or was copied from an older
# SQLITE_DB. Sets PG_DIR, PG_PORT, PG_URL (the database), PG_PID (the
# postmaster), PG_VERSION and PG_NOTE. The cluster is stopped, and kept, by
# pg_stop or the EXIT trap. It runs with scripts/pg.sh's settings (fsync=off:
# a machine crash may corrupt it; BENCH_REGEN=1 remakes it).
pg_db() {
  local src=$1 schema srcid f try base fresh=0 t0 t1 t2 copy_s vac_s mb
  need psql
  schema=$(schema_version)
  [ -n "$schema" ] || { log "cannot read the schema version from '$GUILD version'"; return 1; }
  PG_DIR=$PWD/$OUT/pg-schema$schema-learners$LEARNERS-seed$SEED   # absolute: the socket directory
  # the source: its name and its .meta (made once per generation, with its mtime)
  srcid="$(basename "$src") $(stat -c %Y "${src%.db}.meta"): $(cat "${src%.db}.meta")"
  for f in "$PWD/$OUT"/pg-schema*-learners$LEARNERS-seed$SEED; do
    [ -d "$f" ] && [ "$f" != "$PG_DIR" ] && { log "removing stale cache $f"; scripts/pg.sh stop "$f"; }
  done
  scripts/pg.sh stop-keep "$PG_DIR"   # left running by a run that was killed
  if [ "${BENCH_REGEN:-0}" = 1 ] || [ ! -f "$PG_DIR/bench.meta" ] ||
     [ "$(sed -n 's/^source: //p' "$PG_DIR/bench.meta")" != "$srcid" ]; then
    [ -d "$PG_DIR" ] && { log "removing $PG_DIR (incomplete, outdated or BENCH_REGEN=1)"; scripts/pg.sh stop "$PG_DIR"; }
    fresh=1
  fi
  PG_DIRS+=("$PG_DIR")
  base=
  for try in 1 2 3; do
    PG_PORT=$(free_port) || return 1
    base=$(scripts/pg.sh start "$PG_DIR" "$PG_PORT" 2>"$TMP/pg.err") && break
    base=
    log "PostgreSQL did not start on port $PG_PORT (try $try): $(tail -n3 "$TMP/pg.err" | tr '\n' ' ')"
  done
  [ -n "$base" ] || return 1
  PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
  PG_URL=$base/guild
  # guild serves over the Unix socket: no TCP loopback round trip per query
  PG_SOCKET_URL="postgresql://postgres@/guild?host=$(cd "$PG_DIR" && pwd)&port=$PG_PORT"
  if [ "$fresh" = 1 ]; then
    scripts/pg.sh createdb "$PG_PORT" guild >/dev/null || { log "createdb guild failed"; return 1; }
    log "copying $(basename "$src") into PostgreSQL with guild copy (takes minutes) ..."
    t0=$(date +%s.%N)
    $GUILD copy --from "$src" --to "$PG_URL" >"$OUT/pg-copy.log" 2>&1 || {
      log "guild copy failed: $(tail -3 "$OUT/pg-copy.log" | tr '\n' ' ')"; return 1; }
    t1=$(date +%s.%N)
    pg_sql 'VACUUM (ANALYZE)' >/dev/null && pg_sql 'CHECKPOINT' >/dev/null || { log "VACUUM ANALYZE failed"; return 1; }
    t2=$(date +%s.%N)
    copy_s=$(LC_ALL=C awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    vac_s=$(LC_ALL=C awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
    mb=$(pg_sql "SELECT pg_database_size('guild') / 1048576")
    {
      echo "source: $srcid"
      echo "made: guild copy in ${copy_s} s, then VACUUM ANALYZE in ${vac_s} s, on $(date -u +%Y-%m-%d); database ${mb} MB"
    } >"$PG_DIR/bench.meta"
    log "copied in ${copy_s} s, VACUUM ANALYZE in ${vac_s} s"
    PG_NOTE="database: $(basename "$PG_DIR") (filled now from $(basename "$src"): guild copy in ${copy_s} s, then VACUUM ANALYZE in ${vac_s} s; ${mb} MB)"
  else
    PG_NOTE="database: $(basename "$PG_DIR") (cached; $(sed -n 's/^made: //p' "$PG_DIR/bench.meta"))"
  fi
  PG_VERSION=$(pg_sql 'SHOW server_version') || return 1
  PG_VERSION=${PG_VERSION%% *}
  PG_SETTINGS="shared_buffers $(pg_sql 'SHOW shared_buffers'), fsync $(pg_sql 'SHOW fsync'), synchronous_commit $(pg_sql 'SHOW synchronous_commit')"
}

# pg_stop: stops the cluster pg_db started, keeping its data directory.
pg_stop() { if [ -n "${PG_DIR:-}" ]; then scripts/pg.sh stop-keep "$PG_DIR"; fi; }

# pg_warm: reads the cluster's files into the page cache, as `cat DB` does
# for the SQLite row (PostgreSQL's own cache is shared_buffers).
pg_warm() { find "$PG_DIR/data/base" -type f -exec cat {} + >/dev/null; }

# ---------------------------------------------------------------- accounts

# bench_account DB: makes sure DB has the bench account (BENCH_USER, a
# region_admin with BENCH_PASSWORD); adds it once, when `guild user list`
# does not show it. Sets ACCOUNT_NOTE.
bench_account() {
  local db=$1 out
  out=$($GUILD user list --db "$db" 2>&1) || { log "guild user list failed: $out"; return 1; }
  if printf '%s\n' "$out" | awk -v u="$BENCH_USER" 'NR > 1 && $2 == u { f = 1 } END { exit !f }'; then
    ACCOUNT_NOTE="account $BENCH_USER (region_admin) already in the database"
    return 0
  fi
  out=$(printf '%s\n' "$BENCH_PASSWORD" |
        $GUILD user add "$BENCH_USER" --role region_admin --password-stdin --db "$db" 2>&1) || {
    log "guild user add $BENCH_USER failed: $out"; return 1; }
  ACCOUNT_NOTE="account $BENCH_USER (region_admin) added to the database now"
}

# sign_in PORT: POST /api/v1/session as the bench account with curl; sets
# SESSION_TOKEN (the guild_session cookie's value) and SESSION_CSRF. Returns
# 1 with SIGN_IN_ERR set when sign-in fails.
sign_in() {
  local port=$1 code body
  SESSION_TOKEN= SESSION_CSRF= SIGN_IN_ERR=
  body=$(printf '{"username":"%s","password":"%s"}' "$BENCH_USER" "$BENCH_PASSWORD")
  # the body (with the password) goes through standard input, not argv
  code=$(printf '%s' "$body" |
         curl -sS -o "$TMP/login.json" -D "$TMP/login.hdr" -w '%{http_code}' --max-time 30 \
              -H 'Content-Type: application/json' --data-binary @- \
              "http://127.0.0.1:$port/api/v1/session" 2>"$TMP/login.err") || code=000
  if [ "$code" != 200 ] && [ "$code" != 201 ]; then
    SIGN_IN_ERR="POST /api/v1/session as $BENCH_USER answered $code: $(head -c 200 "$TMP/login.json" 2>/dev/null) $(head -c 200 "$TMP/login.err")"
    return 1
  fi
  SESSION_TOKEN=$(tr -d '\r' <"$TMP/login.hdr" |
                  sed -n "s/^[Ss]et-[Cc]ookie: *$HTTP_SESSION_COOKIE=\([^;]*\).*/\1/p" | tail -1)
  SESSION_CSRF=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$TMP/login.json")
  [ -n "$SESSION_TOKEN" ] || { SIGN_IN_ERR="sign-in answered $code without a guild_session cookie"; return 1; }
}

# sign_out PORT: ends the session sign_in opened (DELETE /api/v1/session),
# so runs do not pile up live sessions in the cached database. Best effort.
sign_out() {
  [ -n "${SESSION_TOKEN:-}" ] || return 0
  curl -sS -o /dev/null --max-time 10 -X DELETE -H "Cookie: $HTTP_SESSION_COOKIE=$SESSION_TOKEN" \
       -H "X-CSRF-Token: $SESSION_CSRF" "http://127.0.0.1:$1/api/v1/session" 2>/dev/null || true
  SESSION_TOKEN=
}

# ---------------------------------------------------------------- rows

# Reading one learner over the API as a signed-in user: guild (checking the
# session cookie on every request) vs nginx serving that learner's JSON as a
# static file, same wrk settings and request headers (nginx gets the cookie
# too and ignores it), random ids; target >= 0.5x nginx with no non-2xx
# responses and no socket errors. persons_get serves the cached SQLite demo
# database; persons_get_pg the same data copied into the cached PostgreSQL
# cluster (pg_db), which runs on the same cores as guild and wrk.
# --- competition results -------------------------------------------------------
# An edition made by `guild demo --bench-edition C,N,A,J` (C categories, N
# competitors, A aspects per category, J judges per judgement aspect), its
# results read with GET /api/v1/editions/{id}/results: loading every mark,
# computing raw and standard scores, ranks, medals and the institution table,
# and sending the JSON. Timed by curl over COMP_RUNS requests; the median counts.
COMP_RUNS=${BENCH_COMP_RUNS:-7}
row_comp_results() { comp_results_row "12 categories, 300 competitors, 60 aspects, 3 judges" 1000 12,300,60,3 100; }
row_comp_results_national() {
  comp_results_row "national scale: 100 categories, 10,000 competitors, 60 aspects, 3 judges" 10000 100,10000,60,3 ""
}

comp_results_row() {  # comp_results_row LABEL LEARNERS SPEC TARGET_MS (empty: report only)
  local label=$1 learners=$2 spec=$3 target=$4 row="Results of a competition edition: $1"
  local db="$OUT/comp-schema$(schema_version)-${spec//,/-}.db" t0 t1 edition marks times med
  if [ ! -f "$db" ] || [ ! -f "$db.edition" ]; then
    rm -f "$db" "$db-wal" "$db-shm" "$db.edition"
    t0=$(date +%s.%N)
    $GUILD demo --db "$db" --learners "$learners" --bench-edition "$spec" >"$TMP/comp-demo.out" 2>&1 ||
      { row_broke "$row" "guild demo --bench-edition failed: $(tail -c 300 "$TMP/comp-demo.out")"; return 1; }
    t1=$(date +%s.%N)
    sed -n 's/.*the benchmark edition is \([0-9][0-9]*\).*/\1/p' "$TMP/comp-demo.out" >"$db.edition"
    add_note "$row: database made by guild demo --learners $learners --bench-edition $spec in $(LC_ALL=C awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
  fi
  edition=$(cat "$db.edition")
  [ -n "$edition" ] || { row_broke "$row" "no benchmark edition in $db"; return 1; }
  bench_account "$db" || { row_broke "$row" "could not add the bench account"; return 1; }
  start_guild "$db" || { row_broke "$row" "guild serve did not start: $(tail -c 300 "$TMP/guild.err")"; return 1; }
  sign_in "$GUILD_PORT" || { row_broke "$row" "$SIGN_IN_ERR"; stop_pid "$GUILD_PID"; return 1; }
  times=()
  for _ in $(seq "$COMP_RUNS"); do
    times+=("$(curl -sS -o "$TMP/results.json" -w '%{http_code} %{time_total}' --max-time 600 \
                 -H "Cookie: $HTTP_SESSION_COOKIE=$SESSION_TOKEN" \
                 "http://127.0.0.1:$GUILD_PORT/api/v1/editions/$edition/results")")
  done
  sign_out "$GUILD_PORT"
  stop_pid "$GUILD_PID"
  if printf '%s\n' "${times[@]}" | grep -qv '^200 '; then
    row_broke "$row" "GET results answered: ${times[*]}"
    return 1
  fi
  med=$(printf '%s\n' "${times[@]}" | awk '{ print $2 * 1000 }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  marks=$(sqlite3 "$db" "SELECT count(*) FROM marks m JOIN competitors p ON p.id = m.competitor_id JOIN categories c ON c.id = p.category_id WHERE c.edition_id = $edition")
  local result="reported" tcol="-"
  if [ -n "$target" ]; then
    tcol="< $target ms"
    result=$(LC_ALL=C awk -v m="$med" -v t="$target" 'BEGIN { print (m < t) ? "PASS" : "FAIL" }')
  fi
  add_row "$row" "$(LC_ALL=C awk -v m="$med" 'BEGIN { printf "%.1f ms", m }') (median of $COMP_RUNS)" \
          "$(fmt_int "$marks") marks" "-" "$tcol" "$result"
  add_note "$row: GET /api/v1/editions/$edition/results over HTTP with a session, on SQLite; every time: $(printf '%s\n' "${times[@]}" | awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $2 * 1000 }') ms; response $(wc -c <"$TMP/results.json") bytes"
}

row_persons_get() { persons_get_row sqlite; }
row_persons_get_pg() { persons_get_row pg; }

# persons_get_row sqlite|pg: the persons_get rows.
persons_get_row() {
  local engine=$1
  local row="GET /api/v1/persons/{id} with a session cookie, $(fmt_int "$LEARNERS") learners"
  local -x BENCH_HEADER=   # the Cookie header, for http_get and persons.lua
  local db status g_rps g_p99 g_non2xx g_err g_bytes g_status g_hwm g_rss g_anon g_file ratio result
  local sfx= server_pids
  [ "$engine" = pg ] && sfx=-pg
  need wrk nginx sqlite3
  DEMO_FAILED=
  demo_db || { row_broke "$row" "no demo database${DEMO_FAILED:+ ($DEMO_FAILED)}"; return 1; }
  db=$DB
  # the bench account goes into the SQLite database, and with it into the
  # PostgreSQL copy made from it
  bench_account "$db" || { row_broke "$row" "could not add the bench account $BENCH_USER"; return 1; }
  if [ "$engine" = pg ]; then
    PG_DIR=
    pg_db "$db" || {
      row="$row, PostgreSQL"
      row_broke "$row" "the cached PostgreSQL database did not start or fill: $(tail -n3 "$TMP/pg.err" 2>/dev/null | tr '\n' ' ')"
      pg_stop; return 1; }
    row="$row, PostgreSQL $PG_VERSION"
    add_note "$row: $PG_NOTE; PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT, guild connected over its Unix socket ($PG_SETTINGS)"
    bench_account "$PG_URL" || { row_broke "$row" "could not add the bench account $BENCH_USER"; pg_stop; return 1; }
    add_note "$row: $ACCOUNT_NOTE (the PostgreSQL copy)"
    pg_warm
    db=$PG_SOCKET_URL
  else
    case "$db" in
      */sql-*) add_note "$row: WARNING: stand-in database from bench/fill_persons.sql, not \`guild demo\`" \
                        "(BENCH_FILL=$FILL${DEMO_FAILED:+; $DEMO_FAILED})";;
    esac
    add_note "$row: $DB_NOTE"
    add_note "$row: $ACCOUNT_NOTE"
    cat "$db" >/dev/null   # into the page cache, as for any warm server
  fi

  start_guild "$db" || { row_broke "$row" "guild serve did not start: $(tail -3 "$TMP/guild.err" | tr '\n' ' ')"; pg_stop; return 1; }
  server_pids=("$GUILD_PID")
  [ "$engine" = pg ] && server_pids+=("$PG_PID")
  local sample=$((LEARNERS / 2 + 1))
  status=$(http_get "$GUILD_PORT" "/api/v1/persons/$sample" "$TMP/anon.json") || status=000
  if [ "$status" != 401 ]; then
    row_broke "$row" "GET /api/v1/persons/$sample without a session answered $status, not 401"
    pg_stop; return 1
  fi
  sign_in "$GUILD_PORT" || { row_broke "$row" "$SIGN_IN_ERR"; pg_stop; return 1; }
  BENCH_HEADER="Cookie: $HTTP_SESSION_COOKIE=$SESSION_TOKEN"
  status=$(http_get "$GUILD_PORT" "/api/v1/persons/$sample" "$TMP/person.json") || status=000
  if [ "$status" != 200 ]; then
    row_broke "$row" "GET /api/v1/persons/$sample answered $status: $(head -c 200 "$TMP/person.json")"
    pg_stop; return 1
  fi
  cp "$TMP/person.json" "$OUT/person$sfx.json"
  if [ "$engine" = pg ] && [ -f "$TMP/person-sqlite.json" ]; then
    if cmp -s "$TMP/person-sqlite.json" "$TMP/person.json"; then
      add_note "$row: learner $sample's JSON is byte-identical to the SQLite row's"
    else
      add_note "$row: WARNING: learner $sample's JSON differs from the SQLite row's (see $OUT/person.json and $OUT/person-pg.json)"
    fi
  fi
  [ "$engine" = sqlite ] && cp "$TMP/person.json" "$TMP/person-sqlite.json"
  start_nginx "$TMP/person.json" || { row_broke "$row" "nginx did not start"; pg_stop; return 1; }
  status=$(http_get "$NGINX_PORT" "/api/v1/persons/1" "$TMP/nginx.json") || status=000
  if [ "$status" != 200 ] || ! cmp -s "$TMP/person.json" "$TMP/nginx.json"; then
    row_broke "$row" "nginx reference answered $status, body $(head -c 100 "$TMP/nginx.json")"
    pg_stop; return 1
  fi

  log "nginx: warm-up $WARMUP, then wrk ${WRK_ARGS[*]}"
  warm_up "$NGINX_PORT" "/api/v1/persons/%d"
  run_wrk "nginx$sfx" "$NGINX_PORT" "/api/v1/persons/%d" "$NGINX_PID" || { row_broke "$row" "wrk against nginx failed"; pg_stop; return 1; }
  local n_rps=$W_RPS n_p99=$W_P99 n_non2xx=$W_NON2XX n_err=$W_SOCKERR n_bytes=$W_BYTES n_cpu=$W_CPU_US n_cores=$W_CORES
  local n_other=$W_OTHER
  stop_pid "$NGINX_PID"

  log "guild${sfx:+ on PostgreSQL}: warm-up $WARMUP, then wrk ${WRK_ARGS[*]}"
  warm_up "$GUILD_PORT" "/api/v1/persons/%d"
  # guild's and PostgreSQL's CPU apart (run_wrk sums every server PID)
  local gc0 gc1 pc0=0 pc1=0 hz
  hz=$(getconf CLK_TCK)
  gc0=$(cpu_ticks "$GUILD_PID")
  [ "$engine" = pg ] && pc0=$(cpu_ticks "$PG_PID")
  run_wrk "guild$sfx" "$GUILD_PORT" "/api/v1/persons/%d" "${server_pids[@]}" || { row_broke "$row" "wrk against guild failed"; pg_stop; return 1; }
  gc1=$(cpu_ticks "$GUILD_PID")
  [ "$engine" = pg ] && pc1=$(cpu_ticks "$PG_PID")
  sign_out "$GUILD_PORT"
  g_rps=$W_RPS g_p99=$W_P99 g_non2xx=$W_NON2XX g_err=$W_SOCKERR g_bytes=$W_BYTES g_status=$W_STATUS
  local g_cpu=$W_CPU_US g_cores=$W_CORES g_other=$W_OTHER g_requests=$W_REQUESTS
  g_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$GUILD_PID/status" 2>/dev/null || echo 0)
  g_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$GUILD_PID/status" 2>/dev/null || echo 0)
  g_anon=$(awk '/^RssAnon:/ { print $2 }' "/proc/$GUILD_PID/status" 2>/dev/null || echo 0)
  g_file=$(awk '/^RssFile:/ { print $2 }' "/proc/$GUILD_PID/status" 2>/dev/null || echo 0)
  stop_pid "$GUILD_PID"
  pg_stop

  if [ "$n_non2xx" != 0 ] || [ "$n_err" != 0 ]; then
    row_broke "$row" "the nginx reference had $n_non2xx non-2xx responses and $n_err socket errors"
    return 1
  fi
  ratio=$(LC_ALL=C awk -v g="$g_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", (n > 0 ? g / n : 0) }')
  result=FAIL
  if LC_ALL=C awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }' && [ "$g_non2xx" = 0 ] && [ "$g_err" = 0 ]; then
    result=PASS
  fi
  add_row "$row" "$(fmt_int "$g_rps") req/s, p99 $(fmt_ms "$g_p99"), non-2xx $g_non2xx" \
          "nginx static file: $(fmt_int "$n_rps") req/s, p99 $(fmt_ms "$n_p99")" \
          "${ratio}x" ">= 0.50x, 0 non-2xx" "$result"
  add_note "$row: guild statuses $g_status, socket errors $g_err; bytes per response: guild $g_bytes, nginx $n_bytes" \
           "(body $(wc -c <"$TMP/person.json") B, saved in $OUT/person$sfx.json)"
  if [ "$engine" = pg ]; then
    local per_req='BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }'
    local g_only p_only
    g_only=$(LC_ALL=C awk -v t=$((gc1 - gc0)) -v hz="$hz" -v n="$g_requests" "$per_req")
    p_only=$(LC_ALL=C awk -v t=$((pc1 - pc0)) -v hz="$hz" -v n="$g_requests" "$per_req")
    add_note "$row: server CPU per request: guild $g_only us + postgres $p_only us (postmaster and all its processes," \
             "guild's 2 connections' backends included) = $g_cpu us ($g_cores cores busy), nginx $n_cpu us ($n_cores cores busy);" \
             "other processes used $g_other cores during guild's run, $n_other during nginx's"
    add_note "$row: PostgreSQL $PG_VERSION shares the same $(nproc) cores with guild and wrk (nginx has them to itself and wrk)," \
             "so this ratio is not comparable to the SQLite row's, where the database is inside guild's process;" \
             "its nginx reference is measured again in this row, on the same settings"
  else
    add_note "$row: server CPU per request: guild $g_cpu us ($g_cores cores busy), nginx $n_cpu us ($n_cores cores busy);" \
             "wrk shares the same $(nproc) cores; other processes used $g_other cores during guild's run, $n_other during nginx's"
  fi
  if LC_ALL=C awk -v a="$g_other" -v b="$n_other" 'BEGIN { exit !(a > 0.2 || b > 0.2) }'; then
    add_note "$row: WARNING: other work on this machine took CPU during the measurement; the ratio is skewed," \
             "rerun on a quiet machine"
  fi
  if [ "$engine" = pg ]; then
    add_note "$row: guild memory after the run: peak RSS (VmHWM) $(fmt_mb "$g_hwm"), RSS $(fmt_mb "$g_rss"): private (RssAnon) $(fmt_mb "$g_anon"), mapped files (RssFile) $(fmt_mb "$g_file")"
  else
    add_note "$row: guild memory after the run: peak RSS (VmHWM) $(fmt_mb "$g_hwm"), RSS $(fmt_mb "$g_rss"): private (RssAnon) $(fmt_mb "$g_anon"), the database file mapped by each thread's connection (RssFile, page cache shared with the kernel) $(fmt_mb "$g_file")"
  fi
  add_note "$row: every request carries the cookie of one $BENCH_USER (region_admin) session, signed in with" \
           "POST /api/v1/session before the run and signed out after it; without it the route answers 401"
}

# ---------------------------------------------------------------- import

IMPORT_ROWS=${BENCH_IMPORT_ROWS:-1000000}
IMPORT_ENROLLMENTS=${BENCH_IMPORT_ENROLLMENTS:-3000000}
IMPORT_RUNS=${BENCH_IMPORT_RUNS:-3}
IMPORT_PASSWORD=guild-bench-import-3b81d0c6f2   # init's admin in a throwaway database

# import_csv N FILE: a deterministic CSV of N persons (sourced_id, given_name,
# family_name, sex, birth_date, phone); Chinese, Uyghur (Arabic script) and
# Latin names in turn; every date valid (day <= 28).
import_csv() {
  LC_ALL=C awk -v n="$1" 'BEGIN {
    split("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平", zg, " ");
    split("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗", zf, " ");
    split("ئابدۇللا مۇھەممەت ئەخمەت گۈلنار مەرىيەم ئايگۈل ياسىن نۇرمۇھەممەت پاتىگۈل زۆھرە", ug, " ");
    split("ئابلىمىت تۇرسۇن قادىر ئىمىن ھەسەن ئوسمان مامۇت ياقۇپ ئەيسا سايىت", uf, " ");
    split("Anna Peter Maria Jan Elena Marco Sofia Lukas Nora Ivan", lg, " ");
    split("Smith Müller García Rossi Novak Kowalski Jensen Silva Ivanova Dubois", lf, " ");
    print "sourced_id,given_name,family_name,sex,birth_date,phone";
    for (i = 1; i <= n; i++) {
      k = i % 3;
      if (k == 0) { g = zg[1 + (i * 7) % 20]; f = zf[1 + (i * 13) % 20] }
      else if (k == 1) { g = ug[1 + (i * 7) % 10]; f = uf[1 + (i * 11) % 10] }
      else { g = lg[1 + (i * 7) % 10]; f = lf[1 + (i * 3) % 10] }
      printf "P%08d,%s,%s,%s,%04d-%02d-%02d,+86 1%02d %04d %04d\n", i, g, f, (i % 2 ? "female" : "male"),
             1960 + i % 45, 1 + i % 12, 1 + i % 28, 30 + i % 70, (i * 37) % 10000, i % 10000;
    }
  }'
}

# enrollments_csv N IDS: N enrollments (person_sourced_id, cohort_id, status,
# consent) of the persons of import_csv, three each, person by person (as a
# roster lists them), in the cohorts whose ids are the words of IDS; new
# applications (applied), each with the learner's consent.
enrollments_csv() {
  LC_ALL=C awk -v n="$1" -v ids="$2" 'BEGIN {
    m = split(ids, c, " ");
    print "person_sourced_id,cohort_id,status,consent";
    for (i = 0; i < n; i++) {
      p = int(i / 3) + 1; k = i % 3;
      printf "P%08d,%d,applied,true\n", p, c[1 + (p * 7 + k * 41) % m];
    }
  }'
}

# rss_kb TIMEFILE: "Maximum resident set size" from /usr/bin/time -v.
rss_kb() { sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$1"; }

# import_timed NAME KIND CSV DB: times `guild import KIND CSV --quiet` into
# DB; sets T (seconds) and RSS (peak, kB); guild's summary is $TMP/NAME.out.
import_timed() {
  local name=$1 kind=$2 csv=$3 db=$4 t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$TMP/$name.time" $GUILD import "$kind" "$csv" --quiet --db "$db" >"$TMP/$name.out" 2>&1 ||
    return 1
  t1=$(date +%s.%N)
  T=$(LC_ALL=C awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  RSS=$(rss_kb "$TMP/$name.time")
}

# sqlite_import_timed NAME CSV TABLE SQL: times sqlite3's .import of CSV into
# TABLE of a new database made by SQL; sets T (seconds); checks the rows.
sqlite_import_timed() {
  local name=$1 csv=$2 table=$3 sql=$4 db="$TMP/$1.db" t0 t1 n
  rm -f "$db"
  t0=$(date +%s.%N)
  sqlite3 "$db" "$sql" ".import --csv --skip 1 $csv $table" >"$TMP/$name.out" 2>&1 || return 1
  t1=$(date +%s.%N)
  T=$(LC_ALL=C awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  n=$(($(wc -l <"$csv") - 1))
  [ "$(sqlite3 "$db" "SELECT count(*) FROM $table")" = "$n" ] || { echo "loaded $(sqlite3 "$db" "SELECT count(*) FROM $table") of $n rows" >>"$TMP/$name.out"; return 1; }
  rm -f "$db"
}

# import_rounds NAME PREP KIND CSV GDB TABLE COLS INDEXES: IMPORT_RUNS rounds,
# each timing `guild import KIND CSV` into GDB (made afresh by the function
# PREP), then sqlite3's .import of CSV into TABLE(COLS) (the same primary
# key), then into the same table with the INDEXES statements too. A round's
# three runs follow one another, so they share the machine's state of the
# moment; its ratios are taken within the round. Sets R_TG R_RSS R_TS R_TSI
# (space-separated, a value a round) and R_OUT (guild's summary).
import_rounds() {
  local name=$1 prep=$2 kind=$3 csv=$4 gdb=$5 table=$6 cols=$7 idx=$8 i
  R_TG="" R_RSS="" R_TS="" R_TSI=""
  for ((i = 1; i <= IMPORT_RUNS; i++)); do
    log "$name: round $i of $IMPORT_RUNS"
    rm -f "$gdb" "$gdb-wal" "$gdb-shm"
    "$prep" "$gdb" || { R_OUT="could not make the database: $(tail -c 300 "$TMP/import-prep.out" 2>/dev/null)"; return 1; }
    import_timed "$name" "$kind" "$csv" "$gdb" || { R_OUT="guild import failed: $(tail -c 300 "$TMP/$name.out")"; return 1; }
    R_TG+="$T " R_RSS+="$RSS "
    R_OUT=$(head -c 200 "$TMP/$name.out")
    rm -f "$gdb" "$gdb-wal" "$gdb-shm"
    sqlite_import_timed "$name-sqlite" "$csv" "$table" "CREATE TABLE $table($cols)" ||
      { R_OUT="sqlite3 .import failed: $(tail -c 300 "$TMP/$name-sqlite.out")"; return 1; }
    R_TS+="$T "
    sqlite_import_timed "$name-sqlite-idx" "$csv" "$table" "CREATE TABLE $table($cols); $idx" ||
      { R_OUT="sqlite3 .import failed: $(tail -c 300 "$TMP/$name-sqlite-idx.out")"; return 1; }
    R_TSI+="$T "
  done
}

# median V...: the median of the numbers.
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# ratios "A..." "B...": A_i / B_i for each round, space-separated.
ratios() { LC_ALL=C awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
  for (i = 1; i <= n; i++) printf "%.2f ", x[i] / y[i] }'; }
# span V...: "min-max" of the numbers.
span() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }

# import_row_result ROW: the row of an import (after import_rounds) against
# its two references: sqlite3 .import into a table with the same primary key
# (the issue's words), and into the same table with the secondary indexes
# guild keeps for this data too. The target is judged on the median of the
# rounds' ratios against the second, as both then build the same indexes;
# both are shown, with the range over the rounds. Peak RSS: the largest.
import_row_result() {
  local row=$1 tg ts tsi r ri rss result
  tg=$(median $R_TG) ts=$(median $R_TS) tsi=$(median $R_TSI)
  r=$(median $(ratios "$R_TG" "$R_TS"))
  ri=$(median $(ratios "$R_TG" "$R_TSI"))
  rss=$(printf '%s\n' $R_RSS | sort -n | tail -1)
  result=$(LC_ALL=C awk -v r="$ri" -v m="$rss" 'BEGIN { print (r <= 1.5 && m < 64 * 1024) ? "PASS" : "FAIL" }')
  add_row "$row" "$tg s (median of $IMPORT_RUNS: $(span $R_TG) s), peak RSS $(fmt_mb "$rss")" \
          "sqlite3 .import: same indexes $tsi s ($(span $R_TSI)); primary key only $ts s ($(span $R_TS))" \
          "${ri}x ($(span $(ratios "$R_TG" "$R_TSI"))); ${r}x against the primary key only ($(span $(ratios "$R_TG" "$R_TS")))" \
          "<= 1.5x, < 64 MB" "$result"
}

# A fresh `guild init` database (the persons row's starting point).
import_persons_db() {
  printf '%s\n' "$IMPORT_PASSWORD" | $GUILD init --db "$1" --password-stdin >"$TMP/import-prep.out" 2>&1
}

row_import_persons() {
  local n=$IMPORT_ROWS row="Import of $(fmt_int "$IMPORT_ROWS") persons from CSV"
  local csv="$OUT/import-persons-$n.csv" gdb="$TMP/import.db"
  [ -x /usr/bin/time ] || { row_broke "$row" "/usr/bin/time (GNU time, for -v) is missing"; return 1; }
  if [ ! -s "$csv" ]; then
    import_csv "$n" >"$csv.tmp" && mv "$csv.tmp" "$csv" || { row_broke "$row" "could not write $csv"; return 1; }
  fi
  import_rounds import import_persons_db persons "$csv" "$gdb" persons \
    "sourced_id TEXT PRIMARY KEY, given_name TEXT, family_name TEXT, sex TEXT, birth_date TEXT, phone TEXT" \
    "CREATE INDEX persons_name ON persons(family_name || given_name); CREATE INDEX persons_given ON persons(given_name)" ||
    { row_broke "$row" "$R_OUT"; return 1; }
  case "$R_OUT" in
    *": $n rows: $n created,"*) ;;
    *) row_broke "$row" "guild import did not create $n persons: $R_OUT"; return 1 ;;
  esac
  import_row_result "$row"
  add_note "$row: \`guild import persons FILE --quiet\` into a fresh \`guild init\` database against sqlite3 $(sqlite3 --version | cut -d' ' -f1)" \
           "\`.import --csv --skip 1\` into persons(sourced_id TEXT PRIMARY KEY, ...) with the file's 6 columns, and into the same" \
           "table with indexes on (family_name || given_name) and (given_name): the counterparts of guild's name_key and given_key" \
           "(the search keys of a person; its home-area and institution indexes hold no entry for persons without one, as here)." \
           "guild also checks every row with the API's rules, computes the keys and writes the audit entry, in SQLite's WAL mode" \
           "(each page written to the log, then to the database), writes new rows 256 to a statement and builds its two search-key indexes after the rows (docs/import.md);" \
           "sqlite3 uses its default rollback journal. $IMPORT_RUNS rounds, each timing the three in turn; the ratio is the median of" \
           "the rounds' ratios. File $csv, $(wc -c <"$csv") bytes; peak RSS from /usr/bin/time -v; guild said: $R_OUT"
}

# enrollments_base_db CSV: sets EDB to a cached database (bench/out) with
# the demo region of 1,000 learners (its cohorts) and the persons of CSV
# imported: what an enrollments import needs. Remade when the schema
# changes (or BENCH_REGEN=1).
enrollments_base_db() {
  local csv=$1 db
  db="$OUT/import-enrollments-base-schema$(schema_version)-$(basename "$csv" .csv).db"
  if [ "${BENCH_REGEN:-0}" = 1 ]; then rm -f "$db" "$db-wal" "$db-shm"; fi
  if [ ! -s "$db" ]; then
    rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
    log "making $db (demo region, then the persons of $csv)"
    $GUILD demo --db "$db.tmp" --learners 1000 >"$TMP/enr-demo.out" 2>&1 &&
      $GUILD import persons "$csv" --quiet --db "$db.tmp" >"$TMP/enr-persons.out" 2>&1 || return 1
    mv "$db.tmp" "$db"
  fi
  EDB=$db
}

# A copy of the enrollments row's cached database (EDB) at $1.
import_enrollments_db() { cp "$EDB" "$1"; }

row_import_enrollments() {
  local n=$IMPORT_ENROLLMENTS row="Import of $(fmt_int "$IMPORT_ENROLLMENTS") enrollments from CSV"
  local pcsv="$OUT/import-persons-$(((IMPORT_ENROLLMENTS + 2) / 3)).csv" csv="$OUT/import-enrollments-$n.csv"
  local gdb="$TMP/import-enr.db" ids
  [ -x /usr/bin/time ] || { row_broke "$row" "/usr/bin/time (GNU time, for -v) is missing"; return 1; }
  if [ ! -s "$pcsv" ]; then
    import_csv $(((n + 2) / 3)) >"$pcsv.tmp" && mv "$pcsv.tmp" "$pcsv" || { row_broke "$row" "could not write $pcsv"; return 1; }
  fi
  enrollments_base_db "$pcsv" || { row_broke "$row" "could not make the database: $(tail -c 300 "$TMP"/enr-*.out)"; return 1; }
  ids=$(sqlite3 "$EDB" "SELECT id FROM cohorts ORDER BY id" | tr '\n' ' ')
  if [ ! -s "$csv" ]; then
    enrollments_csv "$n" "$ids" >"$csv.tmp" && mv "$csv.tmp" "$csv" || { row_broke "$row" "could not write $csv"; return 1; }
  fi
  import_rounds import-enr import_enrollments_db enrollments "$csv" "$gdb" enrollments \
    "person_sourced_id TEXT, cohort_id INTEGER, status TEXT, consent TEXT, PRIMARY KEY (person_sourced_id, cohort_id)" \
    "CREATE INDEX enrollments_cohort ON enrollments(cohort_id, status)" ||
    { row_broke "$row" "$R_OUT"; return 1; }
  case "$R_OUT" in
    *": $n rows: $n created,"*) ;;
    *) row_broke "$row" "guild import did not create $n enrollments: $R_OUT"; return 1 ;;
  esac
  import_row_result "$row"
  add_note "$row: \`guild import enrollments FILE --quiet\` into a copy of a database with the demo region (its" \
           "$(echo "$ids" | wc -w) cohorts) and the $(fmt_int $(((n + 2) / 3))) persons of $pcsv, against sqlite3" \
           "\`.import --csv --skip 1\` into enrollments(person_sourced_id, cohort_id, status, consent) with PRIMARY KEY" \
           "(person_sourced_id, cohort_id), and into the same table with an index on (cohort_id, status), guild's own." \
           "guild also looks up each person by sourced_id and each cohort, checks consent and status with the API's rules and" \
           "writes the audit entry; $IMPORT_RUNS rounds as for persons; file $csv, $(wc -c <"$csv") bytes; guild said: $R_OUT"
}

# ---------------------------------------------------------------- attendance

ATT_SESSIONS=${BENCH_ATT_SESSIONS:-2000}
ATT_LEARNERS=${BENCH_ATT_LEARNERS:-25}
ATT_ENROLLMENTS=${BENCH_ATT_ENROLLMENTS:-1000000}
ATT_RATE_SESSIONS=${BENCH_ATT_RATE_SESSIONS:-10}

# three_sizes N: N/100, N/10 and N (at least 1, without repeats).
three_sizes() { printf '%s\n' $(( $1 / 100 > 0 ? $1 / 100 : 1 )) $(( $1 / 10 > 0 ? $1 / 10 : 1 )) "$1" | uniq; }

secs_since() { LC_ALL=C awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'; }
per_sec() { LC_ALL=C awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }

# att_db KIND C L S MARKED: sets ADB to a cached database (bench/out) of C
# cohorts of L enrolled learners with S sessions each (bench/fill_attendance.sql,
# into a fresh `guild init` database), every learner marked at every session
# when MARKED is 1. The marking row's sessions are today's, so its cache is
# of today; others of that row are removed. Sets ADB_NOTE.
att_db() {
  local kind=$1 c=$2 l=$3 s=$4 marked=$5 today db f t0
  today=$(date -u +%F)
  db="$OUT/att-$kind-schema$(schema_version)-c$c-l$l-s$s$([ "$marked" = 0 ] && echo "-$today").db"
  for f in "$OUT"/att-$kind-schema*-c$c-l$l-s$s*.db; do
    [ -e "$f" ] && [ "$f" != "$db" ] && rm -f "$f" "$f-wal" "$f-shm"
  done
  [ "${BENCH_REGEN:-0}" = 1 ] && rm -f "$db" "$db-wal" "$db-shm"
  if [ -s "$db" ]; then
    ADB=$db ADB_NOTE="database $(basename "$db") (cached)"
    return 0
  fi
  rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
  printf '%s\n' "$IMPORT_PASSWORD" | $GUILD init --db "$db.tmp" --password-stdin >"$TMP/att-init.out" 2>&1 || return 1
  t0=$(date +%s.%N)
  sed -e "s/@C@/$c/g; s/@L@/$l/g; s/@S@/$s/g; s/@TODAY@/$today/g; s/@MARKED@/$marked/g" bench/fill_attendance.sql |
    sqlite3 "$db.tmp" >/dev/null 2>"$TMP/att-fill.err" || return 1
  sqlite3 "$db.tmp" 'PRAGMA journal_mode = WAL; PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null || return 1
  mv "$db.tmp" "$db"
  ADB=$db ADB_NOTE="database $(basename "$db") (filled now by bench/fill_attendance.sql in $(secs_since "$t0") s)"
}

row_attendance_mark() {
  local c
  for c in $(three_sizes "$ATT_SESSIONS"); do attendance_mark_size "$c" || return 1; done
}

# attendance_mark_size C: a region's day: C sessions of C cohorts of
# ATT_LEARNERS learners, each session's attendance taken with one
# POST /api/v1/training_sessions/{id}/attendance (bench/attendance.py,
# one keep-alive connection, as a region administrator), against sqlite3
# inserting the same rows into the same table (same indexes, WAL) with one
# INSERT ... SELECT in one transaction.
attendance_mark_size() {
  local c=$1 l=$ATT_LEARNERS rows row gdb="$TMP/att-mark.db" rdb="$TMP/att-ref.db" line secs t0 ref n g_rps r_rps
  rows=$((c * l))
  row="Attendance of a day over the API: $(fmt_int "$c") sessions x $l learners, one bulk call a session"
  need sqlite3 curl python3
  att_db mark "$c" "$l" 1 0 || { row_broke "$row" "could not fill the database: $(tail -c 300 "$TMP"/att-*.err "$TMP"/att-init.out 2>/dev/null)"; return 1; }
  rm -f "$gdb" "$gdb-wal" "$gdb-shm" "$rdb" "$rdb-wal" "$rdb-shm"
  cp "$ADB" "$gdb" && cp "$ADB" "$rdb" || { row_broke "$row" "could not copy $ADB"; return 1; }
  bench_account "$gdb" || { row_broke "$row" "could not add the bench account"; return 1; }
  start_guild "$gdb" || { row_broke "$row" "guild serve did not start: $(tail -c 300 "$TMP/guild.err")"; return 1; }
  sign_in "$GUILD_PORT" || { row_broke "$row" "$SIGN_IN_ERR"; stop_pid "$GUILD_PID"; return 1; }
  python3 bench/attendance.py "$GUILD_PORT" "$SESSION_TOKEN" "$SESSION_CSRF" "$c" "$l" >"$TMP/att.out" 2>&1 || {
    row_broke "$row" "$(tail -c 300 "$TMP/att.out")"; sign_out "$GUILD_PORT"; stop_pid "$GUILD_PID"; return 1; }
  sign_out "$GUILD_PORT"
  stop_pid "$GUILD_PID"
  line=$(grep '^BENCH ' "$TMP/att.out")
  secs=${line##*seconds=}
  n=$(sqlite3 "$gdb" "SELECT count(*) FROM attendance_marks")
  [ "$n" = "$rows" ] || { row_broke "$row" "guild stored $n marks of $rows"; return 1; }
  t0=$(date +%s.%N)
  sqlite3 "$rdb" "BEGIN; INSERT INTO attendance_marks (version, created_at, updated_at, training_session_id, person_id,
    status, source, set_at, set_by) SELECT 1, 0, 0, s.id, e.person_id, 'present', 'trainer', 0, 'bench'
    FROM training_sessions s JOIN enrollments e ON e.cohort_id = s.cohort_id; COMMIT;" >"$TMP/att-ref.out" 2>&1 ||
    { row_broke "$row" "sqlite3 failed: $(tail -c 300 "$TMP/att-ref.out")"; return 1; }
  ref=$(secs_since "$t0")
  [ "$(sqlite3 "$rdb" "SELECT count(*) FROM attendance_marks")" = "$rows" ] || { row_broke "$row" "sqlite3 stored a wrong count"; return 1; }
  g_rps=$(per_sec "$rows" "$secs") r_rps=$(per_sec "$rows" "$ref")
  add_row "$row" "$(fmt_int "$rows") marks in $secs s: $(fmt_int "$g_rps") rows/s ($(fmt_int "$(per_sec "$c" "$secs")") calls/s)" \
          "sqlite3 INSERT ... SELECT, one transaction: $ref s, $(fmt_int "$r_rps") rows/s" \
          "$(LC_ALL=C awk -v a="$g_rps" -v b="$r_rps" 'BEGIN { printf "%.3fx", (b > 0 ? a / b : 0) }')" "reported" "reported"
  add_note "$row: $ADB_NOTE; each call checks every row (enrolled learner, status in force, reason rules), writes" \
           "the marks in its own transaction with one audit entry, and answers the session's marks; guild's WAL" \
           "database, SQLite $(sqlite3 --version | cut -d' ' -f1) for the reference into the same table and indexes"
  rm -f "$gdb" "$gdb-wal" "$gdb-shm" "$rdb" "$rdb-wal" "$rdb-shm"
}

row_attendance_rates() {
  local n
  for n in $(three_sizes "$ATT_ENROLLMENTS"); do attendance_rates_size "$n" || return 1; done
}

# attendance_rates_size N: every learner's attendance rate over N
# enrollments (N / ATT_LEARNERS cohorts, ATT_RATE_SESSIONS marks each):
# `guild attendance export` (CSV, one row per enrollment) against sqlite3
# computing the same rates (the formula in SQL) into a CSV file.
attendance_rates_size() {
  local n=$1 l=$ATT_LEARNERS s=$ATT_RATE_SESSIONS c row t0 secs ref got rss g_rps r_rps
  c=$(( (n + l - 1) / l ))
  row="Attendance rates of $(fmt_int $((c * l))) enrollments ($s marks each): guild attendance export"
  need sqlite3
  [ -x /usr/bin/time ] || { row_broke "$row" "/usr/bin/time (GNU time, for -v) is missing"; return 1; }
  att_db rates "$c" "$l" "$s" 1 || { row_broke "$row" "could not fill the database: $(tail -c 300 "$TMP"/att-*.err 2>/dev/null)"; return 1; }
  cat "$ADB" >/dev/null
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$TMP/att-rates.time" $GUILD attendance export --db "$ADB" --out "$TMP/rates.csv" \
    >"$TMP/att-rates.out" 2>&1 &
  local pid=$! anon=0 a k
  # private memory (RssAnon), sampled: the peak RSS also counts the database file SQLite maps
  while kill -0 "$pid" 2>/dev/null; do
    for k in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
      a=$(awk '/^RssAnon:/ { print $2 }' "/proc/$k/status" 2>/dev/null)
      [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
    done
    sleep 0.05
  done
  wait "$pid" || { row_broke "$row" "guild attendance export failed: $(tail -c 300 "$TMP/att-rates.out")"; return 1; }
  secs=$(secs_since "$t0")
  rss=$(rss_kb "$TMP/att-rates.time")
  got=$(($(wc -l <"$TMP/rates.csv") - 1))
  [ "$got" = $((c * l)) ] || { row_broke "$row" "guild wrote $got rows of $((c * l))"; return 1; }
  t0=$(date +%s.%N)
  sqlite3 -csv "$ADB" "SELECT e.cohort_id, e.person_id, count(*), sum(st.counts), sum(st.weight * st.counts),
    round(100.0 * sum(st.weight * st.counts) / (100.0 * sum(st.counts)), 1)
    FROM enrollments e JOIN training_sessions x ON x.cohort_id = e.cohort_id
    JOIN attendance_marks m ON m.training_session_id = x.id AND m.person_id = e.person_id
    JOIN attendance_statuses st ON st.code = m.status AND st.institution_id IS NULL
    WHERE e.status <> 'applied' GROUP BY e.cohort_id, e.person_id ORDER BY e.cohort_id, e.person_id" \
    >"$TMP/rates-ref.csv" 2>&1 || { row_broke "$row" "sqlite3 failed: $(tail -c 300 "$TMP/rates-ref.csv")"; return 1; }
  ref=$(secs_since "$t0")
  [ "$(wc -l <"$TMP/rates-ref.csv")" = $((c * l)) ] || { row_broke "$row" "sqlite3 wrote a wrong number of rows"; return 1; }
  g_rps=$(per_sec $((c * l)) "$secs") r_rps=$(per_sec $((c * l)) "$ref")
  add_row "$row" "$secs s: $(fmt_int "$g_rps") rows/s, private memory $(fmt_mb "$anon") (peak RSS $(fmt_mb "$rss"))" \
          "sqlite3, the same rates in one GROUP BY to CSV: $ref s, $(fmt_int "$r_rps") rows/s" \
          "$(LC_ALL=C awk -v a="$g_rps" -v b="$r_rps" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')" "reported" "reported"
  add_note "$row: $ADB_NOTE ($(fmt_int $((c * l * s))) marks); guild reads a batch of 200 cohorts at a time (enrollments" \
           "with names, and their marks counted by learner and status in SQL), applies each institution's weights in C and" \
           "writes 17 columns; the reference computes the 6 columns of the formula (region statuses) in one statement;" \
           "private memory is the largest RssAnon seen (sampled every 50 ms), the peak RSS also counts the pages of the" \
           "database file ($(du -m "$ADB" | cut -f1) MB) that SQLite maps"
  rm -f "$TMP/rates.csv" "$TMP/rates-ref.csv"
}

# ---------------------------------------------------------------- main

# Sourced (by bench/profile.sh): helpers only.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then return 0; fi

bench_init
rows=(${BENCH_ROWS:-${ALL_ROWS[*]}})
for r in "${rows[@]}"; do
  if ! declare -F "row_$r" >/dev/null; then
    log "no row '$r' (rows: ${ALL_ROWS[*]})"
    exit 2
  fi
done
for r in "${rows[@]}"; do
  log "row $r"
  "row_$r" || BROKE=1
done
print_table
exit "$BROKE"
