from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from silvershield.geo.models import Region


@pytest.mark.django_db
def test_options_without_parent_lists_provinces(
    client: Client, huzhou: Region, beijing: Region
) -> None:
    response = client.get(reverse("geo:options"), {"parent": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="">请选择</option>' in html
    assert '<option value="110000000000">北京市</option>' in html
    assert '<option value="330000000000">浙江省</option>' in html
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_options_for_parent(client: Client, huzhou: Region) -> None:
    html = client.get(reverse("geo:options"), {"parent": huzhou.code}).content.decode()

    assert '<option value="330502000000">吴兴区</option>' in html
    assert html.count("<option") == 6


@pytest.mark.django_db
def test_options_from_named_select_value_with_resets(client: Client, huzhou: Region) -> None:
    response = client.get(
        reverse("geo:options"),
        {"name": "region_1", "region_1": huzhou.code, "reset": ["id_region_3", 'bad id"><x']},
    )

    html = response.content.decode()
    assert '<option value="330522000000">长兴县</option>' in html
    assert '<select id="id_region_3" hx-swap-oob="innerHTML">' in html
    assert "bad id" not in html


@pytest.mark.django_db
def test_options_named_select_with_nothing_chosen_lists_nothing(
    client: Client, huzhou: Region
) -> None:
    html = client.get(reverse("geo:options"), {"name": "region_1", "region_1": ""}).content.decode()

    assert html.count("<option") == 1


@pytest.mark.django_db
def test_options_for_unknown_parent_is_empty(client: Client, huzhou: Region) -> None:
    html = client.get(reverse("geo:options"), {"parent": "999999999999"}).content.decode()

    assert html.count("<option") == 1


@pytest.mark.django_db
def test_children_json(client: Client, huzhou: Region) -> None:
    response = client.get(reverse("geo:children_json"), {"parent": "330522"})

    assert response.status_code == 200
    towns = response.json()
    assert {"code": "330522001000", "name": "雉城街道", "level": 4} in towns
    assert all(t["level"] == 4 and t["code"].startswith("330522") for t in towns)
    assert client.get(reverse("geo:children_json")).json() == [
        {"code": "330000000000", "name": "浙江省", "level": 1}
    ]


@pytest.mark.django_db
def test_endpoints_are_read_only(client: Client, huzhou: Region) -> None:
    assert client.post(reverse("geo:options")).status_code == 405
    assert client.post(reverse("geo:children_json")).status_code == 405
