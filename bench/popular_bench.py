"""Micro-benchmark and false-positive figures for hallucheck.evidence.popular (not a test).

    python bench/popular_bench.py [--runs 15]

Prints medians of:

* the import of ``hallucheck.evidence.popular`` (``-X importtime``, from a copy with compiled bytecode, as an
  installed hook has): its own cost once ``hallucheck.findings`` (dataclasses, re, enum) is loaded,
  and the whole chain from a bare interpreter;
* the first ``similar_popular_names`` call of a fresh process, which loads the data;
* later calls, per query;

and the typosquat check's false positives: every popular name queried (must give nothing), then the
popular names ranked 10,001-15,000 checked against only the top 10,000 (a flag there is a legitimate
package that looks like a typosquat).
"""

from __future__ import annotations

import argparse
import os
import py_compile
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hallucheck import popular  # noqa: E402

QUERIES = ["aiohtttp", "coloroma", "dequests", "beautifulsup4", "huggingface-hubs", "reqeusts",
           "python-requests", "djang0", "numpi", "requests", "dollar-word-freq-plot", "cryptoutils",
           "starlette-reverse-proxy", "mypy-boto3-s4", "types-requests-oauthlib2", "x"]

FIRST_QUERY = """
import sys, time
sys.path.insert(0, {root!r})
import hallucheck.evidence.popular as popular
start = time.perf_counter()
popular._popular()
loaded = time.perf_counter()
popular.similar_popular_names("aiohtttp")
done = time.perf_counter()
print(loaded - start, done - start)
"""


def compiled_copy(target: Path) -> Path:
    """A copy of the package with its bytecode compiled, as pip leaves an installed one."""
    shutil.copytree(ROOT / "hallucheck", target / "hallucheck", ignore=shutil.ignore_patterns("__pycache__"))
    for source in (target / "hallucheck").glob("*.py"):
        py_compile.compile(str(source), doraise=True)
    return target


def import_times(root: Path, runs: int, preload: str) -> tuple[list[float], list[float]]:
    """Self and cumulative import times of hallucheck.evidence.popular in ms, one fresh interpreter per run."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    own, whole = [], []
    for _ in range(runs):
        code = f"import sys; sys.path.insert(0, {str(root)!r}); {preload}import hallucheck.evidence.popular"
        command = [sys.executable, "-X", "importtime", "-c", code]
        result = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
        line = next(line for line in result.stderr.splitlines() if line.endswith("| hallucheck.evidence.popular"))
        fields = line.split(":", 1)[1].split("|")
        own.append(int(fields[0]) / 1000)
        whole.append(int(fields[1]) / 1000)
    return own, whole


def first_query_times(root: Path, runs: int) -> tuple[list[float], list[float]]:
    """Load time and load-plus-first-query time in ms, one fresh interpreter per run."""
    loads, firsts = [], []
    for _ in range(runs):
        command = [sys.executable, "-c", FIRST_QUERY.format(root=str(root))]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        load, first = map(float, result.stdout.split())
        loads.append(load * 1000)
        firsts.append(first * 1000)
    return loads, firsts


def query_times(queries: list[str], repeat: int) -> dict[str, float]:
    """Median ms per call of similar_popular_names for each query (data already loaded)."""
    popular.similar_popular_names("warm-up")
    medians = {}
    for query in queries:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            popular.similar_popular_names(query)
            samples.append((time.perf_counter() - start) * 1000)
        medians[query] = statistics.median(samples)
    return medians


def mutated_names(count: int) -> list[str]:
    """Popular names with one or two random typos: the realistic workload of the typosquat check."""
    generator = random.Random(2026)
    names = popular._popular()._names
    result = []
    for _ in range(count):
        name = generator.choice(names)
        for _ in range(generator.choice((1, 2))):
            at = generator.randrange(len(name))
            name = name[:at] + generator.choice("aeiorst-") + name[at + 1:]
        result.append(name)
    return result


def false_positives() -> None:
    listing = popular._popular()
    names, ranks = listing._names, list(map(int, listing._ranks))
    flagged_popular = [name for name in names if popular.similar_popular_names(name)]
    print(f"\npopular names flagged against the list: {len(flagged_popular)} of {len(names)}")

    head = [(name, rank) for name, rank in zip(names, ranks, strict=True) if rank <= 10000]
    tail = [(name, rank) for name, rank in zip(names, ranks, strict=True) if rank > 10000]
    reference = popular._Popular.from_names([name for name, _ in head], [rank for _, rank in head])
    flags = [(name, rank, found) for name, rank in tail if (found := reference.similar(name, 3))]
    rate = len(flags) / len(tail)
    print(f"ranks 10,001-15,000 flagged against the top 10,000: {len(flags)} of {len(tail)} ({rate:.1%})")
    kinds = Counter(_kind(found[0].reason) for _, _, found in flags)
    print("  by strongest reason: " + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
    top_targets = sum(1 for _, _, found in flags if found[0].rank <= 1000)
    print(f"  whose best match is in the top 1,000: {top_targets} ({top_targets / len(tail):.1%})")
    generator = random.Random(7)
    for name, rank, found in sorted(generator.sample(flags, min(12, len(flags))), key=lambda flag: flag[1]):
        matches = "; ".join(f"{item.name} (#{item.rank}, {item.reason})" for item in found)
        print(f"  {name} (#{rank}) -> {matches}")


def _kind(reason: str) -> str:
    return reason if reason.startswith(("edit", "same")) else "py/python affix swap"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark hallucheck.evidence.popular.")
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per cold measurement (15)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directory:
        root = compiled_copy(Path(directory))
        own, _ = import_times(root, args.runs, "import hallucheck.findings; ")
        _, whole = import_times(root, args.runs, "")
        loads, firsts = first_query_times(root, args.runs)
    print(f"medians over {args.runs} fresh interpreters (ms):")
    print(f"  import hallucheck.evidence.popular after hallucheck.findings: {statistics.median(own):.2f}")
    print(f"  import hallucheck.evidence.popular from a bare interpreter (dataclasses, re, ... included): "
          f"{statistics.median(whole):.2f}")
    print(f"  load the data: {statistics.median(loads):.2f}")
    print(f"  load + first query: {statistics.median(firsts):.2f}")

    per_query = query_times(QUERIES, 50)
    print("\nlater queries, median ms per call:")
    for query, median in per_query.items():
        print(f"  {query:28} {median:.3f}")
    typos = query_times(mutated_names(500), 5)
    values = sorted(typos.values())
    print(f"500 random typos of popular names: median {statistics.median(values):.3f} ms, "
          f"95th percentile {values[int(len(values) * 0.95)]:.3f} ms, max {values[-1]:.3f} ms")

    false_positives()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
