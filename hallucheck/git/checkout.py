"""Where the running hallucheck was installed from: the repository and commit ``hallucheck init`` pins.

pip records the origin of an install in ``direct_url.json`` (PEP 610): a VCS install names its commit, an install
of a local directory names the directory, which, when it is a git clone, has a commit and an ``origin`` remote.
"""

from __future__ import annotations

import json
from importlib import metadata
from urllib.parse import unquote, urlsplit

from hallucheck.git.repository import GitError, decode_output, run_git


def describe_installation(distribution: str = "hallucheck") -> tuple[str, str] | None:
    """``(repository URL, full commit SHA)`` of the install of ``distribution``, when pip recorded one."""
    try:
        text = metadata.distribution(distribution).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        origin = json.loads(text or "null")
    except ValueError:
        return None
    if not isinstance(origin, dict) or not isinstance(origin.get("url"), str):
        return None
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(vcs.get("commit_id"), str):
        return origin["url"].removeprefix("git+"), vcs["commit_id"]
    parts = urlsplit(origin["url"])
    if parts.scheme == "file" and isinstance(origin.get("dir_info"), dict):
        return describe_clone(unquote(parts.path))
    return None


def describe_clone(directory: str) -> tuple[str, str] | None:
    """``(origin URL, HEAD commit)`` of the git clone at ``directory``; None when it has no origin or no commit."""
    try:
        commit = decode_output(run_git(["-C", directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"]))
        remote = decode_output(run_git(["-C", directory, "config", "--get", "remote.origin.url"]))
    except GitError:
        return None
    commit, remote = commit.strip(), remote.strip()
    return (remote, commit) if commit and remote else None
