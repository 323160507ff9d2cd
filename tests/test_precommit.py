"""hallucheck through the real pre-commit framework, installed from this very project.

One snapshot of the project (a git repository holding its current files) serves as
the hook repository for the whole session, with one PRE_COMMIT_HOME, so the hook's
virtual environment is built once (its dependencies come from the package index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Repo

pytestmark = pytest.mark.framework

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BAD = "from cryptoutils import secure_hash\n"
_ISOLATED_GIT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


@dataclass(frozen=True)
class HookSource:
    path: Path
    rev: str
    home: Path
    """The PRE_COMMIT_HOME shared by the session."""
    pip_cache: Path


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookSource]:
    """A git repository with the project's current files (committed or not), for `repo:` and try-repo."""
    source = tmp_path_factory.mktemp("hook-source")
    env = {**os.environ, **_ISOLATED_GIT, "GIT_CONFIG_GLOBAL": os.devnull}
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(variable, None)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True,
    ).stdout  # fmt: skip
    for name in filter(None, os.fsdecode(listed).split("\0")):
        origin = PROJECT_ROOT / name
        if origin.is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, source / name)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=source, env=env, check=True, capture_output=True)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=source, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    yield HookSource(
        source, rev, tmp_path_factory.mktemp("pre-commit-home"), tmp_path_factory.mktemp("pip-cache")
    )


def pre_commit(
    hook: HookSource, cwd: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the pre-commit framework; stdout and stderr together, never an exception."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=_framework_env(hook, env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def git(hook: HookSource, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A git command whose hooks (installed by pre-commit) run the framework; never an exception."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=_framework_env(hook),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _framework_env(hook: HookSource, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook.home), "PIP_CACHE_DIR": str(hook.pip_cache)}
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        env.pop(variable, None)
    # The git hook pre-commit installs calls this interpreter; keep its directory findable.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return {**env, **(extra or {})}


def configure(repo: Repo, hook: HookSource) -> None:
    """Commit a .pre-commit-config.yaml that uses hallucheck from the session's snapshot."""
    repo.commit(
        {
            ".pre-commit-config.yaml": (
                f"repos:\n-   repo: {hook.path.as_posix()}\n    rev: {hook.rev}\n"
                "    hooks:\n    -   id: hallucheck\n"
            ),
            "requirements.txt": "requests\n",
            "app.py": "import requests\n",
        },
        "configure pre-commit",
    )


@pytest.fixture
def configured(repo: Repo, hook_source: HookSource) -> Repo:
    configure(repo, hook_source)
    return repo


def test_commit_through_the_installed_hook(configured: Repo, hook_source: HookSource) -> None:
    installed = pre_commit(hook_source, configured.root, "install", "--hook-type", "pre-commit")
    assert installed.returncode == 0, installed.stdout
    configured.stage({"crypto.py": BAD, "-dash.py": "import fake_dash\n"})
    blocked = git(hook_source, configured.root, "commit", "-m", "hallucinated")
    assert blocked.returncode != 0, blocked.stdout
    assert "crypto.py:1:6: HC001" in blocked.stdout and "-dash.py:1:8: HC001" in blocked.stdout
    configured.stage({"crypto.py": "import hashlib\n", "-dash.py": "import requests\n"})
    done = git(hook_source, configured.root, "commit", "-m", "real imports")
    assert done.returncode == 0, done.stdout
    # A commit that only declares a new dependency still runs the hook (always_run).
    configured.stage({"requirements.txt": "requests\nrich\n"})
    review = git(hook_source, configured.root, "commit", "-m", "new dependency")
    assert review.returncode != 0 and "requirements.txt:2:1: HC004" in review.stdout


def test_pre_push_to_a_local_bare_remote(configured: Repo, hook_source: HookSource, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    configured.git("remote", "add", "origin", str(remote))
    configured.git("push", "-q", "origin", "main")
    assert pre_commit(hook_source, configured.root, "install", "--hook-type", "pre-push").returncode == 0
    configured.commit({"crypto.py": BAD}, "bypassed the commit hook")
    configured.commit({"other.py": "import json\n"}, "later work")
    blocked = git(hook_source, configured.root, "push", "origin", "main")
    assert blocked.returncode != 0, blocked.stdout
    assert "crypto.py:1:6: HC001" in blocked.stdout
    configured.commit({"crypto.py": "import hashlib\n"}, "fix")
    pushed = git(hook_source, configured.root, "push", "origin", "main")
    assert pushed.returncode == 0, pushed.stdout
    # A new branch is checked from where it leaves what the remote has.
    configured.git("checkout", "-q", "-b", "topic")
    configured.commit({"topic.py": "import fake_topic\n"}, "topic")
    new_branch = git(hook_source, configured.root, "push", "origin", "topic")
    assert new_branch.returncode != 0 and "topic.py:1:8: HC001" in new_branch.stdout
    assert "crypto.py" not in new_branch.stdout


def test_run_all_files_in_a_shallow_clone(configured: Repo, hook_source: HookSource, tmp_path: Path) -> None:
    configured.commit({"legacy.py": BAD}, "old violation")
    configured.commit({"later.py": "import json\n"}, "later")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth=1", configured.root.as_uri(), str(clone)], check=True)
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD~1"], cwd=clone).returncode != 0
    # What pre-commit.ci does: every file, no refs, nothing staged.
    result = pre_commit(hook_source, clone, "run", "--all-files", "--verbose")
    assert result.returncode != 0, result.stdout
    assert "legacy.py:1:6: HC001" in result.stdout
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True)
    assert status.stdout == ""  # pre-commit.ci fails a hook that modifies files
    # A committed baseline lets the project adopt the hook despite the old violation.
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    subprocess.run([sys.executable, "-m", "hallucheck", "baseline"], cwd=clone, check=True, env=env)
    subprocess.run(["git", "add", ".hallucheck-baseline.json"], cwd=clone, check=True)
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "baseline"], cwd=clone, check=True)
    adopted = pre_commit(hook_source, clone, "run", "--all-files")
    assert adopted.returncode == 0, adopted.stdout


def test_run_from_ref_to_ref(configured: Repo, hook_source: HookSource) -> None:
    configured.commit({"legacy.py": BAD}, "old violation")
    configured.commit({"new.py": "import yaml\n"}, "undeclared")
    result = pre_commit(hook_source, configured.root, "run", "--from-ref", "HEAD~1", "--to-ref", "HEAD")
    assert result.returncode != 0, result.stdout
    assert "new.py:1:8: HC002" in result.stdout and "legacy.py" not in result.stdout
    older = pre_commit(hook_source, configured.root, "run", "--from-ref", "HEAD~2", "--to-ref", "HEAD~1")
    assert older.returncode != 0 and "legacy.py:1:6: HC001" in older.stdout and "new.py" not in older.stdout
    configured.commit({"new.py": "import json\n"}, "fixed")
    clean = pre_commit(hook_source, configured.root, "run", "--from-ref", "HEAD~1", "--to-ref", "HEAD")
    assert clean.returncode == 0, clean.stdout


def test_try_repo_fails_on_a_staged_hallucination_and_passes_after_removal(
    repo: Repo, hook_source: HookSource
) -> None:
    repo.commit({"requirements.txt": "requests\n", "app.py": "import requests\n"})
    repo.stage({"crypto.py": BAD})
    failed = pre_commit(hook_source, repo.root, "try-repo", str(hook_source.path), "hallucheck")
    assert failed.returncode == 1, failed.stdout
    assert "crypto.py:1:6: HC001 [error] `from cryptoutils import secure_hash`" in failed.stdout
    assert "Traceback" not in failed.stdout
    repo.git("rm", "-q", "--cached", "crypto.py")
    (repo.root / "crypto.py").unlink()
    passed = pre_commit(hook_source, repo.root, "try-repo", str(hook_source.path), "hallucheck")
    assert passed.returncode == 0, passed.stdout


@pytest.mark.parametrize(
    "name",
    ["--ignore=*", "--severity=HC001=off", "--first-party=fakepkg_zz", "--mapping=fakepkg_zz=requests",
     "--version", "--help"],
)  # fmt: skip
def test_a_committed_file_named_like_an_option_stays_a_file(
    configured: Repo, hook_source: HookSource, name: str
) -> None:
    installed = pre_commit(hook_source, configured.root, "install", "--hook-type", "pre-commit")
    assert installed.returncode == 0, installed.stdout
    configured.stage({name: "#!/usr/bin/env python3\nimport fakepkg_zz\n", "tool.py": "import fakepkg_zz\n"})
    (configured.root / name).chmod(0o755)  # identify tags it `python` by its shebang: pre-commit passes it
    configured.git("add", "-A")
    blocked = git(hook_source, configured.root, "commit", "-m", "option-named file")
    assert blocked.returncode != 0, blocked.stdout
    assert f"{name}:2:8: HC001" in blocked.stdout and "tool.py:1:8" in blocked.stdout  # one finding, two places


def test_project_args_end_with_the_terminator(repo: Repo, hook_source: HookSource) -> None:
    config = (
        f"repos:\n-   repo: {hook_source.path.as_posix()}\n    rev: {hook_source.rev}\n"
        "    hooks:\n    -   id: hallucheck\n        args: [{args}]\n"
    )
    repo.commit({".pre-commit-config.yaml": config.format(args="--quiet, --"), "requirements.txt": "requests\n"})
    repo.stage({"--ignore=*": "#!/usr/bin/env python3\nimport fakepkg_zz\n"})
    (repo.root / "--ignore=*").chmod(0o755)
    repo.git("add", "-A")
    ended = pre_commit(hook_source, repo.root, "run")
    assert ended.returncode == 1 and "--ignore=*:2:8: HC001" in ended.stdout, ended.stdout
    # Without the terminator hallucheck cannot tell the project's options from file names: it refuses.
    repo.stage({".pre-commit-config.yaml": config.format(args="--quiet")})
    unended = pre_commit(hook_source, repo.root, "run")
    assert unended.returncode != 0 and "end the hook's args with '--'" in unended.stdout, unended.stdout
