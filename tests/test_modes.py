"""Every way hallucheck is run: staged, range (flags, pre-commit's variables, A..B), files, baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo

BAD = "import cryptoutils\n"
PYPROJECT = '[project]\nname = "x"\nversion = "1"\n\n[tool.hallucheck]\n'


def findings(outcome: Any) -> list[tuple[str, str, int, str | None]]:
    return [
        (item["code"], item["path"], item["line"], item["module"] or item["distribution"])
        for item in outcome.json()["findings"]
    ]


def mode(outcome: Any) -> str:
    return outcome.json()["mode"]  # type: ignore[no-any-return]


@pytest.fixture
def forked(repo: Repo) -> Repo:
    """main and feature fork at a commit; each side then adds something of its own."""
    repo.commit({"requirements.txt": "requests\n", "app.py": "import requests\n"}, "base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"feature.py": "import requests\nimport cryptoutils\n"}, "feature 1")
    repo.commit({"requirements.txt": "requests\nattrs\n", "more.py": "import attr\n"}, "feature 2")
    repo.git("checkout", "-q", "main")
    repo.commit({"main_only.py": "import fakemod\n"}, "main moves on")
    return repo


# --- range mode ---------------------------------------------------------------------------------


def test_range_checks_what_the_branch_adds_since_the_fork(forked: Repo, run: Any) -> None:
    outcome = run("--from-ref", "main", "--to-ref", "feature")
    assert (outcome.code, mode(outcome)) == (1, "range")
    # main's own commit (fakemod) is not part of what feature adds; attrs is new on the branch.
    assert findings(outcome) == [
        ("HC001", "feature.py", 2, "cryptoutils"),
        ("HC003", "more.py", 1, "attr"),
        ("HC004", "requirements.txt", 2, "attrs"),
    ]


def test_range_from_pre_commit_environment_takes_unresolved_revisions(
    forked: Repo, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked.git("checkout", "-q", "feature")
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "HEAD~1")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    outcome = run("more.py", "requirements.txt")
    assert mode(outcome) == "range"
    assert findings(outcome) == [("HC003", "more.py", 1, "attr"), ("HC004", "requirements.txt", 2, "attrs")]


def test_flags_win_over_the_environment(forked: Repo, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "no-such-ref")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    outcome = run("--from-ref", "feature~1", "--to-ref", "feature", "feature.py")
    # A named file narrows nothing in range mode: the range's own files are checked.
    assert findings(outcome) == [("HC003", "more.py", 1, "attr"), ("HC004", "requirements.txt", 2, "attrs")]
    assert run("--mode", "staged").code == 0


@pytest.mark.parametrize("spelling", ["main..feature", "main...feature"])
def test_positional_range(forked: Repo, run: Any, spelling: str) -> None:
    outcome = run(spelling)
    assert mode(outcome) == "range"
    assert [f[1] for f in findings(outcome)] == ["feature.py", "more.py", "requirements.txt"]


def test_positional_range_with_an_empty_side_means_head(forked: Repo, run: Any) -> None:
    forked.git("checkout", "-q", "feature")
    assert [f[1] for f in findings(run("feature~1.."))] == ["more.py", "requirements.txt"]
    assert findings(run("..main")) == [("HC001", "main_only.py", 1, "fakemod")]


def test_from_ref_alone_ends_at_head(forked: Repo, run: Any) -> None:
    forked.git("checkout", "-q", "feature")
    assert [f[1] for f in findings(run("--from-ref", "HEAD~1"))] == ["more.py", "requirements.txt"]


def test_range_reads_the_commit_not_the_work_tree(forked: Repo, run: Any) -> None:
    forked.write("feature.py", "import requests\n")  # the work tree (main) has no feature.py at all
    forked.write("main_only.py", "import another_fake\n")
    assert findings(run("main~1..main")) == [("HC001", "main_only.py", 1, "fakemod")]


def test_range_is_not_narrowed_by_named_files(forked: Repo, run: Any) -> None:
    """A file list cannot hide a file of the range (pre-commit passes only the pushed files the work tree has)."""
    assert findings(run("--from-ref", "main", "--to-ref", "feature", "more.py")) == [
        ("HC001", "feature.py", 2, "cryptoutils"),
        ("HC003", "more.py", 1, "attr"),
        ("HC004", "requirements.txt", 2, "attrs"),
    ]


def test_range_of_a_rename_counts_only_changed_lines(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "", "old.py": "import legacy_fake\n\n\ndef f():\n    return 1\n"})
    repo.git("mv", "old.py", "new.py")
    repo.commit({"new.py": "import legacy_fake\n\n\ndef f():\n    import cryptoutils\n    return 1\n"})
    assert findings(run("HEAD~1..HEAD")) == [("HC001", "new.py", 5, "cryptoutils")]


def test_unknown_revision_is_named(forked: Repo, run: Any) -> None:
    outcome = run("--from-ref", "origin/main", "--to-ref", "HEAD")
    assert outcome.code == 2
    assert "unknown revision 'origin/main'" in outcome.err
    assert "fetch it" in outcome.err
    assert "Traceback" not in outcome.err


def test_not_a_range_nor_a_file(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    outcome = run("nothing..here")
    assert outcome.code == 2
    assert "unknown revision 'nothing'" in outcome.err


def test_unrelated_histories_have_no_merge_base(forked: Repo, run: Any) -> None:
    forked.git("checkout", "-q", "--orphan", "other")
    forked.commit({"x.py": "import os\n"}, "unrelated root")
    outcome = run("main...other")
    assert outcome.code == 2
    assert "'main' and 'other' have no common ancestor" in outcome.err


def test_shallow_clone_without_the_merge_base_says_what_to_fetch(
    forked: Repo, run: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clone = Repo.__new__(Repo)
    clone.root = tmp_path / "clone"
    url = forked.root.as_uri()
    forked.git("clone", "-q", "--depth=1", "--branch=feature", "--no-local", url, str(clone.root))
    clone.git("fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main")
    outcome = clone.check("--from-ref", "origin/main", "--to-ref", "HEAD", capsys=capsys)
    assert outcome.code == 2
    assert "no merge base between 'origin/main' and 'HEAD' in this shallow clone" in outcome.err
    assert "git fetch --unshallow" in outcome.err and "fetch-depth: 0" in outcome.err
    missing = clone.check("--from-ref", "upstream/main", capsys=capsys)
    assert "unknown revision 'upstream/main'" in missing.err and "shallow" in missing.err


def test_range_mode_forced_without_refs_is_a_usage_error(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    outcome = run("--mode", "range")
    assert outcome.code == 2 and "--from-ref" in outcome.err


def test_to_ref_without_from_ref_is_a_usage_error(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": ""})
    assert run("--to-ref", "HEAD").code == 2


# --- files mode -----------------------------------------------------------------------------------


@pytest.fixture
def project(repo: Repo) -> Repo:
    """A committed project with one old hallucinated import and one declared one."""
    repo.commit(
        {
            "requirements.txt": "requests\n",
            "pkg/__init__.py": "",
            "pkg/core.py": "import os\nimport requests\nfrom . import util\n",
            "pkg/util.py": "import cryptoutils\n",
            "tool": "#!/usr/bin/env python\nimport fakemod\n",
            "docs/conf.py": "import sphinx_fake_theme\n",
        }
    )
    return repo


def test_all_files_checks_every_import_of_every_python_file(project: Repo, run: Any) -> None:
    outcome = run("--all-files")
    assert mode(outcome) == "files"
    assert findings(outcome) == [
        ("HC001", "docs/conf.py", 1, "sphinx_fake_theme"),
        ("HC001", "pkg/util.py", 1, "cryptoutils"),
        ("HC001", "tool", 2, "fakemod"),  # a script by its shebang
    ]
    assert outcome.json()["summary"]["imports_checked"] == 6


def test_files_named_without_staged_changes_are_checked_whole(
    project: Repo, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `pre-commit run --all-files` (and pre-commit.ci) passes: tracked files, nothing staged.
    monkeypatch.setenv("PRE_COMMIT", "1")
    outcome = run("pkg/core.py", "pkg/util.py", "tool")
    assert mode(outcome) == "files"
    assert findings(outcome) == [("HC001", "pkg/util.py", 1, "cryptoutils"), ("HC001", "tool", 2, "fakemod")]


def test_files_that_are_all_staged_mean_a_commit(project: Repo, run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PRE_COMMIT", "1")
    project.stage({"pkg/util.py": "import cryptoutils\nimport json\n"})
    outcome = run("pkg/util.py")
    assert (mode(outcome), findings(outcome)) == ("staged", [])


def test_pre_commit_with_no_files_checks_no_python_file(project: Repo, run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PRE_COMMIT", "1")
    hook = "repos:\n- repo: https://example.invalid/hallucheck\n  rev: v1\n  hooks:\n  - id: hallucheck\n"
    project.commit({".pre-commit-config.yaml": hook + "    exclude: ^pkg/\n"})
    project.stage({"pkg/util.py": "import cryptoutils\nimport fakemod2\n"})
    assert findings(run()) == []  # pre-commit's `files`/`exclude` filtered everything out
    monkeypatch.delenv("PRE_COMMIT")
    assert findings(run()) == [("HC001", "pkg/util.py", 2, "fakemod2")]


@pytest.mark.parametrize("config", ["    pass_filenames: false\n", None])
def test_pre_commit_passing_no_names_at_all_checks_the_staged_change(
    project: Repo, run: Any, monkeypatch: Any, config: str | None
) -> None:
    monkeypatch.setenv("PRE_COMMIT", "1")
    if config is not None:
        hook = "repos:\n- repo: https://example.invalid/hallucheck\n  rev: v1\n  hooks:\n  - id: hallucheck\n"
        project.commit({".pre-commit-config.yaml": hook + config})
    project.stage({"pkg/util.py": "import cryptoutils\nimport fakemod2\n"})
    assert findings(run()) == [("HC001", "pkg/util.py", 2, "fakemod2")]  # no list says nothing: fail closed


def test_check_subcommand_checks_whole_files_even_when_staged(project: Repo, run: Any) -> None:
    project.stage({"pkg/core.py": "import os\nimport requests\nfrom . import util\nimport yaml\n"})
    assert findings(run("pkg/core.py")) == [("HC002", "pkg/core.py", 4, "yaml")]
    outcome = run("check", "pkg/core.py", "pkg/util.py")
    assert mode(outcome) == "files"
    assert findings(outcome) == [
        ("HC002", "pkg/core.py", 4, "yaml"),
        ("HC001", "pkg/util.py", 1, "cryptoutils"),
    ]


def test_check_a_directory_takes_its_python_files(project: Repo, run: Any) -> None:
    assert findings(run("check", "pkg")) == [("HC001", "pkg/util.py", 1, "cryptoutils")]
    assert [f[1] for f in findings(run("check", "."))] == ["docs/conf.py", "pkg/util.py", "tool"]


def test_check_from_a_subdirectory_takes_paths_relative_to_it(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hallucheck.cli import main

    monkeypatch.chdir(project.root / "pkg")
    capsys.readouterr()
    assert main(["check", ".", "--format", "json", "--", "../docs/conf.py"]) == 1
    paths = [item["path"] for item in json.loads(capsys.readouterr().out)["findings"]]
    assert paths == ["docs/conf.py", "pkg/util.py"]


def test_files_mode_reads_the_index_not_the_disk(project: Repo, run: Any) -> None:
    project.write("pkg/core.py", "import not_staged_fake\n")
    project.write("docs/conf.py", "import os\n")
    project.git("add", "docs/conf.py")
    project.write("docs/conf.py", "import unstaged_again\n")
    assert findings(run("--all-files")) == [("HC001", "pkg/util.py", 1, "cryptoutils"), ("HC001", "tool", 2, "fakemod")]


def test_files_mode_never_reports_a_dependency_as_new(project: Repo, run: Any) -> None:
    project.stage({"requirements.txt": "requests\nattrs\n", "a.py": "import attr\n"})
    outcome = run("--all-files")
    assert "HC004" not in outcome.codes() and "HC003" not in outcome.codes()
    assert ("HC001", "pkg/util.py", 1, "cryptoutils") in findings(outcome)


def test_untracked_file_is_an_error(project: Repo, run: Any) -> None:
    project.write("new.py", BAD)
    outcome = run("check", "new.py")
    assert outcome.code == 2
    assert "new.py: not tracked by git" in outcome.err


def test_mode_flag_forces_the_mode(project: Repo, run: Any) -> None:
    staged = run("--mode", "staged", "pkg/util.py")
    assert (mode(staged), findings(staged)) == ("staged", [])
    assert findings(run("--mode", "files", "pkg/util.py")) == [("HC001", "pkg/util.py", 1, "cryptoutils")]


def test_all_files_with_a_range_is_a_usage_error(project: Repo, run: Any) -> None:
    assert run("--all-files", "--from-ref", "HEAD").code == 2


def test_broken_manifest_is_reported_in_files_mode(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "not a requirement!!\n", "a.py": "import os\n"})
    outcome = run("--all-files")
    assert outcome.code == 1
    assert findings(outcome) == [("HC011", "requirements.txt", 1, None)]


def test_all_files_on_an_unborn_head_reads_the_index(repo: Repo, run: Any) -> None:
    repo.stage({"requirements.txt": "", "a.py": BAD})
    assert findings(run("--all-files")) == [("HC001", "a.py", 1, "cryptoutils")]


# --- baseline -------------------------------------------------------------------------------------


def test_baseline_records_findings_and_later_runs_report_only_new_ones(
    project: Repo, run: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = run("baseline", json_output=False)
    assert recorded.code == 0, recorded.err
    assert "recorded 3 finding(s) in .hallucheck-baseline.json" in recorded.out
    assert project.git("status", "--porcelain") == "?? .hallucheck-baseline.json\n"  # it writes nothing else
    document = json.loads((project.root / ".hallucheck-baseline.json").read_text())
    assert document["findings"] == [
        {
            "path": "docs/conf.py",
            "code": "HC001",
            "module": "sphinx_fake_theme",
            "distribution": "",
            "count": 1,
        },
        {"path": "pkg/util.py", "code": "HC001", "module": "cryptoutils", "distribution": "", "count": 1},
        {"path": "tool", "code": "HC001", "module": "fakemod", "distribution": "", "count": 1},
    ]
    project.commit({}, "adopt hallucheck")
    project.git("add", ".hallucheck-baseline.json")
    project.commit(message="baseline")
    adopted = run("--all-files")  # the commit that made the baseline names it once (a warning): attack B9
    assert (adopted.code, findings(adopted)) == (0, [("HC101", ".hallucheck-baseline.json", 0, None)])
    # Moving code keeps the baseline valid; a second identical import is new.
    project.commit({"pkg/util.py": '"""Utilities."""\n\nimport os\n\nimport cryptoutils\n'})
    assert findings(run("--all-files")) == []
    project.stage({"pkg/util.py": "import cryptoutils\n\n\ndef f():\n    import cryptoutils\n"})
    assert findings(run("--all-files")) == [("HC001", "pkg/util.py", 5, "cryptoutils")]
    assert findings(run("check", "pkg/core.py", "docs")) == []
    text = run("--all-files", json_output=False)
    assert text.out.splitlines()[-1].endswith(" 3 hidden by the baseline).")


def test_baseline_never_hides_what_a_staged_change_adds(project: Repo, run: Any) -> None:
    assert run("baseline", json_output=False).code == 0
    project.git("add", ".hallucheck-baseline.json")
    project.commit(message="baseline")
    # Another name from the accepted module, in the same file: the same key, but added by this change.
    project.stage({"pkg/util.py": "import cryptoutils\nfrom cryptoutils import secure_hash\n"})
    assert findings(run()) == [("HC001", "pkg/util.py", 2, "cryptoutils")]
    project.stage({"pkg/core.py": "from cryptoutils import secure_hash\n"})
    assert findings(run()) == [("HC001", "pkg/core.py", 1, "cryptoutils"), ("HC001", "pkg/util.py", 2, "cryptoutils")]


def test_baseline_must_be_in_git_to_count(project: Repo, run: Any) -> None:
    run("baseline", json_output=False)
    # hallucheck reads the baseline from git (the index or the checked commit), like everything else.
    assert len(findings(run("--all-files"))) == 3
    project.git("add", ".hallucheck-baseline.json")
    assert findings(run("--all-files")) == []


def test_baseline_path_from_configuration(repo: Repo, run: Any) -> None:
    repo.commit(
        {
            "pyproject.toml": PYPROJECT + 'baseline = "ci/hc.json"\n',
            "a.py": BAD,
        }
    )
    assert run("baseline", json_output=False).code == 0
    assert (repo.root / "ci" / "hc.json").is_file()
    repo.git("add", "ci/hc.json")
    assert findings(run("--all-files")) == []


def test_baseline_path_outside_the_repository_is_refused(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT + 'baseline = "../x.json"\n'})
    outcome = run("baseline", json_output=False)
    assert outcome.code == 2 and "inside the repository" in outcome.err
    assert not (repo.root.parent / "x.json").exists()


def test_invalid_baseline_is_an_error_naming_the_file(project: Repo, run: Any) -> None:
    project.stage({".hallucheck-baseline.json": '{"version": 1, "findings": [\n  {"path": 3}\n'})
    outcome = run("--all-files")
    assert outcome.code == 2 and ".hallucheck-baseline.json:3: not valid JSON" in outcome.err
    project.stage({".hallucheck-baseline.json": '{"version": 1, "findings": [{"path": 3}]}\n'})
    assert "malformed entry" in run("--all-files").err


def test_baseline_rewrites_an_outdated_baseline(project: Repo, run: Any) -> None:
    run("baseline", json_output=False)
    project.git("add", ".hallucheck-baseline.json")
    project.commit({"pkg/util.py": "import os\n"})
    run("baseline", json_output=False)
    document = json.loads((project.root / ".hallucheck-baseline.json").read_text())
    assert [entry["path"] for entry in document["findings"]] == ["docs/conf.py", "tool"]
