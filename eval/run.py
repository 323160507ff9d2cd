"""Measure import resolution: false alarms on real projects, misses on invented names.

Each project under ``eval/projects/`` is a small project written for this evaluation in the shapes
real projects have (optional imports, ``TYPE_CHECKING``, a ``src/`` layout, a build-generated
module, version tests, a Django project in a subdirectory, import names that differ from their
distributions'); see ``eval/README.md``. Every source file is checked as if a change added it,
with no environment installed; each import statement is then:

* a **false alarm** when it gets a blocking finding and carries no expectation;
* **as expected** when it carries ``# eval: expect HCxxx`` and gets that blocking code;
* a **miss** when it carries an expectation and does not get it.

``eval/invented.tsv`` adds one new file per line to a project; the statement marked
``# eval: invented`` must get a blocking finding, otherwise it is a miss.

    python eval/run.py [--verbose] [--mapping-data DIR] [--popular TSV]

``--mapping-data`` and ``--popular`` measure data that is not merged yet: a directory
with ``import_names.tsv``/``namespace_roots.txt``/``stale_modules.tsv``, and a table
of PyPI names whose header has a ``rank...`` column.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from hallucheck.check import Change, ChangedPythonFile, check  # noqa: E402
from hallucheck.findings import Finding  # noqa: E402
from hallucheck.sources.imports import imports_in_lines  # noqa: E402
from hallucheck.snapshot import MemorySnapshot  # noqa: E402

_EXPECT = re.compile(r"#\s*eval:\s*expect\s+(HC\d{3}(?:\|HC\d{3})*)")
_INVENTED = "# eval: invented"


@dataclass(frozen=True)
class Statement:
    project: str
    path: str
    first: int
    last: int
    text: str
    guarded: bool
    expected: frozenset[str] | None
    """Blocking codes any one of which is the right outcome; None: no blocking finding is."""
    blocking: tuple[Finding, ...]
    warnings: tuple[Finding, ...]

    @property
    def verdict(self) -> str:
        codes = {item.code for item in self.blocking}
        if self.expected is None:
            return "false alarm" if codes else "ok"
        return "as expected" if self.expected & codes else "miss"


@dataclass
class Totals:
    real: list[Statement] = field(default_factory=list)
    invented: list[Statement] = field(default_factory=list)


def load_project(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*")) if path.is_file()
    }  # fmt: skip


def check_new_file(project: dict[str, bytes], path: str, content: bytes) -> list[Finding]:
    base = MemorySnapshot({name: data for name, data in project.items() if name != path}, "base")
    target = MemorySnapshot({**project, path: content}, "target")
    lines = frozenset(range(1, content.count(b"\n") + 2))
    change = Change(base, target, [ChangedPythonFile(path, lines, content)], manifests_changed=False)
    return check(change).findings


def statements(project_name: str, path: str, content: bytes, findings: list[Finding]) -> Iterator[Statement]:
    text = content.decode("utf-8")
    physical = text.split("\n")
    spans: dict[tuple[int, int], bool] = {}
    for item in imports_in_lines(text, range(1, len(physical) + 1)).imports:
        spans[(item.first_line, item.last_line)] = spans.get((item.first_line, item.last_line), False) or item.guarded
    for (first, last), guarded in sorted(spans.items()):
        source = "\n".join(physical[first - 1 : last])
        expected = _EXPECT.search(source)
        mine = [item for item in findings if item.path == path and first <= item.line <= last]
        yield Statement(
            project_name, path, first, last, source.strip(), guarded,
            frozenset(expected.group(1).split("|")) if expected else None,
            tuple(item for item in mine if item.blocks), tuple(item for item in mine if not item.blocks),
        )  # fmt: skip


def run_real(totals: Totals) -> None:
    for directory in sorted(path for path in (ROOT / "projects").iterdir() if path.is_dir()):
        project = load_project(directory)
        for path, content in project.items():
            if not path.endswith(".py") or not content.strip():
                continue
            findings = check_new_file(project, path, content)
            totals.real.extend(statements(directory.name, path, content, findings))


def run_invented(totals: Totals) -> None:
    projects: dict[str, dict[str, bytes]] = {}
    for line in (ROOT / "invented.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, path, escaped = line.split("\t")
        project = projects.setdefault(name, load_project(ROOT / "projects" / name))
        content = escaped.replace("\\n", "\n").encode() + b"\n"
        findings = check_new_file(project, path, content)
        marked = next(i for i, text in enumerate(content.decode().split("\n"), 1) if _INVENTED in text)
        for statement in statements(name, path, content, findings):
            if statement.first <= marked <= statement.last:
                totals.invented.append(statement)


def use_mapping_data(directory: Path) -> None:
    """Replace the bundled mapping by the data files in ``directory`` (for data not merged yet)."""
    from hallucheck.resolve import mapping
    def rows(name: str) -> list[list[str]]:
        text = (directory / name).read_text(encoding="utf-8")
        return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]

    table: dict[str, tuple[str, ...]] = {}
    for key, dist, *_ in rows("import_names.tsv"):
        table[key] = (*table.get(key, ()), dist)
    roots = {row[0] for row in rows("namespace_roots.txt")}
    stale = {key: (dist, advice) for key, dist, advice in rows("stale_modules.tsv")}

    def longest(module: str, keys: Collection[str]) -> str | None:
        parts = module.split(".")
        return next((".".join(parts[:end]) for end in range(len(parts), 0, -1) if ".".join(parts[:end]) in keys), None)

    def known_distributions(module: str) -> tuple[str, ...]:
        key = longest(module, table)
        return table[key] if key else ()

    def stale_module(module: str, imported_names: Iterable[str] = ()) -> mapping.StaleModule | None:
        for name in imported_names:
            if f"{module}:{name}" in stale:
                return mapping.StaleModule(f"{module}:{name}", *stale[f"{module}:{name}"])
        key = longest(module, stale)
        return mapping.StaleModule(key, *stale[key]) if key else None

    def import_names_of(distribution: str) -> tuple[str, ...]:
        wanted = mapping.normalize_distribution(distribution)
        return tuple(sorted(key for key, dists in table.items() if wanted in dists))

    mapping.known_distributions = known_distributions
    mapping.is_namespace_root = lambda top_level: top_level in roots
    mapping.stale_module = stale_module
    mapping.import_names_of = import_names_of


def use_popular(path: Path) -> None:
    """Replace the popular-names stand-in by a table of PyPI names with a download-rank column."""
    from hallucheck.resolve import mapping
    from hallucheck.evidence import popular
    ranks: dict[str, int] = {}
    with path.open(encoding="utf-8") as table:
        header = table.readline().rstrip("\n").split("\t")
        column = next(i for i, name in enumerate(header) if name.startswith("rank"))
        for line in table:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > column and fields[column].isdigit():
                ranks[mapping.normalize_distribution(fields[0])] = int(fields[column])
    popular.popularity_rank = lambda name: ranks.get(mapping.normalize_distribution(name))


def report(totals: Totals, verbose: bool) -> str:
    lines = []
    real = Counter(statement.verdict for statement in totals.real)
    projects = sorted({statement.project for statement in totals.real})
    lines.append(f"Real projects: {len(projects)} ({', '.join(projects)}), {len(totals.real)} import statements")
    for verdict in ("ok", "as expected", "false alarm", "miss"):
        lines.append(f"  {verdict:12} {real.get(verdict, 0)}")
    lines.append(f"  with a warning (non-blocking): {sum(1 for s in totals.real if s.warnings)}")
    caught = sum(1 for statement in totals.invented if statement.blocking)
    guarded = [statement for statement in totals.invented if statement.guarded]
    lines.append(f"Invented names: {len(totals.invented)} statements ({len(guarded)} guarded by try/except)")
    lines.append(f"  caught       {caught}  ({sum(1 for s in guarded if s.blocking)} of the guarded ones)")
    lines.append(f"  miss         {len(totals.invented) - caught}")
    lines.append("")
    for statement in totals.real:
        problem = statement.verdict in ("false alarm", "miss")
        if problem or statement.warnings or verbose:
            lines += _describe(statement.verdict.upper() if problem else statement.verdict, statement)
    for statement in totals.invented:
        if not statement.blocking or verbose:
            lines += _describe("invented " + ("caught" if statement.blocking else "MISS"), statement)
    return "\n".join(lines) + "\n"


def _describe(label: str, statement: Statement) -> list[str]:
    head = statement.text.splitlines()[0]
    lines = [f"{label}: {statement.project}/{statement.path}:{statement.first}: {head}"]
    findings = (*statement.blocking, *statement.warnings)
    lines += [f"    {item.code} [{item.severity.value}] {item.message}" for item in findings]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every statement, not only problems")
    parser.add_argument("--mapping-data", type=Path, help="directory of mapping data files to use instead")
    parser.add_argument("--popular", type=Path, help="TSV of PyPI names with a rank column, for popularity")
    parser.add_argument("--strict", action="store_true", help="exit 1 when there is a false alarm or a miss")
    args = parser.parse_args(argv)
    if args.mapping_data:
        use_mapping_data(args.mapping_data)
    if args.popular:
        use_popular(args.popular)
    totals = Totals()
    run_real(totals)
    run_invented(totals)
    sys.stdout.write(report(totals, args.verbose))
    failed = any(s.verdict in ("false alarm", "miss") for s in totals.real) or any(
        not s.blocking for s in totals.invented
    )
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
