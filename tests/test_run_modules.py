"""Modules a command runs by name (attack F13): ``python -m x``, ``uvicorn x.app:app``, ``gunicorn x.wsgi``,
``celery -A x``, ``flask --app x``, ``python -c "import x"`` in scripts, Dockerfiles, CI and Procfiles resolve
as imports do: a module nothing knows is HC001, the project's own code and a tool the script may install pass."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from hallucheck.sources.install_files import run_modules
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "0"\ndependencies = ["requests"]\n'
MODULE = "fakepkg_zz.web"
COMMANDS = (
    "python -m {m}", "python3 -u -m {m} serve", "python3.12 -X dev -m {m}", "py -3 -m{m}", "uv run python -m {m}",
    "exec poetry run python -m {m}", "uvicorn {m}:app --reload", "uvicorn --host 0.0.0.0 --port 80 {m}:app",
    "gunicorn -w 4 -b :80 {m}:application", "gunicorn {m}", "hypercorn {m}:app", "daphne -p 80 {m}:application",
    "celery -A {m} worker -l info", "celery --app={m} beat", "flask --app {m} run", "python -c 'import {m}'",
    "python3 -c 'from {m} import main; main()'",
)


def _containers(command: str) -> list[tuple[str, str]]:
    exec_form = json.dumps(command.split())
    return [
        ("run.sh", f"#!/bin/sh\nset -e\n{command}\n"),
        ("Dockerfile", f"FROM python:3.12\nRUN pip install -e .\nCMD {command}\n"),
        ("Dockerfile", f"FROM python:3.12\nENTRYPOINT {exec_form}\n" if "'" not in command else "FROM x\n"),
        (".github/workflows/ci.yml", f"jobs:\n  t:\n    steps:\n      - run: |\n          {command}\n"),
        ("Procfile", f"web: {command}\n"),
        ("Makefile", f"serve:\n\t{command}\n"),
    ]


def test_every_shape_names_the_module() -> None:
    missed = []
    for path, text in itertools.chain.from_iterable(_containers(command.format(m=MODULE)) for command in COMMANDS):
        if text == "FROM x\n":
            continue
        if not any(module.startswith("fakepkg_zz") for _, module, _ in run_modules(path, text)):
            missed.append((path, text))
    assert missed == []


@pytest.mark.parametrize("text", [
    "# Run\n\n```sh\npython -m fakepkg_zz\n```\n",  # documentation: an example, not run
    "#!/bin/sh\npython x.py -m fakepkg_zz\n",  # a script's own option
    "#!/bin/sh\nuvicorn --app-dir backend main:app\n",  # another directory on sys.path first
    "#!/bin/sh\npython -m \"$MODULE\"\n",
])  # fmt: skip
def test_what_is_not_a_module_run_by_name(text: str) -> None:
    assert run_modules("README.md" if text.startswith("#") and "\n```" in text else "run.sh", text) == []


def test_a_module_nothing_knows_is_reported_where_it_is_run(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"Procfile": "web: gunicorn fakepkg_zz.wsgi\n", "run.sh": "#!/bin/sh\npython -c 'import fakepkg_zz'\n"})
    findings = run().json()["findings"]
    assert [(item["code"], item["path"], item["line"]) for item in findings] == [
        ("HC001", "Procfile", 1), ("HC001", "run.sh", 2)]
    repo.commit()
    assert [item["code"] for item in run("--all-files").json()["findings"]] == ["HC001", "HC001"]


def test_the_projects_own_code_stdlib_and_tools_pass(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "app/__init__.py": "", "backend/api/main.py": "",
                 "src/worker/__init__.py": ""})
    repo.stage({"Dockerfile": 'FROM python\nWORKDIR /srv/backend\nCMD ["uvicorn", "api.main:app"]\n',
                "run.sh": "#!/bin/sh\npython -m app\npython -m http.server\npip install build twine\n"
                          "python -m build\npython -m twine upload dist/*\ncelery -A worker worker\n"
                          "python -m pytest\n"})
    assert run().json()["findings"] == []


def test_a_module_the_base_already_ran_is_not_new(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "run.sh": "#!/bin/sh\npython -m fakepkg_zz\n"})
    repo.stage({"run.sh": "#!/bin/sh\necho start\npython -m fakepkg_zz\n"})
    assert run().json()["findings"] == []


def test_a_module_the_same_script_installs_is_that_package(repo: Repo, run: Any) -> None:
    # sqlalchemy's create-wheels.yaml: `python -m pip install pypi-attestations`, then `python -m pypi_attestations`.
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({".github/workflows/w.yml": "jobs:\n  t:\n    steps:\n      - run: |\n          python -m pip install "
                "fakepkg-zz\n          python -m fakepkg_zz.x sign\n"})
    assert [item["code"] for item in run().json()["findings"]] == ["HC040"]  # the install, not the run
