"""An approval covers what was reviewed: the name from the source it was reviewed from.

``fakepkg-zz = "fakepkg-zz==1.0"`` under ``[tool.hallucheck.approved]`` approves the project from the package
index (any version: a bump is the same project); it does not approve ``fakepkg-zz @ https://host/x.whl``,
and an approved URL does not approve another URL, nor the index. The same holds for a declaration already
committed: a change that moves a declared name to a direct reference adds a package to review.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hallucheck.manifests.sources import INDEX, covers, source
from tests.conftest import Repo

NAME = "fakepkg-zz"
WHEEL = "https://files.example.com/fakepkg_zz-1.0-py3-none-any.whl"
OTHER = "https://evil.example.net/fakepkg_zz-1.0-py3-none-any.whl"
VCS = "git+https://github.com/example/fakepkg-zz@v1"
VCS2 = "git+https://github.com/example/fakepkg-zz@v2"
# How a requirement names its source, and what it is.
REQUIREMENTS = {
    "index": f"{NAME}==1.0",
    "index, other version": f"{NAME}>=2,<3",
    "wheel": f"{NAME} @ {WHEEL}",
    "other wheel": f"{NAME} @ {OTHER}",
    "vcs": f"{NAME} @ {VCS}",
    "vcs, other commit": f"{NAME} @ {VCS2}",
}
SOURCES = {"index": INDEX, "index, other version": INDEX, "wheel": WHEEL, "other wheel": OTHER, "vcs": VCS,
           "vcs, other commit": VCS2}  # fmt: skip
PYPROJECT = '[project]\nname = "myapp"\nversion = "1"\ndependencies = []\n'


def approved(requirement: str) -> str:
    return PYPROJECT + f'\n[tool.hallucheck.approved]\n{NAME} = {json.dumps(requirement)}\n'


@pytest.mark.parametrize(("reviewed", "added"), [(a, b) for a in REQUIREMENTS for b in REQUIREMENTS])
def test_an_approval_covers_only_its_own_source(repo: Repo, run: Any, reviewed: str, added: str) -> None:
    """The property, through a real repository: every pair of sources; the commit passes iff they agree."""
    repo.commit({"pyproject.toml": approved(REQUIREMENTS[reviewed])}, "reviewed")
    repo.stage({"requirements.txt": REQUIREMENTS[added] + "\n", "app.py": "import fakepkg_zz\n"})
    outcome = run()
    if SOURCES[reviewed] == SOURCES[added]:
        assert outcome.code == 0, outcome.out
    else:
        assert outcome.code == 1 and "HC004" in outcome.codes(), outcome.out
        message = next(item["message"] for item in outcome.json()["findings"] if item["code"] == "HC004")
        assert "another source is another package to review" in message


@pytest.mark.parametrize(("declared", "changed"), [(a, b) for a in REQUIREMENTS for b in REQUIREMENTS])
def test_a_committed_declaration_moved_to_another_source_is_new(
    repo: Repo, run: Any, declared: str, changed: str
) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "requirements.txt": REQUIREMENTS[declared] + "\n"}, "declared")
    repo.stage({"requirements.txt": REQUIREMENTS[changed] + "\n"})
    outcome = run()
    assert ("HC004" in outcome.codes()) == (SOURCES[declared] != SOURCES[changed]), outcome.out
    repo.git("reset", "-q", "--hard")
    repo.stage({"requirements-extra.txt": REQUIREMENTS[changed] + "\n"})  # the same, declared in another file
    outcome = run()
    assert ("HC004" in outcome.codes()) == (SOURCES[declared] != SOURCES[changed]), outcome.out


@pytest.mark.parametrize(("reviewed", "installed"), [(a, b) for a in REQUIREMENTS for b in REQUIREMENTS])
def test_an_install_argument_from_another_source_is_reviewed(reviewed: str, installed: str) -> None:
    """What an install command's package gets (agent hook, README, Dockerfile): the approval's source counts.
    (Which command words name a direct reference is the install-command reader's business.)"""
    from hallucheck.config import Config
    from hallucheck.evidence.installed import Place, installed_finding
    from hallucheck.sources.install_commands import PYPI, InstallArgument

    config = Config(approved={NAME: REQUIREMENTS[reviewed]})
    argument = InstallArgument(NAME, REQUIREMENTS[installed], PYPI)
    result = installed_finding(Place("command", 1, 1), "pip install x", argument, config)
    if SOURCES[reviewed] == SOURCES[installed]:
        assert result is None
    else:
        assert result is not None and result.code == "HC040" and result.requirement == REQUIREMENTS[installed]


_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}(?:[-_.][A-Za-z0-9]{1,5}){0,2}", fullmatch=True)
_SPECIFIERS = st.lists(
    st.tuples(st.sampled_from(["==", ">=", "<", "~=", "!=", "<=", ">"]),
              st.from_regex(r"[0-9]{1,3}(?:\.[0-9]{1,3}){0,2}(?:\+[a-z0-9]{1,4})?", fullmatch=True)),
    max_size=3,
).map(lambda items: ",".join(op + version for op, version in items))  # fmt: skip
_EXTRAS = st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), max_size=2).map(
    lambda items: f"[{','.join(items)}]" if items else "")
_MARKERS = st.sampled_from(["", "; python_version >= '3.10'", ' ; sys_platform == "linux"'])
_URLS = st.tuples(
    st.sampled_from(["https://", "http://", "git+https://", "git+ssh://git@", "file:///"]),
    st.from_regex(r"[a-z0-9]{1,10}\.[a-z]{2,4}/[A-Za-z0-9_./-]{1,30}(?:@[A-Za-z0-9.]{1,10})?", fullmatch=True),
).map("".join)


@given(name=_NAMES, extras=_EXTRAS, specifiers=_SPECIFIERS, marker=_MARKERS)
def test_every_index_requirement_is_one_source(name: str, extras: str, specifiers: str, marker: str) -> None:
    assert source(f"{name}{extras}{specifiers}{marker}") == INDEX
    assert covers(f"{name}==1.0", f"{name}{extras}{specifiers}{marker}")


@given(name=_NAMES, extras=_EXTRAS, url=_URLS, other=_URLS, marker=_MARKERS)
def test_a_direct_reference_is_its_own_url(name: str, extras: str, url: str, other: str, marker: str) -> None:
    written = f"{name}{extras} @ {url}{' ' if marker else ''}{marker}"
    assert source(written) == url
    assert not covers(f"{name}", written) and not covers(written, name)
    assert covers(written, f"{name} @ {url}")
    assert covers(written, f"{name} @ {other}") == (url == other)
    assert covers(written, None)  # only the name is known: an import's finding


def test_approve_does_not_widen_an_approval_to_another_source(repo: Repo, run: Any,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`hallucheck approve` names the entry to replace by hand; following that once reaches a passing commit."""
    repo.commit({"pyproject.toml": approved(REQUIREMENTS["index"])}, "reviewed")
    repo.stage({"requirements.txt": REQUIREMENTS["wheel"] + "\n"})
    refused = repo.check("approve", NAME, json_output=False, capsys=capsys)
    line = f"{NAME} = {json.dumps(REQUIREMENTS['wheel'])}"
    assert refused.code == 2 and line in refused.err and "another source" in refused.err, refused.err
    assert (repo.root / "pyproject.toml").read_text() == approved(REQUIREMENTS["index"])  # nothing written
    repo.stage({"pyproject.toml": approved(REQUIREMENTS["wheel"])})
    assert run().code == 0


def test_a_hand_written_approval_of_an_error_level_name_is_that_error(repo: Repo, run: Any) -> None:
    """An approval that clears a documented hallucination or a typosquat must record the override, as
    `hallucheck approve NAME --override-error` writes it (attack H30); otherwise the error stands at it."""
    base = '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'
    repo.commit({"pyproject.toml": base})
    repo.stage({"pyproject.toml": base + '[tool.hallucheck.approved]\nhuggingface-cli = "huggingface-cli"\n'})
    outcome = run("--format", "json")
    assert [(item["code"], item["path"], item["line"]) for item in outcome.json()["findings"]] == [
        ("HC031", "pyproject.toml", 6), ("HC101", "pyproject.toml", 6)]
    assert outcome.code == 1
    recorded = '[tool.hallucheck.approved]\nhuggingface-cli = "huggingface-cli"  # overrides HC031 (an error)\n'
    repo.stage({"pyproject.toml": base + recorded})
    assert [item["code"] for item in run("--format", "json").json()["findings"]] == ["HC101"]
    repo.stage({"pyproject.toml": base + '[tool.hallucheck.approved]\nsome-private-pkg = "some-private-pkg"\n'})
    assert [item["code"] for item in run("--format", "json").json()["findings"]] == ["HC101"]
