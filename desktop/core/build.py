"""The content build: read → validate → render → write database and index, atomically.

The new build is written into a temporary sibling folder and renamed into place only when it is
complete, so a failed build (content errors, a full disk, a crash) never leaves a half-written
database or index and never replaces a good one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, db, search, trialcard
from .content import read_content
from .db import DB_NAME, INDEX_DIR, INDEX_STAMP
from .model import PART_TITLES, Content, HasProblems, PageSource, Problem, RenderedPage
from .render import PageRenderer, SeeAlso, mechanism_map_markdown
from .version import app_version


class BuildError(Exception):
    """The build could not write its output (disk full, permissions, a folder that is not ours);
    nothing was replaced. ``hint`` says what the user can do."""

    def __init__(
        self, message: str, hint: str = "free some disk space or check folder permissions"
    ):
        super().__init__(message)
        self.hint = hint


# Written into every build folder: only a folder carrying it (or holding nothing but a build's own
# files) is ever replaced, so "--out ~/Documents" can never delete someone's files.
BUILD_MARKER = ".lenref-build"
OWN_NAMES = frozenset(
    {BUILD_MARKER, DB_NAME, INDEX_DIR, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"}
)


OUT_HINT = "point --out (or LENREF_DATA_DIR) at an empty or new folder"


def _inside(a: Path, b: Path) -> bool:
    """Whether ``a`` is ``b`` or lies inside it (both resolved)."""
    return a == b or b in a.parents


def check_output_dir(out_dir: Path, content_dir: Path) -> None:
    """Refuse an output folder the build does not own (BuildError naming the folder).

    Allowed: a missing or empty folder, a folder with LenRef's build marker, or one holding only the
    files a build writes (older builds had no marker). Never the content folder or anything that
    contains it or lies inside it.
    """
    out, src = out_dir.resolve(), content_dir.resolve()
    if _inside(out, src) or _inside(src, out):
        raise BuildError(
            f"the output folder {out_dir} overlaps the content folder {content_dir}; "
            "choose an --out outside it",
            OUT_HINT,
        )
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise BuildError(f"{out_dir} is a file, not a folder", OUT_HINT)
    try:
        names = {entry.name for entry in out_dir.iterdir()}
    except OSError as exc:
        raise BuildError(f"cannot read the output folder {out_dir}: {exc.strerror or exc}") from exc
    if not names or BUILD_MARKER in names or names <= OWN_NAMES:
        return
    shown = ", ".join(sorted(names - OWN_NAMES)[:3])
    raise BuildError(
        f"{out_dir} is not a LenRef build folder (it holds {shown}…); nothing was changed in it",
        OUT_HINT,
    )


@dataclass
class BuildReport(HasProblems):
    problems: list[Problem] = field(default_factory=list)
    out_dir: Path | None = None
    written: bool = False
    pages: int = 0
    cards: int = 0  # generated trial cards, besides the pages
    sections: int = 0
    seconds: float = 0.0
    content_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def content_hash(root: Path) -> str:
    """SHA-256 over every content file's relative path and bytes (hidden files skipped)."""
    h = hashlib.sha256()
    root = Path(root)
    if not root.is_dir():
        return ""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        h.update(rel.encode("utf-8") + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<unreadable>")
        h.update(b"\0")
    return h.hexdigest()


def compile_content(
    root: Path, strict: bool = False
) -> tuple[Content, dict[str, RenderedPage], list[Problem]]:
    """Read, render and check; returns the problems sorted by file and line."""
    content = read_content(root)
    rendered: dict[str, RenderedPage] = {}
    problems = list(content.problems)
    map_md = mechanism_map_markdown(
        [
            (p.id, p.title, p.part, [(c.page, c.evidence, c.mechanism) for c in p.countered_by])
            for p in content.pages
        ]
    )
    see_also = _see_also(content.pages)
    renderer = PageRenderer(
        content.references, content.glossary, content.trials, map_md, content.images
    )
    for page in content.pages:
        try:
            rendered[page.id] = renderer.render(
                page.id, page.title, page.body, see_also.get(page.id)
            )
        except Exception as exc:  # a renderer bug must not hide the other problems
            problems.append(
                Problem(
                    page.path,
                    page.body_line,
                    "error",
                    f"page could not be rendered: {exc}",
                    "simplify the Markdown around this page and report the bug",
                )
            )
    content.pages = [p for p in content.pages if p.id in rendered]
    problems += checks.check(content, rendered)
    _add_trial_cards(content, rendered, renderer)
    if strict:
        problems = [
            Problem(p.file, p.line, "error", p.message + " [strict]", p.hint)
            if p.severity == "warning"
            else p
            for p in problems
        ]
    problems.sort(key=lambda p: (p.file, p.line, p.message))
    return content, rendered, problems


def _see_also(pages: list[PageSource]) -> dict[str, SeeAlso]:
    """Each page's "See also" links: the strategies that may overcome it (by page id, as the
    reader always listed them), the mechanisms it may bypass, its related pages."""
    titles = {p.id: p.title for p in pages}
    counters: dict[str, list[tuple[str, str, str]]] = {}
    for p in pages:
        for c in p.countered_by:
            counters.setdefault(c.page, []).append((p.id, titles.get(p.id, p.id), c.evidence))
    return {
        p.id: SeeAlso(
            countered_by=[
                (c.page, titles.get(c.page, c.page), c.evidence)
                for c in sorted(p.countered_by, key=lambda c: c.page)
            ],
            counters=counters.get(p.id, []),
            related=[(r, titles[r], "") for r in p.related if r in titles],
        )
        for p in pages
    }


def _add_trial_cards(
    content: Content, rendered: dict[str, RenderedPage], renderer: PageRenderer
) -> None:
    """Render one card page per trial record (after the page checks: cards are not hand-written)."""
    reviewed = _content_version(content)
    for i, trial in enumerate(content.trials.values()):
        card = trialcard.card_source(trial, content.references, i, reviewed)
        rendered[card.id] = renderer.render(card.id, card.title, card.body)
        content.pages.append(card)


def _section_docs(content: Content, rendered: dict[str, RenderedPage]) -> list[search.SectionDoc]:
    docs = []
    for page in content.pages:
        sections = rendered[page.id].sections
        if page.part == trialcard.PART:
            # A card is found by its trial (name, aliases, NCT, regimen, population), not by the
            # headings every card shares ("Eligibility", "Lenalidomide-refractory subgroup").
            sections = sections[:1]
        for i, section in enumerate(sections):
            docs.append(
                search.SectionDoc(
                    page=page.id,
                    anchor=section.anchor,
                    part=page.part,
                    position=i,
                    title=page.title,
                    heading=section.heading if section.anchor else page.title,
                    # Aliases and the bottom line describe the page: only its lead document has them.
                    aliases="" if section.anchor else " ".join(page.aliases),
                    body=section.text
                    if section.anchor
                    else f"{page.summary} {section.text} {_card_terms(content, page)}".strip(),
                )
            )
    return docs


def _card_terms(content: Content, page: PageSource) -> str:
    """What a trial card is searched by, beyond its title and bottom line."""
    if page.part != trialcard.PART:
        return ""
    trial = content.trials.get(page.id.removeprefix(trialcard.ID_PREFIX))
    if trial is None:
        return ""
    d = trial.data
    return " ".join(str(d.get(k) or "") for k in ("population", "experimental", "control", "nct"))


def build(
    content_dir: Path,
    out_dir: Path,
    strict: bool = False,
    log: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build ``content_dir`` into ``out_dir``. Content errors → report without writing anything."""
    started = time.perf_counter()
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    report = BuildReport(out_dir=out_dir)
    check_output_dir(out_dir, content_dir)
    content, rendered, report.problems = compile_content(content_dir, strict)
    report.pages = sum(p.part != trialcard.PART for p in content.pages)
    report.cards = len(content.pages) - report.pages
    report.sections = sum(len(r.sections) for r in rendered.values())
    if report.errors:
        report.seconds = time.perf_counter() - started
        return report
    report.content_hash = content_hash(content_dir)
    meta = {
        "content_hash": report.content_hash,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "app_version": app_version(),
        "content_version": _content_version(content),
        "pages": str(report.pages),
        "parts": json.dumps(PART_TITLES),
    }
    check_output_dir(out_dir, content_dir)  # again: the folder may have changed meanwhile
    tmp = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_build(tmp)
        tmp.mkdir(parents=True)
        _write_build(tmp, content, rendered, meta, report.content_hash)
        _replace_dir(tmp, out_dir)
    except (OSError, sqlite3.Error) as exc:
        _remove_build(tmp)
        raise BuildError(_write_failure(out_dir, exc)) from exc
    except BaseException:
        _remove_build(tmp)
        raise
    report.written = True
    report.seconds = time.perf_counter() - started
    if log:
        log(f"built {report.pages} pages, {report.sections} sections into {out_dir}")
    return report


def _write_build(
    tmp: Path, content: Content, rendered: dict[str, RenderedPage], meta: dict, chash: str
) -> None:
    (tmp / BUILD_MARKER).write_text(json.dumps({"app": "lenref"}), "utf-8")
    db.write(tmp / DB_NAME, content, rendered, meta)
    (tmp / INDEX_DIR).mkdir()
    search.write_index(tmp / INDEX_DIR, _section_docs(content, rendered))
    stamp = {"content_hash": chash, "schema_version": db.SCHEMA_VERSION}
    (tmp / INDEX_DIR / INDEX_STAMP).write_text(json.dumps(stamp), "utf-8")


def _write_failure(out_dir: Path, exc: BaseException) -> str:
    """One line for a failed write: a full disk says so and names where."""
    text = str(getattr(exc, "strerror", None) or exc)
    full = getattr(exc, "errno", None) == errno.ENOSPC or "full" in text.lower()
    if full:
        return f"no space left on the disk holding {out_dir.parent}; the previous build was kept"
    return f"could not write the build to {out_dir}: {text}; the previous build was kept"


def _remove_build(folder: Path) -> None:
    """Delete a build folder's own files, then the folder if that left it empty.

    Anything else in it (a file someone put there after the check) is left alone.
    """
    if not folder.is_dir() or folder.is_symlink():
        return
    for name in OWN_NAMES:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _content_version(content: Content) -> str:
    """The newest review date of any page: what "content version" means to a reader."""
    dates = sorted(p.reviewed for p in content.pages)
    return dates[-1] if dates else "unreviewed"


def _replace_dir(new: Path, target: Path) -> None:
    """Swap ``new`` into ``target`` (checked by check_output_dir); the old build is removed only
    after the swap succeeded, and only its own files."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    _remove_build(old)
    if target.exists() or target.is_symlink():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    _remove_build(old)
