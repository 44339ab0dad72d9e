"""The user's own data: bookmarks, history, recent searches and settings, in one SQLite file.

Stored in the user data folder (paths.user_dir()), never next to the program. WAL mode and one
transaction per change, so a crash loses at most the change being made. A file SQLite reports as
corrupt is moved aside with a timestamp and a fresh one is created; ``recovered`` then says what
happened so the UI can tell the user. A full disk, a read-only file or a lock is not damage: the
file is kept and the session runs on an in-memory copy, explained by ``degraded``. Bookmarks and history are keyed by page id + section anchor, so they survive
content updates.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths

USER_DB = "user.db"
USER_SCHEMA = 1
HISTORY_LIMIT = 500
RECENT_LIMIT = 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookmarks (
    id INTEGER PRIMARY KEY,
    page TEXT NOT NULL,
    anchor TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (page, anchor)
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    page TEXT NOT NULL,
    anchor TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    visited TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS searches (
    query TEXT PRIMARY KEY,
    used TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class UserDataError(Exception):
    """The user data cannot be read or written (e.g. disk full); the message says what to do."""


@dataclass(frozen=True)
class Bookmark:
    id: int
    page: str
    anchor: str
    title: str
    created: str


@dataclass(frozen=True)
class Visit:
    id: int
    page: str
    anchor: str
    title: str
    visited: str


# SQLite's primary result codes that mean "this file is damaged"; everything else (full, read-only,
# busy, locked, cannot open, I/O) is a condition of the moment and never costs the user the file.
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_REASONS = {
    13: "the disk is full",
    8: "the file or its folder is read-only",
    3: "the file is not accessible (permissions)",
    5: "another program is using the file",
    6: "another program is using the file",
    14: "the file cannot be opened",
    10: "the disk reported an input/output error",
}


def _is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def _operational_reason(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _REASONS:
        return _REASONS[code & 0xFF]
    return str(exc) or "the file cannot be written"


def _clean(text: str) -> str:
    """``text`` with unpaired surrogates (which SQLite cannot store) replaced by U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class UserData:
    """Bookmarks, history, recent searches and settings. Safe to use from one thread at a time."""

    def __init__(self, directory: Path | None = None, busy_timeout: float = 5.0) -> None:
        self.directory = Path(directory) if directory is not None else paths.user_dir()
        self.path = self.directory / USER_DB
        self.recovered: str | None = None  # the file was corrupt and moved aside (say so once)
        self.degraded: str | None = None  # the file is kept but cannot be written this session
        self._lock = threading.RLock()
        self._busy_timeout = busy_timeout
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserDataError(
                f"cannot create the user data folder {self.directory}: {exc.strerror or exc}"
            ) from exc
        self.conn = self._open()

    # -- opening and recovery ---------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        """Open the file; move it aside only when SQLite proves it corrupt.

        A full disk, a read-only file or a lock held by another program is not damage: the file
        is kept as it is and this session works on an in-memory copy (``degraded`` says why).
        """
        try:
            conn = self._connect()
        except sqlite3.DatabaseError as exc:
            return self._recover(exc)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check == "ok":
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version={USER_SCHEMA}")
                return conn
            corrupt = conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
        except sqlite3.DatabaseError as exc:
            conn.close()
            return self._recover(exc)
        conn.close()
        if corrupt:
            return self._corrupt(sqlite3.DatabaseError(check))
        return self._session_copy(sqlite3.DatabaseError(check))

    def _recover(self, exc: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Corrupt → moved aside; anything else (full, read-only, locked) → session copy."""
        return self._corrupt(exc) if _is_corrupt(exc) else self._session_copy(exc)

    def _corrupt(self, exc: Exception) -> sqlite3.Connection:
        """Move the damaged file (and its WAL) aside, with no connection open on it, and start anew."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        moved = self.path.with_name(f"user.damaged-{stamp}.db")
        try:
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    src.rename(Path(str(moved) + suffix))
        except OSError as move_error:
            self.degraded = (
                f"Your bookmarks file {self.path} is damaged and could not be moved aside "
                f"({move_error.strerror or move_error}); this session keeps bookmarks in memory only."
            )
            return self._memory()
        self.recovered = (
            f"Your bookmarks and history file was damaged ({exc}). It was moved to {moved.name} "
            "and a new, empty one was started."
        )
        conn = self._connect()
        conn.executescript(_SCHEMA)
        return conn

    def _session_copy(self, exc: sqlite3.Error) -> sqlite3.Connection:
        """An in-memory copy of the file for this session; the file itself is left untouched."""
        conn = self._memory()
        copied = self._copy_into(conn)
        reason = _operational_reason(exc)
        kept = "shown" if copied else "not readable now, but kept unchanged"
        self.degraded = (
            f"Bookmarks and history cannot be saved this session: {reason}. Your saved ones are "
            f"{kept} in {self.path}; changes made now are lost when LenRef closes."
        )
        return conn

    def _copy_into(self, conn: sqlite3.Connection) -> bool:
        """Copy the file's tables into ``conn`` through a read-only connection; False if unreadable."""
        uri = self.path.resolve().as_uri()
        for mode in ("mode=ro", "immutable=1"):
            try:
                src = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=1)
            except sqlite3.Error:
                continue
            try:
                src.backup(conn)
                conn.executescript(_SCHEMA)
                return True
            except sqlite3.Error:
                continue
            finally:
                src.close()
        return False

    def _memory(self) -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.executescript(_SCHEMA)
        return conn

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                cur = self.conn.execute(sql, params)
                self.conn.execute("COMMIT")
                return cur
            except (sqlite3.Error, ValueError) as exc:  # ValueError: e.g. a lone surrogate in text
                self._rollback()
                raise UserDataError(
                    f"could not save to {self.path}: {exc}. Free some disk space and try again."
                ) from exc

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # closed or broken connection: nothing left to roll back

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return list(self.conn.execute(sql, params))
            except sqlite3.Error as exc:
                raise UserDataError(f"could not read {self.path}: {exc}") from exc

    # -- bookmarks -----------------------------------------------------------------------
    def add_bookmark(self, page: str, anchor: str, title: str) -> Bookmark:
        """Add (or retitle) the bookmark for page#anchor."""
        self._write(
            "INSERT INTO bookmarks (page, anchor, title, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (page, anchor) DO UPDATE SET title = excluded.title",
            (page, anchor or "", title, _now()),
        )
        row = self._read(
            "SELECT * FROM bookmarks WHERE page = ? AND anchor = ?", (page, anchor or "")
        )
        return Bookmark(**dict(row[0]))

    def bookmarks(self) -> list[Bookmark]:
        return [
            Bookmark(**dict(r)) for r in self._read("SELECT * FROM bookmarks ORDER BY created, id")
        ]

    def is_bookmarked(self, page: str, anchor: str = "") -> bool:
        return bool(
            self._read("SELECT 1 FROM bookmarks WHERE page = ? AND anchor = ?", (page, anchor))
        )

    def rename_bookmark(self, bookmark_id: int, title: str) -> None:
        self._write("UPDATE bookmarks SET title = ? WHERE id = ?", (title, bookmark_id))

    def delete_bookmark(self, bookmark_id: int) -> None:
        self._write("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))

    def export_bookmarks(self, path: Path) -> int:
        items = [
            {"page": b.page, "anchor": b.anchor, "title": b.title, "created": b.created}
            for b in self.bookmarks()
        ]
        data = {"format": "lenref-bookmarks", "version": 1, "bookmarks": items}
        tmp = Path(str(path) + ".tmp")
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
            tmp.replace(path)
        except OSError as exc:
            raise UserDataError(f"could not write {path}: {exc.strerror or exc}") from exc
        return len(items)

    def import_bookmarks(self, path: Path) -> int:
        """Add the bookmarks of an exported file; returns how many were read. Bad files raise."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise UserDataError(f"{path} is not a LenRef bookmarks file ({exc})") from exc
        if not isinstance(data, dict) or data.get("format") != "lenref-bookmarks":
            raise UserDataError(f"{path} is not a LenRef bookmarks file")
        items = data.get("bookmarks") or []
        count = 0
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                for item in items:
                    if not isinstance(item, dict) or not isinstance(item.get("page"), str):
                        continue
                    self.conn.execute(
                        "INSERT INTO bookmarks (page, anchor, title, created) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (page, anchor) DO UPDATE SET title = excluded.title",
                        (
                            item["page"],
                            str(item.get("anchor") or ""),
                            str(item.get("title") or item["page"]),
                            str(item.get("created") or _now()),
                        ),
                    )
                    count += 1
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise UserDataError(f"could not import bookmarks: {exc}") from exc
        return count

    # -- history -------------------------------------------------------------------------
    def add_visit(self, page: str, anchor: str, title: str) -> None:
        with self._lock:
            last = self._read("SELECT page, anchor FROM history ORDER BY id DESC LIMIT 1")
            if last and last[0]["page"] == page and last[0]["anchor"] == (anchor or ""):
                return
            self._write(
                "INSERT INTO history (page, anchor, title, visited) VALUES (?, ?, ?, ?)",
                (page, anchor or "", title, _now()),
            )
            self._write(
                "DELETE FROM history WHERE id <= (SELECT max(id) FROM history) - ?",
                (HISTORY_LIMIT,),
            )

    def history(self, limit: int = 100) -> list[Visit]:
        rows = self._read("SELECT * FROM history ORDER BY id DESC LIMIT ?", (limit,))
        return [Visit(**dict(r)) for r in rows]

    def clear_history(self) -> None:
        self._write("DELETE FROM history")

    # -- recent searches -------------------------------------------------------------------
    def add_search(self, query: str) -> None:
        query = _clean(" ".join(query.split())[:200])
        if not query:
            return
        self._write(
            "INSERT INTO searches (query, used) VALUES (?, ?) "
            "ON CONFLICT (query) DO UPDATE SET used = excluded.used",
            (query, _now()),
        )
        self._write(
            "DELETE FROM searches WHERE query NOT IN "
            "(SELECT query FROM searches ORDER BY used DESC LIMIT ?)",
            (RECENT_LIMIT,),
        )

    def recent_searches(self) -> list[str]:
        return [r["query"] for r in self._read("SELECT query FROM searches ORDER BY used DESC")]

    def clear_searches(self) -> None:
        self._write("DELETE FROM searches")

    # -- settings ------------------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0]["value"])
        except ValueError:
            return default  # a bad value never stops the app: fall back to the default

    def set(self, key: str, value: Any) -> None:
        self._write(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
