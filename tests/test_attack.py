"""Escapes found by the second hostile review (the attack helper), each on a real repository.

A file that *becomes* Python code in a change — renamed from ``notes.txt`` to ``tool.py``, or given a
Python shebang — holds lines git reports as unchanged that were never checked as imports.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Outcome, Repo

FAKE = "fakepkg_zz"
BAD = f"import {FAKE}\n"
PYPROJECT = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["requests"]\n'


def blocking(outcome: Outcome) -> list[tuple[str, str, int, str | None]]:
    return [
        (item["code"], item["path"], item["line"], item["module"] or item["distribution"])
        for item in outcome.json()["findings"]
        if item["severity"] in ("error", "review")
    ]


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "app.py": "import requests\n"})
    return repo


@pytest.mark.parametrize(
    ("old", "new", "before", "after"),
    [
        ("notes.txt", "tool.py", BAD, BAD),  # a pure rename: git shows no line at all
        ("notes.md", "tool.py", "x = 1\n" * 20 + BAD, "x = 1\n" * 19 + "y = 2\n" + BAD),  # renamed and edited
        ("tool", "tool.py", BAD, BAD),  # an extensionless text file
        ("doc.md", "gui.pyw", BAD, BAD),
    ],
    ids=["pure-rename", "rename-and-edit", "extensionless", "pyw"],
)
def test_a_file_renamed_into_python_is_new_code(
    project: Repo, run: Any, old: str, new: str, before: str, after: str
) -> None:
    project.commit({old: before})
    project.git("mv", old, new)
    project.stage({new: after})
    line = after.count("\n")
    assert blocking(run()) == [("HC001", new, line, FAKE)]
    project.commit(message="rename")
    assert blocking(run("HEAD~1..HEAD")) == [("HC001", new, line, FAKE)]


@pytest.mark.parametrize("first_line", ["", "#!/bin/sh\n"], ids=["no-shebang", "shell-shebang"])
def test_a_python_shebang_added_to_a_text_file_makes_every_line_new(
    project: Repo, run: Any, first_line: str
) -> None:
    project.commit({"bin/tool": f"{first_line}x = 1\n{BAD}"})
    project.stage({"bin/tool": f"#!/usr/bin/env python3\nx = 1\n{BAD}"})
    assert blocking(run()) == [("HC001", "bin/tool", 3, FAKE)]


def test_a_script_declaring_its_dependency_after_a_rename_is_reviewed(project: Repo, run: Any) -> None:
    # The PEP 723 block was text before the rename: what it declares is new to the project.
    script = f"# /// script\n# dependencies = ['fakepkg-zz']\n# ///\n{BAD}"
    project.commit({"notes.txt": script})
    project.git("mv", "notes.txt", "tool.py")
    assert ("HC004", "tool.py", 2, "fakepkg-zz") in blocking(run())


def test_renames_between_python_files_still_diff(project: Repo, run: Any) -> None:
    # Not a file that becomes Python: only what the rename adds is new.
    project.commit({"a.py": "import requests\n" * 30, "bin/run": "#!/usr/bin/env python3\nimport requests\n"})
    project.git("mv", "a.py", "b.py")
    project.git("mv", "bin/run", "bin/run.py")
    project.stage({"b.py": "import requests\n" * 30 + BAD})
    assert blocking(run()) == [("HC001", "b.py", 31, FAKE)]


def test_a_configured_fsmonitor_command_is_not_run(project: Repo, run: Any, tmp_path: Any) -> None:
    # Repository configuration can name a command git runs on index reads; a hook must not wait on it.
    marker = tmp_path / "fsmonitor-ran"
    project.stage({"tool.py": BAD})
    project.write("tool.py", BAD + "import os\n")  # an unstaged edit: the unstaged-file note reads the work tree
    project.git("config", "core.fsmonitor", f"touch '{marker}'; false")
    assert blocking(run()) == [("HC001", "tool.py", 1, FAKE)]
    assert not marker.exists()


DOCKERFILE = "FROM python:3.11\nRUN pip install fakepkg-zz\n"
NOTEBOOK = (
    '{"cells": [{"cell_type": "code", "source": ["import fakepkg_zz\\n"], "metadata": {}, "outputs": [],'
    ' "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
)


@pytest.mark.parametrize(
    ("old", "new", "content", "expected"),
    [
        ("nb.json", "nb.ipynb", NOTEBOOK, ("HC001", "nb.ipynb", FAKE)),
        ("notes.txt", "Dockerfile", DOCKERFILE, ("HC040", "Dockerfile", "fakepkg-zz")),
    ],
    ids=["json-to-notebook", "text-to-dockerfile"],
)
def test_a_file_renamed_into_a_notebook_or_install_file_is_new(
    project: Repo, run: Any, old: str, new: str, content: str, expected: tuple[str, str, str]
) -> None:
    project.commit({old: content})
    project.git("mv", old, new)
    assert [(code, path, name) for code, path, _, name in blocking(run())] == [expected]


def test_a_markdown_cell_turned_into_code_is_new_code(project: Repo, run: Any) -> None:
    markdown = NOTEBOOK.replace('"cell_type": "code"', '"cell_type": "markdown"').replace(
        ', "outputs": [], "execution_count": null', ""
    )
    project.commit({"nb.ipynb": markdown})
    project.stage({"nb.ipynb": NOTEBOOK})
    assert [(code, path, name) for code, path, _, name in blocking(run())] == [("HC001", "nb.ipynb", FAKE)]
