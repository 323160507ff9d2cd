"""The agent hook reads the project's manifests (from git, and from disk for what a command installs from) under
its deadline (attack D10): a project too large or too contrived to read in time is asked about, at the deadline,
not answered after the agent's timeout; what was found before the deadline stands (a denied name stays denied).
Every case runs through the payload shapes of Claude Code, Codex and Cursor."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hallucheck.commands import install_check
from tests.conftest import Repo
from tests.test_install_check_disk import answer
from tests.test_install_check_git import BASE, INVENTED, SHAPES, UNKNOWN


def _chain(size: int, last: str) -> str:
    """``size`` dependency groups, each including the next (2,400 took 22 s in the hook before D10's fix)."""
    groups = "".join(f'g{i} = [{{include-group = "g{i + 1}"}}, "rich"]\n' for i in range(size))
    return f'{BASE}[dependency-groups]\n{groups}g{size} = ["{last}"]\n'


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    repo.commit({"pyproject.toml": BASE.replace('["rich"]', f'["rich", "{UNKNOWN}"]'), "pkg/__init__.py": ""})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo


@pytest.mark.parametrize("shape", SHAPES)
def test_a_long_include_group_chain_on_disk_is_read_in_time(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # D10's example: the chain is written on disk only, its last group names an unknown package, and the agent
    # runs `uv sync --all-groups`: the new name is asked about (by name, or as a name not checked in time on a
    # loaded machine), within a second or so, not after 22 s.
    project.write("pyproject.toml", _chain(2400, f"{UNKNOWN}-new"))
    start = time.perf_counter()
    result, said = answer(SHAPES[shape]("uv sync --all-groups", project.root), monkeypatch, capsys)
    assert result == "ask" and (f"{UNKNOWN}-new" in said or "in time" in said), said
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize("shape", SHAPES)
def test_a_name_a_committed_chain_declares_runs(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # D10's committed variant (20.8 s before): the last group of the chain declares the name, so it runs.
    project.commit({"pyproject.toml": _chain(2400, f"{UNKNOWN}-new")})
    assert answer(SHAPES[shape](f"pip install {UNKNOWN}-new", project.root), monkeypatch, capsys)[0] == "run"


@pytest.mark.parametrize("shape", SHAPES)
def test_manifests_not_read_by_the_deadline_are_asked_about(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The declared unknown name runs when the project is read in time; when the deadline for reading the
    # project has passed (here: at once), the hook asks, and says why.
    command = SHAPES[shape](f"pip install {UNKNOWN}", project.root)
    assert answer(command, monkeypatch, capsys)[0] == "run"
    monkeypatch.setattr(install_check, "PROJECT_BUDGET", 0.0)
    result, said = answer(command, monkeypatch, capsys)
    assert result == "ask" and "could not be read in the time" in said
    # Out of time for reading a file the command installs from (`-r` on disk): asked, never run.
    project.write("more.txt", f"{UNKNOWN}\n")
    assert answer(SHAPES[shape]("pip install -r more.txt", project.root), monkeypatch, capsys)[0] == "ask"


@pytest.mark.parametrize("shape", SHAPES)
def test_what_was_found_before_the_deadline_stands(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A documented hallucination is denied before the project is read: running out of time while reading the
    # project must not turn that into a question.
    monkeypatch.setattr(install_check, "PROJECT_BUDGET", 0.0)
    result, said = answer(SHAPES[shape](f"pip install {UNKNOWN} {INVENTED}", project.root), monkeypatch, capsys)
    assert result == "deny" and "HC031" in said and "could not be read in the time" in said
