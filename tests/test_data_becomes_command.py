"""Data that becomes a command with its lines unchanged (attack E17): the body of a here-document, a YAML block
scalar or an INI value counts as added when the line that says what runs it changes."""

from __future__ import annotations

from typing import Any

import pytest

from hallucheck.sources.install_files import DOCKERFILE, SHELL, TOX, YAML, container_lines
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\ndependencies = ["requests"]\n'
WORKFLOW = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - {key}: |\n          {body}\n"
FLIPS = {
    "setup.sh": ('#!/bin/sh\ncat > notes.txt <<"EOF"\n{body}\nEOF\n', '#!/bin/sh\nbash <<"EOF"\n{body}\nEOF\n'),
    "Dockerfile": ("FROM python:3\nCOPY <<EOF /notes.txt\n{body}\nEOF\n", "FROM python:3\nRUN <<EOF\n{body}\nEOF\n"),
    ".github/workflows/ci.yml": (WORKFLOW.replace("{key}", "name"), WORKFLOW.replace("{key}", "run")),
    "tox.ini": ("[tox]\nenv_list = py\n[testenv]\ndescription =\n    {body}\n",
                "[tox]\nenv_list = py\n[testenv]\ncommands =\n    {body}\n"),
    # fences put around a line of prose make it a code block (attack H16)
    "README.md": ("# X\n\nInstall it:\n\n{body}\n\nDone.\n", "# X\n\nInstall it:\n\n```sh\n{body}\n```\n\nDone.\n"),
}
INSTALL = "pip install huggingface-cli"


@pytest.mark.parametrize("path", sorted(FLIPS))
def test_data_made_a_command_is_new(repo: Repo, run: Any, path: str) -> None:
    data, command = FLIPS[path]
    repo.commit({"pyproject.toml": PYPROJECT, path: data.replace("{body}", INSTALL)})
    assert "HC031" not in run("--all-files").codes()  # data: nothing runs it
    base = repo.git("rev-parse", "HEAD").strip()
    repo.stage({path: command.replace("{body}", INSTALL)})
    assert "HC031" in run().codes()
    repo.commit()
    assert "HC031" in run("--from-ref", base, "--to-ref", "HEAD").codes()


@pytest.mark.parametrize("path", sorted(FLIPS))
def test_a_command_whose_runner_is_unchanged_is_judged_by_its_lines(repo: Repo, run: Any, path: str) -> None:
    _, command = FLIPS[path]
    repo.commit({"pyproject.toml": PYPROJECT, path: command.replace("{body}", INSTALL)})
    repo.stage({path: command.replace("{body}", INSTALL) + "\n"})
    assert "HC031" not in run().codes()


def test_the_body_of_a_changed_container_and_no_more() -> None:
    script = "a\ncat <<-'END' | bash\n\tpip install x\n\tEND\npip install y\n"
    assert container_lines(script, {2}, SHELL) == {3}
    assert container_lines("FROM x\nRUN <<EOF\na\nb\nEOF\nRUN c\n", {2}, DOCKERFILE) == {3, 4}
    assert container_lines(WORKFLOW.format(key="run", body="a") + "      - run: b\n", {6}, YAML) == {7}
    assert container_lines("[testenv]\ncommands =\n    a\n    b\ndeps = x\n", {2}, TOX) == {3, 4}
    assert container_lines("[testenv]\ncommands =\n    a\n", {3}, TOX) == set()
