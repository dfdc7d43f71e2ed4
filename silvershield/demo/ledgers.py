"""Demo crackdown and rectification records (吴兴区 mostly, one 长兴县 sweep), made through the apps'
own services so that the ledgers, the figures and the chasing all have something to show.

Every case number, firm, person and sum here is invented.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from silvershield.core.choices import FraudType
from silvershield.enforcement import services as enf
from silvershield.enforcement.models import Case
from silvershield.orgs.models import Sector, Unit, User
from silvershield.rectification import services as rect
from silvershield.rectification.files import CheckedFile, check_upload
from silvershield.rectification.models import (
    InstitutionKind,
    LetterKind,
    LicenceStatus,
    RuleKind,
    TaskSource,
)
from silvershield.workflow.models import Measure, VerificationReport


def _photo(name: str) -> CheckedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 210, 220)).save(buffer, format="PNG")
    return check_upload(SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png"))


def load_crackdown(*, a: dict[str, Unit]) -> list[Case]:
    """Cases of 吴兴区's police: two born from verification reports that measured 立案, one older
    case with money frozen and partly returned, a gang broken and a cold case reviewed."""
    police = User.objects.get(username="county_a_police")
    unit = a["police"]
    region = unit.region
    assert region is not None
    today = timezone.localdate()
    year = today.year
    cases: list[Case] = []
    reports = [
        r
        for r in VerificationReport.objects.select_related("tip").order_by("id")
        if Measure.CASE_FILED in (r.measures or []) and r.transfer.lead_unit_id == unit.pk
    ][:2]
    for index, report in enumerate(reports):
        cases.append(
            enf.case_create(
                actor=police,
                owner_unit=unit,
                number=f"吴公刑〔{year}〕{301 + index}号",
                name=f"{report.tip.display_title[:20]}案",
                fraud_type=report.tip.fraud_type or FraudType.OTHER_ELDER,
                region=report.tip.region,
                filed_on=today - dt.timedelta(days=6 + index * 5),
                amount_involved="860000.00",
                victim_loss="640000.00",
                victim_count=9,
                elderly_victim_count=8,
                tips=[report.tip],
                source_report=report,
            )
        )
    older = enf.case_create(
        actor=police,
        owner_unit=unit,
        number=f"吴公刑〔{year}〕188号",
        name="某康养基地“以房养老”集资诈骗案",
        fraud_type=FraudType.HOUSE_PENSION,
        region=region,
        filed_on=today - dt.timedelta(days=70),
        amount_involved="3200000.00",
        victim_loss="2750000.00",
        victim_count=31,
        elderly_victim_count=29,
        summary="犯罪嫌疑人以“以房养老”高息理财为名，诱骗老年人抵押房产后投资，骗取钱款。",
    )
    cases.append(older)
    enf.case_advance(actor=police, case=older, stage="solved", on=today - dt.timedelta(days=40))
    leader = enf.suspect_add(
        actor=police,
        case=older,
        name="虚某甲",
        status="arrested",
        caught_on=today - dt.timedelta(days=40),
    )
    runner = enf.suspect_add(actor=police, case=older, name="虚某乙", status="at_large")
    enf.suspect_catch(actor=police, suspect=runner, on=today - dt.timedelta(days=3))
    gang = enf.gang_create(
        actor=police, case=older, name="虚某甲诈骗团伙", members=[leader, runner]
    )
    enf.gang_mark_broken(actor=police, gang=gang, on=today - dt.timedelta(days=3))
    frozen = enf.recovery_record(
        actor=police,
        case=older,
        kind="freeze",
        amount="1200000.00",
        on=today - dt.timedelta(days=35),
    )
    enf.recovery_record(
        actor=police,
        case=older,
        kind="return",
        amount="450000.00",
        on=today - dt.timedelta(days=4),
        releases=[(frozen, "450000.00")],
    )
    if cases[0] is not older:
        enf.recovery_record(
            actor=police,
            case=cases[0],
            kind="freeze",
            amount="96000.00",
            on=today - dt.timedelta(days=2),
        )
    review = enf.cold_case_flag(
        actor=police,
        case=older,
        reason="部分涉案资金去向未查清",
        due_on=today + dt.timedelta(days=20),
    )
    enf.cold_case_review(actor=police, review=review, outcome="已查明剩余资金流向并申请冻结")
    return cases


def load_rectification(*, a: dict[str, Unit], b: dict[str, Unit]) -> None:
    """吴兴区's sweep (hazards, a police 提示函 answered and one overdue, a task closed with
    evidence and one open, a rule) and an unlicensed 老年公寓 found in 长兴县."""
    office = User.objects.get(username="county_a_office")
    civil = User.objects.get(username="county_a_civil")
    police = User.objects.get(username="county_a_police")
    office_b = User.objects.get(username="county_b_office")
    today = timezone.localdate()
    year = today.year
    region_a = a["civil"].region
    region_b = b["market"].region
    assert region_a is not None and region_b is not None

    firm = rect.institution_create(
        actor=civil,
        name="湖州市吴兴区虚构颐养服务有限公司",
        kind=InstitutionKind.ELDER_CARE,
        sector=Sector.CIVIL_AFFAIRS,
        region=region_a,
        licence_status=LicenceStatus.LICENSED,
        uscc="91330502MA2X7Y8K6P",  # invented; the check character is computed (stdnum)
        address="吴兴区某路88号",
        regulator=a["civil"],
    )
    found = rect.hazard_create(
        actor=office,
        institution=firm,
        sector=Sector.CIVIL_AFFAIRS,
        region=region_a,
        problem="以“会员卡”名义向老人预收服务费，金额超过规定上限",
        unit=a["civil"],
        found_on=today - dt.timedelta(days=12),
        due_on=today + dt.timedelta(days=18),
    )
    rect.hazard_start(actor=civil, hazard=found, measures="责令退还超额预收费，建立资金监管账户")
    rect.hazard_mark_rectified(actor=civil, hazard=found, note="超额预收费已全部退还老人")
    rect.hazard_check(actor=office, hazard=found, accept=True)
    pharmacy = rect.hazard_create(
        actor=office,
        sector=Sector.MARKET,
        region=region_a,
        problem="药店以免费体检、赠送礼品吸引老人后推销高价保健品",
        unit=a["market"],
        found_on=today - dt.timedelta(days=5),
        due_on=today + dt.timedelta(days=25),
    )
    rect.hazard_create(
        actor=office_b,
        sector=Sector.CIVIL_AFFAIRS,
        region=region_b,
        problem="老年公寓未经备案收住老人并收取大额押金",
        unit=b["civil"],
        found_on=today - dt.timedelta(days=8),
        due_on=today + dt.timedelta(days=22),
    )
    rect.institution_create(
        actor=office_b,
        name="长兴县虚构夕阳红老年公寓",
        kind=InstitutionKind.ELDER_CARE,
        sector=Sector.CIVIL_AFFAIRS,
        region=region_b,
        licence_status=LicenceStatus.UNLICENSED,
        regulator=b["civil"],
    )

    answered = rect.letter_issue(
        actor=police,
        kind=LetterKind.POLICE,
        number=f"吴公提〔{year}〕3号",
        recipient=a["civil"],
        problem="养老机构预收费资金未纳入监管，案发后难以追回",
        suggestions="建立预收费资金存管制度，定期核查机构账户",
        issued_on=today - dt.timedelta(days=20),
        reply_due_on=today + dt.timedelta(days=10),
        institution=firm,
    )
    rect.letter_reply(
        actor=civil, letter=answered, reply="已收悉，已部署全区养老机构预收费专项检查"
    )
    rect.letter_issue(
        actor=police,
        kind=LetterKind.POLICE,
        number=f"吴公提〔{year}〕4号",
        recipient=a["market"],
        problem="保健品会销场所缺少日常巡查",
        issued_on=today - dt.timedelta(days=4),
        reply_due_on=today + dt.timedelta(days=26),
    )

    task = rect.task_create(
        actor=office,
        title="规范养老机构预收费管理",
        source=TaskSource.SUPERVISION,
        source_note="督导发现部分养老机构违规预收大额费用",
        lead_unit=a["civil"],
        co_units=[a["market"]],
        measures="全面排查辖区养老机构预收费情况，建立资金监管账户",
        responsible_name="郑雅琴",
        due_on=today + dt.timedelta(days=30),
    )
    rect.task_progress_add(
        actor=civil, task=task, text="已完成全区排查并建立监管账户", files=[_photo("监管账户.png")]
    )
    rect.task_submit(actor=civil, task=task, summary="全区养老机构预收费已纳入监管")
    rect.task_check(actor=office, task=task, accept=True)
    rect.task_close(actor=civil, task=task)
    rect.task_create(
        actor=office,
        title="整治保健品虚假宣传",
        source=TaskSource.HAZARD,
        hazard=pharmacy,
        lead_unit=a["market"],
        measures="对辖区药店、会销场所开展拉网式检查",
        responsible_name="王立群",
        due_on=today + dt.timedelta(days=45),
    )
    rect.rule_create(
        actor=civil,
        title="吴兴区养老机构预收费资金监管办法（试行）",
        kind=RuleKind.REGULATION,
        issued_on=today - dt.timedelta(days=1),
        doc_number=f"吴民发〔{year}〕21号",
        letter=answered,
    )
