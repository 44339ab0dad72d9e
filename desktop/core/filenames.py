"""File names LenRef suggests (PDF exports) that are valid on Windows, macOS and Linux."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Windows reserves these device names with any extension ("CON.pdf", "nul.tar.gz" cannot be
# created), including COM0/LPT0 and the superscript digits ¹²³ (Microsoft's "Naming Files" page).
_PORTS = [*"0123456789", "\u00b9", "\u00b2", "\u00b3"]
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in _PORTS)}


def safe_filename(name: str, limit: int = 120) -> str:
    """``name`` without characters Windows forbids (``:`` becomes `` -``), no trailing dots or
    spaces, not a reserved device name, at most ``limit`` characters; never empty."""
    text = re.sub(r"\s+", " ", name).replace(":", " -")
    text = _FORBIDDEN.sub("-", text).strip()[:limit].rstrip(". ")
    if not text:
        return "LenRef"
    # Windows ignores spaces before the extension when it matches device names ("CON .pdf").
    if text.split(".")[0].rstrip(" ").upper() in _RESERVED:
        text = f"_{text}"
    return text
