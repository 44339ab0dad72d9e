"""Evidence tools: the trial explorer (table + forest plot + PFS chart) and the mechanism ↔ strategy map.

Filtering, axis scales and export text come from desktop.core.evidence, shared with ``lenref trials``.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPointF,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..core.evidence import (
    EXPORT_CSS,
    REFRACTORY,
    TrialFilter,
    TrialRow,
    export_html,
    filter_trials,
    fmt,
    format_hr,
    hr_text,
    log_scale,
    rows_as_text,
    subgroup_text,
    unreported_count,
)
from ..core.library import Library
from ..core.model import DRUG_CLASSES, EVIDENCE_LEVELS, Trial
from .theme import LIGHT, Colors

COLUMNS: list[tuple[str, str]] = [
    ("Trial", "name"),
    ("Design", "design"),
    ("Experimental", "experimental"),
    ("Control", "control"),
    ("Classes", "classes"),
    ("n", "n"),
    ("Prior lines", "prior_lines"),
    ("LEN-ref %", "refractory_pct.lenalidomide"),
    ("PI-ref %", "refractory_pct.proteasome_inhibitor"),
    ("CD38-ref %", "refractory_pct.anti_cd38"),
    ("Triple-ref %", "refractory_pct.triple_class"),
    ("mPFS exp (mo)", "pfs_months.experimental"),
    ("mPFS ctrl (mo)", "pfs_months.control"),
    ("PFS HR (95% CI)", "pfs_hr"),
    ("ORR exp %", "orr_pct.experimental"),
    ("ORR ctrl %", "orr_pct.control"),
    ("LEN-refractory subgroup", "len_refractory_subgroup"),
    ("Follow-up (mo)", "follow_up_months"),
    ("Source", "source"),
    ("Flags", "flags"),
]
SORT_ROLE = Qt.ItemDataRole.UserRole + 10


def _get(trial: Trial, path: str):
    value = trial.data
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class TrialTableModel(QAbstractTableModel):
    def __init__(self, trials: list[Trial], lib: Library, parent=None) -> None:
        super().__init__(parent)
        self.trials = trials
        self.lib = lib
        self.flags_by_id: dict[str, list[str]] = {}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.trials)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def display(self, trial: Trial, key: str) -> str:
        row = TrialRow(trial)
        if key == "pfs_hr":
            return hr_text(row).replace("HR ", "")
        if key == "len_refractory_subgroup":
            return subgroup_text(row)
        if key == "classes":
            return ", ".join(trial.data.get("classes") or [])
        if key == "prior_lines":
            pl = trial.data.get("prior_lines") or {}
            lo, hi = pl.get("min"), pl.get("max")
            if lo is None:
                return "–"
            return f"{fmt(lo)}–{fmt(hi)}" if hi is not None else f"≥{fmt(lo)}"
        if key == "source":
            ref = self.lib.reference(trial.source)
            return f"{ref.authors.split(',')[0]} {ref.year}" if ref else trial.source
        if key == "flags":
            return "; ".join(self.flags_by_id.get(trial.id, []))
        value = _get(trial, key)
        if value is None:
            return "–" if key not in ("control",) else "(single arm)"
        return str(value)

    def sort_value(self, trial: Trial, key: str):
        if key == "pfs_hr":
            v = _get(trial, "pfs_hr.value")
        elif key == "len_refractory_subgroup":
            v = _get(trial, "len_refractory_subgroup.hr")
        else:
            v = (
                _get(trial, key)
                if key not in ("classes", "prior_lines", "source", "flags")
                else None
            )
        if v is None:
            return (
                math.inf
                if key not in ("name", "design", "experimental", "control")
                else self.display(trial, key)
            )
        try:
            return float(v)
        except (TypeError, ValueError):
            return str(v).casefold()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        trial = self.trials[index.row()]
        key = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(trial, key)
        if role == SORT_ROLE:
            v = self.sort_value(trial, key)
            return v if not isinstance(v, float) else (v if math.isfinite(v) else 1e12)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{trial.name}: {trial.data.get('population', '')}\nSource: {trial.data.get('locator', '')}"
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and key == "flags"
            and self.flags_by_id.get(trial.id)
        ):
            return QColor("#c0392b")
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in (
            "name",
            "experimental",
            "control",
            "classes",
            "source",
            "flags",
            "len_refractory_subgroup",
            "design",
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TrialFilterProxy(QSortFilterProxyModel):
    """Accepts the rows that core.evidence.filter_trials kept."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.allowed: set[str] = set()
        self.setSortRole(SORT_ROLE)

    def set_allowed(self, ids: set[str]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10 replaces invalidateFilter()
            self.beginFilterChange()
            self.allowed = ids
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.allowed = ids
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        model: TrialTableModel = self.sourceModel()  # type: ignore[assignment]
        return model.trials[row].id in self.allowed


class ForestPlot(QWidget):
    """PFS hazard ratios with 95% CIs on a log scale, one row per trial (+ LEN-refractory subgroup)."""

    rowClicked = Signal(str)  # noqa: N815 - trial id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Forest plot of progression-free survival hazard ratios")
        self.setMouseTracking(True)
        self.setMinimumHeight(160)
        self.colors: Colors = LIGHT
        # (trial id, label, HR, CI low, CI high, is LEN-refractory subgroup, HR text as published)
        self.rows: list[tuple[str, str, float, float | None, float | None, bool, str]] = []
        self._hit: list[tuple[QRectF, int]] = []

    def set_rows(self, trials: list[Trial]) -> None:
        rows = []
        for t in trials:
            hr = t.data.get("pfs_hr") or {}
            if isinstance(hr, dict) and hr.get("value") is not None:
                text = _hr_label(hr_text(TrialRow(t)))
                low, high = _flt(hr.get("ci_low")), _flt(hr.get("ci_high"))
                rows.append((t.id, t.name, float(hr["value"]), low, high, False, text))
            sub = t.data.get("len_refractory_subgroup") or {}
            if isinstance(sub, dict) and sub.get("hr") is not None:
                text = _hr_label(format_hr(sub["hr"], sub.get("ci_low"), sub.get("ci_high")))
                low, high = _flt(sub.get("ci_low")), _flt(sub.get("ci_high"))
                rows.append(
                    (t.id, f"  {t.name}: LEN-refractory", float(sub["hr"]), low, high, True, text)
                )
        self.rows = rows
        self.setMinimumHeight(60 + 22 * max(1, len(rows)))
        self.update()

    def set_colors(self, c: Colors) -> None:
        self.colors = c
        self.update()

    def _scale(self):
        values = [v for r in self.rows for v in (r[2], r[3], r[4]) if v]
        return log_scale(values)

    def paintEvent(self, _event) -> None:  # noqa: N802
        c = self.colors
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(c.base))
        p.setPen(QColor(c.text))
        if not self.rows:
            p.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No hazard ratios for the trials shown"
            )
            return
        lo, hi, ticks = self._scale()
        label_w = min(260, self.width() // 3)
        left, right = label_w + 10, self.width() - 125
        top = 26
        row_h = 22

        def x_of(v: float) -> float:
            return left + (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)) * (
                right - left
            )

        p.setFont(QFont(self.font().family(), 9, QFont.Weight.DemiBold))
        p.drawText(
            QRectF(left, 2, right - left, 20),
            Qt.AlignmentFlag.AlignCenter,
            "PFS hazard ratio (log scale)",
        )
        p.drawText(QRectF(right + 8, 2, 140, 20), Qt.AlignmentFlag.AlignLeft, "HR (95% CI)")
        p.setFont(QFont(self.font().family(), 9))
        bottom = top + row_h * len(self.rows)
        # Line of no effect.
        p.setPen(QPen(QColor(c.muted), 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x_of(1.0), top - 4), QPointF(x_of(1.0), bottom))
        p.setPen(QColor(c.muted))
        for t in ticks:
            x = x_of(t)
            p.drawLine(QPointF(x, bottom), QPointF(x, bottom + 4))
            p.drawText(QRectF(x - 20, bottom + 4, 40, 16), Qt.AlignmentFlag.AlignCenter, f"{t:g}")
        p.drawText(
            QRectF(left - 60, bottom + 18, (right - left) / 2 + 60, 16),
            Qt.AlignmentFlag.AlignLeft,
            "← favours experimental",
        )
        p.drawText(
            QRectF(left + (right - left) / 2, bottom + 18, (right - left) / 2 + 60, 16),
            Qt.AlignmentFlag.AlignRight,
            "favours control →",
        )
        self._hit = []
        for i, (_tid, name, hr, low, high, sub, text) in enumerate(self.rows):
            y = top + row_h * i + row_h / 2
            color = QColor(c.cite if sub else c.accent)
            p.setPen(QColor(c.text if not sub else c.muted))
            p.drawText(
                QRectF(4, y - 9, label_w, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            if low is not None and high is not None:
                p.setPen(QPen(color, 2))
                p.drawLine(QPointF(x_of(max(low, lo)), y), QPointF(x_of(min(high, hi)), y))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            size = 5 if sub else 6
            if sub:
                x = x_of(hr)
                from PySide6.QtGui import QPolygonF

                p.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(x, y - size),
                            QPointF(x + size, y),
                            QPointF(x, y + size),
                            QPointF(x - size, y),
                        ]
                    )
                )
            else:
                p.drawRect(QRectF(x_of(hr) - size, y - size, 2 * size, 2 * size))
            p.setPen(QColor(c.text))
            p.drawText(
                QRectF(right + 8, y - 9, 140, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            self._hit.append((QRectF(0, y - row_h / 2, self.width(), row_h), i))
        p.end()

    def _row_at(self, pos) -> int | None:
        for rect, i in self._hit:
            if rect.contains(QPointF(pos)):
                return i
        return None

    def mouseMoveEvent(self, e) -> None:  # noqa: N802
        i = self._row_at(e.position())
        if i is None:
            QToolTip.hideText()
            return
        name, text = self.rows[i][1], self.rows[i][6]
        QToolTip.showText(
            e.globalPosition().toPoint(),
            f"{name.strip()}: HR {text}\nClick to open the trial's page and its source",
            self,
        )

    def mousePressEvent(self, e) -> None:  # noqa: N802
        i = self._row_at(e.position())
        if i is not None:
            self.rowClicked.emit(self.rows[i][0])

    def click_row(self, i: int) -> None:
        """For tests and keyboard users: act as if row ``i`` was clicked."""
        self.rowClicked.emit(self.rows[i][0])


class PfsChart(QWidget):
    """Median PFS per arm, side by side, for the trials shown."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Median progression-free survival by arm")
        self.colors: Colors = LIGHT
        self.rows: list[
            tuple[str, object, object]
        ] = []  # name, experimental, control (as published)
        self.setMinimumHeight(160)

    def set_rows(self, trials: list[Trial]) -> None:
        self.rows = []
        for t in trials:
            pfs = t.data.get("pfs_months") or {}
            e, c = pfs.get("experimental"), pfs.get("control")
            if e is not None or c is not None:
                self.rows.append((t.name, e, c))
        self.setMinimumHeight(60 + 22 * max(1, len(self.rows)))
        self.update()

    def set_colors(self, c: Colors) -> None:
        self.colors = c
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        c = self.colors
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(c.base))
        p.setPen(QColor(c.text))
        if not self.rows:
            p.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No median PFS for the trials shown"
            )
            return
        label_w = min(220, self.width() // 3)
        left, right = label_w + 10, self.width() - 60
        vmax = max(float(v) for r in self.rows for v in r[1:] if v is not None) or 1.0
        p.setFont(QFont(self.font().family(), 9, QFont.Weight.DemiBold))
        p.drawText(QRectF(4, 2, 200, 20), Qt.AlignmentFlag.AlignLeft, "Median PFS, months")
        lx = max(left, self.width() - 200)
        p.fillRect(QRectF(lx, 7, 10, 10), QColor(c.accent))
        p.drawText(QRectF(lx + 14, 2, 90, 20), Qt.AlignmentFlag.AlignLeft, "experimental")
        p.fillRect(QRectF(lx + 108, 7, 10, 10), QColor(c.muted))
        p.drawText(QRectF(lx + 122, 2, 70, 20), Qt.AlignmentFlag.AlignLeft, "control")
        p.setFont(QFont(self.font().family(), 9))
        top, row_h = 26, 22
        for i, (name, e, ctl) in enumerate(self.rows):
            y = top + row_h * i
            p.setPen(QColor(c.text))
            p.drawText(QRectF(4, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            for j, (v, color) in enumerate(((e, c.accent), (ctl, c.muted))):
                if v is None:
                    continue
                w = (right - left) * float(v) / vmax
                p.fillRect(QRectF(left, y + 3 + j * 8, w, 7), QColor(color))
                p.drawText(
                    QRectF(left + w + 4, y + j * 8 - 1, 60, 14),
                    Qt.AlignmentFlag.AlignVCenter,
                    str(v),
                )
        p.end()


def _hr_label(text: str) -> str:
    """The plot's compact form of a formatted hazard ratio: "0.61 (0.49–0.77)"."""
    return text.replace("HR ", "").replace("95% CI ", "")


def _short(title: str) -> str:
    """A column/row label: the title before any parenthesis or colon."""
    return title.split(" (")[0].split(":")[0].strip()


def _flt(v) -> float | None:
    return None if v is None else float(v)


class TrialExplorer(QWidget):
    """Table of trials.yaml records with refractoriness filters, forest plot and PFS chart."""

    openPage = Signal(str, str)  # noqa: N815
    openSource = Signal(str)  # noqa: N815
    filtered = Signal(int)  # row count after each filter change

    def __init__(self, lib: Library, colors: Colors, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trialExplorer")
        self.lib = lib
        self.trials = lib.trials()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(
            "<b>Trial explorer</b> — trials that enrolled lenalidomide-exposed or -refractory patients",
            self,
        )
        layout.addWidget(title)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Patient refractory to:", self))
        self.refractory_boxes: dict[str, QCheckBox] = {}
        for key, (_field, label, _classes) in REFRACTORY.items():
            box = QCheckBox(label, self)
            box.setAccessibleName(f"Refractory to {label}")
            box.toggled.connect(self.apply_filter)
            filters.addWidget(box)
            self.refractory_boxes[key] = box
        self.unreported = QCheckBox("include unreported", self)
        self.unreported.setAccessibleName("Include trials that did not report the refractory share")
        self.unreported.setToolTip(
            "Also list trials whose publication did not report the share (flagged)"
        )
        self.unreported.toggled.connect(self.apply_filter)
        filters.addWidget(self.unreported)
        self.class_combo = QComboBox(self)
        self.class_combo.setAccessibleName("Drug class")
        self.class_combo.addItem("Any class", None)
        used = sorted(
            {c for t in self.trials for c in (t.data.get("classes") or [])}, key=DRUG_CLASSES.index
        )
        for cls in used:
            self.class_combo.addItem(cls, cls)
        self.class_combo.currentIndexChanged.connect(self.apply_filter)
        self.design_combo = QComboBox(self)
        self.design_combo.setAccessibleName("Design")
        for label, value in (
            ("Any design", None),
            ("Randomised", "randomised"),
            ("Single-arm", "single-arm"),
        ):
            self.design_combo.addItem(label, value)
        self.design_combo.currentIndexChanged.connect(self.apply_filter)
        self.min_len = QDoubleSpinBox(self)
        self.min_len.setAccessibleName("Minimum LEN-refractory share")
        self.min_len.setRange(0, 100)
        self.min_len.setPrefix("LEN-refractory ≥ ")
        self.min_len.setSuffix(" %")
        self.min_len.setDecimals(0)
        self.min_len.valueChanged.connect(self.apply_filter)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Filter text (trial, drug, NCT)")
        self.text.setAccessibleName("Filter text")
        self.text.textChanged.connect(self.apply_filter)
        for w in (self.class_combo, self.design_combo, self.min_len, self.text):
            filters.addWidget(w)
        layout.addLayout(filters)

        self.context = QLabel("", self)
        self.context.setObjectName("muted")
        layout.addWidget(self.context)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.model = TrialTableModel(self.trials, lib, self)
        self.proxy = TrialFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(split)
        self.table.setAccessibleName("Trials")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # Unsorted at first: trials.yaml order groups the trials by regimen.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self._open_row)
        self.table.setWordWrap(False)
        plots = QWidget(split)
        pl = QHBoxLayout(plots)
        pl.setContentsMargins(0, 0, 0, 0)
        self.forest = ForestPlot(plots)
        self.forest.rowClicked.connect(self.open_trial)
        self.pfs_chart = PfsChart(plots)
        pl.addWidget(self.forest, 3)
        pl.addWidget(self.pfs_chart, 2)
        split.addWidget(self.table)
        split.addWidget(plots)
        split.setSizes([320, 300])
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        export = QPushButton("Export one-page PDF…", self)
        export.setAccessibleName("Export evidence PDF")
        export.clicked.connect(lambda: self.export_pdf())
        copy = QPushButton("Copy as text", self)
        copy.setAccessibleName("Copy trials as text")
        copy.clicked.connect(self.copy_text)
        source = QPushButton("Source card", self)
        source.setAccessibleName("Show source of selected trial")
        source.clicked.connect(self._source_of_selected)
        buttons.addWidget(export)
        buttons.addWidget(copy)
        buttons.addWidget(source)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.set_colors(colors)
        self.apply_filter()
        self.table.resizeColumnsToContents()
        for col in (2, 3):
            self.table.setColumnWidth(col, min(260, self.table.columnWidth(col)))

    def set_colors(self, c: Colors) -> None:
        self.forest.set_colors(c)
        self.pfs_chart.set_colors(c)

    def current_filter(self) -> TrialFilter:
        return TrialFilter(
            refractory=frozenset(k for k, b in self.refractory_boxes.items() if b.isChecked()),
            drug_class=self.class_combo.currentData(),
            design=self.design_combo.currentData(),
            min_len_refractory=float(self.min_len.value()),
            text=self.text.text(),
            include_unreported=self.unreported.isChecked(),
        )

    def apply_filter(self) -> None:
        flt = self.current_filter()
        self.rows = filter_trials(self.trials, flt)
        self.model.flags_by_id = {r.id: r.flags for r in self.rows}
        self.proxy.set_allowed({r.id for r in self.rows})
        shown = self.shown_trials()
        self.forest.set_rows(shown)
        self.pfs_chart.set_rows(shown)
        hidden = unreported_count(self.trials, flt)
        more = (
            f" {hidden} more did not report the share (tick “include unreported”)."
            if hidden
            else ""
        )
        self.context.setText(
            f"{flt.describe()} — {len(self.rows)} of {len(self.trials)} trials.{more} "
            "Double-click a row or a forest-plot line to open the trial's page."
        )
        self.filtered.emit(self.proxy.rowCount())

    def shown_trials(self) -> list[Trial]:
        out = []
        for r in range(self.proxy.rowCount()):
            src = self.proxy.mapToSource(self.proxy.index(r, 0))
            out.append(self.model.trials[src.row()])
        return out

    def _trial_at(self, index: QModelIndex) -> Trial:
        return self.model.trials[self.proxy.mapToSource(index).row()]

    def _open_row(self, index: QModelIndex) -> None:
        self.open_trial(self._trial_at(index).id)

    def open_trial(self, trial_id: str) -> None:
        pages = self.lib.trial_pages(trial_id)
        trial = next((t for t in self.trials if t.id == trial_id), None)
        if pages:
            self.openPage.emit(pages[0], "")
        if trial is not None:
            self.openSource.emit(trial.source)

    def _source_of_selected(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.openSource.emit(self._trial_at(idx).source)

    def export_text(self) -> str:
        flt = self.current_filter()
        rows = [r for r in self.rows if r.id in {t.id for t in self.shown_trials()}]
        order = {t.id: i for i, t in enumerate(self.shown_trials())}
        rows.sort(key=lambda r: order.get(r.id, 0))
        return rows_as_text(rows, flt, self.lib)

    def copy_text(self) -> str:
        text = self.export_text() + f"\n\nLenRef content {self.lib.content_version}"
        QGuiApplication.clipboard().setText(text)
        return text

    def export_pdf(self, path: str | None = None) -> str | None:
        if not isinstance(path, str):
            path, _ = QFileDialog.getSaveFileName(
                self, "Export evidence summary", "LenRef trials.pdf", "PDF (*.pdf)"
            )
            if not path:
                return None
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QImage, QPageLayout, QPageSize, QTextDocument
        from PySide6.QtPrintSupport import QPrinter

        flt = self.current_filter()
        shown = self.shown_trials()
        # Forest plot as an image in the light theme.
        plot = ForestPlot()
        plot.set_colors(LIGHT)
        plot.set_rows(shown)
        plot.resize(900, max(140, 60 + 22 * len(plot.rows)))
        img = QImage(plot.size(), QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        plot.render(img)
        rows = [TrialRow(t, self.model.flags_by_id.get(t.id, [])) for t in shown]
        doc = QTextDocument()
        doc.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl("forest.png"), img)
        doc.setDefaultStyleSheet(EXPORT_CSS)
        doc.setHtml(export_html(rows, flt, self.lib, plot_src="forest.png"))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName("LenRef evidence summary")
        doc.print_(printer)
        return path if Path(path).exists() else None


class MechanismMap(QWidget):
    """Mechanisms (rows) × strategies (columns), cells coloured by evidence level."""

    openPage = Signal(str, str)  # noqa: N815
    openSource = Signal(str)  # noqa: N815

    LEVEL_COLORS = {"preclinical": "#f3c969", "early-clinical": "#7fb7e6", "randomised": "#4e9a68"}

    def __init__(self, lib: Library, colors: Colors, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mechanismMap")
        self.lib = lib
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        legend = " ".join(
            f'<span style="background-color:{self.LEVEL_COLORS[lvl]}; color:#111">&nbsp;{lvl}&nbsp;</span>'
            for lvl in EVIDENCE_LEVELS
        )
        head = QLabel(
            "<b>Mechanism ↔ strategy map</b> — which strategies may overcome each resistance mechanism, "
            f"by strength of evidence: {legend}. Click a cell, a row or a column.",
            self,
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        cells = lib.counter_map()
        mechanisms = [p for p in lib.pages("resistance") if any(m == p.id for m, _, _ in cells)]
        strategies = [p for p in lib.pages("strategies") if any(s == p.id for _, s, _ in cells)]
        self.mechanisms, self.strategies = mechanisms, strategies
        self.table = QTableWidget(len(mechanisms), len(strategies), self)
        self.table.setAccessibleName("Mechanism and strategy matrix")
        self.table.setHorizontalHeaderLabels([_short(s.title) for s in strategies])
        self.table.setVerticalHeaderLabels([_short(m.title) for m in mechanisms])
        for j, strat in enumerate(strategies):
            self.table.horizontalHeaderItem(j).setToolTip(strat.title)
        for i, mech in enumerate(mechanisms):
            self.table.verticalHeaderItem(i).setToolTip(mech.title)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lookup = {(m, s): ev for m, s, ev in cells}
        for i, m in enumerate(mechanisms):
            for j, s in enumerate(strategies):
                ev = lookup.get((m.id, s.id))
                item = QTableWidgetItem(ev or "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if ev:
                    item.setBackground(QColor(self.LEVEL_COLORS.get(ev, "#ccc")))
                    item.setForeground(QColor("#111"))
                    item.setToolTip(f"{m.title} → {s.title}: {ev}")
                self.table.setItem(i, j, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(118)
        self.table.horizontalHeader().setMinimumHeight(52)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        )
        self.table.cellClicked.connect(self._cell_clicked)
        self.table.verticalHeader().sectionClicked.connect(
            lambda r: self.openPage.emit(self.mechanisms[r].id, "")
        )
        self.table.horizontalHeader().sectionClicked.connect(
            lambda c: self.openPage.emit(self.strategies[c].id, "")
        )
        layout.addWidget(self.table, 1)

    def set_colors(self, c: Colors) -> None:  # cells keep their evidence colours in both themes
        self.update()

    def cell_pages(self, row: int, col: int) -> tuple[str, str]:
        return self.mechanisms[row].id, self.strategies[col].id

    def _cell_clicked(self, row: int, col: int) -> None:
        mech, strat = self.cell_pages(row, col)
        menu = QMenu(self)
        menu.addAction(
            f"Open mechanism: {self.mechanisms[row].title}",
            lambda: self.openPage.emit(mech, "ways-to-overcome-it"),
        )
        menu.addAction(
            f"Open strategy: {self.strategies[col].title}", lambda: self.openPage.emit(strat, "")
        )
        menu.popup(
            self.table.viewport().mapToGlobal(
                self.table.visualRect(self.table.model().index(row, col)).center()
            )
        )
