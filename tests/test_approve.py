"""`hallucheck approve`: byte-for-byte tomlkit edits, refusals, --list, and approvals clearing reviews."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from hallucheck.commands.approve import ApproveError, approvals_for, record_approvals
from tests.conftest import Repo

NEW = {"new-pkg": "new-pkg>=1"}


def insertion(original: str, at: str, text: str) -> str:
    """``original`` with ``text`` inserted right after the first occurrence of ``at`` (or at the end)."""
    position = original.index(at) + len(at) if at else len(original)
    return original[:position] + text + original[position:]


ODD = """\
# top comment
[project]
name = 'app'   # single quotes
dependencies = [
  "requests>=2",   # http
  'acme-weather',
]
  [project.optional-dependencies]  # indented header
  dev = ["pytest"]
"""

CASES = {
    "comments, quoting and an indented header": (
        ODD, "", '\n[tool.hallucheck.approved]\nnew-pkg = "new-pkg>=1"\n',
    ),
    "tool table followed by another table": (
        '[project]\nname = "x"\n\n[tool.hallucheck]\nignore = ["a"]  # legacy\n\n'
        '[tool.mypy]\nstrict = true\n',
        '# legacy\n\n',
        '[tool.hallucheck.approved]\nnew-pkg = "new-pkg>=1"\n\n',
    ),
    "existing approved table": (
        '[tool.hallucheck.approved]\nalpha = "alpha>=1"  # looked at it\n\n[tool.ruff]\nline-length = 100\n',
        "# looked at it\n",
        'new-pkg = "new-pkg>=1"\n',
    ),
    "existing table without blank lines": (
        '[tool.hallucheck.approved]\nalpha = "alpha"\n[tool.ruff]\n',
        'alpha = "alpha"\n',
        'new-pkg = "new-pkg>=1"\n',
    ),
    "inline table": (
        '[tool.hallucheck]\napproved = { alpha = "alpha" }\nignore = []\n',
        '{ alpha = "alpha"',
        ', new-pkg = "new-pkg>=1"',
    ),
    "dotted keys at the root": (
        'tool.hallucheck.approved.alpha = "alpha"\n[project]\nname = "x"\n',
        'approved.alpha = "alpha"\n',
        'tool.hallucheck.approved.new-pkg = "new-pkg>=1"\n',
    ),
    "dotted keys in the tool table": (
        '[tool.hallucheck]\napproved.alpha = "alpha"\n',
        "",
        'approved.new-pkg = "new-pkg>=1"\n',
    ),
    "CRLF line endings": (
        '[project]\r\nname = "x"\r\n', "", '\r\n[tool.hallucheck.approved]\r\nnew-pkg = "new-pkg>=1"\r\n',
    ),
    "no final newline": (
        '[project]\nname = "x"', "", '\n\n[tool.hallucheck.approved]\nnew-pkg = "new-pkg>=1"\n',
    ),
    "empty file": ("", "", '[tool.hallucheck.approved]\nnew-pkg = "new-pkg>=1"\n'),
    "tabs and odd spacing": (
        '[project]\nname\t=\t"x"\n[tool]\n\tother   =   1   # keep\n',
        "",
        '\n[tool.hallucheck.approved]\nnew-pkg = "new-pkg>=1"\n',
    ),
}  # fmt: skip


@pytest.mark.parametrize(("original", "at", "inserted"), CASES.values(), ids=list(CASES))
def test_pyproject_edits_are_pure_insertions(original: str, at: str, inserted: str) -> None:
    assert record_approvals(original, NEW, standalone=False, path="pyproject.toml") == insertion(
        original, at, inserted
    )


def test_standalone_file_created_and_extended() -> None:
    assert record_approvals(None, NEW, standalone=True, path="hallucheck.toml") == (
        '[approved]\nnew-pkg = "new-pkg>=1"\n'
    )
    original = '# team config\nignore = ["x"]  # legacy\n'
    assert record_approvals(original, NEW, standalone=True, path="hallucheck.toml") == (
        original + '\n[approved]\nnew-pkg = "new-pkg>=1"\n'
    )


def test_requirement_with_quotes_round_trips() -> None:
    from hallucheck.manifests.pyproject import load_toml

    requirement = 'pkg @ https://example.invalid/x.whl?a="b"\\c'
    edited = record_approvals('[project]\nname = "x"\n', {"pkg": requirement}, standalone=False, path="p")
    document, _ = load_toml(edited, "p")
    assert document is not None and document["tool"]["hallucheck"]["approved"]["pkg"] == requirement


def test_several_approvals_in_order() -> None:
    edited = record_approvals("", {"b-pkg": "b-pkg", "a-pkg": "a-pkg"}, standalone=True, path="h")
    assert edited == '[approved]\nb-pkg = "b-pkg"\na-pkg = "a-pkg"\n'


@pytest.mark.parametrize(
    "original",
    ["[[tool.hallucheck]]\nx = 1\n", 'tool = { hallucheck = "no" }\n', '[tool.hallucheck]\napproved = "x"\n'],
)
def test_unexpected_shapes_are_refused(original: str) -> None:
    with pytest.raises(ApproveError, match="is not a table"):
        record_approvals(original, NEW, standalone=False, path="pyproject.toml")


def test_invalid_toml_is_refused() -> None:
    with pytest.raises(ApproveError, match=r"pyproject\.toml: invalid TOML"):
        record_approvals("[project\n", NEW, standalone=False, path="pyproject.toml")


def test_approvals_for_normalises_and_refuses() -> None:
    added = {"acme-weather": "acme_weather>=0.1"}
    assert approvals_for(["Acme_Weather"], added, {}, force=False) == {
        "acme-weather": "acme_weather>=0.1"
    }
    with pytest.raises(ApproveError, match=r"requests: not a dependency added in the staged change \(added: "
                                           r"acme-weather\)"):  # fmt: skip
        approvals_for(["requests"], added, {"requests": "requests"}, force=False)
    assert approvals_for(["requests", "ghost"], added, {"requests": "requests>=2"}, force=True) == {
        "requests": "requests>=2", "ghost": "ghost",
    }  # fmt: skip
    with pytest.raises(ApproveError, match="is not a distribution name"):
        approvals_for(["bad name"], added, {}, force=True)


# --- the command, on real repositories --------------------------------------------------------

PYPROJECT = """\
# Project metadata (hand-written; keep the comments)
[project]
name = "app"
version = "1"
dependencies = [
    "requests>=2",  # HTTP
{new}]

[tool.ruff]
line-length = 100
"""


def approve(repo: Repo, capsys: Any, *args: str) -> tuple[int, str, str]:
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        code = main(["approve", *args])
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def blocked(repo: Repo, run: Any) -> Repo:
    """A staged change that adds a dependency and an import served only by it: blocked for review."""
    repo.commit({"pyproject.toml": PYPROJECT.format(new="")})
    repo.stage(
        {
            "pyproject.toml": PYPROJECT.format(new='    "acme-weather",\n'),
            "hub.py": "import acme_weather\n",
        }
    )
    assert run().codes() == ["HC003", "HC004"]
    return repo


def test_approve_records_prints_and_unblocks(blocked: Repo, run: Any, capsys: Any) -> None:
    before = (blocked.root / "pyproject.toml").read_text(encoding="utf-8")
    code, out, _ = approve(blocked, capsys, "Acme_Weather")
    assert code == 0
    assert out.splitlines() == [
        "approved acme-weather (`acme-weather`) in pyproject.toml [tool.hallucheck.approved]",
        "next: git add pyproject.toml",
    ]
    after = (blocked.root / "pyproject.toml").read_text(encoding="utf-8")
    assert after == before + '\n[tool.hallucheck.approved]\nacme-weather = "acme-weather"\n'
    assert run().codes() == ["HC003", "HC004"]  # not staged yet: the check reads the index
    blocked.git("add", "pyproject.toml")
    outcome = run()
    assert (outcome.code, outcome.codes()) == (0, ["HC101"])  # approved in the same change: shown, not blocking


def test_approval_clears_reviews_only(blocked: Repo, run: Any, capsys: Any) -> None:
    blocked.stage({"other.py": "import cryptoutils\n"})
    approve(blocked, capsys, "acme-weather")
    blocked.git("add", "pyproject.toml")
    assert run().codes() == ["HC001", "HC101"]


def test_refuses_a_name_not_added_in_the_change(blocked: Repo, capsys: Any) -> None:
    before = (blocked.root / "pyproject.toml").read_bytes()
    code, out, err = approve(blocked, capsys, "acme-weather", "requests")
    assert (code, out) == (2, "")
    assert err.strip() == (
        "hallucheck approve: error: requests: not a dependency added in the staged change "
        "(added: acme-weather); "
        "stage the manifest that adds it, or pass --force to approve it anyway"
    )
    assert (blocked.root / "pyproject.toml").read_bytes() == before


def test_force_approves_any_name(blocked: Repo, capsys: Any) -> None:
    code, out, _ = approve(blocked, capsys, "--force", "requests")
    assert code == 0 and "approved requests (`requests>=2`)" in out


def test_already_approved_is_a_no_op(blocked: Repo, capsys: Any) -> None:
    approve(blocked, capsys, "acme-weather")
    before = (blocked.root / "pyproject.toml").read_bytes()
    code, out, _ = approve(blocked, capsys, "acme-weather")
    assert (code, out) == (0, "already approved: acme-weather (as `acme-weather`)\n")
    assert (blocked.root / "pyproject.toml").read_bytes() == before


def test_list_shows_staged_and_unstaged_approvals(blocked: Repo, capsys: Any) -> None:
    assert approve(blocked, capsys, "--list")[1] == "no approved dependencies\n"
    approve(blocked, capsys, "acme-weather")
    assert approve(blocked, capsys, "--list")[1].splitlines() == [
        "approved dependencies (pyproject.toml):",
        '  acme-weather = "acme-weather"  (not staged: git add pyproject.toml)',
    ]
    blocked.git("add", "pyproject.toml")
    assert approve(blocked, capsys, "--list")[1].splitlines()[1] == '  acme-weather = "acme-weather"'


def test_unstaged_changes_in_the_config_file_are_pointed_out(blocked: Repo, capsys: Any) -> None:
    path = blocked.root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "# unrelated edit\n", encoding="utf-8")
    out = approve(blocked, capsys, "acme-weather")[1]
    assert "'git add -p pyproject.toml' stages only this edit" in out


def test_from_a_subdirectory_the_path_to_add_is_relative(blocked: Repo, capsys: Any) -> None:
    (blocked.root / "src" / "pkg").mkdir(parents=True)
    previous = Path.cwd()
    os.chdir(blocked.root / "src" / "pkg")
    try:
        assert main(["approve", "acme-weather"]) == 0
    finally:
        os.chdir(previous)
    assert capsys.readouterr().out.splitlines()[-1] == "next: git add ../../pyproject.toml"


def test_without_pyproject_a_hallucheck_toml_is_created(repo: Repo, run: Any, capsys: Any) -> None:
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nattrs==23.1\n"})
    code, out, _ = approve(repo, capsys, "attrs")
    assert code == 0 and out.endswith("next: git add hallucheck.toml\n")
    assert (repo.root / "hallucheck.toml").read_text(
        encoding="utf-8"
    ) == '[approved]\nattrs = "attrs==23.1"\n'
    repo.git("add", "hallucheck.toml")
    assert run().codes() == ["HC101"]


def test_existing_hallucheck_toml_is_used_even_with_a_pyproject(repo: Repo, capsys: Any) -> None:
    repo.commit(
        {"pyproject.toml": PYPROJECT.format(new=""), ".hallucheck.toml": "# team settings\nignore = []\n"}
    )
    repo.stage({"pyproject.toml": PYPROJECT.format(new='    "attrs",\n')})
    assert approve(repo, capsys, "attrs")[0] == 0
    assert (repo.root / ".hallucheck.toml").read_text(encoding="utf-8") == (
        '# team settings\nignore = []\n\n[approved]\nattrs = "attrs"\n'
    )
    assert "[tool.hallucheck" not in (repo.root / "pyproject.toml").read_text(encoding="utf-8")


def test_bom_and_crlf_survive(repo: Repo, capsys: Any) -> None:
    original = "\ufeff" + PYPROJECT.format(new="").replace("\n", "\r\n")
    repo.commit({"pyproject.toml": original.encode("utf-8")})
    repo.stage(
        {"pyproject.toml": original.replace('"requests>=2",', '"requests>=2",\r\n    "attrs",').encode()}
    )
    staged = (repo.root / "pyproject.toml").read_bytes()
    assert approve(repo, capsys, "attrs")[0] == 0
    assert (
        repo.root / "pyproject.toml"
    ).read_bytes() == staged + b'\r\n[tool.hallucheck.approved]\r\nattrs = "attrs"\r\n'


def test_usage_errors(repo: Repo, capsys: Any, tmp_path: Path) -> None:
    repo.commit({"requirements.txt": ""})
    assert approve(repo, capsys)[0] == 2
    assert approve(repo, capsys, "--list", "x")[0] == 2
    code, _, err = approve(repo, capsys, "not a name")
    assert code == 2 and "is not a distribution name" in err
    outside = tmp_path / "outside"
    outside.mkdir()
    previous = Path.cwd()
    os.chdir(outside)
    try:
        assert main(["approve", "x"]) == 2
    finally:
        os.chdir(previous)
    assert "not inside a git work tree" in capsys.readouterr().err


def test_invalid_config_is_not_edited(repo: Repo, capsys: Any) -> None:
    broken = PYPROJECT.format(new="") + "\n[tool.hallucheck]\nignroe = []\n"
    repo.commit({"pyproject.toml": broken})
    repo.stage({"pyproject.toml": broken.replace('"requests>=2",', '"requests>=2", "attrs",')})
    code, _, err = approve(repo, capsys, "attrs")
    assert code == 2 and "tool.hallucheck.ignroe: unknown key" in err
