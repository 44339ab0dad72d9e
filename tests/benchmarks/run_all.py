"""Run every benchmark in turn (they are not part of the unit-test run):

    python tests/benchmarks/run_all.py [--quick]

search (with the FTS5 reference), scaling (1×, 10×, 40× ≈ 10 000 sections), GUI keystroke → paint,
start-up and memory (from source, and of dist/lenref when it has been built), fuzz (slowest query).
--quick uses fewer runs and skips the 40× scaling step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def run(args: list[str]) -> int:
    print(f"\n$ {' '.join(args)}", flush=True)
    return subprocess.call([sys.executable, *args], cwd=ROOT)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    quick = ap.parse_args().quick
    runs = "3" if quick else "5"
    steps = [
        [str(HERE / "bench_search.py"), "--runs", runs],
        [
            str(HERE / "bench_scaling.py"),
            "--factors",
            "1",
            "10",
            *([] if quick else ["40"]),
            "--runs",
            "3",
        ],
        [str(HERE / "bench_gui.py"), "--runs", runs],
        [str(ROOT / "build" / "bench_start.py"), "--runs", runs],
        [str(HERE / "bench_fuzz.py"), "--examples", "500" if quick else "3000"],
    ]
    failed = [s[0] for s in steps if run(s) != 0]
    if failed:
        print(f"\nfailed: {', '.join(Path(f).name for f in failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
