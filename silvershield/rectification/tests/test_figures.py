"""The rectification figures of the stats registry count records and list exactly the records
behind them, scoped to the viewer."""

from __future__ import annotations

import pytest

from silvershield.orgs.models import User
from silvershield.rectification import services
from silvershield.rectification.models import Hazard, Letter, RuleKind, Task
from silvershield.rectification.tests.conftest import png_file
from silvershield.stats.indicators.rectification import GROUP
from silvershield.stats.registry import indicators
from silvershield.stats.tests.lookup import behind, stat

pytestmark = pytest.mark.django_db


def test_figures_and_their_records(
    hazard: Hazard,
    letter: Letter,
    task: Task,
    county_a_civil: User,
    county_a_office: User,
    county_b_office: User,
) -> None:
    services.hazard_start(actor=county_a_civil, hazard=hazard, measures="责令限期整改到位")
    services.hazard_mark_rectified(actor=county_a_civil, hazard=hazard, note="整改完毕请复核")
    services.letter_reply(actor=county_a_civil, letter=letter, reply="已收悉，正在整改")
    services.task_progress_add(
        actor=county_a_civil, task=task, text="已整改到位", files=[png_file()]
    )
    services.task_submit(actor=county_a_civil, task=task, summary="全部整改完毕")
    services.task_check(actor=county_a_office, task=task, accept=True)
    services.task_close(actor=county_a_civil, task=task)
    services.rule_create(
        actor=county_a_civil,
        title="预收费管理办法",
        kind=RuleKind.REGULATION,
        issued_on=letter.issued_on,
    )
    codes = [i.code for i in indicators() if i.group == GROUP]
    values = {code: stat(code, county_a_office) for code in codes}
    assert values["hazards_found"].numerator == 1
    assert list(behind("hazards_rectified", county_a_office)) == [hazard]
    assert values["hazards_verified"].numerator == 0
    assert values["hazard_rectify_rate"].value == 100.0
    assert values["letters_issued"].numerator == 1
    assert values["letter_reply_rate"].numerator == 1
    assert values["letters_rectified"].numerator == 0
    assert list(behind("task_on_time_rate", county_a_office)) == [task]
    assert values["task_on_time_rate"].value == 100.0
    assert values["tasks_overdue"].numerator == 0
    assert values["rules_made"].numerator == 1
    for code, fig in values.items():
        assert fig.numerator == behind(code, county_a_office).count(), code
    # Another county's office sees none of it.
    assert all(stat(code, county_b_office).numerator == 0 for code in codes)
    # One hazard is not a record: the rate is shown, not ranked.
    assert not values["hazard_rectify_rate"].rankable
