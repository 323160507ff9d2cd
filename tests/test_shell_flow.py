"""The data flow of a shell script, as far as its text tells (attack items B6/B7): requirements fed at run time
(standard input, a process substitution, a file the script writes first), shell text piped into a shell or
sourced, shell functions and aliases. Where the names are written in the script they are read as the
requirements; where they are not, the argument is undetermined (asked about or reviewed), never passed.
Commands that only mention an install (echo, git commit -m, a here-document written to a notes file) stay
quiet."""

from __future__ import annotations

import time

import pytest

from hallucheck.sources.install_commands import install_commands
from hallucheck.sources.install_files import installed_names
from hallucheck.sources.shell_output import printed

NAME = "fakepkg-zz"


def names(text: str) -> list[str]:
    return [argument.name for command in install_commands(text) for argument in command.arguments
            if argument.determined]


def undetermined(text: str) -> bool:
    return any(not argument.determined for command in install_commands(text) for argument in command.arguments)


@pytest.mark.parametrize("text", [
    f"pip install -r /dev/stdin <<EOF\n{NAME}\nEOF",
    f"pip install -r - <<'EOF'\n# comment\n{NAME}>=1 ; python_version >= '3'  # pinned\nEOF",
    f"uv pip install --requirements - <<< \"{NAME}\"",
    f"printf '{NAME}\\n' | pip install -r /dev/stdin",
    f"echo {NAME} | python -m pip install -r /dev/fd/0",
    f"python -m pip install -r <(printf \"{NAME}\")",
    f"pip install -r <(echo rich; echo {NAME})",
    f"cat > r.txt <<EOF\n{NAME}\nEOF\npip install -r r.txt",
    f"cat <<EOF > r.txt && pip install -r r.txt\n{NAME}\nEOF",
    f"echo {NAME} > r.txt\npip install -r r.txt",
    f"echo rich > r.txt; echo {NAME} >> r.txt; pip install -r ./r.txt",
    f"printf '%s\\n' rich {NAME} | tee r.txt >/dev/null && pip install -r r.txt",
    f"echo {NAME} > extra.txt; printf -- '-r extra.txt\\n' > r.txt; pip install -r r.txt",
    f"{{ echo rich; echo {NAME}; }} | pip install -r /dev/stdin",
    f"pip install -r /dev/stdin < r.txt <<EOF\n{NAME}\nEOF",
])
def test_requirements_written_in_the_script_are_read(text: str) -> None:
    assert NAME in names(text)


@pytest.mark.parametrize("text", [
    "cat r.txt | pip install -r /dev/stdin",
    "pip install -r <(curl -s https://example.com/r.txt)",
    "pip install -r /dev/stdin",
    "curl -s https://example.com/r.txt > r.txt && pip install -r r.txt",
    "{ echo rich; cat extra.txt; } > r.txt; pip install -r r.txt",
    "echo \"$PKG\" > r.txt; pip install -r r.txt",
    "for n in a b; do echo $n; done | pip install -r -",
    "pip install -r <(for n in a b; do echo $n; done)",
    "echo '${PKG}' > r.txt; pip install -r r.txt",
])
def test_requirements_known_only_at_run_time_are_undetermined(text: str) -> None:
    assert undetermined(text), text


def test_an_export_of_the_project_adds_nothing_and_a_file_from_disk_stays_a_disk_input() -> None:
    for text in ("poetry export -f requirements.txt > r.txt && pip install -r r.txt",
                 "uv export --no-hashes > r.txt; pip install -r r.txt", "pip freeze > r.txt; pip install -r r.txt"):
        [command] = install_commands(text)
        assert command.arguments == () and [item.path for item in command.inputs] == ["r.txt"], text
        assert command.inputs[0].written
    [command] = install_commands("pip install -r /dev/stdin < reqs/dev.txt")
    assert [item.path for item in command.inputs] == ["reqs/dev.txt"] and command.arguments == ()


@pytest.mark.parametrize("text", [
    f"echo 'pip install {NAME}' | sh",
    f"echo \"pip install {NAME}\" | bash -s",
    f"printf 'set -e\\npip install %s\\n' {NAME} | bash",
    f"cat <<'EOF' | sh -s\npip install {NAME}\nEOF",
    f"source <(echo pip install {NAME})",
    f". <(printf 'pip install {NAME}\\n')",
    f"bash <(echo pip install {NAME})",
    f"eval \"pip install {NAME}\"",
    f"echo 'pip install {NAME}' > step.sh && bash step.sh",
    f"cat > step.sh <<'EOF'\npip install {NAME}\nEOF\nsh -e ./step.sh",
    f"printf 'pip install {NAME}\\n' > step.sh; source step.sh",
])
def test_shell_text_piped_or_sourced_into_a_shell_is_read_as_a_script(text: str) -> None:
    assert names(text) == [NAME]


@pytest.mark.parametrize("text", [
    f"p() {{ pip \"$@\"; }}\np install {NAME}",
    f"p() {{ pip \"$@\"; }}; p install {NAME}",
    f"function p {{ python -m pip install \"$1\"; }}\np {NAME}",
    f"p() ( pip install ${{1}} )\np {NAME}",
    f"run() {{ \"$@\"; }}\nretry() {{ run \"$@\" || run \"$@\"; }}\nretry pip install {NAME}",
    f"inst() {{ pip install $*; }}; inst rich {NAME}",
    f"shopt -s expand_aliases\nalias p=pip\np install {NAME}",
    f"alias pi='pip install'\npi {NAME}",
    f"alias p=pip; alias q='p install'; q {NAME}",
    f"strace -f pip install {NAME}",
    f"parallel pip install ::: {NAME}",
    f"find . -maxdepth 0 -exec pip install {NAME} \\;",
])
def test_functions_aliases_and_wrappers_are_read_through(text: str) -> None:
    assert NAME in names(text)


def test_an_alias_or_function_that_wraps_its_own_name_is_read_once() -> None:
    assert names(f"alias pip='pip --no-cache-dir'\npip install {NAME}") == [NAME]
    assert names(f"pip() {{ command pip \"$@\"; }}\npip install {NAME}") == [NAME]
    assert not undetermined(f"alias pip='pip --no-cache-dir'\npip install {NAME}")
    assert names(f"f() {{ f \"$@\"; }}\nf pip install {NAME}") == [NAME]


def test_past_the_budget_a_call_that_may_install_is_undetermined() -> None:
    # Each function calls the one before twice: spelled out, 2**40 calls. The budget stops it, never passing it.
    levels = ["f0() { pip install \"$@\"; }"]
    levels += [f"f{index}() {{ f{index - 1} \"$@\"; f{index - 1} \"$@\"; }}" for index in range(1, 41)]
    text = "\n".join(levels) + f"\nf40 {NAME}\n"
    started = time.monotonic()
    found = install_commands(text)
    assert time.monotonic() - started < 10
    assert any(not argument.determined for command in found for argument in command.arguments)


def test_a_file_written_again_and_again_stays_bounded() -> None:
    lines = [f"echo {NAME} > a"] + ["cat a a > b; cat b b > a"] * 60 + ["pip install -r a"]
    started = time.monotonic()
    found = install_commands("\n".join(lines))
    assert time.monotonic() - started < 10
    assert any(not argument.determined for command in found for argument in command.arguments)


@pytest.mark.parametrize("text", [
    f"git commit -m \"pip install {NAME}\"",
    f"echo pip install {NAME}",
    f"echo 'pip install {NAME}' > notes.md",
    f"cat <<EOF > notes.md\npip install {NAME}\nEOF",
    f"printf 'pip install %s\\n' {NAME} >> CHANGELOG.md && git add CHANGELOG.md",
    f"grep -r 'pip install {NAME}' . | sort",
    f"echo 'pip install {NAME}' | grep pip",
    f"alias p=pip\necho p install {NAME}",
    f"p() {{ echo \"$@\"; }}; p pip install {NAME}",
    f"echo {NAME} > names.txt; pip install -r requirements.txt",
    "log() { echo \"[$(date)] $*\"; }\nlog pip install starts\npip install -r requirements.txt",
])
def test_commands_that_only_mention_an_install_stay_quiet(text: str) -> None:
    assert NAME not in names(text) and not undetermined(text), text


def test_names_are_placed_where_the_text_writes_them() -> None:
    text = f"#!/bin/sh\ncat > r.txt <<EOF\nrich\n{NAME}\nEOF\npip install -r r.txt\n"
    assert [(item.line, item.argument.name) for item in installed_names("setup.sh", text)] == [
        (3, "rich"), (4, NAME)]
    assert NAME in [item.argument.name for item in installed_names("setup.sh", text, {4})]
    assert installed_names("setup.sh", text, {1}) == []
    called = f"p() {{ pip \"$@\"; }}\n\np install {NAME}\n"
    assert [(item.line, item.argument.name) for item in installed_names("setup.sh", called)
            if item.argument.determined] == [(3, NAME)]


def test_the_same_shapes_are_read_in_ci_docker_and_make() -> None:
    workflow = (f"jobs:\n  t:\n    steps:\n      - run: |\n          cat > r.txt <<EOF\n          {NAME}\n"
                "          EOF\n          pip install -r r.txt\n")
    assert [item.argument.name for item in installed_names(".github/workflows/ci.yml", workflow)] == [NAME]
    docker = f"FROM python\nRUN printf '{NAME}\\n' | pip install -r /dev/stdin\n"
    assert [item.argument.name for item in installed_names("Dockerfile", docker)] == [NAME]
    make = f"setup:\n\techo 'pip install {NAME}' | sh\n"
    assert [item.argument.name for item in installed_names("Makefile", make)] == [NAME]


@pytest.mark.parametrize(("words", "expected"), [
    (["echo", "a", "b"], "a b\n"),
    (["echo", "-n", "a"], "a"),
    (["echo", "-e", "a\\nb"], "a\nb\n"),
    (["echo", "-E", "a\\nb"], "a\\nb\n"),
    (["printf", "%s\\n", "a", "b"], "a\nb\n"),
    (["printf", "x=%d%%\\n", "3"], "x=3%\n"),
    (["printf", "%b", "a\\tb"], "a\tb"),
    (["cat", "r.txt"], "x\n"),
    (["cat"], "in"),
    (["tee", "log"], "in"),
    (["true"], ""),
])
def test_what_simple_commands_print(words: list[str], expected: str) -> None:
    assert printed(words, "in", {"r.txt": "x\n"}) == expected


def test_what_is_not_known_is_none() -> None:
    assert printed(["cat", "other.txt"], None, {}) is None
    assert printed(["curl", "https://x"], None, {}) is None
    assert printed(["cat"], None, {}) is None
    assert printed(["printf", "%*d", "3", "4"], None, {}) is None
    assert printed(["echo", "x" * 70_000], None, {}) is None


@pytest.mark.parametrize("length", [2, 5, 8, 9, 10, 12, 50, 300])
@pytest.mark.parametrize("joiner", ["\n", "; "])
def test_a_chain_of_aliases_ending_in_an_install_is_never_passed(length: int, joiner: str) -> None:
    """Attack F11: a chain of ten aliases or more was read past its budget as running nothing; bash runs it to the
    install. Read through, the name is found; past the budget, it is undetermined (asked), never nothing."""
    aliases = [f"alias a{index}=a{index + 1}" for index in range(length - 1)]
    text = joiner.join(["shopt -s expand_aliases", *aliases, f"alias a{length - 1}='pip install {NAME}'", "a0"])
    assert NAME in names(text) or undetermined(text)
