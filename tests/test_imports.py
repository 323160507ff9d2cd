"""The core import finder, on source text alone (no repository)."""

from __future__ import annotations

import pytest

from hallucheck.sources.imports import imports_in_lines, may_import, new_imports
from hallucheck.sources.python import LogicalLines, UndecodableSourceError, decode_source


def every_line(text: str) -> range:
    return range(1, text.count("\n") + 2)


def found(text: str, lines: object = None) -> list[str]:
    scan = imports_in_lines(text, every_line(text) if lines is None else lines)  # type: ignore[arg-type]
    return [f"{item.line}:{item.statement}" for item in scan.imports]


def test_plain_from_and_multiple_names() -> None:
    assert found("import a, b.c as d\nfrom x.y import (p,\n q)\n") == [
        "1:import a", "1:import b.c", "2:from x.y import p", "2:from x.y import q",  # at the module
    ]  # fmt: skip


def test_relative_imports_keep_their_level() -> None:
    scan = imports_in_lines("from . import a\nfrom ..pkg.mod import b\n", [1, 2])
    assert [(i.level, i.module, i.name) for i in scan.imports] == [(1, "", "a"), (2, "pkg.mod", "b")]


def test_only_statements_holding_the_given_lines() -> None:
    text = "import a\nimport b\nfrom c import (\n    d,\n    e,\n)\n"
    assert found(text, [2, 5]) == ["2:import b", "3:from c import d", "3:from c import e"]


def test_strings_and_docstrings_are_not_imports() -> None:
    text = '"""\nimport a\n"""\nx = "import b"\ny = f"""{1}\nfrom c import d\n"""\n# import e\n'
    assert found(text) == []


def test_backslash_continuation() -> None:
    assert found("from x import a, \\\n    b\n", [2]) == ["1:from x import a", "1:from x import b"]


def test_one_line_compound_statements() -> None:
    text = "if True: import a\ntry: import b\nexcept ImportError: import c\nelse: import d\nfinally: import e\n"
    assert found(text) == ["1:import a", "2:import b", "3:import c", "4:import d", "5:import e"]


def test_dynamic_imports_with_literal_names_only() -> None:
    text = "importlib.import_module('a.b')\n__import__('c')\nimport_module(name)\nimport_module('.rel', 'pkg')\n"
    scan = imports_in_lines(text, every_line(text))
    assert [(i.kind, i.level, i.module) for i in scan.imports] == [
        ("dynamic", 0, "a.b"), ("dynamic", 0, "c"), ("dynamic", 0, "pkg.rel"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("handler", "guarded"),
    [
        ("except ImportError:\n    x = None\n", True),
        ("except (ValueError, ModuleNotFoundError) as error:\n    x = None\n", True),
        ("except Exception:\n    x = None\n", True),
        ("except:\n    x = None\n", True),
        ("except ValueError:\n    x = None\n", False),
        ("except ImportError:\n    raise ImportError('pip install x')\n", False),
        ("except ImportError:\n    if True:\n        raise\n", False),
        ("except ImportError: raise\n", False),
        ("except ImportError:\n    x = None\nexcept Exception:\n    raise\n", False),
        ("finally:\n    pass\n", False),
    ],
)
def test_try_guards(handler: str, guarded: bool) -> None:
    text = f"def f():\n    try:\n        import x\n{_indent(handler, 4)}"
    [item] = imports_in_lines(text, [3]).imports
    assert item.guarded is guarded


def test_imports_in_handlers_and_else_branches_are_not_guarded() -> None:
    text = "try:\n    import a\nexcept ImportError:\n    import b\nelse:\n    import c\n"
    scan = imports_in_lines(text, every_line(text))
    assert [(i.module, i.guarded) for i in scan.imports] == [("a", True), ("b", False), ("c", False)]


def test_nested_try_is_guarded_by_the_outer_one() -> None:
    text = "try:\n    try:\n        import a\n    except ValueError:\n        pass\nexcept ImportError:\n    pass\n"
    [item] = imports_in_lines(text, [3]).imports
    assert item.guarded


@pytest.mark.parametrize(
    "header",
    ["if TYPE_CHECKING:", "if typing.TYPE_CHECKING:", "if TC:"],
)
def test_type_checking_blocks(header: str) -> None:
    text = f"from typing import TYPE_CHECKING as TC\n{header}\n    import a\nelse:\n    import b\n"
    scan = imports_in_lines(text, [3, 5])
    assert [(i.module, i.type_checking) for i in scan.imports] == [("a", True), ("b", False)]


def test_one_line_type_checking() -> None:
    [item] = imports_in_lines("if TYPE_CHECKING: import a\n", [1]).imports
    assert item.type_checking


def test_syntax_error_is_reported_and_imports_recovered() -> None:
    text = "x = call(\nimport cryptoutils\nfrom fake import (\n"
    scan = imports_in_lines(text, every_line(text))
    assert scan.syntax_errors
    assert [i.module for i in scan.imports] == ["cryptoutils", "fake"]


def test_new_imports_ignores_imports_already_in_a_base() -> None:
    base = "import a\nfrom b import (x,\n  y)\n"
    text = "def f():\n    import a\nfrom b import (x, y, z)\n"
    scan = new_imports(text, every_line(text), [base])
    assert [i.statement for i in scan.imports] == ["from b import z"]


def test_new_imports_with_several_bases_needs_absence_from_every_base() -> None:
    text = "import a\nimport b\nimport c\n"
    scan = new_imports(text, every_line(text), ["import a\n", "import b\n"])
    assert [i.module for i in scan.imports] == ["c"]


def test_crlf_text() -> None:
    assert found("import a\r\nfrom b import (\r\n  c)\r\n") == ["1:import a", "2:from b import c"]


def test_cost_follows_the_statements_not_the_file() -> None:
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(5000))
    text = body + "import added\n" + body
    line = body.count("\n") + 1
    assert found(text, [line]) == [f"{line}:import added"]


def test_may_import_is_cheap_and_conservative() -> None:
    assert may_import("import a") and may_import("    from .x import y") and may_import("if x: import y")
    assert may_import("mod = importlib.import_module(name)")
    assert not may_import("important = 1") and not may_import("reimport(x)")


def test_logical_lines_track_brackets_strings_and_continuations() -> None:
    lines = LogicalLines("a = (1,\n 2)\nb = '''\nx\n'''\nc = 1 + \\\n  2\nd = 4\n")
    assert [(lines.start_of(n), lines.end_of(n)) for n in (2, 4, 7, 8)] == [(1, 2), (3, 5), (6, 7), (8, 8)]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbfimport a\n", "import a\n"),
        (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", "# -*- coding: latin-1 -*-\nx = '\xe9'\n"),
        (b"import a\n", "import a\n"),
    ],
)
def test_decode_source(data: bytes, text: str) -> None:
    assert decode_source(data) == text


def test_undecodable_source_names_the_line() -> None:
    with pytest.raises(UndecodableSourceError) as error:
        decode_source(b"a = 1\nb = '\xff'\n")
    assert error.value.line == 2


def _indent(text: str, width: int) -> str:
    return "".join(" " * width + line if line else line for line in text.splitlines(keepends=True))


def test_lexing_a_prefix_never_misreads_a_string_or_bracket_open_at_its_end() -> None:
    inside = "".join(f"import fake{index}\n" for index in range(200))
    text = f"x = '''\n{inside}'''\ny = (\n{inside.replace('import ', '')})\nimport real\n"
    last = text.count("\n")
    assert found(text, [2, 150, last]) == [f"{last}:import real"]


def test_lazy_lexing_agrees_with_lexing_everything_first() -> None:
    import random
    import sysconfig
    from pathlib import Path

    rng = random.Random(7)
    for name in ("typing.py", "argparse.py", "inspect.py"):
        text = (Path(sysconfig.get_paths()["stdlib"]) / name).read_text(encoding="utf-8")
        complete = LogicalLines(text)
        complete.at(len(complete))
        lines = rng.sample(range(1, len(complete) + 1), 60)
        lazy = LogicalLines(text)
        assert [lazy.at(line) for line in lines] == [complete.at(line) for line in lines]


def test_pep701_fstrings_with_nested_quotes_do_not_unbalance_the_lexer() -> None:
    text = (
        'def f(a):\n    x = f"{"[" if a else ""}"\n'
        '    y = f\'{a["k"]!r:>{10}} {{literal}}\'\n    if a: import zzqa\n'
    )
    scan = imports_in_lines(text, every_line(text))
    assert scan.syntax_errors == []
    assert [(item.line, item.module) for item in scan.imports] == [(4, "zzqa")]
    lines = LogicalLines(text)
    assert [(lines.start_of(n), lines.end_of(n)) for n in (2, 3, 4)] == [(2, 2), (3, 3), (4, 4)]


def test_recovered_imports_keep_their_column() -> None:
    text = "def f():\n    from zzqa import (\n        a,\n"
    scan = imports_in_lines(text, [2, 3])
    assert [(item.line, item.column, item.module) for item in scan.imports] == [(2, 10, "zzqa")]


@pytest.mark.parametrize("word", ["import", "exec", "locate"])
def test_a_comment_that_ends_with_a_colon_is_no_block_header(word: str) -> None:
    """hatch's `# Manually locate executables ... is required:` was an HC010 syntax error: a comment line is
    given no body to parse."""
    text = f"def f(self):\n    if self.windows:\n        # {word} executables where it is required:\n        return 1\n"
    scan = imports_in_lines(text, every_line(text))
    assert scan.imports == [] and scan.syntax_errors == []
