"""Editorial residue: words about our own fact-checking that must never reach a reader.

A reader wants the finding, or a plain statement of what a publication did not report, never the
state of LenRef's checking ("not verified in the stored copy", "see NOTES.md"). This is the one list
of such phrases; the content reader reports each occurrence as a build error at its file and line.
Process notes belong in YAML comments (skipped here) or commit messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

RESIDUE_PHRASES = (
    r"stored cop(?:y|ies)",
    r"(?:not|no|un)\s*(?:yet\s+)?verified",
    r"could not be (?:checked|confirmed|verified|matched|read)",
    r"cannot be (?:checked|confirmed|verified)",
    r"for this edition",
    r"editorial note",
    r"notes\.md",
    r"check/c\d",
    r"agent-out",
    r"to be completed",
    r"lenref (?:does|has) not yet",
    r"not yet (?:reproduced|summari[sz]ed|entered|shown in lenref)",
    r"(?:is|are) not entered in lenref",
    r"fact-check",
)
RESIDUE_RE = re.compile(r"\b(?:" + "|".join(RESIDUE_PHRASES) + r")", re.IGNORECASE)
HINT = (
    "say what the publication found or did not report; keep notes about checking in a YAML "
    "comment or the commit message"
)


def _visible(line: str, yaml: bool) -> str:
    """The part of a line a reader can see: a YAML comment is not."""
    if not yaml:
        return line
    if line.lstrip().startswith("#"):
        return ""
    return re.split(r"\s#", line, maxsplit=1)[0]


def find_residue(text: str, yaml: bool = False) -> Iterator[tuple[int, str]]:
    """Yield (1-based line, phrase) for every residue phrase outside YAML comments."""
    for number, line in enumerate(text.splitlines(), 1):
        for m in RESIDUE_RE.finditer(_visible(line, yaml)):
            yield number, m.group(0)
