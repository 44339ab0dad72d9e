"""User data: WAL + transactions survive a hard kill; a damaged file is quarantined; export/import round-trips."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.userdata import UserData, UserDataError

WRITER = """
import sys
from desktop.core.userdata import UserData
u = UserData(sys.argv[1])
for i in range(1000):
    u.add_bookmark(f"page-{i}", "", f"Bookmark {i}")
    print(i, flush=True)
"""


@pytest.mark.parametrize("kill_after", [50, 300, 700])
def test_hard_kill_during_inserts_loses_no_committed_row(tmp_path, kill_after):
    """Popen.kill() is SIGKILL on POSIX and TerminateProcess on Windows: no chance to clean up."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    committed = -1
    assert proc.stdout is not None
    for line in proc.stdout:
        committed = int(line)
        if committed >= kill_after:
            proc.kill()
            break
    proc.wait(timeout=30)
    assert proc.returncode != 0  # killed (-9 on POSIX, 1 on Windows), not finished
    conn = sqlite3.connect(tmp_path / "user.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    pages = {r[0] for r in conn.execute("SELECT page FROM bookmarks")}
    conn.close()
    missing = [i for i in range(committed + 1) if f"page-{i}" not in pages]
    assert missing == [], f"{len(missing)} committed bookmarks lost"
    # And the app opens the file normally afterwards.
    u = UserData(tmp_path)
    assert u.recovered is None and len(u.bookmarks()) >= committed + 1
    u.close()


def test_corrupt_user_db_is_quarantined(tmp_path):
    (tmp_path / "user.db").write_bytes(b"this is not a database" * 100)
    u = UserData(tmp_path)
    assert u.recovered and "moved to user.damaged-" in u.recovered
    assert list(tmp_path.glob("user.damaged-*.db"))
    u.add_bookmark("p", "", "works again")
    assert [b.title for b in u.bookmarks()] == ["works again"]
    u.close()


def test_bookmarks_export_import_round_trip(tmp_path):
    a = UserData(tmp_path / "a")
    a.add_bookmark("crbn-expression", "how-often", "CRBN › How often")
    a.add_bookmark("car-t", "", "CAR-T <b>&</b> “quotes”")
    out = tmp_path / "bm.json"
    assert a.export_bookmarks(out) == 2
    b = UserData(tmp_path / "b")
    assert b.import_bookmarks(out) == 2
    assert [(x.page, x.anchor, x.title) for x in b.bookmarks()] == [
        (x.page, x.anchor, x.title) for x in a.bookmarks()
    ]
    a.close()
    b.close()


def test_import_rejects_foreign_files(tmp_path):
    u = UserData(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": 1}))
    with pytest.raises(UserDataError, match="not a LenRef bookmarks file"):
        u.import_bookmarks(bad)
    bad.write_text("{not json")
    with pytest.raises(UserDataError):
        u.import_bookmarks(bad)
    u.close()


def test_history_is_capped_and_keyed_by_page_and_section(tmp_path):
    u = UserData(tmp_path)
    u.add_visit("a", "x", "A")
    u.add_visit("a", "x", "A")  # repeated visit is not recorded twice
    u.add_visit("b", "", "B")
    assert [(v.page, v.anchor) for v in u.history()] == [("b", ""), ("a", "x")]
    u.clear_history()
    assert u.history() == []
    u.close()


def test_bad_setting_value_falls_back_to_default(tmp_path):
    u = UserData(tmp_path)
    u.conn.execute("INSERT INTO settings (key, value) VALUES ('font_pt', '{broken')")
    assert u.get("font_pt", 11.0) == 11.0
    u.close()


def test_full_disk_is_a_clear_error(tmp_path, monkeypatch):
    u = UserData(tmp_path)
    real = u.conn

    class Full:
        in_transaction = False

        def execute(self, sql, params=()):
            if sql.startswith("INSERT"):
                raise sqlite3.OperationalError("database or disk is full")
            return real.execute(sql, params)

    u.conn = Full()  # type: ignore[assignment]
    with pytest.raises(UserDataError, match="Free some disk space"):
        u.add_bookmark("p", "", "t")
    u.conn = real
    assert u.bookmarks() == []
    u.close()


def test_wal_mode_is_used(tmp_path):
    u = UserData(tmp_path)
    assert u.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    u.close()
    assert (tmp_path / "user.db").exists()


def _ten_bookmarks(directory: Path) -> None:
    u = UserData(directory)
    for i in range(10):
        u.add_bookmark(f"page-{i}", "", f"Bookmark {i}")
    u.close()


def _saved_titles(directory: Path) -> list[str]:
    conn = sqlite3.connect(directory / "user.db")
    try:
        return [r[0] for r in conn.execute("SELECT title FROM bookmarks ORDER BY id")]
    finally:
        conn.close()


def _failing_connect(code: int, message: str):
    """sqlite3.connect for user.db whose first statement fails as SQLite would (code = result)."""
    real = sqlite3.connect

    def connect(target, *args, **kwargs):
        conn = real(target, *args, **kwargs)
        if str(target).endswith("user.db"):
            conn.close()
            exc = sqlite3.OperationalError(message)
            exc.sqlite_errorcode = code
            raise exc
        return conn

    return connect


@pytest.mark.parametrize(
    "code, message, reason",
    [
        (13, "database or disk is full", "the disk is full"),
        (8, "attempt to write a readonly database", "read-only"),
        (14, "unable to open database file", "cannot be opened"),
    ],
)
def test_operational_errors_keep_the_file_and_show_saved_bookmarks(
    tmp_path, monkeypatch, code, message, reason
):
    _ten_bookmarks(tmp_path)
    monkeypatch.setattr(sqlite3, "connect", _failing_connect(code, message))
    u = UserData(tmp_path)
    assert u.recovered is None and u.degraded and reason in u.degraded
    assert len(u.bookmarks()) == 10  # read through a read-only copy
    u.add_bookmark("new", "", "only this session")
    u.close()
    monkeypatch.undo()
    assert not list(tmp_path.glob("user.damaged-*"))
    assert _saved_titles(tmp_path) == [f"Bookmark {i}" for i in range(10)]


def test_a_lock_held_by_another_program_is_not_damage(tmp_path):
    _ten_bookmarks(tmp_path)
    other = sqlite3.connect(tmp_path / "user.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        u = UserData(tmp_path, busy_timeout=0.1)
        assert u.recovered is None and "another program" in (u.degraded or "")
        u.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not list(tmp_path.glob("user.damaged-*"))
    assert len(_saved_titles(tmp_path)) == 10


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root ignores file permissions",
)
def test_a_really_read_only_folder_keeps_the_file(tmp_path):
    _ten_bookmarks(tmp_path)
    (tmp_path / "user.db").chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        u = UserData(tmp_path)
        assert u.recovered is None and u.degraded
        assert len(u.bookmarks()) == 10
        u.close()
    finally:
        tmp_path.chmod(0o755)
    assert not list(tmp_path.glob("user.damaged-*"))


def test_a_lone_surrogate_in_a_search_does_not_block_the_next_write(tmp_path):
    u = UserData(tmp_path)
    u.add_search("x\ud800")
    u.add_bookmark("p", "", "saved")
    assert [b.title for b in u.bookmarks()] == ["saved"]
    assert u.recent_searches() == ["x?"]
    u.close()


def test_corrupt_file_is_moved_with_no_connection_left_open(tmp_path, monkeypatch):
    """Windows refuses to rename an open file: the move must happen after every close."""
    (tmp_path / "user.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    opened: list[sqlite3.Connection] = []
    real = sqlite3.connect

    def tracking(*args, **kwargs):
        conn = real(*args, **kwargs)
        opened.append(conn)
        return conn

    real_rename = Path.rename

    def rename(self, target):
        for conn in opened:
            try:
                conn.execute("SELECT 1")
            except sqlite3.ProgrammingError:
                continue  # closed
            raise PermissionError(13, "file is open (Windows rule)")
        return real_rename(self, target)

    monkeypatch.setattr(sqlite3, "connect", tracking)
    monkeypatch.setattr(Path, "rename", rename)
    u = UserData(tmp_path)
    assert u.recovered and "moved to user.damaged-" in u.recovered, u.degraded
    u.close()
