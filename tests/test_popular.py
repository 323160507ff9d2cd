"""Tests of hallucheck.evidence.popular: ranks, typosquat proximity, known hallucinations and the shipped data."""

from __future__ import annotations

import importlib.util
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hallucheck import data
from hallucheck.evidence import popular
from hallucheck.evidence.popular import Similar, is_known_hallucination, popularity_rank, similar_popular_names

DATA = Path(data.DATA_DIRECTORY)
ROOT = Path(__file__).resolve().parent.parent


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def names_of(found: tuple[Similar, ...]) -> list[str]:
    return [item.name for item in found]


# Real typosquats and hallucinations, with the popular distribution they imitate.
@pytest.mark.parametrize(
    ("candidate", "target", "reason"),
    [
        ("aiohtttp", "aiohttp", "edit distance 1"),
        ("coloroma", "colorama", "edit distance 1"),
        ("dequests", "requests", "edit distance 1"),
        ("beautifulsup4", "beautifulsoup4", "edit distance 1"),
        ("huggingface-hubs", "huggingface-hub", "edit distance 1"),
        ("reqeusts", "requests", "edit distance 1"),
        ("python-requests", "requests", "python- prefix swap"),
        ("djang0", "django", "same after confusable normalisation"),
    ],
)
def test_real_incidents_fire_against_their_target(candidate: str, target: str, reason: str) -> None:
    found = similar_popular_names(candidate)
    assert found, candidate
    assert found[0].name == target
    assert found[0].reason == reason
    assert found[0].rank == popularity_rank(target)


@pytest.mark.parametrize(
    ("candidate", "target", "reason"),
    [
        ("requests-py", "requests", "-py suffix swap"),
        ("pyrequests", "requests", "py prefix swap"),
        ("python-yaml", "pyyaml", "python- prefix instead of py prefix"),
        ("dateutil", "python-dateutil", "python- prefix swap"),
        ("scikitlearn", "scikit-learn", "same after confusable normalisation"),
        ("Beautiful_Soup4", "beautifulsoup4", "same after confusable normalisation"),
        ("BeautifulSup4", "beautifulsoup4", "edit distance 1"),
        ("numpi", "numpy", "edit distance 1"),
    ],
)
def test_other_imitations(candidate: str, target: str, reason: str) -> None:
    found = similar_popular_names(candidate)
    assert (found[0].name, found[0].rank, found[0].reason) == (target, popularity_rank(target), reason)


# Typos of what assistants write in code, the import name: the match names the distribution to declare.
@pytest.mark.parametrize(
    ("candidate", "distribution", "import_name", "reason"),
    [
        ("sklearm", "scikit-learn", "sklearn", "edit distance 1"),
        ("sklern", "scikit-learn", "sklearn", "edit distance 1"),
        ("scklearn", "scikit-learn", "sklearn", "edit distance 1"),
        ("bs5", "beautifulsoup4", "bs4", "edit distance 1"),
        ("dateutl", "python-dateutil", "dateutil", "edit distance 1"),
        ("cv3", "opencv-python", "cv2", "edit distance 1"),
        ("pysklearn", "scikit-learn", "sklearn", "py prefix swap"),
        ("python-bs4", "beautifulsoup4", "bs4", "python- prefix swap"),
        ("sk1earn", "scikit-learn", "sklearn", "same after confusable normalisation"),
        ("skimgae", "scikit-image", "skimage", "edit distance 1"),
    ],
)
def test_typos_of_import_names_name_their_distribution(candidate: str, distribution: str, import_name: str,
                                                       reason: str) -> None:
    best = similar_popular_names(candidate)[0]
    assert (best.name, best.import_name, best.reason) == (distribution, import_name, reason)
    assert best.rank == popularity_rank(distribution)
    assert best.spelling == import_name


def test_a_distribution_matched_by_its_own_name_and_its_import_name_appears_once() -> None:
    found = similar_popular_names("sklearm", limit=10)
    assert names_of(found).count("scikit-learn") == 1
    assert "sklearn" in names_of(found)  # the deprecated placeholder distribution, matched by its own name


# Each typo shape, with real names.
@pytest.mark.parametrize(
    ("candidate", "target", "shape"),
    [
        ("texblob", "textblob", "deletion"),
        ("libroa", "librosa", "deletion"),
        ("wordclouds", "wordcloud", "insertion"),
        ("sklearm", "sklearn", "substitution"),
        ("reqeusts", "requests", "transposition"),
        ("follium", "folium", "doubled letter"),
        ("pyteseract", "pytesseract", "doubled letter"),
        ("bs5", "bs4", "digit swap"),
        ("psycopg3-binary", "psycopg2-binary", "digit swap"),
    ],
)
def test_each_edit_records_its_typo_shape(candidate: str, target: str, shape: str) -> None:
    best = similar_popular_names(candidate)[0]
    assert (best.spelling, best.reason, best.shape) == (target, "edit distance 1", shape)
    assert shape in popular.EDIT_SHAPES


def test_only_distance_1_has_a_shape() -> None:
    found = similar_popular_names("coolrcma") + similar_popular_names("python-requests")
    assert found and all(item.shape == "" for item in found)


def test_import_name_providers_compare_in_any_case() -> None:
    assert popular.import_name_providers("PIL") == popular.import_name_providers("pil")
    assert popular.import_name_providers("pil")[0] == "pillow"
    assert "opencv-python" in popular.import_name_providers("cv2")
    assert popular.import_name_providers("requests") == ()
    assert popular.import_name_providers("no-such-module-anywhere") == ()


def test_a_transposition_and_another_edit_across_segments_is_distance_2() -> None:
    # "colorama" cut in 3 segments is col|ora|ma: a swap straddling a boundary plus a substitution
    # damages every segment, which the transposed query variants must still find.
    found = similar_popular_names("coolrcma")
    assert "colorama" in names_of(found)
    assert popular._osa_distance("coolrcma", "colorama", 2) == 2


# Popular distributions within the typosquat rules of each other: never flagged.
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("boto", "boto3"),
        ("attr", "attrs"),
        ("toml", "tomli"),
        ("authlib", "oauthlib"),
        ("uvicorn", "gunicorn"),
        ("cython", "ipython"),
        ("websocket", "websockets"),
        ("pynacl", "pyyaml"),
    ],
)
def test_close_popular_pairs_are_not_flagged(first: str, second: str) -> None:
    assert popularity_rank(first) is not None
    assert popularity_rank(second) is not None
    limit = popular._threshold(first, second)
    assert popular._osa_distance(first, second, limit) <= limit  # close enough to flag, were one unknown
    assert similar_popular_names(first) == ()
    assert similar_popular_names(second) == ()


def test_popular_names_are_never_flagged_in_any_spelling() -> None:
    assert similar_popular_names("requests") == ()
    assert similar_popular_names("PyYAML") == ()
    assert similar_popular_names("Django") == ()


@pytest.mark.parametrize("candidate", ["dollar-word-freq-plot", "cryptoutils", "hallucheck-no-such-thing"])
def test_unrelated_invented_names_give_nothing(candidate: str) -> None:
    assert popularity_rank(candidate) is None
    assert similar_popular_names(candidate) == ()


def test_degenerate_names() -> None:
    assert similar_popular_names("") == ()
    assert similar_popular_names("x" * 5000) == ()
    assert similar_popular_names("requests\nrequests") == ()
    assert similar_popular_names("reqeusts ") == ()
    assert popularity_rank("") is None
    assert not is_known_hallucination("")


def test_results_are_ordered_by_distance_then_rank_and_limited() -> None:
    found = similar_popular_names("dequests", limit=10)
    keys = [(int(item.reason.rsplit(" ", 1)[-1]), item.rank) for item in found]
    assert keys == sorted(keys)
    assert len(names_of(found)) == len(set(names_of(found)))
    assert similar_popular_names("dequests", limit=1) == found[:1]
    assert similar_popular_names("dequests", limit=0) == ()


def test_short_names_only_match_at_distance_1() -> None:
    assert "numpy" in names_of(similar_popular_names("numpi"))
    assert "numpy" not in names_of(similar_popular_names("nmpi", limit=50))  # distance 2, too short


def test_popularity_rank_normalises_and_knows_only_the_list() -> None:
    rank = popularity_rank("requests")
    assert rank is not None and rank <= 100
    assert popularity_rank("PyYAML") == popularity_rank("pyyaml") is not None
    assert popularity_rank("python_dateutil") == popularity_rank("python-dateutil") is not None
    assert popularity_rank("huggingface-cli") is None


def test_known_hallucinations() -> None:
    assert is_known_hallucination("huggingface-cli")
    assert is_known_hallucination("cyclonedx-python")  # the VDB dataset
    assert is_known_hallucination("win32com")  # the 2026 replication
    assert is_known_hallucination("starlette-aioredis-db")  # a PyPI research placeholder
    assert popular.hallucination_source("huggingface-cli") == "bundled list"
    assert popular.hallucination_source("cyclonedx-python") == "bundled list: the VDB slopsquatting dataset"
    assert popular.hallucination_source("requests") is None
    assert is_known_hallucination("HuggingFace_CLI")
    assert not is_known_hallucination("huggingface-hub")
    assert not is_known_hallucination("acme-internal-tool")
    assert is_known_hallucination("acme-internal-tool", extra=["Acme_Internal.Tool"])
    assert is_known_hallucination("acme.internal.tool", extra=iter(["acme-internal-tool"]))
    assert is_known_hallucination("huggingface-cli", extra=["something-else"])


def osa_reference(left: str, right: str) -> int:
    """Textbook optimal-string-alignment distance (full dynamic programming)."""
    rows = [[0] * (len(right) + 1) for _ in range(len(left) + 1)]
    for row in range(len(left) + 1):
        rows[row][0] = row
    for column in range(len(right) + 1):
        rows[0][column] = column
    for row in range(1, len(left) + 1):
        for column in range(1, len(right) + 1):
            cost = left[row - 1] != right[column - 1]
            rows[row][column] = min(rows[row - 1][column] + 1, rows[row][column - 1] + 1,
                                    rows[row - 1][column - 1] + cost)
            if (row > 1 and column > 1 and left[row - 1] == right[column - 2]
                    and left[row - 2] == right[column - 1]):
                rows[row][column] = min(rows[row][column], rows[row - 2][column - 2] + 1)
    return rows[-1][-1]


def test_bounded_distance_agrees_with_the_reference() -> None:
    generator = random.Random(5)
    for _ in range(3000):
        left = "".join(generator.choice("abc-") for _ in range(generator.randrange(9)))
        right = "".join(generator.choice("abc-") for _ in range(generator.randrange(9)))
        for limit in (1, 2):
            assert popular._osa_distance(left, right, limit) == min(osa_reference(left, right), limit + 1)


def mutate(name: str, generator: random.Random) -> str:
    at = generator.randrange(len(name))
    match generator.choice("sidt"):
        case "s":
            return name[:at] + generator.choice("abcdez19-") + name[at + 1:]
        case "i":
            return name[:at] + generator.choice("abcdez19-") + name[at:]
        case "d" if len(name) > 1:
            return name[:at] + name[at + 1:]
        case "t" if at < len(name) - 1:
            return name[:at] + name[at + 1] + name[at] + name[at + 2:]
    return name


def test_the_index_finds_exactly_what_a_full_scan_finds() -> None:
    generator = random.Random(11)
    names = sorted({"".join(generator.choice("abcdez19-") for _ in range(generator.randrange(2, 14)))
                    for _ in range(400)})
    names = [name for name in names if not name.startswith("-") and not name.endswith("-")]
    listing = popular._Popular.from_names(names)
    for _ in range(600):
        query = generator.choice(names)
        for _ in range(generator.randrange(1, 4)):
            query = mutate(query, generator)
        if not query or query in names:
            continue
        expected = {name for name in names
                    if osa_reference(query, name) <= popular._threshold(query, name)}
        found = {item.name for item in listing.similar(query, len(names)) if item.reason.startswith("edit")}
        also = {item.name for item in listing.similar(query, len(names))} - found
        assert found | (expected & also) == expected, query


def test_the_shipped_ranking_is_sorted_normalised_and_documented() -> None:
    text = (DATA / "top_pypi.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("2026" in line for line in header)
    assert any("refresh_popular.py" in line for line in header)
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert rows[0] == ["rank", "name"]
    ranks = [int(rank) for rank, _ in rows[1:]]
    names = [name for _, name in rows[1:]]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert all(name == normalised(name) for name in names)
    assert len(set(names)) == len(names) > 14000


def test_the_shipped_index_matches_the_ranking() -> None:
    top_text = (DATA / "top_pypi.tsv").read_text(encoding="utf-8")
    index_text = (DATA / "top_pypi.idx").read_text(encoding="utf-8")
    names, _ = popular._parse_top(top_text)
    assert popular._format_index(popular._build_sections(names), top_text) == index_text
    assert popular._parse_index(index_text, top_text) == popular._build_sections(names)
    assert popular._parse_index(index_text, top_text + "15001\tsomething-new\n") is None


def test_a_ranking_edited_by_hand_is_indexed_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    read = popular._read

    def edited(file_name: str) -> str:
        text = read(file_name)
        return text + "15001\tacme-widgetry\n" if file_name == "top_pypi.tsv" else text

    monkeypatch.setattr(popular, "_read", edited)
    monkeypatch.setattr(popular, "_loaded", None)
    monkeypatch.setattr(popular, "_combined", None)
    assert popularity_rank("acme-widgetry") == 15001
    assert similar_popular_names("acme-widgetyr") == (Similar("acme-widgetry", 15001, "edit distance 1",
                                                              "transposition"),)
    assert similar_popular_names("reqeusts")[0].name == "requests"


def test_the_known_hallucination_list_is_sorted_normalised_sourced_and_not_popular() -> None:
    lines = [line for line in (DATA / "known_hallucinations.txt").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    names = [line.partition("#")[0].strip() for line in lines]
    assert "huggingface-cli" in names
    assert names == sorted(set(names))
    assert all(name == normalised(name) for name in names)
    assert all(line.partition("#")[2].strip() for line in lines), "every name needs a source"
    assert [name for name in names if popularity_rank(name) is not None] == []


def test_importing_reads_no_data() -> None:
    code = ("import hallucheck.evidence.popular as p; print(p._loaded is None and p._combined is None "
            "and p._curated_names is None and p._public_names is None)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "True"


def test_refresh_script_rewrites_ranking_and_index(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("refresh_popular", ROOT / "scripts" / "refresh_popular.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    source = tmp_path / "top.json"
    rows = [{"project": "Requests", "download_count": 90}, {"project": "boto3", "download_count": 100},
            {"project": "zope.interface", "download_count": 80}, {"project": "requests", "download_count": 1}]
    source.write_text(json.dumps({"last_update": "2026-05-01 07:00:00", "rows": rows}), encoding="utf-8")

    assert script.main([str(source), "--output-dir", str(tmp_path)]) == 0

    top_text = (tmp_path / "top_pypi.tsv").read_text(encoding="utf-8")
    assert "a 2026-05-01 snapshot" in top_text
    assert popular._parse_top(top_text) == (["boto3", "requests", "zope-interface"], ["1", "2", "3"])
    sections = popular._parse_index((tmp_path / "top_pypi.idx").read_text(encoding="utf-8"), top_text)
    assert sections == popular._build_sections(["boto3", "requests", "zope-interface"])
    assert script.main([str(tmp_path / "top_pypi.tsv"), "--output-dir", str(tmp_path / "again")]) == 2


def public_list() -> list[tuple[str, str]]:
    text = (DATA / "hallucinated_names.tsv").read_text(encoding="utf-8")
    return [(fields[0], fields[1]) for line in text.splitlines() if not line.startswith("#")
            for fields in [line.split("\t")]]


def test_the_public_lists_are_sorted_normalised_sourced_and_never_popular() -> None:
    rows = public_list()
    names = [name for name, _ in rows]
    assert len(names) > 1000
    assert names == sorted(set(names))
    assert all(name == normalised(name) for name in names)
    assert all(set(sources.split(",")) <= set(popular._PUBLIC_LISTS) for _, sources in rows)
    assert [name for name in names if popularity_rank(name) is not None] == []
    sources = (DATA / "hallucinated_names.SOURCES.md").read_text(encoding="utf-8")
    for licence in ("CC BY 4.0", "0pstech/slopsquatting-dataset", "churik5/slopsquatting-replication-2026"):
        assert licence in sources


def test_no_popular_distribution_is_a_known_hallucination() -> None:
    listing = popular._popular()
    assert [name for name in listing._names if is_known_hallucination(name)] == []


def test_a_popular_name_slipped_into_a_list_is_still_not_a_hallucination(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(popular, "_public_names", {"requests": ("vdb",), "acme-made-up": ("vdb",)})
    assert not is_known_hallucination("requests")
    assert popular.hallucination_source("requests") is None
    assert is_known_hallucination("acme-made-up")
    assert is_known_hallucination("requests", extra=["requests"])  # a team's own list is its own decision


def test_refresh_hallucinations_filters_words_popular_and_registered_names(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("refresh_hallucinations", ROOT / "scripts" /
                                                  "refresh_hallucinations.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    (tmp_path / "vdb.csv").write_text(
        "id,ecosystem,name,registry_status\n"
        "1,PyPI,Cyclonedx_Python,nonexistent\n2,PyPI,especially,nonexistent\n3,PyPI,requests,nonexistent\n"
        "4,PyPI,sartre,young\n5,npm,left-padx,nonexistent\n6,PyPI,csv,registered but never published\n"
        "7,PyPI,re,nonexistent\n8,PyPI,lusid,nonexistent\n", encoding="utf-8")
    (tmp_path / "replication.csv").write_text("win32com,27\ncyclonedx-python,3\nandroid,62\n", encoding="utf-8")
    (tmp_path / "placeholders.txt").write_text("pyoidc\n# a comment\n", encoding="utf-8")
    (tmp_path / "words").write_text("especially\nandroid\nCairo\n", encoding="utf-8")
    output = tmp_path / "out.tsv"

    assert script.main(["--vdb", str(tmp_path / "vdb.csv"), "--replication", str(tmp_path / "replication.csv"),
                        "--placeholders", str(tmp_path / "placeholders.txt"), "--words", str(tmp_path / "words"),
                        "--output", str(output)]) == 0

    rows = [line.split("\t") for line in output.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rows == [["csv", "vdb"], ["cyclonedx-python", "vdb,replication-2026"], ["pyoidc", "pypi-placeholder"],
                    ["win32com", "replication-2026"]]
