"""A conda spec's channel (attack G10): ``CHANNEL::NAME`` is the package ``NAME`` from that channel, judged by its
name (a documented hallucination is an error from any channel), and the channel is its source."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "0"\ndependencies = ["requests"]\n'


@pytest.mark.parametrize("spec", ["conda-forge/label/main::huggingface-cli", "conda-forge::huggingface-cli>=1",
                                  "https://conda.anaconda.org/conda-forge::huggingface-cli"])
def test_a_conda_channel_spec_is_judged_by_its_name(repo: Repo, run: Any, spec: str) -> None:
    # Attack G10: `channel::name` is the package `name` (from that channel): a documented hallucination is an
    # error whatever the channel.
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"setup.sh": f"#!/bin/sh\nconda install -y '{spec}'\n"})
    assert [item["code"] for item in run().json()["findings"]] == ["HC031"]
    repo.commit()
    assert [item["code"] for item in run("--all-files").json()["findings"]] == ["HC031"]


def test_a_conda_package_from_another_channel_is_that_channel_s(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"setup.sh": "#!/bin/sh\nconda install -y evil/label/x::requests\nconda install conda-forge::numpy\n"})
    assert [(item["code"], item["line"]) for item in run().json()["findings"]] == [("HC040", 2)]
