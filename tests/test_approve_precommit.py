"""The review flow through the real pre-commit framework: blocked → `hallucheck approve` → `git add` → commit.

The hook repository is a snapshot of this project's work tree (tracked and new, non-ignored files)
committed to a temporary git repository; pre-commit installs it (dependencies from the package index) into
one PRE_COMMIT_HOME shared by the test session (``HALLUCHECK_PRE_COMMIT_HOME`` reuses one across sessions).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Repo

ROOT = Path(__file__).parents[1]
PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n    "requests>=2",\n{new}]\n'


def _git_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"))
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"], env[f"GIT_{who}_EMAIL"] = "Test", "test@example.com"
    return env


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("HALLUCHECK_PRE_COMMIT_HOME")
    return Path(configured) if configured else tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This project's work tree as a committed git repository: (path, commit)."""
    home = tmp_path_factory.mktemp("hook-home")
    env = _git_env(home)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, env=env, capture_output=True, check=False,
    )  # fmt: skip
    if listed.returncode != 0:
        pytest.skip("the project is not a git work tree, so there is no hook repository to install")
    target = tmp_path_factory.mktemp("hook-repo")
    for name in listed.stdout.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "hook"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True, capture_output=True)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=target, env=env, check=True, capture_output=True, text=True
    )
    return target, rev.stdout.strip()


def test_blocked_then_approved_then_committed(
    repo: Repo, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    hook_path, rev = hook_repo
    config = f"repos:\n  - repo: {hook_path}\n    rev: {rev}\n    hooks:\n      - id: hallucheck\n"
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), ".pre-commit-config.yaml": config})
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=repo.root, env=env, capture_output=True, text=True, check=False)

    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    repo.stage(
        {
            "pyproject.toml": PYPROJECT.format(new='    "acme-weather",\n'),
            "hub.py": "import acme_weather\n",
        }
    )

    blocked = run("git", "commit", "-m", "use the hub")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "hub.py:1:8: HC003 [review]" in output and "pyproject.toml:6:6: HC004 [review]" in output
    assert "hallucheck approve acme-weather" in output
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "1"

    [executable] = pre_commit_home.glob("repo*/py_env-*/bin/hallucheck")  # the hook's own installed command
    approved = run(str(executable), "approve", "acme-weather")
    assert approved.returncode == 0, approved.stdout + approved.stderr
    assert approved.stdout.splitlines()[-1] == "next: git add pyproject.toml"

    assert run("git", "add", "pyproject.toml").returncode == 0
    committed = run("git", "commit", "-m", "use the hub")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "hallucheck (hallucinated imports)" in committed.stderr and "Passed" in committed.stderr
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "2"
    recorded = run("git", "show", "HEAD:pyproject.toml").stdout
    assert recorded == PYPROJECT.format(new='    "acme-weather",\n') + (
        '\n[tool.hallucheck.approved]\nacme-weather = "acme-weather"\n'
    )


def test_pre_commit_only_user_approves_with_the_manual_hook(
    repo: Repo, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    """No `hallucheck` on PATH: the blocked commit names the manual hook, which records the approval."""
    hook_path, rev = hook_repo
    config = (
        f"repos:\n  - repo: {hook_path}\n    rev: {rev}\n    hooks:\n"
        "      - id: hallucheck\n      - id: hallucheck-approve\n"
    )
    repo.commit({"pyproject.toml": PYPROJECT.format(new=""), ".pre-commit-config.yaml": config})
    path = os.pathsep.join(
        entry for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not (Path(entry) / "hallucheck").exists()
    )  # fmt: skip
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PATH": path}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=repo.root, env=env, capture_output=True, text=True, check=False)

    assert run(sys.executable, "-m", "pre_commit", "install").returncode == 0
    assert shutil.which("hallucheck", path=path) is None
    new = '    "acme-weather>=1",\n'
    repo.stage({"pyproject.toml": PYPROJECT.format(new=new), "hub.py": "import acme_weather\n"})

    blocked = run("git", "commit", "-m", "use the hub")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "pre-commit run hallucheck-approve --hook-stage manual" in output
    assert '`acme-weather = "acme-weather>=1"` under `[tool.hallucheck.approved]`' in output

    approved = run(sys.executable, "-m", "pre_commit", "run", "hallucheck-approve", "--hook-stage", "manual")
    shown = approved.stdout + approved.stderr
    assert "approved acme-weather (`acme-weather>=1`)" in shown, shown
    assert "not among the" in shown.lower()  # the evidence it approves
    assert "next: git add pyproject.toml" in shown
    assert run("git", "diff", "--cached", "--quiet", "--", "pyproject.toml").returncode == 1  # index untouched
    assert run("git", "diff", "--quiet", "--", "pyproject.toml").returncode == 1  # the approval is unstaged

    assert run("git", "add", "pyproject.toml").returncode == 0
    committed = run("git", "commit", "-m", "use the hub")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    recorded = run("git", "show", "HEAD:pyproject.toml").stdout
    assert recorded.endswith('\n[tool.hallucheck.approved]\nacme-weather = "acme-weather>=1"\n')

    # The approval stays visible to whoever reviews the range (CI, pre-push).
    ranged = run(
        sys.executable, "-m", "pre_commit", "run", "hallucheck", "--hook-stage", "manual",
        "--from-ref", "HEAD~1", "--to-ref", "HEAD", "--verbose",
    )  # fmt: skip
    assert "HC101" in ranged.stdout and "`acme-weather` approved in this range" in ranged.stdout, ranged.stdout
