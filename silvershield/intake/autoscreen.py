"""Every new tip is screened on entry (silvershield.screening), the result kept with its reasons;
staff corrections are kept beside it as labelled data and audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from silvershield.core.access import in_scope
from silvershield.core.audit import audit_record
from silvershield.core.choices import FraudType
from silvershield.core.permissions import Perm
from silvershield.intake.clusters import tip_link
from silvershield.intake.models import Tip, TipScreening
from silvershield.orgs.models import User
from silvershield.screening import MODEL_VERSION, screen


def _text(tip: Tip) -> str:
    parts = [
        tip.title,
        tip.content,
        tip.involved_institution,
        tip.involved_person,
        tip.involved_phone,
    ]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def tip_screen(*, tip: Tip) -> TipScreening:
    """Screen (or re-screen) a tip; idempotent. Staff corrections are kept."""
    result = screen(_text(tip), meta={"channel": tip.channel, "region_code": tip.region.code})
    values = {
        "relevance": round(result.relevance, 4),
        "is_relevant": result.is_relevant,
        "fraud_type": result.fraud_type,
        "priority": result.priority,
        "entities": [
            {"kind": e.kind, "value": e.value, "normalized": e.normalized, "valid": e.valid}
            for e in result.entities
        ][:200],
        "reasons": list(result.reasons)[:20],
        "victims": result.victims,
        "amount": result.amount
        if result.amount is None
        else min(result.amount, Decimal("999999999999.99")),
        "model_version": MODEL_VERSION,
        "screened_at": timezone.now(),
    }
    screening, created = TipScreening.objects.update_or_create(tip=tip, defaults=values)
    if created:
        audit_record(
            actor=None,
            action="tip.auto_screened",
            obj=tip,
            summary=(
                f"自动甄别：{'疑似养老诈骗' if result.is_relevant else '不像养老诈骗'}"
                f"（相关度{result.relevance:.2f}，{FraudType(result.fraud_type).label}）"
            ),
            data={
                "relevance": values["relevance"],
                "fraud_type": result.fraud_type,
                "priority": result.priority,
            },
        )
    return screening


@transaction.atomic
def tips_screen_and_link(*, tips: list[Tip]) -> int:
    """The follow-up of a batch of new tips (one import chunk): each is screened and linked as
    ``intake.screen_tip`` does for one tip, in one transaction, so the figures' roll-up is
    recomputed once for the batch instead of twice per tip. Returns how many were done."""
    for tip in tips:
        tip_screen(tip=tip)
        tip_link(tip=tip)
    return len(tips)


@transaction.atomic
def screening_correct(
    *, actor: User, tip: Tip, is_relevant: bool, fraud_type: str, note: str = ""
) -> TipScreening:
    """A person corrects the automatic result; kept as labelled data for the next model."""
    if not in_scope(tip, user=actor, perm=Perm.TIP_SCREEN):
        raise PermissionDenied
    if fraud_type not in FraudType.values:
        raise ValidationError({"fraud_type": "诈骗类型无效"})
    if is_relevant and fraud_type == FraudType.NONE:
        raise ValidationError({"fraud_type": "属于养老诈骗时请选择具体类型"})
    if not is_relevant:
        fraud_type = FraudType.NONE
    screening = TipScreening.objects.select_for_update().filter(tip=tip).first()
    if screening is None:
        screening = tip_screen(tip=tip)
    screening.corrected_relevant = is_relevant
    screening.corrected_type = fraud_type
    screening.corrected_by = actor
    screening.corrected_at = timezone.now()
    screening.correction_note = note.strip()[:200]
    screening.save(
        update_fields=[
            "corrected_relevant",
            "corrected_type",
            "corrected_by",
            "corrected_at",
            "correction_note",
        ]
    )
    audit_record(
        actor=actor,
        action="tip.screening_corrected",
        obj=tip,
        summary=f"更正自动甄别结果：{'属于' if is_relevant else '不属于'}养老诈骗，{FraudType(fraud_type).label}",
        data={
            "was_relevant": screening.is_relevant,
            "was_type": screening.fraud_type,
            "relevant": is_relevant,
            "type": fraud_type,
        },
    )
    return screening
