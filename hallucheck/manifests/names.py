"""Requirement strings and distribution names, through :mod:`packaging`."""

from __future__ import annotations


def canonical_name(name: str) -> str:
    """The PEP 503 normalised form of a distribution name."""
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def parse_requirement(text: str) -> str:
    """The normalised distribution name of a PEP 508 requirement; ValueError when it is not one."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return canonical_name(Requirement(text).name)
    except InvalidRequirement as error:
        raise ValueError(str(error).splitlines()[0]) from None
