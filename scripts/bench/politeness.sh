#!/usr/bin/env bash
# Politeness benchmark (issue 14 item 4): 50 hosts, each with a 1 s delay, crawled at once
# from nginx on 127.0.0.1, on an idle machine and beside a CPU burner. The ideal is one
# request per host per delay; the report is the share of that rate the crawl reaches and the
# gaps each host saw between request starts (from nginx's access log, millisecond times).
#
#   scripts/bench/politeness.sh [--hosts 50] [--pages 40] [--delay-ms 1000] [--burners "0 2 8 16"]
#                               [--out DIR]
#
# A burner is a busy shell loop at the crawler's priority (2 burners on 2 cores take half the
# CPU from the crawl; 8: load average ~10, 16: ~17, the loads of the issue's measurement). Installs nginx-light from Debian when missing. Output:
# $out/politeness.csv (default build-bench/politeness/), one line per burner count, and nginx's
# access log of each run ($out/access-burners-N.log: end time, duration, host, path):
#   burners,load1,hosts,requests,seconds,ideal_share,min_gap_ms,p50_gap_ms,p99_gap_ms
# ideal_share = sum over hosts of (requests - 1) * delay / sum over hosts of the span from its
# first to its last request start (1.0 = every host fetched exactly at its delay).
# min_gap_ms below delay_ms would be a politeness violation. Takes about (pages + 2) * delay
# per burner setting.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
hosts=50
pages=40
delay=1000
burners="0 2 8 16"
out="$root/build-bench/politeness"
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) hosts=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --delay-ms) delay=$2; shift 2 ;;
    --burners) burners=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "politeness.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

. "$root/scripts/bench/lib.sh"
bench_packages nginx-light curl
mkdir -p "$out"
burner_pids=()
stop_burners() {
  for p in "${burner_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap 'stop_burners; bench_cleanup' EXIT

# One small site every host serves: a home page linking to $pages articles of ~15 KB each (a
# 2,000-character body between two navigation lists of 100 links, as portal pages have).
python3 - "$work/site" "$pages" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root + "/a", exist_ok=True)
para = "<p>" + "政协委员围绕乡村振兴和基层治理开展调研，提出意见建议。" * 12 + "</p>\n"
nav = "<ul class=nav>" + "".join('<li><a href="/list/%d.html">栏目%d 新闻动态</a></li>' % (k, k)
                                  for k in range(100)) + "</ul>"
with open(root + "/index.html", "w") as f:
    f.write("<html><body>" + "".join('<a href="/a/%d.html">%d</a>' % (i, i) for i in range(n)) +
            "</body></html>")
for i in range(n):
    with open("%s/a/%d.html" % (root, i), "w") as f:
        f.write("<html><head><title>第%d篇</title></head><body>%s<h1>第%d篇</h1>"
                "<div class=content>%s</div>%s</body></html>" % (i, nav, i, para * 6, nav))
with open(root + "/robots.txt", "w") as f:
    f.write("User-agent: *\nAllow: /\n")
PY

# The server runs at a higher priority than the burners and the crawler (as root): a real server
# is on another machine, and a starved nginx would read requests late and bunch them up in its
# log (the gaps it reports would be its own scheduling, not the crawler's).
prio=""; [ "$(id -u)" -eq 0 ] && prio="nice -n -10"
start_nginx "$work/site" '$msec $request_time $host $request_uri' "$prio"

host_list=""
seeds=""
for i in $(seq -w 1 "$hosts"); do
  host_list+="\"h$i.bench.test\", "
  seeds+="\"http://h$i.bench.test/\", "
done
cat >"$work/bench.toml" <<TOML
name = "politeness"
hosts = [${host_list%, }]
seeds = [${seeds%, }]
follow = "patterns"
[urls]
article = ['^http://h\d+\.bench\.test/a/\d+\.html\$']
[politeness]
delay_ms = $delay
[limits]
max_retries = 0
[connect]
connect_to = ["::127.0.0.1:$port"]
allow_private = true
TOML

csv="$out/politeness.csv"
echo "burners,load1,hosts,requests,seconds,ideal_share,min_gap_ms,p50_gap_ms,p99_gap_ms" >"$csv"
for b in $burners; do
  burner_pids=()
  for _ in $(seq "$b"); do (while :; do :; done) & burner_pids+=($!); done
  [ "$b" -gt 0 ] && sleep 20  # let the load average climb
  load=$(cut -d' ' -f1 /proc/loadavg)
  : >"$work/access.log"
  kill -USR1 "$nginx_pid"  # reopen the log
  sleep 0.2
  rm -f "$work/nh.db"*
  start=$(date +%s.%N)
  "$bin" crawl --config "$work/bench.toml" --db "$work/nh.db" --quiet || true
  end=$(date +%s.%N)
  for p in "${burner_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # (a bare `wait` would wait for nginx too)
  [ ${#burner_pids[@]} -gt 0 ] && { wait "${burner_pids[@]}" 2>/dev/null || true; }
  python3 - "$work/access.log" "$delay" "$b" "$load" "$hosts" "$start" "$end" >>"$csv" <<'PY'
import collections, sys
log, delay, burners, load, hosts, start, end = sys.argv[1:]
delay = float(delay)
starts = collections.defaultdict(list)
for line in open(log):
    t, took, host, _ = line.split(" ", 3)
    starts[host].append((float(t) - float(took)) * 1000)  # logged at the end: back to the start
ideal = span = 0.0
gaps = []
for host, ts in starts.items():
    ts.sort()
    if len(ts) < 2:
        continue
    ideal += (len(ts) - 1) * delay
    span += ts[-1] - ts[0]
    gaps += [b - a for a, b in zip(ts, ts[1:])]
gaps.sort()
pct = lambda p: gaps[min(len(gaps) - 1, int(p * len(gaps)))]
n = sum(len(v) for v in starts.values())
print(f"{burners},{load},{len(starts)},{n},{float(end) - float(start):.1f},{ideal / span:.3f},"
      f"{gaps[0]:.0f},{pct(0.5):.0f},{pct(0.99):.0f}")
PY
  tail -1 "$csv" >&2
  cp "$work/access.log" "$out/access-burners-$b.log"  # per-host request starts, to look into
done
echo "politeness.sh: $csv" >&2
