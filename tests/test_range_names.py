"""In range mode the range decides what is checked: file names on the command line narrow nothing.

pre-commit and prek pass a pre-push hook the pushed files that exist in the work tree, and a hook's
configuration (``files:``, ``exclude:``, ``types:``, ``pass_filenames: false``) shapes that list further;
an attacker who controls the list must not be able to hide a file of the range with it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Repo

RANGE_FILES = {
    "pkg/crypto.py": "from cryptoutils import secure_hash\n",
    "pkg/ok.py": "import json\n",
    "tool": "#!/usr/bin/env python3\nimport fake_tool_zz\n",
    "README.md": "Run `pip install fakepkg-zz` first.\n",
    "requirements.txt": "requests\nnewdep-zz\n",
}
EXPECTED = {("pkg/crypto.py", "HC001"), ("tool", "HC001"), ("README.md", "HC040"), ("requirements.txt", "HC004")}
NAMES = [*RANGE_FILES, "app.py", "missing.py", ".", "pkg", "-x.py", "--all-files"]


@pytest.fixture
def pushed(repo: Repo) -> tuple[Repo, str, str]:
    """A repository on ``main`` and a branch ``bad`` (not checked out) whose commits add ``RANGE_FILES``."""
    repo.commit({"requirements.txt": "requests\n", "app.py": "import requests\n"}, "init")
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "bad")
    repo.commit(dict(list(RANGE_FILES.items())[:2]), "one")
    repo.write("tool", RANGE_FILES["tool"])
    os.chmod(repo.root / "tool", 0o755)
    repo.commit(dict(list(RANGE_FILES.items())[3:]), "two")
    tip = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "main")
    return repo, base, tip


def found(repo: Repo, names: list[str], capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str]]:
    outcome = repo.check("--hook", "--format", "json", "--", *names, json_output=False, capsys=capsys)
    assert outcome.code == 1, outcome.err
    return {(item["path"], item["code"]) for item in outcome.json()["findings"]}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(NAMES), unique=True, max_size=6))
def test_no_list_of_names_hides_a_file_of_the_range(
    names: list[str], pushed: tuple[Repo, str, str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, base, tip = pushed
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", tip)
    assert found(repo, names, capsys) == EXPECTED


def test_named_files_on_the_command_line_narrow_nothing(
    pushed: tuple[Repo, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, base, tip = pushed
    outcome = repo.check("--from-ref", base, "--to-ref", tip, "pkg/ok.py", capsys=capsys)
    assert outcome.code == 1 and {(item["path"], item["code"]) for item in outcome.json()["findings"]} == EXPECTED


def test_a_half_given_range_is_an_error(
    pushed: tuple[Repo, str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _, tip = pushed
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", tip)  # no FROM_REF, and no push: not a guess
    outcome = repo.check("--hook", "--", "app.py", capsys=capsys)
    assert outcome.code == 2 and "must be set together" in outcome.err


def test_a_pushed_root_history_is_checked_whole(
    pushed: tuple[Repo, str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit's shape (no refs, the branch's name, the work tree's files) and prek's (only TO_REF)."""
    repo, _, tip = pushed
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "origin")
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/bad")
    whole = {("pkg/crypto.py", "HC001"), ("tool", "HC001"), ("README.md", "HC040")}  # whole files: no new manifest
    assert found(repo, ["app.py", "requirements.txt"], capsys) == whole
    monkeypatch.setenv("PRE_COMMIT_TO_REF", tip)
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/gone")
    assert found(repo, [], capsys) == whole
    monkeypatch.delenv("PRE_COMMIT_TO_REF")
    outcome = repo.check("--hook", "--", "app.py", capsys=capsys)
    assert outcome.code == 2 and "cannot tell which commit is being pushed" in outcome.err
    assert os.path.isfile(Path(repo.root) / "app.py")
