"""Where compiled data, content sources and user data live.

- Compiled data: ``$LENREF_DATA_DIR``, else the bundle's ``desktop/data`` when frozen (PyInstaller), else
  ``desktop/data`` in the source tree.
- Content sources: ``$LENREF_CONTENT_DIR``, else ``content/`` next to the package in a source checkout;
  None in a frozen build (it ships compiled data only).
- User data (bookmarks, history, settings, logs): ``$LENREF_USER_DIR``, else the platform's user data folder
  (platformdirs). Never next to the executable: a one-file bundle unpacks into a temporary folder. On
  Windows it is the roaming profile (``%APPDATA%\\LenRef``), which follows the user on roaming
  profiles and VDI; a folder left by older versions in ``%LOCALAPPDATA%\\LenRef`` is moved there once.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sys
from pathlib import Path

APP_NAME = "LenRef"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
log = logging.getLogger("lenref")
# What the one-time move of the user data folder did before any log handler existed (the log file
# lives in that folder): the GUI logs these once its log is set up.
_pending_notes: list[tuple[int, str]] = []


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundled_data_dir() -> Path:
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", PACKAGE_DIR.parent)) / "desktop" / "data"
    return PACKAGE_DIR / "data"


def data_dir() -> Path:
    env = os.environ.get("LENREF_DATA_DIR")
    return Path(env).expanduser() if env else bundled_data_dir()


def content_dir() -> Path | None:
    env = os.environ.get("LENREF_CONTENT_DIR")
    if env:
        return Path(env).expanduser()
    if is_frozen():
        return None
    candidate = PACKAGE_DIR.parent / "content"
    return candidate if (candidate / "pages").is_dir() else None


def user_dir() -> Path:
    """The user data folder (not created here); see the module docstring."""
    env = os.environ.get("LENREF_USER_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    roaming = Path(user_data_dir(APP_NAME, appauthor=False, roaming=True))
    local = Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))
    return move_to_roaming(local, roaming)


def move_to_roaming(local: Path, roaming: Path) -> Path:
    """Move ``local`` to ``roaming`` once and return the folder to use.

    Only when ``local`` is a folder and ``roaming`` does not exist: nothing is ever overwritten. If the
    move fails (another LenRef has a file open, a full or read-only disk), ``local`` is used this time
    and the move is tried again at the next start. Across volumes (a redirected AppData) the folder
    is copied under a temporary name, renamed into place, and only then the local one is deleted.
    """
    if local == roaming or not local.is_dir() or roaming.exists() or roaming.is_symlink():
        return roaming
    try:
        roaming.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(local, roaming)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            _copy_across_volumes(local, roaming)
    except OSError as exc:
        _note(logging.WARNING, f"user data kept in {local}: moving it to {roaming} failed ({exc})")
        return local
    _note(logging.INFO, f"user data moved from {local} to {roaming} (roaming profile)")
    return roaming


def _copy_across_volumes(local: Path, roaming: Path) -> None:
    partial = roaming.with_name(roaming.name + ".moving")
    shutil.rmtree(partial, ignore_errors=True)  # ours, left by an interrupted earlier copy
    shutil.copytree(local, partial)
    os.rename(partial, roaming)
    shutil.rmtree(local, ignore_errors=True)
    if local.exists():
        _note(logging.WARNING, f"the old user data folder {local} is no longer used (not removed)")


def _note(level: int, message: str) -> None:
    if log.hasHandlers():
        log.log(level, message)
    else:
        _pending_notes.append((level, message))


def take_pending_notes() -> list[tuple[int, str]]:
    """(level, message) of what user_dir() did before logging was set up; each is returned once."""
    notes = _pending_notes[:]
    _pending_notes.clear()
    return notes


def fallback_data_dir() -> Path:
    """Where to build compiled data when the default location is read-only (a system install)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "data"
