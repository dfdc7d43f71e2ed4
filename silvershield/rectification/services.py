"""Writes of the rectification ledger: keyword-only, one transaction each, each audited.

Errors are ``ValidationError({field: "中文说明"})`` (nothing is written); acting for a unit one does
not belong to is a PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.core.sequences import next_value
from silvershield.geo.models import Region
from silvershield.intake.models import Tip
from silvershield.orgs.models import Unit, User
from silvershield.rectification.files import CheckedFile
from silvershield.rectification.models import (
    Evidence,
    Hazard,
    HazardState,
    Institution,
    InstitutionTipLink,
    Letter,
    LetterState,
    LicenceStatus,
    Milestone,
    Progress,
    Rule,
    Task,
    TaskCoUnit,
    TaskSource,
    TaskState,
    end_of_day,
)
from silvershield.screening import normalize_name
from silvershield.workflow.access import covers, units_with

# -- who acts ------------------------------------------------------------------------------------


def acting_unit(actor: User, perm: Perm = Perm.RECTIFICATION_MANAGE) -> Unit:
    """The unit an actor records for (their first unit holding ``perm``); 403 if none."""
    units = units_with(actor, perm)
    if not units:
        raise PermissionDenied
    return units[0]


def acts_for(actor: User, unit: Unit, perm: Perm = Perm.RECTIFICATION_MANAGE) -> bool:
    """The actor holds ``perm`` in ``unit`` itself or in an office covering it."""
    return any(u.pk == unit.pk or covers(u, unit) for u in units_with(actor, perm))


def checking_office(actor: User, unit: Unit) -> Unit:
    """The actor's office with RECTIFICATION_CHECK covering ``unit`` (nearest first); else 403."""
    offices = [
        u for u in units_with(actor, Perm.RECTIFICATION_CHECK) if u.is_office and covers(u, unit)
    ]
    if not offices:
        raise PermissionDenied
    return max(offices, key=lambda o: len(o.region.path) if o.region else 0)


def _require(actor: User, unit: Unit, perm: Perm = Perm.RECTIFICATION_MANAGE) -> None:
    if not acts_for(actor, unit, perm):
        raise PermissionDenied


def _within(actor_unit: Unit, region: Region) -> bool:
    return actor_unit.region is None or region.path.startswith(actor_unit.region.path)


def _text(value: str, field: str, label: str, errors: dict[str, str], minimum: int = 2) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        errors[field] = f"请填写{label}"
    return value


def _fail(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _number(prefix: str, year: int) -> str:
    return f"{prefix}{year}-{next_value(key=f'rectification.{prefix}.{year}'):05d}"


# -- institutions --------------------------------------------------------------------------------


def clean_uscc(value: str) -> str:
    """The credit code in its compact form; a wrong one raises a Chinese message."""
    value = (value or "").strip().upper().replace(" ", "").replace("-", "")
    if not value:
        return ""
    if not stdnum_uscc.is_valid(value):
        raise ValidationError(
            {"uscc": "统一社会信用代码无效（应为18位，且校验位正确），请核对营业执照或登记证书"}
        )
    return value


@transaction.atomic
def institution_create(
    *,
    actor: User,
    name: str,
    kind: str,
    sector: str,
    region: Region,
    licence_status: str,
    uscc: str = "",
    address: str = "",
    regulator: Unit | None = None,
    note: str = "",
) -> Institution:
    unit = acting_unit(actor)
    errors: dict[str, str] = {}
    name = _text(name, "name", "机构名称", errors)
    try:
        code = clean_uscc(uscc)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        code = ""
    if not code and licence_status != LicenceStatus.UNLICENSED and "uscc" not in errors:
        errors["uscc"] = "有证照的机构须填写统一社会信用代码；无证无照（黑机构）可不填"
    if code and Institution.objects.filter(uscc=code).exists():
        errors["uscc"] = "该统一社会信用代码已登记，请勿重复登记"
    if not _within(unit, region):
        errors["region"] = "只能登记本单位辖区内的机构"
    _fail(errors)
    institution = Institution.objects.create(
        name=name,
        kind=kind,
        sector=sector,
        region=region,
        licence_status=licence_status,
        uscc=code,
        address=address.strip(),
        regulator=regulator,
        note=note.strip(),
        name_core=normalize_name(name) or name,
        created_by=actor,
        created_by_unit=unit,
    )
    flag = "（无证无照，黑机构）" if institution.is_unlicensed else ""
    audit_record(
        actor=actor,
        action="institution.created",
        obj=institution,
        summary=f"登记机构：{name}{flag}",
        data={"uscc": code, "licence_status": licence_status},
    )
    return institution


def institution_editable(actor: User, institution: Institution) -> bool:
    """The registering unit, the regulator, or an office whose jurisdiction holds it."""
    for unit in units_with(actor, Perm.RECTIFICATION_MANAGE):
        if unit.pk in (institution.created_by_unit_id, institution.regulator_id):
            return True
        if unit.is_office and _within(unit, institution.region):
            return True
    return False


@transaction.atomic
def institution_update(
    *,
    actor: User,
    institution: Institution,
    licence_status: str,
    address: str,
    regulator: Unit | None,
    uscc: str = "",
    note: str = "",
) -> Institution:
    if not institution_editable(actor, institution):
        raise PermissionDenied
    code = clean_uscc(uscc) if uscc else institution.uscc
    if code and Institution.objects.filter(uscc=code).exclude(pk=institution.pk).exists():
        raise ValidationError({"uscc": "该统一社会信用代码已登记在另一机构名下"})
    if not code and licence_status != LicenceStatus.UNLICENSED:
        raise ValidationError({"uscc": "有证照的机构须填写统一社会信用代码"})
    old = institution.get_licence_status_display()
    institution.licence_status = licence_status
    institution.address = address.strip()
    institution.regulator = regulator
    institution.uscc = code
    institution.note = note.strip()
    institution.save(update_fields=["licence_status", "address", "regulator", "uscc", "note"])
    audit_record(
        actor=actor,
        action="institution.updated",
        obj=institution,
        summary=f"更新机构信息（证照状态：{old} → {institution.get_licence_status_display()}）",
    )
    return institution


@transaction.atomic
def institution_link_tip(
    *, actor: User, institution: Institution, tip: Tip, matched_by: str = ""
) -> InstitutionTipLink:
    """Confirm that a tip names the institution (idempotent)."""
    acting_unit(actor, Perm.RECTIFICATION_MANAGE)
    link, created = InstitutionTipLink.objects.get_or_create(
        institution=institution,
        tip=tip,
        defaults={
            "matched_by": matched_by[:100],
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="institution.tip_linked",
            obj=institution,
            summary=f"确认线索 {tip.number} 涉及本机构"
            + (f"（{matched_by}）" if matched_by else ""),
            data={"tip": tip.pk},
        )
    return link


@transaction.atomic
def institution_unlink_tip(*, actor: User, institution: Institution, tip: Tip) -> None:
    acting_unit(actor, Perm.RECTIFICATION_MANAGE)
    deleted, _ = InstitutionTipLink.objects.filter(institution=institution, tip=tip).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="institution.tip_unlinked",
            obj=institution,
            summary=f"取消关联线索 {tip.number}",
            data={"tip": tip.pk},
        )


# -- hazards ---------------------------------------------------------------------------------------


@transaction.atomic
def hazard_create(
    *,
    actor: User,
    sector: str,
    region: Region,
    problem: str,
    unit: Unit,
    due_on: dt.date,
    found_on: dt.date,
    institution: Institution | None = None,
    found_by_name: str = "",
    measures: str = "",
) -> Hazard:
    finder = acting_unit(actor)
    errors: dict[str, str] = {}
    problem = _text(problem, "problem", "问题隐患（不少于4个字）", errors, minimum=4)
    if found_on > timezone.localdate():
        errors["found_on"] = "发现日期不能晚于今天"
    if due_on < found_on:
        errors["due_on"] = "整治期限不能早于发现日期"
    if not unit.is_active:
        errors["unit"] = "整治责任单位已停用"
    if not _within(finder, region):
        errors["region"] = "只能登记本单位辖区内的隐患"
    _fail(errors)
    hazard = Hazard.objects.create(
        number=_number("YH", found_on.year),
        institution=institution,
        sector=sector,
        region=region,
        problem=problem,
        found_by_unit=finder,
        found_by_name=(found_by_name or actor.full_name or actor.username).strip()[:100],
        found_on=found_on,
        unit=unit,
        due_on=due_on,
        measures=measures.strip(),
        created_by=actor,
        created_by_unit=finder,
    )
    audit_record(
        actor=actor,
        action="hazard.created",
        obj=hazard,
        summary=f"{finder.name}发现问题隐患，责任单位{unit.name}，整治期限{due_on:%Y-%m-%d}",
        data={"institution": institution.pk if institution else None},
    )
    return hazard


def _hazard_move(
    hazard: Hazard, *, actor: User, to: HazardState, summary: str, fields: Sequence[str] = ()
) -> Hazard:
    old = hazard.get_state_display()
    hazard.state = to
    hazard.version += 1
    hazard.save(update_fields=["state", "version", *fields])
    audit_record(
        actor=actor,
        action=f"hazard.{to.value}",
        obj=hazard,
        summary=f"{old} → {hazard.get_state_display()}：{summary}",
    )
    return hazard


def _locked_hazard(hazard: Hazard, expected_version: int | None) -> Hazard:
    locked = (
        Hazard.objects.select_for_update(of=("self",))
        .select_related("unit__region")
        .get(pk=hazard.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        from silvershield.core.concurrency import StaleRecordError

        raise StaleRecordError
    return locked


@transaction.atomic
def hazard_start(
    *, actor: User, hazard: Hazard, measures: str, expected_version: int | None = None
) -> Hazard:
    """发现 → 整治中, with the measures planned."""
    hazard = _locked_hazard(hazard, expected_version)
    _require(actor, hazard.unit)
    if hazard.state != HazardState.FOUND:
        raise ValidationError(
            {"__all__": f"该隐患当前为“{hazard.get_state_display()}”，不能开始整治"}
        )
    errors: dict[str, str] = {}
    hazard.measures = _text(measures, "measures", "整治措施（不少于4个字）", errors, minimum=4)
    _fail(errors)
    return _hazard_move(
        hazard,
        actor=actor,
        to=HazardState.RECTIFYING,
        summary=hazard.measures[:200],
        fields=["measures"],
    )


@transaction.atomic
def hazard_mark_rectified(
    *, actor: User, hazard: Hazard, note: str, expected_version: int | None = None
) -> Hazard:
    """整治中 → 已整治 (by the responsible unit); the office then checks it."""
    hazard = _locked_hazard(hazard, expected_version)
    _require(actor, hazard.unit)
    if hazard.state != HazardState.RECTIFYING:
        raise ValidationError(
            {"__all__": f"该隐患当前为“{hazard.get_state_display()}”，不能报整治完成"}
        )
    errors: dict[str, str] = {}
    note = _text(note, "note", "整治完成情况（不少于4个字）", errors, minimum=4)
    _fail(errors)
    hazard.rectified_at = timezone.now()
    hazard.measures = f"{hazard.measures}\n【整治完成情况】{note}".strip()
    return _hazard_move(
        hazard,
        actor=actor,
        to=HazardState.RECTIFIED,
        summary=note[:200],
        fields=["rectified_at", "measures"],
    )


@transaction.atomic
def hazard_check(
    *,
    actor: User,
    hazard: Hazard,
    accept: bool,
    note: str = "",
    expected_version: int | None = None,
) -> Hazard:
    """已整治 → 复核通过 (only an office with RECTIFICATION_CHECK over the responsible unit);
    not accepted → back to 整治中 with the reason."""
    hazard = _locked_hazard(hazard, expected_version)
    checking_office(actor, hazard.unit)
    if hazard.state != HazardState.RECTIFIED:
        raise ValidationError({"__all__": "只有“已整治”的隐患才能复核"})
    note = note.strip()
    if not accept and len(note) < 4:
        raise ValidationError({"note": "复核不通过时请写明理由（不少于4个字）"})
    hazard.check_note = note[:500]
    if accept:
        hazard.verified_at, hazard.verified_by = timezone.now(), actor
        return _hazard_move(
            hazard,
            actor=actor,
            to=HazardState.VERIFIED,
            summary=note or "复核通过",
            fields=["verified_at", "verified_by", "check_note"],
        )
    hazard.rectified_at = None
    return _hazard_move(
        hazard,
        actor=actor,
        to=HazardState.RECTIFYING,
        summary=f"复核不通过：{note}",
        fields=["rectified_at", "check_note"],
    )


# -- 三书一函 --------------------------------------------------------------------------------------


@transaction.atomic
def letter_issue(
    *,
    actor: User,
    kind: str,
    number: str,
    recipient: Unit | None,
    problem: str,
    issued_on: dt.date,
    reply_due_on: dt.date | None,
    suggestions: str = "",
    case_number: str = "",
    issuer: Unit | None = None,
    institution: Institution | None = None,
) -> Letter:
    """Record an issued suggestion letter; the recipient must exist and the reply deadline must
    come after the issue date."""
    issuer = issuer or acting_unit(actor)
    _require(actor, issuer)
    errors: dict[str, str] = {}
    number = _text(number, "number", "文号", errors)
    problem = _text(problem, "problem", "发现的管理漏洞（不少于4个字）", errors, minimum=4)
    if recipient is None or not Unit.objects.filter(pk=recipient.pk, is_active=True).exists():
        errors["recipient"] = "主送单位不存在或已停用，请从单位名录中选择"
    elif recipient.pk == issuer.pk:
        errors["recipient"] = "主送单位不能是制发单位本身"
    if issued_on > timezone.localdate():
        errors["issued_on"] = "制发日期不能晚于今天"
    if reply_due_on is None:
        errors["reply_due_on"] = "请填写回复期限"
    elif reply_due_on <= issued_on:
        errors["reply_due_on"] = "回复期限必须晚于制发日期"
    if number and Letter.objects.filter(issuer=issuer, number=number).exists():
        errors["number"] = "本单位已登记过该文号的文书"
    _fail(errors)
    assert recipient is not None and reply_due_on is not None
    region = recipient.region or issuer.region
    if region is None:
        raise ValidationError({"recipient": "国家级单位之间的文书请由所在地专项办登记"})
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                kind=kind,
                number=number,
                issuer=issuer,
                recipient=recipient,
                region=region,
                case_number=case_number.strip(),
                institution=institution,
                problem=problem,
                suggestions=suggestions.strip(),
                issued_on=issued_on,
                reply_due_on=reply_due_on,
                due_at=end_of_day(reply_due_on),
                created_by=actor,
                created_by_unit=acting_unit(actor),
            )
    except IntegrityError:
        raise ValidationError({"number": "本单位已登记过该文号的文书"}) from None
    audit_record(
        actor=actor,
        action="letter.issued",
        obj=letter,
        summary=f"{issuer.name}向{recipient.name}制发{letter.get_kind_display()}{number}，"
        f"回复期限{reply_due_on:%Y-%m-%d}",
        data={"case_number": letter.case_number},
    )
    return letter


def _locked_letter(letter: Letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("recipient__region")
        .get(pk=letter.pk)
    )


@transaction.atomic
def letter_reply(*, actor: User, letter: Letter, reply: str) -> Letter:
    """The recipient records its reply (待回复 → 已回复)."""
    letter = _locked_letter(letter)
    _require(actor, letter.recipient)
    if letter.state != LetterState.ISSUED:
        raise ValidationError({"__all__": "该文书已回复"})
    errors: dict[str, str] = {}
    letter.reply = _text(reply, "reply", "回复内容（不少于4个字）", errors, minimum=4)
    _fail(errors)
    letter.state, letter.replied_at, letter.replied_by = LetterState.REPLIED, timezone.now(), actor
    letter.version += 1
    late = letter.replied_at > letter.due_at
    letter.save(update_fields=["reply", "state", "replied_at", "replied_by", "version"])
    audit_record(
        actor=actor,
        action="letter.replied",
        obj=letter,
        summary=f"{letter.recipient.name}回复{'（逾期）' if late else ''}：{letter.reply[:200]}",
        data={"late": late},
    )
    return letter


@transaction.atomic
def letter_record_rectification(*, actor: User, letter: Letter, rectification: str) -> Letter:
    """The recipient records what it rectified (已回复 → 已整改)."""
    letter = _locked_letter(letter)
    _require(actor, letter.recipient)
    if letter.state != LetterState.REPLIED:
        raise ValidationError({"__all__": "请先回复，再登记整改情况"})
    errors: dict[str, str] = {}
    letter.rectification = _text(
        rectification, "rectification", "整改情况（不少于4个字）", errors, minimum=4
    )
    _fail(errors)
    letter.state, letter.rectified_at = LetterState.RECTIFIED, timezone.now()
    letter.version += 1
    letter.save(update_fields=["rectification", "state", "rectified_at", "version"])
    audit_record(
        actor=actor,
        action="letter.rectified",
        obj=letter,
        summary=f"{letter.recipient.name}登记整改情况：{letter.rectification[:200]}",
    )
    return letter


# -- rectification tasks ---------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    actor: User,
    title: str,
    source: str,
    lead_unit: Unit,
    measures: str,
    responsible_name: str,
    due_on: dt.date,
    co_units: Sequence[Unit] = (),
    milestones: Sequence[tuple[str, dt.date]] = (),
    source_note: str = "",
    hazard: Hazard | None = None,
    letter: Letter | None = None,
) -> Task:
    creator = acting_unit(actor)
    errors: dict[str, str] = {}
    title = _text(title, "title", "整改事项", errors)
    measures = _text(measures, "measures", "整改措施（不少于4个字）", errors, minimum=4)
    responsible_name = _text(responsible_name, "responsible_name", "责任人", errors)
    today = timezone.localdate()
    if due_on < today:
        errors["due_on"] = "整改期限不能早于今天"
    if source == TaskSource.HAZARD and hazard is None:
        errors["hazard"] = "来源为问题隐患时请选择隐患"
    if source == TaskSource.LETTER and letter is None:
        errors["letter"] = "来源为三书一函时请选择文书"
    if source == TaskSource.SUPERVISION and len(source_note.strip()) < 4:
        errors["source_note"] = "请写明督导问题清单中的问题"
    if any(u.pk == lead_unit.pk for u in co_units):
        errors["co_units"] = "配合单位不能包含牵头单位"
    if lead_unit.region is not None and not _within(creator, lead_unit.region):
        errors["lead_unit"] = "牵头单位须在本单位辖区内"
    for title_m, day in milestones:
        if day > due_on:
            errors["milestones"] = f"节点“{title_m}”的时限晚于整改期限"
    _fail(errors)
    region = lead_unit.region or creator.region
    if region is None:
        raise ValidationError({"lead_unit": "请选择有所在地区的牵头单位"})
    task = Task.objects.create(
        number=_number("ZG", today.year),
        title=title,
        source=source,
        source_note=source_note.strip(),
        hazard=hazard,
        letter=letter,
        region=region,
        lead_unit=lead_unit,
        measures=measures,
        responsible_name=responsible_name,
        due_on=due_on,
        due_at=end_of_day(due_on),
        created_by=actor,
        created_by_unit=creator,
    )
    TaskCoUnit.objects.bulk_create([TaskCoUnit(task=task, unit=u) for u in co_units])
    Milestone.objects.bulk_create(
        [Milestone(task=task, title=t.strip()[:300], due_on=d) for t, d in milestones]
    )
    co = "、".join(u.name for u in co_units)
    audit_record(
        actor=actor,
        action="task.created",
        obj=task,
        summary=f"建立整改任务，牵头单位{lead_unit.name}"
        + (f"，配合单位{co}" if co else "")
        + f"，整改期限{due_on:%Y-%m-%d}，责任人{responsible_name}",
        data={"source": source, "hazard": hazard.pk if hazard else None},
    )
    return task


def _locked_task(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("lead_unit__region")
        .get(pk=task.pk)
    )


def _task_worker(actor: User, task: Task) -> Unit:
    """The unit acting on a task: the lead unit, a co-operating unit, or an office over them."""
    for unit in units_with(actor, Perm.RECTIFICATION_MANAGE):
        if unit.pk == task.lead_unit_id or covers(unit, task.lead_unit):
            return unit
        if TaskCoUnit.objects.filter(task=task, unit=unit).exists():
            return unit
    raise PermissionDenied


def evidence_count(task: Task) -> int:
    return Evidence.objects.filter(progress__task=task).count()


@transaction.atomic
def task_progress_add(
    *, actor: User, task: Task, text: str, files: Sequence[CheckedFile] = ()
) -> Progress:
    """A progress update, with evidence files already checked by content (files.check_uploads)."""
    task = _locked_task(task)
    unit = _task_worker(actor, task)
    if task.state == TaskState.CLOSED:
        raise ValidationError({"__all__": "该任务已销号"})
    errors: dict[str, str] = {}
    text = _text(text, "text", "进展情况（不少于4个字）", errors, minimum=4)
    _fail(errors)
    now = timezone.now()
    progress = Progress.objects.create(
        task=task, unit=unit, written_by=actor, written_at=now, text=text
    )
    for f in files:
        Evidence.objects.create(
            progress=progress,
            file=f.as_content(),
            original_name=f.name,
            content_type=f.content_type,
            size=len(f.data),
            sha256=f.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
    audit_record(
        actor=actor,
        action="task.progress",
        obj=task,
        summary=f"{unit.name}报送进展：{text[:150]}"
        + (f"（佐证材料{len(files)}份）" if files else ""),
        data={"files": [f.sha256 for f in files]},
    )
    return progress


@transaction.atomic
def milestone_done(*, actor: User, milestone: Milestone, note: str = "") -> Milestone:
    task = _locked_task(milestone.task)
    _task_worker(actor, task)
    if milestone.done_at is not None:
        return milestone
    milestone.done_at, milestone.done_note = timezone.now(), note.strip()[:500]
    milestone.save(update_fields=["done_at", "done_note"])
    fields: list[str] = []
    if milestone.is_stage_goal:
        # The clock moves on to the next staged goal: it starts afresh.
        fields = task.reset_clock()
        task.due_at = _current_due(task)
        task.save(update_fields=[*fields, "due_at"])
    kind = "阶段目标" if milestone.is_stage_goal else "整改节点"
    audit_record(
        actor=actor,
        action="task.milestone_done",
        obj=task,
        summary=f"完成{kind}：{milestone.title}" + (f"（{milestone.done_note}）" if note else ""),
    )
    return milestone


def _current_due(task: Task) -> dt.datetime:
    """The instant the clock runs to: the earliest unfinished staged goal, else the deadline."""
    stage = task.milestones.filter(is_stage_goal=True, done_at__isnull=True).order_by("due_on")
    first = stage.first()
    return end_of_day(first.due_on if first else task.due_on)


@transaction.atomic
def task_set_stage_goals(
    *, actor: User, task: Task, goals: Sequence[tuple[str, dt.date]], reason: str
) -> Task:
    """A task that cannot finish in time gets staged goals (阶段目标); the last goal becomes the
    deadline and the clock runs on the earliest unfinished one."""
    task = _locked_task(task)
    if not acts_for(actor, task.lead_unit):
        raise PermissionDenied
    if not task.is_open:
        raise ValidationError({"__all__": "该任务已销号"})
    if task.state != TaskState.OPEN:
        # Moving the deadline after completion was reported would turn a late task into an
        # on-time one in the figures (整改任务按期完成率).
        raise ValidationError({"__all__": "任务已报送完成，不能再设定阶段目标"})
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", "不能按期完成的原因（不少于4个字）", errors, minimum=4)
    goals = [(t.strip(), d) for t, d in goals if t.strip()]
    if not goals:
        errors["goals"] = "请至少填写一个阶段目标"
    today = timezone.localdate()
    days = [d for _, d in goals]
    if any(d < today for d in days):
        errors["goals"] = "阶段目标的时限不能早于今天"
    elif days != sorted(days):
        errors["goals"] = "阶段目标应按时间先后排列"
    _fail(errors)
    Milestone.objects.bulk_create(
        [Milestone(task=task, title=t[:300], due_on=d, is_stage_goal=True) for t, d in goals]
    )
    old_due = task.due_on
    task.due_on = max(task.due_on, days[-1])
    task.due_at = _current_due(task)
    fields = task.reset_clock()
    task.version += 1
    task.save(update_fields=["due_on", "due_at", "version", *fields])
    listed = "；".join(f"{t}（{d:%Y-%m-%d}前）" for t, d in goals)
    audit_record(
        actor=actor,
        action="task.stage_goals",
        obj=task,
        summary=f"不能按期完成（{reason}），设定阶段目标：{listed}；整改期限{old_due:%Y-%m-%d} → "
        f"{task.due_on:%Y-%m-%d}",
    )
    return task


@transaction.atomic
def task_submit(*, actor: User, task: Task, summary: str) -> Task:
    """The lead unit reports the task done (整改中 → 待核验); evidence is required."""
    task = _locked_task(task)
    _require(actor, task.lead_unit)
    if task.state != TaskState.OPEN:
        raise ValidationError(
            {"__all__": f"该任务当前为“{task.get_state_display()}”，不能报请核验"}
        )
    errors: dict[str, str] = {}
    summary = _text(summary, "summary", "完成情况（不少于4个字）", errors, minimum=4)
    if evidence_count(task) == 0:
        errors["__all__"] = "尚无整改佐证材料：请先在进展中上传佐证材料（不搞纸面整改）"
    _fail(errors)
    task.state, task.submitted_at, task.completion_summary = (
        TaskState.SUBMITTED,
        timezone.now(),
        summary,
    )
    task.version += 1
    task.save(update_fields=["state", "submitted_at", "completion_summary", "version"])
    audit_record(
        actor=actor,
        action="task.submitted",
        obj=task,
        summary=f"报请核验：{summary[:200]}",
    )
    return task


@transaction.atomic
def task_check(*, actor: User, task: Task, accept: bool, note: str = "") -> Task:
    """The office checks completion on the ground (待核验 → 核验通过, or back to 整改中)."""
    task = _locked_task(task)
    checking_office(actor, task.lead_unit)
    if task.state != TaskState.SUBMITTED:
        raise ValidationError({"__all__": "只有“待核验”的任务才能核验"})
    note = note.strip()
    if not accept and len(note) < 4:
        raise ValidationError({"note": "核验不通过时请写明理由（不少于4个字）"})
    task.check_note = note[:500]
    task.version += 1
    if accept:
        task.state, task.checked_at, task.checked_by = TaskState.CHECKED, timezone.now(), actor
        summary = f"核验通过：{note}" if note else "核验通过"
    else:
        task.state, task.checked_at, task.checked_by = TaskState.OPEN, None, None
        summary = f"核验不通过，退回整改：{note}"
    task.save(update_fields=["state", "checked_at", "checked_by", "check_note", "version"])
    audit_record(
        actor=actor, action="task.checked", obj=task, summary=summary, data={"accept": accept}
    )
    return task


@transaction.atomic
def task_close(*, actor: User, task: Task, note: str = "") -> Task:
    """销号: only with evidence on file and after the office's check (no 纸面整改)."""
    task = _locked_task(task)
    _require(actor, task.lead_unit)
    if task.state == TaskState.CLOSED:
        raise ValidationError({"__all__": "该任务已销号"})
    if evidence_count(task) == 0:
        raise ValidationError({"__all__": "没有整改佐证材料，不能销号（不搞纸面整改）"})
    if task.state != TaskState.CHECKED or task.checked_at is None:
        raise ValidationError({"__all__": "尚未经专项办核验通过，不能销号"})
    task.state, task.closed_at = TaskState.CLOSED, timezone.now()
    task.version += 1
    task.save(update_fields=["state", "closed_at", "version"])
    audit_record(
        actor=actor,
        action="task.closed",
        obj=task,
        summary="整改完成，销号" + (f"：{note.strip()}" if note.strip() else ""),
    )
    return task


# -- 建章立制 --------------------------------------------------------------------------------------


@transaction.atomic
def rule_create(
    *,
    actor: User,
    title: str,
    kind: str,
    issued_on: dt.date,
    doc_number: str = "",
    summary: str = "",
    unit: Unit | None = None,
    letter: Letter | None = None,
    task: Task | None = None,
    files: Sequence[CheckedFile] = (),
) -> Rule:
    unit = unit or acting_unit(actor)
    _require(actor, unit)
    errors: dict[str, str] = {}
    title = _text(title, "title", "制度名称", errors)
    if issued_on > timezone.localdate():
        errors["issued_on"] = "印发日期不能晚于今天"
    if (
        letter is not None
        and letter.recipient_id != unit.pk
        and not acts_for(actor, letter.recipient)
    ):
        errors["letter"] = "只能登记本单位收到的文书所对应的制度"
    _fail(errors)
    region = unit.region
    if region is None:
        raise ValidationError({"unit": "请由有所在地区的单位登记"})
    rule = Rule.objects.create(
        title=title,
        kind=kind,
        unit=unit,
        region=region,
        doc_number=doc_number.strip(),
        issued_on=issued_on,
        summary=summary.strip(),
        letter=letter,
        task=task,
        created_by=actor,
        created_by_unit=acting_unit(actor),
    )
    now = timezone.now()
    for f in files:
        Evidence.objects.create(
            rule=rule,
            file=f.as_content(),
            original_name=f.name,
            content_type=f.content_type,
            size=len(f.data),
            sha256=f.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
    audit_record(
        actor=actor,
        action="rule.created",
        obj=rule,
        summary=f"{unit.name}建章立制：{title}"
        + (f"（{rule.doc_number}）" if rule.doc_number else ""),
        data={"letter": letter.pk if letter else None, "task": task.pk if task else None},
    )
    if letter is not None:
        audit_record(
            actor=actor,
            action="letter.rule_made",
            obj=letter,
            summary=f"{unit.name}据此建章立制：{title}",
            data={"rule": rule.pk},
        )
    return rule
