"""The quick requirement reader accepts only what :mod:`packaging` accepts, and names the same distribution."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hallucheck.manifests.names import _simple_name, canonical_name, parse_requirement, valid_name

PIECES = st.sampled_from(
    ["requests", "Foo_Bar", "a", "z.9", "-", "_", ".", "[", "]", ",", " ", "\t", "x", "==", "!=", "~=", ">=",
     "<=", "<", ">", "===", "1", "0", "2.33", ".0", ".*", "a1", "b2", "rc3", ".post1", ".dev0", "+local", "!",
     ";", "@", "(", ")", "\n", "é", " ; ", "sys_platform", "python_version", "extra", " and ", " or ", " in ",
     " not in ", "'win32'", '"3.8"', "in", "not"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=14).map("".join))
def test_every_quick_match_is_a_requirement_packaging_accepts(text: str) -> None:
    if _simple_name(text) is None:
        return
    assert parse_requirement(text) == canonicalize_name(Requirement(text).name)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=6).map("".join))
def test_names_are_normalised_as_packaging_does(name: str) -> None:
    assert canonical_name(name) == canonicalize_name(name)
    try:
        expected: str | None = canonicalize_name(name, validate=True)
    except ValueError:
        expected = None
    try:
        found: str | None = valid_name(name)
    except ValueError:
        found = None
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "requests>=2.33.0,<3", "foo[bar, baz] >= 1.0 , != 1.5.*", "Django~=4.2", "a==1.0.*", "x.y_z",
        "b>1a1.post2.dev3", "python-magic>=0.4.27,<0.5 ; sys_platform != 'win32'",
        'tomli>=1.1; python_version < "3.11" and extra == "toml"',
    ],
)
def test_common_shapes_take_the_quick_path(text: str) -> None:
    assert _simple_name(text) is not None
    assert parse_requirement(text) == canonicalize_name(Requirement(text).name)


@pytest.mark.parametrize("text", ["a~=1", "a>=1.0.*", "a==", "a b", "-a", "a>=1,,2", "a; nonsense == '1'"])
def test_what_packaging_rejects_is_still_an_error(text: str) -> None:
    with pytest.raises(InvalidRequirement):
        Requirement(text)
    with pytest.raises(ValueError):
        parse_requirement(text)


MARKER_PIECES = st.sampled_from(
    ["sys_platform", "python_version", "extra", "os_name", " ", "\t", "==", "!=", "<", "in", "not", " in ", " not in ",
     "'win32'", '"3.8"', "'", '"', " and ", " or ", "and", "(", ")", "x"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["requests", "a_b[c]>=1", "x ==1.*", "y"]), st.lists(MARKER_PIECES, max_size=10).map("".join))
def test_every_quick_match_with_a_marker_is_one_packaging_accepts(head: str, marker: str) -> None:
    text = f"{head};{marker}"
    if _simple_name(text) is None:
        return
    assert parse_requirement(text) == canonicalize_name(Requirement(text).name)
