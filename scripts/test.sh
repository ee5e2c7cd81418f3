#!/usr/bin/env bash
# The test command: installs dependencies, builds, runs every test with ctest, then (when
# ../shared/corpus exists beside the checkout) the extraction quality gate. The last line is
# the summary: "summary: N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NH_BUILD_DIR:-$root/build}
"$root/scripts/setup-deps.sh" || { echo "test.sh: dependency setup failed" >&2; exit 1; }
"$root/scripts/build.sh" || { echo "test.sh: build failed" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 600) 2>&1 | tee "$log"
ctest_rc=${PIPESTATUS[0]}
"$root/scripts/quality-gate.sh"
gate_rc=$?
total=$(sed -n 's/.* tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
failed=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -1)
total=${total:-0}
failed=${failed:-0}
[ "$ctest_rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
passed=$((total - failed))
if [ "$gate_rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "summary: $passed passed, $failed failed"
[ "$ctest_rc" -eq 0 ] && [ "$gate_rc" -eq 0 ]
