"""Run hallucheck on the peers' own fixture projects and compare with what each peer expects.

    python eval/peers.py --deptry PATH/TO/deptry --fawltydeps PATH/TO/FawltyDeps \\
        --hallucheck 'python -m hallucheck' [--out results.md]

The peers' repositories are read at run time from local clones and never copied into this repository:

* **deptry**: ``tests/fixtures/<project>`` with, as the expectation, the ``DEP001`` names ("imported but missing
  from the dependency definitions") of the first test of ``tests/functional/cli/test_cli_<project>.py`` (the
  deptry arguments it runs with are recorded);
* **FawltyDeps**: ``tests/sample_projects/<project>`` with ``undeclared_deps`` of ``[experiments.default]`` in its
  ``expected.toml`` (FawltyDeps run with no options on the whole project).

Each fixture is copied into a fresh temporary git repository and committed (what its .gitignore ignores is
not committed, as in a real project), and hallucheck runs
``--all-files --format json`` there with no environment (``VIRTUAL_ENV`` and the other variables removed). Its
"undeclared" names are the top-level modules of its blocking import findings (HC001, HC002, HC005, HC007, HC020,
HC022) — the hook's equivalent of DEP001 / undeclared_deps. Prints a Markdown table (per fixture: expected,
hallucheck's, agreement) and a total. Standard library only (``tomllib``: Python 3.11+).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import tomllib

UNDECLARED_CODES = frozenset({"HC001", "HC002", "HC005", "HC007", "HC020", "HC022"})
_DEP001 = re.compile(r"DEP001 '([^']+)' imported but missing")
_FIRST_TEST = re.compile(r"def test_\w+\(.*?\).*?(?=\ndef test_|\Z)", re.DOTALL)
_PROJECT = re.compile(r"Project\.(\w+)")
_ARGUMENTS = re.compile(r"run_deptry\(\s*(f?\"[^\"]*\"|'[^']*')")


@dataclass
class Fixture:
    peer: str
    name: str
    path: Path
    expected: frozenset[str]
    note: str = ""


def deptry_fixtures(root: Path) -> list[Fixture]:
    """Each deptry fixture that a CLI test runs, with the DEP001 names of that file's first test."""
    names = _project_names(root / "tests" / "functional" / "utils.py")
    found = []
    for test in sorted((root / "tests" / "functional" / "cli").glob("test_cli*.py")):
        first = _FIRST_TEST.search(test.read_text(encoding="utf-8"))
        if first is None:
            continue
        project = _PROJECT.search(first.group())
        if project is None or project.group(1) not in names:
            continue
        arguments = _ARGUMENTS.search(first.group())
        note = f"deptry {arguments.group(1).strip(chr(34) + chr(39))}" if arguments else ""
        expected = frozenset(_DEP001.findall(first.group()))
        found.append(Fixture("deptry", names[project.group(1)], root / "tests" / "fixtures" / names[project.group(1)],
                             expected, note))  # fmt: skip
    return found


def _project_names(utils: Path) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+) = \"(\w+)\"$", utils.read_text(encoding="utf-8"), re.MULTILINE))


def fawltydeps_fixtures(root: Path) -> list[Fixture]:
    """Each FawltyDeps sample project with its default experiment's undeclared names."""
    found = []
    for expected_file in sorted((root / "tests" / "sample_projects").glob("*/expected.toml")):
        data = tomllib.loads(expected_file.read_text(encoding="utf-8"))
        default = data.get("experiments", {}).get("default")
        if not isinstance(default, dict) or "undeclared_deps" not in default:
            continue
        options = [key for key in ("code", "deps", "pyenvs", "install_deps") if key in default]
        note = "options: " + ", ".join(options) if options else ""
        found.append(Fixture("FawltyDeps", expected_file.parent.name, expected_file.parent,
                             frozenset(default["undeclared_deps"]), note))  # fmt: skip
    return found


def run_hallucheck(command: list[str], fixture: Fixture, workdir: Path) -> tuple[frozenset[str], list[str]]:
    """hallucheck's undeclared names for ``fixture`` (top-level modules), and its blocking findings in short."""
    repo = workdir / fixture.peer / fixture.name
    shutil.copytree(fixture.path, repo, symlinks=True)
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONHOME") and not key.startswith("GIT_")}
    environment.update(GIT_AUTHOR_NAME="eval", GIT_AUTHOR_EMAIL="eval@example.com", GIT_COMMITTER_NAME="eval",
                       GIT_COMMITTER_EMAIL="eval@example.com")  # fmt: skip
    for arguments in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "fixture"]):
        subprocess.run(["git", *arguments], cwd=repo, env=environment, check=True, capture_output=True)
    completed = subprocess.run([*command, "--all-files", "--format", "json"], cwd=repo, env=environment,
                               capture_output=True, text=True, timeout=120)  # fmt: skip
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return frozenset({"<no report>"}), [completed.stderr.strip()[-200:]]
    names, blocking = set(), []
    for item in report["findings"]:
        if item["severity"] not in ("error", "review"):
            continue
        blocking.append(f"{item['code']} {item.get('module') or item.get('distribution')} ({item['path']})")
        if item["code"] in UNDECLARED_CODES and item.get("module"):
            names.add(item["module"].lstrip(".").split(".")[0])
    return frozenset(names), blocking


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deptry", type=Path, help="a clone of github.com/fpgmaas/deptry")
    parser.add_argument("--fawltydeps", type=Path, help="a clone of github.com/tweag/FawltyDeps")
    parser.add_argument("--hallucheck", required=True, help="the hallucheck command (shell-quoted)")
    parser.add_argument("--out", type=Path, help="write the Markdown table here (else stdout)")
    args = parser.parse_args(argv)
    fixtures = (deptry_fixtures(args.deptry) if args.deptry else []) + (
        fawltydeps_fixtures(args.fawltydeps) if args.fawltydeps else [])  # fmt: skip
    command = shlex.split(args.hallucheck)
    lines = ["| peer | fixture | peer expects undeclared | hallucheck blocks on | agree | note |",
             "| --- | --- | --- | --- | :---: | --- |"]  # fmt: skip
    agreed = 0
    details = []
    with tempfile.TemporaryDirectory() as temporary:
        for fixture in fixtures:
            names, blocking = run_hallucheck(command, fixture, Path(temporary))
            same = names == fixture.expected
            agreed += same
            lines.append(f"| {fixture.peer} | {fixture.name} | {_names(fixture.expected)} | {_names(names)} | "
                         f"{'yes' if same else '**no**'} | {fixture.note} |")  # fmt: skip
            details += [f"- {fixture.peer}/{fixture.name}: {entry}" for entry in blocking]
    lines += ["", f"Agreement: {agreed} of {len(fixtures)} fixtures.", "", "Blocking findings:", "", *details]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _names(names: frozenset[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names)) or "—"


if __name__ == "__main__":
    sys.exit(main())
