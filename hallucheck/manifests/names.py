"""Requirement strings and distribution names, through :mod:`packaging` where it takes more than a name.

A real project declares hundreds of requirements, and :mod:`packaging` costs about half a
millisecond to parse each (and more to import). The common shapes (a name, extras, version
specifiers) are recognised by one expression that accepts only what :mod:`packaging` accepts;
markers, URLs and anything unusual still go through :mod:`packaging`.
"""

from __future__ import annotations

import re

from hallucheck.lazy import LazyPattern

# ``name @ url`` where the url is not one packaging accepts (Hatch's ``{root:uri}`` context strings).
_NAME_AT = LazyPattern(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*@\s*\S")
_SEPARATORS = LazyPattern(r"[-_.]+")
_VALID_NAME = LazyPattern(r"[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9]", re.IGNORECASE | re.ASCII)
# A subset of PEP 508 (flat markers, no URLs) and of PEP 440 versions: every string it matches is a
# requirement packaging accepts (tests/test_requirement_names.py checks that on generated strings).
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_RELEASE = r"[0-9]+(?:\.[0-9]+)*"
_SUFFIX = r"(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
_SPECIFIER = (
    rf"(?:~=[ \t]*[0-9]+(?:\.[0-9]+)+{_SUFFIX}"
    rf"|(?:==|!=)[ \t]*{_RELEASE}(?:\.\*|{_SUFFIX})"
    rf"|(?:<=|>=|<|>)[ \t]*{_RELEASE}{_SUFFIX})"
)
_MARKER_VARIABLE = (
    r"(?:python_version|python_full_version|os_name|sys_platform|platform_release|platform_system"
    r"|platform_version|platform_machine|platform_python_implementation|implementation_name"
    r"|implementation_version|extra)"
)
_MARKER_TEST = (
    rf"{_MARKER_VARIABLE}(?:[ \t]*(?:===|==|!=|<=|>=|~=|<|>)[ \t]*|[ \t]+(?:not[ \t]+in|in)[ \t]+)"
    r"(?:'[^'\n]*'|\"[^\"\n]*\")"
)
# Three small expressions rather than one: a large one costs milliseconds to compile on every run.
_HEAD = LazyPattern(rf"[ \t]*(?P<name>{_NAME})[ \t]*(?:\[[ \t]*{_NAME}(?:[ \t]*,[ \t]*{_NAME})*[ \t]*\])?[ \t]*")
_ONE_SPECIFIER = LazyPattern(rf"[ \t]*{_SPECIFIER}[ \t]*")
_ONE_MARKER_TEST = LazyPattern(rf"[ \t]*{_MARKER_TEST}[ \t]*")
_AND_OR = LazyPattern(r"[ \t]+(?:and|or)[ \t]+")


def _simple_name(text: str) -> str | None:
    """The name of a requirement in the subset above; None when ``text`` is not in it (it may still be valid).

    The subset: ``name[extras]``, comma-separated version specifiers, and an optional marker of
    ``variable op 'string'`` tests joined by ``and``/``or``.
    """
    requirement, semicolon, marker = text.partition(";")
    head = _HEAD.match(requirement)
    if head is None or not requirement.isascii():
        return None
    rest = requirement[head.end() :]
    if rest and not all(_ONE_SPECIFIER.fullmatch(part) for part in rest.split(",")):
        return None
    if semicolon and not all(_ONE_MARKER_TEST.fullmatch(part) for part in _AND_OR.split(marker)):
        return None
    return head.group("name")


def canonical_name(name: str) -> str:
    """The PEP 503 normalised form of a distribution name (as ``packaging.utils.canonicalize_name``)."""
    return _SEPARATORS.sub("-", name).lower()


def valid_name(name: str) -> str:
    """The normalised form of ``name``; ValueError when it is not a valid distribution name."""
    if not _VALID_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid distribution name")
    return canonical_name(name)


def parse_requirement(text: str) -> str:
    """The normalised distribution name of a PEP 508 requirement; ValueError when it is not one."""
    simple = _simple_name(text)
    if simple is not None:
        return canonical_name(simple)
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return canonical_name(Requirement(text).name)
    except InvalidRequirement as error:
        named = _NAME_AT.match(text)
        if named:
            return canonical_name(named.group(1))
        raise ValueError(str(error).splitlines()[0]) from None


def name_of_file(filename: str) -> str | None:
    """The distribution a wheel or sdist file name belongs to, or None when it is neither."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None
