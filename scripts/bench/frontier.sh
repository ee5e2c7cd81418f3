#!/usr/bin/env bash
# Frontier benchmark (issue 14, items 5 and 7): a crawl that discovers a million URLs. nginx on
# 127.0.0.1 serves a home page linking --lists list pages, each linking --links article URLs of
# its own (the articles are never fetched: max_pages stops the crawl after the list pages, so
# every article URL is discovered and queued, none requested). Reports peak RSS, CPU seconds
# and the intake cost per discovered URL, with the default frontier window (20,000 URLs in
# memory, the rest in the database) and with a window larger than the crawl (everything in
# memory, as before the window existed).
#
#   scripts/bench/frontier.sh [--lists 1000] [--links 1000] [--out DIR]
#
# Output: $out/frontier.csv (default build-bench/frontier/):
#   window,lists,urls_discovered,wall_s,cpu_s,us_per_url,peak_rss_mb,db_mb
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lists=1000
links=1000
out="$root/build-bench/frontier"
while [ $# -gt 0 ]; do
  case "$1" in
    --lists) lists=$2; shift 2 ;;
    --links) links=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "frontier.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
. "$root/scripts/bench/lib.sh"
bench_packages nginx-light time curl sqlite3
mkdir -p "$out"

python3 - "$work/site" "$lists" "$links" <<'PY'
import os, sys
root, lists, links = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root + "/list", exist_ok=True)
with open(root + "/index.html", "w") as f:
    f.write("<html><body>" + "".join('<a href="/list/%d.html">栏目%d</a>' % (i, i)
                                     for i in range(lists)) + "</body></html>")
for i in range(lists):
    with open("%s/list/%d.html" % (root, i), "w") as f:
        f.write("<html><body><ul>" +
                "".join('<li><a href="/a/%d/%d.html">新闻标题%d</a></li>' % (i, j, j)
                        for j in range(links)) + "</ul></body></html>")
with open(root + "/robots.txt", "w") as f:
    f.write("User-agent: *\nAllow: /\n")
PY

start_nginx "$work/site"

csv="$out/frontier.csv"
echo "window,lists,urls_discovered,wall_s,cpu_s,us_per_url,peak_rss_mb,db_mb" >"$csv"
for window in 20000 100000000; do
  cat >"$work/bench.toml" <<TOML
name = "frontier"
seeds = ["http://127.0.0.1:$port/"]
follow = "patterns"
[urls]
list = ['/list/\d+\.html\$']
article = ['/a/\d+/\d+\.html\$']
[politeness]
delay_ms = 0
max_connections_per_host = 16
[limits]
max_pages = $((lists + 2))
frontier_window = $window
[drift]
min_article_links_per_list_page = 0
[connect]
allow_private = true
TOML
  rm -f "$work/nh.db"*
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$bin" crawl --config "$work/bench.toml" --db "$work/nh.db" --quiet || true
  read -r wall user sys rss <"$work/time"
  urls=$(sqlite3 "$work/nh.db" "SELECT count(*) FROM frontier")
  dbmb=$(du -m "$work/nh.db" | cut -f1)
  python3 - "$window" "$lists" "$urls" "$wall" "$user" "$sys" "$rss" "$dbmb" >>"$csv" <<'PY'
import sys
window, lists, urls, wall, user, sys_, rss, dbmb = sys.argv[1:]
cpu = float(user) + float(sys_)
print(f"{window},{lists},{urls},{float(wall):.1f},{cpu:.1f},{1e6 * cpu / int(urls):.1f},"
      f"{int(rss) / 1024:.0f},{dbmb}")
PY
  tail -1 "$csv" >&2
done
echo "frontier.sh: $csv" >&2
