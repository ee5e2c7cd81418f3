#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan+UBSan) and fuzz one of them, in-process.
#
#   scripts/fuzz.sh TARGET [SECONDS]     default 60 s; one worker (the machine is shared)
#   scripts/fuzz.sh all [SECONDS]        every target in turn, SECONDS each
#
# TARGET: extract robots url feed profile connect credits date header (tests/fuzz/<TARGET>_fuzz.cpp).
# Seeds: tests/fuzz/seeds/<TARGET>/ (extract: tests/fuzz/seeds/*.html and the golden pages of
# tests/fixtures/pages), all written for the project. Dictionary: tests/fuzz/<TARGET>.dict when
# present (extract: html.dict). The working corpus and crash/timeout/OOM artifacts go to a temp
# dir (printed); a finding is fixed and its input kept in tests/fuzz/crashers/<TARGET>/ (extract:
# crashers/*.html), which ctest replays (fuzz.<TARGET>).
# Prints per target: executions, executions/s, coverage (libFuzzer's cov: edges, ft: features),
# corpus size, findings. Exit 1 when any target has a finding.
# Environment: NH_FUZZ_BUILD (build dir, default build-fuzz), NH_FUZZ_OUT (output dir, default a
# new mktemp dir), NH_FUZZ_MAX_LEN (default 65536 for extract, 4096 otherwise), NH_FUZZ_FORK=1
# (fork mode with -ignore_crashes: keep going after a finding; slower), NH_FUZZ_NO_BUILD=1,
# NH_FUZZ_ALLOW (extract only: fields whose UTF-8 check is skipped, see extract_fuzz.cpp).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets_all=(extract robots url feed profile connect credits date header)
target=${1:-}
seconds=${2:-60}
if [[ -z $target ]]; then
  echo "usage: scripts/fuzz.sh TARGET|all [SECONDS]   (TARGET: ${targets_all[*]})" >&2
  exit 2
fi
if [[ $target == all ]]; then
  targets=("${targets_all[@]}")
else
  [[ " ${targets_all[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target $target" >&2; exit 2; }
  targets=("$target")
fi
build=${NH_FUZZ_BUILD:-$root/build-fuzz}
out_root=${NH_FUZZ_OUT:-$(mktemp -d /tmp/nh-fuzz.XXXXXX)}

if [[ -z ${NH_FUZZ_NO_BUILD:-} ]]; then
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$root" -B "$build" -DNH_FUZZ=ON -DNH_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target "${targets[@]/%/_fuzz}" -j 2 >/dev/null
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
total_findings=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/${t}_fuzz
  [[ -x $bin ]] || { echo "fuzz.sh: $bin not built" >&2; exit 1; }
  out=$out_root/$t
  mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"
  if [[ $t == extract ]]; then
    cp "$root"/tests/fixtures/pages/*.html "$root"/tests/fuzz/seeds/*.html "$root"/tests/fuzz/seeds/*.bin "$out/seeds/"
    dict=$root/tests/fuzz/html.dict
    max_len=${NH_FUZZ_MAX_LEN:-65536}
  else
    cp "$root"/tests/fuzz/seeds/"$t"/* "$out/seeds/"
    dict=$root/tests/fuzz/$t.dict
    max_len=${NH_FUZZ_MAX_LEN:-4096}
  fi
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len"
        -artifact_prefix="$out/artifacts/" -print_final_stats=1 -print_funcs=0)
  [[ -f $dict ]] && args+=(-dict="$dict")
  [[ ${NH_FUZZ_FORK:-0} != 0 ]] && args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  start=$(date +%s)
  set +e
  "$bin" "${args[@]}" "$out/corpus" "$out/seeds" >"$out/fuzz.log" 2>&1
  rc=$?
  set -e
  elapsed=$(($(date +%s) - start))
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$out/fuzz.log" | tail -1 | grep -oE '[0-9]+$' || true)
  last=$(grep -E '^#[0-9]+' "$out/fuzz.log" | tail -1 || true)
  [[ -z $execs ]] && execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<<"$last" || true)
  findings=$(find "$out/artifacts" -type f | wc -l)
  total_findings=$((total_findings + findings))
  printf 'fuzz.sh: %-8s %9s execs in %4ss (%6s/s), %s, corpus %s, findings %s (exit %s; log %s)\n' \
    "$t" "${execs:-?}" "$elapsed" "$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))" "${cov:-cov: ?}" \
    "$(find "$out/corpus" -type f | wc -l)" "$findings" "$rc" "$out/fuzz.log"
  find "$out/artifacts" -type f -printf "  %p\n"
done
if ((total_findings > 0)); then
  echo "fuzz.sh: reproduce one with: $build/tests/fuzz/TARGET_fuzz ARTIFACT"
  exit 1
fi
