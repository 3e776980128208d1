#!/usr/bin/env bash
# Runs guild's tests: the banned-function check, the cmocka unit tests (built
# with ASan+UBSan), the API and CLI tests (pytest against a live sanitizer
# build of `guild serve`) on SQLite, and the API tests (with the CLI import
# tests) again on a private PostgreSQL server, and the web interface in headless chromium (ui: node's
# test runner with playwright-core, web/tests/), and each libFuzzer target
# for a bounded time (fuzz: FUZZ_TEST_SECONDS each, default 25; clang's
# ASan+UBSan build, tests/fuzz/run.sh). Prints one closing line
# "N passed, N failed" and exits non-zero on any failure.
# Usage: scripts/test.sh [check|unit|fuzz|api|api-pg|ui]...
set -uo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export GUILD_BIN="$PWD/build/san/guild"
groups=("${@:-check unit fuzz api api-pg ui}")
# shellcheck disable=SC2206
groups=(${groups[*]})
passed=0
failed=0
failures=()

count() {  # count NAME STATUS
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

for g in "${groups[@]}"; do
  case "$g" in
    check)
      scripts/check.sh; rc=$?; count check "$rc" ;;
    unit)
      for t in build/san/tests/test_*; do
        [ -x "$t" ] || continue
        echo "== unit: $(basename "$t")"
        out=$("$t" 2>&1); rc=$?
        echo "$out"
        p=$(echo "$out" | grep -oE '^\[  PASSED  \] [0-9]+' | grep -oE '[0-9]+$' | tail -1)
        f=$(echo "$out" | grep -oE '^\[  FAILED  \] [0-9]+ test' | grep -oE '[0-9]+' | tail -1)
        passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
        if [ "$rc" -ne 0 ]; then
          failures+=("unit/$(basename "$t")")
          [ -z "$f" ] && failed=$((failed + 1))   # crashed or sanitizer abort
        fi
      done ;;
    fuzz)
      echo "== fuzz targets, ${FUZZ_TEST_SECONDS:-25} s each (libFuzzer, ASan+UBSan; tests/fuzz/run.sh)"
      # FUZZ_TEST_SKIP: targets left out until what they found is fixed (none now)
      names=()
      for b in build/fuzz/tests/fuzz_*; do
        n=${b##*/fuzz_}
        [ -x "$b" ] && [[ " ${FUZZ_TEST_SKIP-} " != *" $n "* ]] && names+=("$n")
      done
      tests/fuzz/run.sh "${FUZZ_TEST_SECONDS:-25}" "${names[@]}" | tee build/fuzz-tests.log
      st=${PIPESTATUS[0]}
      p=$(grep -cE '^fuzz_[a-z0-9_]+: ok' build/fuzz-tests.log); f=$(grep -cE '^fuzz_[a-z0-9_]+: FAILED' build/fuzz-tests.log)
      passed=$((passed + p)); failed=$((failed + f))
      if [ "$st" -ne 0 ] || [ "$p" -eq 0 ]; then
        failures+=("fuzz"); [ "$f" -eq 0 ] && failed=$((failed + 1))
      fi ;;
    api|api-pg)
      if [ "$g" = api ]; then
        echo "== api and cli tests on SQLite (pytest)"
        /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/api tests/cli 2>&1 | tee build/api-tests.log
        st=${PIPESTATUS[0]}
      else
        echo "== api tests (and the OneRoster CLI tests) on PostgreSQL (pytest, a private server)"
        pgdir=$(mktemp -d /tmp/guild-test-pg.XXXXXX)
        pgport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        if pgurl=$(scripts/pg.sh start "$pgdir" "$pgport"); then
          # the CLI tests that write through the domain (imports) run on PostgreSQL too
          GUILD_TEST_PG=$pgurl GUILD_TEST_PG_DIR=$pgdir /usr/bin/python3 -m pytest -q -p no:cacheprovider \
            tests/api tests/pg tests/cli/test_cli_oneroster.py tests/cli/test_cli_import*.py 2>&1 | tee build/api-tests.log
          st=${PIPESTATUS[0]}
        else
          echo "test.sh: could not start PostgreSQL" >&2; st=1
        fi
        scripts/pg.sh stop "$pgdir"
      fi
      # pytest's own summary counts each test; fold them into ours
      line=$(grep -E '^(=+ )?[0-9]+ (passed|failed)' build/api-tests.log | tail -1)
      p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+'); f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
      e=$(echo "$line" | grep -oE '[0-9]+ error' | grep -oE '[0-9]+')
      passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
      if [ "$st" -ne 0 ] && [ -z "$f$e" ]; then failed=$((failed + 1)); fi
      [ "$st" -ne 0 ] && failures+=("api") ;;
    ui)
      echo "== web interface in headless chromium (node --test, web/tests)"
      if ! command -v node >/dev/null || [ ! -f build/web-dist/index.html ] || [ ! -d web/node_modules/playwright-core ]; then
        echo "test.sh: the web interface was not built (node and npm are needed): ui tests cannot run" >&2
        failed=$((failed + 1)); failures+=("ui")
        continue
      fi
      rm -rf build/ui-artifacts
      (cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node --test --test-concurrency=1 --test-reporter=tap \
        tests/i18n.test.js tests/size.test.js tests/schema.test.js tests/ui.test.js tests/comp.test.js tests/search.test.js tests/imports.test.js tests/training.test.js tests/format.test.js tests/layout.test.js tests/admin.test.js tests/records.test.js tests/errors.test.js tests/errcodes.test.js tests/headings.test.js) > build/ui-tests.log 2>&1
      st=$?
      grep -E '^(not )?ok |^# (pass|fail)|^# initial|initial JavaScript' build/ui-tests.log
      [ "$st" -ne 0 ] && grep -A25 '^not ok' build/ui-tests.log | head -80
      p=$(grep -oE '^# pass [0-9]+' build/ui-tests.log | grep -oE '[0-9]+$'); f=$(grep -oE '^# fail [0-9]+' build/ui-tests.log | grep -oE '[0-9]+$')
      passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
      if [ "$st" -ne 0 ]; then failures+=("ui"); [ -z "$f" ] || [ "$f" -eq 0 ] && failed=$((failed + 1)); fi
      echo "screenshots: build/ui-artifacts/" ;;
    *) echo "test.sh: unknown group $g" >&2; exit 2 ;;
  esac
done

echo
[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
