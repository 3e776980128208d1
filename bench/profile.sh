#!/usr/bin/env bash
# bench/profile.sh: where a guild request's time goes. Not part of make bench.
# Serves the cached bench database (bench/run.sh makes it), drives one target
# with the same wrk settings as the table, and prints requests/s, p99 and the
# server's CPU per request; with PERF=1 it also records the server with
# `perf record --call-graph dwarf` into bench/out/perf-TARGET.data and prints
# the heaviest call chains.
#
# Usage: bench/profile.sh TARGET...
#   persons   GET /api/v1/persons/{random id} on the cached 1M database, with
#             the bench account's session cookie (as in the table)
#   small     the same on a 10,000-learner demo database (fits SQLite's cache)
#   health    GET /api/v1/health (HTTP stack + one tiny query, no row, no session)
#   health-cookie  the same with the session cookie: public, but guild still
#             resolves the session, so health-cookie minus health is the
#             session's cost per request
#   missing   GET /api/v1/nothing/{id} (router 404: HTTP stack + JSON error)
#   nginx     nginx serving bench/out/person.json, as in the table
# Environment: as bench/run.sh (BENCH_DURATION, BENCH_LEARNERS ...), PERF=1.
set -euo pipefail
# shellcheck source=bench/run.sh
source "$(dirname "$0")/run.sh"
bench_init
[ $# -gt 0 ] || { sed -n '9,19p' "$0" >&2; exit 2; }

profile() {  # profile NAME PORT PATHFMT PID
  local name=$1 port=$2 pathfmt=$3 pid=$4 perfpid=
  warm_up "$port" "$pathfmt"
  if [ "${PERF:-0}" = 1 ]; then
    perf record -F 499 --call-graph dwarf,16384 -p "$pid" -o "$OUT/perf-$name.data" 2>"$TMP/perf.err" &
    perfpid=$!
    sleep 0.5
  fi
  run_wrk "profile-$name" "$port" "$pathfmt" "$pid"
  if [ -n "$perfpid" ]; then
    kill -INT "$perfpid"; wait "$perfpid" || true
  fi
  printf '%-8s %9s req/s  p99 %9s  server CPU %6s us/request  (%s cores; other processes %s cores)  status %s\n' "$name" \
    "$(fmt_int "$W_RPS")" "$(fmt_ms "$W_P99")" "$W_CPU_US" "$W_CORES" "$W_OTHER" "$W_STATUS"
  if [ -n "$perfpid" ]; then
    perf report -i "$OUT/perf-$name.data" --children --sort symbol --stdio -g none --percent-limit 2 2>/dev/null |
      grep -E '^ +[0-9]' | grep -v ' 0x0000' | head -45
  fi
}

small_db() {
  local saved=$LEARNERS
  LEARNERS=10000
  demo_db
  LEARNERS=$saved
}

for target in "$@"; do
  case "$target" in
    persons|health|health-cookie|missing|small)
      if [ "$target" = small ]; then small_db; else demo_db; fi
      bench_account "$DB" || exit 1
      start_guild "$DB" || { log "guild serve did not start"; exit 1; }
      export BENCH_HEADER=
      case "$target" in
        persons|small|health-cookie)
          sign_in "$GUILD_PORT" || { log "$SIGN_IN_ERR"; exit 1; }
          BENCH_HEADER="Cookie: $HTTP_SESSION_COOKIE=$SESSION_TOKEN" ;;
      esac
      case "$target" in
        persons) profile persons "$GUILD_PORT" "/api/v1/persons/%d" "$GUILD_PID" ;;
        small) LEARNERS=10000 profile small "$GUILD_PORT" "/api/v1/persons/%d" "$GUILD_PID" ;;
        health) profile health "$GUILD_PORT" "/api/v1/health?x=%d" "$GUILD_PID" ;;
        health-cookie) profile health-cookie "$GUILD_PORT" "/api/v1/health?x=%d" "$GUILD_PID" ;;
        missing) profile missing "$GUILD_PORT" "/api/v1/nothing/%d" "$GUILD_PID" ;;
      esac
      sign_out "$GUILD_PORT"
      stop_pid "$GUILD_PID" ;;
    nginx)
      [ -f "$OUT/person.json" ] || { log "run bench/run.sh first (it saves bench/out/person.json)"; exit 1; }
      start_nginx "$OUT/person.json" || exit 1
      profile nginx "$NGINX_PORT" "/api/v1/persons/%d" "$NGINX_PID"
      stop_pid "$NGINX_PID" ;;
    *) log "unknown target $target"; exit 2 ;;
  esac
done
