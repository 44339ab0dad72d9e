"""A compiled library that passes SQLite's quick check but is inconsistent is DataDamaged, never a crash."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from windows_rules import open_files

from desktop.core.library import DataDamagedError, Library, ensure_library


@pytest.fixture
def data(built_fixture, tmp_path):
    out = tmp_path / "data"
    shutil.copytree(built_fixture, out)
    return out


@pytest.mark.parametrize(
    "sql, says",
    [
        ("DROP TABLE refs", "table 'refs' is missing"),
        ("ALTER TABLE trials DROP COLUMN data", "no column 'data'"),
        ("UPDATE pages SET html = NULL", "'pages.html' is empty"),
        ("UPDATE pages SET aliases = '[not json'", "'pages.aliases' holds invalid data"),
        ("UPDATE trials SET data = '{'", "'trials.data' holds invalid data"),
        ("DELETE FROM pages", "no pages"),
    ],
)
def test_inconsistent_database_is_damaged_with_a_reason(data, sql, says):
    conn = sqlite3.connect(data / "reference.db")
    conn.execute(sql)
    conn.commit()
    conn.close()
    with pytest.raises(DataDamagedError, match="inconsistent") as caught:
        Library.open(data)
    assert says in str(caught.value)


@pytest.mark.parametrize("text", ["[]", '{"x": "y"}', "null"])
def test_damaged_word_list_is_damaged_not_an_index_error(data, text):
    (data / "index" / "vocabulary.json").write_text(text, "utf-8")
    with pytest.raises(DataDamagedError, match="word list"):
        Library.open(data)


def test_damaged_data_is_rebuilt_when_content_is_there(data, good_content):
    conn = sqlite3.connect(data / "reference.db")
    conn.execute("DROP TABLE refs")
    conn.commit()
    conn.close()
    notes: list[str] = []
    lib = ensure_library(data, good_content, notify=notes.append)
    assert lib.pages() and notes and "inconsistent" in notes[0]
    lib.close()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc/self/fd")
def test_an_unreadable_database_is_closed_before_the_error_reaches_the_caller(data):
    """The caller rebuilds next, renaming the file: Windows refuses while it is open."""
    conn = sqlite3.connect(data / "reference.db")
    conn.execute("DROP TABLE meta")
    conn.commit()
    conn.close()
    with pytest.raises(DataDamagedError) as caught:
        Library.open(data)
    assert "cannot be read" in str(caught.value)  # the traceback and its frames are alive here
    assert str(data / "reference.db") not in open_files()
