"""A file of the repository an install command installs from is read as the command reads it, whatever its name
(attack F15): ``conda env create -f env.yml``, ``pip install -r deps/base.lst``, ``conda install --file specs``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "0"\ndependencies = ["requests"]\n'
ENVIRONMENT = "name: x\ndependencies:\n  - python=3.12\n  - numpy\n  - pip\n  - pip:\n    - requests\n    - {name}\n"


@pytest.mark.parametrize(("path", "content", "command"), [
    ("py-setup.yml", ENVIRONMENT, "conda env create -f py-setup.yml"),
    ("ci/stack.yaml", ENVIRONMENT, "mamba env update --file ci/stack.yaml"),
    ("ci/stack.yaml", ENVIRONMENT, "micromamba create -y -n x -f ci/stack.yaml"),
    ("deps/base.lst", "requests\n{name}\n", "pip install -r deps/base.lst"),
    ("specs", "numpy>=1.26\nconda-forge::{name}\n", "conda install --file specs"),
])  # fmt: skip
def test_a_committed_file_an_added_command_installs_from_is_read(repo: Repo, run: Any, path: str, content: str,
                                                                  command: str) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, path: content.format(name="huggingface-cli")})
    repo.stage({"setup.sh": f"#!/bin/sh\nset -e\n{command}\n"})
    findings = run().json()["findings"]
    assert [(item["code"], item["path"], item["line"]) for item in findings] == [("HC031", "setup.sh", 3)]
    assert f"`{path}` line" in findings[0]["message"]
    repo.commit()
    assert [item["code"] for item in run("--all-files").json()["findings"]] == ["HC031"]
    assert [item["code"] for item in run("--from-ref", "HEAD~1").json()["findings"]] == ["HC031"]


def test_an_unknown_name_in_such_a_file_is_reviewed_and_a_declared_one_passes(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"py-setup.yml": ENVIRONMENT.format(name="fakepkg-vv"), ".github/workflows/ci.yml":
                "jobs:\n  t:\n    runs-on: x\n    steps:\n      - run: conda env create -f py-setup.yml\n"})
    assert [(item["code"], item["severity"]) for item in run().json()["findings"]] == [("HC040", "review")]
    repo.stage({"py-setup.yml": ENVIRONMENT.format(name="requests")})
    assert run().json()["findings"] == []


def test_a_file_named_like_a_manifest_is_read_as_declarations_only(repo: Repo, run: Any) -> None:
    # environment.yml is a manifest: its names are judged where a change adds them (HC004), not again per command.
    repo.commit({"pyproject.toml": PYPROJECT, "environment.yml": ENVIRONMENT.format(name="fakepkg-vv"),
                 "ci/dev-env.yaml": ENVIRONMENT.format(name="fakepkg-uu"),
                 "requirements.txt": "requests\nfakepkg-ww\n"})
    repo.stage({"setup.sh": "#!/bin/sh\nconda env create\nmamba env update -f environment.yml\n"
                            "pip install -r requirements.txt\nconda env create -f ci/dev-env.yaml\n"})
    assert run().json()["findings"] == []


def test_a_file_that_cannot_be_read_as_the_command_reads_it_is_reviewed(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "deps/base.lst": "requests\nthis is not a requirement\n"})
    repo.stage({"Makefile": "setup:\n\tpip install -r deps/base.lst\n"})
    assert [item["code"] for item in run().json()["findings"]] == ["HC042"]


def test_a_committed_here_document_an_added_run_installs_from_is_read(repo: Repo, run: Any) -> None:
    # Attack G11: `COPY <<EOF /r.txt` committed before, `RUN pip install -r /r.txt` added now.
    written = "FROM python:3.12\nCOPY <<EOF /r.txt\nrequests\nhuggingface-cli\nEOF\n"
    repo.commit({"pyproject.toml": PYPROJECT, "Dockerfile": written})
    repo.stage({"Dockerfile": written + "RUN pip install -r /r.txt\n"})
    assert [(item["code"], item["line"]) for item in run().json()["findings"]] == [("HC031", 4)]
    repo.commit()
    repo.stage({"Dockerfile": written + "RUN pip install -r /r.txt\nCMD [\"python\"]\n"})
    assert run().json()["findings"] == []
