"""Where a requirement installs from, and what an approval of one covers: the name from that source.

``[tool.hallucheck.approved]`` maps a distribution name to the requirement that was approved
(``fakepkg-zz = "fakepkg-zz==1.0"``). A name alone is not what was reviewed: the same name from another
source is another package. An approval covers a requirement when both name the same source:

* the package index (any plain requirement: extras, version specifiers and markers do not change where the
  files come from, so a version bump stays covered);
* one direct reference (``name @ https://.../x.whl``, ``name @ git+https://...@v1``, a bare URL given to an
  installer): exactly that URL. Another URL, another commit, or the index instead of the URL is a new
  thing to review, and so is a URL instead of the index.

A requirement that is not known (a finding about an import, not a manifest line) is covered by the name.
"""

from __future__ import annotations

from collections.abc import Mapping

from hallucheck.lazy import LazyPattern
from hallucheck.manifests.names import canonical_name

INDEX = "the package index"

# A direct reference without PEP 508's `name @`: a URL, or a VCS scheme (`git+https://`, `hg+ssh://`).
_URL = LazyPattern(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|(?:git|hg|svn|bzr)\+)[^\s\"',}\]]+")
_AT_URL = LazyPattern(r"@\s*(\S+)")


def source(requirement: str) -> str:
    """Where ``requirement`` installs from: :data:`INDEX`, or the direct reference's URL as written."""
    text = requirement.strip()
    if "://" not in text and "+" not in text and "@" not in text:
        return INDEX  # the common case, without a parser
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        url = Requirement(text).url
    except InvalidRequirement:
        url = None
        at = _AT_URL.search(text)
        found = _URL.search(at.group(1) if at else text)
        if found is not None:
            url = found.group()
    return INDEX if url is None else url.strip()


def covers(approved: str, requirement: str | None) -> bool:
    """Whether an approval recorded as ``approved`` covers ``requirement`` (None: only the name is known)."""
    return requirement is None or source(approved) == source(requirement)


def is_approved(approved: Mapping[str, str], name: str | None, requirement: str | None = None) -> bool:
    """Whether ``approved`` (normalised name → approved requirement) covers ``name`` as ``requirement``."""
    entry = _entry(approved, name)
    return entry is not None and covers(entry, requirement)


def _entry(approved: Mapping[str, str], name: str | None) -> str | None:
    """The approved requirement of ``name``; the table's keys are normalised when read from a file, not always
    when built in code."""
    if name is None or not approved:
        return None
    if name in approved:
        return approved[name]
    wanted = canonical_name(name)
    return next((value for key, value in approved.items() if canonical_name(key) == wanted), None)


def uncovered_note(approved: Mapping[str, str], name: str | None, requirement: str | None) -> str | None:
    """Why an approval of ``name`` does not cover ``requirement``, for the message; None when it does or
    when there is none."""
    entry = _entry(approved, name)
    if entry is None or requirement is None or covers(entry, requirement):
        return None
    return (f"the approval of `{name}` covers `{entry}` ({_from(source(entry))}), not "
            f"{_from(source(requirement))}: another source is another package to review")


def _from(where: str) -> str:
    return "from the package index" if where == INDEX else f"from `{where}`"
