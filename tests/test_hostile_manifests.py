"""Hostile manifests: nesting deeper than a parser recurses, numbers too long, values of the wrong shape.

Each must give a finding naming the file and line (or a one-line error for the
configuration and baseline), a non-zero exit, and the made-up import reported.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo
from tests.hostile import (
    FAKE,
    IMPORT,
    PROJECT,
    PYPROJECT,
    Files,
    arrays,
    assert_blocks_and_names,
    findings,
    isolated_findings,
    objects,
    run_isolated,
    tables,
)  # fmt: skip

# (staged files, the file and line that must be named). The base commit holds PROJECT.
DEEP_MANIFESTS: dict[str, tuple[Files, str, int]] = {
    "pyproject-arrays": ({"pyproject.toml": PYPROJECT + f"x = {arrays()}\n"}, "pyproject.toml", 4),
    "pyproject-inline-tables": (
        {"pyproject.toml": PYPROJECT + f"x = {tables()}\n"}, "pyproject.toml", 4
    ),
    "pyproject-deep-on-line-1": ({"pyproject.toml": f"x = {arrays()}\n"}, "pyproject.toml", 1),
    "uv.lock": ({"uv.lock": f"version = 1\npackage = {arrays()}\n"}, "uv.lock", 2),
    "poetry.lock": ({"poetry.lock": f"[metadata]\nx = {tables()}\n"}, "poetry.lock", 2),
    "pdm.lock": ({"pdm.lock": f"x = {arrays()}\n"}, "pdm.lock", 1),
    "pylock.toml": ({"pylock.toml": f'lock-version = "1.0"\npackages = {arrays()}\n'}, "pylock.toml", 2),
    "pylock.dev.toml": ({"pylock.dev.toml": f"packages = {arrays()}\n"}, "pylock.dev.toml", 1),
    "Pipfile": ({"Pipfile": f"[packages]\nrequests = '*'\nx = {arrays()}\n"}, "Pipfile", 3),
    "Pipfile.lock-arrays": ({"Pipfile.lock": f'{{\n"default": {arrays()}\n}}'}, "Pipfile.lock", 2),
    "Pipfile.lock-objects": ({"Pipfile.lock": f'{{"default": {{}},\n"develop": {objects()}}}'}, "Pipfile.lock", 2),
    "environment.yml": ({"environment.yml": f"name: x\ndependencies: {arrays()}\n"}, "environment.yml", 2),
    "editable-target-pyproject": (
        {"requirements.txt": "-e ./lib\n", "lib/pyproject.toml": f"x = {arrays()}\n"}, "lib/pyproject.toml", 1
    ),
}


@pytest.mark.parametrize("scenario", sorted(DEEP_MANIFESTS))
def test_deeply_nested_manifest_is_a_finding_at_its_line(scenario: str, repo: Repo, run: Any) -> None:
    staged, path, line = DEEP_MANIFESTS[scenario]
    repo.commit(PROJECT)
    repo.stage({**staged, **IMPORT})
    assert_blocks_and_names(run(), path, line)


def test_local_project_of_the_wrong_shape_gives_no_name(repo: Repo, run: Any) -> None:
    repo.commit(PROJECT)
    repo.stage({"requirements.txt": "-e ./lib\n", "lib/pyproject.toml": "tool = 3\nproject = 4\n", **IMPORT})
    outcome = run()
    assert outcome.code == 1
    assert ("HC001", "a.py", 1) in findings(outcome)


def test_deeply_nested_lock_file_already_committed_is_reported_when_needed(repo: Repo, run: Any) -> None:
    repo.commit({**PROJECT, "uv.lock": f"version = 1\npackage = {arrays()}\n"})
    repo.stage(IMPORT)
    assert_blocks_and_names(run(), "uv.lock", 2)


def test_deeply_nested_workspace_root_is_a_finding(repo: Repo, run: Any) -> None:
    root = '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["member"]\n'
    repo.commit({"pyproject.toml": root, "member/pyproject.toml": '[project]\nname = "member"\n'})
    repo.stage({"pyproject.toml": root + f"x = {arrays()}\n", **IMPORT})
    assert_blocks_and_names(run(), "pyproject.toml", 5)


SETUP_PY = "from setuptools import setup\nsetup(install_requires=['requests'])\n"
DEEP_SETUP_PY = {
    "binary-operators": "x = " + " + ".join(["1"] * 100_000),
    "unary-operators": "x = " + "-" * 100_000 + "1",
    "not": "x = " + "not " * 100_000 + "1",
    "parentheses": "x = " + "(" * 5000 + "1" + ")" * 5000,
    "attributes": "x = a" + ".b" * 100_000,
}


@pytest.mark.parametrize("shape", sorted(DEEP_SETUP_PY))
def test_setup_py_too_deep_to_parse_is_a_finding(shape: str, repo: Repo, run: Any) -> None:
    repo.commit(PROJECT)
    repo.stage({"setup.py": f"{DEEP_SETUP_PY[shape]}\n{SETUP_PY}", **IMPORT})
    assert_blocks_and_names(run(), "setup.py", 1, ("HC011", "HC013"))


def test_setup_py_with_a_null_byte_is_a_finding(repo: Repo, run: Any) -> None:
    repo.commit(PROJECT)
    repo.stage({"setup.py": SETUP_PY + "x = 1\0\n", **IMPORT})
    assert_blocks_and_names(run(), "setup.py", 3, ("HC011", "HC013"))


def test_deeply_nested_configuration_is_a_one_line_error(repo: Repo, run: Any) -> None:
    repo.commit(PROJECT)
    repo.stage({".hallucheck.toml": f"ignore = {arrays()}\n", **IMPORT})
    outcome = run()
    assert outcome.code == 2
    assert outcome.err.startswith("hallucheck: error: .hallucheck.toml:1:"), outcome.err
    assert outcome.err.count("\n") == 1


def test_deeply_nested_pyproject_configuration_is_a_finding(repo: Repo, run: Any) -> None:
    repo.commit(PROJECT)
    repo.stage({"pyproject.toml": PYPROJECT + f"[tool.hallucheck]\nignore = {arrays()}\n", **IMPORT})
    outcome = run()
    assert outcome.code != 0
    assert "pyproject.toml" in outcome.err + outcome.out
    assert "Traceback" not in outcome.err


def test_deeply_nested_baseline_is_a_one_line_error(repo: Repo, run: Any) -> None:
    repo.commit(PROJECT)
    repo.stage({".hallucheck-baseline.json": f'{{"version": 1, "findings": {arrays()}}}', **IMPORT})
    outcome = run()
    assert outcome.code == 2
    assert outcome.err.startswith("hallucheck: error: .hallucheck-baseline.json"), outcome.err
    assert outcome.err.count("\n") == 1


def test_huge_integer_in_a_json_lock_is_a_finding(repo: Repo, run: Any) -> None:
    repo.commit({"Pipfile": "[packages]\nrequests = '*'\n"})
    repo.stage({"Pipfile.lock": '{"default": {"requests": {"version": ' + "9" * 5000 + "}}}", **IMPORT})
    assert_blocks_and_names(run(), "Pipfile.lock", 1)


# A manifest of the wrong shape: a table where a list is expected, a number where a string is, ...
# (staged files, the file and line that must be named). Each used to crash or be skipped in silence.
WRONG_SHAPES: dict[str, tuple[Files, str, int]] = {
    "uv.lock-package-number": ({"uv.lock": "version = 1\npackage = 3\n"}, "uv.lock", 2),
    "uv.lock-package-table": ({"uv.lock": "version = 1\n[package]\nname = 'fakepkg-zz'\n"}, "uv.lock", 2),
    "uv.lock-package-string": ({"uv.lock": "package = 'fakepkg-zz'\n"}, "uv.lock", 1),
    "uv.lock-name-number": ({"uv.lock": "[[package]]\nname = 3\nversion = '1'\n"}, "uv.lock", 2),
    "uv.lock-package-of-numbers": ({"uv.lock": "package = [1, 2]\n"}, "uv.lock", 1),
    "poetry.lock-package-bool": ({"poetry.lock": "package = true\n"}, "poetry.lock", 1),
    "pylock-packages-number": ({"pylock.toml": "packages = 3\n"}, "pylock.toml", 1),
    "Pipfile.lock-section-list": ({"Pipfile.lock": '{\n"default": [1, 2]}'}, "Pipfile.lock", 2),
    "Pipfile.lock-spec-list": ({"Pipfile.lock": '{"default": {\n"fakepkg-zz": [1]}}'}, "Pipfile.lock", 2),
    "Pipfile.lock-array": ({"Pipfile.lock": "[1]"}, "Pipfile.lock", 1),
    "pyproject-project-array": ({"pyproject.toml": "project = [1]\n"}, "pyproject.toml", 1),
    "pyproject-dependencies-table": (
        {"pyproject.toml": '[project]\nname = "demo"\ndependencies = {requests = "*"}\n'}, "pyproject.toml", 3
    ),
    "pyproject-dependencies-numbers": (
        {"pyproject.toml": '[project]\nname = "demo"\ndependencies = ["requests", 2]\n'}, "pyproject.toml", 3
    ),
    "pyproject-optional-dependencies-array": (
        {"pyproject.toml": '[project]\nname = "demo"\noptional-dependencies = ["x"]\n'}, "pyproject.toml", 3
    ),
    "pyproject-name-number": ({"pyproject.toml": "[project]\nname = 3\n"}, "pyproject.toml", 2),
    "pyproject-tool-poetry-number": ({"pyproject.toml": "[tool]\npoetry = 3\n"}, "pyproject.toml", 2),
    "pyproject-poetry-dependencies-array": (
        {"pyproject.toml": "[tool.poetry]\ndependencies = ['requests']\n"}, "pyproject.toml", 2
    ),
    "pyproject-poetry-group-number": ({"pyproject.toml": "[tool.poetry.group]\ndev = 3\n"}, "pyproject.toml", 2),
    "pyproject-dependency-groups-array": ({"pyproject.toml": "dependency-groups = [1]\n"}, "pyproject.toml", 1),
    "pyproject-dependency-group-number-item": (
        {"pyproject.toml": "[dependency-groups]\ndev = ['requests', 3]\n"}, "pyproject.toml", 2
    ),
    "pyproject-uv-sources-array": (
        {"pyproject.toml": '[project]\nname = "demo"\n[tool.uv]\nsources = [1]\n'}, "pyproject.toml", 4
    ),
    "pyproject-hatch-env-number": (
        {"pyproject.toml": '[project]\nname = "demo"\n[tool.hatch.envs]\ntest = 3\n'}, "pyproject.toml", 4
    ),
    "pyproject-workspace-members-number": (
        {"pyproject.toml": '[project]\nname = "demo"\n[tool.uv.workspace]\nmembers = 3\n'}, "pyproject.toml", 4
    ),
    "Pipfile-category-number": ({"Pipfile": "packages = 3\n"}, "Pipfile", 1),
    "environment.yml-list": ({"environment.yml": "- numpy\n"}, "environment.yml", 1),
}


@pytest.mark.parametrize("scenario", sorted(WRONG_SHAPES))
def test_manifest_of_the_wrong_shape_is_a_finding_at_its_line(scenario: str, repo: Repo, run: Any) -> None:
    staged, path, line = WRONG_SHAPES[scenario]
    repo.commit(PROJECT)
    repo.stage({**staged, **IMPORT})
    assert_blocks_and_names(run(), path, line)


def test_include_chain_deeper_than_the_stack_is_a_finding(repo: Repo, run: Any) -> None:
    chain: Files = {f"reqs/r{index}.txt": f"-r r{index + 1}.txt\n" for index in range(400)}
    repo.commit(PROJECT)
    repo.stage({"requirements.txt": "-r reqs/r0.txt\n", **chain, "reqs/r400.txt": "requests\n", **IMPORT})
    outcome = run()
    assert outcome.code == 1
    found = findings(outcome)
    assert ("HC011", "reqs/r48.txt", 1) in found, found
    assert ("HC001", "a.py", 1) in found, found


def test_workspace_glob_of_many_double_stars_takes_no_time(repo: Repo) -> None:
    """Backtracking over 30 `**` segments used to take longer than the universe has."""
    members = "/".join(["**"] * 30) + "/nomatch"
    root = f'[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["{members}"]\n'
    repo.commit({"pyproject.toml": root})
    member = "a/b/c/d/e/f/g/h/i/j/k/l"
    repo.stage({f"{member}/pyproject.toml": '[project]\nname = "m"\n', f"{member}/x.py": f"import {FAKE}\n"})
    found = isolated_findings(run_isolated(repo.root, timeout=120))
    assert ("HC001", f"{member}/x.py", 1) in found, found
