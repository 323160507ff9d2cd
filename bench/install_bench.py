"""Commits that touch only docs or notebooks: they must cost what a commit without imports costs (issue 13).

    python bench/install_bench.py [--quick]

A commit that changes a large README (a prose line, no install command) or re-runs a large notebook (outputs
change, no cell is new) is decided at the git edge, without loading the check: it must stay within the
no-import budget, measured here as the median whole process over ``python -c pass`` of the same interpreter.
Adding an install command, or a notebook cell, starts the check; those cases are shown for information.

:func:`install_cases` and :func:`install_checks` are separate so that ``bench/run.py`` can call them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ENV, HALLUCHECK, Timing, git, make_repo, timed

NO_IMPORT_BUDGET_MS = 60.0
"""Issue 15's target for a commit that adds no import: at most this much over ``python -c pass``."""
README_LINES = 20_000
NOTEBOOK_CELLS = 400


def _readme() -> str:
    parts = ["# Project\n\n```bash\npip install -r requirements.txt\n```\n"]
    for index in range(README_LINES // 4):
        parts.append(f"## Section {index}\n\nSome prose about feature {index}, with `code` and a [link](#x).\n\n")
    return "".join(parts)


def _notebook(run: int) -> str:
    cells = []
    for index in range(NOTEBOOK_CELLS):
        cells.append({
            "cell_type": "code", "execution_count": run, "id": f"c{index}", "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [f"run {run} value {index}\n" * 20]}],
            "source": ["import json\n", f"value_{index} = json.dumps({{'x': {index}}})\n", f"print(value_{index})"],
        })  # fmt: skip
    document = {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    return json.dumps(document, indent=1) + "\n"


def _stage(root: Path, path: str, text: str) -> Callable[[], None]:
    def prepare() -> None:
        (root / path).write_text(text)
        git(root, "add", path)

    return prepare


def install_cases(work: Path, runs: int) -> dict[str, Timing]:
    """Timings of docs- and notebook-only commits in a repository built under ``work`` (and the floor)."""
    root = work / "docs-repo"
    make_repo(root, 50)
    readme, notebook = _readme(), _notebook(1)
    (root / "README.md").write_text(readme)
    (root / "analysis.ipynb").write_text(notebook)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "docs")
    results = {"pass": timed("floor: python -c pass", [sys.executable, "-c", "pass"], root, runs)}
    middle = readme.index("## Section 2500")
    prose = readme[:middle] + "One more sentence of prose.\n\n" + readme[middle:]
    results["readme"] = timed(f"README only ({README_LINES:,} lines), prose added", [HALLUCHECK], root, runs,
                              _stage(root, "README.md", prose))  # fmt: skip
    git(root, "reset", "-q", "--hard")
    rerun = _notebook(2)
    results["notebook"] = timed(f"notebook only ({len(notebook) // 1024:,} kB), outputs re-run", [HALLUCHECK], root,
                                runs, _stage(root, "analysis.ipynb", rerun))  # fmt: skip
    git(root, "reset", "-q", "--hard")
    command = readme[:middle] + "```bash\npip install requests\n```\n\n" + readme[middle:]
    results["readme-install"] = timed("README only, an install command added (info)", [HALLUCHECK], root, runs,
                                      _stage(root, "README.md", command))  # fmt: skip
    git(root, "reset", "-q", "--hard")
    return results


def install_check_cases(work: Path, runs: int) -> dict[str, Timing]:
    """``hallucheck install-check`` answering a Claude Code payload, in a project with a ``pyproject.toml``."""
    root = work / "agent-project"
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\ndependencies = ["internal-lib"]\n')
    results = {"pass": timed("floor: python -c pass", [sys.executable, "-c", "pass"], root, runs)}
    for key, command in (("no-install", "git status && pytest -q"), ("popular", "pip install requests 'rich>=13'"),
                         ("hallucination", "pip install huggingface-cli"), ("typo", "pip install --upgrade reqeusts"),
                         ("declared", "uv add internal-lib")):  # fmt: skip
        payload = json.dumps({"tool_name": "Bash", "tool_input": {"command": command}})
        results[key] = _timed_stdin(f"install-check: {command}", [HALLUCHECK, "install-check"], root, runs, payload)
    return results


def _timed_stdin(label: str, command: list[str], cwd: Path, runs: int, stdin: str) -> Timing:
    import statistics
    import subprocess
    import time

    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, env=ENV)
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(label, statistics.median(samples[1:]), runs, 0.0)


def install_checks(results: dict[str, Timing]) -> list[tuple[str, float, float]]:
    """(label, value, limit) of the targets :func:`install_cases` measures."""
    floor = results["pass"].median_ms
    return [
        (f"README-only commit <= {NO_IMPORT_BUDGET_MS:.0f} ms over python", results["readme"].median_ms - floor,
         NO_IMPORT_BUDGET_MS),
        (f"notebook-outputs commit <= {NO_IMPORT_BUDGET_MS:.0f} ms over python",
         results["notebook"].median_ms - floor, NO_IMPORT_BUDGET_MS),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="few runs, targets reported but not enforced")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hallucheck-install-bench-"))
    try:
        results = install_cases(work, 3 if args.quick else 11)
        agent = install_check_cases(work, 3 if args.quick else 21)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'measurement':<56} {'median ms':>10} {'runs':>5}")
    for timing in results.values():
        print(f"{timing.label:<56} {timing.median_ms:>10.1f} {timing.runs:>5}")
    floor = agent["pass"].median_ms
    for key, timing in agent.items():
        over = "" if key == "pass" else f"  (+{timing.median_ms - floor:.1f} over python)"
        print(f"{timing.label:<56} {timing.median_ms:>10.1f} {timing.runs:>5}{over}")
    missed = 0
    for label, value, limit in install_checks(results):
        missed += value > limit
        print(f"{'ok  ' if value <= limit else 'MISS'} {label:<56} {value:>8.1f}")
    return 0 if args.quick or not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
