"""A release a user can pin: the version written once, a changelog in the usual shape, and the release job in CI."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import hallucheck

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).parents[1]
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$", re.MULTILINE)
SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def test_the_version_is_written_once() -> None:
    """pyproject.toml reads it from hallucheck/__init__.py statically (no import, no git tag: pre-commit installs
    from a shallow clone without tags)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "hallucheck.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", hallucheck.__version__)
    assert "full 40-character SHA" in (ROOT / "README.md").read_text(encoding="utf-8"), "how to pin before a tag"


def test_the_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    assert headings and headings[0]["version"] == "Unreleased" and headings[0]["date"] is None
    released = headings[1:]
    assert all(heading["date"] for heading in released), "a released version has a date"
    versions = [tuple(int(part) for part in heading["version"].split(".")) for heading in released]
    assert versions == sorted(versions, reverse=True), "newest first"
    if released:
        assert released[0]["version"] == hallucheck.__version__, "the newest release is the package's version"
    for section in re.findall(r"^### (.+)$", text, re.MULTILINE):
        assert section in SECTIONS, f"unknown changelog section {section!r}"


def test_ci_runs_the_release_job() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    release = (ROOT / ".ci" / "release").read_text(encoding="utf-8")
    assert "\n.ci/release\n" in run
    for step in ("-m build", "twine check --strict", "pip install -q \"$wheel\"", "hallucheck\" demo",
                 "pre_commit try-repo"):  # fmt: skip
        assert step in release, step
