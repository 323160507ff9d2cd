"""Ways to commit a made-up import with exit 0 (issue 16, "Escapes found"), each closed, each on a real repository.

Every test stages ``import fakepkg_zz`` (or an equivalent) in one shape an agent that wants its commit
through could try, and expects a finding that names the import and blocks — or, for a dynamic import whose
argument is not a literal, a warning that names the call.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from hallucheck.cli import main
from tests.conftest import Outcome, Repo

FAKE = "fakepkg_zz"
BAD = f"import {FAKE}\n"
PYPROJECT = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["requests"]\n'


def findings(outcome: Outcome) -> list[tuple[str, str, int, str | None]]:
    return [
        (item["code"], item["path"], item["line"], item["module"] or item["distribution"])
        for item in outcome.json()["findings"]
    ]


def blocking(outcome: Outcome) -> list[tuple[str, str, int, str | None]]:
    return [
        (item["code"], item["path"], item["line"], item["module"] or item["distribution"])
        for item in outcome.json()["findings"]
        if item["severity"] in ("error", "review")
    ]


def names_fake(outcome: Outcome) -> bool:
    """The import of the made-up package is named in a blocking finding."""
    return outcome.code == 1 and any(FAKE in (module or "") for *_, module in blocking(outcome))


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "app.py": "import requests\n"})
    return repo


# --- a staged file named like an option -----------------------------------------------------------

OPTION_NAMES = [
    "--ignore=*",
    "--severity=HC001=off",
    f"--first-party={FAKE}",
    f"--mapping={FAKE}=requests",
    "--version",
    "--help",
    "--from-ref=HEAD",
    "--show-config",
]


def hook(repo: Repo, capsys: pytest.CaptureFixture[str], hook_args: Sequence[str], files: Sequence[str]) -> Outcome:
    """hallucheck as the published hook runs it: entry and args, then the file names pre-commit passes."""
    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(repo.root)
    try:
        code = main(["--hook", "--format", "json", *hook_args, "--", *files])
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


@pytest.mark.parametrize("name", OPTION_NAMES)
def test_a_file_named_like_an_option_is_a_file_name(
    project: Repo, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    project.stage({name: f"#!/usr/bin/env python3\n{BAD}", "tool.py": BAD})
    (project.root / name).chmod(0o755)
    project.git("add", "-A")
    outcome = hook(project, capsys, [], [name, "tool.py"])
    assert sorted(blocking(outcome)) == sorted([("HC001", name, 2, FAKE), ("HC001", "tool.py", 1, FAKE)])


def test_hook_arguments_without_the_terminator_are_a_usage_error(
    project: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    # `args: [--online]` in .pre-commit-config.yaml replaces the hook's `args: [--]`: pre-commit then
    # appends file names right after the option, and hallucheck cannot tell them apart.
    project.stage({"tool.py": BAD})
    capsys.readouterr()
    previous = Path.cwd()
    os.chdir(project.root)
    try:
        code = main(["--hook", "--ignore=*", "tool.py"])
    finally:
        os.chdir(previous)
    assert code == 2
    assert "--" in capsys.readouterr().err


def test_the_command_line_never_asks_the_disk_what_an_argument_is(project: Repo, run: Any) -> None:
    project.stage({"--ignore=*": BAD, "HEAD..HEAD": BAD})
    assert blocking(run()) == []  # neither is a Python file by name
    # A direct run reads `--ignore=*` as the option it spells, whether or not such a file exists;
    # file names that look like options or ranges go after `--`, and are then checked whatever they are named.
    outcome = run("--format", "json", "--ignore=x", "--", "--ignore=*", "HEAD..HEAD", json_output=False)
    assert sorted(blocking(outcome)) == [("HC001", "--ignore=*", 1, FAKE), ("HC001", "HEAD..HEAD", 1, FAKE)]


# --- a package only in a lock file ------------------------------------------------------------------

LOCKS = {
    "uv.lock": 'version = 1\n\n[[package]]\nname = "requests"\nversion = "2.32.0"\n\n'
    '[[package]]\nname = "{new}"\nversion = "1.0"\n',
    "poetry.lock": '[[package]]\nname = "requests"\nversion = "2.32.0"\n\n'
    '[[package]]\nname = "{new}"\nversion = "1.0"\n',
    "pylock.toml": 'lock-version = "1.0"\n\n[[packages]]\nname = "requests"\nversion = "2.32.0"\n\n'
    '[[packages]]\nname = "{new}"\nversion = "1.0"\n',
    "Pipfile.lock": '{{"default": {{"requests": {{"version": "==2.32.0"}}, "{new}": {{"version": "==1.0"}}}}}}\n',
}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_a_package_new_in_a_lock_file_needs_review(project: Repo, run: Any, lock: str) -> None:
    project.commit({lock: LOCKS[lock].format(new="urllib3")})
    project.stage({lock: LOCKS[lock].format(new="fakepkg-zz"), "tool.py": BAD})
    outcome = run()
    assert ("HC003", "tool.py", 1, FAKE) in blocking(outcome)
    # The same approve flow as a declared dependency clears it.
    previous = Path.cwd()
    os.chdir(project.root)
    try:
        assert main(["approve", "fakepkg-zz"]) == 0
    finally:
        os.chdir(previous)
    project.git("add", "-A")
    assert blocking(run()) == []


def test_a_package_locked_before_the_change_stays_transitive(project: Repo, run: Any) -> None:
    project.commit({"uv.lock": LOCKS["uv.lock"].format(new="urllib3")})
    project.stage({"tool.py": "import urllib3\n"})
    assert findings(run()) == [("HC006", "tool.py", 1, "urllib3")]


# --- what a manifest includes is a manifest --------------------------------------------------------


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "-r deps.cfg\n"},
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1"\ndynamic = ["dependencies"]\n\n'
            '[tool.setuptools.dynamic]\ndependencies = {file = ["deps.cfg"]}\n'
        },
        {"setup.cfg": "[metadata]\nname = demo\n\n[options]\ninstall_requires = file: deps.cfg\n"},
    ],
    ids=["requirements-include", "setuptools-dynamic", "setup-cfg-file"],
)
def test_a_change_to_an_included_file_is_a_manifest_change(repo: Repo, run: Any, files: dict[str, str]) -> None:
    repo.commit({**files, "deps.cfg": "requests\n", "app.py": "import requests\n"})
    repo.stage({"deps.cfg": "requests\nfakepkg-zz\n", "tool.py": BAD})
    outcome = run()
    assert ("HC003", "tool.py", 1, FAKE) in blocking(outcome)
    assert ("HC004", "deps.cfg", 2, "fakepkg-zz") in blocking(outcome)


def test_an_included_file_changed_alone_is_reviewed(repo: Repo, run: Any) -> None:
    repo.commit({"requirements.txt": "-r deps.cfg\n", "deps.cfg": "requests\n"})
    repo.stage({"deps.cfg": "requests\nfakepkg-zz\n"})
    assert blocking(run()) == [("HC004", "deps.cfg", 2, "fakepkg-zz")]


def test_an_include_from_a_sibling_directory(repo: Repo, run: Any) -> None:
    repo.commit(
        {
            "app/requirements.txt": "-r ../shared/deps.cfg\n",
            "shared/deps.cfg": "requests\n",
            "app/main.py": "import requests\n",
        }
    )
    repo.stage({"shared/deps.cfg": "requests\nfakepkg-zz\n", "app/tool.py": BAD})
    outcome = run()
    assert ("HC003", "app/tool.py", 1, FAKE) in blocking(outcome)
    assert ("HC004", "shared/deps.cfg", 2, "fakepkg-zz") in blocking(outcome)


# --- edits that change what an unchanged line means ------------------------------------------------


def test_edited_continuation_line_of_an_existing_import(project: Repo, run: Any) -> None:
    project.commit({"tool.py": "import os, \\\n    json\nVALUE = 1\n"})
    project.stage({"tool.py": f"import os, \\\n    {FAKE}; VALUE = 1\n"})
    assert blocking(run()) == [("HC001", "tool.py", 2, FAKE)]


def test_continuation_added_before_an_unchanged_name(project: Repo, run: Any) -> None:
    project.commit({"tool.py": f"import os\n{FAKE} = None\n"})
    project.stage({"tool.py": f"import os, \\\n{FAKE} = None\n".replace(" = None", "")})
    assert names_fake(run())


def test_string_delimiters_toggled_with_an_even_count(project: Repo, run: Any) -> None:
    project.commit({"tool.py": f'DOC = """\n{BAD}"""\n'})
    # Two triple quotes removed, two comments added: the middle line is code now.
    project.stage({"tool.py": f'# DOC = """\n{BAD}# """\n'})
    assert blocking(run()) == [("HC001", "tool.py", 2, FAKE)]


def test_string_closed_earlier_by_a_change_elsewhere(project: Repo, run: Any) -> None:
    project.commit({"tool.py": f'DOC = """one\n{BAD}"""\n'})
    project.stage({"tool.py": f'DOC = """one"""\n{BAD}END = ""\n'})
    assert blocking(run()) == [("HC001", "tool.py", 2, FAKE)]


def test_single_quoted_string_continued_by_a_backslash(project: Repo, run: Any) -> None:
    project.commit({"tool.py": f"X = 'a \\\nimport {FAKE}  #'\n"})
    project.stage({"tool.py": f"X = 'a'\nimport {FAKE}  #'\n"})
    assert blocking(run()) == [("HC001", "tool.py", 2, FAKE)]


# --- encodings Python accepts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cookie", "body"),
    [
        ("utf-7", b"+AGk-mport fakepkg_zz\n"),
        ("unicode_escape", b"x = 1\\nimport fakepkg_zz\n"),
        ("raw_unicode_escape", b"\\u0069mport fakepkg_zz\n"),
        ("latin-1", b"import fakepkg_zz  # caf\xe9\n"),
        ("cp1252", b"import fakepkg_zz  # \x93quoted\x94\n"),
        ("utf_8", b"import fakepkg_zz\n"),
        ("utf-8-unix", b"import fakepkg_zz\n"),
    ],
)
def test_an_import_in_an_encoding_python_accepts(project: Repo, run: Any, cookie: str, body: bytes) -> None:
    content = f"# -*- coding: {cookie} -*-\n".encode() + body
    project.stage({"tool.py": content})
    assert names_fake(run())


def test_a_coding_cookie_on_the_second_line(project: Repo, run: Any) -> None:
    project.stage({"tool.py": b"#!/usr/bin/env python\n# vim: set fileencoding=utf-7 :\n+AGk-mport fakepkg_zz\n"})
    assert names_fake(run())


def test_a_changed_cookie_changes_every_line(project: Repo, run: Any) -> None:
    # In UTF-8 line 2 is a comment; in UTF-7 `+AAo-` is a newline, and `import` starts a line of its own.
    project.commit({"tool.py": b"# coding: utf-8\n# note +AAo-import fakepkg_zz\n"})
    project.stage({"tool.py": b"# coding: utf-7\n# note +AAo-import fakepkg_zz\n"})
    assert names_fake(run())


# --- files Python runs that are not .py -------------------------------------------------------------


def test_a_python_symlink_to_a_text_file(project: Repo, run: Any) -> None:
    project.commit({"notes.txt": "hello\n"})
    project.write("notes.txt", BAD)
    (project.root / "tool.py").symlink_to("notes.txt")
    project.git("add", "-A")
    assert names_fake(run())


def test_an_extensionless_script_with_a_python_shebang(project: Repo, run: Any) -> None:
    project.stage({"bin/tool": f"#!/usr/bin/env python3\n{BAD}"})
    (project.root / "bin/tool").chmod(0o755)
    project.git("add", "-A")
    assert blocking(run()) == [("HC001", "bin/tool", 2, FAKE)]
    project.commit(message="tool")
    assert blocking(run("HEAD~1..HEAD")) == [("HC001", "bin/tool", 2, FAKE)]
    assert blocking(run("--all-files")) == [("HC001", "bin/tool", 2, FAKE)]


def test_a_pyw_file(project: Repo, run: Any) -> None:
    project.stage({"gui.pyw": BAD})
    assert blocking(run()) == [("HC001", "gui.pyw", 1, FAKE)]


def test_more_than_two_hundred_files_keep_the_scripts(project: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    many = {f"pkg/m{index}.py": "import os\n" for index in range(210)}
    project.stage({**many, "pkg/__init__.py": "", "bin/tool": f"#!/usr/bin/env python3\n{BAD}"})
    (project.root / "bin/tool").chmod(0o755)
    project.git("add", "-A")
    outcome = hook(project, capsys, [], sorted([*many, "pkg/__init__.py", "bin/tool"]))
    assert blocking(outcome) == [("HC001", "bin/tool", 2, FAKE)]


def test_the_hook_classifies_the_files_it_is_given(project: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    # pre-commit passes symlinks and text files too: hallucheck decides what is Python.
    project.stage({"README.md": "import fakepkg_zz is prose here\n", "run": f"#!/usr/bin/python3\n{BAD}"})
    outcome = hook(project, capsys, [], ["README.md", "run"])
    assert blocking(outcome) == [("HC001", "run", 2, FAKE)]


# --- first-party claims without an importable module -----------------------------------------------


@pytest.mark.parametrize(
    "pyproject",
    [
        f'[project]\nname = "demo"\nversion = "1"\n\n[tool.setuptools]\npy-modules = ["{FAKE}"]\n',
        f'[tool.poetry]\nname = "demo"\nversion = "1"\npackages = [{{include = "{FAKE}"}}]\n',
        f'[project]\nname = "demo"\nversion = "1"\n\n[tool.flit.module]\nname = "{FAKE}"\n',
        f'[project]\nname = "demo"\nversion = "1"\n\n[tool.hatch.build.targets.wheel]\npackages = ["src/{FAKE}"]\n',
    ],
    ids=["setuptools-py-modules", "poetry-packages", "flit-module", "hatch-packages"],
)
def test_a_build_setting_naming_a_missing_module(repo: Repo, run: Any, pyproject: str) -> None:
    repo.commit({"pyproject.toml": pyproject})
    repo.stage({"tool.py": BAD})
    assert names_fake(run())


def test_a_lone_stub_is_not_importable(project: Repo, run: Any) -> None:
    project.stage({f"{FAKE}.pyi": "def f() -> int: ...\n", "tool.py": BAD})
    assert names_fake(run())


@pytest.mark.parametrize("target", ["missing.py", "/usr/lib/python3/dist-packages/six.py", "../outside"])
def test_a_dangling_symlink_is_not_importable(project: Repo, run: Any, target: str) -> None:
    (project.root / f"{FAKE}.py").symlink_to(target)
    project.stage({"tool.py": BAD})
    assert names_fake(run())


def test_a_symlink_to_a_committed_module_is_first_party(project: Repo, run: Any) -> None:
    project.commit({"lib/real.py": "X = 1\n"})
    (project.root / f"{FAKE}.py").symlink_to("lib/real.py")
    project.stage({"tool.py": BAD})
    assert blocking(run()) == []


# --- dynamic imports spelled another way -------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        f"import importlib as il\nmod = il.import_module('{FAKE}')\n",
        f"from importlib import import_module as load\nmod = load('{FAKE}')\n",
        f"exec('import {FAKE}')\n",
        f"exec(compile('import {FAKE}', 'x', 'exec'))\n",
        f"mod = eval(\"__import__('{FAKE}')\")\n",
        "mod = __import__('fakepkg' + '_zz')\n",
        "mod = __import__('fakepkg' '_zz')\n",
        f"import runpy\nrunpy.run_module('{FAKE}')\n",
        f"import importlib\nmod = importlib.__import__('{FAKE}')\n",
        f"import builtins\nmod = builtins.__import__('{FAKE}')\n",
        f"from runpy import run_module\nrun_module('{FAKE}', run_name='__main__')\n",
    ],
)
def test_a_dynamic_import_with_a_literal_is_checked(project: Repo, run: Any, code: str) -> None:
    project.stage({"tool.py": code})
    assert names_fake(run())


def test_an_alias_bound_in_an_unchanged_line(project: Repo, run: Any) -> None:
    project.commit({"tool.py": "from importlib import import_module as load\n"})
    project.stage({"tool.py": f"from importlib import import_module as load\nmod = load('{FAKE}')\n"})
    assert names_fake(run())


@pytest.mark.parametrize(
    "code",
    [
        "import importlib\nname = 'x'\nmod = importlib.import_module(name)\n",
        "mod = __import__(bytes.fromhex('6f73').decode())\n",
        "exec(bytes.fromhex('696d706f7274206f73').decode())\n",
    ],
)
def test_a_dynamic_import_of_a_computed_name_is_a_warning(project: Repo, run: Any, code: str) -> None:
    project.stage({"tool.py": code})
    outcome = run()
    assert outcome.code == 0
    assert [item["code"] for item in outcome.json()["findings"]] == ["HC025"]


@pytest.mark.parametrize(
    "code",
    [
        "code = compile(source, path, 'exec')\n",  # flask's config loader: compiles, runs nothing yet
        "import builtins\ncode = builtins.compile(text, '<x>', 'eval')\n",
        "import importlib.util\nspec = importlib.util.find_spec(name)\n",  # a look-up, not an import
        "from importlib.util import find_spec\nfound = [find_spec(n) for n in names]\n",
        "from importlib.util import find_spec\nfound = list(map(find_spec, names))\n",
    ],
    ids=["compile", "builtins-compile", "find-spec", "find-spec-alias", "find-spec-map"],
)
def test_a_call_that_imports_nothing_is_no_dynamic_import(project: Repo, run: Any, code: str) -> None:
    project.stage({"tool.py": code})
    outcome = run()
    assert outcome.code == 0
    assert [item["code"] for item in outcome.json()["findings"]] == []


def test_the_computed_dynamic_import_warning_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "HC025"]) == 0
    assert "import_module" in capsys.readouterr().out


# --- relative imports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [f"from . import {FAKE}\n", f"from .{FAKE} import thing\n", f"from ..{FAKE} import thing\n", "from ... import x\n"],
)
def test_a_relative_import_of_nothing(project: Repo, run: Any, statement: str) -> None:
    project.commit({"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/real.py": ""})
    project.stage({"pkg/sub/tool.py": statement})
    outcome = run()
    assert outcome.code == 1
    assert [item["code"] for item in outcome.json()["findings"]] == ["HC009"]


@pytest.mark.parametrize(
    "statement",
    [
        "from . import real\n",
        "from .real import thing\n",
        "from . import NAME\n",
        "from .. import sub\n",
        "from ..sub import real\n",
        "from . import *\n",
        "from .data import x\n",
        "from ._speedups import fast\n",  # compiled from _speedups.c
        "from ._version import version\n",  # written by the build, listed in .gitignore
        "from . import _native\n",  # named in Cargo.toml
    ],
)
def test_a_relative_import_of_something_real(project: Repo, run: Any, statement: str) -> None:
    project.commit({
        "pkg/__init__.py": "", "pkg/sub/__init__.py": "NAME = 1\n", "pkg/sub/real.py": "",
        "pkg/sub/data/x.py": "", "pkg/sub/_speedups.c": "", ".gitignore": "pkg/sub/_version.py\n",
        "Cargo.toml": '[lib]\nname = "_native"\n',
    })  # fmt: skip
    project.stage({"pkg/sub/tool.py": statement})
    assert blocking(run()) == []


# --- found by playing the attacker further ---------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        f"import importlib\nmod = getattr(importlib, 'import_module')('{FAKE}')\n",
        f"import builtins\nmod = vars(builtins)['__import__']('{FAKE}')\n",
        f"import pkgutil\nthing = pkgutil.resolve_name('{FAKE}.api:thing')\n",
        f"import pytest\nmod = pytest.importorskip('{FAKE}')\n",
    ],
    ids=["getattr", "vars-subscript", "pkgutil-resolve-name", "pytest-importorskip"],
)
def test_an_importer_reached_another_way(project: Repo, run: Any, code: str) -> None:
    project.stage({"tool.py": code})
    assert names_fake(run())


@pytest.mark.parametrize(
    "code",
    [
        f"mods = list(map(__import__, ['{FAKE}']))\n",
        f"import importlib, functools\nload = functools.partial(importlib.import_module, '{FAKE}')\n",
        f"list(map(exec, ['import {FAKE}']))\n",
    ],
    ids=["map-import", "partial", "map-exec"],
)
def test_an_importer_passed_as_a_value_is_a_warning(project: Repo, run: Any, code: str) -> None:
    project.stage({"tool.py": code})
    outcome = run()
    assert "HC025" in [item["code"] for item in outcome.json()["findings"]]


@pytest.mark.parametrize(
    "shebang",
    [
        "#!/usr/bin/python3.12",
        "#! /usr/bin/env python",
        "#!/usr/bin/env -S uv run --script",
        "#!/opt/py/bin/python3-dbg",
    ],
)
def test_script_shebangs(project: Repo, run: Any, shebang: str) -> None:
    project.stage({"bin/tool": f"{shebang}\n{BAD}"})
    assert blocking(run()) == [("HC001", "bin/tool", 2, FAKE)]


def test_a_shell_script_that_execs_python_on_itself(project: Repo, run: Any) -> None:
    # The classic polyglot: sh runs line 2, which re-runs the file with Python; Python sees a string there.
    polyglot = f"#!/bin/sh\n''''exec python3 -u -- \"$0\" \"$@\" # '''\n{BAD}"
    project.stage({"bin/tool": polyglot})
    assert blocking(run()) == [("HC001", "bin/tool", 3, FAKE)]


UV_LOCK = """\
version = 1

[[package]]
name = "demo"
version = "1"
source = {{ editable = "." }}
dependencies = [{{ name = "requests" }}]

[[package]]
name = "requests"
version = "2.32.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "urllib3" }}{more}]
{extra}"""


def test_a_lock_entry_nothing_requires_is_a_new_dependency(project: Repo, run: Any) -> None:
    # Split over two commits: the lock entry first (no import), then the import as a "transitive" one.
    urllib3 = '\n[[package]]\nname = "urllib3"\nversion = "2.2.0"\n'
    project.commit({"uv.lock": UV_LOCK.format(more="", extra=urllib3)})
    orphan = urllib3 + '\n[[package]]\nname = "fakepkg-zz"\nversion = "1.0"\n'
    project.stage({"uv.lock": UV_LOCK.format(more="", extra=orphan)})
    assert blocking(run()) == [("HC004", "uv.lock", 20, "fakepkg-zz")]
    # A lock refresh that adds what a new version of a locked package requires is not a new dependency.
    idna = urllib3 + '\n[[package]]\nname = "idna"\nversion = "3.7"\n'
    refreshed = UV_LOCK.format(more=', { name = "idna" }', extra=idna)
    project.stage({"uv.lock": refreshed.replace('version = "2.32.0"', 'version = "2.33.0"')})
    assert blocking(run()) == []


def test_a_requirement_added_by_hand_to_a_locked_package_is_a_new_dependency(project: Repo, run: Any) -> None:
    # `uv sync` installs it; yet requests 2.32.0 cannot have gained a requirement without a new version.
    urllib3 = '\n[[package]]\nname = "urllib3"\nversion = "2.2.0"\n'
    project.commit({"uv.lock": UV_LOCK.format(more="", extra=urllib3)})
    smuggled = urllib3 + '\n[[package]]\nname = "fakepkg-zz"\nversion = "1.0"\n'
    project.stage({"uv.lock": UV_LOCK.format(more=', { name = "fakepkg-zz" }', extra=smuggled)})
    assert blocking(run()) == [("HC004", "uv.lock", 20, "fakepkg-zz")]


def test_a_poetry_lock_entry_nothing_requires_is_a_new_dependency(repo: Repo, run: Any) -> None:
    pyproject = '[tool.poetry]\nname = "demo"\nversion = "1"\n\n[tool.poetry.dependencies]\nrequests = "^2"\n'
    lock = (
        '[[package]]\nname = "requests"\nversion = "2.32.0"\n\n[package.dependencies]\nurllib3 = ">=1"\n\n'
        '[[package]]\nname = "urllib3"\nversion = "2.2.0"\n'
    )
    repo.commit({"pyproject.toml": pyproject, "poetry.lock": lock})
    repo.stage({"poetry.lock": lock + '\n[[package]]\nname = "fakepkg-zz"\nversion = "1.0"\n'})
    assert blocking(run()) == [("HC004", "poetry.lock", 13, "fakepkg-zz")]


@pytest.mark.parametrize(
    "code",
    [
        f"import importlib as a\nb = a\nc = b.import_module\nc('{FAKE}')\n",
        f"import sys\nsys.modules['builtins'].__import__('{FAKE}')\n",
        f"import importlib.util\nspec = importlib.util.find_spec('{FAKE}')\n",
        f"from importlib.util import find_spec\nspec = find_spec('{FAKE}')\n",
    ],
    ids=["alias-chain", "sys-modules", "find-spec", "find-spec-imported"],
)
def test_more_importer_spellings(project: Repo, run: Any, code: str) -> None:
    project.stage({"tool.py": code})
    assert names_fake(run())


def test_pytest_plugins_are_imports(project: Repo, run: Any) -> None:
    project.stage({"tests/conftest.py": f"pytest_plugins = ['{FAKE}.fixtures', 'pytester']\n"})
    assert blocking(run()) == [("HC001", "tests/conftest.py", 1, f"{FAKE}.fixtures")]  # pytester is pytest's own


_PYPROJECT = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["requests"]\n'


@pytest.mark.parametrize(("table", "module"), [
    ('[tool.mypy]\nplugins = ["fakepkg_zz.mypy"]\n', "fakepkg_zz.mypy"),
    ('[tool.pytest.ini_options]\naddopts = "-ra -p no:cacheprovider -p fakepkg_zz"\n', "fakepkg_zz"),
    ('[tool.pytest]\naddopts = ["-p", "pytester", "-p", "fakepkg_zz.plugin"]\n', "fakepkg_zz.plugin"),
])
def test_modules_tools_import_from_pyproject_are_imports(repo: Repo, run: Any, table: str, module: str) -> None:
    """mypy imports its plugins, pytest its ``-p`` plugins (attack C6): an invented one is HC001 at its line."""
    repo.commit({"pyproject.toml": _PYPROJECT, "demo/__init__.py": ""})
    repo.stage({"pyproject.toml": f"{_PYPROJECT}\n{table}"})
    assert blocking(run()) == [("HC001", "pyproject.toml", 7, module)]
    repo.commit(message="x")  # committed, it is not new: a later edit of the file adds nothing
    repo.stage({"pyproject.toml": f"{_PYPROJECT}\n{table}\n[tool.ruff]\nline-length = 100\n"})
    assert blocking(run()) == []


@pytest.mark.parametrize(("path", "text", "line", "module"), [
    ("pyproject.toml", f'{_PYPROJECT}[project.scripts]\nok = "demo:main"\nx = "fakepkg_zz.cli:main"\n', 7,
     "fakepkg_zz.cli"),
    ("pyproject.toml", f'{_PYPROJECT}[project.entry-points.pytest11]\nx = "fakepkg_zz.plugin [extra]"\n', 6,
     "fakepkg_zz.plugin"),
    ("pyproject.toml", f'{_PYPROJECT}[tool.poetry.scripts]\nx = {{callable = "fakepkg_zz:main"}}\n', 6, "fakepkg_zz"),
    ("pyproject.toml", f'{_PYPROJECT}[tool.coverage.run]\nplugins = ["fakepkg_zz"]\n', 6, "fakepkg_zz"),
    ("pyproject.toml", f'{_PYPROJECT}[tool.pylint.main]\nload-plugins = "fakepkg_zz.checker"\n', 6,
     "fakepkg_zz.checker"),
    ("setup.cfg", "[metadata]\nname = demo\n[mypy]\nplugins = fakepkg_zz.mypy, plugins/local.py\n", 4,
     "fakepkg_zz.mypy"),
    ("setup.cfg", "[tool:pytest]\naddopts =\n    -ra\n    -p fakepkg_zz\n", 4, "fakepkg_zz"),
    ("setup.cfg", "[options.entry_points]\nconsole_scripts =\n    x = fakepkg_zz.cli:main\n", 3, "fakepkg_zz.cli"),
    ("mypy.ini", "[mypy]\nplugins = fakepkg_zz.mypy\n", 2, "fakepkg_zz.mypy"),
    ("pytest.ini", "[pytest]\naddopts = -p fakepkg_zz\n", 2, "fakepkg_zz"),
    ("tox.ini", "[tox]\nenvlist = py3\n[pytest]\naddopts = -p fakepkg_zz\n", 4, "fakepkg_zz"),
    (".coveragerc", "[run]\nbranch = true\nplugins =\n    fakepkg_zz\n", 4, "fakepkg_zz"),
    (".pylintrc", "[MAIN]\nload-plugins = pylint.extensions.docparams,fakepkg_zz\n", 2, "fakepkg_zz"),
    ("docs/conf.py", 'extensions = [\n    "sphinx.ext.autodoc",\n    "fakepkg_zz",\n]\n', 3, "fakepkg_zz"),
    ("demo/settings.py", 'INSTALLED_APPS = ["django.contrib.admin", "demo"]\nINSTALLED_APPS += ["fakepkg_zz"]\n', 2,
     "fakepkg_zz"),
    ("demo/settings.py", 'MIDDLEWARE = (\n    "fakepkg_zz.middleware.Security",\n)\n', 2, "fakepkg_zz.middleware"),
    ("demo/settings.py", 'INSTALLED_APPS = ["demo"]\nEMAIL_BACKEND = "fakepkg_zz.backends.Mail"\n', 2,
     "fakepkg_zz.backends"),
])
def test_modules_configuration_makes_tools_import_are_imports(
    repo: Repo, run: Any, path: str, text: str, line: int, module: str
) -> None:
    """Attack E9/E21: console scripts and entry points, coverage, pylint and mypy plugins, pytest's `-p` in every
    file pytest reads, Sphinx extensions and Django settings name modules a tool imports: an invented one is HC001
    at its line, in staged and in files mode; one the base already names is not new."""
    declared = _PYPROJECT.replace('"requests"', '"requests", "django", "sphinx", "pylint"')
    repo.commit({"pyproject.toml": declared, "demo/__init__.py": ""})
    repo.stage({path: text.replace(_PYPROJECT, declared)})
    assert blocking(run()) == [("HC001", path, line, module)]
    repo.commit(message="x")
    assert blocking(run("--all-files")) == [("HC001", path, line, module)]
    repo.stage({path: text.replace(_PYPROJECT, declared) + "\n"})
    assert blocking(run()) == []


def test_a_sphinx_extension_of_the_documentation_passes(repo: Repo, run: Any) -> None:
    """Sphinx runs conf.py in its directory, which puts `_ext` beside it on sys.path: a committed module there is
    the documentation's own extension, not an invented name."""
    repo.commit({"pyproject.toml": _PYPROJECT, "demo/__init__.py": "", "docs/_ext/myext.py": "def setup(app): ...\n"})
    conf = 'import os, sys\nsys.path.insert(0, os.path.abspath("_ext"))\nextensions = ["myext", "fakepkg_zz"]\n'
    repo.stage({"docs/conf.py": conf})
    assert blocking(run()) == [("HC001", "docs/conf.py", 3, "fakepkg_zz")]


def test_references_to_the_projects_own_code_report_only_names_nothing_knows(repo: Repo, run: Any) -> None:
    """Replay: kedro's plugin project names `plugin:hooks` (its plugin.py), poetry's fixtures name packages they do
    not hold (never installed), celery's example sets CELERY_RESULT_BACKEND = "database" (not Django's), wagtail's
    template lists apps its own requirements bring: none is an invented name."""
    repo.commit({"pyproject.toml": _PYPROJECT, "demo/__init__.py": ""})
    repo.stage({
        "plugins/p/pyproject.toml": '[project]\nname = "p"\n[project.entry-points."kedro.hooks"]\nx = "plugin:hooks"\n',
        "plugins/p/plugin.py": "hooks = []\n",
        "tests/fixtures/sample/pyproject.toml": '[project]\nname = "s"\n[project.scripts]\nx = "sample_pkg:main"\n',
        "demo/settings.py": 'INSTALLED_APPS = ["taggit", "demo"]\nCELERY_RESULT_BACKEND = "database"\n',
        "demo/conf2.py": "",
    })
    assert blocking(run()) == []


def test_object_path_importers_are_imports(repo: Repo, run: Any) -> None:
    """Attack E21: pydoc.locate and the import_string of Django and Werkzeug import the module of an object path."""
    declared = _PYPROJECT.replace('"requests"', '"requests", "django", "werkzeug"')
    repo.commit({"pyproject.toml": declared, "demo/__init__.py": ""})
    repo.stage({"demo/load.py": (
        "import pydoc\nfrom django.utils.module_loading import import_string\n"
        "from werkzeug.utils import import_string as wis\nimport werkzeug.utils\n"
        'a = pydoc.locate("fakepkg_a.x")\nb = import_string("fakepkg_b.X")\nc = wis("fakepkg_c:X")\n'
        'd = werkzeug.utils.import_string("fakepkg_d.sub.X")\ne = import_string("django.db.models.Model")\n'
    )})
    assert blocking(run()) == [("HC001", "demo/load.py", 5, "fakepkg_a"), ("HC001", "demo/load.py", 6, "fakepkg_b"),
                               ("HC001", "demo/load.py", 7, "fakepkg_c"),
                               ("HC001", "demo/load.py", 8, "fakepkg_d.sub")]


def test_a_declared_tool_plugin_passes(repo: Repo, run: Any) -> None:
    declared = _PYPROJECT.replace('"requests"', '"requests"]\n[dependency-groups]\ndev = ["pydantic", "django-stubs"')
    repo.commit({"pyproject.toml": declared, "demo/__init__.py": ""})
    repo.stage({"pyproject.toml": f'{declared}\n[tool.mypy]\nplugins = ["pydantic.mypy", "mypy_django_plugin.main"]\n'})
    outcome = run()
    assert outcome.code == 0 and outcome.codes() == [], outcome.out


def test_pytest_plugins_named_by_their_entry_points_pass_when_declared(repo: Repo, run: Any) -> None:
    """Attack E24: pytest's -p takes a plugin's entry-point name (pytest-randomly registers `randomly`, hypothesis
    `hypothesispytest`), which only the installed distribution tells; a declared plugin's name is not an alarm."""
    plugins = '"pytest-randomly", "pytest-timeout", "pytest-benchmark", "pytest-recording", "hypothesis"'
    declared = _PYPROJECT.replace('"requests"', f'"requests"]\n[dependency-groups]\ndev = [{plugins}')
    repo.commit({"pyproject.toml": declared, "demo/__init__.py": ""})
    opts = "-p randomly -p timeout -p benchmark -p recording -p hypothesispytest -p fakepkg_zz -p pytest_fakepkg_zz"
    repo.stage({"pyproject.toml": f'{declared}\n[tool.pytest.ini_options]\naddopts = "{opts}"\n'})
    assert blocking(run()) == [("HC001", "pyproject.toml", 9, "fakepkg_zz"),
                               ("HC001", "pyproject.toml", 9, "pytest_fakepkg_zz")]


def test_a_package_does_not_define_what_it_imports_from_itself(project: Repo, run: Any) -> None:
    project.commit({"pkg/__init__.py": ""})
    project.stage({"pkg/__init__.py": f"from . import {FAKE}\n"})
    assert [item["code"] for item in run().json()["findings"]] == ["HC009"]


@pytest.mark.parametrize(
    ("path", "before", "after", "line"),
    [
        ("setup.py", "from setuptools import setup\nsetup(name='demo')\n",
         "from setuptools import setup\nsetup(name='demo', setup_requires=['fakepkg-zz'])\n", 2),
        ("setup.cfg", "[metadata]\nname = demo\n[options]\ninstall_requires = requests\n",
         "[metadata]\nname = demo\n[options]\ninstall_requires = requests\nsetup_requires = fakepkg-zz\n", 5),
    ],
    ids=["setup.py-one-line", "setup.cfg"],
)
def test_setup_requires_is_a_new_dependency(
    repo: Repo, run: Any, path: str, before: str, after: str, line: int
) -> None:
    # setup.py installs them before it runs; the project's own name on the same line makes nothing local.
    repo.commit({path: before})
    repo.stage({path: after})
    assert blocking(run()) == [("HC004", path, line, "fakepkg-zz")]


_HOOKS = """\
repos:
- repo: https://github.com/pre-commit/mirrors-mypy
  rev: v1.11.0
  hooks:
  - id: mypy
    additional_dependencies: [{mypy}]
- repo: https://github.com/pre-commit/mirrors-prettier
  rev: v3.1.0
  hooks:
  - id: prettier
    additional_dependencies: [{prettier}]
"""


def test_additional_dependencies_of_any_hook_are_installed_so_new_ones_are_reviewed(project: Repo, run: Any) -> None:
    project.commit({".pre-commit-config.yaml": _HOOKS.format(mypy="types-requests", prettier="prettier@3.1.0")})
    project.stage({".pre-commit-config.yaml": _HOOKS.format(mypy="types-requests, fakepkg-zz",
                                                            prettier="prettier@3.1.0, '@prettier/plugin-xml@3.2.2'")})
    assert blocking(run()) == [("HC004", ".pre-commit-config.yaml", 6, "fakepkg-zz")]
    # They install into the hook's environment: they declare nothing for the project's own code.
    project.stage({"tool.py": "import fakepkg_zz\n"})
    assert ("HC001", "tool.py", 1, "fakepkg_zz") in blocking(run())
