"""Abuse control on the public pages without knowing who anyone is.

- The client is named by a keyed hash of its network address whose key is random, made each
  day and held only in the cache: once the day's key is gone, no hash can be tied to an
  address. The address itself is never stored, logged or put in the cache.
- Rate limits count attempts per hashed client (and, for receipt look-ups, per code prefix) in
  the cache, in fixed windows.
- The challenge is offline: a small proof of work computed by a static script
  (``portal/portal.js``), or, without JavaScript, a simple arithmetic question in words.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from silvershield.core import crypto

SALT_SECONDS = 26 * 3600


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _day_key() -> str:
    day = timezone.localdate().isoformat()
    key = f"portal:day-key:{day}"
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.token_hex(32), SALT_SECONDS)
        value = cache.get(key)
    return str(value)


def _address(request: HttpRequest) -> str:
    if getattr(settings, "SILVERSHIELD_PORTAL_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def client_hash(request: HttpRequest) -> str:
    """A keyed, daily-rotated hash of the client's address (never the address itself)."""
    return hmac.new(_day_key().encode(), _address(request).encode(), hashlib.sha256).hexdigest()[
        :32
    ]


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    seconds: int


def submit_limit() -> Limit:
    return Limit(
        "submit",
        _setting("SILVERSHIELD_PORTAL_SUBMIT_LIMIT", 10),
        _setting("SILVERSHIELD_PORTAL_SUBMIT_WINDOW", 3600),
    )


def lookup_limit() -> Limit:
    return Limit(
        "lookup",
        _setting("SILVERSHIELD_PORTAL_LOOKUP_LIMIT", 20),
        _setting("SILVERSHIELD_PORTAL_LOOKUP_WINDOW", 900),
    )


def prefix_limit() -> Limit:
    return Limit(
        "prefix",
        _setting("SILVERSHIELD_PORTAL_PREFIX_LIMIT", 10),
        _setting("SILVERSHIELD_PORTAL_LOOKUP_WINDOW", 900),
    )


def message_limit() -> Limit:
    return Limit(
        "message",
        _setting("SILVERSHIELD_PORTAL_MESSAGE_LIMIT", 20),
        _setting("SILVERSHIELD_PORTAL_SUBMIT_WINDOW", 3600),
    )


def hit(limit: Limit, subject: str) -> bool:
    """Count one attempt; True while within the limit, False once it is exceeded."""
    window = int(timezone.now().timestamp()) // limit.seconds
    subject_key = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"portal:rl:{limit.name}:{window}:{subject_key}"
    cache.add(key, 0, limit.seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, limit.seconds + 60)
        count = 1
    return count <= limit.attempts


# -- the challenge ------------------------------------------------------------------------

CHALLENGE_SALT = "silvershield.portal.challenge"
CHALLENGE_MAX_AGE = 4 * 3600  # enough time to finish, slowly
DIGITS = "零一二三四五六七八九"
WORDS = {**{d: i for i, d in enumerate(DIGITS)}, "十": 10, "〇": 0, "两": 2}


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str
    bits: int


def pow_bits() -> int:
    return _setting("SILVERSHIELD_PORTAL_POW_BITS", 14)


def _number_words(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def _answer_mac(nonce: str, answer: int) -> str:
    return crypto.blind_index("portal-challenge", f"{nonce}:{answer}")[:32]


def challenge_new() -> Challenge:
    nonce = secrets.token_hex(12)
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    payload = {"n": nonce, "b": pow_bits(), "m": _answer_mac(nonce, a + b)}
    token = signing.dumps(payload, salt=CHALLENGE_SALT, compress=False)
    return Challenge(
        token=token, question=f"{_number_words(a)}加{_number_words(b)}等于几？", bits=pow_bits()
    )


def parse_number(text: str) -> int | None:
    """Digits (half- or full-width) or Chinese numerals up to 九十九."""
    value = unicodedata.normalize("NFKC", text).strip()
    if value.isdigit() and len(value) <= 3:
        return int(value)
    if not value or any(ch not in WORDS for ch in value) or len(value) > 3:
        return None
    if "十" not in value:
        return WORDS[value] if len(value) == 1 else None
    tens, _, ones = value.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (WORDS[tens] if tens else 1) * 10 + (WORDS[ones] if ones else 0)


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        bits += 8 - byte.bit_length()
        break
    return bits


def challenge_check(*, token: str, proof: str, answer: str) -> str | None:
    """The challenge's nonce when it is solved (by proof of work or by the answer), else None."""
    try:
        payload = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    nonce, bits, mac = (
        str(payload.get("n", "")),
        int(payload.get("b", 0)),
        str(payload.get("m", "")),
    )
    proof = proof.strip()[:32]
    if proof.isdigit():
        digest = hashlib.sha256(f"{token}:{proof}".encode()).digest()
        if _leading_zero_bits(digest) >= bits:
            return nonce
    number = parse_number(answer[:10])
    if number is not None and hmac.compare_digest(_answer_mac(nonce, number), mac):
        return nonce
    return None


def challenge_used(nonce: str) -> bool:
    return cache.get(f"portal:challenge:{nonce}") is not None


def challenge_spend(nonce: str) -> None:
    cache.set(f"portal:challenge:{nonce}", 1, CHALLENGE_MAX_AGE + 60)
