"""What a change adds: the Python lexer and the import statements of added lines.

Pure functions over bytes and text: no I/O, no git, no filesystem. Only the statements that
hold added lines are parsed; plain forms without libcst, the rest with libcst (loaded lazily).
"""
