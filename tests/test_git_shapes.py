"""Every odd shape of git history and configuration, each on a real repository.

No shape may crash hallucheck or make it pass silently: each test stages (or
commits) a hallucinated import in the odd shape and expects exactly the finding.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Outcome, Repo

BAD = "import cryptoutils\n"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def findings(outcome: Outcome) -> list[tuple[str, str, int, str | None]]:
    return [
        (item["code"], item["path"], item["line"], item["module"] or item["distribution"])
        for item in outcome.json()["findings"]
    ]


def run_in(directory: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    """Run hallucheck in-process from ``directory`` (any directory, not only a repository root)."""
    from hallucheck.cli import main

    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(directory)
    try:
        code = main([*args, "--format", "json"])
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def install_commit_hook(repo: Repo) -> None:
    """A plain git pre-commit hook running this checkout of hallucheck (git sets GIT_INDEX_FILE etc.)."""
    hooks = Path(repo.git("rev-parse", "--git-common-dir").strip())
    hooks = (repo.root / hooks if not hooks.is_absolute() else hooks) / "hooks"
    hooks.mkdir(exist_ok=True)
    script = hooks / "pre-commit"
    script.write_text(f"#!/bin/sh\nPYTHONPATH='{PROJECT_ROOT}' exec '{sys.executable}' -m hallucheck\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def commit(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``git commit ARGS`` with hooks enabled; the result, never an exception. Hook output is in stdout."""
    return subprocess.run(
        ["git", "commit", "-q", *args],
        cwd=directory,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def hooked(repo: Repo) -> Repo:
    repo.commit({"requirements.txt": "requests\n", "good.py": "import requests\n"})
    install_commit_hook(repo)
    return repo


# --- where HEAD is ------------------------------------------------------------------------------


def test_unborn_head(repo: Repo, run: Any) -> None:
    repo.stage({"a.py": BAD})
    assert findings(run()) == [("HC001", "a.py", 1, "cryptoutils")]


def test_detached_head(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.commit({"a.py": "import os\n"})
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    repo.stage({"b.py": BAD})
    assert findings(run()) == [("HC001", "b.py", 1, "cryptoutils")]
    assert findings(run("HEAD..main")) == []


def test_sha256_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "sha256"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "--object-format=sha256", str(root)], check=True)
    repo = Repo.__new__(Repo)
    repo.root = root
    repo.stage({"requirements.txt": "requests\n", "a.py": "import requests\n" + BAD})
    assert ("HC001", "a.py", 2, "cryptoutils") in findings(repo.check(capsys=capsys))
    repo.commit(message="first")
    repo.commit({"b.py": "import yaml\n"})
    assert len(repo.git("rev-parse", "HEAD").strip()) == 64
    assert findings(repo.check("HEAD~1..HEAD", capsys=capsys)) == [("HC002", "b.py", 1, "yaml")]
    assert findings(repo.check("--all-files", capsys=capsys)) == [
        ("HC001", "a.py", 2, "cryptoutils"),
        ("HC002", "b.py", 1, "yaml"),
    ]


# --- merges, cherry-picks, reverts ------------------------------------------------------------


@pytest.fixture
def conflicted(repo: Repo) -> Repo:
    """A merge stopped on a conflict in app.py; the incoming branch added a dependency and files."""
    repo.commit({"requirements.txt": "requests\n", "app.py": "import requests\n\nVALUE = 1\n"})
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit(
        {
            "requirements.txt": "requests\nattrs\n",
            "app.py": "import requests\nimport attr\nimport legacy_fake\n\nVALUE = 2\n",
            "incoming.py": "import attr\nimport reviewed_elsewhere_fake\n",
        }
    )
    repo.git("checkout", "-q", "main")
    repo.commit({"app.py": "import requests\nimport json\n\nVALUE = 3\n"})
    result = subprocess.run(["git", "merge", "-q", "feature"], cwd=repo.root, capture_output=True, text=True)
    assert result.returncode == 1 and "CONFLICT" in result.stdout
    return repo


def test_merge_after_conflict_counts_only_imports_no_parent_has(conflicted: Repo, run: Any) -> None:
    conflicted.stage(
        {"app.py": "import requests\nimport json\nimport attr\nimport legacy_fake\nimport evil_fake\n"}
    )
    # `git diff --cached` holds the whole incoming branch; only evil_fake is in neither parent.
    assert findings(run()) == [("HC001", "app.py", 5, "evil_fake")]


def test_merge_with_the_files_pre_commit_passes(conflicted: Repo, run: Any, monkeypatch: Any) -> None:
    # Resolved to HEAD's side: app.py has no staged change, yet this is a commit, not --all-files.
    conflicted.stage({"app.py": "import requests\nimport json\n\nVALUE = 3\n"})
    monkeypatch.setenv("PRE_COMMIT", "1")
    outcome = run("app.py")
    assert (outcome.json()["mode"], findings(outcome)) == ("staged", [])


def test_merge_commit_through_a_git_hook(conflicted: Repo) -> None:
    install_commit_hook(conflicted)
    conflicted.stage({"app.py": "import requests\nimport attr\nimport evil_fake\n"})
    blocked = commit(conflicted.root, "--no-edit")
    assert blocked.returncode != 0
    assert "app.py:3:8: HC001" in blocked.stdout and "legacy_fake" not in blocked.stdout
    conflicted.stage({"app.py": "import requests\nimport attr\n"})
    done = commit(conflicted.root, "--no-edit")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(conflicted.git("log", "-1", "--format=%P").split()) == 2


def test_cherry_pick_and_revert_are_normal_changes(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "x = 1\n"})
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit({"b.py": BAD}, "adds a bad import")
    picked = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "main")
    repo.git("cherry-pick", "--no-commit", picked)
    assert findings(run()) == [("HC001", "b.py", 1, "cryptoutils")]
    repo.git("reset", "-q", "--hard")
    repo.commit({"c.py": "import fake_c\n"})
    repo.commit({"c.py": "x = 1\n"})
    repo.git("revert", "--no-commit", "HEAD")  # reverting the removal brings the import back
    assert findings(run()) == [("HC001", "c.py", 1, "fake_c")]


# --- what a diff can contain ------------------------------------------------------------------


def test_rename_counts_only_changed_lines(repo: Repo, run: Any) -> None:
    body = "".join(f"VALUE_{n} = {n}\n" for n in range(20))
    repo.commit({"requirements.txt": "", "old.py": "import legacy_fake\n" + body})
    repo.git("mv", "old.py", "new.py")
    repo.stage({"new.py": "import legacy_fake\n" + body + "import cryptoutils\n"})
    assert "R" in repo.git("diff", "--cached", "--name-status", "-M")
    assert findings(run()) == [("HC001", "new.py", 22, "cryptoutils")]


def test_copy_makes_every_import_of_the_copy_new(repo: Repo, run: Any) -> None:
    body = "".join(f"VALUE_{n} = {n}\n" for n in range(20))
    repo.commit({"requirements.txt": "", "orig.py": "import legacy_fake\n" + body})
    repo.stage({"copy.py": "import legacy_fake\n" + body})
    assert findings(run()) == [("HC001", "copy.py", 1, "legacy_fake")]


def test_mode_only_change_adds_nothing(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "script.py": BAD})
    repo.git("update-index", "--chmod=+x", "script.py")
    assert findings(run()) == []
    repo.stage({"script.py": BAD + "import fake_two\n"})
    repo.git("update-index", "--chmod=+x", "script.py")
    assert findings(run()) == [("HC001", "script.py", 2, "fake_two")]


def test_deleted_file_adds_nothing(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "gone.py": BAD})
    repo.git("rm", "-q", "gone.py")
    assert (run().code, findings(run())) == (0, [])
    repo.commit(message="delete")
    assert findings(run("HEAD~1..HEAD")) == []


def test_binary_files_and_a_py_with_nul_bytes(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"image.png": bytes(range(256)) * 4, "odd.py": b"import os\x00\nimport cryptoutils\n"})
    outcome = run()
    assert outcome.code == 1
    assert ("HC001", "odd.py", 2, "cryptoutils") in findings(outcome)


def test_py_marked_binary_or_textconv_in_gitattributes(repo: Repo, run: Any) -> None:
    repo.git("config", "diff.blank.textconv", "true")  # a textconv that would hide every line
    repo.commit({"requirements.txt": "", ".gitattributes": "*.py -diff\nsrc/*.py diff=blank\n"})
    repo.stage({"a.py": BAD, "src/b.py": "import fake_b\n"})
    assert "Bin 0 -> 19 bytes" in repo.git("diff", "--cached", "--stat", "--", "a.py")
    assert findings(run()) == [("HC001", "a.py", 1, "cryptoutils"), ("HC001", "src/b.py", 1, "fake_b")]
    repo.commit(message="binary-looking")
    assert len(findings(run("HEAD~1..HEAD"))) == 2


def test_submodule(repo: Repo, run: Any, tmp_path: Path) -> None:
    library = Repo(tmp_path / "library")
    library.commit({"lib.py": BAD})
    repo.commit({"requirements.txt": ""})
    for path in ("vendor/library", "plugin.py"):  # a submodule may even be named like a module
        repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.root), path)
    repo.stage({"a.py": "import fake_a\n"})
    assert findings(run()) == [("HC001", "a.py", 1, "fake_a")]
    repo.commit(message="submodules")
    assert findings(run("HEAD~1..HEAD")) == [("HC001", "a.py", 1, "fake_a")]
    assert findings(run("--all-files")) == [("HC001", "a.py", 1, "fake_a")]


def test_symlinks_are_not_python_files(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "real.py": BAD})
    (repo.root / "link.py").symlink_to("real.py")
    (repo.root / "trick.py").symlink_to("import fake_through_link")
    repo.git("add", "-A")
    assert findings(run()) == []
    repo.commit(message="links")
    (repo.root / "link.py").unlink()
    repo.stage({"link.py": "import fake_now_a_file\n"})  # type change: symlink -> regular file
    assert findings(run()) == [("HC001", "link.py", 1, "fake_now_a_file")]


# --- file names -------------------------------------------------------------------------------

ODD_NAMES = [
    "with space.py",
    "café.py",
    "ünï/cödé.py",
    'q"uote.py',
    "back\\slash.py",
    "tab\there.py",
    "-dash.py",
    "--double.py",
    "new\nline.py",
    "star*.py",
    ":colon.py",
]


@pytest.mark.parametrize("quotepath", ["true", "false"])
def test_odd_file_names(repo: Repo, run: Any, quotepath: str, monkeypatch: Any) -> None:
    repo.git("config", "core.quotepath", quotepath)
    repo.commit({"requirements.txt": "", **{name: "x = 1\n" for name in ODD_NAMES}})
    repo.stage({name: "x = 1\n" + BAD for name in ODD_NAMES})
    expected = sorted(("HC001", name, 2, "cryptoutils") for name in ODD_NAMES)
    assert sorted(findings(run())) == expected
    monkeypatch.setenv("PRE_COMMIT", "1")

    def as_the_hook(*names: str) -> Outcome:  # what the published hook runs: entry, args (`--`), file names
        return run("--hook", "--format", "json", "--", *names, json_output=False)  # type: ignore[no-any-return]

    assert sorted(findings(as_the_hook(*ODD_NAMES))) == expected
    dashed = run("--format", "json", "--", "-dash.py", json_output=False)  # by hand: file names after `--`
    assert sorted(findings(dashed)) == [("HC001", "-dash.py", 2, "cryptoutils")]
    repo.commit(message="odd names")
    files_mode = as_the_hook(*ODD_NAMES)
    assert files_mode.json()["mode"] == "files"
    assert sorted(findings(files_mode)) == expected
    monkeypatch.delenv("PRE_COMMIT")
    assert sorted(findings(run("HEAD~1..HEAD"))) == expected


def test_undecodable_file_name(repo: Repo, run: Any) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    repo.commit({"requirements.txt": ""})
    repo.stage({name: BAD})
    outcome = run()
    assert [(item["code"], item["line"]) for item in outcome.json()["findings"]] == [("HC001", 1)]
    text = run(json_output=False)
    assert text.code == 1 and "caf\\xe9.py:1:8: HC001" in text.out


# --- file contents ----------------------------------------------------------------------------


def test_crlf_file(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "import os\r\n"})
    repo.stage(
        {
            "a.py": "import os\r\nimport cryptoutils\r\n",
            "b.py": "x = 1\r\n\r\nfrom fake_b import (\r\n    y,\r\n)\r\n",
        }
    )
    expected = [("HC001", "a.py", 2, "cryptoutils"), ("HC001", "b.py", 3, "fake_b")]  # b.py: at the module
    assert findings(run()) == expected
    assert findings(run("--all-files")) == expected


def test_no_final_newline(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "import legacy_fake"})
    repo.stage({"a.py": "import legacy_fake\nimport cryptoutils", "b.py": "import fake_b"})
    assert findings(run()) == [("HC001", "a.py", 2, "cryptoutils"), ("HC001", "b.py", 1, "fake_b")]


def test_lone_carriage_return_ends_a_python_line(repo: Repo, run: Any) -> None:
    # Python treats a lone \r as a line end; git does not. An import behind it must not hide.
    repo.commit({"requirements.txt": "", "a.py": "x = 1\n"})
    repo.stage({"a.py": "x = 1\ny = 2\rimport cryptoutils\nz = 3\n", "b.py": 'S = "\\r"\rimport fake_b\r'})
    assert findings(run()) == [("HC001", "a.py", 3, "cryptoutils"), ("HC001", "b.py", 2, "fake_b")]
    repo.commit(message="cr")
    assert findings(run("HEAD~1..HEAD")) == findings(run("--all-files"))
    assert len(findings(run("--all-files"))) == 2


def test_carriage_return_already_in_the_base(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "x = 1\rimport legacy_fake\n"})
    repo.stage({"a.py": "x = 1\rimport legacy_fake\nimport fake_new\n"})
    assert findings(run()) == [("HC001", "a.py", 3, "fake_new")]


def test_backslash_continued_import(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "a.py": "import os, \\\n    sys\n"})
    repo.stage({"a.py": "import os, \\\n    sys, \\\n    cryptoutils\n"})
    assert findings(run()) == [("HC001", "a.py", 3, "cryptoutils")]
    assert findings(run("--all-files")) == [("HC001", "a.py", 3, "cryptoutils")]
    repo.commit({"b.py": "from legacy_fake import \\\n    (path)\n", "c.py": "import os, \\\n    sys\n"})
    # Only a middle line of the continued statement is added, ending in a backslash or in a paren.
    repo.stage(
        {
            "b.py": "from legacy_fake import \\\n    (path, fake_name)\n",
            "c.py": "import os, \\\n    fake_c, \\\n    sys\n",
        }
    )
    assert findings(run()) == [("HC001", "b.py", 1, "legacy_fake"), ("HC001", "c.py", 2, "fake_c")]


def test_import_text_in_a_decorator_is_no_syntax_error(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": '@register(\n    """\n    import fake_in_string\n    """\n)\ndef f():\n    pass\n'})
    assert (run().code, findings(run())) == (0, [])
    assert findings(run("--all-files")) == []


def test_undecodable_bytes(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": b"import os\nx = '\xff'\n" + BAD.encode()})
    assert findings(run()) == [("HC012", "a.py", 2, None)]
    assert findings(run("--all-files")) == [("HC012", "a.py", 2, None)]


def test_byte_order_mark(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": b"\xef\xbb\xbf" + BAD.encode()})
    outcome = run()
    assert findings(outcome) == [("HC001", "a.py", 1, "cryptoutils")]
    assert outcome.json()["findings"][0]["column"] == 8


def test_encoding_cookie(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\nimport cryptoutils\n"})
    assert findings(run()) == [("HC001", "a.py", 3, "cryptoutils")]


# --- user configuration that changes porcelain output -----------------------------------------

HOSTILE_CONFIG = {
    "diff.noprefix": "true",
    "diff.mnemonicPrefix": "true",
    "color.ui": "always",
    "color.diff": "always",
    "diff.renames": "false",
    "diff.relative": "true",
    "diff.context": "7",
    "diff.interHunkContext": "9",
    "diff.algorithm": "histogram",
    "diff.submodule": "log",
    "diff.suppressBlankEmpty": "true",
    "core.quotepath": "false",
    "core.abbrev": "7",
    "log.showSignature": "true",
}


def test_user_configuration_cannot_change_what_is_parsed(repo: Repo, run: Any, tmp_path: Path) -> None:
    external = tmp_path / "external-diff"
    external.write_text("#!/bin/sh\necho 'nothing to see'\n")
    external.chmod(0o755)
    for key, value in {**HOSTILE_CONFIG, "diff.external": str(external)}.items():
        repo.git("config", key, value)
    body = "".join(f"VALUE_{n} = {n}\n" for n in range(20))
    repo.commit({"requirements.txt": "", "sub/old.py": "import legacy_fake\n" + body})
    repo.git("mv", "sub/old.py", "sub/new name.py")
    repo.stage({"sub/new name.py": "import legacy_fake\n" + body + BAD, "top.py": "import fake_top\n"})
    expected = [("HC001", "sub/new name.py", 22, "cryptoutils"), ("HC001", "top.py", 1, "fake_top")]
    assert findings(run()) == expected
    repo.commit(message="hostile")
    assert findings(run("HEAD~1..HEAD")) == expected


def test_user_configuration_from_a_subdirectory(repo: Repo, capsys: Any) -> None:
    repo.git("config", "diff.relative", "true")
    repo.commit({"requirements.txt": "requests\n", "sub/x.py": ""})
    repo.stage({"sub/a.py": "import requests\n" + BAD, "b.py": "import fake_b\n"})
    outcome = run_in(repo.root / "sub", capsys)
    assert findings(outcome) == [("HC001", "b.py", 1, "fake_b"), ("HC001", "sub/a.py", 2, "cryptoutils")]
    assert findings(run_in(repo.root / "sub", capsys, "a.py")) == [("HC001", "sub/a.py", 2, "cryptoutils")]
    assert findings(run_in(repo.root / "sub", capsys, "../b.py")) == [("HC001", "b.py", 1, "fake_b")]


# --- how the commit is made -------------------------------------------------------------------


def test_commit_all(hooked: Repo) -> None:
    hooked.write("good.py", "import requests\n" + BAD)
    blocked = commit(hooked.root, "-a", "-m", "all")
    assert blocked.returncode != 0 and "good.py:2:8: HC001" in blocked.stdout
    hooked.write("good.py", "import requests\nimport json\n")
    assert commit(hooked.root, "-a", "-m", "all").returncode == 0


def test_commit_named_paths_uses_the_temporary_index(hooked: Repo) -> None:
    hooked.stage({"staged_bad.py": BAD})
    hooked.write("good.py", "import requests\nimport json\n")
    # `git commit good.py` commits HEAD + good.py only: the staged bad file is not part of it.
    done = commit(hooked.root, "-m", "only good", "good.py")
    assert done.returncode == 0, done.stdout + done.stderr
    hooked.write("good.py", "import requests\nimport fake_in_path\n")
    blocked = commit(hooked.root, "-m", "only good", "good.py")
    assert blocked.returncode != 0
    assert "fake_in_path" in blocked.stdout and "staged_bad" not in blocked.stdout


def test_amend_sees_the_index_against_the_commit_being_amended(hooked: Repo) -> None:
    hooked.commit({"old_bad.py": BAD}, "bypassed the hook")  # --no-verify
    # Amending only the message: nothing is staged against HEAD, so nothing is checked.
    assert commit(hooked.root, "--amend", "-m", "reworded").returncode == 0
    hooked.stage({"new_bad.py": "import fake_amended\n"})
    blocked = commit(hooked.root, "--amend", "--no-edit")
    assert blocked.returncode != 0
    assert "fake_amended" in blocked.stdout and "old_bad" not in blocked.stdout


def test_intent_to_add(hooked: Repo, run: Any) -> None:
    hooked.write("later.py", BAD)
    hooked.git("add", "-N", "later.py")
    # Nothing of later.py is staged yet: a commit now would record no content for it.
    assert findings(run()) == []
    blocked = commit(hooked.root, "-a", "-m", "all")
    assert blocked.returncode != 0 and "later.py:1:8: HC001" in blocked.stdout


def test_partially_staged_file(hooked: Repo, run: Any) -> None:
    hooked.stage({"a.py": "import requests\n"})
    hooked.write("a.py", "import requests\n" + BAD)
    assert findings(run()) == []  # the bad line is only in the work tree
    hooked.stage({"a.py": "import requests\n" + BAD})
    hooked.write("a.py", "import requests\n")
    assert findings(run()) == [("HC001", "a.py", 2, "cryptoutils")]


# --- where the repository is ------------------------------------------------------------------


def test_linked_worktree(hooked: Repo, tmp_path: Path, capsys: Any) -> None:
    other = tmp_path / "linked"
    hooked.git("worktree", "add", "-q", "-b", "other", str(other))
    (other / "w.py").write_text(BAD)
    subprocess.run(["git", "add", "w.py"], cwd=other, check=True)
    assert findings(run_in(other, capsys)) == [("HC001", "w.py", 1, "cryptoutils")]
    blocked = commit(other, "-m", "in worktree")
    assert blocked.returncode != 0 and "w.py:1:8: HC001" in blocked.stdout


def test_git_dir_and_work_tree_variables(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    git_dir, work_tree = tmp_path / "dotfiles.git", tmp_path / "home"
    work_tree.mkdir()
    subprocess.run(["git", "init", "-q", "--bare", str(git_dir)], check=True)
    monkeypatch.setenv("GIT_DIR", str(git_dir))
    monkeypatch.setenv("GIT_WORK_TREE", str(work_tree))
    (work_tree / "requirements.txt").write_text("requests\n")
    (work_tree / "tool.py").write_text("import requests\n" + BAD)
    subprocess.run(["git", "add", "requirements.txt", "tool.py"], cwd=work_tree, check=True)
    assert ("HC001", "tool.py", 2, "cryptoutils") in findings(run_in(work_tree, capsys))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert findings(run_in(elsewhere, capsys, "--all-files")) == [("HC001", "tool.py", 2, "cryptoutils")]


def test_outside_any_repository(tmp_path: Path, capsys: Any) -> None:
    outcome = run_in(tmp_path, capsys)
    assert outcome.code == 2 and "not inside a git work tree" in outcome.err


def test_json_paths_round_trip(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"dir with space/ünï.py": BAD})
    assert json.loads(run().out)["findings"][0]["path"] == "dir with space/ünï.py"


def test_replace_refs_do_not_change_what_is_read(repo: Repo, run: Any) -> None:
    """`git replace BAD GOOD` makes git show GOOD where BAD is stored; hallucheck reads what the commit stores
    (attack H37), in the staged check and in range mode."""
    repo.commit({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "x.py": "import os\n"})
    repo.stage({"x.py": "import fakepkg_zz\n"})
    bad = repo.git("rev-parse", ":x.py").strip()
    good = repo.git("rev-parse", "HEAD:x.py").strip()
    repo.git("replace", bad, good)
    assert repo.git("show", ":x.py") == "import os\n"  # what git itself shows
    assert [item["code"] for item in run("--format", "json").json()["findings"]] == ["HC001"]
    repo.git("commit", "-qm", "bad")
    assert [item["code"] for item in run("--from-ref", "HEAD~1", "--to-ref", "HEAD", "--format", "json").json()[
        "findings"]] == ["HC001"]


@pytest.mark.parametrize(("path", "code"), [("demo/crypto.py", "HC012"), ("nb.ipynb", "HC041"),
                                            ("requirements.txt", "HC011")])
def test_a_file_stored_through_git_lfs_cannot_pass_as_its_pointer(repo: Repo, run: Any, path: str, code: str) -> None:
    """With `filter=lfs`, git holds a pointer and the content is on the LFS server (attack H38): code,
    notebooks and manifests stored so cannot be read, which blocks."""
    repo.commit({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n'})
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 18\n"
    repo.stage({".gitattributes": f"{path} filter=lfs diff=lfs merge=lfs -text\n", path: pointer})
    outcome = run("--format", "json")
    assert code in [item["code"] for item in outcome.json()["findings"]] and outcome.code == 1
