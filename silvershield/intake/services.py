"""Writes on tips: entry, identity reveal, view records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from silvershield.core import identity
from silvershield.core.access import require
from silvershield.core.audit import Entry as AuditEntry
from silvershield.core.audit import audit_record, audit_record_many
from silvershield.core.permissions import Perm, role_has
from silvershield.core.sequences import next_values
from silvershield.geo.models import Region
from silvershield.intake.models import Channel, Tip, TipReporter, TipState
from silvershield.intake.search import segment
from silvershield.orgs.models import Unit, User

# Announced after a tip's transaction commits; higher layers (screening, linking) listen.
tip_created = Signal()

MAX_CONTENT = 20000
MAX_MONEY = Decimal("999999999999.99")


@dataclass(frozen=True)
class ReporterInput:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(v.strip() for v in (self.name, self.phone, self.id_number, self.address))


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    phone: str
    id_number: str
    address: str


def creating_unit(*, actor: User, region: Region) -> Unit:
    """The actor's unit that may file a tip located in ``region``."""
    for membership in actor.memberships.select_related("unit", "unit__region").filter(
        unit__is_active=True
    ):
        if not role_has(membership.role, Perm.TIP_CREATE):
            continue
        unit_region = membership.unit.region
        if unit_region is None or region.path.startswith(unit_region.path):
            return membership.unit
    raise ValidationError({"region": "该地区不在您单位的管辖范围内"})


def _clean_money(value: Decimal | str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"money_amount": "金额格式不正确"}) from None
    if amount < 0:
        raise ValidationError({"money_amount": "金额不能为负数"})
    if amount > MAX_MONEY:
        raise ValidationError({"money_amount": "金额过大，请核对"})
    return amount


def _validate_reporter(reporter: ReporterInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if reporter.phone.strip() and identity.normalize_phone(reporter.phone) is None:
        errors["reporter_phone"] = "请填写有效的手机号码或带区号的固定电话"
    if reporter.id_number.strip() and identity.normalize_id_number(reporter.id_number) is None:
        errors["reporter_id_number"] = "身份证号码格式或校验位不正确"
    if len(reporter.name) > 50:
        errors["reporter_name"] = "姓名不超过50个字"
    if len(reporter.address) > 200:
        errors["reporter_address"] = "地址不超过200个字"
    return errors


@transaction.atomic
def tip_build(
    *,
    actor: User,
    unit: Unit | None,
    channel: str,
    region: Region,
    content: str,
    received_at: dt.datetime | None = None,
    title: str = "",
    involved_institution: str = "",
    involved_person: str = "",
    involved_phone: str = "",
    money_amount: Decimal | str | None = None,
    victim_count: int | None = None,
    occurred_on: dt.date | None = None,
    reporter: ReporterInput | None = None,
    campaign_id: int | None = None,
    source_ref: str = "",
) -> tuple[Tip, dict[str, str]]:
    """Check a tip's fields and build it, unsaved and unnumbered, for :func:`tips_file`.

    Returns the tip and the field errors (Chinese); no database query, so a bulk import can build
    thousands of tips and file the good ones in one batch."""
    errors: dict[str, str] = {}
    content = content.strip()
    if not content:
        errors["content"] = "请填写线索内容"
    elif len(content) > MAX_CONTENT:
        errors["content"] = f"线索内容不超过{MAX_CONTENT}字"
    if channel not in Channel.values:
        errors["channel"] = "请选择来源渠道"
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = "受理时间不能晚于现在"
    if occurred_on and occurred_on > timezone.localdate():
        errors["occurred_on"] = "发生日期不能晚于今天"
    if victim_count is not None and victim_count < 0:
        errors["victim_count"] = "受害人数不能为负数"
    if reporter is not None:
        errors.update(_validate_reporter(reporter))
    try:
        amount = _clean_money(money_amount)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        amount = None
    anonymous = reporter is None or reporter.is_empty
    tip = Tip(
        campaign_id=campaign_id,
        channel=channel,
        received_at=received_at,
        region=region,
        owner_unit=unit,
        created_by=actor,
        created_by_unit=unit,
        title=title.strip()[:100],
        content=content,
        content_seg=segment(content) if not errors else "",
        involved_institution=involved_institution.strip()[:200],
        involved_person=involved_person.strip()[:100],
        involved_phone=(identity.normalize_phone(involved_phone) or involved_phone.strip())[:40],
        money_amount=amount,
        victim_count=victim_count,
        occurred_on=occurred_on,
        state=TipState.RECEIVED,
        is_anonymous=anonymous,
        source_ref=source_ref.strip()[:64],
    )
    return tip, errors


def tips_file(*, actor: User, drafts: Sequence[tuple[Tip, ReporterInput | None]]) -> list[Tip]:
    """Number and save built tips (:func:`tip_build`, checked) with their encrypted reporters,
    each with its "tip.created" audit event: one numbering lock per year and one insert per table
    for the whole batch. Numbers are XS + year of receipt + a gap-free seven-digit counter."""
    if not drafts:
        return []
    by_year: dict[int, list[Tip]] = {}
    for tip, _ in drafts:
        by_year.setdefault(timezone.localtime(tip.received_at).year, []).append(tip)
    for year, tips in by_year.items():
        first = next_values(key=f"tip-number-{year}", count=len(tips))
        for offset, tip in enumerate(tips):
            tip.number = f"XS{year}{first + offset:07d}"
    Tip.objects.bulk_create([tip for tip, _ in drafts])
    TipReporter.objects.bulk_create(
        [
            TipReporter(
                tip=tip,
                name=reporter.name.strip(),
                phone=reporter.phone.strip(),
                id_number=reporter.id_number.strip().upper(),
                address=reporter.address.strip(),
                phone_index=identity.phone_index(reporter.phone),
                id_index=identity.id_index(reporter.id_number),
            )
            for tip, reporter in drafts
            if reporter is not None and not tip.is_anonymous
        ]
    )
    # Every tip's timeline starts the same way, however it was filed; one insert for the batch.
    audit_record_many(
        [
            AuditEntry(
                actor=actor,
                action="tip.created",
                obj=tip,
                summary=f"登记线索（{tip.get_channel_display()}）",
                data={
                    "channel": tip.channel,
                    "unit_id": tip.owner_unit_id,
                    "anonymous": tip.is_anonymous,
                },
            )
            for tip, _ in drafts
        ]
    )
    return [tip for tip, _ in drafts]


def tip_create(
    *,
    actor: User,
    channel: str,
    region: Region,
    content: str,
    received_at: dt.datetime | None = None,
    title: str = "",
    involved_institution: str = "",
    involved_person: str = "",
    involved_phone: str = "",
    money_amount: Decimal | str | None = None,
    victim_count: int | None = None,
    occurred_on: dt.date | None = None,
    reporter: ReporterInput | None = None,
    campaign_id: int | None = None,
    source_ref: str = "",
) -> Tip:
    """File a tip received by staff (phone, letter, visit, …). ``reporter=None`` is anonymous."""
    require(actor, Perm.TIP_CREATE)
    errors: dict[str, str] = {}
    try:
        unit = creating_unit(actor=actor, region=region)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        unit = None
    tip, field_errors = tip_build(
        actor=actor,
        unit=unit,
        channel=channel,
        region=region,
        content=content,
        received_at=received_at,
        title=title,
        involved_institution=involved_institution,
        involved_person=involved_person,
        involved_phone=involved_phone,
        money_amount=money_amount,
        victim_count=victim_count,
        occurred_on=occurred_on,
        reporter=reporter,
        campaign_id=campaign_id,
        source_ref=source_ref,
    )
    errors = {**field_errors, **errors}
    if tip.source_ref and Tip.objects.filter(channel=channel, source_ref=tip.source_ref).exists():
        errors["source_ref"] = "该来源编号的线索已经登记过"
    if errors:
        raise ValidationError(errors)
    tips_file(actor=actor, drafts=[(tip, reporter)])
    transaction.on_commit(lambda: tip_created.send(sender=Tip, tip_id=tip.pk))
    return tip


def tip_record_view(*, actor: User, tip: Tip) -> None:
    """Views of tip content are audited (DESIGN.md "Access and protection")."""
    audit_record(actor=actor, action="tip.viewed", obj=tip, summary="查看线索内容")
