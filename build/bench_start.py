"""Cold start of LenRef to first paint, measured from outside the process.

    python build/bench_start.py [EXECUTABLE ...] [--runs 5]

Default: the one-file build dist/lenref (or dist/lenref.exe) and, for comparison, `python -m desktop`
from source. Each run starts the program with --self-test (offscreen, fresh user folder) and reads the
wall-clock time of its first paint; the median over runs is reported.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(cmd: list[str]) -> tuple[float, int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LENREF_USER_DIR=tempfile.mkdtemp())
    t0 = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    m = re.search(r"first-paint-epoch=([0-9.]+)", out.stdout)
    if out.returncode or not m:
        raise SystemExit(f"{' '.join(cmd)} failed: {out.stdout}{out.stderr}")
    rss = re.search(r"peak RSS (\d+) MB", out.stdout)
    return float(m.group(1)) - t0, int(rss.group(1)) if rss else -1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("exe", nargs="*")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    targets: list[tuple[str, list[str]]] = []
    for exe in args.exe:
        targets.append((exe, [exe, "--self-test"]))
    if not args.exe:
        frozen = ROOT / "dist" / ("lenref.exe" if sys.platform == "win32" else "lenref")
        if frozen.exists():
            targets.append(("one-file build", [str(frozen), "--self-test"]))
        targets.append(("from source", [sys.executable, "-m", "desktop", "--self-test"]))
    for label, cmd in targets:
        one_run(cmd)  # warm the OS file cache, as a second launch would be
        times = [one_run(cmd)[0] for _ in range(args.runs)]
        size = ""
        if Path(cmd[0]).is_file() and cmd[0] != sys.executable:
            size = f", size {Path(cmd[0]).stat().st_size / 1e6:.1f} MB"
        print(
            f"{label}: start -> first paint median {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs){size}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
