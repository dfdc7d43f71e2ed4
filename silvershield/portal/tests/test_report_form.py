"""The public report form: one click from home, only the description required, routed to the
responsible office, the challenge, limits and Chinese messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Channel, Tip, TipReporter
from silvershield.portal.models import Receipt
from silvershield.portal.services import office_for_region
from silvershield.portal.tests.conftest import receipt_code, report_data

pytestmark = pytest.mark.django_db


def test_home_links_to_the_report_form_in_one_click(client: Client, world: World) -> None:
    html = client.get("/").content.decode()
    assert 'lang="zh-Hans"' in html
    assert f'href="{reverse("portal:report")}"' in html
    assert "我要举报" in html


def test_only_the_description_is_required(client: Client, world: World) -> None:
    response = client.post(reverse("portal:report"), report_data(client))
    assert response.status_code == 200
    code = receipt_code(response.content.decode())
    tip = Tip.objects.get()
    assert tip.channel == Channel.PORTAL
    assert tip.is_anonymous
    assert tip.created_by is None
    # No region chosen: the highest office there is takes it.
    assert tip.owner_unit == world.city_office
    assert len(code.replace("-", "")) == 16
    assert Receipt.objects.filter(tip=tip).exists()
    event = AuditEvent.objects.get(action="tip.created", object_id=str(tip.pk))
    assert event.actor_id is None and "网上举报" in event.summary


def test_a_tip_goes_to_the_nearest_office_at_or_above_the_region(
    client: Client, world: World
) -> None:
    assert office_for_region(region=world.town_a) == world.county_a_office
    assert office_for_region(region=world.county_b) == world.county_b_office
    assert office_for_region(region=world.city) == world.city_office
    data = report_data(
        client,
        what="elder_product",
        region_0=world.city.parent.code if world.city.parent else "",
        region_1=world.city.code,
        region_2=world.county_a.code,
        region_3=world.town_a.code,
        occurred_on="2025-03-01",
        money_amount="8000",
        involved_institution="福寿康保健品店",
        involved_phone="0572-2123456",
        involved_site="“健康长寿”微信群",
        reporter_name="李桂兰",
        reporter_phone="13905721234",
    )
    response = client.post(reverse("portal:report"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    tip = Tip.objects.get()
    assert tip.region == world.town_a
    assert tip.owner_unit == world.county_a_office
    assert str(tip.money_amount) == "8000.00"
    assert "健康长寿" in tip.content and "保健品" in tip.content
    assert not tip.is_anonymous
    reporter = TipReporter.objects.get(tip=tip)
    assert reporter.name == "李桂兰" and reporter.phone_index


def test_without_javascript_the_arithmetic_question_lets_the_report_through(
    client: Client, world: World
) -> None:
    data = report_data(client)
    data["pow"] = ""
    refused = client.post(reverse("portal:report"), {**data, "answer": "一百"})
    assert "算术题" in refused.content.decode()
    assert Tip.objects.count() == 0
    html = refused.content.decode()
    # The question is in words; the form kept what was written.
    assert "等于几" in html and "推销保健品" in html
    from silvershield.portal.abuse import WORDS, parse_number

    question = html.split("请回答：", 1)[1].split("等于几", 1)[0]
    left, right = question.split("加")
    answer = (parse_number(left) or 0) + (parse_number(right) or 0)
    assert all(ch in WORDS for ch in left + right)
    challenge = html.split('name="challenge" id="id_challenge" value="', 1)[1].split('"', 1)[0]
    accepted = client.post(
        reverse("portal:report"),
        {**data, "challenge": challenge, "pow": "", "answer": str(answer)},
    )
    assert receipt_code(accepted.content.decode())
    assert Tip.objects.count() == 1


def test_every_field_has_a_limit_and_a_chinese_message(client: Client, world: World) -> None:
    data = report_data(
        client,
        content="",
        involved_institution="机" * 201,
        money_amount="一万",
        reporter_phone="123",
        passphrase="ab",
        occurred_on="2999-01-01",
    )
    html = client.post(reverse("portal:report"), data).content.decode()
    assert "请写一写发生了什么事" in html
    assert "不超过200个字" in html
    assert "请只填数字" in html
    assert "电话号码不正确" in html
    assert "查询密码至少4个字" in html
    assert Tip.objects.count() == 0
    long_text = client.post(
        reverse("portal:report"), report_data(client, content="字" * 5001)
    ).content.decode()
    assert "不超过5000个字" in long_text


def test_anonymous_with_contact_details_is_explained(client: Client, world: World) -> None:
    html = client.post(
        reverse("portal:report"),
        report_data(client, anonymous="on", reporter_phone="13905721234"),
    ).content.decode()
    assert "您选了匿名举报" in html
    assert Tip.objects.count() == 0


def test_double_submission_creates_one_tip_and_shows_the_same_code(
    client: Client, world: World
) -> None:
    data = report_data(client, reporter_phone="13905721234")
    first = client.post(reverse("portal:report"), data)
    second = client.post(reverse("portal:report"), data)
    assert Tip.objects.count() == 1
    assert receipt_code(first.content.decode()) == receipt_code(second.content.decode())
    fresh = client.post(reverse("portal:report"), report_data(client))
    assert receipt_code(fresh.content.decode()) != receipt_code(first.content.decode())
    assert Tip.objects.count() == 2


def test_a_spent_challenge_cannot_file_a_second_tip(client: Client, world: World) -> None:
    data = report_data(client)
    client.post(reverse("portal:report"), data)
    again = client.post(reverse("portal:report"), {**data, "token": "x" * 43})
    assert "算术题" in again.content.decode()
    assert Tip.objects.count() == 1


def test_every_form_carries_a_csrf_token(world: World) -> None:
    strict = Client(enforce_csrf_checks=True)
    data = report_data(strict)
    assert (
        strict.post(reverse("portal:report"), {**data, "csrfmiddlewaretoken": ""}).status_code
        == 403
    )
    for name in ("portal:report", "portal:status", "portal:home"):
        assert "csrfmiddlewaretoken" in strict.get(reverse(name)).content.decode()
