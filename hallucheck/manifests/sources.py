"""Where a requirement installs from, and what an approval of one covers: the name from that source.

``[tool.hallucheck.approved]`` maps a distribution name to the requirement that was approved
(``fakepkg-zz = "fakepkg-zz==1.0"``). A name alone is not what was reviewed: the same name from another
source is another package. An approval covers a requirement when both name the same source:

* the package index (any plain requirement: extras, version specifiers and markers do not change where the
  files come from, so a version bump stays covered);
* one direct reference (``name @ https://.../x.whl``, ``name @ git+https://...@v1``, a bare URL given to an
  installer): exactly that URL. Another URL, another commit, or the index instead of the URL is a new
  thing to review, and so is a URL instead of the index;
* another index, an extra index, a find-links location or a trusted host, written after the requirement as
  pip's command line takes them (``fakepkg-zz --index-url https://host/simple``): exactly that set of options.
  This is how a requirement reads when its manifest chooses the source apart from it (``-i`` in a
  requirements file, ``[[tool.uv.index]]``, a Poetry source, ``pip install --index-url ...``): a name
  approved from the package index is not approved from another index, nor with an extra index that anyone
  may publish the same name on (the classic dependency-confusion move), and the reverse.

A requirement that is not known (a finding about an import, not a manifest line) is covered by the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from hallucheck.lazy import LazyPattern, replace
from hallucheck.manifests.names import canonical_name

if TYPE_CHECKING:
    from hallucheck.manifests import Declared, Dependency, SourceOption

INDEX = "the package index"
DEFAULT_INDEXES = frozenset({"https://pypi.org/simple", "https://pypi.python.org/simple", "https://pypi.org/simple/",
                             "https://pypi.python.org/simple/"})  # fmt: skip
"""``--index-url`` values that name the default index: choosing it moves nothing."""
DEFAULT_CHANNELS = frozenset({"defaults", "conda-forge", "main", "anaconda", "pkgs/main", "pkgs/r", "nodefaults"})
"""conda channels that are conda's own default or its community's standard one: choosing them moves nothing."""
SOURCE_OPTIONS = ("--index-url", "--extra-index-url", "--find-links", "--trusted-host", "--no-index", "--index",
                  "--default-index", "--channel")  # fmt: skip
"""Options that choose a source, as they are written after a requirement (pip's and uv's spellings; conda's
channels)."""
_OPTION = LazyPattern(r"(?:^|\s)(--(?:index-url|extra-index-url|find-links|trusted-host|no-index|index|default-index"
                      r"|channel))(?=\s|=|$)")
_USERINFO = LazyPattern(r"(://)[^/@\s]*@")

# A direct reference without PEP 508's `name @`: a URL, or a VCS scheme (`git+https://`, `hg+ssh://`).
_URL = LazyPattern(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|(?:git|hg|svn|bzr)\+)[^\s\"',}\]]+")
_AT_URL = LazyPattern(r"@\s*(\S+)")


def source(requirement: str) -> str:
    """Where ``requirement`` installs from: :data:`INDEX`, the direct reference's URL as written, or the
    source options written after it (sorted, so that their order does not matter)."""
    text = requirement.strip()
    if "://" not in text and "+" not in text and "@" not in text and " --" not in text:
        return INDEX  # the common case, without a parser
    text, options = split_options(text)
    direct = _direct_source(text)
    if direct != INDEX or not options:
        return direct  # a direct reference installs from its URL, whatever the indexes
    return " ".join(options)


def split_options(requirement: str) -> tuple[str, list[str]]:
    """``requirement`` without the source options written after it, and those options (normalised: each
    ``--option value`` once, sorted; the default index dropped)."""
    found = _OPTION.search(requirement)
    if found is None:
        return requirement, []
    head, tokens = requirement[: found.start()].strip(), requirement[found.start() :].split()
    options: set[str] = set()
    index = 0
    while index < len(tokens):
        option, equals, value = tokens[index].partition("=")
        if option not in SOURCE_OPTIONS:
            index += 1
            continue
        if not equals and option != "--no-index" and index + 1 < len(tokens):
            value, index = tokens[index + 1], index + 1
        index += 1
        value = redacted(value)
        if option == "--index-url" and value.rstrip("/") + "/" in {url.rstrip("/") + "/" for url in DEFAULT_INDEXES}:
            continue
        if option == "--channel" and value.rstrip("/").removeprefix("https://conda.anaconda.org/") in DEFAULT_CHANNELS:
            continue
        options.add(f"{option} {value}".strip())
    return head, sorted(options)


def redacted(url: str) -> str:
    """``url`` without the credentials it may carry (``https://user:token@host`` -> ``https://***@host``): it is
    shown in messages and written into approvals."""
    return _USERINFO.sub(r"\1***@", url)


def with_options(requirement: str, options: Iterable[str]) -> str:
    """``requirement`` with the source ``options`` written after it (each once)."""
    written = list(dict.fromkeys(options))
    return " ".join([requirement, *written]) if written else requirement


def _direct_source(text: str) -> str:
    if "://" not in text and "+" not in text and "@" not in text:
        return INDEX
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


def options_note(requirement: str) -> str | None:
    """What the message of a requirement that its manifest moves to another index says about it; None when
    its source is the package index or a direct reference."""
    text, options = split_options(requirement)
    if not options or _direct_source(text) != INDEX:
        return None
    written = ", ".join(f"`{option}`" for option in options)
    return f"it installs from {written}, which its manifest sets: another source is another package to review"


def _from(where: str) -> str:
    return "from the package index" if where == INDEX else f"from `{where}`"


def options_for(place: Dependency, declared: Declared) -> list[SourceOption]:
    """The source options of ``declared`` that apply to ``place``: those of its file's include tree, and those
    that name it."""
    if not declared.source_options:
        return []
    root = _include_root(place.path, declared)
    return [option for option in declared.source_options
            if (option.name is None or option.name == place.name)
            and _include_root(option.scope, declared) == root]  # fmt: skip


def placed(place: Dependency, declared: Declared) -> Dependency:
    """``place`` with the source options that apply to it written after its requirement (see :func:`source`)."""
    options = options_for(place, declared)
    if not options:
        return place
    return replace(place, requirement=with_options(place.requirement, (option.text for option in options)))


def _include_root(path: str, declared: Declared) -> str:
    """The file at the top of ``path``'s chain of ``-r`` includes."""
    seen = {path}
    while path in declared.included_from:
        path = declared.included_from[path][0]
        if path in seen:
            break
        seen.add(path)
    return path


def declared_sources(declared: Declared) -> dict[str, set[str]]:
    """Normalised name -> the sources (:func:`source`) ``declared`` takes it from (build requirements too), and
    ``""`` -> every source option its manifests set."""
    sources: dict[str, set[str]] = {"": {option.text for option in declared.source_options}}
    for table in (declared.dependencies, declared.build_requires):
        for name, places in table.items():
            sources.setdefault(name, set()).update(source(placed(place, declared).requirement) for place in places)
    return sources
