#!/usr/bin/env python3
"""An analyst in another process: aggregate queries in a loop while a crawl writes.

usage: reader.py DB SECONDS BATCH_SIZE
Each writer batch stores BATCH_SIZE articles whose section is "batch-<k>". A reader must see
every batch whole or not at all, and the full-text index (filled after each batch commits, in its
own transaction) must hold exactly the articles marked indexed. Exits 0 and
prints "ok <iterations> <max batches seen>" when that held; 1 with the offending rows otherwise.
"""
import sqlite3
import sys
import time

path, seconds, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
deadline = time.monotonic() + seconds
iterations = 0
max_batches = 0
while time.monotonic() < deadline:
    with con:  # one read transaction per iteration: one snapshot for both queries
        con.execute("BEGIN")
        per_batch = con.execute(
            "SELECT section, count(*) FROM articles WHERE section LIKE 'batch-%' GROUP BY section"
        ).fetchall()
        fts = con.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"批次 次文 文章\"'"
        ).fetchone()[0]
        indexed = con.execute(
            "SELECT count(*) FROM articles WHERE section LIKE 'batch-%' AND indexed_version = version"
        ).fetchone()[0]
        daily = con.execute("SELECT sum(articles) FROM articles_per_site_day").fetchone()[0] or 0
    bad = [(s, c) for s, c in per_batch if c != n]
    total = sum(c for _, c in per_batch)
    if bad or fts != indexed or daily != total:
        print(f"partial batch seen: {bad} fts={fts} indexed={indexed} total={total} daily={daily}",
              flush=True)
        sys.exit(1)
    iterations += 1
    max_batches = max(max_batches, len(per_batch))
print(f"ok {iterations} {max_batches}", flush=True)
