"""Resolution of added imports: target Python, distributions, mappings, stubs, stale paths (core, no git)."""

from __future__ import annotations

import pytest

from hallucheck.config import Config, ConfigError
from hallucheck.manifests import declared_dependencies
from hallucheck.resolve.resolver import FirstParty, Origin, Resolver, TargetPython, target_python
from hallucheck.snapshot import MemorySnapshot
from hallucheck.sources.imported import ImportedModule
from tests.resolution_helpers import findings_for, pyproject, summary

# --- the standard library of the target Python ---------------------------------------------------


def test_removed_module_is_an_error_naming_version_and_replacement() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.8")}
    [item] = findings_for(project, "a.py", "import imp\n")
    assert (item.code, item.severity.value) == ("HC020", "error")
    assert "removed from the standard library in Python 3.12" in item.message
    assert "importlib" in item.message
    assert "requires-python '>=3.8'" in item.message


def test_removed_module_below_the_removal_version_is_fine() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.8,<3.12")}
    assert findings_for(project, "a.py", "import imp\nimport asyncore\nimport distutils.core\n") == []


def test_module_removed_before_the_lowest_target_is_an_error() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.12")}
    assert summary(findings_for(project, "a.py", "import asynchat\nimport smtpd\n")) == [
        ("HC020", "error", 1, "asynchat"),
        ("HC020", "error", 2, "smtpd"),
    ]


def test_module_newer_than_the_lowest_target_is_a_warning() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.8")}
    [item] = findings_for(project, "a.py", "import tomllib\n")
    assert (item.code, item.severity.value) == ("HC021", "warning")
    assert "only from Python 3.11" in item.message


def test_new_module_is_fine_when_the_lowest_target_has_it() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.11")}
    assert findings_for(project, "a.py", "import tomllib\n") == []


def test_version_test_or_guard_around_a_new_module_is_fine() -> None:
    project = {"pyproject.toml": pyproject("tomli; python_version < '3.11'", requires_python=">=3.8")}
    source = (
        "import sys\n"
        "if sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\n"
        "try:\n    import tomllib as t2\nexcept ModuleNotFoundError:\n    import tomli as t2\n"
    )
    assert findings_for(project, "a.py", source) == []


def test_removed_module_under_a_version_test_is_fine_and_guarded_is_a_warning() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.8")}
    source = (
        "import sys\nif sys.version_info < (3, 12):\n    import imp\n"
        "try:\n    import asyncore\nexcept ImportError:\n    asyncore = None\n"
    )
    assert summary(findings_for(project, "a.py", source)) == [("HC020", "warning", 5, "asyncore")]


def test_configured_python_overrides_requires_python() -> None:
    project = {"pyproject.toml": pyproject(requires_python=">=3.8")}
    assert findings_for(project, "a.py", "import tomllib\n", config=Config(python="3.12")) == []
    [item] = findings_for(project, "a.py", "import imp\n", config=Config(python="3.12"))
    assert "[tool.hallucheck] python = '3.12'" in item.message


def test_invalid_configured_python_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="python"):
        findings_for({"requirements.txt": ""}, "a.py", "import os\n", config=Config(python="three"))


def test_always_importable_names() -> None:
    project = {"requirements.txt": ""}
    source = "from __future__ import annotations\nimport __main__\nfrom typing import TYPE_CHECKING\n" \
        "if TYPE_CHECKING:\n    from _typeshed import StrPath\n    from typing_extensions import Self\n"
    assert findings_for(project, "a.py", source) == []
    assert summary(findings_for(project, "b.py", "from _typeshed import StrPath\n")) == [
        ("HC001", "error", 1, "_typeshed")
    ]


@pytest.mark.parametrize(
    ("files", "lowest", "highest"),
    [
        ({"pyproject.toml": pyproject(requires_python=">=3.9")}, (3, 9), (3, 14)),
        ({"pyproject.toml": pyproject(requires_python=">=3.8, <3.11")}, (3, 8), (3, 10)),
        ({"pyproject.toml": pyproject(requires_python="~=3.10.2")}, (3, 10), (3, 10)),
        ({"pyproject.toml": pyproject(requires_python="~=3.10")}, (3, 10), (3, 14)),
        ({"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.9"\n'}, (3, 9), (3, 14)),
        ({"pyproject.toml": '[tool.poetry.dependencies]\npython = "~3.10"\n'}, (3, 10), (3, 10)),
        ({"setup.cfg": "[options]\npython_requires = >=3.11\n"}, (3, 11), (3, 14)),
        ({}, (3, 7), (3, 7)),
    ],
)
def test_target_python_range(files: dict[str, str], lowest: tuple[int, int], highest: tuple[int, int]) -> None:
    target = target_python(MemorySnapshot(files), running=(3, 7))
    assert (target.lowest, target.highest) == (lowest, highest)


# --- distributions: bundled mapping, names, heuristics, namespaces, user mapping, stubs -------------


def test_import_name_equal_to_the_declared_distribution() -> None:
    project = {"pyproject.toml": pyproject("requests", "typing_extensions>=4")}
    assert findings_for(project, "a.py", "import requests\nimport typing_extensions\n") == []


def test_alternative_distributions_are_suggested_most_popular_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from hallucheck.evidence import popular
    monkeypatch.setattr(popular, "popularity_rank", {"opencv-python-headless": 1, "opencv-python": 2}.get)
    [item] = findings_for({"requirements.txt": ""}, "a.py", "import cv2\n")
    assert item.distribution == "opencv-python-headless"
    assert "(or `opencv-python`, `opencv-contrib-python`, " in item.message


def test_name_heuristics_never_invent_a_distribution() -> None:
    [item] = findings_for({"requirements.txt": ""}, "a.py", "import cryptoutils\n")
    assert (item.code, item.distribution) == ("HC001", None)


def test_namespace_root_alone_proves_nothing() -> None:
    project = {"requirements.txt": "google-cloud-storage\nazure-storage-blob\nzope.interface\n"}
    source = (
        "import google\nfrom google.cloud import storage\nfrom azure.storage.blob import BlobClient\n"
        "import zope.interface\nimport azure\n"
    )
    # A bare root is importable once any member of the namespace is declared (replay C23); it never names one.
    assert summary(findings_for(project, "a.py", source)) == []
    assert summary(findings_for({"requirements.txt": "requests\n"}, "a.py", "import google\nimport azure\n")) == [
        ("HC001", "error", 1, "google"),
        ("HC001", "error", 2, "azure"),
    ]


def test_namespace_member_of_an_undeclared_distribution_is_unknown() -> None:
    project = {"requirements.txt": "google-cloud-storage\n"}
    [item] = findings_for(project, "a.py", "from google.cloud import fakeservice\n")
    assert (item.code, item.module) == ("HC001", "google.cloud")


def test_user_mapping_overrides_everything() -> None:
    project = {"requirements.txt": "acme-sdk\n"}
    config = Config(mapping={"acme": "Acme_SDK", "yaml": "ruamel.yaml"})
    assert findings_for(project, "a.py", "import acme.client\n", config=config) == []
    [item] = findings_for(project, "b.py", "import yaml\n", config=config)
    assert (item.code, item.distribution) == ("HC002", "ruamel-yaml")


def test_stub_distribution_serves_type_checking_imports_only() -> None:
    project = {"requirements.txt": "types-PyYAML\nboto3-stubs\n"}
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import yaml\n    import boto3\n"
    assert findings_for(project, "a.py", source) == []
    assert summary(findings_for(project, "b.py", "import yaml\n")) == [("HC002", "error", 1, "pyyaml")]


def test_stubs_serve_aliased_type_checking() -> None:
    project = {"requirements.txt": "types-requests\n"}
    source = "import typing as t\nfrom typing import TYPE_CHECKING as TC\nif TC:\n    import requests\n" \
        "if t.TYPE_CHECKING:\n    import requests.adapters\n"
    assert findings_for(project, "a.py", source) == []


def test_setup_py_imports_are_served_by_build_requirements() -> None:
    project = {"pyproject.toml": pyproject() + '[build-system]\nrequires = ["setuptools>=61", "Cython"]\n'}
    source = "from setuptools import setup\nfrom Cython.Build import cythonize\n\nsetup(name=\"x\")\n"
    assert findings_for(project, "setup.py", source) == []
    assert [item.code for item in findings_for(project, "tool.py", source)] == ["HC007", "HC007"]
    legacy = {"requirements.txt": ""}
    assert findings_for(legacy, "setup.py", "import setuptools\n\nsetuptools.setup()\n") == []


# --- stale module paths ------------------------------------------------------------------------


def test_stale_path_from_the_bundled_table_is_an_error_with_the_modern_path() -> None:
    project = {"requirements.txt": "pydantic\nscikit-learn\n"}
    source = "from pydantic import BaseSettings, BaseModel\nfrom sklearn.externals import joblib\n"
    findings = findings_for(project, "a.py", source)
    assert summary(findings) == [("HC022", "error", 1, "pydantic"), ("HC022", "error", 2, "scikit-learn")]
    assert "pydantic_settings" in findings[0].message
    assert "joblib" in findings[1].message


def test_current_path_of_a_package_with_stale_entries_is_fine() -> None:
    project = {"requirements.txt": "pydantic\n"}
    assert findings_for(project, "a.py", "from pydantic import BaseModel\nimport pydantic.fields\n") == []


# --- one finding per statement --------------------------------------------------------------------


def test_each_statement_gets_its_own_finding_but_one_statement_one() -> None:
    source = "import fakemod\n\ndef f():\n    import fakemod\n\nfrom fakemod import a, b\n"
    assert summary(findings_for({"requirements.txt": ""}, "a.py", source)) == [
        ("HC001", "error", 1, "fakemod"),
        ("HC001", "error", 4, "fakemod"),
        ("HC001", "error", 6, "fakemod"),
    ]


# --- the resolver's own account, for explain-import -------------------------------------------------


def test_resolution_records_the_manifest_line_and_the_steps() -> None:
    snapshot = MemorySnapshot({"requirements.txt": "requests\nPyYAML==6.0\n"})
    declared = declared_dependencies(snapshot)
    resolver = Resolver(declared, declared, FirstParty(snapshot), TargetPython.single((3, 11), "test"))
    resolution = resolver.resolve(ImportedModule("yaml", None, 0, 1, 1, "import", 1, 1), "a.py")
    assert resolution.origin is Origin.DECLARED
    assert [(place.path, place.line, place.requirement) for place in resolution.places] == [
        ("requirements.txt", 2, "PyYAML==6.0")
    ]
    assert any("bundled mapping: yaml -> pyyaml" in step for step in resolution.steps)


def test_an_import_repeated_in_many_files_is_looked_up_once_with_the_same_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tree imports the same modules in many files: the distribution and its stale paths are looked up once
    per import (not per file), and each file gets the account a fresh resolver gives, its own path included."""
    snapshot = MemorySnapshot({"requirements.txt": "requests\nPyYAML==6.0\npytest\n", "tests/conftest.py": ""})
    declared = declared_dependencies(snapshot)

    def resolver() -> Resolver:
        return Resolver(declared, declared, FirstParty(snapshot), TargetPython.single((3, 11), "test"))

    imports = [ImportedModule(module, name, 0, line, 1, "from" if name else "import", line, line)
               for line, (module, name) in enumerate([("yaml", None), ("pytest", None), ("nothere_zz", None),
                                                      ("requests.adapters", "HTTPAdapter")], start=1)]  # fmt: skip
    paths = ["a.py", "pkg/b.py", "tests/test_c.py", "pkg/d.py"]
    fresh = [(resolver().resolve(item, path)) for path in paths for item in imports]
    shared = resolver()
    looked_up: list[str] = []
    distribution = Resolver._distribution

    def counted(self: Resolver, item: ImportedModule, trace: object) -> object:
        looked_up.append(item.module)
        return distribution(self, item, trace)  # type: ignore[arg-type]

    monkeypatch.setattr(Resolver, "_distribution", counted)
    again = [shared.resolve(item, path) for path in paths for item in imports]
    assert [repr(item) for item in again] == [repr(item) for item in fresh]
    assert sorted(looked_up) == sorted(item.module for item in imports)
