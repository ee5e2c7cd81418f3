#!/bin/sh
# cmake --install into a temporary prefix, then the installed binary finds the bundled profiles
# in PREFIX/share/newsharvest/sites from a directory without ./config/sites, with
# $NEWSHARVEST_SITES unset. Usage: install_test.sh BUILD_DIR
set -eu
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
bin=$tmp/prefix/bin/newsharvest
for f in bin/newsharvest share/newsharvest/sites/demo.toml share/newsharvest/sites/gxzxb.toml \
         share/man/man1/newsharvest.1 share/doc/newsharvest/README.md \
         share/doc/newsharvest/USAGE.md share/doc/newsharvest/CONFIG.md; do
  [ -e "$tmp/prefix/$f" ] || fail "not installed: $f"
done
[ -x "$bin" ] || fail "bin/newsharvest is not executable"

mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
unset NEWSHARVEST_SITES
out=$("$bin" crawl --site demo --dry-run --db "$tmp/x.db" 2>"$tmp/err") ||
  { cat "$tmp/err" >&2; fail "crawl --site demo --dry-run failed"; }
expected=$(printf 'seed\thttp://demo.portal.test/\nsection\thttp://demo.portal.test/szdt/index.html')
[ "$(printf '%s\n' "$out" | head -2)" = "$expected" ] || fail "unexpected dry run output: $out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 10 ] || fail "expected 10 start URLs: $out"
[ ! -e "$tmp/x.db" ] || fail "a dry run created the database"

# A profile that is not there: the error lists the installed directory among those searched.
if "$bin" crawl --site nosuchsite --dry-run 2>"$tmp/err"; then fail "--site nosuchsite worked"; fi
grep -qF "$tmp/prefix/share/newsharvest/sites" "$tmp/err" || { cat "$tmp/err" >&2; fail "search path"; }

# $NEWSHARVEST_SITES comes first.
mkdir "$tmp/mine"
sed 's/^name = "demo"/name = "mine"/' "$tmp/prefix/share/newsharvest/sites/demo.toml" >"$tmp/mine/mine.toml"
NEWSHARVEST_SITES=$tmp/mine "$bin" crawl --site mine --dry-run --db "$tmp/y.db" >/dev/null 2>"$tmp/err" ||
  { cat "$tmp/err" >&2; fail "NEWSHARVEST_SITES not searched"; }
grep -qF "dry run of site mine" "$tmp/err" || fail "wrong profile: $(cat "$tmp/err")"

"$bin" check-config "$tmp/prefix/share/newsharvest/sites/demo.toml" >/dev/null ||
  fail "installed demo.toml does not check"
echo "install_test: ok"
