#!/usr/bin/env bash
# Crawl benchmark against the peer users would pick (issue 14): newsharvest and Scrapy (fetch
# only, and with readability-lxml extracting in the callback) crawl the same generated news
# site served by nginx on 127.0.0.1, at equal concurrency. Reports pages/s, CPU seconds per
# 1,000 pages and peak RSS as CSV, and draws two plots (python3-matplotlib).
#
#   scripts/bench/crawl.sh [--articles 1200] [--concurrency "1 4 16"] [--out DIR]
#
# Installs what it needs from Debian when missing (nginx-light, python3-scrapy,
# python3-readability, python3-matplotlib; root or sudo). Site: scripts/bench/crawl/gen_site.py
# (real-sized article pages of ~120 KB, and a 4 KB variant for the page-size plot); newsharvest
# runs with --workers 1 (parsing on the crawl's thread) and the default (one per core). Output:
# $out/crawl.csv, $out/crawl-pages-per-s.png, $out/crawl-cpu-per-page.png (default
# build-bench/crawl/). Takes ~10 minutes on 2 cores; readability runs only at concurrency 16.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/bench/crawl"
articles=1200
conc="1 4 16"
out="$root/build-bench/crawl"
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=$2; shift 2 ;;
    --concurrency) conc=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "crawl.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

. "$root/scripts/bench/lib.sh"
bench_packages nginx-light python3-scrapy python3-readability python3-matplotlib time curl sqlite3
mkdir -p "$out"

profile() {  # $1 = concurrency
  cat >"$work/bench.toml" <<TOML
name = "bench"
seeds = ["http://127.0.0.1:$port/"]
[urls]
list = ['^http://127\.0\.0\.1:$port/(list/\d+\.html)?\$']
article = ['^http://127\.0\.0\.1:$port/a/\d+\.html\$']
[politeness]
delay_ms = 0
max_connections_per_host = $1
[limits]
max_pages = 1000000
max_depth = 1000
[connect]
allow_private = true
TOML
}

csv="$out/crawl.csv"
echo "tool,mode,concurrency,page_kb,pages,wall_s,pages_per_s,cpu_s,cpu_s_per_1000,peak_rss_mb" >"$csv"
record() {  # tool mode conc kb pages timefile
  read -r wall user sys rss <"$6"
  python3 - "$@" "$wall" "$user" "$sys" "$rss" >>"$csv" <<'PY'
import sys
tool, mode, conc, kb, pages, _, wall, user, sys_, rss = sys.argv[1:]
pages, wall, cpu = int(pages), float(wall), float(user) + float(sys_)
print(f"{tool},{mode},{conc},{kb},{pages},{wall:.2f},{pages / wall:.1f},{cpu:.2f},"
      f"{1000 * cpu / pages:.2f},{int(rss) / 1024:.0f}")
PY
  tail -1 "$csv" >&2
}

run_newsharvest() {  # conc kb workers (0 = the default: one per core)
  profile "$1"
  rm -f "$work/nh.db"*
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$bin" crawl --config "$work/bench.toml" --db "$work/nh.db" --quiet --workers "$3" || true
  local pages mode
  pages=$(sqlite3 "$work/nh.db" "SELECT count(*) FROM fetches WHERE status = 200" 2>/dev/null ||
          sqlite3 "$work/nh.db" "SELECT count(*) FROM raw_pages")
  mode="workers $3"; [ "$3" = 0 ] && mode="workers default"
  record newsharvest "$mode" "$1" "$2" "$pages" "$work/time"
}

run_scrapy() {  # mode conc kb
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" env BENCH_MODE="$1" \
    scrapy runspider "$here/scrapy_spider.py" -a start="http://127.0.0.1:$port/" \
    -s CONCURRENT_REQUESTS="$2" -s CONCURRENT_REQUESTS_PER_DOMAIN="$2" >"$work/scrapy.out" 2>&1 || true
  local lists pages
  lists=$(find "$site" -name '*.html' | wc -l)
  pages=$((lists + 1))  # every page once, plus robots.txt
  record scrapy "$1" "$2" "$3" "$pages" "$work/time"
}

for kb in 120 4; do
  site="$work/site-$kb"
  /usr/bin/python3 "$here/gen_site.py" "$site" --articles "$articles" --page-kb "$kb"
  start_nginx "$site"
  for c in $conc; do
    [ "$kb" = 4 ] && [ "$c" != 16 ] && continue
    run_newsharvest "$c" "$kb" 1
    run_newsharvest "$c" "$kb" 0
    run_scrapy fetch "$c" "$kb"
  done
  run_scrapy readability 16 "$kb"
done
/usr/bin/python3 "$here/plot.py" "$csv" "$out"
echo "crawl.sh: $csv, $out/crawl-pages-per-s.png, $out/crawl-cpu-per-page.png" >&2
