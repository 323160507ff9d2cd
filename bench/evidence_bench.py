"""False-positive figures and timings of the offline evidence in hallucheck.evidence.dependencies (not a test).

    python bench/evidence_bench.py [--runs 15]

Prints:

* what the evidence decides for every popular distribution added as a new dependency (the list itself:
  nothing may be escalated but documented hallucinations);
* the held-out false-positive rate: the popular names ranked 10,001-15,000 are legitimate packages that
  the top 10,000 do not contain; checked against the top 10,000 only, how many resemble one at all, and
  how many the error policy (HC030) would block, by reason;
* milliseconds per name of ``dependency_finding`` and ``unknown_import_note``: the first call of a fresh
  process (which loads the data), and later calls.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hallucheck import evidence, popular  # noqa: E402
from hallucheck.config import Config  # noqa: E402
from hallucheck.manifests import Dependency  # noqa: E402

FIRST_CALL = """
import sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
from hallucheck.evidence import dependencies as evidence
from hallucheck.config import Config
from hallucheck.manifests import Dependency
imported = time.perf_counter()
evidence.dependency_finding(Dependency("reqeusts", "reqeusts", "requirements.txt", 1), Config())
print(imported - start, time.perf_counter() - imported)
"""


def place(name: str) -> Dependency:
    return Dependency(name, name, "requirements.txt", 1)


def popular_list() -> None:
    listing = popular._popular()
    codes = Counter(evidence.dependency_finding(place(name), Config()).code for name in listing._names)
    print(f"every popular name as a new dependency ({len(listing._names)}): "
          + ", ".join(f"{code} {count}" for code, count in sorted(codes.items())))
    escalated = [name for name in listing._names if evidence.dependency_finding(place(name), Config()).code != "HC004"]
    if escalated:
        print("  escalated: " + ", ".join(escalated))


def held_out() -> None:
    found, tail = popular.held_out_names(10_000)
    resembling = [name for name in tail if found[name]]
    errors = {name: next(item for item in found[name] if evidence.is_strong_match(name, item))
              for name in tail if any(evidence.is_strong_match(name, item) for item in found[name])}
    print(f"\nheld out: ranks 10,001-15,000 against the top 10,000 ({len(tail)} names)")
    print(f"  resemble a top-10,000 name at all: {len(resembling)} ({len(resembling) / len(tail):.1%})")
    distance2 = sum(1 for name in resembling if all(item.reason == "edit distance 2" for item in found[name]))
    print(f"    of which only at edit distance 2: {distance2} ({distance2 / len(tail):.1%})")
    print(f"  blocked by the error policy (HC030): {len(errors)} ({len(errors) / len(tail):.2%})")
    kinds = Counter(_kind(item.reason) for item in errors.values())
    print("    by reason: " + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
    generator = random.Random(11)
    for name in sorted(generator.sample(sorted(errors), min(15, len(errors)))):
        item = errors[name]
        print(f"    {name} -> {item.name} (#{item.rank}, {item.reason})")


def _kind(reason: str) -> str:
    return reason if reason.startswith(("edit", "same")) else "py/python affix swap"


def typos(count: int) -> list[str]:
    generator = random.Random(2026)
    names = popular._popular()._names
    result = []
    while len(result) < count:
        name = generator.choice(names)
        at = generator.randrange(len(name))
        typo = name[:at] + generator.choice("aeiorst") + name[at + 1:]
        if popular.popularity_rank(typo) is None:
            result.append(typo)
    return result


def timings(runs: int) -> None:
    firsts = []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", FIRST_CALL.format(root=str(ROOT))], capture_output=True,
                                text=True, check=True).stdout
        firsts.append([float(value) * 1000 for value in output.split()])
    imported = statistics.median(f[0] for f in firsts)
    print(f"\nfresh process, median of {runs}: import hallucheck.evidence.dependencies {imported:.1f}"
          f" ms; first dependency_finding (loads the data) {statistics.median(f[1] for f in firsts):.1f} ms")
    names = typos(500)
    evidence.dependency_finding(place("warm-up"), Config())
    for label, call in (("dependency_finding", lambda name: evidence.dependency_finding(place(name), Config())),
                        ("unknown_import_note", lambda name: evidence.unknown_import_note(name.replace("-", "_"),
                                                                                          Config()))):
        samples = []
        for name in names:
            start = time.perf_counter()
            call(name)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        print(f"{label} on 500 one-letter typos of popular names: median {statistics.median(samples):.3f} ms, "
              f"95th percentile {samples[int(len(samples) * 0.95)]:.3f} ms, max {samples[-1]:.3f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="False positives and timings of hallucheck.evidence.dependencies.")
    parser.add_argument("--runs", type=int, default=15, help="fresh processes for the first-call time (15)")
    args = parser.parse_args(argv)
    popular_list()
    held_out()
    timings(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
