#!/usr/bin/env bash
# Store benchmark: builds store_bench (-DNH_BENCH=ON) in build-bench/ (or $NH_BENCH_BUILD_DIR)
# and runs it; extra arguments go to store_bench (--articles N --raw N --batch B --body-chars C
# --json --index-chunk N; or --dup-check alone for the templated-notice duplicate-check curve).
# Then times `newsharvest export` (JSONL and CSV) on the database it produced.
# Defaults: 100,000 articles of ~1,000 characters, 20,000 with raw pages, batches of 1,000;
# uses ~2 GB in $NH_BENCH_DIR (default $TMPDIR/nh-store-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${NH_BENCH_BUILD_DIR:-$root/build-bench}
jobs=${NH_JOBS:-2}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNH_BENCH=ON >/dev/null
log="$build/store-bench-build.log"
if ! cmake --build "$build" -j "$jobs" --target store_bench newsharvest >"$log" 2>&1; then
  tail -40 "$log"
  exit 1
fi
dir=${NH_BENCH_DIR:-${TMPDIR:-/tmp}/nh-store-bench}
"$build/scripts/bench/store/store_bench" --dir "$dir" "$@"
db="$dir/bench.db"
if [[ -f "$db" ]]; then
  for fmt in jsonl csv; do
    start=$(date +%s.%N)
    "$build/crawler/newsharvest" export --db "$db" --format "$fmt" >"$dir/export.$fmt"
    end=$(date +%s.%N)
    rows=$(sqlite3 "$db" 'SELECT count(*) FROM articles')
    bytes=$(stat -c %s "$dir/export.$fmt")
    python3 - "$fmt" "$rows" "$bytes" "$start" "$end" <<'PY'
import sys
fmt, rows, size, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
s = end - start
print(f"newsharvest export --format {fmt}: {rows} records in {s:.2f} s = {rows/s:,.0f} records/s, {size/1e6/s:.1f} MB/s")
PY
    rm -f "$dir/export.$fmt"
  done
  /usr/bin/time -f "export peak RSS %M KB" "$build/crawler/newsharvest" export --db "$db" >/dev/null
fi
