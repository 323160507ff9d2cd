"""eval/replay.py: which commits it replays, what it records, and how it reports a run that fails."""

from __future__ import annotations

import importlib.util
import json
import shlex
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import Repo

ROOT = Path(__file__).resolve().parent.parent


def load_replay() -> ModuleType:
    spec = importlib.util.spec_from_file_location("replay", ROOT / "eval" / "replay.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["replay"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


replay = load_replay()


def run_replay(repos_dir: Path, out: Path, hallucheck: str, *extra: str) -> dict[str, Any]:
    status = replay.main(["--repos-dir", str(repos_dir), "--hallucheck", hallucheck, "--out", str(out), *extra])
    assert status == 0
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


def fake_hallucheck(tmp_path: Path, body: str) -> str:
    """A command that stands in for hallucheck: a Python script with the given body."""
    script = tmp_path / "fake_hallucheck.py"
    script.write_text(f"import sys, time\nif '--version' in sys.argv:\n    print('fake 0')\n    sys.exit(0)\n{body}\n")
    return shlex.join([sys.executable, str(script)])


@pytest.fixture
def project(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repos" / "project")
    repo.commit({"pyproject.toml": '[project]\nname = "p"\nversion = "1"\ndependencies = ["requests"]\n'}, "root")
    repo.commit({"p/__init__.py": "import requests\n"}, "declared import")
    repo.commit({"README.md": "words\n"}, "docs only")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit({"p/side.py": "import os\n"}, "on a side branch")
    repo.git("checkout", "-q", "main")
    repo.commit({"p/made_up.py": "import cryptoutils_made_up\n"}, "invented import")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "side")
    return repo


def test_replays_first_parent_python_commits_and_records_blocking_findings(project: Repo, tmp_path: Path) -> None:
    data = run_replay(project.root.parent, tmp_path / "out", shlex.join([sys.executable, "-m", "hallucheck"]))

    (result,) = data["repos"]
    subjects = [run["subject"] for run in result["range_runs"]]
    assert subjects == ["invented import", "declared import"]  # no merge, no side branch, no docs-only commit
    assert len(result["skipped_commits"]) == 1  # the root commit has no parent to compare with
    invented, declared = result["range_runs"]
    assert [(f["code"], f["path"], f["module"]) for f in invented["findings"]] == [
        ("HC001", "p/made_up.py", "cryptoutils_made_up")
    ]
    assert invented["exit_status"] == 1 and invented["failure"] is None
    assert declared["findings"] == [] and declared["exit_status"] == 0
    assert [f["module"] for f in result["all_files"]["findings"]] == ["cryptoutils_made_up"]
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "| project | 2 | 1 | 1 | 0 | 1 | HC001 1 | 0 |" in summary
    rows = [line.split("\t") for line in (tmp_path / "out" / "findings.tsv").read_text(encoding="utf-8").splitlines()]
    assert [row[:2] + row[3:8] for row in rows[1:]] == [
        ["project", "range", "HC001", "error", "p/made_up.py", "1", "cryptoutils_made_up"],
        ["project", "all-files", "HC001", "error", "p/made_up.py", "1", "cryptoutils_made_up"],
    ]


@pytest.mark.parametrize(
    ("body", "failure"),
    [
        ("time.sleep(30)", "timeout: killed after 1 s"),
        ("raise RuntimeError('boom')", "traceback: "),
        ("sys.exit(2)", "exit status 2"),
        ("print('not json'); sys.exit(1)", "unreadable report"),
        (
            'print(\'{"version": 1, "findings": [], "summary": {"warning": 0, "imports_checked": 0}}\'); sys.exit(1)',
            "exit status 1 without a blocking finding",
        ),
    ],
)
def test_a_run_that_does_not_end_as_promised_is_a_failure(
    project: Repo, tmp_path: Path, body: str, failure: str
) -> None:
    data = run_replay(
        project.root.parent, tmp_path / "out", fake_hallucheck(tmp_path, body), "--commits", "1", "--timeout", "1"
    )

    (result,) = data["repos"]
    (run,) = result["range_runs"]
    assert run["failure"].startswith(failure)
    assert result["all_files"]["failure"].startswith(failure)
    assert "## Failures" in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")


def test_a_clone_with_an_environment_is_refused(project: Repo, tmp_path: Path) -> None:
    (project.root / ".venv").mkdir()

    data = run_replay(project.root.parent, tmp_path / "out", fake_hallucheck(tmp_path, "sys.exit(3)"))

    (result,) = data["repos"]
    assert result["refused"].startswith("holds .venv")
    assert result["range_runs"] == [] and result["all_files"] is None


def test_compare_shows_before_and_after(project: Repo, tmp_path: Path) -> None:
    hallucheck = shlex.join([sys.executable, "-m", "hallucheck"])
    run_replay(project.root.parent, tmp_path / "before", hallucheck)
    project.commit({"p/made_up.py": "import os\n"}, "fix")
    project.commit({"p/more.py": "import requests\n"}, "more")

    run_replay(
        project.root.parent,
        tmp_path / "after",
        hallucheck,
        "--commits",
        "2",
        "--compare",
        str(tmp_path / "before" / "results.json"),
    )

    summary = (tmp_path / "after" / "summary.md").read_text(encoding="utf-8")
    assert "| project | 2 | 1 → 0 | 1 → 0 | 0 | 1 → 0 |" in summary


def test_update_replaces_only_the_repositories_run_again(project: Repo, tmp_path: Path) -> None:
    other = Repo(project.root.parent / "other")
    other.commit({"a.py": "import os\n"}, "root")
    other.commit({"b.py": "import sys\n"}, "second")
    clean = 'print(\'{"version": 1, "findings": [], "summary": {"warning": 0, "imports_checked": 1}}\')'
    run_replay(project.root.parent, tmp_path / "out", fake_hallucheck(tmp_path, clean), "--commits", "1")

    data = run_replay(
        project.root.parent,
        tmp_path / "out",
        fake_hallucheck(tmp_path, "sys.exit(2)"),
        *("--commits", "1", "--repo", "other", "--update"),
    )

    assert [repo["name"] for repo in data["repos"]] == ["other", "project"]
    other_result, project_result = data["repos"]
    assert other_result["range_runs"][0]["failure"].startswith("exit status 2")
    assert project_result["range_runs"][0]["failure"] is None
