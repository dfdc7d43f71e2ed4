"""Reporter identity: encrypted at rest, never in logs or exports, revealed only with a reason."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import World, file_tip, raw_database_dump
from silvershield.core.models import AuditEvent
from silvershield.intake import reveal
from silvershield.intake.models import Tip
from silvershield.intake.services import ReporterInput
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db

SECRET = ReporterInput(
    name="欧阳翠花", phone="13957201234", id_number="330502194501010014", address="吴兴区幸福路88号"
)


def _valid_id() -> str:
    from stdnum.cn import ric

    body = "33050219450101001"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def secret_tip(county_a_office: User, world: World) -> Tip:
    reporter = ReporterInput(
        name=SECRET.name, phone=SECRET.phone, id_number=_valid_id(), address=SECRET.address
    )
    return file_tip(
        county_a_office, world.county_a, "有人冒充社保局代办补缴养老保险", reporter=reporter
    )


def _needles() -> list[str]:
    return [SECRET.name, SECRET.phone, _valid_id(), SECRET.address, "13957201234"]


def test_identity_is_absent_from_a_full_database_dump(
    secret_tip: Tip, city_office: User, client: Client
) -> None:
    client.force_login(city_office)
    client.get(reverse("intake:detail", args=[secret_tip.pk]))
    client.get(reverse("intake:list"))
    dump = raw_database_dump()
    assert secret_tip.number in dump  # the dump really contains the tip
    for needle in _needles():
        assert needle not in dump


def test_identity_is_absent_from_the_logs(
    county_a_office: User,
    world: World,
    city_office: User,
    client: Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    reporter = ReporterInput(
        name=SECRET.name, phone=SECRET.phone, id_number=_valid_id(), address=SECRET.address
    )
    tip = file_tip(county_a_office, world.county_a, reporter=reporter)
    client.force_login(city_office)
    client.get(reverse("intake:detail", args=[tip.pk]))
    client.post(
        reverse("intake:reveal", args=[tip.pk]), {"step": "request", "reason": "核实举报人联系方式"}
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for needle in _needles():
        assert needle not in logged


def test_list_and_export_do_not_show_identity(
    secret_tip: Tip, city_office: User, client: Client
) -> None:
    client.force_login(city_office)
    html = client.get(reverse("intake:list")).content.decode()
    assert secret_tip.number in html
    cells = (
        load_workbook(io.BytesIO(client.get(reverse("intake:export")).content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    text = " ".join(str(c) for row in cells for c in row if c)
    assert secret_tip.number in text
    for needle in _needles():
        assert needle not in html
        assert needle not in text


def test_detail_page_does_not_show_identity_until_revealed(
    secret_tip: Tip, city_office: User, client: Client
) -> None:
    client.force_login(city_office)
    html = client.get(reverse("intake:detail", args=[secret_tip.pk])).content.decode()
    assert "实名举报" in html
    for needle in _needles():
        assert needle not in html


def _custodian(world: World) -> User:
    from conftest import make_user
    from silvershield.core.permissions import Role

    return make_user("keeper", world.city_office, Role.IDENTITY_CUSTODIAN)


def test_reveal_needs_a_reason_a_second_person_and_is_audited(
    secret_tip: Tip, city_office: User, world: World
) -> None:
    for reason in ("  ", "看看"):
        with pytest.raises(ValidationError) as exc:
            reveal.reveal_request(actor=city_office, tip=secret_tip, reason=reason)
        assert "reason" in exc.value.message_dict
    request = reveal.reveal_request(
        actor=city_office, tip=secret_tip, reason="需回访举报人核实细节"
    )
    with pytest.raises(ValidationError):
        reveal.reveal_open(actor=city_office, request=request)  # not approved yet
    assert not AuditEvent.objects.filter(action="tip.identity_revealed").exists()
    reveal.reveal_decide(actor=_custodian(world), request=request, approve=True)
    request.refresh_from_db()
    identity = reveal.reveal_open(actor=city_office, request=request)
    assert identity.name == SECRET.name
    assert identity.phone == SECRET.phone
    event = AuditEvent.objects.get(action="tip.identity_revealed", object_id=str(secret_tip.pk))
    assert event.actor_name == "city_office"


def test_reveal_refused_without_the_permission_and_the_refusal_is_audited(
    secret_tip: Tip, world: World
) -> None:
    from conftest import make_user
    from silvershield.core.permissions import Role

    leader = make_user("leader", world.city_office, Role.OFFICE_LEADER)
    with pytest.raises(PermissionDenied):
        reveal.reveal_request(actor=leader, tip=secret_tip, reason="想了解一下")
    assert AuditEvent.objects.filter(
        action="tip.identity_reveal_denied", actor_name="leader"
    ).exists()


def test_one_person_alone_cannot_reveal_through_the_page(
    secret_tip: Tip, city_office: User, client: Client
) -> None:
    client.force_login(city_office)
    url = reverse("intake:reveal", args=[secret_tip.pk])
    asked = client.post(
        url, {"step": "request", "reason": "回访核实情况"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "须经身份信息保管人批准" in asked
    request = secret_tip.reveal_requests.get()
    early = client.post(
        url, {"step": "open", "request_id": request.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    for needle in _needles():
        assert needle not in asked
        assert needle not in early


def test_every_view_of_tip_content_is_recorded(
    secret_tip: Tip, city_office: User, client: Client
) -> None:
    client.force_login(city_office)
    client.get(reverse("intake:detail", args=[secret_tip.pk]))
    client.get(reverse("intake:detail", args=[secret_tip.pk]))
    assert (
        AuditEvent.objects.filter(
            action="tip.viewed", object_id=str(secret_tip.pk), actor_name="city_office"
        ).count()
        == 2
    )
