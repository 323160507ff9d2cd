"""What an import statement imports: the value every parser of this stage returns."""

from __future__ import annotations

import re
from typing import Literal

from hallucheck.lazy import Slots, record

PYTEST_BUILTIN_PLUGINS = frozenset({
    "assertion", "cacheprovider", "capture", "debugging", "doctest", "faulthandler", "fixtures", "freeze_support",
    "helpconfig", "junitxml", "legacypath", "logging", "main", "mark", "monkeypatch", "nose", "pastebin",
    "pytester", "pytester_assertions", "python", "python_path", "recwarn", "reports", "runner", "setuponly",
    "setupplan", "skipping", "stepwise", "subtests", "terminal", "threadexception", "tmpdir", "unittest",
    "unraisableexception", "warnings",
})  # fmt: skip
"""pytest's own plugins (``-p pytester``, ``pytest_plugins = ["pytester"]``): modules of pytest, no distribution."""

ImportKind = Literal["import", "from", "dynamic"]


@record(frozen=True)
class ComputedImport:
    """A call that imports a module (or runs code) whose name is not a literal: it cannot be checked."""

    line: int
    column: int
    call: str
    """The called name as written (``importlib.import_module``, ``exec``)."""
    why: str
    """What is computed, for the message."""


class ImportedModule(Slots):
    """One module reference made by an import statement.

    ``import a, b`` gives two; ``from x import a, b`` gives one per name, each with
    ``module="x"`` and its ``name``; ``from . import y`` has ``level=1, module=""``.
    """

    __slots__ = (
        "column",
        "fallback",
        "first_line",
        "guarded",
        "kind",
        "last_line",
        "level",
        "line",
        "module",
        "name",
        "optional",
        "type_checking",
        "version_gated",
    )  # fmt: skip

    module: str
    name: str | None
    level: int
    line: int
    column: int
    kind: ImportKind
    first_line: int
    last_line: int
    guarded: bool
    """Inside a ``try:`` whose handlers catch ImportError (or broader) and never raise."""
    type_checking: bool
    """Inside ``if TYPE_CHECKING:``."""
    version_gated: bool
    """Inside a branch of an ``if`` that tests the Python version (``sys.version_info``)."""
    fallback: bool
    """Compatibility code: inside an ``except ImportError:`` (or broader) handler, or a branch chosen by a version
    test (``if django.VERSION >= (2, 0): ... else:``)."""
    optional: bool
    """Not guarded itself, but the module is optional in the file: another import of it is guarded, or the file
    sets its name to ``None`` where an import fails (``if pymongo: from pymongo.errors import ...``). Whether the
    distribution is there is optional; a path it does not ship is still wrong when it is."""

    def __init__(
        self, module: str, name: str | None, level: int, line: int, column: int, kind: ImportKind, first_line: int,
        last_line: int, guarded: bool = False, type_checking: bool = False, version_gated: bool = False,
        fallback: bool = False, optional: bool = False,
    ) -> None:  # fmt: skip
        self.module = module
        self.name = name
        self.level = level
        self.line = line
        self.column = column
        self.kind = kind
        self.first_line = first_line
        self.last_line = last_line
        self.guarded = guarded
        self.type_checking = type_checking
        self.version_gated = version_gated
        self.fallback = fallback
        self.optional = optional

    @property
    def top_level(self) -> str:
        return "" if self.level else self.module.partition(".")[0]

    @property
    def key(self) -> tuple[int, str, str | None]:
        """What makes two imports the same import, wherever they stand."""
        return (self.level, self.module, self.name)

    @property
    def statement(self) -> str:
        """A short rendering for messages, such as ``from x import y``."""
        dotted = "." * self.level + self.module
        if self.kind == "dynamic":
            return f"import_module({dotted!r})"
        if self.kind == "from":
            return f"from {dotted} import {self.name}"
        return f"import {dotted}"


def is_type_checking(test: str, names: frozenset[str]) -> bool:
    """Whether an ``if`` test is ``TYPE_CHECKING`` (or ``typing.TYPE_CHECKING``, or an alias in ``names``)."""
    return test.rpartition(".")[2] in names and re.fullmatch(r"[\w.]+", test) is not None
