#!/usr/bin/env bash
# The test command: installs dependencies, builds, runs every test with ctest, then (when
# ../shared/corpus exists beside the checkout) the extraction quality gate.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-deps.sh"
"$root/scripts/build.sh"
build=${NH_BUILD_DIR:-$root/build}
(cd "$build" && ctest --output-on-failure -j "$(nproc)")
"$root/scripts/quality-gate.sh"
