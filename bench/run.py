"""Benchmark hallucheck as a user runs it: whole processes, medians, ratios against the speed targets.

    python bench/run.py            # full run: builds repos in a temp dir, prints a table, exits 1 on a missed target
    python bench/run.py --quick    # small repos and few runs: a smoke test, no target is enforced

Timings are wall-clock medians of whole `hallucheck` processes (the console script next to the interpreter that
runs this script), measured in the same run as the floors they are compared with. Peak memory is the largest
resident set of one process. `deptry` is timed on the all-files tree when it is installed next to the interpreter
(`pip install deptry`); otherwise that comparison is reported as skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ENV = dict(
    os.environ,
    GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
    GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
    GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
)  # fmt: skip
# PYTHONDONTWRITEBYTECODE would make every run compile hallucheck's modules again: users' installs have bytecode.
for _variable in ("GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "PRE_COMMIT", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"):
    ENV.pop(_variable, None)
BIN = Path(sys.executable).parent
HALLUCHECK = str(BIN / "hallucheck")
DEPTRY = BIN / "deptry"
THIRD_PARTY = ["requests", "yaml", "numpy", "attr", "click", "jinja2", "rich", "httpx"]
DEPENDENCIES = ["requests", "PyYAML", "numpy", "attrs", "click", "Jinja2", "rich", "httpx"]


@dataclass
class Timing:
    label: str
    median_ms: float
    runs: int
    peak_mb: float


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def module_source(lines: int, seed: int = 0) -> str:
    """Plausible Python of about ``lines`` lines: imports at the top, then small functions."""
    head = "import os\nimport json\nfrom collections import OrderedDict\n"
    head += f"import {THIRD_PARTY[seed % len(THIRD_PARTY)]}\n\n"
    body = []
    for index in range(max((lines - 5) // 4, 1)):
        body.append(
            f"def function_{seed}_{index}(value):\n    '''Docstring {index}.'''\n    return value + {index}\n\n"
        )
    return head + "".join(body)


def make_repo(root: Path, files: int, lines_per_file: int = 40) -> None:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    deps = "".join(f'    "{name}",\n' for name in DEPENDENCIES)
    (root / "pyproject.toml").write_text(f'[project]\nname = "bench"\nversion = "1"\ndependencies = [\n{deps}]\n')
    (root / "app100.py").write_text(module_source(100))
    (root / "app10k.py").write_text(module_source(10_000))
    per_dir = 200
    for index in range(files):
        directory = root / "pkg" / f"sub{index // per_dir}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"mod{index}.py").write_text(module_source(lines_per_file, index))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")


def run_once(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall time (ms) and peak resident set (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    process.returncode = 0
    return elapsed, usage.ru_maxrss / 1024


def timed(
    label: str, command: Sequence[str], cwd: Path, runs: int, prepare: Callable[[], None] | None = None
) -> Timing:
    if prepare:
        prepare()
    run_once(command, cwd)  # warm-up: bytecode written, file system caches filled
    samples, peak = [], 0.0
    for _ in range(runs):
        if prepare:
            prepare()
        elapsed, rss = run_once(command, cwd)
        samples.append(elapsed)
        peak = max(peak, rss)
    return Timing(label, statistics.median(samples), runs, peak)


def add_line(root: Path, path: str, line: str, at: int) -> Callable[[], None]:
    """Stage ``path`` as committed plus ``line`` inserted after line ``at``."""

    def prepare() -> None:
        git(root, "checkout", "-q", "HEAD", "--", path)
        lines = (root / path).read_text().split("\n")
        lines.insert(at, line)
        (root / path).write_text("\n".join(lines))
        git(root, "add", path)

    return prepare


def make_history(root: Path, commits: int) -> None:
    """A repository whose history adds one small module with two imports per commit."""
    make_repo(root, 20)
    for index in range(commits):
        (root / f"feature{index}.py").write_text(
            f"import json\nimport {THIRD_PARTY[index % len(THIRD_PARTY)]}\n\n\ndef f{index}():\n    return {index}\n"
        )
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"feature {index}")


def make_tree(root: Path, files: int, lines_per_file: int) -> None:
    make_repo(root, files, lines_per_file)


def run(quick: bool) -> int:
    runs = 3 if quick else 11
    small_files, large_files = (50, 500) if quick else (200, 20_000)
    tree_files, tree_lines = (100, 200) if quick else (2_500, 200)
    history = 50 if quick else 500
    work = Path(tempfile.mkdtemp(prefix="hallucheck-bench-"))
    results: dict[str, Timing] = {}
    try:
        small, large, tree, past = work / "small", work / "large", work / "tree", work / "history"
        make_repo(small, small_files)
        make_repo(large, large_files, lines_per_file=20)
        results["pass"] = timed("floor: python -c pass", [sys.executable, "-c", "pass"], small, runs)
        results["libcst"] = timed(
            "floor: python -c 'import libcst'", [sys.executable, "-c", "import libcst"], small, runs
        )
        (small / "README.md").write_text("docs\n")
        git(small, "add", "README.md")
        results["diff-index"] = timed(
            "floor: git diff-index --cached HEAD", ["git", "diff-index", "--cached", "HEAD"], small, runs
        )
        results["none"] = timed("commit without imports (docs)", [HALLUCHECK], small, runs)
        git(small, "reset", "-q")
        results["100"] = timed(
            "1 import added, 100-line file", [HALLUCHECK], small, runs, add_line(small, "app100.py", "import yaml", 3)
        )
        git(small, "reset", "-q", "--hard")
        results["10k"] = timed(
            "1 import added, 10,000-line file",
            [HALLUCHECK],
            small,
            runs,
            add_line(small, "app10k.py", "import yaml", 3),
        )
        git(small, "reset", "-q", "--hard")
        results["large"] = timed(
            f"1 import added, {large_files:,}-file repo",
            [HALLUCHECK],
            large,
            runs,
            add_line(large, "app100.py", "import yaml", 3),
        )
        results["small"] = timed(
            f"1 import added, {small_files:,}-file repo",
            [HALLUCHECK],
            small,
            runs,
            add_line(small, "app100.py", "import yaml", 3),
        )

        make_tree(tree, tree_files, tree_lines)
        tree_runs = 1 if quick else 3
        results["all-files"] = timed(
            f"--all-files, {tree_files:,} files x {tree_lines} lines", [HALLUCHECK, "--all-files"], tree, tree_runs
        )
        if DEPTRY.exists():
            results["deptry"] = timed("deptry . (same tree)", [str(DEPTRY), "."], tree, tree_runs)

        make_history(past, history)
        half = history // 2
        results["range"] = timed(
            f"range of {history} commits",
            [HALLUCHECK, "--from-ref", f"HEAD~{history}", "--to-ref", "HEAD"],
            past,
            tree_runs,
        )
        results["half-range"] = timed(
            f"range of {half} commits",
            [HALLUCHECK, "--from-ref", f"HEAD~{history}", "--to-ref", f"HEAD~{half}"],
            past,
            tree_runs,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(results, quick, small_files, large_files)  # fmt: skip


def report(results: dict[str, Timing], quick: bool, small_files: int, large_files: int) -> int:
    print(f"{'measurement':<48} {'median ms':>10} {'runs':>5} {'peak MB':>8}")
    for timing in results.values():
        print(f"{timing.label:<48} {timing.median_ms:>10.1f} {timing.runs:>5} {timing.peak_mb:>8.0f}")
    ms = {key: timing.median_ms for key, timing in results.items()}
    checks: list[tuple[str, float, float]] = [
        ("commit without imports <= 100 ms", ms["none"], 100.0),
        ("1 import, 100-line file <= 200 ms", ms["100"], 200.0),
        ("10,000-line / 100-line file <= 1.3", ms["10k"] / ms["100"], 1.3),
        (f"{large_files:,}-file / {small_files}-file repo <= 1.3", ms["large"] / ms["small"], 1.3),
        ("all-files peak memory <= 300 MB", results["all-files"].peak_mb, 300.0),
    ]
    if "deptry" in ms:
        checks.append(("all-files / deptry <= 2", ms["all-files"] / ms["deptry"], 2.0))
    print()
    missed = 0
    for label, value, limit in checks:
        ok = value <= limit
        missed += not ok
        print(f"{'ok  ' if ok else 'MISS'} {label:<48} {value:>8.2f}")
    if "deptry" not in ms:
        print("skip all-files / deptry: deptry is not installed next to this interpreter (pip install deptry)")
    scaling = ms["range"] / ms["half-range"]
    print(f"info range scaling: twice the commits (and imports) costs {scaling:.2f}x")
    if quick:
        print("\n--quick: targets reported, not enforced")
        return 0
    return 1 if missed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small repos, few runs, targets not enforced")
    args = parser.parse_args(argv)
    if not Path(HALLUCHECK).exists():
        print(f"hallucheck is not installed next to {sys.executable}", file=sys.stderr)
        return 2
    return run(args.quick)


if __name__ == "__main__":
    raise SystemExit(main())
