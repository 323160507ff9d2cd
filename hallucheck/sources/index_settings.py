"""Package sources set outside the manifests: the installers' configuration files committed in the repository
(``pip.conf``, ``pip.ini``, ``uv.toml``) and the environment variables pip and uv read (``PIP_INDEX_URL``,
``PIP_EXTRA_INDEX_URL``, ``UV_INDEX``, ...) wherever a file sets them (a workflow's ``env:``, a Dockerfile's
``ENV``/``ARG``, tox ``setenv``, ``export`` in a script, ``os.environ[...] =`` in Python code).

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
    r"(?<![A-Za-z0-9_\"'])(?P<key_quote>[\"']?)(?P<name>" + "|".join(ENVIRONMENT_VARIABLES) + r")(?P=key_quote)"
    r"(?![A-Za-z0-9_])"
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


def sets_sources(path: str) -> bool:
    """Whether the file at ``path`` is an installer's configuration file (``pip.conf``, ``uv.toml``, conda's
    ``.condarc``)."""
    return config_kind(path) is not None or posixpath.basename(path) == ".condarc"


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
    ``export UV_INDEX_URL="..."``, ``PIP_EXTRA_INDEX_URL = ...`` (tox), ``"PIP_INDEX_URL": "..."`` (JSON: a
    dev container's ``containerEnv``, an agent's ``env`` settings, a VS Code task's ``options.env``)."""
    if not any(variable in text for variable in ("PIP_", "UV_")):
        return []
    settings = []
    for number, line in enumerate(text.split("\n"), 1):
        if (lines is not None and number not in lines) or ("PIP_" not in line and "UV_" not in line):
            continue
        for found in _ENVIRONMENT.finditer(line):
            value = found.group("quoted") if found.group("quote") else found.group("plain")
            if value:
                settings.append(IndexSetting(number, found.group("name"), redacted(value)))
    return settings


_ENVIRON_METHODS = frozenset({"setdefault", "update", "putenv"})


def code_environment_settings(source: str, lines: Collection[int] | None = None) -> list[IndexSetting]:
    """The package-source variables Python code sets for the programs it runs (on ``lines`` only, when given):
    ``os.environ["PIP_INDEX_URL"] = ...``, ``os.environ.setdefault(...)``/``.update(...)``, ``os.putenv(...)``,
    an ``{"PIP_INDEX_URL": ...}`` entry or a ``PIP_INDEX_URL=...`` keyword (``env=dict(...)``). The name inside
    other text is not a setting (a test that writes ``set_env = { PIP_INDEX_URL = ... }`` into a file it makes);
    nor is a test's ``monkeypatch.setenv``. A value computed at run time is shown as written."""
    if not any(variable in source for variable in ENVIRONMENT_VARIABLES):
        return []
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return _unparsed_settings(source, lines)
    found: list[tuple[ast.expr, str, ast.expr]] = []  # (where, variable, value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            found += [(target, name, node.value) for target in node.targets
                      if (name := _environ_key(target)) is not None]  # fmt: skip
        elif isinstance(node, ast.Dict):
            found += [(key, key.value, value) for key, value in zip(node.keys, node.values, strict=True)
                      if isinstance(key, ast.Constant) and key.value in ENVIRONMENT_VARIABLES]  # fmt: skip
        elif isinstance(node, ast.Call):
            found += [(node, keyword.arg, keyword.value) for keyword in node.keywords
                      if keyword.arg in ENVIRONMENT_VARIABLES]  # fmt: skip
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            first = node.args[0] if len(node.args) == 2 else None
            if (method in _ENVIRON_METHODS and isinstance(first, ast.Constant)
                    and first.value in ENVIRONMENT_VARIABLES):  # fmt: skip
                found.append((node, first.value, node.args[1]))
    settings = []
    for where, variable, value in found:
        span = set(range(where.lineno, (value.end_lineno or value.lineno) + 1))
        if lines is not None and span.isdisjoint(lines):
            continue
        shown = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
        shown = shown if shown is not None else (ast.get_source_segment(source, value) or "?")
        settings.append(IndexSetting(where.lineno, variable, redacted(" ".join(shown.split())[:200])))
    return sorted(settings, key=lambda item: item.line)


def _unparsed_settings(source: str, lines: Collection[int] | None) -> list[IndexSetting]:
    """Each line of ``lines`` naming a source variable, in code this Python cannot parse: a newer Python may run
    it, so which of them set a variable is not known here, and the line is shown as written."""
    settings = []
    for number, line in enumerate(source.split("\n"), 1):
        if lines is not None and number not in lines:
            continue
        words = set(line.replace('"', " ").replace("'", " ").replace("=", " ").replace("[", " ").split())
        words |= {word.strip(",:;()]{}") for word in words}
        for variable in sorted(words.intersection(ENVIRONMENT_VARIABLES)):
            settings.append(IndexSetting(number, variable, redacted(" ".join(line.split())[:200])))
    return settings


def _environ_key(target: object) -> str | None:
    """``X`` of an ``os.environ["X"]``/``environ["X"]`` assignment target, when it is a source variable."""
    import ast

    if not isinstance(target, ast.Subscript) or not isinstance(target.slice, ast.Constant):
        return None
    environ = target.value
    named = (isinstance(environ, ast.Attribute) and environ.attr == "environ") or (
        isinstance(environ, ast.Name) and environ.id == "environ")
    key = target.slice.value
    return key if named and isinstance(key, str) and key in ENVIRONMENT_VARIABLES else None
