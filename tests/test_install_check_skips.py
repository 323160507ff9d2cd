"""A command that gets past hallucheck's commit hook is asked about, by rules rather than a list of spellings.

The agent hook reads HEAD as the project's word, so a commit made without the hook lets two calls make HEAD declare
anything (attack F7). Each spelling below is asked about through the payload shapes of Claude Code, Codex and Cursor;
the ones a shell can run are first run for real in a repository whose pre-commit hook refuses every commit, to show
that each is a real way past the hook (HEAD moves); the generated corpus wraps each skip in the shell's ways of
running text; the everyday commands of :mod:`tests.test_install_check_variables` stay allowed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.commands.hook_skips import skips_commit_checks
from tests.conftest import Repo
from tests.test_install_check_git import SHAPES, answer, project

__all__ = ["project"]

SKIPS = [
    "g=git; $g commit --no-verify -m x", "read g <<< git; $g commit -m x", 'X="git commit -n -m x"; eval "$X"',
    'git -c alias.ci="commit --no-verify" ci -m x', "git --config-env=alias.ci=X ci -m x",
    "git -c include.path=/tmp/x.cfg commit -m x", 'git config --global alias.ci "commit --no-verify"',
    "git config alias.x '!pip install leftpadz-zz'; git x", "git -c core.hooksPath=/dev/null commit -m x",
    "git commit-tree HEAD^{tree} -p HEAD -m x", "git update-ref refs/heads/main abc123",
    "git reset --soft $(git commit-tree HEAD^{tree} -m x)", "echo x | git hash-object -w -t commit --stdin",
    "git fast-import < stream", "git replace HEAD abc", "git symbolic-ref HEAD refs/heads/other", "git stash create",
    "git merge --ff-only stash@{0}", "git cherry-pick -m1 refs/stash", "git fetch ../clone main",
    "git remote add c /tmp/clone", 'git rebase -x "git commit --amend --no-verify --no-edit" HEAD~3',
    'rm "$(git rev-parse --git-path hooks)/pre-commit"', 'H=$(git rev-parse --git-path hooks); rm "$H/pre-commit"',
    "find .git -name pre-commit -delete", "find . -name pre-commit -delete", "find . -name 'pre-*' -exec rm {} +",
    "rm .git/ho*/pre-c*", "rm .g*/h*/p*", "cd .git/hooks && rm pre-commit", "cd .git; mv hooks hooks.off",
    "mv .git/hooks/pre-commit /tmp/x", "chmod -x .git/hooks/pre-commit", "truncate -s0 .git/hooks/pre-commit",
    "> .git/hooks/pre-commit", "ln -sf /dev/null .git/hooks/pre-commit", "sed -i 1d .git/hooks/pre-commit",
    "python -m pre_commit uninstall", "python3 -m pre_commit uninstall -t pre-push", "prek uninstall",
    "pre-commit install -c /tmp/empty.yaml", "uvx pre-commit uninstall", 'bash <<< "git commit --no-verify -m x"',
    "bash <<'Z'\ngit commit --no-verify -m x\nZ", "sh -c 'git commit -nm x'", 'eval "git commit --no-verify -m x"',
    "alias gc='git commit --no-verify'; gc -m x", 'f(){ git commit --no-verify "$@"; }; f -m x',
    "python -c \"import subprocess; subprocess.run(['git','commit','--no-verify'])\"",
    "python3 -Ic \"import os; os.system('git commit -n -m x')\"",
    "node -e \"require('child_process').execSync('git commit --no-verify -m x')\"",
    "perl -e 'system(\"git commit --no-verify -m x\")'", "ruby -e 'system(\"git\", \"commit\", \"--no-verify\")'",
    'python - <<\'Z\'\nimport subprocess; subprocess.run(["git", "commit", "--no-verify"])\nZ',
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null git commit -m x",
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.ci GIT_CONFIG_VALUE_0='commit --no-verify' git ci -m x",
    "GIT_CONFIG_PARAMETERS=\"'core.hooksPath=/dev/null'\" git commit -m x",
    "export GIT_CONFIG_GLOBAL=/tmp/g.cfg; git commit -m x", "HOME=/tmp/h git commit -m x",
    "PRE_COMMIT_ALLOW_NO_CONFIG=1 git commit -m x", "SKIP=hallucheck git commit -m x",
    "S=hallucheck; SKIP=$S git commit -m x", "env SKIP=hallucheck git commit -m x",
    "sudo -u me env GIT_CONFIG_GLOBAL=/tmp/g git commit -m x", "git commit --no-verify -m x", "git push --no-verify",
    "git am fix.patch", "git clone . /tmp/c", "git -c core.pager='git commit --no-verify -m x' log",
    "git config --global core.editor 'git commit -n -m x'", "GIT_SEQUENCE_EDITOR=true git rebase -i HEAD~2",
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", SKIPS)
def test_a_command_that_gets_past_the_commit_hook_is_asked_about(
    project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) in ("ask", "deny")


REAL_SKIPS = [
    'git -c alias.ci="commit --no-verify" ci -qm x',
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null git commit -qm x",
    "GIT_CONFIG_PARAMETERS=\"'core.hookspath=/dev/null'\" git commit -qm x",
    "GIT_CONFIG_GLOBAL=$PWD/../home/.gitconfig git commit -qm x",
    "g=git; $g commit -q --no-verify -m x", 'X="git commit -q --no-verify -m x"; eval "$X"',
    'a=(git commit -qnm x); "${a[@]}"', 'bash <<< "git commit -q --no-verify -m x"',
    "git update-ref HEAD $(git commit-tree $(git write-tree) -p HEAD -m x)",
    "git reset -q --soft $(git commit-tree $(git write-tree) -p HEAD -m x)",
    "rm .git/ho*/pre-c* && git commit -qm x", "find .git -name pre-commit -delete && git commit -qm x",
    "chmod -x .git/hooks/pre-commit && git commit -qm x 2>/dev/null",
    'H=$(git rev-parse --git-path hooks); mv "$H" "$H.off" && git commit -qm x',
    "python3 -c \"import subprocess; subprocess.run(['git','commit','-q','--no-verify','-m','x'])\"",
    "git -c alias.ci='!git commit -q --no-verify' ci -m x",
    "git stash -q && git cherry-pick -m1 stash@{0}",
]  # fmt: skip


@pytest.mark.parametrize("command", REAL_SKIPS)
def test_each_real_way_past_a_refusing_hook_is_asked_about(
    repo: Repo, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The spelling is run by bash in a repository whose pre-commit hook refuses every commit: HEAD moves (it is
    a real way past the hook, so the test can fail), and the agent hook asks about it."""
    repo.commit({"requirements.txt": "rich\n"}, "init")
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    home = repo.root.parent / "home"
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text("[core]\n\thooksPath = /dev/null\n[user]\n\tname = a\n\temail = a@b\n")
    repo.stage({"requirements.txt": "rich\nhuggingface-cli\n"})
    refused = subprocess.run(["git", "commit", "-qm", "x"], cwd=repo.root, capture_output=True)
    assert refused.returncode != 0  # the hook runs and refuses a plain commit
    before = repo.git("rev-parse", "HEAD")
    environment = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
                   "GIT_COMMITTER_EMAIL": "a@b"}  # fmt: skip
    subprocess.run(["bash", "-c", command], cwd=repo.root, env=environment, capture_output=True, timeout=60)
    assert repo.git("rev-parse", "HEAD") != before, "not a way past the hook"
    for shape in SHAPES:
        assert answer(SHAPES[shape](command, repo.root), monkeypatch, capsys) == "ask", shape


BARE_SKIPS = ["git commit --no-verify -m x", "git commit -nm x", "git push --no-verify origin main",
              "git -c alias.c='commit --no-verify' c -m x", "git commit-tree HEAD^{tree} -m x",
              "rm .git/hooks/pre-commit", "pre-commit uninstall", "SKIP=hallucheck git commit -m x",
              "GIT_CONFIG_PARAMETERS=\"'core.hooksPath=/dev/null'\" git commit -m x"]  # fmt: skip
WRAPPINGS = ["{}", "bash -c {q}", "sh -lc {q}", "bash <<< {q}", "eval {q}", "X={q}; eval \"$X\"", "sudo {}",
             "env A=1 {}", "time {}", "nice -n 5 {}", "timeout 60 {}", "command {}", "f(){{ {}; }}; f",
             "alias a={q}; a", "true && {}", "( {} )", "{{ {}; }}", "if true; then {}; fi",
             "python3 -c \"import os; os.system({q})\"", "script -qc {q} /dev/null"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(skip=st.sampled_from(BARE_SKIPS), wrapping=st.sampled_from(WRAPPINGS))
def test_every_wrapped_skip_is_asked_about(skip: str, wrapping: str) -> None:
    """The property (generated corpus): each way past the hook, run by any of the shell's ways of running text,
    is found."""
    quoted = "'" + skip.replace("'", "'\\''") + "'"
    text = wrapping.format(skip, q=quoted)
    assert skips_commit_checks(text), text


def test_the_everyday_commands_skip_nothing() -> None:
    from tests.test_install_check_variables import EVERYDAY

    assert [command for command in EVERYDAY if skips_commit_checks(command)] == []


def test_a_commit_message_or_an_echo_is_data() -> None:
    assert not skips_commit_checks('git commit -m "never run git commit --no-verify"')
    assert not skips_commit_checks("git log --grep=stash@")
    assert not skips_commit_checks("git checkout stash-fix")
    assert not skips_commit_checks('find . -name "*.pyc" -delete')


def test_a_hook_file_that_exists_on_disk_is_not_needed(tmp_path: Path) -> None:
    """The rules read the command, not the disk: a path computed at run time is judged by its text."""
    assert skips_commit_checks(f'cd {tmp_path} && rm "$(git rev-parse --git-dir)/hooks/pre-push"')


RUN_FILES = {
    "release.sh": ("#!/bin/sh\ngit add -A\ngit commit --no-verify -m release\n", ["./release.sh", "sh release.sh",
                                                                                 "bash -e release.sh"]),
    "tools/rel.py": ('import subprocess\nsubprocess.run(["git", "commit", "--no-verify", "-m", "x"])\n',
                     ["python tools/rel.py", "python3 -u tools/rel.py"]),
    "Makefile": ("release:\n\tgit commit -n -m release\n\ntest:\n\tpytest\n", ["make release", "make"]),
    "hooks.sh": ('#!/bin/sh\nrm "$(git rev-parse --git-path hooks)/pre-commit"\n', ["bash hooks.sh"]),
}  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("path", RUN_FILES)
def test_a_file_the_command_runs_that_skips_the_hook_is_asked_about(
    project: Repo, shape: str, path: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's text shows nothing (``./release.sh``); the file it runs, committed or only on disk, is read by
    the same rules (a shell script) or for the words of a way past the hook (Python, a Makefile)."""
    content, commands = RUN_FILES[path]
    project.write(path, content)
    for command in commands:
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask", command
    project.commit({}, "add the script")
    for command in commands:
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask", command


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_that_commits_with_the_hooks_runs(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.commit({"release.sh": "#!/bin/sh\ngit add -A\ngit commit -m release\ngit push --tags\n",
                    "Makefile": "release:\n\tgit commit -am bump && git push\n"}, "scripts")
    for command in ["./release.sh", "bash release.sh", "make release"]:
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run", command
