#!/usr/bin/env bash
# Runs each libFuzzer target (build/fuzz/tests/fuzz_*, built by `make fuzz`
# or `make test`) for SECONDS, from its seed corpus tests/fuzz/corpus/NAME
# (read only) and what earlier runs found, build/fuzz/corpus/NAME (new
# inputs go there), with its dictionary tests/fuzz/NAME.dict when there is
# one. A crash, a leak, a sanitizer report, a broken property or an input
# slower than 30 s fails the target; its input is kept in build/fuzz/
# artifacts/ (replay it: build/fuzz/tests/fuzz_NAME FILE). Prints one line
# per target: executions, executions per second, coverage (edges reached,
# of those instrumented in the whole binary), features and corpus size;
# the full output is build/fuzz/NAME.log. Exits non-zero when any failed.
# Usage: tests/fuzz/run.sh SECONDS [NAME...]   (NAME: csv, http, ...)
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [NAME...]}
shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for b in build/fuzz/tests/fuzz_*; do [ -x "$b" ] && names+=("${b##*/fuzz_}"); done
fi
if [ ${#names[@]} -eq 0 ]; then
  echo "run.sh: no fuzz targets built (make build/fuzz/tests/fuzz_NAME, or make fuzz)" >&2
  exit 1
fi
export GUILD_FUZZ_ONEROSTER="$PWD/tests/data/oneroster/bulk"   # what fuzz_oneroster imports first
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p build/fuzz/artifacts
nfail=0
for n in "${names[@]}"; do
  bin=build/fuzz/tests/fuzz_$n
  log=build/fuzz/$n.log
  if [ ! -x "$bin" ]; then
    echo "fuzz_$n: FAILED: $bin is not built"
    nfail=$((nfail + 1))
    continue
  fi
  mkdir -p "build/fuzz/corpus/$n"
  dict=()
  [ -f "tests/fuzz/$n.dict" ] && dict=("-dict=tests/fuzz/$n.dict")
  "$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/artifacts/$n-" "${dict[@]}" "build/fuzz/corpus/$n" "tests/fuzz/corpus/$n" > "$log" 2>&1
  rc=$?
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  eps=$(grep -oE '^stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
  ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+')
  corp=$(echo "$last" | grep -oE 'corp: [0-9]+' | grep -oE '[0-9]+')
  edges=$(grep -oE 'Loaded 1 modules +\([0-9]+ inline' "$log" | head -1 | sed -E 's/.*\(([0-9]+) inline/\1/')
  figures="${runs:-0} runs in ${secs} s, ${eps:-0} exec/s, cov ${cov:-?} of ${edges:-?} edges, ft ${ft:-?}, corpus ${corp:-?}"
  if [ "$rc" -eq 0 ]; then
    echo "fuzz_$n: ok: $figures"
  else
    nfail=$((nfail + 1))
    echo "fuzz_$n: FAILED (exit $rc): $figures"
    grep -vE '^#[0-9]+ +(NEW|REDUCE|pulse)' "$log" | tail -40 | sed 's/^/    /'
    art=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //')
    [ -n "$art" ] && echo "    the input: $art (replay: $bin $art)"
  fi
done
[ "$nfail" -eq 0 ]
