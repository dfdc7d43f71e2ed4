"""Shared people and places for the whole suite (STYLE.md: named people, one world).

湖州市 (real codes) with two counties: 吴兴区 (county A) and 长兴县 (county B).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, Page

from silvershield.core.permissions import Role
from silvershield.geo.constants import DEMO_CITY_CODE, DEMO_COUNTY_A_CODE, DEMO_COUNTY_B_CODE
from silvershield.geo.models import Region
from silvershield.geo.services import regions_load
from silvershield.intake.models import Channel, Tip
from silvershield.intake.services import ReporterInput, tip_create
from silvershield.orgs.models import Membership, Sector, Unit, UnitKind, User

PASSWORD = "Correct-horse-42"


@dataclass
class World:
    city: Region
    county_a: Region
    county_b: Region
    town_a: Region
    city_office: Unit
    county_a_office: Unit
    county_b_office: Unit
    county_a_police: Unit
    county_a_civil: Unit
    county_b_police: Unit


@pytest.fixture
def world(db: None) -> World:
    regions_load(city_codes=[DEMO_CITY_CODE])
    city = Region.objects.get(code=DEMO_CITY_CODE)
    county_a = Region.objects.get(code=DEMO_COUNTY_A_CODE)
    county_b = Region.objects.get(code=DEMO_COUNTY_B_CODE)
    town_a = Region.objects.filter(parent=county_a).order_by("code").first()
    assert town_a is not None

    def unit(name: str, kind: str, sector: str, region: Region) -> Unit:
        return Unit.objects.create(name=name, kind=kind, sector=sector, region=region)

    return World(
        city=city,
        county_a=county_a,
        county_b=county_b,
        town_a=town_a,
        city_office=unit("湖州市专项办", UnitKind.OFFICE, Sector.OFFICE, city),
        county_a_office=unit("吴兴区专项办", UnitKind.OFFICE, Sector.OFFICE, county_a),
        county_b_office=unit("长兴县专项办", UnitKind.OFFICE, Sector.OFFICE, county_b),
        county_a_police=unit("吴兴公安分局", UnitKind.MEMBER, Sector.POLICE, county_a),
        county_a_civil=unit("吴兴区民政局", UnitKind.MEMBER, Sector.CIVIL_AFFAIRS, county_a),
        county_b_police=unit("长兴县公安局", UnitKind.MEMBER, Sector.POLICE, county_b),
    )


def make_user(username: str, unit: Unit, role: Role, *, full_name: str = "") -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=full_name or username
    )
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def city_office(world: World) -> User:
    return make_user("city_office", world.city_office, Role.OFFICE_STAFF, full_name="沈明远")


@pytest.fixture
def county_a_office(world: World) -> User:
    return make_user(
        "county_a_office", world.county_a_office, Role.OFFICE_STAFF, full_name="孙晓岚"
    )


@pytest.fixture
def county_b_office(world: World) -> User:
    return make_user(
        "county_b_office", world.county_b_office, Role.OFFICE_STAFF, full_name="冯志诚"
    )


@pytest.fixture
def county_a_police(world: World) -> User:
    return make_user(
        "county_a_police", world.county_a_police, Role.UNIT_HANDLER, full_name="周海峰"
    )


@pytest.fixture
def county_a_civil(world: World) -> User:
    return make_user("county_a_civil", world.county_a_civil, Role.UNIT_HANDLER, full_name="郑雅琴")


@pytest.fixture
def sysadmin(world: World) -> User:
    return make_user("sysadmin", world.city_office, Role.SYSTEM_ADMIN, full_name="韩子墨")


@pytest.fixture
def secadmin(world: World) -> User:
    return make_user("secadmin", world.city_office, Role.SECURITY_ADMIN, full_name="杨思远")


@pytest.fixture
def auditor(world: World) -> User:
    return make_user("auditor", world.city_office, Role.AUDITOR, full_name="朱清和")


def current_totp(user: User) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def b32(device_key: bytes) -> str:
    return base64.b32encode(device_key).decode()


def file_tip(
    actor: User, region: Region, content: str = "有人以养老服务为名收取会员费", **kwargs: Any
) -> Tip:
    kwargs.setdefault("channel", Channel.PHONE)
    return tip_create(actor=actor, region=region, content=content, **kwargs)


REPORTER = ReporterInput(name="王秀英", phone="13805720001", id_number="", address="吴兴区某路1号")


def raw_database_dump() -> str:
    """Every row of every table as stored (no ORM decoding): what a stolen backup would hold."""
    from django.db import connection

    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            qn = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {qn}")  # noqa: S608 - table names from introspection
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """A real headless Chromium (Debian package) driven by Playwright; never a downloaded browser."""
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install the Debian packages chromium and chromium-driver"
        )
    # Playwright's sync API runs an event loop in this thread; the tests still talk to the
    # database synchronously between page actions, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    _LIVE_URLS[id(page)] = live_server.url
    yield page
    _LIVE_URLS.pop(id(page), None)
    context.close()


_LIVE_URLS: dict[int, str] = {}


def live_url(page: Page) -> str:
    """The live server's address for a page made by the ``page`` fixture."""
    return _LIVE_URLS[id(page)]


def browser_login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto(live_url(page) + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush (DELETE FROM every table, in no fixed order on
    SQLite), which the append-only trigger rightly refuses: drop the triggers just before that
    flush; every test starts by making sure they exist."""
    from django.db import connection

    from silvershield.core.audit_sql import create_triggers, drop_triggers

    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    with connection.cursor() as cursor:
        create_triggers(cursor.execute, connection.vendor)
    yield
    if marker.kwargs.get("transaction") and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            drop_triggers(cursor.execute, connection.vendor)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped or xfailed test is a failure (honest tests)."""
    import os

    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    bad = {k: len(reporter.stats.get(k, [])) for k in ("skipped", "xfailed", "xpassed")}
    if any(bad.values()):
        reporter.write_line(f"CI: skipped/xfailed tests are failures here: {bad}", red=True)
        session.exitstatus = 1


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reset_celery_connections(app: Any) -> None:
    """Forget the broker connection pool, producer pool and result backend built for the previous
    configuration (earlier tests send tasks eagerly or to the filesystem broker), as Celery itself
    does after a fork."""
    app._pool = None  # not closed: kombu's global producer pools may still hand it out
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_queue() -> Iterator[str]:
    """A real Celery worker process on Redis, consuming a private queue, working on the
    PostgreSQL test database (the test must be transactional so the worker sees its rows)."""
    from django.db import connection

    from config.celery import app

    if connection.vendor != "postgresql":
        pytest.fail("the Celery worker tests need PostgreSQL (run with DATABASE_URL=postgres://…)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue]
    process = subprocess.Popen(
        [*command, "--loglevel=WARNING"], env=env, cwd=Path(__file__).resolve().parent
    )
    saved = {
        k: app.conf[k]
        for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    _reset_celery_connections(app)
    try:
        yield queue
    finally:
        app.conf.update(saved)
        _reset_celery_connections(app)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()  # a task still running: the test is over, stop it before the flush
            process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar() -> Iterator[None]:
    """The working-day calendar is cached per process; each test starts from the table it builds."""
    from silvershield.core.workdays import calendar_invalidate

    calendar_invalidate()
    yield
    calendar_invalidate()
