"""What the rectification operations share: lookups that answer 400 on a field, list filters and
paging, the content check of uploads, and the 409 answer to a stale hazard version."""

from __future__ import annotations

from typing import Any, ParamSpec, TypeVar

from django.http import HttpResponse
from ninja.files import UploadedFile

from silvershield.api.errors import ApiFieldError
from silvershield.api.routers import workflow
from silvershield.api.schemas.rectification import (
    CaseRefOut,
    DatedFiltersIn,
    InstitutionFiltersIn,
    TaskOut,
)
from silvershield.api.schemas.tips import TimelineEvent
from silvershield.core.audit import timeline
from silvershield.core.pagination import keyset_page
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.geo.selectors import region_get
from silvershield.orgs.models import Sector, Unit, User
from silvershield.rectification import files, selectors
from silvershield.rectification.forms import UNIT_MISSING
from silvershield.rectification.models import Hazard, Institution, Letter
from silvershield.rectification.selectors import Filters

P = ParamSpec("P")
R = TypeVar("R")

VIEW, MANAGE = Perm.RECTIFICATION_VIEW, Perm.RECTIFICATION_MANAGE
DETAIL_LIMIT = 200
HAZARD_FIELDS: dict[str, str | None] = {"unit": "unit_id"}
LETTER_FIELDS: dict[str, str | None] = {"recipient": "recipient_id"}
TASK_FIELDS: dict[str, str | None] = {
    "lead_unit": "lead_unit_id",
    "co_units": "co_unit_ids",
    "hazard": "hazard_id",
    "letter": "letter_id",
}
RULE_FIELDS: dict[str, str | None] = {"letter": "letter_id", "unit": None}
UPLOAD_FIELD = "attachments"


stale_is_409 = workflow.stale_is_409


def no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def region_of(code: str, *, field: str) -> Region:
    try:
        return region_get(code=code)
    except Region.DoesNotExist:
        raise ApiFieldError(field, "所选地区不存在") from None


def active_unit(unit_id: int, *, field: str) -> Unit:
    """An active unit, like the pages' unit choosers (else a 400 on the field)."""
    unit = Unit.objects.select_related("region").filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ApiFieldError(field, UNIT_MISSING)
    return unit


def ledger_filters(
    f: DatedFiltersIn | InstitutionFiltersIn, *, state: str = "", kind: str = ""
) -> Filters:
    date_from = getattr(f, "date_from", None)
    date_to = getattr(f, "date_to", None)
    if date_from and date_to and date_from > date_to:
        raise ApiFieldError("date_to", "结束日期不能早于开始日期")
    return Filters(
        region=region_of(f.region, field="region") if f.region else None,
        state=state,
        sector=f.sector or "",
        kind=kind,
        q=f.q.strip(),
        date_from=date_from,
        date_to=date_to,
        overdue=bool(getattr(f, "overdue", False)),
    )


def ledger_page(qs: Any, f: DatedFiltersIn | InstitutionFiltersIn) -> Any:
    return keyset_page(qs, order=("created_at", "id"), cursor=f.cursor, size=f.limit)


def events_of(obj: Any) -> list[TimelineEvent]:
    return [TimelineEvent.of(e) for e in timeline(obj=obj)]


def visible_institution(user: User, institution_id: int | None) -> Institution | None:
    if institution_id is None:
        return None
    found = selectors.institutions_visible_to(user=user).filter(pk=institution_id).first()
    if found is None:
        raise ApiFieldError("institution_id", "在您的范围内找不到该机构")
    return found


def visible_hazard(user: User, hazard_id: int | None) -> Hazard | None:
    if hazard_id is None:
        return None
    found = selectors.hazards_visible_to(user=user).filter(pk=hazard_id).first()
    if found is None:
        raise ApiFieldError("hazard_id", "在您的范围内找不到该隐患")
    return found


def visible_letter(user: User, letter_id: int | None) -> Letter | None:
    if letter_id is None:
        return None
    found = selectors.letters_visible_to(user=user).filter(pk=letter_id).first()
    if found is None:
        raise ApiFieldError("letter_id", "在您的范围内找不到该文书")
    return found


def checked_uploads(attachments: list[UploadedFile] | None) -> list[files.CheckedFile]:
    """The same content check as the pages' upload path (PDF/JPEG/PNG by their bytes, size)."""
    return files.check_uploads(list(attachments or []), field=UPLOAD_FIELD)


def cases_of(user: User, institution: Institution) -> list[CaseRefOut] | None:
    qs = selectors.cases_naming(user=user, institution=institution)
    if qs is None:
        return None
    return [CaseRefOut(id=c.pk, label=str(c)) for c in qs[:DETAIL_LIMIT]]


def task_list(qs: Any) -> list[TaskOut]:
    rows = qs.prefetch_related("co_units").select_related("checked_by")[:DETAIL_LIMIT]
    return [TaskOut.of(t) for t in rows]


def record_sector(value: str) -> str:
    """A sector a record may lie in (the pages offer every sector but the offices')."""
    if value == Sector.OFFICE:
        raise ApiFieldError("sector", "请选择监管领域（不能是专项办）")
    return value
