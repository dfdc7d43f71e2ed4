"""Scoping: a sector regulator sees what is addressed to or owned by it; another member unit of the
same county does not; offices see their jurisdiction only."""

from __future__ import annotations

import pytest
from django.test import Client

from silvershield.orgs.models import User
from silvershield.rectification import selectors
from silvershield.rectification.models import Hazard, Letter, Task

pytestmark = pytest.mark.django_db


def test_regulator_sees_what_is_addressed_to_it(
    hazard: Hazard, letter: Letter, task: Task, county_a_civil: User
) -> None:
    assert list(selectors.hazards_visible_to(user=county_a_civil)) == [hazard]
    assert list(selectors.letters_visible_to(user=county_a_civil)) == [letter]
    assert list(selectors.tasks_visible_to(user=county_a_civil)) == [task]


def test_another_member_unit_does_not(
    client: Client, hazard: Hazard, task: Task, county_a_police: User, county_a_civil: User
) -> None:
    # County police issued the letter and co-operate on the task, but the hazard is 民政's.
    assert list(selectors.hazards_visible_to(user=county_a_police)) == []
    client.force_login(county_a_police)
    assert client.get(f"/rectification/hazards/{hazard.pk}/").status_code == 404
    assert hazard.number not in client.get("/rectification/hazards/").content.decode()
    assert client.get(f"/rectification/tasks/{task.pk}/").status_code == 200


def test_a_unit_of_another_county_sees_nothing(
    client: Client,
    hazard: Hazard,
    letter: Letter,
    task: Task,
    county_a_office: User,
    county_b_office: User,
    city_office: User,
) -> None:
    for user, expected in ((county_b_office, 0), (county_a_office, 1), (city_office, 1)):
        assert selectors.hazards_visible_to(user=user).count() == expected
        assert selectors.letters_visible_to(user=user).count() == expected
        assert selectors.tasks_visible_to(user=user).count() == expected
    client.force_login(county_b_office)
    assert client.get(f"/rectification/letters/{letter.pk}/").status_code == 404


def test_a_co_operating_unit_appears_once_in_lists(
    task: Task, county_a_police: User, world: object
) -> None:
    from silvershield.rectification.models import TaskCoUnit

    assert TaskCoUnit.objects.filter(task=task).count() == 1
    assert list(selectors.tasks_visible_to(user=county_a_police)) == [task]


def test_pages_without_the_permission_are_refused(client: Client, sysadmin: User) -> None:
    client.force_login(sysadmin)
    assert client.get("/rectification/hazards/").status_code == 403
