"""Build the single-file LenRef executable for this OS: ``python build/make.py``.

``--onedir`` builds the one-folder variant instead (``dist/onedir/lenref/``); ``--self-test`` runs
the result's ``--self-test``.

1. compiles content/ with --strict into desktop/data (a content error stops here);
2. runs PyInstaller on build/lenref.spec (work folder build/.work, output dist/);
3. prints the size of the result (and, with --self-test, runs it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def write_windows_version_info(path: Path) -> None:
    """PyInstaller version resource, so Windows shows name, version and publisher in Properties."""
    parts = [int(x) if x.isdigit() else 0 for x in version().split(".")[:3]] + [0]
    v = tuple((parts + [0, 0, 0, 0])[:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'LenRef'),
      StringStruct('FileDescription', 'LenRef - lenalidomide resistance in multiple myeloma'),
      StringStruct('FileVersion', '{version()}'),
      StringStruct('InternalName', 'lenref'),
      StringStruct('OriginalFilename', 'lenref.exe'),
      StringStruct('ProductName', 'LenRef'),
      StringStruct('ProductVersion', '{version()}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])]
)
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def artifact(onedir: bool = False) -> Path:
    """What PyInstaller made: the one-file executable, the .app, or the one-folder build's folder."""
    if sys.platform == "darwin":
        return ROOT / "dist" / "LenRef.app"
    if onedir:
        return ROOT / "dist" / "onedir" / "lenref"
    return ROOT / "dist" / ("lenref.exe" if sys.platform == "win32" else "lenref")


def executable(out: Path) -> Path:
    """The program inside ``out`` (an .app bundle or a one-folder build), or ``out`` itself."""
    if out.suffix == ".app":
        return out / "Contents" / "MacOS" / "lenref"
    if out.is_dir():
        return out / ("lenref.exe" if sys.platform == "win32" else "lenref")
    return out


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--self-test", action="store_true", help="run the built executable's --self-test"
    )
    ap.add_argument(
        "--onedir",
        action="store_true",
        help="build the one-folder variant into dist/onedir/lenref/ (Windows sites that block "
        "one-file unpacking); the .app on macOS is one-folder already",
    )
    args = ap.parse_args()
    onedir = args.onedir and sys.platform != "darwin"
    env = dict(os.environ)
    env.pop("LENREF_DATA_DIR", None)
    print("1/3 building content (strict)...", flush=True)
    code = subprocess.call(
        [sys.executable, "-m", "desktop", "build", "--strict"], cwd=ROOT, env=env
    )
    if code:
        print("content build failed: fix the problems above", file=sys.stderr)
        return code
    if sys.platform == "win32":
        write_windows_version_info(ROOT / "build" / ".work" / "version_info.txt")
    print("2/3 running PyInstaller...", flush=True)
    code = subprocess.call(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--workpath",
            str(ROOT / "build" / (".work-onedir" if onedir else ".work")),
            "--distpath",
            str(ROOT / "dist" / "onedir" if onedir else ROOT / "dist"),
            str(ROOT / "build" / "lenref.spec"),
        ],
        cwd=ROOT,
        env=dict(env, LENREF_ONEDIR="1" if onedir else "0"),
    )
    if code:
        return code
    out = artifact(onedir)
    print(f"3/3 built {out.relative_to(ROOT)}: {size_of(out) / 1e6:.1f} MB")
    if args.self_test:
        env["QT_QPA_PLATFORM"] = "offscreen"
        return subprocess.call([str(executable(out)), "--self-test"], env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
