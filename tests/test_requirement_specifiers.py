"""A declaration's version specifier is read without ``packaging.requirements`` when the requirement is a name
and comparisons only: the same text as parsing the whole requirement gives, for any input (property test)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.resolve.resolver import _specifier_of_requirement, _specifier_text

_PARTS = st.sampled_from([
    "requests", "a", "A.b_c-d", "-a", "a-", "a_", "9", " ", "\t", "  ", "", ",", ", ", " ,", "==", "===", "!=", "~=",
    "<=", ">=", "<", ">", "=", "=>", "~", "!", "1", "1.0", "2.33.0", "2.*", "1.0.*", "1.0a1", "1.0rc2", "1!2.0",
    "1.0+local", "1.0.post1", "1.0.dev0", "v1", "1..0", "abc", ".", "*", "+", "[x]", "(", ")", ";", "@", "'", '"',
    "^1.2", "\n", "python_version<'3.11'", "file:///x", "foo", "É",
])  # fmt: skip


@given(st.lists(_PARTS, max_size=9).map("".join))
@settings(max_examples=3000, deadline=None)
def test_the_plain_reading_is_the_reading_of_the_whole_requirement(requirement: str) -> None:
    _specifier_text.cache_clear()
    assert _specifier_text(requirement) == _specifier_of_requirement(requirement)


_NAMES = st.sampled_from(["requests", "a", "A.b_c-d", "-a", "a-", "9", "a b", ""])
_SPACES = st.sampled_from(["", " ", "\t", "  ", "\n"])
_OPERATORS = st.sampled_from(["==", "===", "!=", "~=", "<=", ">=", "<", ">", "=", "=>", "~", ""])
_VERSIONS = st.sampled_from(["1", "1.0", "2.33.0", "2.*", "1.0.*", "1.0a1", "1.0rc2", "1!2.0", "1.0+local", "1.0.post1",
                             "1.0.dev0", "v1", "1..0", "abc", "1.0.*.1", "1.0+lo.*", "*", "", "1.0-1", "1_0", "1.0!"])
_CLAUSES = st.tuples(_SPACES, _OPERATORS, _SPACES, _VERSIONS, _SPACES).map("".join)


@given(_NAMES, _SPACES, st.lists(_CLAUSES, max_size=4), st.sampled_from([",", ", ", " ,", ";", " "]), _SPACES)
@settings(max_examples=3000, deadline=None)
def test_names_and_comparisons(name: str, space: str, clauses: list[str], comma: str, end: str) -> None:
    """Requirements shaped like the plain ones, most of them plain, some a character away."""
    requirement = name + space + comma.join(clauses) + end
    _specifier_text.cache_clear()
    assert _specifier_text(requirement) == _specifier_of_requirement(requirement)


_PLAIN_CLAUSES = st.tuples(st.sampled_from(["", " "]), st.sampled_from(["==", "===", "!=", "~=", "<=", ">=", "<", ">"]),
                           st.sampled_from(["", " ", "\t"]), _VERSIONS).map("".join)


@given(st.sampled_from(["requests", "a", "A.b_c-d", "x9"]), st.lists(_PLAIN_CLAUSES, min_size=1, max_size=4),
       st.sampled_from([",", ", ", " ,"]))  # fmt: skip
@settings(max_examples=3000, deadline=None)
def test_plain_requirements(name: str, clauses: list[str], comma: str) -> None:
    requirement = name + comma.join(clauses)
    _specifier_text.cache_clear()
    assert _specifier_text(requirement) == _specifier_of_requirement(requirement)


@pytest.mark.parametrize("requirement", [
    "requests>=2.33.0,<3", "requests >= 2.33.0 , < 3", " requests", "requests-hardened>=1.3.0b1,<2.0.0",
    "types-requests>=2.33.0.20260712,<3", "a===weird", "a==1.*", "a>=1.*", "a~=1", "a>=1 <2", "a[b]>=1",
    "a (>=1)", "a>=1; python_version<'3.11'", "a @ https://x/a.whl", "numpy 1.10.*", 'a = "^1.2"', "a==",
    "a>=1,", "a,>=1", "-a>=1", "a-b>=1.0.post1.dev2+local.1",
])  # fmt: skip
def test_the_plain_reading_on_the_edges(requirement: str) -> None:
    _specifier_text.cache_clear()
    assert _specifier_text(requirement) == _specifier_of_requirement(requirement)


def test_a_plain_requirement_does_not_import_packaging_requirements() -> None:
    code = ("import sys; from hallucheck.resolve.resolver import _specifier_text; "
            "print(_specifier_text('requests>=2.33.0,<3'), 'packaging.requirements' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["<3,>=2.33.0", "False"] or done.stdout.split() == [">=2.33.0,<3", "False"]
