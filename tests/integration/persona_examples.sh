#!/bin/sh
# README.md and docs/USAGE.md show one worked example per persona, each a ```sh block right after
# a `<!-- persona-example: NAME -->` line (NAME: cron, oneoff, analyst). This runs every one of
# them, as written, against the demo portal: `newsharvest` on PATH, $PORT the portal's port, in
# an empty working directory per document (cron first: it writes news.db, which the analyst's
# queries read). It checks the exit codes and the lines each example is there to show.
# Usage: persona_examples.sh SOURCE_DIR NEWSHARVEST_BINARY [PYTHON]
set -eu
src=$1
bin=$2
python=${3:-python3}
tmp=$(mktemp -d)
portal_pid=
cleanup() {
  [ -z "$portal_pid" ] || { kill "$portal_pid" 2>/dev/null || true; wait "$portal_pid" 2>/dev/null || true; }
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"; [ -z "${KEEP:-}" ] || echo "kept $tmp" >&2
}
trap cleanup EXIT
fail() { echo "persona_examples: $*" >&2; exit 1; }

# A small demo portal; its robots.txt asks newsharvest for 0.01 s between requests.
"$python" "$src/scripts/portal_server.py" --per-section 6 --crawl-delay 0.01 >"$tmp/portal.out" 2>&1 &
portal_pid=$!
for _ in $(seq 1 100); do
  grep -q '^HOSTS' "$tmp/portal.out" 2>/dev/null && break
  kill -0 "$portal_pid" 2>/dev/null || { cat "$tmp/portal.out" >&2; fail "the portal did not start"; }
  sleep 0.1
done
PORT=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$tmp/portal.out" | head -n1)
[ -n "$PORT" ] || fail "no PORT line from the portal"
export PORT
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/newsharvest"
PATH=$tmp/bin:$PATH
export PATH
NEWSHARVEST_SITES=$src/config/sites
export NEWSHARVEST_SITES

# The body of the ```sh block after `<!-- persona-example: $2 -->` in file $1.
block() {
  awk -v want="<!-- persona-example: $2 -->" '
    $0 == want { armed = 1; next }
    armed == 1 && /^```sh$/ { armed = 2; n++; next }
    armed == 2 && /^```$/ { armed = 0; next }
    armed == 2 { print }
    END { if (n != 1) exit 1 }' "$1"
}

# run DOC PERSONA: runs the block in $tmp/DOC-dir; stdout+stderr to $tmp/out.
run() {
  code=$(block "$src/$1" "$2") || fail "$1: expected exactly one persona-example: $2 block"
  printf '%s\n' "$code" >"$tmp/$2.sh"
  (cd "$dir" && sh -eu "$tmp/$2.sh") >"$tmp/out" 2>&1 ||
    { cat "$tmp/$2.sh" "$tmp/out" >&2; fail "$1: the $2 example failed"; }
}
expect() {  # expect DOC PERSONA FIXED-STRING: the example's output has that line fragment
  grep -qF -- "$3" "$tmp/out" || { cat "$tmp/$2.sh" "$tmp/out" >&2; fail "$1: $2: no '$3' in the output"; }
}

for doc in README.md docs/USAGE.md; do
  dir=$tmp/$(basename "$doc" .md)
  mkdir "$dir"
  run "$doc" cron
  [ -f "$dir/news.db" ] || fail "$doc: cron: no news.db"
  expect "$doc" cron "demo: "
  expect "$doc" cron "last run:     #1 ok,"
  grep -qF "site demo:" "$tmp/out" && fail "$doc: cron: --quiet printed the summary"
  run "$doc" oneoff
  expect "$doc" oneoff "# 互学互促共提升"                # extract --format markdown
  expect "$doc" oneoff '"title":"互学互促共提升"'         # fetch's JSON record
  run "$doc" analyst
  expect "$doc" analyst "时政动态"                      # sqlite3
  expect "$doc" analyst "[政协]"                        # search: the match marked
  expect "$doc" analyst "title,subtitle,published_at"   # the export's header
done
echo "persona_examples: README.md and docs/USAGE.md examples ran"
