"""Programs run through libraries that make them Python callables (attack F12): ``sh`` (``sh.pip.install(x)``,
``from sh import pip``, ``sh.Command("pip")``, ``.bake``) and ``plumbum`` (``local["pip"]["install", x]()``,
``plumbum.cmd``, ``.run(...)``, ``& FG``): their installs are read as ``subprocess.run``'s are."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from hallucheck.sources.python_installs import python_installs
from tests.conftest import Repo

FAKE = "fakepkg-zz"
INSTALLS = (("pip", "install"), ("pip3", "install", "-U"), ("uv", "pip", "install"), ("python", "-m", "pip", "install"))
FORMS = (
    "import sh\nsh.{attributes}({arguments})\n",
    "import sh as shell\nshell.{program}({words}, {arguments})\n",
    "from sh import {program}\n{program}({words}, {arguments})\n",
    "import sh\nsh.Command({program!r})({words}, {arguments})\n",
    "import sh\nsh.{program}.bake({words})({arguments})\n",
    "from plumbum import local\nlocal[{program!r}][{words}, {arguments}]()\n",
    "from plumbum import local, FG\nlocal[{program!r}][{words}, {arguments}] & FG\n",
    "from plumbum import local\nlocal[{program!r}].run(({words}, {arguments}))\n",
    "from plumbum.cmd import {program}\n{program}[{words}]({arguments})\n",
    "import plumbum\nplumbum.local.cmd.{program}({words}, {arguments})\n",
    "from plumbum import local\ndef go():\n    cmd = local[{program!r}][{words}]\n    cmd({arguments})\n",
)


def _shapes() -> list[str]:
    shapes = []
    for form, install in itertools.product(FORMS, INSTALLS):
        program, *verbs = install
        if "{attributes}" in form and not all(verb.isidentifier() for verb in verbs):
            continue
        shapes.append(form.format(program=program, attributes=".".join(install), arguments=repr(FAKE),
                                  words=", ".join(map(repr, verbs))))
    return shapes


def test_every_library_shape_installs_the_name() -> None:
    shapes = _shapes()
    assert len(shapes) > 35
    missed = [code for code in shapes if not any(found.argument.name == FAKE for found in python_installs(code))]
    assert missed == []


@pytest.mark.parametrize("code", [
    "import sh\nsh.git('clone', 'https://x/y')\nsh.ls('-l')\n",
    "from plumbum import local, FG\nlocal['git']['status'] & FG\nlocal['make']('install')\n",
    "import sh\nprint(sh.which('pip'))\n",
])  # fmt: skip
def test_other_programs_install_nothing(code: str) -> None:
    assert python_installs(code) == []


def test_a_library_install_in_a_commit_is_checked(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": '[project]\nname = "app"\nversion = "0"\ndependencies = ["sh", "plumbum"]\n'})
    repo.stage({"tools/setup_env.py": "import sh\nfrom plumbum import local, FG\n\nsh.pip.install('huggingface-cli')\n"
                                      "local['pip']['install', 'fakepkg-zz'] & FG\n"})
    findings = run().json()["findings"]
    assert [(item["code"], item["line"]) for item in findings] == [("HC031", 4), ("HC040", 5)]
