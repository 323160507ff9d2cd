"""Benchmark hallucheck as a user runs it: whole processes, medians, ratios against targets.

    python bench/run.py            # full run: builds repos in a temp dir, prints a table, exits 1 on a missed target
    python bench/run.py --quick    # small repos and few runs: a smoke test, no target is enforced

Timings are wall-clock medians of whole `hallucheck` processes (the console script of the running interpreter's
environment), measured on this machine in the same run as the floors they are compared with.
"""

from __future__ import annotations

import argparse
import os
import resource
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
ENV.pop("GIT_INDEX_FILE", None)
HALLUCHECK = str(Path(sys.executable).with_name("hallucheck"))


@dataclass
class Timing:
    label: str
    median_ms: float
    runs: int
    peak_mb: float | None = None


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def module_source(lines: int, seed: int = 0) -> str:
    """Plausible Python: imports at the top, then functions, about ``lines`` lines."""
    head = "import os\nimport json\nfrom collections import OrderedDict\n\n"
    body = []
    for index in range((lines - 4) // 4):
        body.append(
            f"def function_{seed}_{index}(value):\n    '''Docstring {index}.'''\n    return value + {index}\n\n"
        )
    return head + "".join(body)


def make_repo(root: Path, files: int, lines_per_file: int = 40) -> None:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    (root / "requirements.txt").write_text("requests\nPyYAML\n")
    per_dir = 200
    for index in range(files):
        directory = root / "pkg" / f"sub{index // per_dir}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"mod{index}.py").write_text(module_source(lines_per_file, index))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")


def timed(
    label: str, command: Sequence[str], cwd: Path, runs: int, prepare: Callable[[], None] | None = None
) -> Timing:
    samples = []
    peak = 0.0
    for _ in range(runs):
        if prepare:
            prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
        samples.append((time.perf_counter() - start) * 1000)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return Timing(label, statistics.median(samples), runs, peak / 1024)


def stage_edit(root: Path, path: str, content: str) -> Callable[[], None]:
    def prepare() -> None:
        (root / path).write_text(content)
        git(root, "add", path)

    return prepare


def run(quick: bool) -> int:
    runs = 3 if quick else 11
    small_files, large_files = (50, 500) if quick else (200, 20_000)
    work = Path(tempfile.mkdtemp(prefix="hallucheck-bench-"))
    results: dict[str, Timing] = {}
    try:
        small, large = work / "small", work / "large"
        make_repo(small, small_files)
        make_repo(large, large_files, lines_per_file=20)
        results["python -c pass"] = timed("python -c pass", [sys.executable, "-c", "pass"], small, runs)
        results["import libcst"] = timed(
            "python -c 'import libcst'", [sys.executable, "-c", "import libcst"], small, runs
        )
        (small / "README.md").write_text("docs\n")
        git(small, "add", "README.md")
        results["git diff-index"] = timed(
            "git diff-index --cached HEAD", ["git", "diff-index", "--cached", "HEAD"], small, runs
        )
        results["no import"] = timed("commit without imports (docs)", [HALLUCHECK], small, runs)
        git(small, "reset", "-q")

        hundred = module_source(100)
        results["1 import, 100 lines"] = timed(
            "1 import added, 100-line file", [HALLUCHECK], small, runs,
            stage_edit(small, "app100.py", "import yaml\n" + hundred),
        )  # fmt: skip
        ten_k = module_source(10_000)
        results["1 import, 10k lines"] = timed(
            "1 import added, 10,000-line file", [HALLUCHECK], small, runs,
            stage_edit(small, "app10k.py", ten_k[: len(ten_k) // 2] + "import yaml\n" + ten_k[len(ten_k) // 2 :]),
        )  # fmt: skip
        results["1 import, large repo"] = timed(
            f"1 import added, {large_files:,}-file repo", [HALLUCHECK], large, runs,
            stage_edit(large, "app100.py", "import yaml\n" + hundred),
        )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'measurement':<44} {'median ms':>10} {'runs':>5} {'peak MB':>8}")
    for timing in results.values():
        print(f"{timing.label:<44} {timing.median_ms:>10.1f} {timing.runs:>5} {timing.peak_mb or 0:>8.0f}")
    base = results["1 import, 100 lines"].median_ms
    checks = [
        ("commit without imports <= 100 ms", results["no import"].median_ms, 100.0),
        ("1 import, 100-line file <= 200 ms", base, 200.0),
        ("10,000-line file / 100-line file <= 1.3", results["1 import, 10k lines"].median_ms / base, 1.3),
        (f"{large_files:,} / {small_files} files <= 1.3", results["1 import, large repo"].median_ms / base, 1.3),
    ]  # fmt: skip
    print()
    missed = 0
    for label, value, limit in checks:
        ok = value <= limit
        missed += not ok
        print(f"{'ok  ' if ok else 'MISS'} {label:<48} {value:>8.2f}")
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
