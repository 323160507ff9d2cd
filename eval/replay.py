"""Replay real repositories' recent commits through hallucheck, as a pre-commit user would run it.

For every git clone under ``--repos-dir`` this runs the hallucheck executable it is given:

* in **range mode** for each of the last ``--commits`` non-merge commits on the first-parent
  line that touch Python files or manifests (``--from-ref C^ --to-ref C``), and
* in **files mode** once at HEAD, as pre-commit.ci runs it (``pre-commit run --all-files``): with
  ``--all-files``, or, when the clone's ``.pre-commit-config.yaml`` sets a top-level ``files`` or
  ``exclude`` pattern, with the tracked text files that pattern lets through (``--hook -- FILE...``,
  what pre-commit passes the hook),

always with ``--format json``, with no project environment (``VIRTUAL_ENV`` and the other
variables that could point hallucheck at one are removed; a clone holding ``.venv/`` or
``venv/`` is refused), and with a time cap per run. It records every blocking finding
(severity ``error`` or ``review``), and every run that did not finish as hallucheck promises
(a timeout, an exit status other than 0 or 1, a traceback, or output that is not the JSON
report) as a failure of its own.

    python eval/replay.py --repos-dir /work/repos --hallucheck .venv/bin/hallucheck \\
        --commits 40 --out /tmp/replay [--timeout 120] [--repo NAME ...] [--update] [--compare OLD/results.json]

Writes ``results.json`` (everything, per run), ``summary.md`` (a table per repository, then
every blocking finding) and ``findings.tsv`` (one blocking finding a line) to ``--out``.

The script reads local clones only and never fetches: clone the repositories beforehand with
enough history (``git clone --depth 150 URL``; a commit whose parent is missing from a shallow
clone is skipped and counted). It only reads the clones: hallucheck reads git objects, and the
work tree is never written. Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

#: Paths whose change makes a commit worth replaying: Python code and every manifest family
#: hallucheck reads or may read (git pathspecs; ``*`` also matches ``/``, so any depth).
REPLAY_PATHSPECS = (
    "*.py",
    "*.pyi",
    "*pyproject.toml",
    "*setup.cfg",
    "*requirements*",
    "*.in",
    "*Pipfile",
    "*environment.yml",
    "*environment.yaml",
    "*tox.ini",
    "*tox.toml",
    "*pixi.toml",
    "*langgraph.json",
    "*uv.lock",
    "*poetry.lock",
    "*pdm.lock",
)

#: Directories hallucheck would read as the project's environment.
ENVIRONMENT_DIRS = (".venv", "venv")

#: Variables that could give hallucheck an environment, a mode, or another repository.
SCRUBBED_VARIABLES = ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "PYTHONHOME")
SCRUBBED_PREFIXES = ("GIT_", "PRE_COMMIT")

BLOCKING = frozenset({"error", "review"})

#: A run slower than this is listed in the summary.
SLOW_SECONDS = 5.0


@dataclass(frozen=True)
class Finding:
    """One blocking finding, flattened from hallucheck's JSON report."""

    code: str
    severity: str
    path: str
    line: int
    module: str | None
    distribution: str | None
    message: str


@dataclass
class Run:
    """One hallucheck invocation: what was asked, how it ended, and what it found."""

    label: str  # the commit checked (range mode) or "HEAD" (files mode)
    subject: str
    argv: list[str]
    seconds: float
    exit_status: int | None  # None: killed at the time cap
    max_rss_kib: int
    findings: list[Finding] = field(default_factory=list)
    warnings: int = 0
    imports_checked: int = 0
    failure: str | None = None  # timeout, unexpected exit status, traceback, unreadable report

    @property
    def blocked(self) -> bool:
        return bool(self.findings) or self.failure is not None


@dataclass
class RepoResult:
    name: str
    head: str
    range_runs: list[Run] = field(default_factory=list)
    all_files: Run | None = None
    skipped_commits: list[str] = field(default_factory=list)  # parent missing from a shallow clone
    refused: str | None = None


# --- running hallucheck -------------------------------------------------------------------


def clean_environment(base: Mapping[str, str]) -> dict[str, str]:
    """The environment of a pre-commit user with no project environment: ours minus the pointers."""
    return {
        key: value
        for key, value in base.items()
        if key not in SCRUBBED_VARIABLES and not key.startswith(SCRUBBED_PREFIXES)
    }


def run_capped(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float
) -> tuple[int | None, str, str, float, int]:
    """Run argv in its own process group; kill the group at ``timeout`` seconds.

    Returns (exit status or None when killed, stdout, stderr, wall seconds, peak RSS in KiB of
    the process and the children it waited for).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        timed_out = threading.Event()

        def kill_group() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill_group)
        timer.start()
        try:
            _, wait_status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(wait_status)  # already reaped: keep Popen quiet
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    status = None if timed_out.is_set() else process.returncode
    return status, stdout, stderr, seconds, int(usage.ru_maxrss)


def run_hallucheck(
    command: Sequence[str], args: Sequence[str], label: str, subject: str, cwd: Path, timeout: float
) -> Run:
    split = args.index("--") if "--" in args else len(args)  # file names after `--` (the hook's form) stay last
    argv = [*command, *args[:split], "--format", "json", *args[split:]]
    status, stdout, stderr, seconds, rss = run_capped(argv, cwd, clean_environment(os.environ), timeout)
    run = Run(
        label=label,
        subject=subject,
        argv=argv[len(command) :],
        seconds=round(seconds, 3),
        exit_status=status,
        max_rss_kib=rss,
    )
    if status is None:
        run.failure = f"timeout: killed after {timeout:g} s"
        return run
    if "Traceback (most recent call last)" in stderr:
        run.failure = "traceback: " + last_lines(stderr, 6)
    elif status not in (0, 1):
        run.failure = f"exit status {status}: " + last_lines(stderr, 3)
    try:
        report = json.loads(stdout)
        read_report(report, run)
    except (ValueError, KeyError, TypeError) as error:
        run.failure = run.failure or f"unreadable report ({error}): " + last_lines(stderr or stdout, 3)
        return run
    if status == 1 and not run.findings:
        run.failure = run.failure or "exit status 1 without a blocking finding"
    if status == 0 and run.findings:
        run.failure = run.failure or "exit status 0 with a blocking finding"
    return run


def read_report(report: Any, run: Run) -> None:
    """Copy the blocking findings and the counts of a version-1 JSON report into ``run``."""
    if report["version"] != 1:
        raise ValueError(f"report version {report['version']!r}")
    for item in report["findings"]:
        if item["severity"] in BLOCKING:
            run.findings.append(
                Finding(
                    code=item["code"],
                    severity=item["severity"],
                    path=item["path"],
                    line=int(item["line"]),
                    module=item.get("module"),
                    distribution=item.get("distribution"),
                    message=item["message"],
                )
            )
    run.warnings = int(report["summary"]["warning"])
    run.imports_checked = int(report["summary"]["imports_checked"])


def last_lines(text: str, count: int) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-count:])


# --- choosing commits ---------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "core.quotepath=false", *args],
        cwd=repo,
        env=clean_environment(os.environ),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def replay_commits(repo: Path, count: int) -> Iterator[tuple[str, str, bool]]:
    """The last ``count`` non-merge first-parent commits touching Python or manifests, newest first.

    Yields (sha, subject, whether its parent is present in the clone).
    """
    log = git(
        repo,
        "log",
        "--first-parent",
        "--no-merges",
        f"--max-count={count}",
        "--format=%H%x00%P%x00%s",
        "HEAD",
        "--",
        *REPLAY_PATHSPECS,
    )
    for line in log.splitlines():
        sha, parents, subject = line.split("\0", 2)
        yield sha, subject, bool(parents) and has_commit(repo, parents.split()[0])


def has_commit(repo: Path, sha: str) -> bool:
    return (
        subprocess.run(
            ["git", "cat-file", "-e", f"{sha}^{{commit}}"],
            cwd=repo,
            env=clean_environment(os.environ),
            capture_output=True,
        ).returncode
        == 0
    )


# --- replaying a repository ---------------------------------------------------------------


def replay_repo(repo: Path, command: Sequence[str], commits: int, timeout: float, log: Any) -> RepoResult:
    result = RepoResult(name=repo.name, head=git(repo, "rev-parse", "HEAD").strip())
    present = [name for name in ENVIRONMENT_DIRS if (repo / name).exists()]
    if present:
        result.refused = f"holds {', '.join(present)}: hallucheck would read it as the project's environment"
        return result
    for sha, subject, has_parent in replay_commits(repo, commits):
        if not has_parent:
            result.skipped_commits.append(sha)
            continue
        run = run_hallucheck(command, ["--from-ref", f"{sha}^", "--to-ref", sha], sha, subject, repo, timeout)
        result.range_runs.append(run)
        print(f"  {sha[:10]} {run.seconds:6.2f}s {describe(run)}", file=log, flush=True)
    selected = precommit_selection(repo)
    if selected is None:
        result.all_files = run_hallucheck(command, ["--all-files"], "HEAD", "all files at HEAD", repo, timeout)
    else:
        files, why = selected
        subject = f"all files at HEAD that pre-commit passes ({len(files)}, {why})"
        result.all_files = run_hallucheck(command, ["--hook", "--", *files], "HEAD", subject, repo, timeout)
        result.all_files.argv = ["--hook", "--", f"<{len(files)} files: {why}>"]
    print(f"  all-files  {result.all_files.seconds:6.2f}s {describe(result.all_files)}", file=log, flush=True)
    return result


# --- what pre-commit passes in files mode -------------------------------------------------


def precommit_selection(repo: Path) -> tuple[list[str], str] | None:
    """The tracked files ``pre-commit run --all-files`` passes a hook, when the clone's
    ``.pre-commit-config.yaml`` narrows them with a top-level ``files`` or ``exclude`` pattern; else None.

    pre-commit keeps a path when ``re.search(files, path)`` matches and ``re.search(exclude, path)`` does
    not; hallucheck's hook asks for text files and symlinks (``types_or: [python, pyi, text, symlink]``):
    a file whose first 1024 bytes hold a NUL byte is binary to pre-commit's ``identify`` and is not passed.
    """
    config = repo / ".pre-commit-config.yaml"
    if not config.is_file():
        return None
    text = config.read_text(encoding="utf-8", errors="replace")
    files, exclude = top_level_scalar(text, "files"), top_level_scalar(text, "exclude")
    if not files and not exclude:
        return None
    include_pattern, exclude_pattern = re.compile(files or ""), re.compile(exclude or "^$")
    kept = []
    for path in git(repo, "ls-files", "-z").split("\0"):
        if path and include_pattern.search(path) and not exclude_pattern.search(path) and is_text(repo / path):
            kept.append(path)
    why = ", ".join(f"{key}: {value!r}" for key, value in (("files", files), ("exclude", exclude)) if value)
    return kept, f".pre-commit-config.yaml {why}"


def top_level_scalar(text: str, key: str) -> str | None:
    """The string value of a top-level ``key:`` of a YAML mapping: plain, quoted, or a ``|``/``>`` block.

    Enough for pre-commit's ``files``/``exclude`` (regular expressions); anything else reads as None.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = re.match(rf"{key}:[ \t]*(.*?)[ \t]*$", line)
        if not match:
            continue
        value = match.group(1)
        if value[:1] in ("|", ">"):
            block = []
            for following in lines[index + 1 :]:
                if following.strip() and not following[:1].isspace():
                    break
                block.append(following)
            indent = min((len(item) - len(item.lstrip()) for item in block if item.strip()), default=0)
            joined = "\n".join(item[indent:] for item in block).strip("\n")
            return joined + "\n" if value.startswith("|") else " ".join(joined.split("\n"))
        if value[:1] == "'" and value.endswith("'") and len(value) > 1:
            return value[1:-1].replace("''", "'")
        if value[:1] == '"' and value.endswith('"') and len(value) > 1:
            return json.loads(value)
        return re.sub(r"[ \t]+#.*$", "", value) or None
    return None


def is_text(path: Path) -> bool:
    """Text or a symlink, as pre-commit's ``identify`` tags a file (no NUL in the first 1024 bytes)."""
    if path.is_symlink():
        return True
    try:
        with path.open("rb") as handle:
            return b"\0" not in handle.read(1024)
    except OSError:
        return False  # a submodule or a path missing from the work tree: pre-commit passes neither


def describe(run: Run) -> str:
    if run.failure:
        return "FAILED " + run.failure
    codes = Counter(finding.code for finding in run.findings)
    return ", ".join(f"{code}:{n}" for code, n in sorted(codes.items())) or "ok"


def discover(repos_dir: Path, names: Sequence[str]) -> list[Path]:
    if names:
        return [repos_dir / name for name in names]
    return sorted(path for path in repos_dir.iterdir() if (path / ".git").exists())


# --- reporting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    commits: int
    blocked_commits: int
    range_errors: int
    range_reviews: int
    files_errors: int
    files_reviews: int
    failures: int
    codes: Counter[str]


def totals(repo: RepoResult) -> Totals:
    range_findings = [finding for run in repo.range_runs for finding in run.findings]
    files_findings = repo.all_files.findings if repo.all_files else []
    runs = [*repo.range_runs, *([repo.all_files] if repo.all_files else [])]
    return Totals(
        commits=len(repo.range_runs),
        blocked_commits=sum(run.blocked for run in repo.range_runs),
        range_errors=sum(finding.severity == "error" for finding in range_findings),
        range_reviews=sum(finding.severity == "review" for finding in range_findings),
        files_errors=sum(finding.severity == "error" for finding in files_findings),
        files_reviews=sum(finding.severity == "review" for finding in files_findings),
        failures=sum(run.failure is not None for run in runs),
        codes=Counter(f"{finding.code}" for finding in range_findings),
    )


def load_repos(path: Path) -> list[RepoResult]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [repo_from_json(item) for item in data["repos"]]


def load_totals(path: Path) -> dict[str, Totals]:
    """Per-repository totals of an earlier ``results.json``, for before → after columns."""
    return {repo.name: totals(repo) for repo in load_repos(path)}


def repo_from_json(item: Mapping[str, Any]) -> RepoResult:
    def run_from_json(raw: Mapping[str, Any]) -> Run:
        fields = {key: value for key, value in raw.items() if key != "findings"}
        return Run(**fields, findings=[Finding(**finding) for finding in raw["findings"]])

    return RepoResult(
        name=item["name"],
        head=item["head"],
        range_runs=[run_from_json(run) for run in item["range_runs"]],
        all_files=run_from_json(item["all_files"]) if item["all_files"] else None,
        skipped_commits=list(item["skipped_commits"]),
        refused=item["refused"],
    )


def cell(now: Totals, before: Totals | None, name: str) -> str:
    """One count of the summary table, as ``before → after`` when an earlier run is compared and differs."""
    count: int = getattr(now, name)
    if before is None or getattr(before, name) == count:
        return str(count)
    return f"{getattr(before, name)} → {count}"


def summary_markdown(repos: Sequence[RepoResult], meta: Mapping[str, Any], before: Mapping[str, Totals]) -> str:
    lines = [
        "# hallucheck replay",
        "",
        f"{meta['hallucheck_version']} (`{meta['hallucheck']}`{', ' + meta['label'] if meta.get('label') else ''}), "
        f"{meta['started']}; "
        f"last {meta['commits']} non-merge first-parent commits touching Python or manifests per repository, "
        f"range mode (`--from-ref C^ --to-ref C`), then `--all-files` at HEAD; no project environment.",
    ]
    if meta.get("compare"):
        lines.append(f"Cells reading `a → b` compare with `{meta['compare']}`.")
    lines += [
        "",
        "| repo | commits | blocked commits | errors (range) | reviews (range) | errors (all-files) "
        "| range findings by code | failures |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    grand = Counter[str]()
    for repo in repos:
        if repo.refused:
            lines.append(f"| {repo.name} | refused: {repo.refused} | | | | | | |")
            continue
        now, old = totals(repo), before.get(repo.name)
        codes = ", ".join(f"{code} {n}" for code, n in sorted(now.codes.items())) or "—"
        counts = [cell(now, old, name) for name in ("blocked_commits", "range_errors", "range_reviews", "files_errors")]
        lines.append(f"| {repo.name} | {now.commits} | {' | '.join(counts)} | {codes} | {cell(now, old, 'failures')} |")
        grand.update(
            commits=now.commits,
            blocked=now.blocked_commits,
            range_errors=now.range_errors,
            range_reviews=now.range_reviews,
            files_errors=now.files_errors,
            failures=now.failures,
        )
    lines.append(
        f"| **total** | {grand['commits']} | {grand['blocked']} | {grand['range_errors']} | {grand['range_reviews']} "
        f"| {grand['files_errors']} | | {grand['failures']} |"
    )
    lines += ["", *timing_section(repos), "", *failure_section(repos), "", *range_findings_section(repos)]
    lines += ["", *files_findings_section(repos)]
    return "\n".join(lines) + "\n"


def timing_section(repos: Sequence[RepoResult]) -> list[str]:
    lines = [
        "## Time per run (wall seconds) and peak memory",
        "",
        "| repo | range median | range max | all-files | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    slow: list[str] = []
    for repo in repos:
        if repo.refused:
            continue
        seconds = [run.seconds for run in repo.range_runs]
        runs = [*repo.range_runs, *([repo.all_files] if repo.all_files else [])]
        files_seconds = f"{repo.all_files.seconds:.2f}" if repo.all_files else "—"
        lines.append(
            f"| {repo.name} | {statistics.median(seconds) if seconds else 0:.2f} | {max(seconds, default=0):.2f} "
            f"| {files_seconds} | {max((run.max_rss_kib for run in runs), default=0) / 1024:.0f} |"
        )
        slow += [
            f"- {repo.name} `{run.label[:10]}` {run.seconds:.2f} s ({run.subject})"
            for run in repo.range_runs
            if run.seconds > SLOW_SECONDS
        ]
    if slow:
        lines += ["", f"Range runs slower than {SLOW_SECONDS:g} s:", "", *slow]
    return lines


def failure_section(repos: Sequence[RepoResult]) -> list[str]:
    lines = ["## Failures (timeouts, crashes, unexpected exit status)", ""]
    for repo in repos:
        for run in [*repo.range_runs, *([repo.all_files] if repo.all_files else [])]:
            if run.failure:
                lines.append(f"- {repo.name} `{run.label[:10]}` ({run.seconds:.1f} s): {run.failure}")
        if repo.skipped_commits:
            lines.append(f"- {repo.name}: {len(repo.skipped_commits)} commit(s) skipped, parent not in the clone")
    return lines if len(lines) > 2 else [*lines, "None."]


def range_findings_section(repos: Sequence[RepoResult]) -> list[str]:
    lines = ["## Every blocking finding, range mode", ""]
    for repo in repos:
        for run in repo.range_runs:
            for finding in run.findings:
                lines.append(
                    f"- {repo.name} `{run.label[:10]}` {finding.path}:{finding.line} {finding.code} "
                    f"[{finding.severity}] `{finding.module or finding.distribution}`: {finding.message}"
                )
    return lines if len(lines) > 2 else [*lines, "None."]


def files_findings_section(repos: Sequence[RepoResult]) -> list[str]:
    """All-files findings grouped by repository, code and top-level module (every one is in findings.tsv)."""
    lines = ["## Blocking findings, all-files at HEAD (grouped; every one is in findings.tsv)", ""]
    for repo in repos:
        if not repo.all_files:
            continue
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in repo.all_files.findings:
            top = (finding.module or "").split(".")[0] or "-"
            groups.setdefault((finding.code, top), []).append(finding)
        for (code, top), found in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
            example = found[0]
            paths = sorted({finding.path for finding in found})
            lines.append(
                f"- {repo.name} {code} `{top}`: {len(found)} in {len(paths)} file(s), e.g. "
                f"{example.path}:{example.line}: {example.message}"
            )
    return lines if len(lines) > 2 else [*lines, "None."]


def findings_tsv(repos: Iterable[RepoResult]) -> str:
    rows = ["repo\tmode\tcommit\tcode\tseverity\tpath\tline\tmodule\tmessage"]
    for repo in repos:
        for mode, runs in (("range", repo.range_runs), ("all-files", [repo.all_files] if repo.all_files else [])):
            for run in runs:
                for f in run.findings:
                    message = f.message.replace("\t", " ").replace("\n", " ")
                    rows.append(
                        f"{repo.name}\t{mode}\t{run.label}\t{f.code}\t{f.severity}\t{f.path}\t{f.line}\t{f.module}\t{message}"
                    )
    return "\n".join(rows) + "\n"


def hallucheck_version(command: Sequence[str]) -> str:
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, env=clean_environment(os.environ))
    return result.stdout.strip() or result.stderr.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos-dir", type=Path, required=True, help="directory of git clones (one per repository)")
    parser.add_argument("--hallucheck", required=True, help="the hallucheck executable (or a command, shell-quoted)")
    parser.add_argument("--commits", type=int, default=40, help="commits to replay per repository (default: 40)")
    parser.add_argument("--out", type=Path, required=True, help="directory for results.json, summary.md, findings.tsv")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per run (default: 120)")
    parser.add_argument(
        "--repo", action="append", default=[], help="only this clone (a name in --repos-dir); repeatable"
    )
    parser.add_argument("--label", default="", help="what was built, for the summary (such as `main 4b2b8cd`)")
    parser.add_argument(
        "--update", action="store_true", help="keep the other repositories of an earlier results.json in --out"
    )
    parser.add_argument("--compare", type=Path, help="an earlier results.json: show before → after in summary.md")
    options = parser.parse_args(argv)

    command = shlex.split(options.hallucheck)
    options.out.mkdir(parents=True, exist_ok=True)
    before = load_totals(options.compare) if options.compare else {}
    meta: dict[str, Any] = {
        "hallucheck": options.hallucheck,
        "hallucheck_version": hallucheck_version(command),
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "label": options.label,
        "commits": options.commits,
        "timeout": options.timeout,
        "compare": str(options.compare) if options.compare else None,
    }
    earlier = options.out / "results.json"
    repos = load_repos(earlier) if options.update and earlier.exists() else []
    for path in discover(options.repos_dir, options.repo):
        print(f"{path.name}:", file=sys.stderr, flush=True)
        result = replay_repo(path, command, options.commits, options.timeout, sys.stderr)
        names = [repo.name for repo in repos]
        if result.name in names:
            repos[names.index(result.name)] = result
        else:
            repos.append(result)
        write_outputs(options.out, repos, meta, before)  # after each repository: partial results are readable
    print(f"wrote {options.out}/summary.md", file=sys.stderr)
    return 0


def write_outputs(
    out: Path, repos: Sequence[RepoResult], meta: Mapping[str, Any], before: Mapping[str, Totals]
) -> None:
    data = {"meta": meta, "repos": [asdict(repo) for repo in repos]}
    (out / "results.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    (out / "summary.md").write_text(summary_markdown(repos, meta, before), encoding="utf-8")
    (out / "findings.tsv").write_text(findings_tsv(repos), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
