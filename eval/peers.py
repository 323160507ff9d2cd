"""Run hallucheck on the peers' own fixture projects and compare with what each peer expects.

    python eval/peers.py --deptry PATH/TO/deptry --fawltydeps PATH/TO/FawltyDeps \\
        --hallucheck 'python -m hallucheck' [--deptry-command deptry] [--fawltydeps-command fawltydeps] \\
        [--out results.md]

The peers' repositories are read at run time from local clones and never copied into this repository:

* **deptry**: ``tests/fixtures/<project>`` with, as the expectation, the ``DEP001`` names ("imported but missing
  from the dependency definitions") of the first test of ``tests/functional/cli/test_cli_<project>.py`` (the
  deptry arguments it runs with are recorded);
* **FawltyDeps**: ``tests/sample_projects/<project>`` with ``undeclared_deps`` of ``[experiments.default]`` in its
  ``expected.toml`` (FawltyDeps run with no options on the whole project).

Each fixture is copied into a fresh temporary git repository and committed (what its .gitignore ignores is
not committed, as in a real project), and hallucheck runs
there with ``--format json`` and no environment (``VIRTUAL_ENV`` and the other variables removed), on the peer's
scope (:func:`hallucheck_arguments`: deptry's paths as ``check PATH...``, its ``--config FILE`` as ``--manifest
FILE:.``; else ``--all-files``). Its "undeclared" names are the top-level modules of its blocking import findings
(HC001, HC002, HC005, HC007, HC020, HC022; for FawltyDeps also HC006) — the hook's equivalent of DEP001 /
undeclared_deps. Prints a Markdown table (per fixture: expected,
hallucheck's, agreement) and a total. Standard library only (``tomllib``: Python 3.11+).

With ``--deptry-command`` / ``--fawltydeps-command`` each peer also runs on its own fixtures **in the same
setting**: the same committed copy, no project environment (the peer sees only the environment it is installed
in, as a hook installed by pre-commit would), with the arguments of its own test (deptry: the recorded command
line, ``--json-output``; FawltyDeps: ``--check-undeclared --json`` with the experiment's ``code``/``deps``/
``pyenvs``/``install_deps`` when it sets them). The table then gives the peer's own agreement beside hallucheck's.
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
    arguments: tuple[str, ...] = ()
    """The peer's own command-line arguments for this fixture (in the same setting)."""


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
        recorded = arguments.group(1).lstrip("f").strip(chr(34) + chr(39)) if arguments else "."
        expected = frozenset(_DEP001.findall(first.group()))
        found.append(Fixture("deptry", names[project.group(1)], root / "tests" / "fixtures" / names[project.group(1)],
                             expected, f"deptry {recorded}", tuple(shlex.split(recorded))))  # fmt: skip
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
                             frozenset(default["undeclared_deps"]), note, _fawltydeps_arguments(default)))  # fmt: skip
    return found


def _fawltydeps_arguments(experiment: dict[str, object]) -> tuple[str, ...]:
    """FawltyDeps' command line for an experiment of ``expected.toml`` (what its test builds as Settings)."""
    arguments = ["--check-undeclared", "--json"]
    for key, option in (("code", "--code"), ("deps", "--deps"), ("pyenvs", "--pyenv")):
        values = experiment.get(key)
        if isinstance(values, list) and values:
            arguments += [option, *(value or "." for value in values)]
    if experiment.get("install_deps"):
        arguments.append("--install-deps")
    return tuple(arguments)


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONHOME") and not key.startswith("GIT_")}
    environment.update(GIT_AUTHOR_NAME="eval", GIT_AUTHOR_EMAIL="eval@example.com", GIT_COMMITTER_NAME="eval",
                       GIT_COMMITTER_EMAIL="eval@example.com")  # fmt: skip
    return environment


def committed_copy(fixture: Fixture, workdir: Path) -> Path:
    """A fresh git repository holding ``fixture`` committed (what its .gitignore ignores is left out)."""
    repo = workdir / fixture.peer / fixture.name
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(fixture.path, repo, symlinks=True)
    for arguments in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "fixture"]):
        subprocess.run(["git", *arguments], cwd=repo, env=_environment(), check=True, capture_output=True)
    subprocess.run(["git", "clean", "-qfdX"], cwd=repo, env=_environment(), check=True, capture_output=True)
    return repo


def run_peer(command: list[str], fixture: Fixture, workdir: Path) -> frozenset[str]:
    """The undeclared names the peer itself reports on its own fixture, in the same setting as hallucheck."""
    repo = committed_copy(fixture, workdir)
    if fixture.peer == "deptry":
        output = workdir / "deptry.json"
        output.unlink(missing_ok=True)
        subprocess.run([*command, *fixture.arguments, "--json-output", str(output)], cwd=repo, env=_environment(),
                       capture_output=True, text=True, timeout=120)  # fmt: skip
        if not output.exists():
            return frozenset({"<no report>"})
        found = json.loads(output.read_text(encoding="utf-8"))
        return frozenset(item["module"] for item in found if item["error"]["code"] == "DEP001")
    completed = subprocess.run([*command, *fixture.arguments], cwd=repo, env=_environment(), capture_output=True,
                               text=True, timeout=120)  # fmt: skip
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return frozenset({"<no report>"})
    return frozenset(item["name"] for item in report.get("undeclared_deps") or [])


_DEPTRY_VALUES = frozenset({
    "--config", "--requirements-files", "--requirements-files-dev", "--known-first-party", "--exclude",
    "--extend-exclude", "--per-rule-ignores", "--ignore", "--pep621-dev-dependency-groups",
    "--package-module-name-map", "--optional-dependencies-dev-groups",
})  # fmt: skip


def hallucheck_arguments(fixture: Fixture) -> list[str]:
    """hallucheck's equivalent of the peer's own run: the same paths (deptry's positional arguments, as
    ``check PATH...``; ``.`` is ``--all-files``) and deptry's ``--config FILE`` as ``--manifest FILE:.`` (that
    file's declarations count for the whole repository)."""
    if fixture.peer != "deptry":
        return ["--all-files"]
    paths, manifests, pending = [], [], None
    for argument in fixture.arguments:
        if pending is not None:
            manifests += [f"--manifest={argument}:."] if pending == "--config" else []
            pending = None
        elif argument in _DEPTRY_VALUES:
            pending = argument
        elif not argument.startswith("-"):
            paths.append(argument)
    if paths in ([], ["."]):
        return ["--all-files", *manifests]
    return ["check", *manifests, *paths]


def _undeclared_codes(fixture: Fixture) -> frozenset[str]:
    """The codes that are the peer's "undeclared": FawltyDeps has no transitive category, so an import
    of a package only a declared one requires (HC006, a warning) is its ``undeclared_deps``; deptry
    reports it apart (DEP003)."""
    return UNDECLARED_CODES | {"HC006"} if fixture.peer == "FawltyDeps" else UNDECLARED_CODES


def run_hallucheck(command: list[str], fixture: Fixture, workdir: Path) -> tuple[frozenset[str], list[str]]:
    """hallucheck's undeclared names for ``fixture`` (top-level modules), and its blocking findings in short."""
    repo = committed_copy(fixture, workdir)
    environment = _environment()
    completed = subprocess.run([*command, *hallucheck_arguments(fixture), "--format", "json"], cwd=repo,
                               env=environment, capture_output=True, text=True, timeout=120)  # fmt: skip
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return frozenset({"<no report>"}), [completed.stderr.strip()[-200:]]
    names, blocking = set(), []
    for item in report["findings"]:
        if item["severity"] not in ("error", "review") and item["code"] not in _undeclared_codes(fixture):
            continue
        blocking.append(f"{item['code']} {item.get('module') or item.get('distribution')} ({item['path']})")
        if item["code"] in _undeclared_codes(fixture) and item.get("module"):
            names.add(item["module"].lstrip(".").split(".")[0])
    return frozenset(names), blocking


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deptry", type=Path, help="a clone of github.com/fpgmaas/deptry")
    parser.add_argument("--fawltydeps", type=Path, help="a clone of github.com/tweag/FawltyDeps")
    parser.add_argument("--hallucheck", required=True, help="the hallucheck command (shell-quoted)")
    parser.add_argument("--deptry-command", help="run deptry itself on its fixtures too (shell-quoted command)")
    parser.add_argument("--fawltydeps-command", help="run FawltyDeps itself on its fixtures too (shell-quoted)")
    parser.add_argument("--out", type=Path, help="write the Markdown table here (else stdout)")
    args = parser.parse_args(argv)
    fixtures = (deptry_fixtures(args.deptry) if args.deptry else []) + (
        fawltydeps_fixtures(args.fawltydeps) if args.fawltydeps else [])  # fmt: skip
    command = shlex.split(args.hallucheck)
    peers = {"deptry": args.deptry_command, "FawltyDeps": args.fawltydeps_command}
    lines = ["| peer | fixture | peer expects undeclared | the peer itself finds | peer agrees | "
             "hallucheck blocks on | hallucheck agrees | note |",
             "| --- | --- | --- | --- | :---: | --- | :---: | --- |"]  # fmt: skip
    agreed: dict[str, list[int]] = {}
    details = []
    with tempfile.TemporaryDirectory() as temporary:
        for fixture in fixtures:
            names, blocking = run_hallucheck(command, fixture, Path(temporary))
            peer_command = peers[fixture.peer]
            itself = run_peer(shlex.split(peer_command), fixture, Path(temporary)) if peer_command else None
            counts = agreed.setdefault(fixture.peer, [0, 0, 0])
            counts[0] += names == fixture.expected
            counts[1] += itself == fixture.expected
            counts[2] += 1
            lines.append(f"| {fixture.peer} | {fixture.name} | {_names(fixture.expected)} | "
                         f"{'(not run)' if itself is None else _names(itself)} | "
                         f"{'' if itself is None else _yes(itself == fixture.expected)} | {_names(names)} | "
                         f"{_yes(names == fixture.expected)} | {fixture.note} |")  # fmt: skip
            details += [f"- {fixture.peer}/{fixture.name}: {entry}" for entry in blocking]
    lines.append("")
    for peer, (ours, theirs, total) in agreed.items():
        own = f"; {peer} itself {theirs} of {total}" if peers[peer] else ""
        lines.append(f"- {peer}: hallucheck agrees on {ours} of {total} fixtures{own}.")
    lines += ["", "Blocking findings:", "", *details]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _yes(same: bool) -> str:
    return "yes" if same else "**no**"


def _names(names: frozenset[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names)) or "—"


if __name__ == "__main__":
    sys.exit(main())
