"""A fuzz pass over every manifest reader, the configuration and the baseline (issue 16).

Random bytes, manifest-looking text, nesting far deeper than any parser
recurses, and documents of the right syntax whose values have random shapes
(a table where a list belongs, a number where a string does) go through the
same entry points the check uses. Nothing may raise but the documented errors
(ConfigError, BaselineError), and nesting too deep to read is always a
problem at a line of the file, never an exception or silence.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
import tomlkit
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallucheck.check import Change, ChangedPythonFile, check
from hallucheck.config import ConfigError, load_config
from hallucheck.manifests.diff import manifest_diff
from hallucheck.manifests.scope import ProjectScopes
from hallucheck.policy.baseline import BaselineError
from hallucheck.policy.baseline import parse as parse_baseline
from hallucheck.snapshot import EmptySnapshot, MemorySnapshot

MANIFESTS = (
    "pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "environment.yml", "requirements.txt",
    "requirements/dev.in", "uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "pylock.dev.toml", "Pipfile.lock",
    "pixi.lock", "conda-lock.yml", "requirements.lock",
)  # fmt: skip
TOML_FILES = ("pyproject.toml", "Pipfile", "uv.lock", "poetry.lock", "pdm.lock", "pylock.toml")
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# The keys the readers look for, so that random documents reach the code that reads them.
KEYS = (
    "project", "dependencies", "optional-dependencies", "dynamic", "name", "version", "tool", "poetry", "uv",
    "pdm", "hatch", "envs", "extra-dependencies", "sources", "path", "workspace", "members", "exclude", "include",
    "dependency-groups", "include-group", "build-system", "requires", "setuptools", "file", "group",
    "dev-dependencies", "package", "packages", "default", "develop", "packages", "dev-packages", "pip",
    "hallucheck", "ignore", "mapping", "first-party", "severity", "approved", "manifests", "python", "x",
    "cibuildwheel", "test-requires", "overrides", "flit", "metadata", "requires-extra", "dev-requires",
    "dependency-metadata", "requires-dist", "extra-build-dependencies", "requirements", "run", "host", "build",
    "test", "tests", "outputs", "then", "else", "recipe", "channels", "custom_channels", "pypi-options",
    "depends", "requires_dist", "manager", "conda", "pypi", "kind", "url", "editable", "build",
)  # fmt: skip
_LEAVES = st.one_of(
    st.sampled_from(["requests", "fakepkg-zz", "./lib", "-e ./lib", "file:req.txt", "", "*", ">=1", "a b"]),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
VALUES = st.recursive(
    _LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=25,
)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=5)


def read_everything(files: dict[str, bytes]) -> ProjectScopes:
    """What the check does with manifests: scopes, lock files, the diff against an empty base."""
    target = ProjectScopes(MemorySnapshot(files))
    declared = target.declared_in("")
    declared.load_locks()
    target.declared_for("pkg/module.py").load_locks()
    manifest_diff(ProjectScopes(EmptySnapshot()), target, list(files))
    return target


def problem_lines(scopes: ProjectScopes, path: str) -> list[int]:
    declared = scopes.declared_in("")
    declared.load_locks()
    return [problem.line for problem in declared.problems if problem.path == path]


@pytest.mark.parametrize("path", MANIFESTS)
@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes(path: str, data: bytes) -> None:
    read_everything({path: data})


@pytest.mark.parametrize("path", MANIFESTS)
@FUZZ
@given(text=st.text(alphabet="[]{}()\"'=,.:#-@;~<>!\n\t\\ abcrequests0123456789*&|", max_size=400))
def test_manifest_looking_text(path: str, text: str) -> None:
    read_everything({path: text.encode("utf-8")})


OBJECT = '{"a": '


def _nested(opening: str, depth: int, inner: str = "1") -> str:
    closing = {"[": "]", "{": "}", "{a = ": "}", '{"a": ': "}"}[opening]
    return opening * depth + inner + closing * depth


DEEP = {
    "pyproject.toml": lambda depth: f'[project]\nx = {_nested("[", depth, "")}\n',
    "Pipfile": lambda depth: f"[packages]\nx = {_nested('{a = ', depth)}\n",
    "uv.lock": lambda depth: f"version = 1\npackage = {_nested('[', depth, '')}\n",
    "poetry.lock": lambda depth: f"[metadata]\nx = {_nested('{a = ', depth)}\n",
    "pdm.lock": lambda depth: f"x = 1\ny = {_nested('[', depth, '')}\n",
    "pylock.toml": lambda depth: f"packages = 1\nx = {_nested('[', depth, '')}\n",
    "Pipfile.lock": lambda depth: f'{{"default": {{}},\n"develop": {_nested(OBJECT, depth)}}}',
    "environment.yml": lambda depth: f"name: x\ndependencies: {_nested('[', depth, '')}\n",
    "pixi.lock": lambda depth: f"version: 6\npackages: {_nested('[', depth, '')}\n",
    "conda-lock.yml": lambda depth: f"version: 1\npackage: {_nested('[', depth, '')}\n",
    "meta.yaml": lambda depth: f"package: {{name: x}}\nrequirements: {_nested('[', depth, '')}\n",
    "setup.py": lambda depth: f"from setuptools import setup\nx = {'-' * depth * 20}1\nsetup()\n",
}


@pytest.mark.parametrize("path", sorted(DEEP))
@settings(max_examples=8, deadline=None, database=None)
@given(depth=st.integers(5_000, 20_000))
def test_deep_nesting_is_a_problem_at_its_line(path: str, depth: int) -> None:
    scopes = read_everything({path: DEEP[path](depth).encode()})
    assert problem_lines(scopes, path) == [2], path


@pytest.mark.parametrize("path", TOML_FILES)
@FUZZ
@given(document=DOCUMENTS)
def test_toml_of_random_shapes(path: str, document: dict[str, Any]) -> None:
    read_everything({path: tomlkit.dumps(document).encode()})


@FUZZ
@given(document=DOCUMENTS)
def test_pipfile_lock_of_random_shapes(document: dict[str, Any]) -> None:
    read_everything({"Pipfile.lock": json.dumps(document).encode()})


@pytest.mark.parametrize("path", ["pixi.lock", "conda-lock.yml"])
@FUZZ
@given(document=DOCUMENTS)
def test_yaml_lock_of_random_shapes(path: str, document: dict[str, Any]) -> None:
    read_everything({path: yaml.safe_dump(document).encode()})


@FUZZ
@given(document=DOCUMENTS)
def test_environment_yml_of_random_shapes(document: dict[str, Any]) -> None:
    read_everything({"environment.yml": yaml.safe_dump(document).encode()})


@pytest.mark.parametrize("path", ["meta.yaml", "recipe.yaml", ".condarc"])
@FUZZ
@given(document=DOCUMENTS)
def test_conda_recipe_and_condarc_of_random_shapes(path: str, document: dict[str, Any]) -> None:
    from hallucheck.manifests.source_settings import file_source_settings

    prefix = "" if path == ".condarc" else "package: {name: x}\nrequirements: {}\n"  # a recipe: read on
    text = prefix + yaml.safe_dump(document)
    read_everything({path: text.encode()})
    file_source_settings(path, text)


@FUZZ
@given(document=DOCUMENTS, requirements=st.lists(st.sampled_from(["requests", "-r other.txt", "-e ./lib", "x @ y"])))
def test_workspace_of_random_shapes(document: dict[str, Any], requirements: list[str]) -> None:
    """A workspace root, a member and a local path: the scope walk reads them all."""
    read_everything({
        "pyproject.toml": tomlkit.dumps(document).encode(),
        "pkg/pyproject.toml": tomlkit.dumps(document).encode(),
        "pkg/requirements.txt": "\n".join(requirements).encode(),
        "lib/pyproject.toml": tomlkit.dumps(document).encode(),
        "other.txt": b"-r pkg/requirements.txt\n",
    })  # fmt: skip


@pytest.mark.parametrize("path", ["pyproject.toml", "hallucheck.toml", ".hallucheck.toml"])
@FUZZ
@given(document=DOCUMENTS, raw=st.binary(max_size=200))
def test_configuration_of_random_shapes_or_bytes(path: str, document: dict[str, Any], raw: bytes) -> None:
    table = {"tool": {"hallucheck": document}} if path == "pyproject.toml" else document
    for data in (tomlkit.dumps(table).encode(), raw):
        with contextlib.suppress(ConfigError):
            load_config(MemorySnapshot({path: data}))


@FUZZ
@given(document=st.one_of(DOCUMENTS, VALUES), raw=st.binary(max_size=200))
def test_baseline_of_random_shapes_or_bytes(document: Any, raw: bytes) -> None:
    for data in (json.dumps(document).encode(), json.dumps({"version": 1, "findings": document}).encode(), raw):
        with contextlib.suppress(BaselineError):
            parse_baseline(data, ".hallucheck-baseline.json")


SOURCE = "import requests\nimport fakepkg_zz\nfrom lib import thing\nfrom . import sibling\n"


@pytest.mark.parametrize("path", ["pyproject.toml", "uv.lock", "Pipfile", "Pipfile.lock", "environment.yml"])
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENTS)
def test_whole_check_on_manifests_of_random_shapes(path: str, document: dict[str, Any]) -> None:
    """The resolver, the evidence and the policy take whatever the readers made of a manifest."""
    dump = {"Pipfile.lock": json.dumps, "environment.yml": yaml.safe_dump}.get(path, tomlkit.dumps)
    files = {path: dump(document), "pkg/mod.py": SOURCE, "lib/pyproject.toml": tomlkit.dumps(document)}
    changed = ChangedPythonFile("pkg/mod.py", frozenset({1, 2, 3, 4}), SOURCE.encode())
    result = check(Change(EmptySnapshot(), MemorySnapshot(files), [changed], changed_paths=list(files)))
    assert any(item.module == "fakepkg_zz" for item in result.findings)
