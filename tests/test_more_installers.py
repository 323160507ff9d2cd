"""Installers and pip entry points that were not recognised (ATTACK3 C2): ``python -m pip.__main__``, jaraco's
``pip-run``, OpenMMLab's ``mim install``, ``fades -d``, ``pixi exec NAME``; and ``python -c`` code whose command
words are computed: a concatenation of literals is read (``'p'+'ip'``), anything else is undetermined (HC042,
asked), never allowed. Through the agent hook's payload shapes on a real git repository and staged mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hallucheck.sources.install_commands import install_commands
from tests.conftest import Repo
from tests.test_install_check_disk import answer
from tests.test_install_check_git import BASE, INVENTED, SHAPES

INSTALLS = {
    "python3 -m pip.__main__ install {name}": "pip install",
    "python -m pip._internal.cli.main install -U {name}": "pip install",
    "python -Im pip.__main__ install {name}": "pip install",
    "pip-run {name} -- -c pass": "pip-run",
    "pip-run -q {name} rich script.py": "pip-run",
    "mim install {name}": "mim install",
    "mim install --no-cache-dir {name}==1.0": "mim install",
    "fades -d {name}": "fades",
    "fades --dependency=pypi::{name} script.py": "fades",
    "fades -d rich -d {name} -x python": "fades",
    "pixi exec {name}": "pixi exec",
    "pixi exec -c conda-forge -- {name} --help": "pixi exec",
    "python -c \"__import__('subprocess').run(['p'+'ip','install','{name}'])\"": "pip install",
    "python -c \"import subprocess; subprocess.run(['u'+'vx', '{name}'])\"": "uvx",
}
"""Each shape and the tool it is read as."""

COMPUTED = (
    "python -c \"import subprocess; subprocess.run([''.join(['p','ip']), 'install', name])\"",
    "python3 -c \"__import__('os').system(' '.join(['pip', 'install', name]))\"",
    "python -c \"import subprocess as s; s.check_call(['pip', 'install', *names])\"",
)
"""Code whose command's words are computed: what it installs is known only when it runs."""


@pytest.mark.parametrize("shape", INSTALLS)
def test_each_installer_names_its_package(shape: str) -> None:
    found = [(command.tool, argument.name) for command in install_commands(shape.format(name=INVENTED))
             for argument in command.arguments]
    assert (INSTALLS[shape], INVENTED) in found


@pytest.mark.parametrize("shape", COMPUTED)
def test_computed_words_are_undetermined(shape: str) -> None:
    arguments = [argument for command in install_commands(shape) for argument in command.arguments]
    assert any(not argument.determined for argument in arguments)


def test_what_they_run_without_installing_is_read_as_nothing() -> None:
    for text in ("mim download mmdet --config x --dest .", "mim train mmdet cfg.py", "fades script.py",
                 "pixi exec --spec python python -V", "pixi run pytest", "python -m mymod.__main__ install x",
                 "pip-run -- -c pass"):
        assert [argument.name for command in install_commands(text) for argument in command.arguments
                if argument.ecosystem == "pypi" and not argument.name.startswith("python")] == [], text


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    repo.commit({"pyproject.toml": BASE, "pkg/__init__.py": ""}, "init")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo


@pytest.mark.parametrize("shape", SHAPES)
def test_the_agent_hook_denies_or_asks(project: Repo, shape: str, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    for command in INSTALLS:
        result, said = answer(SHAPES[shape](command.format(name=INVENTED), project.root), monkeypatch, capsys)
        assert result == "deny" and "HC031" in said, (command, said)
    for command in COMPUTED:
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "ask", command
    for command in ("mim install rich", "pip-run rich -- -c pass", "fades -d rich script.py",
                    "python3 -m pip.__main__ install rich"):
        assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys)[0] == "run", command


def test_a_committed_script_is_checked(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": BASE})
    repo.stage({"setup.sh": "".join(shape.format(name=INVENTED) + "\n" for shape in INSTALLS)})
    outcome = run()
    assert outcome.code == 1 and set(outcome.codes()) == {"HC031"}, outcome.out
    assert len(outcome.codes()) == len(INSTALLS)
