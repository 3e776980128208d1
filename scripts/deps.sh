#!/usr/bin/env bash
# Installs the Debian packages guild needs to build, run and test, only those
# that are missing. Idempotent: prints nothing and changes nothing when every
# package is already installed. Usage: scripts/deps.sh [build|test|bench]...
set -euo pipefail

build=(gcc make pkg-config libsqlite3-dev libevent-dev libjansson-dev
       libsodium-dev libunistring-dev libcsv-dev libpq-dev libzip-dev libxlsxwriter-dev nettle-dev)
test=(libcmocka-dev python3 python3-pytest python3-psycopg2 python3-openpyxl sqlite3 postgresql nginx-light
      chromium fonts-wqy-microhei   # the browser tests drive Debian's chromium (CJK font for the screenshots)
      clang libclang-rt-dev)        # the fuzz targets: clang with libFuzzer and its sanitizer runtimes (tests/fuzz)
bench=(wrk nginx-light sqlite3)

want=()
for group in "${@:-build}"; do
  case "$group" in
    build) want+=("${build[@]}") ;;
    test)  want+=("${build[@]}" "${test[@]}") ;;
    bench) want+=("${build[@]}" "${bench[@]}") ;;
    *) echo "deps.sh: unknown group '$group' (build, test, bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node and npm build the web interface; the machine normally has them (Node 20)
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
