"""User data lives in the roaming profile on Windows; an older local folder is moved there once."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import sys
from pathlib import Path

import platformdirs
import pytest

from desktop.core import paths


@pytest.fixture
def profile(tmp_path, monkeypatch):
    """Windows as platformdirs sees it: %LOCALAPPDATA% and %APPDATA% are different folders."""
    local = tmp_path / "AppData" / "Local" / "LenRef"
    roaming = roaming_dir = tmp_path / "AppData" / "Roaming" / "LenRef"
    calls = []

    def user_data_dir(appname=None, appauthor=None, version=None, roaming=False, **kw):
        calls.append(roaming)
        return str(roaming_dir if roaming else local)

    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    monkeypatch.delenv("LENREF_USER_DIR", raising=False)
    paths.take_pending_notes()
    return local, roaming, calls


def _old_install(local: Path) -> None:
    local.mkdir(parents=True)
    conn = sqlite3.connect(local / "user.db")
    conn.execute("CREATE TABLE bookmarks (title)")
    conn.execute("INSERT INTO bookmarks VALUES ('kept')")
    conn.commit()
    conn.close()
    (local / "lenref.log").write_text("old log\n", "utf-8")


def _bookmarks(folder: Path) -> list[str]:
    conn = sqlite3.connect(folder / "user.db")
    try:
        return [r[0] for r in conn.execute("SELECT title FROM bookmarks")]
    finally:
        conn.close()


def test_user_data_is_in_the_roaming_profile(profile):
    local, roaming, calls = profile
    assert paths.user_dir() == roaming
    assert True in calls  # asked platformdirs for the roaming folder
    assert not roaming.exists() and not local.exists()  # nothing created, nothing moved


def test_an_existing_local_folder_is_moved_once_and_logged(profile, caplog):
    local, roaming, _ = profile
    _old_install(local)
    with caplog.at_level(logging.INFO, logger="lenref"):
        assert paths.user_dir() == roaming
    assert not local.exists()
    assert _bookmarks(roaming) == ["kept"] and (roaming / "lenref.log").read_text() == "old log\n"
    assert any(
        "moved from" in r.getMessage() and str(local) in r.getMessage() for r in caplog.records
    )
    local.mkdir()  # an old version started again: the roaming folder wins, nothing is moved
    assert paths.user_dir() == roaming and local.is_dir()


def test_an_existing_roaming_folder_is_never_overwritten(profile):
    local, roaming, _ = profile
    _old_install(local)
    roaming.mkdir(parents=True)
    (roaming / "user.db").write_bytes(b"")
    assert paths.user_dir() == roaming
    assert _bookmarks(local) == ["kept"]  # left alone
    assert (roaming / "user.db").read_bytes() == b""


def test_a_move_that_fails_keeps_the_local_folder_for_now(profile, monkeypatch, caplog):
    """Another LenRef has user.db open: Windows refuses the rename; the move is retried later."""
    from windows_rules import PROC_FD, WindowsRules

    local, roaming, _ = profile
    _old_install(local)
    caplog.set_level(logging.INFO, logger="lenref")
    if PROC_FD.is_dir():
        other = sqlite3.connect(local / "user.db")
        with WindowsRules():
            assert paths.user_dir() == local
        other.close()
    else:  # no /proc: the refusal itself, simulated
        real = os.rename

        def refuse(src, dst, **kw):
            raise PermissionError(errno.EACCES, "in use", str(src))

        monkeypatch.setattr(os, "rename", refuse)
        assert paths.user_dir() == local
        monkeypatch.setattr(os, "rename", real)
    assert _bookmarks(local) == ["kept"] and not roaming.exists()
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "kept in" in caplog.records[0].getMessage()
    assert paths.user_dir() == roaming  # next start, nothing open: moved
    assert _bookmarks(roaming) == ["kept"] and not local.exists()


def test_a_move_across_volumes_copies_then_removes(profile, monkeypatch):
    local, roaming, _ = profile
    _old_install(local)
    (roaming.parent / "LenRef.moving").mkdir(parents=True)  # left by an interrupted copy
    (roaming.parent / "LenRef.moving" / "junk").write_text("x")
    real = os.rename

    def rename(src, dst, **kw):
        if Path(src) == local:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst, **kw)

    monkeypatch.setattr(os, "rename", rename)
    assert paths.user_dir() == roaming
    assert _bookmarks(roaming) == ["kept"] and not (roaming / "junk").exists()
    assert not local.exists() and not (roaming.parent / "LenRef.moving").exists()


def test_notes_wait_for_the_log(profile, monkeypatch):
    """The log file lives in the user folder, so the move happens before the GUI's log exists."""
    local, _, _ = profile
    _old_install(local)
    lenref = logging.getLogger("lenref")
    monkeypatch.setattr(lenref, "handlers", [])
    monkeypatch.setattr(lenref, "propagate", False)  # pytest's own capture sits on the root
    paths.user_dir()
    notes = paths.take_pending_notes()
    assert [level for level, _ in notes] == [logging.INFO] and paths.take_pending_notes() == []


def test_the_env_override_wins_and_moves_nothing(profile, monkeypatch, tmp_path):
    local, roaming, _ = profile
    _old_install(local)
    monkeypatch.setenv("LENREF_USER_DIR", str(tmp_path / "mine"))
    assert paths.user_dir() == tmp_path / "mine" and local.is_dir() and not roaming.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="the real platformdirs differs on Windows")
def test_elsewhere_roaming_and_local_are_the_same_folder(monkeypatch):
    monkeypatch.delenv("LENREF_USER_DIR", raising=False)
    real = platformdirs.user_data_dir
    assert real("LenRef", appauthor=False, roaming=True) == real("LenRef", appauthor=False)
