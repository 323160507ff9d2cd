"""The git edge: the processes hallucheck starts, the patches it reads, and a machine without git."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hallucheck.git.patch import added_lines
from hallucheck.git.repository import GitError
from tests.conftest import Repo

BAD = "import cryptoutils\n"
ROOT = Path(__file__).resolve().parent.parent


def findings(outcome: Any) -> list[tuple[str, str, int, str]]:
    return [(f["code"], f["path"], f["line"], f.get("module")) for f in outcome.json()["findings"]]


@pytest.fixture
def git_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every git command run from now on is appended to the returned file (the real git runs it)."""
    real = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True, check=True).stdout.strip()
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    log = tmp_path / "git.log"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def commands(log: Path) -> list[str]:
    """The git subcommands in ``log``, global options left out."""
    names = []
    for line in log.read_text().splitlines() if log.exists() else []:
        words = line.split()
        while words and (words[0].startswith("-") or "=" in words[0]):
            words.pop(0)
        names.append(words[0] if words else "")
    return names


def hallucheck_process(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """hallucheck in its own process; the last line of stdout says whether GitPython was imported."""
    code = (
        "import sys\nfrom hallucheck.cli import main\n"
        "rc = main(sys.argv[1:])\nprint('git' in sys.modules)\nsys.exit(rc)"
    )
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, env=environment
    )


def test_a_commit_without_python_runs_three_git_processes_and_no_gitpython(repo: Repo, git_log: Path) -> None:
    repo.commit({"requirements.txt": "requests\n", "app.py": "import requests\n"})
    repo.stage({"README.md": "docs\n"})
    git_log.unlink(missing_ok=True)
    completed = hallucheck_process(repo.root)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == "False"
    # The configuration is read (it may name README.md as an extra manifest); nothing else is.
    assert commands(git_log) == ["rev-parse", "diff-index", "cat-file"]


def test_a_commit_with_an_import_runs_three_git_processes(repo: Repo, git_log: Path) -> None:
    """One rev-parse, one diff-index for the change list and its patch, one cat-file for every blob and
    directory listing (first-party names are looked up in the tree objects of the root and of src/)."""
    repo.commit({"requirements.txt": "requests\n", "pkg/app.py": "x = 1\n", "src/lib/__init__.py": ""})
    repo.stage({"pkg/app.py": "x = 1\nimport requests\nimport lib\n" + BAD})
    hook = ("--hook", "--", "pkg/app.py")  # as pre-commit runs it: the staged file is named
    for environment, args in (({}, ()), ({"PRE_COMMIT": "1"}, hook)):  # outside pre-commit the work tree is read
        git_log.unlink(missing_ok=True)
        completed = hallucheck_process(repo.root, *args, env=environment)
        assert completed.returncode == 1 and "cryptoutils" in completed.stdout
        assert "lib" not in completed.stdout.replace("cryptoutils", "")  # found in src/ through cat-file
        assert completed.stdout.splitlines()[-1] == "False"
        assert "unstaged" not in completed.stderr
        assert commands(git_log) == ["rev-parse", "diff-index", "cat-file"], environment


def test_an_unstaged_edit_is_still_noted_after_the_quick_comparison(repo: Repo, git_log: Path) -> None:
    repo.commit({"requirements.txt": "requests\n", "a.py": "x = 1\n", "b.py": "x = 1\n"})
    repo.stage({"a.py": "import requests\n", "b.py": "import requests\n"})
    repo.write("b.py", "import requests\nimport later\n")
    git_log.unlink(missing_ok=True)
    completed = hallucheck_process(repo.root)
    assert completed.returncode == 0, completed.stderr
    assert [line for line in completed.stderr.splitlines() if "unstaged" in line] == [
        "hallucheck: note: b.py has unstaged changes; the check reads the staged version (git add to check them)"
    ]
    assert commands(git_log)[3:] == ["diff-files", "ls-files", "hash-object"]  # only b.py is asked about


def test_no_git_on_path_is_one_clear_line(repo: Repo, run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    repo.commit({"requirements.txt": ""})
    repo.stage({"a.py": BAD})
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    outcome = run()
    assert outcome.code == 2
    assert outcome.err.count("\n") == 1 and "git is not installed or not on PATH" in outcome.err
    assert "Traceback" not in outcome.err


@pytest.mark.parametrize("name", ["a b/c.py", "x b/y b/z.py", "dir b/ b/ b.py", "b/ b/.py"])
def test_paths_holding_space_b_slash(repo: Repo, run: Any, name: str) -> None:
    repo.commit({"requirements.txt": "", name: "x = 1\n", "old b/name.py": "import os\n" + "y = 2\n" * 10})
    repo.git("rm", "-q", "--cached", "old b/name.py")
    (repo.root / "old b" / "name.py").unlink()
    repo.stage({name: "x = 1\n" + BAD, "new b/name.py": "import os\n" + "y = 2\n" * 10 + BAD})
    expected = sorted([("HC001", name, 2, "cryptoutils"), ("HC001", "new b/name.py", 12, "cryptoutils")])
    assert sorted(findings(run())) == expected
    repo.commit(message="odd")
    assert sorted(findings(run("HEAD~1..HEAD"))) == expected


def test_many_staged_files_still_check_every_named_script(repo: Repo, run: Any, monkeypatch: Any) -> None:
    repo.commit({"requirements.txt": ""})
    names = [f"pkg/module_{index:03}.py" for index in range(300)]
    repo.stage({**{name: "x = 1\n" for name in names}, "tool": "#!/usr/bin/env python\n" + BAD})
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert findings(run(*names, "tool")) == [("HC001", "tool", 2, "cryptoutils")]


def test_hunk_bodies_are_read_by_their_counts() -> None:
    # Content lines that look like headers ("+++ b/...", "--- a/...", "@@ ...") belong to their hunk.
    patch = (
        "diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n"
        "@@ -1,2 +1,3 @@\n---- a/evil.py\n-+++ b/evil.py\n+++ b/evil.py\n+@@ -1 +1 @@\n+import a\n"
        "@@ -9,0 +11 @@ def f():\n+import b\n\\ No newline at end of file\n"
        'diff --git a/"q b/.py" b/"q b/.py"\n--- /dev/null\n+++ "b/q\\"b/.py"\n@@ -0,0 +1 @@\n+import c\n'
        "diff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-import d\n"
        "diff --git a/sp ace.py b/sp ace.py\n--- a/sp ace.py\t\n+++ b/sp ace.py\t\n@@ -0,0 +1,2 @@\n+'''\n+s\n"
    )
    found = added_lines(patch)
    assert {path: entry.added for path, entry in found.items()} == {
        "x.py": {1: "++ b/evil.py", 2: "@@ -1 +1 @@", 3: "import a", 11: "import b"},
        'q"b/.py': {1: "import c"},
        "sp ace.py": {1: "'''", 2: "s"},
    }
    assert found["sp ace.py"].reopens_from == 1 and found["x.py"].reopens_from is None


@pytest.mark.parametrize(
    "patch",
    [
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n",
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\nfoo\n",
        "+++ c/x\n",
        "+++ b/x\n@@ nonsense\n",
    ],
)
def test_a_patch_that_is_not_what_git_prints_is_an_error(patch: str) -> None:
    with pytest.raises(GitError):
        added_lines(patch)


def test_added_lines_match_unidiff_on_this_repository_history() -> None:
    """A differential test against unidiff, which parsed the patches before, on real commits."""
    from unidiff.patch import PatchSet

    log = subprocess.run(
        ["git", "rev-list", "--no-merges", "--max-count=150", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    commits = log.stdout.split()
    if log.returncode != 0 or len(commits) < 2:
        pytest.skip("needs this repository's history")
    compared = 0
    for commit in commits:
        out = subprocess.run(
            ["git", "diff-tree", "-r", "-p", "-U0", "-M", "--text", "--no-color", "--no-ext-diff",
             "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "--root", commit,
             # The module index is compressed data: forced to text, its bytes hold lone CRs unidiff cannot parse.
             "--", ".", ":(exclude)hallucheck/data/index/*.json.z"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout.decode("utf-8", "surrogateescape")  # fmt: skip
        expected = {}
        for patched in PatchSet(out.splitlines(keepends=True)):
            added = {line.target_line_no: line.value.rstrip("\n") for hunk in patched for line in hunk if line.is_added}
            if added and not patched.is_removed_file:
                expected[patched.target_file[2:]] = added
        assert {path: entry.added for path, entry in added_lines(out).items() if entry.added} == expected, commit
        compared += 1
    assert compared == len(commits)


def test_unstaged_note_in_a_whole_repository_check(repo: Repo, run: Any) -> None:
    # More files than a command line should name: the work tree is compared without listing them all.
    repo.commit({"requirements.txt": "", **{f"pkg/m{index:03}.py": "x = 1\n" for index in range(300)}})
    (repo.root / "pkg" / "m123.py").write_text("x = 2\n")
    outcome = run("--all-files")
    assert outcome.code == 0
    assert "pkg/m123.py has unstaged changes" in outcome.err and outcome.err.count("unstaged changes") == 1


def test_newlines_in_the_repository_path_and_the_current_directory(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "new\nline repo")
    repo.commit({"requirements.txt": "", "sub\ndir/a.py": "x = 1\n"})
    repo.stage({"sub\ndir/a.py": "x = 1\n" + BAD})
    for cwd in (repo.root, repo.root / "sub\ndir"):
        completed = hallucheck_process(cwd)
        assert completed.returncode == 1 and "cryptoutils" in completed.stdout, completed.stderr


def test_the_commit_patch_read_with_its_change_list_is_the_text_patch(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one diff-index a commit runs (records and patch, binary files as one line) gives every Python file
    the added lines of git's ``--text`` patch of that file alone: renames, modes, deletions, odd names, NULs,
    a ``-diff`` attribute, a large data file beside them."""
    from hallucheck.git.changes import _staged_added_lines
    from hallucheck.git.repository import Repository

    repo.commit({
        ".gitattributes": "marked.py -diff\n", "moved.py": "import os\n" + "x = 1\n" * 20, "gone.py": "y = 2\n",
        "mode.py": "z = 3\n", "caf\u00e9 b/t\tab.py": "a = 1\n", "data.bin": b"\0" * 100, "marked.py": "m = 1\n",
    })  # fmt: skip
    repo.git("mv", "moved.py", "renamed.py")
    repo.git("rm", "-q", "gone.py")
    (repo.root / "mode.py").chmod(0o755)
    repo.stage({
        "renamed.py": "import os\n" + "x = 1\n" * 20 + "import json\n", "mode.py": "z = 3\n",
        "caf\u00e9 b/t\tab.py": "a = 1\n+++ b/fake.py\nimport fake\n", "data.bin": b"\0\n" * 5000,
        "marked.py": "m = 1\nimport marked\n", "nul.py": b"import os\0\nimport nul\n", "empty.py": "",
        "big.csv": "a,b\n" * 20000, "notes.md": "diff --git a/x b/x\n",
    })  # fmt: skip
    monkeypatch.chdir(repo.root)
    repository = Repository()
    try:
        head = repository.resolve_commit("HEAD")
        assert head is not None
        changes, patch = repository.staged_diff(head)
        python = [change for change in changes if change.path.endswith(".py") and change.status != "D"]
        assert len(python) == 6 and "Binary files" in patch
        combined = _staged_added_lines(repository, head, python)
        separate = added_lines(repository.staged_patch(head, python))
        assert {path: entry.added for path, entry in combined.items()} == {
            path: entry.added for path, entry in separate.items()
        }
        assert combined["marked.py"].added == {2: "import marked"}
        assert combined["caf\u00e9 b/t\tab.py"].added == {2: "+++ b/fake.py", 3: "import fake"}
    finally:
        repository.close()


def test_a_directory_read_as_a_tree_object_is_what_ls_tree_lists(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from hallucheck.git.repository import Repository
    from hallucheck.snapshot import EntryKind

    repo.commit({"a.py": "", "sub/b.py": "", "caf\u00e9 \t.py": "", "x\ny": ""})
    repo.git("update-index", "--add", "--cacheinfo", "160000," + repo.git("rev-parse", "HEAD").strip() + ",mod")
    (repo.root / "link").symlink_to("a.py")
    repo.commit({}, message="more")
    repo.git("add", "link")
    repo.commit({}, message="link")
    monkeypatch.chdir(repo.root)
    repository = Repository()
    try:
        listed = repository.list_tree("HEAD", "")
        assert listed == {
            "a.py": EntryKind.FILE, "sub": EntryKind.DIRECTORY, "caf\u00e9 \t.py": EntryKind.FILE,
            "x\ny": EntryKind.FILE, "mod": EntryKind.SUBMODULE, "link": EntryKind.SYMLINK,
        }  # fmt: skip
        assert repository.list_tree("HEAD", "sub") == {"b.py": EntryKind.FILE}
        assert repository.list_tree("HEAD", "a.py") == {} and repository.list_tree("HEAD", "none") == {}
    finally:
        repository.close()


def test_a_partial_clone_whose_remote_is_gone_says_so_and_what_to_do(repo: Repo, tmp_path: Path) -> None:
    """A blob:none clone reads file contents from its remote on first use; with the remote gone, the range
    cannot be read: exit 2, one line naming the partial clone and the way out (never a pass)."""
    repo.commit({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'})
    repo.commit({"a.py": BAD})
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=repo.root, check=True)
    clone = tmp_path / "partial"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", "--no-checkout", f"file://{repo.root}", str(clone)],
                   check=True)  # fmt: skip
    repo.root.rename(tmp_path / "gone")
    result = hallucheck_process(clone, "--from-ref", "HEAD~1", "--to-ref", "HEAD")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "this is a partial clone" in result.stderr and "full clone" in result.stderr
    assert "Traceback" not in result.stderr
