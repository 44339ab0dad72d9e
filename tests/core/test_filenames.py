"""Suggested export names are valid Windows file names."""

from __future__ import annotations

import pytest

from desktop.core.filenames import safe_filename


@pytest.mark.parametrize(
    "title, expected",
    [
        (
            "LenRef - Definitions: LEN-exposed, LEN-refractory",
            "LenRef - Definitions - LEN-exposed, LEN-refractory",
        ),
        ('a<b>c"d/e\\f|g?h*i', "a-b-c-d-e-f-g-h-i"),
        ("trailing dots... ", "trailing dots"),
        ("CON", "_CON"),
        ("com1.report", "_com1.report"),
        ("   ", "LenRef"),
        ("tab\there\nnew", "tab here new"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("Aux", "_Aux"),
        ("PRN .report", "_PRN .report"),
        ("LPT9", "_LPT9"),
        ("com0", "_com0"),
        ("COM\u00b9", "_COM\u00b9"),
        ("LPT\u00b3.x", "_LPT\u00b3.x"),
        ("CONSOLE notes", "CONSOLE notes"),  # only the exact device names are reserved
        ("COM10", "COM10"),
        ("a. . .", "a"),
        ("...", "LenRef"),
        ("x" * 118 + " :y", "x" * 118),  # cut at the limit, then no trailing space
    ],
)
def test_windows_forbidden_names_are_made_safe(title, expected):
    assert safe_filename(title) == expected


def test_every_real_page_title_gives_a_valid_name():
    from pathlib import Path

    from desktop.core.content import read_content

    content = read_content(Path(__file__).resolve().parents[2] / "content")
    for page in content.pages:
        name = safe_filename(f"LenRef - {page.title}") + ".pdf"
        assert not set(name) & set('<>:"/\\|?*'), name
        assert not name[:-4].endswith((".", " ")), name
