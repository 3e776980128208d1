#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks: Debian's postgresql,
# initialised in a temporary directory, listening only on 127.0.0.1 at a
# port of our choosing, trust authentication (loopback only), run as the
# `postgres` system user (PostgreSQL refuses to run as root).
#   scripts/pg.sh start DIR PORT   initialise (if needed) and start; prints the base URL
#   scripts/pg.sh stop DIR         stop and remove DIR
#   scripts/pg.sh stop-keep DIR    stop (if running) and keep DIR, for a cached
#                                  cluster (bench/run.sh); start reuses it
#   scripts/pg.sh createdb PORT NAME
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=$2 port=$3
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port"
    ;;
  stop)
    dir=$2
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  stop-keep)
    dir=$2
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    ;;
  createdb)
    port=$2 name=$3
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE \"$name\"" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/$name"
    ;;
  *) echo "usage: pg.sh start DIR PORT | stop DIR | stop-keep DIR | createdb PORT NAME" >&2; exit 2 ;;
esac
