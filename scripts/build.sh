#!/usr/bin/env bash
# Configure and build into build/ (or $NH_BUILD_DIR). Extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NH_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${NH_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" 2>&1 | grep -E "error|warning|Error" || true
cmake --build "$build" -j "$(nproc)" >/dev/null
