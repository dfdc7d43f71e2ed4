"""Receipt codes (回执码): long, random, without look-alike characters, stored only as a keyed hash.

A code has ``CODE_LENGTH`` characters from ``ALPHABET`` (no 0/O, 1/I/L: 31 symbols, about 4.95
bits each, so 16 characters carry about 79 bits). It is shown in groups of four.

A portal submission derives its code from the form's one-time token with a keyed PRF (HMAC):
the token is random (``secrets``), so the code is too, and a retry of the same submission
(double click, lost connection) shows the same code again although the code itself is never
stored. Codes issued by staff (phone intake) come straight from ``secrets``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from silvershield.core import crypto

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16
GROUP = 4
PREFIX_LENGTH = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _from_int(number: int) -> str:
    chars = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_from_token(token: str) -> str:
    """The code belonging to a submission token (HMAC with the blind-index key: a PRF)."""
    digest = hmac.new(
        crypto.keyring().blind_index_key, f"receipt-code:{token}".encode(), hashlib.sha512
    ).digest()
    return _from_int(int.from_bytes(digest, "big"))


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return crypto.blind_index("portal-token", token)


def normalize(entered: str) -> str:
    """What a person typed, in canonical form: half-width, upper case, separators dropped.
    Look-alike letters (O, I, L) become digits that are not in the alphabet, so they fail."""
    text = unicodedata.normalize("NFKC", entered).upper().translate(_LOOKALIKES)
    return "".join(ch for ch in text if ch.isalnum())[:64]


def code_hash(code: str) -> str:
    return crypto.blind_index("receipt", normalize(code))


def code_prefix(entered: str) -> str:
    return normalize(entered)[:PREFIX_LENGTH]


def display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def looks_valid(entered: str) -> bool:
    text = normalize(entered)
    return len(text) == CODE_LENGTH and all(ch in ALPHABET for ch in text)


def hashes_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
