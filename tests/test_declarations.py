"""Where projects declare dependencies beyond the packaging manifests, end to end through real repositories.

tox, nox, rye, nested requirements folders, PEP 723 script blocks, pixi; template directories; which
declarations count for which files (development declarations in package code: HC008).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["requests"]\n'
Files = dict[str, str | bytes]


def findings(outcome: Any) -> list[tuple[str, str, int, str | None]]:
    return [(f["code"], f["path"], f["line"], f.get("module")) for f in outcome.json()["findings"]]


def all_files(repo: Repo, run: Any, files: Files) -> list[tuple[str, str, int, str | None]]:
    repo.commit(files)
    return findings(run("--all-files"))


# --- tox ---------------------------------------------------------------------------------------------

TOX_INI = """\
[tox]
envlist = py3{10,11}, lint

[base]
deps =
    pexpect>=4  # comment
    -r{toxinidir}/requirements-test.txt

[testenv]
deps =
    {[base]deps}
    py3: pytest
    !py310,py311: hypothesis
    {py310,py311}-django: pytest-django
    django{env:DJANGO_SPEC:}
    -c constraints.txt
commands = pytest {posargs}

[testenv:lint]
deps = flake8
       \\
       mypy
"""


def test_tox_ini_deps_declare_for_tests(repo: Repo, run: Any) -> None:
    test = (
        "import pytest\nimport pexpect\nimport hypothesis\nimport pytest_django\nimport django\n"
        "import flake8\nimport mypy\nimport pytest_docker_tools\n"
    )
    files: Files = {
        "pyproject.toml": PYPROJECT,
        "tox.ini": TOX_INI,
        "requirements-test.txt": "pytest-docker-tools\n",
        "constraints.txt": "slopsquat-pkg==1\n",
        "tests/test_app.py": test,
    }
    assert all_files(repo, run, files) == []


def test_tox_deps_added_in_the_change_are_new_dependencies(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "tox.ini": "[testenv]\ndeps = pytest\n"})
    repo.stage({"tox.ini": "[testenv]\ndeps =\n    pytest\n    slopsquat-pkg\n"})
    assert [(code, path, line) for code, path, line, _ in findings(run())] == [("HC004", "tox.ini", 4)]


def test_tox_substitution_cycle_is_a_manifest_problem(repo: Repo, run: Any) -> None:
    tox = "[a]\ndeps = {[testenv]deps}\n[testenv]\ndeps =\n    {[a]deps}\n"
    found = all_files(repo, run, {"pyproject.toml": PYPROJECT, "tox.ini": tox, "tests/test_a.py": "import os\n"})
    assert [(code, path) for code, path, _, _ in found] == [("HC011", "tox.ini")]


@pytest.mark.parametrize(
    "files",
    [
        {
            "pyproject.toml": PYPROJECT + '[tool.tox]\nlegacy_tox_ini = """\n[tox]\nenvlist = py3\n'
            '[testenv]\ndeps =\n    pytest\n"""\n'
        },
        {
            "pyproject.toml": PYPROJECT + '[tool.tox.env_run_base]\ndeps = ["pytest>=8", '
            '{ replace = "ref", of = ["env", "x", "deps"] }]\n'
        },
        {"pyproject.toml": PYPROJECT, "tox.toml": '[env.test]\ndeps = ["pytest", "-r requirements/t.txt"]\n',
         "requirements/t.txt": "hypothesis\n"},
    ],
    ids=["legacy_tox_ini", "tool.tox", "tox.toml"],
)
def test_tox_in_pyproject_and_tox_toml(files: Files, repo: Repo, run: Any) -> None:
    assert all_files(repo, run, {**files, "tests/test_a.py": "import pytest\n"}) == []


def test_legacy_tox_ini_problem_is_at_its_line_in_pyproject(repo: Repo, run: Any) -> None:
    pyproject = PYPROJECT + '[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ndeps =\n    pytest\n    not a req!\n"""\n'
    found = all_files(repo, run, {"pyproject.toml": pyproject, "tests/test_a.py": "import pytest\n"})
    assert [(code, path, line) for code, path, line, _ in found] == [("HC011", "pyproject.toml", 10)]


# --- development declarations in package code ---------------------------------------------------------


def test_development_dependency_in_package_code_is_a_warning(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "tox.ini": "[testenv]\ndeps = pytest\n"})
    repo.stage({"src/demo/helpers.py": "import pytest\n", "tests/test_a.py": "import pytest\n"})
    outcome = run()
    assert findings(outcome) == [("HC008", "src/demo/helpers.py", 1, "pytest")]
    item = outcome.json()["findings"][0]
    assert item["severity"] == "warning" and "tox.ini" in item["message"]
    assert outcome.code == 0


def test_runtime_declaration_counts_everywhere(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "tox.ini": "[testenv]\ndeps = requests\n"})
    repo.stage({"src/demo/api.py": "import requests\n"})
    assert findings(run()) == []


def test_test_extra_and_dev_requirements_are_development(repo: Repo, run: Any) -> None:
    pyproject = PYPROJECT + '[project.optional-dependencies]\ntest = ["pytest"]\nredis = ["redis"]\n'
    files: Files = {"pyproject.toml": pyproject, "requirements-dev.txt": "hypothesis\n",
                    "demo/core.py": "import pytest\nimport hypothesis\nimport redis\n"}  # fmt: skip
    assert [code for code, *_ in all_files(repo, run, files)] == ["HC008", "HC008"]


# --- nox ---------------------------------------------------------------------------------------------

NOXFILE = """\
import nox

DOCS = ["sphinx", "furo"]
LINT = "ruff"


@nox.session
def tests(session: nox.Session) -> None:
    session.install("pytest", "-r", "requirements/test.txt", "-e", ".[extra]")
    session.install(*DOCS)
    session.install(LINT, "--upgrade", "-c", "constraints.txt")
    session.run_install("uv", "pip", "install", "attrs")
    session.run("pip", "install", "--index-url", "https://example.org", "rich")
    session.install(f"coverage{session.python}")
    session.conda_install("pytorch", channel="pytorch")
"""


def test_noxfile_installs_declare_and_computed_arguments_are_noted(repo: Repo, run: Any) -> None:
    test = "import pytest, hypothesis, sphinx, furo, ruff, rich, torch\nimport attrs\n"
    repo.commit({"pyproject.toml": PYPROJECT, "noxfile.py": NOXFILE, "requirements/test.txt": "hypothesis\n",
                 "constraints.txt": "slopsquat-pkg\n", "tests/test_a.py": test})  # fmt: skip
    assert findings(run("--all-files")) == []
    text = run("--all-files", "-v", json_output=False).out
    assert "noxfile.py:14" in text and "computed" in text


def test_noxfile_that_does_not_parse_declares_nothing(repo: Repo, run: Any) -> None:
    files: Files = {"pyproject.toml": PYPROJECT, "noxfile.py": "def (:\n", "tests/test_a.py": "import pytest\n"}
    found = all_files(repo, run, files)
    assert ("HC007", "tests/test_a.py", 1, "pytest") in found


# --- rye, nested requirements, pixi -------------------------------------------------------------------


def test_rye_dev_dependencies(repo: Repo, run: Any) -> None:
    pyproject = PYPROJECT + '[tool.rye]\nmanaged = true\ndev-dependencies = ["pytest>=8", "respx"]\n'
    assert all_files(repo, run, {"pyproject.toml": pyproject, "tests/test_a.py": "import pytest, respx\n"}) == []


def test_requirements_folders_at_any_depth(repo: Repo, run: Any) -> None:
    files: Files = {"pyproject.toml": PYPROJECT, "requirements/extras/redis.txt": "redis\n",
                    "requirements/deep/er/test.txt": "pytest\n", "app.py": "import redis\n",
                    "tests/test_a.py": "import pytest\n"}  # fmt: skip
    assert all_files(repo, run, files) == []


PIXI = """\
[workspace]
name = "demo"
channels = ["conda-forge"]

[dependencies]
python = ">=3.11"
pytorch = ">=2"
scikit-learn = "*"

[pypi-dependencies]
demo = { path = ".", editable = true }
rich = ">=13"

[feature.test.dependencies]
pytest = "*"

[target.linux-64.dependencies]
py-opencv = "*"
"""


def test_pixi_conda_and_pypi_dependencies(repo: Repo, run: Any) -> None:
    files: Files = {"pixi.toml": PIXI, "demo/__init__.py": "import torch\nimport sklearn\nimport rich\nimport cv2\n",
                    "tests/test_a.py": "import pytest\n"}  # fmt: skip
    assert all_files(repo, run, files) == []


def test_pixi_in_pyproject(repo: Repo, run: Any) -> None:
    pyproject = PYPROJECT + '[tool.pixi.dependencies]\npytorch = "*"\n[tool.pixi.pypi-dependencies]\nrich = "*"\n'
    assert all_files(repo, run, {"pyproject.toml": pyproject, "demo/a.py": "import torch, rich\n"}) == []


def test_conda_environment_names_map_to_pypi(repo: Repo, run: Any) -> None:
    environment = "dependencies:\n  - pytorch>=2\n  - msgpack-python\n  - pip\n"
    files: Files = {"environment.yml": environment, "a.py": "import torch\nimport msgpack\n"}
    assert all_files(repo, run, files) == []


# --- PEP 723 -----------------------------------------------------------------------------------------

SCRIPT = """\
#!/usr/bin/env python
# /// script
# requires-python = ">=3.11"
# dependencies = [
#   "rich>=13",
#   "httpx",
# ]
# ///
import rich
import httpx
import cryptoutils
"""


def test_script_block_declares_for_that_script_only(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "scripts/report.py": SCRIPT.split("import rich")[0]})
    repo.stage({"scripts/report.py": SCRIPT, "demo/app.py": "import rich\n"})
    assert sorted(findings(run())) == [
        ("HC001", "scripts/report.py", 11, "cryptoutils"),
        ("HC007", "demo/app.py", 1, "rich"),
    ]
    assert sorted(findings(run("--all-files"))) == sorted(findings(run()))


def test_script_block_adding_a_dependency_is_reviewed(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "tool.py": "# /// script\n# dependencies = []\n# ///\nimport os\n"})
    repo.stage({"tool.py": '# /// script\n# dependencies = ["slopsquat-pkg"]\n# ///\nimport slopsquat_pkg\n'})
    assert [(code, line) for code, _, line, _ in findings(run())] == [("HC004", 2), ("HC003", 4)]


@pytest.mark.parametrize(
    ("script", "line"),
    [
        ("import os\n# /// script\n# dependencies = [\n", 2),
        ('# /// script\n# dependencies = ["rich"\n# ///\nimport rich\n', 2),
        ('# /// script\n# dependencies = ["not a req!"]\n# ///\n', 2),
        ('# /// script\n# dependencies = "rich"\n# ///\n', 1),
    ],
    ids=["unclosed", "invalid-toml", "invalid-requirement", "not-a-list"],
)
def test_malformed_script_block_is_a_finding_at_its_line(script: str, line: int, repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"tool.py": script})
    found = findings(run())
    assert ("HC011", "tool.py", line, None) in found


# --- templates ---------------------------------------------------------------------------------------


def test_template_directories_are_neither_manifests_nor_scopes(repo: Repo, run: Any) -> None:
    files: Files = {
        "pyproject.toml": PYPROJECT,
        "{{cookiecutter.repo_name}}/pyproject.toml": '[project]\nname = "{{ cookiecutter.name }}"\n'
        "dependencies = [{% if cookiecutter.cli %}\"click\"{% endif %}]\n",
        "{{cookiecutter.repo_name}}/requirements.txt": "{{ cookiecutter.extra }}\n",
        "{{cookiecutter.repo_name}}/{{cookiecutter.package}}/cli.py": "import click\n",
        "hooks/post_gen_project.py": "import requests\n",
    }
    assert all_files(repo, run, files) == []
    text = run("--all-files", "-v", json_output=False).out
    assert "{{cookiecutter.repo_name}}" in text and "template" in text


# --- replay causes ------------------------------------------------------------------------------------


def test_dependency_installed_from_a_repository_path_is_not_a_new_package(repo: Repo, run: Any) -> None:
    """Replay C26: langgraph adds a group dependency whose [tool.uv.sources] entry is a path in the repository."""
    head = '[project]\nname = "demo"\nversion = "1"\n[dependency-groups]\ndev = ["pytest"]\n'
    staged = head.replace('["pytest"]', '["pytest", "conformance"]') + (
        '[tool.uv.sources]\nconformance = { path = "../conformance", editable = true }\n'
    )
    repo.commit({"demo/pyproject.toml": head, "conformance/pyproject.toml": '[project]\nname = "conformance"\n'})
    repo.stage({"demo/pyproject.toml": staged})
    assert findings(run()) == []


def test_fixture_project_inside_tests_sees_the_enclosing_test_declarations(repo: Repo, run: Any) -> None:
    """Replay C16: pydantic's tests/plugin/pyproject.toml (no dependencies) hid the root's test dependencies."""
    files: Files = {
        "pyproject.toml": PYPROJECT + '[dependency-groups]\ntesting = ["pytest"]\n',
        "tests/plugin/pyproject.toml": '[project]\nname = "plugin"\nversion = "1"\n',
        "tests/plugin/test_plugin.py": "import pytest\n",
        "tests/requirements.txt": "hypothesis\n",
        "tests/test_a.py": "import pytest\nimport hypothesis\n",
        "packages/a/pyproject.toml": '[project]\nname = "a"\n',
        "packages/a/tests/test_a.py": "import pytest\n",
    }
    # packages/a is a project of its own, not in tests/: the root's declaration names where pytest is (HC002)
    assert all_files(repo, run, files) == [("HC002", "packages/a/tests/test_a.py", 1, "pytest")]


HATCH_TOML = """\
[envs.hatch-test]
extra-dependencies = ["filelock", "trustme"]

[envs.docs]
dependencies = ["mkdocs"]

[build.hooks.custom]
dependencies = ["babel"]
"""


def test_hatch_toml_environments_and_build_hooks(repo: Repo, run: Any) -> None:
    """Replay C19 (hatch.toml, hatch-test implies pytest) and C7 (build scripts the backend names)."""
    pyproject = PYPROJECT + '[build-system]\nrequires = ["hatchling", "setuptools"]\n'
    files: Files = {
        "pyproject.toml": pyproject,
        "hatch.toml": HATCH_TOML,
        "hatch_build.py": "import babel\nimport setuptools\nfrom hatchling.builders.hooks.plugin.interface import x\n",
        "tests/test_a.py": "import pytest\nimport filelock\nimport trustme\nimport pytest_mock\n",
        "docs/hooks.py": "import mkdocs\n",
        "demo/core.py": "import hatchling\n",
    }
    assert all_files(repo, run, files) == [("HC007", "demo/core.py", 1, "hatchling")]


def test_hatch_environment_overrides_add_dependencies(repo: Repo, run: Any) -> None:
    """Attack E10: dependencies an environment's overrides add (platform, matrix with a conditional `{value = ...}`,
    env, `set-` options) are new dependencies like the environment's own, reviewed; a documented hallucination is an
    error."""
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": ""})
    repo.stage({"pyproject.toml": PYPROJECT + (
        '[[tool.hatch.envs.test.matrix]]\npython = ["3.11", "3.12"]\n'
        "[tool.hatch.envs.test.overrides]\n"
        'platform.linux.dependencies = ["fakepkg-linux"]\n'
        'matrix.python.extra-dependencies = [{value = "huggingface-cli", if = ["3.11"]}]\n'
        'env.CI.set-dependencies = "fakepkg-env"\n'
        'name."^py".set-extra-dependencies = ["fakepkg-name", {value = "fakepkg-value"}]\n'
    )})
    found = [(f["code"], f["line"], f["distribution"]) for f in run().json()["findings"]]
    assert found == [
        ("HC004", 8, "fakepkg-linux"),
        ("HC031", 9, "huggingface-cli"),
        ("HC004", 10, "fakepkg-env"),
        ("HC004", 11, "fakepkg-name"),
        ("HC004", 11, "fakepkg-value"),
    ]


def test_poetry_build_script_is_served_by_build_requirements(repo: Repo, run: Any) -> None:
    pyproject = '[tool.poetry]\nname = "demo"\n[tool.poetry.build]\nscript = "build.py"\n' \
        '[build-system]\nrequires = ["poetry-core", "setuptools"]\n'
    files: Files = {"pyproject.toml": pyproject, "build.py": "from setuptools import Extension\n"}
    assert all_files(repo, run, files) == []


PRE_COMMIT_CONFIG = """\
repos:
  - repo: https://github.com/pre-commit/mirrors-mypy
    rev: v1.0.0
    hooks:
      - id: mypy
        additional_dependencies: [types-requests, slopsquat-pkg]
  - repo: local
    hooks:
      - id: check-docs
        name: check docs
        language: python
        entry: python -m scripts.check_docs
        additional_dependencies:
          - beautifulsoup4
          - commonmark
          - pyyaml
"""


def test_local_pre_commit_hooks_declare_their_additional_dependencies(repo: Repo, run: Any) -> None:
    """Replay C6: black's scripts/check_*.py run as local hooks with additional_dependencies."""
    files: Files = {
        "pyproject.toml": PYPROJECT,
        ".pre-commit-config.yaml": PRE_COMMIT_CONFIG,
        "scripts/check_docs.py": "import bs4\nimport commonmark\nimport yaml\nimport slopsquat_pkg\n",
    }
    assert all_files(repo, run, files) == [("HC001", "scripts/check_docs.py", 4, "slopsquat_pkg")]


def test_optional_and_type_checking_imports_of_development_dependencies_pass(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "tox.ini": "[testenv]\ndeps =\n    numpy\n    mypy\n"})
    source = (
        "from typing import TYPE_CHECKING\ntry:\n    import numpy\nexcept ImportError:\n    numpy = None\n"
        "if TYPE_CHECKING:\n    import mypy\n"
    )
    repo.stage({"src/demo/helpers.py": source})
    assert findings(run()) == []


def test_hostile_new_manifests_fail_closed(repo: Repo, run: Any) -> None:
    chain = "".join(f"[s{index}]\ndeps = {{[s{index + 1}]deps}}\n" for index in range(300))
    files: Files = {
        "pyproject.toml": PYPROJECT,
        "tox.ini": "[testenv]\ndeps = {[s0]deps}\n" + chain,
        ".pre-commit-config.yaml": "repos:\n" + "[" * 5000 + "\nadditional_dependencies",
        "noxfile.py": "session.install(" + "[" * 5000 + ")\n",
        "pixi.toml": "[dependencies]\nx = " + "[" * 5000 + "\n",
        "hatch.toml": "[envs.a]\ndependencies = 3\n",
        "tests/test_a.py": "import os\n",
    }
    repo.commit(files)
    outcome = run("--all-files")
    assert outcome.code == 1 and "Traceback" not in outcome.err
    assert sorted(path for code, path, *_ in findings(outcome) if code == "HC011") == [
        ".pre-commit-config.yaml", "hatch.toml", "pixi.toml", "tox.ini",
    ]  # fmt: skip
