"""Install commands that Python code runs (issue 21, part 6; ATTACK A6): ``subprocess``, ``os.system``, pip in
process, IPython calls. The reader (:mod:`hallucheck.sources.python_installs`) and real git repositories."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.python_installs import may_run_installs, python_installs
from tests.conftest import Outcome, Repo, cpu_seconds

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests"]\n'
FAKE = "huggingface-cli"


def names(source: str, lines: set[int] | None = None) -> list[tuple[str, bool]]:
    return [(item.argument.name, item.argument.determined) for item in python_installs(source, lines)]


SHAPES = {
    "check_call sys.executable": (
        'import subprocess, sys\nsubprocess.check_call([sys.executable, "-m", "pip", "install", "{x}"])\n'),
    "run list": 'import subprocess\nsubprocess.run(["pip", "install", "{x}"], check=True)\n',
    "run args=": 'import subprocess\nsubprocess.run(args=["pip3", "install", "-U", "{x}"])\n',
    "Popen alias": 'from subprocess import Popen as P\nP(["python3", "-m", "pip", "install", "{x}"]).wait()\n',
    "call": 'import subprocess as sp\nsp.call(["uv", "pip", "install", "{x}"])\n',
    "check_output": 'import subprocess\nsubprocess.check_output(["poetry", "add", "{x}"])\n',
    "shell=True": 'import subprocess\nsubprocess.run("pip install {x}", shell=True)\n',
    "os.system": 'import os\nos.system("pip install {x}")\n',
    "os.popen": 'import os\nos.popen("python -m pip install {x}").read()\n',
    "getoutput": 'import subprocess\nsubprocess.getoutput("uv add {x}")\n',
    "getstatusoutput": 'import subprocess\nsubprocess.getstatusoutput("pip install {x}")\n',
    "pip.main": 'import pip\npip.main(["install", "{x}"])\n',
    "pip internal": 'from pip._internal.cli.main import main\nmain(["install", "{x}"])\n',
    "pip internal dotted": 'import pip._internal.cli.main\npip._internal.cli.main.main(["install", "{x}"])\n',
    "__import__": '__import__("pip").main(["install", "{x}"])\n',
    "runpy": 'import runpy, sys\nsys.argv = ["pip", "install", "{x}"]\nrunpy.run_module("pip", run_name="__main__")\n',
    "split": 'import subprocess\nsubprocess.run("pip install {x}".split())\n',
    "shlex": 'import shlex, subprocess\nsubprocess.run(shlex.split("pip install {x}"))\n',
    "variable": ('import subprocess, sys\nPIP = [sys.executable, "-m", "pip", "install"]\n\n\ndef f():\n'
                 '    subprocess.check_call(PIP + ["{x}"])\n'),
    "append": 'import subprocess\ncmd = ["pip", "install"]\ncmd.append("{x}")\nsubprocess.run(cmd)\n',
    "for": 'import subprocess\nfor p in ["requests", "{x}"]:\n    subprocess.run(["pip", "install", p])\n',
    "join": 'import os\nos.system(" ".join(["pip", "install", "{x}"]))\n',
    "f-string constant": 'import os\nPKG = "{x}"\nos.system(f"pip install {PKG}")\n',
    "execlp": 'import os\nos.execlp("pip", "pip", "install", "{x}")\n',
    "execvp": 'import os\nos.execvp("pip", ["pip", "install", "{x}"])\n',
    "spawnlp": 'import os\nos.spawnlp(os.P_WAIT, "pip", "pip", "install", "{x}")\n',
    "asyncio exec": 'import asyncio\nasyncio.create_subprocess_exec("pip", "install", "{x}")\n',
    "asyncio shell": 'import asyncio\nasyncio.create_subprocess_shell("pip install {x}")\n',
    "invoke": 'from invoke import task\n\n\n@task\ndef setup(c):\n    c.run("pip install {x}")\n',
    "nox run": 'import nox\n\n\n@nox.session\ndef t(session):\n    session.run("pip", "install", "{x}")\n',
    "bash -c": 'import subprocess\nsubprocess.run(["bash", "-c", "pip install {x}"])\n',
    "ipython system": 'get_ipython().system("pip install {x}")\n',
    "ipython getoutput": 'out = get_ipython().getoutput("pip install {x}")\n',
    "ipython line magic": 'get_ipython().run_line_magic("pip", "install {x}")\n',
    "ipython sx magic": 'get_ipython().run_line_magic("sx", "pip install {x}")\n',
    "ipython run -m": 'get_ipython().run_line_magic("run", "-m pip install {x}")\n',
    "ipython cell magic": 'get_ipython().run_cell_magic("bash", "", "pip install {x}\\n")\n',
    "ipython python cell": (
        'get_ipython().run_cell_magic("python3", "", "import os\\nos.system(\'pip install {x}\')\\n")\n'),
    "multi-line": ('import subprocess\nsubprocess.run(\n    [\n        "pip",\n        "install",\n        "{x}",\n'
                   '    ],\n    check=True,\n)\n'),
}  # fmt: skip
UNKNOWN_SHAPES = {
    "variable argument": 'import subprocess\nsubprocess.run(["pip", "install", pkg])\n',
    "f-string": 'import os\nos.system(f"pip install {name}")\n',
    "splat": 'import subprocess, sys\nsubprocess.check_call([sys.executable, "-m", "pip", "install", *reqs])\n',
    "parameter": 'import subprocess\n\n\ndef install(name):\n    subprocess.run(["uv", "add", name])\n',
    "format": 'import os\nos.system("pip install {}".format(name))\n',
    "runpy without argv": 'import runpy\nrunpy.run_module("pip", run_name="__main__")\n',
    "computed program": 'import subprocess\nsubprocess.run([tool, "install", "x"])\n',
}  # fmt: skip


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_call_shape_that_installs_a_literal_name_is_read(shape: str) -> None:
    source = SHAPES[shape].replace("{x}", "fakepkg-zz")
    assert may_run_installs(source)
    assert ("fakepkg-zz", True) in names(source), shape


@pytest.mark.parametrize("shape", list(UNKNOWN_SHAPES))
def test_a_name_known_only_at_run_time_is_undetermined(shape: str) -> None:
    found = names(UNKNOWN_SHAPES[shape])
    assert found and not all(determined for _, determined in found), shape


@pytest.mark.parametrize(
    "source",
    [
        'import subprocess, sys\nsubprocess.run([sys.executable, "-m", "pip", "install", "-e", "."])\n',
        'import subprocess, sys\nsubprocess.check_call([sys.executable, "-m", "pip", "install", "-r", "req.txt"])\n',
        'import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, check=True)\n',
        'import subprocess\nsubprocess.run(["pip", "list"])\nsubprocess.run(["pip", "--version"])\n',
        'import os\nos.system("pip freeze > requirements.txt")\n',
        'import subprocess\nsubprocess.run(["pip", "install", str(tmp_path / "pkg")])\n',
        'import subprocess, os\nsubprocess.run(["pip", "install", os.path.join(here, "dist", wheel)])\n',
        'print("run: pip install fakepkg-zz")\nraise ImportError("pip install fakepkg-zz")\n',
        'import subprocess\nsubprocess.run(["pip", "install", "./vendor/pkg"])\n',
        'type X = int\nprint("ready")\n',  # newer syntax, but nothing that installs on the lines read
    ],
)  # fmt: skip
def test_code_that_installs_no_package_by_name_is_quiet(source: str) -> None:
    assert names(source) == []


def test_code_that_installs_from_a_url_names_the_package_from_there() -> None:
    source = 'import subprocess\nsubprocess.run(["pip", "install", "./vendor/pkg", "https://x.example/p.whl"])\n'
    found = python_installs(source, None)
    assert [(item.argument.name, item.argument.requirement) for item in found] == [("p", "p @ https://x.example/p.whl")]


def test_only_statements_the_change_touches_are_read() -> None:
    source = ('import subprocess\nPKGS = ["requests", "fakepkg-zz"]\n\n\ndef f():\n'
              '    subprocess.run(["pip", "install", *PKGS])\n    subprocess.run(["pip", "install", "other-zz"])\n')
    assert {name for name, _ in names(source, {7})} == {"other-zz"}
    assert {name for name, _ in names(source, {2})} == {"requests", "fakepkg-zz"}  # the binding it reads
    assert {name for name, _ in names(source, {6})} == {"requests", "fakepkg-zz"}
    assert names(source, {1, 3, 4, 5}) == []


def test_a_changed_binding_is_read_among_many_others() -> None:
    # Attack E11: a name bound n times is read once (not once per call); the bindings a change touches come
    # first, so a binding past the cap of alternatives is read when the change adds it, wherever it is written.
    calls = "".join('if x:\n    p = "pip install requests"\nos.system(p)\n' for _ in range(20))
    fake = f'p = "pip install {FAKE}"\n'
    for source, line in (("import os\nx = 1\n" + calls + fake, 63), ("import os\n" + fake + calls, 2)):
        assert source.split("\n")[line - 1] == fake.strip()
        assert (FAKE, True) in names(source, {line})
    rebound = 'import os\ncmd = "pip"\ncmd = cmd + " install ' + FAKE + '"\nos.system(cmd)\n'
    assert (FAKE, True) in names(rebound, {3})


def test_arguments_are_placed_where_they_are_written() -> None:
    source = SHAPES["multi-line"].replace("{x}", "fakepkg-zz")
    [found] = python_installs(source)
    assert (found.line, found.column) == (6, 10)


@pytest.mark.parametrize(
    "source",
    [
        'import os\ntype Name = str\nos.system("pip install fakepkg-zz")\n',  # 3.12
        'import os\n\n\ndef f[T](x: T) -> T:\n    os.system("pip install fakepkg-zz")\n    return x\n',  # 3.12
        'import os\ntry:\n    pass\nexcept ValueError, TypeError:\n    os.system("pip install fakepkg-zz")\n',  # 3.14
        'import os\nx = t"{y}"\nos.system(bytes.fromhex("7069").decode())\n',  # 3.14 t-string
        'def f(:\n    os.system("pip install fakepkg-zz")\n',  # invalid anywhere: HC010 also says so
    ],
)  # fmt: skip
def test_code_this_python_cannot_parse_is_undetermined_where_it_names_an_installer(source: str) -> None:
    import sys

    if sys.version_info >= (3, 12) and "def f(:" not in source and "except ValueError," not in source:
        pytest.skip("this Python parses it")
    [found] = python_installs(source)
    assert not found.argument.determined
    assert "cannot parse, line " in found.argument.name and "a newer Python may run it" in found.argument.name
    lines = source.split("\n")
    assert found.line == next(number for number, line in enumerate(lines, 1) if "os.system" in line)
    assert python_installs(source, {1}) == []  # a change that touches only other lines is not asked about


# -- property: generated call shapes x literal / non-literal arguments ---------------------------------------

_PROGRAMS = [
    ('"pip", "install"', "pip install"), ('sys.executable, "-m", "pip", "install"', None),
    ('"python3", "-m", "pip", "install", "-U"', "python3 -m pip install -U"),
    ('"uv", "pip", "install"', "uv pip install"),
    ('"uv", "add"', "uv add"), ('"poetry", "add"', "poetry add"), ('"pipx", "install"', "pipx install"),
    ('"pdm", "add"', "pdm add"), ('"pip", "install", "--quiet"', "pip install --quiet"),
]  # fmt: skip


@st.composite
def call_shapes(draw: Any) -> tuple[str, bool]:
    """A Python file that runs an install command for a made-up name, and whether that name is a literal."""
    words, text = draw(st.sampled_from(_PROGRAMS))
    literal = draw(st.booleans())
    name = draw(st.from_regex(r"fakepkg-[a-z]{2,8}", fullmatch=True))
    argument = f'"{name}"' if literal else draw(st.sampled_from(["pkg", "args.name", "*reqs", "names[0]", "get()"]))
    binding = draw(st.sampled_from(["inline", "variable", "append", "function"]))
    runner = draw(st.sampled_from(["subprocess.run({})", "subprocess.check_call({}, env=env)", "subprocess.Popen({})",
                                   "sp.call({})", "run({}, check=True)"]))
    use_text = text is not None and argument.startswith('"') and draw(st.booleans())
    head = "import subprocess, sys\nimport subprocess as sp\nfrom subprocess import run\n"
    if use_text:
        command = f'"{text} {name}"'
        runner = draw(st.sampled_from(["os.system({})", "subprocess.run({}, shell=True)", "os.popen({})"]))
        head += "import os\n"
        body = runner.format(command)
    elif binding == "inline":
        body = runner.format(f"[{words}, {argument}]")
    elif binding == "variable":
        body = f"CMD = [{words}]\n" + runner.format(f"CMD + [{argument}]")
    elif binding == "append":
        body = f"cmd = [{words}]\ncmd.append({argument.lstrip('*')})\n" + runner.format("cmd")
        literal = literal and not argument.startswith("*")
    else:
        body = "def go(pkg, args, reqs, names, get):\n    " + runner.format(f"[{words}, {argument}]")
    return head + body + "\n", literal


@settings(max_examples=300, deadline=None)
@given(call_shapes())
def test_every_generated_shape_that_installs_is_reported(shape: tuple[str, bool]) -> None:
    source, literal = shape
    found = python_installs(source)
    assert found, source
    if literal:
        assert any(item.argument.determined and item.argument.name.startswith("fakepkg-") for item in found), source
    else:
        assert any(not item.argument.determined for item in found), source


# -- commands computed from literals (ATTACK3 C4) ----------------------------------------------------------

COMPUTED_SHAPES = {
    "percent": 'import os\nos.system("pip install %s" % "{x}")\n',
    "percent shell=True": 'import subprocess\nsubprocess.run("pip install %s" % "{x}", shell=True)\n',
    "percent tuple": 'import os\nos.system("%s %s %s" % ("pip", "install", "{x}"))\n',
    "percent c": 'import os\nos.system("%c%c%c install {x}" % (112, 105, 112))\n',
    "lower": 'import os\nos.system("PIP INSTALL {X}".lower())\n',
    "bytes decode": 'import os\nos.system(b"pip install {x}".decode())\n',
    "bytes argv": 'import subprocess\nsubprocess.run([b"pip", b"install", b"{x}"])\n',
    "tuple index": 'import os\nos.system(("pip install {x}",)[0])\n',
    "dict key": 'import os\nos.system({{"a": "pip install {x}"}}["a"])\n',
    "slice": 'import subprocess\nsubprocess.run(["pip", "install", "{x}"][::1])\n',
    "reversed": 'import os\nos.system("{rx} llatsni pip"[::-1])\n',
    "join reversed": 'import os\nos.system("".join(reversed("{rx} llatsni pip")))\n',
    "fromhex": 'import os\nos.system(bytes.fromhex("{hex}").decode())\n',
    "base64": 'import os, base64\nos.system(base64.b64decode("{b64}").decode())\n',
    "rot13": 'import os, codecs\nos.system(codecs.decode("{rot}", "rot13"))\n',
    "byte values": 'import os\nos.system(bytes([{codes}]).decode())\n',
    "format literal": 'import os\nos.system("pip install {{}}".format("{x}"))\n',
    "replace": 'import os\nos.system("pip uninstall {x}".replace("uninstall", "install"))\n',
    "bound then lowered": 'import os\nCMD = "PIP INSTALL {X}"\n\n\ndef f():\n    os.system(CMD.lower())\n',
}  # fmt: skip
UNDECIDED_SHAPES = {
    "percent variable": 'import os\nos.system("pip install %s" % name)\n',
    "lowered variable": 'import os\nos.system(("PIP INSTALL " + name).lower())\n',
    "helper": 'import os\nos.system(helper("pip install {x}"))\n',
    "renamed far": 'import os\na0 = "pip install {x}"\n' + "".join(f"a{i + 1} = a{i}\n" for i in range(30))
                   + "os.system(helper(a30))\n",
    "chr codes": 'import os\nos.system("".join(chr(c) for c in [{codes}]))\n',
    "map chr": 'import os\nos.system("".join(map(chr, [{codes}])))\n',
    "installer subcommand": 'import subprocess\nsubprocess.run(["pip", *args])\n',
    "installer subcommand text": 'import os\nos.system("pip " + verb + " {x}")\n',
    "python -m installer subcommand": (
        'import subprocess, sys\nsubprocess.run([sys.executable, "-m", "pip", verb, "{x}"])\n'),
    "computed program list": 'import subprocess\nsubprocess.run(pip + ["install", name])\n',
    "width": 'import os\nos.system("%-99999999s install {x}" % helper())\n',
}  # fmt: skip


def _filled(template: str, name: str = "fakepkg-zz") -> str:
    import base64
    import codecs

    command = f"pip install {name}"
    return template.format(
        x=name, X=name.upper(), rx=name[::-1], hex=command.encode().hex(),
        b64=base64.b64encode(command.encode()).decode(), rot=codecs.encode(command, "rot13"),
        codes=", ".join(str(byte) for byte in command.encode()),
    )  # fmt: skip


@pytest.mark.parametrize("shape", list(COMPUTED_SHAPES))
def test_a_command_computed_from_literals_is_read_exactly(shape: str) -> None:
    source = _filled(COMPUTED_SHAPES[shape])
    assert may_run_installs(source), shape
    assert ("fakepkg-zz", True) in names(source), shape


@pytest.mark.parametrize("shape", list(UNDECIDED_SHAPES))
def test_a_command_that_may_install_what_only_running_it_computes_is_undetermined(shape: str) -> None:
    found = names(_filled(UNDECIDED_SHAPES[shape]))
    assert found and any(not determined for _, determined in found), shape


@pytest.mark.parametrize(
    "source",
    [
        'import subprocess\nsubprocess.run(["git", "status"][::-1])\n',
        'import os\nos.system(os.environ.get("EDITOR", "vi"))\n',
        'import os\nos.system("clear" if os.name != "nt" else "cls")\n',
        'import subprocess\nsubprocess.run([str(python), "-m", "pip", "install", "-e", "."])\n',
        'import subprocess\nsubprocess.run([context.python, "-m", "pip", "install", "--no-deps", "-e", "."])\n',
        'import subprocess\nsubprocess.run(["pip", "list", *args])\nsubprocess.run(["pip", "--version"])\n',
        'import subprocess\nsubprocess.run(["uv", "pip", "freeze", *args])\n',
        'import subprocess\nsubprocess.run(["ls", *sorted(glob.glob("*.py"))][::-1])\n',
        'import subprocess\nsubprocess.run(cmd)\nsubprocess.run(helper("ls -l"))\n',
        'import os\nos.system(bytes.fromhex("6c73202d6c").decode())\n',  # ls -l
        'import os\nos.system("pip install %s" % ("-e ."))\n',
        'import asyncio\nasyncio.run(main(max(1, 2)))\nloop.run(bytes.fromhex("00"))\n',
    ],
)  # fmt: skip
def test_computed_commands_that_install_nothing_by_name_are_quiet(source: str) -> None:
    assert names(source) == []


_LEAVES = {
    "literal": ('"{c}"', True), "reversed": ('"{r}"[::-1]', True), "upper": ('"{u}".lower()', True),
    "bytes": ('b"{c}".decode()', True), "hex": ('bytes.fromhex("{h}").decode()', True),
    "base64": ('base64.b64decode("{b}").decode("ascii")', True), "rot13": ('codecs.decode("{o}", "rot_13")', True),
    "byte values": ("bytes([{v}]).decode()", True), "percent": ('"%s %s" % ("pip", "{a}")', True),
    "helper": ('helper("{c}")', False), "chr codes": ('"".join(chr(c) for c in [{v}])', False),
    "map chr": ('"".join(map(chr, [{v}]))', False), "unknown": ('"pip install " + name', False),
}  # fmt: skip
_WRAPPERS = ["({})", "({}).lower()", "({})[::-1][::-1]", '"%s" % ({},)', "({},)[0]", '{{"k": {}}}["k"]',
             "({}).encode().decode()", '"{{}}".format({})', '"".join(reversed(({})[::-1]))', "str({})",
             "({}).strip()", '({}).replace("\\t", " ")', '(" " + {})[1:]']  # fmt: skip
_RUNNERS = ["os.system({})", "subprocess.run({}, shell=True)", "subprocess.run(shlex.split({}))", "os.popen({})",
            "subprocess.check_call(({}).split())"]  # fmt: skip


@st.composite
def computed_commands(draw: Any) -> tuple[str, str, bool, str]:
    """Python code that runs ``pip install NAME`` computed through literals; the name, whether it can be read
    exactly, and the command expression."""
    import base64
    import codecs

    name = draw(st.from_regex(r"fakepkg-[a-z]{2,8}", fullmatch=True))
    command = f"pip install {name}"
    leaf, exact = _LEAVES[draw(st.sampled_from(sorted(_LEAVES)))]
    expression = leaf.format(c=command, r=command[::-1], u=command.upper(), h=command.encode().hex(),
                             b=base64.b64encode(command.encode()).decode(), o=codecs.encode(command, "rot13"),
                             v=",".join(str(byte) for byte in command.encode()), a=f"install {name}")  # fmt: skip
    for wrapper in draw(st.lists(st.sampled_from(_WRAPPERS), max_size=3)):
        expression = wrapper.format(expression)
    runner = draw(st.sampled_from(_RUNNERS))
    if draw(st.booleans()):
        body = f"CMD = {expression}\n\n\ndef f():\n    {runner.format('CMD')}\n"
    else:
        body = runner.format(expression) + "\n"
    return "import base64, codecs, os, shlex, subprocess\n" + body, name, exact, expression


@settings(max_examples=300, deadline=None)
@given(computed_commands())
def test_every_computed_install_is_read_or_undetermined(shape: tuple[str, str, bool, str]) -> None:
    import base64
    import codecs

    source, name, exact, expression = shape
    if exact:  # the generator's own check: Python computes the command the shape says
        value = eval(expression, {"base64": base64, "codecs": codecs})
        assert value.split() == ["pip", "install", name]
    found = names(source)
    if exact:
        assert (name, True) in found, source
    else:
        assert any(not determined for _, determined in found), source


def _folder() -> Any:
    """A folder for one expression: ``codecs``, ``base64`` and ``zlib`` are imported, other names are builtins."""
    import ast

    from hallucheck.sources.python_fold import Folder

    modules = {"codecs", "base64", "zlib"}
    return Folder(lambda name, scope: None if name in modules else [], lambda node: ast.unparse(node),
                  lambda name: name if name in modules else None)  # fmt: skip


def test_folding_agrees_with_python() -> None:
    import ast

    from hallucheck.sources.python_fold import Unfolded

    for expression in ['"%s-%d" % ("a", 3)', '"a,b".split(",")[::-1]', '{"a": (1, "x")}["a"][1] * 3',
                       '"{0}{1}{0}".format("x", "y")', 'bytes.fromhex("7069 70").decode()', '"ab"[-1:]',
                       'b"%s" % b"q"', '"x".join(("a", "b"))', '" A ".strip().casefold()', 'chr(0x70) + "ip"',
                       '("a", *("b", "c"))', '"pip"[::-1][0]', '-3 + 5', '"a" if 0 else "b"',
                       'codecs.decode("7069", "hex")']:  # fmt: skip
        import codecs

        assert _folder().fold(ast.parse(expression, mode="eval").body, None) == eval(
            expression, {"codecs": codecs}), expression
    for expression in ['"x" * 10**9', '"%999999999s" % "x"', '"{:999999999}".format(1)', 'zlib.decompress(b"")',
                       '"a".center(10**9)', 'name.lower()', '("a",)[3]', 'open("f").read()']:  # fmt: skip
        with pytest.raises(Unfolded):
            _folder().fold(ast.parse(expression, mode="eval").body, None)


# -- real repositories ------------------------------------------------------------------------------------


@pytest.fixture
def project(repo: Repo) -> Repo:
    repo.commit({"pyproject.toml": PYPROJECT, "app/__init__.py": "", "README.md": "# App\n"}, "init")
    return repo


def codes(outcome: Outcome) -> list[tuple[str, str, int]]:
    return [(item["code"], item["path"], item["line"]) for item in outcome.json()["findings"]]


@pytest.mark.parametrize("shape", ["check_call sys.executable", "os.system", "pip.main", "runpy", "variable"])
def test_a_staged_python_file_that_installs_a_made_up_name_is_blocked(project: Repo, run: Any, shape: str) -> None:
    project.stage({"app/setup_env.py": SHAPES[shape].replace("{x}", FAKE)})
    outcome = run()
    assert outcome.code == 1
    assert [code for code, path, _ in codes(outcome) if code.startswith("HC03")] == ["HC031"]


def test_a_staged_install_of_a_computed_name_is_reviewed(project: Repo, run: Any) -> None:
    project.stage({"app/boot.py": UNKNOWN_SHAPES["splat"]})
    outcome = run()
    assert outcome.code == 1
    assert codes(outcome) == [("HC042", "app/boot.py", 2)]


def test_a_change_to_an_existing_script_is_judged_by_what_it_touches(project: Repo, run: Any) -> None:
    old = 'import subprocess, sys\nsubprocess.run([sys.executable, "-m", "pip", "install", *reqs])\n'
    project.commit({"scripts/bootstrap.py": old})
    project.stage({"scripts/bootstrap.py": old + "print('ready')\n"})
    assert run().code == 0  # the untouched install is not new
    project.stage({"scripts/bootstrap.py": old.replace("*reqs", f'"{FAKE}"')})
    assert [code for code, *_ in codes(run())] == ["HC031"]


def test_a_range_and_files_mode(project: Repo, run: Any) -> None:
    base = project.git("rev-parse", "HEAD").strip()
    project.git("checkout", "-q", "-b", "feature")
    project.commit({"tools/dev.py": SHAPES["os.system"].replace("{x}", FAKE)}, "dev tool")
    outcome = run("--from-ref", base, "--to-ref", "feature")
    assert [code for code, *_ in codes(outcome)] == ["HC031"]
    outcome = run("--all-files")
    assert [code for code, *_ in codes(outcome)] == ["HC031"]


def test_files_mode_shows_only_errors_for_code(project: Repo, run: Any) -> None:
    project.commit({
        "scripts/a.py": UNKNOWN_SHAPES["splat"],
        "scripts/b.py": 'import subprocess, sys\nsubprocess.run([sys.executable, "-m", "pip", "install", "-e", "."])\n',
        "scripts/c.py": 'import subprocess\nsubprocess.run(["pip", "install", "requests", "some-unlisted-zz"])\n',
    })  # fmt: skip
    outcome = run("--all-files")
    assert outcome.code == 0, outcome.out
    assert codes(outcome) == []


@pytest.mark.parametrize("shape", ["percent", "percent shell=True", "lower", "bytes decode", "tuple index",
                                   "dict key", "slice", "reversed", "fromhex", "base64"])
def test_a_staged_command_computed_from_literals_is_blocked_by_its_name(project: Repo, run: Any, shape: str) -> None:
    project.stage({"demo/inst.py": _filled(COMPUTED_SHAPES[shape], FAKE)})
    outcome = run()
    assert (outcome.code, [code for code, *_ in codes(outcome)]) == (1, ["HC031"]), shape
    assert FAKE in outcome.json()["findings"][0]["message"]


@pytest.mark.parametrize("shape", ["percent variable", "helper", "chr codes", "installer subcommand"])
def test_a_staged_command_only_running_it_decides_is_reviewed(project: Repo, run: Any, shape: str) -> None:
    project.stage({"demo/inst.py": _filled(UNDECIDED_SHAPES[shape], FAKE)})
    outcome = run()
    assert (outcome.code, [code for code, *_ in codes(outcome)]) == (1, ["HC042"]), shape


def test_a_staged_file_in_newer_syntax_that_installs_is_reviewed_not_passed(project: Repo, run: Any) -> None:
    import sys

    if sys.version_info >= (3, 14):
        pytest.skip("this Python parses it")
    source = 'import os\ntry:\n    pass\nexcept ValueError, TypeError:\n    pass\nos.system("pip install fakepkg-zz")\n'
    project.stage({"app/boot.py": source})
    outcome = run()
    assert (outcome.code, codes(outcome)) == (1, [("HC042", "app/boot.py", 6)])
    assert "cannot parse, line 4" in outcome.json()["findings"][0]["message"]


# -- cost -------------------------------------------------------------------------------------------------


def _cpu(root: Path, size: int, capsys: pytest.CaptureFixture[str]) -> float:
    repo = Repo(root)
    repo.commit({"pyproject.toml": PYPROJECT})
    body = "".join(f'CMD{i} = ["pip", "install"]\nCMD{i}.append("p{i}")\nsubprocess.run(CMD{i} + ["requests"])\n'
                   f'os.system(f"pip install {{CMD{i}}}")\n' for i in range(size))
    repo.stage({"big.py": "import os, subprocess\n" + body})
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        outcome = repo.check(capsys=capsys)
        best = min(best, time.process_time() - start)
        assert outcome.code in (0, 1), outcome.err
    return best


def test_eight_times_the_calls_cost_about_eight_times_the_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = _cpu(tmp_path / "small", 40, capsys)
    large = _cpu(tmp_path / "large", 320, capsys)
    assert large <= 22 * max(small, 0.02), f"{small:.3f}s -> {large:.3f}s for 8x the input"


def _computed_cpu(size: int) -> float:
    chain = 'a0 = "ls"\n' + "".join(f"a{i + 1} = a{i}\n" for i in range(size))
    calls = "".join(f'os.system(helper(a{size}))\nos.system("PIP INSTALL X{i}".lower())\n'
                    f'subprocess.run(["pip", "install", "y{i}"][::-1][::-1])\n'
                    f'os.system("".join(chr(c) for c in [112, {i}]))\nos.system("pip %s x" % v{i})\n'
                    for i in range(size))  # fmt: skip
    source = "import os, subprocess\n" + chain + calls
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        python_installs(source)
        best = min(best, time.process_time() - start)
    return best


def test_computed_commands_cost_linear_time() -> None:
    small, large = _computed_cpu(60), _computed_cpu(480)
    assert large <= 16 * max(small, 0.02), f"{small:.3f}s -> {large:.3f}s for 8x the input"


def test_a_name_bound_and_run_many_times_costs_linear_time() -> None:
    # Attack E11: every call of `os.system(p)` evaluated every binding of `p` (1,000 pairs: 4.95 s, 4,000: 34 s).
    def source(size: int) -> str:
        unit = 'if random.random():\n    p = "pip show pkg{}zz"\n' * 4 + "os.system(p)\n"
        return "import os, random\np = ''\n" + "".join(unit.format(*[index] * 4) for index in range(size))

    small, large = source(150), source(1200)
    python_installs(small)
    small_time, large_time = cpu_seconds(lambda: python_installs(small)), cpu_seconds(lambda: python_installs(large))
    assert large_time < 8 * 3 * max(small_time, 0.002), (small_time, large_time)


# -- notebooks: every escape IPython turns into a shell call (ATTACK A12) ---------------------------------

NOTEBOOK_CELLS = [
    "!!pip install {x}", "out = !!pip install {x}", "out = !pip install {x}", "!pip install {x}",
    'get_ipython().system("pip install {x}")', 'get_ipython().getoutput("pip install {x}")',
    'get_ipython().run_line_magic("pip", "install {x}")', 'get_ipython().run_cell_magic("bash", "", "pip install {x}")',
    "%system pip install {x}", "%sx pip install {x}", "x = %sx pip install {x}",
    "!{{sys.executable}} -m pip install {x}",
    "!pip install \\\n  {x}", "In [1]: !pip install {x}", ">>> !pip install {x}", ";os.system pip install {x}",
    "%%sx\npip install {x}", "%%system\npip install {x}", "%run -m pip install {x}", "if True:\n    !pip install {x}",
    "%%capture\n!!pip install {x}", "%%time\nget_ipython().system('pip install {x}')",
    'import os\nos.system("pip install {x}")',
    'import subprocess, sys\nsubprocess.run([sys.executable, "-m", "pip", "install", "{x}"])',
    "  !pip install {x}", "%pip install -q {x}", "%uv pip install {x}",
]  # fmt: skip


def _notebook(source: str) -> str:
    import json

    cell: dict[str, Any] = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                            "source": source}
    return json.dumps({"cells": [cell], "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)  # fmt: skip


@pytest.mark.parametrize("cell", NOTEBOOK_CELLS)
def test_every_notebook_escape_that_installs_is_checked(project: Repo, run: Any, cell: str) -> None:
    project.stage({"analysis.ipynb": _notebook(cell.format(x=FAKE))})
    outcome = run()
    assert outcome.code == 1, cell
    assert [code for code, *_ in codes(outcome)] == ["HC031"], cell


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("!pip install {{pkg}}", ["HC042"]),  # IPython fills `{pkg}` in at run time
        ("!pip install -e .", []),
        ("%pip install -q requests", []),
        ("x = 1\n# !pip install {x}\ns = '''\n!pip install {x}\n'''", []),  # a comment and a string run nothing
        (",os.system pip install {x}", []),  # os.system("pip", "install", ...) is a TypeError: nothing runs
    ],
)  # fmt: skip
def test_notebook_code_that_installs_no_made_up_name(project: Repo, run: Any, cell: str, expected: list[str]) -> None:
    project.stage({"analysis.ipynb": _notebook(cell.format(x=FAKE))})
    assert [code for code, *_ in codes(run())] == expected, cell


def test_ipython_python_keeps_the_line_count() -> None:
    from hallucheck.sources.ipython import ipython_python, var_expand

    cell = "a = 1\n!pip install \\\n  x\n%sx ls\nb = [\n!notanescape\n]\n"
    python = ipython_python(cell)
    assert python.count("\n") == cell.count("\n")
    assert python.split("\n")[1] == "get_ipython().system('pip install    x')"
    assert python.split("\n")[5] == "!notanescape"  # inside brackets: not an escape
    assert var_expand("pip install {pkg} $name $$HOME {sys.executable}") == "pip install ${pkg} ${name} $HOME python"


def test_a_python_c_script_that_runs_a_coroutine_installs_nothing(project: Repo, run: Any) -> None:
    # pydantic-ai 507c8bf876 (tests/test_httpx2_sdk_readiness.py): `python -c` code whose `asyncio.run(main())`
    # runs a coroutine, and whose strings mention installing, was an HC042 review ("a command python code
    # computes"). A subprocess.run of a computed command stays one.
    script = ('_CODE = """\\nimport asyncio\\nasync def main():\\n    raise ImportError("Please install `httpx`")\\n'
              'asyncio.run(main())\\ntrio.run(main)\\n"""\n')
    runner = "import subprocess, sys\nsubprocess.run([sys.executable, '-c', _CODE])\n"
    project.stage({"tests/test_ready.py": script + runner})
    assert (run().code, codes(run())) == (0, [])
    computed = script.replace("asyncio.run(main())", "subprocess.run(build())")
    project.stage({"tests/test_ready.py": computed + runner})
    assert [code for code, *_ in codes(run())] == ["HC042"]
    for rebinding in ("import subprocess as asyncio", "from os import system as trio", "asyncio = subprocess"):
        hidden = script.replace("import asyncio", rebinding).replace("asyncio.run(main())", "asyncio.run(build())")
        project.stage({"tests/test_ready.py": hidden + runner})
        assert [code for code, *_ in codes(run())] == ["HC042"], rebinding


@pytest.mark.parametrize("call", [
    'os.system("\\x70ip \\x69nstall huggingface-cli")', 'os.system("\\u0070ip \\u0069nstall huggingface-cli")',
    'subprocess.run(["p"+"ip", "ins"+"tall", "huggingface-cli"])', 'os.system("p" "ip " "ins" "tall huggingface-cli")',
    "os.system('p' + 'ip ' + 'ins' + 'tall huggingface-cli')",
])  # fmt: skip
def test_installer_and_verb_both_split_or_escaped_are_read(project: Repo, run: Any, call: str) -> None:
    """Attack E23: with neither the installer's name nor the verb in the text, the prefilter skipped the file."""
    project.stage({"app/boot.py": f"import os\nimport subprocess\n{call}\n"})
    assert [(code, line) for code, _, line in codes(run())] == [("HC031", 3)]


# -- the runner reached through exec, getattr, map, a lambda (attack E4) -------------------------------------

REACHED_SHAPES = [
    'exec("import os; os.system(\'pip install {x}\')")',
    'exec(compile("os.system(\'pip install {x}\')", "x", "exec"))',
    'eval("os.system(\'pip install {x}\')")',
    'exec("exec(\\"os.system(\'pip install {x}\')\\")")',
    'getattr(os, "system")("pip install {x}")',
    'vars(os)["system"]("pip install {x}")',
    'os.__dict__["system"]("pip install {x}")',
    'getattr(subprocess, "run")(["pip", "install", "{x}"])',
    'list(map(os.system, ["pip install {x}"]))',
    'list(map(subprocess.check_call, [["pip", "install", "{x}"]]))',
    '(lambda c: os.system(c))("pip install {x}")',
    'run = subprocess.run\nrun(["pip", "install", "{x}"])',
]
UNTOLD_SHAPES = [
    'getattr(os, "sys" + "tem")("pip install {x}")',
    'name = input()\ngetattr(subprocess, name)(["pip", "install", "{x}"])',
    'import threading\nthreading.Thread(target=os.system, args=("pip install {x}",)).start()',
    'import functools\nfunctools.partial(subprocess.run, ["pip", "install", "{x}"])()',
    'exec(code + "os.system(\'pip install {x}\')")',
    "exec(" * 4 + '"os.system(\'pip install {x}\')"' + ")" * 4,
]


@pytest.mark.parametrize("shape", REACHED_SHAPES)
def test_a_runner_reached_through_exec_getattr_map_or_a_lambda_is_read(shape: str) -> None:
    source = "import os, subprocess\n" + shape.replace("{x}", FAKE) + "\n"
    assert (FAKE, True) in names(source), shape
    assert (FAKE, True) in names(source, {source.count("\n")}), shape


@pytest.mark.parametrize("shape", UNTOLD_SHAPES)
def test_a_runner_that_cannot_be_told_is_undetermined_when_the_code_names_an_installer(shape: str) -> None:
    source = "import os, subprocess\n" + shape.replace("{x}", FAKE) + "\n"
    found = names(source, {source.count("\n")})
    assert found and not all(determined for _, determined in found), (shape, found)
    assert names(source.replace("pip install", "pip show").replace('"install"', '"show"')) == [], shape


@pytest.mark.parametrize("source", [
    'exec(open("version.py").read())\n', 'getattr(os, "path").join("a", "b")\n', 'list(map(str, ["pip install x"]))\n',
    'handlers = {"run": os.system}\n', 'exec("x = 1")\n', 'eval("1 + 2")\n',
])  # fmt: skip
def test_code_that_reaches_no_runner_with_an_install_is_quiet(source: str) -> None:
    assert names("import os\n" + source) == []


@settings(max_examples=60, deadline=None)
@given(shape=st.sampled_from(sorted(SHAPES)), depth=st.integers(1, 2), compiled=st.booleans())
def test_code_run_by_exec_installs_what_the_code_installs(shape: str, depth: int, compiled: bool) -> None:
    # exec(repr(CODE)) runs CODE: the reader finds in it what it finds in CODE, at any depth it reads.
    code = SHAPES[shape].replace("{x}", FAKE)
    for _ in range(depth):
        code = f"exec(compile({code!r}, 'x', 'exec'))\n" if compiled else f"exec({code!r})\n"
    assert (FAKE, True) in names(code), code


@pytest.mark.parametrize("shape", [REACHED_SHAPES[0], REACHED_SHAPES[4], REACHED_SHAPES[8], REACHED_SHAPES[10]])
def test_a_staged_file_reaching_a_runner_indirectly_is_blocked(project: Repo, run: Any, shape: str) -> None:
    project.stage({"app/boot.py": "import os, subprocess\n" + shape.replace("{x}", FAKE) + "\n"})
    outcome = run()
    assert (outcome.code, [code for code, *_ in codes(outcome)]) == (1, ["HC031"]), shape


def test_a_staged_file_with_a_runner_passed_as_a_value_is_reviewed(project: Repo, run: Any) -> None:
    project.stage({"app/boot.py": "import os, subprocess\n" + UNTOLD_SHAPES[2].replace("{x}", FAKE) + "\n"})
    outcome = run()
    assert (outcome.code, [code for code, *_ in codes(outcome)]) == (1, ["HC042"])


@pytest.mark.parametrize("code", [
    "import os; exec(\"os.system('pip install huggingface-cli')\")",
    'import os; list(map(os.system, ["pip install huggingface-cli"]))',
    'import os; getattr(os, "system")("pip install huggingface-cli")',
    'import os; vars(os)["system"]("pip install huggingface-cli")',
    'import os; (lambda c: os.system(c))("pip install huggingface-cli")',
])  # fmt: skip
def test_the_agent_hook_denies_python_c_reaching_a_runner_indirectly(code: str, tmp_path: Path) -> None:
    import contextlib
    import io
    import json
    import shlex

    from hallucheck.commands.install_check import main as install_check

    payload = json.dumps({"tool_name": "Bash", "tool_input": {"command": f"python3 -c {shlex.quote(code)}"},
                          "cwd": str(tmp_path)})
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = install_check([], io.StringIO(payload))
    assert result == 2 and "HC031" in out.getvalue(), out.getvalue()[:300]
