"""The agent install hook reads the files and projects a command installs from (A13), and reads commands that
unknown programs and Python code run (A1).

What exists only on disk is new: `pip install -r req-new.txt` after the agent wrote `req-new.txt`, or `pip
install -e .` after it added a name to pyproject.toml without staging it, gets the evidence of a new dependency
for each name git does not hold there. What cannot be read (a missing file, standard input, a URL, a file outside
the repository, a directory change known only at run time, a file too large) is asked about, never passed.
Every case runs through the payload shapes of Claude Code, Codex and Cursor.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hallucheck.commands.install_check import main
from hallucheck.sources.install_commands import install_commands, python_install_commands
from tests.conftest import Repo
from tests.test_install_check_git import BASE, INVENTED, SHAPES, UNKNOWN, decision


def answer(payload: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    code = main([])
    captured = capsys.readouterr()
    return decision(code, captured.out), captured.err + captured.out


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    repo.commit({"pyproject.toml": BASE, "requirements.txt": "rich\n", "pkg/__init__.py": ""}, "init")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("state", ["untracked", "staged", "committed"])
def test_a_requirements_file_written_on_disk(project: Repo, shape: str, state: str, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A13's example. Written on disk, or staged, it is new (an unknown name asks, a documented hallucination is
    denied: attack E18, the agent may run `git add` too); committed, it runs."""
    project.write("req-new.txt", f"{UNKNOWN}\n")
    if state != "untracked":
        project.git("add", "req-new.txt")
    if state == "committed":
        project.git("commit", "-q", "--no-verify", "-m", "requirements")
    expected = "run" if state == "committed" else "ask"
    assert answer(SHAPES[shape]("pip install -r req-new.txt", project.root), monkeypatch, capsys)[0] == expected
    project.write("req-new.txt", f"{UNKNOWN}\n{INVENTED}\n")  # a line added on disk after staging: new either way
    result, said = answer(SHAPES[shape]("uv pip sync req-new.txt", project.root), monkeypatch, capsys)
    assert result == "deny" and "HC031" in said and "req-new.txt" in said


@pytest.mark.parametrize("shape", SHAPES)
def test_a_committed_file_with_an_unstaged_line(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert answer(SHAPES[shape]("pip install -r requirements.txt", project.root), monkeypatch, capsys)[0] == "run"
    project.write("requirements.txt", f"rich\n{INVENTED}\n")
    assert answer(SHAPES[shape]("pip install -r requirements.txt", project.root), monkeypatch, capsys)[0] == "deny"
    assert answer(SHAPES[shape]("pip install -c requirements.txt rich", project.root), monkeypatch,
                  capsys)[0] == "deny"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", ["pip install -e .", "pip install .", "uv sync", "uv pip install -e .",
                                     "poetry install", "pdm install", "uv run pytest", "pip install '.[dev]'"])
def test_a_project_edited_on_disk(project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "run"
    project.write("pyproject.toml", BASE.replace('["rich"]', f'["rich", "{INVENTED}"]'))
    result, said = answer(SHAPES[shape](command, project.root), monkeypatch, capsys)
    assert result == "deny" and "HC031" in said and "pyproject.toml" in said


@pytest.mark.parametrize("shape", SHAPES)
def test_what_a_disk_file_pulls_in_is_read_too(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`-e ./lib` in a requirements file, a `-r` include, a setuptools `file:` directive: each read from disk."""
    project.write("lib/pyproject.toml", f'[project]\nname = "lib"\nversion = "1"\ndependencies = ["{INVENTED}"]\n')
    project.write("req-new.txt", "-e ./lib\n")
    assert answer(SHAPES[shape]("pip install -r req-new.txt", project.root), monkeypatch, capsys)[0] == "deny"
    project.write("req-new.txt", "-r requirements.txt\n")
    project.write("requirements.txt", f"rich\n{UNKNOWN}\n")
    assert answer(SHAPES[shape]("pip install -r req-new.txt", project.root), monkeypatch, capsys)[0] == "ask"
    project.git("checkout", "--", "requirements.txt")
    project.commit({"pyproject.toml": '[project]\nname = "myapp"\nversion = "1"\ndynamic = ["dependencies"]\n'
                    '[tool.setuptools.dynamic]\ndependencies = {file = ["deps.txt"]}\n', "deps.txt": "rich\n"})
    assert answer(SHAPES[shape]("pip install -e .", project.root), monkeypatch, capsys)[0] == "run"
    project.write("deps.txt", f"rich\n{INVENTED}\n")  # pyproject.toml unchanged: the file it names changed
    assert answer(SHAPES[shape]("pip install -e .", project.root), monkeypatch, capsys)[0] == "deny"


@pytest.mark.parametrize("shape", SHAPES)
def test_directory_changes(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    project.commit({"sub/pyproject.toml": BASE.replace("myapp", "sub")}, "sub")
    project.write("sub/pyproject.toml", BASE.replace("myapp", "sub").replace('["rich"]', f'["{INVENTED}"]'))
    for command in ("cd sub && pip install -e .", "cd pkg; cd ../sub && uv sync", "uv --directory sub sync",
                    "uv sync --project sub", "poetry -C sub install", "bash -c 'cd sub && pip install .'",
                    "pip install ./sub", "pip install -e sub/"):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "deny", command
    for command in ('cd "$SUB" && pip install -e .', "cd && pip install -r requirements.txt",
                    "pushd x; popd; pip install -e ."):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "ask", command
    assert answer(SHAPES[shape]("cd pkg && pip install -r ../requirements.txt", project.root), monkeypatch,
                  capsys)[0] == "run"


@pytest.mark.parametrize("shape", SHAPES)
def test_what_cannot_be_read_is_asked_about(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("rich\n")
    (project.root / "link.txt").symlink_to(outside)
    project.write("big.txt", "rich\n" * 250_000)  # over the 1 MB bound
    os.mkfifo(project.root / "fifo.txt")  # never opened: it would block
    for command in ("pip install -r missing.txt", "curl -o new.txt https://x/r.txt && pip install -r new.txt",
                    f"pip install -r {outside}", "pip install -r ../outside.txt", "pip install -r link.txt",
                    "pip install -r https://example.com/r.txt", "pip install -r -", "pip install -r /dev/stdin",
                    "pip install --requirement <(curl -s https://x/r.txt)", "pip-sync <(cat elsewhere.txt)",
                    "cat missing.txt | pip install -r /dev/stdin",
                    "curl -s https://x/r.txt > r.txt; pip install -r r.txt",
                    'pip install -r "$REQ"', "pip install -r big.txt", "pip install -r fifo.txt",
                    "pip install -e ./nowhere", "mkdir p && cd p && pip install -e ."):
        result, said = answer(SHAPES[shape](command, project.root), monkeypatch, capsys)
        assert result == "ask" and "HC042" in said, command


@pytest.mark.parametrize("shape", SHAPES)
def test_requirements_fed_on_standard_input(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    def decide(command: str) -> str:
        return answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0]

    assert decide(f"pip install -r /dev/stdin <<EOF\nrich\n{INVENTED}\nEOF") == "deny"
    assert decide(f"uv pip install -r - <<< {UNKNOWN}") == "ask"
    assert decide("uv pip install -r - <<< rich") == "run"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", [
    "pip install -r /dev/stdin <<EOF\n{name}\nEOF",
    "printf '{name}\\n' | pip install -r /dev/stdin",
    "echo {name} > r.txt && pip install -r r.txt",
    "cat > r.txt <<EOF\nrich\n{name}\nEOF\nuv pip install -r r.txt",
    "pip install --requirement <(echo {name})",
    "pip-sync <(printf '%s\\n' {name})",
    "echo 'pip install {name}' | sh",
    "echo \"pip install {name}\" | bash -s",
    "source <(echo pip install {name})",
    ". <(printf 'pip install {name}')",
    "p() {{ pip \"$@\"; }}; p install {name}",
    "alias p=pip; p install {name}",
    "find . -maxdepth 0 -exec pip install {name} \\;",
    "parallel pip install ::: {name}",
])
def test_what_the_command_writes_then_installs_or_runs_is_read(
    project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """B7: requirements fed on standard input, by a pipe or a process substitution, or written to a file first;
    shell text piped or sourced into a shell; functions and aliases: read as the command's text writes them."""
    def decide(name: str) -> str:
        return answer(SHAPES[shape](command.format(name=name), project.root), monkeypatch, capsys)[0]

    assert decide(INVENTED) == "deny"
    assert decide(UNKNOWN) == "ask"
    assert decide("rich") == "run"


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_the_command_writes_is_also_read_from_disk_when_it_is_there(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The write may not happen (``[ -f r.txt ] || echo rich > r.txt``): what is on disk counts too."""
    project.write("r.txt", f"{INVENTED}\n")
    command = "[ -f r.txt ] || echo rich > r.txt; pip install -r r.txt"
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "deny"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", [
    "strace -f pip install {name}",
    'script -qc "pip install {name}" /dev/null',
    'busybox sh -c "pip install {name}"',
    "tox exec -- pip install {name}",
    "nox -s x -- pip install {name}",
    "watch -n 5 pip install {name}",
    "pyenv exec pip install {name}",
    "mise exec -- pip install {name}",
    "asdf exec pip install {name}",
    "ssh host 'pip install {name}'",
    "python -c \"import os; os.system('pip install {name}')\"",
    "python3 -c 'import subprocess, sys; subprocess.check_call([sys.executable, \"-m\", \"pip\", \"install\", "
    "\"{name}\"])'",
    'python - <<EOF\nimport subprocess\nsubprocess.run(["pip", "install", "{name}"])\nEOF',
    "python3 <<'EOF'\nimport pip\npip.main(['install', '{name}'])\nEOF",
    "python -c \"import os; os.system('p' + 'ip install {name}')\"",
    "python -c \"cmd = 'pip install {name}'; import os; os.system(cmd)\"",
])
def test_unknown_wrappers_and_python_code(project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A1: a program hallucheck does not know that runs its arguments, and Python code run by `-c` or fed on
    standard input: the install inside is read like any other (denied, asked about, or run when declared)."""
    def decide(name: str) -> str:
        return answer(SHAPES[shape](command.format(name=name), project.root), monkeypatch, capsys)[0]

    assert decide(INVENTED) == "deny"
    assert decide(UNKNOWN) == "ask"
    assert decide("rich") == "run"


@pytest.mark.parametrize("shape", SHAPES)
def test_python_code_that_computes_its_install_is_asked_about(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("python -c \"import os, sys; os.system('pip install ' + sys.argv[1])\" x",
                    "python -c 'import subprocess; subprocess.run([\"pip\", \"install\", NAME])'",
                    "python -c 'import os; os.system(f\"pip install {name}\")'",
                    "python -c 'import subprocess; subprocess.run(\"pip install\" '",  # does not parse
                    "strace " + " ".join(f"'pip {index}'" for index in range(40)) + " pip install rich"):
        result, said = answer(SHAPES[shape](command, project.root), monkeypatch, capsys)
        assert result == "ask" and "HC042" in said, command


@pytest.mark.parametrize("shape", SHAPES)
def test_commands_that_only_mention_an_install_run(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for command in (f'git commit -m "pip install {INVENTED}"', f"echo pip install {INVENTED}",
                    f'grep -r "pip install {INVENTED}" .', f"rg 'pip install {INVENTED}' docs",
                    f'printf "pip install %s\\n" {INVENTED}', f"cat <<EOF > notes.md\npip install {INVENTED}\nEOF",
                    "python -c 'import pip; print(pip.__version__)'", "python -m pip --version",
                    "python -c 'print(1)'", "pip install -r requirements.txt", "uv run --no-sync pytest",
                    f"gh issue create --body 'pip install {INVENTED} fails'"):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "run", command


def test_the_python_reader() -> None:
    def names(code: str) -> list[tuple[str, bool]]:
        return [(argument.name, argument.determined) for command in python_install_commands(code)
                for argument in command.arguments]

    assert names("import subprocess, sys\nsubprocess.check_call([sys.executable, '-m', 'pip', 'install', 'a'])") \
        == [("a", True)]
    assert names("import os\nos.execlp('pip', 'pip', 'install', 'b')") == [("b", True)]
    assert names("from subprocess import run as r\nr(('uv', 'add', 'c'))") == [("c", True)]
    assert names("print('hello')") == []
    assert names("import pip\nprint(pip.__version__)") == []
    assert ("$?", False) in names("import subprocess\nsubprocess.run(['pip', 'install', name])")
    assert not names("os.system(cmd)  # pip")[0][1]  # computed command in code that names an installer


def test_the_command_reader_records_what_it_installs_from() -> None:
    def inputs(text: str) -> list[tuple[str, bool, bool]]:
        return [(str(item.path), item.project, item.locked) for command in install_commands(text)
                for item in command.inputs]

    assert inputs("pip install -qr a.txt -c b.txt --requirement=c.txt") == [
        ("a.txt", False, False), ("b.txt", False, False), ("c.txt", False, False)]
    assert inputs("pip install -e . ./lib 'x[dev]' git+https://x/y.git") == [(".", True, False), ("./lib", True, False)]
    assert inputs("pip-sync") == [("requirements.txt", False, False)]
    assert inputs("uv --directory a sync --project b") == [("a/b", True, True)]
    assert inputs("poetry install") == inputs("pdm sync") == [(".", True, True)]
    assert inputs("uv run --no-sync pytest") == []
    assert inputs("pip install requests") == []


@pytest.mark.parametrize("shape", SHAPES)
def test_a_large_requirements_file_is_linear_and_answers_in_time(
    project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """1x against 8x lines of a committed requirements file with one line added on disk: reading both
    versions grows linearly, and the answer comes within a second."""
    def seconds(lines: int) -> float:
        names = "".join(f"rich-pkg{index}==1.{index}  # pinned\n" for index in range(lines))
        project.commit({"requirements.txt": names}, f"{lines}")
        project.write("requirements.txt", names + f"{INVENTED}\n")
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            result = answer(SHAPES[shape]("pip install -r requirements.txt", project.root), monkeypatch, capsys)[0]
            best = min(best, time.perf_counter() - start)
            assert result == "deny"
        return best

    small, large = seconds(600), seconds(4800)
    assert large < 1.0
    assert large < 8 * 3 * max(small, 0.01), (small, large)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("writer", [
    f"sed -i s/rich/{INVENTED}/ requirements.txt", f"perl -pi -e s/rich/{INVENTED}/ requirements.txt",
    "curl -sSLo requirements.txt https://example.invalid/r.txt", "curl -o requirements.txt https://example.invalid/r",
    "wget -O requirements.txt https://example.invalid/r", "git checkout other -- requirements.txt",
    "cp /tmp/elsewhere.txt requirements.txt", "dd if=/tmp/x of=requirements.txt",
])  # fmt: skip
def test_a_file_rewritten_earlier_in_the_command_is_asked_about(
    project: Repo, shape: str, writer: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack E33: the committed file on disk is not what the install reads once the command has rewritten it."""
    assert answer(SHAPES[shape]("pip install -r requirements.txt", project.root), monkeypatch, capsys)[0] == "run"
    command = f"{writer} && pip install -r requirements.txt"
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "ask", command
    reading = "sed -n p requirements.txt && pip install -r requirements.txt"  # reads, writes nothing
    assert answer(SHAPES[shape](reading, project.root), monkeypatch, capsys)[0] == "run"
