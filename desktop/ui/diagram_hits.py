"""Which diagram box is under the mouse in a QTextBrowser: pictures are one character in the text, so
the picture's rectangle is found from its text line, and the point is tested against the SVG's links."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtWidgets import QTextBrowser

from ..core.diagram_links import Diagram, DiagramLink, read_diagram


class DiagramHits:
    """``svg_bytes(name)`` gives an image's source; ``rendered(name)`` the QImage on screen."""

    def __init__(
        self, svg_bytes: Callable[[str], bytes | None], rendered: Callable[[str], QImage]
    ) -> None:
        self._svg_bytes, self._rendered = svg_bytes, rendered
        self._diagrams: dict[str, Diagram | None] = {}

    def _diagram(self, name: str) -> Diagram | None:
        if name not in self._diagrams:
            data = self._svg_bytes(name) if name.endswith(".svg") else None
            self._diagrams[name] = read_diagram(data) if data else None
        return self._diagrams[name]

    def link_at(self, browser: QTextBrowser, pos: QPoint) -> DiagramLink | None:
        """The diagram link under ``pos`` (viewport coordinates), or None."""
        doc = browser.document()
        point = QPointF(pos) + QPointF(
            browser.horizontalScrollBar().value(), browser.verticalScrollBar().value()
        )
        at = browser.cursorForPosition(pos).position()
        for index in (at, at - 1):  # the click may be on the left or right half of the picture
            if index < 0:
                continue
            cursor = QTextCursor(doc)
            cursor.setPosition(index)
            cursor.movePosition(
                QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
            )
            fmt = cursor.charFormat()
            if not fmt.isImageFormat():
                continue
            name = fmt.toImageFormat().name()
            diagram = self._diagram(name)
            if diagram is None or not diagram.links:
                return None
            fraction = self._fraction(browser, index, name, point)
            return diagram.link_at(*fraction) if fraction else None
        return None

    def _fraction(
        self, browser: QTextBrowser, index: int, name: str, point: QPointF
    ) -> tuple[float, float] | None:
        """Where ``point`` (document coordinates) falls in the picture, as 0–1 fractions."""
        doc = browser.document()
        block = doc.findBlock(index)
        line = block.layout().lineForTextPosition(index - block.position())
        if not line.isValid():
            return None
        image = self._rendered(name)
        ratio = image.devicePixelRatio() or 1.0
        width, height = image.width() / ratio, image.height() / ratio
        if width <= 0 or height <= 0:
            return None
        origin = doc.documentLayout().blockBoundingRect(block).topLeft()
        x_left = line.cursorToX(index - block.position())
        left = origin.x() + (x_left[0] if isinstance(x_left, tuple) else x_left)
        top = origin.y() + line.y() + line.ascent() - height  # pictures sit on the baseline
        fx, fy = (point.x() - left) / width, (point.y() - top) / height
        return (fx, fy) if 0 <= fx <= 1 and 0 <= fy <= 1 else None
