"""The document that Print… and Export PDF lay out: page HTML whose images come only from the library.

A plain QTextDocument loads any ``<img src>`` it meets from the local disk (absolute paths, ``file:``
URLs, ``../`` paths). This one asks the reader's loader for names under ``images/`` — the compiled
data — and gives every other resource an empty image, so nothing outside the library reaches paper.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QImage, QTextDocument

from .theme import LIGHT, content_css

IMAGE_RESOURCE = QTextDocument.ResourceType.ImageResource.value


class PrintDocument(QTextDocument):
    """``image_loader(name)`` returns the rendered QImage for a library image name (``images/x.svg``)."""

    def __init__(self, image_loader: Callable[[str], QImage]) -> None:
        super().__init__()
        self._image_loader = image_loader
        self.refused: list[str] = []  # what the page asked for and did not get, for tests and logs

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt API
        name = url.toString()
        is_image = kind in (IMAGE_RESOURCE, QTextDocument.ResourceType.ImageResource)
        if is_image and name.startswith("images/") and ".." not in name:
            return self._image_loader(name)
        self.refused.append(name)
        return QImage() if is_image else ""


def page_print_document(
    html_text: str,
    footer: tuple[str, str, str],
    image_loader: Callable[[str], QImage],
    font: QFont,
) -> PrintDocument:
    """A page laid out for paper: the light theme at 10.5 pt, images from the library only, and a
    footer naming the app version, content version and citation ``footer`` it was printed from."""
    app_version, content_version, citation = (html.escape(x) for x in footer)
    doc = PrintDocument(image_loader)
    doc.setDefaultStyleSheet(content_css(LIGHT, 10.5))
    doc.setDefaultFont(font)
    doc.setHtml(
        html_text + f'<p class="meta">Printed from LenRef {app_version}, content '
        f"{content_version}. Citation: {citation}</p>"
    )
    return doc
