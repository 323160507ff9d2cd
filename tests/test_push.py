"""Every pushed commit is checked: a branch that is not checked out, any file list, a history with a root commit.

pre-commit and prek pass the pre-push hook only the pushed files that exist in the work tree: push a branch
while another is checked out and the files that exist only on the pushed branch never reach the hook's
arguments (with ``pass_filenames: false`` nothing does). Range mode takes its files from the range itself.
A pushed history that starts with a root commit gets no ``PRE_COMMIT_FROM_REF`` (pre-commit gives no refs and
passes the work tree's files; prek gives only ``PRE_COMMIT_TO_REF``): the pushed commit is checked whole.
Each case runs through the real frameworks and a bare remote.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.test_precommit import BAD, HookSource, git, hook_source, pre_commit  # noqa: F401 (session fixture)
from tests.test_prek import PREK

pytestmark = pytest.mark.framework

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def prek_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prek-home")  # one hook environment for the session


def _prek(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREK_HOME": str(home)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        env.pop(variable, None)
    assert PREK is not None
    return subprocess.run([PREK, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


FRAMEWORKS = ("pre-commit", "prek")
HOOK_SETTINGS = {"default": "", "no file names": "        pass_filenames: false\n"}


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest, hook_source: HookSource, prek_home: Path) -> Iterator[Runner]:  # noqa: F811
    """``run(cwd, *git_args)``: a git command whose hooks the framework installed run it."""
    if request.param == "prek" and PREK is None:
        pytest.skip("prek is not installed")

    def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        if request.param == "pre-commit":
            return git(hook_source, cwd, *args)
        env = {**os.environ, "PREK_HOME": str(prek_home)}
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
            env.pop(variable, None)
        return subprocess.run(["git", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)  # fmt: skip

    def install(cwd: Path) -> subprocess.CompletedProcess[str]:
        if request.param == "pre-commit":
            return pre_commit(hook_source, cwd, "install", "--hook-type", "pre-push")
        return _prek(prek_home, cwd, "install", "--hook-type", "pre-push")

    run.install = install  # type: ignore[attr-defined]
    yield run


@pytest.fixture(params=list(HOOK_SETTINGS))
def pushing(request: pytest.FixtureRequest, repo: Repo, hook_source: HookSource, framework: Runner,  # noqa: F811
            tmp_path: Path) -> Repo:
    """A project on ``main``, pushed to a bare remote, with the framework's pre-push hook installed."""
    config = (f"repos:\n-   repo: {hook_source.path.as_posix()}\n    rev: {hook_source.rev}\n"
              f"    hooks:\n    -   id: hallucheck\n{HOOK_SETTINGS[request.param]}")  # fmt: skip
    repo.commit({".pre-commit-config.yaml": config, "requirements.txt": "requests\n", "app.py": "import requests\n"},
                "init")  # fmt: skip
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    repo.git("remote", "add", "origin", str(remote))
    repo.git("push", "-q", "origin", "main")
    installed = framework.install(repo.root)  # type: ignore[attr-defined]
    assert installed.returncode == 0, installed.stdout
    return repo


def branch(repo: Repo, name: str, files: dict[str, str | bytes], *, orphan: bool = False) -> None:
    """Commit ``files`` on a new branch ``name`` (a root commit when ``orphan``), then check ``main`` out again."""
    if orphan:
        repo.git("checkout", "-q", "--orphan", name)
        repo.git("rm", "-rqf", "--cached", ".")
        keep = {".pre-commit-config.yaml": (repo.root / ".pre-commit-config.yaml").read_text()}
        repo.commit({**keep, **files}, name)
        repo.git("checkout", "-qf", "main")
        repo.git("clean", "-qfd")
    else:
        repo.git("checkout", "-q", "-b", name, "main")
        repo.commit(files, name)
        repo.git("checkout", "-q", "main")
    for path in files:
        assert path == "requirements.txt" or not (repo.root / path).exists()  # only on the pushed branch


def test_a_branch_that_is_not_checked_out(pushing: Repo, framework: Runner) -> None:
    """The issue's example: on main, `git push origin bad2` of a commit adding a file main does not have."""
    branch(pushing, "bad2", {"pkg/crypto.py": BAD})
    blocked = framework(pushing.root, "push", "origin", "bad2")
    assert blocked.returncode != 0 and "pkg/crypto.py:1:6: HC001" in blocked.stdout, blocked.stdout
    branch(pushing, "good", {"pkg/ok.py": "import requests\nimport json\n"})
    passed = framework(pushing.root, "push", "origin", "good")
    assert passed.returncode == 0, passed.stdout


def test_an_existing_remote_branch_updated_from_another_checkout(pushing: Repo, framework: Runner) -> None:
    branch(pushing, "topic", {"pkg/ok.py": "import json\n"})
    assert framework(pushing.root, "push", "origin", "topic").returncode == 0
    pushing.git("checkout", "-q", "topic")
    pushing.commit({"pkg/later.py": "import fakepkg_zz\n", "requirements.txt": "requests\nfakepkg-zz\n"}, "later")
    pushing.git("checkout", "-q", "main")
    blocked = framework(pushing.root, "push", "origin", "topic")
    assert blocked.returncode != 0 and "requirements.txt:2:1: HC004" in blocked.stdout, blocked.stdout


def test_a_history_that_starts_with_a_root_commit(pushing: Repo, framework: Runner) -> None:
    """pre-commit gives no refs (and the work tree's files), prek only the pushed commit: it is checked whole."""
    branch(pushing, "orphan-bad", {"lib/crypto.py": BAD, "requirements.txt": "requests\n"}, orphan=True)
    blocked = framework(pushing.root, "push", "origin", "orphan-bad")
    assert blocked.returncode != 0 and "lib/crypto.py:1:6: HC001" in blocked.stdout, blocked.stdout
    branch(pushing, "orphan-good", {"lib/ok.py": "import requests\n", "requirements.txt": "requests\n"},
           orphan=True)  # fmt: skip
    passed = framework(pushing.root, "push", "origin", "orphan-good")
    assert passed.returncode == 0, passed.stdout
