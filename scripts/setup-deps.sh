#!/usr/bin/env bash
# Installs newsharvest's build and test dependencies from Debian packages.
# Idempotent: a no-op (no apt-get at all) when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev   # fetcher (curl multi) and URL API
  libidn2-dev            # IDN hosts to punycode (curl 7.88 CURLU_PUNYCODE is broken on get)
  libgumbo-dev           # HTML5 parsing
  libicu-dev             # charset conversion, detection, normalisation, time zones
  libsqlite3-dev sqlite3 # store (FTS5); sqlite3 shell for tests and the analyst examples
  curl                   # the one-off example of README/USAGE saves a page with curl (tested)
  libzstd-dev            # compressed raw-page archive
  zlib1g-dev             # extract reads gzip-compressed pages
  nlohmann-json3-dev     # JSON records, JSON-LD
  libcli11-dev           # command-line parsing
  libre2-dev             # URL patterns in linear time (profile patterns, link rules, pagination)
  libtomlplusplus-dev    # TOML site profiles
  googletest libgtest-dev libgmock-dev
  libbenchmark-dev
  libpq-dev              # the PostgreSQL backend (store/pg/): libpq
  postgresql             # tests: a throw-away cluster on loopback (scripts/pg-cluster.sh)
  python3
  sqlite-utils           # tests: sqlite-utils search returns what newsharvest search does
  python3-pandas         # tests: the pandas examples of docs/SCHEMA.md run
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
