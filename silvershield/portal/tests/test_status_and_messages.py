"""The status page: stage in plain words, deadline, the office's answer, and the message thread
with the handling office; identity is never shown back, not even to the reporter."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from silvershield.core.choices import FraudType
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip
from silvershield.orgs.models import User
from silvershield.portal.models import Author, Message
from silvershield.portal.tests.conftest import receipt_code, report_data
from silvershield.workflow import services as wf

pytestmark = pytest.mark.django_db


def _file(client: Client, world: World, **fields: str) -> tuple[Tip, str]:
    data = report_data(
        client,
        region_0=world.city.parent.code if world.city.parent else "",
        region_1=world.city.code,
        region_2=world.county_a.code,
        **fields,
    )
    code = receipt_code(client.post(reverse("portal:report"), data).content.decode())
    return Tip.objects.get(), code


def _open(client: Client, code: str) -> str:
    response = client.post(reverse("portal:status"), {"code": code, "passphrase": ""})
    assert response.status_code == 302
    return client.get(reverse("portal:status")).content.decode()


def test_the_reporter_follows_stage_deadline_and_answer(
    client: Client, world: World, city_office: User, county_a_office: User, county_a_police: User
) -> None:
    tip, code = _file(client, world, reporter_name="赵凤英", reporter_phone="13905729876")
    html = _open(client, code)
    assert "已收到" in html and tip.number in html
    assert "赵凤英" not in html and "13905729876" not in html and "9876" not in html
    wf.tip_classify(actor=county_a_office, tip=tip, fraud_type=FraudType.ELDER_PRODUCT)
    (transfer,) = wf.tips_transfer(
        actor=county_a_office, tips=[Tip.objects.get()], lead_unit=world.county_a_police
    )
    html = client.get(reverse("portal:status")).content.decode()
    assert "已交给负责部门" in html and f"应在 {transfer.due_text} 前办完" in html
    wf.transfer_sign(actor=county_a_police, transfer=transfer)
    report = wf.report_submit(
        actor=county_a_police,
        transfer=transfer,
        conclusion="true",
        facts="经核查，该店确有夸大保健品功效高价销售的行为，已立案调查。",
        measures=["case_filed"],
    )
    wf.report_review(actor=county_a_office, report=report, accept=True)
    wf.feedback_write(
        actor=county_a_police, tip=Tip.objects.get(), text="您反映的情况属实，公安机关已立案调查。"
    )
    html = client.get(reverse("portal:status")).content.decode()
    assert "公安机关已立案调查" in html
    assert "正在写答复" in html


def test_messages_both_ways_with_audit_events_and_a_staff_panel(
    client: Client, world: World, county_a_office: User, county_a_police: User
) -> None:
    tip, code = _file(client, world)
    _open(client, code)
    sent = client.post(reverse("portal:status_message"), {"text": "补充：对方还留了一个微信号。"})
    assert "留言已送出" in sent.content.decode()
    assert Message.objects.get().author == Author.REPORTER
    assert AuditEvent.objects.filter(
        action="portal.message_received", object_id=str(tip.pk)
    ).exists()
    # The event names no content.
    assert "微信号" not in AuditEvent.objects.get(action="portal.message_received").summary

    staff = Client()
    staff.force_login(county_a_office)
    page = staff.get(reverse("intake:detail", args=[tip.pk])).content.decode()
    assert "举报人留言与附件" in page and "对方还留了一个微信号" in page
    assert "举报人补充留言" in page  # in the timeline
    reply = staff.post(
        reverse("portal:tip_reply", args=[tip.pk]),
        {"text": "收到，请问微信号是多少？"},
        HTTP_HX_REQUEST="true",
    )
    assert reply.status_code == 200 and "请问微信号是多少" in reply.content.decode()
    html = client.get(reverse("portal:status")).content.decode()
    assert "请问微信号是多少" in html and "吴兴区专项办" in html
    assert "孙晓岚" not in html and "county_a_office" not in html

    # A unit that cannot see the tip cannot answer it.
    police = Client()
    police.force_login(county_a_police)
    assert (
        police.post(reverse("portal:tip_reply", args=[tip.pk]), {"text": "你好"}).status_code == 404
    )


def test_leaving_the_status_page_forgets_the_tip(client: Client, world: World) -> None:
    _tip, code = _file(client, world)
    _open(client, code)
    client.post(reverse("portal:status_leave"))
    html = client.get(reverse("portal:status")).content.decode()
    assert 'name="code"' in html and "送出留言" not in html
    assert client.post(reverse("portal:status_message"), {"text": "x"}).status_code == 302


def test_empty_message_is_explained(client: Client, world: World) -> None:
    _tip, code = _file(client, world)
    _open(client, code)
    html = client.post(reverse("portal:status_message"), {"text": "  "}).content.decode()
    assert "请写下要补充的内容" in html
    assert Message.objects.count() == 0


def test_grid_worker_files_a_tip_from_a_phone_page(client: Client, world: World) -> None:
    from conftest import make_user
    from silvershield.core.permissions import Role
    from silvershield.intake.models import Channel

    worker = make_user("grid_wang", world.county_a_office, Role.GRID_WORKER, full_name="王建国")
    client.force_login(worker)
    page = client.get(reverse("portal:grid")).content.decode()
    assert 'name="viewport"' in page and "巡查上报" in page
    response = client.post(
        reverse("portal:grid"),
        {
            "region_3": world.town_a.code,
            "content": "巡查发现某养生馆向老人推销“包治百病”的理疗床。",
        },
    )
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.channel == Channel.GRID and tip.created_by == worker and tip.region == world.town_a
    assert tip.number in response.content.decode()
    outsider = make_user("grid_li", world.county_b_office, Role.GRID_WORKER)
    client.force_login(outsider)
    refused = client.post(
        reverse("portal:grid"), {"region_3": world.town_a.code, "content": "情况说明文字"}
    )
    assert Tip.objects.count() == 1 and "errorlist" in refused.content.decode()
