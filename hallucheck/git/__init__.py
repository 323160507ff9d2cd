"""The git edge: the only stage that runs git.

It owns every git command (plumbing with explicit flags, so user configuration cannot change
the output) and turns a repository state (staged, range or files mode) into a
:class:`~hallucheck.change.Change` whose snapshots read files from git objects, never from
the work tree. Nothing outside this package starts a git process.
"""
