"""The ``lenref`` command line: build, check, search, page, trials, and the GUI when no command is given.

Errors print one line to stderr and exit non-zero; no tracebacks for expected failures.

Only what ``--version``, ``--help`` and usage errors need is imported at module top (``python -m
desktop --version``: 90 ms wall on the project machine). The rest is imported by the command that
uses it, for measured reasons (``python -X importtime``): the trial and evidence modules (+65 ms
wall: the data model, SQLite, decimal), the library (+160 ms: Whoosh), the build (+190 ms: Markdown,
PyYAML and the checks, which the installed app's bundle leaves out, see build/lenref.spec) and the
Qt GUI (+410 ms; every other command must also work where Qt cannot load, e.g. a build machine).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from .core import paths
from .core.version import app_version

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    if sys.stderr is not None:  # None in the windowed Windows build
        print(f"lenref: {message}", file=sys.stderr)


def _limit(text: str) -> int:
    """--limit: a whole number from 1 to 200 (an error, not a silent clamp)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("must be from 1 to 200")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lenref",
        description="LenRef: offline reference on lenalidomide resistance in multiple myeloma. "
        "With no command, opens the app.",
    )
    p.add_argument("--version", action="version", version=f"LenRef {app_version()}")
    p.add_argument(
        "--self-test", action="store_true", help="start the GUI offscreen, run checks, exit"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="compile content/ into the database and search index")
    b.add_argument(
        "--content", type=Path, help="content folder (default: content/ of the checkout)"
    )
    b.add_argument(
        "--out", type=Path, help="output folder (default: desktop/data or $LENREF_DATA_DIR)"
    )
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")

    c = sub.add_parser("check", help="validate content/ without writing anything")
    c.add_argument("--content", type=Path)
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    s = sub.add_parser("search", help="search all sections")
    s.add_argument("query", nargs="+")
    s.add_argument(
        "--part", metavar="PART", help="only this part (a first column of 'lenref pages')"
    )
    s.add_argument("--limit", type=_limit, default=10, help="1 to 200 results (default 10)")
    s.add_argument("--json", action="store_true", help="print a JSON object")

    g = sub.add_parser("page", help="print a page (HTML, or plain text with --text)")
    g.add_argument("id")
    g.add_argument("--text", action="store_true")

    t = sub.add_parser(
        "trials", help="trials with evidence for a patient profile, as in the trial explorer"
    )
    t.add_argument(
        "--refractory",
        metavar="LIST",
        help="comma-separated: lenalidomide, pomalidomide, bortezomib, carfilzomib, pi, "
        "anti-cd38, triple-class, bcma (previous BCMA-directed therapy)",
    )
    t.add_argument("--lines", type=int, metavar="N", help="number of prior lines of therapy")
    t.add_argument(
        "--class", dest="drug_class", help="drug class in the experimental arm, e.g. anti-cd38"
    )
    t.add_argument("--design", choices=["randomised", "single-arm"])
    t.add_argument("--hide-excluded", action="store_true", help="leave out excluded trials")
    t.add_argument("--json", action="store_true", help="print a JSON object")
    t.add_argument("--pdf", type=Path, metavar="FILE", help="write the one-page evidence summary")

    tc = sub.add_parser("trial", help="print one trial card (design, eligibility, every analysis)")
    tc.add_argument("id")
    tc.add_argument("--json", action="store_true")

    sub.add_parser("pages", help="list page ids and titles")
    return p


def _content_dir(arg: Path | None) -> Path | None:
    return arg if arg is not None else paths.content_dir()


def cmd_build(args: argparse.Namespace, check_only: bool = False) -> int:
    from .core.build import BuildError, build, compile_content

    content = _content_dir(args.content)
    if content is None or not content.is_dir():
        _err("no content folder found; pass --content DIR")
        return EXIT_ERROR
    if check_only:
        _, _, problems = compile_content(content, strict=args.strict)
        errors = [p for p in problems if p.severity == "error"]
        for p in problems:
            print(p.format(), file=sys.stderr)
        print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)", file=sys.stderr)
        return EXIT_ERROR if errors else EXIT_OK
    out = args.out if args.out is not None else paths.data_dir()
    try:
        report = build(content, out, strict=args.strict)
    except BuildError as exc:
        _err(f"{exc} ({exc.hint})")
        return EXIT_ERROR
    for p in report.problems:
        print(p.format(), file=sys.stderr)
    if not report.ok:
        print(
            f"build failed: {len(report.errors)} error(s), {len(report.warnings)} warning(s); "
            f"nothing was replaced in {out}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(
        f"built {report.pages} pages, {report.cards} trial cards, {report.sections} sections into {out} "
        f"in {report.seconds:.2f} s ({len(report.warnings)} warning(s))"
    )
    return EXIT_OK


def _library():
    from .core.library import ensure_library

    return ensure_library(notify=lambda m: print(m, file=sys.stderr))


def cmd_search(args: argparse.Namespace) -> int:
    lib = _library()
    parts = [part for part, _ in lib.parts()]  # the library's own, so a new part needs no edit here
    if args.part is not None and args.part not in parts:
        _err(f"unknown part '{args.part}'; the parts are: {', '.join(parts)}")
        return EXIT_USAGE
    result = lib.search(" ".join(args.query), part=args.part, limit=args.limit, typing=True)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=not _utf8_stdout(), indent=2))
        return EXIT_OK
    if result.did_you_mean:
        prefix = "Showing results for" if result.corrected else "Did you mean"
        print(f"{prefix}: {result.did_you_mean}")
    if result.also_searched:
        print("Also searched: " + "; ".join(result.also_searched))
    if not result.hits:
        print("No results.")
    for hit in result.hits:
        where = hit.title + (f" › {hit.heading}" if hit.anchor else "")
        print(f"{where}  [{hit.part}]  page:{hit.page}" + (f"#{hit.anchor}" if hit.anchor else ""))
        print(f"    {hit.snippet}")
    return EXIT_OK


def cmd_page(args: argparse.Namespace) -> int:
    lib = _library()
    try:
        if args.text:
            print(lib.page_text(args.id), end="")
        else:
            print(lib.page(args.id).html)
    except KeyError:
        _err(f"no page '{args.id}'; 'lenref pages' lists them")
        return EXIT_ERROR
    return EXIT_OK


def cmd_pages(_: argparse.Namespace) -> int:
    lib = _library()
    for info in lib.pages():
        print(f"{info.part:<11} {info.id:<32} {info.title}")
    return EXIT_OK


def cmd_trials(args: argparse.Namespace) -> int:
    from .core.db import dumps_exact
    from .core.evidence import Profile, match_trials, matches_json, matches_text

    lib = _library()
    try:
        profile = Profile.parse(args.refractory, args.lines)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    classes = sorted({c for t in lib.trials() for c in t.classes})
    if args.drug_class and args.drug_class not in classes:
        _err(f"unknown drug class '{args.drug_class}'; known: {', '.join(classes)}")
        return EXIT_USAGE
    matches = match_trials(lib.trials(), profile, args.hide_excluded, args.drug_class, args.design)
    if args.pdf is not None:
        from .ui.evidence_pdf import write_evidence_pdf

        try:
            write_evidence_pdf(args.pdf, matches, profile, lib)
        except OSError as exc:
            _err(f"could not write {args.pdf}: {exc.strerror or exc}")
            return EXIT_ERROR
        print(f"wrote {args.pdf}", file=sys.stderr)
        return EXIT_OK
    if args.json:
        data = matches_json(matches, profile, lib.citation)
        print(dumps_exact(data, indent=2, ascii_only=not _utf8_stdout()))
    else:
        print(matches_text(matches, profile, lib.citation))
    return EXIT_OK


def cmd_trial(args: argparse.Namespace) -> int:
    from .core.db import dumps_exact
    from .core.evidence import Profile, match_trial, matches_json
    from .core.trialcard import card_id

    lib = _library()
    trial = lib.trial(args.id.casefold())
    if trial is None:
        _err(f"no trial '{args.id}'; 'lenref trials' lists them")
        return EXIT_ERROR
    if args.json:
        record = matches_json([match_trial(trial, Profile())], Profile(), lib.citation)
        print(dumps_exact(record["trials"][0], indent=2, ascii_only=not _utf8_stdout()))
    else:
        print(lib.page_text(card_id(trial.id)), end="")
    return EXIT_OK


def _utf8_stdout() -> bool:
    """Whether stdout takes UTF-8; otherwise JSON is written with \\u escapes (still lossless)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").replace("-", "").lower()
    return encoding == "utf8"


def _safe_streams() -> None:
    """Any console (cp1252, ascii, UTF-8) gets '?' for what it cannot show, never a crash.

    ``sys.stdout``/``sys.stderr`` are None in the windowed Windows build: nothing is called on them.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            # A stream that cannot be reconfigured keeps its own rules.
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def _clean_args(argv: list[str]) -> list[str]:
    """Arguments with bytes that were not valid in the locale (kept by Python as lone surrogates,
    e.g. ``lenref page $'\\xff'``) turned into U+FFFD, so they can be printed and stored."""
    return [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for a in argv]


def _mute_stdout() -> None:
    """After stdout failed (disk full, closed pipe), stop Python retrying the flush at exit."""
    try:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit
    except OSError:
        sys.stdout = None  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    _safe_streams()
    try:
        code = _run(_clean_args(sys.argv[1:] if argv is None else argv))
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except BrokenPipeError:
        _mute_stdout()
        return EXIT_OK
    except OSError as exc:
        _mute_stdout()
        _err(f"cannot write the output: {exc.strerror or exc}")
        return EXIT_ERROR


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from .core.library import LibraryError

    try:
        if args.self_test:
            from .ui.selftest import run_self_test

            return run_self_test()
        if args.command is None:
            from .ui.app import run_gui

            return run_gui()
        handler = {
            "build": cmd_build,
            "check": lambda a: cmd_build(a, check_only=True),
            "search": cmd_search,
            "page": cmd_page,
            "pages": cmd_pages,
            "trials": cmd_trials,
            "trial": cmd_trial,
        }[args.command]
        return handler(args)
    except LibraryError as exc:
        _err(exc.one_line())
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
