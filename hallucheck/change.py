"""What the edges hand the core: one change, and what the core hands back.

This module is deliberately light (no parser, no manifest reader): a commit that
adds no import and touches no manifest is decided without loading the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hallucheck.config import Config
from hallucheck.findings import Finding
from hallucheck.lazy import Slots
from hallucheck.resolve.stdlib import PythonVersion
from hallucheck.snapshot import Snapshot

if TYPE_CHECKING:
    from hallucheck.evidence.registry import Registry
    from hallucheck.resolve.environment import Environment
    from hallucheck.resolve.resolver import Resolution
    from hallucheck.sources.imported import ImportedModule


ALL_LINES = frozenset({0})
"""Line 0 stands for every line of a file (a file git shows as binary, or whose patch could not be read)."""


class ChangedPythonFile(Slots):
    """A Python file with added lines, as the change leaves it."""

    __slots__ = ("added_lines", "base_contents", "content", "path", "whole_file")

    path: str
    added_lines: frozenset[int]
    content: bytes
    base_contents: tuple[bytes, ...]
    """The file before the change, one version per parent (none for a new file)."""
    whole_file: bool
    """Check every import of the file as new (files mode); ``added_lines`` is then ignored."""

    def __init__(
        self, path: str, added_lines: frozenset[int], content: bytes, base_contents: tuple[bytes, ...] = (),
        whole_file: bool = False,
    ) -> None:  # fmt: skip
        self.path = path
        self.added_lines = added_lines
        self.content = content
        self.base_contents = base_contents
        self.whole_file = whole_file


class ChangedTextFile(Slots):
    """A file that is not Python but may bring packages in: docs, scripts, CI, a Dockerfile, a notebook."""

    __slots__ = ("added_lines", "base_contents", "content", "kind", "path", "whole_file")

    path: str
    kind: str
    """``notebook``, or the install-command reader (:func:`hallucheck.sources.install_files.file_kind`)."""
    added_lines: frozenset[int]
    content: bytes
    base_contents: tuple[bytes, ...]
    """The file before the change, one version per parent (none for a new file)."""
    whole_file: bool
    """Everything in it counts as added (files mode)."""

    def __init__(
        self, path: str, kind: str, added_lines: frozenset[int], content: bytes,
        base_contents: tuple[bytes, ...] = (), whole_file: bool = False,
    ) -> None:  # fmt: skip
        self.path = path
        self.kind = kind
        self.added_lines = added_lines
        self.content = content
        self.base_contents = base_contents
        self.whole_file = whole_file


class Change(Slots):
    """Everything the core needs to know about one change."""

    __slots__ = (
        "added_since_parent",
        "base",
        "base_config",
        "changed_paths",
        "config",
        "environment",
        "hook_settings",
        "left_out",
        "manifests_changed",
        "mode",
        "other_bases",
        "parent",
        "policy_from_base",
        "python_files",
        "registry",
        "resolutions_shown",
        "target",
        "target_python",
        "text_files",
        "use_baseline",
    )  # fmt: skip

    base: Snapshot
    target: Snapshot
    python_files: Sequence[ChangedPythonFile]
    manifests_changed: bool
    """False promises that base and target declare the same dependencies (saves reading them twice)."""
    target_python: PythonVersion | None
    """None: ``[tool.hallucheck] python``, else the target's ``requires-python``, else the running interpreter."""
    config: Config
    other_bases: Sequence[Snapshot]
    """The other parents of a merge: a dependency declared by any parent is not new."""
    changed_paths: Sequence[str] | None
    """Every path the change touches (old and new names of renames); None: unknown, compare every project."""
    environment: Environment | None
    """The project's installed environment, consulted for imports nothing else resolves."""
    registry: Registry | None
    """Where to get online evidence (``--online``); None keeps the check offline."""
    mode: str
    """``staged``, ``range`` or ``files``: over a range every relaxation is listed, in a commit only those that
    let something through; files mode has no base to compare the policy with."""
    base_config: Config | None
    """The base's configuration: entries ``config`` adds to it are relaxations (HC101). None: do not compare."""
    policy_from_base: bool
    use_baseline: bool
    """False: report what the baseline lists too (``hallucheck baseline`` records it)."""
    """``config`` and the baseline come from the base, and suppression comments the change adds hide nothing."""
    text_files: Sequence[ChangedTextFile]
    """Changed notebooks and files that may hold install commands."""
    hook_settings: Sequence[tuple[str, str, int]]
    """Edits the change makes to what the framework passes the hook (``exclude:`` in .pre-commit-config.yaml):
    ``(how it reads, file, line)``, each an HC101; the framework's file list then narrows nothing."""
    left_out: Sequence[str]
    """Changed files the framework did not pass the hook (checked anyway when ``hook_settings`` is set)."""
    parent: Snapshot | None
    """Files mode with history whose policy changed since HEAD's parent: that parent (its policy is the base)."""
    added_since_parent: dict[str, frozenset[int]]
    """Files mode with :attr:`parent`: the lines each file gained since it (:data:`ALL_LINES`: the whole file)."""
    resolutions_shown: bool
    """Whether the report shows how each import resolved (``-v``); when not, the workers that check many files
    do not send them back (passing tens of thousands of resolutions between processes costs a second)."""

    def __init__(
        self, base: Snapshot, target: Snapshot, python_files: Sequence[ChangedPythonFile],
        manifests_changed: bool = True, target_python: PythonVersion | None = None, config: Config | None = None,
        other_bases: Sequence[Snapshot] = (), changed_paths: Sequence[str] | None = None,
        environment: Environment | None = None, registry: Registry | None = None, mode: str = "staged",
        base_config: Config | None = None, policy_from_base: bool = False, use_baseline: bool = True,
        text_files: Sequence[ChangedTextFile] = (), hook_settings: Sequence[tuple[str, str, int]] = (),
        left_out: Sequence[str] = (), parent: Snapshot | None = None,
        added_since_parent: dict[str, frozenset[int]] | None = None, resolutions_shown: bool = True,
    ) -> None:  # fmt: skip
        self.base = base
        self.target = target
        self.python_files = python_files
        self.manifests_changed = manifests_changed
        self.target_python = target_python
        self.config = Config() if config is None else config
        self.other_bases = other_bases
        self.changed_paths = changed_paths
        self.environment = environment
        self.registry = registry
        self.mode = mode
        self.base_config = base_config
        self.policy_from_base = policy_from_base
        self.use_baseline = use_baseline
        self.text_files = text_files
        self.hook_settings = hook_settings
        self.left_out = left_out
        self.parent = parent
        self.added_since_parent = {} if added_since_parent is None else added_since_parent
        self.resolutions_shown = resolutions_shown

    @property
    def scope(self) -> str:
        """How messages name what was checked: ``range`` or ``change``."""
        return "range" if self.mode == "range" else "change"

    @property
    def touches_manifests(self) -> bool:
        """Whether the change may alter what is declared (a manifest, or a configured extra one, changed)."""
        extra = self.config.manifest_files
        return self.manifests_changed or any(path in extra for path in self.changed_paths or ())

    @property
    def has_work(self) -> bool:
        """False when there is provably nothing to find: no candidate import or install command, no manifest
        change."""
        return (bool(self.python_files) or bool(self.text_files) or self.touches_manifests
                or self._range_changes_policy or self._sets_package_sources or bool(self.hook_settings)
                or self._names_tool_modules)

    @property
    def _names_tool_modules(self) -> bool:
        """A change to a tool's configuration (``pytest.ini``, ``.coveragerc``, ...) may make it import a module."""
        from hallucheck.manifests import names_tool_modules

        return any(names_tool_modules(path) for path in self.changed_paths or ())

    @property
    def _sets_package_sources(self) -> bool:
        """A change to an installer's configuration file (``pip.conf``, ``uv.toml``, ``.condarc``) may set a new
        source."""
        from hallucheck.sources.index_settings import sets_sources

        return self.mode != "files" and any(sets_sources(path) for path in self.changed_paths or ())

    @property
    def _range_changes_policy(self) -> bool:
        """A change to the configuration or baseline file alone is work: what it relaxes is listed."""
        if self.mode == "files" or self.base_config is None:
            return False
        policy = {"hallucheck.toml", ".hallucheck.toml", ".hallucheck-baseline.json"}
        policy |= {name for name in (self.config.baseline, self.base_config.baseline) if name}
        return any(path in policy for path in self.changed_paths or ())


class Resolved(Slots):
    """How one new import resolved (for ``--verbose``)."""

    __slots__ = ("item", "path", "resolution")

    path: str
    item: ImportedModule
    resolution: Resolution

    def __init__(self, path: str, item: ImportedModule, resolution: Resolution) -> None:
        self.path = path
        self.item = item
        self.resolution = resolution


class Result(Slots):
    __slots__ = ("baselined", "configured", "findings", "hidden", "imports_checked", "notes", "resolved", "suppressed")

    findings: list[Finding]
    imports_checked: int
    resolved: list[Resolved]
    suppressed: int
    """Findings hidden by suppression comments."""
    baselined: int
    """Findings hidden by the baseline."""
    configured: int
    """Files mode: findings hidden by the configuration's relaxations."""
    hidden: list[str]
    """Files mode: lines naming what the baseline and the configuration hid (printed above the summary)."""
    notes: list[str]
    """What was skipped or declares nothing (templates, computed tox/nox arguments), for ``-v``."""

    def __init__(
        self, findings: list[Finding], imports_checked: int, resolved: list[Resolved] | None = None,
        suppressed: int = 0, baselined: int = 0, notes: list[str] | None = None, hidden: list[str] | None = None,
        configured: int = 0,
    ) -> None:  # fmt: skip
        self.configured = configured
        self.hidden = [] if hidden is None else hidden
        self.findings = findings
        self.imports_checked = imports_checked
        self.resolved = [] if resolved is None else resolved
        self.suppressed = suppressed
        self.baselined = baselined
        self.notes = [] if notes is None else notes

    @property
    def blocks(self) -> bool:
        return any(item.blocks for item in self.findings)
