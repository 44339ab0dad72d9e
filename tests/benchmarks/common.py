"""Shared helpers for the benchmarks (not collected by pytest: tests/benchmarks is excluded)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable

# Realistic queries: words, abbreviations, regimen names, prefixes typed letter by letter, typos, phrases.
QUERIES: list[str] = [
    "cereblon",
    "CRBN",
    "IKZF1",
    "ikaros aiolos",
    "IRF4 MYC",
    "len refractory",
    "lenalidomide resistance",
    "dara pom dex",
    "DPd",
    "PVd",
    "Isa-Kd",
    "carfilzomib",
    "teclistamab",
    "elranatamab",
    "talquetamab",
    "ide-cel",
    "cilta-cel",
    "CARTITUDE-4",
    "KarMMa-3",
    "belantamab ocular",
    "venetoclax t(11;14)",
    "selinexor",
    "melflufen OCEAN",
    "CSN9 signalosome",
    "exon 10 splicing",
    "copy number loss 3p26",
    "Wnt beta-catenin CD44",
    "IL-6 STAT3",
    "MEK ERK",
    "CDK6",
    "ADAR1 editing",
    "TP53 del(17p)",
    "Rho GTPase",
    "EZH2 methylation",
    "bone marrow stroma",
    "Tregs MDSC",
    "MCL-1",
    "iberdomide",
    "mezigdomide",
    "PROTAC",
    "IMiD-free interval",
    "salvage transplant",
    # prefixes as typed
    "c",
    "ce",
    "cer",
    "cere",
    "cereb",
    "cerebl",
    "d",
    "da",
    "dar",
    "dara",
    "dara p",
    "dara po",
    # typos
    "cerebon",
    "lenalidomid",
    "daratumumb",
    "pomalidomde",
    "bortezomb",
    # phrases
    '"molecular glue"',
    '"triple-class refractory"',
    '"first relapse"',
]


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best of ``repeat`` wall-clock runs of fn, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return best


def summary(samples: Iterable[float]) -> dict[str, float]:
    xs = sorted(samples)
    if not xs:
        return {"median": float("nan"), "p95": float("nan"), "max": float("nan")}
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return {"median": statistics.median(xs), "p95": p95, "max": xs[-1]}
