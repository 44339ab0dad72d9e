"""Read a content folder into a Content model, collecting every problem with file, line and hint.

Reading never raises for bad content: every defect becomes a Problem, so authors see all of them at
once. Cross-file checks on page bodies (citations, links, numbers, abbreviations) live in checks.py.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path
from typing import Any

from . import residue, trialrecords, yamlio
from .model import (
    EVIDENCE_LEVELS,
    EVIDENCE_TYPES,
    MECHANISM_EVIDENCE,
    PARTS,
    Content,
    CounterLink,
    GlossaryEntry,
    PageSource,
    Problem,
    Reference,
)
from .residue import find_residue

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

PAGE_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "title": str,
    "part": str,
    "order": int,
    "summary": str,
    "reviewed": (str, dt.date),
}
PAGE_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "aliases": list,
    "related": list,
    "countered_by": list,
}
REFERENCE_REQUIRED = ("key", "authors", "title", "journal", "year", "evidence")
REFERENCE_OPTIONAL = ("volume", "issue", "pages", "doi", "pmid", "url")
GLOSSARY_REQUIRED = ("term", "definition")
GLOSSARY_OPTIONAL = ("expansion", "aliases")


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def error(self, path: Path, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.rel(path), line, "error", message, hint))

    def warning(self, path: Path, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.rel(path), line, "warning", message, hint))


MAX_TEXT_BYTES = 2_000_000  # a page or YAML file; the largest today is well under 200 kB
MAX_IMAGE_BYTES = 20_000_000
# Qt's HTML import slows down with the square of the anchors on a page: 10 000 headings froze the
# reader for minutes. Today's pages have at most 7 headings and 6.5 kB of Markdown.
MAX_PAGE_HEADINGS = 100
MAX_PAGE_BYTES = 200_000
HEADING_LINE_RE = re.compile(r"^#{1,6}\s")


def refused(path: Path, root: Path, limit: int) -> str | None:
    """Why ``path`` must not be read as content, or None: only regular files inside ``root``
    (no FIFOs or devices, no symlinks leading out) and not larger than ``limit`` bytes."""
    try:
        real, top = path.resolve(), root.resolve()
        if real != top and top not in real.parents:
            return "it is a link to a file outside the content folder"
        info = real.stat()
    except (OSError, RuntimeError) as exc:
        return f"it cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file (a pipe, device or folder)"
    if info.st_size > limit:
        return (
            f"it is {info.st_size // 1_000_000} MB, more than the {limit // 1_000_000} MB allowed"
        )
    return None


def read_text(path: Path, out: _Collector) -> str | None:
    """The file's text, or None (with a problem) if it cannot be read or is not UTF-8."""
    why = refused(path, out.root, MAX_TEXT_BYTES)
    if why:
        out.error(path, 1, f"file refused: {why}", "replace it with a plain UTF-8 text file")
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        out.error(path, 1, f"cannot read file: {exc.strerror or exc}", "check the file permissions")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.error(
            path, line, f"not valid UTF-8 (byte {exc.start})", "save the file with UTF-8 encoding"
        )
        return None
    for line, phrase in find_residue(text, yaml=path.suffix in (".yaml", ".yml")):
        out.error(path, line, f"editorial residue shown to readers: '{phrase}'", residue.HINT)
    return text


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---``-fenced YAML front matter from the body.

    Returns (yaml_text, body, body_first_line) or None when the file has no front matter.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return None


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        list: "a list",
        dt.date: "a date",
        dict: "a mapping",
    }
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def _is_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return False
    if expected is int or expected == (int,):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _within_page_limits(path: Path, body: str, body_line: int, out: _Collector) -> bool:
    """False (with an error at the offending line) for a page too long or too finely divided to read."""
    size = len(body.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        out.error(
            path,
            body_line,
            f"the page is {size // 1000} kB of text, more than the {MAX_PAGE_BYTES // 1000} kB allowed",
            "split it into several pages",
        )
        return False
    count = 0
    for offset, line in enumerate(body.splitlines()):
        if HEADING_LINE_RE.match(line):
            count += 1
            if count > MAX_PAGE_HEADINGS:
                out.error(
                    path,
                    body_line + offset,
                    f"more than {MAX_PAGE_HEADINGS} headings on one page",
                    "split it into several pages",
                )
                return False
    return True


def read_page(path: Path, out: _Collector) -> PageSource | None:
    text = read_text(path, out)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        out.error(
            path,
            1,
            "no front matter",
            "start the file with a line '---', the YAML fields (id, title, part, …), and '---'",
        )
        return None
    fm_text, body, body_line = split
    if not _within_page_limits(path, body, body_line, out):
        return None
    try:
        meta = yamlio.load(fm_text, first_line=2)
    except yamlio.YamlError as exc:
        out.error(path, exc.line, str(exc), "fix the YAML syntax of the front matter")
        return None
    if not isinstance(meta, dict):
        out.error(path, 2, "front matter is not a mapping", "write 'key: value' lines")
        return None
    if body.lstrip().startswith("---\n") or split_front_matter(body.lstrip()) is not None:
        out.error(path, body_line, "a second front-matter block", "merge the two '---' blocks")
    ok = True
    line = yamlio.line_of(meta, 2)
    for key, expected in PAGE_REQUIRED.items():
        if key not in meta or meta[key] in (None, ""):
            out.error(
                path, line, f"missing required field '{key}'", f"add '{key}:' to the front matter"
            )
            ok = False
        elif not _is_type(meta[key], expected):
            out.error(
                path,
                line,
                f"field '{key}' must be {_type_name(expected)}, not {type(meta[key]).__name__}",
                f"correct the value of '{key}'",
            )
            ok = False
    for key, expected in PAGE_OPTIONAL.items():
        if key in meta and meta[key] is not None and not _is_type(meta[key], expected):
            out.error(
                path, line, f"field '{key}' must be {_type_name(expected)}", "use [a, b] syntax"
            )
            ok = False
    for key in meta:
        if key != yamlio.LINE_KEY and key not in PAGE_REQUIRED and key not in PAGE_OPTIONAL:
            allowed = ", ".join([*PAGE_REQUIRED, *PAGE_OPTIONAL])
            out.warning(path, line, f"unknown front-matter key '{key}'", f"allowed keys: {allowed}")
    if not ok:
        return None
    page_id = meta["id"]
    if not ID_RE.match(page_id):
        out.error(
            path, line, f"id '{page_id}' is not lower-case-with-dashes", "e.g. crbn-mutations"
        )
    if path.stem != page_id:
        out.warning(
            path, line, f"id '{page_id}' differs from the file name", f"rename to {page_id}.md"
        )
    part = meta["part"]
    if part not in PARTS:
        out.error(path, line, f"unknown part '{part}'", f"use one of: {', '.join(PARTS)}")
    elif path.parent.name in PARTS and path.parent.name != part:
        out.warning(
            path, line, f"part '{part}' but the file is in '{path.parent.name}/'", "move it"
        )
    reviewed = meta["reviewed"]
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError:
            out.error(path, line, f"reviewed '{reviewed}' is not a date", "write it as YYYY-MM-DD")
            return None
    counters: list[CounterLink] = []
    for item in meta.get("countered_by") or []:
        item_line = yamlio.line_of(item, line)
        if not isinstance(item, dict) or not isinstance(item.get("page"), str):
            out.error(
                path, item_line, "countered_by item needs 'page'", "{page: id, evidence: level}"
            )
            continue
        evidence = item.get("evidence")
        if evidence not in EVIDENCE_LEVELS:
            out.error(
                path,
                item_line,
                f"countered_by evidence '{evidence}' is unknown",
                f"use one of: {', '.join(EVIDENCE_LEVELS)}",
            )
            continue
        mechanism = item.get("mechanism")
        if mechanism not in MECHANISM_EVIDENCE:
            out.error(
                path,
                item_line,
                f"countered_by '{item['page']}': mechanism '{mechanism}' is missing or unknown",
                "say whether any evidence is specific to this mechanism: none | preclinical | clinical",
            )
            continue
        counters.append(CounterLink(item["page"], evidence, mechanism))
    if counters and part != "resistance":
        out.error(path, line, "countered_by is only for resistance pages", "remove it")
    return PageSource(
        id=page_id,
        title=meta["title"].strip(),
        part=part,
        order=meta["order"],
        summary=" ".join(meta["summary"].split()),
        reviewed=reviewed.isoformat(),
        path=out.rel(path),
        body=body,
        body_line=body_line,
        aliases=[str(a) for a in meta.get("aliases") or []],
        related=[str(r) for r in meta.get("related") or []],
        countered_by=counters,
    )


def _read_yaml_list(path: Path, out: _Collector, what: str) -> list[dict[str, Any]]:
    if not path.exists():
        out.error(path, 1, f"missing {path.name}", f"create it: a YAML list of {what}")
        return []
    text = read_text(path, out)
    if text is None:
        return []
    try:
        data = yamlio.load(text)
    except yamlio.YamlError as exc:
        out.error(path, exc.line, str(exc), "fix the YAML syntax")
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        out.error(path, 1, f"{path.name} must be a YAML list", "start each entry with '- '")
        return []
    entries = []
    for item in data:
        if not isinstance(item, dict):
            out.error(path, 1, f"an entry of {path.name} is not a mapping", "write 'key: value'")
            continue
        entries.append(item)
    return entries


def _check_fields(
    path: Path,
    out: _Collector,
    entry: dict[str, Any],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    what: str,
    nullable: tuple[str, ...] = (),
) -> bool:
    line = yamlio.line_of(entry)
    ok = True
    for key in required:
        if key not in entry:
            out.error(path, line, f"{what}: missing required field '{key}'", f"add '{key}:'")
            ok = False
        elif entry[key] in (None, "") and key not in nullable:
            out.error(path, line, f"{what}: field '{key}' is empty", f"give '{key}' a value")
            ok = False
    for key in entry:
        if key != yamlio.LINE_KEY and key not in required and key not in optional:
            out.warning(
                path, line, f"{what}: unknown field '{key}'", "remove it or fix its spelling"
            )
    return ok


def read_references(path: Path, out: _Collector) -> dict[str, Reference]:
    refs: dict[str, Reference] = {}
    for entry in _read_yaml_list(path, out, "references"):
        line = yamlio.line_of(entry)
        what = f"reference '{entry.get('key', '?')}'"
        if not _check_fields(path, out, entry, REFERENCE_REQUIRED, REFERENCE_OPTIONAL, what):
            continue
        key = str(entry["key"])
        if not KEY_RE.match(key):
            out.error(path, line, f"{what}: key must be lower-case ascii", "e.g. kulig2023")
        if key in refs:
            out.error(path, line, f"duplicate reference key '{key}'", "keep one entry per key")
            continue
        # A reference must be findable: by DOI or PMID, or (for meeting abstracts and papers online
        # before print) by a stable web address, or as a complete journal citation.
        citable = entry.get("volume") and entry.get("pages")
        if not (entry.get("doi") or entry.get("pmid") or entry.get("url") or citable):
            out.error(
                path,
                line,
                f"{what}: needs a doi, a pmid, a url, or volume and pages",
                "add 'doi:' or 'pmid:' (or 'url:' for a meeting abstract)",
            )
        if entry["evidence"] not in EVIDENCE_TYPES:
            out.error(
                path,
                line,
                f"{what}: unknown evidence type '{entry['evidence']}'",
                f"use one of: {', '.join(EVIDENCE_TYPES)}",
            )
        if not isinstance(entry["year"], int):
            out.error(path, line, f"{what}: year must be a whole number", "e.g. year: 2023")
            continue
        pmid = entry.get("pmid")
        if pmid is not None and not re.fullmatch(r"\d{1,9}", str(pmid)):
            out.error(
                path, line, f"{what}: pmid '{pmid}' is not a number", 'write pmid: "36765919"'
            )
        refs[key] = Reference(
            key=key,
            authors=str(entry["authors"]).strip(),
            title=str(entry["title"]).strip(),
            journal=str(entry["journal"]).strip(),
            year=int(entry["year"]),
            evidence=str(entry["evidence"]),
            volume=_opt_str(entry.get("volume")),
            issue=_opt_str(entry.get("issue")),
            pages=_opt_str(entry.get("pages")),
            doi=_opt_str(entry.get("doi")),
            pmid=_opt_str(pmid),
            url=_opt_str(entry.get("url")),
            line=line,
        )
    return refs


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value).strip()


def read_glossary(path: Path, out: _Collector) -> list[GlossaryEntry]:
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for entry in _read_yaml_list(path, out, "glossary terms"):
        line = yamlio.line_of(entry)
        what = f"glossary term '{entry.get('term', '?')}'"
        if not _check_fields(path, out, entry, GLOSSARY_REQUIRED, GLOSSARY_OPTIONAL, what):
            continue
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            out.error(path, line, f"{what}: aliases must be a list", "use [a, b]")
            aliases = []
        term = str(entry["term"]).strip()
        if term.casefold() in seen:
            out.error(
                path,
                line,
                f"duplicate glossary term '{term}' (first at line {seen[term.casefold()]})",
                "merge the two entries",
            )
            continue
        seen[term.casefold()] = line
        entries.append(
            GlossaryEntry(
                term=term,
                definition=" ".join(str(entry["definition"]).split()),
                expansion=_opt_str(entry.get("expansion")),
                aliases=[str(a).strip() for a in aliases if str(a).strip()],
                line=line,
            )
        )
    return entries


def list_images(images_dir: Path, out: _Collector | None = None) -> set[str]:
    """Image files that may be copied into the database (hidden and refused files left out)."""
    if not images_dir.is_dir():
        return set()
    names = set()
    for p in images_dir.iterdir():
        if p.name.startswith("."):
            continue
        why = refused(p, images_dir.parent, MAX_IMAGE_BYTES)
        if why:
            if out is not None:
                out.error(
                    p, 1, f"image refused: {why}", "put a regular image file in content/images/"
                )
            continue
        names.add(f"images/{p.name}")
    return names


def read_content(root: Path | str) -> Content:
    """Read and schema-check everything in ``root``; cross-page checks are in checks.check()."""
    root = Path(root)
    out = _Collector(root)
    pages: list[PageSource] = []
    pages_dir = root / "pages"
    if not pages_dir.is_dir():
        out.error(pages_dir, 1, "no pages/ folder", "create content/pages/<part>/<id>.md")
    else:
        seen: dict[str, str] = {}
        for path in sorted(pages_dir.rglob("*.md")):
            if any(part.startswith(".") for part in path.relative_to(pages_dir).parts):
                continue  # hidden files (macOS "._x.md", editors' swap files) are not content
            page = read_page(path, out)
            if page is None:
                continue
            if page.id in seen:
                out.error(
                    path,
                    1,
                    f"duplicate page id '{page.id}' (also in {seen[page.id]})",
                    "give each page a unique id",
                )
                continue
            seen[page.id] = page.path
            pages.append(page)
    refs = read_references(root / "references.yaml", out)
    glossary = read_glossary(root / "glossary.yaml", out)
    trials_path = root / "trials.yaml"
    trials = trialrecords.read_trials(
        _read_yaml_list(trials_path, out, "trial records"),
        trials_path,
        out.error,
        out.warning,
        refs,
    )
    images = list_images(root / "images", out)
    pages.sort(key=lambda p: (PARTS.index(p.part) if p.part in PARTS else 99, p.order, p.id))
    return Content(
        root=str(root),
        pages=pages,
        references=refs,
        glossary=glossary,
        trials=trials,
        images=images,
        problems=out.problems,
    )
