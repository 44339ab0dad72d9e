"""Start the GUI: open (or rebuild) the library, show clear dialogs for any failure, log crashes."""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core import paths
from ..core.library import LibraryError, ensure_library
from ..core.userdata import UserData, UserDataError
from ..core.version import app_version
from .main_window import MainWindow
from .richtext import plain_rich

log = logging.getLogger("lenref")


CRASH_LOG_LIMIT = 256_000
_crash_file = None  # kept open for the whole run: faulthandler writes to its descriptor


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
    except OSError:
        return None
    _enable_crash_log(directory / "crash.log")
    qInstallMessageHandler(_qt_message)
    return str(directory / "lenref.log")


def _enable_crash_log(path: Path) -> None:
    """A hard crash (segfault, Qt abort) writes every thread's Python stack to ``crash.log``.

    A file of its own, not lenref.log: the rotating handler renames lenref.log, which fails on Windows
    while another handle is open, and faulthandler needs a descriptor that stays valid.
    """
    global _crash_file
    try:
        too_big = path.is_file() and path.stat().st_size > CRASH_LOG_LIMIT
        _crash_file = open(path, "w" if too_big else "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_crash_file, all_threads=True)
    except OSError as exc:
        log.warning("crash log unavailable: %s", exc)


def _qt_message(kind: QtMsgType, _context, message: str) -> None:
    """Qt's own warnings (e.g. a thread destroyed while running) go to lenref.log, not a lost console."""
    level = logging.INFO if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) else logging.WARNING
    log.log(level, "Qt: %s", message)
    if sys.stderr is not None:  # None in the windowed Windows build
        with contextlib.suppress(OSError, ValueError):
            print(f"Qt: {message}", file=sys.stderr)


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
    try:
        window = MainWindow(lib, user)
    except Exception as exc:  # the window's own parts stop their threads as they are destroyed
        log.error("window failed:\n%s", traceback.format_exc())
        where = f"\n\nDetails were written to {log_path}." if log_path else ""
        QMessageBox.critical(None, "LenRef", plain_rich(f"LenRef could not open: {exc}.{where}"))
        return 1
    window.show()
    code = app.exec()
    window.close()  # stops the search worker before the library it reads from is closed
    user.close()
    lib.close()
    return code
