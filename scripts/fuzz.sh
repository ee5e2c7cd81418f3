#!/usr/bin/env bash
# Build the libFuzzer target for nh::extract::parse (clang, ASan+UBSan) and fuzz it.
#
#   scripts/fuzz.sh [SECONDS]          default 600; one worker (the machine is shared)
#
# Seeds: tests/fixtures/pages/*.html (golden pages the project wrote) + tests/fuzz/seeds/*.
# The working corpus and crash/timeout/OOM artifacts go to a temp dir (printed at the end; keep
# what matters under tests/fuzz/crashers/). libFuzzer runs in fork mode with -ignore_crashes so
# one finding does not end the run; every finding is listed at the end.
# Environment: NH_FUZZ_BUILD (build dir, default build-fuzz), NH_FUZZ_OUT (output dir, default a
# new mktemp dir), NH_FUZZ_MAX_LEN (default 65536), NH_FUZZ_FORK=0 (plain mode: stop at the first
# finding), NH_FUZZ_ALLOW=trace,source (fields whose UTF-8 check is skipped: known findings),
# NH_FUZZ_NO_BUILD=1 (use the existing binary), NH_FUZZ_CORPUS (working corpus dir to start
# from and add to, e.g. the corpus/ of an earlier run; default $out/corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
build=${NH_FUZZ_BUILD:-$root/build-fuzz}
out=${NH_FUZZ_OUT:-$(mktemp -d /tmp/nh-fuzz.XXXXXX)}
max_len=${NH_FUZZ_MAX_LEN:-65536}
fork=${NH_FUZZ_FORK:-1}

if [[ -z ${NH_FUZZ_NO_BUILD:-} ]]; then
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$root" -B "$build" -DNH_FUZZ=ON -DNH_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target extract_fuzz -j 2 >/dev/null
fi
bin=$build/tests/fuzz/extract_fuzz
[[ -x $bin ]] || { echo "fuzz.sh: $bin not built" >&2; exit 1; }

corpus=${NH_FUZZ_CORPUS:-$out/corpus}
mkdir -p "$corpus" "$out/seeds" "$out/artifacts"
cp "$root"/tests/fixtures/pages/*.html "$out/seeds/"
cp "$root"/tests/fuzz/seeds/* "$out/seeds/"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
args=(-max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -max_len="$max_len"
      -dict="$root/tests/fuzz/html.dict" -artifact_prefix="$out/artifacts/" -print_final_stats=1 -print_funcs=0)
if [[ $fork != 0 ]]; then
  args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
echo "fuzz.sh: $seconds s, output in $out (log: $out/fuzz.log)"
start=$(date +%s)
set +e
"$bin" "${args[@]}" "$corpus" "$out/seeds" >"$out/fuzz.log" 2>&1
rc=$?
set -e
elapsed=$(($(date +%s) - start))

# Exec count: the last status line ("#N ..." or in fork mode "#N: cov: ..."), or stat::number_of_executed_units.
last=$(grep -E '^#[0-9]+' "$out/fuzz.log" | tail -1 || true)
execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$out/fuzz.log" | tail -1 | grep -oE '[0-9]+$' || true)
[[ -z $execs ]] && execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
echo "fuzz.sh: exit $rc after ${elapsed}s"
echo "fuzz.sh: executions: ${execs:-?} ($(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) )) exec/s)"
echo "fuzz.sh: last status: $last"
echo "fuzz.sh: corpus: $(find "$corpus" -type f | wc -l) inputs in $corpus"
findings=$(find "$out/artifacts" -type f | wc -l)
echo "fuzz.sh: findings: $findings"
find "$out/artifacts" -type f -printf "  %f\n"
if ((findings > 0)); then
  echo "fuzz.sh: reproduce one with: $bin $out/artifacts/<file>"
  exit 1
fi
