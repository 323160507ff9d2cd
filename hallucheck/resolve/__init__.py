"""Resolution: where an imported module comes from.

The standard library of the target Python, the project's first-party code, the import-name
mapping and the declared distributions are pure lookups over snapshots and bundled data.
:mod:`.environment` is the one edge here: it reads an installed environment's metadata as
files (never importing or running anything).
"""
