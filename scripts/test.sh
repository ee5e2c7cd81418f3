#!/usr/bin/env bash
# The test command: installs dependencies, builds, runs every test with ctest, then (when
# ../shared/corpus exists beside the checkout) the extraction quality gate. The last line is
# the summary: "summary: N passed, M failed, K skipped".
#
# Counting (one check = one ctest test, plus the quality gate):
#   passed   ctest "Passed"
#   skipped  ctest "Skipped" (a GoogleTest case that called GTEST_SKIP: gtest_discover_tests
#            registers SKIP_REGULAR_EXPRESSION "[  SKIPPED ]"; or a test's SKIP_RETURN_CODE) and
#            "Not Run (Disabled)"; the quality gate when ../shared/corpus is absent
#   failed   everything else ctest reports (Failed, Timeout, Not Run for a missing binary,
#            SEGFAULT, ...), and the quality gate below a floor
# Environment: NH_BUILD_DIR (default build/), NH_CTEST_ARGS (extra ctest arguments, e.g. -L store),
# NH_TEST_PG (a PostgreSQL URL whose user may create databases; default: a throw-away cluster).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NH_BUILD_DIR:-$root/build}
"$root/scripts/setup-deps.sh" || { echo "test.sh: dependency setup failed" >&2; exit 1; }
NH_BUILD_DIR="$build" "$root/scripts/build.sh" || { echo "test.sh: build failed" >&2; exit 1; }
log=$(mktemp)
# The PostgreSQL backend's tests need a server: a throw-away cluster on a loopback port
# (scripts/pg-cluster.sh) unless NH_TEST_PG already names one (.ci/run starts one for all steps).
pg_dir=""
cleanup() {
  rm -f "$log"
  [ -n "$pg_dir" ] && { "$root/scripts/pg-cluster.sh" stop "$pg_dir" || true; rm -rf "$pg_dir" "$pg_dir.initdb.log"; }
}
trap cleanup EXIT
if [ -z "${NH_TEST_PG:-}" ]; then
  pg_dir=/tmp/nh-test-pg-$$
  if url=$("$root/scripts/pg-cluster.sh" start "$pg_dir" $((20000 + $$ % 20000))); then
    export NH_TEST_PG=$url
  else
    echo "test.sh: PostgreSQL did not start: the PostgreSQL tests will be skipped" >&2
  fi
fi
# shellcheck disable=SC2086
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 600 ${NH_CTEST_ARGS:-}) 2>&1 |
  tee "$log"
ctest_rc=${PIPESTATUS[0]}

# One result line per test: "  3/120 Test  #17: name ......   Passed    0.02 sec".
results=$(grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: ' "$log")
count() { [ -z "$results" ] && echo 0 || grep -cE "$1" <<<"$results"; }
total=$(count '.')
passed=$(count ' Passed +[0-9.]+ sec$')
skipped=$(count '\*\*\*Skipped|Not Run \(Disabled\)')
failed=$((total - passed - skipped))
# ctest failed without a failing result line (e.g. no tests found, a crash of ctest itself).
[ "$ctest_rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

gate_rc=0
if [ -d "$root/../shared/corpus" ]; then
  "$root/scripts/quality-gate.sh"
  gate_rc=$?
  if [ "$gate_rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
else
  echo "test.sh: quality gate skipped: $root/../shared/corpus not found"
  skipped=$((skipped + 1))
fi
if [ "$skipped" -gt 0 ]; then
  echo "skipped checks:"
  grep -E '\*\*\*Skipped|Not Run \(Disabled\)' <<<"$results" | sed -E 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+).*/  \1/'
  [ -d "$root/../shared/corpus" ] || echo "  quality-gate"
fi
echo "summary: $passed passed, $failed failed, $skipped skipped"
[ "$ctest_rc" -eq 0 ] && [ "$gate_rc" -eq 0 ]
