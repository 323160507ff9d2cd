"""What a change does to the settings that decide which files the framework passes the hallucheck hook.

pre-commit and prek filter the staged files with the hook's ``files``/``exclude``/``types`` (and the
configuration's top-level ``files``/``exclude``) before they call hallucheck, reading ``.pre-commit-config.yaml``
from the work tree, that is from the change being committed. An ``exclude:`` added in the same commit as an
invented import would hide the import from the commit that adds it. So a change to those settings is a
relaxation: the commit is checked whole (the framework's list narrows nothing) and each changed setting is
named (HC101). A setting committed earlier was shown when it was made, and is honoured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

CONFIG_FILES = (".pre-commit-config.yaml", ".pre-commit-config.yml")
_HOOK_KEYS = ("files", "exclude", "types", "types_or", "exclude_types", "stages", "args", "pass_filenames",
              "always_run", "entry", "language")  # fmt: skip
_TOP_KEYS = ("files", "exclude", "default_stages")
_MISSING = object()


def setting_changes(old: bytes | None, new: bytes | None) -> list[tuple[str, bool, str]]:
    """Each setting that decides what the hallucheck hook is passed and differs from ``old`` to ``new`` (the
    configuration's text before and after; None when absent): ``(key, whether it is a top-level key, how it
    reads in a message)``. A configuration without a hallucheck hook (or unreadable) before the change has
    nothing to relax."""
    before, after = _read(old), _read(new)
    if before is None or not before[1]:
        return []
    if after is None:
        return [("hook", False, "the hallucheck hook made unreadable in .pre-commit-config.yaml")]
    if not after[1]:
        return [("hook", False, "the hallucheck hook removed from .pre-commit-config.yaml")]
    found = []
    for key in _TOP_KEYS:
        was, now = before[0].get(key, _MISSING), after[0].get(key, _MISSING)
        if was != now:
            found.append((key, True, f"top-level `{key}` {_how(was, now)} in .pre-commit-config.yaml"))
    for key in _HOOK_KEYS:
        was = [hook.get(key, _MISSING) for hook in before[1]]
        now = [hook.get(key, _MISSING) for hook in after[1]]
        if was != now:
            old_value = was[0] if len(set(map(repr, was))) == 1 else was
            new_value = now[0] if len(set(map(repr, now))) == 1 else now
            found.append((key, False, f"`{key}` of the hallucheck hook {_how(old_value, new_value)}"))
    return found


def _how(was: object, now: object) -> str:
    if was is _MISSING:
        return f"set to `{_shown(now)}`"
    if now is _MISSING:
        return f"removed (was `{_shown(was)}`)"
    return f"changed from `{_shown(was)}` to `{_shown(now)}`"


def _shown(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _read(data: bytes | None) -> tuple[dict[str, object], list[dict[str, object]]] | None:
    """The top-level mapping and the hallucheck hooks of a configuration; None when it cannot be read."""
    if data is None:
        return {}, []
    import yaml

    try:
        document = yaml.load(data.decode("utf-8", "replace"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    return document, hallucheck_hooks(document)


def hallucheck_hooks(document: object) -> list[dict[str, object]]:
    """The hooks of a parsed configuration that run hallucheck (by id or entry)."""
    repos = document.get("repos") if isinstance(document, dict) else None
    if not isinstance(repos, list):
        return []
    hooks = [hook for entry in repos if isinstance(entry, dict) and isinstance(entry.get("hooks"), list)
             for hook in entry["hooks"] if isinstance(hook, dict)]  # fmt: skip
    return [hook for hook in hooks if "hallucheck" in str(hook.get("id", "")) + str(hook.get("entry", ""))]


def setting_line(text: str, key: str, top: bool) -> int:
    """The line of ``text`` (the configuration) where ``key`` is set: at the start of a line for a ``top``-level
    key, else after the hallucheck hook's id; 0 when it is not found (a removed setting)."""
    lines = text.splitlines()
    start = 0 if top else next((number for number, line in enumerate(lines) if "hallucheck" in line), 0)
    pattern = re.compile(rf"^{re.escape(key)}\s*:" if top else rf"^\s+(?:-\s*)?{re.escape(key)}\s*:")
    order: Sequence[int] = [*range(start, len(lines)), *range(start)]
    for number in order:
        if pattern.match(lines[number]):
            return number + 1
    return start + 1 if key == "hook" and start else 0
