"""TOML tables of a snapshot, as the resolvers read them (a project's layout, pytest's settings, the Python
it requires): absent or invalid files read as empty tables, since the manifest reader reports them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hallucheck.snapshot import Snapshot


def read_toml(snapshot: Snapshot, path: str) -> dict[str, Any]:
    """A TOML file of the snapshot as a table; empty when absent or invalid (the manifest reader reports that)."""
    data = snapshot.read(path)
    if data is None:
        return {}
    from hallucheck.manifests.pyproject import load_toml

    document, _ = load_toml(data.decode("utf-8", "replace"), path)
    return document or {}


def table(document: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """The nested table at ``keys``; empty when any level is missing or not a table."""
    current: Any = document
    for key in keys:
        current = current.get(key) if isinstance(current, dict) else None
    return current if isinstance(current, dict) else {}
