"""The project's environment: dist-info metadata read as files, found where the project keeps it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from hallucheck.resolve.environment import Environment, EnvironmentNotFoundError, find_environment, is_hook_environment
from tests.conftest import Repo
from tests.resolution_helpers import findings_for, summary

SITE = "lib/python3.11/site-packages"
# Executing any of these files would create a marker file: the tests assert it never appears.
BOOBY_TRAP = "import pathlib; pathlib.Path({marker!r}).write_text('executed')\n"


class Venv:
    """A virtual environment's directory layout, with installed distributions written as files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / SITE
        self.site.mkdir(parents=True)
        (root / "pyvenv.cfg").write_text("home = /usr/bin\n")
        self.marker = root.parent / "EXECUTED"

    def install(
        self,
        name: str,
        version: str = "1.0",
        files: tuple[str, ...] = (),
        *,
        headers: tuple[str, ...] = (),
        top_level: str | None = None,
        record: bool = True,
        extra_record: tuple[str, ...] = (),
    ) -> Path:
        metadata = self.site / f"{name.replace('-', '_')}-{version}.dist-info"
        metadata.mkdir()
        lines = ["Metadata-Version: 2.5", f"Name: {name}", f"Version: {version}", *headers]
        (metadata / "METADATA").write_text("\n".join(lines) + "\n\nImport-Name: not-a-header-in-the-body\n")
        for path in files:
            target = self.site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(BOOBY_TRAP.format(marker=str(self.marker)))
        if top_level is not None:
            (metadata / "top_level.txt").write_text(top_level)
        if record:
            entries = [*files, *extra_record, f"{metadata.name}/METADATA", "../../../bin/tool"]
            (metadata / "RECORD").write_text("".join(f"{entry},sha256=x,1\n" for entry in entries))
        return metadata

    def environment(self) -> Environment:
        return Environment.at_prefix(self.root, ".venv")


@pytest.fixture
def venv(tmp_path: Path) -> Venv:
    return Venv(tmp_path / "project" / ".venv")


def check_with(venv: Venv, project: dict[str, str], source: str, path: str = "a.py") -> list[tuple[Any, ...]]:
    return summary(findings_for(project, path, source, environment=venv.environment()))


# --- reading dist-info -------------------------------------------------------------------------


def test_record_maps_an_unusual_import_name_to_its_declared_distribution(venv: Venv) -> None:
    venv.install("foo-bar-baz", files=("fbb/__init__.py", "fbb/core.py"))
    project = {"requirements.txt": "foo-bar-baz\n"}
    assert findings_for(project, "a.py", "import fbb\n") != []  # without the environment: unknown
    assert check_with(venv, project, "import fbb\nfrom fbb.core import run\nfrom fbb import core\n") == []
    assert not venv.marker.exists()


def test_installed_but_undeclared_names_the_distribution(venv: Venv) -> None:
    venv.install("foo-bar-baz", files=("fbb/__init__.py",))
    [finding] = findings_for({"requirements.txt": ""}, "a.py", "import fbb\n", environment=venv.environment())
    assert (finding.code, finding.distribution) == ("HC002", "foo-bar-baz")


def test_top_level_txt_and_pep_794_import_names(venv: Venv) -> None:
    venv.install("legacy-dist", top_level="legacymod\n", record=False)
    venv.install("modern-dist", headers=("Import-Name: modern_mod", "Import-Name: modern_mod._private; private"),
                 record=False)  # fmt: skip
    project = {"requirements.txt": "legacy-dist\nmodern-dist\n"}
    assert check_with(venv, project, "import legacymod\nimport modern_mod\n") == []


def test_import_namespace_alone_proves_nothing(venv: Venv) -> None:
    venv.install("acme-alpha", files=("acme/alpha/__init__.py",), headers=("Import-Namespace: acme",))
    venv.install("acme-beta", files=("acme/beta/__init__.py",), headers=("Import-Namespace: acme",))
    project = {"requirements.txt": "acme-alpha\n"}
    assert check_with(venv, project, "import acme.alpha\n") == []
    assert check_with(venv, project, "import acme\n") == [("HC007", "error", 1, "acme")]
    assert check_with(venv, project, "import acme.beta\n") == [("HC002", "error", 1, "acme-beta")]


def test_shared_pep_420_directory_is_a_namespace(venv: Venv) -> None:
    venv.install("plug-one", files=("plugs/one.py",))
    venv.install("plug-two", files=("plugs/two.py",))
    project = {"requirements.txt": "plug-one\n"}
    assert check_with(venv, project, "import plugs.one\n") == []
    assert check_with(venv, project, "import plugs\n") == [("HC001", "error", 1, "plugs")]


def test_stale_submodule_names_distribution_and_version(venv: Venv) -> None:
    venv.install("foo-bar-baz", "2.3", files=("fbb/__init__.py", "fbb/core.py", "fbb/data/x.json"))
    project = {"requirements.txt": "foo-bar-baz\n"}
    [finding] = findings_for(project, "a.py", "from fbb.legacy import thing\n", environment=venv.environment())
    assert (finding.code, finding.distribution) == ("HC022", "foo-bar-baz")
    assert "`fbb.legacy` is not part of foo-bar-baz 2.3" in finding.message
    assert check_with(venv, project, "from fbb.data import x\nimport fbb.core\nfrom fbb import anything\n") == []


def test_environment_decides_over_the_bundled_stale_table(venv: Venv) -> None:
    venv.install("pydantic", "1.10.0", files=("pydantic/__init__.py",))
    project = {"requirements.txt": "pydantic<2\n"}
    assert check_with(venv, project, "from pydantic import BaseSettings\n") == []


def test_virtual_submodules_are_never_stale(venv: Venv) -> None:
    venv.install("six", files=("six.py",))
    assert check_with(venv, {"requirements.txt": "six\n"}, "from six.moves import urllib\n") == []


def test_extension_modules_and_pyi_count(venv: Venv) -> None:
    venv.install("fastlib", files=("fastlib/__init__.py", "fastlib/_core.cpython-311-x86_64-linux-gnu.so"))
    assert check_with(venv, {"requirements.txt": "fastlib\n"}, "from fastlib._core import f\n") == []


# --- editable installs --------------------------------------------------------------------------


def test_setuptools_editable_finder(venv: Venv, tmp_path: Path) -> None:
    finder = venv.site / "__editable___proj_1_0_finder.py"
    finder.write_text(
        BOOBY_TRAP.format(marker=str(venv.marker))
        + "MAPPING: dict[str, str] = {'projmod': '/src/projmod', 'projtool': '/src/projtool.py'}\n"
        + "NAMESPACES: dict[str, list[str]] = {'projns': ['/src/projns']}\n"
    )
    (venv.site / "__editable__.proj-1.0.pth").write_text(
        "import __editable___proj_1_0_finder; __editable___proj_1_0_finder.install()\n"
    )
    venv.install("proj", extra_record=("__editable__.proj-1.0.pth", "__editable___proj_1_0_finder.py"))
    project = {"requirements.txt": "proj\n"}
    assert check_with(venv, project, "import projmod\nimport projtool\nfrom projmod.sub import x\n") == []
    assert check_with(venv, project, "import projns\n") == [("HC001", "error", 1, "projns")]
    assert not venv.marker.exists()


def test_hatchling_editable_path(venv: Venv, tmp_path: Path) -> None:
    source = tmp_path / "checkout" / "src"
    (source / "hatchmod").mkdir(parents=True)
    (source / "hatchmod" / "__init__.py").write_text(BOOBY_TRAP.format(marker=str(venv.marker)))
    (source / "single.py").write_text("")
    (venv.site / "_hatchproj.pth").write_text(f"{source}\n")
    venv.install("hatchproj", extra_record=("_hatchproj.pth",))
    project = {"requirements.txt": "hatchproj\n"}
    assert check_with(venv, project, "import hatchmod\nimport single\n") == []
    assert not venv.marker.exists()


def test_editables_redirector(venv: Venv) -> None:
    (venv.site / "_edproj.py").write_text(
        "from editables.redirector import RedirectingFinder as F\nF.install()\nF.map_module('edmod', '/x/edmod')\n"
    )
    (venv.site / "_edproj.pth").write_text("import _edproj\n")
    venv.install("edproj", extra_record=("_edproj.pth", "_edproj.py"))
    assert check_with(venv, {"requirements.txt": "edproj\n"}, "import edmod\n") == []


# --- laziness -----------------------------------------------------------------------------------


def test_environment_is_not_scanned_when_everything_resolves_otherwise(venv: Venv) -> None:
    environment = venv.environment()
    project = {"requirements.txt": "requests\nPyYAML\n", "local.py": ""}
    assert findings_for(project, "a.py", "import os\nimport requests\nimport yaml\nimport local\n",
                        environment=environment) == []  # fmt: skip
    assert "distributions" not in vars(environment)
    findings_for(project, "a.py", "import somethingelse\n", environment=environment)
    assert "distributions" in vars(environment)


# --- finding the environment --------------------------------------------------------------------


def test_dot_venv_then_venv_are_found(tmp_path: Path) -> None:
    assert find_environment(tmp_path, None, {}) is None
    Venv(tmp_path / "venv")
    assert find_environment(tmp_path, None, {}).origin == "venv"  # type: ignore[union-attr]
    Venv(tmp_path / ".venv")
    assert find_environment(tmp_path, None, {}).origin == ".venv"  # type: ignore[union-attr]


def test_virtual_env_variable_wins_unless_it_is_the_hook_environment(tmp_path: Path) -> None:
    Venv(tmp_path / "repo" / ".venv")
    active = Venv(tmp_path / "elsewhere")
    found = find_environment(tmp_path / "repo", None, {"VIRTUAL_ENV": str(active.root)})
    assert found is not None and found.origin.startswith("$VIRTUAL_ENV")
    hook = Venv(tmp_path / "cache" / "pre-commit" / "repoabc" / "py_env-python3.11")
    found = find_environment(tmp_path / "repo", None, {"VIRTUAL_ENV": str(hook.root)})
    assert found is not None and found.origin == ".venv"


def test_hook_environment_detection(tmp_path: Path) -> None:
    cache = tmp_path / "pc-home"
    assert is_hook_environment(cache / "repo1" / "anyenv", {"PRE_COMMIT_HOME": str(cache)})
    assert is_hook_environment(tmp_path / "x" / "py_env-python3", {})
    assert is_hook_environment(Path(sys.prefix), {"PRE_COMMIT": "1"})
    assert not is_hook_environment(Path(sys.prefix), {})  # hallucheck installed in the project's own venv
    assert not is_hook_environment(tmp_path / "proj" / ".venv", {"HOME": str(tmp_path)})


def test_python_option_accepts_an_interpreter_or_a_prefix(tmp_path: Path) -> None:
    created = Venv(tmp_path / "env")
    (created.root / "bin").mkdir()
    (created.root / "bin" / "python").write_text("")
    for given in (created.root / "bin" / "python", created.root):
        found = find_environment(tmp_path, str(given), {})
        assert found is not None and found.site_packages == (created.site,)
    with pytest.raises(EnvironmentNotFoundError, match="no such file"):
        find_environment(tmp_path, str(tmp_path / "missing" / "python"), {})
    with pytest.raises(EnvironmentNotFoundError, match="no site-packages"):
        find_environment(tmp_path, str(tmp_path), {})


def test_cli_reads_the_repository_venv_and_rejects_a_bad_python(repo: Repo, run: Any) -> None:
    venv = Venv(repo.root / ".venv")
    venv.install("foo-bar-baz", files=("fbb/__init__.py",))
    repo.write(".gitignore", ".venv/\n")
    repo.commit({"requirements.txt": "foo-bar-baz\n"})
    repo.stage({"a.py": "import fbb\nimport cryptoutils\n"})
    assert [(f["code"], f["module"]) for f in run().json()["findings"]] == [("HC001", "cryptoutils")]
    outcome = run("--python", str(repo.root / "nope" / "python"))
    assert outcome.code == 2 and "no such file" in outcome.err
    assert not venv.marker.exists()


def test_installed_environment_wins_over_the_module_index(venv: Venv) -> None:
    """The index says requests ships no `fetch_json` and no `requests.vendorized`; the installed version has both."""
    project = {"requirements.txt": "requests\n"}
    source = "from requests import fetch_json\nimport requests.vendorized\n"
    assert [item[0] for item in summary(findings_for(project, "a.py", source))] == ["HC026", "HC026"]
    venv.install("requests", "9.0", ("requests/__init__.py", "requests/vendorized.py"))
    assert check_with(venv, project, source) == []
