"""Windows' rules on Linux: ``pytest --windows-rules`` fails where a Windows runner would.

With the option on, for the whole session:

- renaming, replacing or deleting a file that this process has open, or a folder holding one, raises
  ``PermissionError`` (Windows' "being used by another process"): ``os.rename``, ``os.replace``,
  ``os.unlink``/``os.remove`` and so everything built on them (``Path.rename``/``replace``/``unlink``,
  ``shutil.move``, ``shutil.rmtree``). Renaming onto an existing file raises ``FileExistsError``, as
  ``os.rename`` does on Windows (``os.replace`` overwrites, as there).
- ``signal.SIGKILL`` does not exist (``Popen.kill()`` still works, as it does on Windows);
- child processes get a cp1252 console (``PYTHONIOENCODING=cp1252``, no ``PYTHONUTF8``).

What counts as open is read from the kernel, not from wrapped functions: every regular file behind a
descriptor in ``/proc/self/fd`` and every file mapped in ``/proc/self/maps``. That covers
``builtins.open``/``io.open``, ``os.open``, SQLite's own opens of a database and its ``-wal``,
``-shm`` and ``-journal`` files while the connection lives, and Whoosh's memory-mapped segments (a
mapped file cannot be deleted on Windows either). Linux only: elsewhere the option is an error.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

PROC_FD = Path("/proc/self/fd")
PROC_MAPS = Path("/proc/self/maps")
CONSOLE_ENCODING = "cp1252"
_SIGKILL = getattr(signal, "SIGKILL", None)


# The real functions, taken when this module is imported (before any rule is installed).
_REAL: dict[str, Callable[..., Any]] = {n: getattr(os, n) for n in ("unlink", "rename", "replace")}


def open_files() -> set[str]:
    """Absolute paths of the regular files this process has open or mapped right now."""
    found: set[str] = set()
    for entry in os.listdir(PROC_FD):
        try:
            target = os.readlink(PROC_FD / entry)
            if target.startswith("/") and stat.S_ISREG(os.stat(PROC_FD / entry).st_mode):
                found.add(target)
        except OSError:
            continue  # closed meanwhile (the listdir's own descriptor, for one)
    with open(PROC_MAPS, encoding="utf-8", errors="replace") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and fields[4] != "0" and fields[5].startswith("/"):
                found.add(fields[5].rstrip("\n"))
    return {path for path in found if not path.endswith(" (deleted)")}


def _where(path: Any, dir_fd: int | None = None) -> str:
    """``path`` as the absolute name the kernel reports: its folder resolved, the name itself not
    (unlinking or renaming a symlink acts on the link)."""
    name = os.fsdecode(path)
    if dir_fd is not None and not os.path.isabs(name):
        name = os.path.join(os.readlink(PROC_FD / str(dir_fd)), name)
    name = os.path.abspath(name)
    return os.path.join(os.path.realpath(os.path.dirname(name)), os.path.basename(name))


def _in_use(where: str) -> str | None:
    """The open file that is ``where`` or lies inside it, if any."""
    inside = where.rstrip("/") + "/"
    return next((p for p in sorted(open_files()) if p == where or p.startswith(inside)), None)


def _refuse(where: str, action: str) -> None:
    busy = _in_use(where)
    if busy is not None:
        raise PermissionError(
            errno.EACCES,
            f"[windows rules] cannot {action}: the process cannot access the file because it is "
            f"being used by another process ({busy} is open)",
            where,
        )


def _unlink(path: Any, *, dir_fd: int | None = None) -> None:
    _refuse(_where(path, dir_fd), "delete")
    _REAL["unlink"](path, dir_fd=dir_fd)


def _mover(name: str) -> Callable[..., None]:
    """os.rename or os.replace with Windows' rules on the source and the destination."""

    def move(src: Any, dst: Any, *, src_dir_fd: int | None = None, dst_dir_fd: int | None = None):
        source, target = _where(src, src_dir_fd), _where(dst, dst_dir_fd)
        _refuse(source, name)
        if os.path.lexists(target) and os.path.realpath(source) != os.path.realpath(target):
            if name == "rename":
                raise FileExistsError(
                    errno.EEXIST, "[windows rules] cannot rename onto an existing file", target
                )
            if os.path.isdir(target):
                raise PermissionError(
                    errno.EACCES, "[windows rules] cannot replace a folder", target
                )
            _refuse(target, "replace")
        _REAL[name](src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    move.__name__ = name
    return move


def _portable_kill(self: subprocess.Popen) -> None:
    """Popen.kill() without signal.SIGKILL (it is TerminateProcess on Windows)."""
    self.send_signal(_SIGKILL)


class WindowsRules:
    """Install and remove the rules; usable as a context manager (the plugin's own tests do)."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def _set(self, owner: Any, name: str, value: Any) -> None:
        missing = object()
        old = getattr(owner, name, missing)
        if old is missing:
            self._undo.append(lambda: delattr(owner, name) if hasattr(owner, name) else None)
        else:
            self._undo.append(lambda: setattr(owner, name, old))
        setattr(owner, name, value)

    def install(self) -> None:
        if not PROC_FD.is_dir() or not PROC_MAPS.is_file():
            raise pytest.UsageError("--windows-rules needs Linux (/proc/self/fd and maps)")
        self._set(os, "unlink", _unlink)
        self._set(os, "remove", _unlink)
        self._set(os, "rename", _mover("rename"))
        self._set(os, "replace", _mover("replace"))
        if hasattr(signal, "SIGKILL"):
            self._set(subprocess.Popen, "kill", _portable_kill)
            self._undo.append(lambda: setattr(signal, "SIGKILL", _SIGKILL))
            delattr(signal, "SIGKILL")
        self._set_env("PYTHONIOENCODING", CONSOLE_ENCODING)
        self._set_env("PYTHONUTF8", None)

    def _set_env(self, key: str, value: str | None) -> None:
        old = os.environ.get(key)
        self._undo.append(
            lambda: os.environ.pop(key, None) if old is None else os.environ.update({key: old})
        )
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def __enter__(self) -> WindowsRules:
        self.install()
        return self

    def __exit__(self, *exc: object) -> None:
        self.uninstall()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--windows-rules",
        action="store_true",
        help="emulate Windows: open files cannot be renamed or deleted, no signal.SIGKILL, "
        "cp1252 console for child processes",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--windows-rules"):
        rules = WindowsRules()
        rules.install()
        config.add_cleanup(rules.uninstall)
        config.stash[_ON] = True


def pytest_report_header(config: pytest.Config) -> str | None:
    return "windows rules: on" if config.stash.get(_ON, False) else None


_ON = pytest.StashKey[bool]()
