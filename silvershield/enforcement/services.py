"""Writes on the crackdown ledger: each a keyword-only function, one transaction, one audit event
on the case (its timeline), refusals as ``ValidationError({field: "中文"})`` with nothing saved.

Suspects' names are personal data: they never go into audit summaries or data (suspects are
named there by record number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from silvershield.core.access import in_scope
from silvershield.core.audit import audit_record
from silvershield.core.choices import FraudType
from silvershield.core.concurrency import guarded_update
from silvershield.core.permissions import Perm
from silvershield.enforcement import money
from silvershield.enforcement.access import (
    POLICE_SIDE,
    STAGE_SECTORS,
    STAGE_WHO,
    acting_unit,
    case_units,
    gang_unit,
    may_register_for,
)
from silvershield.enforcement.models import (
    STAGE_CHAIN,
    STAGE_DATE_FIELD,
    WITHDRAWABLE,
    Case,
    CaseGrant,
    CaseGrantReason,
    CaseStage,
    CaseTip,
    ColdCaseReview,
    Gang,
    RecoveryKind,
    RecoveryRecord,
    RecoveryRelease,
    Suspect,
    SuspectStatus,
)
from silvershield.geo.models import Region
from silvershield.intake.models import ClusterMember, LinkCluster, MemberState, Tip
from silvershield.orgs.models import Sector, Unit, User
from silvershield.workflow.models import Measure, ReportState, VerificationReport


def _today() -> dt.date:
    return timezone.localdate()


def _amount(value: object, field: str, errors: dict[str, str], *, positive: bool = False) -> Any:
    try:
        return money.parse_amount(value, allow_zero=not positive)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def _not_future(day: dt.date | None, field: str, errors: dict[str, str]) -> None:
    if day is not None and day > _today():
        errors[field] = "日期不能晚于今天"


def _version(case: Case, expected_version: int | None) -> int:
    return case.version if expected_version is None else expected_version


def _check_people(victims: int, elderly: int, errors: dict[str, str]) -> None:
    if victims < 0:
        errors["victim_count"] = "受害人数不能为负数"
    if elderly < 0:
        errors["elderly_victim_count"] = "老年受害人数不能为负数"
    elif elderly > victims:
        errors["elderly_victim_count"] = "其中老年人数不能超过受害人数"


def _recovery(case: Case) -> money.Recovery:
    return money.recovery_of(
        records=RecoveryRecord.objects.filter(case=case),
        releases=RecoveryRelease.objects.filter(return_record__case=case),
        losses=case.victim_loss,
    )


# -- cases ------------------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    actor: User,
    owner_unit: Unit,
    number: str,
    name: str,
    fraud_type: str,
    region: Region,
    filed_on: dt.date,
    amount_involved: Decimal | str = "0",
    victim_loss: Decimal | str = "0",
    victim_count: int = 0,
    elderly_victim_count: int = 0,
    summary: str = "",
    tips: Sequence[Tip] = (),
    source_report: VerificationReport | None = None,
    cluster: LinkCluster | None = None,
) -> Case:
    """Register a case (立案): by the police unit that handles it, or by an office covering it."""
    acting = may_register_for(actor, owner_unit)
    number, name = number.strip(), name.strip()
    errors: dict[str, str] = {}
    if not number:
        errors["number"] = "请填写案件编号"
    elif len(number) > 40:
        errors["number"] = "案件编号不超过40个字符"
    elif Case.objects.filter(owner_unit=owner_unit, number=number).exists():
        errors["number"] = (
            f"{owner_unit.name}已有编号为“{number}”的案件，同一单位的案件编号不能重复"
        )
    if not name:
        errors["name"] = "请填写案件名称"
    if fraud_type not in FraudType.values or fraud_type == FraudType.NONE:
        errors["fraud_type"] = "请选择养老诈骗类型"
    if not owner_unit.is_active or owner_unit.sector != Sector.POLICE:
        errors["owner_unit"] = "办案单位须为启用中的公安机关"
    elif owner_unit.region is not None and not region.is_within(owner_unit.region):
        errors["region"] = f"案发地区不在{owner_unit.name}的辖区内"
    _not_future(filed_on, "filed_on", errors)
    involved = _amount(amount_involved, "amount_involved", errors)
    loss = _amount(victim_loss, "victim_loss", errors)
    _check_people(victim_count, elderly_victim_count, errors)
    for tip in tips:
        if not in_scope(tip, user=actor, perm=Perm.TIP_VIEW):
            errors["tips"] = "找不到所关联的线索"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=number,
                name=name[:200],
                fraud_type=fraud_type,
                region=region,
                owner_unit=owner_unit,
                created_by_unit=acting,
                created_by=actor,
                source_report=source_report,
                cluster=cluster,
                summary=summary.strip(),
                amount_involved=involved,
                victim_loss=loss,
                victim_count=victim_count,
                elderly_victim_count=elderly_victim_count,
                filed_on=filed_on,
                stage=CaseStage.FILED,
            )
    except IntegrityError:
        raise ValidationError(
            {"number": f"{owner_unit.name}已有编号为“{number}”的案件，同一单位的案件编号不能重复"}
        ) from None
    for tip in tips:
        CaseTip.objects.get_or_create(case=case, tip=tip)
    audit_record(
        actor=actor,
        action="case.filed",
        obj=case,
        summary=f"立案：{case.number}（{owner_unit.name}，{filed_on:%Y-%m-%d}）"
        + (f"，来源线索 {'、'.join(t.number for t in tips)}" if tips else ""),
        data={
            "owner_unit": owner_unit.pk,
            "by_unit": acting.pk,
            "tips": [t.pk for t in tips],
            "source_report": source_report.pk if source_report else None,
        },
    )
    for tip in tips:
        audit_record(
            actor=actor,
            action="tip.case_linked",
            obj=tip,
            summary=f"关联案件 {case.number}（{owner_unit.name}）",
            data={"case": case.pk},
        )
    return case


def report_offers_case(report: VerificationReport) -> bool:
    """An accepted or submitted report whose measures include 立案."""
    return report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED) and (
        Measure.CASE_FILED in report.measures
    )


@transaction.atomic
def case_create_from_report(
    *,
    actor: User,
    report: VerificationReport,
    owner_unit: Unit,
    number: str,
    filed_on: dt.date | None = None,
    name: str = "",
) -> Case:
    """由核查报告立案: a case pre-filled from the report's tip, linked to the report and the tip."""
    tip = report.tip
    if not report_offers_case(report):
        raise ValidationError({"__all__": "该核查报告的处理措施不含“立案”，不能由其立案"})
    if Case.objects.filter(source_report=report).exists() or tip.case_links.exists():
        raise ValidationError({"__all__": f"线索 {tip.number} 已有关联案件"})
    return case_create(
        actor=actor,
        owner_unit=owner_unit,
        number=number,
        name=name.strip() or tip.display_title,
        fraud_type=tip.fraud_type,
        region=tip.region,
        filed_on=filed_on or timezone.localtime(report.submitted_at).date(),
        amount_involved=tip.money_amount if tip.money_amount is not None else "0",
        victim_loss=tip.money_amount if tip.money_amount is not None else "0",
        victim_count=tip.victim_count or 0,
        summary=report.facts,
        tips=[tip],
        source_report=report,
        cluster=_cluster_of(tip),
    )


def _cluster_of(tip: Tip) -> LinkCluster | None:
    membership = ClusterMember.objects.filter(tip=tip, state=MemberState.MEMBER).first()
    return membership.cluster if membership is not None else None


CASE_FACT_FIELDS = (
    "name",
    "fraud_type",
    "summary",
    "amount_involved",
    "victim_loss",
    "victim_count",
    "elderly_victim_count",
    "over_recovery_reason",
)


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int | None = None,
    name: str,
    fraud_type: str,
    summary: str,
    amount_involved: Decimal | str,
    victim_loss: Decimal | str,
    victim_count: int,
    elderly_victim_count: int,
    over_recovery_reason: str = "",
) -> Case:
    """Correct a case's facts (amounts, victims, description)."""
    acting_unit(actor, case, POLICE_SIDE)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写案件名称"
    if fraud_type not in FraudType.values or fraud_type == FraudType.NONE:
        errors["fraud_type"] = "请选择养老诈骗类型"
    involved = _amount(amount_involved, "amount_involved", errors)
    loss = _amount(victim_loss, "victim_loss", errors)
    _check_people(victim_count, elderly_victim_count, errors)
    reason = over_recovery_reason.strip()
    if loss is not None and not reason:
        recovered = _recovery(case).recovered
        if recovered > loss:
            errors["over_recovery_reason"] = (
                f"已追赃挽损{money.yuan(recovered)}，超过受害人损失{money.yuan(loss)}，请说明原因"
            )
    if errors:
        raise ValidationError(errors)
    new = {
        "name": name.strip()[:200],
        "fraud_type": fraud_type,
        "summary": summary.strip(),
        "amount_involved": involved,
        "victim_loss": loss,
        "victim_count": victim_count,
        "elderly_victim_count": elderly_victim_count,
        "over_recovery_reason": reason[:500],
    }
    changed = [f for f in CASE_FACT_FIELDS if getattr(case, f) != new[f]]
    if not changed:
        return case
    labels = {f: str(getattr(Case._meta.get_field(f), "verbose_name", f)) for f in changed}
    guarded_update(case, expected_version=_version(case, expected_version), **new)
    audit_record(
        actor=actor,
        action="case.updated",
        obj=case,
        summary="修改案件信息：" + "、".join(labels.values()),
        data={"fields": changed},
    )
    return case


def _stage_date_errors(case: Case, stage: str, on: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if on > _today():
        errors["on"] = "日期不能晚于今天"
    previous = [s for s in STAGE_CHAIN if getattr(case, STAGE_DATE_FIELD[s]) is not None]
    for earlier in previous:
        day = getattr(case, STAGE_DATE_FIELD[earlier])
        if on < day:
            errors["on"] = (
                f"{CaseStage(stage).label}日期不能早于{CaseStage(earlier).label}日期（{day:%Y-%m-%d}）"
            )
    return errors


@transaction.atomic
def case_advance(
    *,
    actor: User,
    case: Case,
    stage: str,
    on: dt.date,
    outcome: str = "",
    to_unit: Unit | None = None,
    expected_version: int | None = None,
) -> Case:
    """Move a case to its next stage (破案 → 移送起诉 → 起诉 → 判决) or withdraw it (撤案).

    The unit's sector decides who records which stage; 移送起诉 names the procuratorate and 起诉
    the court, each of which then sees the case.
    """
    if stage not in CaseStage.values or stage == CaseStage.FILED:
        raise ValidationError({"stage": "请选择要登记的诉讼阶段"})
    target = CaseStage(stage)
    units = [u for u in _case_units_or_403(actor, case) if u.sector in STAGE_SECTORS[target]]
    if not units:
        raise ValidationError({"stage": f"“{target.label}”阶段由{STAGE_WHO[target]}登记"})
    unit = units[0]
    current = CaseStage(case.stage)
    if target == CaseStage.WITHDRAWN:
        if current not in WITHDRAWABLE:
            raise ValidationError(
                {"stage": f"案件已处于“{current.label}”阶段，不能撤案（撤案须在移送起诉前）"}
            )
    elif current == CaseStage.WITHDRAWN or current == CaseStage.JUDGED:
        raise ValidationError({"stage": f"案件已{current.label}，不能再登记“{target.label}”"})
    elif STAGE_CHAIN.index(target) != STAGE_CHAIN.index(current) + 1:
        expected = STAGE_CHAIN[STAGE_CHAIN.index(current) + 1]
        raise ValidationError(
            {
                "stage": f"案件当前为“{current.label}”，下一阶段应为“{expected.label}”，不能跳转为“{target.label}”"
            }
        )
    errors = _stage_date_errors(case, target, on)
    outcome = outcome.strip()
    fields: dict[str, Any] = {STAGE_DATE_FIELD[target]: on, "stage": target}
    grant: tuple[Unit, CaseGrantReason] | None = None
    if target == CaseStage.REFERRED:
        if to_unit is None or to_unit.sector != Sector.PROCURATORATE or not to_unit.is_active:
            errors["to_unit"] = "请选择受理移送起诉的检察院"
        else:
            fields["referred_to"] = to_unit
            grant = (to_unit, CaseGrantReason.REFERRED)
    elif target == CaseStage.PROSECUTED:
        if to_unit is None or to_unit.sector != Sector.COURT or not to_unit.is_active:
            errors["to_unit"] = "请选择受理起诉的法院"
        else:
            fields["prosecuted_to"] = to_unit
            grant = (to_unit, CaseGrantReason.PROSECUTED)
        fields["prosecution_outcome"] = outcome[:500]
    elif target == CaseStage.JUDGED:
        if len(outcome) < 2:
            errors["outcome"] = "请填写判决结果"
        fields["judgment_outcome"] = outcome[:500]
    elif target == CaseStage.WITHDRAWN:
        if len(outcome) < 4:
            errors["outcome"] = "请写明撤案理由（不少于4个字）"
        fields["withdrawn_reason"] = outcome[:500]
    if errors:
        raise ValidationError(errors)
    guarded_update(case, expected_version=_version(case, expected_version), **fields)
    if grant is not None:
        CaseGrant.objects.get_or_create(case=case, unit=grant[0], reason=grant[1])
    detail = f"，{grant[0].name}" if grant else ""
    audit_record(
        actor=actor,
        action=f"case.{target.value}",
        obj=case,
        summary=f"{unit.name}登记{target.label}（{on:%Y-%m-%d}{detail}）"
        + (f"：{outcome}" if outcome else ""),
        data={"from": current.value, "to": target.value, "on": on, "unit": unit.pk},
    )
    return case


def _case_units_or_403(actor: User, case: Case) -> list[Unit]:
    units = case_units(actor, case)
    if not units:
        raise PermissionDenied
    return units


@transaction.atomic
def case_link_tip(*, actor: User, case: Case, tip: Tip) -> CaseTip:
    """Add a further tip to a case (one case may be born from several tips)."""
    acting_unit(actor, case, POLICE_SIDE)
    if not in_scope(tip, user=actor, perm=Perm.TIP_VIEW):
        raise ValidationError({"tip": "在您的管辖范围内找不到该线索"})
    link, created = CaseTip.objects.get_or_create(case=case, tip=tip)
    if created:
        audit_record(
            actor=actor,
            action="case.tip_linked",
            obj=case,
            summary=f"关联线索 {tip.number}",
            data={"tip": tip.pk},
        )
        audit_record(
            actor=actor,
            action="tip.case_linked",
            obj=tip,
            summary=f"关联案件 {case.number}（{case.owner_unit.name}）",
            data={"case": case.pk},
        )
    return link


# -- suspects ---------------------------------------------------------------------------------------


def _check_suspect_status(status: str, caught_on: dt.date | None, errors: dict[str, str]) -> None:
    if status not in SuspectStatus.values:
        errors["status"] = "请选择嫌疑人状态"
    elif status == SuspectStatus.AT_LARGE and caught_on is not None:
        errors["caught_on"] = "在逃人员不填抓获日期"
    elif status != SuspectStatus.AT_LARGE and caught_on is None:
        errors["caught_on"] = "请填写抓获/到案日期"
    _not_future(caught_on, "caught_on", errors)


@transaction.atomic
def suspect_add(
    *,
    actor: User,
    case: Case,
    name: str,
    status: str,
    caught_on: dt.date | None = None,
    note: str = "",
) -> Suspect:
    acting_unit(actor, case, POLICE_SIDE)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写嫌疑人姓名"
    elif len(name) > 50:
        errors["name"] = "姓名不超过50个字"
    _check_suspect_status(status, caught_on, errors)
    if errors:
        raise ValidationError(errors)
    suspect = Suspect.objects.create(
        case=case, name=name, status=status, caught_on=caught_on, note=note.strip()[:200]
    )
    audit_record(
        actor=actor,
        action="case.suspect_added",
        obj=case,
        summary=f"登记嫌疑人#{suspect.pk}（{suspect.get_status_display()}）",
        data={"suspect": suspect.pk, "status": status, "caught_on": caught_on},
    )
    return suspect


@transaction.atomic
def suspect_catch(*, actor: User, suspect: Suspect, on: dt.date) -> Suspect:
    """A suspect at large is caught (追逃到案)."""
    case = suspect.case
    acting_unit(actor, case, POLICE_SIDE)
    if suspect.status != SuspectStatus.AT_LARGE:
        raise ValidationError({"suspect": "该嫌疑人不在逃"})
    errors: dict[str, str] = {}
    _not_future(on, "on", errors)
    if errors:
        raise ValidationError(errors)
    suspect.status, suspect.caught_on = SuspectStatus.FUGITIVE_CAUGHT, on
    suspect.save(update_fields=["status", "caught_on"])
    audit_record(
        actor=actor,
        action="case.fugitive_caught",
        obj=case,
        summary=f"在逃嫌疑人#{suspect.pk}追逃到案（{on:%Y-%m-%d}）",
        data={"suspect": suspect.pk, "on": on},
    )
    return suspect


@transaction.atomic
def suspect_update(
    *,
    actor: User,
    suspect: Suspect,
    status: str,
    caught_on: dt.date | None = None,
    note: str | None = None,
) -> Suspect:
    """Change or correct a suspect's status (e.g. registered at large by mistake, or escaped
    again), with the same rules as when adding; 追逃到案 only for someone who was at large."""
    case = suspect.case
    acting_unit(actor, case, POLICE_SIDE)
    errors: dict[str, str] = {}
    _check_suspect_status(status, caught_on, errors)
    if (
        status == SuspectStatus.FUGITIVE_CAUGHT
        and suspect.status not in (SuspectStatus.AT_LARGE, SuspectStatus.FUGITIVE_CAUGHT)
        and "status" not in errors
    ):
        errors["status"] = "只有在逃人员才能登记为追逃到案"
    if errors:
        raise ValidationError(errors)
    new_note = suspect.note if note is None else note.strip()[:200]
    before = (suspect.status, suspect.caught_on, suspect.note)
    if before == (status, caught_on, new_note):
        return suspect
    old_label = suspect.get_status_display()
    suspect.status, suspect.caught_on, suspect.note = status, caught_on, new_note
    suspect.save(update_fields=["status", "caught_on", "note"])
    audit_record(
        actor=actor,
        action="case.suspect_updated",
        obj=case,
        summary=f"嫌疑人#{suspect.pk}状态：{old_label} → {suspect.get_status_display()}"
        + (f"（{caught_on:%Y-%m-%d}）" if caught_on else ""),
        data={"suspect": suspect.pk, "from": before[0], "to": status, "caught_on": caught_on},
    )
    return suspect


# -- gangs ------------------------------------------------------------------------------------------


@transaction.atomic
def gang_create(*, actor: User, case: Case, name: str, members: Sequence[Suspect] = ()) -> Gang:
    """Record a gang found in ``case`` (its owner and region are the case's)."""
    unit = acting_unit(actor, case, POLICE_SIDE)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写团伙名称"})
    if any(m.case_id != case.pk for m in members):
        raise ValidationError({"members": "成员须为本案嫌疑人"})
    gang = Gang.objects.create(
        name=name[:100], region=case.region, owner_unit=case.owner_unit, created_by_unit=unit
    )
    gang.cases.add(case)
    gang.members.add(*members)
    data = {"gang": gang.pk, "members": [m.pk for m in members]}
    summary = f"认定犯罪团伙#{gang.pk}（成员{len(members)}人）"
    audit_record(actor=actor, action="gang.created", obj=gang, summary=summary, data=data)
    audit_record(actor=actor, action="case.gang_linked", obj=case, summary=summary, data=data)
    return gang


@transaction.atomic
def gang_link_case(*, actor: User, gang: Gang, case: Case, members: Sequence[Suspect] = ()) -> Gang:
    """Link a further case (and its suspects as members) to a gang (串案)."""
    gang_unit(actor, gang)
    acting_unit(actor, case, POLICE_SIDE)
    if any(m.case_id != case.pk for m in members):
        raise ValidationError({"members": "成员须为所关联案件的嫌疑人"})
    gang.cases.add(case)
    gang.members.add(*members)
    data = {"gang": gang.pk, "case": case.pk, "members": [m.pk for m in members]}
    audit_record(
        actor=actor,
        action="gang.case_linked",
        obj=gang,
        summary=f"关联案件 {case.number}（新增成员{len(members)}人）",
        data=data,
    )
    audit_record(
        actor=actor,
        action="case.gang_linked",
        obj=case,
        summary=f"关联犯罪团伙#{gang.pk}（新增成员{len(members)}人）",
        data=data,
    )
    return gang


@transaction.atomic
def gang_mark_broken(*, actor: User, gang: Gang, on: dt.date) -> Gang:
    """The gang is broken up (打掉)."""
    gang_unit(actor, gang)
    errors: dict[str, str] = {}
    if gang.broken_on is not None:
        errors["on"] = f"该团伙已于{gang.broken_on:%Y-%m-%d}被打掉"
    _not_future(on, "on", errors)
    if errors:
        raise ValidationError(errors)
    gang.broken_on = on
    gang.save(update_fields=["broken_on"])
    summary = f"犯罪团伙#{gang.pk}被打掉（{on:%Y-%m-%d}）"
    audit_record(actor=actor, action="gang.broken", obj=gang, summary=summary, data={"on": on})
    for case in gang.cases.all():
        audit_record(
            actor=actor, action="case.gang_broken", obj=case, summary=summary, data={"on": on}
        )
    return gang


# -- asset recovery (追赃挽损) ---------------------------------------------------------------------


@transaction.atomic
def recovery_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    amount: Decimal | str,
    on: dt.date,
    note: str = "",
    releases: Sequence[tuple[RecoveryRecord, Decimal | str]] = (),
    over_loss_reason: str = "",
) -> RecoveryRecord:
    """Record a freeze, a seizure or a return. A return may release money from earlier
    freezes/seizures of the same case (each yuan counts once); the recovered total may pass the
    victims' losses only with a recorded reason."""
    unit = acting_unit(actor, case)
    # Lock the case so that two returns drawing on one freeze cannot both pass the check.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    errors: dict[str, str] = {}
    if kind not in RecoveryKind.values:
        errors["kind"] = "请选择措施：止付冻结、查封扣押或返还"
    value = _amount(amount, "amount", errors, positive=True)
    _not_future(on, "on", errors)
    draws: list[tuple[RecoveryRecord, Decimal]] = []
    if releases and kind != RecoveryKind.RETURN:
        errors["releases"] = "只有返还才能释放冻结/扣押的资金"
    for secured, draw in releases if kind == RecoveryKind.RETURN else ():
        draw_value = _amount(draw, "releases", errors, positive=True)
        secured.refresh_from_db()
        if secured.case_id != case.pk or not secured.is_secured:
            errors["releases"] = "只能释放本案的止付冻结或查封扣押记录"
        elif draw_value is not None:
            outstanding = money.outstanding_of(secured)
            if draw_value > outstanding:
                errors["releases"] = (
                    f"返还超过了已冻结/扣押的金额：{secured.get_kind_display()}（{secured.on:%Y-%m-%d}）"
                    f"尚余{money.yuan(outstanding)}，本次释放{money.yuan(draw_value)}"
                )
            elif on < secured.on:
                errors["on"] = f"返还日期不能早于所释放的{secured.get_kind_display()}日期"
            else:
                draws.append((secured, draw_value))
    if value is not None and "releases" not in errors:
        drawn = sum((d for _, d in draws), money.ZERO)
        if drawn > value:
            errors["releases"] = (
                f"释放的冻结/扣押金额（{money.yuan(drawn)}）超过本次返还金额（{money.yuan(value)}）"
            )
    if errors:
        raise ValidationError(errors)
    assert value is not None
    before = _recovery(case)
    drawn = sum((d for _, d in draws), money.ZERO)
    after_recovered = before.recovered + value - drawn
    reason = over_loss_reason.strip()
    if after_recovered > case.victim_loss and not (reason or case.over_recovery_reason):
        raise ValidationError(
            {
                "over_loss_reason": (
                    f"记录后追赃挽损金额为{money.yuan(after_recovered)}，超过受害人损失"
                    f"{money.yuan(case.victim_loss)}；如确属实，请说明原因"
                )
            }
        )
    record = RecoveryRecord.objects.create(
        case=case,
        kind=kind,
        amount=value,
        on=on,
        unit=unit,
        note=note.strip()[:300],
        recorded_by=actor,
    )
    for secured, draw_value in draws:
        RecoveryRelease.objects.create(
            return_record=record, secured_record=secured, amount=draw_value
        )
    if reason and reason != case.over_recovery_reason:
        guarded_update(case, expected_version=case.version, over_recovery_reason=reason[:500])
    after = _recovery(case)
    released = f"（其中释放冻结/扣押{money.yuan(drawn)}）" if drawn else ""
    audit_record(
        actor=actor,
        action=f"case.recovery_{kind}",
        obj=case,
        summary=(
            f"{unit.name}{record.get_kind_display()}{money.yuan(value)}{released}；"
            f"累计追赃挽损{money.yuan(after.recovered)}，挽损率{money.percent(after.recovery_rate)}"
        ),
        data={
            "record": record.pk,
            "kind": kind,
            "amount": str(value),
            "on": on,
            "releases": [[s.pk, str(d)] for s, d in draws],
            "recovered": str(after.recovered),
            "over_loss_reason": bool(reason),
        },
    )
    return record


# -- cold and backlog cases (陈案积案回头看) -------------------------------------------------------


@transaction.atomic
def cold_case_flag(*, actor: User, case: Case, reason: str, due_on: dt.date) -> ColdCaseReview:
    unit = acting_unit(actor, case, POLICE_SIDE)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if len(reason) < 4:
        errors["reason"] = "请写明列为陈案积案的原因（不少于4个字）"
    if due_on < _today():
        errors["due_on"] = "回头看期限不能早于今天"
    if ColdCaseReview.objects.filter(case=case, reviewed_on__isnull=True).exists():
        errors["__all__"] = "该案件已在回头看中，请先完成当前的回头看"
    if errors:
        raise ValidationError(errors)
    review = ColdCaseReview.objects.create(
        case=case,
        reason=reason[:500],
        flagged_on=_today(),
        due_on=due_on,
        flagged_by_unit=unit,
    )
    audit_record(
        actor=actor,
        action="case.cold_flagged",
        obj=case,
        summary=f"列为陈案积案，{due_on:%Y-%m-%d}前回头看：{reason}",
        data={"review": review.pk, "due_on": due_on},
    )
    return review


@transaction.atomic
def cold_case_review(
    *, actor: User, review: ColdCaseReview, outcome: str, reviewed_on: dt.date | None = None
) -> ColdCaseReview:
    case = review.case
    unit = acting_unit(actor, case, POLICE_SIDE)
    outcome = outcome.strip()
    day = reviewed_on or _today()
    errors: dict[str, str] = {}
    if review.reviewed_on is not None:
        errors["__all__"] = "该回头看已完成"
    if len(outcome) < 4:
        errors["outcome"] = "请写明回头看结果（不少于4个字）"
    _not_future(day, "reviewed_on", errors)
    if day < review.flagged_on:
        errors["reviewed_on"] = "完成日期不能早于列入日期"
    if errors:
        raise ValidationError(errors)
    review.reviewed_on, review.outcome, review.reviewed_by_unit = day, outcome[:1000], unit
    review.save(update_fields=["reviewed_on", "outcome", "reviewed_by_unit"])
    late = "（逾期完成）" if day > review.due_on else ""
    audit_record(
        actor=actor,
        action="case.cold_reviewed",
        obj=case,
        summary=f"完成回头看{late}：{outcome}",
        data={"review": review.pk, "reviewed_on": day},
    )
    return review
