#!/usr/bin/env bash
# Extraction quality gate: when ../shared/corpus exists beside the checkout, score the
# extractor on every labelled corpus named in tests/quality/floors.json and fail if any
# measure is below its pinned floor. Skips cleanly (exit 0) when the corpora are absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpora="$root/../shared/corpus"
if [ ! -d "$corpora" ]; then
  echo "quality-gate: $corpora not found; skipped"
  exit 0
fi
out="$root/build/eval"
mkdir -p "$out"
status=0
for name in $(python3 -c 'import json,sys; print(" ".join(k for k in json.load(open(sys.argv[1])) if not k.startswith("_")))' "$root/tests/quality/floors.json"); do
  if [ ! -f "$corpora/$name/gold.jsonl" ]; then
    echo "quality-gate: $name: no gold.jsonl; skipped"
    continue
  fi
  python3 "$root/scripts/eval.py" "$corpora/$name" --json "$out/$name.scores.json" >"$out/$name.scores.txt" 2>"$out/$name.stderr" || true
  python3 - "$root/tests/quality/floors.json" "$name" "$out/$name.scores.json" <<'PY' || status=1
import json, sys
floors = json.load(open(sys.argv[1]))[sys.argv[2]]
try:
    got = json.load(open(sys.argv[3]))
except (OSError, ValueError):
    print(f"quality-gate: {sys.argv[2]}: no scores (see build/eval/{sys.argv[2]}.stderr)")
    sys.exit(1)
bad = []
for k, floor in floors.items():
    v = got.get(k)
    ok = v is not None and v + 1e-9 >= floor
    print(f"quality-gate: {sys.argv[2]:<17} {k:<20} {v if v is None else round(v, 3)!s:>6} (floor {floor}) {'ok' if ok else 'BELOW'}")
    if not ok: bad.append(k)
sys.exit(1 if bad else 0)
PY
done
if [ $status -ne 0 ]; then echo "quality-gate: FAILED: a measure fell below its floor" >&2; fi
exit $status
