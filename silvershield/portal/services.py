"""Writes of the public portal: a report from the public, receipt codes, the message thread,
attachments, and the SMS that tells a reporter there is news.

A portal tip has no staff actor: it is filed for the responsible office of the chosen region
(the nearest campaign office at or above it) and written the same way as
``intake.services.tip_create`` (same numbering, search copy, blind indexes, audit, signal).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone

from silvershield.core import identity
from silvershield.core.access import in_scope
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm, role_has
from silvershield.core.sequences import next_value
from silvershield.geo.models import Region
from silvershield.intake.models import Channel, Tip, TipReporter, TipState
from silvershield.intake.search import segment
from silvershield.intake.services import ReporterInput, tip_created
from silvershield.orgs.models import Unit, UnitKind, User
from silvershield.portal import codes, files, sms
from silvershield.portal.models import Attachment, Author, Message, Receipt, Submission

logger = logging.getLogger("silvershield.portal")

MAX_CONTENT = 5000
MAX_MESSAGE = 1000
PASSPHRASE_MIN = 4
PASSPHRASE_MAX = 64


@functools.cache
def _dummy_password() -> str:
    """A fixed hash checked when nothing matches, so a wrong code costs what a right one does."""
    return make_password("silvershield-portal-dummy")


@dataclass(frozen=True)
class PublicReport:
    content: str
    region: Region | None = None
    title: str = ""
    occurred_on: dt.date | None = None
    money_amount: Decimal | None = None
    involved_institution: str = ""
    involved_person: str = ""
    involved_phone: str = ""
    reporter: ReporterInput | None = None
    passphrase: str = ""


@dataclass(frozen=True)
class Filed:
    tip: Tip
    code: str
    created: bool  # False when this was a retry of a submission already filed


def office_for_region(*, region: Region | None) -> Unit:
    """The nearest active campaign office at or above ``region`` (the national office, or the
    highest office there is, when no region was chosen)."""
    offices = Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True).select_related("region")
    if region is not None:
        paths = [region.path[: i + 1] for i, ch in enumerate(region.path) if ch == "/"]
        paths.append(region.path)
        candidates = [u for u in offices.filter(region__path__in=paths) if u.region is not None]
        if candidates:
            return max(candidates, key=lambda u: len(u.region.path) if u.region else 0)
    national = offices.filter(region__isnull=True).order_by("id").first()
    if national is not None:
        return national
    if region is None:
        top = offices.annotate(depth=Length("region__path")).order_by("depth", "id").first()
        if top is not None:
            return top
    raise ValidationError({"region": "该地区暂未开通网上举报，请拨打当地举报电话反映"})


def _validate(report: PublicReport) -> dict[str, str]:
    errors: dict[str, str] = {}
    content = report.content.strip()
    if not content:
        errors["content"] = "请写一写发生了什么事"
    elif len(content) > MAX_CONTENT:
        errors["content"] = f"情况说明不超过{MAX_CONTENT}个字"
    if report.occurred_on and report.occurred_on > timezone.localdate():
        errors["occurred_on"] = "日期不能晚于今天"
    if report.money_amount is not None and not (
        Decimal(0) <= report.money_amount <= Decimal("999999999999.99")
    ):
        errors["money_amount"] = "金额不正确，请核对"
    reporter = report.reporter
    if reporter is not None and not reporter.is_empty:
        if reporter.phone.strip() and identity.normalize_phone(reporter.phone) is None:
            errors["reporter_phone"] = "电话号码不正确，请填写手机号或带区号的固定电话"
        if len(reporter.name) > 50:
            errors["reporter_name"] = "姓名不超过50个字"
        if len(reporter.address) > 200:
            errors["reporter_address"] = "地址不超过200个字"
    if report.passphrase and not (PASSPHRASE_MIN <= len(report.passphrase) <= PASSPHRASE_MAX):
        errors["passphrase"] = f"查询密码为{PASSPHRASE_MIN}到{PASSPHRASE_MAX}个字"
    return errors


def _attach(
    *, tip: Tip, checked: Sequence[files.CheckedFile], message: Message | None, actor: User | None
) -> list[Attachment]:
    saved = []
    for item in checked:
        saved.append(
            Attachment.objects.create(
                tip=tip,
                message=message,
                kind=item.kind,
                content_type=item.content_type,
                name=item.name,
                size=len(item.data),
                sha256=files.digest(item.data),
                original_path=files.store(item.data),
                clean_path=files.store(item.clean) if item.clean is not None else "",
                uploaded_at=timezone.now(),
                uploaded_by=actor,
            )
        )
    return saved


def portal_tip_create(
    *, token: str, report: PublicReport, attachments: Sequence[files.CheckedFile] = ()
) -> Filed:
    """File a report from the public. The form's one-time ``token`` makes it idempotent: a
    second submission with the same token files nothing and gives the same receipt code."""
    if len(token) < 20 or len(token) > 100:
        raise ValidationError({"__all__": "表单已失效，请重新打开举报页面"})
    errors = _validate(report)
    office: Unit | None = None
    try:
        office = office_for_region(region=report.region)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if len(attachments) > files.MAX_FILES:
        errors["attachments"] = f"一次最多上传{files.MAX_FILES}个文件"
    token_key = codes.token_hash(token)
    code = codes.code_from_token(token)
    existing = Submission.objects.filter(token_hash=token_key, tip__isnull=False).first()
    if existing is not None and existing.tip is not None:
        return Filed(existing.tip, code, created=False)
    if errors:
        raise ValidationError(errors)
    assert office is not None
    try:
        with transaction.atomic():
            tip = _file(
                token_key=token_key, code=code, report=report, office=office, checked=attachments
            )
    except IntegrityError:
        # The same submission is being (or was just) filed by a parallel request.
        done = Submission.objects.filter(token_hash=token_key, tip__isnull=False).first()
        if done is None or done.tip is None:
            raise ValidationError({"__all__": "提交正在处理中，请稍候刷新页面"}) from None
        return Filed(done.tip, code, created=False)
    return Filed(tip, code, created=True)


def _file(
    *,
    token_key: str,
    code: str,
    report: PublicReport,
    office: Unit,
    checked: Sequence[files.CheckedFile],
) -> Tip:
    now = timezone.now()
    submission = Submission.objects.create(token_hash=token_key, created_at=now)
    region = report.region or office.region
    if region is None:
        raise ValidationError({"region": "请选择事情发生的地区"})
    reporter = report.reporter
    anonymous = reporter is None or reporter.is_empty
    year = timezone.localtime(now).year
    number = f"XS{year}{next_value(key=f'tip-number-{year}'):07d}"
    content = report.content.strip()
    phone = report.involved_phone.strip()
    tip = Tip.objects.create(
        number=number,
        channel=Channel.PORTAL,
        received_at=now,
        region=region,
        owner_unit=office,
        created_by=None,
        created_by_unit=None,
        title=report.title.strip()[:100],
        content=content,
        content_seg=segment(content),
        involved_institution=report.involved_institution.strip()[:200],
        involved_person=report.involved_person.strip()[:100],
        involved_phone=(identity.normalize_phone(phone) or phone)[:40],
        money_amount=report.money_amount,
        occurred_on=report.occurred_on,
        state=TipState.RECEIVED,
        is_anonymous=anonymous,
    )
    if reporter is not None and not anonymous:
        TipReporter.objects.create(
            tip=tip,
            name=reporter.name.strip(),
            phone=reporter.phone.strip(),
            id_number="",
            address=reporter.address.strip(),
            phone_index=identity.phone_index(reporter.phone),
            id_index="",
        )
    Receipt.objects.create(
        tip=tip,
        code_hash=codes.code_hash(code),
        passphrase_hash=make_password(report.passphrase) if report.passphrase else "",
        issued_at=now,
    )
    saved = _attach(tip=tip, checked=checked, message=None, actor=None)
    submission.tip = tip
    submission.save(update_fields=["tip"])
    audit_record(
        actor=None,
        action="tip.created",
        obj=tip,
        summary=f"登记线索（{tip.get_channel_display()}）"
        + (f"，附件{len(saved)}个" if saved else ""),
        data={
            "channel": Channel.PORTAL.value,
            "unit_id": office.pk,
            "anonymous": anonymous,
            "attachments": len(saved),
        },
    )
    transaction.on_commit(lambda: tip_created.send(sender=Tip, tip_id=tip.pk))
    return tip


# -- receipt codes ---------------------------------------------------------------------------

RECEIPT_CHANNELS = (Channel.PHONE, Channel.VISIT)


@transaction.atomic
def receipt_issue(*, actor: User, tip: Tip) -> str:
    """Give a caller (phone or visit intake) a receipt code to write down: once per tip."""
    if not in_scope(tip, user=actor, perm=Perm.TIP_CREATE):
        raise PermissionDenied
    if tip.channel not in RECEIPT_CHANNELS:
        raise ValidationError({"__all__": "只有电话、来访登记的线索需要由工作人员发放回执码"})
    Tip.objects.select_for_update().filter(pk=tip.pk).first()
    if Receipt.objects.filter(tip=tip).exists():
        raise ValidationError({"__all__": "该线索已发放过回执码（回执码只显示一次，不能再次查看）"})
    code = codes.code_new()
    Receipt.objects.create(
        tip=tip, code_hash=codes.code_hash(code), issued_at=timezone.now(), issued_by=actor
    )
    audit_record(
        actor=actor,
        action="portal.receipt_issued",
        obj=tip,
        summary="向举报人发放回执码（回执码不留存，仅保存其哈希）",
    )
    return code


def receipt_lookup(*, code: str, passphrase: str = "") -> Tip | None:
    """The tip of a receipt code (+ passphrase when one was set), or None.

    Right and wrong codes take the same path: one indexed look-up by keyed hash, a constant-time
    comparison, and always one password-hash check."""
    wanted = codes.code_hash(code)
    receipt = Receipt.objects.select_related("tip").filter(code_hash=wanted).first()
    stored = receipt.code_hash if receipt is not None else "0" * 64
    code_ok = codes.hashes_equal(stored, wanted) and codes.looks_valid(code)
    has_passphrase = receipt is not None and receipt.has_passphrase
    phrase_hash = receipt.passphrase_hash if receipt is not None and has_passphrase else ""
    phrase_ok = check_password(passphrase[:PASSPHRASE_MAX], phrase_hash or _dummy_password())
    if receipt is None or not code_ok or (has_passphrase and not phrase_ok):
        return None
    return receipt.tip


# -- the message thread ----------------------------------------------------------------------


@transaction.atomic
def message_from_reporter(
    *, tip: Tip, text: str, attachments: Sequence[files.CheckedFile] = ()
) -> Message:
    """The reporter adds information (and files) through the status page."""
    text = text.strip()
    if not text and not attachments:
        raise ValidationError({"text": "请写下要补充的内容，或选择要上传的文件"})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"text": f"留言不超过{MAX_MESSAGE}个字"})
    if len(attachments) > files.MAX_FILES:
        raise ValidationError({"attachments": f"一次最多上传{files.MAX_FILES}个文件"})
    message = Message.objects.create(
        tip=tip, author=Author.REPORTER, written_at=timezone.now(), text=text
    )
    saved = _attach(tip=tip, checked=attachments, message=message, actor=None)
    audit_record(
        actor=None,
        action="portal.message_received",
        obj=tip,
        summary="举报人补充留言" + (f"（附件{len(saved)}个）" if saved else ""),
        data={"message_id": message.pk, "attachments": len(saved)},
    )
    return message


def message_unit(*, actor: User, tip: Tip) -> Unit:
    """The actor's unit that answers the reporter of ``tip``."""
    if not in_scope(tip, user=actor, perm=Perm.REPORTER_MESSAGE):
        raise PermissionDenied
    memberships = actor.memberships.select_related("unit").filter(unit__is_active=True)
    units = [m.unit for m in memberships if role_has(m.role, Perm.REPORTER_MESSAGE)]
    for unit in units:
        if unit.pk in {tip.owner_unit_id, tip.created_by_unit_id}:
            return unit
    if not units:
        raise PermissionDenied
    return units[0]


@transaction.atomic
def message_from_office(*, actor: User, tip: Tip, text: str) -> Message:
    """Staff answer the reporter; the reporter is told by SMS that there is news."""
    unit = message_unit(actor=actor, tip=tip)
    text = text.strip()
    if len(text) < 2:
        raise ValidationError({"text": "请写下给举报人的回复"})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"text": f"回复不超过{MAX_MESSAGE}个字"})
    message = Message.objects.create(
        tip=tip,
        author=Author.OFFICE,
        unit=unit,
        written_by=actor,
        written_at=timezone.now(),
        text=text,
    )
    audit_record(
        actor=actor,
        action="portal.message_sent",
        obj=tip,
        summary=f"{unit.name}回复举报人留言",
        data={"message_id": message.pk},
    )
    tip_id = tip.pk
    transaction.on_commit(lambda: _queue_news(tip_id))
    return message


def _queue_news(tip_id: int) -> None:
    from silvershield.portal.tasks import news_notify_task

    news_notify_task.delay(tip_id)


# -- attachments for staff ---------------------------------------------------------------------


def attachment_open(
    *, actor: User, attachment: Attachment, original: bool = False, reason: str = ""
) -> bytes:
    """The staff copy (photos re-encoded without metadata), or, for a photo, the original with
    its metadata: a privileged action (the reveal permission) that needs a reason. Audited."""
    tip = attachment.tip
    if not in_scope(tip, user=actor, perm=Perm.TIP_VIEW):
        raise PermissionDenied
    reason = reason.strip()
    if original and attachment.clean_path:
        if not in_scope(tip, user=actor, perm=Perm.TIP_REVEAL_IDENTITY):
            audit_record(
                actor=actor,
                action="portal.attachment_original_denied",
                obj=tip,
                outcome="denied",
                summary="打开附件原件被拒绝（无权限）",
                data={"attachment_id": attachment.pk},
            )
            raise PermissionDenied
        if len(reason) < 4 or len(reason) > 200:
            raise ValidationError(
                {"reason": "请写明打开原件（含拍摄位置等信息）的事由（4到200个字）"}
            )
        data = files.load(attachment.original_path)
        audit_record(
            actor=actor,
            action="portal.attachment_original_opened",
            obj=tip,
            summary=f"打开附件原件（含元数据），事由：{reason}",
            data={"attachment_id": attachment.pk, "reason": reason},
        )
        return data
    data = files.load(attachment.clean_path or attachment.original_path)
    audit_record(
        actor=actor,
        action="portal.attachment_opened",
        obj=tip,
        summary="查看附件",
        data={"attachment_id": attachment.pk},
    )
    return data


def attachments_add(
    *, actor: User, tip: Tip, attachments: Sequence[files.CheckedFile]
) -> list[Attachment]:
    """Files a grid worker took on patrol, added to the tip they just filed."""
    if not in_scope(tip, user=actor, perm=Perm.TIP_CREATE):
        raise PermissionDenied
    with transaction.atomic():
        saved = _attach(tip=tip, checked=attachments, message=None, actor=actor)
        if saved:
            audit_record(
                actor=actor,
                action="portal.attachments_added",
                obj=tip,
                summary=f"上传附件{len(saved)}个",
                data={"count": len(saved)},
            )
    return saved


# -- SMS ---------------------------------------------------------------------------------------


def news_notify(*, tip_id: int) -> bool:
    """Tell a reporter who left a phone number that there is news (never what it is)."""
    reporter = TipReporter.objects.filter(tip_id=tip_id).first()
    if reporter is None or not reporter.phone or not Receipt.objects.filter(tip_id=tip_id).exists():
        return False
    normalized = identity.normalize_phone(reporter.phone)
    if normalized is None:
        return False
    tip = Tip.objects.get(pk=tip_id)
    try:
        sms.sender().send(phone=normalized, text=sms.news_text())
    except sms.SmsError as exc:
        logger.warning("SMS for tip %s not sent: %s", tip_id, exc)
        audit_record(
            actor=None,
            action="portal.sms_failed",
            obj=tip,
            outcome="failure",
            summary="短信提醒举报人失败",
        )
        return False
    audit_record(actor=None, action="portal.sms_sent", obj=tip, summary="短信提醒举报人查看答复")
    return True
