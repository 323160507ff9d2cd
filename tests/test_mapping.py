"""Tests for the bundled import-name tables (hallucheck.resolve.mapping and hallucheck/data)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from hallucheck.resolve import mapping
from hallucheck.resolve.mapping import (
    StaleModule,
    heuristic_import_names,
    import_names_of,
    is_namespace_root,
    known_distributions,
    normalize_distribution,
    stale_module,
)


def content_lines(name: str) -> list[str]:
    text = (files("hallucheck") / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in content_lines(name)]


IMPORT_ROWS = rows("import_names.tsv")
STALE_ROWS = rows("stale_modules.tsv")
ROOTS = content_lines("namespace_roots.txt")


# --- the data files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["import_names.tsv", "namespace_roots.txt", "stale_modules.tsv", "conda_names.tsv"])
def test_data_file_is_clean_text(name: str) -> None:
    raw = (files("hallucheck") / "data" / name).read_bytes()
    text = raw.decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n")
    assert text.startswith("#"), "each data file starts with a header comment explaining it"
    for line in text.splitlines():
        assert line == line.strip(), f"stray whitespace around {line!r}"


def test_import_names_rows_have_two_fields() -> None:
    assert all(len(row) == 2 and all(row) for row in IMPORT_ROWS), [r for r in IMPORT_ROWS if len(r) != 2]


def test_import_names_sorted_and_unique() -> None:
    pairs = [tuple(row) for row in IMPORT_ROWS]
    assert pairs == sorted(pairs)
    assert len(pairs) == len(set(pairs))


def test_import_names_distributions_are_normalised() -> None:
    bad = [dist for _, dist in IMPORT_ROWS if dist != normalize_distribution(dist)]
    assert bad == []


def test_import_names_are_dotted_identifiers() -> None:
    bad = [name for name, _ in IMPORT_ROWS if not all(part.isidentifier() for part in name.split("."))]
    assert bad == []


def test_import_names_covers_many_entries() -> None:
    assert len(IMPORT_ROWS) >= 300


def test_identity_lines_only_beside_a_differently_named_provider_or_import() -> None:
    by_import: dict[str, set[str]] = {}
    by_distribution: dict[str, set[str]] = {}
    for name, dist in IMPORT_ROWS:
        by_import.setdefault(name, set()).add(dist)
        by_distribution.setdefault(dist, set()).add(name)
    lonely = [
        (name, dist)
        for name, dist in IMPORT_ROWS
        if name.replace("_", "-") == dist and by_import[name] == {dist} and by_distribution[dist] == {name}
    ]
    assert lonely == [], "identity mappings need a differently named provider, or other names of the distribution"


def test_identity_lines_beside_other_import_names_are_checked_in_wheels() -> None:
    """A same-named line kept only for a complete reverse lookup must be backed by a wheel checked for it."""
    evidence = (Path(__file__).resolve().parent.parent / "scripts" / "mapping_evidence.tsv").read_text("utf-8")
    provided = {
        (fields[2], fields[1].split("==")[0].lower())
        for line in evidence.splitlines() if line and not line.startswith("#")
        for fields in [line.split("\t")] if fields[0] == "provides"
    }  # fmt: skip
    by_import: dict[str, set[str]] = {}
    for name, dist in IMPORT_ROWS:
        by_import.setdefault(name, set()).add(dist)
    kept = [(name, dist) for name, dist in IMPORT_ROWS if name.replace("_", "-") == dist and by_import[name] == {dist}]
    assert kept and all(item in provided for item in kept), [item for item in kept if item not in provided]


def test_no_namespace_root_is_a_key() -> None:
    assert sorted({name for name, _ in IMPORT_ROWS} & set(ROOTS)) == []


def test_namespace_roots_sorted_unique_identifiers() -> None:
    assert sorted(set(ROOTS)) == ROOTS
    assert all(root.isidentifier() for root in ROOTS)


def test_stale_rows_have_four_fields() -> None:
    assert all(len(row) == 4 and all(row) for row in STALE_ROWS), [r for r in STALE_ROWS if len(r) != 4]


def test_stale_status_is_removed_or_deprecated_with_a_version() -> None:
    from packaging.version import Version

    for key, _, status, _ in STALE_ROWS:
        change, _, version = status.partition(" ")
        assert change in ("removed", "deprecated"), key
        assert not version or Version(version), key


def test_stale_versions_checked_in_wheels_agree_with_the_table() -> None:
    """Every key the evidence file checks has a release with it before the table's version and none without it
    at or after."""
    from packaging.version import Version

    evidence = (Path(__file__).resolve().parent.parent / "scripts" / "mapping_evidence.tsv").read_text("utf-8")
    table = {key: status for key, _, status, _ in STALE_ROWS}
    checked = 0
    for line in evidence.splitlines():
        fields = line.split("\t")
        if not line or line.startswith("#") or fields[0] not in ("has", "lacks") or fields[2] not in table:
            continue
        change, _, version = table[fields[2]].partition(" ")
        release = Version(fields[1].split("==")[1])
        if fields[0] == "lacks":
            assert change == "removed" and version and release >= Version(version), line
        elif change == "removed" and version:
            assert release < Version(version), line
        checked += 1
    assert checked >= 40


def test_stale_sorted_and_keys_unique() -> None:
    keys = [row[0] for row in STALE_ROWS]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


def test_stale_distributions_normalised_and_keys_well_formed() -> None:
    for key, dist, _, _ in STALE_ROWS:
        assert dist == normalize_distribution(dist), dist
        module, _, name = key.partition(":")
        assert all(part.isidentifier() for part in module.split(".")), key
        assert name == "" or name.isidentifier(), key


# --- normalize_distribution -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PyYAML", "pyyaml"),
        ("ruamel.yaml", "ruamel-yaml"),
        ("typing_extensions", "typing-extensions"),
        ("Foo__Bar-.baz", "foo-bar-baz"),
        ("zope.interface", "zope-interface"),
    ],
)
def test_normalize_distribution(raw: str, expected: str) -> None:
    assert normalize_distribution(raw) == expected


# --- known_distributions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("sklearn", ("scikit-learn",)),
        ("sklearn.model_selection", ("scikit-learn",)),
        ("yaml", ("pyyaml",)),
        ("PIL.Image", ("pillow", "pillow-simd")),
        ("bs4", ("beautifulsoup4",)),
        ("dateutil.parser", ("python-dateutil",)),
        ("attr", ("attrs",)),
        ("jwt", ("pyjwt",)),
        ("dotenv", ("python-dotenv",)),
        ("serial", ("pyserial",)),
        ("magic", ("python-magic", "python-magic-bin")),
        ("Crypto.Cipher.AES", ("pycrypto", "pycryptodome")),
        ("Cryptodome", ("pycryptodomex",)),
        ("OpenSSL", ("pyopenssl",)),
        ("git", ("gitpython",)),
        ("docx", ("python-docx",)),
        ("pptx", ("python-pptx",)),
        ("fitz", ("pymupdf",)),
        ("skimage", ("scikit-image",)),
        ("grpc", ("grpcio",)),
        ("MySQLdb", ("mysqlclient",)),
        ("psycopg2.extras", ("aws-psycopg2", "psycopg2", "psycopg2-binary")),
        ("pkg_resources", ("setuptools",)),
        ("_pytest.monkeypatch", ("pytest",)),
        ("win32api", ("pywin32",)),
        ("Levenshtein", ("levenshtein", "python-levenshtein")),
        ("Bio.Seq", ("biopython",)),
        ("wx", ("wxpython",)),
        ("gi.repository", ("pygobject",)),
        ("usb.core", ("pyusb",)),
        ("zmq", ("pyzmq",)),
        ("telegram.ext", ("python-telegram-bot",)),
        ("discord", ("discord-py", "py-cord")),
        ("slugify", ("python-slugify",)),
        ("multipart", ("multipart", "python-multipart")),
        ("jose", ("python-jose",)),
        ("socks", ("pysocks",)),
        ("nacl.signing", ("pynacl",)),
        ("kafka", ("kafka-python", "kafka-python-ng")),
        ("ldap", ("python-ldap",)),
        ("dns.resolver", ("dnspython",)),
        ("faiss", ("faiss-cpu", "faiss-gpu")),
        ("websocket", ("websocket-client",)),
        ("google.protobuf", ("protobuf",)),
        ("google.protobuf.json_format", ("protobuf",)),
        ("google.cloud.storage", ("google-cloud-storage",)),
        ("google.cloud.storage.blob", ("google-cloud-storage",)),
        ("azure.storage.blob", ("azure-storage-blob",)),
        ("zope.interface", ("zope-interface",)),
        ("jaraco.functools", ("jaraco-functools",)),
        ("backports.zoneinfo", ("backports-zoneinfo",)),
        ("ruamel.yaml", ("ruamel-yaml",)),
        ("opentelemetry.sdk.trace", ("opentelemetry-sdk",)),
        ("opentelemetry.trace", ("opentelemetry-api",)),
        ("opentelemetry.util.http", ("opentelemetry-util-http",)),
        ("azure.monitor.opentelemetry.exporter", ("azure-monitor-opentelemetry-exporter",)),
        ("azure.monitor.opentelemetry", ("azure-monitor-opentelemetry",)),
    ],
)
def test_known_distributions(module: str, expected: tuple[str, ...]) -> None:
    assert known_distributions(module) == expected


def test_known_distributions_opencv_has_every_wheel() -> None:
    assert set(known_distributions("cv2")) == {
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    }


@pytest.mark.parametrize(
    "root", ["google", "azure", "zope", "jaraco", "backports", "ruamel", "sphinxcontrib"]
)
def test_namespace_roots_never_match_alone(root: str) -> None:
    assert is_namespace_root(root)
    assert known_distributions(root) == ()


def test_every_namespace_root_alone_matches_nothing() -> None:
    assert [root for root in ROOTS if known_distributions(root)] == []


@pytest.mark.parametrize(
    "module", ["google.cloud", "google.cloud.nonexistent_thing", "azure.storage", "zope.x"]
)
def test_unknown_name_inside_a_namespace_matches_nothing(module: str) -> None:
    assert known_distributions(module) == ()


@pytest.mark.parametrize(
    "module",
    [
        "requests",
        "numpy",
        "typing_extensions",
        "sentence_transformers",
        "huggingface_hub",
        "os",
        "no_such_module",
    ],
)
def test_same_named_or_unknown_imports_are_not_in_the_table(module: str) -> None:
    assert known_distributions(module) == ()


@pytest.mark.parametrize(
    ("distribution", "module"),
    [
        ("typing-extensions", "typing_extensions"),
        ("sentence-transformers", "sentence_transformers"),
        ("huggingface-hub", "huggingface_hub"),
        ("setuptools", "setuptools"),
        ("pytest", "pytest"),
    ],
)
def test_same_named_imports_are_found_by_the_heuristic(distribution: str, module: str) -> None:
    assert module in heuristic_import_names(distribution)


def test_known_distributions_is_case_sensitive() -> None:
    assert known_distributions("pil") == ()
    assert known_distributions("levenshtein") == ()


def test_known_distributions_does_not_match_partial_segments() -> None:
    assert known_distributions("yamlx") == ()
    assert known_distributions("google.cloud.storagex") == ()


def test_is_namespace_root_negative() -> None:
    assert not is_namespace_root("requests")
    assert not is_namespace_root("google.cloud")
    assert not is_namespace_root("")


# --- import_names_of ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [
        ("pyyaml", ("_yaml", "yaml")),
        ("PyYAML", ("_yaml", "yaml")),
        ("scikit-learn", ("sklearn",)),
        ("scikit_learn", ("sklearn",)),
        ("protobuf", ("google.protobuf",)),
        ("google-cloud-storage", ("google.cloud.storage",)),
        ("ruamel.yaml", ("ruamel.yaml",)),
        ("opencv-python-headless", ("cv2",)),
        ("pytest", ("_pytest", "py", "pytest")),
        ("attrs", ("attr",)),
        ("requests", ()),
    ],
)
def test_import_names_of(distribution: str, expected: tuple[str, ...]) -> None:
    assert import_names_of(distribution) == expected


def test_setuptools_provides_pkg_resources() -> None:
    assert "pkg_resources" in import_names_of("setuptools")


def test_pywin32_provides_many_modules() -> None:
    names = import_names_of("pywin32")
    assert {"win32api", "win32con", "win32com", "pythoncom", "pywintypes"} <= set(names)


def test_reverse_lookup_agrees_with_forward_lookup() -> None:
    for name, dist in IMPORT_ROWS:
        assert name in import_names_of(dist)
        assert dist in known_distributions(name)


# --- heuristic_import_names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [
        ("requests", {"requests"}),
        ("typing-extensions", {"typing_extensions"}),
        ("Typing_Extensions", {"typing_extensions"}),
        ("python-dateutil", {"python_dateutil", "dateutil"}),
        ("python-dotenv", {"python_dotenv", "dotenv"}),
        ("python3-openid", {"python3_openid", "openid"}),
        ("py-cpuinfo", {"py_cpuinfo", "cpuinfo"}),
        ("markdown-it-py", {"markdown_it_py", "markdown_it"}),
        ("rpds-py", {"rpds_py", "rpds"}),
        ("absl-py", {"absl_py", "absl"}),
        ("opencv-python", {"opencv_python", "opencv"}),
        ("django-environ", {"django_environ", "environ"}),
        ("flask-sqlalchemy", {"flask_sqlalchemy"}),
        ("pyarrow", {"pyarrow"}),
        ("python", {"python"}),
    ],
)
def test_heuristic_import_names(distribution: str, expected: set[str]) -> None:
    assert heuristic_import_names(distribution) == frozenset(expected)


@pytest.mark.parametrize(
    ("distribution", "module"),
    [
        ("zope.interface", "zope.interface"),
        ("jaraco-functools", "jaraco.functools"),
        ("backports.zoneinfo", "backports.zoneinfo"),
        ("backports-functools-lru-cache", "backports.functools_lru_cache"),
        ("google-cloud-storage", "google.cloud.storage"),
        ("azure-storage-blob", "azure.storage.blob"),
        ("opentelemetry-exporter-otlp-proto-http", "opentelemetry.exporter.otlp.proto.http"),
        ("llama-index-core", "llama_index.core"),
        ("sphinxcontrib-jsmath", "sphinxcontrib.jsmath"),
    ],
)
def test_heuristic_namespace_forms(distribution: str, module: str) -> None:
    assert module in heuristic_import_names(distribution)


def test_heuristic_does_not_strip_bare_py_prefix() -> None:
    assert "arrow" not in heuristic_import_names("pyarrow")
    assert "yaml" not in heuristic_import_names("pyyaml")


# --- stale_module ---------------------------------------------------------------------------------


def test_stale_module_exact() -> None:
    entry = stale_module("sklearn.cross_validation")
    assert entry == StaleModule(
        "sklearn.cross_validation", "scikit-learn", "removed 0.20",
        "sklearn.model_selection (removed in scikit-learn 0.20)",
    )  # fmt: skip
    assert (entry.version, entry.deprecated) == ("0.20", False)


@pytest.mark.parametrize(
    ("module", "key", "distribution"),
    [
        ("sklearn.externals.joblib", "sklearn.externals.joblib", "scikit-learn"),
        ("sklearn.grid_search", "sklearn.grid_search", "scikit-learn"),
        ("tensorflow.contrib", "tensorflow.contrib", "tensorflow"),
        ("tensorflow.contrib.layers", "tensorflow.contrib", "tensorflow"),
        ("keras.layers.advanced_activations", "keras.layers.advanced_activations", "keras"),
        ("numpy.testing.decorators", "numpy.testing.decorators", "numpy"),
        ("openai.error", "openai.error", "openai"),
        ("langchain.llms", "langchain.llms", "langchain"),
        ("langchain.llms.openai", "langchain.llms", "langchain"),
        ("langchain.embeddings.openai", "langchain.embeddings.openai", "langchain"),
        ("langchain.vectorstores.chroma", "langchain.vectorstores", "langchain"),
        ("langchain.document_loaders", "langchain.document_loaders", "langchain"),
        ("langchain.chat_models.anthropic", "langchain.chat_models.anthropic", "langchain"),
    ],
)
def test_stale_module_and_submodules(module: str, key: str, distribution: str) -> None:
    entry = stale_module(module)
    assert entry is not None
    assert (entry.module, entry.distribution) == (key, distribution)
    assert entry.advice


def test_stale_langchain_chat_models_advice() -> None:
    entry = stale_module("langchain.chat_models.anthropic")
    assert entry is not None
    assert "langchain_anthropic" in entry.advice


@pytest.mark.parametrize(
    ("module", "names", "key", "advice_part"),
    [
        ("pydantic", ["BaseSettings"], "pydantic:BaseSettings", "pydantic_settings"),
        ("pydantic", ["Field", "BaseSettings"], "pydantic:BaseSettings", "pydantic_settings"),
        ("pandas.io.json", ["json_normalize"], "pandas.io.json:json_normalize", "pandas.json_normalize"),
        ("langchain.chat_models", ["ChatOpenAI"], "langchain.chat_models:ChatOpenAI", "langchain_openai"),
        (
            "langchain.chat_models",
            ["ChatAnthropic"],
            "langchain.chat_models:ChatAnthropic",
            "langchain_anthropic",
        ),
        (
            "langchain.embeddings",
            ["OpenAIEmbeddings"],
            "langchain.embeddings:OpenAIEmbeddings",
            "langchain_openai",
        ),
        ("sklearn", ["cross_validation"], "sklearn.cross_validation", "sklearn.model_selection"),
        ("sklearn.externals", ["joblib"], "sklearn.externals.joblib", "joblib"),
    ],
)
def test_stale_name_form(module: str, names: list[str], key: str, advice_part: str) -> None:
    entry = stale_module(module, names)
    assert entry is not None
    assert entry.module == key
    assert advice_part in entry.advice


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("pydantic", []),
        ("pydantic", ["BaseModel", "Field"]),
        ("pydantic_settings", ["BaseSettings"]),
        ("langchain.chat_models", ["init_chat_model"]),
        ("langchain.chat_models", []),
        ("langchain.embeddings", ["init_embeddings"]),
        ("langchain_community.chat_models", ["ChatOpenAI"]),
        ("langchain", []),
        ("sklearn", ["model_selection"]),
        ("sklearn.model_selection", ["GridSearchCV"]),
        ("tensorflow", ["keras"]),
        ("pandas", ["json_normalize"]),
        ("openai", ["OpenAI", "APIError"]),
        ("requests", []),
        ("langchainx.llms", []),
    ],
)
def test_current_paths_are_not_stale(module: str, names: list[str]) -> None:
    assert stale_module(module, names) is None


def test_name_form_only_for_the_exact_module() -> None:
    assert stale_module("pydantic.main", ["BaseSettings"]) is None


def test_stale_module_is_frozen() -> None:
    entry = stale_module("openai.error")
    assert entry is not None
    with pytest.raises(AttributeError):
        entry.advice = "x"
    assert entry.advice != "x"


def test_every_stale_key_is_found() -> None:
    for key, dist, status, advice in STALE_ROWS:
        module, _, name = key.partition(":")
        entry = stale_module(module, [name] if name else [])
        assert entry == StaleModule(key, dist, status, advice)


# --- loading --------------------------------------------------------------------------------------


def test_tables_are_loaded_once() -> None:
    assert mapping._import_table() is mapping._import_table()
    assert mapping._stale_table() is mapping._stale_table()
    assert mapping._namespace_roots() is mapping._namespace_roots()


def test_malformed_line_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping, "_data_lines", lambda name: ["yaml\tpyyaml", "broken line"])
    with pytest.raises(ValueError, match="expected 2 non-empty fields"):
        mapping._rows("import_names.tsv", 2)


# --- conda names and spellings ----------------------------------------------------------------------------


def test_conda_names_sorted_normalised_and_sourced() -> None:
    conda = rows("conda_names.tsv")
    assert conda == sorted(conda) and all(len(row) == 3 and all(row) for row in conda)
    for name, dist, source in conda:
        assert name == normalize_distribution(name) != dist == normalize_distribution(dist)
        assert source.startswith("conda-forge/"), source
    assert mapping.conda_distributions("PyTorch") == ("torch",)
    assert mapping.conda_distributions("numpy") == ()


@pytest.mark.parametrize(
    ("module", "distribution", "matches"),
    [
        ("cleantext", "clean-text", True),
        ("Levenshtein", "levenshtein", True),
        ("dateutil", "python-dateutil", True),
        ("arrow", "pyarrow", False),
        ("cleantexts", "clean-text", False),
    ],
)
def test_declared_name_matching_ignores_separators_and_case(module: str, distribution: str, matches: bool) -> None:
    assert mapping.matches_declared(module, distribution) is matches
