"""Hostile Python sources: an import beside a statement too large or too deep for a parser.

libcst used to segfault or run for minutes on these; each runs hallucheck in a
child process with a timeout, so a regression fails the test instead of
taking the test run down. The made-up import must still be reported.
"""

from __future__ import annotations

import pytest

from tests.conftest import Repo
from tests.hostile import FAKE, PROJECT, isolated_findings, run_isolated

TERMS = 10_000
HUGE_STATEMENTS = {
    "semicolon-binary-operators": f"import {FAKE}; x = " + " + ".join(["1"] * TERMS),
    "semicolon-parentheses": f"import {FAKE}; x = " + "(" * 3000 + "1" + ")" * 3000,
    "semicolon-lists": f"import {FAKE}; x = " + "[" * 3000 + "]" * 3000,
    "semicolon-unary": f"import {FAKE}; x = " + "-" * TERMS + "1",
    "semicolon-subscripts": f"import {FAKE}; x = a" + "[0]" * TERMS,
    "expression-first": "x = " + " + ".join(["1"] * TERMS) + f"; import {FAKE}",
    "if-header": "if " + " + ".join(["1"] * TERMS) + f": import {FAKE}",
    "try-one-line": f"try: import {FAKE}; x = " + " + ".join(["1"] * TERMS),
    "from-import": f"from {FAKE} import thing; x = " + "-" * TERMS + "1",
    "dynamic-import": f"x = __import__('{FAKE}') + " + " + ".join(["1"] * TERMS),
    "adjacent-strings": f"import {FAKE}; x = " + "'a' " * 20_000,  # valid Python that libcst refuses
    "many-from-clauses": f"import {FAKE}; x = 1" + "; from a" * 20_000,  # a quadratic search took minutes
    "continued-lines": f"import {FAKE}; x = (\n" + " +\n".join(["1"] * TERMS) + "\n)",
}


@pytest.mark.parametrize("shape", sorted(HUGE_STATEMENTS))
def test_import_beside_a_huge_expression_is_still_reported(shape: str, repo: Repo) -> None:
    repo.commit(PROJECT)
    repo.stage({"a.py": "import os\n" + HUGE_STATEMENTS[shape] + "\n"})
    found = isolated_findings(run_isolated(repo.root))
    assert ("HC001", "a.py", 2) in found, found


def test_huge_statement_in_the_unchanged_base_does_not_hide_a_new_import(repo: Repo) -> None:
    huge = "import json; x = " + " + ".join(["1"] * TERMS) + "\n"
    repo.commit({**PROJECT, "a.py": huge})
    repo.stage({"a.py": huge + f"import {FAKE}\n"})
    found = isolated_findings(run_isolated(repo.root))
    assert ("HC001", "a.py", 2) in found, found


def test_whole_file_mode_with_a_huge_statement(repo: Repo) -> None:
    repo.commit({**PROJECT, "a.py": HUGE_STATEMENTS["semicolon-unary"] + "\n"})
    found = isolated_findings(run_isolated(repo.root, "--all-files"))
    assert ("HC001", "a.py", 1) in found, found




@pytest.mark.parametrize("codec", ["undefined", "hex", "rot13", "zlib_codec", "utf-7", "idna"])
def test_coding_cookie_naming_a_codec_that_fails_is_a_finding(codec: str, repo: Repo) -> None:
    repo.commit(PROJECT)
    repo.stage({"a.py": f"# -*- coding: {codec} -*-\nimport {FAKE}\nx = '\xff'\n".encode("latin-1")})
    found = isolated_findings(run_isolated(repo.root))
    assert any(code in ("HC012", "HC001") and path == "a.py" for code, path, _ in found), found


def test_aliased_dynamic_imports_in_a_huge_statement_are_read(repo: Repo) -> None:
    """The text scan knows the file's importer aliases; a computed module name is reported, not skipped."""
    huge = " + ".join(["1"] * TERMS)
    source = f"import importlib as il\nx = il.import_module('{FAKE}') + {huge}; y = il.import_module(name)\n"
    repo.commit(PROJECT)
    repo.stage({"a.py": source})
    found = isolated_findings(run_isolated(repo.root))
    assert ("HC001", "a.py", 2) in found, found
    assert ("HC025", "a.py", 2) in found, found
