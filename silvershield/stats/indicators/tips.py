"""Tip and transfer indicators (线索受理、甄别、转办、核查、反馈、办结、超期)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from silvershield.intake.models import Tip, TipState
from silvershield.stats.registry import Direction, Indicator, RecordSet, register
from silvershield.workflow.models import (
    OPEN_STATES,
    ReporterFeedback,
    ReportState,
    Transfer,
    TransferState,
    VerificationReport,
)


def _tips_of_unit(unit_id: int) -> Q:
    """A unit's tips: those transferred to it as lead unit (at any level)."""
    return Q(pk__in=Transfer.objects.filter(lead_unit_id=unit_id).values("tip_id"))


def _top_transfer() -> Exists:
    return Exists(Transfer.objects.filter(tip=OuterRef("pk"), parent__isnull=True))


def _verified() -> Exists:
    return Exists(
        Transfer.objects.filter(tip=OuterRef("pk"), parent__isnull=True, state=TransferState.DONE)
    )


def _verified_on_time() -> Exists:
    return Exists(
        VerificationReport.objects.filter(
            tip=OuterRef("pk"),
            transfer__parent__isnull=True,
            transfer__state=TransferState.DONE,
            state=ReportState.ACCEPTED,
            submitted_at__lte=F("transfer__due_at"),
        )
    )


def _feedback() -> Exists:
    return Exists(ReporterFeedback.objects.filter(tip=OuterRef("pk")))


def _tip_set(code: str, label: str, condition: object, rollup: str) -> RecordSet:
    def build() -> Q:
        if isinstance(condition, Q):
            return condition
        return Q(condition() if callable(condition) else condition)

    return RecordSet(
        code=code,
        label=label,
        model=Tip,
        condition=build,
        region_lookup="region__path",
        date_lookup="received_at",
        unit_condition=_tips_of_unit,
        rollup=rollup,
        channel_lookup="channel",
        fraud_type_lookup="fraud_type",
    )


RECEIVED = _tip_set("received", "受理线索", Q(), "received")
SCREENED = _tip_set("screened", "已甄别", Q(screened_at__isnull=False), "screened")
VALID = _tip_set("valid", "有效线索", Q(is_relevant=True), "valid")
TRANSFERRED = _tip_set("transferred", "已转办", _top_transfer, "transferred")
VERIFIED = _tip_set("verified", "核查完结", _verified, "verified")
VERIFIED_ON_TIME = _tip_set("verified_on_time", "按期核查", _verified_on_time, "verified_on_time")
CLOSED = _tip_set("closed", "已办结", Q(state=TipState.CLOSED) & ~Q(is_relevant=False), "closed")
FEEDBACK = _tip_set("feedback", "已答复举报人", _feedback, "feedback")


def _overdue_now() -> Q:
    return Q(state__in=OPEN_STATES, due_at__lt=timezone.now())


OPEN_TRANSFERS = RecordSet(
    code="open_transfers",
    label="在办转办",
    model=Transfer,
    condition=lambda: Q(state__in=OPEN_STATES),
    region_lookup="tip__region__path",
    date_lookup=None,
    unit_condition=lambda unit_id: Q(lead_unit_id=unit_id),
    channel_lookup="tip__channel",
    fraud_type_lookup="tip__fraud_type",
    list_columns="transfers",
)
OVERDUE_NOW = RecordSet(
    code="overdue_now",
    label="当前超期",
    model=Transfer,
    condition=_overdue_now,
    region_lookup="tip__region__path",
    date_lookup=None,
    unit_condition=lambda unit_id: Q(lead_unit_id=unit_id),
    channel_lookup="tip__channel",
    fraud_type_lookup="tip__fraud_type",
    list_columns="transfers",
)

TIPS_RECEIVED = register(
    Indicator(
        code="tips_received",
        name="受理线索数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理的线索（按受理时间），含后来合并、标记无效的。",
        numerator=RECEIVED,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
TIPS_SCREENED = register(
    Indicator(
        code="tips_screened",
        name="已甄别数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理、已完成甄别（判定类型或标记无效）的线索。",
        numerator=SCREENED,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
TIPS_VALID = register(
    Indicator(
        code="tips_valid",
        name="有效线索数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理、经甄别属于养老诈骗的线索。",
        numerator=VALID,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
TIPS_TRANSFERRED = register(
    Indicator(
        code="tips_transferred",
        name="已转办数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理、已由专项办转办成员单位的线索。",
        numerator=TRANSFERRED,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
TIPS_VERIFIED_ON_TIME = register(
    Indicator(
        code="tips_verified_on_time",
        name="按期核查数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理、核查报告在办理期限内报送并审核通过的线索。",
        numerator=VERIFIED_ON_TIME,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
TIPS_CLOSED = register(
    Indicator(
        code="tips_closed",
        name="办结数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理、已办结的有效线索（标记无效的不计）。",
        numerator=CLOSED,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
TIPS_FEEDBACK = register(
    Indicator(
        code="tips_feedback",
        name="已反馈数",
        unit="件",
        direction=Direction.HIGHER,
        description="统计期内受理、已答复举报人的线索。",
        numerator=FEEDBACK,
        min_volume=0,
        tags=frozenset({"count", "no_rank"}),
    )
)
OVERDUE = register(
    Indicator(
        code="overdue_now",
        name="当前超期数",
        unit="件",
        direction=Direction.LOWER,
        description="现在已超过办理期限仍未办结的转办事项（不受统计期限制）。",
        numerator=OVERDUE_NOW,
        min_volume=0,
        tags=frozenset({"count"}),
    )
)
VALID_RATE = register(
    Indicator(
        code="valid_rate",
        name="有效率",
        unit="%",
        direction=Direction.HIGHER,
        description="有效线索数 ÷ 已甄别数。",
        numerator=VALID,
        denominator=SCREENED,
        min_volume=5,
        tags=frozenset({"no_rank"}),
    )
)
TRANSFER_RATE = register(
    Indicator(
        code="transfer_rate",
        name="转办率",
        unit="%",
        direction=Direction.HIGHER,
        description="已转办数 ÷ 有效线索数。",
        numerator=TRANSFERRED,
        denominator=VALID,
        min_volume=5,
    )
)
ON_TIME_RATE = register(
    Indicator(
        code="on_time_rate",
        name="按期核查率",
        unit="%",
        direction=Direction.HIGHER,
        description="按期核查数 ÷ 核查完结数（核查报告审核通过的线索）。",
        numerator=VERIFIED_ON_TIME,
        denominator=VERIFIED,
        min_volume=3,
    )
)
CLOSE_RATE = register(
    Indicator(
        code="close_rate",
        name="办结率",
        unit="%",
        direction=Direction.HIGHER,
        description="办结数 ÷ 有效线索数。",
        numerator=CLOSED,
        denominator=VALID,
        min_volume=5,
    )
)
FEEDBACK_RATE = register(
    Indicator(
        code="feedback_rate",
        name="反馈率",
        unit="%",
        direction=Direction.HIGHER,
        description="已答复举报人数 ÷ 核查完结数。",
        numerator=FEEDBACK,
        denominator=VERIFIED,
        min_volume=3,
    )
)
OVERDUE_RATE = register(
    Indicator(
        code="overdue_rate",
        name="在办超期率",
        unit="%",
        direction=Direction.LOWER,
        description="当前超期数 ÷ 在办转办数（不受统计期限制）。",
        numerator=OVERDUE_NOW,
        denominator=OPEN_TRANSFERS,
        min_volume=3,
    )
)
