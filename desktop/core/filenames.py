"""File names LenRef suggests (PDF exports) that are valid on Windows, macOS and Linux."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Windows reserves these names with any extension ("CON.pdf" cannot be created).
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))}
_RESERVED |= {f"LPT{i}" for i in range(1, 10)}


def safe_filename(name: str, limit: int = 120) -> str:
    """``name`` without characters Windows forbids (``:`` becomes `` -``), no trailing dots or
    spaces, not a reserved device name, at most ``limit`` characters; never empty."""
    text = re.sub(r"\s+", " ", name).replace(":", " -")
    text = _FORBIDDEN.sub("-", text).strip()[:limit].rstrip(". ")
    if not text:
        return "LenRef"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return text
