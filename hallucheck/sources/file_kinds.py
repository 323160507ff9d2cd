"""What kind of file a path is to the install readers, and whether a file of its kind may hold an install
command at all: the cheap tests that decide whether a changed file is read (:mod:`.install_files` reads it).

Kept apart from the readers (costly to import) so that a commit whose files can hold nothing to check is decided
without loading them.
"""

from __future__ import annotations

import posixpath

from hallucheck.lazy import LazyPattern
from hallucheck.sources.install_words import may_install

MARKDOWN, RST, TEXT, SHELL, DOCKERFILE, YAML, MAKEFILE, TOX, NOX, ASCIIDOC, PYTHON = (
    "markdown", "rst", "text", "shell", "dockerfile", "yaml", "makefile", "tox", "nox", "asciidoc", "python",
)  # fmt: skip
DEVCONTAINER, PROCFILE, TOML_TASKS, JENKINSFILE = "devcontainer", "procfile", "toml-tasks", "jenkinsfile"
GITPOD, AGENT_SETTINGS, VSCODE_TASKS = "gitpod", "agent-settings", "vscode-tasks"
DEPLOY_JSON = "deploy-json"
"""JSON settings of build and deploy platforms whose values are commands (Vercel's ``installCommand``, Heroku's
``app.json`` ``scripts``, npm's ``package.json`` ``scripts``)."""
PRECOMMIT = "pre-commit"
"""pre-commit's configuration: the local hooks' ``entry`` commands (its ``additional_dependencies`` are
declarations, read by :mod:`hallucheck.manifests.precommit`)."""
CYTHON = "cython"
"""Cython modules (``.pyx``, included ``.pxi``): the Python statements they run (:func:`.cython.cython_code`)."""
KINDS = (MARKDOWN, RST, TEXT, SHELL, DOCKERFILE, YAML, MAKEFILE, TOX, NOX, ASCIIDOC, PYTHON, DEVCONTAINER, PROCFILE,
         TOML_TASKS, JENKINSFILE, GITPOD, AGENT_SETTINGS, VSCODE_TASKS, CYTHON, PRECOMMIT, DEPLOY_JSON)
_WHOLE_KINDS = frozenset({YAML, GITPOD, PRECOMMIT})
"""Kinds whose commands are read whole when any line changes (a YAML key far from the command chooses it)."""
CODE_KINDS = frozenset({NOX, PYTHON, CYTHON})
"""Python code: the calls it runs are read (:mod:`.python_installs`), not shell text."""
NOTEBOOK = "notebook"

_SHELL_INTERPRETERS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "yash", "busybox", "posh"})
_SHEBANG_LIMIT = 512
"""Characters of a file read for its shebang."""
_AGENT_FILES = frozenset({".cursorrules", ".windsurfrules", ".clinerules", ".roorules", ".goosehints"})
_SUFFIXES = {
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".mdx": MARKDOWN, ".mdc": MARKDOWN, ".mkd": MARKDOWN,
    ".qmd": MARKDOWN, ".rmd": MARKDOWN, ".rmarkdown": MARKDOWN, ".adoc": ASCIIDOC, ".asciidoc": ASCIIDOC,
    ".rst": RST, ".rest": RST, ".txt": TEXT, ".text": TEXT,
    ".sh": SHELL, ".bash": SHELL, ".zsh": SHELL, ".ksh": SHELL, ".command": SHELL, ".ps1": SHELL,
    ".bat": SHELL, ".cmd": SHELL,
    ".dockerfile": DOCKERFILE, ".containerfile": DOCKERFILE,
    ".yml": YAML, ".yaml": YAML,
    ".mk": MAKEFILE, ".make": MAKEFILE, ".just": MAKEFILE,
    ".py": PYTHON, ".pyw": PYTHON, ".pyx": CYTHON, ".pxi": CYTHON,
}  # fmt: skip
_NAMES = {
    "makefile": MAKEFILE, "gnumakefile": MAKEFILE, "justfile": MAKEFILE, ".justfile": MAKEFILE,
    "tox.ini": TOX, "noxfile.py": NOX, "readme": TEXT, "install": TEXT,
    "devcontainer.json": DEVCONTAINER, ".devcontainer.json": DEVCONTAINER, "procfile": PROCFILE,
    "pyproject.toml": TOML_TASKS, "netlify.toml": TOML_TASKS, "jenkinsfile": JENKINSFILE,
    ".envrc": SHELL, ".gitpod.yml": GITPOD, ".gitpod.yaml": GITPOD, "pixi.toml": TOML_TASKS, "tox.toml": TOML_TASKS,
    ".pre-commit-config.yaml": PRECOMMIT, ".pre-commit-config.yml": PRECOMMIT, "fly.toml": TOML_TASKS,
    "nixpacks.toml": TOML_TASKS, ".replit": TOML_TASKS, "earthfile": DOCKERFILE, "vercel.json": DEPLOY_JSON,
    "now.json": DEPLOY_JSON, "app.json": DEPLOY_JSON, "package.json": DEPLOY_JSON,
}  # fmt: skip
_IN_DIRECTORY = {
    (".claude", "settings.json"): AGENT_SETTINGS, (".claude", "settings.local.json"): AGENT_SETTINGS,
    (".cursor", "hooks.json"): AGENT_SETTINGS, (".gemini", "settings.json"): AGENT_SETTINGS,
    (".vscode", "tasks.json"): VSCODE_TASKS,
}  # fmt: skip
"""Files known by their directory and name: coding agents' settings, whose hooks run shell commands on their
events for everyone who works in the repository (Claude Code, Cursor, Gemini CLI), and VS Code's tasks."""


def file_kind(path: str) -> str | None:
    """The reader for ``path``, or None when it is not a file install commands are looked for in."""
    name = posixpath.basename(path)
    lowered = name.lower()
    if lowered in _NAMES:
        return _NAMES[lowered]
    if (posixpath.basename(posixpath.dirname(path)), lowered) in _IN_DIRECTORY:
        return _IN_DIRECTORY[(posixpath.basename(posixpath.dirname(path)), lowered)]
    if name in _AGENT_FILES:
        return TEXT
    if lowered in ("dockerfile", "containerfile") or lowered.startswith(("dockerfile.", "containerfile.")):
        return DOCKERFILE
    if lowered.startswith("makefile."):
        return MAKEFILE
    if lowered.startswith("jenkinsfile.") or lowered.endswith(".jenkinsfile"):
        return JENKINSFILE
    stem, dot, suffix = lowered.rpartition(".")
    return _SUFFIXES.get(dot + suffix) if stem else None


def text_kind(path: str) -> str | None:
    """:data:`NOTEBOOK` for a Jupyter notebook or an IPython script (``.ipy``), else :func:`file_kind`."""
    return NOTEBOOK if path.lower().endswith((".ipynb", ".ipy")) else file_kind(path)


def reads_commands_of_manifest(kind: str | None) -> bool:
    """Whether files of ``kind`` are read for install commands even when they also declare dependencies:
    ``tox.ini`` (``commands``; its ``deps`` are declarations), ``noxfile.py`` (``session.run``; its
    ``session.install`` calls are declarations), Python code (``setup.py`` running ``pip install``) and
    ``pyproject.toml`` (task runners' commands) and ``.pre-commit-config.yaml`` (hooks' ``entry``)."""
    return kind in (TOX, NOX, PYTHON, TOML_TASKS, PRECOMMIT)


def is_agent_rules(path: str) -> bool:
    """Agent instruction files that pre-commit's ``identify`` gives no type but ``text`` (``.cursorrules``,
    ``.cursor/rules/*.mdc``): the hook cannot be configured to be passed them, so they are always read."""
    name = posixpath.basename(path)
    return name in _AGENT_FILES or name.lower().endswith(".mdc")


def is_shell_script(head: str | bytes) -> bool:
    """Whether the first line of a file starts it with a shell (``#!/bin/bash``, ``#!/usr/bin/env bash``,
    ``#!/usr/bin/env -S bash -e``, ``sh``, ``zsh``, ``dash``, ...): a script known by its shebang only."""
    start = head[:_SHEBANG_LIMIT]
    line = (start.decode("utf-8", "replace") if isinstance(start, bytes) else start).split("\n", 1)[0]
    if not line.startswith("#!"):
        return False
    words = line[2:].split()
    if words and posixpath.basename(words[0]) == "env":
        words = words[1:]
        while words and (words[0].startswith("-") or "=" in words[0]):
            takes_value = words[0] in ("-u", "--unset", "-C", "--chdir")
            words = words[2 if takes_value else 1:]
    return bool(words) and posixpath.basename(words[0]) in _SHELL_INTERPRETERS


def may_hold_commands(text: str, kind: str | None) -> bool:
    """Whether a file of ``kind`` may hold an install command at all (cheap: a file that does not is not read)."""
    if kind in CODE_KINDS:
        from hallucheck.sources.python_installs import may_run_installs

        return may_run_installs(text)
    return may_install(text) or _installs_unnamed(text, kind)


def _installs_unnamed(text: str, kind: str | None) -> bool:
    """Whether the file installs packages without an installer's name written near them (cibuildwheel's
    ``test-requires``, ``CIBW_TEST_REQUIRES``): any changed line may add one."""
    return (kind == TOML_TASKS and "test-requires" in text) or (kind in _WHOLE_KINDS and "CIBW_TEST_REQUIRES" in text)


_RUNS_MODULE = LazyPattern(r"(?:^|[\s/\"'\[,])(?:python[0-9.]*|py|pypy[0-9.]*|uvicorn|gunicorn|hypercorn|daphne|"
                           r"celery|flask)(?:[\s\"',]|$)")
"""A program that runs a module by its name (``python -m``, ``uvicorn x:app``): a cheap test."""
_RUNS_COMMANDS = frozenset({SHELL, DOCKERFILE, YAML, MAKEFILE, TOX, PROCFILE, TOML_TASKS, DEVCONTAINER,
                            JENKINSFILE, GITPOD})
"""File kinds whose commands run (documentation's commands are examples: not read for modules)."""


def may_run_modules(text: str, kind: str | None) -> bool:
    """Whether a file of ``kind`` that runs its commands (a script, a Dockerfile, CI, a Procfile, a Makefile; not
    documentation) may run a module by name (:func:`.install_files.run_modules`, attack F13). Cheap."""
    return kind in _RUNS_COMMANDS and _RUNS_MODULE.search(text) is not None
