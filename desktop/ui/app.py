"""Start the GUI: open (or rebuild) the library, show clear dialogs for any failure, log crashes."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core import paths
from ..core.library import LibraryError, ensure_library
from ..core.userdata import UserData, UserDataError
from ..core.version import app_version
from .richtext import plain_rich

log = logging.getLogger("lenref")


def _setup_logging() -> str | None:
    try:
        directory = paths.user_dir()
        directory.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            directory / "lenref.log", maxBytes=512_000, backupCount=2, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        for level, note in paths.take_pending_notes():  # e.g. the move to the roaming profile
            log.log(level, note)
        return str(directory / "lenref.log")
    except OSError:
        return None


def install_excepthook(log_path: str | None) -> None:
    """Unexpected exceptions are logged to a file and shown as a short message, never a traceback."""

    def hook(exc_type, exc, tb) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        app = QApplication.instance()
        if app is not None:
            where = f"\n\nDetails were written to {log_path}." if log_path else ""
            QMessageBox.critical(None, "LenRef", plain_rich(f"Something went wrong: {exc}.{where}"))

    sys.excepthook = hook


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("LenRef")
    app.setOrganizationName("LenRef")
    app.setApplicationVersion(app_version())
    icon = Path(__file__).resolve().parent / "assets" / "lenref.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def open_library_with_dialogs(app: QApplication):
    """The library, rebuilding from content/ if needed; None (after a dialog) if it cannot be opened."""
    try:
        return ensure_library(notify=lambda m: log.info(m))
    except LibraryError as exc:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "LenRef cannot open its library",
            plain_rich(f"{str(exc)[:1].upper()}{str(exc)[1:]}."),
        )
        box.setInformativeText(plain_rich(f"What to do: {exc.fix}."))
        box.setObjectName("libraryErrorDialog")
        box.exec()
        return None


def run_gui() -> int:
    app = make_app()
    log_path = _setup_logging()
    install_excepthook(log_path)
    lib = open_library_with_dialogs(app)
    if lib is None:
        return 1
    try:
        user = UserData()
    except UserDataError as exc:
        QMessageBox.critical(
            None, "LenRef", plain_rich(f"{exc}\n\nCheck that your user folder is writable.")
        )
        return 1
    from .main_window import MainWindow

    window = MainWindow(lib, user)
    window.show()
    code = app.exec()
    user.close()
    lib.close()
    return code
