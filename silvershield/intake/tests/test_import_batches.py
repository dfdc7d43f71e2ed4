"""The importer files the relevant rows of a chunk in one batch: each tip is numbered, audited and
recorded as a hand-filed tip would be, one follow-up task screens and links the batch, and a row
refused as a tip stays out of the ledger. The pre-filter keeps every text screening keeps."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from conftest import World
from silvershield.core.models import AuditEvent
from silvershield.intake import import_services, importer, tasks
from silvershield.intake.models import (
    Channel,
    ImportedRow,
    ImportSource,
    Tip,
    TipReporter,
    TipScreening,
)
from silvershield.intake.tests.test_import import ROWS, _csv, _run
from silvershield.orgs.models import User
from silvershield.screening import screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(city_office: User, world: World) -> ImportSource:
    return import_services.import_source_create(
        actor=city_office, name="湖州12345", channel=Channel.HOTLINE_12345, region=world.city
    )


def test_imported_tips_are_numbered_audited_and_followed_up_in_one_task_per_chunk(
    city_office: User, source: ImportSource, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch.object(
            tasks.screen_tips_task, "delay", wraps=tasks.screen_tips_task.delay
        ) as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = _run(city_office, source, _csv(ROWS))
    tips = list(Tip.objects.filter(channel=Channel.HOTLINE_12345).order_by("pk"))
    assert job.kept == len(tips) == 2
    assert queued.call_count == 1  # one task for the chunk, not one per tip
    assert sorted(queued.call_args.args[0]) == [t.pk for t in tips]
    assert len({t.number for t in tips}) == 2
    assert all(t.number.startswith("XS2026") for t in tips)
    for tip in tips:
        created = AuditEvent.objects.get(action="tip.created", object_id=str(tip.pk))
        assert created.actor_id == city_office.pk
        assert TipScreening.objects.filter(tip=tip).exists()  # the follow-up ran
    reporter = TipReporter.objects.get(tip=tips[0])
    assert reporter.phone == "13805720001"
    assert reporter.phone_index
    ledger = dict(ImportedRow.objects.filter(source=source).values_list("source_row_id", "tip"))
    assert ledger["GD001"] == tips[0].pk
    assert ledger["GD002"] is None  # counted as irrelevant, no tip


def test_numbers_continue_the_counter_that_tips_filed_by_hand_use(
    city_office: User, source: ImportSource, world: World
) -> None:
    from silvershield.intake.services import tip_create

    first = tip_create(
        actor=city_office,
        channel=Channel.PHONE,
        region=world.county_a,
        content="有人推销保健品骗老人钱",
        received_at=timezone.make_aware(dt.datetime(2026, 11, 1, 9, 0)),  # noqa: DTZ001
    )
    _run(city_office, source, _csv(ROWS))
    later = tip_create(
        actor=city_office,
        channel=Channel.PHONE,
        region=world.county_a,
        content="有人冒充社保局收老人手续费",
        received_at=timezone.make_aware(dt.datetime(2026, 11, 5, 9, 0)),  # noqa: DTZ001
    )
    numbers = sorted(Tip.objects.values_list("number", flat=True))
    assert numbers[0] == first.number and numbers[-1] == later.number
    assert [int(n[6:]) for n in numbers] == list(
        range(int(first.number[6:]), int(first.number[6:]) + 4)
    )


def test_a_row_refused_as_a_tip_is_reported_and_may_come_again(
    city_office: User, source: ImportSource
) -> None:
    future = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    bad = [[ROWS[0][0], future, *ROWS[0][2:]]]
    job = _run(city_office, source, _csv(bad))
    assert job.kept == 0
    assert job.rejected == 1
    assert "受理时间不能晚于现在" in Path(job.rejected_report).read_text(encoding="utf-8-sig")
    assert not ImportedRow.objects.filter(source=source).exists()
    again = _run(city_office, source, _csv([ROWS[0]]))  # corrected
    assert again.kept == 1
    assert again.already_imported == 0


def test_a_row_id_repeated_in_one_file_is_counted_once(
    city_office: User, source: ImportSource
) -> None:
    job = _run(city_office, source, _csv([ROWS[0], ROWS[0], ROWS[1]]))
    assert job.processed == 3
    assert job.kept == 1
    assert job.already_imported == 1
    assert ImportedRow.objects.filter(source=source).count() == 2


def test_the_prefilter_keeps_every_dev_set_text_that_screening_keeps() -> None:
    path = Path(importer.__file__).resolve().parents[1] / "screening" / "data" / "devset.jsonl"
    texts = [
        json.loads(line)["text"]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    kept = [t for t in texts if screen(t).is_relevant]
    assert len(kept) > 400
    assert [t for t in kept if not importer.passes_prefilter(t)] == []


def test_the_prefilter_skips_ordinary_company_and_boss_complaints() -> None:
    assert not importer.passes_prefilter("公司拖欠三个月工资，老板电话不接，要求劳动监察部门介入。")
    assert not importer.passes_prefilter("暖气片不热，物业推脱，请求供热公司上门检修。")
    assert importer.passes_prefilter("我外公被拉去听讲座")
    assert importer.passes_prefilter("我老公的养老钱被骗了")


def test_the_usual_time_form_parses_as_strptime_does() -> None:
    for text in ("2026-11-02 09:12:00", "2024-02-29 23:59:59", "1999-01-01 00:00:00"):
        expected = timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S"))  # noqa: DTZ007
        assert importer.parse_time(text) == expected
    for bad in ("2026-02-30 10:00:00", "2026-11-02 24:00:00", "2026-13-01 10:00:00"):
        with pytest.raises(ValueError, match="时间格式无法识别"):
            importer.parse_time(bad)
    assert importer.parse_time("2026/11/02 09:12") == timezone.make_aware(
        dt.datetime(2026, 11, 2, 9, 12)  # noqa: DTZ001
    )


def test_the_follow_up_task_skips_tips_that_are_gone(
    city_office: User, source: ImportSource
) -> None:
    _run(city_office, source, _csv(ROWS))
    ids = list(Tip.objects.values_list("pk", flat=True))
    assert tasks.screen_tips_task([*ids, 10**9]) == len(ids)
    assert TipScreening.objects.filter(tip_id__in=ids).count() == len(ids)
