# Shared by the benchmark scripts (crawl.sh, politeness.sh, frontier.sh): Debian packages, a
# work directory, a free loopback port and an nginx serving a directory on it. Source it after
# setting `root` (the checkout); it sets `bin` (the newsharvest binary, built when missing),
# `work` (a temporary directory removed on exit) and `port`, and stops nginx on exit.

# bench_packages PKG...: installs the Debian packages that are missing (root or sudo).
bench_packages() {
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "bench: installing ${need[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

bin="$root/build/crawler/newsharvest"
[ -x "$bin" ] || "$root/scripts/build.sh"
work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers run as www-data when started by root
nginx_pid=""
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bench_cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap bench_cleanup EXIT

# start_nginx ROOT [ACCESS_LOG_FORMAT] [PRIORITY]: (re)starts nginx serving ROOT on
# 127.0.0.1:$port, one worker; with a log format (nginx log_format syntax) requests are logged
# to $work/access.log; PRIORITY is a command prefix (e.g. "nice -n -10"). Waits until it answers.
start_nginx() {
  local site=$1 format=${2:-} prio=${3:-} log="access_log off;"
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; fi
  [ -n "$format" ] && log="log_format bench '$format'; access_log $work/access.log bench;"
  mkdir -p "$work/tmp"
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  $log
  server { listen 127.0.0.1:$port; root $site; }
}
CONF
  $prio /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" &
  nginx_pid=$!
  local i
  for i in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/robots.txt" && return 0
    sleep 0.1
  done
  echo "bench: nginx did not start" >&2
  cat "$work/nginx-error.log" >&2
  exit 1
}
