"""Decide before loading: a commit with nothing to check is answered without the edge, the readers or the rules.

:func:`~hallucheck.git.triage.change_without_work` answers from git's list of the staged files (and the blob of a
file that may hold install commands). When it answers, the change must be the one the full edge builds, and the
output the same; when a file may need a check, it must leave the commit to the full edge.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hallucheck
from hallucheck.git import triage
from hallucheck.git.changes import staged_change
from hallucheck.git.repository import Repository
from hallucheck.git.triage import Request, change_without_work
from tests.conftest import Repo

_ROOT = Path(hallucheck.__file__).resolve().parent.parent
_PYPROJECT = '[project]\nname = "p"\nversion = "1"\ndependencies = ["PyYAML"]\n'
_LOADED = """
import sys
from hallucheck.cli import main
code = main(sys.argv[1:])
print(code, sorted(name for name in sys.modules if name.startswith("hallucheck.")))
"""
_READERS_AND_RULES = (
    "hallucheck.check", "hallucheck.rules", "hallucheck.git.changes", "hallucheck.git.patch",
    "hallucheck.sources.install_files", "hallucheck.sources.install_commands", "hallucheck.sources.shell",
    "hallucheck.sources.python_installs", "hallucheck.sources.imports", "hallucheck.sources.python",
    "hallucheck.sources.cst", "hallucheck.sources.notebooks", "hallucheck.manifests.", "hallucheck.resolve.project",
    "hallucheck.resolve.resolver", "hallucheck.evidence",
)  # fmt: skip
"""Modules that read sources or manifests, or find: none is needed to tell that a commit holds nothing to check."""

_NOTHING: list[dict[str, str | bytes]] = [
    {"README.md": "# Title\n\nSome [docs](https://example.com), *emphasis* and `code`.\n"},
    {"docs/notes.md": "A note.\n", "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00binary\x00"},
    {"docs/guide.rst": "Guide\n=====\n\nRead it.\n", "Dockerfile": "FROM python:3.12\nCOPY . /app\n"},
]
_WORK: list[dict[str, str | bytes]] = [
    {"README.md": "# Title\n\n    pip install requests-toolbelt2\n"},
    {"README.md": "---\njupyter:\n  kernelspec:\n    name: python3\n---\n\n```python\nimport os\n```\n"},
    {"app.py": "import os\n"},
    {"notes.txt": "A note.\n"},  # any text file may be a requirements file (`-r notes.txt`): read as a manifest
    {"requirements.txt": "requests\n"},
    {"pyproject.toml": _PYPROJECT.replace("PyYAML", "requests")},
    {".pre-commit-config.yaml": "repos: []\n"},
    {"tool": "#!/usr/bin/env python3\nimport os\n"},
    {"pytest.ini": "[pytest]\naddopts = -p myplugin\n"},
    {"pip.conf": "[global]\nindex-url = https://example.com/simple\n"},
    {"Dockerfile": "FROM python:3.12\nRUN pip install requests\n"},
    {"notebook.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'},
    {"docs/extra.txt": "some text\n", "requirements.txt": "-r docs/extra.txt\n"},
]


def _base(repo: Repo) -> None:
    repo.commit({"pyproject.toml": _PYPROJECT, "app.py": "import yaml\n", "docs/extra.txt": "x\n",
                 "old.md": "# Old\n"})  # fmt: skip


def _both_ways(repo: Repo) -> tuple[Any, Any]:
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        repository = Repository()
        try:
            quick = change_without_work(repository, Request(), {})
            full = staged_change(repository)
        finally:
            repository.close()
    finally:
        os.chdir(previous)
    return quick, full


@pytest.mark.parametrize("staged", _NOTHING)
def test_a_commit_with_nothing_to_check_is_the_full_edges_change(repo: Repo, staged: dict[str, Any]) -> None:
    _base(repo)
    repo.stage(staged)
    repo.git("rm", "-q", "old.md")  # and a deletion of a file that declares nothing
    quick, full = _both_ways(repo)
    assert quick is not None
    nothing: tuple[Any, ...] = ([], [], False, ())
    assert (full.python_files, full.text_files, full.manifests_changed, tuple(full.hook_settings)) == nothing
    assert (quick.python_files, quick.text_files, quick.manifests_changed, quick.hook_settings) == nothing
    assert quick.changed_paths == full.changed_paths and quick.hook_settings == () and quick.left_out == ()
    assert type(quick.base) is type(full.base) and type(quick.target) is type(full.target)


@pytest.mark.parametrize("staged", _WORK)
def test_a_commit_that_may_need_a_check_goes_the_full_way(repo: Repo, staged: dict[str, Any]) -> None:
    _base(repo)
    repo.stage(staged)
    quick, _ = _both_ways(repo)
    assert quick is None


def test_named_files_a_range_or_a_merge_go_the_full_way(repo: Repo) -> None:
    _base(repo)
    repo.stage({"README.md": "# Docs\n"})
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        repository = Repository()
        assert change_without_work(repository, Request(), {}) is not None
        assert change_without_work(repository, Request(files=["README.md"], classify=True), {}) is not None
        assert change_without_work(repository, Request(files=["README.md"]), {}) is None  # a person named it
        assert change_without_work(repository, Request(files=["app.py"], classify=True), {}) is None  # not staged
        assert change_without_work(repository, Request(from_ref="HEAD"), {}) is None
        assert change_without_work(repository, Request(), {"PRE_COMMIT_FROM_REF": "HEAD"}) is None
        assert change_without_work(repository, Request(all_files=True), {}) is None
        assert change_without_work(repository, Request(mode="files"), {}) is None
        repository.close()
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("staged", _NOTHING[:3])
def test_the_output_is_the_full_ways(repo: Repo, run: Any, staged: dict[str, Any], monkeypatch: Any) -> None:
    _base(repo)
    repo.stage(staged)
    quick = run()
    monkeypatch.setattr(triage, "change_without_work", lambda *_: None)
    full = run()
    assert (quick.code, quick.out, quick.err) == (full.code, full.out, full.err)
    assert quick.code == 0 and quick.json()["findings"] == []


def _loaded_by_a_run(repo: Repo) -> subprocess.CompletedProcess[str]:
    """A run in a fresh interpreter of this tree's hallucheck (not the installed one), and what it imported."""
    environment = {**os.environ, "PYTHONPATH": str(_ROOT)}
    return subprocess.run([sys.executable, "-c", _LOADED], capture_output=True, text=True, check=True, cwd=repo.root,
                          env=environment)  # fmt: skip


def test_a_docs_commit_loads_no_reader_and_no_rule(repo: Repo) -> None:
    """README.md without an install command, a text file and an image: the answer comes without the git edge,
    the source and manifest readers, the resolver or the rules (each module checked in a fresh interpreter)."""
    _base(repo)
    repo.stage(_NOTHING[0] | _NOTHING[1])
    done = _loaded_by_a_run(repo)
    code, loaded = done.stdout.split("\n")[-2].split(" ", 1)
    assert code == "0"
    assert [name for name in ast.literal_eval(loaded) if name.startswith(_READERS_AND_RULES)] == []
    # The check can fail: a commit with a Python file loads them.
    repo.stage({"app.py": "import yaml\nimport os\n"})
    done = _loaded_by_a_run(repo)
    assert "hallucheck.git.changes" in done.stdout and "hallucheck.check" in done.stdout


def test_names_and_modes_decide_before_any_blob_is_read(repo: Repo, monkeypatch: Any) -> None:
    """A Python file (or a manifest, a notebook) sends the commit the full way from git's list alone: no blob of
    the docs beside it is read first."""
    _base(repo)
    reads: list[str] = []
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        commits: list[dict[str, str | bytes]] = [
            {"README.md": "# Docs\n", "app.py": "import os\n"},
            {"README.md": "# Docs\n", "requirements.txt": "requests\n"},
            {"a.md": "x\n", "nb.ipynb": "{}\n"},
        ]
        for staged in commits:
            repo.stage(staged)
            repository = Repository()
            monkeypatch.setattr(repository, "read_blob", reads.append)
            assert change_without_work(repository, Request(), {}) is None
            repository.close()
            repo.git("reset", "-q", "--hard")
    finally:
        os.chdir(previous)
    assert reads == []
