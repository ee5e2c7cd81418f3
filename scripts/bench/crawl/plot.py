#!/usr/bin/env python3
"""Plots of scripts/bench/crawl.sh's CSV: pages/s against concurrency (real-sized pages) and
CPU seconds per 1,000 pages against page size (concurrency 16). usage: plot.py CSV OUTDIR"""
import csv, os, sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = list(csv.DictReader(open(sys.argv[1])))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
series = sorted({(r["tool"], r["mode"]) for r in rows})

fig, ax = plt.subplots(figsize=(6, 4))
big = max(int(r["page_kb"]) for r in rows)
for tool, mode in series:
    pts = sorted((int(r["concurrency"]), float(r["pages_per_s"])) for r in rows
                 if r["tool"] == tool and r["mode"] == mode and int(r["page_kb"]) == big)
    if pts:
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{tool} ({mode})")
ax.set_xscale("log", base=2)
ax.set_xlabel("concurrent requests")
ax.set_ylabel("pages/s")
ax.set_title(f"Crawl throughput, {big} KB pages, nginx on loopback")
ax.grid(True, alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(os.path.join(out, "crawl-pages-per-s.png"), dpi=110)

fig, ax = plt.subplots(figsize=(6, 4))
for tool, mode in series:
    pts = sorted((int(r["page_kb"]), float(r["cpu_s_per_1000"])) for r in rows
                 if r["tool"] == tool and r["mode"] == mode and int(r["concurrency"]) == 16)
    if pts:
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{tool} ({mode})")
ax.set_xlabel("page size (KB)")
ax.set_ylabel("CPU seconds per 1,000 pages")
ax.set_title("CPU per page against page size (concurrency 16)")
ax.grid(True, alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(os.path.join(out, "crawl-cpu-per-page.png"), dpi=110)
