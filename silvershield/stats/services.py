"""Writes of the stats app: issuing reports, saving assessment weights."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from silvershield.campaigns.models import Campaign
from silvershield.core.access import has_perm
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm, role_has
from silvershield.core.sequences import next_value
from silvershield.orgs.models import Unit, User
from silvershield.stats import reports
from silvershield.stats.models import IndicatorWeight, IssuedReport, Normalisation, ReportKind
from silvershield.stats.periods import Period
from silvershield.stats.rankings import active_campaign
from silvershield.stats.registry import indicator, rankable
from silvershield.workflow.services import doc_prefix

NARRATIVE_LIMIT = 1500


def _issuing_office(actor: User, unit: Unit) -> Unit:
    for m in actor._memberships():
        if m.unit.pk == unit.pk and role_has(m.role, Perm.REPORT_ISSUE) and unit.is_office:
            return unit
    raise PermissionDenied


def report_number(*, kind: str, unit: Unit, year: int) -> tuple[int, str]:
    """The next number of the office's register for this kind of report (its own counter)."""
    seq = next_value(key=f"{kind}:{unit.pk}:{year}")
    return seq, f"{doc_prefix(unit)}〔{year}〕{seq}号"


@transaction.atomic
def report_issue(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    period: Period,
    narrative: str = "",
    campaign: Campaign | None = None,
) -> IssuedReport:
    """Issue a weekly report or a bulletin: compute the content, number it, store it for good."""
    office = _issuing_office(actor, unit)
    if office.region is None:
        raise ValidationError({"__all__": "全国专项办暂不生成周报"})
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "未知的报告类别"})
    if not period.is_closed():
        raise ValidationError({"__all__": "统计期尚未结束，结束后才能印发"})
    narrative = narrative.strip()
    if kind == ReportKind.WEEKLY:
        if period.start.weekday() != 0 or period.days != 7:
            raise ValidationError({"__all__": "周报的统计期应为一整周（周一至周日）"})
        digits = reports.narrative_digits(narrative)
        if digits:
            raise ValidationError(
                {
                    "narrative": "工作分析中不能自填数字（各项数字由系统计算并列在前文）："
                    + "、".join(digits[:5])
                }
            )
        if len(narrative) > NARRATIVE_LIMIT:
            raise ValidationError({"narrative": f"工作分析不超过{NARRATIVE_LIMIT}字"})
        content = reports.weekly_content(user=actor, unit=office, period=period)
        title = f"{office.region.name}打击整治养老诈骗工作周报（{period.label()}）"
    else:
        campaign = campaign or active_campaign()
        content = reports.bulletin_content(
            user=actor, unit=office, period=period, campaign=campaign
        )
        title = f"关于{period.label()}打击整治养老诈骗工作排名情况的通报"
    now = timezone.now()
    year = timezone.localdate(now).year
    seq, number = report_number(kind=kind, unit=office, year=year)
    report = IssuedReport.objects.create(
        kind=kind,
        issuing_unit=office,
        region=office.region,
        year=year,
        seq=seq,
        number=number,
        title=title,
        period_start=period.start,
        period_end=period.end,
        content=content,
        narrative=narrative if kind == ReportKind.WEEKLY else "",
        issued_at=now,
        issued_by_name=actor.full_name or actor.username,
    )
    audit_record(
        actor=actor,
        action=f"report.{kind}_issued",
        obj=report,
        summary=f"印发{report.get_kind_display()} {number}",
        data={"period": [period.start.isoformat(), period.end.isoformat()]},
    )
    return report


@transaction.atomic
def weights_save(
    *,
    actor: User,
    campaign: Campaign,
    weights: Sequence[tuple[str, Decimal, str]],
) -> list[IndicatorWeight]:
    """Replace a campaign's assessment weights (indicator, weight, normalisation)."""
    if not has_perm(actor, Perm.CAMPAIGN_MANAGE):
        raise PermissionDenied
    known = {i.code for i in rankable()}
    errors: list[str] = []
    for code, weight, how in weights:
        if code not in known:
            errors.append(f"指标“{code}”不能用于考核")
        if not Decimal("0.01") <= weight <= Decimal(100):
            errors.append(
                f"{indicator(code).name if code in known else code}的权重应在0.01至100之间"
            )
        if how not in Normalisation.values:
            errors.append("未知的计分方法")
    if not weights:
        errors.append("至少选择一项指标")
    if len({code for code, _, _ in weights}) != len(weights):
        errors.append("同一指标只能设置一次")
    if errors:
        raise ValidationError({"__all__": errors})
    IndicatorWeight.objects.filter(campaign=campaign).delete()
    rows = IndicatorWeight.objects.bulk_create(
        [
            IndicatorWeight(campaign=campaign, indicator=code, weight=weight, normalisation=how)
            for code, weight, how in weights
        ]
    )
    audit_record(
        actor=actor,
        action="stats.weights_saved",
        obj=campaign,
        summary="修改考核指标权重：" + "、".join(f"{indicator(c).name}{w}" for c, w, _ in weights),
    )
    return rows
