"""The 转办函 read back from the .docx: number, recipients, deadline, the tips' substance and no
reporter identity; issued letters never change."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from conftest import World, file_tip
from silvershield.core.choices import FraudType
from silvershield.intake.services import ReporterInput
from silvershield.orgs.models import User
from silvershield.workflow import services
from silvershield.workflow.models import Transfer, TransferLetter

pytestmark = pytest.mark.django_db

REPORTER = ReporterInput(name="欧阳翠花", phone="13957201234", address="吴兴区幸福路88号")


@pytest.fixture
def letter_transfer(world: World, city_office: User) -> Transfer:
    world.city_office.doc_prefix = "湖养诈办"
    world.city_office.save(update_fields=["doc_prefix"])
    tip = file_tip(
        city_office,
        world.town_a,
        "康乐夕阳红养老服务有限公司以预收床位费为名收取老人会员费",
        reporter=REPORTER,
        involved_institution="康乐夕阳红养老服务有限公司",
    )
    tip = services.tip_classify(actor=city_office, tip=tip, fraud_type=FraudType.ELDER_SERVICE)
    (transfer,) = services.tips_transfer(
        actor=city_office,
        tips=[tip],
        lead_unit=world.county_a_police,
        co_units=[world.county_a_civil],
        working_days=15,
    )
    return transfer


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def test_the_letter_reads_back_with_number_deadline_and_no_identity(
    letter_transfer: Transfer, city_office: User, client: Client
) -> None:
    letter = letter_transfer.letter
    assert letter is not None
    year = timezone.localdate().year
    assert letter.number == f"湖养诈办〔{year}〕1号"
    client.force_login(city_office)
    response = client.get(reverse("documents:transfer_letter", args=[letter.pk]))
    assert response.status_code == 200
    text = _text(response.content)
    assert f"湖养诈办〔{year}〕1号" in text
    assert "吴兴公安分局" in text
    assert "吴兴区民政局配合" in text
    assert letter.deadline_text in text
    assert "24时前" in text
    assert "康乐夕阳红养老服务有限公司" in text
    assert letter_transfer.tip.number in text
    for secret in (REPORTER.name, REPORTER.phone, REPORTER.address):
        assert secret not in text


def test_the_receiving_unit_can_download_other_units_cannot(
    letter_transfer: Transfer, county_a_police: User, county_b_office: User, client: Client
) -> None:
    letter = letter_transfer.letter
    assert letter is not None
    client.force_login(county_a_police)
    assert client.get(reverse("documents:transfer_letter", args=[letter.pk])).status_code == 200
    client.force_login(county_b_office)
    assert client.get(reverse("documents:transfer_letter", args=[letter.pk])).status_code == 404


def test_issued_letters_never_change(letter_transfer: Transfer) -> None:
    assert letter_transfer.letter_id is not None
    letter = TransferLetter.objects.get(pk=letter_transfer.letter_id)
    letter.title = "改过的标题"
    with pytest.raises(PermissionError):
        letter.save()
    assert TransferLetter.objects.get(pk=letter.pk).title != "改过的标题"


def test_numbers_run_on_per_office_and_year(
    world: World, city_office: User, letter_transfer: Transfer
) -> None:
    tip = file_tip(city_office, world.county_a, "又一条线索：冒充社保局代办补缴")
    tip = services.tip_classify(actor=city_office, tip=tip, fraud_type=FraudType.PENSION_INSURANCE)
    (second,) = services.tips_transfer(
        actor=city_office, tips=[tip], lead_unit=world.county_a_police
    )
    assert second.letter is not None
    assert second.letter.number == f"湖养诈办〔{timezone.localdate().year}〕2号"
