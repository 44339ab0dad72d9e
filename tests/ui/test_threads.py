"""Worker threads never outlive their owners, and a hard crash leaves a stack trace in the user folder.

Qt aborts the whole process (SIGABRT, "QThread: Destroyed while thread is still running") when a running
QThread is destroyed, so each case runs in a child process and the test reads its exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PRELUDE = """
import os, sys, time, gc
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
"""


def _run(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LENREF_USER_DIR=str(tmp_path / "user"), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_owner_destroyed_mid_search_does_not_abort(tmp_path):
    result = _run(
        """
        from desktop.ui.search_panel import SearchController
        def slow(text, part):
            time.sleep(0.5)
        owner = QWidget()
        controller = SearchController(slow, owner)
        controller._fire()  # a search is now running on the worker
        time.sleep(0.1)
        del controller, owner
        gc.collect()
        print("alive")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "alive" in result.stdout
    assert "Destroyed while thread" not in result.stderr


def test_window_constructor_failing_after_the_worker_started(tmp_path, built_fixture):
    result = _run(
        f"""
        from desktop.core.library import Library
        from desktop.core.userdata import UserData
        from desktop.ui.main_window import MainWindow
        from desktop.ui.sidebar import Sidebar
        def broken(self):
            raise RuntimeError("contents unavailable")
        Sidebar.fill_contents = broken  # built after the search pane has started its worker
        lib = Library.open({str(built_fixture)!r})
        try:
            MainWindow(lib, UserData(), show_notice=False)
        except RuntimeError as exc:
            print("raised", exc)
        gc.collect()
        print("alive")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "raised contents unavailable" in result.stdout and "alive" in result.stdout


def test_hard_crash_writes_a_stack_to_crash_log(tmp_path):
    result = _run(
        """
        import faulthandler
        from desktop.ui import app as app_module
        app_module._setup_logging()
        def deep_in_the_app():
            faulthandler._sigsegv()
        deep_in_the_app()
        """,
        tmp_path,
    )
    assert result.returncode != 0
    crash = (tmp_path / "user" / "crash.log").read_text(encoding="utf-8")
    assert "Segmentation fault" in crash and "deep_in_the_app" in crash


def test_qt_warnings_reach_the_log(tmp_path):
    result = _run(
        """
        from PySide6.QtCore import qWarning
        from desktop.ui import app as app_module
        app_module._setup_logging()
        qWarning("a warning from Qt's own code")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    log_text = (tmp_path / "user" / "lenref.log").read_text(encoding="utf-8")
    assert "Qt: a warning from Qt's own code" in log_text
