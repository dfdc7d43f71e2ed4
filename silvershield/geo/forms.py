"""A region cascade for forms: up to four linked selects (province → city → county → town).

The selects are positional: each lists the children of the region chosen in the one before it
(so 东莞's towns appear in the third select, 北京's districts below "市辖区"). Changing a select
asks ``geo:options`` for the next select's options with htmx attributes only (no inline script,
which the CSP forbids) and empties the selects further down. The field cleans to the deepest
region chosen.

``root`` restricts the choice to a region and what lies below it: the selects down to the root
are shown fixed (disabled) and, when nothing is chosen below it, the field cleans to the root
itself::

    class TipForm(forms.Form):
        region = RegionCascadeField(label="所在地区")

        def __init__(self, *args, office_region=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["region"].root = office_region
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from silvershield.geo.models import Region
from silvershield.geo.selectors import region_ancestors, region_children, region_list_by_codes

DEPTH = 4
SELECT_LABELS = ("省级", "市级", "县级", "乡镇级")


def _depth(region: Region | None) -> int:
    return 0 if region is None else region.path.count("/")


def _codes(value: object) -> list[str]:
    """The non-empty codes in a submitted or initial value, top-down."""
    if value is None or value == "":
        return []
    if isinstance(value, Region):
        return [value.code]
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, Sequence):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


class RegionCascadeWidget(forms.Widget):
    template_name = "geo/widgets/region_cascade.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None, root: Region | None = None) -> None:
        super().__init__(attrs)
        self.root = root

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> list[str]:
        return [str(data.get(f"{name}_{i}") or "") for i in range(DEPTH)]

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return all(f"{name}_{i}" not in data for i in range(DEPTH))

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_{min(_depth(self.root), DEPTH - 1)}" if id_ else id_

    def use_required_attribute(self, initial: object) -> bool:
        return False

    def _chain(self, value: object) -> list[Region]:
        """Ancestors of the deepest known region in ``value`` within the root (or the root's)."""
        codes = _codes(value)
        found = region_list_by_codes(codes=codes) if codes else {}
        for code in reversed(codes):
            region = found.get(code)
            if region is not None and (self.root is None or region.is_within(self.root)):
                return region_ancestors(region=region)
        return region_ancestors(region=self.root) if self.root is not None else []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_attrs = dict(context["widget"]["attrs"])
        base_id = str(base_attrs.pop("id", "") or f"id_{name}")
        base_attrs.pop("required", None)
        chain = self._chain(value)
        fixed = _depth(self.root)
        url = reverse("geo:options")
        selects: list[dict[str, Any]] = []
        for i in range(DEPTH):
            chosen = chain[i].code if i < len(chain) else ""
            if i < fixed:
                options = [(chain[i].code, chain[i].name)]
            elif i == 0:
                options = [(r.code, r.name) for r in region_children(parent=None)]
            elif i - 1 < len(chain):
                options = [(r.code, r.name) for r in region_children(parent=chain[i - 1])]
            else:
                options = []
            query = [("name", f"{name}_{i}")] + [
                ("reset", f"{base_id}_{j}") for j in range(i + 2, DEPTH)
            ]
            selects.append(
                {
                    "name": f"{name}_{i}",
                    "id": f"{base_id}_{i}",
                    "label": SELECT_LABELS[i],
                    "disabled": i < fixed,
                    "options": options,
                    "chosen": chosen,
                    "hx_get": f"{url}?{urlencode(query)}" if i < DEPTH - 1 else "",
                    "target": f"{base_id}_{i + 1}" if i < DEPTH - 1 else "",
                    "attrs": base_attrs,
                }
            )
        context["widget"]["selects"] = selects
        return context


class RegionCascadeField(forms.Field):
    widget = RegionCascadeWidget
    default_error_messages = {
        "required": "请选择地区",
        "invalid": "所选地区不存在",
        "inconsistent": "所选地区上下级不一致，请重新选择",
        "outside": "所选地区不在可选范围内",
    }

    def __init__(self, *, root: Region | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = root

    @property
    def root(self) -> Region | None:
        return self._root

    @root.setter
    def root(self, value: Region | None) -> None:
        self._root = value
        if isinstance(self.widget, RegionCascadeWidget):
            self.widget.root = value

    def to_python(self, value: Any) -> Region | None:
        if isinstance(value, Region):
            return value
        codes = _codes(value)
        if isinstance(value, Sequence) and not isinstance(value, str):
            # The fixed selects above the root are disabled and not submitted; ignore anything
            # posted in their place.
            codes = _codes(list(value)[_depth(self.root) :])
        if not codes:
            return self.root
        if any(not code.isdigit() or len(code) != 12 for code in codes):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        found = region_list_by_codes(codes=codes)
        if any(code not in found for code in codes):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        deepest = found[codes[-1]]
        if any(not deepest.is_within(found[code]) for code in codes[:-1]):
            raise ValidationError(self.error_messages["inconsistent"], code="inconsistent")
        if self.root is not None and not deepest.is_within(self.root):
            raise ValidationError(self.error_messages["outside"], code="outside")
        return deepest

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            before = self.to_python(initial)
            after = self.to_python(data)
        except ValidationError:
            return True
        return (before.code if before else None) != (after.code if after else None)
