"""Install commands cost what their text costs: every input family is linear (1x against 8x), and the agent
hook answers within a second for any command an agent can send, asking when it cannot finish in time."""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hallucheck.commands.install_check import main as install_check
from hallucheck.sources.install_commands import install_commands
from hallucheck.sources.install_files import installed_names
from tests.conftest import cpu_seconds


def _names(count: int) -> str:
    return " ".join(f"pkg{index}-zz" for index in range(count))


FAMILIES: dict[str, Callable[[int], Callable[[], object]]] = {
    "command names": lambda n: lambda: install_commands("pip install " + _names(n)),
    "commands in a list": lambda n: lambda: install_commands("; ".join(f"pip install a{i}" for i in range(n))),
    "quoted names": lambda n: lambda: install_commands("pip install " + '"a"' * n),
    "braces": lambda n: lambda: install_commands("pip install " + "x{a,b} " * n),
    "nested bash -c": lambda n: lambda: install_commands(
        "; ".join(f"bash -c 'sudo pip install b{i}'" for i in range(n))),
    "Dockerfile arguments": lambda n: lambda: installed_names(
        "Dockerfile", "FROM python\nRUN pip install \\\n" + "".join(f"    p{i} \\\n" for i in range(n)) + "    last\n"),
    "Dockerfile instructions": lambda n: lambda: installed_names(
        "Dockerfile", "FROM python\n" + "".join(f"RUN pip install p{i}\n" for i in range(n))),
    "workflow run block": lambda n: lambda: installed_names(
        "ci.yml", "jobs:\n  t:\n    steps:\n      - run: |\n" + "".join(f"          pip install p{i}\n"
                                                                  for i in range(n))),
    "Makefile recipes": lambda n: lambda: installed_names(
        "Makefile", "X = y\nall:\n" + "".join(f"\tpip install p{i}\n" for i in range(n))),
    "Makefile defines and custom prefixes": lambda n: lambda: installed_names(
        "Makefile", ".RECIPEPREFIX = >\n" + "".join(
            f"define D{i}\n\t-pip install p{i}\nendef\nx{i}:\n> -pip install q{i}\n" for i in range(n))),
    "Makefile variable chains": lambda n: lambda: installed_names(
        "Makefile", "A0 = pip install x\n" + "".join(f"A{i} = $(A{i - 1}) $(A{i // 2})\n" for i in range(1, n))
        + "all:\n" + "".join(f"\t$(A{i})\n" for i in range(0, n, 7))),
    "Dockerfile here-document files": lambda n: lambda: installed_names(
        "Dockerfile", "FROM python\n" + "".join(f"COPY <<EOF /r{i}.txt\np{i}\nEOF\nRUN pip install -r /r{i}.txt\n"
                                                for i in range(n))),
    "Makefile shell calls on one line": lambda n: lambda: installed_names(
        "Makefile", "X := " + "".join(f"$(shell pip install p{i} $(shell " for i in range(n)) + "\n"),
    "Makefile unclosed shell calls": lambda n: lambda: installed_names(
        "Makefile", "X := " + "$(shell pip install a " * n + "\nY != " + "$(shell " * n + "\n"),
    "workflow aliases": lambda n: lambda: installed_names(
        "ci.yml", 'x: &a "pip install p"\nsteps:\n' + "".join(f"  - run: *a\n  - run: pip install q{i}\n"
                                                               for i in range(n))),
    "workflow matrix values": lambda n: lambda: installed_names(
        "ci.yml", "jobs:\n  t:\n    strategy:\n      matrix:\n        p: [" + ", ".join(f"p{i}" for i in range(n))
        + "]\n    steps:\n      - run: |\n" + "".join(f"          pip install ${{{{ matrix.p }}}} {i}\n"
                                                    for i in range(n))),
    "workflow expressions in one command": lambda n: lambda: installed_names(
        "ci.yml", "jobs:\n  t:\n    steps:\n      - run: pip install " + " ".join(
            f"${{{{ inputs.p{i} }}}}" for i in range(n)) + "\n"),
    "devcontainer commands and comments": lambda n: lambda: installed_names(
        "devcontainer.json", "{\n" + "".join(f'  // c{i}\n  /* x, */ "postStartCommand{i}": "pip install p{i}",\n'
                                            for i in range(n)) + '  "postCreateCommand": "pip install q",\n}\n'),
    "Procfile processes": lambda n: lambda: installed_names(
        "Procfile", "".join(f"p{i}: pip install p{i}\n" for i in range(n))),
    "pyproject tasks": lambda n: lambda: installed_names(
        "pyproject.toml", "[tool.poe.tasks]\n" + "".join(f'p{i} = "pip install p{i}"\n' for i in range(n))
        + "[tool.hatch.envs.default.scripts]\n" + "".join(f'h{i} = ["pip install h{i}"]\n' for i in range(n))),
    "Jenkinsfile steps": lambda n: lambda: installed_names(
        "Jenkinsfile", "node {\n" + "".join(f"  sh 'pip install p{i}'\n  sh \"\"\"\npip install q{i}\n\"\"\"\n"
                                            for i in range(n)) + "  sh 'unclosed\n}\n"),
    "agent hooks": lambda n: lambda: installed_names(
        ".claude/settings.json", '{"hooks": {"Stop": [{"hooks": [' + ",\n".join(
            f'{{"type": "command", "command": "pip install p{i}"}}' for i in range(n)) + "]}]}}\n"),
    "VS Code task arguments": lambda n: lambda: installed_names(
        ".vscode/tasks.json", '{"tasks": [' + ",\n".join(
            f'{{"command": "pip", "args": ["install", "p{i}", "q{i}"]}}' for i in range(n)) + "]}\n"),
    "VS Code task arguments written with other escapes": lambda n: lambda: installed_names(
        ".vscode/tasks.json", '{"tasks": [' + ",\n".join(
            f'{{"command": "pip", "args": ["install", "\\u0070{i}"]}}' for i in range(n)) + "]}\n"),
    "cibuildwheel overrides": lambda n: lambda: installed_names(
        "pyproject.toml", "[tool.cibuildwheel]\ntest-requires = [" + ", ".join(f'"t{i}"' for i in range(n)) + "]\n"
        + "".join(f'[[tool.cibuildwheel.overrides]]\nselect = "cp3{i}"\nbefore-all = "pip install p{i}"\n'
                  for i in range(n))),
    "Markdown HTML code": lambda n: lambda: installed_names(
        "README.md", "".join(f"<pre>pip install p{i}</pre>\nRun <code>pip install q{i}\n</code>\n<code>\n\n"
                             for i in range(n))),
    "Markdown fences": lambda n: lambda: installed_names(
        "README.md", "".join(f"```\npip install p{i}\n```\n" for i in range(n))),
    "shell script heredocs": lambda n: lambda: installed_names(
        "a.sh", "".join(f"bash <<EOF\npip install p{i}\nEOF\n" for i in range(n))),
    "added lines of a long file": lambda n: lambda: installed_names(
        "a.sh", "".join(f"pip install p{i}\n" for i in range(n)), set(range(1, n + 1, 2))),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_input_family_is_linear(family: str) -> None:
    small, large = FAMILIES[family](150), FAMILIES[family](1200)
    small_time, large_time = cpu_seconds(small), cpu_seconds(large)
    assert large_time < 8 * 3 * max(small_time, 0.002), (family, small_time, large_time)


@pytest.mark.parametrize(
    "command",
    [
        "pip install " + _names(9000),
        "pip install " + " ".join(f"p{index}x" for index in range(120_000)),  # ~1 MB
        "; ".join(f"pip install x{index}" for index in range(40_000)),
        "pip install " + "{a,b}" * 200_000,
        'pip install "' + "x " * 500_000,
        "pip install " + '"a"' * 300_000,
        "pip install " + "a" * 100_000,
        "pip install " + " ".join(f"{'ab' * 50}{index}" for index in range(3000)),
    ],
    ids=["9000 names", "1 MB of names", "40k commands", "1 MB of braces", "unclosed quote", "quotes",
         "one 100k-character name", "3000 100-character names"],
)
def test_the_agent_hook_answers_within_a_second_and_asks_when_it_cannot_tell(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = json.dumps({"tool_input": {"command": command}, "cwd": str(tmp_path)})
    start = time.process_time()
    code = install_check([], io.StringIO(payload))
    elapsed = time.process_time() - start
    out = capsys.readouterr().out
    assert code == 2 or '"ask"' in out  # never allowed unchecked
    assert elapsed < _MARGIN * 1.0


_MARGIN = 5
"""The hook's budget is one second of wall time; what is proven here is that its deadline holds: without it these
inputs take 20 s of CPU and more. The bound is this process's CPU time, five times the budget: in the full suite
(a large heap) `1 MB of braces` took 2.6 s of CPU where it takes 0.5 s alone, and tree-sitter's parse of a 1 MB
command (0.4 s) cannot be interrupted. The one-second answer itself is a speed target, not a unit test."""


def _hook(command: str, cwd: Path) -> tuple[int, str, float]:
    payload = json.dumps({"tool_name": "Bash", "tool_input": {"command": command}, "cwd": str(cwd)})
    out = io.StringIO()
    start = time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = install_check([], io.StringIO(payload))
    return code, out.getvalue(), time.process_time() - start


@pytest.mark.parametrize("length", [500, 2000, 20_000])
def test_a_long_name_does_not_hold_the_hook_past_a_name_it_must_deny(length: int, tmp_path: Path) -> None:
    # Attack C3: `pip install <'ab'*250>; pip install huggingface-cli` took 27 s and only asked (the deny for
    # the documented hallucination was never reached); a 1,000-character name took over a minute.
    long_name = "ab" * (length // 2)
    code, out, elapsed = _hook(f"pip install {long_name}; pip install huggingface-cli", tmp_path)
    assert code == 2 and "HC031" in out, out[:300]
    assert elapsed < _MARGIN * 1.0


def test_one_long_name_costs_the_hook_linear_time(tmp_path: Path) -> None:
    def check(length: int) -> Callable[[], object]:
        return lambda: _hook("pip install " + "qwerty" * (length // 6) + "-x", tmp_path)

    small, large = cpu_seconds(check(300)), cpu_seconds(check(2400))
    assert large < 8 * 3 * max(small, 0.002), (small, large)


def test_the_deadline_holds_inside_one_names_evidence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A name whose evidence would run past the hook's budget is asked about as unchecked, not waited for.
    from hallucheck.evidence import dependencies
    from hallucheck.sources.shell import check_time

    def slow(*args: object, **kwargs: object) -> object:
        while True:
            check_time()

    monkeypatch.setattr(dependencies, "dependency_finding", slow)
    code, out, elapsed = _hook("pip install made-up-name-zz", tmp_path)
    assert code == 0 and '"ask"' in out and "could check in time" in out, out[:300]
    assert elapsed < 1.0
