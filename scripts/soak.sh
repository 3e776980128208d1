#!/usr/bin/env bash
# Runs the soak test (tests/soak/soak.py) against the release build: mixed
# reads and writes from several roles on a live `guild serve` for SECONDS
# (default 600), with an import and a results computation halfway; prints
# requests, errors, latency percentiles and the server's RSS, and fails on
# any error or on memory growing past the bound. `make soak` builds ./guild
# first. Not part of `make test`.
# Usage: scripts/soak.sh [SECONDS]   (SOAK_GUILD: another binary; SOAK_ARGS:
# more options of soak.py, e.g. "--rate 300 --import-rows 20000")
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
exec /usr/bin/python3 tests/soak/soak.py --guild "${SOAK_GUILD:-./guild}" --seconds "${1:-600}" ${SOAK_ARGS:-}
