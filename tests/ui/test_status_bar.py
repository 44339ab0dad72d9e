"""The status bar: the What's new link and the warning when user data cannot be saved."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

WHATS_NEW = """---
id: whats-new
title: What's new in LenRef
part: background
order: 90
summary: What changed in each content version.
reviewed: 2026-12-01
---

## Content version 2026-12-01

A new page on [cereblon loss](page:crbn-loss).
"""


def test_whats_new_button_opens_the_change_log(qtbot, good_content, tmp_path, user):
    from desktop.core.build import build
    from desktop.core.library import Library
    from desktop.ui.main_window import MainWindow

    (good_content / "pages/background/whats-new.md").write_text(WHATS_NEW, "utf-8")
    out = tmp_path / "o" / "data"
    assert build(good_content, out).ok
    lib = Library.open(out)
    win = MainWindow(lib, user, show_notice=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    button = win.statusBar().findChild(QPushButton, "whatsNewButton")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.current_page.id == "whats-new")
    win.search.shutdown()
    lib.close()


def test_no_button_when_the_content_has_no_change_log(window):
    assert window.statusBar().findChild(QPushButton, "whatsNewButton") is None


def test_unsaveable_user_data_is_said_in_the_status_bar(
    qtbot, fixture_library, tmp_path, monkeypatch
):
    from desktop.core.userdata import UserData
    from desktop.ui.main_window import MainWindow

    UserData(tmp_path).close()
    real = sqlite3.connect

    def full(target, *args, **kwargs):
        if str(target).endswith("user.db"):
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode = 13
            raise exc
        return real(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", full)
    user = UserData(tmp_path)
    win = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win)
    win.show()
    label = win.statusBar().findChild(QLabel, "userDataWarning")
    assert label is not None and label.isVisible()
    assert "disk is full" in label.toolTip() and "not saved" in label.text()
    win.search.shutdown()


def test_page_pdf_export_never_constructs_a_printer(window, tmp_path, monkeypatch):
    """QPrinter() contacts the print system over the network (CUPS); only Print… may do that."""
    from PySide6 import QtPrintSupport

    def refuse(*args, **kwargs):
        raise AssertionError("QPrinter constructed during PDF export")

    monkeypatch.setattr(QtPrintSupport, "QPrinter", refuse)
    path = window.output.export_pdf(str(tmp_path / "page.pdf"))
    assert path and (tmp_path / "page.pdf").stat().st_size > 1000
