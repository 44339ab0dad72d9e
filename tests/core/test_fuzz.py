"""Fuzzing: any query text and any damage to content files give answers or clean reports, never a crash."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.build import build, compile_content

SYNTAX = [
    '"',
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "*",
    "?",
    "title:",
    "body:",
    "~",
    "~2",
    "^",
    "^3",
    "-",
    "+",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "/",
    ":",
    "TO",
    "'",
    "\u202e",
    "\u200f",
    "\x00",
    "\x1b[31m",
    "🧬",
    "💊",
    "ﷺ",
    "ك",
    "\ufeff",
    "\r\n",
    "\t",
]
QUERY_BOUND_S = 1.0  # generous: typical queries take a few ms

query_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(min_size=1, max_size=8)), max_size=12).map(
        " ".join
    ),
    st.text(min_size=2000, max_size=10_000),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Mn"]), max_size=50),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=query_text, typing=st.booleans(), part=st.sampled_from([None, "resistance", "nonsense"])
)
def test_search_never_raises_and_answers_quickly(fixture_library, text, typing, part):
    started = time.perf_counter()
    result = fixture_library.search(text, part=part, typing=typing)
    assert time.perf_counter() - started < QUERY_BOUND_S
    assert isinstance(result.hits, tuple)
    for hit in result.hits:
        ends = [0] + [e for h in hit.highlights for e in (h.start, h.end)] + [len(hit.snippet)]
        assert ends == sorted(ends) and all(h.start < h.end for h in hit.highlights)


@settings(max_examples=200, deadline=None)
@given(prefix=st.text(max_size=30))
def test_suggest_never_raises(fixture_library, prefix):
    assert isinstance(fixture_library.suggest(prefix), list)


FILES = [
    "pages/background/intro.md",
    "pages/resistance/crbn-loss.md",
    "pages/strategies/pvd-page.md",
    "references.yaml",
    "glossary.yaml",
    "trials.yaml",
]


def corrupt(data: bytes, how: str, where: float, byte: int) -> bytes:
    cut = int(len(data) * where)
    if how == "truncate":
        return data[:cut]
    if how == "flip":
        return data[:cut] + bytes([byte]) + data[cut + 1 :]
    if how == "invalid-utf8":
        return data[:cut] + b"\xff\xfe\xc3" + data[cut:]
    if how == "double-front-matter":
        if data.startswith(b"---"):
            end = data.find(b"\n---", 3)
            block = data[: end + 4] if end > 0 else data
            return block + b"\n" + data  # the whole front-matter block twice
        return b"---\nx: [\n---\n" + data
    if how == "empty":
        return b""
    return data[:cut] + data[cut:][::-1]  # "reverse": scrambled tail


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(FILES),
    how=st.sampled_from(
        ["truncate", "flip", "invalid-utf8", "double-front-matter", "empty", "reverse"]
    ),
    where=st.floats(0, 1),
    byte=st.integers(0, 255),
)
def test_corrupted_content_gives_a_clean_report(good_content, name, how, where, byte):
    path = good_content / name
    original = path.read_bytes()
    path.write_bytes(corrupt(original, how, where, byte))
    try:
        _, _, problems = compile_content(good_content)  # must not raise
        for p in problems:
            assert p.file and p.line >= 1 and p.message
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize("how", ["truncate", "invalid-utf8", "double-front-matter", "empty"])
def test_corrupted_content_keeps_previous_build(good_content, tmp_path, how):
    out = tmp_path / "data"
    assert build(good_content, out).written
    before = (out / "reference.db").read_bytes()
    page = good_content / "pages/resistance/crbn-loss.md"
    page.write_bytes(corrupt(page.read_bytes(), how, 0.5, 0))
    report = build(good_content, out)
    assert not report.ok and not report.written
    assert all(p.line >= 1 for p in report.errors)
    assert (out / "reference.db").read_bytes() == before
