"""Every optional dependency of clipgrab, or None when it is not installed.

Callers test the value (``if brotli is None: ...``) instead of importing the package themselves, so that
one place decides what counts as available.
"""
# ruff: noqa: F401

# Brotli decoding: the C extension on CPython, the CFFI binding elsewhere.
try:
    import brotlicffi as brotli
except ImportError:
    try:
        import brotli
    except ImportError:
        brotli = None

# Certificates: certifi's bundle only when its file is really there (some distributions strip it).
try:
    import certifi
except ImportError:
    certifi = None
else:
    import os.path

    if not os.path.isfile(certifi.where()):
        certifi = None

try:
    import mutagen  # tags and cover art of audio files
except ImportError:
    mutagen = None

keyring_problem = None
try:
    import secretstorage
except ImportError:
    secretstorage = None
    keyring_problem = "secretstorage is not installed (pip install clipgrab[keyring])"
except Exception as error:  # a broken D-Bus setup raises anything at import
    secretstorage = None
    keyring_problem = f"secretstorage does not load: {error}"

# Python may be built without SQLite; the browser cookie readers need it.
try:
    import sqlite3
except ImportError:
    sqlite3 = None

try:
    import websockets
except ImportError:
    websockets = None

try:
    import urllib3
except ImportError:
    urllib3 = None

try:
    import requests
except ImportError:
    requests = None

# Extended attributes: whichever of the two bindings is installed (neither is declared).
try:
    import xattr
except ImportError:
    xattr = None

try:
    import curl_cffi
except ImportError:
    curl_cffi = None

try:
    import selenium
except ImportError:
    selenium = None

from . import ciphers
