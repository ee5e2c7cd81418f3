#!/usr/bin/env bash
# Scale-out benchmark (issue 15): 1, 2 and 4 newsharvest worker processes crawl one generated
# news site (served by nginx on 127.0.0.1) into one PostgreSQL database; the same site crawled
# into SQLite by one process is the reference. Reports pages/s, database rows written per
# second (articles, contributors, raw pages, page links, fetch log, frontier) and peak RSS per
# worker, as CSV (default build-bench/pg-workers.csv).
#
#   scripts/bench/pg-workers.sh [--articles 1200] [--page-kb 120] [--workers "1 2 4"] [--out F]
#
# Needs nginx-light and postgresql (installed from Debian when missing; root or sudo). The
# PostgreSQL cluster is a throw-away one (scripts/pg-cluster.sh, fsync off). No politeness
# delay (the site is ours): the figures are what one machine's CPU and the database sustain;
# politeness-bound rates are docs/SCALING.md's arithmetic.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
articles=1200
kb=120
workers_list="1 2 4"
out="$root/build-bench/pg-workers.csv"
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles=$2; shift 2 ;;
    --page-kb) kb=$2; shift 2 ;;
    --workers) workers_list=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "pg-workers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

. "$root/scripts/bench/lib.sh"
bench_packages nginx-light postgresql time curl sqlite3
mkdir -p "$(dirname "$out")"
pg_dir="$work/pg"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pg_url=$("$root/scripts/pg-cluster.sh" start "$pg_dir" "$pg_port")
pg_base=${pg_url%/*}
trap '"$root/scripts/pg-cluster.sh" stop "$pg_dir" || true; bench_cleanup' EXIT
chmod 755 "$work"

site="$work/site"
/usr/bin/python3 "$root/scripts/bench/crawl/gen_site.py" "$site" --articles "$articles" --page-kb "$kb"
start_nginx "$site"
cat >"$work/bench.toml" <<TOML
name = "bench"
seeds = ["http://127.0.0.1:$port/"]
[urls]
list = ['^http://127\.0\.0\.1:$port/(list/\d+\.html)?\$']
article = ['^http://127\.0\.0\.1:$port/a/\d+\.html\$']
[politeness]
delay_ms = 0
max_connections_per_host = 4
[limits]
max_pages = 1000000
max_depth = 1000
[connect]
allow_private = true
TOML

echo "backend,workers,pages,wall_s,pages_per_s,rows,rows_per_s,cpu_s,peak_rss_mb_per_worker,server_cpu_s,rows_per_server_cpu_s,kb_per_article" >"$out"
# CPU seconds of the PostgreSQL server's exited backends (the postmaster's cutime + cstime: it
# reaps them), so the database's own cost per row can be read off.
server_cpu() {
  local pm
  pm=$(head -1 "$pg_dir/postmaster.pid")
  awk -v hz="$(getconf CLK_TCK)" '{print ($16 + $17) / hz}' "/proc/$pm/stat"
}
record() {  # backend workers pages rows wall cpu rss_kb server_cpu|"" kb_per_article
  python3 - "$@" >>"$out" <<'PY'
import sys
b, w, pages, rows, wall, cpu, rss, server, kb = sys.argv[1:10]
pages, rows, wall = int(pages), int(rows), float(wall)
tail = f",{float(server):.2f},{rows / float(server):.0f}" if server else ",,"
print(f"{b},{w},{pages},{wall:.2f},{pages / wall:.1f},{rows},{rows / wall:.0f},{float(cpu):.2f},"
      f"{int(rss) / 1024:.0f}" + tail + f",{float(kb):.1f}")
PY
  tail -1 "$out" >&2
}
count_rows='SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM contributors) +
  (SELECT count(*) FROM raw_pages) + (SELECT count(*) FROM article_pages) +
  (SELECT count(*) FROM fetches) + (SELECT count(*) FROM frontier)'

# SQLite, one process (the reference).
/usr/bin/time -f "%e %U %S %M" -o "$work/time" \
  "$bin" crawl --config "$work/bench.toml" --db "$work/one.db" --quiet --workers 1 || true
read -r wall user sys rss <"$work/time"
record sqlite 1 "$(sqlite3 "$work/one.db" "SELECT count(*) FROM fetches WHERE status = 200")" \
  "$(sqlite3 "$work/one.db" "$count_rows")" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "" \
  "$(sqlite3 "$work/one.db" "PRAGMA wal_checkpoint(TRUNCATE); SELECT (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()) / 1024.0 / count(*) FROM articles" | tail -1)"

for n in $workers_list; do
  db="bench_$n"
  psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
  # The schema first, so that the workers' clocks start together.
  "$bin" crawl --config "$work/bench.toml" --db "$pg_base/$db" --quiet --max-pages 0 >/dev/null 2>&1 || true
  psql -q "$pg_base/$db" -c "DELETE FROM frontier; DELETE FROM fetches; DELETE FROM runs"
  s0=$(server_cpu)
  t0=$(date +%s.%N)
  pids=()
  for i in $(seq "$n"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.$i" \
      "$bin" crawl --config "$work/bench.toml" --db "$pg_base/$db" --quiet --workers 1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  cpu=0 rss=0
  for i in $(seq "$n"); do
    read -r _ user sys r <"$work/time.$i"
    cpu=$(echo "$cpu + $user + $sys" | bc)
    [ "$r" -gt "$rss" ] && rss=$r
  done
  # The database server's CPU is not in cpu_s (it is a separate process tree).
  record postgresql "$n" "$(psql -qtA "$pg_base/$db" -c "SELECT count(*) FROM fetches WHERE status = 200")" \
    "$(psql -qtA "$pg_base/$db" -c "$count_rows")" "$wall" "$cpu" "$rss" \
    "$(echo "$(server_cpu) - $s0" | bc)" \
    "$(psql -qtA "$pg_base/$db" -c "VACUUM" -c "SELECT pg_database_size(current_database()) / 1024.0 / count(*) FROM articles")"
done
echo "pg-workers.sh: $out" >&2
