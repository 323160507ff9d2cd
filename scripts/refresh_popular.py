"""Rewrite hallucheck/data/top_pypi.tsv (and its derived top_pypi.idx) from a download ranking.

The input is a downloaded copy of the public "top-pypi-packages" JSON
(``{"rows": [{"project": ..., "download_count": ...}, ...]}``) or a ``rank<TAB>name`` TSV
(``#`` comment lines and a ``rank name`` header line are skipped). Names are PEP 503-normalised; a name
that appears twice keeps its best rank.

    python scripts/refresh_popular.py top-pypi-packages.json --snapshot "2026-05"

This script is a maintenance tool: the hallucheck package never imports it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "hallucheck" / "data"
VALID_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
HEADER = """\
# The most downloaded PyPI distributions, best first: rank<TAB>name.
# Source: a {snapshot} snapshot of the public PyPI download ranking (the "top-pypi-packages" data set),
#   {count:,} names; the ranking that typosquat checkers such as twyn and GuardDog also use.
# Names are PEP 503-normalised; ranks are the ranking's own (a name missing upstream leaves a gap).
# Refresh: download the current top-pypi-packages JSON and run
#   python scripts/refresh_popular.py path/to/top-pypi-packages.json --snapshot YYYY-MM
# which rewrites this file and top_pypi.idx (a rank<TAB>name TSV is accepted as input too).
rank\tname
"""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_json(text: str) -> tuple[list[tuple[int, str]], str | None]:
    """(rank, raw name) pairs from the top-pypi-packages JSON, ranked by download count, and its date."""
    data = json.loads(text)
    ordered = sorted(data["rows"], key=lambda row: -int(row["download_count"]))
    last_update = data.get("last_update")
    return [(rank, str(row["project"])) for rank, row in enumerate(ordered, start=1)], (
        str(last_update)[:10] if last_update else None
    )


def read_tsv(text: str) -> list[tuple[int, str]]:
    """(rank, raw name) pairs from a rank<TAB>name file."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or line.startswith("#") or fields == ["rank", "name"]:
            continue
        if len(fields) != 2 or not fields[0].isdigit():
            raise ValueError(f"line {number}: expected rank<TAB>name, got {line!r}")
        pairs.append((int(fields[0]), fields[1]))
    return pairs


def ranking(pairs: list[tuple[int, str]], limit: int) -> tuple[list[tuple[int, str]], list[str]]:
    """The normalised, deduplicated ranking (best first, at most ``limit`` names) and the names rejected."""
    seen: set[str] = set()
    kept: list[tuple[int, str]] = []
    rejected: list[str] = []
    for rank, raw in sorted(pairs, key=lambda pair: pair[0]):
        name = normalise(raw)
        if not VALID_NAME.match(name):
            rejected.append(raw)
        elif name not in seen:
            seen.add(name)
            kept.append((rank, name))
    return kept[:limit], rejected


def render(kept: list[tuple[int, str]], snapshot: str) -> str:
    body = "".join(f"{rank}\t{name}\n" for rank, name in kept)
    return HEADER.format(snapshot=snapshot, count=len(kept)) + body


def write_index(output: Path, top_text: str) -> None:
    """Rewrite top_pypi.idx, the segment index that hallucheck.evidence.popular ships precomputed."""
    sys.path.insert(0, str(ROOT))
    from hallucheck.evidence import popular
    names, _ = popular._parse_top(top_text)
    sections = popular._build_sections(names)
    index_text = popular._format_index(sections, top_text)
    (output / "top_pypi.idx").write_text(index_text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="top-pypi-packages JSON or rank<TAB>name TSV")
    parser.add_argument(
        "--snapshot", help="when the ranking was taken, e.g. 2026-05 (default: the JSON's own date)"
    )
    parser.add_argument("--limit", type=int, default=15000, help="keep at most this many names (15000)")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT, help="where top_pypi.tsv goes")
    args = parser.parse_args(argv)

    text = args.source.read_text(encoding="utf-8")
    try:
        pairs, dated = read_json(text) if text.lstrip().startswith("{") else (read_tsv(text), None)
    except (ValueError, KeyError, TypeError) as error:
        print(f"{args.source}: cannot read the ranking: {error}", file=sys.stderr)
        return 1
    snapshot = args.snapshot or dated
    if not snapshot:
        print("--snapshot is required: the input does not say when it was taken", file=sys.stderr)
        return 2
    kept, rejected = ranking(pairs, args.limit)
    if not kept:
        print(f"{args.source}: no names found", file=sys.stderr)
        return 1
    if rejected:
        print(f"skipped {len(rejected)} invalid name(s): {', '.join(rejected[:5])}", file=sys.stderr)

    top_text = render(kept, snapshot)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "top_pypi.tsv").write_text(top_text, encoding="utf-8", newline="\n")
    write_index(args.output_dir, top_text)
    print(f"wrote {len(kept)} names to {args.output_dir / 'top_pypi.tsv'} and its index")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
