#!/usr/bin/env python3
"""Run the extractor over a labelled corpus (gold.jsonl + pages) and score it.

usage: eval.py CORPUS_DIR [--bin PATH] [--out PRED.jsonl] [--json SCORES.json] [--verbose]
               [--explain ID]   (print the record with --explain for one page and stop)
"""
import argparse, concurrent.futures as cf, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    build = os.environ.get("NH_BUILD_DIR") or os.path.join(ROOT, "build")  # as scripts/test.sh
    ap.add_argument("--bin", default=os.path.join(build, "crawler", "newsharvest"))
    ap.add_argument("--out")
    ap.add_argument("--json")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--explain")
    ap.add_argument("--scorer", default=os.path.join(ROOT, "..", "shared", "tools", "score_extract.py"))
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    gold_path = os.path.join(a.corpus, "gold.jsonl")
    gold = [json.loads(l) for l in open(gold_path, encoding="utf-8") if l.strip()]
    if a.explain:
        g = next(g for g in gold if a.explain in (g["id"], os.path.basename(g["file"])))
        cmd = [a.bin, "extract", "--explain", os.path.join(a.corpus, g["file"])]
        if g.get("url"): cmd += ["--url", g["url"]]
        rec = json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)
        print(json.dumps(rec, ensure_ascii=False, indent=1))
        print("GOLD:", json.dumps({k: g.get(k) for k in ("title", "published", "reporters", "section", "source")}, ensure_ascii=False))
        return 0

    def run(g):
        cmd = [a.bin, "extract", os.path.join(a.corpus, g["file"])]
        if g.get("url"): cmd += ["--url", g["url"]]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if p.returncode != 0 or not p.stdout.strip():
            sys.stderr.write(f"eval: {g['file']}: exit {p.returncode}: {p.stderr.strip()}\n")
            return {"id": g["id"], "input": g["file"]}
        rec = json.loads(p.stdout)
        rec["id"] = g["id"]
        return rec

    with cf.ThreadPoolExecutor(a.j) as ex:
        preds = list(ex.map(run, gold))
    out = a.out or os.path.join(ROOT, "build", "eval", os.path.basename(os.path.abspath(a.corpus)) + ".jsonl")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for p in preds: f.write(json.dumps(p, ensure_ascii=False) + "\n")
    cmd = [sys.executable, a.scorer, gold_path, out]
    if a.verbose: cmd.append("--verbose")
    if a.json: cmd += ["--json", a.json]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
