"""Staged mode under the real frameworks whatever file list they pass (issue 21, part 6): with
``pass_filenames: false`` pre-commit and prek pass no file names, and the commit's staged changes are still
what is checked: a new module's import and an install run from Python code."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.test_precommit import BAD, HookSource, git, hook_source, pre_commit  # noqa: F401 (session fixture)
from tests.test_prek import PREK

pytestmark = pytest.mark.framework

INSTALLS = ('import subprocess, sys\n'
            'subprocess.check_call([sys.executable, "-m", "pip", "install", "huggingface-cli"])\n')
SETTINGS = {"default": "", "no file names": "        pass_filenames: false\n"}


def _prek_run(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREK_HOME": str(home)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        env.pop(variable, None)
    return subprocess.run(list(args), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(params=["pre-commit", "prek"])
def committing(request: pytest.FixtureRequest, hook_source: HookSource,  # noqa: F811
               tmp_path_factory: pytest.TempPathFactory) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run(cwd, *git_args)`` once the framework installed its pre-commit hook in ``cwd`` (``install(cwd)``)."""
    if request.param == "prek" and PREK is None:
        pytest.skip("prek is not installed")
    home = tmp_path_factory.mktemp("prek-home")

    def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        if request.param == "pre-commit":
            return git(hook_source, cwd, *args)
        return _prek_run(home, cwd, "git", *args)

    def install(cwd: Path) -> subprocess.CompletedProcess[str]:
        if request.param == "pre-commit":
            return pre_commit(hook_source, cwd, "install")
        assert PREK is not None
        return _prek_run(home, cwd, PREK, "install")

    run.install = install  # type: ignore[attr-defined]
    return run


@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize(("path", "content"), [("secure.py", BAD), ("tools/bootstrap.py", INSTALLS)])
def test_a_staged_new_module_is_checked_whatever_files_are_passed(
    repo: Repo, hook_source: HookSource, committing: Callable[..., subprocess.CompletedProcess[str]],  # noqa: F811
    setting: str, path: str, content: str,
) -> None:  # fmt: skip
    config = (f"repos:\n-   repo: {hook_source.path.as_posix()}\n    rev: {hook_source.rev}\n"
              f"    hooks:\n    -   id: hallucheck\n{SETTINGS[setting]}")  # fmt: skip
    repo.commit({".pre-commit-config.yaml": config, "requirements.txt": "requests\n", "app.py": "import requests\n"})
    installed = committing.install(repo.root)  # type: ignore[attr-defined]
    assert installed.returncode == 0, installed.stdout
    repo.stage({path: content})
    result = committing(repo.root, "commit", "-m", "add module")
    assert result.returncode != 0, result.stdout
    assert "cryptoutils" in result.stdout or "huggingface-cli" in result.stdout, result.stdout
    assert repo.git("rev-list", "--count", "HEAD").strip() == "1"  # the commit was stopped
