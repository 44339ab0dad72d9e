"""Shared fixtures: a small valid content folder, built once per session and copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# `pytest --windows-rules`: open files cannot be renamed or deleted, no SIGKILL, cp1252 consoles.
pytest_plugins = ["windows_rules"]

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path_factory, monkeypatch):
    """User data (bookmarks, settings, logs) never touches the real profile."""
    monkeypatch.setenv("LENREF_USER_DIR", str(tmp_path_factory.mktemp("user")))


@pytest.fixture
def good_content(tmp_path) -> Path:
    """A writable copy of the valid fixture content."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", dest)
    return dest


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The fixture content built once; tests must not modify it."""
    from desktop.core.build import build

    out = tmp_path_factory.mktemp("built") / "data"
    report = build(FIXTURES / "good", out)
    assert report.ok, [p.format() for p in report.errors]
    return out


@pytest.fixture(scope="session")
def fixture_library(built_fixture):
    from desktop.core.library import Library

    lib = Library.open(built_fixture)
    yield lib
    lib.close()


@pytest.fixture
def fixture_data_env(built_fixture, monkeypatch):
    """The CLI reads the built fixture (and would rebuild it only from the fixture content)."""
    monkeypatch.setenv("LENREF_DATA_DIR", str(built_fixture))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(FIXTURES / "good"))
    return built_fixture
