"""`lenref --self-test` prints plain ASCII: the frozen Windows app hands its pipes a cp1252 (or worse)
encoding, and a character the console cannot show must not turn the smoke test's line into '?'."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.gui
def test_self_test_output_is_ascii(built_fixture, tmp_path):
    env = dict(
        os.environ,
        LENREF_DATA_DIR=str(built_fixture),
        LENREF_CONTENT_DIR=str(ROOT / "tests" / "fixtures" / "good"),
        LENREF_USER_DIR=str(tmp_path),
        PYTHONIOENCODING="ascii",
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("PYTHONUTF8", None)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    line = proc.stdout.decode("ascii")  # raises on any non-ASCII byte
    assert line.startswith("self-test ok: start->first paint ") and "?" not in line, line
