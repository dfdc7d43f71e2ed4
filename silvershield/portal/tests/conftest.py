"""Portal fixtures: a clean cache and media folder per test, and a helper that fills in the
report form the way a browser does (token, challenge solved by proof of work)."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image

from silvershield.portal.abuse import _leading_zero_bits


@pytest.fixture(autouse=True)
def _portal_isolation(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SILVERSHIELD_SMS_LOG_FILE = str(tmp_path / "sms.log")
    cache.clear()
    yield
    cache.clear()


def solve_pow(token: str, bits: int) -> str:
    counter = 0
    while True:
        digest = hashlib.sha256(f"{token}:{counter}".encode()).digest()
        if _leading_zero_bits(digest) >= bits:
            return str(counter)
        counter += 1


def form_secrets(html: str) -> dict[str, str]:
    """The one-time token and the solved challenge from a rendered report form."""
    token = re.search(r'name="token" value="([^"]+)"', html)
    challenge = re.search(r'name="challenge" id="id_challenge" value="([^"]+)"', html)
    bits = re.search(r'data-bits="(\d+)"', html)
    assert token and challenge and bits
    return {
        "token": token.group(1),
        "challenge": challenge.group(1),
        "pow": solve_pow(challenge.group(1), int(bits.group(1))),
    }


def report_data(client: Client, **fields: Any) -> dict[str, Any]:
    html = client.get(reverse("portal:report")).content.decode()
    data: dict[str, Any] = {"content": "有人在小区门口推销保健品，说能治高血压，我妈花了八千元。"}
    data.update(form_secrets(html))
    data.update(fields)
    return data


RECEIPT = re.compile(r'<p class="code" aria-label="回执码">([0-9A-Z-]+)</p>')


def receipt_code(html: str) -> str:
    found = RECEIPT.search(html)
    assert found, html[:3000]
    return found.group(1)


def jpeg_with_exif(text: str = "GPS-SECRET-30.8703N") -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    exif[0x010F] = "CameraMakerXYZ"  # Make
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()
