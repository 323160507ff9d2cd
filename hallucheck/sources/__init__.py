"""What a change adds: the Python lexer and the import statements of added lines, notebook cells, and the
packages install commands name (in docs, scripts, Dockerfiles, CI files and agent instructions).

Pure functions over bytes and text: no I/O, no git, no filesystem. Only the statements that
hold added lines are parsed; plain forms without libcst, the rest with libcst (loaded lazily).
"""
