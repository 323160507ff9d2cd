"""``import pytorch``, ``import pillow``: a distribution's name written where its module belongs (HC028).

The table (``hallucheck/data/wrong_import_names.tsv``) is curated; these tests check each entry against the bundled
mapping (checked in wheels) and the module index, and the finding through real git repositories."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

from hallucheck.resolve import index, mapping
from tests.conftest import Repo

ENTRIES = [line.split("\t") for line in (files("hallucheck") / "data" / "wrong_import_names.tsv")
           .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]  # fmt: skip


def test_the_table_is_sorted_with_four_fields_and_no_duplicates() -> None:
    assert all(len(entry) == 4 and all(entry) for entry in ENTRIES)
    names = [entry[0] for entry in ENTRIES]
    assert names == sorted(names) and len(set(names)) == len(names)


@pytest.mark.parametrize(("wrong", "module", "distribution", "reason"), ENTRIES, ids=[entry[0] for entry in ENTRIES])
def test_each_entry_agrees_with_the_mapping_checked_in_wheels(wrong: str, module: str, distribution: str,
                                                             reason: str) -> None:
    assert mapping.normalize_distribution(distribution) == distribution
    installs = mapping.import_names_of(distribution) or (distribution.replace("-", "_"),)
    assert module in installs or module == distribution.replace("-", "_"), installs
    assert wrong not in installs and wrong != module  # the distribution does not ship the wrong name itself
    assert mapping.known_distributions(wrong) == ()  # no distribution the mapping knows installs it
    assert index.owners(wrong) == ()  # no indexed distribution ships it either
    assert wrong.isidentifier() and len(reason) > 10


@pytest.mark.parametrize("real", ["attrs", "pymupdf", "python_multipart", "pytorch_lightning", "sklearn", "PIL",
                                  "yaml", "torch", "cv2"])
def test_modules_distributions_really_ship_are_never_listed(real: str) -> None:
    assert mapping.wrong_import_name(real) is None


PYPROJECT = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["torch", "pillow"]\n'


def test_a_distribution_name_imported_is_named_with_its_module(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": ""})
    repo.stage({"demo/model.py": "import pytorch\nfrom pillow import Image\nimport pyyaml\nimport opencv\n"})
    outcome = run()
    found = outcome.json()["findings"]
    assert [(item["code"], item["severity"], item["module"], item["distribution"]) for item in found] == [
        ("HC028", "error", "pytorch", "torch"),
        ("HC028", "error", "pillow", "pillow"),
        ("HC028", "error", "pyyaml", "pyyaml"),
        ("HC028", "error", "opencv", "opencv-python"),
    ]
    assert all("hallucinated" not in item["message"] for item in found)
    torch, pillow, pyyaml, opencv = found
    assert "the module is `torch`, installed by `torch`, declared in pyproject.toml:4" in torch["message"]
    assert torch["hint"].startswith("Write `import torch` instead")
    assert "declared in pyproject.toml:4" in pillow["message"]  # declaring `pillow` does not make `pillow` a module
    assert pillow["hint"].startswith("Write `from PIL import Image` instead")
    assert "which the project does not declare yet" in pyyaml["message"]
    assert "hallucheck approve --declare pyyaml" in pyyaml["hint"]
    assert "conda's name for OpenCV" in opencv["message"] and opencv["hint"].startswith("Write `import cv2`")


def test_following_the_hint_once_reaches_a_passing_commit(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": ""})
    repo.stage({"demo/model.py": "import pytorch\nfrom pillow import Image\n"})
    assert run().code == 1
    repo.stage({"demo/model.py": "import torch\nfrom PIL import Image\n"})
    outcome = run()
    assert (outcome.code, outcome.json()["findings"]) == (0, [])


def test_a_module_of_the_repository_with_that_name_comes_first(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "pillow/__init__.py": ""})
    repo.stage({"app.py": "import pillow\n"})
    assert run().json()["findings"] == []


def test_files_mode_finds_it_too(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "demo/__init__.py": "import pytorch\n"})
    [found] = run("--all-files").json()["findings"]
    assert (found["code"], found["severity"]) == ("HC028", "error")


GUESSES = '[project]\nname = "demo"\nversion = "1"\ndependencies = ["django-cors-headers", "python-telegram-bot", ' \
    '"discord-py", "attrs", "python-dotenv", "clean-text", "beautifulsoup4"]\n'


def test_a_module_guessed_from_a_declared_name_whose_modules_are_known_is_named_with_them(repo: Repo,
                                                                                         run: Any) -> None:
    """Attack D8: `django-cors-headers` installs `corsheaders`; `import cors_headers` fails, and `pip install
    cors-headers` is another project. Known modules come from the mapping (complete for each distribution it lists)
    and the module index; the name guess stays for a distribution neither knows (`clean-text` -> `cleantext`)."""
    repo.commit({"pyproject.toml": GUESSES, "demo/__init__.py": ""})
    repo.stage({"demo/x.py": "import cors_headers\nimport telegrambot\nfrom discordpy import Client\nimport "
                             "beautiful_soup4\nimport corsheaders, telegram, discord, attr, attrs, dotenv, cleantext, "
                             "bs4\n"})  # fmt: skip
    found = run().json()["findings"]
    assert [(item["code"], item["module"], item["distribution"]) for item in found] == [
        ("HC028", "cors_headers", "django-cors-headers"),
        ("HC028", "telegrambot", "python-telegram-bot"),
        ("HC028", "discordpy", "discord-py"),
        ("HC028", "beautiful_soup4", "beautifulsoup4"),
    ]
    assert all("hallucinated" not in item["message"] for item in found)
    assert found[0]["hint"].startswith("Write `import corsheaders` instead")
    assert found[2]["hint"].startswith("Write `from discord import Client` instead")
    assert "declared in pyproject.toml:4" in found[1]["message"]
    repo.stage({"demo/x.py": "import corsheaders\nimport telegram\nfrom discord import Client\nimport bs4\n"})
    assert run().json()["findings"] == []


def test_known_modules_come_from_the_mapping_or_the_index() -> None:
    from hallucheck.resolve.resolver import known_modules_of, misnamed_declared

    assert known_modules_of("django-cors-headers") == ("corsheaders",)
    assert known_modules_of("requests") == ("requests",)  # indexed, same name: not in the mapping
    assert known_modules_of("clean-text") == ()
    assert misnamed_declared("requests_lib", {"requests"}) is None  # no name guess leads there
    assert misnamed_declared("requests", {"requests"}) is None
    assert misnamed_declared("cleantext", {"clean-text"}) is None


def test_a_namespace_distribution_is_not_imported_by_its_flattened_name(repo: Repo, run: Any) -> None:
    """Attack E6: with `azure-storage-blob` declared, `import azure_storage_blob` resolved by the distribution's
    name; the distribution installs `azure.storage.blob` (known from the bundled mapping), so it is HC028."""
    declared = '["azure-storage-blob", "paho-mqtt", "zope.interface"]'
    repo.commit({"pyproject.toml": PYPROJECT.replace('["torch", "pillow"]', declared), "demo/__init__.py": ""})
    repo.stage({"demo/x.py": "import azure_storage_blob\nimport paho_mqtt\nimport zope_interface\n"
                             "import azure.storage.blob\nimport paho.mqtt.client\nimport zope.interface\n"})
    found = [(item["code"], item["line"]) for item in run().json()["findings"]]
    assert found == [("HC028", 1), ("HC028", 2), ("HC028", 3)]
