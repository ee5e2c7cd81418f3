#!/usr/bin/env bash
# Configure and build into build/ (or $NH_BUILD_DIR). Extra arguments go to cmake.
# Quiet when it works; the compiler's messages when it does not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NH_BUILD_DIR:-$root/build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${NH_BUILD_TYPE:-RelWithDebInfo}" "$@" >"$log" 2>&1 ||
   ! cmake --build "$build" -j "$(nproc)" >>"$log" 2>&1; then
  grep -E "error|Error|CMake Error" -A3 "$log" | head -60 >&2
  echo "build.sh: build failed (full log above, first errors shown)" >&2
  exit 1
fi
grep -E "warning:" "$log" | sort -u | head -20 >&2 || true
