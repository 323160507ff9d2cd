"""What a check reports: severities, rule codes and findings.

This module is the single place where rule codes are defined. Reporters and
documentation read from :data:`RULES`; the checks only construct
:class:`Finding` values.
"""

from __future__ import annotations

import enum
from contextvars import ContextVar

from hallucheck.lazy import Slots


class Severity(str, enum.Enum):
    """How a finding affects the exit status."""

    ERROR = "error"
    """Blocks: the import or manifest is wrong."""
    REVIEW = "review"
    """Blocks until a human approves it (a dependency added in this change)."""
    WARNING = "warning"
    """Reported, never blocks."""

    @property
    def blocks(self) -> bool:
        return self is not Severity.WARNING


class Rule(Slots):
    """One finding code: its name, default severity and one-line summary."""

    __slots__ = ("code", "name", "severity", "summary")

    code: str
    name: str
    severity: Severity
    summary: str

    def __init__(self, code: str, name: str, severity: Severity, summary: str) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.code: rule for rule in rules}


RULES: dict[str, Rule] = _rules(
    Rule("HC001", "unknown-import", Severity.ERROR,
         "An added import resolves to nothing declared and no known distribution provides it."),
    Rule("HC002", "undeclared-import", Severity.ERROR,
         "An added import is provided by a known distribution that the project does not declare."),
    Rule("HC003", "import-of-new-dependency", Severity.REVIEW,
         "An added import is served only by a dependency added in the same change."),
    Rule("HC004", "new-dependency", Severity.REVIEW,
         "A dependency was added to a manifest in this change."),
    Rule("HC005", "import-of-removed-dependency", Severity.ERROR,
         "An added import needs a dependency that this change removes."),
    Rule("HC006", "transitive-import", Severity.WARNING,
         "An added import is served only by a distribution that a lock file pins but no manifest declares."),
    Rule("HC007", "undeclared-namesake-import", Severity.ERROR,
         "An added import is not declared, and an established distribution has its name: declare it."),
    Rule("HC008", "development-dependency-import", Severity.WARNING,
         "The package's own code imports a distribution declared for development only (tox, a test extra)."),
    Rule("HC009", "missing-relative-import", Severity.ERROR,
         "An added relative import names a module its package does not have (`from . import x`, no `x`)."),
    Rule("HC010", "syntax-error", Severity.ERROR,
         "A changed Python file does not parse; imports are still checked where they can be found."),
    Rule("HC011", "unreadable-manifest", Severity.ERROR,
         "A dependency manifest could not be read (invalid TOML, broken requirement line, ...)."),
    Rule("HC012", "undecodable-file", Severity.ERROR,
         "A changed file could not be decoded as text."),
    Rule("HC013", "opaque-manifest-entry", Severity.WARNING,
         "A manifest declares something that cannot be read without running code (computed setup.py "
         "arguments, a URL without a name); it is not counted as declared."),
    Rule("HC020", "removed-stdlib-module", Severity.ERROR,
         "An added import names a standard-library module removed in a Python version the project supports."),
    Rule("HC021", "stdlib-module-too-new", Severity.WARNING,
         "An added import names a standard-library module newer than the lowest Python the project supports."),
    Rule("HC022", "stale-module-path", Severity.ERROR,
         "An added import uses a module path that its distribution moved or removed."),
    Rule("HC023", "undeclared-optional-import", Severity.WARNING,
         "A guarded (optional) import of a real distribution that the project does not declare."),
    Rule("HC024", "deprecated-module-path", Severity.WARNING,
         "An added import uses a module path that its distribution deprecated but still ships."),
    Rule("HC025", "computed-dynamic-import", Severity.WARNING,
         "An added dynamic import (`import_module`, `__import__`, `runpy.run_module`, `exec`) names its "
         "module with a computed value, which cannot be checked."),
    Rule("HC026", "not-shipped", Severity.ERROR,
         "An added import names a module or name that its declared distribution does not ship in any indexed "
         "version the declaration allows (bundled index of popular distributions)."),
    Rule("HC027", "version-dependent-import", Severity.WARNING,
         "An added import names a module or name that the newest allowed version of its distribution ships, "
         "but an older version the declaration also allows does not."),
    Rule("HC028", "distribution-name-as-import", Severity.ERROR,
         "An added import names a distribution instead of the module it installs (`import pytorch` for `torch`, "
         "`import pillow` for `PIL`), or a module in the wrong case (`import pil`)."),
    Rule("HC030", "typosquat-dependency", Severity.ERROR,
         "A dependency or an install command added in this change names a package that imitates a popular "
         "distribution's name (did you mean it?)."),
    Rule("HC031", "known-hallucinated-dependency", Severity.ERROR,
         "A dependency or an install command added in this change names a documented AI-hallucinated package."),
    Rule("HC032", "import-name-as-dependency", Severity.ERROR,
         "A dependency or an install command added in this change names another distribution's import name "
         "(`yaml` for `pyyaml`, `pip install sklearn`)."),
    Rule("HC033", "unregistered-dependency", Severity.ERROR,
         "A dependency added in this change is not registered on the package index (--online)."),
    Rule("HC034", "suspicious-dependency", Severity.ERROR,
         "The package index shows a dependency added in this change as new and nearly empty, without files, "
         "fully yanked, or quarantined (--online)."),
    Rule("HC035", "index-unreachable", Severity.WARNING,
         "--online was asked for but the package index did not answer; only offline evidence was used."),
    Rule("HC040", "installed-package", Severity.REVIEW,
         "An install command added in this change (docs, scripts, Dockerfiles, CI, notebooks, agent files) "
         "installs a package the project does not declare and that is not an established popular distribution."),
    Rule("HC041", "unreadable-notebook", Severity.ERROR,
         "A changed notebook is not valid JSON or not shaped like a notebook; its cells could not be checked."),
    Rule("HC042", "undetermined-install", Severity.REVIEW,
         "An install command added in this change may install packages that only running it would name "
         "(`pip install $PKG`, `xargs pip install`, `bash -c \"$SCRIPT\"` with an installer in it)."),
    Rule("HC043", "new-package-source", Severity.REVIEW,
         "A change sets where installs fetch packages apart from the requirements: an index, extra index, "
         "find-links location or trusted host in a committed pip.conf/pip.ini/uv.toml, [tool.uv.pip], uv's "
         "override/constraint URLs, pixi's pypi-options and channels, a .condarc's channels, PIP_INDEX_URL-style "
         "environment variables in a workflow, Dockerfile, tox, script or Python code, or a command that sets one "
         "(uv sync --index, pip config set global.index-url, poetry source add, conda config --add channels)."),
    Rule("HC100", "unused-suppression", Severity.WARNING,
         "A `# hallucheck:` comment on an added line suppresses nothing (or names an unknown code)."),
    Rule("HC101", "relaxed-check", Severity.WARNING,
         "A change relaxes the check (ignore, mapping, first-party, severity, approval, manifests, baseline "
         "entry, suppression comment, or what the framework passes the hook): each relaxation it makes, with "
         "what it lets through of what the same change adds."),
)


def rule_named(text: str) -> Rule | None:
    """The rule named by a code (``hc001`` works) or a rule name (``unknown-import``)."""
    wanted = text.strip()
    rule = RULES.get(wanted.upper())
    if rule is not None:
        return rule
    return next((rule for rule in RULES.values() if rule.name == wanted.lower()), None)


class Finding(Slots):
    """One problem at one place.

    ``path`` is relative to the repository root with ``/`` separators; ``line``
    and ``column`` are 1-based (column 0 means "the whole line/file").
    """

    __slots__ = (
        "code",
        "column",
        "declare",
        "distribution",
        "hint",
        "line",
        "message",
        "module",
        "path",
        "requirement",
        "severity",
    )  # fmt: skip

    code: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    hint: str
    module: str | None
    distribution: str | None
    declare: str | None
    """The distribution the fix declares (HC002, HC007, HC022): what ``hallucheck approve --declare`` and the
    ``hallucheck-approve`` hook add to the manifest, and approve, in one step."""
    requirement: str | None
    """The requirement as written, when the finding is about one (what an approval must cover)."""

    def __init__(
        self, code: str, severity: Severity, path: str, line: int, column: int, message: str, hint: str,
        module: str | None = None, distribution: str | None = None, declare: str | None = None,
        requirement: str | None = None,
    ) -> None:  # fmt: skip
        self.code = code
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        self.module = module
        self.distribution = distribution
        self.declare = declare
        self.requirement = requirement

    @property
    def blocks(self) -> bool:
        return self.severity.blocks

    @property
    def rule(self) -> Rule:
        return RULES[self.code]


def finding(
    code: str,
    path: str,
    line: int,
    column: int,
    message: str,
    hint: str,
    *,
    module: str | None = None,
    distribution: str | None = None,
    declare: str | None = None,
    requirement: str | None = None,
) -> Finding:
    """Build a finding with the rule's default severity."""
    return Finding(
        code, RULES[code].severity, path, line, column, message, hint, module, distribution, declare, requirement
    )


def sort_key(item: Finding) -> tuple[str, int, int, str]:
    return (item.path, item.line, item.column, item.code)


APPROVE_HOOK = "pre-commit run hallucheck-approve --hook-stage manual"
"""The command that approves (and declares) under pre-commit alone: the manual ``hallucheck-approve`` hook."""

PRE_COMMIT_FIRST: ContextVar[bool] = ContextVar("hallucheck_pre_commit_first", default=False)
"""Whether hints name the pre-commit command first: set by the command line when it runs as a hook, where
``hallucheck`` itself is not on the user's PATH."""


def _commands(own: str) -> str:
    """The command that works where the check runs first, then the other one."""
    if PRE_COMMIT_FIRST.get():
        return f"`{APPROVE_HOOK}` (or, with hallucheck installed, `{own}`)"
    return f"`{own}` (with pre-commit alone: `{APPROVE_HOOK}`)"


def approval_table(config_path: str | None) -> str:
    """Where an approval is written by hand: the table, and the file it is in."""
    if config_path is None:
        return "`[tool.hallucheck.approved]` in pyproject.toml (`[approved]` in hallucheck.toml without one)"
    if config_path.endswith("pyproject.toml"):
        return f"`[tool.hallucheck.approved]` in {config_path}"
    return f"`[approved]` in {config_path}"


def approval_hint(name: str, requirement: str | None = None, config_path: str | None = None) -> str:
    """How a person approves dependency ``name``: the command, the pre-commit hook, or the entry by hand."""
    import json

    entry = f"{name} = {json.dumps(requirement or name, ensure_ascii=False)}"
    return (
        f"then approve it: {_commands(f'hallucheck approve {name}')}, or write `{entry}` under "
        f"{approval_table(config_path)} yourself; then `git add` the file it names."
    )


def declare_command(distribution: str, *, dev: bool = False) -> str:
    """The commands that declare ``distribution`` (for development only with ``dev``) and approve it."""
    return _commands(f"hallucheck approve --declare{' --dev' if dev else ''} {distribution}")


def declare_hint(distribution: str, *, dev: bool = False) -> str:
    """How a person declares ``distribution`` and approves it in one step (HC002, HC007, HC022)."""
    where = " for development (tests, docs, tooling)" if dev else ""
    return (
        f"Declare `{distribution}`{where} and approve it in one step: {declare_command(distribution, dev=dev)} "
        "shows the edit to the manifest and the approval, writes them, and names the files to `git add`."
    )


OVERRIDE_FLAG = "--override-error"
OVERRIDE_VARIABLE = "HALLUCHECK_OVERRIDE_ERROR"


def override_hint(name: str) -> str:
    """How a person approves ``name`` although the evidence makes it an error: by name, with the override."""
    own = f"hallucheck approve {name} {OVERRIDE_FLAG}"
    hook = f"{OVERRIDE_VARIABLE}={name} {APPROVE_HOOK}"
    commands = (f"`{hook}` (or, with hallucheck installed, `{own}`)" if PRE_COMMIT_FIRST.get()
                else f"`{own}` (with pre-commit alone: `{hook}`)")
    return f"approve it by name over this error: {commands}; the approval records the error it overrides"
