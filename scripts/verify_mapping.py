"""Check the bundled tables against real wheels: import names a distribution installs, paths a version removed.

    python scripts/verify_mapping.py            # every line of scripts/mapping_evidence.tsv
    python scripts/verify_mapping.py --keep DIR # keep the downloaded wheels in DIR

Each line of ``scripts/mapping_evidence.tsv`` is one claim, checked by downloading
the named wheel with ``pip download --no-deps`` (nothing is installed, nothing is
imported; a release without a wheel is read from its sdist) and reading its file
list or Python source with :mod:`ast`:

- ``provides  DIST==VERSION  IMPORT_NAME``: the wheel installs the top-level
  module or package IMPORT_NAME (dotted for namespace members);
- ``has  DIST==VERSION  KEY`` / ``lacks  DIST==VERSION  KEY``: the wheel has (lacks)
  the stale-table key: a module path ``a.b`` or a name bound at module level of a
  module, ``a.b:Name``.

Binary wheels are fetched for CPython 3.x on manylinux x86_64 as pip chooses for the
running interpreter; a version without such a wheel is fetched with
``--platform``/``--python-version`` given on the line (``py=3.8``; ``platform=win_amd64`` for a release
built for Windows only, such as couchbase 3.x).
Exit status 1 when a claim fails; network access is needed.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

EVIDENCE = Path(__file__).with_name("mapping_evidence.tsv")


def download(requirement: str, directory: Path, python: str | None, platform: str | None = None) -> Path:
    name, _, version = requirement.partition("==")

    def matching() -> list[Path]:
        wanted = name.lower().replace("-", "_").replace(".", "_")
        return [found for found in (*directory.glob("*.whl"), *directory.glob("*.tar.gz"))
                if found.name.split("-")[0].lower().replace(".", "_") == wanted
                and found.name.split("-")[1].removesuffix(".tar.gz") == version]

    if not matching():
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d",
                   str(directory), requirement]  # fmt: skip
        if python:
            platforms = [platform] if platform else ["manylinux2014_x86_64", "any"]
            command += ["--python-version", python, *(option for name in platforms for option in ("--platform", name))]
        if subprocess.run(command, capture_output=True).returncode != 0 and not python:
            # No wheel: the sdist's file list (its build is never run beyond pip's metadata step).
            command.remove("--only-binary=:all:")
            subprocess.run(command, check=True, capture_output=True)
    found = matching()
    if not found:
        raise SystemExit(f"no wheel downloaded for {requirement}")
    return found[0]


class _Sdist(zipfile.ZipFile):
    """An sdist read through the ZipFile methods used here: its members without the top directory."""

    def __init__(self, path: Path) -> None:
        import tarfile

        with tarfile.open(path) as archive:
            self._members = {member.name.partition("/")[2]: archive.extractfile(member).read()  # type: ignore[union-attr]
                             for member in archive.getmembers() if member.isfile()}  # fmt: skip

    def namelist(self) -> list[str]:
        return list(self._members)

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        return self._members[str(name)]

    def __exit__(self, *args: object) -> None:
        return None


def _open(path: Path) -> zipfile.ZipFile:
    return _Sdist(path) if path.name.endswith(".tar.gz") else zipfile.ZipFile(path)


def top_level_names(wheel: zipfile.ZipFile) -> set[str]:
    names = set()
    for name in wheel.namelist():
        first = name.split("/")[0]
        if first.endswith((".dist-info", ".data")):
            continue
        parts = name.split("/")
        module = [part for part in parts[:-1]] + [parts[-1].split(".")[0]] if "." in parts[-1] else parts
        for end in range(1, len(module) + 1):
            names.add(".".join(module[:end]))
    return names


def module_source(wheel: zipfile.ZipFile, module: str) -> str | None:
    base = module.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        if candidate in wheel.namelist():
            return wheel.read(candidate).decode("utf-8", "replace")
    return None


def bound_names(source: str) -> set[str]:
    """Names bound at module level, including inside if/try blocks (not ``__getattr__`` shims)."""
    tree = ast.parse(source)
    found: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found |= {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}
        elif isinstance(node, ast.If | ast.Try):
            pending += node.body + node.orelse + getattr(node, "finalbody", [])
            for handler in getattr(node, "handlers", []):
                pending += handler.body
    return found


def has_key(wheel: zipfile.ZipFile, key: str) -> bool:
    """Whether the wheel has ``key``: a module that is more than a migration shim, or a name a module binds
    (directly or through a relative ``from .x import *``)."""
    module, _, name = key.partition(":")
    if not name:
        if module not in top_level_names(wheel):
            return False
        source = module_source(wheel, module)
        return source is None or not _is_shim(source)
    return _binds(wheel, module, name, depth=0)


def _binds(wheel: zipfile.ZipFile, module: str, name: str, depth: int) -> bool:
    source = module_source(wheel, module)
    if source is None:
        return False
    if name in bound_names(source) or f"{module}.{name}" in top_level_names(wheel):
        return True
    package = module if module_source(wheel, module + ".__init__") is None and _is_package(wheel, module) else (
        module.rpartition(".")[0])
    for star in _star_imports(source):
        target = f"{package}.{star[1:]}" if star.startswith(".") else star
        if depth < 3 and _binds(wheel, target.rstrip("."), name, depth + 1):
            return True
    return False


def _is_package(wheel: zipfile.ZipFile, module: str) -> bool:
    return f"{module.replace('.', '/')}/__init__.py" in wheel.namelist()


def _star_imports(source: str) -> list[str]:
    tree = ast.parse(source)
    return ["." * node.level + (node.module or "") for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)]  # fmt: skip


def _is_shim(source: str) -> bool:
    """A module that only forwards attribute access (``__getattr__ = getattr_migration(__name__)``)."""
    tree = ast.parse(source)
    defines = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
               or (isinstance(node, ast.Assign) and not all(isinstance(t, ast.Name) and t.id.startswith("__")
                                                             for t in node.targets))]  # fmt: skip
    return not defines and "__getattr__" in source


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="download wheels into this directory and keep them")
    parser.add_argument("--only", help="check only lines whose distribution is this one")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="hallucheck-wheels-"))
    directory.mkdir(parents=True, exist_ok=True)
    failed = 0
    for line in EVIDENCE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        claim, requirement, key, *options = line.split("\t")
        if args.only and not requirement.lower().startswith(args.only.lower() + "=="):
            continue
        python = next((option[3:] for option in options if option.startswith("py=")), None)
        platform = next((option[9:] for option in options if option.startswith("platform=")), None)
        try:
            wheel_path = download(requirement, directory, python, platform)
        except (subprocess.CalledProcessError, SystemExit):
            failed += 1
            print(f"SKIP {claim} {requirement} {key}: no wheel could be downloaded")
            continue
        with _open(wheel_path) as wheel:
            result = has_key(wheel, key) if claim in ("has", "provides") else not has_key(wheel, key)
        failed += not result
        print(f"{'ok  ' if result else 'FAIL'} {claim} {requirement} {key}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
