"""Package sources set outside the manifests: the installers' configuration files committed in the repository
(``pip.conf``, ``pip.ini``, ``uv.toml``) and the environment variables pip and uv read (``PIP_INDEX_URL``,
``PIP_EXTRA_INDEX_URL``, ``UV_INDEX``, ...) wherever a file sets them (a workflow's ``env:``, a Dockerfile's
``ENV``/``ARG``, tox ``setenv``, ``export`` in a script).

Such a setting names no package: it moves every install that reads it to another source. Each is read as
``(line, setting, value)``; the value is shown without the credentials a URL may carry. Pure text in, settings
out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection

from hallucheck.lazy import LazyPattern, record

CONFIG_FILES = {"pip.conf": "pip configuration", "pip.ini": "pip configuration", "uv.toml": "uv configuration"}
"""Configuration files an installer reads (when the repository is where it looks, or ``PIP_CONFIG_FILE`` points
there), by name."""
_CONFIG_KEYS = frozenset({"index-url", "extra-index-url", "find-links", "trusted-host", "allow-insecure-host",
                          "default-index", "no-index"})  # fmt: skip
ENVIRONMENT_VARIABLES = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_TRUSTED_HOST",
                         "PIP_NO_INDEX", "PIP_CONFIG_FILE", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX",
                         "UV_DEFAULT_INDEX", "UV_FIND_LINKS", "UV_INSECURE_HOST", "UV_CONFIG_FILE")  # fmt: skip
_ENVIRONMENT = LazyPattern(
    r"(?<![A-Za-z0-9_])(" + "|".join(ENVIRONMENT_VARIABLES) + r")(?![A-Za-z0-9_])"
    r"""(?:\s*[:=]\s*|[ \t]+)(?:(?P<quote>["'])(?P<quoted>[^"'\n]*)(?P=quote)"""
    r"""|(?P<plain>\$\{\{[^}\n]*\}\}|[^\s"'#;&|]+))"""
)
_KEY = LazyPattern(r"""^\s*["']?([A-Za-z_-]+)["']?\s*[=:]\s*(.*)$""")
_SECTION = LazyPattern(r"^\s*\[+\s*([^\]]+?)\s*\]+")
_STRING = LazyPattern(r"""["']([^"']*)["']""")
_USERINFO = LazyPattern(r"(://)[^/@\s]*@")


@record(frozen=True)
class IndexSetting:
    """One setting that chooses where packages come from."""

    line: int
    setting: str
    """``index-url`` (a configuration key) or ``PIP_INDEX_URL`` (an environment variable)."""
    value: str
    """As written, credentials removed (``https://***@host/simple``)."""

    @property
    def text(self) -> str:
        return f"{self.setting}={self.value}"


def redacted(url: str) -> str:
    """``url`` without the credentials it may carry (``https://user:token@host`` -> ``https://***@host``)."""
    return _USERINFO.sub(r"\1***@", url)


def config_kind(path: str) -> str | None:
    """What the installer configuration file at ``path`` is (``pip configuration``), or None."""
    return CONFIG_FILES.get(posixpath.basename(path).lower())


def config_settings(text: str) -> list[IndexSetting]:
    """The source settings of a ``pip.conf``/``pip.ini`` (INI: a value may go on over indented lines) or a
    ``uv.toml`` (TOML: a list may go on over lines; ``[[index]]`` tables give ``url``)."""
    settings: list[IndexSetting] = []
    section, key, open_list = "", "", False
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        indented = raw[:1] in (" ", "\t")
        if not indented and not open_list and stripped.startswith("["):
            header = _SECTION.match(stripped)
            section, key = (header.group(1).strip().lower() if header else ""), ""
            continue
        if not indented and not open_list:
            found = _KEY.match(stripped)
            name = found.group(1).lower().replace("_", "-") if found else ""
            relevant = name in _CONFIG_KEYS or (name == "url" and section in ("index", "tool.uv.index"))
            key = name if found and relevant else ""
            values = found.group(2) if found else ""
            open_list = values.strip().startswith("[") and "]" not in values
        elif key:
            values = stripped
            open_list = open_list and "]" not in stripped
        else:
            continue
        if key:
            strings = _STRING.findall(values) or [word for word in values.split(" #")[0].replace(",", " ").split()
                                                  if word not in ("[", "]")]  # fmt: skip
            settings += [IndexSetting(number, key, redacted(value.strip())) for value in strings if value.strip()]
    return settings


def environment_settings(text: str, lines: Collection[int] | None = None) -> list[IndexSetting]:
    """The environment variables that choose a package source that ``text`` sets (on ``lines`` only, when
    given): ``PIP_INDEX_URL: https://...``, ``ENV PIP_INDEX_URL=...``, ``ENV UV_INDEX https://...``,
    ``export UV_INDEX_URL="..."``, ``PIP_EXTRA_INDEX_URL = ...`` (tox)."""
    if not any(variable in text for variable in ("PIP_", "UV_")):
        return []
    settings = []
    for number, line in enumerate(text.split("\n"), 1):
        if (lines is not None and number not in lines) or ("PIP_" not in line and "UV_" not in line):
            continue
        for found in _ENVIRONMENT.finditer(line):
            value = found.group("quoted") if found.group("quote") else found.group("plain")
            if value:
                settings.append(IndexSetting(number, found.group(1), redacted(value)))
    return settings
