"""The GUI's log receives what happened before it existed (the move to the roaming profile)."""

from __future__ import annotations

import logging

from desktop.core import paths
from desktop.ui import app


def test_pending_notes_are_written_to_the_log(tmp_path, monkeypatch):
    lenref = logging.getLogger("lenref")
    monkeypatch.setattr(lenref, "handlers", [])  # the handler added below is dropped afterwards
    monkeypatch.setattr(lenref, "level", lenref.level)
    monkeypatch.setenv("LENREF_USER_DIR", str(tmp_path))
    monkeypatch.setattr(paths, "_pending_notes", [(logging.INFO, "user data moved from A to B")])
    log_path = app._setup_logging()
    for handler in lenref.handlers:
        handler.close()
    assert log_path and "user data moved from A to B" in (tmp_path / "lenref.log").read_text()
    assert paths.take_pending_notes() == []
