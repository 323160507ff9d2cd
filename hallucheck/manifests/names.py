"""Requirement strings and distribution names, through :mod:`packaging`."""

from __future__ import annotations

import re

# ``name @ url`` where the url is not one packaging accepts (Hatch's ``{root:uri}`` context strings).
_NAME_AT = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*@\s*\S")


def canonical_name(name: str) -> str:
    """The PEP 503 normalised form of a distribution name."""
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def valid_name(name: str) -> str:
    """The normalised form of ``name``; ValueError when it is not a valid distribution name."""
    from packaging.utils import InvalidName, canonicalize_name

    try:
        return str(canonicalize_name(name, validate=True))
    except InvalidName:
        raise ValueError(f"{name!r} is not a valid distribution name") from None


def parse_requirement(text: str) -> str:
    """The normalised distribution name of a PEP 508 requirement; ValueError when it is not one."""
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
