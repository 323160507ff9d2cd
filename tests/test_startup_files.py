"""Files the interpreter runs at start (attack F17): ``sitecustomize.py``/``usercustomize.py`` are Python files,
and a ``.pth`` file's lines that start with ``import`` are run by ``site`` at every start: their imports are
checked as a module's; its other lines are paths."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "0"\ndependencies = ["requests"]\n'


@pytest.mark.parametrize(("path", "content"), [
    ("evil.pth", "import fakepkg_zz\n"),
    ("src/app-hook.pth", "/opt/lib\nimport os; import fakepkg_zz\n"),
    ("lib/x.pth", "import\tfakepkg_zz\n"),
    ("sitecustomize.py", "import fakepkg_zz\n"),
    ("src/usercustomize.py", "from fakepkg_zz import hook\n"),
])  # fmt: skip
def test_what_runs_at_interpreter_start_is_checked(repo: Repo, run: Any, path: str, content: str) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({path: content})
    assert [item["code"] for item in run().json()["findings"]] == ["HC001"]
    repo.commit()
    assert [item["code"] for item in run("--all-files").json()["findings"]] == ["HC001"]


def test_a_pth_of_paths_and_known_imports_passes(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"paths.pth": "# comment\n/opt/lib\nsrc\nimport os, sys; sys.path.insert(0, 'x')\nimport requests\n"})
    assert run().json()["findings"] == []
