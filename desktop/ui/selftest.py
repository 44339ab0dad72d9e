"""``lenref --self-test``: start the real GUI offscreen, search, open a page, print timings, exit.

The smoke test for frozen builds: any failure prints one line and exits non-zero.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()


def peak_rss_mb() -> int:
    """Peak resident memory of this process in MB (-1 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return -1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024)


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("LENREF_USER_DIR", tempfile.mkdtemp(prefix="lenref-selftest-"))
    t0 = START
    cleanup: list = []
    try:
        # Imported here, inside the timed and guarded block: the platform is chosen above before Qt
        # loads, and a frozen build missing a module reports it as a failed self-test.
        from PySide6.QtCore import QEventLoop, QTimer

        from ..core.library import ensure_library
        from ..core.userdata import UserData
        from .app import make_app

        app = make_app()
        lib = ensure_library(notify=lambda m: print(m, file=sys.stderr))
        from .main_window import MainWindow

        window = MainWindow(lib, UserData(), show_notice=False)
        cleanup.append(window.close)
        window.show()
        painted: dict[str, float | None] = {"t": None, "epoch": None}

        def mark() -> None:
            painted["t"] = time.perf_counter()
            painted["epoch"] = time.time()

        QTimer.singleShot(0, mark)
        loop = QEventLoop()
        QTimer.singleShot(0, loop.quit)
        loop.exec()
        app.processEvents()
        first_paint = (painted["t"] or time.perf_counter()) - t0
        timings = []
        for query in (
            ("cereblon", "dara pom dex", "IKZF1", "len refractory", "cerebon")
            if lib.page_info("crbn-expression")
            else ("cereblon", "cerebon")
        ):
            s = time.perf_counter()
            result = lib.search(query)
            timings.append((time.perf_counter() - s) * 1000)
            if not result.hits:
                raise RuntimeError(f"search for {query!r} found nothing")
        # 100 searches, as a session of as-you-type queries would run, then the peak memory.
        for i in range(100):
            lib.search(("cereb", "dara pom", "IKZF", "car-t", "melflufen")[i % 5][: 2 + i % 6])
        pages = lib.pages()
        if not pages:
            raise RuntimeError("the library has no pages")
        target = "crbn-expression" if lib.page_info("crbn-expression") else pages[0].id
        if not window.open_page(target):
            raise RuntimeError(f"could not open page {target}")
        if len(window.reader.toPlainText()) < 200:
            raise RuntimeError(f"page {target} rendered almost no text")
        if not window.show_trials().list.trial_ids() and lib.trials():
            raise RuntimeError("the trial explorer shows no trials")
        window.show_map()
        pdf = Path(os.environ["LENREF_USER_DIR"]) / "self-test.pdf"
        if not window.output.export_pdf(str(pdf)) or pdf.stat().st_size < 1000:
            raise RuntimeError("exporting the page to PDF failed")
        timings.sort()
        print(
            f"self-test ok: start->first paint {first_paint * 1000:.0f} ms; "
            f"search median {timings[len(timings) // 2]:.1f} ms, max {timings[-1]:.1f} ms; "
            f"{len(pages)} pages; peak RSS {peak_rss_mb()} MB; "
            f"first-paint-epoch={painted['epoch'] or time.time():.6f}"
        )
        return 0
    except Exception as exc:  # the one place where anything must become an exit code
        print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        for fn in cleanup:
            fn()
