"""Install commands and notebooks through real git repositories: staged, range and all-files runs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Outcome, Repo

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests", "cryptoutils-real"]\n'


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "README.md": "# App\n", "app.py": "import requests\n"}, "init")
    return repo


def findings(outcome: Outcome) -> list[tuple[str, str, int, str | None]]:
    return [(item["code"], item["path"], item["line"], item.get("distribution"))
            for item in outcome.json()["findings"]]  # fmt: skip


def notebook(*cells: list[str], outputs: list[Any] | None = None) -> str:
    document = {
        "cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": outputs or [],
                   "source": lines} for lines in cells],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    return json.dumps(document, indent=1) + "\n"


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("README.md", "# App\n\n```bash\npip install huggingface-cli\n```\n", [("HC031", 4, "huggingface-cli")]),
        ("Dockerfile", "FROM python:3.12\nRUN pip install cryptoutils reqeusts\n",
         [("HC040", 2, "cryptoutils"), ("HC030", 2, "reqeusts")]),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: uv pip install flask-permissions\n",
         [("HC040", 4, "flask-permissions")]),
        ("scripts/setup.sh", "#!/bin/sh\nsudo pip3 install --upgrade reqeusts\n", [("HC030", 2, "reqeusts")]),
        ("Makefile", "dev:\n\t$(PYTHON) -m pip install sklearn\n", [("HC032", 2, "sklearn")]),
        ("tox.ini", "[testenv]\ncommands =\n    pip install cryptoutils\n", [("HC040", 3, "cryptoutils")]),
        ("tox.ini", "[testenv]\ncommands =\n    pip install {posargs:huggingface-cli}\n",
         [("HC031", 3, "huggingface-cli")]),  # attack H1
        (".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks:\n  - id: x\n    name: x\n"
         "    entry: bash -c 'pip install huggingface-cli'\n    language: system\n",
         [("HC031", 6, "huggingface-cli")]),  # attack H4
        ("AGENTS.md", "Before testing, run `uv add huggingface-cli`.\n", [("HC031", 1, "huggingface-cli")]),
        ("CLAUDE.md", "```\npoetry add reqeusts\n```\n", [("HC030", 2, "reqeusts")]),
        (".cursorrules", "- pipx install huggingface-cli\n", [("HC031", 1, "huggingface-cli")]),
        ("docs/install.rst", "Install::\n\n    pip install huggingface-cli\n", [("HC031", 3, "huggingface-cli")]),
        ("INSTALL.txt", "pip install reqeusts\n", [("HC030", 1, "reqeusts")]),
        ("scripts/setup.sh", "pip install \"$PACKAGE\" git+https://github.com/org/repo.git\n",
         [("HC042", 1, None), ("HC040", 1, "repo")]),
        # A direct reference is a package from that source: a review naming it.
        ("scripts/setup.sh", "pip install git+https://github.com/org/repo.git ${PIP_OPTIONS:---quiet}\n",
         [("HC040", 1, "repo")]),
        ("Dockerfile", "FROM python\nRUN pi\"\"p install \\\n\n    fakepkg-zz\n", [("HC040", 4, "fakepkg-zz")]),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: |\n          pip install -U pip \\\n"
                                     "            fakepkg-zz\n", [("HC040", 6, "fakepkg-zz")]),
        ("Makefile", "all:\n\t-pip install huggingface-cli\n", [("HC031", 2, "huggingface-cli")]),
        ("Makefile", "all:\n\t@-pip install huggingface-cli\n", [("HC031", 2, "huggingface-cli")]),
        ("Makefile", ".RECIPEPREFIX = >\nall:\n> pip install huggingface-cli\n", [("HC031", 3, "huggingface-cli")]),
        ("Makefile", "define SETUP\npip install huggingface-cli\nendef\nall:\n\t$(SETUP)\n",
         [("HC031", 2, "huggingface-cli")]),
        ("Makefile", "X := $(shell pip install \\\n  huggingface-cli)\n", [("HC031", 2, "huggingface-cli")]),
        ("README.md", "# x\n\n<pre>pip install huggingface-cli</pre>\n", [("HC031", 3, "huggingface-cli")]),
        ("README.md", "# x\n\nRun <code>pip install huggingface-cli</code>.\n", [("HC031", 3, "huggingface-cli")]),
        ("docs/x.qmd", "# x\n\n```{bash}\npip install huggingface-cli\n```\n", [("HC031", 4, "huggingface-cli")]),
        ("scripts/setup", "#!/bin/bash\npip install huggingface-cli\n", [("HC031", 2, "huggingface-cli")]),
        (".github/workflows/ci.yml", 'x: &a "pip install huggingface-cli"\non: push\njobs:\n  a:\n    runs-on: x\n'
                                     "    steps:\n      - run: *a\n", [("HC031", 7, "huggingface-cli")]),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    strategy:\n      matrix:\n        p: [requests, reqeusts]\n"
                                     "    steps:\n      - run: pip install ${{ matrix.p }}\n",
         [("HC030", 7, "reqeusts")]),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: pip install ${{ inputs.extra }}\n",
         [("HC042", 4, None)]),
        (".readthedocs.yaml", "version: 2\nbuild:\n  jobs:\n    post_install:\n      - pip install huggingface-cli\n",
         [("HC031", 5, "huggingface-cli")]),
        (".devcontainer/devcontainer.json", '{\n  // dev\n  "postCreateCommand": "pip install huggingface-cli",\n}\n',
         [("HC031", 3, "huggingface-cli")]),
        ("Procfile", "web: gunicorn app\nrelease: pip install reqeusts\n", [("HC030", 2, "reqeusts")]),
        ("Jenkinsfile", "node {\n  sh 'pip install huggingface-cli'\n}\n", [("HC031", 2, "huggingface-cli")]),
        ("netlify.toml", '[build]\ncommand = "pip install reqeusts && mkdocs build"\n', [("HC030", 2, "reqeusts")]),
        ("azure-pipelines.yml", "steps:\n- bash: pip install huggingface-cli\n", [("HC031", 2, "huggingface-cli")]),
        # Files that run commands on their own (attack B1) and pyproject tool tables (B2).
        (".claude/settings.json", '{"hooks": {"SessionStart": [{"hooks": [{"type": "command",\n'
                                  '  "command": "pip install huggingface-cli"}]}]}}\n',
         [("HC031", 2, "huggingface-cli")]),
        (".claude/settings.local.json", '{\n  // mine\n  "statusLine": {"command": "uv pip install reqeusts"},\n}\n',
         [("HC030", 3, "reqeusts")]),
        (".envrc", "layout python3\npip install huggingface-cli\n", [("HC031", 2, "huggingface-cli")]),
        (".gitpod.yml", "tasks:\n  - init: |\n      pip install huggingface-cli\n", [("HC031", 3, "huggingface-cli")]),
        (".vscode/tasks.json", '{\n  "version": "2.0.0",\n  "tasks": [{"label": "x", "command": "pip",\n'
                               '    "args": ["install", "huggingface-cli"]}],\n}\n', [("HC031", 4, "huggingface-cli")]),
        ("pyproject.toml", '[project]\nname = "app"\n[tool.cibuildwheel]\ntest-requires = ["huggingface-cli"]\n',
         [("HC031", 4, "huggingface-cli")]),
        ("pyproject.toml", '[project]\nname = "app"\n[tool.cibuildwheel.linux]\nbefore-all = "pip install reqeusts"\n',
         [("HC030", 4, "reqeusts")]),
        ("tox.toml", '[env_run_base]\ncommands = [["pip", "install", "huggingface-cli"]]\n',
         [("HC031", 2, "huggingface-cli")]),
        ("pixi.toml", '[workspace]\nname = "x"\nplatforms = ["linux-64"]\n[tasks]\nsetup = "pip install reqeusts"\n',
         [("HC030", 5, "reqeusts")]),
    ],
)  # fmt: skip
def test_install_commands_added_in_a_commit_are_checked(
    project: Repo, run: Any, path: str, text: str, expected: list[tuple[str, int, str]]
) -> None:
    project.stage({path: text})
    outcome = run()
    assert outcome.code == 1
    assert findings(outcome) == [(code, path, line, name) for code, line, name in expected]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("README.md", "```bash\npip install -r requirements.txt\npip install -e .\n```\n"),
        ("README.md", "```bash\npip install \"requests[socks]>=2\" 'rich>=13'\n```\n"),
        ("README.md", "Then `pip install app` (this project) or `uv add cryptoutils-real` (declared).\n"),
        ("README.md", "You can pip install huggingface-cli if you like (prose, not a command).\n"),
        ("Dockerfile", "FROM python\nRUN pip install --no-cache-dir -r requirements.txt && pip install .\n"),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - name: pip install reqeusts\n"
                                     "        run: python -m pip install -U pip requests\n"),
        ("scripts/setup.sh", "pip install --no-deps ${PIP_OPTIONS:---quiet} -e .\n"),
        ("docs/notes.txt", "Nothing to install here.\n"),
        (".github/workflows/ci.yml", "jobs:\n  t:\n    strategy:\n      matrix:\n        p: [requests, rich]\n"
                                     "        include:\n          - p: cryptoutils-real\n"
                                     "    steps:\n      - run: pip install ${{ matrix.p }}\n"),
        ("scripts/run", "#!/usr/bin/env python3\nimport requests\n"),
        ("NOTICE", "pip install huggingface-cli is not a command here: no shebang.\n"),
    ],
)  # fmt: skip
def test_clean_install_commands_pass(project: Repo, run: Any, path: str, text: str) -> None:
    project.stage({path: text})
    outcome = run()
    assert outcome.code == 0, outcome.out
    assert findings(outcome) == []


def test_only_added_commands_count_and_moved_ones_are_not_new(project: Repo, run: Any) -> None:
    project.commit({"README.md": "# App\n\n`pip install huggingface-cli`\n"}, "old mistake")
    project.stage({"README.md": "# App\n\nIntro.\n\n`pip install huggingface-cli`\n\n`pip install rich`\n"})
    assert run().code == 0
    project.stage({"README.md": "# App\n\n`pip install huggingface-cli`\n`pip install reqeusts`\n"})
    assert findings(run()) == [("HC030", "README.md", 4, "reqeusts")]


def test_a_dependency_declared_in_the_same_change_is_reviewed_once(project: Repo, run: Any) -> None:
    project.stage({"pyproject.toml": PYPROJECT.replace('"requests"', '"requests", "fancylib"'),
                   "README.md": "`pip install fancylib`\n"})  # fmt: skip
    assert [item[0] for item in findings(run())] == ["HC004"]


def test_review_is_cleared_by_approval_and_a_suppression_comment(project: Repo, run: Any, capsys: Any) -> None:
    project.stage({"Dockerfile": "FROM python\nRUN pip install cryptoutils\n"})
    assert [item[0] for item in findings(run())] == ["HC040"]
    from hallucheck.cli import main

    with project_dir(project):
        assert main(["approve", "cryptoutils"]) == 0
    project.git("add", "-A")
    assert run().code == 0
    project.stage({"Dockerfile": "FROM python\nRUN pip install cryptoutils\nRUN pip install reqeusts  "
                                 "# hallucheck: ignore[HC030]\n",
                   "README.md": "Not `pip install huggingface-cli` <!-- hallucheck: ignore[HC031] -->\n"})  # fmt: skip
    assert run().code == 0
    project.stage({"README.md": "Never `pip install huggingface-cli` <!-- hallucheck: ignore[HC030] -->\n"})
    # (HC101: the approval; HC100: the comment names another code, so it hides nothing, as in a .py file)
    assert [item[0] for item in findings(run()) if item[0] != "HC101"] == ["HC031", "HC100"]


def test_a_notebook_cell_import_and_pip_line(project: Repo, run: Any) -> None:
    project.stage({"analysis.ipynb": notebook(["import requests\n", "from huggingface_cli import login\n"],
                                              ["!pip install sklearn"])})  # fmt: skip
    outcome = run()
    assert outcome.code == 1
    items = outcome.json()["findings"]
    text = (project.root / "analysis.ipynb").read_text().split("\n")
    login = next(number for number, line in enumerate(text, 1) if "huggingface_cli" in line)
    sklearn = next(number for number, line in enumerate(text, 1) if "sklearn" in line)
    assert [(item["code"], item["line"]) for item in items] == [("HC001", login), ("HC032", sklearn)]
    assert items[0]["message"].startswith("cell 1, line 2: `from huggingface_cli import login`")
    assert items[1]["message"].startswith("cell 2, line 1: `pip install sklearn`")


def test_a_notebook_whose_outputs_or_cell_order_changed_is_clean(project: Repo, run: Any) -> None:
    project.commit({"nb.ipynb": notebook(["from huggingface_cli import login\n"], ["import requests"])}, "old")
    rerun = notebook(["import requests"], ["from huggingface_cli import login\n"],
                     outputs=[{"output_type": "stream", "name": "stdout", "text": ["import fakepkg\n"]}])
    project.stage({"nb.ipynb": rerun})
    outcome = run()
    assert outcome.code == 0, outcome.out


def test_a_notebook_that_is_not_json_is_a_finding(project: Repo, run: Any) -> None:
    project.stage({"broken.ipynb": '{\n "cells": [\n'})
    outcome = run()
    assert outcome.code == 1
    assert findings(outcome) == [("HC041", "broken.ipynb", 3, None)]


def test_a_non_python_notebook_has_no_imports(project: Repo, run: Any) -> None:
    text = notebook(["library(fakepkg)\n"]).replace('"language": "python"', '"language": "R"')
    project.stage({"r.ipynb": text})
    assert run().code == 0


def test_a_shell_script_known_by_its_shebang_in_every_mode(project: Repo, run: Any) -> None:
    # Extensionless, not executable: the shebang says it is a shell script. Lines already there are not new.
    project.commit({"bin/setup": "#!/usr/bin/env bash\nset -e\npip install reqeusts\n"}, "old")
    project.stage({"bin/setup": "#!/usr/bin/env bash\nset -e\npip install reqeusts\necho done\n"})
    assert findings(run()) == []
    project.stage({"bin/setup": "#!/usr/bin/env bash\nset -e\npip install reqeusts\nuv add huggingface-cli\n"})
    assert findings(run()) == [("HC031", "bin/setup", 4, "huggingface-cli")]
    project.commit(message="new")
    assert findings(run("--from-ref", "HEAD~1", "--to-ref", "HEAD")) == [("HC031", "bin/setup", 4, "huggingface-cli")]
    assert findings(run("--all-files")) == [("HC030", "bin/setup", 3, "reqeusts"),
                                            ("HC031", "bin/setup", 4, "huggingface-cli")]
    # A text file that gains a shell shebang was never read as a script: all of it is new.
    project.commit({"tools/go": "pip install huggingface-cli\n"}, "notes")
    project.stage({"tools/go": "#!/bin/sh\npip install huggingface-cli\n"})
    assert ("HC031", "tools/go", 2, "huggingface-cli") in findings(run())


def test_task_runner_commands_in_pyproject(project: Repo, run: Any) -> None:
    # pyproject.toml is a manifest and also holds task runners' commands: both are read.
    tasks = PYPROJECT + '\n[tool.poe.tasks]\ntest = "pytest"\n'
    project.commit({"pyproject.toml": tasks}, "tasks")
    project.stage({"pyproject.toml": tasks + 'setup = {shell = "pip install huggingface-cli"}\n'})
    assert findings(run()) == [("HC031", "pyproject.toml", 8, "huggingface-cli")]
    project.stage({"pyproject.toml": tasks.replace('"pytest"', '"python -m pytest"')})
    assert findings(run()) == []
    hatch = '[tool.hatch.envs.default]\npost-install-commands = ["pip install reqeusts"]\n'
    project.commit({"pyproject.toml": tasks + hatch}, "hatch")
    assert findings(run("--all-files")) == [("HC030", "pyproject.toml", 9, "reqeusts")]


def test_range_and_all_files_modes(project: Repo, run: Any) -> None:
    project.commit({"Dockerfile": "FROM python\nRUN pip install reqeusts\n"}, "bad")
    project.commit({"docs/x.md": "`pip install requests`\n"}, "later")
    ranged = run("--from-ref", "HEAD~2", "--to-ref", "HEAD")
    assert findings(ranged) == [("HC030", "Dockerfile", 2, "reqeusts")]
    assert findings(run("--from-ref", "HEAD~1", "--to-ref", "HEAD")) == []
    every = run("--all-files")
    assert findings(every) == [("HC030", "Dockerfile", 2, "reqeusts")]
    named = run("check", "Dockerfile")
    assert findings(named) == [("HC030", "Dockerfile", 2, "reqeusts")]


def test_files_passed_by_pre_commit_are_not_read_as_python(project: Repo, run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PRE_COMMIT", "1")
    project.stage({"LICENSE": "This is important: import nothing.\n", "tool": "#!/usr/bin/env python\nimport fake_x\n",
                   "README.md": "# App\nimport me\n`pip install reqeusts`\n"})  # fmt: skip
    outcome = run("--hook", "--format", "json", "--", "LICENSE", "tool", "README.md", json_output=False)
    assert findings(outcome) == [("HC030", "README.md", 3, "reqeusts"), ("HC001", "tool", 2, None)]
    # A file a person names is read for what it is: a README for install commands, not as Python.
    assert findings(run("check", "README.md")) == [("HC030", "README.md", 3, "reqeusts")]


class project_dir:
    def __init__(self, repo: Repo) -> None:
        self._root = repo.root

    def __enter__(self) -> None:
        import os

        self._previous = os.getcwd()
        os.chdir(self._root)

    def __exit__(self, *exc: object) -> None:
        import os

        os.chdir(self._previous)


def test_a_notebook_that_installs_its_own_dependencies_declares_them_for_its_cells(project: Repo, run: Any) -> None:
    # langgraph's examples/rag notebooks: `! pip install -U langchain_community ...`, then the imports (replay).
    project.stage({"rag.ipynb": notebook(["%%capture --no-stderr\n", "! pip install -U langchain_community tiktoken"],
                                         ["from langchain_community.vectorstores import Chroma\n", "import tiktoken\n",
                                          "import numpy\n"])})  # fmt: skip
    outcome = run()
    # numpy is a requirement of langchain-community (the module index knows): transitive, a warning.
    assert [(code, distribution) for code, _, _, distribution in findings(outcome)] == [("HC006", "numpy")]


def test_a_notebook_that_installs_a_made_up_package_is_still_reported(project: Repo, run: Any) -> None:
    project.stage({"rag.ipynb": notebook(["!pip install cryptoutils-zz\n"], ["import cryptoutils_zz\n"])})
    outcome = run()
    assert outcome.code == 1
    assert "HC040" in [code for code, _, _, _ in findings(outcome)]


@pytest.mark.parametrize("line", [
    "!{sys.executable} -m pip install fakepkg-zz\n",  # the canonical idiom
    "!pi\"\"p install fakepkg-zz\n",
    "%pip install --quiet ${X:-fakepkg-zz}\n",
    "!bash -c 'pip install fakepkg-zz'\n",
])  # fmt: skip
def test_a_notebook_install_line_is_read_as_the_shell_reads_it(project: Repo, run: Any, line: str) -> None:
    project.stage({"nb.ipynb": notebook([line], ["import requests\n"])})
    outcome = run()
    assert ("HC040", "fakepkg-zz") in [(code, distribution) for code, _, _, distribution in findings(outcome)]
