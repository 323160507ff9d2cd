"""Findings for imports: what an added import resolved to, worded as a rule's finding with its hint.

One function per family of codes: unresolved and undeclared imports (HC001, HC002, HC007), imports of
dependencies the change adds or removes (HC003, HC005), transitive, development-only and optional imports
(HC006, HC008, HC023), missing relative imports (HC009), and module paths the standard library or a
distribution moved, removed or deprecated (HC020-HC024).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from hallucheck.config import Config
from hallucheck.evidence import dependencies as evidence
from hallucheck.findings import Finding, Severity, approval_hint, declare_command, declare_hint, finding
from hallucheck.lazy import LazyPattern, replace
from hallucheck.manifests.roles import is_development_file
from hallucheck.resolve import stdlib
from hallucheck.resolve.resolver import MAPPING_CONTRADICTED, RESOLVED, Origin, Resolution, Resolver
from hallucheck.sources.imported import ImportedModule

if TYPE_CHECKING:
    from hallucheck.manifests import Declared, Dependency
    from hallucheck.resolve.mapping import StaleModule


def import_finding(
    path: str, item: ImportedModule, resolution: Resolution, config: Config | None = None
) -> Finding | None:
    """The finding for an import resolved as ``resolution`` (None when it resolves), with name evidence."""
    config = config or Config()
    origin, statement = resolution.origin, f"`{item.statement}`"
    if origin in RESOLVED:
        return None
    if origin is Origin.MISSING_RELATIVE:
        missing = finding(
            "HC009", path, item.line, item.column, f"{statement}: {resolution.note}",
            "Commit the module, or fix the name: a relative import reaches only the files of its own package.",
            module="." * item.level + item.module,
        )  # fmt: skip
        if not item.guarded:
            return missing
        # Django's `try: from .local import *` / `except ImportError: pass`: a module each checkout may add (local
        # settings, git-ignored). The code runs without it, and nothing can be installed under the name.
        return replace(missing, severity=Severity.WARNING, message=missing.message + " (guarded by try/except: "
                       "the code runs without it, as with local settings a checkout may add)")  # fmt: skip
    if origin in (Origin.STDLIB_REMOVED, Origin.STDLIB_TOO_NEW, Origin.STALE, Origin.NOT_SHIPPED):
        return _path_finding(path, item, resolution)
    if origin is Origin.PARTLY_SHIPPED:
        return finding(
            "HC027", path, item.line, item.column, f"`{item.statement}`: {resolution.note}",
            "Raise the lower bound of the declaration to a release that ships it, or import what older "
            "releases have.",
            module=item.module, distribution=resolution.distribution,
        )  # fmt: skip
    if origin is Origin.DEPRECATED:
        return finding(
            "HC024", path, item.line, item.column, f"`{item.statement}`: {resolution.note}",
            "It still works; move to the replacement before the distribution removes it.",
            module=item.module, distribution=resolution.distribution,
        )  # fmt: skip
    if origin is Origin.DEVELOPMENT_ONLY:
        return _development_finding(path, item, resolution)
    dist = resolution.distribution
    if origin is Origin.WRONG_NAME:
        return _wrong_name_finding(path, item, resolution)
    if origin is Origin.NEW_DEPENDENCY:
        return _new_dependency_finding(path, item, resolution, config)
    if (item.guarded or item.optional) and dist is not None:
        return _optional_finding(path, item, resolution)
    if origin is Origin.REMOVED_DEPENDENCY:
        return finding(
            "HC005", path, item.line, item.column,
            f"{statement} needs `{dist}`, which this change removes from the manifests",
            f"Keep `{dist}` declared, or drop the import.",
            module=item.module, distribution=dist,
        )  # fmt: skip
    if origin is Origin.TRANSITIVE:
        return finding(
            "HC006", path, item.line, item.column,
            f"{statement}: {resolution.note}" if resolution.note else
            f"{statement}: `{item.module}` comes from `{dist}`, which is only locked as a dependency of another "
            "package (transitive)",
            f"Declare `{dist}` directly: it vanishes when the package that pulls it in drops it.",
            module=item.module, distribution=dist,
        )  # fmt: skip
    if origin is Origin.KNOWN_UNDECLARED:
        others = ", ".join(f"`{name}`" for name in resolution.distributions[1:])
        alternatives = f" (or {others})" if others else ""
        return evidence.undeclared_import_note(item.module, dist or "").apply(finding(
            "HC002", path, item.line, item.column,
            f"{statement}: `{item.module}` is provided by `{dist}`{alternatives}, which the project does not declare",
            declare_hint(dist or "", dev=is_development_file(path)),
            module=item.module, distribution=dist, declare=dist,
        ))  # fmt: skip
    if origin is Origin.NAMESAKE and dist is not None:
        return _namesake_finding(path, item, dist)
    return _unknown_finding(path, item, dist, config)


def _new_dependency_finding(path: str, item: ImportedModule, resolution: Resolution, config: Config) -> Finding:
    """An import served only by a dependency the change adds (HC003): reviewed with that dependency."""
    dist = resolution.distribution
    note = evidence.new_dependency_import_note(item.module, dist or "", resolution.reason, config)
    added = "a dependency added in this change"
    if resolution.reason.startswith("locked") and resolution.places:
        place = resolution.places[0]
        added = f"a package this change adds only to a lock file ({place.path}:{place.line}), not declared"
    return note.apply(finding(
        "HC003", path, item.line, item.column,
        f"{_statement(item)} is served only by `{dist}`, {added}",
        f"Check that `{dist}` is the real package you meant (an invented name can be registered by an "
        "attacker), " + approval_hint(dist or "", config_path=config.path),
        module=item.module, distribution=dist,
    ))  # fmt: skip


def _unknown_finding(path: str, item: ImportedModule, dist: str | None, config: Config) -> Finding | None:
    """An import nothing declared or known provides (HC001); ``dist`` is a popular distribution of its name."""
    statement = _statement(item)
    implementation = stdlib.other_implementation(item.top_level)
    if implementation is not None:
        return None if item.guarded or item.optional else finding(
            "HC001", path, item.line, item.column,
            f"{statement}: `{item.top_level}` is built into {implementation} only: the import fails on CPython",
            "Guard it with try/except ImportError and give other interpreters a fallback (it is not a package: "
            "nothing can declare it).",
            module=item.module,
        )  # fmt: skip
    note = evidence.unknown_import_note(item.module, config)
    if item.guarded and item.kind == "dynamic" and is_development_file(path):
        return replace(note.apply(finding(
            "HC001", path, item.line, item.column,
            f"{statement}: no declared dependency or known distribution provides `{item.module}`; the test skips "
            f"or takes another branch without it, so nothing breaks ({OFFLINE_NOTE})",
            "Check the name if the test is meant to run somewhere; a test of the skip itself needs nothing.",
            module=item.module,
        )), severity=Severity.WARNING)  # fmt: skip
    if item.guarded:
        return _with_offline_note(note.apply(finding(
            "HC001", path, item.line, item.column,
            f"{statement}: no declared dependency or known distribution provides `{item.module}`; it may be "
            "hallucinated (a try/except guard makes the import optional, not the name real)",
            "Check the name: someone will `pip install` it to get the optional feature, and an attacker can "
            "register it. If the package is real, declare it as an optional dependency.",
            module=item.module,
        )), note)  # fmt: skip
    namesake = f" (the popular distribution `{dist}` has its name: declare it if that is the one you mean)" \
        if dist else ""
    return _with_offline_note(note.apply(finding(
        "HC001", path, item.line, item.column,
        f"{statement}: no declared dependency or known distribution provides `{item.module}`; it may be hallucinated"
        + namesake,
        "Check the name. If the package is real, declare the distribution that provides it; "
        "if the module is first-party, make sure it is committed.",
        module=item.module,
    )), note)  # fmt: skip


OFFLINE_NOTE = evidence.OFFLINE_NOTE


def _with_offline_note(item: Finding, note: evidence.ImportNote) -> Finding:
    """``item`` (HC001) saying that offline data cannot know a new name, unless the name imitates a popular one."""
    if note.hint is not None or any("documented" in text for text in note.notes):
        return item  # it imitates a popular name, or is a known hallucination: not a new name
    return replace(item, message=f"{item.message} ({OFFLINE_NOTE})")


def _wrong_name_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding:
    """An import of a name that is no module, where a distribution installs the module it stands for (HC028):
    ``import pytorch`` fails with PyTorch installed; the fix is ``import torch``."""
    dist, module = resolution.distribution or "", resolution.note
    fixed = replace(item, module=module + item.module[len(item.top_level):]).statement
    if resolution.places:
        where = ", ".join(dict.fromkeys(f"{place.path}:{place.line}" for place in resolution.places[:3]))
        declared, declare, hint = f"declared in {where}", None, ""
    else:
        declared, declare = "which the project does not declare yet", dist
        hint = " " + declare_hint(dist, dev=is_development_file(path))
    return finding(
        "HC028", path, item.line, item.column,
        f"`{item.statement}`: `{item.top_level}` is no module ({resolution.reason}): the module is `{module}`, "
        f"installed by `{dist}`, {declared}",
        f"Write `{fixed}` instead: `{dist}` installs no module named `{item.top_level}`, so this import fails even "
        f"where it is installed.{hint}",
        module=item.module, distribution=dist, declare=declare,
    )  # fmt: skip


def _namesake_finding(path: str, item: ImportedModule, dist: str) -> Finding:
    """An import nothing declares whose name is an established distribution's (HC007): undeclared, not invented."""
    from hallucheck.evidence.popular import popularity_rank

    rank = popularity_rank(dist)
    established = f" (#{rank:,} by downloads)" if rank is not None else ""
    dev = is_development_file(path)
    stale = _stale_entry(item)
    moved_to = _replacement_distribution(item, dist) if stale is not None and not stale.deprecated else None
    if stale is not None and moved_to is not None:  # declaring `dist` would lead into HC022 next
        return finding(
            "HC007", path, item.line, item.column,
            f"`{item.statement}`: the project declares nothing that provides `{item.module}`, and `{dist}` no "
            f"longer has this path ({stale.status}): {stale.advice}",
            f"Import it from its current location, in `{moved_to}`. " + declare_hint(moved_to, dev=dev),
            module=item.module, distribution=dist, declare=moved_to,
        )  # fmt: skip
    return finding(
        "HC007", path, item.line, item.column,
        f"`{item.statement}`: undeclared: declare `{dist}`{established}, the established distribution of that "
        f"name; the project declares nothing that provides `{item.module}`",
        declare_hint(dist, dev=dev) + " It may arrive today through another package; that stops without notice.",
        module=item.module, distribution=dist, declare=dist,
    )  # fmt: skip


def _development_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding:
    """The package's own code imports what only development environments install (HC008)."""
    dist = resolution.distribution
    where = ", ".join(dict.fromkeys(f"{place.path}:{place.line}" for place in resolution.places[:3]))
    return finding(
        "HC008", path, item.line, item.column,
        f"`{item.statement}`: `{dist}` is declared for development only ({where}), but {path} is not a test, "
        "docs or tooling file",
        f"If the package needs `{dist}` at run time, declare it as a runtime dependency: "
        f"{declare_command(dist or '')}; otherwise move the import into test or tooling code. It works where "
        "development dependencies are installed and fails for users who install the package.",
        module=item.module, distribution=dist,
    )  # fmt: skip


def _optional_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding:
    """A guarded import of a real distribution that is not declared (or no longer is): a warning."""
    dist = resolution.distribution
    why = "which this change removes from the manifests" if resolution.origin is Origin.REMOVED_DEPENDENCY else (
        "which the project does not declare"
    )
    return finding(
        "HC023", path, item.line, item.column,
        f"{_statement(item)} is an optional import of `{item.module}`, provided by `{dist}`, {why}",
        f"Declare `{dist}` as an optional dependency (an extra in [project.optional-dependencies]), "
        "so that users can install the feature it enables.",
        module=item.module, distribution=dist,
    )  # fmt: skip


def _statement(item: ImportedModule) -> str:
    return f"`{item.statement}`"


def _path_finding(path: str, item: ImportedModule, resolution: Resolution) -> Finding | None:
    """Findings about the module path itself: removed or too-new stdlib modules, stale package paths.

    A version test around the import (``if sys.version_info >= (3, 11):``) handles the
    version difference; a try/except guard handles a too-new module, and makes a
    removed module or stale path a warning (it is compatibility code).
    """
    origin, statement = resolution.origin, _statement(item)
    if origin is Origin.STDLIB_TOO_NEW:
        if item.guarded or item.optional or item.version_gated:
            return None
        return finding(
            "HC021", path, item.line, item.column, f"{statement}: `{item.top_level}` is {resolution.note}",
            "Guard the import with a version test or try/except (and a backport), or raise requires-python.",
            module=item.module,
        )  # fmt: skip
    if origin is Origin.STDLIB_REMOVED:
        if item.version_gated or ((item.guarded or item.optional) and stdlib.is_python2_module(item.top_level)):
            return None  # compatibility code: the other branch serves the Python you support
        result = finding(
            "HC020", path, item.line, item.column, f"{statement}: `{item.top_level}` was {resolution.note}",
            "Use the replacement, or declare a distribution that still provides the module.",
            module=item.module,
        )  # fmt: skip
    elif origin is Origin.NOT_SHIPPED:
        hint = ("Check the name against the distribution's documentation and use what it ships; if the name is "
                "newer than the indexed releases, pin the release that has it.")
        if resolution.reason == MAPPING_CONTRADICTED:
            hint = (f"Remove the `{item.top_level}` entry from `mapping` in [tool.hallucheck], or map it to the "
                    f"distribution that ships it (`hallucheck explain-import {item.top_level}` shows what the "
                    "data knows).")
        result = finding(
            "HC026", path, item.line, item.column, f"{statement}: {resolution.note}", hint,
            module=item.module, distribution=resolution.distribution,
        )  # fmt: skip
    else:
        moved_to = _replacement_distribution(item, resolution.distribution)
        hint = "Import it from its current location, which the message names (the distribution moved or removed " \
            "this path)."
        if moved_to is not None:
            hint = hint[:-1] + f"; it is in `{moved_to}`. " + declare_hint(moved_to, dev=is_development_file(path))
        result = finding(
            "HC022", path, item.line, item.column, f"{statement}: {resolution.note}", hint,
            module=item.module, distribution=resolution.distribution, declare=moved_to,
        )  # fmt: skip
    if item.guarded:
        return replace(result, severity=Severity.WARNING, message=result.message + " (guarded by try/except)")
    if item.type_checking and origin is Origin.NOT_SHIPPED:
        return replace(result, severity=Severity.WARNING,
                       message=result.message + " (under TYPE_CHECKING: only a type checker reads it)")
    if item.fallback and origin in (Origin.STALE, Origin.STDLIB_REMOVED, Origin.NOT_SHIPPED):
        return replace(result, severity=Severity.WARNING,
                       message=result.message + " (compatibility code: an `except ImportError:` fallback or a "
                       "branch chosen by a version test)")
    return result



_PACKAGE_NOTE = LazyPattern(r"\(([A-Za-z0-9][A-Za-z0-9._-]*) package\)")
_LEADING_PATH = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")


def _replacement_distribution(item: ImportedModule, stale_distribution: str | None) -> str | None:
    """The distribution a stale path's replacement lives in, when it is another one than the stale path's
    (``langchain.chat_models:ChatOpenAI`` -> ``langchain-openai``): named by the bundled table's advice, either
    as ``(NAME package)`` or as a replacement module path that the mapping or the download ranking knows."""
    from hallucheck.evidence.popular import popularity_rank
    from hallucheck.resolve import mapping

    stale = _stale_entry(item)
    if stale is None:
        return None
    named = _PACKAGE_NOTE.search(stale.advice)
    if named is not None:
        found: str | None = mapping.normalize_distribution(named.group(1))
    else:
        leading = _LEADING_PATH.match(stale.advice)
        top = leading.group() if leading else ""
        if top and stdlib.first_version(top.partition(".")[0]) is not None:
            return None  # `importlib.metadata`: the standard library, nothing to declare (attack E13)
        providers = mapping.known_distributions(top) if top else ()
        found = providers[0] if providers else (
            mapping.normalize_distribution(top) if top and popularity_rank(top) is not None else None)
    return found if found and found != stale_distribution else None


def _stale_entry(item: ImportedModule) -> StaleModule | None:
    """The bundled stale-path table's entry for the path ``item`` imports, as the resolver looks it up."""
    from hallucheck.resolve import mapping
    from hallucheck.resolve.resolver import imported_path

    names = (item.name,) if item.kind == "from" and item.name and item.name != "*" else ()
    stale = mapping.stale_module(item.module, names)
    if stale is None and names:
        stale = mapping.stale_module(imported_path(item), ())
    return stale


_PLACED_CODES = frozenset({"HC001", "HC002", "HC007"})


def placed_finding(
    result: Finding, item: ImportedModule, path: str, resolver: Resolver,
    elsewhere: Callable[[str, str], Sequence[Dependency]] | None = None,
) -> Finding:
    """``result`` worded by what the repository knows of the name, when it knows it: a distribution another
    project of the repository declares (HC002: declare it in this file's project too), or a module of the
    repository that is not on this file's ``sys.path`` (a hint about the path, not about a distribution).
    Asked only for an unguarded import nothing resolved, so the cost follows the failures."""
    if result.code not in _PLACED_CODES or result.severity is not Severity.ERROR or item.level:
        return result
    from packaging.utils import canonicalize_name

    name = result.distribution or canonicalize_name(item.top_level)
    places = elsewhere(name, path) if elsewhere is not None else ()
    if places:
        return _declared_elsewhere_finding(path, item, name, places, resolver.target)
    unreachable = resolver.unreachable(item.top_level, path)
    if unreachable is not None:
        return _unreachable_finding(result, item, path, *unreachable)
    return result


def _declared_elsewhere_finding(
    path: str, item: ImportedModule, name: str, places: Sequence[Dependency], own: Declared
) -> Finding:
    """An import that another project of the repository declares and the file's own project does not."""
    where = ", ".join(f"{place.path}:{place.line}" for place in places[:3])
    project = f"the project in `{own.directory}/`" if own.directory else "the project at the repository root"
    manifests = [manifest for manifest in own.manifests if not manifest.endswith(".lock")][:3]
    reads = f" ({', '.join(manifests)})" if manifests else ", which has no manifest"
    dev = is_development_file(path)
    return finding(
        "HC002", path, item.line, item.column,
        f"`{item.statement}`: `{name}` is declared in {where}, another project of this repository, not by "
        f"{project}{reads}, the nearest project of {path}: installing that project does not install it",
        declare_hint(name, dev=dev) + f" It goes into {project}, the one {path} belongs to; a sibling "
        "project's declarations never count for it.",
        module=item.module, distribution=name, declare=name,
    )  # fmt: skip


def _unreachable_finding(result: Finding, item: ImportedModule, path: str, where: str, searched: list[str]) -> Finding:
    """An import of a module the repository holds where ``path`` cannot import it by that name."""
    directory = posixpath.dirname(where.rstrip("/"))
    if directory == posixpath.dirname(path) and directory:
        why = (f"`{directory}/` is a package, so its modules import as `.{item.top_level}` (relative) or "
               f"`{directory.replace('/', '.')}.{item.top_level}`, not by the bare name")  # fmt: skip
    else:
        why = f"`{directory or '.'}/` is not on its sys.path"
    on_path = ", ".join(f"`{root}/`" for root in searched[:4]) or "nothing of the repository"
    alternative = ""
    if result.code == "HC007" and result.distribution:
        alternative = (f" If you mean the distribution `{result.distribution}` from the package index, declare it "
                       f"instead: {declare_command(result.distribution, dev=is_development_file(path))}.")  # fmt: skip
    return replace(
        result,
        message=f"`{item.statement}`: `{item.top_level}` is `{where}` in this repository, but {path} cannot import "
        f"it by that name: {why} (its sys.path holds {on_path})",
        hint=f"Fix the path, not the dependencies: import it by its package path (or relatively), or, if "
        f"`{directory or '.'}/` is on sys.path where this code runs (PYTHONPATH, pytest's `pythonpath`, a "
        f"build setting), say so: `first-party = [\"{item.top_level}\"]` under [tool.hallucheck]. Declaring a "
        f"distribution named `{item.top_level}` would install someone else's package." + alternative,
    )
