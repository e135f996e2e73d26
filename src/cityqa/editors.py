"""Own who may change the corpus: editor keys stored only as scrypt hashes, checked in constant time."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

SCHEME = "scrypt"
COST = {"n": 2 ** 14, "r": 8, "p": 1}  # ~16 MB and ~50 ms a check: cheap for a sign-in, dear for guessing
KEY_BYTES, SALT_BYTES = 32, 16


def hash_key(key: str, salt: bytes | None = None) -> str:
    """Return the storable hash of an editor key: scrypt$n$r$p$salt$digest (salt and digest in base64)."""
    salt = salt or os.urandom(SALT_BYTES)
    digest = _scrypt(key, salt, COST["n"], COST["r"], COST["p"])
    return "$".join([SCHEME, str(COST["n"]), str(COST["r"]), str(COST["p"]), _b64(salt), _b64(digest)])


def valid_hash(stored: str) -> bool:
    """Tell whether a setting holds a hash this module can check (never a key in clear)."""
    try:
        _parse(stored)
    except ValueError:
        return False
    return True


def key_matches(key: str, stored: str) -> bool:
    """Check a key against a stored hash in constant time; a malformed hash matches nothing."""
    try:
        n, r, p, salt, digest = _parse(stored)
    except ValueError:
        return False
    return hmac.compare_digest(_scrypt(key, salt, n, r, p), digest)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    scheme, n, r, p, salt, digest = stored.strip().split("$")
    if scheme != SCHEME or not (2 <= int(n) <= 2 ** 20 and 1 <= int(r) <= 32 and 1 <= int(p) <= 16):
        raise ValueError(stored)
    salt, digest = base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)
    if len(salt) < 8 or len(digest) != KEY_BYTES:
        raise ValueError(stored)
    return int(n), int(r), int(p), salt, digest


def _scrypt(key: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(key.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 ** 26, dklen=KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
