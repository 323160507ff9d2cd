"""Install commands read as the installer reads them: shell words, wrappers, option grammars, requirements."""

from __future__ import annotations

import re
import shlex

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hallucheck.sources.install_commands import (
    CONDA,
    command_of,
    install_commands,
    requirement_argument,
    split_commands,
)


def names(text: str) -> list[str]:
    """The packages ``text`` installs that can be named from the text."""
    return [argument.name for command in install_commands(text) for argument in command.arguments
            if argument.determined and not argument.sets_source]


def unknown(text: str) -> list[str]:
    """What ``text`` installs that only running it would name (the words as written)."""
    return [argument.name for command in install_commands(text) for argument in command.arguments
            if not argument.determined]


def tools(text: str) -> list[str]:
    return [command.tool for command in install_commands(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pip install huggingface-cli", ["huggingface-cli"]),
        ("pip install --upgrade reqeusts", ["reqeusts"]),
        ("pip install requests 'rich>=13'", ["requests", "rich"]),
        ('pip install "requests[socks]>=2"', ["requests"]),
        ("pip install 'Django>=4,<5' x==1.* 'y; python_version<\"3.8\"'", ["Django", "x", "y"]),
        ("pip3 install a", ["a"]),
        ("pip3.12 install a", ["a"]),
        ("/usr/local/bin/pip install a", ["a"]),
        (".venv/bin/python -m pip install a", ["a"]),
        ("python3 -m pip install a", ["a"]),
        ("py -3.11 -m pip install a", ["a"]),
        ("python -I -W ignore -m pip install a", ["a"]),
        ("python -mpip install a", ["a"]),
        ("pip --disable-pip-version-check --proxy http://proxy:3128 install a", ["a"]),
        ("uv pip install flask-permissions", ["flask-permissions"]),
        ("uv --directory sub pip install a", ["a"]),
        ("uv add b c --dev", ["b", "c"]),
        ("uv add --group lint ruff", ["ruff"]),
        ("uv tool install ruff --with ruff-plugin", ["ruff", "ruff-plugin"]),
        ("uv tool install --with a,b ruff", ["a", "b", "ruff"]),  # attack F9: uv's --with is a comma list
        ("uvx --with a,b ruff check", ["a", "b", "ruff"]),
        ("uv tool install ruff --with-executables-from a,b", ["ruff", "a", "b"]),  # attack F19
        ("uvx ruff@0.4 check .", ["ruff"]),
        ("uvx --from httpie http GET example.org", ["httpie"]),
        ("uv tool run black --check .", ["black"]),
        ("uv run --with rich,httpx script.py", ["rich", "httpx"]),
        ("uv run --with=rich python -m pip install z", ["rich", "z"]),
        ("pipx install poetry", ["poetry"]),
        ("pipx install --python python3.11 --suffix @x a b", ["a", "b"]),
        ("pipx run --spec black black .", ["black"]),
        ("pipx run cowsay moo", ["cowsay"]),
        ("pipx inject poetry poetry-plugin-export", ["poetry-plugin-export"]),
        ("poetry add requests@^2.0 --group dev pendulum@latest", ["requests", "pendulum"]),
        ("poetry add -G docs mkdocs", ["mkdocs"]),
        ("pdm add -dG test pytest", ["pytest"]),
        ("pipenv install --dev black", ["black"]),
        ("rye add --dev pytest", ["pytest"]),
        ("conda install -c conda-forge numpy=1.2 'scipy>=1' conda-forge::pandas -y", ["numpy", "scipy", "pandas"]),
        ("mamba create -n env python=3.11 numpy", ["python", "numpy"]),
        ("micromamba install -y -n base xarray", ["xarray"]),
        ("easy_install legacy", ["legacy"]),
    ],
)
def test_names_an_installer_would_fetch(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "pip install -r requirements.txt",
        "pip install -rrequirements/dev.txt",
        "pip install -qr requirements.txt",
        "pip install --requirement=requirements.txt -c constraints.txt",
        "pip install -e .",
        "pip install -e '.[test]'",
        "pip install .[dev]",
        "pip install {package} '{{ cookiecutter.name }}' '$LITERAL'",
        "pip install <package>",
        "pip install -- -weird",
        "pip list",
        "pip uninstall -y cryptoutils",
        "uv sync",
        "uv pip sync requirements.txt",
        "uv pip compile requirements.in",
        "poetry install",
        "pdm install",
        "conda activate env",
        "conda install --file environment.txt",
        "echo pip install nothing",
        "python -c 'import pip' install x",
        "python script.py -m pip install x",
        "git commit -m 'pip install x'",
        "ls -la",
        "",
    ],
)
def test_commands_that_fetch_no_named_package(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("apt-get update && pip install a && uv add b || echo failed", ["a", "b"]),
        ("cd app; pip install a | tee log", ["a"]),
        ("pip install a 2>/dev/null >out.txt", ["a"]),
        ("pip install a &>log && pip install b", ["a", "b"]),
        ("(cd sub && pip install a)", ["a"]),
        ("if pip install a; then echo ok; fi", ["a"]),
        ("sudo -H -u deploy pip install a", ["a"]),
        ("env -i PATH=/bin PIP_NO_CACHE_DIR=1 pip install a", ["a"]),
        ("PIP_INDEX_URL=https://x pip install a", ["a"]),
        ("timeout 60 pip install a", ["a"]),
        ("bash -c 'pip install a && pip install b'", ["a", "b"]),
        ("sh -ec \"uv add a\"", ["a"]),
        ("eval pip install a", ["a"]),
        ("poetry run pip install a", ["a"]),
        ("conda run -n env pip install a", ["a"]),
        ("hatch run pip install a", ["a"]),
        ("$ pip install a", ["a"]),
        ("(venv) $ pip install a", ["a"]),
        ("%pip install -q a", ["a"]),
        ("!pip install a", ["a"]),
        ("!uv pip install a", ["a"]),
        ("$PIP install a", ["a"]),
        ("{envpython} -m pip install a", ["a"]),
        ("{envbindir}/pip install a", ["a"]),
        ("pip install a  # and a comment naming b", ["a"]),
        ("pip install git+https://host/x.git#egg=x evil", ["x", "evil"]),
        ("pip install 'a#b' c", ["c"]),
    ],
)
def test_shell_structure(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_option_values_are_not_packages_and_flags_never_swallow_one() -> None:
    assert names("pip install -i https://pypi.example/simple --extra-index-url https://x a") == ["a"]
    assert names("pip install --index-u https://pypi.example/simple a") == ["a"]  # optparse abbreviation
    assert names("pip install --target dir --platform manylinux2014_x86_64 --only-binary :all: a") == ["a"]
    assert names("pip install -t dir -C key=value a") == ["a"]
    # An option hallucheck does not know is taken for a flag: the next word is still checked.
    assert names("pip install --some-future-flag a") == ["a"]
    assert names("pip install -Uq a") == ["a"]


def test_an_unclosed_quote_is_read_to_the_end_and_never_raises() -> None:
    assert names('pip install "unclosed a') == ["unclosed", "a"]
    assert names("pip install 'b") == ["b"]


def test_the_command_text_and_tool_are_kept_for_messages() -> None:
    [command] = install_commands("sudo pip install --upgrade reqeusts && echo ok")
    assert command.tool == "pip install"
    assert command.text == "pip install --upgrade reqeusts"
    assert [argument.requirement for argument in command.arguments] == ["reqeusts"]
    assert tools("uvx ruff; conda install x") == ["uvx", "conda install"]


def test_exec_form_words() -> None:
    assert [argument.name for command in command_of(["pip", "install", "a", "-r", "r.txt"])
            for argument in command.arguments] == ["a"]  # fmt: skip


def test_requirement_arguments() -> None:
    argument = requirement_argument("Requests[socks]>=2")
    assert argument is not None and argument.name == "Requests"
    assert requirement_argument("conda-forge::numpy=1.2", CONDA) is not None
    for word in ("./x", "/abs", "~/x", "C:\\x", "x/y", "-r", "$X", "", "=="):
        assert requirement_argument(word) is None, word


@pytest.mark.parametrize(("word", "name", "requirement"), [
    # A direct reference installs from where it says: an argument from that source (`name @ location`).
    ("./dist/pkg-1.0-py3-none-any.whl", "pkg", "pkg @ ./dist/pkg-1.0-py3-none-any.whl"),
    ("pkg.tar.gz", "pkg", "pkg @ pkg.tar.gz"),
    ("pkg-2.1.tar.gz", "pkg", "pkg @ pkg-2.1.tar.gz"),
    ("git+https://github.com/org/repo.git#egg=repo", "repo", "repo @ git+https://github.com/org/repo.git#egg=repo"),
    ("git+https://github.com/org/tool.git@v1", "tool", "tool @ git+https://github.com/org/tool.git@v1"),
    ("name @ https://example.org/name-1.0.whl", "name", "name @ https://example.org/name-1.0.whl"),
    ("https://example.org/x_y-1.0.zip", "x-y", "x-y @ https://example.org/x_y-1.0.zip"),
    ("https://user:token@example.org/x-1.0.whl", "x", "x @ https://***@example.org/x-1.0.whl"),
    ("file:///tmp/x", None, None),
])
def test_direct_references_are_arguments_from_their_location(word: str, name: str | None,
                                                             requirement: str | None) -> None:
    argument = requirement_argument(word)
    assert (argument.name, argument.requirement) == (name, requirement) if argument else name is None, argument


def test_split_commands() -> None:
    assert split_commands("a b && c | d; e > f 2>&1") == [["a", "b"], ["c"], ["d"], ["e"]]
    assert split_commands("echo 'a && b'") == [["echo", "a && b"]]


_NAME = st.from_regex(r"[a-z][a-z0-9]{0,8}(?:-[a-z0-9]{1,5})?", fullmatch=True).filter(
    lambda name: name not in ("install",)
)


@given(st.lists(_NAME, min_size=1, max_size=6))
def test_property_every_plain_name_is_found_in_order(packages: list[str]) -> None:
    assert names("pip install " + " ".join(packages)) == packages
    assert names(shlex.join(["python", "-m", "pip", "install", "--upgrade", *packages])) == packages


@given(st.lists(_NAME, min_size=1, max_size=4), st.sampled_from(["==1.0", ">=2", "[extra]", "[a,b]~=1.2", ""]))
def test_property_specifiers_and_extras_keep_the_name(packages: list[str], suffix: str) -> None:
    assert names(shlex.join(["pip", "install", *(name + suffix for name in packages)])) == packages


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("pip install uvx add -r'\"\\$`#;&|()<>{}= \n\tabc.@/")), max_size=80))
def test_property_hostile_text_never_raises(text: str) -> None:
    for command in install_commands(text):
        for argument in command.arguments:
            assert argument.name and not argument.name.startswith("-")


_RESERVED_WORDS = frozenset({"!", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function",
                            "if", "in", "select", "then", "time", "until", "while", "{", "}", "[[", "]]"})
_WORD = st.text(alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"), min_size=1,
               max_size=12).filter(lambda word: not set(word) <= set(";&|()<>"))


@given(st.lists(_WORD, min_size=1, max_size=5))
def test_property_quoted_words_split_back_to_themselves(words: list[str]) -> None:
    # (A quoted word made only of operator characters, `';'`, reads as the operator: shlex cannot tell them
    # apart. pip refuses such a requirement, so no package is installed past it.) shlex.join leaves a reserved
    # word unquoted, and bash reads `if` first in a command as a keyword, not a program: not the same command.
    assume(words[0] not in _RESERVED_WORDS)
    # shlex.join leaves `A=` unquoted too, and bash reads a first word NAME=... as an assignment, not a program.
    assume(re.match(r"[A-Za-z_][A-Za-z0-9_]*\+?=", words[0]) is None)
    # tree-sitter-bash reads a few words as errors (`1%` first: an arithmetic-like variable name); such text is
    # read a second way by the callers (`read(...)[1]` says so), so the grammar's own split is not the promise.
    from hallucheck.sources.shell import read

    text = shlex.join(words)
    assume(not read(text)[1])
    assert split_commands(text) == [words]


def test_a_word_like_an_assignment_to_a_positional_parameter_is_the_command() -> None:
    # bash: `1=x` is no assignment (a name cannot start with a digit), so it and what follows are one command.
    assert split_commands("1= 0") == [["1=", "0"]]
    assert split_commands("1= 1=") == [["1=", "1="]]
    assert split_commands("1=x A=2 pip install y") == [["1=x", "A=2", "pip", "install", "y"]]
    assert split_commands("A=1 2=3 pip") == [["2=3", "pip"]]
    assert split_commands("1=x") == [["1=x"]]
