"""Which declarations are for development only, and which files are development files.

Every declaration counts for every file of its project: an import that a
declaration covers never gets an error. Development declarations — what tox
and nox install, ``[tool.rye]``/``[tool.uv]``/``[tool.pdm]`` dev-dependencies,
PEP 735 ``[dependency-groups]``, Poetry's non-main groups, Hatch environments,
extras and requirements files named for a development purpose (``test``,
``dev``, ``docs``, ``lint``, ...) — are installed next to the code in a test or
docs environment only. So an import in a *development file* (tests, docs,
scripts, benchmarks, examples, ``conftest.py``, ``noxfile.py``) that only they
cover is fine, and the same import in the package's own code (``src/``) gets a
warning (HC008): it works under tox, and fails for users who ``pip install``
the package.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from hallucheck.lazy import LazyPattern

__all__ = ["DEVELOPMENT_PURPOSES", "committed_environment", "is_development_file", "is_development_name"]

DEVELOPMENT_PURPOSES = frozenset({
    "dev", "develop", "development", "test", "tests", "testing", "doc", "docs", "documentation", "lint",
    "linting", "typing", "mypy", "types", "typecheck", "style", "ci", "bench", "benchmark", "benchmarks",
    "coverage", "cov", "tox", "nox", "check", "checks", "qa", "format", "pre-commit", "examples", "example",
})  # fmt: skip
"""Words in a requirements file, extra or group name that mark it as a development one."""

_DEVELOPMENT_DIRECTORIES = frozenset({
    "test", "tests", "testing", "doc", "docs", "documentation", "example", "examples", "script", "scripts",
    "tools", "tool", "bench", "benchmark", "benchmarks", "ci", ".github", ".circleci", "dev", "devtools",
    "tasks", "noxfiles", "integration_tests", "unit_tests", "functional_tests", "e2e", "fixtures", "docs_src",
    "docs-src", "doc_src", "docs_source",
})  # fmt: skip
_DEVELOPMENT_FILES = frozenset({"conftest.py", "noxfile.py", "tasks.py", "fabfile.py", "dodo.py"})
_TEST_FILE = LazyPattern(r"^(test_.*|.*_tests?)\.pyi?$")
_WORDS = LazyPattern(r"[-_.\s/]+")


def is_development_file(path: str) -> bool:
    """Whether the repository file ``path`` runs only in development (tests, docs, scripts, tooling)."""
    directory, name = posixpath.split(path)
    if name in _DEVELOPMENT_FILES or _TEST_FILE.match(name):
        return True
    return any(part.lower() in _DEVELOPMENT_DIRECTORIES for part in directory.split("/") if part)


def is_development_name(name: str) -> bool:
    """Whether a requirements file path, extra or group name says it is for development (``requirements-dev.txt``).

    ``requirements/test.txt`` and ``dev-requirements.in`` are; ``requirements.txt`` and
    ``requirements/base.txt`` are not.
    """
    return any(word in DEVELOPMENT_PURPOSES for word in _WORDS.split(name.lower()))


_ENVIRONMENT_PARTS = frozenset({"site-packages", "dist-packages", "__pypackages__"})
_ENVIRONMENT_DIRECTORIES = frozenset({"bin", "Scripts", "lib", "Lib", "lib64", "include", "Include", "share"})
"""What a virtual environment holds beside its ``pyvenv.cfg``."""


def committed_environment(path: str, has_file: Callable[[str, str], bool]) -> str | None:
    """The committed Python environment ``path`` belongs to (installed packages, not the project's code), or None.

    A file under ``site-packages/``, ``dist-packages/`` or PEP 582's ``__pypackages__/``, or under the ``bin/``,
    ``lib/``... of a directory that holds a ``pyvenv.cfg``. ``has_file(directory, name)`` says whether the
    snapshot has that file.
    """
    parts = path.split("/")[:-1]
    for index, part in enumerate(parts):
        if part in _ENVIRONMENT_PARTS:
            return "/".join(parts[: index + 1])
        if part in _ENVIRONMENT_DIRECTORIES and has_file("/".join(parts[:index]), "pyvenv.cfg"):
            return "/".join(parts[:index]) or "."
    return None
