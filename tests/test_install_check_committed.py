"""A hallucinated name the project already declares at HEAD is not installed quietly (attack G7).

The agent hook trusts what HEAD declares, so ``pip install -r requirements.txt``, ``pip install -e .``, ``uv sync``,
``poetry install``, ``pdm install`` of a committed manifest were allowed whatever it names. Files mode blocks a
committed declaration that is wrong by its name alone (HC030-HC032: a documented hallucination, a look-alike of a
popular name, an import name); the hook now gives the names such a command installs from a committed file or project
the same check: an error is denied with the same evidence, and names the data knows (or that are merely not known,
as a private package is) stay allowed: a name is committed after the commit hook reviewed it. Every case runs in a
real repository, through the payload shapes of Claude Code, Codex and Cursor.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Repo
from tests.test_install_check_git import BASE, INVENTED, SHAPES, UNKNOWN, answer, project

__all__ = ["project"]

PROJECT_INSTALLS = ["pip install -e .", "pip install .", "uv sync", "poetry install", "pdm install",
                    "uv pip install -e .", "uv pip install -r pyproject.toml", "python -m pip install -e ."]
FILE_INSTALLS = ["pip install -r requirements.txt", "uv pip install -r requirements.txt",
                 "pip3 install -r ./requirements.txt", "uv pip sync requirements.txt",
                 "pip install -U -r requirements.txt"]  # fmt: skip
WRITERS: dict[str, tuple[str, Callable[[str], str], list[str]]] = {
    "pyproject dependencies": ("pyproject.toml", lambda name: BASE.replace('["rich"]', f'["rich", "{name}>=1"]'),
                               PROJECT_INSTALLS),
    "dependency group": ("pyproject.toml", lambda name: BASE + f'\n[dependency-groups]\ndev = ["{name}"]\n',
                         ["uv sync", "pdm install"]),
    "requirements.txt": ("requirements.txt", lambda name: f"rich\n{name}==1.0\n", FILE_INSTALLS),
    "included requirements": ("requirements.txt", lambda name: "-r more.txt\n", FILE_INSTALLS),
}  # fmt: skip


def _commit(repo: Repo, writer: str, name: str) -> list[str]:
    path, content, commands = WRITERS[writer]
    repo.commit({path: content(name), "more.txt": f"{name}\n"}, "declare")
    return commands


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("writer", WRITERS)
def test_a_committed_documented_hallucination_is_denied_when_installed_from_the_manifest(
    project: Repo, writer: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in _commit(project, writer, INVENTED):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "deny", command


@pytest.mark.parametrize("shape", SHAPES)
def test_the_denial_says_where_the_name_is_declared(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import json
    import sys

    from hallucheck.commands.install_check import main

    _commit(project, "requirements.txt", INVENTED)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(SHAPES[shape]("pip install -r requirements.txt",
                                                                          project.root))))
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "HC031" in err and f"`{INVENTED}`" in err and "declared in `requirements.txt` as git holds it" in err


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", [UNKNOWN, "requests", "acme-internal-client"])
@pytest.mark.parametrize("writer", WRITERS)
def test_a_committed_name_that_is_no_error_stays_allowed(
    project: Repo, writer: str, name: str, shape: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A private or merely unknown name was reviewed by the commit hook when it was committed: no false ask."""
    for command in _commit(project, writer, name):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run", command


@pytest.mark.parametrize("shape", SHAPES)
def test_a_typosquat_and_an_import_name_committed_are_denied(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.commit({"requirements.txt": "reqeusts\nsklearn\n"}, "declare")
    assert answer(SHAPES[shape]("pip install -r requirements.txt", project.root), monkeypatch, capsys) == "deny"


def test_an_approval_that_overrides_the_error_lets_it_through(
    project: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.commit({"requirements.txt": f"{INVENTED}\n", "pyproject.toml": BASE + (
        f'\n[tool.hallucheck.approved]\n{INVENTED} = "{INVENTED}"  # overrides HC031 (a human checked it)\n')})
    assert answer(SHAPES["claude"]("pip install -r requirements.txt", project.root), monkeypatch, capsys) == "run"


def test_many_committed_private_names_answer_in_time(
    project: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each committed name costs a look-up; a file too long to check in an agent's time is asked about, never
    passed, and the answer comes within the second."""
    names = [f"acme-{word}-{index}" for index, word in zip(range(2000), itertools.cycle(["core", "sdk", "cli"]))]
    project.commit({"requirements.txt": "\n".join(names) + f"\n{INVENTED}\n"}, "declare")
    start = time.perf_counter()
    decision = answer(SHAPES["claude"]("pip install -r requirements.txt", project.root), monkeypatch, capsys)
    assert time.perf_counter() - start < 2.0
    assert decision in ("ask", "deny")


@settings(max_examples=40, deadline=None)
@given(writer=st.sampled_from(sorted(WRITERS)), pick=st.integers(0, 7),
       name=st.sampled_from([INVENTED, "reqeusts", "sklearn"]))
def test_every_install_of_a_committed_error_is_denied(writer: str, pick: int, name: str, tmp_path_factory:
                                                      pytest.TempPathFactory) -> None:
    """The property: for every manifest family and every command that installs from it, a committed name that is
    an error by itself is denied."""
    import io
    import json
    import os
    import sys
    from contextlib import redirect_stderr, redirect_stdout

    from hallucheck.commands.install_check import main

    repo = Repo(tmp_path_factory.mktemp("g7") / "repo")
    repo.commit({"pyproject.toml": BASE}, "init")
    commands = _commit(repo, writer, name)
    command = commands[pick % len(commands)]
    payload = io.StringIO(json.dumps(SHAPES["claude"](command, repo.root)))
    previous = os.environ.get("PIP_CONFIG_FILE")
    os.environ["PIP_CONFIG_FILE"] = os.devnull
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            code = main([], payload)
    finally:
        os.environ.pop("PIP_CONFIG_FILE") if previous is None else os.environ.update(PIP_CONFIG_FILE=previous)
    assert code == 2, (writer, command, name, sys.version)
