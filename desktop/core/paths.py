"""Where compiled data, content sources and user data live.

- Compiled data: ``$LENREF_DATA_DIR``, else the bundle's ``desktop/data`` when frozen (PyInstaller), else
  ``desktop/data`` in the source tree.
- Content sources: ``$LENREF_CONTENT_DIR``, else ``content/`` next to the package in a source checkout;
  None in a frozen build (it ships compiled data only).
- User data (bookmarks, history, settings, logs): ``$LENREF_USER_DIR``, else the platform's user data folder
  (platformdirs). Never next to the executable: a one-file bundle unpacks into a temporary folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "LenRef"
PACKAGE_DIR = Path(__file__).resolve().parent.parent


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
    env = os.environ.get("LENREF_USER_DIR")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    return path


def fallback_data_dir() -> Path:
    """Where to build compiled data when the default location is read-only (a system install)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "data"
