"""Relaxations: what a change does to loosen the check, and what each one lets through.

A relaxation is a policy entry that the change's target has and its base has not: an
``ignore`` glob, a ``mapping`` or ``first-party`` entry, a lower ``severity``, an
``approved`` dependency, a baseline entry, a ``# hallucheck: ignore`` comment on an
added line, or the same given as a command-line flag. None is applied silently
(HC101, a warning): each relaxation a commit or a range makes is named, with what it
lets through of what the same change adds, or with "lets through nothing this change
adds" (so that splitting the relaxation and the import over two commits shows it).

What a relaxation lets through is found by running the check a second time with the
*strict* configuration (the effective one with this change's relaxations taken back)
and comparing what blocks. HC101's own severity comes from the strict configuration,
so the change that relaxes cannot also silence the report.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence

from hallucheck.config import Config
from hallucheck.findings import RULES, Finding, Severity, finding
from hallucheck.lazy import record, replace

RELAXED = "HC101"
_RANK = {"error": 2, "review": 2, "warning": 1, "off": 0}
_HINT = (
    "A relaxation made in the same change as what it lets through is how a check gets switched off quietly, so it "
    "is shown to whoever reviews the change. If it is right, keep it (this warning does not block). In CI, check "
    "the range with `--policy-from-base` and let CODEOWNERS guard the configuration file."
)


_NOTHING_YET = (": it lets through nothing this change adds, and what a later change adds without a word (a relaxation "
                "is shown once, when it is made)")


@record(frozen=True)
class Relaxation:
    """One entry that loosens the check, and where it is written."""

    kind: str
    """``ignore``, ``mapping``, ``first-party``, ``severity``, ``approval``, ``manifests``, ``baseline`` or
    ``suppression``."""
    key: str
    """What the entry names: a glob, a module, a code, a distribution, or a baseline key."""
    described: str
    """How it reads in a message, such as ``\\`fakepkg_*\\` added to \\`ignore\\```."""
    path: str | None
    """The file that holds it; None when it comes from the command line."""
    line: int = 0
    column: int = 0
    flag: str | None = None
    """The command-line flag it came from, if any."""

    @property
    def where(self) -> str:
        if self.path is None:
            return f"the command-line flag {self.flag}"
        return f"{self.path}:{self.line}" if self.line else self.path

    def covers(self, item: Finding) -> bool:
        """Whether this entry can be what changed ``item`` (an unattributable change is charged to all)."""
        module = item.module or ""
        if self.kind == "ignore":
            parts = module.split(".")
            return any(fnmatch.fnmatchcase(".".join(parts[:end]), self.key) for end in range(1, len(parts) + 1))
        if self.kind in ("mapping", "first-party"):
            return module == self.key or module.startswith(self.key + ".")
        if self.kind == "severity":
            return item.code == self.key
        if self.kind == "approval":
            return item.distribution == self.key
        if self.kind == "manifests":
            return item.module is not None  # whatever the added manifest declares resolves imports
        return False


def config_relaxations(base: Config, effective: Config, text: str | None) -> list[Relaxation]:
    """The entries of ``effective`` that loosen ``base``; ``text`` is the configuration file, for line numbers."""
    found: list[Relaxation] = []

    def add(kind: str, key: str, described: str, origin_key: str, *needles: str) -> None:
        origin = effective.origin(origin_key)
        if origin.startswith("--"):
            found.append(Relaxation(kind, key, described, None, flag=f"{origin} {key}"))
            return
        line = _line_of(text, needles)
        found.append(Relaxation(kind, key, described, effective.path, line, 1 if line else 0))

    for glob in effective.ignore:
        if glob not in base.ignore:
            add("ignore", glob, f"`{glob}` added to `ignore`", "ignore", _quoted(glob))
    for name in effective.first_party:
        if name not in base.first_party:
            add("first-party", name, f"`{name}` added to `first-party`", "first-party", _quoted(name))
    for module, distribution in effective.mapping.items():
        if base.mapping.get(module) != distribution:
            add("mapping", module, f"`mapping` of `{module}` to `{distribution}`", f"mapping.{module}",
                _key(module), "mapping")  # fmt: skip
    for code, level in effective.severity.items():
        before = base.severity.get(code, RULES[code].severity.value)
        if _RANK[level] < _RANK[before]:
            add("severity", code, f"`severity` of {code} lowered from {before} to {level}", f"severity.{code}",
                _key(code), _key(RULES[code].name), "severity")  # fmt: skip
    for name, requirement in effective.approved.items():
        if base.approved.get(name) != requirement:
            add("approval", name, f"`{name}` approved", f"approved.{name}", _key(name), "approved")
    for path in effective.manifests:
        if path not in base.manifests:  # what an existing file declares now counts: it may declare anything
            add("manifests", path, f"`{path}` added to `manifests`", "manifests", _quoted(path))
    return found


def strict_config(effective: Config, base: Config, relaxations: Sequence[Relaxation]) -> Config:
    """``effective`` with ``relaxations`` taken back: the base's value where it had one, else none."""
    taken = {(item.kind, item.key) for item in relaxations}

    def table(current: dict[str, str], before: dict[str, str], kind: str) -> dict[str, str]:
        kept = {key: value for key, value in current.items() if (kind, key) not in taken}
        return kept | {key: before[key] for key in current if (kind, key) in taken and key in before}

    return replace(
        effective,
        ignore=tuple(glob for glob in effective.ignore if ("ignore", glob) not in taken),
        first_party=tuple(name for name in effective.first_party if ("first-party", name) not in taken),
        mapping=table(effective.mapping, base.mapping, "mapping"),
        severity=table(effective.severity, base.severity, "severity"),
        approved=table(effective.approved, base.approved, "approval"),
        manifests=tuple(path for path in effective.manifests if ("manifests", path) not in taken),
    )


def let_through(strict: Sequence[Finding], actual: Sequence[Finding]) -> list[Finding]:
    """Findings that block under the strict configuration where nothing blocks under the actual one."""
    blocking = {_subject(item) for item in actual if item.blocks}
    return [item for item in strict if item.blocks and item.code != RELAXED and _subject(item) not in blocking]


def _subject(item: Finding) -> tuple[str, int, str]:
    """What a finding is about: one import statement's module, or one manifest line's dependency."""
    return item.path, item.line, item.module or item.distribution or item.code


def relaxation_findings(
    relaxations: Sequence[Relaxation], hidden: Sequence[Finding], *, scope: str, every: bool
) -> list[Finding]:
    """HC101 for each relaxation that lets something through, or for every one made in the file when ``every``."""
    charged: dict[Relaxation, list[Finding]] = {item: [] for item in relaxations}
    for item in hidden:
        culprits = [relaxation for relaxation in relaxations if relaxation.covers(item)] or list(relaxations)
        for relaxation in culprits:
            charged[relaxation].append(item)
    findings = []
    for relaxation, items in charged.items():
        if items or (every and relaxation.path is not None):
            tail = _NOTHING_YET if not items and scope == "change" else ""
            findings.append(relaxed_finding(relaxation, items, scope=scope, tail=tail))
    return findings


def relaxed_finding(relaxation: Relaxation, hidden: Sequence[Finding], *, scope: str, tail: str = "") -> Finding:
    """The HC101 warning for one relaxation: what it is, where, and what it lets through (``tail`` adds to it)."""
    head = f"{relaxation.described} in this {scope} by {relaxation.where}"
    if relaxation.kind == "suppression":
        head = f"`{relaxation.key}` added in this {scope}"
    if hidden:
        head += f" lets through what this {scope} adds: " + ", ".join(_shown(item) for item in hidden)
    head += tail
    anchor = hidden[0] if relaxation.path is None and hidden else None
    path = anchor.path if anchor is not None else relaxation.path or ""
    line = anchor.line if anchor is not None else relaxation.line
    column = anchor.column if anchor is not None else relaxation.column
    return finding(RELAXED, path, line, column, head, _HINT)


_OVERRIDE_RECORD = "overrides HC"
"""What ``hallucheck approve NAME --override-error`` writes beside an approval of an error-level name."""
_NAME_ERRORS = frozenset({"HC030", "HC031", "HC032"})
"""Errors a name earns by itself: a typosquat, a documented hallucination, an import name used as a package."""


def error_level_approvals(relaxations: Sequence[Relaxation], config: Config, text: str | None,
                          scope: str) -> list[Finding]:
    """The error that stands for each approval ``relaxations`` add of a name that is an error by its name alone,
    written without the override record (attack H30): a hand-written ``huggingface-cli = "huggingface-cli"``
    would otherwise clear a documented hallucination for every later commit and the agent hook."""
    from hallucheck.evidence.dependencies import dependency_finding
    from hallucheck.manifests import Dependency

    lines = text.splitlines() if text else []
    unapproved = replace(config, approved={})
    found = []
    for item in relaxations:
        if item.kind != "approval" or item.path is None:
            continue
        if 0 < item.line <= len(lines) and _OVERRIDE_RECORD in lines[item.line - 1]:
            continue
        requirement = config.approved.get(item.key, item.key)
        result = dependency_finding(Dependency(item.key, requirement, item.path, item.line), unapproved)
        if result.code not in _NAME_ERRORS:
            continue
        message = (f"{item.described} in this {scope} by {item.where}, without the override record: "
                   f"{result.message[0].lower()}{result.message[1:]}")
        hint = (f"An approval clears an error-level name only when a person overrides it by name after checking "
                f"the project page: `hallucheck approve {item.key} --override-error` (it records the override). "
                f"Otherwise remove the approval. {result.hint}")
        found.append(replace(result, path=item.path, line=item.line, column=item.column or 1, message=message,
                             hint=hint))
    return found


def _shown(item: Finding) -> str:
    subject = f"`{item.module}`" if item.module else f"`{item.distribution}`" if item.distribution else ""
    return f"{item.code} {subject} at {item.path}:{item.line}".replace("  ", " ")


def with_relaxation_severity(items: Sequence[Finding], strict: Config) -> list[Finding]:
    """HC101 findings at the severity the strict configuration gives them (``off`` drops them)."""
    level = strict.severity.get(RELAXED)
    if level is None:
        return list(items)
    if level == "off":
        return [item for item in items if item.code != RELAXED]
    return [replace(item, severity=Severity(level)) if item.code == RELAXED else item for item in items]


def _quoted(value: str) -> str:
    return rf"""["']{re.escape(value)}["']"""


def _key(name: str) -> str:
    return rf"""(?<![\w.-])["']?{re.escape(name)}["']?\s*="""


def _line_of(text: str | None, needles: Sequence[str]) -> int:
    """The first line matching any of ``needles`` (regular expressions, tried in order); 0 when none does."""
    if not text:
        return 0
    table = re.search(r"(?m)^\s*\[\s*tool\s*\.\s*hallucheck\b", text)
    start = table.start() if table else 0
    for needle in needles:
        pattern = re.compile(rf"(?m)^\s*{needle}\b" if needle.isidentifier() else needle)
        match = pattern.search(text, start)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 0
