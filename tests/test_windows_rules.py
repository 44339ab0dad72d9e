"""The --windows-rules plugin catches what a Windows runner would refuse, and allows what it allows."""

from __future__ import annotations

import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from windows_rules import PROC_FD, WindowsRules

pytestmark = pytest.mark.skipif(not PROC_FD.is_dir(), reason="the plugin needs /proc (Linux)")
HERE = Path(__file__).resolve().parent


@pytest.fixture
def rules():
    with WindowsRules() as active:
        yield active


@pytest.mark.parametrize("opener", ["builtins.open", "io.open", "os.open"])
def test_an_open_file_cannot_be_renamed_replaced_or_deleted(rules, tmp_path, opener):
    path = tmp_path / "a.txt"
    path.write_text("x")
    if opener == "os.open":
        fd = os.open(path, os.O_RDONLY)
        close = lambda: os.close(fd)  # noqa: E731
    else:
        handle = (open if opener == "builtins.open" else io.open)(path)
        close = handle.close
    with pytest.raises(PermissionError, match="being used by another process"):
        path.rename(tmp_path / "b.txt")
    with pytest.raises(PermissionError):
        os.replace(path, tmp_path / "b.txt")
    with pytest.raises(PermissionError):
        path.unlink()
    with pytest.raises(PermissionError):
        os.remove(path)
    close()
    path.rename(tmp_path / "b.txt")  # closed: allowed again
    (tmp_path / "b.txt").unlink()


def test_a_file_cannot_replace_an_open_one_nor_rename_onto_any(rules, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("old")
    new.write_text("new")
    with pytest.raises(FileExistsError):
        new.rename(old)  # os.rename never overwrites on Windows
    with old.open(), pytest.raises(PermissionError):
        new.replace(old)
    new.replace(old)  # os.replace overwrites a closed file, as on Windows
    assert old.read_text() == "new"


def test_a_folder_holding_an_open_file_cannot_be_moved_or_removed(rules, tmp_path):
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "f.bin").write_bytes(b"1")
    (folder / "other.bin").write_bytes(b"2")
    with (folder / "sub" / "f.bin").open("rb"):
        with pytest.raises(PermissionError):
            folder.rename(tmp_path / "moved")
        with pytest.raises(PermissionError):
            shutil.rmtree(folder)
        shutil.rmtree(folder, ignore_errors=True)  # removes what it can, like on Windows
        assert (folder / "sub" / "f.bin").exists() and not (folder / "other.bin").exists()
    shutil.rmtree(folder)
    assert not folder.exists()


def test_sqlite_database_and_its_wal_are_locked_while_the_connection_lives(rules, tmp_path):
    """The violation issue 15 found: user.db renamed while its connection was still open."""
    db = tmp_path / "user.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    for name in ("user.db", "user.db-wal", "user.db-shm"):
        assert (tmp_path / name).exists()
        with pytest.raises(PermissionError):
            (tmp_path / name).rename(tmp_path / f"moved-{name}")
    conn.close()
    db.rename(tmp_path / "moved.db")


def test_a_rollback_journal_is_locked_during_its_transaction(rules, tmp_path):
    conn = sqlite3.connect(tmp_path / "j.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO t VALUES (1)")
    journal = tmp_path / "j.db-journal"
    assert journal.exists()
    with pytest.raises(PermissionError):
        journal.unlink()
    conn.execute("COMMIT")
    conn.close()


def test_no_sigkill_but_popen_kill_works(rules):
    assert not hasattr(signal, "SIGKILL")
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    proc.kill()
    assert proc.wait(timeout=30) != 0


def test_child_processes_get_a_cp1252_console(rules):
    out = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "cp1252"


def test_uninstall_restores_everything():
    """Also when nested inside a session that runs with --windows-rules."""
    before = (os.rename, os.replace, os.unlink, os.remove, subprocess.Popen.kill)
    env = (os.environ.get("PYTHONIOENCODING"), os.environ.get("PYTHONUTF8"))
    sigkill = hasattr(signal, "SIGKILL")
    with WindowsRules():
        assert os.rename is not before[0]
    assert (os.rename, os.replace, os.unlink, os.remove, subprocess.Popen.kill) == before
    assert (os.environ.get("PYTHONIOENCODING"), os.environ.get("PYTHONUTF8")) == env
    assert hasattr(signal, "SIGKILL") == sigkill


def test_the_option_fails_a_test_that_breaks_the_rules(tmp_path):
    """End to end: a test renaming an open file passes plainly and fails with --windows-rules."""
    test = tmp_path / "test_violation.py"
    test.write_text(
        "def test_rename_open(tmp_path):\n"
        "    f = tmp_path / 'a'\n"
        "    f.write_text('x')\n"
        "    with f.open():\n"
        "        f.rename(tmp_path / 'b')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(HERE))
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "windows_rules", "-p", "no:cacheprovider"]
    plain = subprocess.run([*cmd, str(test)], cwd=tmp_path, env=env, capture_output=True)
    ruled = subprocess.run(
        [*cmd, "--windows-rules", str(test)], cwd=tmp_path, env=env, capture_output=True
    )
    assert plain.returncode == 0, plain.stdout.decode(errors="replace")
    assert ruled.returncode == 1 and b"PermissionError" in ruled.stdout, ruled.stdout
