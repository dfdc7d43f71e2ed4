"""The rectification deadline clock over letters awaiting a reply and open rectification tasks:
临期预警 once; 催办 at the deadline and every N working days; 督办 from the office above after M
催办; 严重超期 once — the campaign's policy (workflow.deadlines.Policy), the working-day calendar
of core.workdays. Running it twice at the same moment changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from silvershield.campaigns.services import campaign_current
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm, role_has
from silvershield.core.workdays import (
    SHANGHAI,
    Calendar,
    calendar_now,
    elapsed_fraction,
    working_days_between,
)
from silvershield.orgs.models import Unit
from silvershield.rectification.models import (
    Chase,
    ChaseClock,
    ChaseKind,
    Letter,
    LetterState,
    Task,
    TaskState,
)
from silvershield.workflow.access import office_above
from silvershield.workflow.deadlines import Policy, last_day


@dataclass
class RectDeadlineRun:
    warnings: int = 0
    reminders: int = 0
    supervisions: int = 0
    serious: int = 0
    letters: list[int] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "warnings": self.warnings,
            "reminders": self.reminders,
            "supervisions": self.supervisions,
            "serious": self.serious,
        }


def unit_handlers(unit: Unit) -> str:
    names = [
        m.user.full_name or m.user.username
        for m in unit.memberships.select_related("user").filter(user__is_active=True)
        if role_has(m.role, Perm.RECTIFICATION_MANAGE)
    ]
    return "、".join(names[:3]) or unit.name


def responsible_person(item: Letter | Task) -> str:
    """Who answers for the item (accountability for an item, not a ranking of people)."""
    if isinstance(item, Task):
        return item.responsible_name
    return unit_handlers(item.recipient)


def overdue_working_days(item: Letter | Task, now: dt.datetime) -> int:
    if now < item.due_at:
        return 0
    return working_days_between(
        last_day(item.due_at), timezone.localtime(now).date(), calendar_now()
    )


@dataclass(frozen=True)
class _Parties:
    to_unit: Unit
    chaser: Unit | None
    supervisor: Unit | None
    started: dt.datetime
    label: str


def _parties(item: Letter | Task) -> _Parties:
    if isinstance(item, Letter):
        started = dt.datetime.combine(item.issued_on, dt.time(0), tzinfo=SHANGHAI)
        return _Parties(
            to_unit=item.recipient,
            chaser=item.issuer,
            supervisor=office_above(item.recipient),
            started=started,
            label=f"{item.get_kind_display()}{item.number}",
        )
    creator = item.created_by_unit or item.lead_unit
    above = office_above(creator) if creator.is_office else office_above(item.lead_unit)
    return _Parties(
        to_unit=item.lead_unit,
        chaser=creator,
        supervisor=above or creator,
        started=item.created_at,
        label=f"整改任务{item.number}",
    )


def _chase(
    item: Letter | Task,
    parties: _Parties,
    kind: ChaseKind,
    now: dt.datetime,
    by: Unit | None,
    note: str,
) -> None:
    Chase.objects.create(
        letter=item if isinstance(item, Letter) else None,
        task=item if isinstance(item, Task) else None,
        kind=kind,
        created_at=now,
        by_unit=by,
        to_unit=parties.to_unit,
        responsible_name=responsible_person(item)[:150],
        note=note[:500],
    )
    audit_record(
        actor=None,
        action=f"rect_deadline.{kind.value}",
        obj=item,
        summary=f"{kind.label}：{parties.to_unit.name}（{parties.label}）"
        + (f"，{note}" if note else ""),
    )


def _step(
    item: Letter | Task,
    policy: Policy,
    now: dt.datetime,
    today: dt.date,
    cal: Calendar,
    run: RectDeadlineRun,
) -> bool:
    parties = _parties(item)
    clock: ChaseClock = item
    fields: list[str] = []
    due_text = f"{last_day(item.due_at):%Y-%m-%d} 24时"
    if now < item.due_at:
        if (
            clock.warned_at is None
            and elapsed_fraction(parties.started, item.due_at, now) >= policy.warning_ratio
        ):
            clock.warned_at = now
            fields.append("warned_at")
            _chase(item, parties, ChaseKind.WARNING, now, parties.chaser, f"期限{due_text}")
            run.warnings += 1
    else:
        over = working_days_between(last_day(item.due_at), today, cal)
        due_for_reminder = clock.last_reminder_at is None or (
            working_days_between(timezone.localtime(clock.last_reminder_at).date(), today, cal)
            >= policy.reminder_interval_days
        )
        if due_for_reminder:
            clock.reminder_count += 1
            clock.last_reminder_at = now
            fields += ["reminder_count", "last_reminder_at"]
            _chase(
                item,
                parties,
                ChaseKind.REMINDER,
                now,
                parties.chaser,
                f"第{clock.reminder_count}次催办，期限{due_text}，已超期{over}个工作日",
            )
            run.reminders += 1
        if (
            clock.supervised_at is None
            and clock.reminder_count >= policy.reminders_before_supervision
        ):
            clock.supervised_at = now
            fields.append("supervised_at")
            _chase(
                item,
                parties,
                ChaseKind.SUPERVISION,
                now,
                parties.supervisor or parties.chaser,
                f"催办{clock.reminder_count}次仍未办理",
            )
            run.supervisions += 1
        if clock.seriously_overdue_at is None and over > policy.serious_overdue_days:
            clock.seriously_overdue_at = now
            fields.append("seriously_overdue_at")
            _chase(item, parties, ChaseKind.SERIOUS, now, parties.chaser, f"超期{over}个工作日")
            run.serious += 1
    if fields:
        item.save(update_fields=fields)
    return bool(fields)


def rect_deadlines_run(*, now: dt.datetime | None = None) -> RectDeadlineRun:
    """Chase letters awaiting a reply and rectification tasks not yet done (awaiting the office's
    check or closure does not count as late work of the unit)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    cal = calendar_now()
    policy = Policy.of(campaign_current())
    run = RectDeadlineRun()
    letter_ids = Letter.objects.filter(state=LetterState.ISSUED).values_list("pk", flat=True)
    for pk in list(letter_ids.iterator(chunk_size=1000)):
        with transaction.atomic():
            letter = (
                Letter.objects.select_for_update(of=("self",))
                .select_related("recipient__region", "issuer")
                .get(pk=pk)
            )
            if letter.state == LetterState.ISSUED and _step(letter, policy, now, today, cal, run):
                run.letters.append(pk)
    task_ids = Task.objects.filter(state=TaskState.OPEN).values_list("pk", flat=True)
    for pk in list(task_ids.iterator(chunk_size=1000)):
        with transaction.atomic():
            task = (
                Task.objects.select_for_update(of=("self",))
                .select_related("lead_unit__region", "created_by_unit__region")
                .get(pk=pk)
            )
            if task.state == TaskState.OPEN and _step(task, policy, now, today, cal, run):
                run.tasks.append(pk)
    return run
