"""The agent hook reads commands kept in shell variables (attack G14).

``X="pip install huggingface-cli"; eval "$X"`` and ``X=...; $X`` ran the install unchecked, while ``p=pip; $p
install x`` was caught. The shell reader now gives a variable the value the text assigns it (when every
assignment of it is the same literal value and nothing else in the text may set it), so what the shell runs
is read; where the value is not told (``read X``, ``"$@"``, two values), a program, a script or ``eval`` text
from it is asked about, only in text that may install. Everyday agent commands stay allowed (the false-ask
measure below). Every case runs through a real repository and the payload shapes of Claude Code, Codex, Cursor.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hallucheck.sources.install_commands import install_commands
from hallucheck.sources.shell import UNKNOWN, simple_commands
from tests.conftest import Repo
from tests.test_install_check_git import INVENTED, SHAPES, answer, project
from tests.test_install_check_git import UNKNOWN as UNKNOWN_NAME

__all__ = ["EVERYDAY", "project"]

EVERYDAY = [
    "git status", "git diff", "git diff --stat HEAD~1", "git log --oneline -20", "git show HEAD", "git add -A",
    "git add src/app.py tests/test_app.py", 'git commit -m "Fix the parser"', 'git commit -am "wip"', "git push",
    "git push origin main", "git pull --rebase", "git checkout -b feature/x", "git switch main", "git stash",
    "git stash pop", "git branch -a", "git fetch origin", "git rebase main", "git merge feature/x",
    "git reset --soft HEAD~1", "git restore --staged src/app.py", "git config user.email", "git rev-parse HEAD",
    "git -C sub status", "git -c color.ui=always log -3", "git blame src/app.py", "pytest",
    "pytest -q tests/test_app.py -k parse", "python -m pytest -x", "python3 -m pytest tests/ -q 2>&1 | tail -20",
    "ruff check .", "ruff format src", "mypy src", "ls -la", "cat README.md", 'grep -rn "TODO" src',
    'rg "def main" src', "sed -n 1,40p src/app.py", "head -50 pyproject.toml", 'find . -name "*.pyc" -delete',
    "find . -name __pycache__ -type d -exec rm -rf {} +", "npm test", "npm run build", "make test", "make -j4",
    "cd src && ls", 'cd "$DIR" && ls', "echo $PATH", 'echo "$HOME"', "$EDITOR notes.md", '"$PYTHON" -c "print(1)"',
    "wc -l src/*.py", "rm -rf build dist", "mkdir -p out && cp README.md out/",
    'python -c "import sys; print(sys.version)"', "uv run pytest", "pip install -r requirements.txt",
    "pip install -e .", "pip list", "pip show requests", "pip install requests", "uv sync", "poetry install",
    "source .venv/bin/activate && pytest", 'eval "$(pyenv init -)"', 'for f in src/*.py; do echo "$f"; done',
    "export PYTHONPATH=src; pytest", "DIR=src; ls $DIR", "tree -L 2", "docker ps",
    "curl -s https://example.com | head", "p=pip; $p install requests", "PIP=pip3; $PIP install rich",
    "X=requests; pip install $X", "VENV=.venv; $VENV/bin/pip install -r requirements.txt",
    'PKGS="requests rich"; pip install $PKGS', "git log -n 3", "git commit -m x -- -n",
    "git commit -m \"$(cat <<'EOF'\nFix the parser\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nEOF\n)\"",
    "gh pr create --title Fix --body \"$(cat <<'EOF'\n## Summary\nEOF\n)\"", "python - <<'EOF'\nprint(1)\nEOF",
    "cat > src/new.py <<'EOF'\nimport os\nEOF", "for f in $(git diff --name-only); do ruff check \"$f\"; done",
    "GIT_EDITOR=true git rebase --continue", 'export PATH="$HOME/.local/bin:$PATH" && pytest', "git stash list",
    "git diff stash@{0}", "rm -f .git/index.lock", "git reset --hard origin/main", "pre-commit install",
    "pre-commit run --all-files", 'git config user.name "Claude"', "git worktree add ../wt -b feat",
    "git remote add origin https://github.com/x/y.git", "git clone https://github.com/x/y.git /tmp/y",
    "git submodule foreach git pull", "git -c user.name=a -c user.email=b commit -m x", "git cherry-pick abc123",
    "git revert --no-edit HEAD", "ls .git", "cat .git/config", "find . -path ./.git -prune -o -name '*.py' -print",
    "curl -LsSf https://astral.sh/uv/install.sh | sh", "uv venv && uv pip install -r requirements.txt",
    "python -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt",
]  # fmt: skip
"""Commands a coding agent runs every day: none may be asked about (a false ask teaches the user to say yes)."""

EVERYDAY_PROJECT: dict[str, str | bytes] = {
    "pyproject.toml": '[project]\nname = "myapp"\nversion = "1"\ndependencies = ["requests", "rich"]\n'
                      '[project.optional-dependencies]\ndev = ["pytest", "ruff"]\n',
    "requirements.txt": "requests\nrich\n", "Makefile": "test:\n\tpytest\n", "package.json": '{"scripts": {}}\n',
    "src/app.py": "", "tests/test_app.py": "", "README.md": "",
}  # fmt: skip

ESCAPES = [
    (f'X="pip install {INVENTED}"; eval "$X"', "deny"),
    (f'X="pip install {INVENTED}"; $X', "deny"),
    (f'X="pip install {INVENTED}"; ${{X}}', "deny"),
    (f'X="pip install {INVENTED}"; bash -c "$X"', "deny"),
    (f'X="pip install {INVENTED}"; sh <<< "$X"', "deny"),
    (f'X="pip install {INVENTED}"; printf %s "$X" | sh', "deny"),
    (f'a=(pip install {INVENTED}); "${{a[@]}}"', "deny"),
    (f"a=(pip install {INVENTED}); ${{a[*]}}", "deny"),
    (f'declare X="pip install {INVENTED}"; $X', "deny"),
    (f'export X="pip install {INVENTED}"; $X', "deny"),
    (f'X=pip; Y=install; $X $Y {INVENTED}', "deny"),
    (f'X="install {INVENTED}"; pip $X', "deny"),
    (f'Y=pip; X="$Y install"; $X {INVENTED}', "deny"),
    (f"PKG={INVENTED}; pip install $PKG", "deny"),
    (f'f(){{ pip install "$1"; }}; f {INVENTED}', "deny"),
    (f"alias p=pip; p install {INVENTED}", "deny"),
    (f'X="pip install {UNKNOWN_NAME}"; eval "$X"', "ask"),
    (f'read X <<< "pip install {INVENTED}"; $X', "ask"),
    (f'set -- pip install {INVENTED}; "$@"', "ask"),
    (f'read X <<< "pip install {INVENTED}"; eval "$X"', "ask"),
    (f'read X <<< "pip install {INVENTED}"; sh -c "$X"', "ask"),
    (f'read X <<< "pip install {INVENTED}"; sh <<< "$X"', "ask"),
    (f'read X <<< "pip install {INVENTED}"; source "$X"', "ask"),
    (f'if true; then X="pip install {INVENTED}"; else X=ls; fi; $X', "deny"),  # two values: not told which
    (f'X=ls; for i in 1 2; do $X; X="pip install {INVENTED}"; done', "deny"),  # a loop runs the later one first
    (f'X=ls; eval "X=\'pip install {INVENTED}\'"; $X', "deny"),
    (f'X=ls; source vars.sh; $X pip install {INVENTED}', "deny"),
    (f'declare -l X="PIP INSTALL {INVENTED.upper()}"; $X', "ask"),
    (f'X=".venv/bin/pi?"; $X install {INVENTED}', "deny"),
    (f'IFS=,; X="pip,install,{INVENTED}"; $X', "ask"),
    (f'echo "pip install {INVENTED}" | xargs env', "ask"),
    (f"printf 'pip install {INVENTED}' | xargs -0 sh -c", "ask"),
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("command", "expected"), ESCAPES)
def test_a_command_kept_in_a_variable_is_read_or_asked_about(
    project: Repo, shape: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == expected


FROM_ELSEWHERE = [
    "cat cmd.txt | sh", "cat cmd.txt | bash -s", "X=$(cat cmd.txt); $X", "X=$(< cmd.txt); eval \"$X\"",
    'eval "$(cat cmd.txt)"', "$(cat cmd.txt)", "`cat cmd.txt`", 'bash -c "$(< cmd.txt)"',
    "cat cmd.txt | source /dev/stdin", "BASH_ENV=cmd.txt bash -c true",
    f'source /dev/stdin <<< "pip install {INVENTED}"', f"trap 'pip install {INVENTED}' EXIT",
    f"GIT_PAGER='pip install {INVENTED}' git log", f"env EDITOR='pip install {INVENTED}' git commit",
    f"git -c core.pager='pip install {INVENTED}' log", f"git config core.pager 'pip install {INVENTED}'",
    f'git rebase --exec="pip install {INVENTED}" HEAD~1', f"git bisect run pip install {INVENTED}",
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", FROM_ELSEWHERE)
def test_text_a_file_or_a_program_setting_runs_is_read(
    project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file's text run as a command (``cat cmd.txt | sh``, ``$(cat cmd.txt)``, ``BASH_ENV``) is read from disk
    as ``sh cmd.txt`` is (the agent may have just written it); text a program runs for the command (``trap``,
    ``GIT_PAGER``, ``git -c core.pager``, ``git rebase --exec``) is read as a command."""
    project.write("cmd.txt", f"pip install {INVENTED}\n")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "deny"


KEPT = [
    (f'read S <<< install; pip $S {INVENTED}', "deny"), ('read S <<< install; pip "$S" requests', "ask"),
    ("alias p=pip", "run"), ("alias p='uv pip install'", "ask"), ('export X="pip install"', "ask"),
    (f'X="pip install {INVENTED}"', "deny"), ('f(){ pip install "$@"; }', "ask"), (f"p install {INVENTED}", "deny"),
    (f"hallucheck-missing-tool add {UNKNOWN_NAME}", "ask"), ("yarn add react", "run"), ("brew install jq", "run"),
    ("go install golang.org/x/tools/gopls@latest", "run"), ("make install", "run"),
    (". ./env.sh; $CMD", "ask"), ("source env.sh && $CMD", "ask"),  # env.sh (on disk) may set CMD to anything
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("command", "expected"), KEPT)
def test_what_an_agents_shell_may_keep_for_its_next_command_is_read(
    project: Repo, shape: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An agent's shell may keep state between its commands (Anthropic's bash tool keeps one bash process): an alias,
    a function or a variable that runs an installer is read as the install it makes, with arguments known later; a
    command named by a word that is no program on ``PATH`` (an alias kept from before) followed by ``install``/``add``
    is read as an install; another ecosystem's installer is not."""
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == expected


@pytest.fixture
def everyday_project(project: Repo) -> Repo:
    project.commit(EVERYDAY_PROJECT, "everyday")
    return project


@pytest.mark.parametrize("shape", SHAPES)
def test_everyday_agent_commands_are_not_asked_about(
    everyday_project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The false-ask measure: every everyday command runs without a question."""
    asked = [command for command in EVERYDAY
             if answer(SHAPES[shape](command, everyday_project.root), monkeypatch, capsys) != "run"]
    assert asked == []


def _words(text: str) -> list[list[str]]:
    return [[str(word) for word in command.words] for command in simple_commands(text) if command.words]


@pytest.mark.parametrize(("text", "expected"), [
    ('X="pip install x"; $X', [["pip", "install", "x"]]),
    ('X="pip install x"; "$X"', [["pip install x"]]),
    ('a=(pip "in stall" x); "${a[@]}"', [[UNKNOWN]]),  # elements with spaces: the fields are not shown by the join
    ("a=(pip install x); ${a[1]} $a", [["install", "pip"]]),
    ("X=pip; ${X:-uv} ${Y:-uv}", [["pip", "uv"]]),
    ("X=; $X pip", [["pip"]]),
    ("X=a; X=b; $X", [[UNKNOWN]]), ("X+=pip; $X", [[UNKNOWN]]), ("${X:=pip}; X=pip; $X", [["pip"], [UNKNOWN]]),
    ("X=pip; read X; $X", [["read", "X"], [UNKNOWN]]), ("X=pip; for X in a; do $X; done", [[UNKNOWN]]),
    ("X=pip; printf -v X uv; $X", [["printf", "-v", "X", "uv"], [UNKNOWN]]),
    ("$X; X=pip", [["pip"]]),  # order is not trusted: a loop or a later call runs it after
    ("X=pip; eval true; $X", [["eval", "true"], [UNKNOWN]]),  # eval may set any variable after it
    ("X=pip; declare -n r=X; $X", [[UNKNOWN]]),
    ("X='a*'; $X", [[UNKNOWN]]), ("X='a*'; \"$X\"", [["a*"]]),  # unquoted, a glob is expanded against the disk
])  # fmt: skip
def test_the_reader_gives_a_variable_the_value_the_text_assigns(text: str, expected: list[list[str]]) -> None:
    assert _words(text) == expected


INSTALLERS = ["pip install", "pip3 install", "python -m pip install", "python3 -m pip install", "uv pip install",
              "uv add", "poetry add", "pdm add", "pipx install", "uvx", "pip download", "conda install"]
HOLDERS: dict[str, Callable[[str], tuple[str, str]]] = {
    "assigned": lambda command: ("X", f"X={_quote(command)}; "),
    "exported": lambda command: ("X", f"export X={_quote(command)}; "),
    "declared": lambda command: ("X", f"declare X={_quote(command)}; "),
    "two steps": lambda command: ("X", f"Y={_quote(command.split(' ', 1)[0])}; X=\"$Y {command.split(' ', 1)[1]}\"; "),
    "read": lambda command: ("X", f"read X <<< {_quote(command)}; "),
    "positional": lambda command: ("@", f"set -- {command}; "),
    "array": lambda command: ("a[@]", f"a=({command}); "),
}  # fmt: skip
RUNNERS = ['${NAME}', '"${NAME}"', 'eval "${NAME}"', 'eval ${NAME}', 'bash -c "${NAME}"', 'sh <<< "${NAME}"',
           'printf %s "${NAME}" | sh', 'echo "${NAME}" | bash', 'bash -lc "${NAME}"', 'sudo ${NAME}',
           'env ${NAME}', 'command ${NAME}', 'time ${NAME}', 'nohup ${NAME}', '(${NAME})', '{ ${NAME}; }',
           'true && ${NAME}', 'echo "${NAME}" | xargs env']  # fmt: skip


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _reads_or_asks(text: str, name: str) -> bool:
    found = install_commands(text, runs_files=True)
    arguments = [argument for command in found for argument in command.arguments]
    return any(not argument.determined or argument.name == name for argument in arguments)


@settings(max_examples=300, deadline=None)
@given(installer=st.sampled_from(INSTALLERS), holder=st.sampled_from(sorted(HOLDERS)),
       runner=st.sampled_from(RUNNERS), name=st.sampled_from([INVENTED, "fakepkg-zz", "leftpadz-zz"]))
def test_every_variable_shape_that_installs_a_made_up_name_is_read_or_asked(
    installer: str, holder: str, runner: str, name: str
) -> None:
    """The property (generated corpus): a command kept in a variable, run by any of the runners, is read as the
    install it is, or is undetermined (asked about in the hook); never passed unread."""
    variable, prefix = HOLDERS[holder](f"{installer} {name}")
    assume(runner != '"${NAME}"' or variable in ("@", "a[@]"))  # `"$X"` runs one word: a program named `pip install x`
    assume(variable not in ("@", "a[@]") or not ("c \"" in runner or "printf" in runner))  # `bash -c pip install x`
    text = prefix + runner.replace("NAME", variable)
    assert _reads_or_asks(text, name), text


def test_flags_known_only_at_run_time_before_the_subcommand() -> None:
    """``pip $PIP_FLAGS install x``: the subcommand is read (files mode too: before, nothing was), the flags are
    undetermined in the hook (they may name an index), and ``-r FILE`` stays an input."""
    def read(text: str, hook: bool) -> tuple[list[tuple[str, bool]], list[str]]:
        found = install_commands(text, runs_files=hook)
        return ([(argument.name, argument.determined) for command in found for argument in command.arguments],
                [str(item.path) for command in found for item in command.inputs])

    assert read(f"pip $FLAGS install {INVENTED}", False) == ([(INVENTED, True)], [])
    assert read(f"pip $FLAGS install {INVENTED}", True) == ([(INVENTED, True), ("$FLAGS", False)], [])
    assert read("pip $FLAGS install -r requirements.txt", True) == ([("$FLAGS", False)], ["requirements.txt"])
    assert read(f"pip $X {INVENTED}", False) == ([], [])  # files mode: a subcommand from the environment


def test_values_that_double_at_each_assignment_are_not_spelled_out() -> None:
    text = "X0=pip; " + "; ".join(f'X{i}="$X{i - 1}$X{i - 1}"' for i in range(1, 60)) + f"; $X59 install {INVENTED}"
    found = install_commands(text, runs_files=True)
    assert [(argument.name, argument.determined) for command in found for argument in command.arguments][:1] == [
        (INVENTED, True)]


def test_reading_variables_is_linear() -> None:
    import time

    def cost(count: int) -> float:
        text = "; ".join(f'X{i}="pip install n{i}"; $X{i}; eval "$X{i}"' for i in range(count))
        start = time.perf_counter()
        found = install_commands(text, runs_files=True)
        assert len([argument for command in found for argument in command.arguments]) >= count
        return time.perf_counter() - start

    cost(50)
    assert cost(1600) < 8 * 2.5 * max(cost(200), 0.01)
