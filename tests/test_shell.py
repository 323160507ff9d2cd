"""The shell reader (tree-sitter-bash + word evaluation) against the real shell: the words bash would run."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from hallucheck.sources.shell import UNKNOWN, OutOfTime, deadline, expand_braces, read, simple_commands

BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def words(text: str) -> list[list[str]]:
    return [[str(word) for word in command.words] for command in simple_commands(text)]


def bash_words(arguments: str) -> list[str]:
    """The words bash passes to a command given ``arguments`` (nothing run but ``printf``; no globbing)."""
    assert BASH is not None
    script = f"set -f; unset U V; f() {{ printf '%s\\0' \"$#\" \"$@\"; }}; f {arguments}"
    result = subprocess.run([BASH, "--norc", "--noprofile", "-c", script], capture_output=True, timeout=10,
                            check=True)
    count, *fields = result.stdout.decode().split("\0")[:-1]
    assert len(fields) == int(count)
    return fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('pi""p install x', [["pip", "install", "x"]]),
        ("p\\ip install x", [["pip", "install", "x"]]),
        ("pip install requests\\\n_x", [["pip", "install", "requests_x"]]),
        ("$'\\x70ip' install x", [["pip", "install", "x"]]),
        ("pip install ${U:-name} ${U-other} ${U:+set}", [["pip", "install", "name", "other", UNKNOWN]]),
        ("pip install a{b,c}d {1..3}", [["pip", "install", "abd", "acd", "1", "2", "3"]]),
        ("$(true) pip install $(echo a b) \"$(echo c d)\"", [["pip", "install", "a", "b", "c d"], ["true"],
                                                            ["echo", "a", "b"], ["echo", "c", "d"]]),
        ("pip install $PKG \"x$V\"", [["pip", "install", UNKNOWN, "x" + UNKNOWN]]),
        ("a && b | c; (d) & { e; }", [["a"], ["b"], ["c"], ["d"], ["e"]]),
        ("if a; then b; fi; for x in y; do c; done", [["a"], ["b"], ["c"]]),
        ("x=$(pip install d) echo `uv add e` <(f)", [["echo", UNKNOWN, "/dev/fd/63"], ["pip", "install", "d"],
                                                    ["uv", "add", "e"], ["f"]]),
        ("echo 'a # b' # c\npip", [["echo", "a # b"], ["pip"]]),
    ],
)
def test_words_as_the_shell_makes_them(text: str, expected: list[list[str]]) -> None:
    assert sorted(words(text)) == sorted(expected)


def test_here_documents_and_strings_are_the_standard_input_of_their_command() -> None:
    [bash, echo] = simple_commands("bash <<'EOF'\npip install a\nEOF\necho \"<<EOF\"")
    assert [text for text, _ in bash.stdin] == ["pip install a\n"]
    assert [str(word) for word in echo.words] == ["echo", "<<EOF"]
    [herestring] = simple_commands('sh <<< "pip install b"')
    assert [text for text, _ in herestring.stdin] == ["pip install b"]


def test_offsets_count_in_the_original_text() -> None:
    text = "pip \\\n  install é \\\n fake"
    [command] = simple_commands(text, base=100)
    assert [(str(word), word.offset - 100) for word in command.words] == [
        ("pip", 0), ("install", text.index("install")), ("é", text.index("é")), ("fake", text.index("fake"))]


def test_brace_expansion_has_a_limit_and_never_raises() -> None:
    assert expand_braces("{pip,}") == ["pip"]
    assert expand_braces("x" + "{a,b}" * 20) == ["x" + "{a,b}" * 20]  # 2**20 words: not spelled out
    assert words("pip install " + "{a,b}" * 20) == [["pip", "install", UNKNOWN]]


def test_a_deadline_stops_the_reading() -> None:
    with deadline(0.0), pytest.raises(OutOfTime):
        simple_commands("pip install " + " ".join(f"p{index}" for index in range(100_000)))
    assert words("pip install x") == [["pip", "install", "x"]]  # no deadline outside the block


def test_hostile_nesting_never_raises() -> None:
    for text in ("$(" * 5000 + ")" * 5000, "${a:-" * 3000 + "}" * 3000, '"' * 10001, "{" * 5000, "`" * 999):
        simple_commands(text)


_PIECES = st.one_of(
    st.from_regex(r"[a-z0-9_.=-]{1,6}", fullmatch=True),
    st.from_regex(r"[a-z ]{0,6}", fullmatch=True).map(lambda text: f'"{text}"'),
    st.from_regex(r"[a-z $#;&|]{0,6}", fullmatch=True).map(lambda text: f"'{text}'"),
    st.sampled_from(["\\ ", "\\x", "\\\\", "\\'", '\\"', "\\\n", '""', "''", "$'\\x41\\n'", "$'a\\'b'"]),
    st.sampled_from(["{a,b}", "{x,}", "{1..3}", "{a..c}", "{a}", "{}", "{,}"]),
    st.sampled_from(["${U:-d}", "${U-e f}", '"${U:-q r}"']),  # (`${U:=z}` assigns: later words differ)
    st.sampled_from(["$(true)", "$()", "$(echo a)", "$(echo a  b)", '"$(echo c  d)"', "`true`", "$(:)"]),
)
_WORD = st.lists(_PIECES, min_size=1, max_size=4).map("".join)


@needs_bash
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORD, min_size=1, max_size=5))
@example(["0", '==""'])  # the grammar reads `==` as a test operator, bash as a word (found by this test in CI)
@example(["==", "b"])
def test_property_words_match_bash(pieces: list[str]) -> None:
    arguments = " ".join(pieces)
    commands, has_error = read(f"f {arguments}")
    assume(not has_error)  # text the grammar cannot read is also read another way (tests/test_install_commands.py)
    command = commands[0]
    read_words = [str(word) for word in command.words][1:]
    # A word the reader cannot spell is unknown, never wrong (adjacent backquotes are read otherwise by the
    # grammar): the property is that every word it claims to know is the one bash makes.
    assume(not any(UNKNOWN in word for word in read_words))
    assert read_words == bash_words(arguments)
