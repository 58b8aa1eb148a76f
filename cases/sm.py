"""商用密码 for integrity (GB/T 39786-2021 8.3/8.4 完整性): the hash algorithm of the audit chain and of
the content hashes, and the HMAC that seals the chain head. Pure: bytes in, hex out.

SM3 (GB/T 32905-2016) comes from OpenSSL 3 through ``hashlib``; no package is needed. SHA-256 stays
readable because links and content hashes written before the switch keep it: every stored digest
says which algorithm made it (a link's ``hash_algorithm`` field, a content hash's ``sm3:`` prefix), so
verification recomputes each with its own algorithm and new ones are always SM3.
"""

import hashlib
import hmac
from collections.abc import Callable

SM3 = "sm3"
SHA256 = "sha256"
ALGORITHMS = (SM3, SHA256)
# What new links and content hashes use.
CURRENT = SM3


def digest(algorithm: str, data: bytes) -> str:
    """Hex digest of `data` under `algorithm` (sm3 or sha256). ValueError for any other name: a stored
    algorithm the code does not know must fail verification, never fall back."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown hash algorithm {algorithm!r}")
    return hashlib.new(algorithm, data).hexdigest()


def hmac_sm3(key: bytes, data: bytes) -> str:
    """HMAC-SM3 (GB/T 15852.2 with SM3) of `data` under `key`, hex."""
    return hmac.new(key, data, SM3).hexdigest()


def hmac_matches(key: bytes, data: bytes, expected: str) -> bool:
    """Whether `expected` is the HMAC-SM3 of `data` under `key`, compared in constant time."""
    return hmac.compare_digest(hmac_sm3(key, data), expected)


def key_id(key: bytes) -> str:
    """A short public name of a sealing key: tells "the key changed" from "the head was altered"
    without revealing the key (a digest of a domain-separated key, 16 hex digits)."""
    return digest(SM3, b"registry audit seal key\n" + key)[:16]


def tagged(algorithm: str, data: bytes) -> str:
    """A content hash that says its algorithm: ``sm3:<hex>``; SHA-256 keeps the bare hex it was
    always stored as."""
    value = digest(algorithm, data)
    return value if algorithm == SHA256 else f"{algorithm}:{value}"


def tag_algorithm(stored: str) -> str:
    """The algorithm of a stored content hash: its prefix, or SHA-256 for a bare one (written before
    the switch to SM3). ValueError for an unknown prefix."""
    prefix, sep, _value = stored.partition(":")
    if not sep:
        return SHA256
    if prefix not in ALGORITHMS:
        raise ValueError(f"unknown hash algorithm {prefix!r}")
    return prefix


def tagged_matches(stored: str, compute: Callable[[str], str]) -> bool:
    """Whether `stored` equals `compute(algorithm)` recomputed with the stored hash's own algorithm
    (`compute` returns a tagged hash). A hash of an unknown algorithm never matches."""
    try:
        algorithm = tag_algorithm(stored)
    except ValueError:
        return False
    return hmac.compare_digest(compute(algorithm), stored)
