"""The evidence views (trial explorer, mechanism map), created the first time they are shown."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from ..core.library import Library
from .explorer import TrialExplorer
from .mechanism_map import MechanismMap
from .theme import Colors

KINDS = {"trials": TrialExplorer, "map": MechanismMap}


class EvidenceViews(QObject):
    """Signals: ``openPage(page, anchor)``, ``openSource(key)``, and the explorer's
    ``exportRequested()`` / ``previewRequested()``. Views are added to the given stack."""

    openPage = Signal(str, str)  # noqa: N815 - Qt naming
    openSource = Signal(str)  # noqa: N815
    exportRequested = Signal()  # noqa: N815
    previewRequested = Signal()  # noqa: N815

    def __init__(self, library: Library, stack: QStackedWidget, colors: Colors) -> None:
        super().__init__(stack)
        self.lib, self.stack, self.colors = library, stack, colors
        self.views: dict[str, QWidget] = {}

    def view(self, name: str) -> QWidget:
        """The view called ``name`` ("trials" or "map"), built on first use."""
        view = self.views.get(name)
        if view is None:
            view = KINDS[name](self.lib, self.colors, self.stack)
            view.openPage.connect(lambda page, anchor="": self.openPage.emit(page, anchor))
            view.openSource.connect(self.openSource.emit)
            if isinstance(view, TrialExplorer):
                view.exportRequested.connect(self.exportRequested.emit)
                view.previewRequested.connect(self.previewRequested.emit)
            self.stack.addWidget(view)
            self.views[name] = view
        return view

    def explorer(self) -> TrialExplorer | None:
        view = self.views.get("trials")
        return view if isinstance(view, TrialExplorer) else None

    def set_colors(self, colors: Colors) -> None:
        self.colors = colors
        for view in self.views.values():
            view.set_colors(colors)  # type: ignore[attr-defined]
