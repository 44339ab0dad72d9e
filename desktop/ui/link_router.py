"""Where a clicked link goes: a page (here or in a new tab), a source card, a section, the browser.

Signals: ``openPage(page, anchor, new_tab)``, ``anchorRequested(anchor)`` for a link within the
page, ``message(text)`` for links LenRef does not open. ``citation_preview(url)`` is the reader's
hover text for a ``cite:`` link.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from ..core.library import Library
from .dialogs import SourceCard, confirm_external

PREVIEW_AUTHORS = 3


def _locator(url: QUrl) -> str:
    return unquote(parse_qs(url.query()).get("loc", [""])[0])


class LinkRouter(QObject):
    openPage = Signal(str, str, bool)  # noqa: N815 - Qt naming
    anchorRequested = Signal(str)  # noqa: N815
    message = Signal(str)

    def __init__(self, library: Library, window: QWidget) -> None:
        super().__init__(window)
        self.lib, self.window = library, window
        self.source_card: SourceCard | None = None

    def on_link(self, url: QUrl, new_tab: bool = False) -> None:
        scheme = url.scheme()
        if scheme == "page":
            target = url.path() or url.toString()[5:].split("#")[0]
            self.openPage.emit(target, url.fragment(), new_tab)
        elif scheme == "cite":
            self.show_source(url.path(), _locator(url))
        elif scheme in ("http", "https"):
            self.open_external(url)
        elif not scheme and url.fragment():
            self.anchorRequested.emit(url.fragment())
        else:
            self.message.emit(f"Links of type '{scheme}' are not opened.")

    def citation_preview(self, url: QUrl) -> str:
        """Hover text for a citation: authors, title, journal and year (plain text)."""
        ref = self.lib.reference(url.path())
        if ref is None:
            return ""
        names = [a.strip() for a in ref.authors.split(",") if a.strip()]
        authors = ", ".join(names[:PREVIEW_AUTHORS])
        if len(names) > PREVIEW_AUTHORS:
            authors += ", et al."
        where = f"\n{_locator(url)}" if _locator(url) else ""
        return f"{authors}. {ref.title}. {ref.journal} {ref.year}.{where}\nClick for the source"

    def open_external(self, url: QUrl) -> None:
        """External links open in the system browser only after the user confirms the address."""
        if url.scheme() in ("http", "https") and confirm_external(self.window, url):
            QDesktopServices.openUrl(url)

    def show_source(self, key: str, locator: str = "") -> SourceCard | None:
        ref = self.lib.reference(key)
        if ref is None:
            self.message.emit(f"Unknown source '{key}'.")
            return None
        self.source_card = SourceCard(ref, locator, self.open_external, self.window)
        self.source_card.setModal(False)
        self.source_card.show()
        return self.source_card
