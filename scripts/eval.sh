#!/usr/bin/env bash
# Extraction quality on a labelled corpus: scripts/eval.sh CORPUS_DIR [--verbose] [--explain ID]
# Builds the CLI if needed, runs it over every page of CORPUS_DIR/gold.jsonl, scores the
# predictions with ../shared/tools/score_extract.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: scripts/eval.sh CORPUS_DIR [--verbose] [--explain ID] [--json OUT]" >&2; exit 2; }
[ -x "$root/build/crawler/newsharvest" ] || "$root/scripts/build.sh"
exec python3 "$root/scripts/eval.py" "$@"
