"""hallucheck through prek (the Rust re-implementation of pre-commit), with the same hook manifest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.test_precommit import BAD, HookSource, hook_source  # noqa: F401 (the session fixture)

PREK = shutil.which("prek", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
pytestmark = [pytest.mark.framework, pytest.mark.skipif(PREK is None, reason="prek is not installed")]


def prek(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREK_HOME": str(home)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        env.pop(variable, None)
    assert PREK is not None
    return subprocess.run([PREK, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_prek_try_repo_and_run_block_a_staged_hallucination(
    repo: Repo,
    hook_source: HookSource,  # noqa: F811
    tmp_path: Path,
) -> None:
    home = tmp_path / "prek-home"
    config = (
        f"repos:\n-   repo: {hook_source.path.as_posix()}\n    rev: {hook_source.rev}\n"
        "    hooks:\n    -   id: hallucheck\n"
    )
    repo.commit({"requirements.txt": "requests\n", "app.py": "import requests\n", ".pre-commit-config.yaml": config})
    repo.stage({"crypto.py": BAD})
    for args in (["try-repo", str(hook_source.path), "hallucheck"], ["run"]):
        failed = prek(repo.root, home, *args)
        assert failed.returncode == 1, failed.stdout
        assert "crypto.py:1:6: HC001 [error] `from cryptoutils import secure_hash`" in failed.stdout
        assert "Traceback" not in failed.stdout
    repo.git("rm", "-q", "--cached", "crypto.py")
    (repo.root / "crypto.py").unlink()
    passed = prek(repo.root, home, "run")
    assert passed.returncode == 0, passed.stdout
