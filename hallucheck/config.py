"""Configuration: ``[tool.hallucheck]`` in ``pyproject.toml``, or ``hallucheck.toml`` / ``.hallucheck.toml``.

The configuration is read from the same snapshot as the manifests (the staged
index for a commit), so a change to it is checked together with the code it
configures, and an approval recorded by ``hallucheck approve`` is part of the
diff reviewers see. Unknown keys and wrong types are errors naming the file,
line and key: a typo must never silently switch a check off. Command-line
flags override the file; :attr:`Config.origins` remembers where each value
came from for ``--show-config``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hallucheck.lazy import LazyPattern, Slots, record, replace
from hallucheck.snapshot import Snapshot

if TYPE_CHECKING:
    import argparse

SEVERITY_LEVELS = ("error", "review", "warning", "off")
PYPROJECT = "pyproject.toml"
STANDALONE_FILES = ("hallucheck.toml", ".hallucheck.toml")
DEFAULT = "default"

_MODULE = LazyPattern(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_DISTRIBUTION = LazyPattern(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_PYTHON = LazyPattern(r"3\.\d{1,2}")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file, line and key."""


class Config(Slots):
    __slots__ = (
        "approved",
        "baseline",
        "first_party",
        "ignore",
        "index_url",
        "known_hallucinations",
        "manifests",
        "mapping",
        "new_project_days",
        "new_project_releases",
        "online",
        "origins",
        "path",
        "python",
        "severity",
        "source",
    )  # fmt: skip

    mapping: dict[str, str]
    """Import name → distribution name; overrides every other source."""
    first_party: tuple[str, ...]
    """Module names (and their submodules) that are the project's own code."""
    ignore: tuple[str, ...]
    """Module globs never reported (``foo`` also covers ``foo.bar``)."""
    severity: dict[str, str]
    """Code → ``error``/``review``/``warning``/``off``."""
    python: str | None
    """Target Python (``3.11``); default: from ``requires-python``, else the running interpreter."""
    manifests: tuple[str, ...]
    """Extra manifests for layouts discovery cannot guess: ``PATH`` joins the project it sits in, ``PATH:DIR``
    counts for every file under ``DIR`` (``PATH:.``: the whole repository)."""
    baseline: str | None
    known_hallucinations: tuple[str, ...]
    approved: dict[str, str]
    """Normalised distribution name → the requirement a human approved."""
    online: bool
    """Ask the package index for evidence about new dependencies and unresolved imports (``--online``)."""
    index_url: str | None
    """The index to ask; default: ``PIP_INDEX_URL``, pip's configuration, else PyPI."""
    new_project_days: int
    """Online: a new dependency first uploaded fewer than this many days ago ..."""
    new_project_releases: int
    """... and with at most this many releases is an error (HC034)."""
    source: str | None
    """Where the configuration was read from, like ``pyproject.toml [tool.hallucheck]`` (None: defaults)."""
    path: str | None
    """The file the configuration was read from, relative to the repository root."""
    origins: dict[str, str]
    """Where each value came from: ``key`` or ``key.entry`` → a file or a command-line flag."""

    def __init__(
        self, mapping: dict[str, str] | None = None, first_party: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
        severity: dict[str, str] | None = None, python: str | None = None, manifests: tuple[str, ...] = (),
        baseline: str | None = None, known_hallucinations: tuple[str, ...] = (),
        approved: dict[str, str] | None = None, online: bool = False, index_url: str | None = None,
        new_project_days: int = 30, new_project_releases: int = 1, source: str | None = None, path: str | None = None,
        origins: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.mapping = {} if mapping is None else mapping
        self.first_party = first_party
        self.ignore = ignore
        self.severity = {} if severity is None else severity
        self.python = python
        self.manifests = manifests
        self.baseline = baseline
        self.known_hallucinations = known_hallucinations
        self.approved = {} if approved is None else approved
        self.online = online
        self.index_url = index_url
        self.new_project_days = new_project_days
        self.new_project_releases = new_project_releases
        self.source = source
        self.path = path
        self.origins = {} if origins is None else origins

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT)

    @property
    def manifest_files(self) -> tuple[str, ...]:
        """The file of each ``manifests`` entry."""
        if not self.manifests:
            return ()
        from hallucheck.manifests.scope import split_manifest_entry

        return tuple(split_manifest_entry(entry)[0] for entry in self.manifests)

    @property
    def target_python(self) -> tuple[int, int] | None:
        if self.python is None:
            return None
        major, minor = self.python.split(".")
        return int(major), int(minor)

    def is_ignored(self, module: str) -> bool:
        """Whether ``module`` or one of its parent packages matches an ``ignore`` glob."""
        parts = module.split(".")
        names = [".".join(parts[:end]) for end in range(1, len(parts) + 1)]
        return any(fnmatch.fnmatchcase(name, glob) for glob in self.ignore for name in names)

    def first_party_name(self, module: str) -> str | None:
        """The ``first-party`` entry that covers ``module``, if any."""
        return next((name for name in self.first_party if _covers(name, module)), None)

    def mapped(self, module: str) -> tuple[str, str] | None:
        """The longest ``mapping`` entry covering ``module``: (import name, distribution)."""
        matches = [name for name in self.mapping if _covers(name, module)]
        if not matches:
            return None
        name = max(matches, key=len)
        return name, self.mapping[name]

    def merged(self, table: Mapping[str, Any], origin: str) -> Config:
        """This configuration with ``table`` laid over it: table entries merge, lists and values replace."""
        values = _validated(table, _Where(origin, origin, None))
        return _merge(self, values, origin)


def _covers(name: str, module: str) -> bool:
    return module == name or module.startswith(name + ".")


@record(frozen=True)
class _Where:
    """Where a table came from, for error messages."""

    file: str
    prefix: str
    text: str | None

    def error(self, key: str, problem: str) -> ConfigError:
        line = _line_of_key(self.text, key.rpartition(".")[2]) if self.text is not None else None
        place = f"{self.file}:{line}" if line else self.file
        name = f"{self.prefix}.{key}" if self.prefix and self.text is not None else key
        return ConfigError(f"{place}: {name}: {problem}")


class _Key(Slots):
    __slots__ = ("attribute", "check", "check_key", "describe", "kind")

    attribute: str
    kind: type
    check: Callable[[str], str]
    """Validates and normalises one value (one list item, one table value)."""
    describe: str
    check_key: Callable[[str], str] | None
    """For tables: validates and normalises one entry name."""

    def __init__(
        self, attribute: str, kind: type, check: Callable[[str], str], describe: str,
        check_key: Callable[[str], str] | None = None,
    ) -> None:  # fmt: skip
        self.attribute = attribute
        self.kind = kind
        self.check = check
        self.describe = describe
        self.check_key = check_key


def _module_name(value: str) -> str:
    if not _MODULE.fullmatch(value):
        raise ValueError(f"{value!r} is not a module name")
    return value


def distribution_name(value: str) -> str:
    """``value`` as a PEP 503 normalised distribution name; ValueError when it is not a valid name."""
    if not _DISTRIBUTION.fullmatch(value):
        raise ValueError(f"{value!r} is not a distribution name")
    return re.sub(r"[-_.]+", "-", value).lower()


def _glob(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty pattern")
    return value


def _relative_path(value: str) -> str:
    parts = value.split("/")
    if not value or value.startswith("/") or "\\" in value or ".." in parts or re.match(r"[A-Za-z]:", value):
        raise ValueError(f"{value!r} is not a relative path with '/' separators inside the repository")
    return value


def _manifest_entry(value: str) -> str:
    """``PATH`` or ``PATH:DIR`` (``DIR`` a repository directory, ``.`` the whole repository), normalised."""
    from hallucheck.manifests.scope import REPOSITORY, split_manifest_entry

    path, directory = split_manifest_entry(value)
    _relative_path(path)
    if directory is None:
        return path
    if directory:
        _relative_path(directory)
    return f"{path}:{directory or REPOSITORY}"


def _python(value: str) -> str:
    if not _PYTHON.fullmatch(value):
        raise ValueError(f'{value!r} is not a Python version such as "3.11"')
    return value


def _level(value: str) -> str:
    if value not in SEVERITY_LEVELS:
        raise ValueError(f"{value!r} is not one of {', '.join(SEVERITY_LEVELS)}")
    return value


def _code(value: str) -> str:
    from hallucheck.findings import RULES, rule_named

    rule = rule_named(value)
    if rule is None:
        raise ValueError(f"unknown code {value!r} (known: {', '.join(RULES)})")
    return rule.code


def _unchecked(value: str) -> str:
    return value


def _url(value: str) -> str:
    if not re.match(r"https?://", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _requirement(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty requirement")
    return value


KEYS: dict[str, _Key] = {
    "mapping": _Key("mapping", dict, distribution_name, "table of import name = distribution", _module_name),
    "first-party": _Key("first_party", list, _module_name, "list of module names"),
    "ignore": _Key("ignore", list, _glob, "list of module globs"),
    "severity": _Key("severity", dict, _level, f"table of code = {'/'.join(SEVERITY_LEVELS)}", _code),
    "python": _Key("python", str, _python, 'Python version string such as "3.11"'),
    "manifests": _Key("manifests", list, _manifest_entry, "list of manifest paths (PATH, or PATH:DIR)"),
    "baseline": _Key("baseline", str, _relative_path, "path of the baseline file"),
    "known-hallucinations": _Key("known_hallucinations", list, distribution_name, "list of distribution names"),
    "approved": _Key("approved", dict, _requirement, "table of distribution = approved requirement", distribution_name),
    "online": _Key("online", bool, _unchecked, "boolean"),
    "index-url": _Key("index_url", str, _url, "URL of a package index (PEP 503/691 simple API)"),
    "new-project-days": _Key("new_project_days", int, _unchecked, "whole number of days"),
    "new-project-releases": _Key("new_project_releases", int, _unchecked, "whole number of releases"),
}


def _validated(table: Mapping[str, Any], where: _Where) -> dict[str, Any]:
    """Checked and normalised values of ``table``, by key; raises :class:`ConfigError` naming the key."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = KEYS.get(key)
        if spec is None:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(KEYS)}"
            raise where.error(key, f"unknown key ({hint})")
        if not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
            raise where.error(key, f"must be a {spec.describe}, not {_toml_type(value)}")
        if spec.kind in (bool, int):
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise where.error(key, f"must be a {spec.describe}, not {value}")
            values[key] = value
            continue
        values[key] = _validated_value(key, value, spec, where)
    return values


def _validated_value(key: str, value: Any, spec: _Key, where: _Where) -> Any:
    def checked(name: str, item: Any, check: Callable[[str], str]) -> str:
        if not isinstance(item, str):
            raise where.error(name, f"must be a string, not {_toml_type(item)}")
        try:
            return check(item)
        except ValueError as error:
            raise where.error(name, str(error)) from None

    if isinstance(value, dict):
        assert spec.check_key is not None
        result: dict[str, str] = {}
        for entry, item in value.items():
            name = checked(f"{key}.{entry}", entry, spec.check_key)
            result[name] = checked(f"{key}.{entry}", item, spec.check)
        return result
    if isinstance(value, list):
        return tuple(dict.fromkeys(checked(key, item, spec.check) for item in value))
    return checked(key, value, spec.check)


def _toml_type(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return next((name for kind, name in names.items() if isinstance(value, kind)), type(value).__name__)


def _merge(config: Config, values: Mapping[str, Any], origin: str) -> Config:
    changes: dict[str, Any] = {}
    origins = dict(config.origins)
    for key, value in values.items():
        spec = KEYS[key]
        if isinstance(value, dict):
            merged = dict(getattr(config, spec.attribute))
            merged.update(value)
            changes[spec.attribute] = merged
            origins.update({f"{key}.{entry}": origin for entry in value})
        else:
            changes[spec.attribute] = value
            origins[key] = origin
    return replace(config, **changes, origins=origins)


def config_from_table(
    table: Mapping[str, Any],
    source: str,
    *,
    path: str | None = None,
    text: str | None = None,
    prefix: str = "",
) -> Config:
    """Validate a configuration table; unknown keys and wrong types are errors naming the key."""
    values = _validated(table, _Where(path or source, prefix, text))
    return replace(_merge(Config(), values, source), source=source, path=path)


def load_config(snapshot: Snapshot) -> Config:
    """The project's configuration in ``snapshot``, or defaults when there is none.

    Exactly one place may hold it: ``hallucheck.toml``, ``.hallucheck.toml`` or the
    ``[tool.hallucheck]`` table of ``pyproject.toml``; two are an error, since a
    reader could not tell which one applies.
    """
    found = [source for source in (_standalone(snapshot, name) for name in STANDALONE_FILES) if source]
    in_pyproject = _pyproject_table(snapshot)
    if in_pyproject is not None:
        found.append(in_pyproject)
    if len(found) > 1:
        names = " and ".join(source.label for source in found)
        raise ConfigError(f"configuration found in both {names}; keep one (hallucheck reads exactly one)")
    if not found:
        return Config()
    source = found[0]
    return config_from_table(source.table, source.label, path=source.path, text=source.text, prefix=source.prefix)


@record(frozen=True)
class ConfigSource:
    path: str
    label: str
    table: dict[str, Any]
    text: str
    prefix: str


def _standalone(snapshot: Snapshot, path: str) -> ConfigSource | None:
    data = snapshot.read(path)
    if data is None:
        return None
    text = _decode(data, path)
    document = _parse(text, path)
    if "tool" in document and isinstance(document["tool"], dict) and "hallucheck" in document["tool"]:
        raise ConfigError(f"{path}: keys go at the top level of {path}, not under [tool.hallucheck]")
    return ConfigSource(path, path, document, text, "")


def _pyproject_table(snapshot: Snapshot) -> ConfigSource | None:
    data = snapshot.read(PYPROJECT)
    if data is None or b"hallucheck" not in data:  # no [tool.hallucheck]: spare the TOML parse
        return None
    try:
        text = _decode(data, PYPROJECT)
        document = _parse(text, PYPROJECT)
    except ConfigError:
        return None  # the manifest reader reports a broken pyproject.toml (HC011), which blocks
    tool = document.get("tool")
    table = tool.get("hallucheck") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        line = _line_of_key(text, "hallucheck") or 1
        raise ConfigError(f"{PYPROJECT}:{line}: tool.hallucheck must be a table, not {_toml_type(table)}")
    return ConfigSource(PYPROJECT, f"{PYPROJECT} [tool.hallucheck]", table, text, "tool.hallucheck")


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(f"{path}:{line}: not valid UTF-8: {error.reason}") from None


def _parse(text: str, path: str) -> dict[str, Any]:
    from hallucheck.manifests.pyproject import load_toml

    document, problem = load_toml(text, path)
    if document is None:
        line = problem.line if problem else 1
        message = problem.message if problem else "invalid TOML"
        raise ConfigError(f"{path}:{line}: {message}")
    return document


def _line_of_key(text: str | None, key: str) -> int | None:
    """The first line that assigns ``key`` or opens a table named by it (best effort, for messages)."""
    if not text:
        return None
    name = re.escape(key)
    pattern = re.compile(rf"""^\s*(?:\[+[^\]]*\b{name}\b[^\]]*\]|(?:["']?{name}["']?)\s*[=.])""", re.MULTILINE)
    match = pattern.search(text) or re.search(rf"""(?<![\w-])["']?{name}["']?\s*=""", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# --- command line -----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags that override configuration keys, and ``--show-config``."""
    group = parser.add_argument_group("configuration (overrides the project's configuration file)")
    group.add_argument(
        "--severity",
        action="append",
        metavar="CODE=LEVEL",
        default=[],
        help=f"set a code's severity ({'/'.join(SEVERITY_LEVELS)}); repeatable",
    )
    group.add_argument(
        "--ignore",
        action="append",
        metavar="GLOB",
        help="never report these modules (replaces 'ignore'); repeatable",
    )
    group.add_argument(
        "--first-party",
        action="append",
        metavar="NAME",
        help="module names of the project itself (replaces 'first-party'); repeatable",
    )
    group.add_argument(
        "--mapping",
        action="append",
        metavar="MODULE=DIST",
        default=[],
        help="the distribution that provides MODULE; repeatable",
    )
    group.add_argument("--target-python", metavar="X.Y", help="the Python version the code must run on")
    group.add_argument(
        "--manifest",
        action="append",
        metavar="PATH[:DIR]",
        help="an extra manifest (replaces 'manifests'); repeatable. PATH counts for the project it sits in "
        "(the nearest project at or above its directory); PATH:DIR for every file under DIR, on top of each "
        "file's own project; PATH:. for the whole repository",
    )
    group.add_argument(
        "--show-config",
        action="store_true",
        help="print the effective configuration and where each value comes from, then exit",
    )


def overrides(args: argparse.Namespace) -> list[tuple[dict[str, Any], str]]:
    """The configuration tables given on the command line, each with the flag it came from."""
    tables: list[tuple[dict[str, Any], str]] = []
    for flag, key in (("severity", "severity"), ("mapping", "mapping")):
        pairs = getattr(args, flag, None) or []
        if pairs:
            tables.append(({key: dict(_pair(flag, item) for item in pairs)}, f"--{flag}"))
    for flag, key in (("ignore", "ignore"), ("first_party", "first-party"), ("manifest", "manifests")):
        items = getattr(args, flag, None)
        if items is not None:
            tables.append(({key: list(items)}, "--" + flag.replace("_", "-")))
    if getattr(args, "target_python", None) is not None:
        tables.append(({"python": args.target_python}, "--target-python"))
    return tables


def _pair(flag: str, item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise ConfigError(f"--{flag}: expected NAME=VALUE, got {item!r}")
    return name.strip(), value.strip()


def with_overrides(config: Config, tables: Iterable[tuple[Mapping[str, Any], str]]) -> Config:
    for table, origin in tables:
        config = config.merged(table, origin)
    return config


# --- --show-config ----------------------------------------------------------------------------


def effective(config: Config) -> dict[str, dict[str, Any]]:
    """Every key with its value and origin; tables give one origin per entry."""
    result: dict[str, dict[str, Any]] = {}
    for key, spec in KEYS.items():
        value = getattr(config, spec.attribute)
        if isinstance(value, dict):
            origins = {entry: config.origin(f"{key}.{entry}") for entry in value}
            result[key] = {"value": dict(value), "source": origins}
        else:
            result[key] = {
                "value": list(value) if isinstance(value, tuple) else value,
                "source": config.origin(key),
            }
    return result


def render_config(config: Config, snapshot_label: str, fmt: str = "text") -> str:
    """``--show-config`` output: TOML-like lines with the origin of each value as a comment, or JSON."""
    import json

    if fmt == "json":
        document = {"file": config.path, "snapshot": snapshot_label, "keys": effective(config)}
        return json.dumps(document, indent=2) + "\n"
    version = "as staged (the index)" if snapshot_label == "index" else f"as of {snapshot_label}"
    read = f"read from {config.source}, {version}" if config.source else "no configuration file found"
    lines = [f"# hallucheck configuration: {read}; command-line flags override it."]
    for key, item in effective(config).items():
        value, source = item["value"], item["source"]
        if isinstance(value, dict) and value:
            lines += [f"{key}.{_toml_key(entry)} = {json.dumps(v)}  # {source[entry]}" for entry, v in value.items()]
        elif isinstance(value, dict):
            lines.append(f"{key} = {{}}  # {DEFAULT}")
        elif value is None:
            lines.append(f"# {key} is not set  # {source}")
        else:
            lines.append(f"{key} = {json.dumps(value)}  # {source}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    import json

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def known_keys() -> Sequence[str]:
    return tuple(KEYS)
