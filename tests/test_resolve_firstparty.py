"""First-party discovery from the snapshot: layouts, build settings, scripts, tests, monorepos."""

from __future__ import annotations

import pytest

from hallucheck.config import Config
from hallucheck.resolve.firstparty import FirstParty
from hallucheck.snapshot import MemorySnapshot
from tests.resolution_helpers import findings_for, summary


def locate(files: dict[str, str], top: str, importing: str = "app.py", names: tuple[str, ...] = ()) -> str | None:
    """Where the dotted path ``top`` (its first part the top-level name) is first-party."""
    return FirstParty(MemorySnapshot(files), names).locate(top.split(".")[0], importing, imported=top)


@pytest.mark.parametrize(
    ("files", "top", "where"),
    [
        ({"mylib/__init__.py": ""}, "mylib", "mylib/"),
        ({"tool.py": ""}, "tool", "tool.py"),
        ({"stubs.pyi": "", "stubs.py": ""}, "stubs", "stubs.py"),
        ({"fast.pyx": ""}, "fast", "fast.pyx"),
        ({"_speedups.cpython-312-x86_64-linux-gnu.so": ""}, "_speedups", "_speedups.cpython-312-x86_64-linux-gnu.so"),
        ({"src/mylib/__init__.py": ""}, "mylib", "src/mylib/"),
        ({"nspkg/sub/mod.py": ""}, "nspkg.sub.mod", "nspkg/"),  # PEP 420: no __init__.py anywhere
        ({"nspkg/a/b/mod.py": ""}, "nspkg.a.b.mod.function", "nspkg/"),
        ({"nspkg/a/b/__init__.py": ""}, "nspkg.a.b", "nspkg/"),
        ({"nspkg/sub/mod.py": ""}, "nspkg", None),  # an empty namespace: nothing the code can use
        ({"nspkg/sub/mod.py": ""}, "nspkg.secure_hash", None),  # `from nspkg import secure_hash` fails
        ({"nspkg/sub/mod.py": ""}, "nspkg.sub", None),
    ],
)
def test_flat_src_and_namespace_layouts(files: dict[str, str], top: str, where: str | None) -> None:
    assert locate(files, top) == where


def test_a_lone_stub_counts_only_for_a_type_checker() -> None:
    files = {"stubs.pyi": "", "typed/__init__.pyi": ""}
    assert locate(files, "stubs") is None and locate(files, "typed") is None
    first_party = FirstParty(MemorySnapshot(files))
    assert first_party.locate("stubs", "app.py", stubs=True) == "stubs.pyi"
    assert first_party.locate("typed", "app.py", stubs=True) == "typed/"


def test_directory_without_python_files_is_not_a_package() -> None:
    assert locate({"yaml/settings.yml": "", "requests/docs/index.md": ""}, "yaml") is None
    assert locate({"requests/docs/index.md": ""}, "requests") is None


def test_setuptools_package_dir_and_find_where() -> None:
    files = {
        "pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "lib", "extra" = "vendor/extra_src"}\n'
        '[tool.setuptools.packages.find]\nwhere = ["python"]\n',
        "lib/core/__init__.py": "",
        "python/other/__init__.py": "",
        "vendor/extra_src/__init__.py": "",
    }
    assert locate(files, "core") == "lib/core/"
    assert locate(files, "extra") == "vendor/extra_src"
    assert locate(files, "other") == "python/other/"


def test_setuptools_explicit_packages_and_py_modules() -> None:
    files = {
        "pyproject.toml": '[tool.setuptools]\npackages = ["built_pkg", "built_pkg.sub"]\npy-modules = ["single"]\n',
        "built_pkg/__init__.py": "",
        "single.py": "",
    }
    assert locate(files, "built_pkg") == "built_pkg/"  # the script's own directory is searched first
    assert locate(files, "single") == "single.py"
    # A name is first-party only when the snapshot holds it: a setting alone imports nothing.
    del files["built_pkg/__init__.py"], files["single.py"]
    assert locate(files, "built_pkg") is None and locate(files, "single") is None


def test_setup_cfg_package_dir() -> None:
    files = {
        "setup.cfg": "[options]\npackage_dir =\n    =source\npy_modules = helper\n",
        "source/pkg/__init__.py": "",
        "helper.py": "",
    }
    assert locate(files, "pkg") == "source/pkg/"
    assert locate(files, "helper") == "helper.py"


def test_poetry_packages() -> None:
    files = {
        "pyproject.toml": '[tool.poetry]\n'
        'packages = [{include = "poetic", from = "lib"}, {include = "glob*", from = "g"}]\n',
        "g/globbed/__init__.py": "",
        "lib/poetic/__init__.py": "",
    }
    assert locate(files, "poetic") == "lib/poetic"
    assert locate(files, "globbed") == "g/globbed/"


def test_hatch_build_targets() -> None:
    files = {
        "pyproject.toml": '[tool.hatch.build.targets.wheel]\npackages = ["code/hatched"]\n'
        '[tool.hatch.build.targets.wheel.sources]\n"py" = ""\n',
        "py/fromsources/__init__.py": "",
        "code/hatched/__init__.py": "",
    }
    assert locate(files, "hatched") == "code/hatched"
    assert locate(files, "fromsources") == "py/fromsources/"


MATURIN = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n'
SCM = '[build-system]\nrequires = ["hatchling", "hatch-vcs", "setuptools_scm[toml]>=8"]\n'


def test_maturin_module_name_without_python_source() -> None:
    files = {"pyproject.toml": MATURIN + '[project]\nname = "fast-thing"\n[tool.maturin]\nfeatures = ["pyo3"]\n'}
    assert locate(files, "fast_thing") == "fast_thing"  # the Rust extension, once built
    files = {"pyproject.toml": MATURIN + '[tool.maturin]\nmodule-name = "pkg._native"\npython-source = "python"\n'}
    assert locate(files, "pkg") == "python/pkg"


def test_a_maturin_table_without_the_maturin_backend_builds_nothing() -> None:
    """Attack D1: `[tool.maturin] module-name = "x"` alone made any `import x` first-party; only the maturin build
    backend builds the extension, and the project root is not the package `x`."""
    files = {"pyproject.toml": '[project]\nname = "demo"\n[tool.maturin]\nmodule-name = "fakepkg_zz"\n'}
    assert locate(files, "fakepkg_zz") is None
    files["fakepkg_zz/__init__.py"] = ""  # maturin's mixed layout: the Python package beside Cargo.toml
    assert locate(files, "fakepkg_zz") is not None


def test_generated_version_modules() -> None:
    files = {
        "pyproject.toml": SCM + '[tool.hatch.build.hooks.vcs]\nversion-file = "src/_black_version.py"\n'
        '[tool.setuptools_scm]\nwrite_to = "_scm_version.py"\n',
    }
    assert locate(files, "_black_version") == "src/_black_version.py"
    assert locate(files, "_scm_version") == "_scm_version.py"
    assert locate(files, "_other_version") is None


def test_a_version_file_setting_counts_only_with_its_writer_and_for_version_names() -> None:
    """Attack D1: `[tool.setuptools_scm] write_to = "fakepkg_zz.py"` with no build requirement that writes it made
    `from fakepkg_zz import secure_hash` first-party; with the writer, the file holds only the version."""
    table = '[tool.setuptools_scm]\nwrite_to = "fakepkg_zz.py"\n'
    assert locate({"pyproject.toml": table}, "fakepkg_zz") is None
    assert locate({"pyproject.toml": '[tool.hatch.build.hooks.vcs]\nversion-file = "v/_v.py"\n'}, "v") is None
    files = {"pyproject.toml": SCM + table}
    assert locate(files, "fakepkg_zz.__version__") == "fakepkg_zz.py"
    assert locate(files, "fakepkg_zz.version_tuple") == "fakepkg_zz.py"
    assert locate(files, "fakepkg_zz.secure_hash") is None
    assert locate(files, "fakepkg_zz.sub.mod") is None


def test_a_version_file_in_a_directory_makes_no_package() -> None:
    """Attack E1: `write_to = "fakepkg_zz/_version.py"` made `fakepkg_zz` first-party though git holds no such
    package (the build writes one file into it); a package git holds keeps its generated version module."""
    table = SCM + '[tool.setuptools_scm]\nwrite_to = "fakepkg_zz/_version.py"\n'
    assert locate({"pyproject.toml": table}, "fakepkg_zz") is None
    assert locate({"pyproject.toml": table}, "fakepkg_zz._version") is None
    held = {"pyproject.toml": table, "fakepkg_zz/__init__.py": "from ._version import version\n"}
    assert locate(held, "fakepkg_zz._version") == "fakepkg_zz/"


def test_sibling_module_of_a_script_or_test() -> None:
    files = {"scripts/helpers.py": "", "tests/util.py": "", "tests/unit/__init__.py": "", "tests/unit/fix.py": ""}
    assert locate(files, "helpers", "scripts/run.py") == "scripts/helpers.py"
    assert locate(files, "helpers", "app.py") is None
    assert locate(files, "util", "tests/test_a.py") == "tests/util.py"
    # pytest's rootdir rule: tests/unit is a package, so tests/ is on sys.path for tests/unit/test_b.py
    assert locate(files, "util", "tests/unit/test_b.py") == "tests/util.py"


def test_conftest_directory_is_on_the_path() -> None:
    files = {"tests/conftest.py": "", "tests/shared.py": "", "tests/deep/more/test_x.py": ""}
    assert locate(files, "conftest", "tests/deep/more/test_x.py") == "tests/conftest.py"
    assert locate(files, "shared", "tests/deep/more/test_x.py") == "tests/shared.py"


def test_nested_package_directory_does_not_shadow_a_distribution() -> None:
    files = {"myapp/__init__.py": "", "myapp/requests/__init__.py": "", "myapp/api.py": ""}
    assert locate(files, "requests", "myapp/api.py") is None
    project = {**files, "requirements.txt": ""}
    assert summary(findings_for(project, "myapp/views.py", "import requests\n")) == [
        ("HC007", "error", 1, "requests")
    ]
    # ... while the same directory next to a script (not a package) is importable.
    assert locate({"tools/requests/__init__.py": ""}, "requests", "tools/fetch.py") == "tools/requests/"


def test_monorepo_members() -> None:
    files = {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        "packages/core/pyproject.toml": '[project]\nname = "core"\n',
        "packages/core/src/corelib/__init__.py": "",
        "libs/util/setup.py": "",
        "libs/util/utilpkg/__init__.py": "",
        "backend/pyproject.toml": '[tool.setuptools]\npackage-dir = {"" = "py"}\n',
        "backend/py/service/__init__.py": "",
        "notamember/thing/__init__.py": "",
    }
    assert locate(files, "corelib", "apps/x.py") == "packages/core/src/corelib/"
    assert locate(files, "utilpkg", "apps/x.py") == "libs/util/utilpkg/"
    assert locate(files, "service", "apps/x.py") == "backend/py/service/"
    assert locate(files, "thing", "apps/x.py") is None


class CountingSnapshot(MemorySnapshot):
    def __init__(self, files: dict[str, str]) -> None:
        super().__init__(files)
        self.reads: list[str] = []

    def read(self, path: str) -> bytes | None:
        self.reads.append(path)
        return super().read(path)


def test_members_are_searched_only_when_nothing_declared_serves_the_import() -> None:
    from hallucheck.check import Change
    from hallucheck.resolve.project import ChangeManifests
    from hallucheck.resolve.resolver import Origin
    from hallucheck.sources.imported import ImportedModule

    files = {"requirements.txt": "requests\n", "libs/util/setup.py": "", "libs/util/utilpkg/__init__.py": ""}
    snapshot = CountingSnapshot(files)
    change = Change(snapshot, snapshot, [], manifests_changed=False)
    manifests = ChangeManifests(change)
    resolver, _ = manifests.resolver("app.py")

    def resolve(module: str) -> Origin:
        return resolver.resolve(ImportedModule(module, None, 0, 1, 1, "import", 1, 1), "app.py").origin

    assert resolve("requests") is Origin.DECLARED
    assert not any(path.startswith("libs/") for path in snapshot.reads)
    assert resolve("utilpkg") is Origin.FIRST_PARTY
    assert "libs/util/setup.py" in snapshot.reads


def test_path_dependencies_are_members() -> None:
    files = {
        "pyproject.toml": '[tool.uv.sources]\nshared = { path = "../outside" }\nlocal = { path = "deps/local" }\n'
        '[tool.poetry.dependencies]\nother = { path = "vendor/other", develop = true }\n',
        "deps/local/pyproject.toml": "",
        "deps/local/localpkg/__init__.py": "",
        "vendor/other/pyproject.toml": "",
        "vendor/other/src/otherpkg/__init__.py": "",
    }
    assert locate(files, "localpkg") == "deps/local/localpkg/"
    assert locate(files, "otherpkg") == "vendor/other/src/otherpkg/"


def test_configured_first_party_names() -> None:
    assert locate({}, "generated_proto", names=("generated_proto",)) is not None
    findings = findings_for({"requirements.txt": ""}, "a.py", "import generated_proto.v1\n",
                            config=Config(first_party=("generated_proto",)))  # fmt: skip
    assert findings == []


def test_first_party_shadows_a_removed_stdlib_name() -> None:
    project = {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.8"\n', "parser.py": ""}
    assert findings_for(project, "a.py", "import parser\n") == []


def test_the_build_files_a_missing_relative_import_reads_are_read_once() -> None:
    """A relative import that names no module looks for a build that makes it in the build and ignore files of its
    directory and every one above: a whole tree (saleor: hundreds of such imports) reads each of them once, and
    still finds the generated module each names."""
    files = {".gitignore": "pkg/sub0/_version.py\n", "pyproject.toml": '[project]\nname = "p"\n', "pkg/__init__.py": ""}
    for index in range(5):
        files[f"pkg/sub{index}/__init__.py"] = "helper = 1\n"
    reads: list[str] = []

    class Counted(MemorySnapshot):
        def read(self, path: str) -> bytes | None:
            reads.append(path)
            return super().read(path)

    first_party = FirstParty(Counted(files))
    found = [first_party.locate_relative("", name, 1, f"pkg/sub{index}/m.py")[0]
             for index in range(5) for name in ("_version", "missing")]  # fmt: skip
    assert found == [".gitignore", None] * 5  # (the file names the module; where, it does not say)
    assert reads.count(".gitignore") == 1 and reads.count("pyproject.toml") == 1
