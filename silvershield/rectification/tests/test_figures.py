"""Figures count records and hand back the records behind them, scoped to the viewer."""

from __future__ import annotations

import pytest

from silvershield.orgs.models import User
from silvershield.rectification import figures, services
from silvershield.rectification.models import Hazard, Letter, RuleKind, Task
from silvershield.rectification.tests.conftest import png_file

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
    values = {key: fn(user=county_a_office) for key, fn in figures.FIGURES.items()}
    assert values["hazards_found"].value == 1
    assert list(values["hazards_rectified"].records) == [hazard]
    assert values["hazards_verified"].value == 0
    assert values["letters_issued"].value == 1
    assert values["letters_replied_on_time"].value == 1
    assert values["letters_rectified"].value == 0
    assert list(values["tasks_closed_on_time"].records) == [task]
    assert values["tasks_overdue"].value == 0
    assert values["rules_made"].value == 1
    for fig in values.values():
        assert fig.value == fig.records.count()
    # Another county's office sees none of it.
    assert all(fn(user=county_b_office).value == 0 for fn in figures.FIGURES.values())
