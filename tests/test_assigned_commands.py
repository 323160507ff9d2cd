"""Command text a script assigns and then runs through a variable (attack G13): ``CMD="pip install x"; eval
"$CMD"``, ``sh -c "$X"``, ``$X``, ``"${cmd[@]}"``, a CI step's ``env:`` value run by ``eval "$SETUP"``. What the
script's text tells is read; what it leaves to run time next to an installer is reviewed, never passed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Repo

PYPROJECT = '[project]\nname = "app"\nversion = "0"\ndependencies = ["requests"]\n'
ASSIGNED = '#!/bin/bash\nset -e\nCMD="pip install {name}"\necho start\n'


@pytest.mark.parametrize("run_it", ['eval "$CMD"', "eval $CMD", 'sh -c "$CMD"', "$CMD", 'sudo bash -ec "${CMD}"'])
def test_a_command_run_through_a_variable_is_read(repo: Repo, run: Any, run_it: str) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"setup.sh": ASSIGNED.format(name="huggingface-cli") + run_it + "\n"})
    findings = run().json()["findings"]
    assert [(item["code"], item["line"]) for item in findings] == [("HC031", 5)]  # where it is run


def test_adding_the_run_or_changing_the_assignment_is_a_change(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT, "setup.sh": ASSIGNED.format(name="huggingface-cli")})
    repo.stage({"setup.sh": ASSIGNED.format(name="huggingface-cli") + 'eval "$CMD"\n'})
    assert [item["code"] for item in run().json()["findings"]] == ["HC031"]
    repo.commit({"setup.sh": ASSIGNED.format(name="requests") + 'eval "$CMD"\n'})
    repo.stage({"setup.sh": ASSIGNED.format(name="huggingface-cli") + 'eval "$CMD"\n'})
    assert [item["code"] for item in run().json()["findings"]] == ["HC031"]
    repo.commit()
    repo.stage({"setup.sh": ASSIGNED.format(name="huggingface-cli") + 'eval "$CMD"\necho done\n'})
    assert run().json()["findings"] == []


def test_an_array_and_variables_spelled_apart_are_read(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"a.sh": '#!/bin/sh\ncmd=(pip install huggingface-cli)\n"${cmd[@]}"\n',
                "b.sh": "#!/bin/sh\na=pip; b=install; c=huggingface-cli\n$a $b $c\n"})
    assert [item["code"] for item in run().json()["findings"]] == ["HC031", "HC031"]


def test_text_partly_known_at_run_time_next_to_an_installer_is_reviewed(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"setup.sh": '#!/bin/sh\nCMD="pip install $PKG"\necho x\neval "$CMD"\n'})
    assert [item["code"] for item in run().json()["findings"]] == ["HC042"]


def test_text_the_script_does_not_write_is_not_asked_about(repo: Repo, run: Any) -> None:
    # By decision, as for a remote installer: text from elsewhere that names no installer is not a question.
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({"setup.sh": '#!/bin/sh\neval "$(ssh-agent -s)"\nsh -c "$1"\nCMD="make build"\neval "$CMD"\n'})
    assert run().json()["findings"] == []


def test_a_ci_variable_run_by_a_step_is_read(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PYPROJECT})
    repo.stage({".github/workflows/ci.yml": "jobs:\n  t:\n    runs-on: x\n    env:\n      SETUP: pip install "
                "huggingface-cli\n    steps:\n      - run: eval \"$SETUP\"\n      - run: ${{ env.SETUP }}\n"})
    findings = run().json()["findings"]
    assert [(item["code"], item["line"]) for item in findings] == [("HC031", 5)]
    repo.commit()
    assert [item["code"] for item in run("--all-files").json()["findings"]] == ["HC031"]
