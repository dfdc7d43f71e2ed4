"""Demo data: one real city (湖州市) with its real counties and towns, fictitious people and firms.

Every name of a person or company here is invented. Accounts are flagged ``is_demo``; production
refuses to start while any exists.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from silvershield.campaigns.models import Campaign, Phase, PhaseKind, RoutingRule
from silvershield.core.audit import audit_record
from silvershield.core.choices import FraudType
from silvershield.core.permissions import SECOND_FACTOR_ROLES, Role
from silvershield.demo import ledgers
from silvershield.geo.constants import (
    DEMO_CITY_CODE,
    DEMO_COUNTY_A_CODE,
    DEMO_COUNTY_B_CODE,
    DEMO_COUNTY_CODES,
)
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_children, region_get
from silvershield.geo.services import regions_load
from silvershield.intake.models import Channel, Tip
from silvershield.intake.services import ReporterInput, tip_create
from silvershield.orgs.models import Membership, Sector, Unit, UnitKind, User
from silvershield.orgs.services import totp_device_create

DEMO_PASSWORD = "Yindun-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    unit: str
    totp_secret: str = ""


def _unit(
    name: str, kind: UnitKind, sector: Sector, region: Region, parent: Unit | None = None
) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        region=region, name=name, defaults={"kind": kind, "sector": sector, "parent": parent}
    )
    return unit


def _user(username: str, full_name: str, unit: Unit, role: Role) -> DemoAccount:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, is_demo=True)
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    secret = ""
    if role in SECOND_FACTOR_ROLES:
        device = totp_device_create(actor=None, user=user)
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return DemoAccount(username, full_name, role, unit.name, secret)


def _fake_id_number(rng: random.Random, county_code: str) -> str:
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 25))
    body = f"{county_code[:6]}{birth:%Y%m%d}{rng.randrange(100, 999)}"
    return body + ric.calc_check_digit(body + "0")


# Invented firms and stories, one or more per fraud form and a few ordinary complaints.
STORIES: list[tuple[str, str, str, int]] = [
    (
        "elder_service",
        "康乐夕阳红养老服务有限公司",
        "该公司在小区门口摆摊，声称交3万元预付费可办理“终身会员卡”，以后入住养老公寓床位费全免，我母亲交了钱后公司人去楼空，电话也打不通。",
        30000,
    ),
    (
        "elder_service",
        "颐年居养老公寓",
        "养老公寓要求老人一次性预交五年床位费，承诺随时可退，现在老人要退费，公寓负责人推脱说资金在周转，已有十几户老人没退到钱。",
        120000,
    ),
    (
        "elder_project",
        "福海康养产业投资公司",
        "工作人员上门推销“养老基地”项目，说投资5万元每年返利12%，还能优先入住基地，我父亲投了8万，前两个月返了利息，后来就没了消息。",
        80000,
    ),
    (
        "elder_project",
        "长乐颐养股权中心",
        "有人在老年活动中心开推介会，鼓动老人认购“养老项目股权”，说明年上市翻倍，现场就有二十多位老人签了合同交了钱。",
        460000,
    ),
    (
        "elder_product",
        "百岁堂健康科技",
        "这家店天天免费送鸡蛋、开健康讲座，讲完就推销保健品，说能治高血压糖尿病，一盒卖三千多，我爸已经买了两万多元。",
        21600,
    ),
    (
        "elder_product",
        "仁康医疗器械体验店",
        "体验店让老人免费试用理疗床，然后说能包治百病，诱导老人花1.98万元买一台，老人停了降压药，现在住院了。",
        19800,
    ),
    (
        "house_pension",
        "安居融通咨询公司",
        "对方以“以房养老”为名，让我舅舅把房子抵押借款去买他们的理财，说每月能拿养老钱，结果房子被过户了，人也找不到了。",
        1500000,
    ),
    (
        "pension_insurance",
        "",
        "有个自称社保局工作人员的人打电话给我奶奶，说可以代办补缴养老保险、提前退休，每月多领两千元养老金，先要交4万元手续费。",
        40000,
    ),
    (
        "pension_insurance",
        "惠民社保代理服务部",
        "这个代理部宣传能帮灵活就业人员“内部渠道”补缴社保、调高养老金档次，收了好几位老人的钱和身份证原件。",
        65000,
    ),
    (
        "elder_aid",
        "",
        "有人冒充民政局工作人员上门，说发放高龄补贴要先做养老金认证，收取认证费200元，还要老人的银行卡密码。",
        200,
    ),
    (
        "elder_aid",
        "爱心夕阳慈善帮扶会",
        "一个所谓慈善帮扶会通知老人领取“养老帮扶金”，先要交保证金和会员费，已有多名老人上当。",
        36000,
    ),
    (
        "other_elder",
        "",
        "我外公接到电话，对方冒充公安说他涉嫌洗钱，要把存款转到“安全账户”，老人转了18万元。",
        180000,
    ),
    (
        "other_elder",
        "聚宝阁收藏品公司",
        "公司邀请老人参加“收藏品鉴宝会”，高价卖给老人纪念币和字画，说以后能回购升值，现在公司不认账。",
        52000,
    ),
    ("none", "", "反映小区楼下广场舞音响声音太大，影响休息，希望有关部门管一管。", 0),
    ("none", "", "养老院的伙食最近变差了，菜量少，希望民政部门加强监督检查。", 0),
    ("none", "", "我父亲的养老金这个月晚发了三天，想问一下是什么原因。", 0),
]
CHANNELS = [
    Channel.PHONE,
    Channel.LETTER,
    Channel.VISIT,
    Channel.HOTLINE_12345,
    Channel.POLICE_110,
    Channel.CONSUMER_12315,
]
NAMES = [
    "王秀英",
    "李建国",
    "张桂兰",
    "刘志强",
    "陈淑芬",
    "杨国华",
    "赵玉兰",
    "黄德明",
    "周美玲",
    "吴长青",
]


@transaction.atomic
def load_demo(*, seed: int = 2026) -> list[DemoAccount]:
    regions_load(city_codes=[DEMO_CITY_CODE])
    rng = random.Random(seed)
    city = region_get(code=DEMO_CITY_CODE)
    county_a = region_get(code=DEMO_COUNTY_A_CODE)
    town_a = region_children(parent=county_a).first()
    assert town_a is not None

    campaign, _ = Campaign.objects.get_or_create(
        code="elder-fraud-2026",
        defaults={
            "name": "2026年打击整治养老诈骗专项行动",
            "starts_on": dt.date(2026, 3, 1),
            "ends_on": dt.date(2027, 2, 28),
        },
    )
    if not campaign.phases.exists():
        Phase.objects.bulk_create(
            [
                Phase(
                    campaign=campaign,
                    kind=PhaseKind.MOBILISE,
                    starts_on=dt.date(2026, 3, 1),
                    ends_on=dt.date(2026, 3, 31),
                ),
                Phase(
                    campaign=campaign,
                    kind=PhaseKind.CRACKDOWN,
                    starts_on=dt.date(2026, 4, 1),
                    ends_on=dt.date(2027, 1, 31),
                ),
                Phase(
                    campaign=campaign,
                    kind=PhaseKind.CONSOLIDATE,
                    starts_on=dt.date(2027, 2, 1),
                    ends_on=dt.date(2027, 2, 28),
                ),
            ]
        )
    for fraud_type, sector in [
        (FraudType.ELDER_SERVICE, Sector.CIVIL_AFFAIRS),
        (FraudType.ELDER_PROJECT, Sector.POLICE),
        (FraudType.ELDER_PRODUCT, Sector.MARKET),
        (FraudType.HOUSE_PENSION, Sector.POLICE),
        (FraudType.PENSION_INSURANCE, Sector.HRSS),
        (FraudType.ELDER_AID, Sector.CIVIL_AFFAIRS),
        (FraudType.OTHER_ELDER, Sector.POLICE),
    ]:
        RoutingRule.objects.get_or_create(
            campaign=campaign, fraud_type=fraud_type, defaults={"sector": sector}
        )

    city_office = _unit(
        "湖州市打击整治养老诈骗专项行动办公室", UnitKind.OFFICE, Sector.OFFICE, city
    )
    _set_prefix(city_office, "湖养诈办")
    _unit("湖州市公安局", UnitKind.MEMBER, Sector.POLICE, city, city_office)
    _unit("湖州市民政局", UnitKind.MEMBER, Sector.CIVIL_AFFAIRS, city, city_office)
    _unit("湖州市市场监督管理局", UnitKind.MEMBER, Sector.MARKET, city, city_office)
    _unit("湖州金融监管分局", UnitKind.MEMBER, Sector.FINANCE, city, city_office)
    county_units: dict[str, dict[str, Unit]] = {}
    for code, name in DEMO_COUNTY_CODES.items():
        county = region_get(code=code)
        office = _unit(
            f"{name}打击整治养老诈骗专项行动办公室",
            UnitKind.OFFICE,
            Sector.OFFICE,
            county,
            city_office,
        )
        _set_prefix(office, f"{name[0]}养诈办")
        police_name = f"湖州市公安局{name}分局" if name.endswith("区") else f"{name}公安局"
        county_units[code] = {
            "office": office,
            "police": _unit(police_name, UnitKind.MEMBER, Sector.POLICE, county, office),
            "civil": _unit(f"{name}民政局", UnitKind.MEMBER, Sector.CIVIL_AFFAIRS, county, office),
            "market": _unit(
                f"{name}市场监督管理局", UnitKind.MEMBER, Sector.MARKET, county, office
            ),
            "hrss": _unit(
                f"{name}人力资源和社会保障局", UnitKind.MEMBER, Sector.HRSS, county, office
            ),
        }
    town_office = _unit(
        f"{town_a.name}专项行动工作站",
        UnitKind.OFFICE,
        Sector.OFFICE,
        town_a,
        county_units[DEMO_COUNTY_A_CODE]["office"],
    )
    a, b = county_units[DEMO_COUNTY_A_CODE], county_units[DEMO_COUNTY_B_CODE]

    accounts = [
        _user("city_office", "沈明远", city_office, Role.OFFICE_STAFF),
        _user("city_leader", "钱立群", city_office, Role.OFFICE_LEADER),
        _user("county_a_office", "孙晓岚", a["office"], Role.OFFICE_STAFF),
        _user("county_a_police", "周海峰", a["police"], Role.UNIT_HANDLER),
        _user("county_a_civil", "郑雅琴", a["civil"], Role.UNIT_HANDLER),
        _user("county_b_office", "冯志诚", b["office"], Role.OFFICE_STAFF),
        _user("county_b_market", "褚文静", b["market"], Role.UNIT_HANDLER),
        _user("grid_a", "卫国平", town_office, Role.GRID_WORKER),
        _user("custodian", "蒋慧敏", city_office, Role.IDENTITY_CUSTODIAN),
        _user("sysadmin", "韩子墨", city_office, Role.SYSTEM_ADMIN),
        _user("secadmin", "杨思远", city_office, Role.SECURITY_ADMIN),
        _user("auditor", "朱清和", city_office, Role.AUDITOR),
    ]

    if not Tip.objects.filter(campaign=campaign).exists():
        tips = _load_tips(rng=rng, campaign=campaign, a=a, b=b)
        _load_workflow(tips=tips, county_units=county_units)
        ledgers.load_crackdown(a=a)
        ledgers.load_rectification(a=a, b=b)
    audit_record(
        actor=None, action="demo.loaded", summary="载入演示数据", data={"accounts": len(accounts)}
    )
    return accounts


def _load_tips(
    *, rng: random.Random, campaign: Campaign, a: dict[str, Unit], b: dict[str, Unit]
) -> list[tuple[Tip, str]]:
    city_staff = User.objects.get(username="city_office")
    filers = [
        (city_staff, None),
        (User.objects.get(username="county_a_office"), DEMO_COUNTY_A_CODE),
        (User.objects.get(username="county_b_office"), DEMO_COUNTY_B_CODE),
        (User.objects.get(username="county_a_police"), DEMO_COUNTY_A_CODE),
    ]
    counties = [region_get(code=code) for code in DEMO_COUNTY_CODES]
    now = timezone.now()
    created: list[tuple[Tip, str]] = []
    for i in range(40):
        fraud_type, firm, story, amount = STORIES[i % len(STORIES)]
        actor, county_code = filers[i % len(filers)]
        county = region_get(code=county_code) if county_code else rng.choice(counties)
        towns = list(region_children(parent=county))
        region = rng.choice(towns) if towns and rng.random() < 0.7 else county
        anonymous = rng.random() < 0.3
        reporter = None
        if not anonymous:
            reporter = ReporterInput(
                name=rng.choice(NAMES),
                phone=f"1380572{rng.randrange(0, 10000):04d}",
                id_number=_fake_id_number(rng, county.code) if rng.random() < 0.5 else "",
                address=f"{county.full_name}{rng.randrange(1, 200)}号",
            )
        tip = tip_create(
            actor=actor,
            channel=rng.choice(CHANNELS),
            region=region,
            content=story,
            received_at=now
            - dt.timedelta(days=rng.randrange(0, 60), minutes=rng.randrange(0, 1440)),
            involved_institution=firm,
            money_amount=Decimal(amount) if amount else None,
            victim_count=rng.randrange(1, 30) if fraud_type != "none" else None,
            reporter=reporter,
            campaign_id=campaign.pk,
        )
        created.append((tip, fraud_type))
    # One repeat reporter, so the blind-index search has something to find.
    for county_region, username in (
        (a["office"].region, "county_a_office"),
        (b["office"].region, "county_b_office"),
    ):
        assert county_region is not None
        tip_create(
            actor=User.objects.get(username=username),
            channel=Channel.PHONE,
            region=county_region,
            content="我又接到那个自称养老服务中心的电话，让我再交一万元会员费才能保留床位，我怀疑是骗子。",
            involved_institution="康乐夕阳红养老服务有限公司",
            reporter=ReporterInput(name="王秀英", phone="13805720001"),
            campaign_id=campaign.pk,
        )
    return created


def _set_prefix(unit: Unit, prefix: str) -> None:
    if unit.doc_prefix != prefix:
        unit.doc_prefix = prefix
        unit.save(update_fields=["doc_prefix"])


SECTOR_OF = {
    "elder_service": "civil",
    "elder_aid": "civil",
    "elder_product": "market",
    "pension_insurance": "hrss",
    "elder_project": "police",
    "house_pension": "police",
    "other_elder": "police",
}
FACTS = {
    "true": "经核查，举报反映的问题基本事实清楚，已依法处理。",
    "partly": "经核查，举报反映的部分问题存在，其余情况未查实，已责令整改。",
    "untrue": "经核查，该机构手续齐全，未发现举报所称违规收费行为。",
}


def _load_workflow(
    *, tips: list[tuple[Tip, str]], county_units: dict[str, dict[str, Unit]]
) -> None:
    """Move the demo tips along the workflow so every list and the chasing have something to show;
    a few transfers are dated back and the deadline job is run over the days since."""
    from silvershield.workflow import deadlines, services
    from silvershield.workflow.models import Conclusion, Measure, Transfer

    city = User.objects.get(username="city_office")
    handlers = {
        "police": User.objects.get(username="county_a_police"),
        "civil": User.objects.get(username="county_a_civil"),
    }
    county_a = county_units[DEMO_COUNTY_A_CODE]
    moved = 0
    for index, (tip, fraud_type) in enumerate(tips):
        tip.refresh_from_db()
        if fraud_type == "none":
            services.tip_mark_invalid(
                actor=city, tip=tip, reason="经电话回访，系一般投诉咨询，非诈骗线索"
            )
            continue
        if index % 5 == 4:
            continue  # left for the office to screen
        services.tip_classify(actor=city, tip=tip, fraud_type=fraud_type)
        if index % 5 == 3:
            continue  # screened, waiting to be transferred
        county_code = tip.region.path.split("/")[2] if tip.region.level >= 3 else ""
        units = county_units.get(county_code, county_a)
        lead = units[SECTOR_OF[fraud_type]]
        (transfer,) = services.tips_transfer(actor=city, tips=[tip], lead_unit=lead)
        moved += 1
        handler = handlers.get(SECTOR_OF[fraud_type]) if units is county_a else None
        if handler is None or moved % 4 == 0:
            continue  # waiting to be signed
        services.transfer_sign(actor=handler, transfer=transfer)
        if moved % 3 == 0:
            continue  # being verified
        conclusion = ("true", "partly", "untrue")[moved % 3]
        measures = (
            []
            if conclusion == "untrue"
            else [Measure.CASE_FILED if handler.username.endswith("police") else Measure.ORDER_FIX]
        )
        report = services.report_submit(
            actor=handler,
            transfer=transfer,
            conclusion=Conclusion(conclusion),
            facts=FACTS[conclusion],
            measures=measures,
        )
        if moved % 5 == 0:
            continue  # waiting for review
        services.report_review(actor=city, report=report, accept=True)
        tip.refresh_from_db()
        services.feedback_write(
            actor=handler,
            tip=tip,
            text="您反映的问题已核查处理，处理结果："
            + FACTS[conclusion]
            + "感谢您对专项行动的支持。",
        )
        if moved % 2 == 0:
            tip.refresh_from_db()
            services.tip_close(actor=city, tip=tip)
    # Some transfers ran late: date them back and let the deadline job catch up day by day.
    late = list(Transfer.objects.filter(state="pending").order_by("id")[:3])
    now = timezone.now()
    for back, transfer in zip((40, 30, 26), late, strict=False):
        Transfer.objects.filter(pk=transfer.pk).update(
            created_at=now - dt.timedelta(days=back), due_at=now - dt.timedelta(days=back - 21)
        )
    if late:
        for days_ago in range(40, -1, -1):
            deadlines.deadlines_run(now=now - dt.timedelta(days=days_ago))
