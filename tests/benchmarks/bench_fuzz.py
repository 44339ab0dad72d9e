"""Fuzzing as a benchmark: the slowest queries hypothesis can find against the shipped content.

python tests/benchmarks/bench_fuzz.py [--examples 3000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.library import ensure_library

SYNTAX = [
    '"',
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "*",
    "?",
    "title:",
    "~2",
    "^3",
    "\u202e",
    "🧬",
    "c",
    "ce",
    "len",
    "dara",
    "refractory",
    "the",
    "a",
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=3000)
    args = ap.parse_args()
    lib = ensure_library()
    worst: list[tuple[float, str]] = []

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.one_of(
            st.text(max_size=80),
            st.lists(st.sampled_from(SYNTAX), max_size=15).map(" ".join),
            st.text(min_size=1000, max_size=10_000),
        )
    )
    def probe(text: str) -> None:
        t = time.perf_counter()
        lib.search(text)
        worst.append(((time.perf_counter() - t) * 1000, text))

    probe()
    worst.sort(reverse=True)
    print(f"fuzz: {len(worst)} queries; slowest {worst[0][0]:.1f} ms: {worst[0][1][:60]!r}")
    for ms, text in worst[1:5]:
        print(f"      {ms:.1f} ms: {text[:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
