"""Content that would hang or explode the build is refused with its file, line and a hint."""

from __future__ import annotations

import os
import time

import pytest

from desktop.core.build import compile_content


def errors(root):
    _, _, problems = compile_content(root)
    return [p for p in problems if p.severity == "error"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_page_is_refused_without_hanging(good_content):
    os.mkfifo(good_content / "pages/background/x.md")
    started = time.monotonic()
    found = errors(good_content)
    assert time.monotonic() - started < 30
    assert any(
        p.file == "pages/background/x.md" and "not a regular file" in p.message for p in found
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_page_linked_to_a_device_or_outside_the_folder_is_refused(good_content):
    (good_content / "pages/background/zero.md").symlink_to("/dev/zero")
    (good_content / "images/secret.svg").symlink_to("/etc/hostname")
    found = errors(good_content)
    assert any(
        p.file == "pages/background/zero.md" and "outside the content folder" in p.message
        for p in found
    )
    assert any(p.file == "images/secret.svg" and "image refused" in p.message for p in found)


def test_an_oversized_page_is_refused(good_content):
    (good_content / "pages/background/big.md").write_bytes(b"x" * 2_000_001)
    found = errors(good_content)
    assert any(
        p.file == "pages/background/big.md" and "more than the 2 MB" in p.message for p in found
    )


def test_yaml_alias_bomb_is_refused_quickly(good_content):
    bomb = ['- &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        bomb.append(f"- &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    (good_content / "glossary.yaml").write_text("\n".join(bomb) + "\n", "utf-8")
    started = time.monotonic()
    found = errors(good_content)
    assert time.monotonic() - started < 30
    assert any(p.file == "glossary.yaml" and "aliases" in p.message and p.line == 2 for p in found)


def test_deep_nesting_is_refused_quickly(good_content):
    (good_content / "trials.yaml").write_text("[" * 50000, "utf-8")
    started = time.monotonic()
    found = errors(good_content)
    assert time.monotonic() - started < 30
    assert any(p.file == "trials.yaml" and "nesting deeper" in p.message for p in found)


def test_hidden_files_such_as_macos_resource_forks_are_ignored(good_content):
    (good_content / "pages/background/._intro.md").write_bytes(b"\x00\x05\x16\x07 not text")
    assert errors(good_content) == []


def _append_to_intro(root, text: str) -> int:
    """Appends ``text`` to the fixture's intro page; returns the line number its first line gets."""
    page = root / "pages/background/intro.md"
    before = page.read_text("utf-8")
    page.write_text(before + text, "utf-8")
    return before.count("\n") + 1


def test_a_page_with_thousands_of_headings_is_refused_at_the_first_one_too_many(good_content):
    """Qt's HTML import is quadratic in anchors: 10 000 headings froze the reader for minutes."""
    first = _append_to_intro(good_content, "".join(f"## S{i}\n\nText.\n\n" for i in range(10_000)))
    found = [p for p in errors(good_content) if p.file == "pages/background/intro.md"]
    heading = next(p for p in found if "headings on one page" in p.message)
    assert "split" in heading.hint
    # the fixture page has one heading of its own, so the 100th appended one is the 101st
    assert heading.line == first + 99 * 4


def test_a_page_over_the_size_limit_is_refused(good_content):
    _append_to_intro(good_content, "Lenalidomide text. " * 12_000)
    found = [p for p in errors(good_content) if p.file == "pages/background/intro.md"]
    assert any("kB allowed" in p.message for p in found)


def test_a_long_page_within_the_limits_builds(good_content):
    _append_to_intro(good_content, "".join(f"## S{i}\n\nText {i}.\n\n" for i in range(99)))
    found = errors(good_content)
    assert not [p for p in found if "headings on one page" in p.message or "allowed" in p.message]
