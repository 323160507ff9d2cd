"""Configuration reaches the staged check: user mapping, first-party names, target Python; errors exit 2."""

from __future__ import annotations

from typing import Any

from tests.conftest import Repo

PYPROJECT = """\
[project]
name = "demo"
version = "1"
requires-python = ">=3.9"
dependencies = ["acme-sdk"]

[tool.hallucheck]
{config}
"""


def test_user_mapping_and_first_party_names_from_pyproject(repo: Repo, run: Any) -> None:
    config = 'first-party = ["generated"]\n[tool.hallucheck.mapping]\nacme = "acme-sdk"\n'
    repo.commit({"pyproject.toml": PYPROJECT.format(config=config)})
    repo.stage({"a.py": "import acme.client\nimport generated.api\nimport cryptoutils\n"})
    outcome = run()
    assert [(f["code"], f["module"]) for f in outcome.json()["findings"]] == [("HC001", "cryptoutils")]


def test_configured_python_is_the_target(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(config='python = "3.12"\n')})
    repo.stage({"a.py": "import tomllib\nimport asyncore\n"})
    findings = run().json()["findings"]
    assert [(f["code"], f["module"]) for f in findings] == [("HC020", "asyncore")]


def test_invalid_configuration_exits_2_naming_the_key(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT.format(config='python = "three"\n')})
    repo.stage({"a.py": "import os\n"})
    outcome = run()
    assert outcome.code == 2
    assert "python" in outcome.err and "Traceback" not in outcome.err
