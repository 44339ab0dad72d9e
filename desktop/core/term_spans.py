"""Where the words of a search occur in a page's text: whole words and their stems, never inside words.

Search finds "refractory" for "refractoriness" through stems; the page that opens marks the same words,
so the rule is the index's own: a text word matches a search word when their Porter stems are equal
(case-insensitive). "len" marks "LEN" and "Len-" but not "LenRef"; "mutations" marks "mutation".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .search import stem_word

WORD_RE = re.compile(r"[^\W_]+")  # the index's tokenizer splits on the same boundaries
MAX_SPANS = 2000  # enough to mark any page; bounds the work on a hostile one


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return stem_word(word)


def search_stems(terms: Iterable[str]) -> frozenset[str]:
    """The stems of every word in ``terms`` (phrases are split into words; one-letter words and
    stop words dropped, as the index drops them)."""
    stems = {_stem(w) for term in terms for w in WORD_RE.findall(term) if len(w) >= 2}
    return frozenset(stems - {""})


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each whole word in ``text`` whose stem is a stem of ``terms``, in order."""
    stems = search_stems(terms)
    if not stems:
        return []
    spans = []
    for m in WORD_RE.finditer(text):
        if _stem(m.group()) in stems:
            spans.append((m.start(), m.end()))
            if len(spans) >= MAX_SPANS:
                break
    return spans
