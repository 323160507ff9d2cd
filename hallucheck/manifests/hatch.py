"""Hatch: ``hatch.toml``, and the ``[tool.hatch]`` table of ``pyproject.toml`` (the same settings).

- ``[envs.NAME]`` ``dependencies`` / ``extra-dependencies``: development
  dependencies (:mod:`.roles`). The ``hatch-test`` environment, once configured,
  also installs what Hatch's own test command needs (pytest and its plugins, the
  defaults Hatch documents for that environment). So do the dependency options
  of the environment's ``overrides`` (``platform``/``env``/``matrix``/``name``).
- build hooks (``[build.hooks.custom]``, ``[build.targets.*.hooks.custom]``,
  ``[metadata.hooks.custom]``): their script (``hatch_build.py`` unless ``path``
  names another) is a build script, served by ``[build-system].requires`` like
  ``setup.py``; a hook's own ``dependencies`` serve it too.
"""

from __future__ import annotations

import posixpath
from typing import Any

from hallucheck.manifests.reading import ManifestReader, resolve_path
from hallucheck.manifests.tomlfile import Path, TomlLines

# Hatch's documented defaults for the internal `hatch-test` environment (hatch.pypa.io, "Testing" / internal
# environments): what `hatch test` installs unless the environment replaces `dependencies`.
HATCH_TEST_DEFAULTS = (
    "coverage-enable-subprocess", "coverage[toml]", "pytest", "pytest-mock", "pytest-randomly",
    "pytest-rerunfailures", "pytest-xdist[psutil]",
)  # fmt: skip
_DEFAULT_HOOK_SCRIPT = "hatch_build.py"


def read(reader: ManifestReader, path: str) -> None:
    """Read the ``hatch.toml`` at ``path`` into ``reader``."""
    loaded = reader.toml(path)
    if loaded is not None:
        text, document = loaded
        read_settings(reader, path, document, TomlLines(text), ())


def read_settings(reader: ManifestReader, path: str, settings: dict[str, Any], lines: TomlLines, prefix: Path) -> None:
    """Hatch ``settings`` found at ``prefix`` of the document at ``path`` (``("tool", "hatch")`` or ``()``)."""
    environments = settings.get("envs")
    with reader.development_declarations():
        for name, environment in (environments.items() if isinstance(environments, dict) else ()):
            if not isinstance(environment, dict):
                where = (*prefix, "envs", name)
                reader.problem(path, lines.line_of(where), f"{'.'.join(where)} must be a table")
                continue
            for option in ("dependencies", "extra-dependencies"):
                _requirements(reader, path, environment.get(option), lines, (*prefix, "envs", name, option))
            for value, key in _overridden_dependencies(environment.get("overrides"), (*prefix, "envs", name)):
                _requirements(reader, path, value, lines, key)
            if name == "hatch-test":
                line = lines.line_of((*prefix, "envs", name))
                for requirement in HATCH_TEST_DEFAULTS:
                    reader.requirement(requirement, path, line, " (hatch-test default)")
    for hook, hook_key in _custom_hooks(settings, prefix):
        script = hook.get("path", _DEFAULT_HOOK_SCRIPT)
        if isinstance(script, str):
            target = resolve_path(posixpath.dirname(path), script)
            if target is not None and target not in reader.declared.build_scripts:
                reader.declared.build_scripts.append(target)
        _requirements(reader, path, hook.get("dependencies"), lines, (*hook_key, "dependencies"), build=True)


_OVERRIDE_SOURCES = ("platform", "env", "matrix", "name")
_DEPENDENCY_OPTIONS = ("dependencies", "extra-dependencies", "set-dependencies", "set-extra-dependencies")


def _overridden_dependencies(overrides: object, environment: Path) -> list[tuple[list[object], Path]]:
    """The requirements an environment's ``overrides`` add (attack E10): ``platform.linux.dependencies = [...]``,
    ``matrix.python.extra-dependencies = [{value = "x", if = ["3.12"]}]``, for each override source and each
    dependency option (``set-`` replaces where the plain option appends; both install what they list). A
    conditional entry is read whatever its condition: some platform or matrix cell installs it."""
    found: list[tuple[list[object], Path]] = []
    for source in _OVERRIDE_SOURCES:
        selectors = _get(overrides, source)
        for selector, options in (selectors.items() if isinstance(selectors, dict) else ()):
            for option in _DEPENDENCY_OPTIONS:
                value = _get(options, option)
                if value is None:
                    continue
                items = [value] if isinstance(value, str | dict) else value if isinstance(value, list) else [value]
                entries = [item.get("value") if isinstance(item, dict) else item for item in items]
                found.append((entries, (*environment, "overrides", source, selector, option)))
    return found


def _custom_hooks(settings: dict[str, Any], prefix: Path) -> list[tuple[dict[str, Any], Path]]:
    found: list[tuple[dict[str, Any], Path]] = []
    build_value = settings.get("build")
    build: dict[str, Any] = build_value if isinstance(build_value, dict) else {}
    places: list[tuple[object, Path]] = [
        (build.get("hooks"), (*prefix, "build", "hooks")),
        (_get(settings, "metadata", "hooks"), (*prefix, "metadata", "hooks")),
    ]
    targets = build.get("targets")
    for name, target in (targets.items() if isinstance(targets, dict) else ()):
        places.append((_get(target, "hooks"), (*prefix, "build", "targets", name, "hooks")))
    for hooks, key in places:
        custom = hooks.get("custom") if isinstance(hooks, dict) else None
        if isinstance(custom, dict):
            found.append((custom, (*key, "custom")))
    return found


def _get(value: object, *keys: str) -> object:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _requirements(
    reader: ManifestReader, path: str, value: object, lines: TomlLines, key: Path, *, build: bool = False
) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        reader.problem(path, lines.line_of(key), f"{'.'.join(key)} must be a list of requirements")
        return
    where = f" in [{'.'.join(key[:-1])}] {key[-1]}"
    for item in value:
        if isinstance(item, str):
            reader.requirement(item, path, lines.line_of(key, item), where, build=build)
