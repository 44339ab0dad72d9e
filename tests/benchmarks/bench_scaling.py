"""Scaling: synthetic content of N× the shipped size, made from the real pages with a fixed seed.

    python tests/benchmarks/bench_scaling.py [--factors 1 10 40 100] [--runs 3]

For each factor: build time (full pipeline), index size, number of sections, and search median/p95
(Library.search with snippets) over the standard query set.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import QUERIES, summary

from desktop.core.build import _section_docs, build, compile_content
from desktop.core.content import split_front_matter
from desktop.core.library import Library
from desktop.core.search import write_index

CONTENT = Path(__file__).resolve().parents[2] / "content"
SEED = 20261126


def synthesise(factor: int, dest: Path) -> None:
    """Copy content/ and add factor-1 shuffled copies of every page (new ids, same sources)."""
    shutil.copytree(CONTENT, dest)
    rng = random.Random(SEED)
    pages = sorted((dest / "pages").rglob("*.md"))  # the copy's pages: never write into content/
    for k in range(1, factor):
        for path in pages:
            fm_text, body, _ = split_front_matter(path.read_text("utf-8"))  # type: ignore[misc]
            meta = yaml.safe_load(fm_text)
            new_id = f"{meta['id']}-x{k}"
            meta.update(id=new_id, title=f"{meta['title']} (copy {k})")
            meta.pop("countered_by", None)  # keep the mechanism map the real one
            fm = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
            sections = re.split(r"(?m)^(?=## )", body)
            head, rest = sections[0], sections[1:]
            rng.shuffle(rest)
            out = path.parent / f"{new_id}.md"
            out.write_text(f"---\n{fm}---\n{head}{''.join(rest)}", "utf-8")


def measure(factor: int, runs: int) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix=f"lenref-x{factor}-"))
    synthesise(factor, tmp / "content")
    t = time.perf_counter()
    report = build(tmp / "content", tmp / "data")
    build_s = time.perf_counter() - t
    if not report.ok:
        raise SystemExit("\n".join(p.format() for p in report.errors[:10]))
    index_mb = sum(p.stat().st_size for p in (tmp / "data" / "index").iterdir()) / 1e6
    # The index step alone (what the 10 s budget for 10 000 sections is about).
    content, rendered, _ = compile_content(tmp / "content")
    docs = _section_docs(content, rendered)
    (tmp / "ix").mkdir()
    t = time.perf_counter()
    write_index(tmp / "ix", docs)
    index_s = time.perf_counter() - t
    lib = Library.open(tmp / "data")
    for q in QUERIES:
        lib.search(q)
    medians, p95s = [], []
    for _ in range(runs):
        times = []
        for q in QUERIES:
            s = time.perf_counter()
            lib.search(q)
            times.append((time.perf_counter() - s) * 1000)
        st = summary(times)
        medians.append(st["median"])
        p95s.append(st["p95"])
    lib.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "sections": report.sections,
        "build_s": build_s,
        "index_s": index_s,
        "index_mb": index_mb,
        "median": statistics.median(medians),
        "p95": statistics.median(p95s),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--factors", type=int, nargs="+", default=[1, 10, 40, 100])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print("factor  sections  build s  index s  index MB  search median ms  p95 ms")
    for f in args.factors:
        r = measure(f, args.runs)
        print(
            f"{f:>5}×  {r['sections']:>8}  {r['build_s']:>7.1f}  {r['index_s']:>7.1f}  {r['index_mb']:>8.1f}  "
            f"{r['median']:>16.2f}  {r['p95']:>6.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
