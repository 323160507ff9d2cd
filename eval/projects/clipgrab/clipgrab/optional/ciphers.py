"""AES, RSA and the hashes clipgrab needs, from pycryptodomex (declared) or pycryptodome (its twin under
the ``Crypto`` name, accepted when it is the one installed)."""

import types

try:
    import Cryptodome as provider
except ImportError:
    try:
        import Crypto as provider
    except (ImportError, SyntaxError):  # the long-dead PyCrypto does not even parse on Python 3
        provider = types.ModuleType("no_cipher_provider")

version = ""
AES = RSA = SHA256 = HMAC = None
try:
    if provider.__name__ == "Cryptodome":
        from Cryptodome import __version__ as version
        from Cryptodome.Cipher import AES
        from Cryptodome.Hash import HMAC, SHA256
        from Cryptodome.PublicKey import RSA
    elif provider.__name__ == "Crypto":
        from Crypto import __version__ as version
        from Crypto.Cipher import AES
        from Crypto.Hash import HMAC, SHA256
        from Crypto.PublicKey import RSA
except ImportError:
    version = "broken"
