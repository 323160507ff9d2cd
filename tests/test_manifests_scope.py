"""Monorepo scope, workspaces, configured manifests and dependency diffs, on in-memory snapshots."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from hallucheck.check import Change, ChangedPythonFile, check
from hallucheck.config import Config
from hallucheck.manifests.diff import ManifestDiff, manifest_diff
from hallucheck.manifests.scope import ProjectScopes
from hallucheck.snapshot import EntryKind, MemorySnapshot

UV_LOCK = '[[package]]\nname = "idna"\nversion = "3"\n'
MONOREPO = {
    "requirements.txt": "rich\n",
    "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
    "services/api/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
    "services/api/src/api/main.py": "",
    "services/worker/setup.cfg": "[options]\ninstall_requires =\n    celery\n",
    "services/worker/worker/tasks.py": "",
    "tools/pyproject.toml": "[tool.black]\nline-length = 100\n",
    "tools/setup.cfg": "[flake8]\nmax-line-length = 100\n",
    "tools/setup.py": "import os\n\ndef setup_logging():\n    pass\n",
    "tools/lint.py": "",
    "docs/requirements.txt": "sphinx\n",
    "docs/conf.py": "",
}


def names(scopes: ProjectScopes, path: str) -> set[str]:
    return set(scopes.declared_for(path).dependencies)


def test_each_file_gets_its_nearest_project_plus_root_requirements() -> None:
    scopes = ProjectScopes(MemorySnapshot(MONOREPO))
    assert names(scopes, "services/api/src/api/main.py") == {"fastapi", "rich"}
    assert names(scopes, "services/worker/worker/tasks.py") == {"celery", "rich"}
    assert names(scopes, "docs/conf.py") == {"sphinx", "rich"}
    assert names(scopes, "tools/lint.py") == {"rich"}  # a tool-settings-only pyproject.toml is no project
    assert names(scopes, "setup_helpers.py") == {"rich"}
    assert scopes.project_directory("services/api/src/api") == "services/api"
    assert scopes.project_directory("tools") == ""


class CountingSnapshot(MemorySnapshot):
    def __init__(self, files: Mapping[str, str | bytes]) -> None:
        super().__init__(files)
        self.listed: list[str] = []
        self.read_paths: list[str] = []

    def list_dir(self, directory: str) -> Mapping[str, EntryKind]:
        self.listed.append(directory)
        return super().list_dir(directory)

    def read(self, path: str) -> bytes | None:
        self.read_paths.append(path)
        return super().read(path)


def test_only_directories_on_the_path_are_listed_and_each_once() -> None:
    snapshot = CountingSnapshot(MONOREPO)
    scopes = ProjectScopes(snapshot)
    scopes.declared_for("services/api/src/api/main.py")
    scopes.declared_for("services/api/src/api/other.py")
    scopes.declared_for("services/api/tests/test_main.py")
    assert sorted(snapshot.listed) == [
        "",
        "services",
        "services/api",
        "services/api/src",
        "services/api/src/api",
        "services/api/tests",
    ]
    assert len(snapshot.read_paths) == len(set(snapshot.read_paths))
    assert not any(path.startswith(("services/worker", "docs", "tools")) for path in snapshot.read_paths)


def test_lock_files_are_read_only_when_needed() -> None:
    snapshot = CountingSnapshot({"pyproject.toml": '[project]\nname = "a"\n', "uv.lock": UV_LOCK})
    scopes = ProjectScopes(snapshot)
    declared = scopes.declared_for("a.py")
    assert "uv.lock" in declared.manifests and "uv.lock" not in snapshot.read_paths
    assert set(declared.locked) == {"idna"}
    assert snapshot.read_paths.count("uv.lock") == 1


@pytest.mark.parametrize(
    "workspace",
    [
        '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/legacy"]\n',
        '[tool.pdm.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/legacy"]\n',
        '[tool.poetry.workspace]\ninclude = ["packages/**"]\nexclude = ["packages/legacy"]\n',
    ],
)
def test_workspace_root_declarations_count_for_members_only(workspace: str) -> None:
    files = {
        "pyproject.toml": f'[project]\nname = "root"\n[dependency-groups]\ndev = ["pytest"]\n{workspace}',
        "uv.lock": UV_LOCK,
        "packages/a/pyproject.toml": '[project]\nname = "a"\ndependencies = ["httpx", "b"]\n',
        "packages/b/pyproject.toml": '[project]\nname = "b"\ndependencies = ["numpy"]\n',
        "packages/legacy/pyproject.toml": '[project]\nname = "legacy"\ndependencies = ["six"]\n',
    }
    scopes = ProjectScopes(MemorySnapshot(files))
    assert names(scopes, "packages/a/src/a/x.py") == {"httpx", "b", "pytest"}
    assert names(scopes, "packages/b/b.py") == {"numpy", "pytest"}  # not a's httpx
    assert names(scopes, "packages/legacy/l.py") == {"six"}
    assert set(scopes.declared_for("packages/a/x.py").locked) == {"idna"}
    assert scopes.declared_for("packages/legacy/l.py").locked == {}


def test_configured_manifest_counts_for_the_project_that_holds_it() -> None:
    files = {
        "pyproject.toml": '[project]\nname = "demo"\n',
        "deps/prod.list": "orjson\n",
        "svc/pyproject.toml": '[project]\nname = "svc"\n',
        "svc/conf/extra.toml": '[project]\ndependencies = ["pydantic"]\n',
    }
    scopes = ProjectScopes(MemorySnapshot(files), ["deps/prod.list", "svc/conf/extra.toml", "missing.txt"])
    assert names(scopes, "app.py") == {"orjson"}
    assert names(scopes, "svc/main.py") == {"pydantic"}
    assert [(item.path, item.code) for item in scopes.declared_for("app.py").problems] == [
        ("missing.txt", "HC011")
    ]


# --- dependency diffs -----------------------------------------------------------------------------


def diff(before: dict[str, str], after: dict[str, str], changed: list[str] | None = None) -> ManifestDiff:
    return manifest_diff(ProjectScopes(MemorySnapshot(before)), ProjectScopes(MemorySnapshot(after)), changed)


def added(
    before: dict[str, str], after: dict[str, str], changed: list[str] | None = None
) -> list[tuple[str, str, int]]:
    return [(item.name, item.path, item.line) for item in diff(before, after, changed).added]


def test_version_bump_marker_change_and_move_are_not_additions() -> None:
    before = {
        "requirements.txt": "requests==2.0\nattrs\n",
        "pyproject.toml": '[project]\ndependencies = ["six"]\n',
    }
    after = {
        "requirements.txt": "requests==2.32 ; python_version >= '3.8'\n",
        "pyproject.toml": '[project]\ndependencies = ["six>=1.16", "attrs"]\n',
    }
    assert added(before, after, ["requirements.txt", "pyproject.toml"]) == []
    assert added(before, after) == []


def test_added_dependency_is_reported_once_at_its_line() -> None:
    before = {"requirements.txt": "requests\n"}
    after = {
        "requirements.txt": "requests\n-r requirements/extra.txt\nhuggingface-cli\n",
        "requirements/extra.txt": "huggingface-cli==0.1\nreqeusts\n",
    }
    changed = ["requirements.txt", "requirements/extra.txt"]
    assert added(before, after, changed) == [
        ("huggingface-cli", "requirements.txt", 3),
        ("reqeusts", "requirements/extra.txt", 2),
    ]


def test_new_include_of_an_existing_file_is_reported_at_the_include_line() -> None:
    before = {
        "requirements.txt": "requests\n",
        "extras/dev.txt": "pytest\n-r more.txt\n",
        "extras/more.txt": "x\n",
    }
    after = {**before, "requirements.txt": "requests\n-r extras/dev.txt\n"}
    assert added(before, after, ["requirements.txt"]) == [
        ("pytest", "requirements.txt", 2),
        ("x", "requirements.txt", 2),
    ]


def test_additions_are_per_project() -> None:
    before = dict(MONOREPO)
    after = {
        **MONOREPO,
        "services/worker/setup.cfg": "[options]\ninstall_requires =\n    celery\n    fastapi\n",
    }
    # fastapi is declared by services/api, but services/worker did not have it: it is new there.
    assert added(before, after, ["services/worker/setup.cfg"]) == [
        ("fastapi", "services/worker/setup.cfg", 4)
    ]


def test_layout_change_alone_reports_nothing_written_elsewhere() -> None:
    before = {"pyproject.toml": '[project]\ndependencies = ["numpy"]\n', "svc/requirements.txt": "flask\n"}
    after = {"pyproject.toml": '[project]\ndependencies = ["numpy"]\n'}
    # svc/ now falls under the root project: numpy comes into its scope, but no manifest line was written.
    assert added(before, after, ["svc/requirements.txt"]) == []


def test_new_build_requirement_is_an_addition_but_a_local_path_is_not() -> None:
    before = {"pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'}
    after = {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools", "setuptools-scmm"]\n',
        "requirements.txt": "-e ./libs/core\n",
        "libs/core/pyproject.toml": '[project]\nname = "core"\n',
    }
    assert added(before, after, ["pyproject.toml", "requirements.txt"]) == [
        ("setuptools-scmm", "pyproject.toml", 2)
    ]


def test_problems_of_the_target_and_problems_the_change_fixes() -> None:
    broken = {"requirements.txt": "requests\n-r missing.txt\n", "svc/pyproject.toml": "[project\n"}
    fixed = {"requirements.txt": "requests\n", "svc/pyproject.toml": "[project\n"}
    result = diff(broken, fixed, ["requirements.txt"])
    assert result.problems == []  # svc/ is untouched: its old breakage is not this change's business
    assert [(item.path, item.line) for item in result.fixed] == [("requirements.txt", 2)]
    result = diff(fixed, broken, ["requirements.txt"])
    assert [(item.path, item.line) for item in result.problems] == [("requirements.txt", 2)]


def test_a_changed_broken_lock_file_is_a_problem_an_unchanged_one_is_not_read() -> None:
    good = {"pyproject.toml": '[project]\nname = "a"\n', "uv.lock": UV_LOCK}
    broken = {**good, "uv.lock": "[[package]\nname = 1\n"}
    result = diff(good, broken, ["uv.lock"])
    assert [(item.path, item.line) for item in result.problems] == [("uv.lock", 1)]
    result = diff(broken, good, ["uv.lock"])
    assert [(item.path, item.line) for item in result.fixed] == [("uv.lock", 1)]
    changed = {**broken, "pyproject.toml": '[project]\nname = "a"\ndependencies = ["x"]\n'}
    result = diff(broken, changed, ["pyproject.toml"])
    assert result.problems == []


# --- the core check with scopes -------------------------------------------------------------------


def run_check(
    files: dict[str, str],
    path: str,
    source: str,
    base: dict[str, str] | None = None,
    config: Config | None = None,
) -> list[tuple[str, str, int]]:
    target = MemorySnapshot({**files, path: source})
    change = Change(
        MemorySnapshot(base if base is not None else files),
        target,
        [ChangedPythonFile(path, frozenset(range(1, source.count("\n") + 2)), source.encode())],
        changed_paths=[
            path,
            *(name for name in files if base is not None and files.get(name) != base.get(name)),
        ],
        config=config or Config(),
    )
    return [(item.code, item.path, item.line) for item in check(change).findings]


def test_member_may_not_borrow_a_sibling_dependency() -> None:
    path = "services/worker/worker/jobs.py"
    assert run_check(MONOREPO, path, "import celery\nimport rich\n") == []
    # still an error; it names the sibling that declares it (HC002), not "declare the namesake" (HC007)
    assert run_check(MONOREPO, path, "import fastapi\n") == [("HC002", path, 1)]


def test_lock_only_import_is_a_transitive_warning() -> None:
    files = {
        "pyproject.toml": '[project]\ndependencies = ["pandas"]\n',
        "uv.lock": '[[package]]\nname = "pandas"\nversion = "2"\n\n'
        '[[package]]\nname = "python-dateutil"\nversion = "2.9"\n',
    }
    result = check(
        Change(
            MemorySnapshot(files),
            MemorySnapshot({**files, "a.py": "import dateutil\n"}),
            [ChangedPythonFile("a.py", frozenset({1}), b"import dateutil\n")],
        )
    )
    [item] = result.findings
    assert (item.code, item.severity.value, item.distribution) == ("HC006", "warning", "python-dateutil")
    assert not result.blocks


def test_build_requirement_serves_setup_py_only() -> None:
    files = {"pyproject.toml": '[build-system]\nrequires = ["setuptools", "cython"]\n'}
    setup_py = "from Cython.Build import cythonize\nfrom setuptools import setup\n"
    setup_py += "setup(ext_modules=cythonize('*.pyx'))\n"
    assert run_check(files, "setup.py", setup_py) == []
    assert run_check(files, "build.py", "import cython\n") == [("HC007", "build.py", 1)]


def test_configured_manifest_is_read_by_the_check() -> None:
    files = {"deps/prod.list": "orjson\n"}
    assert run_check(files, "a.py", "import orjson\n", config=Config(manifests=("deps/prod.list",))) == []
    assert run_check(files, "a.py", "import orjson\n") == [("HC007", "a.py", 1)]


def test_added_dependency_in_a_subproject_is_reviewed_at_its_line() -> None:
    base = dict(MONOREPO)
    files = {
        **MONOREPO,
        "services/api/pyproject.toml": (
            '[project]\nname = "api"\ndependencies = [\n  "fastapi",\n  "fastapi-helperz",\n]\n'
        ),
    }
    findings = run_check(files, "services/api/src/api/main.py", "import fastapi_helperz\n", base=base)
    assert findings == [
        ("HC004", "services/api/pyproject.toml", 5),
        ("HC003", "services/api/src/api/main.py", 1),
    ]
