"""Keystroke → results painted in the real main window (offscreen), median and p95.

    python tests/benchmarks/bench_gui.py [--runs 5]

Each query is typed letter by letter with QTest key events, as a user would, at a realistic pace
(80 ms between keys, so the debounce and the worker behave as in use). For each keystroke the time is
taken from the key event until the results list for exactly that text has been painted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LENREF_USER_DIR", tempfile.mkdtemp(prefix="lenref-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import summary
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtTest import QTest

from desktop.core.library import ensure_library
from desktop.core.userdata import UserData
from desktop.ui.app import make_app
from desktop.ui.main_window import MainWindow

TYPED = [
    "cereblon",
    "dara pom dex",
    "ikzf1",
    "len refractory",
    "teclistamab",
    "cilta-cel",
    "venetoclax",
    "exon 10",
    "csn9",
    "melflufen",
]


class PaintWatch(QObject):
    """Records when the results viewport paints."""

    def __init__(self) -> None:
        super().__init__()
        self.last_paint = 0.0

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.last_paint = time.perf_counter()
        return False


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    app = make_app()
    lib = ensure_library()
    win = MainWindow(lib, UserData(), show_notice=False)
    win.resize(1300, 850)
    win.show()
    watch = PaintWatch()
    win.search.results_view.viewport().installEventFilter(watch)
    wait(300)
    shown: dict[str, float] = {}
    win.searchShown.connect(lambda r: shown.__setitem__(r.query, time.perf_counter()))
    run_medians, run_p95 = [], []
    for _ in range(args.runs):
        samples = []
        for text in TYPED:
            win.search.leave()
            win.search.box.setFocus()
            wait(50)
            for i, ch in enumerate(text):
                typed = text[: i + 1]
                t0 = time.perf_counter()
                QTest.keyClicks(win.search.box, ch)
                deadline = t0 + 2.0
                while typed not in shown and time.perf_counter() < deadline:
                    app.processEvents()
                    time.sleep(0.001)
                app.processEvents()  # let the list paint
                if typed in shown:
                    painted = max(watch.last_paint, shown[typed])
                    samples.append((painted - t0) * 1000)
                shown.pop(typed, None)
                wait(80)
        st = summary(samples)
        run_medians.append(st["median"])
        run_p95.append(st["p95"])
    print(
        f"keystroke → results painted: median {statistics.median(run_medians):.1f} ms, "
        f"p95 {statistics.median(run_p95):.1f} ms ({len(TYPED)} typed queries × {args.runs} runs)"
    )
    win.close()
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
