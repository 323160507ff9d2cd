"""Bundled knowledge about import names: which distribution provides them, and stale paths.

Four data files ship in ``hallucheck/data`` (their format is described in their
header comments and in ``docs/mapping.md``):

``import_names.tsv``
    Import name -> PyPI distribution, for names that differ from the
    distribution's own name (``yaml`` -> ``pyyaml``, ``google.cloud.storage`` ->
    ``google-cloud-storage``).
``namespace_roots.txt``
    Top-level names shared by many distributions (``google``, ``azure``), which
    never identify a distribution on their own.
``stale_modules.tsv``
    Module paths (or names imported from a module) that moved or were removed,
    with the version that removed (or deprecated) them and the modern replacement.
``conda_names.tsv``
    conda package names that package a differently named PyPI distribution
    (``pytorch`` -> ``torch``).
``wrong_import_names.tsv``
    Names code imports that are no module: a distribution's or conda package's name (``pytorch``,
    ``pillow``, ``beautifulsoup4``) or a module name in the wrong case (``pil``), with the module to import.

The files are read once, on first use. Nothing here looks at the running
environment: the answers are the same whatever is installed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

from hallucheck.data import read_data
from hallucheck.lazy import FrozenSlots, LazyPattern, Slots

__all__ = [
    "StaleModule",
    "WrongImportName",
    "conda_distributions",
    "heuristic_import_names",
    "import_names_of",
    "import_names_table",
    "is_namespace_root",
    "known_distributions",
    "matches_declared",
    "normalize_distribution",
    "squash_name",
    "stale_module",
    "wrong_import_name",
]

_SEPARATORS = LazyPattern(r"[-_.]+")

_NAME_PREFIXES = ("python3-", "python-", "py-", "django-")
"""Prefixes that a distribution name often adds to its import name (``python-dateutil``)."""

_NAME_SUFFIXES = ("-python3", "-python", "-py3", "-py")
"""Suffixes that a distribution name often adds to its import name (``markdown-it-py``)."""


def normalize_distribution(name: str) -> str:
    """The PEP 503 normalised form of a distribution name (``Foo_Bar.baz`` -> ``foo-bar-baz``)."""
    return _SEPARATORS.sub("-", name).lower()


class StaleModule(FrozenSlots):
    """A module path, or a name imported from a module, that moved or was removed."""

    __slots__ = ("advice", "distribution", "module", "status")

    module: str
    """The key as written in the table: ``langchain.chat_models`` or ``pydantic:BaseSettings``."""
    distribution: str
    """The normalised name of the distribution the path belongs to."""
    status: str
    """``removed X`` or ``deprecated X`` (X the first version without it, or deprecating it; may be absent)."""
    advice: str
    """The modern path or what to do instead, for a human."""

    def __init__(self, module: str, distribution: str, status: str, advice: str) -> None:
        fill = object.__setattr__
        fill(self, "module", module)
        fill(self, "distribution", distribution)
        fill(self, "status", status)
        fill(self, "advice", advice)

    @property
    def deprecated(self) -> bool:
        """Still shipped, only deprecated: worth a warning, never an error."""
        return self.status.startswith("deprecated")

    @property
    def version(self) -> str:
        """The version of the change; ``""`` when the table does not know it."""
        return self.status.partition(" ")[2]


class WrongImportName(FrozenSlots):
    """A name code imports that no distribution installs as a module, and the module it stands for."""

    __slots__ = ("distribution", "module", "name", "reason")

    name: str
    """The top-level name as written (``pytorch``)."""
    module: str
    """The module to import instead (``torch``, ``google.protobuf``)."""
    distribution: str
    """The normalised name of the distribution that installs :attr:`module`."""
    reason: str
    """Why code writes the wrong name (``conda's name for PyTorch; ...``)."""

    def __init__(self, name: str, module: str, distribution: str, reason: str) -> None:
        fill = object.__setattr__
        fill(self, "name", name)
        fill(self, "module", module)
        fill(self, "distribution", distribution)
        fill(self, "reason", reason)


class _ImportTable(Slots):
    __slots__ = ("by_distribution", "by_import")

    by_import: dict[str, tuple[str, ...]]
    by_distribution: dict[str, tuple[str, ...]]

    def __init__(self, by_import: dict[str, tuple[str, ...]], by_distribution: dict[str, tuple[str, ...]]) -> None:
        self.by_import = by_import
        self.by_distribution = by_distribution


def _data_lines(name: str) -> list[str]:
    """The content lines of a bundled data file: without ``#`` comment lines and empty lines."""
    text = read_data(name)
    return [line for line in text.splitlines() if line and line[0] != "#"]


def _rows(name: str, count: int) -> list[list[str]]:
    """The tab-separated fields of each content line of a data file, which must have ``count`` of them."""
    rows = []
    for line in _data_lines(name):
        fields = line.split("\t")
        if len(fields) != count or "" in fields:
            if not line.strip():
                continue
            raise ValueError(f"hallucheck/data/{name}: expected {count} non-empty fields in {line!r}")
        rows.append(fields)
    return rows


@functools.cache
def _import_table() -> _ImportTable:
    # The file is sorted by (import name, distribution), so both tuples come out sorted.
    by_import: dict[str, tuple[str, ...]] = {}
    by_distribution: dict[str, tuple[str, ...]] = {}
    for module, distribution in _rows("import_names.tsv", 2):
        by_import[module] = (*by_import.get(module, ()), distribution)
        by_distribution[distribution] = (*by_distribution.get(distribution, ()), module)
    return _ImportTable(by_import, by_distribution)


@functools.cache
def _conda_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for conda, distribution, _source in _rows("conda_names.tsv", 3):
        table[conda] = (*table.get(conda, ()), distribution)
    return table


def conda_distributions(conda_name: str) -> tuple[str, ...]:
    """The PyPI distributions a conda package installs, when its name differs (``pytorch`` -> ``torch``)."""
    return _conda_table().get(normalize_distribution(conda_name), ())


@functools.cache
def _wrong_table() -> dict[str, WrongImportName]:
    return {row[0]: WrongImportName(*row) for row in _rows("wrong_import_names.tsv", 4)}


def wrong_import_name(top_level: str) -> WrongImportName | None:
    """The bundled entry for a top-level name that is no module (``pytorch`` -> ``torch``), else None.

    Case matters (``pil`` is listed, ``PIL`` is the module); the caller asks only about names nothing resolved.
    """
    return _wrong_table().get(top_level)


@functools.cache
def _namespace_roots() -> frozenset[str]:
    return frozenset(line.strip() for line in _data_lines("namespace_roots.txt")) - {""}


@functools.cache
def _stale_table() -> dict[str, StaleModule]:
    entries = (StaleModule(*fields) for fields in _rows("stale_modules.tsv", 4))
    return {entry.module: entry for entry in entries}


def _dotted_prefixes(module: str) -> Iterator[str]:
    """``module`` and then each dotted parent, longest first (``a.b.c``, ``a.b``, ``a``)."""
    while module:
        yield module
        module = module.rpartition(".")[0]


def known_distributions(module: str) -> tuple[str, ...]:
    """Distributions that the bundled table says provide dotted ``module``, by longest dotted-prefix match.

    ``google.cloud.storage.blob`` -> ``("google-cloud-storage",)``; ``cv2`` gives
    every OpenCV wheel. The result is ``()`` when the table has nothing, which is
    the case for every import name that equals its distribution's name
    (``requests``): the table lists only names that differ. A namespace root
    alone (``google``) never matches. Several providers come in alphabetical
    order, which implies no preference.
    """
    table = _import_table().by_import
    roots = _namespace_roots()
    for prefix in _dotted_prefixes(module):
        if prefix in roots:
            break
        if prefix in table:
            return table[prefix]
    return ()


def is_namespace_root(top_level: str) -> bool:
    """Whether ``top_level`` is a namespace shared by many distributions (``google``, ``azure``)."""
    return top_level in _namespace_roots()


def import_names_of(distribution: str) -> tuple[str, ...]:
    """Import names (dotted where namespaced) the table gives for a distribution (reverse lookup).

    ``distribution`` may be written in any form (``PyYAML``, ``ruamel.yaml``); the
    result is sorted, and ``()`` when the table has no line for it (its import
    name is then usually its own name, see :func:`heuristic_import_names`).
    """
    return _import_table().by_distribution.get(normalize_distribution(distribution), ())


def import_names_table() -> Mapping[str, tuple[str, ...]]:
    """The whole reverse table, read-only: each distribution it lists (normalised) with its import names.

    For callers that scan every entry (the typo check compares new names with the import names of popular
    distributions); :func:`import_names_of` answers for one distribution.
    """
    return MappingProxyType(_import_table().by_distribution)


@functools.lru_cache(maxsize=4096)
def heuristic_import_names(distribution: str) -> frozenset[str]:
    """Import names a distribution plausibly provides from its name alone.

    Mechanical rules on the normalised name, each result with ``-`` -> ``_``:

    * the name itself (``typing-extensions`` -> ``typing_extensions``);
    * without one ``python-``/``python3-``/``py-``/``django-`` prefix or
      ``-python``/``-python3``/``-py``/``-py3`` suffix (``python-dotenv`` ->
      ``dotenv``, ``markdown-it-py`` -> ``markdown_it``, ``django-environ`` ->
      ``environ``). ``py`` without a hyphen is not stripped (``pyarrow`` is not
      ``arrow``), nor ``flask-`` (Flask extensions import as ``flask_foo``, which
      the first rule gives, while ``flask-sqlalchemy`` -> ``sqlalchemy`` would
      name another distribution);
    * for a name that starts with a namespace root, the dotted forms
      (``zope-interface`` -> ``zope.interface``, ``backports-functools-lru-cache``
      -> ``backports.functools_lru_cache`` and ``backports.functools.lru.cache``).

    Used ONLY to match declared distributions against imports, never to invent a
    distribution for an import: the guesses may name modules that do not exist.
    """
    name = normalize_distribution(distribution)
    stems = {name}
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            stems.add(name[len(prefix) :])
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stems.add(name[: -len(suffix)])
    names = {stem.replace("-", "_") for stem in stems}
    for root in _namespace_roots():
        head = normalize_distribution(root) + "-"
        if name.startswith(head) and len(name) > len(head):
            rest = name[len(head) :]
            names.add(f"{root}.{rest.replace('-', '_')}")
            names.add(f"{root}.{rest.replace('-', '.')}")
    return frozenset(names)


@functools.lru_cache(maxsize=4096)
def _squashed_import_names(distribution: str) -> frozenset[str]:
    return frozenset(squash_name(name) for name in heuristic_import_names(distribution))


def squash_name(name: str) -> str:
    """``name`` without separators (``-_.``) and in lower case: how declared names are matched to imports."""
    return _SEPARATORS.sub("", name).lower()


def matches_declared(top_level: str, distribution: str) -> bool:
    """Whether the import name ``top_level`` plausibly belongs to the declared ``distribution``, by name alone.

    :func:`heuristic_import_names`, compared without separators and case: ``clean-text``
    provides ``cleantext``, ``python-Levenshtein`` provides ``Levenshtein``. Like that
    function, used only to match a *declared* distribution.
    """
    return top_level in heuristic_import_names(distribution) or squash_name(top_level) in _squashed_import_names(
        distribution
    )


def stale_module(module: str, imported_names: Sequence[str] = ()) -> StaleModule | None:
    """A table entry for ``module`` or a dotted parent, or for ``module:name`` with a name of imported_names.

    ``imported_names`` are the names of ``from module import a, b`` (empty for
    ``import module``). The module and its parents come first, longest first;
    then, for each name in order, the ``module:name`` entry and the entry for the
    submodule ``module.name`` (``from sklearn import cross_validation``).
    """
    table = _stale_table()
    for prefix in _dotted_prefixes(module):
        if prefix in table:
            return table[prefix]
    for name in imported_names:
        entry = table.get(f"{module}:{name}") or table.get(f"{module}.{name}")
        if entry is not None:
            return entry
    return None
