"""What a package named by an install command gets: the evidence of a new dependency, worded for a command.

An install command added by a change (``pip install x`` in a README, a Dockerfile, a notebook, an agent's
tool call) brings a package in as surely as a manifest line, and gets the same evidence
(:func:`hallucheck.evidence.dependencies.dependency_finding`): a documented hallucination (HC031), a typosquat of a
popular name (HC030), or another distribution's import name (HC032) is an error. Beyond a manifest, a
command that installs an import name is an error even when a project of that name is popular on the index
(``pip install sklearn``: a placeholder; ``dotenv``, ``jwt``: other projects), unless the project
itself provides a module of that name.

A name the project declares, its own name, or an established popular distribution passes; anything else is
a ``review`` (HC040) that the approve flow clears. Where the package comes from is part of it: an argument
from another source than the index (``pip install --index-url https://host/simple requests``, ``x @ URL``, a
``git+https://`` URL, a local archive) passes only when the project declares the name from that source, a
recorded approval covers that source (:mod:`hallucheck.manifests.sources`), or the command only names indexes
the project's manifests already use; otherwise it is a review naming the source, popular name or not. Conda
packages are another namespace: only the documented hallucinations are errors there; resemblances to PyPI names
prove nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from hallucheck.config import Config
from hallucheck.evidence import dependencies as evidence
from hallucheck.evidence import popular
from hallucheck.findings import Finding, approval_hint, finding
from hallucheck.lazy import record, replace
from hallucheck.manifests import Dependency
from hallucheck.manifests.sources import INDEX, is_approved, source
from hallucheck.resolve import mapping
from hallucheck.sources.install_commands import CONDA, InstallArgument

if TYPE_CHECKING:
    from hallucheck.evidence.registry import Answer

REVIEW_CODE = "HC040"
UNDETERMINED_CODE = "HC042"
SOURCE_CODE = "HC043"
_CONDA_BASICS = frozenset({"python", "pip", "conda", "mamba", "nodejs", "r-base", "cudatoolkit", "cuda-toolkit",
                           "pytorch", "cudnn", "mkl", "compilers", "make", "cmake"})


@record(frozen=True)
class Place:
    path: str
    line: int
    column: int
    prefix: str = ""
    """Put before the message (``cell 3, line 2: `` in a notebook)."""


def installed_finding(place: Place, command: str, argument: InstallArgument, config: Config,
                      declared: Collection[str] = (), answer: Answer | None = None,
                      sources: Mapping[str, Collection[str]] | None = None) -> Finding | None:
    """The finding for ``argument`` of the install command ``command``; None when it is declared or popular.

    ``declared`` holds normalised names the project declares (and its own names); ``answer`` is what the
    package index said (``--online``); ``sources`` maps each declared name to the sources it is declared from,
    and ``""`` to every source option the project's manifests set (None: not read yet, so an argument from
    another source than the index is a finding until they are).
    """
    if not argument.determined:
        return _undetermined_finding(place, command, argument)
    if argument.sets_source:
        return _setting_finding(place, command, argument, sources)
    name = mapping.normalize_distribution(argument.name)
    approved = is_approved(config.approved, name, argument.requirement)
    where = source(argument.requirement)
    if where != INDEX and not approved and not popular.is_known_hallucination(name, config.known_hallucinations):
        # (a documented hallucination is an error from any source: `conda-forge/label/x::huggingface-cli`)
        if sources is None or not _configured(where, name, sources):
            return _source_finding(place, command, argument, name, where, config)
        if where in sources.get(name, ()):
            return None  # declared from that very source
    if name in declared:
        return None
    lead = f"{place.prefix}`{command}` installs `{argument.name}`"
    if argument.ecosystem == CONDA:
        return _conda_finding(place, lead, name, config, approved)
    if popular.popularity_rank(name) is not None and not popular.is_known_hallucination(
        name, config.known_hallucinations
    ):
        return _shadowing_finding(place, lead, argument.name, name, approved)  # established: the common case
    dependency = Dependency(name, argument.requirement, place.path, place.line)
    result = evidence.dependency_finding(dependency, config, answer)
    head = f"new dependency `{result.distribution}`"
    tail = result.message[len(head):] if result.message.startswith(head) else ": " + result.message
    tail = _without_requirement(tail, argument.requirement)
    if result.code != "HC004":
        return replace(result, message=lead + _joined(tail), hint=_hint(result, name, argument.name),
                       column=place.column)
    shadowing = _shadowing_finding(place, lead, argument.name, name, approved)
    if shadowing is not None:
        return shadowing
    if approved:
        return None  # a human recorded this review in [tool.hallucheck.approved]
    notes = tail.removeprefix(" added in this change")
    return replace(finding(
        REVIEW_CODE, place.path, place.line, place.column,
        f"{lead}, which the project does not declare and which is not an established popular distribution"
        + notes,
        f"A human must confirm that `{name}` is the real, intended package (assistants invent package names and "
        f"attackers register them), {approval_hint(name, name, config.path)} Or declare it in the project's "
        "dependencies. Stage what you write (`git add`): the check reads git, and a file changed only on disk "
        "declares and approves nothing; the agent hook counts only what is committed (`hallucheck approve` "
        "needs `--force` when no staged change installs it, as for the agent hook).",
        distribution=name,
    ), requirement=argument.requirement)  # fmt: skip


def _configured(where: str, name: str, sources: Mapping[str, Collection[str]]) -> bool:
    """Whether the source ``where`` is one the project's manifests already use: for ``name`` itself, or an index
    (extra index, find-links) they set for their requirements."""
    if where in sources.get(name, ()):
        return True
    options = where.split(" --")
    written = [option if index == 0 else f"--{option}" for index, option in enumerate(options)]
    return where.startswith("--") and all(option in sources.get("", ()) for option in written)


def _source_finding(place: Place, command: str, argument: InstallArgument, name: str, where: str,
                    config: Config) -> Finding:
    """HC040 for a package an install command takes from another source than the project declares it from."""
    shown = f"`{where}`" if where.startswith("--") else f"`{where}` (a direct reference)"
    return finding(
        REVIEW_CODE, place.path, place.line, place.column,
        f"{place.prefix}`{command}` installs `{argument.name}` from {shown}, a source the project does not take "
        f"it from: another source is another package to review (the same name may be anyone's there)",
        f"A human must confirm that {shown} is the intended source of `{name}` "
        f"(a dependency-confusion attack keeps the name and changes the source), "
        f"{approval_hint(name, argument.requirement, config.path)} Or declare it from that source in the "
        "project's manifests. Stage what you write (`git add`): the check reads git (the agent hook: what is "
        "committed).",
        distribution=name, requirement=argument.requirement,
    )  # fmt: skip


def _setting_finding(place: Place, command: str, argument: InstallArgument,
                     sources: Mapping[str, Collection[str]] | None) -> Finding | None:
    """HC043 for a package source the command sets (``PIP_INDEX_URL=URL``, ``uv sync --index URL``, ``pip config
    set global.index-url URL``); None when the project's manifests already use that source."""
    where = source(argument.requirement)
    if sources is not None and where.startswith("--") and _configured(where, "", sources):
        return None
    lead = f"`{argument.name}`" if argument.name == command else f"`{command}` sets `{argument.name}`, which"
    return finding(
        SOURCE_CODE, place.path, place.line, place.column,
        f"{place.prefix}{lead} points installs at another package source: every package an install that reads "
        "it fetches may come from there, under the names the project trusts",
        "A human must confirm that this is the source the project means (the dependency-confusion move keeps "
        "the names and changes the index). If it is, declare the source in the project's manifests "
        "(`[[tool.uv.index]]`, `--index-url` in requirements, a Poetry source), or confirm it with "
        "`# hallucheck: ignore[HC043]` at the end of the line.",
        requirement=argument.requirement,
    )  # fmt: skip


def _undetermined_finding(place: Place, command: str, argument: InstallArgument) -> Finding:
    """HC042 for a command whose packages only running it would name: never passed in silence."""
    return finding(
        UNDETERMINED_CODE, place.path, place.line, place.column,
        f"{place.prefix}`{command}` may install packages that only running it would name (`{argument.name}` is "
        "known only at run time), so they cannot be checked",
        "Write the package names in the command itself (each is then checked), or, when the command is right as "
        "written, confirm it: put `# hallucheck: ignore[HC042]` at the end of its line.",
    )  # fmt: skip


def _shadowing_finding(place: Place, lead: str, written: str, name: str, approved: bool) -> Finding | None:
    """HC032 for a command that installs another distribution's import name (``pip install sklearn``)."""
    shadowed = _import_name_of_another(written, name)
    if shadowed is None or approved:
        return None
    return finding(
        "HC032", place.path, place.line, place.column,
        f"{lead}, which is the import name of `{shadowed}`; a project named `{name}` on the index is a "
        f"different project or a placeholder. Did you mean `{shadowed}`?",
        f"Install `{shadowed}`, the distribution that provides that module.",
        distribution=name,
    )  # fmt: skip


def _conda_finding(place: Place, lead: str, name: str, config: Config, approved: bool) -> Finding | None:
    if popular.is_known_hallucination(name, config.known_hallucinations) and not approved:
        return finding(
            "HC031", place.path, place.line, place.column,
            f"{lead}, a documented AI-hallucinated package name",
            "Remove it, and find the package that really provides what you need in its documentation.",
            distribution=name,
        )  # fmt: skip
    if name in _CONDA_BASICS or popular.popularity_rank(name) is not None or approved:
        return None
    return finding(
        REVIEW_CODE, place.path, place.line, place.column,
        f"{lead} (a conda package), which the project does not declare and which is not an established "
        "popular distribution",
        f"A human must confirm that `{name}` is the real, intended package, {approval_hint(name, name, config.path)} "
        "Or declare it (environment.yml). Stage what you write (`git add`): the check reads git, and a file "
        "changed only on disk declares and approves nothing; the agent hook counts only what is committed "
        "(`hallucheck approve` needs `--force` when no staged change installs it).",
        distribution=name,
    )  # fmt: skip


def _import_name_of_another(written: str, name: str) -> str | None:
    """The distribution whose import name ``written`` is, when installing ``name`` does not provide it."""
    module = written.replace("-", "_")
    providers = [item for item in mapping.known_distributions(module) if item != name]
    if not providers or module in mapping.import_names_of(name):
        return None
    rank = popular.popularity_rank(name)
    best = min(providers, key=lambda item: popular.popularity_rank(item) or 10**9)
    best_rank = popular.popularity_rank(best)
    if rank is not None and (best_rank is None or best_rank > rank):
        return None  # the name is the more established project: it is what people mean
    return best


def _without_requirement(tail: str, requirement: str) -> str:
    """The evidence's message after the name, without the requirement repeated in parentheses."""
    return tail.removeprefix(f" (`{requirement}`)")


def _joined(tail: str) -> str:
    if tail.startswith((":", ".")):
        return tail
    return "," + (" which" if not tail.startswith(" which") else "") + tail


def _hint(result: Finding, name: str, written: str) -> str:
    """The dependency hint, said of a command: install the right name, or approve this one."""
    if result.code == "HC031":
        real = popular.documented_real(name)
        instead = f"Install `{real}` instead (what the real project documents)" if real else (
            "Find the package that really provides what you need in that project's documentation")
        return f"Remove it from the command: assistants invent this name and attackers register such names. {instead}."
    hint = result.hint.replace("Declare `", "Install `").replace(" on its manifest line", " on the command's line")
    return hint.replace(f"`{name}` really is", f"`{written}` really is") if written != name else hint
