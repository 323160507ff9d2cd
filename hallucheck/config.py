"""``[tool.hallucheck]`` configuration, read from the same snapshot as the manifests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hallucheck.snapshot import Snapshot


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file and key."""


@dataclass(frozen=True)
class Config:
    mapping: dict[str, str] = field(default_factory=dict)
    """Import name → distribution name; overrides every other source."""
    first_party: tuple[str, ...] = ()
    """Top-level names that are the project's own code."""
    ignore: tuple[str, ...] = ()
    """Module globs never reported."""
    severity: dict[str, str] = field(default_factory=dict)
    """Code → ``error``/``review``/``warning``/``off``."""
    python: str | None = None
    """Target Python (``3.11``); default: from ``requires-python``, else the running interpreter."""
    manifests: tuple[str, ...] = ()
    """Extra manifest paths for layouts discovery cannot guess."""
    baseline: str | None = None
    known_hallucinations: tuple[str, ...] = ()
    approved: dict[str, str] = field(default_factory=dict)
    """Normalised distribution name → the requirement a human approved."""
    online: bool = False
    """Ask the package index for evidence about new dependencies and unresolved imports (``--online``)."""
    index_url: str | None = None
    """The index to ask; default: ``PIP_INDEX_URL``, pip's configuration, else PyPI."""
    new_project_days: int = 30
    """Online: a new dependency first uploaded fewer than this many days ago ..."""
    new_project_releases: int = 1
    """... and with at most this many releases is an error (HC034)."""
    source: str | None = None
    """Where the configuration was read from (None: defaults)."""


_KEYS: dict[str, type] = {
    "mapping": dict,
    "first-party": list,
    "ignore": list,
    "severity": dict,
    "python": str,
    "manifests": list,
    "baseline": str,
    "known-hallucinations": list,
    "approved": dict,
    "online": bool,
    "index-url": str,
    "new-project-days": int,
    "new-project-releases": int,
}


def config_from_table(table: dict[str, Any], source: str) -> Config:
    """Validate a ``[tool.hallucheck]`` table; unknown keys and wrong types are errors naming the key."""
    for key, value in table.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{source}: unknown key 'tool.hallucheck.{key}' (known: {', '.join(sorted(_KEYS))})")
        if not isinstance(value, expected):
            raise ConfigError(f"{source}: 'tool.hallucheck.{key}' must be a {expected.__name__} table/value")
    return Config(
        mapping={str(k): str(v) for k, v in table.get("mapping", {}).items()},
        first_party=tuple(map(str, table.get("first-party", ()))),
        ignore=tuple(map(str, table.get("ignore", ()))),
        severity={str(k): str(v) for k, v in table.get("severity", {}).items()},
        python=table.get("python"),
        manifests=tuple(map(str, table.get("manifests", ()))),
        baseline=table.get("baseline"),
        known_hallucinations=tuple(map(str, table.get("known-hallucinations", ()))),
        approved={str(k): str(v) for k, v in table.get("approved", {}).items()},
        online=table.get("online", False),
        index_url=table.get("index-url"),
        new_project_days=table.get("new-project-days", 30),
        new_project_releases=table.get("new-project-releases", 1),
        source=source,
    )


def load_config(snapshot: Snapshot) -> Config:
    """The configuration in ``pyproject.toml`` ``[tool.hallucheck]``, or defaults."""
    data = snapshot.read("pyproject.toml")
    if data is None:
        return Config()
    from hallucheck.manifests.pyproject import load_toml

    document, _ = load_toml(data.decode("utf-8", "replace"), "pyproject.toml")
    if document is None:
        return Config()  # the manifest reader reports the problem
    table = document.get("tool", {}).get("hallucheck")
    if table is None:
        return Config()
    if not isinstance(table, dict):
        raise ConfigError("pyproject.toml: [tool.hallucheck] must be a table")
    return config_from_table(table, "pyproject.toml [tool.hallucheck]")
