import base64
import json

import pytest

from conftest import World, file_tip
from silvershield.core.pagination import keyset_page
from silvershield.intake.models import Tip
from silvershield.orgs.models import User

pytestmark = pytest.mark.django_db


def _cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def test_pages_walk_every_row_once(county_a_office: User, world: World) -> None:
    made = {file_tip(county_a_office, world.county_a).pk for _ in range(5)}
    seen: list[int] = []
    cursor = None
    while True:
        page = keyset_page(Tip.objects.all(), order=("received_at", "id"), cursor=cursor, size=2)
        seen.extend(t.pk for t in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!!",
        _cursor(["0001-01-01T00:00:00+14:00", 1]),  # overflows on conversion to UTC
        _cursor(["2026-01-01T00:00:00", 1]),  # naive
        _cursor(["2026-01-01T00:00:00+08:00", 10**30]),  # beyond bigint
        _cursor(["2026-01-01T00:00:00+08:00", "x"]),
        _cursor({"a": 1}),  # type: ignore[arg-type]
    ],
)
def test_malformed_cursors_show_the_first_page(
    county_a_office: User, world: World, cursor: str
) -> None:
    file_tip(county_a_office, world.county_a)
    page = keyset_page(Tip.objects.all(), order=("received_at", "id"), cursor=cursor, size=10)
    assert len(page.items) == 1
