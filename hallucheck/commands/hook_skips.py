"""What a shell command does to get past hallucheck's commit or push hook (the agent hook asks about it).

The agent hook reads HEAD as the project's word (attack E18), so a commit made without hallucheck's pre-commit
hook is where an agent would make HEAD declare anything (attack F7). Rather than listing spellings, each simple
command the text runs (through wrappers, ``bash -c``, ``eval``, here-strings and here-documents fed to a shell,
aliases, function bodies and variables the text sets: :mod:`hallucheck.sources.shell`) is judged by rules that
fail closed:

* ``git`` skips the hooks: ``--no-verify`` (or a prefix git accepts, ``commit -n``) on a verb that runs them;
* ``git`` is configured on its command line or by the environment to run something else: ``-c``/
  ``--config-env`` of ``alias.*``, ``core.hooksPath``, ``include.*``/``includeIf.*`` on any verb that is not a
  read-only one; ``GIT_CONFIG_PARAMETERS``/``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_GLOBAL``/
  ``GIT_CONFIG_SYSTEM``, ``HOME``/``XDG_CONFIG_HOME`` (where git reads its configuration), ``GIT_DIR``,
  ``GIT_EXEC_PATH``, ``SKIP``/``PRE_COMMIT_ALLOW_NO_CONFIG`` set anywhere in a text that runs such a verb;
  ``git config`` writing ``alias.*``, ``core.hooksPath`` or an include;
* ``git`` makes or moves commits without the commit hook: ``commit-tree``, ``update-ref``, ``hash-object -w``,
  ``mktag``, ``fast-import``, ``replace``, ``filter-branch``, ``symbolic-ref`` with a target, ``stash create``/
  ``store``, and any history verb given a stash (``merge stash@{0}``, ``cherry-pick -m1 refs/stash``); commits
  fetched from a local path (a clone has no hooks: ``git fetch ../clone``, ``git remote add x /tmp/c``);
  ``rebase --exec``, ``bisect run``, ``submodule foreach`` run their command (read as one);
* the hook itself is removed or edited: a command that may write (anything but a reader such as ``cat``, ``ls``,
  ``grep``) given a path inside the git directory (``.git/...``, a glob that matches ``.git``, a path computed from
  ``git rev-parse``), a ``cd`` into it before such a command, ``find`` that deletes or runs a command on what may be
  a hook, a redirection into it; ``pre-commit``/``prek uninstall`` (also ``python -m pre_commit``), ``install
  --config`` (the installed hook then reads another configuration);
* an interpreter's inline code (``python -c``, ``node -e``, ``perl -e``, ``ruby -e``, ``php -r``, code fed on standard
  input) that names ``git`` and a commit-making word;
* a program or a git verb from a variable the text does not tell, with a verb that runs the hooks.
"""

from __future__ import annotations

import re

from hallucheck.lazy import LazyPattern

_MAX_DEPTH = 6
_HOOKED_VERBS = frozenset({"commit", "merge", "pull", "push", "am", "rebase", "cherry-pick", "revert"})
"""git commands that run the commit or push hooks, which ``--no-verify`` skips."""
_VALUED_COMMIT_FLAGS = "mCcFt"
"""Short options of ``git commit`` that take a value: in ``-mn`` the ``n`` is the message, not ``--no-verify``."""
_READ_ONLY_VERBS = frozenset({
    "status", "diff", "log", "show", "blame", "annotate", "rev-parse", "ls-files", "ls-tree", "ls-remote", "cat-file",
    "describe", "shortlog", "grep", "reflog", "version", "help", "whatchanged", "show-ref", "for-each-ref",
    "rev-list", "name-rev", "merge-base", "count-objects", "check-ignore", "check-attr", "check-ref-format", "var",
    "diff-tree", "diff-index", "diff-files", "range-diff", "format-patch", "archive", "bundle", "fsck", "verify-commit",
    "verify-tag", "cherry", "show-branch", "difftool", "fetch", "clone", "init", "remote", "branch", "tag", "config",
    "stash", "worktree", "add", "rm", "mv", "restore", "checkout", "switch", "reset", "clean", "gc", "prune",
    "notes", "sparse-checkout", "lfs", "submodule", "bisect", "apply", "update-index", "read-tree", "write-tree",
    "hash-object", "mktree", "credential", "maintenance",
})  # fmt: skip
"""git verbs that run no commit or push hook (a ``-c alias.x=...`` given to them changes nothing they do; what some
of them do otherwise is judged by its own rule)."""
_PLUMBING = {"commit-tree": "makes a commit without the commit hook", "update-ref": "moves a branch by hand",
             "am": "makes commits from a patch file without the commit hook",
             "mktag": "makes a tag object by hand", "fast-import": "writes commits without the commit hook",
             "replace": "replaces one commit by another", "filter-branch": "rewrites commits without the hooks",
             "filter-repo": "rewrites commits without the hooks"}  # fmt: skip
_HISTORY_VERBS = frozenset({"merge", "cherry-pick", "rebase", "reset", "branch", "checkout", "switch", "revert",
                            "update-ref", "pull", "tag", "symbolic-ref", "replace", "commit-tree"})
_CONFIG_KEYS = LazyPattern(r"(?i)^(?:alias\.|core\.hookspath|include\.|includeif\.)")
_CONFIG_ENVIRONMENT = LazyPattern(
    r"^(?:GIT_CONFIG(?:_PARAMETERS|_COUNT|_KEY_\d+|_VALUE_\d+|_GLOBAL|_SYSTEM)?|HOME|XDG_CONFIG_HOME|GIT_DIR"
    r"|GIT_COMMON_DIR|GIT_EXEC_PATH|SKIP|PREK_SKIP|PRE_COMMIT_ALLOW_NO_CONFIG|PRE_COMMIT_HOME|GIT_SEQUENCE_EDITOR)$")
"""Environment that makes git (or pre-commit, prek) read another configuration or skip hooks."""
_GIT_OPTION_VALUES = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--super-prefix",
                                "--config-env", "--exec-path", "--list-cmds", "--attr-source"})
_READERS = frozenset({
    "cat", "ls", "head", "tail", "less", "more", "grep", "egrep", "fgrep", "rg", "ag", "stat", "file", "wc", "diff",
    "cmp", "du", "tree", "echo", "printf", "test", "[", "[[", "md5sum", "sha1sum", "sha256sum", "xxd", "od",
    "hexdump", "readlink", "realpath", "basename", "dirname", "git", "cd", "pushd", "popd", "bat", "view", "strings",
    "pre-commit", "prek", "true", "false", ":", "exit", "type", "which", "command",
})  # fmt: skip
"""Programs that only read the paths they are given (git judges its own directory by the rules above)."""
_HOOK_FILES = ("pre-commit", "pre-push", "pre-merge-commit", "commit-msg", "prepare-commit-msg", "hooks", ".git")
_FIND_ACTIONS = frozenset({"-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf",
                           "-fls"})
_FIND_TESTS = frozenset({"-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
                         "-lname", "-ilname"})
_INTERPRETERS = {"python": ("-c",), "node": ("-e", "--eval", "-p", "--print"), "nodejs": ("-e", "--eval", "-p"),
                 "deno": ("eval",), "bun": ("-e", "--eval"), "perl": ("-e", "-E"), "ruby": ("-e",), "php": ("-r",),
                 "lua": ("-e",), "osascript": ("-e",), "pwsh": ("-c", "-Command"), "tclsh": ()}  # fmt: skip
_COMMIT_WORDS = LazyPattern(
    r"(?i)commit|push|merge|rebase|cherry|revert|\bam\b|update-ref|hookspath|hooks|no-verify|no_verify"
    r"|fast-import|replace|filter-branch")
_MAY_SKIP = LazyPattern(r"(?i)git|hook|pre-commit|pre_commit|prek|skip|[$`]|eval|<<|\.g|find")
"""Text none of whose skips is possible without one of these (cheap, before the shell is parsed)."""
_VARIABLE_READ = LazyPattern(r"\$(?:[A-Za-z_@*#?!$0-9-]|\{)")
_STASH = LazyPattern(r"(?:refs/)?stash(?:$|[@^~:])")
_GIT_DIRECTORY_SOURCE = LazyPattern(r"(?i)git-dir|git-path|git-common-dir|\.git\b|hook|pre-commit|pre-push")
_GIT_DIRECTORY_TEXT = LazyPattern(r"(?i)git-dir|git-path|git-common-dir|GIT_DIR|\.git/")


def skips_commit_checks(text: str) -> str:
    """How the command gets past hallucheck's commit or push hook, else ""."""
    lowered = text.lower()
    if "hookspath" in lowered:
        return "changes git's hooks directory (core.hooksPath)"
    if ".git/hooks" in lowered:
        return "touches .git/hooks"
    if "skip=" in lowered and "hallucheck" in lowered:
        return "skips the hallucheck hook (SKIP=)"
    if not _MAY_SKIP.search(text):
        return ""
    return _script(text, 0)


_FILE_SKIP = LazyPattern(
    r"(?i)--no-veri|no_verify|hookspath|commit-tree|update-ref|\.git/hooks|(?:pre-commit|pre_commit|prek)\W+uninstall"
    r"|skip\W+hallucheck|git_config_(?:parameters|count)")
"""Text of a file that is not a shell script and names a way past the hook (read by its words: Python calling
git, a Makefile recipe, tox commands)."""


def file_skips_commit_checks(text: str, shell: bool) -> str:
    """How a file a command runs gets past hallucheck's commit or push hook, else "": a shell script by the
    rules (:func:`skips_commit_checks`), another file by its text naming git and one of the ways."""
    if shell:
        return skips_commit_checks(text)
    for line in text.splitlines():  # a Makefile recipe, tox `commands`, a task runner's line: shell commands
        if _MAY_SKIP.search(line) and ("git" in line or "hook" in line or "pre" in line):
            found_line = skips_commit_checks(line.strip().lstrip("@+-").strip())
            if found_line:
                return found_line
    found = _FILE_SKIP.search(text)
    if found is None or not re.search(r"(?i)\bgit\b|pre-commit|prek", text):
        return ""
    return f"names a way past the git hooks (`{found.group()}`)"


def _script(text: str, depth: int) -> str:
    from hallucheck.sources.shell import read_script

    if depth > _MAX_DEPTH:
        return "runs shell text nested too deep to read"
    script = read_script(text)
    commands = script.commands
    environment = [assignment.partition("=")[0].strip().removesuffix("+") for command in commands
                   for assignment in command.assignments]
    runs_hooked = False
    entered_git_directory = False
    for command in commands:
        assigned, words = _command_words(command)
        environment += [word.partition("=")[0] for word in assigned]
        if not words:
            continue
        found = _command(words, command.stdin, depth) or _skipping_setting(command, assigned, words)
        if found:
            return found
        program = _program(words[0])
        if program == "git":
            verb = _git_verb(words)[0]
            runs_hooked = runs_hooked or verb not in _READ_ONLY_VERBS or verb in _HOOKED_VERBS
        if program in ("cd", "pushd") and len(words) > 1 and _in_git_directory(words[1], text):
            entered_git_directory = True
        elif entered_git_directory and program not in _READERS:
            return "changes into the git directory and writes there (where the hooks are)"
        found = _writes_git_directory(command, words, text)
        if found:
            return found
    risky = [name for name in environment if _CONFIG_ENVIRONMENT.fullmatch(name)]
    if risky and runs_hooked:
        return f"sets {risky[0]} for git, which can change its configuration (hooks, aliases) or skip hooks"
    return ""


def _command_words(command: object) -> tuple[list[str], list[str]]:
    from hallucheck.sources.install_commands import wrapped_command

    words = list(getattr(command, "words", []))
    return wrapped_command(words) if words else ([], [])


def _program(word: str) -> str:
    from hallucheck.sources.install_commands import UNKNOWN

    if UNKNOWN in word:
        return "" if not _VARIABLE_READ.search(str(getattr(word, "source", ""))) else "\x00"
    base = re.split(r"[/\\]", word)[-1].lower()
    base = base.removesuffix(".exe")
    if re.fullmatch(r"(?:python|pypy|py)(?:[0-9][0-9.]*)?w?", base):
        return "python"
    return base


def _command(words: list[str], stdin: list[tuple[str, int]], depth: int) -> str:
    """What one simple command (wrappers looked through) does to skip the hooks, else ""."""
    program = _program(words[0])
    rest = words[1:]
    if program == "\x00":
        if any(word in _HOOKED_VERBS or word in _PLUMBING for word in rest):
            return "runs a program from a variable the command does not set, with a git verb that commits"
        return ""
    if program == "git":
        return _git(words, depth)
    if program in ("pre-commit", "prek"):
        return _framework(rest)
    if program in ("sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "yash", "fish"):
        return _shell(rest, stdin, depth)
    if program == "eval":
        return _script(" ".join(rest), depth + 1)
    if program == "alias":
        return next((found for word in rest if "=" in word
                     for found in [_script(word.partition("=")[2], depth + 1)] if found), "")
    if program == "python" and len(rest) >= 2 and rest[0] == "-m" and rest[1] in ("pre_commit", "prek"):
        return _framework(rest[2:])
    if program in _INTERPRETERS:
        return _interpreter(program, rest, stdin)
    frameworks = [index for index, word in enumerate(rest) if _program(word) in ("pre-commit", "prek", "pre_commit")]
    found = _framework(rest[frameworks[0] + 1:]) if frameworks else ""
    if found:  # `uvx pre-commit uninstall`, `uv run prek uninstall`, `pipx run pre-commit ...`
        return found
    if program == "find":
        return _find(rest, depth)
    if program in _data_programs():
        return ""
    for word in words:  # `script -qc "git commit --no-verify"`, `watch "..."`: a word that holds a command
        if " " in word and depth < 3 and _MAY_SKIP.search(word):
            found = _script(word, depth + 1)
            if found:
                return found
    return ""


def _data_programs() -> frozenset[str]:
    from hallucheck.sources.install_commands import _DATA_PROGRAMS

    return _DATA_PROGRAMS


def _shell(rest: list[str], stdin: list[tuple[str, int]], depth: int) -> str:
    from hallucheck.sources.install_commands import _shell_script

    script, reads_stdin = _shell_script(rest)
    texts = [script] if script is not None else [text for text, _ in stdin] if reads_stdin else []
    for text in texts:
        found = _script(text, depth + 1)
        if found:
            return found
    return ""


def _interpreter(program: str, rest: list[str], stdin: list[tuple[str, int]]) -> str:
    """Inline code (``-c``/``-e``, code on standard input) that names git and a commit-making word."""
    flags = _INTERPRETERS[program]
    codes = [rest[index + 1] for index, word in enumerate(rest[:-1]) if word in flags or any(
        len(flag) == 2 and re.fullmatch(rf"-[A-Za-z]*{flag[1]}", word) for flag in flags)]
    codes += [word[2:] for word in rest if len(word) > 2 and word[:2] in flags and not word.startswith("--")]
    codes += [text for text, _ in stdin]
    for code in codes:
        if re.search(r"(?i)\bgit\b", code) and _COMMIT_WORDS.search(code):
            return f"runs git from {program} code that commits or changes hooks, which this hook cannot read"
        if ".git" in code and re.search(r"(?i)hook", code):
            return f"runs {program} code that touches git's hooks"
        if re.search(r"(?i)pre.commit|prek", code) and re.search(r"(?i)uninstall|install\W+(?:-c|--config)", code):
            return f"runs {program} code that uninstalls or rebinds the git hooks"
    return ""


def _framework(rest: list[str]) -> str:
    """``pre-commit``/``prek`` ``uninstall``, or ``install`` bound to another configuration."""
    verbs = [word for word in rest if not word.startswith("-")][:1]
    if verbs == ["uninstall"]:
        return "uninstalls the git hooks"
    if verbs == ["install"] and any(word in ("-c", "--config") or word.startswith("--config=") for word in rest):
        return "installs the git hooks with another configuration"
    return ""


def _git_verb(words: list[str]) -> tuple[str, list[str], list[str]]:
    """git's verb (after its global options), the words after it, and the options that configure it (``-c k=v``,
    ``--config-env``)."""
    index = 1
    configured: list[str] = []
    while index < len(words):
        word = words[index]
        if not word.startswith("-"):
            return _program(word) if "\x00" in word else word, words[index + 1:], configured
        name = word.partition("=")[0]
        if name in ("-c", "--config-env"):
            value = word.partition("=")[2] if "=" in word and name == "--config-env" else \
                words[index + 1] if index + 1 < len(words) else ""
            configured.append(value)
            index += 1 if "=" in word and name == "--config-env" else 2
            continue
        if word.startswith("-c") and len(word) > 2:
            configured.append(word[2:])
        index += 2 if word in _GIT_OPTION_VALUES else 1
    return "", [], configured


def _git(words: list[str], depth: int) -> str:
    from hallucheck.sources.install_commands import git_config_command

    verb, rest, configured = _git_verb(words)
    positional = [word for word in rest if not word.startswith("-")]
    settings = [value.partition("=")[::2] for value in configured]
    settings += [(positional[-2], positional[-1])] if verb == "config" and len(positional) >= 2 else []
    for key, value in settings:  # `git -c core.pager='git commit --no-verify' log`: git runs the value
        command = git_config_command(key, value)
        found = _script(command, depth + 1) if command else ""
        if found:
            return found
    if any(_CONFIG_KEYS.search(value) for value in configured) and verb not in _READ_ONLY_VERBS:
        return "configures git on its command line (an alias, core.hooksPath or an include) for a command that " \
               "may commit"
    if verb == "\x00":
        return "runs a git verb from a variable the command does not set"
    found = _no_verify(verb, rest)
    if found:
        return found
    if verb in _PLUMBING:
        if verb == "replace" and any(word in ("-l", "--list", "-d", "--delete") for word in rest):
            return ""
        if verb == "am" and any(word in ("--abort", "--quit", "--skip", "--show-current-patch") for word in rest):
            return ""
        return f"runs `git {verb}`, which {_PLUMBING[verb]}"
    if verb == "hash-object" and "-w" in rest and "commit" in rest:
        return "writes a commit object by hand"
    if verb == "symbolic-ref" and len([word for word in rest if not word.startswith("-")]) >= 2:
        return "points HEAD at another reference by hand"
    if verb == "stash" and rest[:1] in (["create"], ["store"]):
        return f"runs `git stash {rest[0]}`, a commit made without the commit hook that a later command can use"
    if verb in _HISTORY_VERBS and any(_STASH.match(word) for word in rest):
        return f"brings a stash (a commit made without the commit hook) into history with `git {verb}`"
    if verb == "config":
        return _config(rest)
    if verb in ("fetch", "pull", "clone") or (verb == "remote" and rest[:1] in (["add"], ["set-url"])):
        return _local_repository(verb, rest)
    return _git_runs(verb, rest, depth)


def _no_verify(verb: str, rest: list[str]) -> str:
    rest = rest[:rest.index("--")] if "--" in rest else rest  # after `--`, `-n` is a path (attack G18)
    if verb not in _HOOKED_VERBS:
        return ""
    if any(map(_long_no_verify, rest)) or (verb == "commit" and any(map(_short_no_verify, rest))):
        return f"skips the hooks of `git {verb}` (--no-verify)"
    return ""


def _long_no_verify(word: str) -> bool:
    """``--no-verify``, or a prefix of it git accepts as one (``--no-veri``: attack G1); ``--no-ver`` is
    ambiguous with ``--no-verbose`` to git, and asked about too."""
    return len(word) > len("--no-v") and "--no-verify".startswith(word)


def _short_no_verify(word: str) -> bool:
    """Whether a short-option cluster of ``git commit`` holds ``-n`` (``-an``), before a letter taking a value."""
    if not word.startswith("-") or word.startswith("--"):
        return False
    for letter in word[1:]:
        if letter in _VALUED_COMMIT_FLAGS:
            return False
        if letter == "n":
            return True
    return False


def _config(rest: list[str]) -> str:
    """``git config`` that writes an alias, ``core.hooksPath`` or an include (reading one changes nothing)."""
    reads = {"--get", "--get-all", "--get-regexp", "--get-urlmatch", "-l", "--list", "get", "list", "--show-origin",
             "--show-scope", "--name-only"}
    if any(word in reads for word in rest):
        return ""
    if any(_CONFIG_KEYS.search(word) or "\x00" in word for word in rest if not word.startswith("-")):
        return "changes git's configuration of aliases, hooks or includes"
    if any(word in ("-e", "--edit") or word.startswith(("-f", "--file", "--blob")) for word in rest):
        return "edits a git configuration file"
    return ""


def _local_repository(verb: str, rest: list[str]) -> str:
    """Commits fetched from a repository on this machine (a clone has no hooks: commits made there skip them)."""
    positional = [word for word in rest if not word.startswith("-")]
    if verb == "remote":
        positional = positional[2:]  # `remote add NAME URL`
    word = positional[0] if positional else ""
    if word.startswith(("/", "./", "../", "~", "file:")) or word in (".", "..") or (
            verb == "clone" and word and not re.match(r"[\w+.-]+://|[\w.-]+@", word)):
        return f"brings in commits from a repository on this machine (`git {verb} {word}`), made without " \
               "this repository's hooks"
    return ""


def _git_runs(verb: str, rest: list[str], depth: int) -> str:
    """The command ``git rebase --exec``, ``bisect run``, ``submodule foreach`` run, read as a command."""
    texts: list[str] = []
    if verb == "rebase":
        texts = [rest[index + 1] for index, word in enumerate(rest[:-1]) if word in ("-x", "--exec")]
        texts += [word.partition("=")[2] for word in rest if word.startswith("--exec=")]
    elif verb == "bisect" and rest[:1] == ["run"]:
        texts = [" ".join(rest[1:])]
    elif verb == "submodule" and "foreach" in rest:
        texts = [" ".join(rest[rest.index("foreach") + 1:])]
    for text in texts:
        found = _script(text, depth + 1)
        if found:
            return found
    return ""


def _find(rest: list[str], depth: int) -> str:
    """``find`` that deletes, or runs a command that may write on, what may be a hook (its start is or holds the
    git directory, and no name test excludes every hook file); a command ``-exec`` runs is judged as one."""
    destructive = "-delete" in rest
    for index, word in enumerate(rest):
        if word in _FIND_ACTIONS and word != "-delete":
            segment = []
            for part in rest[index + 1:]:
                if part in (";", "+"):
                    break
                segment.append(part)
            found = _command(segment, [], depth + 1) if segment and word.startswith(("-exec", "-ok")) else ""
            if found:
                return found
            if word.startswith("-f"):  # `-fprint FILE` writes FILE
                if segment and _in_git_directory(segment[0], ""):
                    return "writes into the git directory with find"
                continue
            destructive = destructive or not segment or (
                _program(segment[0]) not in _READERS and any("{}" in part for part in segment))
    if not destructive:
        return ""
    starts = []
    for word in rest:
        if word.startswith(("-", "(", "!")):
            break
        starts.append(word)
    if any(_in_git_directory(start, "") for start in starts):
        return "deletes or rewrites files in the git directory with find"
    patterns = [rest[index + 1] for index, word in enumerate(rest[:-1]) if word in _FIND_TESTS]
    if not patterns or any(_may_match_hook(pattern) for pattern in patterns):
        return "deletes or rewrites what may be a git hook with find"
    return ""


def _may_match_hook(pattern: str) -> bool:
    import fnmatch

    if "\x00" in pattern:
        return True
    lowered = pattern.lower()
    return any(fnmatch.fnmatchcase(name, lowered) or fnmatch.fnmatchcase(f"./.git/hooks/{name}", lowered)
               or re.search(r"git|hook|commit|push", lowered) for name in _HOOK_FILES)


def _in_git_directory(word: str, text: str) -> bool:
    """Whether a path may be in the git directory: a ``.git`` component (or a glob matching one), or a path
    computed at run time from ``git rev-parse`` or in text that names the git directory."""
    import fnmatch

    if "\x00" in word:
        return bool(_GIT_DIRECTORY_SOURCE.search(str(getattr(word, "source", "")))) or bool(
            _GIT_DIRECTORY_TEXT.search(text))
    glob = any(char in str(getattr(word, "source", "")) for char in "*?[")
    for part in re.split(r"[/\\]", word):
        if part.lower() == ".git" or (glob and part.startswith((".", "[")) and fnmatch.fnmatchcase(".git", part)):
            return True
    return False


def _writes_git_directory(command: object, words: list[str], text: str) -> str:
    """A command that may write, given a path in the git directory; a redirection into it."""
    for how, target in getattr(command, "redirects", []):
        if ">" in how and _in_git_directory(target, text) and not _scratch(target):
            return "writes into the git directory (where the hooks are)"
    program = _program(words[0])
    if program in _READERS or program in ("find", "\x00", ""):
        return ""
    if any(_in_git_directory(word, text) and not _scratch(word) for word in words[1:]
           if not word.startswith("-") or "\x00" in word):
        return f"runs `{program}` on a path in the git directory (where the hooks are)"
    return ""


_SCRATCH_FILES = frozenset({"COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "ORIG_HEAD", "FETCH_HEAD", "gc.log"})


def _scratch(word: str) -> bool:
    """A file of the git directory that holds no hook, configuration or reference: a stale lock (``rm -f
    .git/index.lock``, which agents run after a crashed git), a message or a note of the last operation."""
    if "\x00" in word or any(char in str(getattr(word, "source", word)) for char in "*?["):
        return False
    name = re.split(r"[/\\]", word)[-1]
    return name.endswith(".lock") or name in _SCRATCH_FILES


def _skipping_setting(command: object, assigned: list[str], words: list[str]) -> str:
    """``SKIP=...`` for a hooked git verb that names hallucheck or is not known from the text."""
    values = [*getattr(command, "assignments", []), *assigned]
    for assignment in values:
        name, _, value = str(assignment).partition("=")
        if name.strip() in ("SKIP", "PREK_SKIP") and ("hallucheck" in value.lower() or "$" in value
                                                       or "`" in value or "\x00" in value):
            return "skips the hallucheck hook (SKIP=)"
    return ""
