"""A hand-counted week of crackdown and rectification work in 湖州市 (Mon 2 – Sun 8 Nov 2026),
looked at on Tue 10 Nov 2026.

吴兴区 (county A):
  case A1  filed 3 Nov, losses 1,000,000; solved 5 Nov; suspect arrested 5 Nov; a fugitive caught
           6 Nov; its gang broken 6 Nov; frozen 400,000 on 4 Nov; 150,000 of it returned 6 Nov
  case A2  filed 20 Oct (before the week), losses 200,000; 50,000 returned 7 Nov (nothing frozen);
           flagged as a cold case, reviewed 5 Nov
  hazards found 3 and 4 Nov, open; hazard H1 found 5 Nov, rectified the same day, passed the
           office's check 6 Nov
  letter L1 issued 2 Nov to 民政, reply due 6 Nov, replied 5 Nov, rectification recorded 7 Nov;
  letter L2 issued 3 Nov, reply due 6 Nov, unanswered (overdue on 10 Nov)
  task T1 due 6 Nov: evidence 4 Nov, submitted 4 Nov, checked 5 Nov, closed 5 Nov (on time);
  task T2 due 4 Nov, still open (overdue)
  rule R1 issued 5 Nov
长兴县 (county B):
  case B1  filed 4 Nov, losses 300,000; frozen 30,000 on 8 Nov
  hazard H3 found 5 Nov, open; an unlicensed institution (黑机构) registered 5 Nov
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from conftest import World, make_user
from silvershield.core.choices import FraudType
from silvershield.core.permissions import Role
from silvershield.enforcement import services as enf
from silvershield.orgs.models import Sector, User
from silvershield.rectification import services as rect
from silvershield.rectification.models import InstitutionKind, LetterKind, LicenceStatus, TaskSource
from silvershield.rectification.tests.conftest import png_file

SH = ZoneInfo("Asia/Shanghai")


def on(day: int, month: int = 11) -> dt.date:
    return dt.date(2026, month, day)


def at(day: int, month: int = 11) -> Any:
    return time_machine.travel(dt.datetime(2026, month, day, 10, tzinfo=SH), tick=False)


def build(
    world: World,
    county_a_office: User,
    county_b_office: User,
    county_a_police: User,
    county_a_civil: User,
) -> None:
    county_b_police = make_user("b_police_crackdown", world.county_b_police, Role.UNIT_HANDLER)

    def case(actor: User, unit: Any, number: str, loss: str, filed: dt.date) -> Any:
        return enf.case_create(
            actor=actor,
            owner_unit=unit,
            number=number,
            name="某养老项目集资诈骗案",
            fraud_type=FraudType.ELDER_PROJECT,
            region=unit.region,
            filed_on=filed,
            amount_involved=loss,
            victim_loss=loss,
            victim_count=5,
            elderly_victim_count=5,
        )

    with at(20, 10):
        a2 = case(
            county_a_police, world.county_a_police, "吴公刑〔2026〕2号", "200000.00", on(20, 10)
        )
    with at(3):
        a1 = case(county_a_police, world.county_a_police, "吴公刑〔2026〕9号", "1000000.00", on(3))
        rect.hazard_create(
            actor=county_a_office,
            sector=Sector.CIVIL_AFFAIRS,
            region=world.town_a,
            problem="养老机构违规预收会员费",
            unit=world.county_a_civil,
            found_on=on(3),
            due_on=on(30),
        )
    with at(2):
        letter1 = rect.letter_issue(
            actor=county_a_police,
            kind=LetterKind.POLICE,
            number="吴公提〔2026〕1号",
            recipient=world.county_a_civil,
            problem="预收费资金未纳入监管",
            issued_on=on(2),
            reply_due_on=on(6),
        )
        t1 = rect.task_create(
            actor=county_a_office,
            title="规范预收费",
            source=TaskSource.SUPERVISION,
            source_note="督导发现的问题",
            lead_unit=world.county_a_civil,
            measures="建立资金监管账户",
            responsible_name="郑雅琴",
            due_on=on(6),
        )
        rect.task_create(
            actor=county_a_office,
            title="清理无证养老机构",
            source=TaskSource.SUPERVISION,
            source_note="督导发现的问题",
            lead_unit=world.county_a_civil,
            measures="逐一排查，依法取缔",
            responsible_name="郑雅琴",
            due_on=on(4),
        )
    with at(3):
        rect.letter_issue(
            actor=county_a_police,
            kind=LetterKind.POLICE,
            number="吴公提〔2026〕2号",
            recipient=world.county_a_civil,
            problem="保健品推销场所监管缺位",
            issued_on=on(3),
            reply_due_on=on(6),
        )
    with at(4):
        freeze = enf.recovery_record(
            actor=county_a_police, case=a1, kind="freeze", amount="400000.00", on=on(4)
        )
        rect.hazard_create(
            actor=county_a_office,
            sector=Sector.MARKET,
            region=world.town_a,
            problem="免费体检后推销保健品",
            unit=world.county_a_civil,
            found_on=on(4),
            due_on=on(30),
        )
        b1 = case(county_b_police, world.county_b_police, "长公刑〔2026〕3号", "300000.00", on(4))
        rect.task_progress_add(actor=county_a_civil, task=t1, text="已建立账户", files=[png_file()])
        rect.task_submit(actor=county_a_civil, task=t1, summary="全部整改完毕")
    with at(5):
        enf.case_advance(actor=county_a_police, case=a1, stage="solved", on=on(5))
        enf.suspect_add(
            actor=county_a_police, case=a1, name="甲某", status="arrested", caught_on=on(5)
        )
        runner = enf.suspect_add(actor=county_a_police, case=a1, name="乙某", status="at_large")
        review = enf.cold_case_flag(
            actor=county_a_police, case=a2, reason="久侦未破", due_on=on(30)
        )
        enf.cold_case_review(actor=county_a_police, review=review, outcome="重新侦查已锁定线索")
        h1 = rect.hazard_create(
            actor=county_a_office,
            sector=Sector.CIVIL_AFFAIRS,
            region=world.town_a,
            problem="床位费押金过高",
            unit=world.county_a_civil,
            found_on=on(5),
            due_on=on(30),
        )
        rect.hazard_start(actor=county_a_civil, hazard=h1, measures="退还超额押金")
        rect.hazard_mark_rectified(actor=county_a_civil, hazard=h1, note="已退还超额押金")
        rect.letter_reply(actor=county_a_civil, letter=letter1, reply="已收悉，正在整改")
        rect.task_check(actor=county_a_office, task=t1, accept=True)
        rect.task_close(actor=county_a_civil, task=t1)
        rect.rule_create(
            actor=county_a_civil, title="养老机构预收费管理办法", kind="regulation", issued_on=on(5)
        )
        rect.hazard_create(
            actor=county_b_office,
            sector=Sector.CIVIL_AFFAIRS,
            region=world.county_b,
            problem="老年公寓无证经营",
            unit=world.county_b_police,
            found_on=on(5),
            due_on=on(30),
        )
        rect.institution_create(
            actor=county_b_office,
            name="长兴县某老年公寓",
            kind=InstitutionKind.ELDER_CARE,
            sector=Sector.CIVIL_AFFAIRS,
            region=world.county_b,
            licence_status=LicenceStatus.UNLICENSED,
        )
    with at(6):
        enf.suspect_catch(actor=county_a_police, suspect=runner, on=on(6))
        gang = enf.gang_create(actor=county_a_police, case=a1, name="甲某团伙")
        enf.gang_mark_broken(actor=county_a_police, gang=gang, on=on(6))
        enf.recovery_record(
            actor=county_a_police,
            case=a1,
            kind="return",
            amount="150000.00",
            on=on(6),
            releases=[(freeze, "150000.00")],
        )
        rect.hazard_check(actor=county_a_office, hazard=h1, accept=True)
    with at(7):
        enf.recovery_record(
            actor=county_a_police, case=a2, kind="return", amount="50000.00", on=on(7)
        )
        rect.letter_record_rectification(
            actor=county_a_civil, letter=letter1, rectification="已建立预收费资金监管制度"
        )
    with at(8):
        enf.recovery_record(
            actor=county_b_police, case=b1, kind="freeze", amount="30000.00", on=on(8)
        )


# (numerator, denominator) for the city, county A and county B; money in fen.
EXPECTED: dict[str, dict[str, tuple[int, int | None]]] = {
    "cases_filed": {"city": (2, None), "a": (1, None), "b": (1, None)},
    "cases_solved": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "suspects_arrested": {"city": (2, None), "a": (2, None), "b": (0, None)},
    "fugitives_caught": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "gangs_broken": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "cold_cases_reviewed": {"city": (1, None), "a": (1, None), "b": (0, None)},
    # 400,000 frozen + 150,000 returned − 150,000 released + 50,000 returned + 30,000 frozen
    "recovered_amount": {
        "city": (48_000_000, None),
        "a": (45_000_000, None),
        "b": (3_000_000, None),
    },
    "returned_amount": {"city": (20_000_000, None), "a": (20_000_000, None), "b": (0, None)},
    # cohort A1 + B1: (400,000 + 30,000) ÷ 1,300,000; returned 150,000 ÷ 1,300,000
    "recovery_rate": {
        "city": (43_000_000, 130_000_000),
        "a": (40_000_000, 100_000_000),
        "b": (3_000_000, 30_000_000),
    },
    "returned_rate": {
        "city": (15_000_000, 130_000_000),
        "a": (15_000_000, 100_000_000),
        "b": (0, 30_000_000),
    },
    "hazards_found": {"city": (4, None), "a": (3, None), "b": (1, None)},
    "hazards_rectified": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "hazards_verified": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "hazard_rectify_rate": {"city": (1, 4), "a": (1, 3), "b": (0, 1)},
    "letters_issued": {"city": (2, None), "a": (2, None), "b": (0, None)},
    "letters_replied": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "letters_rectified": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "letter_reply_rate": {"city": (1, 2), "a": (1, 2), "b": (0, 0)},
    "letters_overdue": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "tasks_closed": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "task_on_time_rate": {"city": (1, 1), "a": (1, 1), "b": (0, 0)},
    "tasks_overdue": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "rules_made": {"city": (1, None), "a": (1, None), "b": (0, None)},
    "institutions_unlicensed": {"city": (1, None), "a": (0, None), "b": (1, None)},
}
