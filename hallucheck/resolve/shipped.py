"""Resolution by the bundled index: does the declared distribution ship what the import names?

Two questions, each asked only after the rest of resolution has decided:

* :func:`judge_declared` — the import resolved to a declared distribution: do the
  indexed versions its declaration allows ship the module (or name)? Missing from
  the newest allowed version is an error (stale when an indexed version shipped it,
  else never shipped); missing only from older allowed versions is a warning.
* :func:`through_requirement` — the import resolved to no declared distribution:
  does a declared distribution bring its provider through its requirements
  (``llama-index`` -> ``llama-index-core``, ``kombu[mongodb]`` -> ``pymongo``)? Then
  it is transitive (a warning), or served like a declared one when the declared
  distribution is a meta-package that ships no module of its own.

An installed environment is asked first by the resolver and wins over the index.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hallucheck.resolve import index, mapping
from hallucheck.resolve.resolver import Origin, Resolution, _allows_from, _specifier_text, imported_path

if TYPE_CHECKING:
    from hallucheck.manifests import Declared
    from hallucheck.sources.imported import ImportedModule

__all__ = ["judge_declared", "through_requirement"]

Trace = Callable[[str], None]


def _specifiers(declared: Declared, distribution: str) -> list[str]:
    places = declared.dependencies.get(distribution, ())
    return [_specifier_text(place.requirement) for place in places] or [""]


def _as_module(item: ImportedModule) -> bool:
    return not (item.kind == "from" and item.name and item.name != "*")


def judge_declared(
    item: ImportedModule, found: Resolution, stale: mapping.StaleModule | None, declared: Declared, trace: Trace
) -> Resolution | None:
    """The index's verdict on ``item`` for the declared distribution of ``found``; None when it cannot tell."""
    path = imported_path(item)
    for distribution in found.distributions:
        if not index.is_indexed(distribution):
            continue
        specifiers = _specifiers(declared, distribution)
        verdict = index.judge(distribution, path, specifiers, as_module=_as_module(item))
        if verdict is None:
            trace(f"module index: `{distribution}` cannot tell about `{path}` (open namespace, or no indexed version "
                  f"allowed by {', '.join(repr(text) for text in specifiers if text) or 'the declaration'})")
            continue
        return _resolution(verdict, found, stale, trace)
    return None


def _resolution(
    verdict: index.Verdict, found: Resolution, stale: mapping.StaleModule | None, trace: Trace
) -> Resolution | None:
    allowed = ", ".join(verdict.allowed)
    if verdict.kind is index.VerdictKind.PRESENT:
        owner = verdict.via[-1] if verdict.via else verdict.distribution
        brought = f", which `{verdict.distribution}` requires" if verdict.via else ""
        trace(f"module index: `{verdict.path}` is in every indexed `{owner}` version the declaration allows "
              f"({allowed}){brought}")  # fmt: skip
        if stale is not None:
            # The hand table's deprecation stands; so does a removal the index cannot see: a module kept only to
            # fail on use (pydantic.env_settings, botocore.vendored.requests), judged pin-aware by the table.
            return None
        return found
    note = verdict.describe()
    if stale is not None and not stale.deprecated:
        note += f"; use {stale.advice}" if "." in stale.advice.split(" ")[0] else f"; {stale.advice}"
    trace(f"module index: {note}")
    if verdict.kind is index.VerdictKind.PARTLY:
        return Resolution(Origin.PARTLY_SHIPPED, found.distributions, found.reason, note, places=found.places)
    origin = Origin.STALE if verdict.stale or stale is not None else Origin.NOT_SHIPPED
    return Resolution(origin, (verdict.distribution,), found.reason, note, places=found.places)


def through_requirement(
    item: ImportedModule, result: Resolution, declared: Declared, trace: Trace, base: Declared | None = None
) -> Resolution | None:
    """``item`` served by a declared indexed distribution the mapping does not name, or by one's requirement.

    The index knows which top-level modules each distribution owns, so a declared
    distribution that owned the module in some indexed version is asked first
    (``from llama_index import VectorStoreIndex`` with ``llama-index`` declared).
    """
    if not any(index.is_indexed(name) for name in declared.dependencies):
        return None
    path = imported_path(item)
    owned = _declared_owner(item, declared, base, trace)
    if owned is not None:
        return owned
    providers = {*result.distributions, mapping.normalize_distribution(item.top_level), *index.owners(item.module)}
    requirements = {name: [place.requirement for place in places] for name, places in declared.dependencies.items()}
    chain = index.requirement_chain(requirements, sorted(providers - set(declared.dependencies)))
    if chain is None:
        return None
    places = tuple(declared.dependencies[chain.distributions[0]][:1])
    trace(f"module index: the declared {chain.describe()} brings `{chain.provider}`")
    verdict = index.judge(chain.provider, path, [""], as_module=_as_module(item))
    if verdict is not None and verdict.kind is index.VerdictKind.MISSING:
        note = verdict.describe() + f" (it comes through {chain.describe()})"
        trace(f"module index: {note}")
        origin = Origin.STALE if verdict.stale else Origin.NOT_SHIPPED
        return Resolution(origin, (chain.provider,), "required by a declared distribution", note, places=places)
    if chain.meta:
        reason = f"installed by the declared `{chain.distributions[0]}`, which requires {chain.describe()}"
        return Resolution(Origin.DECLARED, (chain.provider,), reason, places=places)
    note = (f"`{item.module}` comes from `{chain.provider}`, which is not declared: it is installed only as a "
            f"requirement ({chain.describe()})")  # fmt: skip
    return Resolution(Origin.TRANSITIVE, (chain.provider,), "required by a declared distribution", note,
                      places=places)  # fmt: skip


def _declared_owner(item: ImportedModule, declared: Declared, base: Declared | None, trace: Trace) -> Resolution | None:
    """The verdict of a declared distribution that some indexed version of ships the module's top-level package."""
    for name in index.owners(item.module):
        places = declared.dependencies.get(name)
        if not places:
            continue
        trace(f"module index: the declared `{name}` owns `{item.module.split('.')[0]}` in an indexed version")
        kept = base is None or name in base.dependencies
        origin = Origin.DECLARED if kept else Origin.NEW_DEPENDENCY
        reason = "declared dependency (module index)" if kept else "dependency added in this change (module index)"
        found = Resolution(origin, (name,), reason, places=tuple(places[:1]))
        names = (item.name,) if item.kind == "from" and item.name and item.name != "*" else ()
        stale = mapping.stale_module(item.module, names)
        judged = judge_declared(item, found, stale, declared, trace)
        if judged is not None:
            return judged
        removal_allowed = not stale or not stale.version or any(
            _allows_from(place.requirement, stale.version) for place in places)
        if stale is not None and not stale.deprecated and removal_allowed:
            note = f"`{stale.module.replace(':', '.')}` is a moved or removed path of `{name}` ({stale.status}): " \
                   f"{stale.advice}"
            return Resolution(Origin.STALE, (name,), reason, note, places=found.places)
        return found
    return None
