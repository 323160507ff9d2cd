"""Evidence about the distribution names a change brings in, and the findings it decides.

A dependency added in a change is a ``review`` (HC004): a human must confirm it is the real package.
Some names need no human to reject them, and this module decides which, from evidence that is always
available offline:

* the name is on the bundled (or the project's) list of documented AI hallucinations -> HC031 error
  (:func:`hallucheck.evidence.popular.hallucination_source`: hallucheck's curated list and the public lists
  it ships, never a popular distribution);
* the name imitates a popular distribution, by its own name or by one of its import names
  (:mod:`hallucheck.evidence.popular`), closely enough -> HC030 error naming the distribution to declare
  ("did you mean `scikit-learn` (import name `sklearn`)?"). :func:`is_strong_match` decides, by the typo's
  shape, the name's length and the popular name's download rank:

  - the same after confusable normalisation (``djang0``, ``scikitlearn``): any rank (an import name: the
    top :data:`ERROR_RANK`);
  - a ``py``/``python`` affix added, dropped or swapped (``python-requests``, ``pysklearn``), or any one
    edit of a name of at least :data:`ERROR_MIN_LENGTH` characters (``reqeusts``, ``sklearm``,
    ``dateutl``): the top :data:`ERROR_RANK`;
  - two adjacent characters swapped or a letter doubled or undoubled, in a name of at least
    :data:`ERROR_MIN_LENGTH` characters (``follium``, ``pyteseract``): any rank, since real packages are
    almost never named so;
  - one letter dropped inside a name of at least :data:`LONG_NAME` characters (``libroa``, ``texblob``):
    the top :data:`WIDE_RANK` (a letter dropped at the end is how real names derive: ``environ``);
  - a name of 3 characters with a letter dropped, a digit changed or two characters swapped (``nlk``,
    ``ptz``, ``bs5``, ``cv3``): the top :data:`ERROR_RANK`; other edits of short names (``sax`` is one
    letter from ``six``) stay reviews;
* the name is not popular but is the *import* name of another distribution (``yaml`` for ``pyyaml``,
  ``pil`` for pillow, compared case-insensitively) -> HC032 error.

Weaker resemblances (edit distance 2, a letter added at the end, a version digit appended as successors
are named -- ``httpx2`` -- or one edit from a less downloaded name)
are too common among legitimate packages to block on: held out against the top 10,000 (and their import
names), the popular names ranked 10,001-15,000 match one at all 16% of the time, but 1.3% under the rule
above (``bench/typo_bench.py``; the budget is 1.5%). They are written into the review message instead,
with the rank, so the human who approves the dependency sees them.

With a package index (opt-in, :mod:`hallucheck.evidence.registry`), a review becomes an error when the name is
not registered (HC033), or when the project is new and nearly empty, has no files, has every file
yanked, or is quarantined (HC034); an index that cannot be reached gives a warning (HC035) and leaves
the offline findings as they are. Evidence never lowers a severity, and a name the project approved
(``[tool.hallucheck] approved``) or declared by direct URL keeps its evidence but is not escalated.

The functions are pure: the index's answers come in as a :class:`~hallucheck.evidence.registry.Answer`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from hallucheck.config import Config
from hallucheck.evidence import popular
from hallucheck.evidence.popular import Similar
from hallucheck.findings import Finding, approval_hint, finding, override_hint, sort_key
from hallucheck.lazy import LazyPattern, Slots, record, replace
from hallucheck.manifests import Declared, Dependency
from hallucheck.manifests.sources import is_approved, options_note, uncovered_note
from hallucheck.resolve import mapping

if TYPE_CHECKING:
    from hallucheck.evidence.registry import Answer, Project, Registry

ERROR_RANK = 1000
"""An edit-distance-1 or affix resemblance is an error only to one of this many most downloaded names
(except the shapes that real names almost never take; see :func:`is_strong_match`)."""
WIDE_RANK = 3000
"""A letter dropped inside a long name is an error to one of this many most downloaded names."""
ERROR_MIN_LENGTH = 4
"""An edit-distance-1 resemblance of any shape is an error only for names of at least this many characters."""
LONG_NAME = 6
"""A letter dropped inside a name of at least this many characters is an error up to :data:`WIDE_RANK`."""
_RARE_SHAPES = ("transposition", "doubled letter")
_SHORT_SHAPES = ("deletion", "digit swap", "transposition")
_DEPENDENCY_CODES = ("HC004", "HC030", "HC031", "HC032", "HC033", "HC034")
_DAY = 86400.0
OFFLINE_NOTE = "offline data cannot know a brand-new name: `--online` asks the package index"
"""Said by every HC001 found offline that resembles no popular name: the popular list and tables date from the
release, and a real distribution published since is unknown to them."""
_NAME = LazyPattern(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class NameEvidence(Slots):
    """What the bundled data says about one distribution name."""

    __slots__ = ("as_import", "hallucination", "import_name_of", "name", "rank", "similar")

    name: str
    """The PEP 503-normalised name."""
    rank: int | None
    """Its download rank, None when it is not among the popular distributions."""
    similar: tuple[Similar, ...]
    """Popular distributions it imitates, best first (empty for a popular name)."""
    hallucination: str | None
    """Where the name is listed as a known hallucination (``bundled list``, ``bundled list: the VDB
    slopsquatting dataset``, or the config key), or None."""
    import_name_of: tuple[str, ...]
    """Other distributions whose import name this is (``yaml`` -> ``pyyaml``)."""
    as_import: str
    """The import name it was matched as (``PIL``), when ``import_name_of`` is not empty."""

    def __init__(
        self, name: str, rank: int | None, similar: tuple[Similar, ...], hallucination: str | None,
        import_name_of: tuple[str, ...], as_import: str = "",
    ) -> None:  # fmt: skip
        self.name = name
        self.rank = rank
        self.similar = similar
        self.hallucination = hallucination
        self.import_name_of = import_name_of
        self.as_import = as_import

    @property
    def lookalike(self) -> Similar | None:
        """The popular name this one imitates closely enough to be an error, if any."""
        return next((item for item in self.similar if is_strong_match(self.name, item)), None)


def name_evidence(name: str, extra_hallucinations: Iterable[str] = ()) -> NameEvidence:
    """The offline evidence about distribution ``name`` (any spelling)."""
    normalised = mapping.normalize_distribution(name)
    extra = tuple(extra_hallucinations)
    source = popular.hallucination_source(normalised)
    if source is None and popular.is_known_hallucination(normalised, extra):
        source = "[tool.hallucheck] known-hallucinations"
    providers: tuple[str, ...] = ()
    module = name
    for module in dict.fromkeys((name, name.replace("-", "_"), normalised.replace("-", "_"))):
        providers = tuple(provider for provider in mapping.known_distributions(module) if provider != normalised)
        if providers:
            break
    else:
        providers, module = popular.import_name_providers(normalised), name  # `pil`, `Crypto` in any case
    similar = () if popular.is_known_real(normalised) else popular.similar_popular_names(normalised, 3)
    return NameEvidence(
        normalised, popular.popularity_rank(normalised), similar, source, providers, module,
    )  # fmt: skip


def is_strong_match(name: str, similar: Similar) -> bool:
    """Whether ``name`` (normalised) imitates ``similar`` closely enough to block (the policy in the module
    docstring)."""
    if similar.reason.startswith("same after"):
        return not similar.import_name or similar.rank <= ERROR_RANK
    if not similar.reason.startswith("edit distance"):  # a py/python prefix or suffix swap
        return similar.rank <= ERROR_RANK
    if similar.reason != "edit distance 1" or _appends_version_digit(name, similar):
        return False
    if len(name) >= ERROR_MIN_LENGTH:
        return (similar.rank <= ERROR_RANK or similar.shape in _RARE_SHAPES
                or (similar.rank <= WIDE_RANK and len(name) >= LONG_NAME and similar.shape == "deletion"
                    and _drops_inner_letter(name, mapping.normalize_distribution(similar.spelling))))
    return len(name) == 3 and similar.shape in _SHORT_SHAPES and similar.rank <= ERROR_RANK


def _appends_version_digit(name: str, similar: Similar) -> bool:
    """Whether ``name`` is the popular name with a version digit appended (``httpx2``, ``jinja3``).

    Successors and forks are named that way (``jinja2``, ``psycopg2``, ``httpx2``), so the
    resemblance stays evidence for the reviewer rather than an error.
    """
    popular = mapping.normalize_distribution(similar.spelling)
    return similar.shape == "insertion" and name[-1:].isdigit() and name[:-1].rstrip("-") == popular


def _drops_inner_letter(name: str, popular: str) -> bool:
    """Whether ``name`` is ``popular`` less one letter that is neither its first nor its last character."""
    pairs = enumerate(zip(name, popular, strict=False))
    at = next((index for index, (left, right) in pairs if left != right), len(name))
    return 0 < at < len(popular) - 1 and popular[at].isalpha()


def did_you_mean(similar: Similar, facts: str = "") -> str:
    """The distribution to use, as a message writes it: ```scikit-learn` (import name `sklearn`)`` when the
    name resembled the import name, else ```requests```; ``facts`` go into the parentheses."""
    inside = "; ".join(part for part in (f"import name `{similar.import_name}`" if similar.import_name else "",
                                          facts) if part)
    return f"`{similar.name}` ({inside})" if inside else f"`{similar.name}`"


def resemblance(similar: Similar) -> str:
    """Why a name looks like ``similar``, for a message: ``edit distance 1, transposition``,
    ``py prefix swap``, ``same after confusable normalisation``."""
    return f"{similar.reason}, {similar.shape}" if similar.shape else similar.reason


def _described(similar: Similar) -> str:
    """``the popular `requests` (#6 by downloads, ...)`` or, for an import name, ```sklearn`, the import name
    of the popular `scikit-learn` (#179 by downloads, ...)``."""
    facts = f"(#{similar.rank:,} by downloads, {resemblance(similar)})"
    if similar.import_name:
        return f"`{similar.import_name}`, the import name of the popular `{similar.name}` {facts}"
    return f"the popular `{similar.name}` {facts}"


def _close(similar: Similar) -> str:
    """A resemblance in a "close to" list: ```requests` (#6, edit distance 2)``."""
    if similar.import_name:
        return (f"`{similar.import_name}` (the import name of `{similar.name}`, #{similar.rank:,}, "
                f"{resemblance(similar)})")
    return f"`{similar.name}` (#{similar.rank:,}, {resemblance(similar)})"


def _meant(evidence: NameEvidence) -> str | None:
    """What a hallucinated name most likely stands for, when the evidence says: the distribution whose import
    name it is, or the popular name it imitates closely."""
    if evidence.import_name_of:
        return f"`{evidence.import_name_of[0]}` (import name `{evidence.as_import}`)"
    lookalike = evidence.lookalike
    return None if lookalike is None else did_you_mean(lookalike)


# --- New dependencies -------------------------------------------------------------------------------------


def dependency_finding(place: Dependency, config: Config, answer: Answer | None = None) -> Finding:
    """The finding for a dependency added in this change: HC004 review, or an error the evidence decides."""
    written = _NAME.match(place.requirement)  # the name as written, for case-sensitive import names (`PIL`)
    spelled = written.group() if written and mapping.normalize_distribution(written.group()) == place.name else None
    evidence = name_evidence(spelled or place.name, config.known_hallucinations)
    as_written = "" if place.requirement == evidence.name else f" (`{place.requirement}`)"
    name, head = evidence.name, f"new dependency `{evidence.name}`{as_written}"
    index = _index_evidence(name, answer, config)
    escalate = not is_approved(config.approved, name, place.requirement) and not _is_direct_reference(
        place.requirement)
    lookalike = evidence.lookalike
    notes = _name_notes(evidence)
    notes += filter(None, [uncovered_note(config.approved, name, place.requirement) or options_note(place.requirement)])
    index_notes = [] if index is None else [index.summary, *index.blocking, *index.facts]
    if escalate and evidence.hallucination is not None:
        code = "HC031"
        message = f"{head} is a documented AI-hallucinated package name ({evidence.hallucination})"
        real = popular.documented_real(name)
        meant = f"`{real}` (what the real project documents)" if real else _meant(evidence)
        notes = [*_name_notes(evidence, hallucination=False, import_names=meant is None),
                 *([] if meant is None else [f"Did you mean {meant}?"])]
        if real:
            instead = f"Declare `{real}` instead"
        elif meant:
            instead = f"Declare {meant} if that is what the code needs"
        else:
            instead = "Find the distribution that really provides what you need in that project's documentation"
        hint = (f"Remove it: assistants invent this name and attackers register such names. {instead}. If `{name}` "
                f"really is the package you want, {override_hint(name)}.")
    elif escalate and evidence.rank is None and evidence.import_name_of:
        code, real = "HC032", evidence.import_name_of[0]
        others = "".join(f" or `{other}`" for other in evidence.import_name_of[1:])
        message = f"{head} is the import name of `{real}`{others}, not its distribution name"
        notes = [*_name_notes(evidence, popularity=False, import_names=False), f"Did you mean `{real}`?"]
        hint = (f"Declare `{real}` instead, the distribution that provides that module; a project named `{name}` "
                f"on the index, if any, is a different project or a placeholder. If `{name}` really is the package "
                f"you want, {override_hint(name)}.")
    elif escalate and lookalike is not None:
        code = "HC030"
        message = f"{head} looks like {_described(lookalike)}"
        notes = [*_name_notes(evidence, skip=lookalike, popularity=False), f"Did you mean {did_you_mean(lookalike)}?"]
        own = lookalike.name.replace("-", "_")  # a distribution the table does not map is imported by its own name
        real_module = lookalike.import_name or next(iter(mapping.import_names_of(lookalike.name)), None) or (
            own if own.isidentifier() else None)
        module = f"; in the code, import `{real_module}` where it imports `{name}`" if real_module else ""
        imported = f" (code imports it as `{lookalike.import_name}`)" if lookalike.import_name else ""
        hint = (f"Declare `{lookalike.name}` instead{imported}: replace `{name}` with it in the manifest "
                f"(or remove the line if `{lookalike.name}` is declared already){module}. If `{name}` really is "
                f"the package you want, check its project page, then {override_hint(name)}.")
    elif escalate and index is not None and not index.registered:
        code, message, index_notes = "HC033", f"{head} is not registered on {index.index}", []
        hint = ("Nothing can be installed under this name today, and anyone can register it tomorrow: check the "
                "spelling. For a private package, set `index-url` in [tool.hallucheck] to the index that serves it.")
    elif escalate and index is not None and index.blocking:
        code = "HC034"
        message = f"{head}: {'; '.join(index.blocking)} on {index.index}"
        index_notes = [index.summary, *index.facts]
        hint = ("New, empty or withdrawn projects are what squatted names look like. Make sure this is the package "
                f"you meant (its project page, its source repository), then {override_hint(name)}.")
    else:
        code = "HC004"
        message = f"{head} added in this change"
        hint = (f"A human must confirm that `{name}` is the real, intended package before it is committed "
                "(assistants invent package names and attackers register them), "
                + approval_hint(name, place.requirement, config.path))
    return finding(code, place.path, place.line, 0, _with_notes(message, [*notes, *index_notes]), hint,
                   distribution=name, requirement=place.requirement)


def _name_notes(evidence: NameEvidence, *, skip: Similar | None = None, popularity: bool = True,
                import_names: bool = True, hallucination: bool = True) -> list[str]:
    """Review-message phrases for a distribution name: rank, resemblances, import names."""
    notes = []
    if popularity and evidence.rank is not None:
        notes.append(f"ranked #{evidence.rank:,} by downloads")
    elif popularity:
        unranked = f"not among the {_popular_count():,} most downloaded distributions"
        derived = None if evidence.lookalike is not None else popular.derivation(evidence.name)
        notes.append(unranked if derived is None else f"{derived.summary}; {unranked}")
    shadow = "" if skip is None else mapping.normalize_distribution(skip.import_name)  # `sklearn`, the placeholder
    close = [item for item in evidence.similar if item != skip and item.name != shadow]
    if close:
        notes.append("close to " + ", ".join(map(_close, close)))
    imported_as = [module for module in mapping.import_names_of(evidence.name) if not module.startswith("_")]
    if import_names and imported_as:
        notes.append("imported as " + ", ".join(f"`{module}`" for module in imported_as))
    if import_names and evidence.import_name_of:
        providers = ", ".join(f"`{provider}`" for provider in evidence.import_name_of)
        notes.append(f"`{evidence.as_import}` is also the import name of {providers}: make sure you "
                     f"meant the distribution `{evidence.name}`")
    if hallucination and evidence.hallucination is not None:
        notes.append(f"listed as a known AI hallucination ({evidence.hallucination})")
    return notes


def _approved(config: Config) -> set[str]:
    return {mapping.normalize_distribution(name) for name in config.approved}  # the names only: see is_approved


def _is_direct_reference(requirement: str) -> bool:
    """Whether a requirement installs from a URL or path (``name @ git+https://...``), not from the index."""
    if "@" not in requirement:
        return False  # the common case, without importing packaging
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(requirement).url is not None
    except InvalidRequirement:
        return False


# --- Imports ----------------------------------------------------------------------------------------------


def candidate_distribution(module: str) -> str | None:
    """The distribution name an unresolved import would have if it were named after it (``a.b`` -> ``a``;
    ``google.foo`` -> ``google-foo``); None for a bare namespace root."""
    parts = module.split(".")
    if mapping.is_namespace_root(parts[0]):
        return mapping.normalize_distribution(".".join(parts[:2])) if len(parts) > 1 else None
    return mapping.normalize_distribution(parts[0])


@record(frozen=True)
class ImportNote:
    """What to add to an import finding: phrases for the message, and a better hint when there is one."""

    notes: tuple[str, ...]
    hint: str | None = None

    def apply(self, item: Finding) -> Finding:
        hint = self.hint if self.hint is not None else item.hint
        return replace(item, message=_with_notes(item.message, self.notes), hint=hint)


def unknown_import_note(module: str, config: Config) -> ImportNote:
    """Evidence for an import that resolves to nothing (HC001), its import name read as a distribution name."""
    candidate = candidate_distribution(module)
    if candidate is None:
        return ImportNote(())
    evidence = name_evidence(candidate, config.known_hallucinations)
    notes = []
    hint = None
    if evidence.hallucination is not None:
        notes.append(f"`{candidate}` is a documented AI-hallucinated package name ({evidence.hallucination})")
    if evidence.rank is not None:
        notes.append(f"a distribution named `{candidate}` is ranked #{evidence.rank:,} by downloads: if it is the "
                     "one that provides this module, declare it")
    best = evidence.similar[0] if evidence.similar else None
    if best is not None and is_strong_match(candidate, best):
        facts = f"#{best.rank:,} by downloads, {resemblance(best)}{_provided_by(best)}"
        notes.append(f"did you mean {did_you_mean(best, facts)}?")
        fix = (f"fix the import (`{best.import_name}`) and declare `{best.name}`" if best.import_name
               else f"fix the import and declare `{best.name}`")
        hint = (f"If you meant `{best.name}`, {fix}. If `{module}` is right, declare the distribution that provides "
                "it, or commit the first-party module.")
    elif evidence.similar:
        notes.append("close to " + ", ".join(_close(item) + _provided_by(item) for item in evidence.similar))
    return ImportNote(tuple(notes), hint)


def new_dependency_import_note(module: str, distribution: str, reason: str, config: Config) -> ImportNote:
    """Evidence for an import served only by a dependency added in this change (HC003)."""
    top = module.split(".")[0]
    if mapping.normalize_distribution(top) == distribution:
        notes = ["the import name and the distribution name agree"]
    elif "bundled mapping" in reason:
        notes = [f"the import name `{top}` differs from the distribution name; hallucheck's bundled mapping links them"]
    else:
        notes = [f"the import name `{top}` differs from the distribution name; they were matched by the "
                 "distribution's name alone"]
    evidence = name_evidence(distribution, config.known_hallucinations)
    if evidence.hallucination is not None:
        notes.append(f"`{distribution}` is a documented AI-hallucinated package name (see its manifest line)")
    elif evidence.lookalike is not None:
        lookalike = evidence.lookalike
        like = (f"`{lookalike.import_name}`, the import name of `{lookalike.name}`" if lookalike.import_name
                else f"the popular `{lookalike.name}`")
        notes.append(f"`{distribution}` looks like {like} (see its manifest line)")
    elif evidence.rank is not None:
        notes.append(f"`{distribution}` is ranked #{evidence.rank:,} by downloads")
    else:
        notes.append(f"`{distribution}` is not among the {_popular_count():,} most downloaded distributions")
    return ImportNote(tuple(notes))


def undeclared_import_note(module: str, distribution: str) -> ImportNote:
    """Evidence for an import a known but undeclared distribution provides (HC002): warn when the import name
    is itself a distribution name on the index, because installing that would install something else."""
    candidate = candidate_distribution(module)
    if candidate is None or candidate == distribution:
        return ImportNote(())
    rank = popular.popularity_rank(candidate)
    if rank is None and not popular.is_known_hallucination(candidate):
        return ImportNote(())
    where = f"#{rank:,} by downloads" if rank is not None else "a known hallucination"
    return ImportNote((f"`{candidate}` is also a distribution name ({where}), but the module comes from "
                       f"`{distribution}`: declare `{distribution}`, not `{candidate}`",))


def _provided_by(similar: Similar) -> str:
    """`` (the `sklearn` module comes from `scikit-learn`)`` when the popular name is an import name too."""
    providers = [name for name in mapping.known_distributions(similar.name.replace("-", "_")) if name != similar.name]
    if not providers:
        return ""
    return f"; the `{similar.name.replace('-', '_')}` module comes from `{providers[0]}`"


# --- Online evidence --------------------------------------------------------------------------------------


@record(frozen=True)
class IndexEvidence:
    """What the package index says about one name, as phrases."""

    index: str
    registered: bool
    summary: str
    """``not registered on URL`` or ``on URL: first upload DATE (AGE), N releases``."""
    blocking: tuple[str, ...] = ()
    """Reasons that make a new dependency an error (HC034)."""
    facts: tuple[str, ...] = ()
    """Other facts worth a reviewer's eye (some files yanked, releases without files, archived)."""


def index_evidence(project: Project, answer: Answer, config: Config) -> IndexEvidence:
    """The facts and the verdict of the index about ``project``, with the configured thresholds."""
    if not project.found:
        return IndexEvidence(answer.index, False, f"not registered on {answer.index}")
    releases = len(project.versions)
    count = f"{releases} release{'s' if releases != 1 else ''}"
    blocking, facts = [], []
    if project.first_upload is None:
        summary = f"on {answer.index}: {count} (the index gives no upload times)"
    else:
        age = max(answer.now - project.first_upload, 0.0) / _DAY
        day = time.strftime("%Y-%m-%d", time.gmtime(project.first_upload))
        summary = f"on {answer.index}: first upload {day} ({_age(age)}), {count}"
        if age < config.new_project_days and releases <= config.new_project_releases:
            blocking.append(f"first uploaded {_age(age)} with {count}")
    if project.files == 0:
        blocking.append("registered but has no files to install")
    elif project.all_yanked:
        blocking.append(f"every file ({project.files}) is yanked")
    elif project.yanked_files:
        facts.append(f"{project.yanked_files} of {project.files} files yanked")
    if project.versions_without_files:
        facts.append(f"{len(project.versions_without_files)} release(s) without files")
    if project.status == "quarantined":
        blocking.append("quarantined by the index" + (f" ({project.status_reason})" if project.status_reason else ""))
    elif project.status and project.status != "active":
        facts.append(f"project status: {project.status}" + (f" ({project.status_reason})" if project.status_reason
                                                            else ""))
    return IndexEvidence(answer.index, True, summary, tuple(blocking), tuple(facts))


def _index_evidence(name: str, answer: Answer | None, config: Config) -> IndexEvidence | None:
    project = None if answer is None else answer.projects.get(name)
    return None if project is None or answer is None else index_evidence(project, answer, config)


def _age(days: float) -> str:
    if days < 1:
        return "less than a day ago"
    if days < 60:
        return f"{int(days)} day{'s' if int(days) != 1 else ''} ago"
    if days < 730:
        return f"{int(days // 30)} months ago"
    return f"{int(days // 365)} years ago"


def registry_names(findings: Sequence[Finding], target: Declared, is_pypi: bool) -> list[str]:
    """The names to ask the index about: new dependencies (not declared by URL) and unresolved imports.

    Popular names are skipped when the index is PyPI: the shipped download ranking already says they are
    registered and established.
    """
    names: dict[str, None] = {}
    for item in findings:
        name = _queried_name(item, target)
        if name is not None and not (is_pypi and popular.popularity_rank(name) is not None):
            names[name] = None
    return list(names)


def _queried_name(item: Finding, target: Declared) -> str | None:
    if item.code in _DEPENDENCY_CODES or item.code == "HC003":
        places = target.dependencies.get(item.distribution or "", [])
        if any(_is_direct_reference(place.requirement) for place in places):
            return None
        return item.distribution
    if item.code == "HC001" and item.module:
        return candidate_distribution(item.module)
    return None


def add_registry_evidence(findings: list[Finding], registry: Registry, target: Declared,
                          config: Config) -> list[Finding]:
    """``findings`` with the index's evidence added (and dependencies escalated by it), plus an HC035 warning
    when the index did not answer for every name."""
    names = registry_names(findings, target, registry.is_pypi)
    if not names:
        return findings
    answer = registry.lookup(names)
    result = []
    for item in findings:
        name = _queried_name(item, target)
        if name is None or name not in names:
            result.append(item)
        elif item.code in _DEPENDENCY_CODES and item.distribution in target.dependencies:
            result.append(dependency_finding(target.dependencies[item.distribution][0], config, answer))
        else:
            result.append(_import_with_index(item, name, answer, config))
    failed = [name for name in names if name in answer.failures]
    if failed:
        result.append(_unreachable_finding(findings, target, failed, answer))
    return result


def _import_with_index(item: Finding, name: str, answer: Answer, config: Config) -> Finding:
    project = answer.projects.get(name)
    if project is None:
        return item
    evidence = index_evidence(project, answer, config)
    if item.code == "HC001" and project.found:
        notes = [f"a project `{name}` exists {evidence.summary}; a name that exists on the index proves nothing "
                 "about the modules it provides", *evidence.blocking, *evidence.facts]
    elif item.code == "HC001":
        notes = [f"no project `{name}` is registered on {answer.index} either"]
    else:
        notes = [evidence.summary, *evidence.blocking, *evidence.facts]
    message = item.message.replace(f" ({OFFLINE_NOTE})", "")  # the index was asked
    return replace(item, message=_with_notes(message, notes))


def _unreachable_finding(findings: Sequence[Finding], target: Declared, failed: list[str], answer: Answer) -> Finding:
    first = min((item for item in findings if _queried_name(item, target) in failed), key=sort_key)
    reasons = sorted({answer.failures[name] for name in failed})
    listed = ", ".join(f"`{name}`" for name in sorted(failed))
    return finding(
        "HC035", first.path, first.line, 0,
        f"could not query the package index {answer.index} ({'; '.join(reasons)}): no registry evidence for {listed}",
        "The offline checks still ran. Check the network or the index URL (`index-url`, PIP_INDEX_URL, pip's "
        "configuration), or run without --online.",
    )  # fmt: skip


def _with_notes(message: str, notes: Sequence[str]) -> str:
    """``message`` followed by each note as a sentence."""
    sentences = [note[0].upper() + note[1:] + ("" if note.endswith(("?", ".")) else ".") for note in notes if note]
    return " ".join([message + ("." if sentences and not message.endswith(("?", ".")) else ""), *sentences])


def _popular_count() -> int:
    count = len(popular._popular()._names)  # the size of the shipped ranking, for messages
    return round(count, -3) if count >= 1000 else count
