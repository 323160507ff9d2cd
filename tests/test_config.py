"""Configuration: where it is read from, validation errors that name the key, and command-line overrides."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hallucheck.config import Config, ConfigError, load_config
from hallucheck.snapshot import MemorySnapshot
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n\n[tool.hallucheck]\n'


def loaded(files: dict[str, str]) -> Config:
    return load_config(MemorySnapshot(files))


def error_of(files: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        loaded(files)
    return str(caught.value)


# --- discovery --------------------------------------------------------------------------------


def test_pyproject_table() -> None:
    config = loaded({"pyproject.toml": PYPROJECT + 'first-party = ["app"]\nignore = ["legacy_*"]\n'})
    assert (config.first_party, config.ignore) == (("app",), ("legacy_*",))
    assert (config.path, config.source) == ("pyproject.toml", "pyproject.toml [tool.hallucheck]")
    assert config.origin("first-party") == "pyproject.toml [tool.hallucheck]"
    assert config.origin("mapping") == "default"


@pytest.mark.parametrize("name", ["hallucheck.toml", ".hallucheck.toml"])
def test_standalone_files_use_top_level_keys(name: str) -> None:
    config = loaded({name: 'python = "3.10"\n[severity]\nHC004 = "warning"\n', "requirements.txt": ""})
    assert (config.python, config.severity, config.path) == ("3.10", {"HC004": "warning"}, name)


def test_no_configuration_means_defaults() -> None:
    assert loaded({"pyproject.toml": '[project]\nname = "app"\n'}) == Config()
    assert loaded({}) == Config()


def test_two_configurations_are_an_error() -> None:
    message = error_of({"pyproject.toml": PYPROJECT + "ignore = []\n", "hallucheck.toml": "ignore = []\n"})
    assert "hallucheck.toml and pyproject.toml [tool.hallucheck]" in message and "keep one" in message


def test_pyproject_without_the_table_does_not_compete() -> None:
    assert (
        loaded({"pyproject.toml": '[project]\nname = "a"\n', "hallucheck.toml": 'python = "3.12"\n'}).python
        == "3.12"
    )


def test_broken_pyproject_is_left_to_the_manifest_reader() -> None:
    assert loaded({"pyproject.toml": "[tool.hallucheck\nignore = 1\n"}) == Config()


def test_broken_standalone_file_names_file_and_line() -> None:
    assert error_of({"hallucheck.toml": 'ignore = ["a"]\npython = \n'}).startswith(
        "hallucheck.toml:2: invalid TOML"
    )


def test_tool_table_inside_hallucheck_toml_is_an_error() -> None:
    assert "keys go at the top level" in error_of({"hallucheck.toml": "[tool.hallucheck]\nignore = []\n"})


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("ignroe = []", "pyproject.toml:7: tool.hallucheck.ignroe: unknown key (did you mean 'ignore'?)"),
        ("colour = 1", "tool.hallucheck.colour: unknown key (known keys: mapping, first-party"),
        ('first-party = "app"', "pyproject.toml:7: tool.hallucheck.first-party: must be a list of module "
                                "names, not a string"),
        ("python = 3.11", 'tool.hallucheck.python: must be a Python version string such as "3.11", '
                          "not a float"),
        ('python = "3"', "tool.hallucheck.python: '3' is not a Python version"),
        ('severity = { HC001 = "fatal" }', "tool.hallucheck.severity.HC001: 'fatal' is not one of error, "
                                           "review, warning, off"),
        ('severity = { HC999 = "off" }', "tool.hallucheck.severity.HC999: unknown code 'HC999'"),
        ("ignore = [1]", "tool.hallucheck.ignore: must be a string, not an integer"),
        ('mapping = { yaml = 3 }', "tool.hallucheck.mapping.yaml: must be a string, not an integer"),
        ('mapping = { "not a module" = "x" }', "'not a module' is not a module name"),
        ('approved = { "bad name!" = "x" }', "'bad name!' is not a distribution name"),
        ('manifests = ["../elsewhere/requirements.txt"]', "is not a relative path"),
        ('baseline = "/abs/b.json"', "tool.hallucheck.baseline: '/abs/b.json' is not a relative path"),
        ("approved = []", "tool.hallucheck.approved: must be a table of distribution = approved requirement"),
    ],
)  # fmt: skip
def test_invalid_values_name_the_key(table: str, expected: str) -> None:
    assert expected in error_of({"pyproject.toml": PYPROJECT + table + "\n"})


def test_error_line_points_at_a_nested_table_key() -> None:
    text = PYPROJECT + 'ignore = []\n\n[tool.hallucheck.severity]\nHC001 = "warning"\nHC04 = "off"\n'
    assert error_of({"pyproject.toml": text}).startswith("pyproject.toml:11: tool.hallucheck.severity.HC04:")


def test_values_are_normalised() -> None:
    config = loaded({"pyproject.toml": PYPROJECT + (
        'severity = { new-dependency = "warning", hc001 = "off" }\n'
        'mapping = { yaml = "PyYAML" }\n'
        'approved = { Requests_OAuthlib = "Requests_OAuthlib>=1" }\n'
        'first-party = ["app", "app"]\n'
    )})  # fmt: skip
    assert config.severity == {"HC004": "warning", "HC001": "off"}
    assert config.mapping == {"yaml": "pyyaml"}
    assert config.approved == {"requests-oauthlib": "Requests_OAuthlib>=1"}
    assert config.first_party == ("app",)


def test_ignore_globs_cover_submodules() -> None:
    config = Config(ignore=("legacy_*", "vendor.bundled"))
    assert (
        config.is_ignored("legacy_x")
        and config.is_ignored("legacy_x.sub")
        and config.is_ignored("vendor.bundled.y")
    )
    assert (
        not config.is_ignored("vendor")
        and not config.is_ignored("vendored.bundled")
        and not config.is_ignored("x")
    )


def test_mapping_uses_the_longest_covering_entry() -> None:
    config = Config(mapping={"google": "wrong", "google.cloud.storage": "google-cloud-storage"})
    assert config.mapped("google.cloud.storage.blob") == ("google.cloud.storage", "google-cloud-storage")
    assert config.mapped("google.cloudy") == ("google", "wrong")
    assert config.mapped("googlex") is None


def test_overrides_merge_tables_and_replace_lists() -> None:
    config = loaded({"pyproject.toml": PYPROJECT + 'ignore = ["a"]\nseverity = { HC001 = "warning" }\n'})
    config = config.merged({"severity": {"HC004": "off"}, "ignore": ["b"]}, "--flags")
    assert config.severity == {"HC001": "warning", "HC004": "off"} and config.ignore == ("b",)
    assert config.origin("severity.HC001") == "pyproject.toml [tool.hallucheck]"
    assert config.origin("severity.HC004") == config.origin("ignore") == "--flags"


# --- through the command line, on real repositories ------------------------------------------


def test_invalid_configuration_fails_closed_naming_the_key(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage(
        {"pyproject.toml": PYPROJECT + 'severity = { HC001 = "of" }\n', "app.py": "import cryptoutils\n"}
    )
    outcome = run(json_output=False)
    assert outcome.code == 2 and outcome.out == ""
    assert outcome.err.strip() == (
        "hallucheck: error: pyproject.toml:7: tool.hallucheck.severity.HC001: 'of' is not one of error, "
        "review, "
        "warning, off"
    )


def test_configuration_comes_from_the_index_not_the_disk(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"app.py": "import cryptoutils\n"})
    repo.write("pyproject.toml", PYPROJECT + 'ignore = ["cryptoutils"]\n')
    assert run().codes() == ["HC001"]
    repo.git("add", "pyproject.toml")
    assert (run().code, run().codes()) == (0, ["HC101"])  # the ignore added with the import is shown


def test_severity_off_warning_and_error(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nrich\n", "app.py": "import cryptoutils\n"})
    assert run().codes() == ["HC001", "HC004"]
    outcome = run("--severity", "HC001=warning", "--severity", "new-dependency=off")
    assert outcome.code == 0
    assert [(f["code"], f["severity"]) for f in outcome.json()["findings"]] == [
        ("HC001", "warning"), ("HC101", "warning"), ("HC101", "warning")  # each flag that let something through
    ]


def test_config_severity_applies_and_flags_override_it(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT + 'severity = { HC001 = "warning" }\n'})
    repo.stage({"app.py": "import cryptoutils\n"})
    assert run().code == 0
    assert run("--severity", "HC001=error").code == 1


def test_bad_override_is_a_usage_error(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"app.py": "import os\n"})
    assert "--severity: severity.HC001: 'loud' is not one of" in run("--severity", "HC001=loud").err
    assert "--mapping: expected NAME=VALUE" in run("--mapping", "yaml").err
    assert run("--target-python", "3.x").code == 2


def test_ignore_first_party_and_mapping_from_the_config(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.replace('"requests"', '"requests", "acme-sdk"') + (
        'ignore = ["legacy_*"]\nfirst-party = ["generated"]\n'
        'mapping = { "acme.sdk" = "acme-sdk", foo = "Foo-Lib" }\n'
    )})  # fmt: skip
    repo.stage(
        {"app.py": "import legacy_x.y\nimport generated.models\nfrom acme.sdk import client\nimport foo\n"}
    )
    outcome = run("-v")
    assert [(f["code"], f["distribution"]) for f in outcome.json()["findings"]] == [("HC002", "foo-lib")]
    reasons = {entry["module"]: entry["reason"] for entry in outcome.json()["imports"]}
    assert "first-party" in reasons["generated.models"] and "[tool.hallucheck]" in reasons["generated.models"]
    assert reasons["acme.sdk"].startswith("declared dependency") and "mapping" in reasons["acme.sdk"]


def test_mapping_to_a_dependency_added_in_the_change_needs_review(repo: Repo, run: Any) -> None:
    repo.commit({"hallucheck.toml": 'mapping = { acme = "acme-sdk" }\n', "requirements.txt": ""})
    repo.stage({"requirements.txt": "acme-sdk\n", "app.py": "import acme\n"})
    assert [(f["code"], f["distribution"]) for f in run().json()["findings"]] == [
        ("HC003", "acme-sdk"), ("HC004", "acme-sdk"),
    ]  # fmt: skip


def test_target_python_from_config_and_flag(repo: Repo, run: Any) -> None:
    repo.commit({"hallucheck.toml": 'python = "3.13"\n', "requirements.txt": ""})
    repo.stage({"app.py": "import imp\n"})
    assert run().codes() == ["HC020"]  # imp was removed in Python 3.12
    assert run("--target-python", "3.11").codes() == []


def test_show_config_names_the_source_of_every_value(repo: Repo, run: Any) -> None:
    repo.commit(
        {"pyproject.toml": PYPROJECT + 'ignore = ["a"]\n[tool.hallucheck.severity]\nHC004 = "warning"\n'}
    )
    outcome = run("--show-config", "--severity", "HC001=off", "--target-python", "3.12", json_output=False)
    assert outcome.code == 0
    lines = outcome.out.splitlines()
    assert lines[0] == (
        "# hallucheck configuration: read from pyproject.toml [tool.hallucheck], as staged (the index); "
        "command-line flags override it."
    )
    assert 'ignore = ["a"]  # pyproject.toml [tool.hallucheck]' in lines
    assert 'severity.HC004 = "warning"  # pyproject.toml [tool.hallucheck]' in lines
    assert 'severity.HC001 = "off"  # --severity' in lines
    assert 'python = "3.12"  # --target-python' in lines
    assert "first-party = []  # default" in lines and "approved = {}  # default" in lines
    document = json.loads(run("--show-config").out)
    assert document["file"] == "pyproject.toml"
    assert document["keys"]["severity"] == {
        "value": {"HC004": "warning"},
        "source": {"HC004": "pyproject.toml [tool.hallucheck]"},
    }
