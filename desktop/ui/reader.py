"""The page reader: a QTextBrowser that shows compiled page HTML with our style sheet.

It resolves ``images/*.svg`` from the library (rendered with QtSvg at the screen's pixel ratio),
shows glossary definitions as tooltips, highlights search terms and find-in-page matches, and
reports which section is on screen. Link clicks are emitted, never followed by Qt itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from itertools import islice

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip

from ..core.model import PART_TITLES, Page
from ..core.term_spans import term_spans
from .diagram_hits import DiagramHits
from .richtext import plain_rich
from .theme import Colors, content_css

IMAGE_WIDTH = 680
MAX_MARKS = 2000  # find-in-page marks at most this many matches (term marks: term_spans.MAX_SPANS)


def page_document_html(
    page: Page,
    c: Colors,
    version: str,
    part_title: str | None = None,
) -> str:
    """The full HTML shown for a page: breadcrumbs, title, bottom line, meta, then the body (which
    the build wrote with its "See also" and references)."""
    info = page.info
    crumbs = f"LenRef › {html.escape(part_title or PART_TITLES.get(info.part, info.part))}"
    refs = len(page.references)
    meta = f"Reviewed {html.escape(info.reviewed)} · {refs} source{'s' if refs != 1 else ''}"
    if version:
        meta += f" · content {html.escape(version)}"
    parts = [
        f'<p class="crumbs">{crumbs}</p>',
        f'<h1><a name="top"></a>{html.escape(info.title)}</h1>',
        '<table class="bottomline" width="100%" cellpadding="8" cellspacing="0" border="0">'
        f'<tr><td bgcolor="{c.alt_base}"><b>Bottom line:</b> {html.escape(info.summary)}</td></tr></table>',
        f'<p class="meta">{meta}</p>',
    ]
    # The body ends with its "See also" and reference list: the renderer built both.
    body = page.html
    parts.append(body)
    parts.append(
        '<p class="meta"><br>LenRef summarises published evidence; it does not replace clinical '
        "judgement or prescribing information.</p>"
    )
    return "\n".join(parts)


class Reader(QTextBrowser):
    """Shows one page at a time. Signals carry the clicked URL; the window decides what to do.

    Signals: ``linkActivated(QUrl)`` for a click, ``linkInNewTab(QUrl)`` for a middle click or
    Ctrl+click, ``backRequested()``/``forwardRequested()`` for the mouse side buttons,
    ``sectionChanged(anchor)`` when another section scrolls to the top.
    ``citation_preview(url)`` returns the hover text for a ``cite:`` link ("" for none).
    """

    linkActivated = Signal(QUrl)  # noqa: N815 - Qt naming
    linkInNewTab = Signal(QUrl)  # noqa: N815
    backRequested = Signal()  # noqa: N815
    forwardRequested = Signal()  # noqa: N815
    sectionChanged = Signal(str)  # noqa: N815

    def __init__(
        self,
        image_loader: Callable[[str], bytes | None],
        parent=None,
        citation_preview: Callable[[QUrl], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._citation_preview = citation_preview
        # Break lines only between words: with Qt's default (anywhere), narrow table columns split
        # words ("Comparis on"); now a column is at least its longest word and a wide table scrolls.
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.setObjectName("reader")
        self.setAccessibleName("Page content")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.linkActivated.emit)
        self._image_loader = image_loader
        self._diagram_hits = DiagramHits(image_loader, self.library_image)
        self._image_cache: dict[tuple[str, float, int], QImage] = {}
        self._anchors: list[tuple[float, str]] = []
        self._term_selections: list[QTextEdit.ExtraSelection] = []
        self._find_selections: list[QTextEdit.ExtraSelection] = []
        self._current_section = ""
        self.colors: Colors | None = None
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self.setMouseTracking(True)
        self.document().setDocumentMargin(18)

    # -- content -------------------------------------------------------------------------
    def set_style(self, c: Colors, font_pt: float) -> None:
        self.colors = c
        self.document().setDefaultStyleSheet(content_css(c, font_pt))
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Base, QColor(c.base))
        pal.setColor(QPalette.ColorRole.Text, QColor(c.text))
        self.setPalette(pal)
        f = self.font()
        f.setPointSizeF(font_pt)
        self.document().setDefaultFont(f)

    def show_html(self, text: str) -> None:
        self._term_selections = []
        self._find_selections = []
        self.setExtraSelections([])
        self.setHtml(text)
        self._soften_glossary_marks()
        self._index_anchors()

    def _soften_glossary_marks(self) -> None:
        """Glossary terms get a dotted, muted underline (Qt's CSS has no dotted text-decoration)."""
        if self.colors is None:
            return
        doc = self.document()
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(QColor(self.colors.muted))
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if (
                    frag.isValid()
                    and frag.charFormat().toolTip()
                    and not frag.charFormat().isAnchor()
                ):
                    cursor = QTextCursor(doc)
                    cursor.setPosition(frag.position())
                    cursor.setPosition(
                        frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.mergeCharFormat(fmt)
                it += 1
            block = block.next()

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt API
        name = url.toString()
        if (
            kind == QTextDocument.ResourceType.ImageResource.value
            or kind == QTextDocument.ResourceType.ImageResource
        ):
            return self.library_image(name)  # never load anything from outside the library
        return None

    def library_image(self, name: str) -> QImage:
        """The library image ``images/…`` rendered for this view; an empty image for any other name."""
        if not name.startswith("images/") or ".." in name:
            return QImage()
        return self._render_image(name)

    def _render_image(self, name: str) -> QImage:
        ratio = max(1.0, self.devicePixelRatioF())
        width = min(IMAGE_WIDTH, max(320, self.viewport().width() - 60))
        key = (name, ratio, width)
        if key in self._image_cache:
            return self._image_cache[key]
        data = self._image_loader(name)
        image = QImage()
        if data:
            renderer = QSvgRenderer(data)
            if renderer.isValid():
                size = renderer.defaultSize()
                if size.width() > 0:
                    height = int(width * size.height() / size.width())
                    image = QImage(
                        QSize(int(width * ratio), int(height * ratio)), QImage.Format.Format_ARGB32
                    )
                    image.fill(Qt.GlobalColor.transparent)
                    painter = QPainter(image)
                    renderer.render(painter, QRectF(0, 0, width * ratio, height * ratio))
                    painter.end()
                    image.setDevicePixelRatio(ratio)
        self._image_cache[key] = image
        return image

    # -- sections ------------------------------------------------------------------------
    def _index_anchors(self) -> None:
        doc = self.document()
        layout = doc.documentLayout()
        anchors: list[tuple[float, str]] = []
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.isValid():
                    for name in frag.charFormat().anchorNames():
                        anchors.append((layout.blockBoundingRect(block).top(), name))
                it += 1
            block = block.next()
        self._anchors = sorted(anchors)
        self._current_section = ""

    def anchor_names(self) -> list[str]:
        return [a for _, a in self._anchors]

    def _on_scroll(self, value: int) -> None:
        if not self._anchors:
            return
        current = ""
        bar = self.verticalScrollBar()
        # At the end of the page the last headings cannot reach the top: look further down.
        reach = 40 if value < bar.maximum() else self.viewport().height() // 2
        for top, name in self._anchors:
            if top <= value + reach:
                current = name
            else:
                break
        if current in ("top",):
            current = ""
        if current != self._current_section:
            self._current_section = current
            self.sectionChanged.emit(current)

    def current_section(self) -> str:
        return self._current_section

    def go_to_anchor(self, anchor: str) -> None:
        if anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)
        self._on_scroll(self.verticalScrollBar().value())
        if anchor and anchor in self.anchor_names() and self._current_section != anchor:
            # The section asked for is the current one, even when the page end stops the scroll.
            self._current_section = anchor
            self.sectionChanged.emit(anchor)

    # -- highlighting ----------------------------------------------------------------------
    def _selections_for(
        self, pattern: re.Pattern[str], color: str
    ) -> list[QTextEdit.ExtraSelection]:
        """Selections for the first MAX_MARKS matches of ``pattern`` in the page's text."""
        matches = islice(pattern.finditer(self.document().toPlainText()), MAX_MARKS)
        return self._selections_at([m.span() for m in matches], color)

    def _selections_at(
        self, spans: list[tuple[int, int]], color: str
    ) -> list[QTextEdit.ExtraSelection]:
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(color))
        out = []
        for start, end in spans:
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format = fmt
            out.append(sel)
        return out

    def highlight_terms(self, terms: list[str]) -> None:
        """Mark the search words in the page: whole words and their stems, as the index matched them.
        An empty list clears the marks (every navigation does)."""
        spans = term_spans(self.document().toPlainText(), terms) if self.colors else []
        self._term_selections = self._selections_at(spans, self.colors.highlight) if spans else []
        self._apply_selections()

    def find_all(self, needle: str, current: int = 0) -> int:
        """Highlight every match of ``needle``; scroll to match ``current``; returns the count."""
        self._find_selections = []
        if needle:
            self._term_selections = []  # find-in-page marks stand alone, never mixed with search's
        if needle and self.colors is not None:
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            sels = self._selections_for(pattern, self.colors.find_bg)
            if sels:
                current %= len(sels)
                fmt = QTextCharFormat()
                fmt.setBackground(QColor(self.colors.find_current))
                sels[current].format = fmt
                self.setTextCursor(QTextCursor(sels[current].cursor))
                self.ensureCursorVisible()
                cursor = self.textCursor()
                cursor.clearSelection()
                self.setTextCursor(cursor)
            self._find_selections = sels
        self._apply_selections()
        return len(self._find_selections)

    def _apply_selections(self) -> None:
        self.setExtraSelections(self._term_selections + self._find_selections)

    # -- tooltips and mouse ----------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            pos: QPoint = e.pos()  # type: ignore[attr-defined]
            cursor = self.cursorForPosition(self.viewport().mapFrom(self, pos))
            tip = cursor.charFormat().toolTip()
            href = self.anchorAt(self.viewport().mapFrom(self, pos))
            if href.startswith("cite:") and self._citation_preview is not None:
                tip = self._citation_preview(QUrl(href))
            box = self._diagram_hits.link_at(self, self.viewport().mapFrom(self, pos))
            if box is not None:
                tip = box.label or box.target
            if tip:
                QToolTip.showText(e.globalPos(), plain_rich(tip), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def mousePressEvent(self, e) -> None:  # noqa: N802 - Qt API
        # Mouse side buttons navigate, as in a browser.
        if e.button() == Qt.MouseButton.BackButton:
            self.backRequested.emit()
            return
        if e.button() == Qt.MouseButton.ForwardButton:
            self.forwardRequested.emit()
            return
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e) -> None:  # noqa: N802 - Qt API
        # A middle click or Ctrl+click on a link opens it in a new tab, as in a browser.
        # A click on a diagram box opens the page it names.
        pos = e.position().toPoint()
        href = self.anchorAt(pos)
        box = None if href else self._diagram_hits.link_at(self, pos)
        href = href or (box.target if box else "")
        ctrl = bool(e.modifiers() & Qt.KeyboardModifier.ControlModifier)
        middle = e.button() == Qt.MouseButton.MiddleButton
        left = e.button() == Qt.MouseButton.LeftButton
        if href and (middle or (ctrl and left)):
            self.linkInNewTab.emit(QUrl(href))
            return
        if box is not None and left:
            self.linkActivated.emit(QUrl(box.target))
            return
        super().mouseReleaseEvent(e)

    def mouseMoveEvent(self, e) -> None:  # noqa: N802 - Qt API
        super().mouseMoveEvent(e)
        if self._diagram_hits.link_at(self, e.position().toPoint()) is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
