"""Dynamic imports through any binding, and names as wide as Python's identifiers (issue 21, part 9).

An importer (``importlib.import_module``, ``__import__``, ...) bound to another name in a shape the text scan
follows has its calls checked; bound in any other shape, the reference is reported as computed (HC025): it is
never silently let through. Names with characters beyond ``\\w`` (U+00B7, combining marks) and lines a codec
breaks with a carriage return are read as Python reads them.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.git.changes import _MAY_BELONG_TO_IMPORT
from hallucheck.sources.dynamic import call_pattern, importer_names
from hallucheck.sources.imports import new_imports
from hallucheck.sources.python import decode_source
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "0"\ndependencies = ["requests"]\n'


Files = dict[str, str | bytes]


def _codes(repo: Repo, run: Any, files: Files, base: Files | None = None) -> list[str]:
    repo.commit({"pyproject.toml": PYPROJECT, **(base or {})})
    repo.stage(files)
    outcome = run()
    return sorted(outcome.codes())


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("import importlib\nimportlib.import_module(*['fakepkg_zz'])\n", "HC001"),
        ("import importlib\nimportlib.import_module(*('fakepkg_zz',), package=None)\n", "HC001"),
        ("import importlib\nimportlib.import_module(**{'name': 'fakepkg_zz'})\n", "HC001"),
        ("import importlib\nnames = ['x']\nimportlib.import_module(*names)\n", "HC025"),
        ("import importlib\nkw = {'name': 'x'}\nimportlib.import_module(**kw)\n", "HC025"),
        ("exec(*['import fakepkg_zz'])\n", "HC001"),
        ("import importlib\nload, _ = importlib.import_module, None\nload('fakepkg_zz')\n", "HC001"),
        ("import importlib\n(load, other) = [importlib.import_module, print]\nload('fakepkg_zz')\n", "HC001"),
        ("import importlib\n(load := importlib.import_module)('fakepkg_zz')\n", "HC001"),
        ("import importlib\nif (load := importlib.import_module):\n    pass\nload('fakepkg_zz')\n", "HC001"),
        ("a = b = __import__\nb('fakepkg_zz')\n", "HC001"),
        ("import importlib as il\nx, y = il, 1\nx.import_module('fakepkg_zz')\n", "HC001"),
        ("import importlib\nloaders = [importlib.import_module]\nloaders[0]('fakepkg_zz')\n", "HC025"),
        ("import importlib\nclass A:\n    load = staticmethod(importlib.import_module)\n", "HC025"),
        ("import importlib\nself_load = {'f': importlib.import_module}\n", "HC025"),
        ("import importlib\ndef f(load=importlib.import_module):\n    return load('fakepkg_zz')\n", "HC025"),
        ("import importlib\nload = getattr(importlib, 'import_module')\nload('fakepkg_zz')\n", "HC025"),
        ("import importlib\nfor load in (importlib.import_module,):\n    load('fakepkg_zz')\n", "HC025"),
        ("import importlib\nget = lambda: importlib.import_module\nget()('fakepkg_zz')\n", "HC025"),
    ],
)
def test_every_binding_of_an_importer_is_followed_or_reviewed(repo: Repo, run: Any, source: str, code: str) -> None:
    assert code in _codes(repo, run, {"tool.py": source})


def test_names_that_only_look_like_importers_are_left_alone(repo: Repo, run: Any) -> None:
    source = (
        "import re\npattern = re.compile('x')\n\n\ndef compile(text):\n    return text\n\n\n"
        "handler = compile\n\n\ndef import_module(name, exec=None):\n    return name\n"
    )
    assert _codes(repo, run, {"tool.py": source}) == []


@pytest.mark.parametrize(
    ("base", "staged"),
    [
        (None, "from fake\u00b7pkg import thing\n"),
        (None, "x = 1; from fake\u00b7pkg import thing\n"),
        (None, "from cafe\u0301zz import thing\n"),
        ("import os, \\\n    json\n", "import os, \\\n    fake\u00b7pkg\n"),
        ("from os import (path,\n    sep)\n", "from os import (path,\n    sep)\nfrom fakepkg import (a,\n b\u00b7c)\n"),
        (None, "from importlib import import_module as lo\u00b7ad\nlo\u00b7ad('fakepkg_zz')\n"),
    ],
)
def test_identifiers_beyond_word_characters(repo: Repo, run: Any, base: str | None, staged: str) -> None:
    # U+00B7 and combining marks are identifier characters to Python, not word characters to `re`.
    assert "HC001" in _codes(repo, run, {"tool.py": staged}, {"tool.py": base} if base else None)


@pytest.mark.parametrize("head", [b"# -*- coding: utf-7 -*-\n", b"# coding: utf-7\nimport os\n"])
def test_a_carriage_return_made_by_a_codec_ends_the_line(repo: Repo, run: Any, head: bytes) -> None:
    # Python reads `+AA0-` as a carriage return, which ends the comment: the import runs.
    assert "HC001" in _codes(repo, run, {"tool.py": head + b"# note +AA0-import fakepkg_zz\n"},
                             {"tool.py": head})  # fmt: skip


def test_decoded_lone_carriage_returns_are_line_breaks() -> None:
    assert decode_source(b"# coding: utf-7\n# a+AA0-import x\r\ny\n") == "# coding: utf-7\n# a\nimport x\r\ny\n"


# --- Properties -------------------------------------------------------------------------------------------

_IDENTIFIER_CHARACTERS = st.characters(
    codec="utf-8", categories=["L", "Mn", "Mc", "Nd", "Pc", "Nl", "Po", "Sk", "So"]
)
_IDENTIFIERS = st.text(_IDENTIFIER_CHARACTERS, min_size=1, max_size=8).filter(
    lambda name: name.isidentifier() and not keyword.iskeyword(unicodedata.normalize("NFKC", name))
    and not unicodedata.normalize("NFKC", name).isascii()
)
_SHAPES = (
    "import {a}\n",
    "from {a} import thing\n",
    "from {a}.{b} import thing\n",
    "x = 1; from {a} import thing\n",
    "import os, \\\n    {a}\n",
    "from {a} import (\n    {b},\n)\n",
    "if True:\n    import {a}\n",
)


@settings(max_examples=200, deadline=None)
@given(_IDENTIFIERS, _IDENTIFIERS, st.sampled_from(_SHAPES))
def test_any_python_identifier_is_read_as_a_module(a: str, b: str, shape: str) -> None:
    """Whatever identifier Python accepts, the import is found (under its NFKC name), and every line of it
    passes the git edge's filter of lines that may belong to an import."""
    source = shape.format(a=a, b=b)
    compile(source, "<generated>", "exec")  # the generated statement is valid Python
    lines = source.rstrip("\n").split("\n")
    found = {item.module.partition(".")[0] for item in new_imports(source, set(range(1, len(lines) + 1)), []).imports}
    assert unicodedata.normalize("NFKC", a) in found
    for line in lines:
        if line.strip() and ("import" not in line and line.strip() not in ("x = 1", "if True:", ")")):
            assert _MAY_BELONG_TO_IMPORT.search(line), line


_IMPORTERS = ("importlib.import_module", "__import__", "il.import_module", "builtins.__import__", "ld")
_BINDINGS = (
    "load = {e}",
    "load: object = {e}",
    "load = other = {e}",
    "load, other = {e}, None",
    "(load, other) = ({e}, None)",
    "[other, load] = [None, {e}]",
    "if (load := {e}):\n    pass",
    "load = [{e}][0]",
    "load = ({e}, None)[0]",
    "load = {e} if True else None",
    "load = {{'f': {e}}}['f']",
    "load = (lambda: {e})()",
    "obj.load = {e}",
    "def f(load={e}):\n    return load",
    "for load in ({e},):\n    pass",
    "load = getattr(importlib, 'import_module')",
    "load, *rest = {e}, None",
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_IMPORTERS), st.sampled_from(_BINDINGS), st.sampled_from(("load", "obj.load")))
def test_an_importer_never_escapes_unseen(importer: str, binding: str, called: str) -> None:
    """Bound to a name in any of these shapes, an importer's later call is either checked as an import of its
    literal, or some reference on the way is reported as computed."""
    source = "import importlib\nimport importlib as il\nimport builtins\nfrom importlib import import_module as ld\n"
    source += binding.format(e=importer) + f"\n{called}('fakepkg_zz')\n"
    compile(source, "<generated>", "exec")
    scan = new_imports(source, set(range(1, source.count("\n") + 2)), [])
    found = any(item.module == "fakepkg_zz" for item in scan.imports)
    assert found or scan.computed or (called == "obj.load" and "obj.load" not in binding)


def test_importer_calls_are_found_in_one_pass_whatever_the_number_of_aliases() -> None:
    aliases = "".join(f"from importlib import import_module as a{i}\n" for i in range(2000))
    finder = call_pattern(importer_names(aliases))
    calls = list(finder.finditer("a1999 ('x'); y.a5('z'); a7 . b('q'); importlib .\n import_module('w')"))
    assert [call.name for call in calls] == ["a1999", "importlib.import_module"]
    assert re.match(r"a1999 \(", "a1999 ('x')"[calls[0].start : calls[0].end])


@pytest.mark.parametrize("argument", ['"zz_gkpekaf"[::-1]', '"FAKEPKG_ZZ".lower()', '"fake%s" % "pkg_zz"',
                                      '"".join(["fake", "pkg_zz"])', '"fakepkg_{}".format("zz")'])
def test_a_module_name_literals_compute_is_checked(repo: Repo, run: Any, argument: str) -> None:
    # Attack E4: a name computed from literals alone by pure operations is that name, checked as an import.
    repo.commit({"pyproject.toml": '[project]\nname = "app"\nversion = "0"\n', "app/__init__.py": ""})
    repo.stage({"app/x.py": f"import importlib\nimportlib.import_module({argument})\n"})
    assert [item["code"] for item in run().json()["findings"]] == ["HC001"]
