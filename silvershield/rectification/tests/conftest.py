"""Rectification fixtures: county A's 民政 (a sector regulator) and its hazards, letters, tasks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import World
from silvershield.orgs.models import Sector, User
from silvershield.rectification import services
from silvershield.rectification.files import CheckedFile, check_upload
from silvershield.rectification.models import (
    Hazard,
    Institution,
    InstitutionKind,
    Letter,
    LetterKind,
    LicenceStatus,
    Task,
    TaskSource,
)

VALID_USCC = "91330502MA2B3C4D58"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def png_file(name: str = "现场照片.png") -> CheckedFile:
    return check_upload(SimpleUploadedFile(name, PNG, content_type="image/png"))


@pytest.fixture
def institution(world: World, county_a_civil: User) -> Institution:
    return services.institution_create(
        actor=county_a_civil,
        name="湖州市吴兴区福寿康养老服务有限公司",
        kind=InstitutionKind.ELDER_CARE,
        sector=Sector.CIVIL_AFFAIRS,
        region=world.town_a,
        licence_status=LicenceStatus.LICENSED,
        uscc=VALID_USCC,
        address="吴兴区某街道1号",
        regulator=world.county_a_civil,
    )


@pytest.fixture
def hazard(world: World, county_a_office: User, institution: Institution) -> Hazard:
    today = timezone.localdate()
    return services.hazard_create(
        actor=county_a_office,
        institution=institution,
        sector=Sector.CIVIL_AFFAIRS,
        region=world.town_a,
        problem="养老机构以“会员卡”名义预收老人费用，金额超过规定上限",
        unit=world.county_a_civil,
        found_on=today,
        due_on=today + dt.timedelta(days=30),
    )


@pytest.fixture
def letter(world: World, county_a_police: User) -> Letter:
    today = timezone.localdate()
    return services.letter_issue(
        actor=county_a_police,
        kind=LetterKind.POLICE,
        number="吴公提〔2026〕1号",
        recipient=world.county_a_civil,
        problem="养老机构预收费监管存在漏洞，未建立资金监管账户",
        issued_on=today,
        reply_due_on=today + dt.timedelta(days=30),
        case_number="A3305020000002026110001",
    )


@pytest.fixture
def task(world: World, county_a_office: User, county_a_civil: User) -> Task:
    return services.task_create(
        actor=county_a_office,
        title="规范养老机构预收费管理",
        source=TaskSource.SUPERVISION,
        source_note="督导发现部分养老机构违规预收大额费用",
        lead_unit=world.county_a_civil,
        co_units=[world.county_a_police],
        measures="全面排查辖区养老机构预收费情况，建立资金监管账户",
        responsible_name="郑雅琴",
        due_on=timezone.localdate() + dt.timedelta(days=60),
    )
