"""Benchmark hallucheck as a user runs it: whole processes, medians, every speed target with its floor beside it.

    python bench/run.py                       # generated repositories only; exits 1 on a missed target
    python bench/run.py --repo PATH ...       # also real trees (a clone or a bare mirror; never modified)
    python bench/run.py --quick               # small sizes and few runs: a smoke test, no target is enforced
    python bench/run.py --only synthetic --case none --case 100    # a short timing run of a few commits
    python bench/run.py --only real --commit-only --repo PATH      # a real tree's one-import commit only

Timings are wall-clock medians of whole processes; CPU time (user + system of the process and of the git processes
it waited for) is printed beside them, as it shows the work better on a loaded machine. Each measured command runs
interleaved with its floor (`python -c pass` of the same interpreter) so that both see the same machine load; "over"
is the difference of the two medians. Peak memory is the largest resident set of one process. hallucheck is the
console script next to the interpreter running this file; deptry, pre-commit and prek are taken from there too (`pip
install deptry prek pre-commit`), and a comparison whose tool is missing is reported as skipped (a miss in a full
run).

A real tree (`--repo`) is cloned with `git clone --shared` into a temporary directory (objects are borrowed, nothing
is written to the source). There: one import added to the package's `__init__.py`, `--all-files` against deptry, and
a range of up to 500 first-parent commits ending at HEAD.
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
from dataclasses import dataclass, field
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
THIRD_PARTY = ["requests", "yaml", "numpy", "attr", "click", "jinja2", "rich", "httpx"]
DEPENDENCIES = ["requests", "PyYAML", "numpy", "attrs", "click", "Jinja2", "rich", "httpx"]
PASS = [sys.executable, "-c", "pass"]


@dataclass
class Timing:
    label: str
    samples: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """User and system time of the process and the git processes it waited for (ms): load shows less here."""
    floor_cpu: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def over(self) -> float:
        return self.median - statistics.median(self.floor) if self.floor else self.median

    @property
    def cpu_over(self) -> float:
        floor = statistics.median(self.floor_cpu) if self.floor_cpu else 0.0
        return statistics.median(self.cpu) - floor


@dataclass
class Target:
    label: str
    value: float | None
    limit: float
    unit: str
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None and self.value <= self.limit


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True, text=True).stdout


def tool(name: str) -> str | None:
    path = BIN / name
    return str(path) if path.exists() else shutil.which(name)


def run_once(command: Sequence[str], cwd: Path) -> tuple[float, float, int, float]:
    """Wall time (ms), peak resident set (MB), exit status and CPU time (ms) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode, (usage.ru_utime + usage.ru_stime) * 1000


def timed(
    label: str,
    command: Sequence[str],
    cwd: Path,
    runs: int,
    prepare: Callable[[], None] | None = None,
    floor: Sequence[str] | None = PASS,
) -> Timing:
    """``runs`` interleaved runs of ``command`` and its ``floor``, after one warm-up of each."""
    timing = Timing(label)
    if prepare:
        prepare()
    run_once(command, cwd)  # warm-up: bytecode written, file system caches filled
    if floor:
        run_once(floor, cwd)
    for _ in range(runs):
        if prepare:
            prepare()
        elapsed, rss, code, cpu = run_once(command, cwd)
        timing.samples.append(elapsed)
        timing.cpu.append(cpu)
        timing.peak_mb = max(timing.peak_mb, rss)
        timing.codes.add(code)
        if floor:
            floor_elapsed, _, _, floor_cpu = run_once(floor, cwd)
            timing.floor.append(floor_elapsed)
            timing.floor_cpu.append(floor_cpu)
    over = f", {timing.over:.0f} ms over its floor" if floor else ""
    print(f"  {label}: {timing.median:.0f} ms{over} (exit {sorted(timing.codes)})", flush=True)
    return timing


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


def pyproject(extra: Sequence[str] = ()) -> str:
    deps = "".join(f'    "{name}",\n' for name in [*DEPENDENCIES, *extra])
    return f'[project]\nname = "bench"\nversion = "1"\ndependencies = [\n{deps}]\n'


def make_repo(root: Path, files: int, lines_per_file: int = 40) -> None:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    (root / "pyproject.toml").write_text(pyproject())
    (root / "app100.py").write_text(module_source(100))
    (root / "app10k.py").write_text(module_source(10_000))
    per_dir = 200
    for index in range(files):
        directory = root / "pkg" / f"sub{index // per_dir}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"mod{index}.py").write_text(module_source(lines_per_file, index))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")


def stage(root: Path, path: str, text: str) -> Callable[[], None]:
    """Stage ``path`` with ``text`` (the work tree matches the index, as under pre-commit)."""

    def prepare() -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
        git(root, "add", path)

    return prepare


def add_line(root: Path, path: str, line: str, at: int) -> Callable[[], None]:
    """Stage ``path`` as committed plus ``line`` inserted after line ``at``."""
    lines = git(root, "show", f"HEAD:{path}").split("\n")
    lines.insert(at, line)
    return stage(root, path, "\n".join(lines))


def make_history(root: Path, commits: int) -> None:
    """A repository whose history adds one small module with two imports per commit."""
    make_repo(root, 20)
    for index in range(commits):
        (root / f"feature{index}.py").write_text(
            f"import json\nimport {THIRD_PARTY[index % len(THIRD_PARTY)]}\n\n\ndef f{index}():\n    return {index}\n"
        )
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"feature {index}")


def hook_config() -> str:
    """A local hook with this repository's hook manifest, running the console script next to this interpreter."""
    import yaml

    manifest = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
    hook = yaml.safe_load(manifest.read_text())[0]
    command = str(hook["entry"]).split()
    hook.update(entry=" ".join([HALLUCHECK, *command[1:]]), language="system")
    return str(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, sort_keys=False))


SYNTHETIC_CASES = ("none", "100", "10k", "small", "large", "pyproject", "indexed", "pre-commit", "prek")
"""The measurements of the generated repositories, as ``--case`` names them."""


def synthetic(
    results: dict[str, Timing], work: Path, quick: bool, runs: int, cases: Sequence[str] = SYNTHETIC_CASES
) -> list[Target]:
    if set(cases) != set(SYNTHETIC_CASES):
        return some_cases(results, work, quick, runs, cases)
    small_files, large_files = (50, 500) if quick else (200, 20_000)
    small, large = work / "small", work / "large"
    make_repo(small, small_files)
    make_repo(large, large_files, lines_per_file=20)
    results["none"] = timed("commit without imports (docs)", [HALLUCHECK], small, runs, stage(small, "README.md", "x"))
    git(small, "rm", "-q", "--cached", "README.md")
    results["100"] = timed(
        "1 import added, 100-line file", [HALLUCHECK], small, runs, add_line(small, "app100.py", "import yaml", 3)
    )
    git(small, "reset", "-q", "--hard")
    results["10k"] = timed(
        "1 import added, 10,000-line file", [HALLUCHECK], small, runs, add_line(small, "app10k.py", "import yaml", 3)
    )
    git(small, "reset", "-q", "--hard")
    results["small"] = timed(
        f"1 import added, {small_files:,}-file repo", [HALLUCHECK], small, runs,
        add_line(small, "app100.py", "import yaml", 3),
    )  # fmt: skip
    results["large"] = timed(
        f"1 import added, {large_files:,}-file repo", [HALLUCHECK], large, runs,
        add_line(large, "app100.py", "import yaml", 3),
    )  # fmt: skip
    git(small, "reset", "-q", "--hard")
    results["pyproject"] = timed(
        "pyproject.toml only: a new dependency", [HALLUCHECK], small, runs,
        stage(small, "pyproject.toml", pyproject(["humanize"])),
    )  # fmt: skip
    git(small, "reset", "-q", "--hard")
    results["indexed"] = timed(
        "1 import of an indexed distribution (numpy: module index read)", [HALLUCHECK], small, runs,
        add_line(small, "app100.py", "from numpy import linalg", 3),
    )  # fmt: skip
    git(small, "reset", "-q", "--hard")
    targets = [
        Target("commit without imports, over python -c pass", results["none"].over, 60, "ms"),
        Target("1 import, 100-line file, over python -c pass", results["100"].over, 100, "ms"),
        Target("10,000-line file / 100-line file", results["10k"].median / results["100"].median, 1.3, "x"),
        Target(f"{large_files:,}-file / {small_files}-file repo", results["large"].median / results["small"].median,
               1.3, "x"),
        Target("pyproject-only commit, over python -c pass", results["pyproject"].over, 100, "ms"),
        Target("1 indexed import (numpy), over python -c pass", results["indexed"].over, 100, "ms"),
        Target("module index installed size", _index_size() / 1e6, 10, "MB",
               "first lookups per distribution: python bench/index_bench.py"),
    ]  # fmt: skip
    targets += frameworks(results, small, runs)
    return targets


_LIMITS = {"none": 60, "100": 100, "pyproject": 100, "indexed": 100}


def some_cases(results: dict[str, Timing], work: Path, quick: bool, runs: int, cases: Sequence[str]) -> list[Target]:
    """Only the commit-path measurements ``cases`` names (a short timing run: ``--case none --case 100``), in the
    small generated repository; the ratios that need another measurement are left out."""
    small = work / "small"
    make_repo(small, 50 if quick else 200)
    prepared: dict[str, tuple[str, Callable[[], None]]] = {
        "none": ("commit without imports (docs)", stage(small, "README.md", "x")),
        "100": ("1 import added, 100-line file", add_line(small, "app100.py", "import yaml", 3)),
        "10k": ("1 import added, 10,000-line file", add_line(small, "app10k.py", "import yaml", 3)),
        "pyproject": ("pyproject.toml only: a new dependency", stage(small, "pyproject.toml", pyproject(["humanize"]))),
        "indexed": ("1 import of an indexed distribution (numpy: module index read)",
                    add_line(small, "app100.py", "from numpy import linalg", 3)),
    }  # fmt: skip
    targets = []
    for case in cases:
        if case not in prepared:
            continue  # the frameworks and the large repository need the whole group
        label, prepare = prepared[case]
        results[case] = timed(label, [HALLUCHECK], small, runs, prepare)
        git(small, "reset", "-q", "--hard")
        git(small, "rm", "-q", "--cached", "--ignore-unmatch", "README.md")
        if case in _LIMITS:
            targets.append(Target(f"{label}, over python -c pass", results[case].over, _LIMITS[case], "ms"))
    return targets


def _index_size() -> int:
    index = Path(__file__).resolve().parent.parent / "hallucheck" / "data" / "index"
    return sum(item.stat().st_size for item in index.iterdir())


def frameworks(results: dict[str, Timing], repo: Path, runs: int) -> list[Target]:
    """The one-import commit under pre-commit and prek (`run`, a local hook with this repository's manifest)."""
    (repo / ".pre-commit-config.yaml").write_text(hook_config())
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "hook")
    targets = []
    for name in ("pre-commit", "prek"):
        executable = tool(name)
        if executable is None:
            targets.append(Target(f"{name} run blocks the import", None, 1, "exit", f"{name} is not installed"))
            continue
        timing = timed(
            f"{name} run, 1 import added", [executable, "run"], repo, runs,
            add_line(repo, "app100.py", "import cryptoutils", 3),
        )  # fmt: skip
        results[name] = timing
        targets.append(Target(f"{name} run blocks the import (exit 1)", 0 if timing.codes == {1} else None, 0, "",
                              f"{timing.median:.0f} ms, {timing.over:.0f} ms over python -c pass"))  # fmt: skip
        git(repo, "reset", "-q", "--hard")
    return targets


def manifests(results: dict[str, Timing], work: Path, quick: bool) -> list[Target]:
    """A commit that adds a requirements file of n lines (every dependency new, each reviewed)."""
    sizes = (200, 800, 5_000) if quick else (2_000, 8_000, 50_000)
    root = work / "manifests"
    root.mkdir()
    git(root, "init", "-q")
    (root / "app.py").write_text("x = 1\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    per_line = {}
    base = timed("manifests: docs-only commit", [HALLUCHECK], root, 3, stage(root, "README.md", "x"))
    git(root, "rm", "-q", "--cached", "README.md")
    for size in sizes:
        text = "".join(f"package-{index}>=1.{index}\n" for index in range(size))
        timing = timed(f"requirements.txt of {size:,} new lines", [HALLUCHECK], root, 1,
                       stage(root, "requirements.txt", text), floor=None)  # fmt: skip
        git(root, "rm", "-q", "--cached", "requirements.txt")
        results[f"req{size}"] = timing
        per_line[size] = (timing.median - base.median) / size
    small, middle, large = sizes
    return [
        Target(f"manifest cost per line, {large:,} / {small:,} lines", per_line[large] / per_line[small], 1.5, "x",
               " ".join(f"{size:,}: {results[f'req{size}'].median / 1000:.1f} s" for size in sizes)),
        Target(f"manifest cost per line, {middle:,} / {small:,} lines", per_line[middle] / per_line[small], 1.5, "x"),
    ]  # fmt: skip


def history(results: dict[str, Timing], work: Path, quick: bool) -> list[Target]:
    commits = 50 if quick else 500
    root = work / "history"
    make_history(root, commits)
    results["range"] = timed(f"generated range of {commits} commits", [HALLUCHECK, f"HEAD~{commits}..HEAD"], root,
                             3, floor=None)  # fmt: skip
    return []


def real_tree(
    results: dict[str, Timing], source: str, work: Path, quick: bool, runs: int, commit_only: bool = False
) -> list[Target]:
    name = Path(source.rstrip("/")).name.removesuffix(".git")
    if name == "repo":  # a mirror laid out as OWNER+NAME/repo
        name = Path(source.rstrip("/")).parent.name.split("+")[-1]
    root = work / f"real-{name}"
    print(f"  cloning {source} (shared objects) ...", flush=True)
    subprocess.run(["git", "clone", "-q", "--shared", source, str(root)], env=ENV, check=True, capture_output=True)
    listed = git(root, "ls-files", "-z", "--", "*.py").split("\0")
    init = next((path for path in listed if path.count("/") == 1 and path.endswith("/__init__.py")), None)
    target = init or next(path for path in listed if path)
    tree_runs = 1 if quick else 3
    results[f"{name}-commit"] = commit = timed(
        f"{name}: 1 import added to {target}", [HALLUCHECK], root, runs, add_line(root, target, "import requests", 1)
    )
    git(root, "reset", "-q", "--hard")
    if commit_only:
        return [Target(f"{name}: 1-import commit, over python -c pass", commit.over, 150, "ms")]
    results[f"{name}-all"] = every = timed(f"{name}: --all-files", [HALLUCHECK, "--all-files"], root, tree_runs,
                                           floor=None)  # fmt: skip
    targets = [
        Target(f"{name}: 1-import commit, over python -c pass", commit.over, 150, "ms"),
        Target(f"{name}: --all-files peak memory", every.peak_mb, 300, "MB"),
    ]
    deptry = tool("deptry")
    if deptry is None:
        targets.append(Target(f"{name}: --all-files / deptry", None, 2, "x", "deptry is not installed"))
    else:
        results[f"{name}-deptry"] = floor = timed(f"{name}: deptry .", [deptry, "."], root, tree_runs, floor=None)
        note = f"{every.median / 1000:.2f} s vs {floor.median / 1000:.2f} s; {_cores(every, floor)}"
        targets.append(Target(f"{name}: --all-files / deptry", every.median / floor.median, 2, "x", note))
    length = min(500, int(git(root, "rev-list", "--first-parent", "--count", "HEAD")) - 1)
    results[f"{name}-range"] = span = timed(
        f"{name}: range of {length} commits", [HALLUCHECK, "--from-ref", f"HEAD~{length}", "--to-ref", "HEAD"],
        root, tree_runs, floor=None,
    )  # fmt: skip
    if length >= 500 or quick:
        targets.append(Target(f"{name}: range of {length} commits", span.median / 1000, 5, "s"))
    else:
        targets.append(Target(f"{name}: range of 500 commits", None, 5, "s", f"only {length} commits of history"))
    return targets


def _cores(every: Timing, deptry: Timing) -> str:
    """How many cores each tool kept busy (CPU time over wall time): hallucheck forks one scanning worker per
    core (at most 8) from 300 files on; deptry parses on several threads."""
    def busy(timing: Timing) -> float:
        return statistics.median(timing.cpu) / timing.median

    return f"cores busy (CPU/wall) {busy(every):.1f} vs {busy(deptry):.1f} of {os.cpu_count()}"


def report(results: dict[str, Timing], targets: list[Target]) -> int:
    print(f"\n{'measurement':<58} {'median ms':>10} {'floor ms':>9} {'over':>8} {'cpu ms':>8} {'cpu over':>9} "
          f"{'runs':>5} {'peak MB':>8}")  # fmt: skip
    for timing in results.values():
        floor = f"{statistics.median(timing.floor):9.1f}" if timing.floor else f"{'':>9}"
        over = f"{timing.over:8.1f}" if timing.floor else f"{'':>8}"
        cpu_over = f"{timing.cpu_over:9.1f}" if timing.floor_cpu else f"{'':>9}"
        print(f"{timing.label:<58} {timing.median:>10.1f} {floor} {over} {statistics.median(timing.cpu):>8.1f} "
              f"{cpu_over} {len(timing.samples):>5} {timing.peak_mb:>8.0f}")  # fmt: skip
    print(f"\n{'target':<58} {'value':>10} {'limit':>8}")
    missed = 0
    for item in targets:
        missed += not item.ok
        value = "skipped" if item.value is None else f"{item.value:.2f} {item.unit}".strip()
        status = "ok  " if item.ok else "MISS"
        print(f"{status} {item.label:<53} {value:>10} {f'<= {item.limit:g} {item.unit}'.strip():>10}  {item.note}")
    load = os.getloadavg()
    print(f"\nload average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    return missed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs, targets not enforced")
    parser.add_argument("--repo", action="append", default=[], metavar="PATH",
                        help="a real repository (clone or bare mirror) to measure too; repeatable")  # fmt: skip
    parser.add_argument("--only", choices=("synthetic", "manifests", "history", "real"), action="append",
                        help="run only these groups (default: all)")  # fmt: skip
    parser.add_argument("--case", choices=SYNTHETIC_CASES, action="append",
                        help="of the generated repositories, measure only these commits (a short run)")
    parser.add_argument("--runs", type=int, help="runs of each measurement (default: 11, 3 with --quick)")
    parser.add_argument("--commit-only", action="store_true",
                        help="of the real trees, measure only the one-import commit (a short run)")  # fmt: skip
    args = parser.parse_args(argv)
    if not Path(HALLUCHECK).exists():
        print(f"hallucheck is not installed next to {sys.executable}", file=sys.stderr)
        return 2
    runs = args.runs or (3 if args.quick else 11)
    groups = set(args.only or ("synthetic", "manifests", "history", "real"))
    work = Path(tempfile.mkdtemp(prefix="hallucheck-bench-"))
    results: dict[str, Timing] = {}
    targets: list[Target] = []
    try:
        if "synthetic" in groups:
            targets += synthetic(results, work, args.quick, runs, args.case or SYNTHETIC_CASES)
        if "manifests" in groups:
            targets += manifests(results, work, args.quick)
        if "history" in groups:
            targets += history(results, work, args.quick)
        if "real" in groups:
            for source in args.repo:
                targets += real_tree(results, source, work, args.quick, runs, args.commit_only)
            if not args.repo:
                targets.append(Target("real trees (--repo PATH): saleor/django-size checkouts", None, 0, "",
                                      "no --repo given"))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missed = report(results, targets)
    if args.quick:
        print("--quick: targets reported, not enforced")
        return 0
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
