"""Search latency on the shipped content, with SQLite FTS5 on the same sections as the reference.

    python tests/benchmarks/bench_search.py [--runs 5]

Reports the median over runs of each run's median and p95 (ms) for Library.search (snippets included)
and for FTS5 with snippet(), and their ratio.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import QUERIES, summary

from desktop.core.library import ensure_library


def fts5_db(lib) -> sqlite3.Connection:
    """The same sections in an FTS5 table (porter stemming), built with sqlite-utils."""
    import sqlite_utils

    path = Path(tempfile.mkdtemp()) / "fts.db"
    db = sqlite_utils.Database(path)
    rows = lib._db.rows(
        "SELECT s.page, s.anchor, p.title, s.heading, s.text FROM sections s JOIN pages p ON p.id = s.page"
    )
    db["sections"].insert_all(
        {
            "page": r["page"],
            "anchor": r["anchor"],
            "title": r["title"],
            "heading": r["heading"],
            "body": r["text"],
        }
        for r in rows
    )
    db["sections"].enable_fts(["title", "heading", "body"], tokenize="porter")
    return db.conn


def fts5_query(text: str) -> str | None:
    words = re.findall(r"\w+", text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " OR ".join(parts)


def run_once(lib, conn) -> tuple[dict, dict]:
    import time

    ours, ref = [], []
    for q in QUERIES:
        t = time.perf_counter()
        lib.search(q, limit=20)
        ours.append((time.perf_counter() - t) * 1000)
        fq = fts5_query(q)
        t = time.perf_counter()
        if fq:
            conn.execute(
                "SELECT rowid, snippet(sections_fts, 2, '<b>', '</b>', '…', 20) FROM sections_fts "
                "WHERE sections_fts MATCH ? ORDER BY rank LIMIT 20",
                (fq,),
            ).fetchall()
        ref.append((time.perf_counter() - t) * 1000)
    return summary(ours), summary(ref)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    lib = ensure_library()
    conn = fts5_db(lib)
    for q in QUERIES[:5]:  # warm caches the way a session would
        lib.search(q)
    results = [run_once(lib, conn) for _ in range(args.runs)]
    med = lambda key, i: statistics.median(r[i][key] for r in results)  # noqa: E731
    ours_med, ours_p95 = med("median", 0), med("p95", 0)
    fts_med, fts_p95 = med("median", 1), med("p95", 1)
    sections = lib._db.row("SELECT count(*) AS n FROM sections")["n"]
    print(f"search benchmark: {len(QUERIES)} queries × {args.runs} runs over {sections} sections")
    print(f"  Library.search  median {ours_med:.2f} ms   p95 {ours_p95:.2f} ms")
    print(f"  FTS5 reference  median {fts_med:.2f} ms   p95 {fts_p95:.2f} ms")
    print(f"  ratio (p95)     {ours_p95 / fts_p95:.1f}×")
    slow = max(
        QUERIES,
        key=lambda q: min(__import__("timeit").repeat(lambda: lib.search(q), number=1, repeat=3)),
    )
    print(f"  slowest query   {slow!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
