#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on a loopback port, for the tests and benchmarks of the
# PostgreSQL backend (issue 15). Debian's postgresql package; no system cluster is touched.
#
#   scripts/pg-cluster.sh start DIR [PORT]   initdb DIR (once), start it on 127.0.0.1:PORT
#                                            (default 55432), create database newsharvest;
#                                            prints the URL to use with --db
#   scripts/pg-cluster.sh stop DIR           stop it (the directory stays; rm -rf it after)
#
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root); trust
# authentication on loopback only, fsync off (a test cluster: speed over durability).
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop DIR [PORT]}
dir=${2:?usage: pg-cluster.sh start|stop DIR [PORT]}
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "pg-cluster.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
        { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname = 'newsharvest'" | grep -q 1 ||
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres newsharvest
    echo "postgresql://postgres@127.0.0.1:$port/newsharvest"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
  *)
    echo "pg-cluster.sh: unknown command '$cmd' (start or stop)" >&2
    exit 2
    ;;
esac
