""":func:`hallucheck.sources.dynamic.importer_names` reads only the lines that can bind an importer; it finds what
the whole-file reading (the reference below, as it was before) finds, on generated files of one-line statements.

The reference ran every binding pattern over the whole text of every file that mentions ``pytest``; the reading now
tries them only on lines where a word that can stand for an importer ends a dotted name.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.dynamic import (
    _FROM_IMPORT,
    _MEMBER,
    _MEMBERS,
    _MODULE_ALIAS,
    _WALRUS,
    EXECUTORS,
    IMPORTERS,
    _assigned,
    _joined,
    _unpacked,
    importer_names,
)

_MENTIONS = re.compile(
    r"importlib|runpy|builtins|pkgutil|pytest|__import__|import_module|find_spec|\bexec\b|\beval\b|\bcompile\b"
)


def reference_importer_names(text: str) -> dict[str, str]:
    """importer_names as it was: every pattern over the whole text."""
    names = {name: name for name in (*IMPORTERS, *EXECUTORS)}
    names["import_module"] = "importlib.import_module"
    if not _MENTIONS.search(text):
        return names
    modules = {module: module for module in _MEMBERS}
    for module, alias in _MODULE_ALIAS.findall(text):
        modules[alias] = module
    for module, members in _FROM_IMPORT.findall(text):
        for member, alias in _MEMBER.findall(members.strip("()")):
            if member in _MEMBERS[module]:
                names[alias or member] = f"{module}.{member}"
            elif f"{module}.{member}" in _MEMBERS:
                modules[alias or member] = f"{module}.{member}"
    bindings = _assigned(text) + _unpacked(text) + [(alias, _joined(value)) for alias, value in _WALRUS.findall(text)]
    for _ in range(3):
        for alias, value in bindings:
            owner, _, member = value.rpartition(".")
            if value in names:
                names[alias] = names[value]
            elif value in modules:
                modules[alias] = modules[value]
            elif owner in modules and member in _MEMBERS[modules[owner]]:
                names[alias] = f"{modules[owner]}.{member}"
    for alias, module in modules.items():
        for member in _MEMBERS[module]:
            names.setdefault(f"{alias}.{member}", f"{module}.{member}")
    return names


_NAMES = st.sampled_from(["a", "b", "load", "il", "util", "pytest", "importlib", "x1", "fake\u00b7pkg", "u"])
_VALUES = st.sampled_from([
    "importlib", "importlib.util", "importlib.import_module", "il", "il.import_module", "a", "b", "a.import_module",
    "b . import_module", "__import__", "builtins.__import__", "exec", "eval", "compile", "runpy.run_module",
    "pytest", "pytest.importorskip", "pytest.mark", "util.find_spec", "importlib.util.find_spec", "u.find_spec",
    "pkgutil.resolve_name", "x1", "print", "load", "re.compile", "os.path",
])  # fmt: skip
_MODULES = st.sampled_from(["importlib", "importlib.util", "runpy", "builtins", "pkgutil", "pytest"])
_MEMBERS_ST = st.sampled_from(["import_module", "__import__", "find_spec", "util", "run_module", "mark", "exec"])


def _statement() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("import {} as {}".format, _MODULES, _NAMES),
        st.builds("from {} import {}".format, _MODULES, _MEMBERS_ST),
        st.builds("from {} import {} as {}".format, _MODULES, _MEMBERS_ST, _NAMES),
        st.builds("from {} import (\n    {} as {},\n    {},\n)".format, _MODULES, _MEMBERS_ST, _NAMES, _MEMBERS_ST),
        st.builds("{} = {}".format, _NAMES, _VALUES),
        st.builds("{}: object = {}  # note".format, _NAMES, _VALUES),
        st.builds("{} = {} = {}".format, _NAMES, _NAMES, _VALUES),
        st.builds("{}, {} = {}, {}".format, _NAMES, _NAMES, _VALUES, _VALUES),
        st.builds("({}, {}) = [{}, {}]".format, _NAMES, _NAMES, _VALUES, _VALUES),
        st.builds("if ({} := {}):\n    pass".format, _NAMES, _VALUES),
        st.builds("f(\n    {}\n    := {}\n)".format, _NAMES, _VALUES),
        st.builds("    {} = {}".format, _NAMES, _VALUES),
        st.builds("{}({})".format, _VALUES, _VALUES),
        st.builds("@{}.fixture\ndef {}(): return {}".format, _NAMES, _NAMES, _VALUES),
        st.builds("({},\n {}) = {}, {}".format, _NAMES, _NAMES, _VALUES, _VALUES),
        st.builds("{}, {} = (\n    {},\n\n    {}\n)".format, _NAMES, _NAMES, _VALUES, _VALUES),
        st.builds("f(\n    {}=\n    {}\n)".format, _NAMES, _VALUES),
        st.builds("{} = {}\n# a comment".format, _NAMES, _VALUES),
        st.builds("{} = [\n    {},\n]".format, _NAMES, _VALUES),
        st.just("import pytest"),
        st.just(""),
    )


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(_statement(), max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_importer_names_match_the_whole_file_reading(statements: list[str], newline: str) -> None:
    text = newline.join(statements) + newline
    assert importer_names(text) == reference_importer_names(text)


def test_lines_a_match_cannot_span_are_not_joined() -> None:
    text = "from importlib import (\n    import_module as a,\n    import_module,\n)\na, a = importlib, importlib\n"
    assert importer_names(text) == reference_importer_names(text)
    assert importer_names(text)["a.import_module"] == "importlib.import_module"


def test_a_binding_over_several_lines_in_brackets_is_read_as_before() -> None:
    text = "import pkgutil\n(p,\n q) = pkgutil, 1\nx, y = (\n    importlib.import_module,\n    2,\n)\n"
    assert importer_names(text) == reference_importer_names(text)
    assert importer_names(text)["p.resolve_name"] == "pkgutil.resolve_name"
    assert importer_names(text)["x"] == "importlib.import_module"


def test_chains_in_any_order_are_followed_as_before() -> None:
    text = "load = b.import_module\nb = a\na = il\nimport importlib as il\nimport pytest\n@pytest.mark.x\n"
    assert importer_names(text) == reference_importer_names(text)
    assert importer_names(text)["load"] == "importlib.import_module"
