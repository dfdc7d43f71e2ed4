"""Who may write what on a case, on top of core.access scoping.

A user acts for a unit in which they hold ``CASE_MANAGE`` and which reaches the case: an office
covering the case's region, the unit that owns or registered it, or a unit it was passed to
(移送起诉 grants the procuratorate, 起诉 grants the court). The unit's sector decides the stages it
records: police (and the office on its behalf) file, solve, refer and withdraw; the procuratorate
records 起诉; the court records 判决.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from silvershield.core.permissions import Perm, role_has
from silvershield.enforcement.models import Case, CaseStage, Gang
from silvershield.geo.models import Region
from silvershield.orgs.models import Sector, Unit, User
from silvershield.workflow.access import units_with

POLICE_SIDE = (Sector.POLICE, Sector.OFFICE)
STAGE_SECTORS: dict[str, tuple[str, ...]] = {
    CaseStage.FILED: POLICE_SIDE,
    CaseStage.SOLVED: POLICE_SIDE,
    CaseStage.REFERRED: POLICE_SIDE,
    CaseStage.WITHDRAWN: POLICE_SIDE,
    CaseStage.PROSECUTED: (Sector.PROCURATORATE,),
    CaseStage.JUDGED: (Sector.COURT,),
}
STAGE_WHO = {
    CaseStage.FILED: "公安机关（或专项办代为登记）",
    CaseStage.SOLVED: "公安机关（或专项办代为登记）",
    CaseStage.REFERRED: "公安机关（或专项办代为登记）",
    CaseStage.WITHDRAWN: "公安机关（或专项办代为登记）",
    CaseStage.PROSECUTED: "检察院",
    CaseStage.JUDGED: "法院",
}


def office_covers(office: Unit, region: Region) -> bool:
    if not office.is_office:
        return False
    return office.region is None or region.path.startswith(office.region.path)


def _reaches(unit: Unit, *, region: Region, unit_ids: set[int]) -> bool:
    return unit.pk in unit_ids or office_covers(unit, region)


def _order(units: list[Unit], owner_id: int) -> list[Unit]:
    """The owning unit first, then member units, then offices (nearest first)."""
    return sorted(
        units,
        key=lambda u: (
            u.pk != owner_id,
            u.is_office,
            -(len(u.region.path) if u.region is not None else 0),
        ),
    )


def case_units(actor: User, case: Case) -> list[Unit]:
    """The units ``actor`` may act for on ``case`` (any sector)."""
    unit_ids = {case.owner_unit_id, case.created_by_unit_id}
    unit_ids |= set(case.grants.values_list("unit_id", flat=True))
    units = [
        u
        for u in units_with(actor, Perm.CASE_MANAGE)
        if _reaches(u, region=case.region, unit_ids=unit_ids)
    ]
    return _order(units, case.owner_unit_id)


def acting_unit(actor: User, case: Case, sectors: tuple[str, ...] | None = None) -> Unit:
    """The unit the actor acts for on ``case``; 403 when there is none (of the given sectors)."""
    units = case_units(actor, case)
    if sectors is not None:
        units = [u for u in units if u.sector in sectors]
    if not units:
        raise PermissionDenied
    return units[0]


def stages_for(actor: User, case: Case) -> set[str]:
    """The stages the actor's units may record on this case (by sector)."""
    sectors = {u.sector for u in case_units(actor, case)}
    return {stage for stage, allowed in STAGE_SECTORS.items() if sectors & set(allowed)}


def may_register_for(actor: User, owner_unit: Unit) -> Unit:
    """The unit through which ``actor`` registers a case owned by ``owner_unit``: the police unit
    itself, or an office covering it; 403 otherwise."""
    for unit in units_with(actor, Perm.CASE_MANAGE):
        if unit.pk == owner_unit.pk and unit.sector == Sector.POLICE:
            return unit
    offices = [
        u
        for u in units_with(actor, Perm.CASE_MANAGE)
        if owner_unit.region is not None and office_covers(u, owner_unit.region)
    ]
    if not offices:
        raise PermissionDenied
    return max(offices, key=lambda o: len(o.region.path) if o.region else 0)


def registers_cases(actor: User) -> bool:
    """Whether ``actor`` registers cases: as police, or as an office registering for its police
    (other member units, such as 民政, do not). From the memberships already loaded."""
    return any(
        role_has(m.role, Perm.CASE_MANAGE) and (m.unit.sector == Sector.POLICE or m.unit.is_office)
        for m in actor._memberships()
    )


def police_units_for(actor: User) -> list[Unit]:
    """Police units for which ``actor`` may register cases (their own, or under their offices)."""
    units = units_with(actor, Perm.CASE_MANAGE)
    own = {u.pk for u in units if u.sector == Sector.POLICE}
    offices = [u for u in units if u.is_office]
    result = []
    for unit in Unit.objects.filter(sector=Sector.POLICE, is_active=True).select_related("region"):
        if unit.pk in own or (
            unit.region is not None and any(office_covers(o, unit.region) for o in offices)
        ):
            result.append(unit)
    return result


def gang_unit(actor: User, gang: Gang) -> Unit:
    """The unit the actor acts for on a gang (police side); 403 otherwise."""
    unit_ids = {gang.owner_unit_id, gang.created_by_unit_id}
    units = [
        u
        for u in units_with(actor, Perm.CASE_MANAGE)
        if u.sector in POLICE_SIDE and _reaches(u, region=gang.region, unit_ids=unit_ids)
    ]
    if not units:
        raise PermissionDenied
    return _order(units, gang.owner_unit_id)[0]
