"""Online evidence about distribution names from a package index (opt-in edge).

A :class:`Client` asks a PEP 503 "simple" index about each name, in parallel threads, within one time
budget. It asks for the PEP 691 JSON form (``application/vnd.pypi.simple.v1+json``), which gives PEP 700
``upload-time`` and ``versions`` and PEP 792 ``project-status`` where the index implements them, and reads
the PEP 503 HTML form when that is all the index speaks (pypiserver). Answers are cached on disk per
index, with a time to live.

Nothing here raises on a network or index problem: a name the index could not answer for is reported in
:attr:`Answer.failures`, and the caller turns that into a warning. Worker threads are daemons and the
caller waits for them only until the budget is spent, so a slow DNS lookup or a server that never
answers cannot hang a commit.

This module is imported by the core only for its data types; ``urllib``, ``threading`` and the parsers
are imported when a client actually runs.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, field
from typing import Any, Protocol

from hallucheck.lazy import LazyPattern, record
from hallucheck.resolve.disk import MEBIBYTE, read_regular_file, read_text_file

PYPI_SIMPLE = "https://pypi.org/simple/"
ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
TIMEOUT = 3.0
"""Seconds for all the requests of one run together."""
WORKERS = 8
CACHE_TTL = 24 * 3600.0
"""Seconds a cached answer about a registered project stays fresh."""
MISSING_TTL = 3600.0
"""Seconds a cached "not registered" stays fresh (a name can be registered at any time)."""
MAX_BYTES = 32 * 1024 * 1024
"""Largest project page read (PyPI's biggest JSON pages are a few MB gzipped)."""
_CACHE_FORMAT = 1
_MAX_CONFIG_FILE = MEBIBYTE
_MAX_CACHE_ENTRY = 4 * MEBIBYTE


@record(frozen=True)
class Project:
    """What an index says about one project name."""

    name: str
    """The PEP 503-normalised name asked for."""
    found: bool
    """False when the index answered 404: no project of that name."""
    files: int = 0
    yanked_files: int = 0
    versions: tuple[str, ...] = ()
    """Every release the index lists (PEP 700 ``versions``, else read from the file names)."""
    versions_without_files: tuple[str, ...] = ()
    """Releases with no file at all (only known from PEP 700 ``versions``)."""
    first_upload: float | None = None
    """Earliest PEP 700 ``upload-time`` (seconds since the epoch); None when the index gives none."""
    status: str | None = None
    """PEP 792 project status (``active``, ``archived``, ``quarantined``, ``deprecated``) when given."""
    status_reason: str | None = None
    api: str = "json"
    """``json`` (PEP 691) or ``html`` (PEP 503): which form the index answered in."""

    @property
    def all_yanked(self) -> bool:
        return self.files > 0 and self.yanked_files == self.files


@record(frozen=True)
class Answer:
    """The index's answers for one run."""

    index: str
    """The index URL, without credentials, for messages."""
    projects: dict[str, Project] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    """Name -> why the index gave no answer (``timed out after 3.0 s``, ``HTTP 503``, ...)."""
    now: float = 0.0
    """When the answers were taken, for ages (seconds since the epoch)."""
    is_pypi: bool = False


class Registry(Protocol):
    """Where the core gets online evidence from."""

    @property
    def is_pypi(self) -> bool:
        """Whether the index is PyPI itself (whose download ranking hallucheck ships)."""
        ...

    def lookup(self, names: Sequence[str]) -> Answer:
        """What the index says about each (normalised) name; never raises."""
        ...


class Client:
    """A :class:`Registry` that asks a simple index over HTTP(S), with a disk cache."""

    def __init__(
        self,
        index_url: str = PYPI_SIMPLE,
        *,
        timeout: float = TIMEOUT,
        cache_dir: str | None = None,
        ttl: float = CACHE_TTL,
        missing_ttl: float = MISSING_TTL,
    ) -> None:
        self._url, self._authorization = _split_credentials(index_url.rstrip("/") + "/")
        self.index = _display(index_url)
        self._timeout = timeout
        self._cache = None if cache_dir is None else _Cache(cache_dir, self._url, ttl, missing_ttl)

    @property
    def is_pypi(self) -> bool:
        return self._url.rstrip("/") in ("https://pypi.org/simple", "https://pypi.python.org/simple")

    def lookup(self, names: Sequence[str]) -> Answer:
        import time

        now = time.time()
        wanted = list(dict.fromkeys(_normalise(name) for name in names))
        projects: dict[str, Project] = {}
        if not self._url.startswith(("http://", "https://")):
            reason = "only http:// and https:// indexes can be queried"
            return Answer(self.index, failures=dict.fromkeys(wanted, reason), now=now, is_pypi=self.is_pypi)
        if self._cache is not None:
            projects = {name: found for name in wanted if (found := self._cache.get(name, now)) is not None}
        missing = [name for name in wanted if name not in projects]
        fetched, failures = _fetch_all(missing, self._fetch, self._timeout) if missing else ({}, {})
        if self._cache is not None:
            for project in fetched.values():
                self._cache.put(project, now)
        projects.update(fetched)
        return Answer(self.index, projects, failures, now, self.is_pypi)

    def _fetch(self, name: str, deadline: float) -> Project:
        """The project page of ``name``; raises on any failure (the worker reports it)."""
        import time
        import urllib.error
        import urllib.request

        request = urllib.request.Request(self._url + name + "/", headers=self._headers())
        if self._authorization:
            request.add_unredirected_header("Authorization", self._authorization)  # not sent on to a redirect
        try:
            response = urllib.request.urlopen(request, timeout=max(deadline - time.monotonic(), 0.05))
        except urllib.error.HTTPError as error:
            error.close()
            if error.code in (404, 410):
                return Project(name, found=False)
            raise _Failure(f"HTTP {error.code} {error.reason}") from None
        with response:
            body = _read_body(response, deadline)
            content_type = response.headers.get("Content-Type", "")
            if response.headers.get("Content-Encoding", "") == "gzip":
                import gzip

                body = gzip.decompress(body)
        if "json" in content_type:
            return parse_json(name, body)
        return parse_html(name, body)

    def _headers(self) -> dict[str, str]:
        from hallucheck import __version__

        return {"Accept": ACCEPT, "Accept-Encoding": "gzip", "User-Agent": f"hallucheck/{__version__}"}


class _Failure(Exception):
    """A request failed in a way worth one short phrase."""


def _read_body(response: Any, deadline: float) -> bytes:
    import time

    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read(256 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Failure(f"project page larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)


def _fetch_all(names: list[str], fetch: Any, timeout: float) -> tuple[dict[str, Project], dict[str, str]]:
    """Fetch every name with up to :data:`WORKERS` daemon threads; stop waiting when ``timeout`` is spent."""
    import queue
    import threading
    import time

    deadline = time.monotonic() + timeout
    pending = list(reversed(names))
    results: queue.Queue[tuple[str, Project | None, str]] = queue.Queue()

    def work() -> None:
        while True:
            try:
                name = pending.pop()
            except IndexError:
                return
            try:
                results.put((name, fetch(name, deadline), ""))
            except Exception as error:  # any failure becomes a warning, never a crash
                results.put((name, None, _describe(error, timeout)))

    for _ in range(min(WORKERS, len(names))):
        threading.Thread(target=work, name="hallucheck-registry", daemon=True).start()
    projects: dict[str, Project] = {}
    failures: dict[str, str] = {}
    while len(projects) + len(failures) < len(names):
        remaining = deadline - time.monotonic()
        try:
            name, project, reason = results.get(timeout=max(remaining, 0.001))
        except queue.Empty:
            break
        if project is None:
            failures[name] = reason
        else:
            projects[name] = project
    for name in names:
        if name not in projects and name not in failures:
            failures[name] = f"timed out after {timeout:g} s"
    return projects, failures


def _describe(error: BaseException, timeout: float) -> str:
    """A short phrase for a failed request."""
    import socket
    import urllib.error

    if isinstance(error, _Failure):
        return str(error)
    if isinstance(error, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return f"timed out after {timeout:g} s"
        return str(getattr(reason, "strerror", None) or reason)
    if isinstance(error, (ValueError, UnicodeDecodeError)):
        return f"unreadable answer ({type(error).__name__}: {error})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


# --- Parsing project pages -----------------------------------------------------------------------------

_ARCHIVE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".zip", ".tar")


def parse_json(name: str, body: bytes) -> Project:
    """A PEP 691 JSON project page (with PEP 700 and PEP 792 fields when present)."""
    import json

    document = json.loads(body)
    if not isinstance(document, dict) or not isinstance(document.get("files"), list):
        raise ValueError("not a PEP 691 project page")
    meta = document.get("meta")
    version = str(meta.get("api-version", "1.0")) if isinstance(meta, dict) else "1.0"
    if version.split(".")[0] != "1":
        raise ValueError(f"simple API version {version} is not supported")  # PEP 691: a new major may mean anything
    files = [item for item in document["files"] if isinstance(item, dict)]
    yanked = sum(1 for item in files if item.get("yanked") not in (None, False))
    times = [parsed for item in files if (parsed := _timestamp(item.get("upload-time"))) is not None]
    with_files = _versions_of(str(item.get("filename", "")) for item in files)
    listed = document.get("versions")
    versions = tuple(map(str, listed)) if isinstance(listed, list) else with_files
    without = _without_files(versions, with_files) if isinstance(listed, list) else ()
    status = document.get("project-status")
    status = status if isinstance(status, dict) else {}
    return Project(
        name, True, len(files), yanked, versions, without, min(times, default=None),
        _text(status.get("status")), _text(status.get("reason")), "json",
    )  # fmt: skip


def parse_html(name: str, body: bytes) -> Project:
    """A PEP 503 HTML project page (with PEP 592 ``data-yanked`` and PEP 792 meta tags when present)."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.files: list[tuple[str, bool]] = []
            self.meta: dict[str, str] = {}
            self._anchor: tuple[str, bool] | None = None
            self._text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if tag == "a" and values.get("href"):
                self._anchor = (values["href"] or "", "data-yanked" in values)
                self._text = []
            elif tag == "meta" and values.get("name"):
                self.meta[str(values["name"]).lower()] = values.get("content") or ""

        def handle_data(self, data: str) -> None:
            if self._anchor is not None:
                self._text.append(data)

        def handle_endtag(self, tag: str) -> None:
            if tag == "a" and self._anchor is not None:
                href, is_yanked = self._anchor
                text = "".join(self._text).strip()
                self.files.append((text or href.split("#", 1)[0].rsplit("/", 1)[-1], is_yanked))
                self._anchor = None

    page = Page()
    page.feed(body.decode("utf-8", "replace"))
    page.close()
    versions = _versions_of(filename for filename, _ in page.files)
    yanked = sum(1 for _, is_yanked in page.files if is_yanked)
    return Project(
        name, True, len(page.files), yanked, versions, (), None,
        page.meta.get("pypi:project-status") or None, page.meta.get("pypi:project-status-reason") or None, "html",
    )  # fmt: skip


def _versions_of(filenames: Any) -> tuple[str, ...]:
    """The distinct versions named by distribution file names, in order of first appearance."""
    versions: dict[str, None] = {}
    for filename in filenames:
        version = _version_of(filename)
        if version:
            versions[version] = None
    return tuple(versions)


def _version_of(filename: str) -> str | None:
    if filename.endswith((".whl", ".egg")):
        parts = filename[:-4].split("-")
        return parts[1] if len(parts) >= 2 else None
    for suffix in _ARCHIVE_SUFFIXES:
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            return stem.rsplit("-", 1)[1] if "-" in stem else None
    return None


def _without_files(versions: Sequence[str], with_files: Sequence[str]) -> tuple[str, ...]:
    from packaging.utils import canonicalize_version

    def key(version: str) -> str:
        try:
            return str(canonicalize_version(version))
        except Exception:  # a legacy version string compares as written
            return version

    present = {key(version) for version in with_files}
    return tuple(version for version in versions if key(version) not in present)


_TIMESTAMP = LazyPattern(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


def _timestamp(text: object) -> float | None:
    """Seconds since the epoch of an ISO 8601 ``upload-time`` (``2024-01-02T03:04:05.123456Z``)."""
    import calendar

    match = _TIMESTAMP.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = map(int, match.groups()[:6])
    offset = match.group(7) or "Z"
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return float(seconds)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# --- Where the index is, and the cache -----------------------------------------------------------------


def index_url(configured: str | None, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The index to ask and where that choice comes from.

    ``configured`` (``[tool.hallucheck] index-url``) first, then ``PIP_INDEX_URL``, then ``index-url``
    in pip's configuration files (read as files, in pip's order; ``[install]`` beats ``[global]``), else
    PyPI.
    """
    environ = os.environ if environ is None else environ
    if configured:
        return configured, "[tool.hallucheck] index-url"
    if environ.get("PIP_INDEX_URL"):
        return environ["PIP_INDEX_URL"], "PIP_INDEX_URL"
    found = _pip_config_index(environ)
    if found is not None:
        return found
    return PYPI_SIMPLE, "default (PyPI)"


def pip_config_files(environ: Mapping[str, str]) -> list[str]:
    """pip's configuration files, lowest precedence first (global, user, site, ``PIP_CONFIG_FILE``)."""
    if environ.get("PIP_CONFIG_FILE") == os.devnull:
        return []
    home = environ.get("HOME") or os.path.expanduser("~")
    if sys.platform == "win32":
        program_data = environ.get("PROGRAMDATA", r"C:\ProgramData")
        global_files = [os.path.join(program_data, "pip", "pip.ini")]
        user_files = [
            os.path.join(home, "pip", "pip.ini"),
            os.path.join(environ.get("APPDATA", home), "pip", "pip.ini"),
        ]
    elif sys.platform == "darwin":
        global_files = ["/Library/Application Support/pip/pip.conf"]
        user_files = [
            os.path.join(home, ".pip", "pip.conf"),
            os.path.join(home, "Library", "Application Support", "pip", "pip.conf"),
            os.path.join(home, ".config", "pip", "pip.conf"),
        ]
    else:
        directories = (environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(os.pathsep)
        global_files = [os.path.join(directory, "pip", "pip.conf") for directory in directories if directory]
        global_files.append("/etc/pip.conf")
        config_home = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        user_files = [os.path.join(home, ".pip", "pip.conf"), os.path.join(config_home, "pip", "pip.conf")]
    explicit = environ.get("PIP_CONFIG_FILE")
    files = list(global_files)
    if not (explicit and os.path.exists(explicit)):
        files += user_files  # pip skips the user's files when PIP_CONFIG_FILE names an existing file
    if environ.get("VIRTUAL_ENV"):
        files.append(os.path.join(environ["VIRTUAL_ENV"], "pip.ini" if sys.platform == "win32" else "pip.conf"))
    if explicit:
        files.append(explicit)
    return files


def _pip_config_index(environ: Mapping[str, str]) -> tuple[str, str] | None:
    import configparser

    found: dict[str, tuple[str, str]] = {}
    for path in pip_config_files(environ):
        text = read_text_file(path, _MAX_CONFIG_FILE)  # never a FIFO or a device; bounded
        if text is None:
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read_string(text, path)
        except configparser.Error:
            continue  # pip would refuse to run; hallucheck just ignores the file
        for section in ("global", "install"):
            if parser.has_section(section):
                for key, value in parser.items(section):
                    if key.lower().replace("_", "-").lstrip("-") == "index-url" and value.strip():
                        found[section] = (value.strip(), f"pip configuration {path}")
    return found.get("install") or found.get("global")


def default_cache_dir(environ: Mapping[str, str] | None = None) -> str:
    """``hallucheck/registry`` in the user cache directory (``XDG_CACHE_HOME``, else the platform's)."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = environ.get("HOME") or os.path.expanduser("~")
        if sys.platform == "win32":
            base = environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        elif sys.platform == "darwin":
            base = os.path.join(home, "Library", "Caches")
        else:
            base = os.path.join(home, ".cache")
    return os.path.join(base, "hallucheck", "registry")


class _Cache:
    """One JSON file per index and name; unreadable or stale entries are ignored, write errors too."""

    def __init__(self, directory: str, index_url: str, ttl: float, missing_ttl: float) -> None:
        import hashlib

        digest = hashlib.sha256(index_url.encode()).hexdigest()[:16]
        self._directory = os.path.join(directory, f"v{_CACHE_FORMAT}", digest)
        self._ttl, self._missing_ttl = ttl, missing_ttl

    def get(self, name: str, now: float) -> Project | None:
        import json

        try:
            data = read_regular_file(self._path(name), _MAX_CACHE_ENTRY)
            if data is None:
                return None
            entry = json.loads(data)
            stored, fields = float(entry["stored"]), entry["project"]
            values: dict[str, Any] = {
                key: tuple(value) if isinstance(value, list) else value for key, value in fields.items()
            }
            project = Project(**values)
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None
        ttl = self._ttl if project.found else self._missing_ttl
        return project if 0 <= now - stored < ttl and project.name == name else None

    def put(self, project: Project, now: float) -> None:
        import json
        import tempfile

        try:
            os.makedirs(self._directory, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self._directory, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"stored": now, "project": asdict(project)}, stream)
            os.replace(temporary, self._path(project.name))
        except OSError:
            return  # a cache that cannot be written only costs time

    def _path(self, name: str) -> str:
        return os.path.join(self._directory, name + ".json")


def _split_credentials(url: str) -> tuple[str, str | None]:
    """``url`` without ``user:password@``, and the Basic ``Authorization`` header value for it."""
    import base64
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode()
    return urlunsplit(parts._replace(netloc=host)), f"Basic {token}"


def _display(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages."""
    return re.sub(
        r"//([^/@:]*)(:[^/@]*)?@", lambda match: f"//{match.group(1)}{':***' if match.group(2) else ''}@", url, count=1
    )


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
