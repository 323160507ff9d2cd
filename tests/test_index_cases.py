"""The bundled index, end to end: one new file with one import, committed to a real git repository.

Two tables: the rows of issue 23 (what a new user tried), and ``tests/data/index_cases.tsv`` — cases written from
the libraries' own changelogs and migration guides (stale modules and names, invented ones, deprecated but
present, and real controls), each with its source.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo

CASES = Path(__file__).parent / "data" / "index_cases.tsv"


def _pyproject(declared: str) -> str:
    deps = ", ".join(f'"{item.strip()}"' for item in declared.split(";") if item.strip())
    return f'[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.10"\ndependencies = [{deps}]\n'


def _outcome(repo: Repo, run: Any, statement: str, declared: str) -> list[dict[str, Any]]:
    repo.commit({"pyproject.toml": _pyproject(declared), "README.md": "app\n"})
    repo.stage({"app.py": statement + "\n"})
    findings: list[dict[str, Any]] = run().json()["findings"]
    return findings


def _expect(findings: list[dict[str, Any]], expected: str) -> None:
    got = [(item["code"], item["severity"]) for item in findings]
    if expected == "pass":
        assert got == [], findings
    else:
        code, _, severity = expected.partition(":")
        assert [item[0] for item in got] == [code], findings
        if severity:
            assert got[0][1] == severity, findings


ISSUE_ROWS = [
    ("import requests.fakepkg_zz", "requests", "HC026:error", "ships no module `requests.fakepkg_zz`"),
    ("from fastapi.security.jwt import JWTBearer", "fastapi", "HC026:error", "module `fastapi.security.jwt`"),
    ("from sklearn.auto_ml import AutoClassifier", "scikit-learn", "HC026:error", "module `sklearn.auto_ml`"),
    ("from requests import fetch_json", "requests", "HC026:error", "name `fetch_json` in `requests`"),
    ("from numpy import float_", "numpy>=2", "HC022:error",
     "removed in the NumPy 2.0 release. Use `np.float64` instead"),
    ("from PIL.Image import ANTIALIAS", "pillow", "HC022:error", "name `ANTIALIAS` in `PIL.Image`"),
    ("from llama_index.core import VectorStoreIndex", "llama-index", "pass", ""),
    ("from langchain.llms import OpenAI", "langchain>=1.0", "HC022:error", "langchain_community.llms"),
]


@pytest.mark.parametrize(("statement", "declared", "expected", "says"), ISSUE_ROWS)
def test_issue_rows(repo: Repo, run: Any, statement: str, declared: str, expected: str, says: str) -> None:
    findings = _outcome(repo, run, statement, declared)
    _expect(findings, expected)
    if says:
        assert says in findings[0]["message"], findings[0]["message"]


def _cases() -> list[Any]:
    with CASES.open(encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.reader(stream, delimiter="\t") if row and not row[0].startswith("#")]
    return [pytest.param(*row[:3], id=f"{row[0]} [{row[1]}]") for row in rows]


@pytest.mark.parametrize(("statement", "declared", "expected"), _cases())
def test_changelog_cases(repo: Repo, run: Any, statement: str, declared: str, expected: str) -> None:
    _expect(_outcome(repo, run, statement, declared), expected)


def test_cases_cite_a_source_and_are_enough() -> None:
    rows = [row for row in csv.reader(CASES.open(encoding="utf-8"), delimiter="\t")
            if row and not row[0].startswith("#")]  # fmt: skip
    assert len(rows) >= 60
    for row in rows:
        assert len(row) == 5 and row[4].startswith("http"), row
    kinds = {row[3] for row in rows}
    assert {"stale module", "stale name", "invented module", "invented name", "deprecated", "control"} <= kinds


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("try:\n    from requests import fetch_json\nexcept ImportError:\n    fetch_json = None\n", "HC026:warning"),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from requests import fetch_json\n",
         "HC026:warning"),
        ("from langchain_core.pydantic_v1 import BaseModel\n", "HC022:error"),
    ],
)  # fmt: skip
def test_guarded_type_checking_and_removed_open_modules(repo: Repo, run: Any, source: str, expected: str) -> None:
    repo.commit({"pyproject.toml": _pyproject("requests; langchain-core>=1"), "README.md": "app\n"})
    repo.stage({"app.py": source})
    findings = run().json()["findings"]
    _expect(findings, expected)
    if "pydantic_v1" in source:  # open in 0.x (a star import from pydantic.v1), gone in 1.x: still a removal
        assert "removed; present in 0.1.53, 0.2.43 and 0.3.86" in findings[0]["message"]


def test_transitive_warning_names_the_chain(repo: Repo, run: Any) -> None:
    findings = _outcome(repo, run, "import pymongo", "kombu[mongodb]>=5")
    _expect(findings, "HC006:warning")
    assert "installed only as a requirement (`kombu` -> `pymongo`)" in findings[0]["message"]


def test_a_requirement_imported_for_type_checking_is_transitive(repo: Repo, run: Any) -> None:
    """Replay (scrapy): `httpcore2` under TYPE_CHECKING, with `httpx2[http2,socks]` declared, is what httpx2
    requires, not an invented name; a type checker sees it installed as the interpreter does."""
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from httpcore2 import AsyncNetworkStream\n"
    findings = _outcome(repo, run, source, "httpx2[http2,socks]>=2")
    _expect(findings, "HC006:warning")
    assert "(`httpx2` -> `httpcore2`)" in findings[0]["message"]


def test_an_extra_not_declared_brings_nothing(repo: Repo, run: Any) -> None:
    _expect(_outcome(repo, run, "import pymongo", "kombu>=5"), "HC007:error")
