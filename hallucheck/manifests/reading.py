"""What every manifest reader shares: reading and decoding snapshot files, recording what they declare."""

from __future__ import annotations

import codecs
import contextlib
import posixpath
from collections.abc import Iterator
from typing import Any

from hallucheck.manifests import Declared, Dependency, LocalPath
from hallucheck.manifests.names import parse_requirement
from hallucheck.snapshot import Snapshot
from hallucheck.sources.deadline import check_time

# UTF-32 first: its little-endian BOM starts with the UTF-16 one. PowerShell's
# `pip freeze > requirements.txt` writes UTF-16 with a BOM, so BOMs are honoured.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableManifestError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def decode_manifest(data: bytes) -> str:
    """Text of a manifest: UTF-8, or the encoding its byte-order mark names."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, "replace").count("\n") + 1
        raise UndecodableManifestError(
            line, f"not valid {encoding.upper().replace('-SIG', '')}: {error.reason}"
        ) from None


def resolve_path(directory: str, relative: str) -> str | None:
    """``relative`` joined to the repository directory ``directory``; None when it leaves the repository."""
    if relative.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(directory, relative))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


class ManifestReader:
    """Reads manifests of one snapshot into one :class:`Declared`, turning bad input into problems.

    Under a deadline (:func:`hallucheck.sources.deadline.deadline`, the agent hook's), each file read, declaration
    and problem checks the time and raises :class:`~hallucheck.sources.deadline.OutOfTime` once it has passed: the
    hook asks rather than answer after its timeout."""

    def __init__(self, snapshot: Snapshot, declared: Declared) -> None:
        self.snapshot = snapshot
        self.declared = declared
        self.requirement_files_done: set[tuple[str, bool]] = set()
        """Requirements files read, each with whether it was read for development only."""
        self.development = False
        """Whether what is declared now is for development only (see :mod:`.roles`)."""

    @contextlib.contextmanager
    def development_declarations(self, development: bool = True) -> Iterator[None]:
        """Declarations made inside the ``with`` block are development ones (when ``development``)."""
        previous, self.development = self.development, self.development or development
        try:
            yield
        finally:
            self.development = previous

    def toml(self, path: str) -> tuple[str, dict[str, Any]] | None:
        """The text and parsed document of the TOML manifest at ``path``; None (with a problem) when unreadable."""
        from hallucheck.manifests.tomlfile import load_toml

        text = self.text(path)
        if text is None:
            return None
        document, problem = load_toml(text, path)
        if document is None:
            if problem is not None:
                self.problem(problem.path, problem.line, problem.message)
            return None
        return text, document

    def text(self, path: str) -> str | None:
        """The decoded text of ``path``; None when it is absent or undecodable (then a problem says why)."""
        check_time()
        data = self.snapshot.read(path)
        if data is None:
            return None
        if path not in self.declared.manifests:
            self.declared.manifests.append(path)
        try:
            return decode_manifest(data)
        except UndecodableManifestError as error:
            self.problem(path, error.line, f"cannot decode the file: {error.reason}", "HC012")
            return None

    def problem(self, path: str, line: int, message: str, code: str = "HC011") -> None:
        check_time()
        self.declared.problem(path, line, message, code)

    def note(self, path: str, line: int, message: str) -> None:
        """Something that declares nothing and is not wrong either (a computed argument): said in ``-v``."""
        self.declared.note(path, line, message)

    def opaque(self, path: str, line: int, message: str) -> None:
        """Something is declared there, but it cannot be known which distribution without running code."""
        self.problem(path, line, message, "HC013")

    def requirement(
        self, text: str, path: str, line: int, where: str = "", *, build: bool = False
    ) -> str | None:
        """Declare a PEP 508 requirement string; a problem (and None) when it is not one."""
        try:
            name = parse_requirement(text)
        except ValueError as error:
            self.problem(path, line, f"invalid requirement {text!r}{where}: {error}")
            return None
        self.declare(name, text, path, line, build=build)
        return name

    def declare(self, name: str, requirement: str, path: str, line: int, *, build: bool = False) -> None:
        """Declare the (already normalised) distribution ``name``."""
        check_time()
        dependency = Dependency(name, requirement.strip(), path, line, self.development)
        if build:
            self.declared.add_build_requires([dependency])
        else:
            self.declared.add([dependency])

    def lock(self, name: str, requirement: str, path: str, line: int) -> None:
        self.declared.add_locked([Dependency(name, requirement, path, line)])

    def local(self, directory: str, path: str, line: int, name: str | None = None) -> None:
        self.declared.local(LocalPath(directory, path, line, name))
