"""The CLI on hostile consoles, as a real process: any encoding, bad bytes, a full or missing stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lenref(built: Path, *args: str, encoding: str = "utf-8", stdout=subprocess.PIPE):
    env = dict(
        os.environ,
        LENREF_DATA_DIR=str(built),
        LENREF_CONTENT_DIR=str(ROOT / "tests/fixtures/good"),
        PYTHONIOENCODING=encoding,
    )
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
    )


COMMANDS = [
    ("search", "cereblon"),
    ("search", "cereblon", "--json"),
    ("pages",),
    ("page", "intro", "--text"),
    ("trials",),
    ("trials", "--json"),
    ("trial", "example-1"),
]


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_prints_on_a_non_utf8_console(built_fixture, encoding, args):
    proc = lenref(built_fixture, *args, encoding=encoding)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr and proc.stdout
    if "--json" in args:
        json.loads(proc.stdout.decode("ascii"))  # escaped, so valid even in ascii


def test_invalid_bytes_in_arguments_give_one_line_and_valid_json(built_fixture):
    proc = lenref(built_fixture, "page", "\udcff")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = lenref(built_fixture, "search", "\udcff", "--json")
    assert proc.returncode == 0
    json.loads(proc.stdout.decode("utf-8"))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_unwritable_stdout_is_one_line_on_stderr(built_fixture):
    with open("/dev/full", "wb") as full:
        proc = lenref(built_fixture, "search", "cereblon", stdout=full)
    assert proc.returncode == 1
    lines = proc.stderr.decode().strip().splitlines()
    assert lines == ["lenref: cannot write the output: No space left on device"], lines


def test_windowed_build_without_streams_does_not_crash(built_fixture, monkeypatch):
    """In the windowed Windows build sys.stdout and sys.stderr are None."""
    from desktop.cli import main

    monkeypatch.setenv("LENREF_DATA_DIR", str(built_fixture))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(ROOT / "tests/fixtures/good"))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["search", "cereblon"]) == 0
    assert main(["page", "no-such-page"]) == 1


def test_unknown_class_and_bad_limit_are_usage_errors(built_fixture):
    assert lenref(built_fixture, "trials", "--class", "nope").returncode == 2
    assert lenref(built_fixture, "search", "x", "--limit", "0").returncode == 2
