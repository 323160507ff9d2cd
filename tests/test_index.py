"""The bundled module index: how the builder reads sources, what the shipped data says, and what it costs."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from hallucheck.resolve import index
from hallucheck.resolve.mapping import _rows

ROOT = Path(__file__).resolve().parents[1]


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_index", ROOT / "scripts" / "build_index.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_index"] = module
    spec.loader.exec_module(module)
    return module


BUILD = _builder()


def _space(source: str, module: str = "pkg.mod", package: bool = False) -> object:
    return BUILD.analyse(module, package, source)


# --- reading sources --------------------------------------------------------------------------------------


def test_names_from_definitions_assignments_imports_and_blocks() -> None:
    source = (
        "import os.path\nimport json as j\nfrom x import (a, b as c)\nX = Y = 1\n(p, [q, *r]) = 1, [2, 3]\n"
        "n: int = 1\nm: int\ndef f(): global g\nclass K: inner = 1\nif True:\n    T = 1\nelse:\n    E = 1\n"
        "try:\n    import ujson as fast\nexcept ImportError:\n    fast = None\nfor loop in []: pass\n"
        "with open('f') as handle: pass\n"
    )
    space = _space(source)
    assert {"os", "j", "a", "c", "X", "Y", "p", "q", "r", "n", "f", "g", "K", "T", "E", "fast", "loop",
            "handle"} <= space.names  # type: ignore[attr-defined]  # fmt: skip
    assert "m" not in space.names and "inner" not in space.names  # type: ignore[attr-defined]
    assert not space.open_reason  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("def __getattr__(name):\n    return _lazy[name]\n", "module-level __getattr__"),
        ("_table = {'a': 1}\ndef __getattr__(name):\n    value = _table.get(name)\n    return value\n",
         "module-level __getattr__"),
        ("globals().update(x)\n", "globals().update()"),
        ("for k in names:\n    globals()[k] = 1\n", "writes to globals()"),
        ("import sys\nsetattr(sys.modules[__name__], name, 1)\n", "setattr() on the module"),
        ("exec('x = 1')\n", "exec()"),
        ("def broken(:\n", "source the parser cannot read"),
    ],
)  # fmt: skip
def test_dynamic_namespaces_are_open(source: str, reason: str) -> None:
    assert _space(source).open_reason == reason  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "source", ["import sys\nsys.modules['pkg.virtual'] = object()\n", "__path__ = extend(__path__)\n",
               "import sys\nsys.meta_path.append(Finder())\n"],
)  # fmt: skip
def test_module_injection_opens_submodules(source: str) -> None:
    space = _space(source, "pkg", package=True)
    assert space.modules_reason  # type: ignore[attr-defined]


def test_closed_getattr_of_literal_names_like_numpy() -> None:
    source = (
        "_expired = {'float_': 'Use `np.float64` instead.'}\n"
        "def __getattr__(attr):\n    if attr == 'linalg':\n        return 1\n"
        "    if attr in ('fft', 'ma'):\n        return 2\n"
        "    if attr in _expired:\n        raise AttributeError(_expired[attr])\n"
        "    raise AttributeError(attr)\n"
    )
    space = _space(source)
    assert not space.open_reason  # type: ignore[attr-defined]
    assert {"linalg", "fft", "ma"} <= space.names  # type: ignore[attr-defined]
    spaces = {"pkg.mod": space}
    BUILD._resolve_tables(spaces)
    assert space.gone == {"float_": "Use `np.float64` instead."}  # type: ignore[attr-defined]


def test_literal_loops_and_enum_exports_define_names_like_pillow() -> None:
    source = (
        "import sys\nfrom enum import IntEnum\nclass Resampling(IntEnum):\n    NEAREST = 0\n    LANCZOS = 1\n"
        "module = sys.modules[__name__]\nfor enum in (Resampling,):\n    for item in enum:\n"
        "        setattr(module, item.name, item.value)\n"
        "for ta in ['float96', 'float128']:\n    globals()[ta] = 1\n"
    )
    space = _space(source)
    assert not space.open_reason, space.open_reason  # type: ignore[attr-defined]
    assert {"NEAREST", "LANCZOS", "float96", "float128"} <= space.names  # type: ignore[attr-defined]


def test_module_files_from_a_record() -> None:
    files, stubs = BUILD.module_files([
        "pkg/__init__.py", "pkg/core.py", "pkg/_speed.cpython-311-x86_64-linux-gnu.so", "pkg/_speed.pyi",
        "pkg/data/file.json", "pkg-1.0.dist-info/RECORD", "pkg-1.0.data/purelib/extra.py", "bin/not-a-module.py",
        "ns/sub/__init__.py",
    ])  # fmt: skip
    assert set(files) == {"pkg/", "pkg.core", "pkg._speed", "extra", "ns.sub/"}
    assert files["pkg._speed"][0] == "compiled" and stubs == {"pkg._speed": "pkg/_speed.pyi"}


def test_star_imports_resolve_inside_the_wheel_and_open_from_outside() -> None:
    spaces = {
        "pkg": BUILD.analyse("pkg", True, "from .core import *\nfrom .other import *\n"),
        "pkg.core": BUILD.analyse("pkg.core", False, "__all__ = ['a']\na = 1\nb = 2\n"),
        "pkg.other": BUILD.analyse("pkg.other", False, "c = 1\n_d = 2\n"),
        "pkg.outside": BUILD.analyse("pkg.outside", False, "from numpy import *\n"),
    }
    sources = {name: BUILD.Source(name, name == "pkg") for name in spaces}
    names = BUILD._resolve_stars(spaces, sources)
    assert names["pkg"] == {"a", "c"}
    assert spaces["pkg.outside"].open_reason == "star import from numpy"


# --- the shipped data -------------------------------------------------------------------------------------


def _entries() -> list[tuple[str, tuple[str, ...]]]:
    return [(entry.distribution, entry.versions) for entry in BUILD.read_distributions()]


def test_every_curated_distribution_is_shipped_with_its_versions_and_wheels() -> None:
    with open(os.path.join(index.INDEX_DIRECTORY, "catalog.json"), encoding="utf-8") as stream:
        catalog = json.load(stream)["distributions"]
    recorded = BUILD.read_wheel_record()
    assert sorted(catalog) == sorted(name for name, _ in _entries())
    for name, versions in _entries():
        assert catalog[name]["versions"] == sorted(versions, key=BUILD._version_key), name
        for version, (wheel, digest) in zip(catalog[name]["versions"], catalog[name]["wheels"], strict=True):
            assert recorded[(name, version)] == (wheel, digest)
            assert len(digest) == 64
        assert index.is_indexed(name)


def test_curated_list_says_why_and_is_big_enough() -> None:
    entries = BUILD.read_distributions()
    assert len(entries) >= 40 and sum(len(entry.versions) for entry in entries) >= 80
    assert all(len(entry.why) > 20 for entry in entries)
    assert [entry.distribution for entry in entries] == sorted(entry.distribution for entry in entries)


def test_installed_index_fits_the_budget() -> None:
    total = sum(path.stat().st_size for path in Path(index.INDEX_DIRECTORY).iterdir())
    assert total <= 10 * 1024 * 1024


def test_lookup_after_load_is_fast() -> None:
    assert index.load("tensorflow") is not None and index.load("numpy") is not None
    paths = [("numpy", "numpy.float_", False), ("numpy", "numpy.linalg.norm", False),
             ("tensorflow", "tensorflow.python.framework.ops", True), ("numpy", "numpy.fake_zz", True)]  # fmt: skip
    for distribution, path, as_module in paths:
        index.judge(distribution, path, [""], as_module=as_module)  # warm (packaging imported once)
        start = time.process_time()
        for _ in range(20):
            index.judge(distribution, path, [""], as_module=as_module)
        assert (time.process_time() - start) / 20 < 0.002, path


def test_importing_hallucheck_and_a_commit_without_indexed_imports_read_nothing() -> None:
    code = (
        "import sys, hallucheck.cli, hallucheck.check, hallucheck.resolve.resolver\n"
        "from hallucheck.resolve import index\n"
        "print(index._catalog.cache_info().currsize, index.load.cache_info().currsize)\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert completed.stdout.split() == ["0", "0"]


def test_not_indexed_distribution_reads_nothing() -> None:
    assert not index.is_indexed("left-pad-zz")
    assert index.judge("left-pad-zz", "left_pad_zz.x", [""], as_module=True) is None


# --- the hand stale table agrees with the index -----------------------------------------------------------


def _stale_rows() -> list[tuple[str, str, str, str]]:
    return [tuple(row) for row in _rows("stale_modules.tsv", 4)]  # type: ignore[misc]


# Modules the table calls removed that the wheels still ship, hollowed out to fail on use: the index sees the module,
# the table knows its contents went (the resolver lets the table decide when the index finds the path).
HOLLOW = {
    "botocore.vendored.requests": "only exceptions and packages.urllib3.exceptions remain (botocore 1.44)",
    "pydantic.env_settings": "a migration shim whose __getattr__ raises PydanticImportError (pydantic 2.x)",
    "django.contrib.postgres.fields:JSONField": "kept for historical migrations; models using it fail checks",
}


def test_hand_stale_table_agrees_with_the_index() -> None:
    judged = 0
    disagreements = []
    for key, distribution, status, _advice in _stale_rows():
        if not index.is_indexed(distribution):
            continue
        module, _, name = key.partition(":")
        path = f"{module}.{name}" if name else module
        kind, _, version = status.partition(" ")
        after = index.judge(distribution, path, [f">={version}" if version else ""], as_module=not name)
        before = index.judge(distribution, path, [f"<{version}"], as_module=not name) if version else None
        if after is not None:
            judged += 1
            expected = index.VerdictKind.MISSING if kind == "removed" else index.VerdictKind.PRESENT
            if kind == "deprecated" and after.kind is index.VerdictKind.MISSING and after.shipping:
                expected = index.VerdictKind.MISSING  # deprecated, then removed in a later indexed release
            if after.kind is not expected and key not in HOLLOW:
                disagreements.append((key, status, "after", after.kind.value))
        if before is not None and before.kind is index.VerdictKind.MISSING:
            disagreements.append((key, status, "before", before.kind.value))
    assert not disagreements
    assert judged >= 25
