"""Roles and permissions: enums, never loose strings (STYLE.md)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", "专项办工作人员"
    OFFICE_LEADER = "office_leader", "领导"
    UNIT_HANDLER = "unit_handler", "成员单位经办人"
    GRID_WORKER = "grid_worker", "网格员"
    IDENTITY_CUSTODIAN = "identity_custodian", "身份信息保管人"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "审计员"


# 等保 level 3: the three administrator roles are held by different people, and an account
# that holds one of them holds nothing else.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles that must log in with a second factor.
SECOND_FACTOR_ROLES = ADMIN_ROLES | {Role.IDENTITY_CUSTODIAN}
# Roles that only a security administrator may grant.
PRIVILEGED_ROLES = ADMIN_ROLES | {Role.IDENTITY_CUSTODIAN}


class Perm(StrEnum):
    WORKBENCH = "workbench"
    TIP_VIEW = "tip.view"  # read tip content within scope
    TIP_CREATE = "tip.create"
    TIP_EXPORT = "tip.export"
    TIP_REVEAL_IDENTITY = "tip.reveal_identity"
    REPORTER_SEARCH = "reporter.search"  # find a repeat reporter through the blind index
    TIP_SCREEN = "tip.screen"  # classify, mark invalid, merge duplicates
    TIP_TRANSFER = "tip.transfer"  # route to a unit (a unit: re-transfer downward)
    TRANSFER_HANDLE = (
        "transfer.handle"  # as the receiving unit: sign, send back, ask extension, report, answer
    )
    REPORT_REVIEW = "report.review"  # accept or return a verification report, close, reopen
    DEADLINE_MANAGE = "deadline.manage"  # grant extensions, chase, supervise, take over, reassign
    # Crackdown ledger (enforcement): cases, suspects, gangs, asset recovery.
    CASE_VIEW = "case.view"
    CASE_MANAGE = "case.manage"  # police record cases; procuratorate/court add their stages
    # Rectification ledger: institutions, hazards, 三书一函, rectification tasks, rules made.
    RECTIFICATION_VIEW = "rectification.view"
    RECTIFICATION_MANAGE = "rectification.manage"  # record and update (regulators, issuing organs)
    RECTIFICATION_CHECK = "rectification.check"  # the office checks completion (no 纸面整改)
    # Figures, rankings, reports.
    STATS_VIEW = "stats.view"
    REPORT_ISSUE = "report.issue"  # generate and issue weekly reports and bulletins
    # Reporter protection: the second person of the two-person identity rule.
    IDENTITY_APPROVE = "identity.approve"
    # Messages with reporters through the portal.
    REPORTER_MESSAGE = "reporter.message"
    ORG_MANAGE = "org.manage"  # units, users, memberships (non-privileged roles)
    CAMPAIGN_MANAGE = "campaign.manage"
    SECURITY_MANAGE = "security.manage"  # privileged roles, lockouts, second factors
    AUDIT_READ = "audit.read"


ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.OFFICE_STAFF: frozenset(
        {
            Perm.WORKBENCH,
            Perm.TIP_VIEW,
            Perm.TIP_CREATE,
            Perm.TIP_EXPORT,
            Perm.TIP_REVEAL_IDENTITY,
            Perm.REPORTER_SEARCH,
            Perm.TIP_SCREEN,
            Perm.TIP_TRANSFER,
            Perm.TRANSFER_HANDLE,
            Perm.REPORT_REVIEW,
            Perm.DEADLINE_MANAGE,
            Perm.CASE_VIEW,
            Perm.CASE_MANAGE,
            Perm.RECTIFICATION_VIEW,
            Perm.RECTIFICATION_MANAGE,
            Perm.RECTIFICATION_CHECK,
            Perm.STATS_VIEW,
            Perm.REPORT_ISSUE,
            Perm.REPORTER_MESSAGE,
        }
    ),
    Role.OFFICE_LEADER: frozenset(
        {
            Perm.WORKBENCH,
            Perm.TIP_VIEW,
            Perm.TIP_EXPORT,
            Perm.CASE_VIEW,
            Perm.RECTIFICATION_VIEW,
            Perm.STATS_VIEW,
        }
    ),
    Role.UNIT_HANDLER: frozenset(
        {
            Perm.WORKBENCH,
            Perm.TIP_VIEW,
            Perm.TIP_CREATE,
            Perm.TIP_EXPORT,
            Perm.TIP_TRANSFER,
            Perm.TRANSFER_HANDLE,
            Perm.CASE_VIEW,
            Perm.CASE_MANAGE,
            Perm.RECTIFICATION_VIEW,
            Perm.RECTIFICATION_MANAGE,
            Perm.STATS_VIEW,
            Perm.REPORTER_MESSAGE,
        }
    ),
    Role.GRID_WORKER: frozenset({Perm.TIP_CREATE}),
    Role.IDENTITY_CUSTODIAN: frozenset({Perm.WORKBENCH, Perm.TIP_VIEW, Perm.IDENTITY_APPROVE}),
    Role.SYSTEM_ADMIN: frozenset({Perm.ORG_MANAGE, Perm.CAMPAIGN_MANAGE}),
    Role.SECURITY_ADMIN: frozenset({Perm.SECURITY_MANAGE}),
    Role.AUDITOR: frozenset({Perm.AUDIT_READ}),
}


def role_has(role: Role | str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(Role(role), frozenset())
