#!/usr/bin/env bash
# Extraction benchmark: throughput of nh::extract::parse against bare Gumbo and against decoding
# alone, on one core, over the shared corpora; then peak memory per page (fresh process each).
#
#   scripts/bench/extract.sh [PATH...]     default: ../shared/corpus/zh-dev and
#                                          ../shared/corpus/trafilatura-eval/pages
# Environment: NH_SHARED (default <repo>/../shared), NH_BENCH_BUILD (default build-bench),
# NH_BENCH_CPU (core to pin to with taskset, default 0), NH_BENCH_REPS (repetitions, default 3),
# NH_BENCH_OUT (where bench.json / rss.txt go, default a new mktemp dir), NH_BENCH_NO_BUILD=1.
# Prints a table; the figures in docs/BENCHMARKS.md ("## Extraction") come from this script.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${NH_SHARED:-$root/../shared}
build=${NH_BENCH_BUILD:-$root/build-bench}
reps=${NH_BENCH_REPS:-3}
cpu=${NH_BENCH_CPU:-0}
out=${NH_BENCH_OUT:-$(mktemp -d /tmp/nh-bench-extract.XXXXXX)}
mkdir -p "$out"

paths=("$@")
if ((${#paths[@]} == 0)); then
  if [[ ! -d $shared/corpus ]]; then
    echo "extract.sh: $shared/corpus not found; pass page directories as arguments. Skipping."
    exit 0
  fi
  paths=("$shared/corpus/zh-dev" "$shared/corpus/trafilatura-eval/pages")
fi

if [[ -z ${NH_BENCH_NO_BUILD:-} ]]; then
  cmake -S "$root" -B "$build" -DNH_BENCH=ON -DNH_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target extract_bench -j 2 >/dev/null
fi
bin=$build/scripts/bench/extract/extract_bench
pin=()
command -v taskset >/dev/null && pin=(taskset -c "$cpu")

echo "== machine"
echo "date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
echo "cc:    $(grep -E '^CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2) $(
  $(grep -E '^CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2) -dumpversion), Release"
echo "git:   $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet -- extract || echo ' + uncommitted extract/ changes')"

echo "== throughput (one core${pin:+, taskset -c $cpu}; $reps repetitions, median)"
"${pin[@]}" "$bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/bench.json" --benchmark_out_format=json "${paths[@]}" >"$out/bench.txt" 2>&1 ||
  { cat "$out/bench.txt"; exit 1; }
python3 - "$out/bench.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
med = {b["run_name"]: b for b in d["benchmarks"] if b.get("aggregate_name") == "median"}
if not med:  # one repetition: no aggregates
    med = {b["run_name"]: b for b in d["benchmarks"]}
rows = [("(a) bare Gumbo (UTF-8 in)", "BM_Gumbo"), ("(b) nh::extract::parse", "BM_Parse"),
        ("(c) decode only", "BM_Decode")]
pages = int(next(iter(med.values()))["pages"])
print(f"pages: {pages}")
print(f"{'stage':30} {'pages/s':>9} {'MB/s':>8} {'cpu ms/pass':>12} {'wall ms/pass':>13}")
for label, name in rows:
    b = med[name]
    scale = {"ms": 1.0, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b["time_unit"]]
    print(f"{label:30} {b['items_per_second']:9.1f} {b['bytes_per_second']/1e6:8.2f} "
          f"{b['cpu_time']*scale:12.0f} {b['real_time']*scale:13.0f}")
r = med["BM_Parse"]["items_per_second"] / med["BM_Gumbo"]["items_per_second"]
print(f"(b)/(a) = {100*r:.0f}% of bare-Gumbo throughput (target >= 70%)")
print("MB = 10^6 input bytes (raw page files); rates from thread CPU time")
PY

echo "== peak memory per page (VmHWM growth over one parse, fresh process per page)"
files=()
for p in "${paths[@]}"; do
  if [[ -d $p ]]; then
    while IFS= read -r f; do files+=("$f"); done < <(find "$p" -type f -name '*.html' | sort)
  else
    files+=("$p")
  fi
done
: >"$out/rss.txt"
for f in "${files[@]}"; do "${pin[@]}" "$bin" --rss "$f" >>"$out/rss.txt"; done
python3 - "$out/rss.txt" <<'PY'
import sys, statistics
rows = [l.split(" ", 2) for l in open(sys.argv[1]) if l.strip()]
rows = [(int(b), int(k), p.strip()) for b, k, p in rows]
big = max(rows, key=lambda r: r[0])
top = max(rows, key=lambda r: r[1])
ks = [r[1] for r in rows]
print(f"pages: {len(rows)}")
print(f"largest page: {big[0]/1e6:.2f} MB -> {big[1]/1024:.1f} MiB peak growth ({big[1]/1024/(big[0]/2**20):.1f}x its size)  [{big[2].split('/')[-1]}]")
print(f"max growth:   {top[1]/1024:.1f} MiB on a {top[0]/1e6:.2f} MB page  [{top[2].split('/')[-1]}]")
print(f"mean growth:  {statistics.mean(ks)/1024:.1f} MiB   median: {statistics.median(ks)/1024:.1f} MiB"
      f"   (mean page {statistics.mean(r[0] for r in rows)/1e3:.0f} KB)")
PY
echo "raw results: $out"
