#!/usr/bin/env python3
"""Bounded work per page (issue 13): time and peak RSS of `newsharvest extract` on hostile pages.

    scripts/bench/hostile.py [--bin build/crawler/newsharvest] [--runs 3]

Generates each input (all <= 8 MiB, the extractor's input cap) in a temporary directory, runs
`newsharvest extract FILE` on it RUNS times, and prints the best wall time and the peak resident
set size of the process (os.wait4's ru_maxrss), with the targets: < 1 s and < 300 MB.
Exit status 1 when any input misses a target. No network, no third-party pages.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

MIB = 1 << 20
LIMIT = 8 * MIB - 4096  # stay under the extractor's 8 MiB cut: measure the parser, not the cut


def attribute_bomb():
    head = b"<html><body><div class=content"
    out = bytearray(head)
    i = 0
    while len(out) < LIMIT - 200:
        out += b" a%d=1" % i
        i += 1
    out += "><h1>标题</h1><p>正文</p></div></body></html>".encode()
    return bytes(out)


def many_elements_with_attributes():
    row = b'<span class="x" id="i" data-a="1" data-b="2" style="c:d">t</span>'
    return b"<html><body>" + row * ((LIMIT - 100) // len(row)) + b"</body></html>"


def deep_nesting():
    n = (LIMIT - 100) // 11
    return b"<html><body>" + b"<div>" * n + b"<p>deep</p>" + b"</div>" * 0 + b"</body></html>"


def deep_nesting_closed():
    n = (LIMIT - 100) // 11
    return b"<html><body>" + b"<div>" * n + b"<p>x</p>" + b"</div>" * n + b"</body></html>"


def huge_text_node():
    text = "很长的一段正文，没有任何标签。".encode() * ((LIMIT - 100) // 45)
    return b"<html><body><p>" + text + b"</p></body></html>"


def huge_title():
    return b"<html><head><title>" + b"T" * (LIMIT - 100) + b"</title></head><body><p>x</p></body></html>"


def million_p():
    return b"<html><body>" + b"<p>a</p>" * ((LIMIT - 100) // 8) + b"</body></html>"


def many_links():
    a = b'<a href="/a/20210526/123456.html">link text</a>\n'
    return b"<html><body>" + a * ((LIMIT - 100) // len(a)) + b"</body></html>"


def unclosed_tags():
    return b"<html><body>" + b"<a <b <c " * ((LIMIT - 100) // 9) + b"</body></html>"


CASES = [
    ("attribute bomb (one element)", attribute_bomb),
    ("elements with 5 attributes", many_elements_with_attributes),
    ("deep nesting, unclosed", deep_nesting),
    ("deep nesting, closed", deep_nesting_closed),
    ("huge text node", huge_text_node),
    ("huge <title>", huge_title),
    ("1M <p>a</p>", million_p),
    ("many links", many_links),
    ("unterminated tags", unclosed_tags),
]


def run(binary, path):
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "extract", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    return time.monotonic() - t0, usage.ru_maxrss / 1024.0, p.returncode, err


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--bin", default=os.path.join(root, "build", "crawler", "newsharvest"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"hostile.py: {args.bin} not built (scripts/build.sh)")
    bad = 0
    with tempfile.TemporaryDirectory(prefix="nh-hostile-") as tmp:
        print(f"{'input':<30} {'bytes':>9} {'time s':>7} {'RSS MB':>7}  verdict")
        for name, make in CASES:
            data = make()
            path = os.path.join(tmp, "page.html")
            with open(path, "wb") as f:
                f.write(data)
            best_t, peak = None, 0.0
            for _ in range(args.runs):
                t, rss, rc, err = run(args.bin, path)
                if rc != 0:
                    print(f"{name:<30} exit {rc}: {err.strip()[:200]}")
                    bad += 1
                    break
                best_t = t if best_t is None else min(best_t, t)
                peak = max(peak, rss)
            else:
                ok = best_t < 1.0 and peak < 300
                bad += not ok
                print(f"{name:<30} {len(data):>9} {best_t:>7.2f} {peak:>7.0f}  {'ok' if ok else 'OVER'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
