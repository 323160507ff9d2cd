"""The bundled index of what curated distributions ship: modules, names, requirements (``hallucheck/data/index``).

Built by ``scripts/build_index.py`` from the distributions' wheels (see
``docs/index.md``). ``catalog.json`` lists each distribution's indexed versions,
their ``Requires-Dist`` and the top-level modules each version owns; one
compressed file per distribution (``NAME.json.z``) holds its modules, each with
the versions that ship it, the versions where its namespace is *open* (dynamic:
any name may exist) and the names it defines in the others.

Nothing is read until a question needs it: :func:`is_indexed` only looks for the
distribution's file, the catalog is read on the first question, and a
distribution's modules when an import of it is judged. A verdict is only ever
about the indexed versions the declaration allows; anything the index cannot see
(an open module, a path outside the distribution, a declaration that allows no
indexed version) gives no verdict, and resolution goes on as it would without it.
"""

from __future__ import annotations

import enum
import functools
import os
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from hallucheck.data import DATA_DIRECTORY
from hallucheck.lazy import LazyPattern, Slots, record

__all__ = [
    "Chain",
    "IndexedDistribution",
    "Verdict",
    "VerdictKind",
    "describe",
    "is_indexed",
    "judge",
    "load",
    "owners",
    "requirement_chain",
    "top_level_modules",
]

INDEX_DIRECTORY = os.path.join(DATA_DIRECTORY, "index")
_SEPARATORS = LazyPattern(r"[-_.]+")
_NAME = LazyPattern(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA_MARKER = LazyPattern(r"""extra\s*==\s*["']([^"']+)["']""")
_MAX_DEPTH = 4


def _normalize(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()


@functools.lru_cache(maxsize=1024)
def is_indexed(distribution: str) -> bool:
    """Whether the index describes ``distribution`` (normalised): one stat, nothing read."""
    return bool(distribution) and os.path.isfile(os.path.join(INDEX_DIRECTORY, f"{distribution}.json.z"))


@functools.cache
def _catalog() -> dict[str, dict[str, Any]]:
    import json

    with open(os.path.join(INDEX_DIRECTORY, "catalog.json"), encoding="utf-8") as stream:
        data: dict[str, dict[str, Any]] = json.load(stream)["distributions"]
    return data


class Status(enum.Enum):
    PRESENT = "present"
    MISSING = "missing"
    OPEN = "open"
    """A module on the path has a dynamic namespace: any name or submodule may exist."""
    OUTSIDE = "outside"
    """The path is not under a top-level module this version ships."""


class _Look(Slots):
    __slots__ = ("is_name", "missing", "module", "status")

    status: Status
    module: str
    """For MISSING: the deepest module of the path that exists; for OPEN: the open module."""
    missing: str
    """For MISSING: what is not there (a module path, or a name of :attr:`module`)."""
    is_name: bool

    def __init__(self, status: Status, module: str = "", missing: str = "", is_name: bool = False) -> None:
        self.status = status
        self.module = module
        self.missing = missing
        self.is_name = is_name


class IndexedDistribution:
    """One distribution's indexed versions and modules."""

    def __init__(self, name: str, entry: Mapping[str, Any], modules: dict[str, list[Any]]) -> None:
        self.name = name
        self.versions: tuple[str, ...] = tuple(str(item) for item in entry["versions"])
        self.wheels: tuple[tuple[str, ...], ...] = tuple(tuple(item) for item in entry["wheels"])
        self.requires: tuple[tuple[str, ...], ...] = tuple(tuple(item) for item in entry["requires"])
        self.roots: tuple[tuple[str, ...], ...] = tuple(tuple(item) for item in entry["roots"])
        self._modules = modules

    def ships_modules(self, bit: int) -> bool:
        return bool(self.roots[bit])

    def owns(self, path: str, bit: int) -> bool:
        return any(path == root or path.startswith(root + ".") for root in self.roots[bit])

    def has_module(self, module: str, bit: int) -> bool:
        entry = self._modules.get(module)
        return entry is not None and bool(int(entry[0]) >> bit & 1)

    def is_open(self, module: str, bit: int) -> bool:
        """Whether any name may exist in ``module`` (its namespace is dynamic) in version ``bit``."""
        entry = self._modules.get(module)
        return entry is not None and bool(int(entry[1]) >> bit & 1)

    def has_open_submodules(self, module: str, bit: int) -> bool:
        """Whether submodules no file shows may exist under ``module`` (``sys.modules``/``__path__`` writes)."""
        entry = self._modules.get(module)
        return entry is not None and bool(int(entry[2]) >> bit & 1)

    def names(self, module: str, bit: int) -> list[str]:
        """The names ``module`` defines in version ``bit`` (empty when it is open or absent)."""
        entry = self._modules.get(module)
        if entry is None:
            return []
        closed = int(entry[0]) & ~int(entry[1])
        if not closed >> bit & 1:
            return []
        members: dict[str, int] = entry[3]
        return [name for name, mask in members.items() if (mask or closed) >> bit & 1]

    def has_name(self, module: str, name: str, bit: int) -> bool:
        entry = self._modules.get(module)
        if entry is None:
            return False
        members: dict[str, int] = entry[3]
        mask = members.get(name)
        if mask is None:
            return False
        return bool((mask or int(entry[0]) & ~int(entry[1])) >> bit & 1)

    def gone_message(self, module: str, name: str) -> str:
        """What the module's ``__getattr__`` says about a name it refuses ("" when nothing)."""
        entry = self._modules.get(module)
        if entry is None:
            return ""
        gone: dict[str, str] = entry[4]
        return gone.get(name, "")

    def open_reason(self, module: str) -> str:
        entry = self._modules.get(module)
        return str(entry[5]) if entry is not None else ""

    def modules(self, bit: int) -> list[str]:
        return [name for name, entry in self._modules.items() if int(entry[0]) >> bit & 1]

    def look(self, path: str, bit: int, *, as_module: bool) -> _Look:
        """Whether version ``bit`` ships dotted ``path``: a module, or (``from a import b``) a name of its parent.

        Submodules need a file (or a ``sys.modules``/``__path__`` write, which opens
        them); a name needs the parent's namespace to define it, or to be open.
        ``import a.b`` where ``b`` is only a name of ``a`` is not judged missing.
        """
        if not self.owns(path, bit):
            return _Look(Status.OUTSIDE)
        if self.has_module(path, bit):
            return _Look(Status.PRESENT, path)
        parts = path.split(".")
        for end in range(len(parts) - 1, 0, -1):
            ancestor = ".".join(parts[:end])
            if not self.has_module(ancestor, bit):
                continue
            if any(self.has_open_submodules(".".join(parts[:stop]), bit) for stop in range(1, end + 1)):
                return _Look(Status.OPEN, ancestor)
            if end == len(parts) - 1:
                if self.has_name(ancestor, parts[-1], bit):
                    return _Look(Status.PRESENT, ancestor)
                if as_module:  # `import a.b` needs a module file, whatever a's namespace does
                    return _Look(Status.MISSING, ancestor, path)
                if self.is_open(ancestor, bit):
                    return _Look(Status.OPEN, ancestor)
                return _Look(Status.MISSING, ancestor, parts[-1], is_name=True)
            return _Look(Status.MISSING, ancestor, ".".join(parts[: end + 1]))
        return _Look(Status.OUTSIDE)


@functools.cache
def load(distribution: str) -> IndexedDistribution | None:
    """The indexed distribution (normalised name), read and decompressed on first use; None when not indexed."""
    import json

    if not is_indexed(distribution):
        return None
    entry = _catalog().get(distribution)
    if entry is None:
        return None
    with open(os.path.join(INDEX_DIRECTORY, f"{distribution}.json.z"), "rb") as stream:
        data = json.loads(zlib.decompress(stream.read()))
    return IndexedDistribution(distribution, entry, data["modules"])


class VerdictKind(enum.Enum):
    PRESENT = "present"
    """Every allowed indexed version ships it."""
    MISSING = "missing"
    """The newest allowed indexed version does not ship it."""
    PARTLY = "partly"
    """The newest allowed version ships it, an older allowed one does not."""


class Verdict(Slots):
    __slots__ = (
        "allowed",
        "distribution",
        "gone",
        "kind",
        "lacking",
        "path",
        "shipping",
        "suggest",
        "unknown",
        "via",
        "what",
    )  # fmt: skip
    _fields = ("kind", "distribution", "path", "allowed", "lacking", "shipping", "what", "gone", "via", "unknown")

    kind: VerdictKind
    distribution: str
    path: str
    allowed: tuple[str, ...]
    """The indexed versions the declaration allows, oldest first."""
    lacking: tuple[str, ...]
    """Allowed versions that do not ship it."""
    shipping: tuple[str, ...]
    """Indexed versions (allowed or not) that ship it."""
    what: str
    """What is missing, for a message: ``module `a.b` `` or ``name `x` in `a.b` ``."""
    suggest: Callable[[], str] | None
    """What the distribution ships near it (closest names, the module's neighbours), computed for a message only."""
    gone: str
    """The distribution's own words about the removal (a ``__getattr__`` message)."""
    via: tuple[str, ...]
    """When the path belongs to a requirement: the distributions from the declared one to its owner."""

    unknown: tuple[str, ...]
    """Indexed versions whose namespace on the path is open (they cannot tell)."""

    def __init__(
        self, kind: VerdictKind, distribution: str, path: str, allowed: tuple[str, ...],
        lacking: tuple[str, ...] = (), shipping: tuple[str, ...] = (), what: str = "",
        suggest: Callable[[], str] | None = None, gone: str = "", via: tuple[str, ...] = (),
        unknown: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        self.kind = kind
        self.distribution = distribution
        self.path = path
        self.allowed = allowed
        self.lacking = lacking
        self.shipping = shipping
        self.what = what
        self.suggest = suggest
        self.gone = gone
        self.via = via
        self.unknown = unknown

    @property
    def stale(self) -> bool:
        """Shipped by an indexed version, or refused by name by the distribution's own code: moved or removed."""
        return bool(self.shipping or self.gone)

    def describe(self) -> str:
        """The finding's note: what is missing where, what shipped it, what is near."""
        owner = self.via[-1] if self.via else self.distribution
        versions = _span(self.lacking)
        if self.kind is VerdictKind.PARTLY:
            text = (f"{self.what} is in `{owner}` {_span(self.shipping)} but not in {versions}, which the "
                    f"declaration also allows")  # fmt: skip
        elif self.shipping:
            text = f"{self.what} is not in `{owner}` {versions} (removed; present in {_span(self.shipping)})"
        elif self.gone:
            text = f"{self.what} is not in `{owner}` {versions} (removed; {owner} says: {self.gone.strip()})"
        else:
            text = f"`{owner}` ships no {self.what} (indexed: {_span(self.allowed)})"
        if self.unknown and not self.shipping and not self.gone:
            text += f"; {_span(self.unknown)} cannot tell (dynamic namespace)"
        if self.via:
            text += f", which `{self.via[0]}` brings in through " + " -> ".join(f"`{item}`" for item in self.via[1:])
        nearby = self.suggest() if self.suggest is not None else ""
        if nearby:
            text += f"; {nearby}"
        return text


def _span(versions: Sequence[str]) -> str:
    if not versions:
        return ""
    return versions[0] if len(versions) == 1 else f"{', '.join(versions[:-1])} and {versions[-1]}"


def _allowed_bits(found: IndexedDistribution | Sequence[str], specifiers: Iterable[str]) -> list[int]:
    """Indexes of the versions (of ``found``, or the versions given) any of ``specifiers`` allows ("" allows all)."""
    versions = found.versions if isinstance(found, IndexedDistribution) else found
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    bits: set[int] = set()
    for text in specifiers:
        try:
            allowed = SpecifierSet(text)
        except InvalidSpecifier:
            return list(range(len(versions)))
        for bit, version in enumerate(versions):
            try:
                if allowed.contains(Version(version), prereleases=True):
                    bits.add(bit)
            except InvalidVersion:
                continue
    return sorted(bits)


def judge(
    distribution: str, path: str, specifiers: Sequence[str], *, as_module: bool, depth: int = 0
) -> Verdict | None:
    """What the index says about dotted ``path`` in the versions of ``distribution`` that ``specifiers`` allow.

    ``as_module`` is True for ``import a.b`` (``a.b`` must be a module or a name of
    ``a``), False for ``from a import b``. None when the index cannot tell: the
    distribution is not indexed, no indexed version is allowed, the newest allowed
    one has an open namespace on the path, or the path is not the distribution's
    (nor a requirement's it depends on for that path, as a meta-package does).
    """
    found = load(distribution)
    if found is None:
        return None
    bits = _allowed_bits(found, specifiers or [""])
    if not bits:
        return None
    newest = bits[-1]
    look = found.look(path, newest, as_module=as_module)
    every = range(len(found.versions))
    if look.status is Status.OUTSIDE:
        through = _through_requirement(found, path, newest, as_module=as_module, depth=depth)
        if through is not None or not any(found.owns(path, bit) for bit in every):
            return through
        look = _Look(Status.MISSING, "", path.split(".")[0])  # a top-level module the distribution dropped
    if look.status is Status.OPEN:
        return None
    allowed = tuple(found.versions[bit] for bit in bits)
    looks = {bit: found.look(path, bit, as_module=as_module) for bit in every}
    shipping = tuple(found.versions[bit] for bit, item in looks.items() if item.status is Status.PRESENT)
    lacking = tuple(found.versions[bit] for bit in bits if looks[bit].status in (Status.MISSING, Status.OUTSIDE))
    if look.status is Status.PRESENT:
        if not lacking:
            return Verdict(VerdictKind.PRESENT, distribution, path, allowed, shipping=shipping)
        first = next((item for item in looks.values() if item.status is Status.MISSING), _Look(Status.MISSING))
        return Verdict(VerdictKind.PARTLY, distribution, path, allowed, lacking, shipping, _what(path, first))
    gone = found.gone_message(look.module, look.missing) if look.is_name else ""
    suggest = functools.partial(_nearby, found, look, newest)
    if not look.is_name and look.missing:  # a module is missing: the versions that have it shipped the path
        shipping = tuple(version for bit, version in enumerate(found.versions)
                         if version in shipping or found.has_module(look.missing, bit))  # fmt: skip
    unknown = tuple(found.versions[bit] for bit, item in looks.items() if item.status is Status.OPEN)
    return Verdict(VerdictKind.MISSING, distribution, path, allowed, lacking, shipping, _what(path, look), suggest,
                   gone, unknown=unknown)  # fmt: skip


def _through_requirement(
    found: IndexedDistribution, path: str, bit: int, *, as_module: bool, depth: int
) -> Verdict | None:
    """A meta-package's path: the requirement (indexed, owning the path) of the newest allowed version decides."""
    if depth >= _MAX_DEPTH:
        return None
    for requirement in found.requires[bit]:
        if "extra ==" in requirement.replace(" ", " "):
            continue
        name, _extras, specifier = _split_requirement(requirement)
        if name not in owners(path):
            continue
        verdict = judge(name, path, [specifier], as_module=as_module, depth=depth + 1)
        if verdict is None:
            return None
        return _replace_via(verdict, (found.name, *(verdict.via or (verdict.distribution,))))
    return None


def _replace_via(verdict: Verdict, via: tuple[str, ...]) -> Verdict:
    from hallucheck.lazy import replace

    return replace(verdict, distribution=via[0], via=via)


def _split_requirement(requirement: str) -> tuple[str, frozenset[str], str]:
    """Name (normalised), extras and version specifier of a Requires-Dist value (markers dropped)."""
    head = requirement.split(";")[0]
    match = _NAME.match(head)
    if not match:
        return "", frozenset(), ""
    extras = frozenset(_normalize(item.strip()) for item in (match.group(2) or "").split(",") if item.strip())
    specifier = head[match.end():].strip().strip("()").strip()
    return _normalize(match.group(1)), extras, specifier


def _what(path: str, look: _Look) -> str:
    if look.is_name:
        return f"name `{look.missing}` in `{look.module}`"
    return f"module `{look.missing or path}`"


def _is_test(module: str) -> bool:
    return any(part in ("tests", "test", "testing", "conftest") or part.startswith(("test_", "_"))
               for part in module.split(".")[1:])  # fmt: skip


def _nearby(found: IndexedDistribution, look: _Look, bit: int) -> str:
    """Suggestions from the newest allowed version: close names, the module that defines the name, neighbours."""
    import difflib

    version = found.versions[bit]
    if look.is_name:
        names = [name for name in found.names(look.module, bit) if not name.startswith("_")]
        close = difflib.get_close_matches(look.missing, names, n=3, cutoff=0.6)
        homes = [module for module in found.modules(bit)
                 if module != look.module and not _is_test(module) and found.has_name(module, look.missing, bit)
                 ][:3]  # fmt: skip
        parts = []
        if close:
            parts.append(f"`{look.module}` {version} has " + ", ".join(f"`{name}`" for name in close))
        if homes:
            parts.append(f"`{look.missing}` is defined in " + ", ".join(f"`{module}`" for module in homes))
        return "; ".join(parts)
    missing = look.missing
    parent = look.module
    siblings = sorted({module[len(parent) + 1:].split(".")[0] for module in found.modules(bit)
                       if module.startswith(parent + ".")})  # fmt: skip
    leaf = missing.rpartition(".")[2]
    close = difflib.get_close_matches(leaf, siblings, n=3, cutoff=0.6)
    same_leaf = [module for module in found.modules(bit) if module.rpartition(".")[2] == leaf][:3]
    parts = []
    if close:
        parts.append("closest: " + ", ".join(f"`{parent}.{name}`" for name in close))
    elif same_leaf:
        parts.append("closest: " + ", ".join(f"`{module}`" for module in same_leaf))
    public = [name for name in siblings if not name.startswith("_")]
    if public and not close:
        shown = ", ".join(public[:8]) + (", ..." if len(public) > 8 else "")
        parts.append(f"`{parent}` {version} has submodules {shown}")
    return "; ".join(parts)


# ------------------------------------------------------------------------------------------- requirements


@record(frozen=True)
class Chain:
    """How a declared distribution brings another one: ``declared -> ... -> provider``."""

    distributions: tuple[str, ...]
    meta: bool
    """The declared distribution ships no module of its own (``llama-index``): its requirements are the install."""

    @property
    def provider(self) -> str:
        return self.distributions[-1]

    def describe(self) -> str:
        return " -> ".join(f"`{name}`" for name in self.distributions)


def _requirements(name: str, extras: frozenset[str], specifier: str) -> list[tuple[str, frozenset[str], str]]:
    """The requirements of the indexed versions ``specifier`` allows (with the requested ``extras``)."""
    entry = _catalog().get(name)
    if entry is None:
        return []
    versions = [str(item) for item in entry["versions"]]
    bits = _allowed_bits(versions, [specifier]) or [len(versions) - 1]
    result: dict[str, tuple[str, frozenset[str], str]] = {}
    for bit in bits:
        for requirement in entry["requires"][bit]:
            marker = _EXTRA_MARKER.search(requirement)
            if marker and _normalize(marker.group(1)) not in extras:
                continue
            child, child_extras, child_specifier = _split_requirement(requirement)
            if child and child not in result:
                result[child] = (child, child_extras, child_specifier)
    return list(result.values())


def requirement_chain(declared: Mapping[str, Sequence[str]], providers: Iterable[str]) -> Chain | None:
    """The shortest chain from a declared indexed distribution to one of ``providers`` through requirements.

    ``declared`` maps each declared distribution (normalised) to its requirement
    texts (``kombu[mongodb]>=5``); the requirements of an indexed distribution are
    read for the versions its declaration allows, extras honoured, other markers
    assumed true. Only indexed distributions are followed.
    """
    wanted = set(providers)
    if not wanted:
        return None
    queue: list[tuple[tuple[str, ...], frozenset[str], str]] = []
    for name in sorted(declared):
        if not is_indexed(name):
            continue
        for text in declared[name] or ("",):
            _name, extras, specifier = _split_requirement(text) if text else ("", frozenset(), "")
            queue.append(((name,), extras, specifier))
    seen: set[str] = set()
    while queue:
        path, extras, specifier = queue.pop(0)
        current = path[-1]
        if len(path) > _MAX_DEPTH:
            continue
        for child, child_extras, child_specifier in _requirements(current, extras, specifier):
            if child in wanted:
                return Chain((*path, child), meta=len(path) == 1 and _is_meta(path[0], specifier))
            if child not in seen and is_indexed(child):
                seen.add(child)
                queue.append(((*path, child), child_extras, child_specifier))
    return None


def _is_meta(name: str, specifier: str) -> bool:
    """Whether the newest version of ``name`` that ``specifier`` allows ships no module of its own."""
    entry = _catalog().get(name)
    if entry is None:
        return False
    versions = [str(item) for item in entry["versions"]]
    bits = _allowed_bits(versions, [specifier]) or [len(versions) - 1]
    return not entry["roots"][bits[-1]]


@functools.lru_cache(maxsize=256)
def owners(module: str) -> tuple[str, ...]:
    """Indexed distributions some version of which owns dotted ``module`` (reads the catalog only)."""
    roots = _roots()
    parts = module.split(".")
    found: set[str] = set()
    for end in range(1, len(parts) + 1):
        found.update(roots.get(".".join(parts[:end]), ()))
    return tuple(sorted(found))


def top_level_modules(distribution: str) -> tuple[str, ...]:
    """The top-level modules any indexed version of ``distribution`` (normalised) owns, sorted; ``()`` if none."""
    entry = _catalog().get(distribution)
    if entry is None:
        return ()
    return tuple(sorted({str(root) for version in entry["roots"] for root in version}))


@functools.cache
def _roots() -> dict[str, frozenset[str]]:
    """Each top-level module any indexed version owns -> the distributions owning it."""
    table: dict[str, set[str]] = {}
    for name, entry in _catalog().items():
        for version in entry["roots"]:
            for root in version:
                table.setdefault(str(root), set()).add(name)
    return {root: frozenset(names) for root, names in table.items()}


def describe(distribution: str, module: str, name: str | None = None) -> list[str]:
    """Lines for ``explain-import``: the indexed versions and what each says about the module (and name)."""
    found = load(distribution)
    if found is None:
        return []
    lines = [f"module index: `{distribution}` {_span(found.versions)}"]
    for bit, version in enumerate(found.versions):
        if not found.ships_modules(bit):
            lines.append(f"  {version}: ships no module (requires {', '.join(found.requires[bit][:6])})")
            continue
        if not found.has_module(module, bit):
            look = found.look(module, bit, as_module=True)
            state = {Status.OUTSIDE: "not this distribution's", Status.OPEN: f"under open `{look.module}`"}.get(
                look.status, "no such module")
            lines.append(f"  {version}: {module}: {state}")
            continue
        if found.is_open(module, bit):
            reason = found.open_reason(module)
            lines.append(f"  {version}: {module}: open ({reason or 'dynamic namespace'}): any name may exist")
            continue
        names = [item for item in found.names(module, bit) if not item.startswith("_")]
        text = f"  {version}: {module}: {len(names)} public names"
        if name is not None:
            text += f"; `{name}` " + ("present" if found.has_name(module, name, bit) else "absent")
        else:
            text += ": " + ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        lines.append(text)
    return lines
