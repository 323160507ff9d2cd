"""Package sources that TOML manifests set for installs apart from their requirements (HC043's TOML half; the
per-requirement sources are :mod:`.indexes`):

* ``[tool.uv.pip]`` ``index-url``, ``extra-index-url``, ``find-links`` (``[pip]`` in ``uv.toml``): every
  ``uv pip`` command in the project asks them;
* ``[tool.uv]`` ``override-dependencies``, ``constraint-dependencies``, ``build-constraint-dependencies``
  entries with a direct reference (``requests @ https://host/requests-9.whl``; also in ``uv.toml``): uv takes
  that name from that URL wherever the resolution meets it, declared or not;
* pixi ``[pypi-options]`` ``index-url``, ``extra-index-urls``, ``find-links`` and ``channels`` other than
  conda's standard ones (``pixi.toml``, ``[tool.pixi]`` of ``pyproject.toml``, and each ``[feature.NAME]``).

Read with ``tomllib`` (a document that does not parse sets nothing: the manifest reader reports it), placed
with :class:`~.tomlfile.TomlLines`.

And conda's ``.condarc`` (YAML; conda reads the one in an environment's root, and any that ``CONDARC`` names):
``channels`` and ``default_channels`` other than conda's standard ones, ``channel_alias`` (the host every
channel name resolves to), ``custom_channels`` and ``custom_multichannels``. Pure text in, settings out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from hallucheck.manifests.sources import DEFAULT_CHANNELS, DEFAULT_INDEXES
from hallucheck.manifests.tomlfile import Path, TomlLines, load_toml
from hallucheck.sources.index_settings import IndexSetting, redacted

FILES = {"pyproject.toml": "pyproject", "pixi.toml": "pixi manifest", "uv.toml": "uv configuration",
         ".condarc": "conda configuration"}
_CONDA_HOSTS = ("https://conda.anaconda.org", "https://repo.anaconda.com/pkgs/")
"""Where conda's standard channels live: a ``channel_alias`` or ``default_channels`` entry there moves nothing."""
_HINTS = ("constraint-dependencies", "override-dependencies", "index-url", "find-links", "channels")
_UV_INDEX_KEYS = ("index-url", "extra-index-url", "find-links")
_UV_PINS = ("override-dependencies", "constraint-dependencies", "build-constraint-dependencies")
_PIXI_KEYS = ("index-url", "extra-index-urls", "find-links")


def is_source_manifest(path: str) -> bool:
    """Whether ``path`` names a TOML file that may set package sources apart from its requirements."""
    return posixpath.basename(path) in FILES


def file_source_settings(path: str, text: str) -> list[tuple[IndexSetting, str]]:
    """The package-source settings of the file at ``path`` (TOML manifests and ``.condarc``), each with where
    it is."""
    if posixpath.basename(path) == ".condarc":
        return condarc_settings(text)
    return toml_source_settings(path, text)


def condarc_settings(text: str) -> list[tuple[IndexSetting, str]]:
    """The channel settings of a ``.condarc`` that choose other than conda's standard channels; a file the YAML
    parser refuses sets nothing (conda refuses it too)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    found: list[tuple[IndexSetting, str]] = []
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        name = key.value if isinstance(key, yaml.ScalarNode) else ""
        if name in ("channels", "default_channels", "channel_alias"):
            found += [(IndexSetting(item.start_mark.line + 1, name, redacted(item.value)), "conda configuration")
                      for item in _scalars(value) if not _standard_channel(item.value)]  # fmt: skip
        elif name in ("custom_channels", "custom_multichannels") and isinstance(value, yaml.MappingNode):
            found += [(IndexSetting(item.start_mark.line + 1, name, redacted(f"{channel.value}={item.value}")),
                       "conda configuration")
                      for channel, entry in value.value if isinstance(channel, yaml.ScalarNode)
                      for item in _scalars(entry)]  # fmt: skip
    return found


def _scalars(node: object) -> list[Any]:
    """The string scalars of a YAML scalar or sequence node."""
    import yaml

    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return [item for item in items if isinstance(item, yaml.ScalarNode) and isinstance(item.value, str)
            and item.value.strip()]  # fmt: skip


def _standard_channel(value: str) -> bool:
    return value.strip().rstrip("/") in DEFAULT_CHANNELS or value.strip().startswith(_CONDA_HOSTS)


def toml_source_settings(path: str, text: str) -> list[tuple[IndexSetting, str]]:
    """The package-source settings of the TOML file at ``path``, each with where it is (``[tool.uv.pip]``)."""
    name = posixpath.basename(path)
    if name not in FILES or not any(hint in text for hint in _HINTS):
        return []
    document, problem = load_toml(text, path)
    if document is None or problem is not None:
        return []
    reader = _Reader(TomlLines(text))
    if name == "uv.toml":
        reader.uv_pins(document, ())  # its index keys are read as a uv configuration file
    elif name == "pixi.toml":
        reader.pixi(document, ())
    else:
        tool = _dict(document.get("tool"))
        uv = _dict(tool.get("uv"))
        reader.uv_pins(uv, ("tool", "uv"))
        reader.strings(_dict(uv.get("pip")), ("tool", "uv", "pip"), _UV_INDEX_KEYS)
        reader.pixi(_dict(tool.get("pixi")), ("tool", "pixi"))
    return reader.found


class _Reader:
    def __init__(self, lines: TomlLines) -> None:
        self.lines = lines
        self.found: list[tuple[IndexSetting, str]] = []

    def uv_pins(self, table: dict[str, Any], key: Path) -> None:
        """``name @ URL`` entries of the override and constraint lists."""
        for pin in _UV_PINS:
            for requirement in _strings(table.get(pin)):
                url = _direct_reference(requirement)
                if url is not None:
                    name = requirement.split("@", 1)[0].strip()
                    self._add(pin, redacted(url), (*key, pin), requirement, f"for `{name}`")

    def strings(self, table: dict[str, Any], key: Path, names: tuple[str, ...]) -> None:
        for setting in names:
            for value in _strings(table.get(setting)):
                if value.rstrip("/") + "/" not in {url.rstrip("/") + "/" for url in DEFAULT_INDEXES}:
                    self._add(setting, redacted(value), (*key, setting), value)

    def pixi(self, settings: dict[str, Any], prefix: Path) -> None:
        for scope, key in _pixi_scopes(settings, prefix):
            options = _dict(scope.get("pypi-options"))
            self.strings(options, (*key, "pypi-options"), ("index-url", "extra-index-urls"))
            for entry in _list(options.get("find-links")):
                where = _dict(entry).get("url") or _dict(entry).get("path")
                if isinstance(where, str):
                    self._add("find-links", redacted(where), (*key, "pypi-options", "find-links"), where)
            for channel in _list(scope.get("channels")):
                channel = _dict(channel).get("channel", channel)
                if isinstance(channel, str) and channel not in DEFAULT_CHANNELS:
                    self._add("channels", redacted(channel), (*key, "channels"), channel)

    def _add(self, setting: str, value: str, key: Path, literal: str, note: str = "") -> None:
        table = ".".join(key[:-1])
        where = f"[{table}]" if table else "the top level"
        self.found.append((IndexSetting(self.lines.line_of(key, literal), setting, value),
                           f"{where}{', ' + note if note else ''}"))  # fmt: skip


def _pixi_scopes(settings: dict[str, Any], prefix: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The workspace (``[project]``/``[workspace]`` for channels, the top level for ``[pypi-options]``) and each
    feature."""
    yield settings, prefix
    for table in ("project", "workspace"):
        if isinstance(settings.get(table), dict):
            yield {"channels": settings[table].get("channels")}, (*prefix, table)
    for name, feature in _dict(settings.get("feature")).items():
        if isinstance(feature, dict):
            yield feature, (*prefix, "feature", name)


def _direct_reference(requirement: str) -> str | None:
    """The URL of ``name @ URL`` (up to a space or marker), else None."""
    _, at, rest = requirement.partition("@")
    url = rest.strip().split(";")[0].split()[0] if at and rest.strip() else ""
    return url if "://" in url or url.startswith(("git+", "hg+", "svn+", "bzr+", "file:")) else None


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
