import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import REPORTER, World, file_tip
from silvershield.core.models import AuditEvent
from silvershield.intake.models import Tip, TipReporter, TipState
from silvershield.intake.selectors import TipFilters, tip_list_visible_to, tips_by_reporter
from silvershield.intake.services import ReporterInput
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def test_phone_intake_records_a_numbered_tip_with_an_audit_event(
    county_a_office: User, world: World
) -> None:
    tip = file_tip(county_a_office, world.town_a, reporter=REPORTER, money_amount="35000")
    assert tip.number.startswith(f"XS{timezone.localdate().year}")
    assert tip.state == TipState.RECEIVED
    assert tip.owner_unit == world.county_a_office
    assert not tip.is_anonymous
    event = AuditEvent.objects.get(action="tip.created", object_id=str(tip.pk))
    assert event.actor_name == "county_a_office"
    assert REPORTER.name not in str(event.data) and REPORTER.phone not in str(event.data)


def test_numbers_are_unique_and_increasing(county_a_office: User, world: World) -> None:
    first = file_tip(county_a_office, world.county_a)
    second = file_tip(county_a_office, world.county_a)
    assert int(second.number[-7:]) == int(first.number[-7:]) + 1


def test_anonymous_tip_has_no_reporter_row(county_a_office: User, world: World) -> None:
    tip = file_tip(county_a_office, world.county_a, reporter=None)
    assert tip.is_anonymous
    assert not TipReporter.objects.filter(tip=tip).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"content": "   "}, "content"),
        ({"content": "x" * 20001}, "content"),
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"money_amount": "-5"}, "money_amount"),
        ({"money_amount": "abc"}, "money_amount"),
        ({"reporter": ReporterInput(phone="12345")}, "reporter_phone"),
        ({"reporter": ReporterInput(id_number="110101199001011234")}, "reporter_id_number"),
        ({"received_at": timezone.now() + dt.timedelta(days=2)}, "received_at"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_written(
    county_a_office: User, world: World, kwargs: dict[str, Any], field: str
) -> None:
    kwargs.setdefault("content", "养老诈骗线索")
    before = Tip.objects.count()
    with pytest.raises(ValidationError) as exc:
        file_tip(county_a_office, world.county_a, **kwargs)
    assert field in exc.value.message_dict
    assert Tip.objects.count() == before


def test_a_county_office_cannot_file_for_another_county(
    county_a_office: User, world: World
) -> None:
    with pytest.raises(ValidationError) as exc:
        file_tip(county_a_office, world.county_b)
    assert "region" in exc.value.message_dict


def test_blind_index_finds_the_same_reporter_without_decrypting(
    city_office: User,
    county_a_office: User,
    county_b_office: User,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = file_tip(
        county_a_office, world.county_a, reporter=ReporterInput(name="王秀英", phone="13805720001")
    )
    second = file_tip(
        county_b_office,
        world.county_b,
        reporter=ReporterInput(name="王某", phone="+86 138 0572 0001"),
    )
    file_tip(
        county_a_office, world.county_a, reporter=ReporterInput(name="李四", phone="13905720002")
    )

    from silvershield.core import crypto

    def refuse(token: str) -> str:
        raise AssertionError("the blind-index search must not decrypt")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    found = {t.pk for t in tips_by_reporter(user=city_office, phone="138-0572-0001")}
    assert found == {first.pk, second.pk}
    assert {t.pk for t in tips_by_reporter(user=county_a_office, phone="13805720001")} == {first.pk}


def test_keyword_search_over_chinese_text(county_a_office: User, world: World) -> None:
    hit = file_tip(county_a_office, world.county_a, "老人在养老公寓预交了床位费，现在退不了")
    file_tip(county_a_office, world.county_a, "小区广场舞噪音扰民")
    found = tip_list_visible_to(user=county_a_office, filters=TipFilters(q="床位费"))
    assert [t.pk for t in found] == [hit.pk]
    assert (
        tip_list_visible_to(user=county_a_office, filters=TipFilters(q="养老公寓 退")).count() == 1
    )
    assert tip_list_visible_to(user=county_a_office, filters=TipFilters(q="以房养老")).count() == 0


def test_entry_form_keeps_valid_input_and_explains_errors_in_chinese(
    county_a_office: User, world: World, client: Client
) -> None:
    client.force_login(county_a_office)
    response = client.post(
        reverse("intake:create"),
        {
            "channel": "phone",
            "region_0": "330000000000",
            "region_1": world.city.code,
            "region_2": world.county_a.code,
            "content": "有人上门推销保健品",
            "involved_institution": "百岁堂健康科技",
            "money_amount": "-1",
            "reporter_name": "王秀英",
            "reporter_phone": "123",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写有效的手机号码" in html or "确保该值大于或等于" in html
    assert "百岁堂健康科技" in html and "有人上门推销保健品" in html
    assert Tip.objects.count() == 0


def test_entry_form_creates_and_redirects_to_the_tip(
    county_a_office: User, world: World, client: Client
) -> None:
    client.force_login(county_a_office)
    response = client.post(
        reverse("intake:create"),
        {
            "channel": "letter",
            "region_0": "330000000000",
            "region_1": world.city.code,
            "region_2": world.county_a.code,
            "region_3": world.town_a.code,
            "content": "来信反映有人冒充民政局收取养老金认证费",
            "anonymous": "on",
        },
    )
    tip = Tip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:detail", args=[tip.pk])
    assert tip.region == world.town_a
    assert tip.is_anonymous
