"""Modules an application gives the code it runs (Colab, gdb, Blender, Pyodide, ...): no index serves them, and
they are not a hallucination (attack H36)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'


def _codes(outcome: Any) -> list[str]:
    return [item["code"] for item in outcome.json()["findings"] if item["severity"] != "warning"]


@pytest.mark.parametrize("statement", [
    "from google.colab import drive", "import google.colab.files", "import gdb", "import sublime_plugin",
    "import bpy", "from qgis.core import QgsProject", "import idaapi",
])  # fmt: skip
def test_host_modules_resolve(statement: str, repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"tool.py": statement + "\n"})
    assert _codes(run("--format", "json")) == []


def test_a_colab_notebook_and_a_lookalike(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    cell: dict[str, Any] = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": ["from google.colab import drive\n", "import google.colabx\n"]}
    notebook = {"cells": [cell], "metadata": {"colab": {}}, "nbformat": 4, "nbformat_minor": 5}
    repo.stage({"nb.ipynb": json.dumps(notebook)})
    assert _codes(run("--format", "json")) == ["HC001"]  # google.colabx is no host's


def test_a_short_name_only_a_host_gives_is_not_taken_for_granted(repo: Repo, run: Any) -> None:
    """`import js` outside Pyodide is what an assistant might invent (attack H60): it stays unknown."""
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"app.py": "import js\n"})
    assert _codes(run("--format", "json")) == ["HC001"]
