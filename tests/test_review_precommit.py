"""The review flow through the real frameworks (issue 24): warnings seen at commit time, and the newcomer path
with pre-commit alone (no `hallucheck` on PATH): each blocked commit reaches a passing one by following its hint.

Hook repository and PRE_COMMIT_HOME: the session's snapshot of this project (tests/test_precommit.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.test_precommit import HookSource, _framework_env, hook_source  # noqa: F401 (the session fixture)
from tests.test_prek import PREK, prek

pytestmark = pytest.mark.framework

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = [\n    "requests>=2",\n{new}]\n'
HOOK_COMMAND = "pre-commit run hallucheck-approve --hook-stage manual"


def _config(hook: HookSource, *ids: str) -> str:
    hooks = "".join(f"      - id: {name}\n" for name in ids)
    return f"repos:\n  - repo: {hook.path.as_posix()}\n    rev: {hook.rev}\n    hooks:\n{hooks}"


class Session:
    """A person with pre-commit and git only: `hallucheck` is not on PATH."""

    def __init__(self, repo: Repo, hook: HookSource) -> None:
        self.repo = repo
        env = _framework_env(hook)
        env["PATH"] = os.pathsep.join(
            entry for entry in env["PATH"].split(os.pathsep) if entry and not (Path(entry) / "hallucheck").exists()
        )  # fmt: skip
        assert shutil.which("hallucheck", path=env["PATH"]) is None
        self.env = env
        self.timings: list[tuple[str, float]] = []

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        started = time.perf_counter()
        result = subprocess.run(
            list(args), cwd=self.repo.root, env={**self.env, **(env or {})}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, check=False,
        )  # fmt: skip
        self.timings.append((" ".join(args[2:] if args[0] == sys.executable else args), time.perf_counter() - started))
        return result

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        return self.run("git", "commit", "-q", "-m", message)

    def approve_hook(self, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "pre_commit", *HOOK_COMMAND.split()[1:], env=env)

    def commits(self) -> int:
        return int(self.run("git", "rev-list", "--count", "HEAD").stdout)


@pytest.fixture
def session(repo: Repo, hook_source: HookSource) -> Session:  # noqa: F811
    repo.commit({
        "pyproject.toml": PYPROJECT.format(new='    "langchain>=1",\n'),
        ".pre-commit-config.yaml": _config(hook_source, "hallucheck", "hallucheck-approve"),
        "app/__init__.py": "",
    })  # fmt: skip
    person = Session(repo, hook_source)
    assert person.run(sys.executable, "-m", "pre_commit", "install").returncode == 0
    return person


def _first_command(hint_output: str) -> str:
    """The first command (a backquoted text that runs pre-commit or hallucheck) of the first hint line."""
    hint = next(line for line in hint_output.splitlines() if line.strip().startswith("hint:"))
    return next(part for part in hint.split("`")[1::2] if part.startswith(("pre-commit ", "hallucheck ")))


def test_newcomer_path_with_pre_commit_alone(session: Session) -> None:
    repo = session.repo
    # 1. A made-up import: the hint says to check the name; the real module is hashlib.
    repo.stage({"app/crypto.py": "from cryptoutils import secure_hash\n"})
    blocked = session.commit("hashing")
    assert blocked.returncode == 1 and "HC001 [error]" in blocked.stdout, blocked.stdout
    assert "Check the name" in blocked.stdout
    repo.stage({"app/crypto.py": "from hashlib import sha256 as secure_hash\n"})
    passed = session.commit("hashing")
    assert passed.returncode == 0, passed.stdout

    # 2. An undeclared alias: HC002 names the manual hook first; it declares and approves; `git add`; commit.
    repo.stage({"app/vision.py": "import cv2\n"})
    blocked = session.commit("vision")
    assert blocked.returncode == 1 and "HC002 [error]" in blocked.stdout, blocked.stdout
    assert _first_command(blocked.stdout) == HOOK_COMMAND
    fixed = session.approve_hook()
    assert '+    "opencv-python",' in fixed.stdout and "approved opencv-python" in fixed.stdout, fixed.stdout
    assert "next: git add pyproject.toml" in fixed.stdout.splitlines()
    session.run("git", "add", "pyproject.toml")
    passed = session.commit("vision")
    assert passed.returncode == 0, passed.stdout
    assert "HC101 [warning]" in passed.stdout  # the approval is shown at commit time (verbose hook)

    # 3. A new dependency and its import: reviewed, then approved with the same hook.
    text = (repo.root / "pyproject.toml").read_text()
    repo.stage({"pyproject.toml": text.replace('    "opencv-python",\n', '    "opencv-python",\n    "acme-weather",\n'),
                "app/weather.py": "import acme_weather\n"})  # fmt: skip
    blocked = session.commit("weather")
    assert blocked.returncode == 1 and "HC004 [review]" in blocked.stdout, blocked.stdout
    assert _first_command(blocked.stdout.split("HC004")[1]) == HOOK_COMMAND
    fixed = session.approve_hook()
    assert "approved acme-weather" in fixed.stdout, fixed.stdout
    session.run("git", "add", "pyproject.toml")
    assert session.commit("weather").returncode == 0

    # 4. A stale path: the hint names the new home and the hook declares it; then the import is moved.
    repo.stage({"app/chat.py": "from langchain.chat_models import ChatOpenAI\n"})
    blocked = session.commit("chat")
    assert blocked.returncode == 1 and "HC022 [error]" in blocked.stdout, blocked.stdout
    assert "it is in `langchain-openai`" in blocked.stdout and HOOK_COMMAND in blocked.stdout
    fixed = session.approve_hook()
    assert "approved langchain-openai" in fixed.stdout, fixed.stdout
    session.run("git", "add", "pyproject.toml")
    repo.stage({"app/chat.py": "from langchain_openai import ChatOpenAI\n"})
    passed = session.commit("chat")
    assert passed.returncode == 0, passed.stdout

    # 5. A typosquat: the hook refuses it and says how to override; the fix is the real name, then approve.
    text = (repo.root / "pyproject.toml").read_text()
    repo.stage({"pyproject.toml": text.replace('    "acme-weather",\n', '    "acme-weather",\n    "pandsa",\n')})
    blocked = session.commit("pandas")
    assert blocked.returncode == 1 and "HC030 [error]" in blocked.stdout and "Did you mean `pandas`?" in (
        blocked.stdout
    ), blocked.stdout
    refused = session.approve_hook()
    assert refused.returncode == 1 and "not approved: `pandsa` is an error (HC030)" in refused.stdout
    assert f"HALLUCHECK_OVERRIDE_ERROR=pandsa {HOOK_COMMAND}" in refused.stdout
    assert "pandsa" not in (repo.root / "pyproject.toml").read_text().split("[tool.hallucheck.approved]")[1]
    repo.stage({"pyproject.toml": text.replace('    "acme-weather",\n', '    "acme-weather",\n    "pandas",\n')})
    assert session.commit("pandas").returncode == 1  # a real name is still a new dependency to review
    fixed = session.approve_hook()
    assert "approved pandas" in fixed.stdout, fixed.stdout
    session.run("git", "add", "pyproject.toml")
    assert session.commit("pandas").returncode == 0
    assert session.commits() == 6


def test_an_error_is_approved_through_pre_commit_only_by_name(session: Session) -> None:
    text = PYPROJECT.format(new='    "langchain>=1",\n    "reqeusts",\n')
    session.repo.stage({"pyproject.toml": text})
    assert session.commit("typo").returncode == 1
    overridden = session.approve_hook(env={"HALLUCHECK_OVERRIDE_ERROR": "reqeusts"})
    assert "approved anyway (--override-error)" in overridden.stdout, overridden.stdout
    assert (session.repo.root / "pyproject.toml").read_text() == text + (
        '\n[tool.hallucheck.approved]\nreqeusts = "reqeusts"  # overrides HC030 (an error): approved by name with '
        "--override-error\n"
    )
    session.run("git", "add", "pyproject.toml")
    passed = session.commit("typo")
    assert passed.returncode == 0 and "HC101 [warning] `reqeusts` approved in this change" in passed.stdout


WARNED = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = []\n\n[dependency-groups]\n'
    'dev = ["pytest"]\n',
    "src/app/__init__.py": "",
}


def _hook_lines(output: str) -> list[str]:
    """hallucheck's own lines in a framework's output (not the framework's status lines)."""
    lines = [line.strip() for line in output.splitlines()]
    return [line for line in lines if line.startswith(("hallucheck (staged)", "src/", "hint:"))]


def test_warnings_are_seen_at_commit_time_and_a_clean_commit_says_one_line(
    repo: Repo, hook_source: HookSource  # noqa: F811
) -> None:
    repo.commit({**WARNED, ".pre-commit-config.yaml": _config(hook_source, "hallucheck")})
    person = Session(repo, hook_source)
    assert person.run(sys.executable, "-m", "pre_commit", "install").returncode == 0
    repo.stage({"src/app/helpers.py": "import pytest\n"})
    warned = person.commit("helpers")
    assert warned.returncode == 0, warned.stdout
    assert "src/app/helpers.py:1:8: HC008 [warning]" in warned.stdout, warned.stdout
    repo.stage({"src/app/other.py": "import json\n"})
    clean = person.commit("other")
    assert clean.returncode == 0
    assert _hook_lines(clean.stdout) == ["hallucheck (staged): 1 new import checked, all resolve."], clean.stdout


@pytest.mark.skipif(PREK is None, reason="prek is not installed")
def test_prek_shows_warnings_at_commit_time_too(repo: Repo, hook_source: HookSource, tmp_path: Path) -> None:  # noqa: F811
    repo.commit({**WARNED, ".pre-commit-config.yaml": _config(hook_source, "hallucheck")})
    home = tmp_path / "prek-home"
    repo.stage({"src/app/helpers.py": "import pytest\n"})
    warned = prek(repo.root, home, "run")
    assert warned.returncode == 0, warned.stdout
    assert "src/app/helpers.py:1:8: HC008 [warning]" in warned.stdout, warned.stdout
    repo.git("commit", "-q", "--no-verify", "-m", "helpers")
    repo.stage({"src/app/other.py": "import json\n"})
    clean = prek(repo.root, home, "run")
    assert clean.returncode == 0
    assert _hook_lines(clean.stdout) == ["hallucheck (staged): 1 new import checked, all resolve."], clean.stdout
