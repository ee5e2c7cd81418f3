#!/usr/bin/env python3
"""Run the extractor over a labelled corpus (gold.jsonl + pages) and score it.

usage: eval.py CORPUS_DIR [--bin PATH] [--out PRED.jsonl] [--json SCORES.json] [--verbose]
               [--explain ID]   (print the record with --explain for one page and stop)
               [--pred PRED.jsonl]  (score existing predictions, do not run the extractor)

After the scorer's page averages it prints, per field, the site-balanced figure (the mean of
each site's mean: one site with 74 pages counts once) and the same two figures on the two
halves of the sites, split by a hash of the site's name: "tune" and "check". A rule goes in
only when the check half improves too (generalisation, not fitting). A page's site is its
URL's host; pages without a URL are grouped by their folder and file-name stem.
"""
import argparse, concurrent.futures as cf, hashlib, importlib.util, json, os, re, subprocess, sys
from collections import defaultdict
from urllib.parse import urlsplit

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
    ap.add_argument("--pred", help="score this prediction file instead of running the extractor")
    ap.add_argument("--no-sites", action="store_true", help="page averages only")
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

    if a.pred:
        out = a.pred
    else:
        with cf.ThreadPoolExecutor(a.j) as ex:
            preds = list(ex.map(run, gold))
        out = a.out or os.path.join(ROOT, "build", "eval", os.path.basename(os.path.abspath(a.corpus)) + ".jsonl")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            for p in preds: f.write(json.dumps(p, ensure_ascii=False) + "\n")
    cmd = [sys.executable, a.scorer, gold_path, out]
    if a.verbose: cmd.append("--verbose")
    if a.json: cmd += ["--json", a.json]
    rc = subprocess.call(cmd)
    if rc == 0 and not a.no_sites:
        sys.stdout.flush()
        site_table(a.scorer, gold, out)
    return rc


def site_of(g):
    """The site a gold page comes from: its URL's host, else folder + file-name stem."""
    if g.get("url"):
        host = urlsplit(g["url"]).hostname or ""
        return re.sub(r"^(www|m|news)\.", "", host)
    folder, name = os.path.split(g["file"])
    stem = re.sub(r"(\.html?)?(\.gz)?$", "", name)
    stem = re.sub(r"[_\-.]*\d+$", "", stem)  # tests_163_1 -> tests_163
    return folder + "/" + stem if folder not in ("pages", "") else stem


def half_of(site):
    return "tune" if hashlib.sha1(site.encode()).digest()[0] % 2 == 0 else "check"


def site_table(scorer_path, gold, pred_path):
    """Per-field page average and site-balanced average, overall and per half."""
    spec = importlib.util.spec_from_file_location("score_extract", scorer_path)
    sc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sc)
    preds = {}
    for p in sc.load(pred_path):
        for k in (sc.key_of(p), os.path.basename(str(p.get("input") or ""))):
            if k: preds[k] = p
    per = defaultdict(lambda: defaultdict(list))  # field -> site -> [score]
    for g in gold:
        p = preds.get(g.get("id")) or preds.get(os.path.basename(g.get("file") or "")) or {}
        site = site_of(g)
        if g.get("body") is not None:
            c = sc.body_counts(g["body"], p.get("body") or "")
            P, R = sc.prec(*c), sc.rec(*c)
            per["body_f1"][site].append(2 * P * R / (P + R) if P + R else 0.0)
        for f in ("title", "section", "source"):
            if g.get(f) is not None:
                v = p.get(f) if isinstance(p.get(f), str) else ""
                per[f][site].append(float(sc.squash(g[f]) == sc.squash(v)))
        if g.get("published") is not None:
            ok = sc.date_ok(g["published"], p.get("published_at") or "")
            if ok is not None: per["published"][site].append(float(ok))
        if g.get("reporters") is not None:
            per["reporters"][site].append(float(sc.names(g["reporters"]) == (sc.names(p.get("reporters")) or set())))
    sites = {site_of(g) for g in gold}
    halves = {h: sum(1 for s in sites if half_of(s) == h) for h in ("tune", "check")}
    print(f"\nsites {len(sites)} (tune {halves['tune']}, check {halves['check']}); "
          "page = mean over pages, site = mean of per-site means (body_f1 here is the mean of page F1s)")
    print(f"{'field':<11}{'page':>7}{'site':>7}   {'tune:page':>9}{'site':>7}   {'check:page':>10}{'site':>7}")
    for f in ("body_f1", "title", "published", "reporters", "section", "source"):
        if f not in per: continue
        row = [f"{f:<11}"]
        for h in (None, "tune", "check"):
            by_site = {s: v for s, v in per[f].items() if h is None or half_of(s) == h}
            pages = [x for v in by_site.values() for x in v]
            pa = sum(pages) / len(pages) if pages else float("nan")
            sa = sum(sum(v) / len(v) for v in by_site.values()) / len(by_site) if by_site else float("nan")
            row.append(f"{pa:>{9 if h == 'tune' else 10 if h == 'check' else 7}.3f}{sa:>7.3f}" + ("   " if h != "check" else ""))
        print("".join(row))


if __name__ == "__main__":
    sys.exit(main())
