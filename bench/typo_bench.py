"""How many typos of popular names the offline evidence blocks, by typo shape, and its false alarms (not a test).

    python bench/typo_bench.py [--top 1000] [--from-rank 1] [--seed 17] [--examples 4]

The typos are generated, deterministically for a seed, from the ``--top`` most downloaded distributions (or
those ranked ``--from-rank`` to ``--top``: the rule is wider for some shapes beyond the top 1,000) and
from their import names where those differ (``sklearn``, ``bs4``, ``dateutil``, ``cv2``, ``PIL``, ``yaml``):
one typo per name and shape, for each shape that applies to the name:

=================  ==========================================================================================
deletion           one character dropped (``texblob``, ``pyteseract``)
insertion          one letter added (``numpyy`` excluded: that is a doubled letter)
substitution       one letter replaced by a neighbour on a QWERTY keyboard (``sklearm``)
transposition      two adjacent characters swapped (``reqeusts``)
doubled letter     one letter written twice (``follium``)
digit swap         a digit replaced by another (``bs5``, ``psycopg3``)
separator change   a separator dropped, or one inserted inside a word (``scikitlearn``, ``beautiful-soup4``)
affix              a ``py``/``python`` prefix or suffix added, dropped or swapped (``python-nltk``, ``requests-py``)
=================  ==========================================================================================

A typo that is itself a popular distribution, or the import name of one, is not a typo but a real name and is
left out (counted as "real names"). Each typo is checked the two ways an assistant writes it:

* **as a dependency** (``requirements.txt``): the finding of :func:`dependency_finding`; "blocked" means an
  error instead of the HC004 review, "named" that the message names the intended distribution;
* **as an import** (``import <typo>``, for typos of import names): whether the note of an unresolved import
  says "did you mean" with the intended distribution.

Then the false-alarm figure of the same rule: the popular names ranked 10,001-15,000 (real packages) checked
against the top 10,000 only; the share that the error rule would block (the issue's budget is 1.5%).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hallucheck.config import Config  # noqa: E402
from hallucheck.evidence import dependencies as evidence  # noqa: E402
from hallucheck.evidence import popular  # noqa: E402
from hallucheck.manifests import Dependency  # noqa: E402
from hallucheck.resolve import mapping  # noqa: E402

SHAPES = ("deletion", "insertion", "substitution", "transposition", "doubled letter", "digit swap",
          "separator change", "affix")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
PREFIXES = ("py", "py-", "python-", "python")
SUFFIXES = ("py", "-py", "-python", "python")


@dataclass(frozen=True)
class Target:
    """A name an assistant means to write: a popular distribution or one of its import names."""

    spelling: str
    distributions: tuple[str, ...]
    """The distributions it stands for (several for ``cv2``)."""
    kind: str
    """``distribution`` or ``import name``."""
    imported: bool
    """Whether code imports it under this spelling (an import name, or a distribution imported as itself)."""


@dataclass(frozen=True)
class Typo:
    name: str
    shape: str
    target: Target


def targets(top: int, first: int = 1) -> list[Target]:
    """The distributions ranked ``first`` to ``top`` and their top-level import names that differ from them."""
    names = popular._popular()._names[first - 1:top]
    result = []
    imports: dict[str, set[str]] = {}
    for name in names:
        modules = [module for module in mapping.import_names_of(name) if "." not in module and
                   not module.startswith("_")]
        result.append(Target(name, (name,), "distribution", not modules or name.replace("-", "_") in modules))
        for module in modules:
            if mapping.normalize_distribution(module) != name:
                imports.setdefault(module, set()).add(name)
    result.extend(Target(module, tuple(sorted(dists)), "import name", True)
                  for module, dists in sorted(imports.items()))
    return result


def neighbours(char: str) -> str:
    for row_number, row in enumerate(QWERTY):
        if char in row:
            at = row.index(char)
            near = row[max(at - 1, 0):at] + row[at + 1:at + 2]
            above = QWERTY[row_number - 1] if row_number else ""
            below = QWERTY[row_number + 1] if row_number < len(QWERTY) - 1 else ""
            for other in (above, below):
                near += other[max(at - 1, 0):at + 1]
            return near
    return ""


def make_typo(shape: str, name: str, rng: random.Random) -> str | None:
    """One typo of ``name`` of the given shape, or None when the shape does not apply."""
    letters = [at for at, char in enumerate(name) if char.isalpha()]
    if shape == "deletion":
        at = rng.randrange(len(name))
        return name[:at] + name[at + 1:] if len(name) > 2 else None
    if shape == "insertion":
        at = rng.randrange(len(name) + 1)
        choices = [char for char in LETTERS if char not in name[at - 1:at] + name[at:at + 1]]
        return name[:at] + rng.choice(choices) + name[at:]
    if shape == "substitution":
        candidates = [at for at in letters if neighbours(name[at].lower())]
        if not candidates:
            return None
        at = rng.choice(candidates)
        return name[:at] + rng.choice(neighbours(name[at].lower())) + name[at + 1:]
    if shape == "transposition":
        pairs = [at for at in range(len(name) - 1) if name[at] != name[at + 1]]
        if not pairs:
            return None
        at = rng.choice(pairs)
        return name[:at] + name[at + 1] + name[at] + name[at + 2:]
    if shape == "doubled letter":
        at = rng.choice(letters) if letters else None
        return None if at is None else name[:at + 1] + name[at] + name[at + 1:]
    if shape == "digit swap":
        digits = [at for at, char in enumerate(name) if char.isdigit()]
        if not digits:
            return None
        at = rng.choice(digits)
        return name[:at] + rng.choice([digit for digit in "0123456789" if digit != name[at]]) + name[at + 1:]
    if shape == "separator change":
        separators = [at for at, char in enumerate(name) if char in "-_."]
        if separators:
            at = rng.choice(separators)
            return name[:at] + name[at + 1:]
        if len(name) < 6:
            return None
        at = rng.randrange(3, len(name) - 2)
        return name[:at] + rng.choice("-_") + name[at:]
    if shape == "affix":
        lowered = name.lower()
        for affix in ("python-", "python", "py-", "py"):
            if lowered.startswith(affix) and len(name) - len(affix) >= 3:
                return rng.choice([name[len(affix):], *(other + name[len(affix):] for other in PREFIXES
                                                          if other != affix)])
        for affix in ("-python", "python", "-py", "py"):
            if lowered.endswith(affix) and len(name) - len(affix) >= 3:
                return rng.choice([name[:-len(affix)], *(name[:-len(affix)] + other for other in SUFFIXES
                                                         if other != affix)])
        return rng.choice([prefix + name for prefix in PREFIXES] + [name + suffix for suffix in SUFFIXES])
    raise ValueError(shape)


def generate(top: int, seed: int, first: int = 1) -> tuple[list[Typo], Counter[str]]:
    """The typos of every target and shape, and per shape how many generated names were real names."""
    chosen = targets(top, first)
    real_names = {mapping.normalize_distribution(target.spelling) for target in chosen}
    typos, real = [], Counter[str]()
    for target in chosen:
        for shape in SHAPES:
            typo = make_typo(shape, target.spelling, random.Random(f"{seed}:{target.spelling}:{shape}"))
            if typo is None:
                continue
            normalised = mapping.normalize_distribution(typo)
            if normalised == mapping.normalize_distribution(target.spelling):
                continue
            if (normalised in real_names or popular.popularity_rank(normalised) is not None
                    or mapping.known_distributions(typo) or mapping.known_distributions(typo.replace("-", "_"))):
                real[shape] += 1
                continue
            typos.append(Typo(typo, shape, target))
    return typos, real


def as_dependency(typo: Typo) -> tuple[bool, bool, str]:
    """(blocked, names the intended distribution, the message) for ``typo`` added to requirements.txt."""
    item = evidence.dependency_finding(Dependency(mapping.normalize_distribution(typo.name), typo.name,
                                                  "requirements.txt", 1), Config())
    blocked = item.code != "HC004"
    named = blocked and any(f"`{name}`" in item.message for name in typo.target.distributions)
    return blocked, named, f"{item.code} {item.message}"


def as_import(typo: Typo) -> bool:
    """Whether ``import <typo>`` gets a "did you mean" naming the intended distribution."""
    module = typo.name.replace("-", "_").replace(".", "_")
    note = evidence.unknown_import_note(module, Config())
    text = " ".join(note.notes)
    return "did you mean" in text and any(f"`{name}`" in text for name in typo.target.distributions)


def held_out_rate() -> tuple[int, int]:
    """(blocked, total) of the popular names ranked 10,001+ checked against the top 10,000 only."""
    found, tail = popular.held_out_names(10_000)
    blocked = [name for name in tail if any(evidence.is_strong_match(name, item) for item in found[name])]
    return len(blocked), len(tail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Typo catch rate and false alarms of hallucheck's name evidence.")
    parser.add_argument("--top", type=int, default=1000, help="typos of this many most downloaded names (1000)")
    parser.add_argument("--from-rank", type=int, default=1, help="the best rank of the names to mistype (1)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--examples", type=int, default=4, help="missed typos to show per shape (4)")
    args = parser.parse_args(argv)

    typos, real = generate(args.top, args.seed, args.from_rank)
    ranks = f"top {args.top:,}" if args.from_rank == 1 else f"{args.from_rank:,}th to {args.top:,}th"
    print(f"{len(typos)} typos of the {ranks} distributions and their import names "
          f"(seed {args.seed}; {sum(real.values())} generated names were real names and left out)\n")
    header = f"{'shape':18} {'typos':>6} {'blocked':>8} {'named':>8}   {'imports':>7} {'did you mean':>12}"
    print(header)
    totals = Counter[str]()
    missed: dict[str, list[str]] = {}
    for shape in SHAPES:
        subset = [typo for typo in typos if typo.shape == shape]
        results = [as_dependency(typo) for typo in subset]
        imported = [typo for typo in subset if typo.target.imported]
        meant = sum(map(as_import, imported))
        blocked = sum(result[0] for result in results)
        named = sum(result[1] for result in results)
        missed[shape] = [f"{typo.name} ({typo.target.spelling})" for typo, result in zip(subset, results, strict=True)
                         if not result[0]]
        totals.update(typos=len(subset), blocked=blocked, named=named, imports=len(imported), meant=meant)
        print(f"{shape:18} {len(subset):6} {_rate(blocked, len(subset)):>8} {_rate(named, len(subset)):>8}   "
              f"{len(imported):7} {_rate(meant, len(imported)):>12}")
    print(f"{'all':18} {totals['typos']:6} {_rate(totals['blocked'], totals['typos']):>8} "
          f"{_rate(totals['named'], totals['typos']):>8}   {totals['imports']:7} "
          f"{_rate(totals['meant'], totals['imports']):>12}")

    by_kind = Counter[str]()
    for typo in typos:
        by_kind[typo.target.kind] += 1
        by_kind[typo.target.kind + " blocked"] += as_dependency(typo)[0]
    print("\nby target: " + ", ".join(f"{kind}s {_rate(by_kind[kind + ' blocked'], by_kind[kind])} of "
                                      f"{by_kind[kind]}" for kind in ("distribution", "import name")))
    if args.examples:
        print("\nstill reviews only (HC004), a sample per shape:")
        for shape in SHAPES:
            sample = random.Random(args.seed).sample(missed[shape], min(args.examples, len(missed[shape])))
            if sample:
                print(f"  {shape}: {', '.join(sample)}")

    blocked, total = held_out_rate()
    print(f"\nfalse alarms: popular names ranked 10,001-15,000 blocked against the top 10,000: {blocked} of {total} "
          f"({blocked / total:.2%}; budget 1.5%)")
    return 0


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


if __name__ == "__main__":
    raise SystemExit(main())
