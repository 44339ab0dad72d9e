"""Offline guarantee, HTML safety, nothing written next to the code, damaged data shown as a dialog."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

pytestmark = pytest.mark.gui


@pytest.fixture
def no_network(monkeypatch):
    calls: list[tuple] = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return calls


def test_full_session_opens_no_socket(window, qtbot, no_network, tmp_path, monkeypatch):
    from desktop.ui import link_router as lr

    opened = []
    monkeypatch.setattr(lr.QDesktopServices, "openUrl", lambda url: opened.append(url))
    with qtbot.waitSignal(window.searchShown, timeout=3000):
        qtbot.keyClicks(window.search.box, "cereblon")
    window.open_page("crbn-loss", "how-often")
    window.links.on_link(QUrl("page:pvd-page"))
    card = window.links.show_source("kulig2023", "Abstract")
    card.close()
    window.links.on_link(QUrl("cite:trial2020?loc=Abstract"))
    window.show_trials()
    window.show_map()
    window.open_page("pvd-page")
    assert window.output.export_pdf(str(tmp_path / "x.pdf"))
    # Resources named in pages are resolved locally; anything remote is refused.
    assert window.reader.loadResource(
        QTextDocument.ResourceType.ImageResource.value, QUrl("http://example.org/x.png")
    ).isNull()
    assert no_network == [] and opened == []
    assert not [m for m in sys.modules if m.startswith("PySide6.QtNetwork")]


def test_user_text_is_escaped(window, qtbot):
    evil = '<script>alert(1)</script><img src="http://example.org/t.png">'
    with qtbot.waitSignal(window.searchShown, timeout=3000):
        window.search.box.setText(evil)
    info = window.search.info.text()
    assert "<script>" not in info and "&lt;script&gt;" in info and "<img" not in info
    window.open_page("intro")
    window.user.add_bookmark("intro", "", evil)
    window.sidebar.refresh_bookmarks()
    assert window.sidebar.bookmark_list.item(0).text() == evil  # shown as plain text, never as HTML


def test_snippets_are_escaped(fixture_library):
    from desktop.ui.search_panel import snippet_html

    result = fixture_library.search("0.0001")
    assert result.hits and any("<0" in h.snippet for h in result.hits)  # plain text
    shown = [snippet_html(h, "background:yellow") for h in result.hits]
    assert all("<0" not in s for s in shown) and any("p&lt;<b" in s for s in shown)
    assert any('<b style="background:yellow">0.0001</b>' in s for s in shown)


def test_nothing_is_written_next_to_the_code(qtbot, fixture_library, tmp_path):
    import desktop
    from desktop.core.userdata import UserData
    from desktop.ui.main_window import MainWindow

    package = Path(desktop.__file__).parent
    data = fixture_library.data_dir

    def snapshot() -> dict[str, float]:
        out = {}
        for root in (package, data):
            for p in root.rglob("*"):
                if "__pycache__" not in p.parts:
                    out[str(p)] = p.stat().st_mtime
        return out

    before = snapshot()
    user = UserData(tmp_path / "fresh-user")
    win = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win)
    win.open_page("crbn-loss")
    win.bookmark_current()
    win.reading.set_font(13)
    win.close()
    user.close()
    assert snapshot() == before


def test_damaged_library_shows_dialog(qtbot, tmp_path, monkeypatch):
    from desktop.ui import app as app_module

    shown = {}

    class FakeBox:
        Icon = app_module.QMessageBox.Icon

        def __init__(self, icon, title, text):
            shown.update(title=title, text=text)

        def setInformativeText(self, text):  # noqa: N802
            shown["info"] = text

        def setObjectName(self, name):  # noqa: N802
            pass

        def exec(self):
            return 0

    (tmp_path / "reference.db").write_bytes(b"")
    (tmp_path / "index").mkdir()
    monkeypatch.setenv("LENREF_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(tmp_path / "no-content"))
    monkeypatch.setattr(app_module, "QMessageBox", FakeBox)
    assert app_module.open_library_with_dialogs(None) is None
    assert "empty" in shown["text"] and "lenref build" in shown["info"]
