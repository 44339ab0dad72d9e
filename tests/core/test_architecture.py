"""Architecture rules: core never loads Qt; only core/search.py imports Whoosh."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import desktop
import desktop.core

CORE = Path(desktop.core.__file__).parent


def test_core_modules_do_not_load_pyside6():
    names = [f"desktop.core.{m.name}" for m in pkgutil.iter_modules([str(CORE)])]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
        "print(len(%r))\n" % names
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_only_search_module_imports_whoosh():
    offenders = []
    for path in Path(desktop.__file__).parent.rglob("*.py"):
        text = path.read_text("utf-8")
        if ("import whoosh" in text or "from whoosh" in text) and path.name != "search.py":
            offenders.append(str(path))
    assert offenders == []
