"""A change cannot hide itself from the hook by editing what the framework passes it (attack B12).

pre-commit and prek filter the staged files with the hook's ``files``/``exclude``/``types`` and the top-level
``files``/``exclude`` of ``.pre-commit-config.yaml`` as the commit leaves it. An edit to those settings in the
same commit as an invented import is a relaxation: the commit is checked whole and the edit is HC101. A file
list naming no staged file (files mode) still checks what is staged.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from hallucheck.git.hook_settings import setting_changes, setting_line
from tests.conftest import Repo
from tests.test_precommit import HookSource, hook_source  # noqa: F401 (session fixture)
from tests.test_staged_frameworks import committing  # noqa: F401 (fixture)

HOOK = """repos:
-   repo: {repo}
{rev}    hooks:
    -   id: hallucheck
{extra}"""
LOCAL = HOOK.format(repo="local", rev="", extra="        name: hallucheck\n        entry: hallucheck --hook\n"
                    "        language: system\n        args: [--]\n{extra}")  # fmt: skip
BAD = "import fakepkg_zz\n"


def _config(extra: str = "", top: str = "") -> str:
    return top + LOCAL.format(extra=extra)


@pytest.mark.parametrize(
    ("extra", "top", "expected"),
    [
        ("        exclude: ^demo/\n", "", "`exclude` of the hallucheck hook set to `^demo/`"),
        ("        files: ^nothing$\n", "", "`files` of the hallucheck hook set to `^nothing$`"),
        ("        types: [markdown]\n", "", "`types` of the hallucheck hook set to `['markdown']`"),
        ("        stages: [manual]\n", "", "`stages` of the hallucheck hook set to `['manual']`"),
        ("", 'exclude: "^demo/"\n', "top-level `exclude` set to `^demo/`"),
    ],
)  # fmt: skip
def test_a_selection_setting_the_change_makes_is_named(extra: str, top: str, expected: str) -> None:
    found = setting_changes(_config().encode(), _config(extra, top).encode())
    assert [item[2] for item in found] == [expected + (" in .pre-commit-config.yaml" if top else "")]


def test_settings_that_stay_and_other_hooks_are_no_relaxation() -> None:
    other = "-   repo: local\n    hooks:\n    -   id: black\n        entry: black\n        language: system\n"
    before = _config("        exclude: ^vendor/\n")
    after = before + other.replace("black\n        language", "black\n        exclude: ^x/\n        language")
    assert setting_changes(before.encode(), after.encode()) == []
    assert setting_changes(None, before.encode()) == []  # a new configuration relaxes nothing it had
    removed = setting_changes(before.encode(), other.replace("-", "repos:\n-", 1).encode())
    assert [item[2] for item in removed] == ["the hallucheck hook removed from .pre-commit-config.yaml"]


def test_the_line_of_a_setting() -> None:
    text = _config("        exclude: ^demo/\n", 'exclude: "^x/"\n')
    assert setting_line(text, "exclude", True) == 1
    assert text.splitlines()[setting_line(text, "exclude", False) - 1].strip() == "exclude: ^demo/"


def _base(repo: Repo, config: str) -> None:
    repo.commit({"pyproject.toml": '[project]\nname="demo"\nversion="0.1"\ndependencies=["requests"]\n',
                 "demo/__init__.py": "", "README.md": "# demo\n", ".pre-commit-config.yaml": config})  # fmt: skip


def test_an_exclude_added_with_the_import_hides_nothing(repo: Repo, run: Any) -> None:
    _base(repo, _config())
    repo.stage({".pre-commit-config.yaml": _config("        exclude: ^(demo/|README)\n"), "demo/x.py": BAD,
                "README.md": "# demo\n\n    pip install huggingface-cli\n"})  # fmt: skip
    result = run("--hook", "--", ".pre-commit-config.yaml", json_output=False)  # what the framework passes
    assert result.code == 1, result.out
    assert "demo/x.py:1:8: HC001" in result.out and "README.md:3:17: HC031" in result.out
    assert ".pre-commit-config.yaml:" in result.out and "HC101 [warning] `exclude` of the hallucheck hook" in result.out
    assert "the framework did not pass README.md, demo/x.py" in result.out
    nothing = run("--hook", "--", json_output=False)  # an exclude that matches every staged file
    assert nothing.code == 1 and "demo/x.py:1:8: HC001" in nothing.out, nothing.out


def test_an_exclude_committed_earlier_is_honoured(repo: Repo, run: Any) -> None:
    _base(repo, _config("        exclude: ^vendor/\n"))
    repo.stage({"vendor/x.py": BAD})
    result = run("--hook", "--", json_output=False)
    assert result.code == 0 and "HC101" not in result.out, result.out


def test_a_file_list_naming_no_staged_file_still_checks_the_staged_ones(repo: Repo, run: Any) -> None:
    _base(repo, _config("        exclude: ^demo/\n"))
    repo.stage({"demo/x.py": BAD})
    result = run("--hook", "--", "README.md", json_output=False)  # README.md is unchanged: files mode
    assert result.code == 1 and "demo/x.py:1:8: HC001" in result.out, result.out


@pytest.mark.framework
@pytest.mark.parametrize(
    ("extra", "top"),
    [("        exclude: ^(demo/|README)\n", ""), ("        files: ^nothing$\n", ""), ("", 'exclude: "^demo/"\n')],
)  # fmt: skip
def test_through_the_frameworks(
    repo: Repo, hook_source: HookSource,  # noqa: F811
    committing: Callable[..., subprocess.CompletedProcess[str]], extra: str, top: str,  # noqa: F811
) -> None:  # fmt: skip
    published = HOOK.format(repo=hook_source.path.as_posix(), rev=f"    rev: {hook_source.rev}\n", extra="{extra}")
    _base(repo, published.format(extra=""))
    installed = committing.install(repo.root)  # type: ignore[attr-defined]
    assert installed.returncode == 0, installed.stdout
    repo.stage({".pre-commit-config.yaml": top + published.format(extra=extra), "demo/x.py": BAD})
    result = committing(repo.root, "commit", "-m", "exclude and import")
    assert result.returncode != 0, result.stdout
    assert "demo/x.py:1:8: HC001" in result.stdout and "HC101" in result.stdout, result.stdout
    assert repo.git("rev-list", "--count", "HEAD").strip() == "1"
