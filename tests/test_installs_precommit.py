"""Install commands and notebooks through the real pre-commit framework: the hook's types pass them on."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Repo
from tests.test_precommit import HookSource, configure, git, hook_source, pre_commit  # noqa: F401 - the fixture

pytestmark = pytest.mark.framework


def _notebook(*sources: str) -> str:
    cells: list[dict[str, object]] = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": [source]}
        for source in sources
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def test_commits_of_install_commands_and_notebooks(repo: Repo, hook_source: HookSource) -> None:  # noqa: F811
    configure(repo, hook_source)
    assert pre_commit(hook_source, repo.root, "install", "--hook-type", "pre-commit").returncode == 0
    bad = {
        "README.md": "# App\n\n```bash\npip install huggingface-cli\n```\n",
        "Dockerfile": "FROM python:3.12\nRUN pip install cryptoutils reqeusts\n",
        ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: uv pip install flask-permissions\n",
        "nb.ipynb": _notebook("from huggingface_cli import login\n"),
        ".cursorrules": "- pip install sklearn\n",
    }
    for path, text in bad.items():
        repo.stage({path: text})
        blocked = git(hook_source, repo.root, "commit", "-m", f"add {path}")
        assert blocked.returncode != 0, blocked.stdout
        assert f"{path}:" in blocked.stdout, blocked.stdout
        repo.git("reset", "-q", "--hard")
        repo.git("clean", "-qfdx")
    clean: dict[str, str | bytes] = {
        "README.md": "# App\n\n```bash\npip install -r requirements.txt\npip install -e .\n"
                     "pip install \"requests[socks]>=2\" 'rich>=13'\n```\n",
        "Dockerfile": "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "nb.ipynb": _notebook("import requests\n"),
    }  # fmt: skip
    repo.stage(clean)
    done = git(hook_source, repo.root, "commit", "-m", "clean docs")
    assert done.returncode == 0, done.stdout
    repo.stage({"nb.ipynb": str(clean["nb.ipynb"]).replace('"outputs": []', '"outputs": [{"output_type": "stream", '
                                                      '"name": "stdout", "text": ["ok"]}]')})  # fmt: skip
    rerun = git(hook_source, repo.root, "commit", "-m", "outputs changed")
    assert rerun.returncode == 0, rerun.stdout


def test_all_files_run_reads_docs_and_notebooks(repo: Repo, hook_source: HookSource) -> None:  # noqa: F811
    configure(repo, hook_source)
    repo.commit({"docs/guide.md": "Run `pip install reqeusts`.\n", "nb.ipynb": "{not json"}, "bypassed the hook")
    result = pre_commit(hook_source, repo.root, "run", "--all-files")
    assert result.returncode != 0, result.stdout
    assert "docs/guide.md:1:18: HC030" in result.stdout and "nb.ipynb:1:1: HC041" in result.stdout
