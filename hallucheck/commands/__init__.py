"""Subcommands beside the check: approve, explain-import, demo, install-check.

Each is an edge with its own ``main(argv)``; start-up cost matters less here, so GitPython
may be imported (lazily) where its object model helps.
"""
