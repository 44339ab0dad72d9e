"""What a search query means, decided in one place: parse → expand → correct → a typed ``Query``.

- **parse**: the user's text becomes words and quoted phrases (never a syntax error, whatever the
  input), and whether the last word is still being typed (then it is also matched as a prefix).
- **expand**: the glossary adds what the words stand for ("dara" → daratumumab, "PVd" →
  pomalidomide, bortezomib, dexamethasone) and the abbreviation of a spelled-out phrase
  ("cytokine release syndrome" → CRS).
- **correct**: words the index does not know get a did-you-mean ("cerebon" → cereblon), and the
  ``Query`` carries the corrected query that is run instead when the original finds nothing.

Every value here is frozen; a step returns a new value instead of changing its input. Nothing
here imports Whoosh: ``search.SearchEngine`` turns a ``Query`` into Whoosh query objects and also
provides the word list that ``correct`` asks (the ``Speller`` protocol).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from .model import GlossaryEntry

MAX_QUERY_CHARS = 300
MAX_WORDS = 12
WORD_RE = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)  # as Whoosh's RegexTokenizer
# Joining words that glossary forms and queries may or may not spell out.
_STOP = frozenset({"and", "or", "of", "the", "with", "plus", "in", "a", "an", "to"})


# -- values ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParsedQuery:
    """The user's words and quoted phrases, casefolded, at most ``MAX_WORDS`` of each."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    last_is_prefix: bool = False  # the last word is still being typed


@dataclass(frozen=True)
class Expansion:
    """Alternative forms of a query word, from the glossary."""

    forms: tuple[tuple[str, ...], ...]  # each alternative is a sequence of words (all must match)
    label: str  # shown in "also searched", e.g. "dara → daratumumab"


@dataclass(frozen=True)
class QueryWord:
    """One word to search: its own stem, plus typed-prefix completions and glossary forms."""

    text: str
    prefix: bool = False  # also match the indexed words that start with ``text``
    expansion: Expansion | None = None


@dataclass(frozen=True)
class Query:
    """What a query text means. ``search.SearchEngine.build`` turns it into Whoosh objects.

    ``words`` start with abbreviations derived from spelled-out phrases, then the typed words in
    order; a section matching more of them ranks higher. ``fallback`` is the query to run instead
    when this one finds nothing (the did-you-mean correction), or None.
    """

    text: str
    words: tuple[QueryWord, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    also_searched: tuple[str, ...] = ()
    did_you_mean: str | None = None
    fallback: Query | None = None

    @property
    def empty(self) -> bool:
        """Nothing to search for (no words, no phrases): the result is no hits."""
        return not self.words and not self.phrases

    @property
    def terms(self) -> tuple[str, ...]:
        """The words to highlight in an opened page."""
        return tuple(w.text for w in self.words) + tuple(w for p in self.phrases for w in p)


@dataclass(frozen=True)
class Thesaurus:
    """The glossary as the query steps use it (built once per library)."""

    expansions: Mapping[str, Expansion]  # one-word form → the other forms of its entry
    phrases: Mapping[tuple[str, ...], str]  # spelled-out form → the entry's one-word term
    # A phrase's first word → its (position, phrase, term): a query checks only the phrases that
    # start with one of its words (a scan of all of them was a tenth of a typical search).
    _starts: Mapping[str, tuple[tuple[int, tuple[str, ...], str], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        starts: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for i, (phrase, term) in enumerate(self.phrases.items()):
            starts.setdefault(phrase[0], []).append((i, phrase, term))
        object.__setattr__(self, "_starts", {w: tuple(v) for w, v in starts.items()})

    @classmethod
    def from_glossary(cls, glossary: Iterable[GlossaryEntry]) -> Thesaurus:
        entries = list(glossary)
        return cls(expansions=_expansions(entries), phrases=_phrases(entries))

    def knows(self, word: str) -> bool:
        return word in self.expansions

    def phrases_starting_with(self, words: Iterable[str]) -> list[tuple[tuple[str, ...], str]]:
        """(phrase, term) for the phrases whose first word is among ``words``, in glossary order."""
        found = sorted(entry for w in set(words) for entry in self._starts.get(w, ()))
        return [(phrase, term) for _, phrase, term in found]


class Speller(Protocol):
    """The index's word list, as ``correct`` needs it (``search.SearchEngine`` provides it)."""

    def known(self, word: str) -> bool: ...

    def has_prefix(self, word: str) -> bool: ...

    def correct(self, word: str) -> str | None: ...


# -- the pipeline -----------------------------------------------------------------------------
def interpret(text: str, thesaurus: Thesaurus, speller: Speller, typing: bool = True) -> Query:
    """The meaning of ``text``: parse, expand, correct. Never raises for any text.

    ``typing``: the text is being typed, so its last word is also matched as a prefix.
    """
    return correct(expand(text, parse(text, typing), thesaurus), thesaurus, speller)


def normalise(text: str) -> str:
    """NFKC, control characters removed, whitespace folded, capped in length."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 4])
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def parse(text: str, typing: bool = True) -> ParsedQuery:
    """Split into quoted phrases and words; an unbalanced quote is ignored."""
    raw = normalise(text)
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    chunks = raw.split('"')
    for i, chunk in enumerate(chunks):
        found = [w.casefold() for w in WORD_RE.findall(chunk)]
        closed = i % 2 == 1 and i < len(chunks) - 1
        if closed and len(found) > 1:
            phrases.append(tuple(found[:MAX_WORDS]))
        else:
            words.extend(found)
    words = words[:MAX_WORDS]
    # The last word is a prefix while typing, unless the text ends with a space or a quote.
    last_is_prefix = bool(
        typing
        and words
        and text
        and not text[-1].isspace()
        and not raw.endswith('"')
        and raw.casefold().endswith(words[-1])
    )
    return ParsedQuery(tuple(words), tuple(phrases), last_is_prefix)


def expand(text: str, parsed: ParsedQuery, thesaurus: Thesaurus) -> Query:
    """``parsed`` with glossary expansions, and the abbreviations of spelled-out phrases.

    An abbreviation found this way ("cytokine release syndrome" → crs) is searched as it is, not
    expanded again into the phrase the query already spells out.
    """
    abbreviations = _abbreviations(parsed.words, thesaurus)
    last = len(parsed.words) - 1
    typed = tuple(
        QueryWord(
            word,
            prefix=parsed.last_is_prefix and i == last,
            expansion=thesaurus.expansions.get(word),
        )
        for i, word in enumerate(parsed.words)
    )
    also = [f"{' '.join(phrase)} → {term}" for term, phrase in abbreviations.items()]
    also += [w.expansion.label for w in typed if w.expansion]
    # Abbreviations go in front, so that the last typed word keeps its prefix matching.
    return Query(
        text=text,
        words=tuple(QueryWord(term) for term in abbreviations) + typed,
        phrases=parsed.phrases,
        also_searched=tuple(also),
    )


def correct(query: Query, thesaurus: Thesaurus, speller: Speller) -> Query:
    """``query`` with a did-you-mean when some word is unknown and has a close indexed word.

    The corrected text is interpreted as finished (no prefix) and not corrected again; it becomes
    ``fallback``, the query run when ``query`` finds nothing.
    """
    suggestion = _did_you_mean(query, thesaurus, speller)
    if suggestion is None:
        return query
    fallback = expand(suggestion, parse(suggestion, typing=False), thesaurus)
    return replace(query, did_you_mean=suggestion, fallback=fallback)


# -- the steps' details ---------------------------------------------------------------------
def _did_you_mean(query: Query, thesaurus: Thesaurus, speller: Speller) -> str | None:
    """The query text with unknown words corrected, or None when no word changes."""
    words: list[str] = []
    changed = False
    for word in query.words:
        text = word.text
        if (
            speller.known(text)
            or thesaurus.knows(text)
            or (word.prefix and speller.has_prefix(text))
        ):
            words.append(text)
            continue
        fix = speller.correct(text)
        changed = changed or bool(fix and fix != text)
        words.append(fix or text)
    if not changed:
        return None
    phrases = " ".join(f'"{" ".join(p)}"' for p in query.phrases)
    return " ".join(words) + (f" {phrases}" if phrases else "")


def _abbreviations(words: tuple[str, ...], thesaurus: Thesaurus) -> dict[str, tuple[str, ...]]:
    """Glossary terms whose spelled-out form the query contains: term → the phrase found."""
    content = _content_words(words)
    found: dict[str, tuple[str, ...]] = {}
    for phrase, term in thesaurus.phrases_starting_with(content):
        n = len(phrase)
        if term in words or term in found or n > len(content):
            continue
        if any(tuple(content[i : i + n]) == phrase for i in range(len(content) - n + 1)):
            found[term] = phrase
    return found


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"[^\W_]+", text)]


def _content_words(words: Iterable[str]) -> list[str]:
    """``words`` without the joining words that glossary forms and queries may or may not spell out."""
    return [w for w in words if w not in _STOP]


def _expansions(glossary: list[GlossaryEntry]) -> dict[str, Expansion]:
    """Map every single-word glossary form to the other forms of its entry (or entries)."""
    alternatives: dict[str, list[tuple[str, ...]]] = {}
    for entry in glossary:
        forms: list[tuple[str, ...]] = []
        for form in [entry.term, *entry.aliases, entry.expansion or ""]:
            w = tuple(_content_words(_words(form)))
            if w and w not in forms:
                forms.append(w)
        for form in [entry.term, *entry.aliases]:
            w = tuple(_content_words(_words(form)))
            if len(w) != 1:
                continue
            bucket = alternatives.setdefault(w[0], [])
            bucket += [f for f in forms if f != w and f not in bucket]
    expansions: dict[str, Expansion] = {}
    for key, forms in alternatives.items():
        if forms:
            label = ", ".join(" ".join(f) for f in forms[:4])
            expansions[key] = Expansion(forms=((key,), *forms), label=f"{key} → {label}")
    return expansions


def _phrases(glossary: list[GlossaryEntry]) -> dict[tuple[str, ...], str]:
    """Multi-word glossary forms → the entry's one-word term ("cytokine release syndrome" → crs)."""
    phrases: dict[tuple[str, ...], str] = {}
    for entry in glossary:
        term = _words(entry.term)
        if len(term) != 1:
            continue
        for form in [entry.expansion or "", *entry.aliases]:
            words = tuple(_content_words(_words(form)))
            # Spelled-out names only ("cytokine release syndrome"), not short variants ("D-Pd").
            if len(words) >= 2 and max(len(w) for w in words) >= 4:
                phrases.setdefault(words, term[0])
    return phrases
