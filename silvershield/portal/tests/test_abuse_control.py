"""Abuse control without knowing anyone: rate limits on submissions and receipt look-ups
(per hashed client and per code prefix), answered in Chinese with 429; no reporter address or
user agent anywhere after a submission — database, logs, cache."""

from __future__ import annotations

import logging
import pickle
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import World, raw_database_dump
from silvershield.intake.models import Tip
from silvershield.portal import abuse, codes
from silvershield.portal.tests.conftest import jpeg_with_exif, receipt_code, report_data

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (Linux; Android 9) ElderPhone-UA-7731"


def _cache_contents() -> str:
    store: dict[str, Any] = getattr(cache, "_cache", {})
    parts = []
    for key, value in store.items():
        parts.append(key)
        try:
            parts.append(repr(pickle.loads(value)))  # noqa: S301 - our own test cache
        except Exception:
            parts.append(repr(value))
    return "\n".join(parts)


def test_no_address_or_user_agent_anywhere_after_a_submission(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=ADDRESS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = report_data(client, reporter_phone="13905720001", passphrase="自己的密码")
    data["attachments"] = [SimpleUploadedFile("a.jpg", jpeg_with_exif(), content_type="image/jpeg")]
    code = receipt_code(client.post(reverse("portal:report"), data).content.decode())
    client.post(reverse("portal:status"), {"code": code, "passphrase": "自己的密码"})
    client.get(reverse("portal:status"))
    client.post(reverse("portal:status_message"), {"text": "补充一点情况"})
    client.post(reverse("portal:status"), {"code": codes.code_new()})
    assert Tip.objects.count() == 1
    dump = raw_database_dump()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    cached = _cache_contents()
    assert cached  # the rate-limit counters are there
    for needle in (ADDRESS, "203.0.113", AGENT, "ElderPhone-UA"):
        assert needle not in dump
        assert needle not in logged
        assert needle not in cached


def test_the_client_hash_is_keyed_and_changes_with_the_day_key(rf: Any) -> None:
    request = rf.get("/", REMOTE_ADDR=ADDRESS)
    first = abuse.client_hash(request)
    assert ADDRESS not in first and first == abuse.client_hash(request)
    assert first != abuse.client_hash(rf.get("/", REMOTE_ADDR="198.51.100.1"))
    cache.clear()  # the day's key is gone: the same address no longer maps to the same hash
    assert abuse.client_hash(request) != first


def test_submissions_are_rate_limited_per_client(
    client: Client, world: World, settings: Any
) -> None:
    settings.SILVERSHIELD_PORTAL_SUBMIT_LIMIT = 2
    for _ in range(2):
        assert client.post(reverse("portal:report"), report_data(client)).status_code == 200
    refused = client.post(reverse("portal:report"), report_data(client))
    assert refused.status_code == 429
    assert "提交太频繁" in refused.content.decode()
    assert Tip.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert receipt_code(other.post(reverse("portal:report"), report_data(other)).content.decode())


def test_lookups_are_rate_limited_per_client(client: Client, world: World, settings: Any) -> None:
    settings.SILVERSHIELD_PORTAL_LOOKUP_LIMIT = 3
    for _ in range(3):
        assert client.post(reverse("portal:status"), {"code": codes.code_new()}).status_code == 200
    refused = client.post(reverse("portal:status"), {"code": codes.code_new()})
    assert refused.status_code == 429 and "查询次数太多" in refused.content.decode()


def test_lookups_are_rate_limited_per_code_prefix(world: World, settings: Any) -> None:
    settings.SILVERSHIELD_PORTAL_PREFIX_LIMIT = 3
    prefix = "ABCD"
    for i in range(3):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        response = guesser.post(reverse("portal:status"), {"code": prefix + codes.code_new()[4:]})
        assert response.status_code == 200
    refused = Client(REMOTE_ADDR="198.51.100.200").post(
        reverse("portal:status"), {"code": prefix.lower() + "-" + codes.code_new()[4:]}
    )
    assert refused.status_code == 429
    other_prefix = Client(REMOTE_ADDR="198.51.100.201").post(
        reverse("portal:status"), {"code": codes.code_new()}
    )
    assert other_prefix.status_code == 200


def test_chinese_numerals_are_understood() -> None:
    assert abuse.parse_number("十二") == 12
    assert abuse.parse_number("十") == 10
    assert abuse.parse_number("七") == 7
    assert abuse.parse_number("１３") == 13
    assert abuse.parse_number("一百") is None
    assert abuse.parse_number("abc") is None
