from __future__ import annotations

import re

import pytest
from django import forms

from silvershield.geo.forms import RegionCascadeField
from silvershield.geo.models import Region


class ReportForm(forms.Form):
    title = forms.CharField()
    region = RegionCascadeField(label="所在地区")

    def __init__(self, *args: object, root: Region | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].root = root  # type: ignore[attr-defined]


def _data(*codes: str, title: str = "养老院集资") -> dict[str, str]:
    data = {"title": title}
    data.update({f"region_{i}": code for i, code in enumerate(codes)})
    return data


@pytest.mark.django_db
def test_cleans_to_deepest_chosen_region(huzhou: Region) -> None:
    form = ReportForm(_data("330000000000", "330500000000", "330502000000", "330502001000"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].code == "330502001000"


@pytest.mark.django_db
def test_partial_choice_cleans_to_that_level(huzhou: Region) -> None:
    form = ReportForm(_data("330000000000", "330500000000", "", ""))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == huzhou


@pytest.mark.django_db
def test_required_and_nothing_chosen(huzhou: Region) -> None:
    form = ReportForm(_data("", "", "", ""))

    assert not form.is_valid()
    assert form.errors["region"] == ["请选择地区"]
    assert not ReportForm({"title": "x"}).is_valid()


@pytest.mark.django_db
def test_unknown_code(huzhou: Region) -> None:
    for codes in (("330000000000", "330600000000"), ("330000000000", "<script>"), ("3305",)):
        form = ReportForm(_data(*codes))
        assert not form.is_valid()
        assert form.errors["region"] == ["所选地区不存在"]


@pytest.mark.django_db
def test_inconsistent_chain_is_refused(huzhou: Region, beijing: Region) -> None:
    form = ReportForm(_data("110000000000", "330500000000"))

    assert not form.is_valid()
    assert form.errors["region"] == ["所选地区上下级不一致，请重新选择"]


@pytest.mark.django_db
def test_root_fixes_upper_selects_and_defaults_to_root(huzhou: Region) -> None:
    county = Region.objects.get(code="330522000000")

    form = ReportForm(_data(), root=county)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == county

    form = ReportForm(_data("", "", "", "330522001000"), root=county)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].name == "雉城街道"


@pytest.mark.django_db
def test_root_refuses_regions_outside_it(huzhou: Region) -> None:
    county = Region.objects.get(code="330522000000")

    form = ReportForm(_data("", "", "", "330502001000"), root=county)
    assert not form.is_valid()
    assert form.errors["region"] == ["所选地区不在可选范围内"]

    # Values posted in place of the fixed (disabled) selects are ignored.
    form = ReportForm(_data("110000000000", "110100000000", "110101000000", ""), root=county)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == county


@pytest.mark.django_db
def test_renders_four_htmx_selects_without_inline_script(huzhou: Region) -> None:
    html = str(ReportForm()["region"])

    assert html.count("<select") == 4
    assert "<script" not in html
    assert "onchange" not in html
    assert 'name="region_0" id="id_region_0"' in html
    assert (
        'hx-get="/regions/options/?name=region_0&amp;reset=id_region_2&amp;reset=id_region_3"'
        in html
    )
    assert 'hx-target="#id_region_1"' in html
    assert '<option value="330000000000">浙江省</option>' in html


@pytest.mark.django_db
def test_rerenders_chosen_values_after_another_field_fails(huzhou: Region) -> None:
    form = ReportForm(_data("330000000000", "330500000000", "330522000000", "", title=""))

    assert not form.is_valid()
    assert "title" in form.errors
    assert "region" not in form.errors
    html = str(form["region"])
    assert '<option value="330000000000" selected>浙江省</option>' in html
    assert '<option value="330500000000" selected>湖州市</option>' in html
    assert '<option value="330522000000" selected>长兴县</option>' in html
    assert '<option value="330522001000">雉城街道</option>' in html


@pytest.mark.django_db
def test_renders_initial_region(huzhou: Region) -> None:
    town = Region.objects.get(code="330502001000")
    html = str(ReportForm(initial={"region": town})["region"])

    assert '<option value="330502001000" selected>月河街道</option>' in html


@pytest.mark.django_db
def test_root_renders_fixed_disabled_selects(huzhou: Region) -> None:
    county = Region.objects.get(code="330522000000")
    html = str(ReportForm(root=county)["region"])

    selects = re.findall(r"<select[^>]*>", html)
    assert [("disabled" in s) for s in selects] == [True, True, True, False]
    assert '<option value="330522000000" selected>长兴县</option>' in html
    assert '<option value="330522001000">雉城街道</option>' in html
    assert ReportForm(root=county)["region"].id_for_label == "id_region_3"
