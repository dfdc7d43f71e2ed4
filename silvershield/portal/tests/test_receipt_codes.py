"""Receipt codes: long, random, no look-alikes, stored only hashed; a wrong code says only "not
found" and goes the same way as a right one."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import REPORTER, World, file_tip, raw_database_dump
from silvershield.orgs.models import User
from silvershield.portal import codes, services
from silvershield.portal.models import Receipt
from silvershield.portal.tests.conftest import receipt_code, report_data

pytestmark = pytest.mark.django_db


def test_codes_are_long_random_and_free_of_look_alikes() -> None:
    assert not set("01OIL") & set(codes.ALPHABET)
    assert codes.CODE_LENGTH >= 16
    assert codes.CODE_LENGTH * math.log2(len(codes.ALPHABET)) >= 75
    sample = [codes.code_new() for _ in range(2000)]
    assert len(set(sample)) == len(sample)
    assert all(len(c) == 16 and set(c) <= set(codes.ALPHABET) for c in sample)
    counts = Counter("".join(sample))
    expected = 2000 * 16 / len(codes.ALPHABET)
    assert set(counts) == set(codes.ALPHABET)
    assert all(abs(n - expected) < expected * 0.25 for n in counts.values())
    derived = {codes.code_from_token(codes.token_new()) for _ in range(500)}
    assert len(derived) == 500 and all(set(c) <= set(codes.ALPHABET) for c in derived)


def test_typing_is_forgiving_but_look_alikes_do_not_match() -> None:
    code = "ABCD2345EFGH6789"
    assert codes.code_hash("abcd-2345 efgh-6789") == codes.code_hash(code)
    assert codes.code_hash("ＡＢＣＤ２３４５ＥＦＧＨ６７８９") == codes.code_hash(code)
    assert codes.looks_valid("abcd-2345-efgh-6789")
    assert not codes.looks_valid("ABCD2345EFGH678O")


def test_the_code_is_stored_only_as_a_keyed_hash(client: Client, world: World) -> None:
    response = client.post(reverse("portal:report"), report_data(client, passphrase="桂花树下"))
    code = receipt_code(response.content.decode())
    receipt = Receipt.objects.get()
    dump = raw_database_dump()
    assert code not in dump and code.replace("-", "") not in dump
    assert "桂花树下" not in dump
    assert receipt.code_hash == codes.code_hash(code)
    assert receipt.passphrase_hash.startswith(("pbkdf2", "md5", "argon2", "bcrypt", "scrypt"))


def test_lookup_with_code_and_passphrase(client: Client, world: World) -> None:
    code = receipt_code(
        client.post(
            reverse("portal:report"), report_data(client, passphrase="桂花树下")
        ).content.decode()
    )
    assert services.receipt_lookup(code=code, passphrase="桂花树下") is not None
    assert services.receipt_lookup(code=code.lower(), passphrase="桂花树下") is not None
    assert services.receipt_lookup(code=code, passphrase="") is None
    assert services.receipt_lookup(code=code, passphrase="错的") is None
    assert services.receipt_lookup(code=codes.code_new(), passphrase="桂花树下") is None


def test_a_wrong_code_takes_the_same_path_as_a_right_one(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = receipt_code(client.post(reverse("portal:report"), report_data(client)).content.decode())
    calls: list[str] = []
    compares: list[tuple[Any, ...]] = []
    from django.contrib.auth.hashers import check_password as real_check

    real_equal = codes.hashes_equal

    def counting_check(password: str, encoded: str) -> bool:
        calls.append("check")
        return real_check(password, encoded)

    def counting_equal(a: str, b: str) -> bool:
        compares.append((a, b))
        return real_equal(a, b)

    monkeypatch.setattr("silvershield.portal.services.check_password", counting_check)
    monkeypatch.setattr(codes, "hashes_equal", counting_equal)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as right_queries:
        assert services.receipt_lookup(code=code) is not None
    with CaptureQueriesContext(connection) as wrong_queries:
        assert services.receipt_lookup(code=codes.code_new()) is None
    assert calls == ["check", "check"]  # the slow hash runs either way
    assert len(compares) == 2  # a constant-time comparison either way
    assert len(right_queries) == len(wrong_queries) == 1


def test_a_wrong_code_says_only_not_found(client: Client, world: World) -> None:
    client.post(reverse("portal:report"), report_data(client))
    html = client.post(
        reverse("portal:status"), {"code": codes.code_new(), "passphrase": ""}
    ).content.decode()
    assert "没有找到" in html
    assert "XS" not in html


def test_staff_give_a_phone_caller_a_code_once(
    client: Client, world: World, county_a_office: User
) -> None:
    tip = file_tip(county_a_office, world.county_a, reporter=REPORTER)
    client.force_login(county_a_office)
    url = reverse("portal:tip_receipt", args=[tip.pk])
    first = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    code = first.split('<p class="code">', 1)[1].split("<", 1)[0]
    assert codes.looks_valid(code)
    again = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "已发放过回执码" in again and code not in again
    assert Receipt.objects.filter(tip=tip).count() == 1
    detail = client.get(reverse("intake:detail", args=[tip.pk])).content.decode()
    assert code not in detail
    assert services.receipt_lookup(code=code) == tip
