"""Opening compiled data: pages, references, trials, and typed errors for missing or damaged builds."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from desktop.core.library import (
    DataDamagedError,
    DataMissingError,
    DataStaleError,
    Library,
    ensure_library,
)


def test_pages_and_parts(fixture_library):
    parts = [p for p, _ in fixture_library.parts()]
    assert parts == ["background", "resistance", "strategies", "trials"]  # trial cards come last
    page = fixture_library.page("crbn-loss")
    assert page.title == "Loss of cereblon expression"
    assert page.sections == (("what-happens", "What happens"), ("how-often", "How often"))
    assert [r.key for r in page.references] == ["kulig2023"]
    assert page.countered_by == (("pvd-page", "randomised"),)
    assert fixture_library.page("pvd-page").counters == (("crbn-loss", "randomised"),)
    with pytest.raises(KeyError):
        fixture_library.page("nope")


def test_trial_numbers_keep_source_text(fixture_library):
    trial = fixture_library.trials()[0]
    assert str(trial.analyses[0].pfs_months.experimental) == "11.20"
    assert str(trial.data["refractory_pct"]["lenalidomide"]) == "70.90"


def test_page_text_has_sections_and_references(fixture_library):
    text = fixture_library.page_text("intro")
    assert "Why it matters" in text and "Kulig P" in text and "Reviewed: 2026-11-26" in text


def copy_build(built_fixture, tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(built_fixture, dest)
    return dest


def test_missing_database(tmp_path):
    with pytest.raises(DataMissingError, match="database is missing"):
        Library.open(tmp_path)


def test_zero_byte_database(built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    (data / "reference.db").write_bytes(b"")
    with pytest.raises(DataDamagedError, match="empty"):
        Library.open(data)


def test_truncated_database(built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    raw = (data / "reference.db").read_bytes()
    (data / "reference.db").write_bytes(raw[: len(raw) // 3])
    with pytest.raises(DataDamagedError):
        Library.open(data)


def test_other_schema_version(built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    conn = sqlite3.connect(data / "reference.db")
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(DataStaleError, match="schema version"):
        Library.open(data)


def test_index_of_other_content(built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    stamp = data / "index" / "lenref-build.json"
    stamp.write_text(json.dumps({"content_hash": "other"}))
    with pytest.raises(DataStaleError, match="other content"):
        Library.open(data)


def test_missing_index(built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    shutil.rmtree(data / "index")
    with pytest.raises(DataMissingError, match="index is missing"):
        Library.open(data)


def test_damaged_index_files(built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    for f in (data / "index").glob("*.seg"):
        f.write_bytes(b"garbage")
    for f in (data / "index").glob("_*.toc"):
        f.write_bytes(b"garbage")
    with pytest.raises(DataDamagedError):
        Library.open(data)


def test_error_message_says_what_to_do(tmp_path):
    with pytest.raises(DataMissingError) as info:
        Library.open(tmp_path)
    assert "lenref build" in info.value.one_line()


def test_ensure_library_rebuilds_damaged_data_from_content(good_content, built_fixture, tmp_path):
    data = copy_build(built_fixture, tmp_path)
    (data / "reference.db").write_bytes(b"")
    notes = []
    lib = ensure_library(data, good_content, notify=notes.append)
    try:
        assert lib.page("intro").title
        assert notes and "Building" in notes[0]
    finally:
        lib.close()


def test_ensure_library_rebuilds_when_content_changes(good_content, tmp_path):
    data = tmp_path / "data"
    ensure_library(data, good_content).close()
    page = good_content / "pages/background/intro.md"
    page.write_text(
        page.read_text("utf-8").replace("Multiple myeloma in brief", "Myeloma basics"), "utf-8"
    )
    notes = []
    lib = ensure_library(data, good_content, notify=notes.append)
    try:
        assert lib.page("intro").title == "Myeloma basics"
        assert "changed" in notes[0]
    finally:
        lib.close()


def test_unreadable_database_is_a_clear_error(built_fixture, tmp_path, monkeypatch):
    from desktop.core import library

    data = copy_build(built_fixture, tmp_path)

    def refuse(path):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(library, "ReadOnlyDb", refuse)
    with pytest.raises(DataDamagedError, match="cannot be read") as info:
        Library.open(data)
    assert "lenref build" in info.value.fix


def test_unreadable_content_file_is_reported(good_content, monkeypatch):
    from pathlib import Path

    from desktop.core.build import compile_content

    real = Path.read_bytes

    def deny(self):
        if self.name == "glossary.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    _, _, problems = compile_content(good_content)
    assert any(p.file == "glossary.yaml" and "cannot read file" in p.message for p in problems)
