"""The app's name and version, from the installed package metadata (pyproject is the one source)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path


@lru_cache(maxsize=1)
def app_version() -> str:
    try:
        return version("lenref")
    except Exception:  # not installed (e.g. frozen without metadata): read pyproject if present
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"]
        except Exception:
            return "0+unknown"
