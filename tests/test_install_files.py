"""Where install commands are written: docs, scripts, Dockerfiles, CI, Makefiles, tox, nox, agent files."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hallucheck.sources.install_files import (
    KINDS,
    file_kind,
    installed_names,
    is_agent_rules,
    is_shell_script,
    text_kind,
)


def found(path: str, text: str, lines: set[int] | None = None) -> list[tuple[int, int, str]]:
    return [(item.line, item.column, item.argument.name) for item in installed_names(path, text, lines)]


def found_names(path: str, text: str, lines: set[int] | None = None) -> list[str]:
    return [name for *_, name in found(path, text, lines)]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("README.md", "markdown"), ("docs/guide.rst", "rst"), ("AGENTS.md", "markdown"), ("CLAUDE.md", "markdown"),
        (".cursorrules", "text"), (".windsurfrules", "text"), ("notes.txt", "text"), ("README", "text"),
        ("Dockerfile", "dockerfile"), ("docker/Dockerfile.dev", "dockerfile"), ("app.dockerfile", "dockerfile"),
        ("Containerfile", "dockerfile"), ("scripts/setup.sh", "shell"), ("x.bash", "shell"),
        (".github/workflows/ci.yml", "yaml"), (".gitlab-ci.yml", "yaml"), ("Makefile", "makefile"),
        ("rules.mk", "makefile"), ("justfile", "makefile"), ("tox.ini", "tox"), ("noxfile.py", "nox"),
        ("docs/a.qmd", "markdown"), ("vignettes/a.Rmd", "markdown"), ("docs/a.adoc", "asciidoc"),
        (".devcontainer/devcontainer.json", "devcontainer"), ("Procfile", "procfile"), ("Jenkinsfile", "jenkinsfile"),
        ("pyproject.toml", "toml-tasks"), ("netlify.toml", "toml-tasks"), ("pixi.toml", "toml-tasks"),
        ("tox.toml", "toml-tasks"), (".envrc", "shell"), ("sub/.envrc", "shell"), (".gitpod.yml", "gitpod"),
        (".claude/settings.json", "agent-settings"), ("a/.claude/settings.local.json", "agent-settings"),
        (".cursor/hooks.json", "agent-settings"), (".gemini/settings.json", "agent-settings"),
        (".vscode/tasks.json", "vscode-tasks"), (".vscode/settings.json", None), ("claude/settings.json", None),
        ("app.py", "python"), ("setup.cfg", None), ("data.json", None), ("LICENSE", None),
    ],
)  # fmt: skip
def test_file_kinds(path: str, kind: str | None) -> None:
    assert file_kind(path) == kind
    assert kind is None or kind in KINDS


def test_notebooks_and_agent_rules() -> None:
    assert text_kind("analysis/nb.ipynb") == "notebook"
    assert is_agent_rules(".cursorrules") and is_agent_rules(".cursor/rules/python.mdc")
    assert not is_agent_rules("README.md")


def test_dockerfile_run_with_continuations_and_chains() -> None:
    text = (
        "FROM python:3.12\n"
        "RUN apt-get update && \\\n"
        "    # a comment inside the instruction\n"
        "    pip install cryptoutils reqeusts \\\n"
        "      && rm -rf /root/.cache\n"
        'RUN ["pip", "install", "jsonform"]\n'
        "RUN --mount=type=cache,target=/root/.cache pip install cached\n"
        "CMD pip install run-in-every-container\n"
        "ENV PIP=pip\n"
    )
    assert found("Dockerfile", text) == [(4, 17, "cryptoutils"), (4, 29, "reqeusts"), (6, 25, "jsonform"),
                                         (7, 56, "cached"), (8, 17, "run-in-every-container")]  # fmt: skip


def test_dockerfile_commands_that_run_in_every_container() -> None:
    # Attack B8: CMD, ENTRYPOINT and HEALTHCHECK CMD run in every container started from the image, in shell
    # form or exec form (`sh -c SCRIPT` is the script); an exec-form CMD is the ENTRYPOINT's arguments.
    assert found_names("Dockerfile", "FROM python\nCMD pip install dka && python app.py\n") == ["dka"]
    assert found_names("Dockerfile", 'FROM python\nENTRYPOINT ["sh","-c","pip install dkb && python app.py"]\n') == [
        "dkb"]
    assert found_names("Dockerfile", "FROM python\nHEALTHCHECK CMD pip install dkc\n") == ["dkc"]
    health = 'FROM python\nhealthcheck --interval=5s --retries=3 CMD ["pip", "install", "dkd"]\n'
    assert found_names("Dockerfile", health) == ["dkd"]
    assert found_names("Dockerfile", "FROM python\nONBUILD CMD pip install dke\n") == ["dke"]
    assert found_names("Dockerfile", 'FROM python\nENTRYPOINT ["pip"]\nCMD ["install", "dkf"]\n') == ["dkf"]
    assert found_names("Dockerfile", 'FROM python\nENTRYPOINT pip\nCMD ["install", "dkg"]\n') == []  # CMD ignored
    assert found_names("Dockerfile", 'FROM python\nENTRYPOINT ["pip"]\nFROM x\nCMD ["install", "dkh"]\n') == []
    assert found_names("Dockerfile", "FROM python\nHEALTHCHECK NONE\nCMD python -m pipx_is_not_it\n") == []


def test_dockerfile_here_documents_that_write_requirements() -> None:
    # Attack B8: `COPY <<EOF /r.txt` writes a file; one a command installs from (or named like requirements)
    # is read as a requirements file, where its lines are written.
    text = "FROM python\nCOPY <<EOF /r.txt\n# pinned\ndkr1==1.0\n-r other.txt\ndkr2 ; python_version > '3'\nEOF\n"
    assert found("Dockerfile", text + "RUN pip install -r /r.txt\n") == [(4, 1, "dkr1"), (6, 1, "dkr2")]
    assert found_names("Dockerfile", text + "RUN pip install -r /r.txt\n", {4}) == ["dkr1"]
    assert found_names("Dockerfile", text + "RUN pip install -r /r.txt\n", {9}) == []  # only the line added
    assert found_names("Dockerfile", text + "RUN echo hi && pip install flask\n") == ["flask"]  # not installed
    many = "FROM python\nCOPY <<req.txt <<notes /app/\ndkr3\nreq.txt\nnot-a-package\nnotes\nRUN pip install -r x\n"
    assert found_names("Dockerfile", many) == ["dkr3"]
    named = "FROM python\nWORKDIR /app\nCOPY <<EOF requirements-dev.txt\ndkr4\nEOF\nRUN pip install flask\n"
    assert sorted(found_names("Dockerfile", named)) == ["dkr4", "flask"]


def test_dockerfile_an_added_continuation_line_counts() -> None:
    text = "FROM python\nRUN pip install a \\\n  evil\n"
    assert found_names("Dockerfile", text, {3}) == ["a", "evil"]
    assert found_names("Dockerfile", text, {1}) == []


def test_dockerfile_heredoc_and_escape_directive() -> None:
    text = "# escape=`\nFROM python\nRUN pip install a `\n  b\nRUN <<EOF\npip install heredoc\nEOF\n"
    assert found_names("Dockerfile", text) == ["a", "b", "heredoc"]


def test_markdown_code_but_not_prose() -> None:
    text = (
        "# Title\n"
        "You can pip install it like any package.\n"
        "Run `pip install huggingface-cli` first.\n"
        "\n"
        "```bash\n"
        "$ pip install a \\\n"
        "    b\n"
        "```\n"
        "\n"
        "    pip install indented\n"
        "\n"
        "> $ pip install quoted\n"
        "- `uv add listed`\n"
        "~~~\n"
        "pip install tilde\n"
        "~~~\n"
    )
    assert found("README.md", text) == [
        (3, 18, "huggingface-cli"), (6, 15, "a"), (7, 5, "b"), (10, 17, "indented"), (12, 17, "quoted"),
        (13, 11, "listed"), (15, 13, "tilde"),
    ]  # fmt: skip


def test_markdown_only_added_lines() -> None:
    text = "`pip install old`\n`pip install new`\n"
    assert found_names("README.md", text, {2}) == ["new"]
    assert found_names("README.md", text, {3}) == []


def test_the_body_of_an_indented_rst_directive_is_prose() -> None:
    """sqlalchemy's changelog: `    .. change::` (a directive, indented) ends in `::` but starts no literal block,
    so its prose after an inline literal (``pip install sqlalchemy[asyncio]`` which will then ...) names nothing
    more (it was HC030 `will` ~ `dill`)."""
    text = (".. changelog::\n\n    .. change::\n        :tags: bug\n\n        The extra may be included by\n"
            "        running ``pip install sqlalchemy[asyncio]`` which will then attempt to\n"
            "        build it. Or::\n\n            pip install rstd\n")
    assert found_names("doc/changelog.rst", text) == ["sqlalchemy", "rstd"]


def test_rst_literal_blocks_and_code() -> None:
    text = (
        "Install\n=======\n\n.. code-block:: bash\n\n   pip install rsta\n\n"
        "Use ``pip install rstb`` or::\n\n    $ pip install rstc\n"
    )
    assert found_names("docs/index.rst", text) == ["rsta", "rstb", "rstc"]


def test_agent_rules_plain_text_lines_that_start_with_an_installer() -> None:
    text = "Always run tests.\n- pip install bullet\nUse `uv add spanpkg`.\nThe pip install step is slow.\n"
    assert found_names(".cursorrules", text) == ["bullet", "spanpkg"]


def test_github_and_gitlab_ci() -> None:
    text = (
        "jobs:\n"
        "  test:\n"
        "    steps:\n"
        "      - name: pip install deps\n"
        "        run: uv pip install flask-permissions\n"
        "      - run: |\n"
        "          python -m pip install -U pip\n"
        "          pip install blocky\n"
        "      - run: >\n"
        "          pip install\n"
        "          folded\n"
        "      - uses: actions/setup-python@v5\n"
        "        with:\n"
        "          python-version: '3.12'\n"
        "    env:\n"
        "      PIP: pip install fake-env\n"
        "script:\n"
        "  - pip install gitlab\n"
        '  - "pip install quoted"\n'
        "before_script:\n"
        "- pip install same-indent\n"
        'command: ["pip", "install", "exec-form"]\n'
    )
    assert found_names(".github/workflows/ci.yml", text) == [
        "flask-permissions", "pip", "blocky", "folded", "gitlab", "quoted", "same-indent", "exec-form",
    ]  # fmt: skip


def test_makefile_recipes_and_variables() -> None:
    text = (
        "PIP := .venv/bin/pip\n"
        "install:\n"
        "\t@$(PIP) install mk1 \\\n"
        "\t  mk2\n"
        "\t$(PYTHON) -m pip install mk3\n"
        "\t-pip install $(EXTRA)\n"
        "\techo $$HOME\n"
    )
    assert found("Makefile", text) == [(3, 18, "mk1"), (4, 4, "mk2"), (5, 27, "mk3"), (6, 15, "$(EXTRA)")]
    assert [item.argument.determined for item in installed_names("Makefile", text)] == [True, True, True, False]


def test_makefile_recipe_prefixes_defines_and_shell_calls() -> None:
    # GNU make: `@`, `-`, `+` in any mix (and blanks) start a recipe line; `.RECIPEPREFIX` replaces the tab;
    # a `define` body is recipe text; `$(shell ...)` (nested parentheses) and `!=` run when make reads the file.
    text = (
        "all:\n\t-pip install mka\n\t@-pip install mkb\n\t- @ +pip install mkc\n"
        ".RECIPEPREFIX = >\nb:\n> pip install mkd \\\n> mke\n"
        "define SETUP\n\t@-uv pip install mkf\nendef\n"
        "X := $(shell pip install mkg $(if $(Y),a,b))\nZ != pip install mkh\n"
    )
    assert found_names("Makefile", text) == ["mka", "mkb", "mkc", "mkd", "mke", "mkf", "mkg", "mkh"]
    assert found_names("Makefile", ".RECIPEPREFIX := $(P)\nall:\n>pip install mki\n") == ["mki"]
    assert found_names("Makefile", "all:\n\t-pip install mkj\n", {2}) == ["mkj"]  # `-pip` may install
    assert found_names("Makefile", "x:\n\techo pip-tools-x\n\t-pipe install y\n") == []


def _chain(levels: int, *, doubling: bool = False) -> str:
    body = "".join(f"A{i} = $(A{i - 1})" + (f" && $(A{i - 1})" if doubling else "") + "\n"
                   for i in range(1, levels + 1))
    return f"A0 = pip install mkz\n{body}all:\n\t$(A{levels})\n"


def test_makefile_variables_expand_recursively_and_past_the_budget_are_undetermined() -> None:
    # GNU make expands references recursively: a chain of 10 plain references is ordinary (attack B14: past 3
    # levels the recipe read as installing nothing). Past the depth or size budget, or through a make function
    # of installer text, the recipe is known only when make runs: undetermined (HC042), never a pass.
    def outcome(text: str) -> set[tuple[str, bool]]:
        return {(item.argument.name, item.argument.determined) for item in installed_names("Makefile", text)}

    for levels in (4, 10, 17, 40):
        assert outcome(_chain(levels)) == {("mkz", True)}, levels
    assert outcome(_chain(4, doubling=True)) == {("mkz", True)}
    for text in (_chain(200), _chain(20, doubling=True), _chain(40, doubling=True)):
        assert [determined for _, determined in outcome(text)] == [False]
    assert outcome("A = $(B) pip install x\nB = $(A)\nall:\n\t$(A)\n") == {("$(A)", False)}  # make: an error
    assert outcome("X = FOO\nFOO_CMD = pip install mky\nall:\n\t$($(X)_CMD)\n") == {("mky", True)}
    assert outcome("all:\n\t$(subst a,b,pip install mkx)\n") == {("$(subst a,b,pip install mkx)", False)}
    assert outcome("I = pip install $(1)\nall:\n\t$(call I,mkw)\n") == {("$(call I,mkw)", False)}
    assert outcome("all:\n\techo $(subst a,b,hello) $(strip $(X))\n") == set()  # nothing that installs
    # `X := $(X) more` is the old value (langgraph's XDIST_ARGS), not a cycle; doubled past the budget, unknown
    assert outcome("X := pip install mkv\nX := $(X) mku\nall:\n\t$(X)\n") == {("mkv", True), ("mku", True)}
    assert outcome("X := pip install mkt\n" + "X := $(X) $(X)\n" * 40 + "all:\n\t$(X)\n") == {("$(X)", False)}
    assert outcome("X := -n 2\nX := $(if $(W),-x $(X),)\nall:\n\tuv run pytest $(X)\n") == set()


def test_yaml_aliases_and_merge_keys_run_where_they_are_written() -> None:
    text = 'x: &a "pip install ya"\non: push\njobs:\n  a:\n    steps:\n      - run: *a\n'
    assert found("ci.yml", text) == [(6, 26, "ya")]  # once, where the alias runs it
    assert found("ci.yml", text, {6}) == [(6, 26, "ya")] and found("ci.yml", text, {1}) == [(1, 17, "ya")]
    merged = ".base: &base\n  script: pip install yb\njob:\n  <<: *base\n"
    assert found_names("ci.yml", merged, {4}) == ["yb"] and found_names("ci.yml", merged, {2}) == ["yb"]
    again = 'x: &a "echo"\ny: &a "pip install yc"\nsteps:\n  - run: *a\n'  # an anchor defined again
    assert found_names("ci.yml", again) == ["yc"]
    bomb = "a: &a [pip install yd, pip install yd]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)) + "run: *u\n"
    assert set(found_names("ci.yml", bomb)) == {"yd"}


def test_github_expressions_are_matrix_values_or_unknown_never_names() -> None:
    matrix = ("jobs:\n  t:\n    strategy:\n      matrix:\n        p: [requests, mxa]\n        include:\n"
              "          - p: mxb\n    steps:\n      - run: pip install ${{ matrix.p }}\n")
    assert found_names("ci.yml", matrix) == ["requests", "mxa", "mxb"]
    versions = ('jobs:\n  t:\n    strategy:\n      matrix:\n        django: ["4.2", "5.0"]\n    steps:\n'
                '      - run: pip install "django~=${{ matrix.django }}.0" pytest\n')
    assert found_names("ci.yml", versions) == ["django", "pytest", "django"]
    unknown = "jobs:\n  t:\n    steps:\n      - run: pip install ${{ matrix.p }} ${{ inputs.extra }}\n"
    assert [item.argument.determined for item in installed_names("ci.yml", unknown)] == [False, False]
    computed = ("jobs:\n  t:\n    strategy:\n      matrix: ${{ fromJSON(needs.a.outputs.m) }}\n    steps:\n"
                "      - run: pip install ${{ matrix.p }}\n")
    assert [item.argument.determined for item in installed_names("ci.yml", computed)] == [False]


def test_shell_scripts_known_by_their_shebang() -> None:
    for shebang in ("#!/bin/bash", "#!/usr/bin/env bash", "#! /bin/sh -e", "#!/usr/bin/env -S bash -e", "#!/bin/dash",
                    "#!/usr/bin/env -u X zsh"):
        assert is_shell_script(shebang + "\npip install x\n"), shebang
        assert found_names("scripts/setup", f"{shebang}\npip install sba\n") == ["sba"]
    for other in ("#!/usr/bin/env python3", "#!/usr/bin/perl", "pip install x", "", "#!"):
        assert not is_shell_script(other + "\n"), other
    assert found_names("LICENSE", "pip install nothing\n") == []


def test_html_code_in_markdown_quarto_r_markdown_and_asciidoc() -> None:
    assert found_names("README.md", "# x\n\n<pre>pip install ha</pre>\n") == ["ha"]
    assert found_names("README.md", "Run <code>pip\ninstall hb</code> now.\n") == ["hb"]
    assert found_names("README.md", '<pre><code class="language-bash">pip install hc &amp;&amp; \\\n  uv add hd\n'
                                    "</code></pre>\n") == ["hc", "hd"]
    # A tag in a code span is text; an inline tag ends with its paragraph.
    assert found_names("README.md", "Use `<code>` tags.\n\npip install prose\n") == []
    assert found_names("README.md", "A <code>x\n\npip install prose\n") == []
    assert found_names("docs/x.qmd", "```{bash}\npip install qa\n```\n") == ["qa"]
    assert found_names("x.Rmd", "```{python}\n!pip install qb\n```\n") == ["qb"]
    assert found_names("docs/x.adoc", "[source,bash]\n----\npip install qc\n----\n\nRun `pip install qd`.\n") == [
        "qc", "qd"]


def test_ci_and_tool_files_where_install_commands_also_live() -> None:
    assert found_names("azure-pipelines.yml", "steps:\n- script: pip install az1\n- bash: pip install az2\n") == [
        "az1", "az2"]
    assert found_names(".readthedocs.yaml", "build:\n  jobs:\n    post_install:\n      - pip install rtd1\n"
                                            "    pre_build:\n      - uv pip install rtd2\n") == ["rtd1", "rtd2"]
    assert found_names("cloudbuild.yaml", 'steps:\n- name: python\n  entrypoint: pip\n  args: ["install", "cb1"]\n'
                                          "- name: python\n  entrypoint: bash\n  args:\n  - -c\n  - pip install cb2\n"
                       ) == ["cb1", "cb2"]
    devcontainer = ('{\n  // "postCreateCommand": "pip install commented-out"\n'
                    '  "postCreateCommand": "pip install dc1",\n'
                    '  "onCreateCommand": ["pip", "install", "dc2"],\n'
                    '  "postStartCommand": {"a": "uv add dc3", "b": ["pipx", "install", "dc4"]},\n}\n')
    assert sorted(found(".devcontainer/devcontainer.json", devcontainer)) == [
        (3, 37, "dc1"), (4, 42, "dc2"), (5, 37, "dc3"), (5, 69, "dc4")]
    assert found_names(".devcontainer.json", '{"postCreateCommand": "pip install dc5"\n broken') == ["dc5"]
    assert found_names("Procfile", "web: gunicorn app\nrelease: pip install pf1 && python manage.py migrate\n") == [
        "pf1"]
    assert found_names("netlify.toml", '[build]\ncommand = "pip install nt1 && mkdocs build"\n'
                                       '[context.production]\ncommand = "pip install nt2"\n') == ["nt1", "nt2"]


def test_pyproject_task_runners() -> None:
    text = (
        '[project]\nname = "a"\ndependencies = ["pip"]\n'
        '[tool.poe.tasks]\nsetup = "pip install pt1"\nb = {cmd = "uv add pt2"}\nc = {shell = "pip install pt3 && x"}\n'
        'd = {sequence = ["setup", "pip install pt4"]}\n'
        '[tool.pdm.scripts]\ne = {cmd = ["pip", "install", "pt5"]}\nf = {composite = ["pip install pt6"]}\n'
        '[tool.hatch.envs.default]\npost-install-commands = ["pip install pt7"]\n'
        '[tool.hatch.envs.default.scripts]\ng = ["pip install pt8", "pytest"]\n'
        '[tool.rye.scripts]\nh = "pip install pt9"\n[tool.taskipy.tasks]\ni = "pip install pt10"\n'
    )
    assert sorted(found_names("pyproject.toml", text)) == sorted(f"pt{i}" for i in range(1, 11))
    assert found("pyproject.toml", text, {13}) == [(13, 39, "pt7")]  # placed where written, tables in any order
    assert found_names("pyproject.toml", '[project]\nname = "a"\ndependencies = ["pip", "uv"]\n') == []


def test_jenkinsfile_shell_steps() -> None:
    text = (
        'pipeline {\n  stages {\n    stage("x") {\n      steps {\n        sh "pip install jk1"\n'
        "        sh(script: 'pip install jk2', returnStdout: true)\n"
        "        sh \'\'\'\n          set -e\n          pip install jk3 \\\\\n            jk4\n        \'\'\'\n"
        '        sh "pip install ${env.PKG}"\n        echo "sh pip install not-a-step"\n      }\n    }\n  }\n}\n'
    )
    assert found_names("Jenkinsfile", text) == ["jk1", "jk2", "jk3", "jk4", "${env.PKG}"]
    assert [item.argument.determined for item in installed_names("Jenkinsfile", text)][-1] is False


def test_files_that_run_commands_on_their_own() -> None:
    """Coding agents' hooks (Claude Code, Cursor, Gemini CLI), direnv's .envrc, Gitpod tasks and VS Code tasks run
    commands for everyone who opens the repository (attack B1)."""
    claude = ('{\n  // the team hooks\n  "hooks": {\n    "SessionStart": [{"hooks": [{"type": "command",\n'
              '      "command": "pip install cl1"}]}],\n    "PostToolUse": [{"matcher": "Edit", "hooks": [\n'
              '      {"type": "command", "command": "uv pip install cl2 && ruff format"},\n    ]}],\n  },\n'
              '  "statusLine": {"type": "command", "command": "pipx run cl3"},\n'
              '  "apiKeyHelper": "pip install cl4 >/dev/null; get-key",\n'
              '  "permissions": {"allow": ["Bash(pip install not-run:*)"]},\n}\n')
    assert sorted(found(".claude/settings.json", claude)) == [
        (5, 31, "cl1"), (7, 54, "cl2"), (10, 58, "cl3"), (11, 32, "cl4")]
    assert found(".claude/settings.json", claude, {7}) == [(7, 54, "cl2")]
    unclosed = '{"hooks": {"Stop": [{"hooks": [{"command": "pip install c5"'
    assert found_names(".claude/settings.local.json", unclosed) == ["c5"]  # not JSON: each "command" written is read
    assert found_names(".cursor/hooks.json", '{"version": 1, "hooks": {"afterFileEdit": [{"command": "pip install '
                                             'cu1"}]}}') == ["cu1"]
    assert found_names(".envrc", "layout python3\npip install -q env1\ndotenv\n") == ["env1"]
    gitpod = ("tasks:\n  - before: pip install gp1\n    init: |\n      pip install \\\n        gp2\n"
              "    command: uv run gp3\n")
    assert found(".gitpod.yml", gitpod) == [(2, 25, "gp1"), (5, 9, "gp2")]
    tasks = ('{\n  // VS Code reads comments and trailing commas\n  "version": "2.0.0",\n  "tasks": [\n'
             '    {"label": "a", "type": "shell", "command": "pip install vs1 && pytest"},\n'
             '    {"label": "b", "type": "process", "command": "python", "args": ["-m", "pip", "install", "vs2"]},\n'
             '    {"label": "c", "type": "shell", "command": "uv pip", "args": [\n      "install",\n'
             '      {"value": "vs3", "quoting": "strong"},\n    ],\n'
             '     "windows": {"command": "pip install vs4"}},\n  ],\n}\n')
    assert found(".vscode/tasks.json", tasks) == [(5, 61, "vs1"), (6, 94, "vs2"), (9, 18, "vs3"), (11, 42, "vs4")]
    assert found(".vscode/tasks.json", tasks, {9}) == [(9, 18, "vs3")]
    assert found_names(".vscode/tasks.json", '{"tasks": [{"label": "x", "command": "pytest"}]}') == []


def test_pyproject_tool_tables_that_run_commands() -> None:
    """cibuildwheel (its platform tables and overrides; test-requires are pip-installed), pixi tasks, tox 4's
    TOML form and legacy_tox_ini (attack B2)."""
    text = (
        '[project]\nname = "a"\n[tool.cibuildwheel]\nbefore-all = ["yum install -y x", "pip install cb1"]\n'
        'test-requires = [\n  "pytest",\n  "cb2",\n]\n[tool.cibuildwheel.linux]\nbefore-build = "pip install cb3"\n'
        '[[tool.cibuildwheel.overrides]]\nselect = "cp31*"\ntest-command = "uv pip install cb4 && pytest"\n'
        '[tool.pixi.tasks]\nsetup = { cmd = "pip install px1" }\n[tool.pixi.feature.t.tasks]\nt = "pip install px2"\n'
        '[tool.tox.env_run_base]\ncommands = [["pip", "install", "tx1"], ["pytest"]]\n'
        '[tool.tox.env.lint]\ncommands_pre = [[\n  "pip",\n  "install",\n  "tx2",\n]]\n'
    )
    assert sorted(found_names("pyproject.toml", text)) == [
        "cb1", "cb2", "cb3", "cb4", "px1", "px2", "pytest", "tx1", "tx2"]
    assert found_names("pyproject.toml", text, {7}) == ["pytest", "cb2"]  # a name added to test-requires
    assert found_names("pyproject.toml", text, {24}) == ["tx2"]
    legacy = ('[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ncommands =\n    pip install lt1\n"""\n'
              '[tool.x]\ncommands = 1\n')
    assert found("pyproject.toml", legacy) == [(5, 17, "lt1")]
    assert found_names("tox.toml", '[env.a]\ncommands = [["pip", "install", "tt1"]]\n') == ["tt1"]
    assert found_names("pixi.toml", '[workspace]\nname = "x"\n[feature.f.target.linux-64.tasks]\n'
                                    'a = "pip install pt1"\n') == ["pt1"]


def test_tox_commands() -> None:
    text = (
        "[testenv]\ndeps = pytest\ncommands =\n    pip install toxa\n    py3: pip install toxb\n"
        "    - {envpython} -m pip install toxc\n    pytest {posargs}\n[testenv:x]\ncommands = pip install toxd\n"
        "description = pip install not-a-command\n"
    )
    assert found_names("tox.ini", text) == ["toxa", "toxb", "toxc", "toxd"]


def test_tox_substitutions_are_replaced_as_tox_replaces_them() -> None:
    """A default is what a plain `tox` run installs; a value known only at run time is never a name, and is
    undetermined where a package stands (attack H1)."""
    text = (
        "[base]\ncmd = pip install fromref\n[testenv]\ninstall_command = python -m pip install {opts} {packages}\n"
        "commands =\n    pip install {posargs:fromposargs}\n    pip install {env:PKG:fromenv}\n    {[base]cmd}\n"
        "    {envbindir}/pip install {env:A:{env:B:nested}}\n    pip install {env:ONLY}\n"
        "    pytest {posargs} {tty:--x:}\n    pip install {[missing]key}\n"
    )
    names = found_names("tox.ini", text)
    assert names[:5] == ["fromposargs", "fromenv", "fromref", "nested", "{env:ONLY}"]
    assert names[5:] == ["{[missing]key}"]
    toml = (
        '[env_run_base]\ncommands = [["pip", "install", {replace = "posargs", default = ["tt1", "tt2"]}],\n'
        '  ["pip", "install", "{env:PKG:tt3}"], ["pip", "install", {replace = "env", name = "X"}]]\n'
    )
    assert found_names("tox.toml", toml)[:3] == ["tt1", "tt2", "tt3"]
    assert "'replace': 'env'" in found_names("tox.toml", toml)[3]  # undetermined (HC042)


def test_tox_substitutions_that_refer_to_themselves_are_undetermined_and_stay_small() -> None:
    assert found_names("tox.ini", "[a]\nx = {[a]x} {[a]x}\n[testenv]\ncommands = pip install {[a]x}\n") == [
        "{[a]x}", "{[a]x}"]
    doubling = "".join(f"[s{level}]\nx = {{[s{level + 1}]x}} {{[s{level + 1}]x}}\n" for level in range(30))
    names = found_names("tox.ini", doubling + "[s30]\nx = deep\n[testenv]\ncommands = pip install {[s0]x}\n")
    assert len(names) <= 2 ** 10 and all(name.startswith("{[s") for name in names)  # never `deep`


def test_pre_commit_hook_entries_are_commands_with_their_args() -> None:
    """pre-commit runs a hook's `entry` with its `args` on every contributor's machine (attack H4)."""
    config = (
        "repos:\n  - repo: local\n    hooks:\n      - id: a\n        name: a\n        entry: pip install pc1\n"
        "        language: system\n      - id: b\n        name: b\n        entry: bash -c 'pip install pc2'\n"
        "        language: system\n      - id: c\n        name: c\n        entry: pip\n        args: [install, pc3]\n"
        "        language: system\n      - id: d\n        entry: mypy\n        language: python\n"
        "        additional_dependencies: [types-requests]\n"
    )
    assert file_kind(".pre-commit-config.yaml") == file_kind(".pre-commit-config.yml") == "pre-commit"
    assert found_names(".pre-commit-config.yaml", config) == ["pc1", "pc2", "pc3"]
    assert found_names(".pre-commit-hooks.yaml", "- id: x\n  name: x\n  entry: uv pip install pc4\n  language: system\n"
                       ) == ["pc4"]
    for language in ("pygrep", "fail"):  # the entry is a pattern or a message (attack H39)
        hook = (f"repos:\n- repo: local\n  hooks:\n  - id: f\n    entry: pip install huggingface-cli\n"
                f"    language: {language}\n")
        assert found_names(".pre-commit-config.yaml", hook) == []
    assert found_names(".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks:\n  - id: e\n    entry: pip install\n"
                       "    args: [{a: b}]\n") == ["(an argument pre-commit is given that is not a string)"]


def test_github_steps_run_by_their_shell() -> None:
    """A `run:` block is read as the program of its step's `shell:` (or the job's or workflow's `defaults`) reads
    it: Python code for python, shell text for a shell, undetermined for another program (attack H2)."""
    workflow = (
        "defaults:\n  run:\n    shell: python\njobs:\n  a:\n    steps:\n      - run: |\n"
        "          import subprocess\n          subprocess.run(['pip', 'install', 'gh1'])\n"
        "      - shell: bash\n        run: pip install gh2\n"
        "  b:\n    defaults:\n      run:\n        shell: bash -e {0}\n    steps:\n      - run: pip install gh3\n"
        "      - shell: python3 {0}\n        run: import os; os.system('pip install gh4')\n"
        "      - shell: perl {0}\n        run: system('pip install gh5')\n"
    )
    assert found(".github/workflows/ci.yml", workflow)[:4] == [
        (8, 11, "gh1"), (11, 26, "gh2"), (17, 26, "gh3"), (19, 26, "gh4")]
    assert "perl {0}" in found_names(".github/workflows/ci.yml", workflow)[4]  # undetermined: HC042
    for shell in ("micromamba-shell {0}", "msys2 {0}", "pixi run bash -e {0}", "xvfb-run -a bash {0}",
                  'script -q -e -c "bash {0}"'):  # attack H40
        step = f"jobs:\n  a:\n    steps:\n      - shell: {shell}\n        run: pip install ok1\n"
        assert found_names(".github/workflows/ci.yml", step) == ["ok1"]
    step = "jobs:\n  a:\n    steps:\n      - shell: conda run python {0}\n        run: os.system('pip install p1')\n"
    assert found_names(".github/workflows/ci.yml", step) == ["p1"]


def test_github_container_steps_and_cibuildwheel_variables() -> None:
    """`uses: docker://IMAGE` runs `with: args` (after `with: entrypoint`); cibuildwheel's CIBW_* variables are
    its pyproject keys (attack H21)."""
    workflow = (
        "jobs:\n  a:\n    steps:\n      - uses: docker://python:3.12\n        with:\n          args: pip install dk1\n"
        "      - uses: docker://python:3.12\n        with:\n          entrypoint: pip\n          args: install dk2\n"
        "      - uses: pypa/cibuildwheel@v2\n        env:\n          CIBW_BEFORE_BUILD_LINUX: pip install cb1\n"
        "          CIBW_TEST_REQUIRES: cb2 cb3\n          CIBW_BUILD: cp312-*\n"
    )
    assert found_names(".github/workflows/ci.yml", workflow) == ["dk1", "dk2", "cb1", "cb2", "cb3"]
    assert found_names(".gitlab-ci.yml", "variables:\n  CIBW_TEST_REQUIRES: cb4\n", {2}) == ["cb4"]


def test_dockerfile_shell_instruction_runs_the_shell_form() -> None:
    """After `SHELL [...]`, a shell-form RUN/CMD/ENTRYPOINT is the SHELL's words and the text (attack H3)."""
    text = (
        'FROM python:3.12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        'RUN pip install ds1 && \\\n    pip install ds2\n'
        'SHELL ["python3", "-c"]\nRUN import os; os.system("pip install ds3")\n'
        'SHELL ["pip", "install"]\nRUN ds4\nFROM python:3.12 AS second\nRUN echo ds5\n'
    )
    assert found_names("Dockerfile", text) == ["ds1", "ds2", "ds3", "ds4"]


def test_build_and_deploy_platform_files() -> None:
    """Render, Vercel, Heroku, npm, Fly, Nixpacks, Replit, Earthly and Kubernetes containers run these commands
    (attack H12)."""
    assert found_names("render.yaml", "services:\n  - type: web\n    buildCommand: pip install rd1\n") == ["rd1"]
    assert found_names("vercel.json", '{"installCommand": "pip install vc1", "buildCommand": "make"}') == ["vc1"]
    assert found_names("app.json", '{"environments": {"test": {"scripts": {"test-setup": "pip install hk1"}}}}'
                       ) == ["hk1"]
    assert found_names("package.json", '{"scripts": {"postinstall": "pip install np1"}}') == ["np1"]
    assert found_names("fly.toml", '[deploy]\nrelease_command = "pip install fl1"\n') == ["fl1"]
    assert found_names("nixpacks.toml", '[phases.setup]\ncmds = ["pip install nx1"]\n[start]\ncmd = "pip install nx2"\n'
                       ) == ["nx1", "nx2"]
    assert found_names(".replit", 'run = "pip install rp1 && python main.py"\n[deployment]\nbuild = ["pip", "install", '
                       '"rp2"]\n') == ["rp1", "rp2"]
    assert found_names("Earthfile", "VERSION 0.8\nbuild:\n  FROM python:3.12\n  RUN pip install ea1\n") == ["ea1"]
    job = "spec:\n  containers:\n    - image: python\n      args: [sh, -c, pip install k1]\n"
    assert found_names("k8s/job.yaml", job) == ["k1"]


def test_makefile_shell_runs_the_recipes() -> None:
    """make runs each recipe line with $(SHELL) $(.SHELLFLAGS) (attack H29)."""
    assert found_names("Makefile", "SHELL := /bin/bash -eo pipefail\nall:\n\tpip install mk1\n") == ["mk1"]
    python = 'SHELL := python3\n.SHELLFLAGS := -c\nall:\n\timport os; os.system("pip install mk2")\n'
    assert found_names("Makefile", python) == ["mk2"]
    assert "perl" in found_names("Makefile", "SHELL = perl\nall:\n\tsystem('pip install mk3')\n")[0]


def test_noxfile_literal_run_arguments() -> None:
    text = (
        "import nox\n\n@nox.session\ndef tests(session):\n"
        '    session.run("pip", "install", "noxa")\n'
        '    session.install("declared-by-issue-12")\n'
        '    session.run("uv", "pip", "install", *deps)\n'
        '    session.run_install("uv", "pip", "install", "noxb")\n'
    )
    assert found_names("noxfile.py", text) == ["noxa", "{deps}", "noxb"]  # `*deps` is known at run time: HC042
    assert found_names("noxfile.py", "def broken(:\n  pip install x\n") == []


def test_shell_scripts_skip_here_documents() -> None:
    text = "#!/bin/sh\nset -e\ncat <<EOF > x\npip install heredoc\nEOF\npip install sh1 && \\\n  pip3 install sh2\n"
    assert found_names("setup.sh", text) == ["sh1", "sh2"]


def test_files_without_an_installer_are_not_read() -> None:
    assert found_names("README.md", "# Title\n" * 1000) == []
    assert found_names("unknown.xyz", "pip install x\n") == []


@settings(max_examples=150)
@given(st.sampled_from(["README.md", "x.rst", ".cursorrules", "Dockerfile", "ci.yml", "Makefile", "tox.ini",
                        "noxfile.py", "a.sh"]),
       st.text(alphabet=st.sampled_from(list("pip install uv add RUN run: - |>`$#\\\n\t\"'[]{}:=~abc")), max_size=120))
def test_property_no_text_makes_a_reader_raise(path: str, text: str) -> None:
    lines = set(range(1, text.count("\n") + 2))
    for item in installed_names(path, text, lines):
        assert item.line >= 1 and item.column >= 1
