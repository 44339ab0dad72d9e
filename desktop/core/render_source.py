"""Rendering, step one: the page's source lines → Markdown lines with line markers, macros resolved.

Python-Markdown keeps no source positions, so this preprocessor ends every body line that holds text
with a marker ``STX lenref-line:N ETX`` (``lenref-gen:N`` for lines a table macro on line N
generated). Markdown strips STX/ETX from the input (``normalize_whitespace`` runs first), so a page
cannot forge a marker; ``render_lines`` reads the markers back out of the tree and removes them.
Markers go where they do not change how Markdown reads the line: before trailing white space (a
hard break stays one), before a table row's closing ``|``, before a trailing ``{: attr list}`` or
closing ``#``s; lines of pure markup (rules, setext underlines, table rules) and reference
definitions get none.

The macros are resolved here, where lines are still lines: ``{{mechanism-map}}`` and
``{{evidence-table:…}}`` become the Markdown tables they stand for, and each
``{{trial:ID[@cut].field}}`` becomes a figure marker (its text is stashed, so Markdown never reads
it as syntax) followed, for the first figure from each source in a block, by a citation marker
that the citation processor numbers like ``[@key, locator]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import ReferenceProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import ETX, STX

from .evidence_table import TABLE_RE, expand_evidence_tables
from .model import MacroFinding, Trial
from .trialfmt import MACRO_RE, MacroFigure, TrialFieldError, figure

MAP_MACRO = "{{mechanism-map}}"
# The STX is optional when reading markers back: Python-Markdown 3.11's emphasis processor can
# drop the character after an unbalanced run ("*a**x*Z" loses the Z). The ETX is enough to know a
# marker is ours: Markdown strips STX and ETX from the page text before this runs.
MARK_RE = re.compile(STX + r"?lenref-(line|gen|fig|cite):(\d+)" + ETX)
FIGURE_MARK = STX + "lenref-fig:{}" + ETX
CITE_MARK = STX + "lenref-cite:{}" + ETX
_OTHER_BRACES = re.compile(r"\{\{[^{}\n\x02\x03]*\}\}")  # not around a figure marker
_MARKUP_ONLY = re.compile(r"[\s\-*_=+#>|:]*")
_TABLE_RULE = re.compile(r"\|?[\s:|-]+\|?")
_TRAILING_ATTRS = re.compile(r"\s*\{[:#.][^}\n]*\}$")
_CLOSING_HASHES = re.compile(r"\s+#+$")


@dataclass
class SourceState:
    """What the preprocessor hands on to the inline processors and the checks (reset per page)."""

    figures: list[str] = field(default_factory=list)  # stashed figure texts, by marker number
    macro_cites: list[tuple[str, str]] = field(default_factory=list)  # (key, locator) by number
    macros: list[MacroFinding] = field(default_factory=list)
    trials: list[str] = field(default_factory=list)  # trial ids used, in order of first use


def is_table_macro(line: str) -> bool:
    """The generated-table macros: the mechanism map and the evidence tables."""
    return MAP_MACRO in line or TABLE_RE.search(line) is not None


def with_marker(line: str, mark: str) -> str:
    """``line`` with ``mark`` where it does not change how Markdown reads the line."""
    if not line.strip() or _MARKUP_ONLY.fullmatch(line) or ReferenceProcessor.RE.match(line):
        return line
    body = line.rstrip()
    trail = line[len(body) :]
    stripped = body.lstrip()
    if stripped.startswith("|") or body.endswith("|"):
        if _TABLE_RULE.fullmatch(stripped):
            return line
        if body.endswith("|") and not body.endswith("\\|"):
            cell = body[:-1].rstrip()  # the tables extension strips cells; keep the marker inside
            return cell + mark + body[len(cell) :] + trail
    end = _TRAILING_ATTRS.search(body)
    if end is None and stripped.startswith("#"):
        end = _CLOSING_HASHES.search(body)
    cut = end.start() if end else len(body)
    return body[:cut] + mark + body[cut:] + trail


def _explicit_cuts(block: list[str], trials: dict[str, Trial]) -> set[tuple[str, str]]:
    """(trial, analysis) pairs whose caption the block prints itself with ``….analysis``."""
    out = set()
    for line in block:
        for m in MACRO_RE.finditer(line):
            trial = trials.get(m.group(1))
            if trial is not None and m.group(3) == "analysis":
                cut = trial.analysis(m.group(2))
                if cut is not None:
                    out.add((trial.id, cut.key))
    return out


def _cite_of(fig: MacroFigure) -> tuple[str, str]:
    # As the citation syntax would carry it: ';' and ']' cannot appear in a written locator.
    return fig.source, fig.locator.replace(";", ",").replace("]", ")").strip()


class SourcePreprocessor(Preprocessor):
    """Line markers, table macros and trial macros (see the module docstring)."""

    def __init__(self, md: Markdown, ext: Any) -> None:
        super().__init__(md)
        self.ext = ext  # the LenRefExtension: trials, refs, the map, and this page's SourceState

    @property
    def state(self) -> SourceState:
        return self.ext.source

    def run(self, lines: list[str]) -> list[str]:
        expanded: list[tuple[str, int, bool]] = []  # (text, source line, generated)
        for i, line in enumerate(lines):
            if "{{" in line and not MACRO_RE.search(line) and not is_table_macro(line):
                self.state.macros.append(MacroFinding(i, line.strip(), error="malformed"))
            text = line.replace(MAP_MACRO, self.ext.mechanism_map) if MAP_MACRO in line else line
            text = expand_evidence_tables(text, self.ext.trials.values())
            generated = text != line
            expanded += [(t, i, generated) for t in text.split("\n")]
        out: list[str] = []
        for block in _blocks(expanded):
            out += self._expand_block(block)
        return out

    def _expand_block(self, block: list[tuple[str, int, bool]]) -> list[str]:
        """Within one block the first figure of each data cut names that cut (unless the block
        prints it with ``….analysis``), and the first figure from each source is cited."""
        named = _explicit_cuts([t for t, _, _ in block], self.ext.trials)
        cited: set[str] = set()
        out = []
        for text, line, generated in block:

            def sub(m: re.Match[str], line: int = line, generated: bool = generated) -> str:
                return self._figure(m, line, generated, named, cited)

            text = MACRO_RE.sub(sub, text)
            text = _OTHER_BRACES.sub(lambda m: self._stash(m.group(0)), text)
            kind = "gen" if generated else "line"
            out.append(with_marker(text, f"{STX}lenref-{kind}:{line}{ETX}"))
        return out

    def _stash(self, text: str) -> str:
        self.state.figures.append(text)
        return FIGURE_MARK.format(len(self.state.figures) - 1)

    def _figure(
        self,
        m: re.Match[str],
        line: int,
        generated: bool,
        named: set[tuple[str, str]],
        cited: set[str],
    ) -> str:
        trial = self.ext.trials.get(m.group(1))
        if trial is None:
            if not generated:
                self.state.macros.append(MacroFinding(line, m.group(0), m.group(1), "unknown"))
            return self._stash(f"[unknown trial {m.group(1)}]")
        try:
            fig = figure(trial, m.group(2), m.group(3))
        except TrialFieldError as exc:
            if not generated:
                self.state.macros.append(MacroFinding(line, m.group(0), trial.id, str(exc)))
            return self._stash(f"[no figure: {trial.name} {m.group(3)}]")
        if not generated:
            self.state.macros.append(MacroFinding(line, m.group(0), trial.id, source=fig.source))
        if trial.id not in self.state.trials:
            self.state.trials.append(trial.id)
        text = fig.text
        if fig.analysis is not None and (trial.id, fig.analysis.key) not in named:
            named.add((trial.id, fig.analysis.key))
            text = fig.captioned()
        out = self._stash(text)
        if fig.source in self.ext.refs and fig.source not in cited and m.group(3) != "name":
            cited.add(fig.source)
            self.state.macro_cites.append(_cite_of(fig))
            out += CITE_MARK.format(len(self.state.macro_cites) - 1)
        return out


def _blocks(lines: list[tuple[str, int, bool]]) -> list[list[tuple[str, int, bool]]]:
    """Paragraphs, list items and table rows as trial macros see them: a blank line ends a block,
    a line starting with ``|`` starts one."""
    blocks: list[list[tuple[str, int, bool]]] = [[]]
    for item in lines:
        text = item[0]
        if not text.strip() or text.startswith("|"):
            blocks.append([])
        blocks[-1].append(item)
    return [b for b in blocks if b]
