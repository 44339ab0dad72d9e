"""Guard against Qt-binding releases with reference-counting bugs that crash long sessions.

PySide6 6.12.0 on Python 3.11 decremented None's reference count on every call of a method that
returns nothing; after a few thousand calls the interpreter aborts ("deallocating None"). On
Python ≥ 3.12 None is immortal and the count cannot be observed, so the test is skipped there.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

pytestmark = pytest.mark.gui


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_method_calls_keep_none_alive(qapp):
    widget = QWidget()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(500):
        widget.resize(10, 10)
        painter.translate(QPointF(0, 0))
        painter.save()
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    assert after >= before - 50, f"None lost {before - after} references: a broken Qt binding"
