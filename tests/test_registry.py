"""Online evidence from package indexes that the tests start on 127.0.0.1: devpi-server, pypiserver, a static
PEP 691 v1.4 index, a server that never answers and a port where nothing listens."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from hallucheck.check import Change, ChangedPythonFile, check
from hallucheck.cli import _registry
from hallucheck.config import Config, ConfigError, config_from_table
from hallucheck.evidence import registry
from hallucheck.evidence.registry import Client, Project
from hallucheck.findings import Finding, Severity
from hallucheck.snapshot import MemorySnapshot
from tests.conftest import Repo

if TYPE_CHECKING:
    from tests.index_servers import StaticIndex

pytest_plugins = ("tests.index_servers",)
pytestmark = pytest.mark.usefixtures("local_only")


def lookup(url: str, *names: str, **options: Any) -> registry.Answer:
    return Client(url, **options).lookup(list(names))


def changed(declared: str, added: str, code: str = "", config: Config | None = None,
            index: str | None = None, timeout: float = registry.TIMEOUT) -> list[Finding]:
    """The findings of a change that adds requirements ``added`` and the Python ``code``, asking ``index``."""
    base = MemorySnapshot({"requirements.txt": declared})
    target = MemorySnapshot({"requirements.txt": declared + added, "app.py": code})
    files = [ChangedPythonFile("app.py", frozenset(range(1, code.count("\n") + 1)), code.encode())] if code else []
    client = None if index is None else Client(index, timeout=timeout)
    return check(Change(base, target, files, config=config or Config(), registry=client)).findings


def by_name(findings: list[Finding]) -> dict[str, Finding]:
    return {item.distribution or item.module or item.code: item for item in findings}


# --- What each kind of index tells ---------------------------------------------------------------------------


def test_devpi_answers_in_pep691_json(devpi_index: str) -> None:
    answer = lookup(devpi_index, "tinypkg", "Other.Pkg", "emptyproj", "not-there")
    assert answer.failures == {}
    tinypkg = answer.projects["tinypkg"]
    assert (tinypkg.found, tinypkg.api, tinypkg.files, sorted(tinypkg.versions)) == (True, "json", 2, ["1.0", "1.1"])
    assert (tinypkg.first_upload, tinypkg.status, tinypkg.yanked_files) == (None, None, 0)
    assert answer.projects["other-pkg"].versions == ("0.3",)
    assert answer.projects["emptyproj"] == Project("emptyproj", True, files=0, api="json")
    assert answer.projects["not-there"] == Project("not-there", False)


def test_pypiserver_answers_in_pep503_html(pypiserver_index: str) -> None:
    answer = lookup(pypiserver_index, "HtmlPkg", "not-there")
    assert answer.failures == {}
    project = answer.projects["htmlpkg"]
    assert (project.found, project.api, project.files, sorted(project.versions)) == (True, "html", 3, ["1.0", "2.0"])
    assert project.first_upload is None
    assert answer.projects["not-there"].found is False


def test_pep700_upload_times_versions_and_pep792_status(static_index: StaticIndex) -> None:
    answer = lookup(static_index.url, "young-pkg", "old-pkg", "yanked-pkg", "quarantined-pkg", "archived-pkg",
                    "oldhtml")
    assert answer.failures == {}
    projects = answer.projects
    assert 2.9 < (answer.now - (projects["young-pkg"].first_upload or 0)) / 86400 < 3.1
    assert time.gmtime(projects["old-pkg"].first_upload)[:3] == (2019, 5, 1)
    assert (projects["old-pkg"].versions, projects["old-pkg"].versions_without_files) == (
        ("1.0", "1.1", "2.0", "2.1"), ("2.1",))
    assert projects["yanked-pkg"].all_yanked
    assert (projects["quarantined-pkg"].status, projects["quarantined-pkg"].status_reason) == (
        "quarantined", "malware report")
    html = projects["oldhtml"]
    assert (html.api, html.status, html.status_reason, html.yanked_files, html.versions) == (
        "html", "deprecated", "use newpkg", 1, ("1.0", "1.1"))


# --- Evidence and severities in the findings -----------------------------------------------------------------


def test_registry_evidence_in_findings_from_devpi(devpi_index: str) -> None:
    findings = changed("requests\n", "tinypkg\nemptyproj\nnot-there-pkg==1\n",
                       "import tinypkg\nimport ghost_module\nimport other_pkg\n", index=devpi_index)
    found = by_name(findings)
    assert found["tinypkg"].code == "HC004"  # the manifest line; the import is HC003
    assert f"On {devpi_index}: 2 releases (the index gives no upload times)." in found["tinypkg"].message
    assert (found["emptyproj"].code, found["emptyproj"].severity) == ("HC034", Severity.ERROR)
    assert found["emptyproj"].message.startswith(
        f"new dependency `emptyproj`: registered but has no files to install on {devpi_index}")
    assert (found["not-there-pkg"].code, found["not-there-pkg"].severity) == ("HC033", Severity.ERROR)
    assert found["not-there-pkg"].message.startswith(
        f"new dependency `not-there-pkg` (`not-there-pkg==1`) is not registered on {devpi_index}")
    assert f"No project `ghost-module` is registered on {devpi_index} either." in found["ghost_module"].message
    assert f"A project `other-pkg` exists on {devpi_index}: 1 release" in found["other_pkg"].message
    assert found["ghost_module"].code == found["other_pkg"].code == "HC001"
    [new_import] = [item for item in findings if item.code == "HC003"]
    assert new_import.message.endswith(f"On {devpi_index}: 2 releases (the index gives no upload times).")


def test_html_only_index_still_gives_existence_and_versions(pypiserver_index: str) -> None:
    found = by_name(changed("", "htmlpkg\nmissing-html-pkg\n", index=pypiserver_index))
    assert found["htmlpkg"].code == "HC004"
    assert f"On {pypiserver_index}: 2 releases (the index gives no upload times)." in found["htmlpkg"].message
    assert found["missing-html-pkg"].code == "HC033"


def test_thresholds_raise_a_young_project_to_an_error(static_index: StaticIndex) -> None:
    added = "young-pkg\nold-pkg\nyanked-pkg\nquarantined-pkg\narchived-pkg\noldhtml\n"
    found = by_name(changed("", added, index=static_index.url))
    young = found["young-pkg"]
    assert (young.code, young.severity) == ("HC034", Severity.ERROR)
    assert "first uploaded 3 days ago with 1 release" in young.message
    assert found["old-pkg"].code == "HC004"
    assert "first upload 2019-05-01 (" in found["old-pkg"].message
    assert "4 releases. 1 release(s) without files." in found["old-pkg"].message
    assert found["yanked-pkg"].code == "HC034" and "every file (2) is yanked" in found["yanked-pkg"].message
    assert found["quarantined-pkg"].code == "HC034"
    assert "quarantined by the index (malware report)" in found["quarantined-pkg"].message
    assert found["archived-pkg"].code == "HC004" and "Project status: archived." in found["archived-pkg"].message
    assert found["oldhtml"].code == "HC004" and "Project status: deprecated (use newpkg)." in found["oldhtml"].message
    relaxed = config_from_table({"new-project-days": 2, "new-project-releases": 1}, "pyproject.toml")
    assert by_name(changed("", "young-pkg\n", config=relaxed, index=static_index.url))["young-pkg"].code == "HC004"
    strict = config_from_table({"new-project-days": 10000, "new-project-releases": 5}, "pyproject.toml")
    assert by_name(changed("", "old-pkg\n", config=strict, index=static_index.url))["old-pkg"].code == "HC034"


def test_offline_errors_keep_their_code_and_gain_index_evidence(devpi_index: str) -> None:
    found = by_name(changed("", "reqeusts\n", index=devpi_index))
    assert found["reqeusts"].code == "HC030"
    assert found["reqeusts"].message.endswith(f"Did you mean `requests`? Not registered on {devpi_index}.")


def test_approved_and_url_dependencies_are_not_escalated(devpi_index: str) -> None:
    found = by_name(changed("", "not-there-pkg\n", config=Config(approved={"not-there-pkg": "not-there-pkg"}),
                            index=devpi_index))
    # Approved: the registry's "not registered" does not escalate it, and the approval clears the review.
    assert "not-there-pkg" not in found
    direct = changed("", "private-pkg @ https://files.example.invalid/private_pkg-1.0-py3-none-any.whl\n",
                     index=devpi_index)
    assert [(item.code, item.message.count("registered")) for item in direct] == [("HC004", 0)]


# --- Failures: warnings, never crashes, never hangs --------------------------------------------------------


def test_unreachable_index_is_a_warning(closed_index: str) -> None:
    findings = changed("", "tinypkg\n", "import ghost_module\n", index=closed_index)
    assert [(item.code, item.severity) for item in findings] == [
        ("HC035", Severity.WARNING), ("HC001", Severity.ERROR), ("HC004", Severity.REVIEW)]
    warning = findings[0]
    assert (warning.path, warning.line) == ("app.py", 1)  # at the first finding it leaves without evidence
    assert warning.message.startswith(f"could not query the package index {closed_index} (")
    assert "refused" in warning.message.lower()
    assert warning.message.endswith("no registry evidence for `ghost-module`, `tinypkg`")
    assert findings == changed("", "tinypkg\n", "import ghost_module\n", index=closed_index)  # stable
    offline = changed("", "tinypkg\n", "import ghost_module\n")
    assert [item for item in findings if item.code != "HC035"] == offline


def test_a_silent_index_times_out_within_the_budget_in_parallel(silent_index: str) -> None:
    names = [f"name-{number}" for number in range(20)]  # more than the worker threads
    start = time.monotonic()
    answer = lookup(silent_index, *names, timeout=1.0)
    elapsed = time.monotonic() - start
    assert elapsed < 2.0
    assert answer.projects == {}
    assert set(answer.failures.values()) == {"timed out after 1 s"}
    assert set(answer.failures) == set(names)


def test_page_parsing_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match=r"simple API version 2\.0 is not supported"):
        registry.parse_json("x", b'{"meta": {"api-version": "2.0"}, "name": "x", "files": []}')
    with pytest.raises(ValueError, match="not a PEP 691 project page"):
        registry.parse_json("x", b'["not", "a", "page"]')
    empty = registry.parse_html("x", b"<html><body>no links</body></html>")
    assert (empty.found, empty.files, empty.versions, empty.api) == (True, 0, (), "html")


def test_config_keys_are_validated() -> None:
    with pytest.raises(ConfigError, match=r"online: must be a boolean"):
        config_from_table({"online": "yes"}, "pyproject.toml")
    config = config_from_table({"online": True, "index-url": "https://mirror.invalid/simple",
                                "new-project-days": 7, "new-project-releases": 2}, "pyproject.toml")
    assert (config.online, config.index_url, config.new_project_days, config.new_project_releases) == (
        True, "https://mirror.invalid/simple", 7, 2)
    assert registry.index_url(config.index_url)[0] == "https://mirror.invalid/simple"


def test_unsupported_index_url_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    answer = lookup(tmp_path.as_uri(), "anything")
    assert answer.failures == {"anything": "only http:// and https:// indexes can be queried"}


def test_server_error_is_reported(static_index: StaticIndex) -> None:
    answer = lookup(static_index.url.replace("/simple/", "/elsewhere/"), "old-pkg")
    assert answer.projects["old-pkg"].found is False  # a 404 from the wrong path reads as "not registered"


# --- Cache ------------------------------------------------------------------------------------------------


def test_answers_are_cached_in_the_user_cache_directory(static_index: StaticIndex, tmp_path: Path) -> None:
    cache = registry.default_cache_dir()
    assert cache == str(tmp_path / "cache" / "hallucheck" / "registry")  # XDG_CACHE_HOME is honoured
    before = len(static_index.requests)
    first = lookup(static_index.url, "old-pkg", "nowhere-pkg", cache_dir=cache)
    assert len(static_index.requests) == before + 2
    second = lookup(static_index.url, "old-pkg", "nowhere-pkg", cache_dir=cache)
    assert len(static_index.requests) == before + 2  # nothing asked again
    assert second.projects == first.projects
    stale = lookup(static_index.url, "old-pkg", cache_dir=cache, ttl=0.0)
    assert len(static_index.requests) == before + 3 and stale.projects["old-pkg"] == first.projects["old-pkg"]
    lookup(static_index.url, "nowhere-pkg", cache_dir=cache, missing_ttl=0.0)
    assert len(static_index.requests) == before + 4
    [entry] = [path for path in Path(cache).rglob("old-pkg.json")]
    assert json.loads(entry.read_text())["project"]["name"] == "old-pkg"


def test_a_corrupt_or_unwritable_cache_is_ignored(static_index: StaticIndex, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    lookup(static_index.url, "old-pkg", cache_dir=str(cache))
    for entry in cache.rglob("*.json"):
        entry.write_text("{not json")
    assert lookup(static_index.url, "old-pkg", cache_dir=str(cache)).projects["old-pkg"].found
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert lookup(static_index.url, "old-pkg", cache_dir=str(blocker / "sub")).projects["old-pkg"].found


def test_failures_are_not_cached(closed_index: str, tmp_path: Path) -> None:
    lookup(closed_index, "tinypkg", cache_dir=str(tmp_path / "c"))
    assert not list((tmp_path / "c").rglob("*.json"))


# --- The command line and where the index is ------------------------------------------------------------


def test_online_is_opt_in(repo: Repo, run: Any, static_index: StaticIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", static_index.url)
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nyoung-pkg\n"})
    before = len(static_index.requests)
    offline = run()
    assert (offline.code, offline.codes()) == (1, ["HC004"])
    assert len(static_index.requests) == before
    online = run("--online")
    assert (online.code, online.codes()) == (1, ["HC034"])
    assert static_index.requests[before:] == ["/simple/young-pkg/"]
    assert run("--online", "--offline").code == 2


def test_online_against_an_unreachable_index_warns(repo: Repo, run: Any, closed_index: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", closed_index)
    repo.commit({"requirements.txt": "requests\n"})
    repo.stage({"requirements.txt": "requests\nyoung-pkg\n"})
    outcome = run("--online")
    assert (outcome.code, outcome.codes()) == (1, ["HC004", "HC035"])
    assert "HC035 [warning] could not query the package index" in run("--online", json_output=False).out


def test_config_turns_online_on_and_the_flag_wins() -> None:
    assert _registry(None, Config()) is None
    assert isinstance(_registry(None, config_from_table({"online": True}, "pyproject.toml")), Client)
    assert _registry(False, Config(online=True)) is None
    assert isinstance(_registry(True, Config()), Client)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_index_url_precedence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    environ = {"HOME": str(home), "XDG_CONFIG_DIRS": str(tmp_path / "etc"), "XDG_CONFIG_HOME": str(home / ".config")}
    assert registry.index_url(None, environ) == (registry.PYPI_SIMPLE, "default (PyPI)")
    write(tmp_path / "etc" / "pip" / "pip.conf", "[global]\nindex-url = https://global.invalid/simple\n")
    assert registry.index_url(None, environ)[0] == "https://global.invalid/simple"
    user = write(home / ".config" / "pip" / "pip.conf", "[global]\nindex_url = https://user.invalid/simple\n")
    assert registry.index_url(None, environ) == ("https://user.invalid/simple", f"pip configuration {user}")
    write(home / ".pip" / "pip.conf", "[install]\nindex-url = https://legacy-install.invalid/simple\n")
    assert registry.index_url(None, environ)[0] == "https://legacy-install.invalid/simple"  # [install] wins
    venv = write(tmp_path / "venv" / "pip.conf", "[install]\nindex-url = https://venv.invalid/simple\n")
    assert registry.index_url(None, {**environ, "VIRTUAL_ENV": str(venv.parent)})[0] == "https://venv.invalid/simple"
    explicit = write(tmp_path / "explicit.conf", "[global]\nindex-url = https://explicit.invalid/simple\n")
    with_file = {**environ, "PIP_CONFIG_FILE": str(explicit)}
    # The user's files are skipped (their [install] would win otherwise), and PIP_CONFIG_FILE comes last.
    assert registry.index_url(None, with_file) == ("https://explicit.invalid/simple", f"pip configuration {explicit}")
    assert registry.index_url(None, {**environ, "PIP_CONFIG_FILE": os.devnull}) == (
        registry.PYPI_SIMPLE, "default (PyPI)")
    write(home / ".config" / "pip" / "pip.conf", "[global\nbroken")
    assert registry.index_url(None, environ)[0] == "https://legacy-install.invalid/simple"  # a broken file is skipped
    with_env = {**environ, "PIP_INDEX_URL": "https://env.invalid/simple"}
    assert registry.index_url(None, with_env) == ("https://env.invalid/simple", "PIP_INDEX_URL")
    assert registry.index_url("https://config.invalid/simple", with_env) == (
        "https://config.invalid/simple", "[tool.hallucheck] index-url")


def test_credentials_are_sent_but_never_shown(static_index: StaticIndex) -> None:
    private = static_index.url.replace("/simple/", "/private/simple/")
    client = Client(private.replace("http://", "http://user:s3cret@"))
    assert client.index == private.replace("http://", "http://user:***@")
    answer = client.lookup(["old-pkg"])
    assert answer.projects["old-pkg"].found and answer.index == client.index
    assert "s3cret" not in repr(answer)
    refused = lookup(private.replace("http://", "http://user:wrong@"), "old-pkg")
    assert refused.failures == {"old-pkg": "HTTP 401 Unauthorized"}
    findings = changed("", "old-pkg\n", index=private.replace("http://", "http://user:wrong@"))
    assert ":wrong@" not in repr(findings) and "user:***@" in findings[-1].message


def test_pypi_itself_is_not_asked_about_popular_names() -> None:
    class Recorder:
        is_pypi = True

        def __init__(self) -> None:
            self.asked: list[str] = []

        def lookup(self, names: Sequence[str]) -> registry.Answer:
            self.asked.extend(names)
            return registry.Answer("https://pypi.org/simple/", now=time.time(), is_pypi=True)

    recorder = Recorder()
    base = MemorySnapshot({"requirements.txt": ""})
    target = MemorySnapshot({"requirements.txt": "requests\nsome-new-pkg\n"})
    check(Change(base, target, [], registry=recorder))
    assert recorder.asked == ["some-new-pkg"]
    assert Client("https://pypi.org/simple").is_pypi and not Client("https://mirror.invalid/simple").is_pypi
