#!/usr/bin/env bash
# ThreadSanitizer pass over the threaded code: the crawl's parse workers (crawler/parse_pool.*)
# and everything they call (extract::parse, URL resolution), exercised by the crawler's unit
# tests and the crawls of the demo portal (integration tests), in a clang build with
# -DNH_SANITIZE=thread in build-tsan/ (or $NH_TSAN_BUILD). Any report fails the run.
#
#   scripts/tsan.sh [ctest -R regex]     default: the crawler and integration tests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NH_TSAN_BUILD:-$root/build-tsan}
regex=${1:-'^(integration\.|ParsePool|Crawl|Frontier|HostQueues|Fetcher|Links|Urls)'}
"$root/scripts/setup-deps.sh"
if ! command -v clang++ >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null
fi
CC=clang CXX=clang++ NH_BUILD_DIR="$build" bash "$root/scripts/build.sh" -DNH_SANITIZE=thread \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1"
log="$build/tsan-ctest.log"
set +e
(cd "$build" && ctest -j2 -R "$regex" --output-on-failure) >"$log" 2>&1
rc=$?
set -e
tail -5 "$log"
if grep -q "WARNING: ThreadSanitizer" "$log"; then
  grep -A30 "WARNING: ThreadSanitizer" "$log" | head -80
  echo "tsan.sh: ThreadSanitizer reports (full log: $log)" >&2
  exit 1
fi
exit $rc
