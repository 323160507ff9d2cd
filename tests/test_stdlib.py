from __future__ import annotations

import subprocess
import sys
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.resolve.stdlib import (
    SUPPORTED_VERSIONS,
    RemovedModule,
    _lowest_by_packaging,
    first_version,
    is_stdlib,
    lowest_python_version,
    parse_python_version,
    removed_module,
    stdlib_module_names,
)

RUNNING = sys.version_info[:2]


def data_rows(filename: str) -> list[list[str]]:
    text = (files("hallucheck") / "data" / filename).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#"), "the first line names the source of the data"
    return [line.split("\t") for line in lines[1:]]


@pytest.mark.skipif(RUNNING != (3, 11), reason="the data is checked against a running 3.11")
def test_311_matches_running_interpreter() -> None:
    assert stdlib_module_names((3, 11)) == frozenset(sys.stdlib_module_names)


@pytest.mark.skipif(
    not (3, 10) <= RUNNING <= (3, 14), reason="sys.stdlib_module_names needs a supported 3.10+"
)
def test_running_interpreter_names_are_known() -> None:
    assert frozenset(sys.stdlib_module_names) <= stdlib_module_names(RUNNING)


def test_supported_versions() -> None:
    assert tuple((3, minor) for minor in range(8, 15)) == SUPPORTED_VERSIONS


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("imp", [(3, 8), (3, 11)], [(3, 12), (3, 14)]),
        ("distutils", [(3, 11)], [(3, 12)]),
        ("asyncore", [(3, 11)], [(3, 12)]),
        ("tomllib", [(3, 11), (3, 14)], [(3, 10)]),
        ("annotationlib", [(3, 14)], [(3, 13)]),
        ("compression", [(3, 14)], [(3, 13)]),
        ("_compression", [(3, 13)], [(3, 14)]),
        ("zoneinfo", [(3, 9), (3, 14)], [(3, 8)]),
        ("graphlib", [(3, 9)], [(3, 8)]),
        ("dummy_threading", [(3, 8)], [(3, 9)]),
        ("parser", [(3, 9)], [(3, 10)]),
        ("binhex", [(3, 10)], [(3, 11)]),
        ("telnetlib", [(3, 12)], [(3, 13)]),
        ("lib2to3", [(3, 12)], [(3, 13)]),
        ("_pyrepl", [(3, 13)], [(3, 12)]),
        ("__future__", [(3, 8), (3, 14)], []),
        ("_abc", [(3, 8), (3, 14)], []),
        ("os", [(3, 8), (3, 14)], []),
        ("numpy", [], [(3, 8), (3, 14)]),
        ("test", [], [(3, 11)]),
    ],
)
def test_spot_checks(name: str, present: list[tuple[int, int]], absent: list[tuple[int, int]]) -> None:
    for version in present:
        assert is_stdlib(name, version), version
    for version in absent:
        assert not is_stdlib(name, version), version


def test_targets_are_clamped() -> None:
    assert stdlib_module_names((3, 7)) == stdlib_module_names((3, 8))
    assert stdlib_module_names((2, 7)) == stdlib_module_names((3, 8))
    assert stdlib_module_names((3, 20)) == stdlib_module_names((3, 14))
    assert stdlib_module_names((4, 0)) == stdlib_module_names((3, 14))


def test_names_are_cached() -> None:
    assert stdlib_module_names((3, 12)) is stdlib_module_names((3, 12))


def test_removed_module() -> None:
    assert removed_module("distutils", (3, 12)) == RemovedModule(
        "distutils", (3, 12), "setuptools / sysconfig"
    )
    assert removed_module("distutils", (3, 11)) is None
    assert removed_module("distutils", (3, 20)) is not None
    record = removed_module("asyncore", (3, 14))
    assert record is not None
    assert record.removed_in == (3, 12)
    assert "asyncio" in record.replacement
    assert removed_module("imp", (3, 12)) is not None
    assert removed_module("telnetlib", (3, 13)) is not None
    assert removed_module("telnetlib", (3, 12)) is None
    assert removed_module("os", (3, 14)) is None
    assert removed_module("numpy", (3, 14)) is None


def test_first_version() -> None:
    assert first_version("os") == (3, 8)
    assert first_version("imp") == (3, 8)
    assert first_version("zoneinfo") == (3, 9)
    assert first_version("tomllib") == (3, 11)
    assert first_version("annotationlib") == (3, 14)
    assert first_version("numpy") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3.11", (3, 11)), (" 3.8 ", (3, 8)), ("3.12.4", (3, 12)), ("3.14", (3, 14)), ("2.7", (2, 7))],
)
def test_parse_python_version(text: str, expected: tuple[int, int]) -> None:
    assert parse_python_version(text) == expected


@pytest.mark.parametrize(
    "text", ["", "3", "3.", "3.x", "three.eleven", "3.11a1", "3.11.4.1", "-3.11", "\u0663.\u0661\u0661"]
)
def test_parse_python_version_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError, match="not a Python version"):
        parse_python_version(text)


@pytest.mark.parametrize(
    ("requires_python", "expected"),
    [
        (">=3.9", (3, 9)),
        (">=3.9,<4", (3, 9)),
        (">=3.8,<3.12", (3, 8)),
        ("~=3.10", (3, 10)),
        ("==3.12.*", (3, 12)),
        (">=3.9.2", (3, 9)),
        (">3.9", (3, 9)),
        ("~=3.11.4", (3, 11)),
        (">=3.10,!=3.10.*", (3, 11)),
        (">=3.6", (3, 8)),
        ("", (3, 8)),
        (">=3.15", None),
        ("<3", None),
        ("<3.8", None),
        ("not a specifier", None),
        ("=>3.9", None),
        (">=3.9,<", None),
    ],
)
def test_lowest_python_version(requires_python: str, expected: tuple[int, int] | None) -> None:
    assert lowest_python_version(requires_python) == expected


_CLAUSES = st.tuples(
    st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "==="]),
    st.tuples(st.sampled_from([3, 3, 3, 2, 4]), st.lists(st.integers(0, 15), max_size=3)).map(
        lambda parts: ".".join(map(str, [parts[0], *parts[1]]))
    ),
    st.sampled_from(["", ".*"]),
    st.sampled_from(["", " "]),
).map(lambda clause: f"{clause[3]}{clause[0]}{clause[3]}{clause[1]}{clause[2]}")


@given(st.lists(_CLAUSES, min_size=1, max_size=3).map(",".join))
@settings(max_examples=600, deadline=None)
def test_lowest_python_version_without_packaging_agrees_with_it(requires_python: str) -> None:
    """Plain release clauses are decided without importing packaging: the same answer as packaging gives."""
    assert lowest_python_version(requires_python) == _lowest_by_packaging(requires_python)


@pytest.mark.parametrize("requires_python", ["3.*", ">=3.10.*", "~=3", ">=3.10,<3.11", "!=3.11.*,>=3.10", "<3.12.0"])
def test_lowest_python_version_edges_agree_with_packaging(requires_python: str) -> None:
    assert lowest_python_version(requires_python) == _lowest_by_packaging(requires_python)


def test_a_plain_requires_python_does_not_import_packaging() -> None:
    code = "import sys; from hallucheck.resolve.stdlib import lowest_python_version as low; "
    code += "print(low('>=3.10,<3.13'), low('~=3.9'), any(name.startswith('packaging') for name in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["(3,", "10)", "(3,", "9)", "False"]


@pytest.mark.parametrize("filename", ["stdlib.tsv", "stdlib_removed.tsv", "python2_modules.tsv"])
def test_data_files_are_sorted_without_duplicates(filename: str) -> None:
    names = [row[0] for row in data_rows(filename)]
    assert names == sorted(names)
    assert len(names) == len(set(names))


def test_stdlib_rows_are_well_formed() -> None:
    for row in data_rows("stdlib.tsv"):
        name, first, last = row
        assert name.isidentifier(), row
        assert parse_python_version(first) in SUPPORTED_VERSIONS, row
        assert parse_python_version(last) in SUPPORTED_VERSIONS, row
        assert parse_python_version(first) <= parse_python_version(last), row


def test_removed_rows_match_stdlib_lifetimes() -> None:
    lifetimes = {name: (first, last) for name, first, last in data_rows("stdlib.tsv")}
    gone = {name for name, (_, last) in lifetimes.items() if last != "3.14"}
    removed = data_rows("stdlib_removed.tsv")
    assert {row[0] for row in removed} == gone
    for name, removed_in, replacement in removed:
        major, minor = parse_python_version(lifetimes[name][1])
        assert parse_python_version(removed_in) == (major, minor + 1), name
        assert replacement.strip(), name


def test_python2_modules_are_in_no_python3_standard_library() -> None:
    python3 = {row[0] for row in data_rows("stdlib.tsv")}
    for name, removed_in, replacement in data_rows("python2_modules.tsv"):
        assert name not in python3, name
        assert removed_in == "3.0" and replacement.strip(), name
